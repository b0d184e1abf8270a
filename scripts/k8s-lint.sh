#!/usr/bin/env bash
# Validates the Kubernetes manifests (deploy/kubernetes/ or the directory
# given) against the Kubernetes API's schemas, offline, with
# kubernetes-validate in strict mode (unknown fields are errors), for the
# oldest and the newest Kubernetes we document (docs/scale-out.md).  Exits
# non-zero when any manifest is invalid.
#
# kubernetes-validate needs jsonschema >= 4.23 and Rasa pins < 4.18, so it
# lives in a small venv of its own, built once with the project's uv:
#   $SHOPBOT_CACHE/tools/k8s-lint   (SHOPBOT_CACHE defaults to ~/.cache/shopbot)
#
#   K8S_LINT_VERSIONS   Kubernetes versions to check against (default "1.29.0 1.37.0")
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${SHOPBOT_CACHE:-$HOME/.cache/shopbot}"
validate_version="1.37.0"
versions="${K8S_LINT_VERSIONS:-1.29.0 1.37.0}"
manifests_dir="${1:-$root/deploy/kubernetes}"

die() { echo "k8s-lint: $*" >&2; exit 2; }

[[ -d "$manifests_dir" ]] || die "no directory $manifests_dir"
# scripts/env.sh provides uv and Python 3.10 (it builds the project's venv once); the linter's venv
# is made from the same interpreter.
project_venv="$(bash "$root/scripts/env.sh")" || die "scripts/env.sh failed"
uv="$cache/tools/bin/uv"
tool="$cache/tools/k8s-lint"
# One build at a time, also when two test runs start together.
exec 9>"$cache/tools/.k8s-lint.lock"
flock 9
if [[ ! -f "$tool/.complete-$validate_version" ]]; then
  echo "k8s-lint: installing kubernetes-validate $validate_version into $tool (once)" >&2
  rm -rf "$tool"
  "$uv" venv --quiet --python "$project_venv/bin/python" "$tool" >&2
  "$uv" pip install --quiet -p "$tool/bin/python" "kubernetes-validate==$validate_version" >&2
  touch "$tool/.complete-$validate_version"
fi
flock -u 9

mapfile -t files < <(find "$manifests_dir" -maxdepth 1 -type f \( -name '*.yaml' -o -name '*.yml' \) \
                       ! -name 'kustomization.yaml' ! -name 'kustomization.yml' | sort)
[[ ${#files[@]} -gt 0 ]] || die "no manifests in $manifests_dir"

status=0
for version in $versions; do
  # --quiet prints only warnings and failures; a warning (e.g. a kind without
  # a schema, a misspelt apiVersion) fails the check too.
  if ! output="$("$tool/bin/kubernetes-validate" --strict --quiet -k "$version" "${files[@]}" 2>&1)"; then
    status=1
  fi
  if [[ -n "$output" ]]; then
    echo "$output" | sed "s|^|k8s-lint [$version]: |" >&2
    status=1
  fi
done

# kustomization.yaml is not a Kubernetes object: check that what it lists exists.
for kustomization in "$manifests_dir"/kustomization.yaml "$manifests_dir"/kustomization.yml; do
  [[ -f "$kustomization" ]] || continue
  "$tool/bin/python" - "$kustomization" <<'PY' || status=1
import sys
from pathlib import Path

import yaml

path = Path(sys.argv[1])
data = yaml.safe_load(path.read_text(encoding="utf-8"))
problems = []
if not isinstance(data, dict) or data.get("kind") != "Kustomization":
    problems.append("not a Kustomization")
else:
    for resource in data.get("resources") or []:
        if not (path.parent / resource).is_file():
            problems.append(f"lists {resource}, which does not exist")
for problem in problems:
    print(f"k8s-lint: {path}: {problem}", file=sys.stderr)
sys.exit(1 if problems else 0)
PY
done

if [[ $status -eq 0 ]]; then
  echo "k8s-lint: ${#files[@]} manifest files valid for Kubernetes $versions"
fi
exit $status
