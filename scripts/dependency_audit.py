"""Known vulnerabilities in the installed Python packages (依赖安全审计), offline.

``pip-audit`` asks osv.dev or PyPI's JSON API, which CI and many shop machines
cannot reach.  This reads a snapshot of the PyPA Advisory Database
(``security/pypa-advisories.json.gz``: the ``PYSEC`` advisories that PyPI and
``pip-audit`` serve, with their GHSA and CVE aliases) and checks every
distribution installed in the running interpreter's environment against it.

    python scripts/dependency_audit.py            # exit 1 on any finding not allow-listed
    python scripts/dependency_audit.py --refresh CHECKOUT   # rebuild the snapshot from a
                                                   # clone of github.com/pypa/advisory-database

A finding that cannot be fixed by upgrading (a pin of Rasa's, a code path we do
not use) goes into ``security/audit-allowlist.yml`` with the reason; an entry
that no longer matches anything is reported so that the list stays honest.
With internet, ``pip-audit`` reads the same ids: docs/operations.md, "Security".
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Iterable, Mapping, Optional, Sequence

import yaml
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "security" / "pypa-advisories.json.gz"
ALLOWLIST = ROOT / "security" / "audit-allowlist.yml"


@dataclass(frozen=True)
class Finding:
    package: str
    version: str
    advisory: str
    aliases: tuple
    summary: str

    def names(self) -> set:
        return {self.advisory, *self.aliases}


def affected(version: str, ranges: Sequence[Sequence[Mapping[str, str]]], versions: Iterable[str] = ()) -> bool:
    """Whether ``version`` falls in one of an advisory's ECOSYSTEM ranges (OSV events) or its version list."""
    if version in set(versions):
        return True
    try:
        installed = Version(version)
    except InvalidVersion:
        return False
    for events in ranges:
        start: Optional[str] = None
        for event in events:
            if "introduced" in event:
                start = event["introduced"]
                continue
            if start is None:
                continue
            end_key = "fixed" if "fixed" in event else "last_affected" if "last_affected" in event else None
            if end_key and _inside(installed, start, event[end_key], end_key == "fixed"):
                return True
            start = None
        if start is not None and _inside(installed, start, None, True):  # introduced, never fixed
            return True
    return False


def _inside(version: Version, start: str, end: Optional[str], end_excluded: bool) -> bool:
    try:
        if start != "0" and version < Version(start):
            return False
        if end is None:
            return True
        return version < Version(end) if end_excluded else version <= Version(end)
    except InvalidVersion:
        return False


def installed_distributions() -> dict:
    return {canonicalize_name(dist.metadata["Name"]): dist.version
            for dist in metadata.distributions() if dist.metadata["Name"]}


def load_snapshot(path: Path = SNAPSHOT) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return json.load(stream)


def findings(installed: Mapping[str, str], advisories: Iterable[Mapping]) -> list:
    found = []
    for advisory in advisories:
        name = canonicalize_name(advisory["package"])
        version = installed.get(name)
        if version is not None and affected(version, advisory.get("ranges") or [], advisory.get("versions") or []):
            found.append(Finding(name, version, advisory["id"], tuple(advisory.get("aliases") or ()),
                                 advisory.get("summary") or ""))
    return sorted(found, key=lambda finding: (finding.package, finding.advisory))


def load_allowlist(path: Path = ALLOWLIST) -> list:
    entries = (yaml.safe_load(path.read_text("utf-8")) or {}).get("allow") or [] if path.exists() else []
    for entry in entries:
        if not str(entry.get("reason") or "").strip():
            raise SystemExit(f"{path}: the entry for {entry.get('id')} gives no reason")
    return entries


def audit(installed: Mapping[str, str], snapshot: Mapping, allowlist: Sequence[Mapping]) -> tuple:
    """(findings not allow-listed, allow-list ids that match nothing)."""
    found = findings(installed, snapshot["advisories"])
    allowed = {str(entry["id"]) for entry in allowlist}
    open_findings = [finding for finding in found if not finding.names() & allowed]
    used = set().union(*(finding.names() for finding in found)) if found else set()
    return open_findings, sorted(allowed - used)


def refresh(checkout: Path, out: Path = SNAPSHOT) -> int:
    """Rebuilds the snapshot from a clone of pypa/advisory-database (its ``vulns/`` folder)."""
    advisories = []
    for path in sorted((checkout / "vulns").glob("*/*.yaml")):
        advisory = yaml.safe_load(path.read_text("utf-8"))
        if advisory.get("withdrawn"):
            continue
        summary = " ".join(str(advisory.get("summary") or advisory.get("details") or "").split())[:160]
        for affected_package in advisory.get("affected") or []:
            ranges = [range_["events"] for range_ in affected_package.get("ranges") or []
                      if range_.get("type") == "ECOSYSTEM"]
            advisories.append({"id": advisory["id"], "aliases": advisory.get("aliases") or [],
                               "package": affected_package["package"]["name"], "ranges": ranges,
                               "versions": [] if ranges else affected_package.get("versions") or [],
                               "summary": summary})
    commit = subprocess.run(["git", "-C", str(checkout), "log", "-1", "--format=%H %cI"],
                            capture_output=True, text=True, check=False).stdout.split()
    snapshot = {"source": "https://github.com/pypa/advisory-database",
                "commit": commit[0] if commit else "unknown",
                "committed": commit[1] if len(commit) > 1 else "unknown",
                "built": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "advisories": advisories}
    out.write_bytes(gzip.compress(json.dumps(snapshot, ensure_ascii=False, separators=(",", ":")).encode(),
                                  mtime=0))
    print(f"{len(advisories)} advisories from {snapshot['commit'][:12]} ({snapshot['committed']}) -> {out}")
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--refresh", type=Path, metavar="CHECKOUT",
                        help="rebuild the snapshot from a clone of pypa/advisory-database")
    parser.add_argument("--snapshot", type=Path, default=SNAPSHOT)
    parser.add_argument("--allowlist", type=Path, default=ALLOWLIST)
    args = parser.parse_args(argv)
    if args.refresh:
        return refresh(args.refresh, args.snapshot)
    snapshot = load_snapshot(args.snapshot)
    installed = installed_distributions()
    open_findings, stale = audit(installed, snapshot, load_allowlist(args.allowlist))
    print(f"audited {len(installed)} installed distributions against {len(snapshot['advisories'])} advisories "
          f"of the PyPA Advisory Database as of {snapshot['committed'][:10]} (commit {snapshot['commit'][:12]})")
    for entry in stale:
        print(f"allow-list entry {entry} matches no installed package any more: remove it")
    for finding in open_findings:
        aliases = ", ".join(finding.aliases)
        print(f"VULNERABLE {finding.package} {finding.version}: {finding.advisory} ({aliases}) {finding.summary}")
    if open_findings:
        print(f"{len(open_findings)} known vulnerabilities: upgrade, or allow-list each with a reason in "
              f"{args.allowlist.relative_to(ROOT) if args.allowlist.is_relative_to(ROOT) else args.allowlist}")
        return 1
    print("no known vulnerabilities outside the allow-list")
    return 0


if __name__ == "__main__":
    sys.exit(main())
