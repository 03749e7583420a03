# Sourced by the bench scripts: `measure NAME COMMAND...` runs COMMAND
# $runs times and prints the median wall time and the peak resident memory.
# The last run's standard output is left in "$work/out".
measure() {
  local name=$1; shift
  local times=() peak=0
  for _ in $(seq 1 "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/out" 2>/dev/null || true
    read -r seconds kb < <(tail -n 1 "$work/time") # after "Command exited with non-zero status"
    times+=("$seconds")
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-34s %6s s  %5d MB peak  (runs: %s)\n' "$name" "$median" $((peak / 1024)) "${times[*]}"
}
