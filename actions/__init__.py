"""The rasa-sdk action server (``python -m rasa_sdk --actions actions``).

Actions are thin: they read slots, call plain logic in ``bot`` (never torch)
and the recommender service, and turn results into replies.
"""

# Importing the modules registers their actions with rasa-sdk.
from actions import service, shopping, welcome  # noqa: F401
