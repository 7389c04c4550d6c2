"""`annotator import --annotator NAME`: the layer of records that name no annotator (the
Prodigy and spaCy convention) is NAME, by default the file's stem, said in the summary;
`validate` accepts the same records and says how import will name them."""

import subprocess
import sys
from pathlib import Path

import orjson

ANNOTATOR = Path(sys.executable).with_name("annotator")
TEXT = "NATO's Deputy Secretary General met the EU Special Representative in Brussels on Tuesday."


def sh(*args):
    return subprocess.run([str(ANNOTATOR), *map(str, args)], capture_output=True, text=True, timeout=120)


def layers(project) -> list[tuple[str, str | None, int]]:
    out = sh("export", project)
    assert out.returncode == 0, out.stderr
    recs = [orjson.loads(line) for line in out.stdout.splitlines()]
    return sorted((r["id"], r.get("annotator"), len(r.get("spans", []))) for r in recs)


def write(path: Path, *records) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def test_a_layer_without_annotator_is_named_after_the_file_or_as_asked(tmp_path):
    project = tmp_path / "p.annotator"
    assert sh("init", project, "--empty").returncode == 0
    spans = [{"id": "s1", "start": 0, "end": 4, "label": "ORG"}]
    anonymous = write(tmp_path / "model_run.jsonl", {"id": "d1", "lang": "en", "text": TEXT, "spans": spans},
                      {"id": "d2", "lang": "en", "text": TEXT + " Again.", "annotator": "ana", "spans": spans})
    checked = sh("validate", anonymous)
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr.splitlines() == [
        f"{anonymous}: 1 record(s) with annotations name no annotator (line(s) 1): import puts their layer in "
        "'model_run' (the file's name; --annotator NAME names it otherwise)",
        f"{anonymous}: 2 record(s), 0 bad; 0 warning(s)"]
    imported = sh("import", project, anonymous)
    assert imported.returncode == 0, imported.stderr
    assert (f"{anonymous}: 1 record(s) with annotations name no annotator (line(s) 1): their layer is 'model_run' "
            "(the file's name; --annotator NAME names it otherwise)") in imported.stderr.splitlines()
    assert layers(project) == [("d1", "model_run", 1), ("d2", "ana", 1)]

    again = write(tmp_path / "again.jsonl", {"id": "d1", "lang": "en", "text": TEXT, "spans": spans})
    named = sh("import", project, again, "--annotator", "bob", "--strict")  # a chosen name is no warning
    assert named.returncode == 0, named.stderr
    assert (f"{again}: 1 record(s) with annotations name no annotator (line(s) 1): their layer is 'bob' "
            "(as --annotator says)") in named.stderr.splitlines()
    assert layers(project) == [("d1", "bob", 1), ("d1", "model_run", 1), ("d2", "ana", 1)]


def test_a_document_without_annotations_gets_no_layer(tmp_path):
    project = tmp_path / "p.annotator"
    assert sh("init", project, "--empty").returncode == 0
    plain = write(tmp_path / "plain.jsonl", {"id": "d1", "lang": "en", "text": TEXT})
    imported = sh("import", project, plain)
    assert imported.returncode == 0 and "name no annotator" not in imported.stderr
    assert layers(project) == [("d1", None, 0)]
