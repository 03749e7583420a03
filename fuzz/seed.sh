#!/usr/bin/env bash
# Seeds the fuzz corpora from the test documents (small ones: the fuzzer
# works best on inputs of a few kilobytes) and the multi-file fixtures.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/load_bytes corpus/load_files
for gz in ../tests/corpus/oai/*/*.gz ../tests/corpus/apisguru/*.gz ../tests/corpus/apisguru/*/*.gz; do
  size=$(gzip -l "$gz" | awk 'NR==2 {print $2}')
  [ "$size" -lt 40000 ] || continue
  name=$(basename "$gz" .gz)
  case "$name" in *.json) prefix='\x00' ;; *) prefix='\x01' ;; esac
  { printf "$prefix"; gunzip -c "$gz"; } > "corpus/load_bytes/$name"
done
fixtures=../tests/fixtures/refs
{ cat "$fixtures/api.yaml"; printf '\0'; cat "$fixtures/common/responses.yaml"; printf '\0';
  cat "$fixtures/schemas/owner.json"; printf '\0'; cat "$fixtures/schemas/pet.yaml"; } > corpus/load_files/refs
printf 'openapi: 3.1.0\npaths:\n  /a:\n    $ref: b.yaml#/P\n\0P:\n  get:\n    responses:\n      "200": {$ref: "c.json#/R"}\n\0{"R": {"description": "x", "content": {"a/b": {"schema": {"$ref": "sub/d.yaml#/S"}}}}}\0S: {type: object, properties: {s: {$ref: "../c.json#/R"}}}\n' > corpus/load_files/chain
ls corpus/load_bytes | wc -l
