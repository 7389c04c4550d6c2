"""`annotator formats`, `import --format` and `export --format conll` as a user runs them
(issue 13): one line per refusal naming the file, the reason and the formats; what CoNLL
cannot hold counted on stderr."""

import subprocess
import sys
from pathlib import Path

import orjson

ANNOTATOR = Path(sys.executable).with_name("annotator")
SCHEMA = orjson.dumps({"version": 1, "labels": [{"name": "PER", "key": "1", "colour": "#336699"},
                                                {"name": "LOC", "key": "2", "colour": "#993366"}]})


def sh(*args):
    return subprocess.run([str(ANNOTATOR), *map(str, args)], capture_output=True, text=True, timeout=120)


def test_formats_lists_the_registry():
    run = sh("formats")
    assert run.returncode == 0
    rows = [line.split("\t")[:3] for line in run.stdout.splitlines()]
    assert rows == [["jsonl", "read/write", ".jsonl"], ["text", "read", ".txt"],
                    ["conll", "read/write", ".conll .iob .bio .bioes .conll03"], ["brat", "read/write", ".ann"],
                    ["labelstudio", "read/write", ".json"], ["doccano", "read/write", ".jsonl"],
                    ["prodigy", "read/write", ".jsonl"], ["spacy", "read/write", ".spacy"], ["hf", "write", ""]]


def test_conll_in_and_out_and_other_json_refused(tmp_path):
    project, schema = tmp_path / "p.annotator", tmp_path / "schema.json"
    schema.write_bytes(SCHEMA)
    assert sh("init", project, "--empty", "--schema", schema).returncode == 0
    other = tmp_path / "export.json"
    other.write_bytes(orjson.dumps([{"payload": {"text": "Ana"}}]))
    run = sh("import", project, other)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.startswith(f"annotator: {other}: JSON, but not Label Studio tasks")
    assert "supported formats: jsonl, text, conll, brat, labelstudio, doccano, prodigy" in run.stderr
    studio = tmp_path / "studio.json"  # a Label Studio export is read as one
    studio.write_bytes(orjson.dumps([{"data": {"text": "Ana"}, "annotations": []}]))
    assert sh("init", tmp_path / "other.annotator", "--empty").returncode == 0
    run = sh("import", tmp_path / "other.annotator", studio)
    assert run.returncode == 0 and "Label Studio JSON, 1 task(s)" in run.stderr
    source = tmp_path / "ner.txt"  # a CoNLL file by any name, read as CoNLL when asked
    source.write_text("Ana\tB-PER\nvisits\tO\nParis\tB-LOC\n\nBye\tO\n", encoding="utf-8")
    run = sh("import", project, source, "--format", "conll", "--annotator", "ana")
    assert run.returncode == 0, run.stderr
    assert "tags read as IOB2 (seen from the tags); spans in ana's layer" in run.stderr
    assert "imported 1 document(s), 1 layer(s)" in run.stderr
    out = tmp_path / "out.conll"
    run = sh("export", project, "--format", "conll", "--scheme", "bioes", "-o", out)
    assert run.returncode == 0 and out.read_text(encoding="utf-8") == (
        "-DOCSTART-\tO\n\nAna\tS-PER\nvisits\tO\nParis\tS-LOC\n\nBye\tO\n\n")
    gold = tmp_path / "more.jsonl"  # a second layer with a nested span
    gold.write_bytes(orjson.dumps({"id": "ner", "text": "Ana visits Paris\nBye", "annotator": "bo", "spans": [
        {"start": 0, "end": 10, "label": "PER"}, {"start": 4, "end": 10, "label": "LOC"}]}) + b"\n")
    assert sh("import", project, gold).returncode == 0
    run = sh("export", project, "--format", "conll")
    assert run.returncode == 1 and "conll holds one layer per document; name one with --annotator" in run.stderr
    run = sh("export", project, "--format", "conll", "--annotator", "bo")
    assert run.returncode == 0
    assert run.stdout.startswith("-DOCSTART-\tO\n\nAna\tB-PER\nvisits\tI-PER\nParis\tO\n")
    assert run.stderr == ("annotator: conll has no place for 1 span(s) nested in or overlapping another span "
                          "(CoNLL tags one span per token): left out\n")


def test_bad_format_options_are_one_line_each(tmp_path):
    project = tmp_path / "p.annotator"
    assert sh("init", project, "--empty").returncode == 0
    source = tmp_path / "ner.conll"
    source.write_text("Ana\tB-PERSON\n", encoding="utf-8")
    for args, message in (
        (("import", project, source, "--format", "bogus"), "annotator: unknown format 'bogus'; formats: jsonl, text, "
                                                            "conll, brat, labelstudio, doccano, prodigy, spacy, hf "
                                                            "(`annotator formats` lists them)\n"),
        (("import", project, source, "--scheme", "bio"), f"annotator: {source}: unknown tag scheme 'bio'; one of "
                                                         "auto, iob1, iob2, bioes, bilou\n"),
        (("import", project, source, "--column", "0"), f"annotator: {source}: --column 0: columns count from 1\n"),
        (("export", project, "--format", "text"), "annotator: text is a format annotator reads, not writes; "
                                                  "formats that write: jsonl, conll, brat, labelstudio, doccano, "
                                                  "prodigy, spacy, hf\n"),
    ):
        run = sh(*args)
        assert (run.returncode, run.stderr) == (1, message)
