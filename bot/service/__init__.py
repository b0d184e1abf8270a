"""Customer service (客服) in plain Python; the actions call it.

``policy``       the shop's after-sales rules (decide)
``texts``        what the bot says about orders, outcomes and tickets
``after_sales``  a request carried out: policy, then the order system, then an honest reply
``tickets``      work for people, with a life (open → in progress → waiting → resolved)
``formatting``   dates and money as customers read them

The orders themselves come from the shop's order system (``bot/orders/``).
"""
