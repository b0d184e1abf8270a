"""The rasa-sdk action server (``python -m rasa_sdk --actions actions``).

Actions are thin: they read slots, call plain logic in ``bot`` (never torch)
and the recommender service, and turn results into replies.
"""

from bot.privacy.logs import mask_log_records

# The action server's logs are masked too (its records name customers' messages).
mask_log_records()

# Importing the modules registers their actions with rasa-sdk.
from actions import service, shopping, welcome  # noqa: F401,E402
