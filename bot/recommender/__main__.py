"""``python -m bot.recommender``: the recommender service (see bot/recommender/service.py)."""

import sys

from bot.privacy.logs import mask_log_records
from bot.recommender.service import main

mask_log_records()

sys.exit(main())
