"""An export carries what a new project needs to read it back (issue 13): `export -o OUT`
writes the project's schema to OUT.schema.json and names it in each record's "schema" key;
`init --empty` then `import` restores the labels, event types and roles with their colours
and keys, with no --add-labels and no `schema --set`. Each line stays one document record
that pandas and Hugging Face `datasets` read as is."""

from __future__ import annotations

import json

import datasets
import jsonschema
import orjson
import pandas
import pytest

from annotator.cli import main
from annotator.store.project import Project
from tests.conftest import TRICKY, dump

# The default schema (what `init --empty` gives) plus what an old project had added to it.
EXTRA = {
    "labels": [{"name": "LOC", "key": "5", "colour": "#123456", "description": "A place"},
               {"name": "WEAPON", "key": "w", "colour": "#abcdef", "description": ""}],
    "event_types": [{"name": "ATTACK", "key": "a", "roles": [{"name": "target", "labels": ["LOC", "ORG"]},
                                                             {"name": "instrument", "labels": ["WEAPON"]}]}],
    "meeting_role": {"name": "place", "labels": ["LOC"]},
}
TEXT = f"Ana met Bo in Paris.\r\n{TRICKY['bengali']} 😀 {TRICKY['vi_nfd']}\r\nRockets hit Kyiv."


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def old_project(tmp_path, capsys):
    """A project whose schema grew beyond the default, with annotations that need it."""
    project = tmp_path / "old.annotator"
    assert run(capsys, "init", project, "--empty")[0] == 0
    schema = json.loads(run(capsys, "schema", project)[1])
    schema["labels"] += EXTRA["labels"]
    schema["event_types"].append(EXTRA["event_types"][0])
    schema["event_types"][0]["roles"].append(EXTRA["meeting_role"])  # MEETING
    (tmp_path / "grown.json").write_text(json.dumps(schema), encoding="utf-8")
    assert run(capsys, "schema", project, "--set", tmp_path / "grown.json")[0] == 0
    paris, kyiv, rockets = TEXT.index("Paris"), TEXT.index("Kyiv"), TEXT.index("Rockets")
    record = {"id": "doc1", "lang": "en", "text": TEXT, "annotator": "ana", "status": "done", "spans": [
        {"id": "s1", "start": 0, "end": 3, "label": "PERSON", "text": "Ana"},
        {"id": "s2", "start": paris, "end": paris + 5, "label": "LOC", "text": "Paris"},
        {"id": "s3", "start": kyiv, "end": kyiv + 4, "label": "LOC", "text": "Kyiv"},
        {"id": "s4", "start": rockets, "end": rockets + 7, "label": "WEAPON", "text": "Rockets"}],
        "events": [{"id": "e1", "type": "ATTACK", "trigger": {"start": rockets + 8, "end": rockets + 11},
                    "arguments": [{"role": "target", "span": "s3"}, {"role": "instrument", "span": "s4"}]},
                   {"id": "e2", "type": "MEETING", "trigger": {"start": 4, "end": 7},
                    "arguments": [{"role": "participant", "span": "s1"}, {"role": "place", "span": "s2"}]}]}
    (tmp_path / "in.jsonl").write_bytes(orjson.dumps(record) + b"\n")
    code, _, err = run(capsys, "import", project, tmp_path / "in.jsonl")
    assert code == 0, err
    return project, schema


def test_an_export_imports_into_a_new_empty_project_with_its_schema(tmp_path, capsys):
    # Fails before: the import refused "label(s) not in the project's schema" (or an
    # unknown key "schema"), and the schema had to be copied over by hand.
    project, schema = old_project(tmp_path, capsys)
    out = tmp_path / "gold.jsonl"
    code, _, err = run(capsys, "export", project, "-o", out)
    assert code == 0 and f"its schema to {tmp_path / 'gold.jsonl.schema.json'}" in err
    assert json.loads((tmp_path / "gold.jsonl.schema.json").read_text(encoding="utf-8")) == schema
    assert all(orjson.loads(line)["schema"] == "gold.jsonl.schema.json" for line in out.read_bytes().splitlines())

    new = tmp_path / "new.annotator"
    assert run(capsys, "init", new, "--empty")[0] == 0
    code, _, err = run(capsys, "import", new, out)
    assert code == 0, err
    assert ("added to the schema from the schema it carries: label LOC (key 5, #123456); label WEAPON (key w, "
            "#abcdef); role MEETING.place (LOC); event type ATTACK (key a; roles target, instrument)") in err
    assert json.loads(run(capsys, "schema", new)[1]) == schema  # colours, keys, roles: all of it
    again = tmp_path / "again.jsonl"
    assert run(capsys, "export", new, "-o", again)[0] == 0
    assert again.read_bytes() == out.read_bytes().replace(b'"gold.jsonl.schema.json"', b'"again.jsonl.schema.json"')
    # A second import into the same project adds nothing and says nothing about the schema.
    code, _, err = run(capsys, "import", new, out)
    assert code == 0 and "schema it carries" not in err and "imported 0 document(s)" in err


def test_validate_and_the_gold_json_schema_accept_the_key(tmp_path, capsys):
    from annotator.paths import resources_dir

    project, _ = old_project(tmp_path, capsys)
    out = tmp_path / "gold.jsonl"
    assert run(capsys, "export", project, "-o", out)[0] == 0
    code, _, err = run(capsys, "validate", out, "--strict")  # checked against the schema it carries
    assert code == 0 and "1 record(s), 0 bad; 0 warning(s)" in err
    code, _, err = run(capsys, "validate", out, "--schema", tmp_path / "grown.json")
    assert code == 0
    # A schema named on the command line is the one checked against: what it lacks is what an
    # import would add (a warning), refused with --strict.
    code, _, err = run(capsys, "validate", out, "--schema", resources_dir() / "schema.json")
    assert code == 0 and "LOC" in err
    code, _, err = run(capsys, "validate", out, "--schema", resources_dir() / "schema.json", "--strict")
    assert code == 1 and "LOC" in err
    gold = json.loads((resources_dir() / "gold.schema.json").read_text(encoding="utf-8"))
    for line in out.read_bytes().splitlines():
        jsonschema.validate(orjson.loads(line), gold)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**orjson.loads(line), "schema": "../elsewhere.json"}, gold)


def test_strict_refuses_to_grow_the_schema_and_writes_nothing(tmp_path, capsys):
    project, _ = old_project(tmp_path, capsys)
    out = tmp_path / "gold.jsonl"
    assert run(capsys, "export", project, "-o", out)[0] == 0
    new = tmp_path / "new.annotator"
    assert run(capsys, "init", new, "--empty")[0] == 0
    before = dump(new)
    code, _, err = run(capsys, "import", new, out, "--strict")
    assert code == 1 and err.count("\n") == 1
    assert err.startswith(f"annotator: {out}: the schema it carries adds to the project's: label LOC")
    assert dump(new) == before


def test_a_key_the_new_project_uses_is_replaced_and_said(tmp_path, capsys):
    project, schema = old_project(tmp_path, capsys)
    out = tmp_path / "gold.jsonl"
    assert run(capsys, "export", project, "-o", out)[0] == 0
    own = {"version": 1, "labels": [{"name": "PERSON", "key": "1", "colour": "#000000"},
                                    {"name": "GPE", "key": "5", "colour": "#111111"}]}
    (tmp_path / "own.json").write_text(json.dumps(own), encoding="utf-8")
    new = tmp_path / "new.annotator"
    assert run(capsys, "init", new, "--empty", "--schema", tmp_path / "own.json")[0] == 0
    code, _, err = run(capsys, "import", new, out)
    assert code == 0, err
    assert "label LOC (key 6, as 5 is taken in this project, #123456)" in err
    with Project.open(new, readonly=True) as p:
        got = p.schema
    assert got.label("PERSON").colour == "#000000" and got.label("GPE").key == "5"  # the project's own kept
    assert got.label("ORG").colour == "#fdae6b" and got.event_type("ATTACK").key == "a"


@pytest.mark.parametrize("change, message", [
    # A line without the key: read against the project's schema, which --strict keeps as it is
    # (without it, what the project lacks is added, as for any file: tests/formats/test_schema_growth.py).
    (lambda d: d.pop("schema") and d, None),
    (lambda d: {**d, "schema": "../gold.jsonl.schema.json"}, "is not a file name"),
    (lambda d: {**d, "schema": "gone.json"}, "no file gone.json beside it"),
])
def test_bad_references_are_one_line_naming_the_file_and_line(tmp_path, capsys, change, message):
    project, _ = old_project(tmp_path, capsys)
    out = tmp_path / "gold.jsonl"
    assert run(capsys, "export", project, "-o", out)[0] == 0
    record = change(orjson.loads(out.read_bytes()))
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(orjson.dumps(record) + b"\n")
    new = tmp_path / "new.annotator"
    assert run(capsys, "init", new, "--empty")[0] == 0
    before = dump(new)
    code, _, err = run(capsys, "import", new, bad, *(("--strict",) if message is None else ()))
    assert code == 1 and err.count("\n") == 1 and dump(new) == before
    if message is None:
        assert err.endswith("line 1: $.spans[1].label: 'LOC' is not a label of the schema\n")
    else:
        assert err.startswith(f"annotator: {bad}: line 1: $.schema: ") and message in err


def test_the_lines_of_one_file_name_one_schema(tmp_path, capsys):
    project, _ = old_project(tmp_path, capsys)
    out = tmp_path / "gold.jsonl"
    assert run(capsys, "export", project, "-o", out)[0] == 0
    (tmp_path / "other.json").write_bytes((tmp_path / "gold.jsonl.schema.json").read_bytes())
    first = orjson.loads(out.read_bytes())
    second = {**first, "id": "doc2", "schema": "other.json"}
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_bytes(orjson.dumps(first) + b"\n" + orjson.dumps(second) + b"\n")
    code, _, err = run(capsys, "validate", mixed)
    assert code == 1 and "line 2: $.schema: 'other.json', but line 1 names 'gold.jsonl.schema.json'" in err
    third = {k: v for k, v in first.items() if k != "schema"} | {"id": "doc3"}
    mixed.write_bytes(orjson.dumps(first) + b"\n" + orjson.dumps(third) + b"\n")
    code, _, err = run(capsys, "validate", mixed)
    assert code == 1 and "line 2: $.schema: none, but line 1 names 'gold.jsonl.schema.json'" in err


def test_pandas_and_datasets_read_each_line_as_one_document(tmp_path, capsys, monkeypatch):
    # pandas comes with datasets (the dev extra); local files only, nothing fetched.
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    assert run(capsys, "init", tmp_path / "seeded.annotator")[0] == 0  # five documents, no layer
    project, _ = old_project(tmp_path, capsys)
    out = tmp_path / "gold.jsonl"
    assert run(capsys, "export", project, "-o", out)[0] == 0
    seeds = tmp_path / "seeds.jsonl"
    assert run(capsys, "export", tmp_path / "seeded.annotator", "-o", seeds)[0] == 0
    for file, n in ((out, 1), (seeds, 5)):
        frame = pandas.read_json(file, lines=True, dtype=False)
        assert len(frame) == n and set(frame["schema"]) == {f"{file.name}.schema.json"}
        table = datasets.load_dataset("json", data_files=str(file), split="train", cache_dir=str(tmp_path / "hf"))
        assert table.num_rows == n and table["text"] == [orjson.loads(x)["text"] for x in file.read_bytes().splitlines()]
        assert table["schema"] == [f"{file.name}.schema.json"] * n
    table = datasets.load_dataset("json", data_files=str(out), split="train", cache_dir=str(tmp_path / "hf"))
    record = orjson.loads(out.read_bytes())
    assert table[0]["spans"] == record["spans"] and table[0]["events"] == record["events"]
