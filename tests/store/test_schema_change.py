"""Users add event types and roles by editing the schema; a bad schema or one the
existing annotations do not fit is refused with the file and the place, changing nothing."""

from __future__ import annotations

import json

from annotator.cli import main
from annotator.core.records import ArgumentRecord
from annotator.paths import resources_dir
from annotator.store.events import Frame, add_frame
from annotator.store.project import Project
from annotator.store.queries import document_text, list_documents
from annotator.store.spans import add_span


def default_schema():
    return json.loads((resources_dir() / "schema.json").read_text(encoding="utf-8"))


def test_adding_an_event_type_and_a_claim_role(tmp_path, capsys):
    project = tmp_path / "p.annotator"
    assert main(["init", str(project)]) == 0
    schema = default_schema()
    schema["event_types"].append({"name": "PROTEST", "key": "p", "roles": [
        {"name": "protester", "labels": ["PERSON", "ORG"]}, {"name": "size", "labels": ["FIGURE"]}]})
    schema["claim_roles"].append({"name": "source_figure", "labels": ["FIGURE"]})
    new = tmp_path / "schema.json"
    new.write_text(json.dumps(schema), encoding="utf-8")
    assert main(["schema", str(project), "--set", str(new)]) == 0
    with Project.open(project, readonly=True) as p:
        assert p.schema.event_role("PROTEST", "size").labels == ("FIGURE",)
        assert p.schema.claim_role("source_figure") is not None
    capsys.readouterr()
    assert main(["schema", str(project)]) == 0
    assert '"PROTEST"' in capsys.readouterr().out


def test_a_schema_error_names_the_file_and_the_place(tmp_path, capsys):
    project = tmp_path / "p.annotator"
    main(["init", str(project), "--empty"])
    schema = default_schema()
    schema["event_types"][1]["roles"][0]["labels"] = ["ORGANISATION"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(schema), encoding="utf-8")
    capsys.readouterr()
    assert main(["schema", str(project), "--set", str(bad)]) == 1
    assert f"{bad}: $.event_types[1].roles[0].labels[0]: unknown label 'ORGANISATION'" in capsys.readouterr().err


def test_removing_a_type_in_use_is_refused(tmp_path, capsys):
    path = tmp_path / "p.annotator"
    main(["init", str(path)])
    with Project.open(path) as project:
        with project.read() as conn:
            doc = list_documents(conn)[4]
            text = document_text(conn, doc.id)
        start = text.index("Mircea")
        person = add_span(project, doc.id, "ana", start, start + 6, "PERSON").result.uid
        met = text.index("met")
        add_frame(project, Frame("event", "", doc.id, "ana", "MEETING", met, met + 3,
                                 (ArgumentRecord("participant", person),)))
        before = project.meta("schema")
    schema = default_schema()
    schema["event_types"] = [et for et in schema["event_types"] if et["name"] != "MEETING"]
    new = tmp_path / "fewer.json"
    new.write_text(json.dumps(schema), encoding="utf-8")
    capsys.readouterr()
    assert main(["schema", str(path), "--set", str(new)]) == 1
    assert "1 MEETING event(s), a type the schema lacks" in capsys.readouterr().err
    with Project.open(path, readonly=True) as project:
        assert project.meta("schema") == before
