"""The rasa-sdk action server (``python -m rasa_sdk --actions actions``).

Actions are thin: they read slots, call plain logic in ``bot`` (never torch)
and the recommender service, and turn results into replies.
"""

from actions.shopping import ActionNoteShoppingConditions  # noqa: F401  (registers the action)
