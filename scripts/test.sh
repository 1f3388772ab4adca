#!/usr/bin/env bash
# Run every check: content validation, lint, and the test suite (unit, build and browser tests).
# Sets itself up on a fresh machine (virtual environment, pinned packages, Debian's chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh dev
.venv/bin/python -m generator validate
.venv/bin/ruff check generator tests
exec .venv/bin/python -m pytest "$@"
