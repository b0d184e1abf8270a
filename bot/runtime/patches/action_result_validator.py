"""The action server's response is validated with one validator, its schema checked once.

What Rasa 3.6.21 does: ``RemoteAction._validate_action_result`` calls
``jsonschema.validate``, which first validates the *schema* (Rasa's event
schema, hundreds of nodes) against the JSON Schema meta-schema, on every
action call: half of the rasa server's CPU when actions return product cards
(py-spy, 20 customers).  The schema never changes.

The patch: the schema is checked once and its validator kept; every result is
still validated, and a bad one raises the same ``ValidationError`` with the
same message (``best_match``, as ``jsonschema.validate`` picks it).

Upstream: none known.

Extension point: none.  ``RemoteAction`` is built by Rasa for every custom
action name (``rasa.core.actions.action.action_for_name_or_text``); no setting
chooses another class, and the validation happens inside its ``run``.
"""

from __future__ import annotations

import functools
from typing import Any, Dict

from bot.runtime.patches._fence import fenced, replace

TARGETS = ("rasa.core.actions.action:RemoteAction._validate_action_result",)


@functools.lru_cache(maxsize=1)
def action_result_validator():
    """The validator of the action server's response format, its schema checked once."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@fenced
def apply() -> None:
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
        error = best_match(action_result_validator().iter_errors(result))  # as jsonschema.validate does
        if error is None:
            return True
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            f"from the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error

    replace(RemoteAction, "_validate_action_result", _validate_action_result)


def undo() -> None:
    from bot.runtime.patches import _fence

    _fence.undo(__name__)
