#!/usr/bin/env bash
# Generates a crate for every corpus document into one temporary workspace
# and checks them all in one cargo invocation (dependencies build once),
# with warnings denied. Prints one line per document that fails and the
# rate. Usage: scripts/check-generated-corpus.sh [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=${1:-$(mktemp -d)}
mkdir -p "$work/crates" "$work/specs"
cargo build -q --bin specgate
bin=$root/target/debug/specgate
members=()
declare -A source_of
n=0
while IFS= read -r gz; do
  n=$((n + 1))
  rel=${gz#tests/corpus/}
  doc=${rel%.gz}
  spec="$work/specs/$(echo "$doc" | tr '/' '_')"
  gunzip -c "$gz" > "$spec"
  name="corpus-$n"
  if ! "$bin" generate --spec "$spec" --out "$work/crates/$name" --name "$name" 2> "$work/$name.err"; then
    echo "GENERATE FAILED $doc: $(tail -1 "$work/$name.err")"
    continue
  fi
  members+=("\"crates/$name\"")
  source_of[$name]=$doc
done < <(find tests/corpus -name '*.gz' | sort)
{
  echo "[workspace]"
  echo "resolver = \"2\""
  echo "members = [$(IFS=,; echo "${members[*]}")]"
} > "$work/Cargo.toml"
echo "checking ${#members[@]} crates in $work"
start=$(date +%s)
(cd "$work" && RUSTFLAGS="-D warnings" CARGO_TARGET_DIR="$work/target" \
  cargo check --workspace --keep-going --message-format short 2> "$work/check.log") || true
echo "cargo check took $(( $(date +%s) - start )) s"
failed=0
for name in "${!source_of[@]}"; do
  if grep -q "could not compile \`$name\`" "$work/check.log"; then
    failed=$((failed + 1))
    echo "FAILED ${source_of[$name]} ($name): $(grep -m1 "crates/$name/" "$work/check.log" || true)"
  fi
done
total=$n
ok=$(( ${#members[@]} - failed ))
echo "$ok of $total documents generate a crate that checks without warnings"
[ "$ok" -eq "$total" ]
