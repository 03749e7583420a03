#!/usr/bin/env bash
# `specgate diff` of two versions of GitHub's document (npm @octokit/openapi
# 22.0.0 against 23.0.2, about 12 MB each) as a whole process: time (median
# of several runs) and peak memory, next to loading the same two documents
# (`specgate inspect` of each, the floor) and, with --redocly, Redocly CLI's
# `diff` of the same pair (npm @redocly/cli@2.77.0, installed in a temporary
# folder).
#   scripts/bench-diff.sh [--redocly]
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build -q --release --bin specgate -p specgate
(cd "$work" && npm pack --silent @octokit/openapi@22.0.0 > /dev/null && tar xzf octokit-openapi-22.0.0.tgz)
old="$work/package/generated/api.github.com.json"
new=../shared/specs/github/api.github.com.json
if [ ! -f "$new" ]; then
  gunzip -c tests/corpus/github/api.github.com.json.gz > "$work/new.json"
  new="$work/new.json"
fi
cat "$old" "$new" > /dev/null # in the page cache for every run
runs=5
source scripts/measure.sh
echo "old: @octokit/openapi 22.0.0 ($(($(stat -c %s "$old") / 1000000)) MB), new: $new ($(($(stat -c %s "$new") / 1000000)) MB)"
measure "load old (inspect)" target/release/specgate inspect --format json --spec "$old"
measure "load new (inspect)" target/release/specgate inspect --format json --spec "$new"
measure "specgate diff" target/release/specgate diff "$old" "$new" --format json
echo "specgate diff: $(grep -o '"breaking": [0-9]*' "$work/out"), $(grep -o '"warning": [0-9]*' "$work/out"), $(grep -o '"info": [0-9]*' "$work/out")"
if [ "${1:-}" = "--redocly" ]; then
  npm install --silent --no-audit --no-fund --prefix "$work/redocly" @redocly/cli@2.77.0 > /dev/null 2>&1
  runs=1
  measure "redocly diff" "$work/redocly/node_modules/.bin/redocly" diff "$old" "$new"
fi
