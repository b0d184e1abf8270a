"""Our Rasa NLU components, thin adapters over ``bot.language`` and ``bot.encoder``.

Importing this package registers them with Rasa's ``DefaultV1Recipe``.
"""
