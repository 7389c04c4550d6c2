"""`annotator import` and `annotator validate` on bad input, as a user runs them: one line
naming the file and the place, exit status 1, warnings counted, --strict on both."""

import os
import subprocess
import sys
from pathlib import Path

import orjson

ANNOTATOR = Path(sys.executable).with_name("annotator")


def sh(*args):
    return subprocess.run([str(ANNOTATOR), *map(str, args)], capture_output=True, text=True, timeout=120)


def test_unknown_keys_warn_then_strict_refuses_and_the_summary_counts_them(tmp_path):
    project = tmp_path / "p.annotator"
    assert sh("init", project, "--empty").returncode == 0
    gold = tmp_path / "extra.jsonl"
    gold.write_bytes(orjson.dumps({"id": "d", "lang": "en", "text": "NATO met.", "colour": "red"}) + b"\n")
    for command in (("validate", gold, "--strict"), ("import", project, gold, "--strict")):
        strict = sh(*command)
        assert strict.returncode == 1 and "Traceback" not in strict.stderr
        assert f"{gold}: line 1: " in strict.stderr and "$.colour: unknown key" in strict.stderr
    checked = sh("validate", gold)
    assert checked.returncode == 0 and f"{gold}: line 1: warning: $.colour: unknown key" in checked.stderr
    assert "1 record(s), 0 bad; 1 warning(s)" in checked.stderr
    imported = sh("import", project, gold)
    assert imported.returncode == 0
    assert imported.stderr.splitlines() == [
        f"{gold}: line 1: warning: $.colour: unknown key, not part of gold JSONL (ignored)",
        "imported 1 document(s), 0 layer(s); 0 duplicate(s) skipped; 1 warning(s)"]


def test_constraint_text_and_fifos_never_reach_the_user(tmp_path):
    project = tmp_path / "p.annotator"
    assert sh("init", project, "--empty").returncode == 0
    gold = tmp_path / "self-link.jsonl"
    gold.write_bytes(orjson.dumps({
        "id": "d", "lang": "en", "text": "NATO met.", "annotator": "ana",
        "spans": [{"id": "s1", "start": 0, "end": 4, "label": "ORG"}],
        "links": [{"span": "s1", "target_doc": "d", "target_span": "s1"}]}) + b"\n")
    result = sh("import", project, gold)
    assert result.returncode == 1
    assert result.stderr == f"annotator: {gold}: line 1: $.links[0]: links span 's1' to itself\n"
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for command in (("import", project, fifo), ("validate", fifo)):
        result = sh(*command)  # a FIFO opened for reading would block until the timeout
        assert result.returncode == 1
        assert result.stderr == f"annotator: {fifo}: is a FIFO, not a file: import reads regular files and folders\n"
