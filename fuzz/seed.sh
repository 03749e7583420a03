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

# `validate`: the embedded Chatwoot document with its recordings, and small
# corpus documents each with a few exchanges for its own paths.
mkdir -p corpus/validate
{ printf '\x01'; cat ../validator/recordings/chatwoot.jsonl; } > corpus/validate/chatwoot
python3 - <<'PY'
import glob, gzip, json, os, re
for path in sorted(glob.glob('../tests/corpus/**/*.json.gz', recursive=True)):
    with gzip.open(path, 'rb') as f:
        text = f.read()
    if len(text) > 30000:
        continue
    try:
        doc = json.loads(text)
    except ValueError:
        continue
    records = []
    for template, item in list((doc.get('paths') or {}).items())[:4]:
        if not isinstance(item, dict):
            continue
        for method, operation in item.items():
            if not isinstance(operation, dict) or 'responses' not in operation:
                continue
            url = re.sub(r'\{[^}]*\}', '1', template) + '?page=2'
            status = next((k for k in operation['responses'] if k.isdigit()), '200')
            records.append(json.dumps({
                'request': {'method': method.upper(), 'url': url,
                            'headers': {'content-type': 'application/json'}, 'body': '{"a": 1}'},
                'response': {'status': int(status), 'headers': {'content-type': 'application/json'},
                             'body': '{"id": 1, "items": [{"name": "x"}]}'}}))
    if not records:
        continue
    name = os.path.basename(path)[:-3]
    with open(os.path.join('corpus/validate', name), 'wb') as out:
        out.write(b'\x00' + text + b'\x00' + '\n'.join(records).encode())
PY
ls corpus/validate | wc -l

# `references`: each JSON Schema Test Suite group (the fixture of
# validator/tests/json_schema_suite.rs) as its schema, an empty second
# file, and the group's test data, one per line.
mkdir -p corpus/references
python3 - <<'PY'
import gzip, json, os
with gzip.open('../validator/tests/fixtures/json-schema-suite.json.gz', 'rt') as f:
    suite = json.load(f)
count = 0
for file in suite['files']:
    for group in file['groups']:
        lines = '\n'.join(json.dumps(t['data']) for t in group['tests'])
        count += 1
        with open(os.path.join('corpus/references', f'{count:04}'), 'wb') as out:
            out.write(json.dumps(group['schema']).encode() + b'\0{}\0' + lines.encode())
PY
ls corpus/references | wc -l

# `proxy`: requests as clients and attackers send them.
mkdir -p corpus/proxy
printf 'GET /api/v1/accounts/1/conversations?page=2 HTTP/1.1\r\nHost: x\r\n\r\n' > corpus/proxy/get
printf 'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello' > corpus/proxy/post
printf 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n' > corpus/proxy/chunked
printf 'GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n' > corpus/proxy/pipelined
printf 'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n' > corpus/proxy/smuggle
printf 'OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n' > corpus/proxy/asterisk
printf 'GET /../admin HTTP/1.1\r\nHost: x\r\n\r\n' > corpus/proxy/dots
ls corpus/proxy | wc -l
