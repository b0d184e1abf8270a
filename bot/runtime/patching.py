"""Replacing pieces of Rasa's internals, fenced: only on the Rasa version they were written for, and undoable.

bot/runtime/rasa_fixes.py and graph_thread.py replace methods of Rasa 3.6.21
classes.  A method replaced on another Rasa version could silently do the
wrong thing, so :func:`check_rasa_version` refuses with a clear error instead;
every replacement goes through :func:`replace`, which keeps the original, so
:func:`undo_all` puts Rasa back (the tests do after theirs).
"""

from __future__ import annotations

from typing import Any, List, Tuple

RASA_VERSION_PATCHED = "3.6.21"

_replaced: List[Tuple[Any, str, Any, bool]] = []  # (owner, name, original, whether the owner had it itself)


class RasaVersionMismatch(RuntimeError):
    pass


def check_rasa_version(version: str = "") -> None:
    import rasa

    found = version or rasa.__version__
    if found != RASA_VERSION_PATCHED:
        raise RasaVersionMismatch(
            f"bot/runtime/rasa_fixes.py and graph_thread.py replace parts of Rasa {RASA_VERSION_PATCHED}'s "
            f"internals, and this is Rasa {found}: check each replacement against the new version's code, "
            f"then change RASA_VERSION_PATCHED in bot/runtime/patching.py")


def replace(owner: Any, name: str, new: Any) -> None:
    """``owner.name = new``, remembering what was there."""
    _replaced.append((owner, name, owner.__dict__.get(name), name in owner.__dict__))
    setattr(owner, name, new)


def undo_all() -> None:
    """Every replacement undone, newest first."""
    while _replaced:
        owner, name, original, had_it = _replaced.pop()
        if had_it:
            setattr(owner, name, original)
        else:
            delattr(owner, name)


__all__ = ["RASA_VERSION_PATCHED", "RasaVersionMismatch", "check_rasa_version", "replace", "undo_all"]
