"""``python -m bot.analytics report --out DIR`` (see report.py)."""

import sys

from bot.analytics.report import main

sys.exit(main())
