#!/usr/bin/env bash
# What `specgate proxy --publish` costs the traffic (issue 25): in one run,
# the same binary as two proxies in front of the same upstream, one plain
# and one publishing every exchange to a real nats-server (JetStream, file
# storage in a temporary folder), measured with wrk at one connection and
# at ten, alternating between the two, ROUNDS times each: requests per
# second, p50 and p99, for the 44 KB list-conversations page of
# validator/live/examples/upstream.rs. Then the publishing proxy is stopped
# and its own summary shows how many exchanges it published and dropped.
# wrk, upstream, both proxies and nats-server share this machine's cores.
#
#   scripts/bench-publish.sh [SECONDS] [ROUNDS]     (default 10 s, 2 rounds)
#
# SPECGATE=PATH measures that binary instead of building this tree's.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
rounds=${2:-2}
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v wrk >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
if ! command -v nats-server >/dev/null && [ ! -x /usr/sbin/nats-server ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server >/dev/null
fi
nats=$(command -v nats-server || echo /usr/sbin/nats-server)
bin=${SPECGATE:-target/release/specgate}
[ -n "${SPECGATE:-}" ] || cargo build -q --release --bin specgate -p specgate
cargo build -q --release -p specgate-live --example upstream

spec=spec/openapi/chatwoot.json
path=/api/v1/accounts/3/conversations?status=open
up=127.0.0.1:18180 plain=18887 publishing=18888 nats_port=14399

wait_for() { # PORT
  for _ in $(seq 1 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2; exit 1
}

target/release/examples/upstream "$up" >/dev/null &
pids+=($!); wait_for 18180
"$nats" -js -a 127.0.0.1 -p "$nats_port" -sd "$work/store" >"$work/nats.log" 2>&1 &
pids+=($!); wait_for "$nats_port"
# The stream, made before the proxy would make it: specgate's own refuses
# new exchanges once it holds 1 GiB (about 20,000 of these), and nothing
# here consumes them; this one drops the oldest instead, as if workers kept
# up, so every exchange of the run is stored.
config='{"name":"bench","subjects":["specgate.bench.exchanges"],"storage":"file","max_bytes":1073741824,"discard":"old","duplicate_window":600000000000}'
exec 3<>"/dev/tcp/127.0.0.1/$nats_port"
printf 'CONNECT {"verbose":false}\r\nSUB made 1\r\nPUB $JS.API.STREAM.CREATE.bench made %d\r\n%s\r\n' \
  "${#config}" "$config" >&3
made=$(timeout 5 grep -m1 stream_create_response <&3) || made='"error": "no answer"'
case $made in *'"error"'*) echo "cannot make the stream: $made" >&2; exit 1 ;; esac
exec 3<&-
proxy() { # PORT LOG [ARGS...]
  local port=$1 log=$2; shift 2
  "$bin" proxy --spec "$spec" --upstream "http://$up" --listen "127.0.0.1:$port" \
    --quiet --format json --output /dev/null "$@" 2>"$log" &
}
proxy "$plain" "$work/plain.log"
plain_pid=$!; pids+=($plain_pid); wait_for "$plain"
proxy "$publishing" "$work/publishing.log" --publish "nats://127.0.0.1:$nats_port/bench"
publishing_pid=$!; pids+=($publishing_pid); wait_for "$publishing"

# One wrk run: "requests p50_ms p99_ms".
measure() { # CONNECTIONS PORT
  local threads=$(( $1 < 2 ? 1 : 2 ))
  wrk -t"$threads" -c"$1" -d"${seconds}s" --latency -H 'api_access_token: bench-token' \
    "http://127.0.0.1:$2$path" >"$work/wrk.txt"
  awk -v seconds="$seconds" '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /requests in/ { requests = $1 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    END { printf "%d %.3f %.3f\n", requests, p50, p99 }' "$work/wrk.txt"
}

echo "GET $path, 44 KB JSON; ${seconds} s per run, $rounds rounds, alternating; $(nproc) cores shared by wrk, upstream, proxies and nats-server"
printf '%5s %-10s %12s %9s %9s\n' conns mode requests/s p50_ms p99_ms
sent=0
declare -A runs
for conns in 1 10; do
  for round in $(seq 1 "$rounds"); do
    for mode in plain publish; do
      port=$([ "$mode" = plain ] && echo "$plain" || echo "$publishing")
      read -r requests p50 p99 < <(measure "$conns" "$port")
      [ "$mode" = publish ] && sent=$((sent + requests))
      runs[$conns,$mode]+="$((requests / seconds)) $p50 $p99;"
      printf '%5s %-10s %12s %9s %9s   (round %s)\n' "$conns" "$mode" "$((requests / seconds))" "$p50" "$p99" "$round"
      sleep 1 # the publisher catches up before the next run
    done
  done
done

echo
echo "medians over the rounds, and publish against plain:"
printf '%5s %-10s %12s %9s %9s\n' conns mode requests/s p50_ms p99_ms
for conns in 1 10; do
  for mode in plain publish; do
    read -r rps p50 p99 < <(tr ';' '\n' <<<"${runs[$conns,$mode]}" | awk 'NF {
        r[NR] = $1; a[NR] = $2; b[NR] = $3; n = NR }
      function median(v, k, i, j, t) {
        for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
        return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2 }
      END { printf "%.0f %.3f %.3f\n", median(r, n), median(a, n), median(b, n) }')
    printf '%5s %-10s %12s %9s %9s' "$conns" "$mode" "$rps" "$p50" "$p99"
    if [ "$mode" = plain ]; then
      base=("$rps" "$p50" "$p99"); echo
    else
      awk -v r="$rps" -v a="$p50" -v b="$p99" -v R="${base[0]}" -v A="${base[1]}" -v B="${base[2]}" \
        'BEGIN { printf "   (%+.1f%% requests/s, %+.1f%% p50, %+.1f%% p99)\n", 100*(r/R-1), 100*(a/A-1), 100*(b/B-1) }'
    fi
  done
done

kill -TERM "$publishing_pid"; wait "$publishing_pid" 2>/dev/null || true
echo
echo "wrk completed $sent requests through the publishing proxy; its own account:"
grep '^specgate proxy: [0-9]' "$work/publishing.log"
