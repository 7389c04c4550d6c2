"""Labels, event types and roles a gold JSONL import uses that the project's schema lacks:
added with keys and colours and listed in the summary, or refused with --strict (unless
--add-labels)."""

import orjson
import pytest

from annotator.core.errors import AnnotatorError
from annotator.formats.validate import validate_bytes
from annotator.importer import import_paths
from annotator.store.project import Project
from annotator.store.records_out import iter_records
from tests.conftest import dump

TEXT = "Protesters led by Ana Ruiz marched in Madrid on Tuesday, the union said."


def span(sid, part, label):
    start = TEXT.index(part)
    return {"id": sid, "start": start, "end": start + len(part), "label": label, "text": part}


def trigger(word):
    return {"start": TEXT.index(word), "end": TEXT.index(word) + len(word), "text": word}


def write(path):
    rec = {"id": "d1", "lang": "en", "text": TEXT, "annotator": "ana", "status": "done",
           "spans": [span("s1", "Ana Ruiz", "PERSON"), span("s2", "Madrid", "GPE"), span("s3", "the union", "ORG")],
           "events": [{"id": "e1", "type": "PROTEST", "trigger": trigger("marched"),
                       "arguments": [{"role": "leader", "span": "s1"}, {"role": "place", "span": "s2"}]},
                      {"id": "e2", "type": "STATEMENT", "trigger": trigger("said"),
                       "arguments": [{"role": "speaker", "span": "s3"}, {"role": "topic", "span": "s2"}]}],
           "claims": [{"id": "c1", "start": 0, "end": len(TEXT) - 1, "text": TEXT[:-1],
                       "arguments": [{"role": "claimant", "span": "s3"}, {"role": "where", "span": "s2"}]}]}
    path.write_bytes(orjson.dumps(rec) + b"\n")
    return path


def test_what_the_schema_lacks_is_added_with_keys_and_listed(empty_project, tmp_path):
    path = write(tmp_path / "protest.jsonl")
    report = import_paths(empty_project, [path])
    assert report.notes[-1] == (f"{empty_project.path}: added to the schema: GPE (key 5), event type PROTEST "
                                "(key 6), role leader of PROTEST (PERSON), role place of PROTEST (GPE), role topic of "
                                "STATEMENT (GPE), claim role where (GPE)")
    with Project.open(empty_project.path, readonly=True) as reopened:
        schema = reopened.schema
        gpe = schema.label("GPE")
        assert gpe is not None and gpe.key == "5" and gpe.colour.startswith("#")
        assert [r.name for r in schema.event_type("PROTEST").roles] == ["leader", "place"]
        assert schema.claim_role("where").labels == ("GPE",)
        with reopened.read() as conn:
            [rec] = list(iter_records(conn, annotator="ana"))
    assert [e.type for e in rec.events] == ["PROTEST", "STATEMENT"] and len(rec.claims) == 1


def test_strict_refuses_them_and_writes_nothing_unless_add_labels(empty_project, tmp_path):
    path = write(tmp_path / "protest.jsonl")
    before = dump(empty_project.path)
    with pytest.raises(AnnotatorError, match=r"line 1: \$\.spans\[1\]\.label: 'GPE' is not a label of the schema"):
        import_paths(empty_project, [path], strict=True)
    assert dump(empty_project.path) == before
    import_paths(empty_project, [path], strict=True, add_labels=True)
    assert empty_project.schema.event_type("PROTEST") is not None


def test_a_role_the_schema_declares_for_other_labels_is_still_refused(empty_project, tmp_path):
    path = write(tmp_path / "protest.jsonl")
    rec = orjson.loads(path.read_bytes())
    rec["events"][1]["arguments"][0]["span"] = "s2"  # speaker of a STATEMENT takes PERSON or ORG, not GPE
    path.write_bytes(orjson.dumps(rec) + b"\n")
    before = dump(empty_project.path)
    with pytest.raises(AnnotatorError, match=r"\$\.events\[1\]\.arguments\[0\]: role 'speaker' does not accept a GPE"):
        import_paths(empty_project, [path])
    assert dump(empty_project.path) == before


def test_validate_says_what_import_adds_and_refuses_it_with_strict(empty_project, tmp_path):
    data = write(tmp_path / "protest.jsonl").read_bytes()
    count, findings = validate_bytes(data, empty_project.schema, grow_schema=True)
    assert count == 1 and [(f.line, f.warning) for f in findings] == [(1, True)]
    assert findings[0].message.startswith("not in the schema: GPE (key 5), event type PROTEST (key 6), ")
    strict = validate_bytes(data, empty_project.schema, strict=True, grow_schema=True)[1]
    assert [(f.line, f.warning) for f in strict] == [(1, False)]
