#!/usr/bin/env bash
# Loading GitHub's document (about 12 MB) into the model, as a whole
# process: time (median of several runs) and peak memory of this tree's
# loader next to a base revision's (default: the parent of the first commit
# of 2020-12 reference resolution) and the floor, parsing the same bytes
# into a serde_json::Value. Both loaders are built from their own source,
# in one run, on one machine.
#   scripts/bench-load.sh [BASE-REV]
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-5dcc332}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/base" > /dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach -q "$work/base" "$base"
cargo build --release -q -p specgate-spec --example peak_memory
cp target/release/examples/peak_memory "$work/peak_memory-head"
# The base builds in its own target folder, beside this one's, so neither
# rebuilds the other's.
CARGO_TARGET_DIR=target/bench-base cargo build --release -q -p specgate-spec --example peak_memory \
  --manifest-path "$work/base/Cargo.toml"
cp target/bench-base/release/examples/peak_memory "$work/peak_memory-base"
gunzip -c tests/corpus/github/api.github.com.json.gz > "$work/github.json"
runs=7
source scripts/measure.sh
echo "GitHub's document, $(($(stat -c %s "$work/github.json") / 1000000)) MB"
measure "floor (serde_json::Value)" "$work/peak_memory-head" value "$work/github.json"
measure "model, base ($base)" "$work/peak_memory-base" model "$work/github.json"
measure "model, this tree" "$work/peak_memory-head" model "$work/github.json"
