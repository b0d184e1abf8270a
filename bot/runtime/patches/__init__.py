"""Every change we make to Rasa 3.6.21's internals: one module per patch, fenced to that version.

Each module of this package (but ``_fence``) is one patch with one reason.  Its
docstring says what Rasa 3.6.21 does wrong, the upstream issue if one is
known, and whether a Rasa extension point could replace it; it declares the
attributes it replaces in ``TARGETS`` (``"module:Class.attribute"``) and has
``apply()`` and ``undo()``.

:func:`apply_all` applies every patch of :data:`REGISTRY`, after
:func:`check_rasa_version`: on any Rasa but :data:`RASA_VERSION_PATCHED` it
raises :class:`RasaVersionMismatch` before touching anything, and so does each
module's own ``apply()``.  Applying twice does nothing the second time.
:func:`undo_all` puts Rasa back as shipped (the tests do after theirs).

``python -m bot.runtime.rasa_server`` applies them all and then runs Rasa's
command line, so the served bot, ``make run`` and the e2e stories
(tests/integration/test_e2e_stories.py) run on the patched server.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import List, Tuple

from bot.runtime.patches._fence import RASA_VERSION_PATCHED, RasaVersionMismatch, check_rasa_version
from bot.runtime.patches import _fence

# In the order they are applied.  A module is imported only once the version
# check passed: on another Rasa, the error says so instead of an ImportError.
REGISTRY: Tuple[str, ...] = (
    "action_result_validator",   # the action response's schema checked once, not on every call
    "event_type_table",          # event classes looked up in a table, not by walking all subclasses
    "graphs_without_dask",       # graph nodes called in order, without dask's scheduler
    "freeze_loaded_model",       # the loaded model out of the garbage collector's view
    "recent_events_to_actions",  # the action server gets the last 10 customer turns' events
    "store_outages_fail_the_turn",  # Redis down: the turn fails, no empty tracker
    "wait_for_action_server",    # a restarting action server is waited for, then an apology
    "graph_thread",              # the graphs run in worker threads, off the event loop
    "odd_accept_header",         # an Accept header Sanic cannot parse no longer breaks error pages
)


def module(name: str) -> ModuleType:
    """The patch module of that short name (one of :data:`REGISTRY`), imported."""
    return importlib.import_module(f"{__name__}.{name}")


def apply_all(rasa_version: str = "") -> None:
    """Every patch, once; :class:`RasaVersionMismatch` (and nothing patched) on another Rasa.

    ``rasa_version`` stands in for the installed Rasa's version (tests).  If a
    patch fails to apply, the ones applied before it are undone too: a
    half-patched Rasa is worse than either.
    """
    check_rasa_version(rasa_version)
    before = set(_fence.applied())
    try:
        for name in REGISTRY:
            module(name).apply(rasa_version=rasa_version)
    except BaseException:
        for patch in reversed(_fence.applied()):
            if patch not in before:
                importlib.import_module(patch).undo()
        raise


def undo_all() -> None:
    """Rasa as shipped: every patch undone, the last applied first."""
    for patch in reversed(_fence.applied()):
        importlib.import_module(patch).undo()  # its own undo: graph_thread also stops its threads


def applied() -> List[str]:
    """The short names of the patches applied."""
    return [patch.rsplit(".", 1)[-1] for patch in _fence.applied()]


__all__ = ["REGISTRY", "RASA_VERSION_PATCHED", "RasaVersionMismatch", "applied", "apply_all",
           "check_rasa_version", "module", "undo_all"]
