"""Label Studio relations (issue 14): a result of type `relation` (from_id, to_id,
direction, labels; the shape Label Studio exports for a <Relations> tag,
https://labelstud.io/tags/relations and https://labelstud.io/guide/task_format) is a
typed relation between the spans of its two regions, read and written; what does not
fit is counted."""

from __future__ import annotations

import orjson

from annotator.core.records import DocumentRecord, RelationRecord, SpanRecord, layer_signature
from annotator.core.schema import parse_schema
from annotator.exporter import ExportChoice, export
from annotator.formats import labelstudio
from annotator.importer import import_paths
from annotator.store.project import Project
from annotator.store.records_out import iter_records

SCHEMA_TEXT = orjson.dumps({
    "version": 1, "labels": [{"name": n, "key": k, "colour": "#336699"} for n, k in (("PER", "1"), ("ORG", "2"))],
    "relations": [{"type": "member_of", "directed": True, "pairs": [["PER", "ORG"]]}]}).decode()
SCHEMA = parse_schema(SCHEMA_TEXT, "schema.json")
TEXT = "😀 Ana of NATO met Bob of the EU."


def region(rid: str, needle: str, *labels: str) -> dict:
    start = TEXT.index(needle)
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": start + len(needle), "text": needle, "labels": list(labels)}}


def task(*links: dict) -> list[dict]:
    result = [region("ana", "Ana", "PER"), region("nato", "NATO", "ORG"), region("bob", "Bob", "PER"),
              region("eu", "EU", "ORG"), region("both", "Bob of the EU", "PER", "ORG"), *links]
    return [{"id": 1, "data": {"text": TEXT}, "annotations": [{"id": 3, "completed_by": 7, "result": result}]}]


def rel(a: str, b: str, *labels: str, direction: str = "right") -> dict:
    return {"from_id": a, "to_id": b, "type": "relation", "direction": direction, "labels": list(labels)}


def read(tmp_path, tasks, schema=SCHEMA):
    path = tmp_path / "ls.json"
    path.write_bytes(orjson.dumps(tasks))
    return labelstudio.read(path, path.read_bytes(), schema=schema)


def named(rec: DocumentRecord) -> list[tuple[str, str, str]]:
    text = {s.id: s.text for s in rec.spans}
    return [(r.type, text[r.from_span], text[r.to_span]) for r in rec.relations]


def test_relations_are_read_between_the_spans_of_their_regions(tmp_path):
    out = read(tmp_path, task(rel("ana", "nato", "member_of"), rel("eu", "bob", "member_of", direction="left")))
    [(_w, rec)] = out.records
    assert named(rec) == [("member_of", "Ana", "NATO"), ("member_of", "Bob", "EU")]
    assert out.left_out == []


def test_relations_that_do_not_fit_are_counted(tmp_path):
    out = read(tmp_path, task(rel("ana", "nato"),  # no label
                              rel("ana", "both", "member_of"),  # a region of two labels: two spans
                              rel("nato", "ana", "member_of"),  # ORG -> PER: a pair the schema refuses
                              rel("ana", "eu", "located_in"),  # not a relation of the schema
                              rel("ana", "gone", "member_of")))  # no such region
    [(_w, rec)] = out.records
    assert rec.relations == ()
    assert out.left_out == ["5 relation(s) between regions (type relation) not between two regions of one label, "
                            "without a label, or of a type or pair the project's schema does not declare"]
    assert len(read(tmp_path, task(rel("nato", "ana", "member_of")), schema=None).records[0][1].relations) == 1


def test_relations_are_written_and_read_back_and_the_exporter_does_not_count_them(tmp_path):
    def span(sid, needle, label):
        start = TEXT.index(needle)
        return SpanRecord(sid, start, start + len(needle), label, needle)

    rec = DocumentRecord(id="d", lang="en", text=TEXT, annotator="ana", status="done",
                         spans=(span("s1", "Ana", "PER"), span("s2", "NATO", "ORG"), span("s3", "Bob", "PER"),
                                span("s4", "EU", "ORG")),
                         relations=(RelationRecord("r1", "member_of", "s1", "s2"),
                                    RelationRecord("r2", "member_of", "s3", "s4")))
    path = tmp_path / "in.jsonl"
    from annotator.formats import gold_jsonl

    path.write_bytes(gold_jsonl.dumps(rec))
    with Project.create(tmp_path / "p.annotator", schema_text=SCHEMA_TEXT) as project:
        import_paths(project, [path])
        summary = export(project, ExportChoice(tmp_path / "out.json", fmt="labelstudio"))
        assert summary.left_out == []
        written = orjson.loads((tmp_path / "out.json").read_bytes())
        results = written[0]["annotations"][0]["result"]
        links = [r for r in results if r["type"] == "relation"]
        assert links == [{"from_id": "a0r0", "to_id": "a0r1", "type": "relation", "direction": "right",
                          "labels": ["member_of"]},
                         {"from_id": "a0r2", "to_id": "a0r3", "type": "relation", "direction": "right",
                          "labels": ["member_of"]}]
        back = labelstudio.read(tmp_path / "out.json", (tmp_path / "out.json").read_bytes(), schema=SCHEMA)
        assert back.left_out == []
        assert layer_signature(back.records[0][1]) == layer_signature(rec)
        # through a second project: the relations are stored and exported again, the same bytes
        with Project.create(tmp_path / "q.annotator", schema_text=SCHEMA_TEXT) as second:
            assert import_paths(second, [tmp_path / "out.json"]).warnings == []
            with second.read() as conn:
                [stored] = [r for r in iter_records(conn) if r.has_layer]
            assert named(stored) == [("member_of", "Ana", "NATO"), ("member_of", "Bob", "EU")]
            export(second, ExportChoice(tmp_path / "again.json", fmt="labelstudio"))
    again = orjson.loads((tmp_path / "again.json").read_bytes())
    assert again[0]["annotations"] == written[0]["annotations"]  # (the task's data gain a title and a source)
