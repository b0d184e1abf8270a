"""Alerts that arrive (到货/降价/上新提醒): subscriptions, catalog changes, a schedule, delivery.

``subscriptions.py``  what customers asked to be told about (Redis)
``changes.py``        what changed between two states of the catalog (pure)
``matching.py``       which subscriptions a change concerns, and the notice for each (pure)
``catalog_watch.py``  the recommender hands it every catalog it loads; it queues the notices
``schedule.py``       the queue of notices in Redis: quiet hours, a daily cap, leases
``worker.py``         ``python -m bot.alerts``: delivers due notices through the outbound layer
``texts.py``          what the customer reads
"""
