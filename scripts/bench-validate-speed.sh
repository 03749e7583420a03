#!/usr/bin/env bash
# `specgate validate` against the floor of plain serde_json parsing the same
# JSON Lines records and their bodies, as whole processes pinned to one core
# (taskset), medians of five runs each, taken in turn so that both see the
# same machine. Two floors: plain serde_json (default features, system
# allocator: scripts/serde-floor), and serde_json as every specgate crate
# builds it (`preserve_order`, system allocator: the validator's
# `serde_floor` example).
# Usage: scripts/bench-validate-speed.sh [RECORDS]   (default 5,100 ≈ 300 MB)
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-5100}
runs=5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build -q --release --bin specgate -p specgate
cargo build -q --release -p specgate-validator --example serde_floor --example recordings
cargo build -q --release --manifest-path scripts/serde-floor/Cargo.toml --target-dir target/serde-floor
file="$work/traffic.jsonl"
target/release/examples/recordings "$records" "$file"
echo "input: $records list-conversations exchanges, $(($(stat -c %s "$file") / 1000000)) MB"
cat "$file" > /dev/null # in the page cache for every run
declare -A commands=(
  [floor-plain]="target/serde-floor/release/serde-floor $file"
  [floor-workspace]="target/release/examples/serde_floor $file"
  [specgate]="target/release/specgate validate --spec spec/openapi/chatwoot.json $file"
)
declare -A times
for run in $(seq 1 $runs); do
  for name in floor-plain floor-workspace specgate; do
    seconds=$( { /usr/bin/time -f %e taskset -c 0 ${commands[$name]} > /dev/null; } 2>&1 | tail -1)
    times[$name]+="$seconds "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mb=$(($(stat -c %s "$file") / 1000000))
declare -A medians
for name in floor-plain floor-workspace specgate; do
  medians[$name]=$(echo "${times[$name]}" | median)
  printf '%-16s %6.2f s (runs: %s) %6.0f MB/s\n' "$name" "${medians[$name]}" "${times[$name]% }" \
    "$(echo "$mb / ${medians[$name]}" | bc -l)"
done
for floor in floor-plain floor-workspace; do
  printf 'specgate validate runs at %.2fx the speed of %s\n' \
    "$(echo "${medians[$floor]} / ${medians[specgate]}" | bc -l)" "$floor"
done
