"""The Rasa patches are fenced: one module each, applied only on Rasa 3.6.21, and undone completely."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

from bot.runtime import patches
from bot.runtime.patches import _fence

OTHER_VERSION = "3.7.0"


def target(path: str):
    """``"module:Class.attribute"`` -> (the class, the attribute's name)."""
    module_name, qualname = path.split(":")
    *owner_path, name = qualname.split(".")
    owner = importlib.import_module(module_name)
    for part in owner_path:
        owner = getattr(owner, part)
    return owner, name


def what_is_there(owner, name):
    return owner.__dict__.get(name, "absent")


@pytest.fixture(autouse=True)
def rasa_as_shipped():
    patches.undo_all()  # whatever ran before
    yield
    patches.undo_all()  # the rest of the test run sees Rasa as it is
    assert patches.applied() == []


def test_every_module_of_the_package_is_a_registered_patch():
    found = {info.name for info in pkgutil.iter_modules(patches.__path__) if not info.name.startswith("_")}
    assert found == set(patches.REGISTRY)
    assert len(patches.REGISTRY) == len(set(patches.REGISTRY))
    for name in patches.REGISTRY:
        patch = patches.module(name)
        assert patch.__doc__ and "Extension point" in patch.__doc__ and "Upstream" in patch.__doc__, name
        assert patch.TARGETS and callable(patch.apply) and callable(patch.undo), name


@pytest.mark.parametrize("name", patches.REGISTRY)
def test_each_patch_replaces_its_targets_and_its_undo_puts_back_the_originals(name):
    patch = patches.module(name)
    targets = [target(path) for path in patch.TARGETS]
    originals = [what_is_there(owner, attr) for owner, attr in targets]

    patch.apply()
    patch.apply()  # idempotent
    assert patches.applied() == [name]
    assert _fence.replaced_by(patch.__name__) == targets  # what it declares is what it replaces
    for (owner, attr), original in zip(targets, originals):
        assert what_is_there(owner, attr) is not original, f"{owner.__name__}.{attr}"

    patch.undo()
    assert patches.applied() == []
    for (owner, attr), original in zip(targets, originals):
        assert what_is_there(owner, attr) is original, f"{owner.__name__}.{attr}"


@pytest.mark.parametrize("name", patches.REGISTRY)
def test_each_patch_refuses_another_rasa_version(name):
    patch = patches.module(name)
    targets = [target(path) for path in patch.TARGETS]
    originals = [what_is_there(owner, attr) for owner, attr in targets]
    with pytest.raises(patches.RasaVersionMismatch, match=OTHER_VERSION):
        patch.apply(rasa_version=OTHER_VERSION)
    assert patches.applied() == []
    assert [what_is_there(owner, attr) for owner, attr in targets] == originals


def test_the_fence_says_clearly_which_versions_and_what_to_do():
    patches.check_rasa_version(patches.RASA_VERSION_PATCHED)
    patches.check_rasa_version()  # the installed Rasa is the one the patches were written for
    with pytest.raises(patches.RasaVersionMismatch) as raised:
        patches.check_rasa_version(OTHER_VERSION)
    message = str(raised.value)
    assert f"Rasa {OTHER_VERSION}" in message and patches.RASA_VERSION_PATCHED in message
    assert "bot/runtime/patches" in message and "RASA_VERSION_PATCHED" in message


def test_apply_all_on_another_version_touches_nothing():
    everything = [target(path) for name in patches.REGISTRY for path in patches.module(name).TARGETS]
    originals = [what_is_there(owner, attr) for owner, attr in everything]
    with pytest.raises(patches.RasaVersionMismatch, match=OTHER_VERSION):
        patches.apply_all(rasa_version=OTHER_VERSION)
    assert patches.applied() == []
    assert [what_is_there(owner, attr) for owner, attr in everything] == originals


def test_apply_all_applies_every_patch_once_and_undo_all_restores_rasa():
    everything = [target(path) for name in patches.REGISTRY for path in patches.module(name).TARGETS]
    assert len(set(everything)) == len(everything)  # no attribute is replaced by two patches
    originals = [what_is_there(owner, attr) for owner, attr in everything]

    patches.apply_all()
    patches.apply_all()  # idempotent
    assert patches.applied() == list(patches.REGISTRY)
    assert all(what_is_there(owner, attr) is not original
               for (owner, attr), original in zip(everything, originals))

    patches.undo_all()
    assert patches.applied() == []
    assert [what_is_there(owner, attr) for owner, attr in everything] == originals


def test_a_patch_that_fails_halfway_is_undone_and_so_are_the_ones_before_it(monkeypatch):
    from rasa.core.tracker_store import FailSafeTrackerStore

    failing = patches.module("store_outages_fail_the_turn")
    originals = dict(FailSafeTrackerStore.__dict__)
    calls = []
    real_replace = failing.replace

    def replace_then_fail(owner, name, new):
        calls.append(name)
        real_replace(owner, name, new)
        if len(calls) == 2:
            raise RuntimeError("boom")

    monkeypatch.setattr(failing, "replace", replace_then_fail)
    with pytest.raises(RuntimeError, match="boom"):
        patches.apply_all()
    assert patches.applied() == []
    assert {name: FailSafeTrackerStore.__dict__.get(name) for name in ("retrieve", "retrieve_full_tracker", "save")} \
        == {name: originals.get(name) for name in ("retrieve", "retrieve_full_tracker", "save")}


def test_two_patches_may_not_replace_the_same_attribute():
    class Owner:
        def method(self):
            return "rasa"

    def first_body():
        _fence.replace(Owner, "method", lambda self: "first")

    def second_body():
        _fence.replace(Owner, "method", lambda self: "second")

    first_body.__module__ = "bot.runtime.patches.first_for_test"  # as if each came from its own module
    second_body.__module__ = "bot.runtime.patches.second_for_test"
    first, second = _fence.fenced(first_body), _fence.fenced(second_body)

    first()
    with pytest.raises(RuntimeError, match="replaced by bot.runtime.patches.first_for_test already"):
        second()
    assert Owner().method() == "first"
    _fence.undo("bot.runtime.patches.first_for_test")
    assert Owner().method() == "rasa" and _fence.applied() == []


def test_replace_outside_a_patch_is_refused():
    class Owner:
        pass

    with pytest.raises(RuntimeError, match="inside a patch"):
        _fence.replace(Owner, "method", lambda self: None)


def test_the_rasa_server_command_runs_rasa_patched(monkeypatch):
    """``python -m bot.runtime.rasa_server`` (the served bot, ``make run``, the e2e stories) patches first."""
    import sys

    import rasa.__main__

    import bot.privacy.logs
    from bot.runtime import rasa_server

    seen = {}
    monkeypatch.setattr(bot.privacy.logs, "mask_log_records", lambda: None)
    monkeypatch.setattr(rasa.__main__, "main", lambda: seen.update(argv=list(sys.argv), applied=patches.applied()))
    monkeypatch.setattr(sys, "argv", ["rasa_server", "test", "core"])
    rasa_server.main()
    assert seen == {"argv": ["rasa", "test", "core"], "applied": list(patches.REGISTRY)}
