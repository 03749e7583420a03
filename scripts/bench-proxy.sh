#!/usr/bin/env bash
# `specgate proxy` under load on loopback, in one run beside the same load
# sent to the upstream directly, through nginx (a plain reverse proxy that
# checks nothing: the floor of what a second hop costs here), and through
# Stoplight Prism's and Redocly CLI's validating proxies: requests per second and latency (p50, p99) from wrk, at
# one connection and at ten, for the 44 KB list-conversations page of
# validator/live/examples/upstream.rs. Load generator, upstream and proxy
# share this machine's cores, as they do in the issue's figures.
#
#   scripts/bench-proxy.sh [SECONDS]     each measurement's length (default 10)
#
# Installs what it needs: wrk and nginx (Debian) when missing, Prism and
# Redocly CLI (npm) into a temporary folder (PEERS=DIR reuses an install).
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

if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk nginx-light >/dev/null
fi
peers=${PEERS:-$work/peers}
if [ ! -x "$peers/node_modules/.bin/prism" ] || [ ! -x "$peers/node_modules/.bin/redocly" ]; then
  npm install --silent --no-audit --no-fund --prefix "$peers" \
    @stoplight/prism-cli@5 @redocly/cli@2.77.0 >/dev/null 2>&1
fi
cargo build -q --release --bin specgate -p specgate
cargo build -q --release -p specgate-live --example upstream

spec=spec/openapi/chatwoot.json
path=/api/v1/accounts/3/conversations?status=open
up=127.0.0.1:18080

wait_for() { # PORT
  for _ in $(seq 1 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2; exit 1
}

target/release/examples/upstream "$up" >/dev/null &
pids+=($!); wait_for 18080
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx;
  proxy_temp_path $work/nginx;
  upstream api { server $up; keepalive 32; }
  server {
    listen 127.0.0.1:18790;
    location / { proxy_pass http://api; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
nginx -c "$work/nginx/nginx.conf" &
pids+=($!); wait_for 18790
target/release/specgate proxy --spec "$spec" --upstream "http://$up" --listen 127.0.0.1:18787 \
  --quiet --format json --output "$work/specgate.json" 2>"$work/specgate.log" &
specgate_pid=$!; pids+=($specgate_pid); wait_for 18787
"$peers/node_modules/.bin/prism" proxy -h 127.0.0.1 -p 18788 "$spec" "http://$up" \
  >"$work/prism.log" 2>&1 &
pids+=($!); wait_for 18788
"$peers/node_modules/.bin/redocly" proxy --target "http://$up" --port 18789 --host 127.0.0.1 \
  --har "$work/redocly.har" --api "$spec" >"$work/redocly.log" 2>&1 &
redocly_pid=$!; pids+=($redocly_pid); wait_for 18789

rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$1/status" 2>/dev/null || echo "?"; }

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

echo "GET $path, 44 KB JSON; ${seconds} s each; $(nproc) cores shared by wrk, upstream and proxy"
printf '%-10s %5s %12s %9s %9s %12s %12s %9s\n' target conns requests/s p50_ms p99_ms "x direct" "added p99" "RSS MB"
for conns in 1 10; do
  read -r d_rps d_p50 d_p99 < <(measure "$conns" "http://$up$path")
  printf '%-10s %5s %12s %9s %9s %12s %12s %9s\n' direct "$conns" "$d_rps" "$d_p50" "$d_p99" 1.00 - -
  for target in nginx:18790: specgate:18787:$specgate_pid prism:18788: redocly:18789:$redocly_pid; do
    IFS=: read -r name port pid <<<"$target"
    read -r rps p50 p99 < <(measure "$conns" "http://127.0.0.1:$port$path")
    ratio=$(awk -v a="$rps" -v b="$d_rps" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
    added=$(awk -v a="$p99" -v b="$d_p99" 'BEGIN { printf "%.3f", a - b }')
    memory=$([ -n "$pid" ] && rss "$pid" || echo "-")
    printf '%-10s %5s %12s %9s %9s %12s %12s %9s\n' "$name" "$conns" "$rps" "$p50" "$p99" "$ratio" "$added" "$memory"
  done
done

kill -TERM "$specgate_pid"; wait "$specgate_pid" 2>/dev/null || true
echo
echo "specgate's own account of the run:"
tail -n 1 "$work/specgate.log"
