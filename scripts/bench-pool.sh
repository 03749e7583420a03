#!/usr/bin/env bash
# The pool of validators on a real nats-server (JetStream, file storage in
# a temporary folder), in one run: `validate` of a file (the floor), then
# the same records published to a stream and checked by one worker, and
# published to another stream and checked by two workers at once, and the
# merge of the results; each as a whole process (wall time, and peak
# memory of a worker). Records (each line its own entry, so none is a
# duplicate) are either `small`: the embedded Chatwoot recordings repeated
# (2 KB on average), or `page`: the 44 KB list-conversations page the
# proxy benchmark serves, recorded through `specgate proxy --record`. On a
# 2-core machine the workers share the cores with nats-server.
#   scripts/bench-pool.sh [RECORDS] [small|page]     (default 30000 small)
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-30000}
kind=${2:-small}
work=$(mktemp -d)
server=
upstream=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  [ -n "$upstream" ] && kill "$upstream" 2>/dev/null || true
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
wait_for() { # PORT
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2; exit 1
}
case "$kind" in
  small)
    lines=$(wc -l < validator/recordings/chatwoot.jsonl)
    for _ in $(seq 1 $(( (records + lines - 1) / lines ))); do
      cat validator/recordings/chatwoot.jsonl
    done | head -n "$records" > "$work/records.jsonl"
    ;;
  page)
    cargo build -q --release -p specgate-live --example upstream
    target/release/examples/upstream 127.0.0.1:14280 >/dev/null &
    upstream=$!
    wait_for 14280
    "$bin" proxy --upstream http://127.0.0.1:14280 --listen 127.0.0.1:14281 --quiet \
      --record "$work/one.jsonl" >/dev/null 2>&1 &
    proxy=$!
    wait_for 14281
    curl -s -H 'api_access_token: bench-token' \
      'http://127.0.0.1:14281/api/v1/accounts/3/conversations?status=open' >/dev/null
    kill -TERM "$proxy"; wait "$proxy" || true
    awk -v n="$records" 'NR == 1 { for (i = 0; i < n; i++) print }' "$work/one.jsonl" \
      > "$work/records.jsonl"
    ;;
  *) echo "usage: scripts/bench-pool.sh [RECORDS] [small|page]" >&2; exit 2 ;;
esac
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
# A worker checks on one thread: the floor on one core too.
measure "validate FILE, one core" taskset -c 0 "$bin" validate --format json "$work/records.jsonl"
measure "publish (stream one)" "$bin" publish --to "$url/one" "$work/records.jsonl"
measure "one worker" "$bin" validate --from "$url/one" --until-empty
measure "publish (stream two)" "$bin" publish --to "$url/two" "$work/records.jsonl"
together() { # NAME STREAM [CORE_OF_FIRST CORE_OF_SECOND]
  local started first
  started=$(date +%s%N)
  if [ $# -eq 4 ]; then
    taskset -c "$3" "$bin" validate --from "$url/$2" --until-empty > /dev/null 2>&1 &
    first=$!
    taskset -c "$4" "$bin" validate --from "$url/$2" --until-empty > /dev/null 2>&1
  else
    "$bin" validate --from "$url/$2" --until-empty > /dev/null 2>&1 &
    first=$!
    "$bin" validate --from "$url/$2" --until-empty > /dev/null 2>&1
  fi
  wait "$first"
  awk -v ns=$(( $(date +%s%N) - started )) -v name="$1" \
    'BEGIN { printf "%-34s %6.2f s\n", name, ns / 1e9 }'
}
together "two workers, together" two
# A worker takes, stores and acknowledges on one thread and checks on
# another, so one alone already uses both cores here: one core each shows
# what a second core gives (nats-server still shares them).
"$bin" publish --to "$url/three" "$work/records.jsonl" > /dev/null 2>&1
"$bin" publish --to "$url/four" "$work/records.jsonl" > /dev/null 2>&1
measure "one worker, one core" taskset -c 0 "$bin" validate --from "$url/three" --until-empty
together "two workers, one core each" four 0 1
measure "report --from (the merge)" "$bin" report --from "$url/one" --format json
# Both exit 1 (the recordings have findings): compare what they wrote.
"$bin" report --from "$url/one" --format json > "$work/merged.json" || true
"$bin" validate --format json "$work/records.jsonl" > "$work/validated.json" || true
if cmp -s "$work/merged.json" "$work/validated.json"; then
  echo "the merged report is the same as validate's"
else
  echo "the merged report differs from validate's"
fi
