import orjson
import pytest

from annotator.cli import main
from annotator.paths import seeds_dir


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_init_import_export_validate_stats(tmp_path, capsys, new_location):
    project = new_location()
    assert run(capsys, "init", project)[0] == 0
    code, out, err = run(capsys, "export", project)
    records = [orjson.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["lang"] for r in records] == ["bn", "vi", "fr", "sr", "en"]
    assert {r["group"] for r in records if r["lang"] in ("vi", "fr", "en")} == {"nato-eu-kosovo-2023-06"}
    assert records[0]["group"] is None and records[3]["group"] is None
    out_file = tmp_path / "gold.jsonl"
    assert run(capsys, "export", project, "-o", out_file)[0] == 0
    # A file export names the schema written beside it (stdout has no "beside"), nothing else differs.
    assert [orjson.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()] == [
        {**r, "schema": "gold.jsonl.schema.json"} for r in records]
    code, _, err = run(capsys, "validate", out_file)
    assert code == 0 and "5 record(s), 0 bad" in err
    code, out, _ = run(capsys, "stats", project)
    assert code == 0 and "documents: 5" in out and "\nbn\t1\t" in out


def test_reimporting_seeds_reports_duplicates(capsys, new_location):
    project = new_location()
    run(capsys, "init", project)
    code, _, err = run(capsys, "import", project, seeds_dir())
    assert code == 0 and err.count("duplicate of document") == 5 and "imported 0 document(s)" in err


def test_errors_go_to_stderr_with_nonzero_status(tmp_path, capsys, new_location, backend):
    project = new_location()
    run(capsys, "init", project, "--empty")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9")
    code, out, err = run(capsys, "import", project, bad)
    assert code == 1 and out == "" and f"{bad}: byte 3: invalid UTF-8" in err
    code, _, err = run(capsys, "export", tmp_path / "missing.annotator")
    assert code == 1 and "no such project file" in err
    code, _, err = run(capsys, "init", project)
    assert code == 1 and ("already exists" if backend == "sqlite" else "already holds a project") in err


def test_validate_lists_every_bad_line(tmp_path, capsys):
    f = tmp_path / "x.jsonl"
    f.write_text('{"id": "a"}\nnot json\n', encoding="utf-8")
    code, _, err = run(capsys, "validate", f)
    assert code == 1 and f"{f}: line 1:" in err and f"{f}: line 2:" in err and "2 record(s), 2 bad" in err


def test_init_with_a_bad_schema_names_the_place(tmp_path, capsys):
    schema = tmp_path / "s.json"
    schema.write_text('{"labels": [{"name": "X", "key": "1", "colour": "blue"}]}')
    code, _, err = run(capsys, "init", tmp_path / "p.annotator", "--schema", schema)
    assert code == 1 and f"{schema}: $.labels[0].colour" in err
    assert not (tmp_path / "p.annotator").exists()


@pytest.mark.parametrize("command", ["gui", "init", "import", "export", "validate", "stats"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0 and "usage: annotator" in capsys.readouterr().out


def test_validate_refuses_dangling_arguments_and_roles_the_schema_does_not_allow(tmp_path, capsys):
    text = "Geoană met Lajčák on 13 June 2023."
    record = {"id": "d", "lang": "en", "text": text,
              "spans": [{"id": "p", "start": 0, "end": 6, "label": "PERSON", "text": "Geoană"},
                        {"id": "t", "start": 21, "end": 33, "label": "DATE", "text": "13 June 2023"}],
              "events": [{"id": "e", "type": "MEETING", "trigger": {"start": 7, "end": 10, "text": "met"},
                          "arguments": [{"role": "participant", "span": "p"}, {"role": "participant", "span": "t"},
                                        {"role": "time", "span": "nowhere"}]}]}
    f = tmp_path / "e.jsonl"
    f.write_bytes(orjson.dumps(record) + b"\n")
    code, _, err = run(capsys, "validate", f)
    assert code == 1
    assert "$.events[0].arguments[1]: role 'participant' does not accept a DATE span" in err
    assert "$.events[0].arguments[2].span: 'nowhere' is not a span id of this record" in err
