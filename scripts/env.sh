#!/usr/bin/env bash
# Builds (once) and prints the path of the project's virtualenv.
#
# The venv lives outside the clone, keyed by the hash of uv.lock, so a fresh
# clone (CI) reuses a venv that an identical lock already built: torch alone is
# several GB.  A second run with the same lock takes about a second.
#
#   SHOPBOT_CACHE   where venvs and the uv tool live (default ~/.cache/shopbot)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${SHOPBOT_CACHE:-$HOME/.cache/shopbot}"
uv_version="0.13.8"

die() { echo "env: $*" >&2; exit 1; }

find_python310() {
  local want
  want="$(cat "$root/.python-version")"
  if command -v pyenv >/dev/null 2>&1 && pyenv prefix "$want" >/dev/null 2>&1; then
    echo "$(pyenv prefix "$want")/bin/python3.10"; return
  fi
  for candidate in python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do
    if command -v "$candidate" >/dev/null 2>&1; then command -v "$candidate"; return; fi
  done
  return 1
}

python310="$(find_python310)" || die "Python 3.10 is missing (Rasa 3.6 needs >=3.8,<3.11): install it, e.g. 'pyenv install 3.10.13'"

uv="$cache/tools/bin/uv"
if [[ ! -x "$uv" ]] || [[ "$("$uv" --version 2>/dev/null)" != "uv $uv_version"* ]]; then
  mkdir -p "$cache"
  "$python310" -m venv "$cache/tools" >&2
  "$cache/tools/bin/pip" install --quiet "uv==$uv_version" >&2
fi

lock_hash="$(cat "$root/uv.lock" "$root/.python-version" | sha256sum | cut -c1-16)"
venv="$cache/venv-$lock_hash"
if [[ ! -f "$venv/.complete" ]]; then
  echo "env: building $venv (first time for this lock file; torch makes this take minutes)" >&2
  rm -rf "$venv"
  (cd "$root" && UV_PROJECT_ENVIRONMENT="$venv" "$uv" sync --frozen --python "$python310" \
      --no-install-project --group dev) >&2
  touch "$venv/.complete"
fi

# Our packages (bot, actions) are installed editable from *this* clone; the
# cached venv may have been built from another checkout, so re-point it.
marker="$venv/.project-root"
if [[ "$(cat "$marker" 2>/dev/null)" != "$root" ]]; then
  VIRTUAL_ENV="$venv" "$uv" pip install --quiet --no-deps --python "$venv/bin/python" -e "$root" >&2
  echo "$root" > "$marker"
fi

echo "$venv"
