"""Retention analytics for shop operators (留存分析): what the bot's logs say about customers coming back.

``turns.py``    the rasa server logs every customer turn (person, intent, confidence, flags)
``data.py``     reads the logs from Redis into plain rows, in chunks
``figures.py``  cohort retention, the funnel, alert conversion, weekly rates (pure functions)
``charts.py``   PNG charts (matplotlib)
``report.py``   ``python -m bot.analytics report --out DIR``: PNG, CSV and HTML; the console's figures

No figure ever singles out a person: groups smaller than ``min_group`` (default
5, ``ANALYTICS_MIN_GROUP``) are suppressed.
"""
