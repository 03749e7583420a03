#!/usr/bin/env bash
# Peak resident memory of loading documents into the model, next to parsing
# them into a serde_json::Value (the floor). Usage: scripts/bench-memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p specgate-spec --example peak_memory
bin=target/release/examples/peak_memory
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gunzip -c tests/corpus/github/api.github.com.json.gz > "$tmp/github.json"
gunzip -c tests/corpus/kubernetes/swagger-1.13.json.gz > "$tmp/kubernetes.json"
cp spec/openapi/chatwoot.json "$tmp/chatwoot.json"
printf '%-12s %14s %14s %7s\n' document "value (KiB)" "model (KiB)" ratio
for doc in github kubernetes chatwoot; do
  value=$("$bin" value "$tmp/$doc.json" | awk '{print $2}')
  model=$("$bin" model "$tmp/$doc.json" | awk '{print $2}')
  ratio=$(awk -v m="$model" -v v="$value" 'BEGIN { printf "%.2f", m / v }')
  printf '%-12s %14s %14s %7s\n' "$doc" "$value" "$model" "$ratio"
done
