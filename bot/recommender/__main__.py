"""``python -m bot.recommender``: the recommender service (see bot/recommender/service.py)."""

import sys

from bot.recommender.service import main

sys.exit(main())
