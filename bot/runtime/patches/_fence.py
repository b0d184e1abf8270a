"""The fence every patch goes through: only on the Rasa version it was written for, and undoable.

Not a patch itself (hence the underscore): the machinery the patch modules of
:mod:`bot.runtime.patches` share.

* :func:`check_rasa_version` refuses, with :class:`RasaVersionMismatch`, any
  Rasa but :data:`RASA_VERSION_PATCHED`: a method replaced on another version
  could silently do the wrong thing.
* A patch module's ``apply()`` is decorated with :func:`fenced`: it checks the
  version, does nothing the second time, and records under the module's name
  every :func:`replace` it makes, so that :func:`undo` puts exactly those
  attributes back (a failing ``apply()`` undoes its own half).
* Two patches may not replace the same attribute: then each can be undone on
  its own, in any order.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

RASA_VERSION_PATCHED = "3.6.21"


class RasaVersionMismatch(RuntimeError):
    pass


class _Replacement(NamedTuple):
    owner: Any
    name: str
    original: Any  # what ``owner.__dict__`` held, if it held the name itself
    had_it: bool
    new: Any


_replaced: Dict[str, List[_Replacement]] = {}  # patch module -> its replacements, oldest first
_applying: Optional[str] = None


def check_rasa_version(version: str = "") -> None:
    """:class:`RasaVersionMismatch` unless ``version`` (default: the installed Rasa's) is the patched one."""
    if not version:
        import rasa

        version = rasa.__version__
    if version != RASA_VERSION_PATCHED:
        raise RasaVersionMismatch(
            f"bot/runtime/patches/ replaces parts of Rasa {RASA_VERSION_PATCHED}'s internals, and this is "
            f"Rasa {version}: check each patch module against the new version's code (its docstring says what "
            f"it replaces and why), then change RASA_VERSION_PATCHED in bot/runtime/patches/_fence.py")


def fenced(apply: Callable[[], None]) -> Callable[..., None]:
    """A patch module's ``apply()``: version-checked, idempotent, its replacements recorded for :func:`undo`."""
    patch = apply.__module__

    @functools.wraps(apply)
    def fenced_apply(*, rasa_version: str = "") -> None:
        global _applying
        check_rasa_version(rasa_version)
        if patch in _replaced:
            return
        _replaced[patch] = []
        _applying = patch
        try:
            apply()
        except BaseException:
            undo(patch)
            raise
        finally:
            _applying = None

    return fenced_apply


def replace(owner: Any, name: str, new: Any) -> None:
    """``owner.name = new`` inside a patch's ``apply()``, remembering what was there."""
    if _applying is None:
        raise RuntimeError("replace() belongs inside a patch module's @fenced apply()")
    for other, replacements in _replaced.items():
        if any(r.owner is owner and r.name == name for r in replacements):
            raise RuntimeError(f"{_qualname(owner)}.{name} is replaced by {other} already")
    _replaced[_applying].append(_Replacement(owner, name, owner.__dict__.get(name), name in owner.__dict__, new))
    setattr(owner, name, new)


def undo(patch: str) -> None:
    """The replacements of one patch module undone, newest first."""
    for replacement in reversed(_replaced.pop(patch, [])):
        if replacement.had_it:
            setattr(replacement.owner, replacement.name, replacement.original)
        else:
            delattr(replacement.owner, replacement.name)


def undo_all() -> None:
    """Every patch undone, the last applied first."""
    for patch in reversed(list(_replaced)):
        undo(patch)


def applied() -> List[str]:
    """The patch modules applied, in the order they were."""
    return list(_replaced)


def replaced_by(patch: str) -> List[Tuple[Any, str]]:
    """``(owner, name)`` of each attribute the patch replaced."""
    return [(r.owner, r.name) for r in _replaced.get(patch, [])]


def _qualname(owner: Any) -> str:
    return f"{getattr(owner, '__module__', '?')}.{getattr(owner, '__qualname__', owner)}"
