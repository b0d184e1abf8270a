"""Handing a conversation to people (转人工): what the customer is told and what their words mean.

Plain functions, shared by the action server (the request), the rasa server's
conversation gate (messages while waiting or with an agent) and the console
(an agent joins, hands back, closes).  The state itself lives in
:mod:`bot.store.conversations`.
"""
