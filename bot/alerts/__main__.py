"""``python -m bot.alerts``: the alert worker (see worker.py)."""

import sys

from bot.alerts.worker import main

sys.exit(main())
