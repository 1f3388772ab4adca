#!/usr/bin/env bash
# Set up (once) what building and testing need: a virtual environment with the pinned packages,
# and for the tests, Debian's Chromium and the pinned JavaScript test tools (package-lock.json). Sourced by build.sh and test.sh; safe to run again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want="${1:-site}"   # site | dev
venv="$root/.venv"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  echo "setup: creating a virtual environment in .venv" >&2
  "$python" -m venv "$venv"
fi

req="$root/requirements.txt"
[ "$want" = dev ] && req="$root/requirements-dev.txt"
stamp="$venv/.setup-$want"
digest="$(cat "$req" "$root/requirements.txt" "$root/constraints.txt" "$root/pyproject.toml" | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
  echo "setup: installing pinned packages from $(basename "$req")" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" -c "$root/constraints.txt"
  # The project itself, editable: registers the `evidence-map` MkDocs plugin (pyproject.toml) and runs the code in
  # generator/ as it is. setuptools' build metadata (evidence_map.egg-info) is not needed afterwards.
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e "$root"
  rm -rf "$root/evidence_map.egg-info"
  echo "$digest" > "$stamp"
fi

if [ "$want" = dev ]; then
  # Debian's chromium for the browser tests; node and npm for the test tools in package.json, and Java for vnu.jar.
  sudo_=""
  [ "$(id -u)" -ne 0 ] && sudo_="sudo"
  apt_install() {
    echo "setup: installing Debian packages: $*" >&2
    [ -n "${apt_updated:-}" ] || { $sudo_ apt-get update -qq; apt_updated=1; }
    DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq "$@" >/dev/null
  }
  [ -x /usr/bin/chromium ] || apt_install chromium
  command -v npm >/dev/null 2>&1 || apt_install --no-install-recommends nodejs npm
  command -v java >/dev/null 2>&1 || apt_install --no-install-recommends default-jre-headless  # the Nu HTML Checker
  lock="$root/package-lock.json"
  if ! cmp -s "$lock" "$root/node_modules/.setup-lock" 2>/dev/null; then
    echo "setup: installing the pinned test tools from package-lock.json (npm ci)" >&2
    (cd "$root" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null)
    cp "$lock" "$root/node_modules/.setup-lock"
  fi
fi
