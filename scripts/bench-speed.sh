#!/usr/bin/env bash
# specgate against the floor of plain serde_json doing the least the same
# job needs, as whole processes pinned to one core (taskset), medians of
# several runs taken in turn so that all see the same machine. Two floors:
# plain serde_json (scripts/serde-floor: default features, the system
# allocator) and serde_json as every specgate crate builds it
# (`preserve_order`, the system allocator: the validator's `serde_floor`
# example).
#
#   scripts/bench-speed.sh validate [RECORDS]   `specgate validate` of RECORDS
#       list-conversations exchanges (default 5,100, about 300 MB of JSON
#       Lines), against parsing each record and its body into a `Value`.
#   scripts/bench-speed.sh drift [RECORDS]      `specgate drift --suggest` of the
#       same exchanges, beside `specgate validate` of them and the floors:
#       drift must stream at validation speed.
#   scripts/bench-speed.sh inspect [DOCUMENT]   `specgate inspect --format
#       json` (default GitHub's document, 13 MB), against parsing it.
set -euo pipefail
cd "$(dirname "$0")/.."
job=${1:-validate}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build -q --release --bin specgate -p specgate
cargo build -q --release -p specgate-validator --example serde_floor --example recordings
cargo build -q --release --manifest-path scripts/serde-floor/Cargo.toml --target-dir target/serde-floor
case "$job" in
  validate)
    runs=5
    input="$work/traffic.jsonl"
    target/release/examples/recordings "${2:-5100}" "$input"
    floor_args=("$input")
    specgate_args=(validate --spec spec/openapi/chatwoot.json "$input")
    ;;
  drift)
    runs=5
    input="$work/traffic.jsonl"
    target/release/examples/recordings "${2:-5100}" "$input"
    floor_args=("$input")
    specgate_args=(drift --spec spec/openapi/chatwoot.json "$input" --suggest "$work/patch.json")
    # The job drift embeds, on the same input, in the same runs.
    compare_args=(validate --spec spec/openapi/chatwoot.json "$input")
    ;;
  inspect)
    runs=11
    input=${2:-../shared/specs/github/api.github.com.json}
    if [ ! -f "$input" ]; then
      # A fresh clone without ../shared: the gzipped copy the tests use.
      gunzip -c tests/corpus/github/api.github.com.json.gz > "$work/github.json"
      input="$work/github.json"
    fi
    floor_args=(--document "$input")
    specgate_args=(inspect --format json --spec "$input")
    ;;
  *) echo "usage: $0 validate [RECORDS] | drift [RECORDS] | inspect [DOCUMENT]" >&2; exit 2 ;;
esac
cat "$input" > /dev/null # in the page cache for every run
echo "$job: $input, $(($(stat -c %s "$input") / 1000000)) MB, $runs runs each"
declare -A times
run() {
  local name=$1; shift
  local start end
  start=$(date +%s%N)
  taskset -c 0 "$@" > /dev/null
  end=$(date +%s%N)
  times[$name]+="$(( (end - start) / 1000000 )) "
}
for _ in $(seq 1 "$runs"); do
  run floor-plain target/serde-floor/release/serde-floor "${floor_args[@]}"
  run floor-workspace target/release/examples/serde_floor "${floor_args[@]}"
  run specgate target/release/specgate "${specgate_args[@]}" || true
  if [ -n "${compare_args+x}" ]; then
    run specgate-validate target/release/specgate "${compare_args[@]}" || true
  fi
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A medians
names=(floor-plain floor-workspace specgate)
[ -n "${compare_args+x}" ] && names+=(specgate-validate)
for name in "${names[@]}"; do
  medians[$name]=$(echo "${times[$name]}" | median)
  printf '%-16s %6d ms  (runs: %s)\n' "$name" "${medians[$name]}" "${times[$name]% }"
done
floors=(floor-plain floor-workspace)
[ -n "${compare_args+x}" ] && floors+=(specgate-validate)
for floor in "${floors[@]}"; do
  printf 'specgate %s runs at %.2fx the speed of %s\n' "$job" \
    "$(echo "${medians[$floor]} / ${medians[specgate]}" | bc -l)" "$floor"
done
