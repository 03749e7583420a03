#!/usr/bin/env bash
# `specgate inspect --format json` of a document against the floor of plain
# serde_json parsing the same file into a `Value`, as whole processes pinned
# to one core (taskset), medians of eleven runs each, taken in turn. Two
# floors, as in bench-validate-speed.sh: plain serde_json
# (scripts/serde-floor) and serde_json as the workspace builds it
# (`preserve_order`).
# Usage: scripts/bench-inspect-speed.sh [DOCUMENT]   (default: GitHub's, 13 MB)
set -euo pipefail
cd "$(dirname "$0")/.."
document=${1:-../shared/specs/github/api.github.com.json}
if [ ! -f "$document" ]; then
  # A fresh clone without ../shared: the gzipped copy the tests use.
  document=$(mktemp --suffix=.json)
  gunzip -c tests/corpus/github/api.github.com.json.gz > "$document"
fi
runs=11
cargo build -q --release --bin specgate -p specgate
cargo build -q --release -p specgate-validator --example serde_floor
cargo build -q --release --manifest-path scripts/serde-floor/Cargo.toml --target-dir target/serde-floor
cat "$document" > /dev/null
echo "document: $document, $(($(stat -c %s "$document") / 1000)) KB"
declare -A commands=(
  [floor-plain]="target/serde-floor/release/serde-floor --document $document"
  [floor-workspace]="target/release/examples/serde_floor --document $document"
  [specgate]="target/release/specgate inspect --format json --spec $document"
)
declare -A times
for run in $(seq 1 $runs); do
  for name in floor-plain floor-workspace specgate; do
    start=$(date +%s%N)
    taskset -c 0 ${commands[$name]} > /dev/null
    end=$(date +%s%N)
    times[$name]+="$(( (end - start) / 1000 )) "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A medians
for name in floor-plain floor-workspace specgate; do
  medians[$name]=$(echo "${times[$name]}" | median)
  printf '%-16s %7.1f ms\n' "$name" "$(echo "${medians[$name]} / 1000" | bc -l)"
done
for floor in floor-plain floor-workspace; do
  printf 'specgate inspect takes %.2fx the time of %s\n' \
    "$(echo "${medians[specgate]} / ${medians[$floor]}" | bc -l)" "$floor"
done
