#!/usr/bin/env python3
"""Writes validator/tests/fixtures/json-schema-suite.json.gz: the JSON Schema
Test Suite's draft 2020-12 tests (the required ones and optional/format),
compacted, for validator/tests/json_schema_suite.rs.

    scripts/json-schema-suite.py PATH-TO-JSON-Schema-Test-Suite

PATH is a checkout of github.com/json-schema-org/JSON-Schema-Test-Suite (a
bare clone works: files are read with `git show`). Run it again to move to
a newer commit of the suite, and review the test's known failures."""
import gzip, json, os, subprocess, sys

def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    repo = sys.argv[1]
    git = ["git", "--git-dir", os.path.join(repo, ".git") if os.path.isdir(os.path.join(repo, ".git")) else repo]
    commit = subprocess.check_output(git + ["rev-parse", "HEAD"], text=True).strip()
    names = subprocess.check_output(git + ["ls-tree", "-r", "--name-only", "HEAD", "tests/draft2020-12/"], text=True).split()
    wanted = [n for n in names if n.endswith(".json") and ("/optional/" not in n or "/optional/format/" in n)]
    files = []
    for name in sorted(wanted):
        groups = json.loads(subprocess.check_output(git + ["show", f"HEAD:{name}"]))
        files.append({"file": name.removeprefix("tests/draft2020-12/"), "groups": groups})
    out = {"suite": "JSON-Schema-Test-Suite", "commit": commit, "files": files}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "validator", "tests", "fixtures", "json-schema-suite.json.gz")
    with gzip.open(path, "wt", compresslevel=9) as fh:
        json.dump(out, fh, separators=(",", ":"), sort_keys=True)
    tests = sum(len(g["tests"]) for f in files for g in f["groups"])
    print(f"{len(files)} files, {tests} tests, commit {commit}")

main()
