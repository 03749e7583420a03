#!/usr/bin/env bash
# Peak memory of `specgate validate` streaming a 1 GB JSON Lines file, then a
# 1 GB HAR file, of realistic list-conversations exchanges (about 60 KB
# each) on all cores.
# Usage: scripts/bench-validate-memory.sh [RECORDS]   (default 17,000 ≈ 1 GB)
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-17000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build -q --release --bin specgate -p specgate
cargo run -q --release -p specgate-validator --example recordings -- "$records" "$work/traffic.jsonl"
size=$(stat -c %s "$work/traffic.jsonl")
echo "input: $records records, $((size / 1000000)) MB"
/usr/bin/time -v target/release/specgate validate --spec spec/openapi/chatwoot.json \
  "$work/traffic.jsonl" --format json --output "$work/report.json" 2> "$work/time.txt" || true
grep -E "Elapsed|Maximum resident" "$work/time.txt"
echo "records checked: $(grep -o '"records": [0-9]*' "$work/report.json")"

# The same exchanges as one HAR file: its entries are read one at a time.
cargo run -q --release -p specgate-validator --example recordings -- "$records" "$work/traffic.har"
rm "$work/traffic.jsonl"
size=$(stat -c %s "$work/traffic.har")
echo "input: $records HAR entries, $((size / 1000000)) MB"
/usr/bin/time -v target/release/specgate validate --spec spec/openapi/chatwoot.json \
  "$work/traffic.har" --format json --output "$work/report.json" 2> "$work/time.txt" || true
grep -E "Elapsed|Maximum resident" "$work/time.txt"
echo "records checked: $(grep -o '"records": [0-9]*' "$work/report.json")"
