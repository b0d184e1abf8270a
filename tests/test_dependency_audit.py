"""scripts/dependency_audit.py: the installed packages against the vendored PyPA advisories, offline."""

from __future__ import annotations

import gzip
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "dependency_audit.py"


def load_audit():
    spec = importlib.util.spec_from_file_location("dependency_audit", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


audit = load_audit()


@pytest.mark.parametrize("version, ranges, versions, expected", [
    ("3.8.6", [[{"introduced": "0"}, {"fixed": "3.9.2"}]], [], True),
    ("3.9.2", [[{"introduced": "0"}, {"fixed": "3.9.2"}]], [], False),
    ("2.0", [[{"introduced": "1.0"}, {"last_affected": "2.0"}]], [], True),
    ("0.9", [[{"introduced": "1.0"}, {"fixed": "2.0"}]], [], False),
    ("5.1", [[{"introduced": "0"}, {"fixed": "1.2"}, {"introduced": "5.0"}]], [], True),  # never fixed again
    ("1.5", [[{"introduced": "0"}, {"fixed": "1.2"}, {"introduced": "5.0"}]], [], False),
    ("0.4.1", [], ["0.4", "0.4.1"], True),
    ("not-a-version", [[{"introduced": "0"}]], [], False),
])
def test_an_installed_version_is_inside_an_advisory_s_ranges(version, ranges, versions, expected):
    assert audit.affected(version, ranges, versions) is expected


def test_a_finding_fails_unless_allow_listed_and_stale_entries_are_named():
    snapshot = {"advisories": [
        {"id": "PYSEC-1", "aliases": ["CVE-1"], "package": "Some_Lib", "ranges": [[{"introduced": "0"}, {"fixed": "2"}]]},
        {"id": "PYSEC-2", "aliases": [], "package": "other", "ranges": [[{"introduced": "0"}, {"fixed": "2"}]]},
    ]}
    installed = {"some-lib": "1.5", "other": "2.1"}
    open_findings, stale = audit.audit(installed, snapshot, [])
    assert [finding.advisory for finding in open_findings] == ["PYSEC-1"]
    assert audit.audit(installed, snapshot, [{"id": "CVE-1", "reason": "not reached"}]) == ([], [])
    assert audit.audit(installed, snapshot, [{"id": "PYSEC-9", "reason": "old"}])[1] == ["PYSEC-9"]


def test_an_allow_list_entry_needs_a_reason(tmp_path):
    allowlist = tmp_path / "allow.yml"
    allowlist.write_text("allow:\n  - id: PYSEC-1\n    reason: ''\n")
    with pytest.raises(SystemExit, match="PYSEC-1"):
        audit.load_allowlist(allowlist)


def run_script(*args):
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120)


def test_the_installed_environment_has_no_known_vulnerability_outside_the_allow_list():
    result = run_script()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PyPA Advisory Database as of" in result.stdout


def test_an_installed_package_with_an_advisory_fails_the_audit(tmp_path):
    snapshot = audit.load_snapshot()
    snapshot["advisories"].append({"id": "PYSEC-TEST-1", "aliases": ["CVE-TEST-1"], "package": "aiohttp",
                                   "ranges": [[{"introduced": "0"}]], "summary": "every aiohttp"})
    path = tmp_path / "snapshot.json.gz"
    path.write_bytes(gzip.compress(json.dumps(snapshot).encode()))
    result = run_script("--snapshot", str(path))
    assert result.returncode == 1
    assert "VULNERABLE aiohttp" in result.stdout and "PYSEC-TEST-1" in result.stdout


def test_the_snapshot_is_a_real_pypa_export():
    snapshot = audit.load_snapshot()
    assert snapshot["source"] == "https://github.com/pypa/advisory-database"
    assert len(snapshot["advisories"]) > 2000
    assert any(advisory["package"] == "aiohttp" and "CVE-2024-23334" in advisory["aliases"]
               for advisory in snapshot["advisories"])
