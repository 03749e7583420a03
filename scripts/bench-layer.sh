#!/usr/bin/env bash
# The tower layer on an axum service (examples/chatwoot-service), in one
# run beside the same service without the layer: requests per second and
# latency (p50, p99) from wrk at one connection and at ten, for the 44 KB
# list-conversations page and an empty account's page (112 bytes), in
# report mode (both halves checked off the request's path) and enforce
# mode (both halves read whole and checked on it). Then start-up with
# GitHub's document: building the layer next to loading the document
# alone. wrk, the service and its checking thread share this machine.
#
#   scripts/bench-layer.sh [SECONDS]     each measurement's length (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
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
cargo build -q --release -p chatwoot-service
cargo build -q --release -p specgate-tower --example startup

wait_for() { # PORT
  for _ in $(seq 1 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2; exit 1
}

port=18900
for mode in none report enforce; do
  port=$((port + 1))
  target/release/chatwoot-service "127.0.0.1:$port" "$mode" 2>"$work/$mode.log" &
  pids+=($!); wait_for "$port"
  eval "port_$mode=$port"
done

# One wrk run: "requests/s p50_ms p99_ms".
measure() { # CONNECTIONS URL
  local threads=$(( $1 < 2 ? 1 : 2 ))
  wrk -t"$threads" -c"$1" -d"${seconds}s" --latency -H 'api_access_token: bench-token' "$2" >"$work/wrk.txt"
  awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    END { printf "%.0f %.3f %.3f\n", rps, p50, p99 }' "$work/wrk.txt"
}

list=/api/v1/accounts/3/conversations?status=open
small=/api/v1/accounts/3/conversations?page=2
echo "${seconds} s each; $(nproc) cores shared by wrk and the service"
printf '%-14s %-8s %5s %12s %9s %9s %10s %12s\n' page layer conns requests/s p50_ms p99_ms "x none" "added p50"
for page in list small; do
  path=${!page}
  for conns in 1 10; do
    read -r n_rps n_p50 n_p99 < <(measure "$conns" "http://127.0.0.1:$port_none$path")
    printf '%-14s %-8s %5s %12s %9s %9s %10s %12s\n' "$page" none "$conns" "$n_rps" "$n_p50" "$n_p99" 1.000 -
    for mode in report enforce; do
      p=port_$mode
      read -r rps p50 p99 < <(measure "$conns" "http://127.0.0.1:${!p}$path")
      ratio=$(awk -v a="$rps" -v b="$n_rps" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
      added=$(awk -v a="$p50" -v b="$n_p50" 'BEGIN { printf "%.3f", a - b }')
      printf '%-14s %-8s %5s %12s %9s %9s %10s %12s\n' "$page" "$mode" "$conns" "$rps" "$p50" "$p99" "$ratio" "$added"
    done
  done
done

echo
# The floor of what enforce mode adds: one parse of the page it reads.
curl -s -H 'api_access_token: t' "http://127.0.0.1:$port_none$list" > "$work/page.json"
target/release/examples/startup parse "$work/page.json"
echo
gunzip -c tests/corpus/github/api.github.com.json.gz > "$work/github.json"
runs=3
source scripts/measure.sh
echo "start-up with GitHub's document ($(($(stat -c %s "$work/github.json") / 1000000)) MB)"
measure "load the document (floor)" target/release/examples/startup load "$work/github.json"
measure "build the layer" target/release/examples/startup layer "$work/github.json"
