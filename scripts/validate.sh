#!/usr/bin/env bash
# Check content/ and print every problem as file:line: field: message (with --github: as GitHub annotations).
# Sets itself up on a fresh machine (a virtual environment with the pinned packages). Used by the pull-request
# workflow and by the pre-commit hook.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh site
exec .venv/bin/python -m generator validate "$@"
