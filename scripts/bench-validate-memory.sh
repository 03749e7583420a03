#!/usr/bin/env bash
# Peak memory of `specgate validate` (or `specgate drift --suggest`)
# streaming a 1 GB JSON Lines file, then a 1 GB HAR file, of realistic
# list-conversations exchanges (about 60 KB each) on all cores.
# Usage: scripts/bench-validate-memory.sh [RECORDS] [validate|drift]
#   (default 17,000 ≈ 1 GB, validate)
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-17000}
command=${2:-validate}
case "$command" in
  validate) extra=() ;;
  drift) extra=(--suggest /dev/null) ;;
  *) echo "usage: $0 [RECORDS] [validate|drift]" >&2; exit 2 ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build -q --release --bin specgate -p specgate
# Writes the exchanges to FILE (JSON Lines, or HAR for `.har`), validates
# it and prints the time and peak memory.
measure() {
  local file=$1 what=$2
  cargo run -q --release -p specgate-validator --example recordings -- "$records" "$file"
  echo "input: $records $what, $(($(stat -c %s "$file") / 1000000)) MB"
  /usr/bin/time -v target/release/specgate "$command" --spec spec/openapi/chatwoot.json \
    "$file" --format json --output "$work/report.json" "${extra[@]}" 2> "$work/time.txt" || true
  grep -E "Elapsed|Maximum resident" "$work/time.txt"
  echo "records checked: $(grep -o '"records": [0-9]*' "$work/report.json")"
  rm "$file"
}
measure "$work/traffic.jsonl" records
# The same exchanges as one HAR file: its entries are read one at a time.
measure "$work/traffic.har" "HAR entries"
