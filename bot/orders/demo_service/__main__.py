"""``python -m bot.orders.demo_service``: the demo order system (see app.py)."""

import sys

from bot.orders.demo_service.app import main

sys.exit(main())
