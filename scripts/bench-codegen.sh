#!/usr/bin/env bash
# The generated crates of GitHub's (12 MB) and DigitalOcean's (1 MB)
# documents, as their users build them: lines of Rust, and the time and
# peak memory of `cargo build` of the crate alone (its dependencies built
# beforehand), from this tree's generator next to a base revision's
# (default: the parent of issue 23's first change). One workspace holds
# the four crates, so every dependency is built once, the same for all.
#   scripts/bench-codegen.sh [BASE-REV]
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-6d2eaff}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/base" > /dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach -q "$work/base" "$base"
cargo build -q --release --bin specgate -p specgate
cp target/release/specgate "$work/specgate-head"
CARGO_TARGET_DIR=target/bench-base cargo build -q --release --bin specgate -p specgate \
  --manifest-path "$work/base/Cargo.toml"
cp target/bench-base/release/specgate "$work/specgate-base"
gunzip -c tests/corpus/github/api.github.com.json.gz > "$work/github.json"
gunzip -c tests/corpus/apisguru/digitalocean.com.json.gz > "$work/digitalocean.json"
members=()
for doc in github digitalocean; do
  for side in base head; do
    "$work/specgate-$side" generate --spec "$work/$doc.json" --out "$work/crates/$side-$doc" \
      --name "$side-$doc" 2> /dev/null
    members+=("\"crates/$side-$doc\"")
  done
done
members_list=$(IFS=,; echo "${members[*]}")
printf '[workspace]\nresolver = "2"\nmembers = [%s]\n\n[profile.dev]\ndebug = 0\nincremental = false\n' \
  "$members_list" > "$work/Cargo.toml"
# Dependencies once, for all four.
(cd "$work" && cargo build -q --workspace 2> /dev/null)
runs=1
source scripts/measure.sh
for doc in github digitalocean; do
  for side in base head; do
    crate="$work/crates/$side-$doc"
    files=$(find "$crate/src" -name '*.rs' | wc -l)
    lines=$(find "$crate/src" -name '*.rs' -exec cat {} + | wc -l)
    types=$(find "$crate/src" -name '*.rs' -exec cat {} + | grep -cE '^ *pub (struct|enum) ' || true)
    echo "$doc, $side ($([ $side = base ] && echo "$base" || echo "this tree")): $files files, $lines lines, $types structs and enums"
    find "$crate/src" -name '*.rs' -exec touch {} +
    measure "  cargo build -p $side-$doc" cargo build -q --manifest-path "$work/Cargo.toml" -p "$side-$doc"
  done
done
