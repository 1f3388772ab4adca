#!/usr/bin/env bash
# Fetch plotly.js's cartesian partial bundle from the npm registry into generator/assets/vendor/.
# Usage: ./scripts/vendor-plotly.sh 4.1.1   — then put the printed sha256 in generator/assets/vendor/README.md.
set -euo pipefail
version="${1:?usage: $0 VERSION}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "plotly.js-cartesian-dist-min@${version}" >/dev/null   # npm checks the registry's integrity hash
tar xzf plotly.js-cartesian-dist-min-*.tgz
cp package/plotly-cartesian.min.js "$root/generator/assets/vendor/plotly-cartesian.min.js"
cp package/LICENSE "$root/generator/assets/vendor/plotly-cartesian.LICENSE"
sha256sum "$root/generator/assets/vendor/plotly-cartesian.min.js"
