#!/usr/bin/env bash
# Build the site from content/ into site/ (or, with "serve", preview it on http://127.0.0.1:8000,
# rebuilding when a file under content/ changes). Sets itself up on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh site
case "${1:-build}" in
  build) exec .venv/bin/python -m generator build "${@:2}" ;;
  serve) exec .venv/bin/python -m generator serve "${@:2}" ;;
  *) echo "usage: scripts/build.sh [build|serve]" >&2; exit 2 ;;
esac
