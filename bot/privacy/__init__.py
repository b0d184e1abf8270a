"""Customers' rights over their personal data (PIPL): export, erasure, retention, masked logs.

Finding and masking personal data is language work (bot/language/personal_data.py,
masking.py); sealing the few values kept whole and the privacy records are store
work (bot/store/sealing.py, privacy_records.py).  This package acts on them:
``requests`` (导出/删除我的数据 in the chat), ``export``, ``erasure``,
``retention`` and ``logs``; ``python -m bot.privacy`` is the operator's side.
docs/privacy.md lists every store and how long it keeps what.
"""
