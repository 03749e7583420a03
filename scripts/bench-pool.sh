#!/usr/bin/env bash
# The pool of validators on a real nats-server (JetStream, file storage in
# a temporary folder), in one run: `validate` of a file (the floor), then
# the same records published to a stream and checked by one worker, and
# published to another stream and checked by two workers at once, and the
# merge of the results; each as a whole process (wall time, and peak
# memory of a worker). The records are the embedded Chatwoot recordings
# repeated (each line its own entry, so none is a duplicate). On a 2-core
# machine the workers share the cores with nats-server.
#   scripts/bench-pool.sh [RECORDS]     (default 30000)
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-30000}
work=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
if ! command -v nats-server >/dev/null && [ ! -x /usr/sbin/nats-server ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server >/dev/null
fi
nats=$(command -v nats-server || echo /usr/sbin/nats-server)
cargo build -q --release --bin specgate -p specgate
bin=target/release/specgate
lines=$(wc -l < validator/recordings/chatwoot.jsonl)
for _ in $(seq 1 $(( (records + lines - 1) / lines ))); do
  cat validator/recordings/chatwoot.jsonl
done | head -n "$records" > "$work/records.jsonl"
port=14299
"$nats" -js -a 127.0.0.1 -p "$port" -sd "$work/store" > "$work/nats.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done
url=nats://127.0.0.1:$port
runs=1
source scripts/measure.sh
echo "$records records ($(($(stat -c %s "$work/records.jsonl") / 1000000)) MB); $(nproc) cores shared with nats-server"
measure "validate FILE (the floor)" "$bin" validate --format json "$work/records.jsonl"
measure "publish (stream one)" "$bin" publish --to "$url/one" "$work/records.jsonl"
measure "one worker" "$bin" validate --from "$url/one" --until-empty
measure "publish (stream two)" "$bin" publish --to "$url/two" "$work/records.jsonl"
started=$(date +%s%N)
"$bin" validate --from "$url/two" --until-empty > /dev/null 2>&1 &
first=$!
"$bin" validate --from "$url/two" --until-empty > /dev/null 2>&1
wait "$first"
awk -v ns=$(( $(date +%s%N) - started )) 'BEGIN { printf "%-34s %6.2f s\n", "two workers, together", ns / 1e9 }' 
measure "report --from (the merge)" "$bin" report --from "$url/one" --format json
# Both exit 1 (the recordings have findings): compare what they wrote.
"$bin" report --from "$url/one" --format json > "$work/merged.json" || true
"$bin" validate --format json "$work/records.jsonl" > "$work/validated.json" || true
if cmp -s "$work/merged.json" "$work/validated.json"; then
  echo "the merged report is the same as validate's"
else
  echo "the merged report differs from validate's"
fi
