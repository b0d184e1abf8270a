"""``python -m bot.alerts``: the alert worker (see worker.py)."""

import sys

from bot.alerts.worker import main
from bot.privacy.logs import mask_log_records

mask_log_records()

sys.exit(main())
