"""An import into a project of few spans loads them with the spans' indexes set aside and
builds them after (store/span_indexes.py): the project it leaves is the one an import
with the indexes in place leaves, and a failed import leaves it as it was."""

import sqlite3

import orjson
import pytest

from annotator import import_reading
from annotator.core.errors import InputError
from annotator.core.records import ArgumentRecord, DocumentRecord, EventRecord, LinkRecord, SpanRecord
from annotator.formats import gold_jsonl
from annotator.importer import import_paths
from annotator.store import span_counts, span_indexes
from annotator.store.project import Project
from tests.conftest import dump
from tests.store.test_import_export import export


def spans_schema(path) -> set[tuple[str, str]]:
    with sqlite3.connect(path) as con:
        return set(con.execute("SELECT name, sql FROM sqlite_master WHERE tbl_name = 'spans' AND sql IS NOT NULL"))


def records_with_repeated_span_ids() -> list[DocumentRecord]:
    """Three documents whose spans all say `s1`, an event whose argument is the third's, and
    a fourth document linking to the second's `s1`."""
    one = DocumentRecord(id="one", lang="en", text="NATO met", annotator="x", spans=(SpanRecord("s1", 0, 4, "ORG", "NATO"),))
    two = DocumentRecord(id="two", lang="fr", text="UE ici", annotator="x", spans=(SpanRecord("s1", 0, 2, "ORG", "UE"),))
    three = DocumentRecord(id="three", lang="en", text="EU met", annotator="x",
                           spans=(SpanRecord("s1", 0, 2, "ORG", "EU"),),
                           events=(EventRecord("e1", "MEETING", 3, 6, "met", (ArgumentRecord("participant", "s1"),)),))
    four = DocumentRecord(id="four", lang="en", text="UN there", annotator="x",
                          spans=(SpanRecord("s9", 0, 2, "ORG", "UN"),), links=(LinkRecord("s9", "two", "s1"),))
    return [one, two, three, four]


def by_id(project) -> dict[str, dict]:
    return {r["id"]: r for r in map(orjson.loads, export(project).splitlines())}


def counts_kept_and_fresh(path) -> tuple[dict, dict]:
    """The span counts as the import left them, and as counted again from the rows."""
    with sqlite3.connect(path) as con:
        stored = {t: sorted(con.execute(f"SELECT * FROM {t}")) for t in span_counts.TABLES}
        con.execute("BEGIN")
        for table in span_counts.TABLES:
            con.execute(f"DELETE FROM {table}")
            con.execute(span_counts.FILL[table])
        fresh = {t: sorted(con.execute(f"SELECT * FROM {t}")) for t in span_counts.TABLES}
        con.execute("ROLLBACK")
    return stored, fresh


@pytest.mark.sqlite_only
def test_the_spans_indexes_are_there_after_an_import_as_a_new_project_has_them(empty_project, tmp_path):
    fresh = spans_schema(empty_project.path)
    assert {name for name, _sql in fresh} >= set(span_indexes.INDEXES)
    path = tmp_path / "c.jsonl"
    path.write_bytes(b"".join(gold_jsonl.dumps(r) for r in records_with_repeated_span_ids()))
    import_paths(empty_project, [path])
    assert spans_schema(empty_project.path) == fresh
    with sqlite3.connect(empty_project.path) as con:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        plan = " ".join(r[-1] for r in con.execute(
            "EXPLAIN QUERY PLAN SELECT start, \"end\", label, uid FROM spans WHERE document_id = 2 AND annotator_id = 1"))
        assert "ix_spans_layer" in plan


@pytest.mark.parametrize("batch", [1, 1000])
def test_span_ids_taken_twice_in_one_import_are_renamed_as_before(empty_project, tmp_path, monkeypatch, batch):
    """The first span keeps `s1`, the later ones get new ids; the event's argument and the
    link follow their own document's span, whether the ids were checked on insert or when
    the unique index was built again."""
    monkeypatch.setattr(import_reading, "BATCH_RECORDS", batch)
    path = tmp_path / "c.jsonl"
    path.write_bytes(b"".join(gold_jsonl.dumps(r) for r in records_with_repeated_span_ids()))
    import_paths(empty_project, [path])
    out = by_id(empty_project)
    ids = [out[d]["spans"][0]["id"] for d in ("one", "two", "three")]
    assert ids[0] == "s1" and len(set(ids)) == 3
    assert out["three"]["events"][0]["arguments"] == [{"role": "participant", "span": ids[2]}]
    assert out["four"]["links"] == [{"span": "s9", "target_doc": "two", "target_span": ids[1]}]


@pytest.mark.sqlite_only
def test_an_import_with_the_indexes_set_aside_or_kept_gives_the_same_project(tmp_path, monkeypatch):
    path = tmp_path / "c.jsonl"
    path.write_bytes(b"".join(gold_jsonl.dumps(r) for r in records_with_repeated_span_ids()))
    outs = []
    for few in (span_indexes.FEW_SPANS, 0):  # 0: no table is small enough, the indexes stay
        monkeypatch.setattr(span_indexes, "FEW_SPANS", few)
        with Project.create(tmp_path / f"{few}.annotator", languages=("en", "fr")) as project:
            import_paths(project, [path])
            out = by_id(project)
        stored, fresh = counts_kept_and_fresh(tmp_path / f"{few}.annotator")
        assert stored == fresh and stored["span_counts_layer"]
        renamed = {s["id"] for d in out.values() for s in d["spans"]} - {"s1", "s9"}
        assert len(renamed) == 2
        text = orjson.dumps(out).decode()
        for i, new in enumerate(sorted(renamed, key=text.index)):
            text = text.replace(new, f"new{i}")
        outs.append(text)
    assert outs[0] == outs[1]


@pytest.mark.sqlite_only
def test_a_failed_import_leaves_the_spans_indexes_and_rows_as_they_were(empty_project, tmp_path, monkeypatch):
    monkeypatch.setattr(import_reading, "BATCH_RECORDS", 1)  # the first records are written before the bad line
    good = records_with_repeated_span_ids()[:2]
    path = tmp_path / "c.jsonl"
    path.write_bytes(b"".join(gold_jsonl.dumps(r) for r in good) + b'{"id": "bad", "lang": "en"}\n')
    before = dump(empty_project.path)
    schema = spans_schema(empty_project.path)
    with pytest.raises(InputError, match="line 3"):
        import_paths(empty_project, [path])
    assert spans_schema(empty_project.path) == schema
    assert dump(empty_project.path) == before


@pytest.mark.sqlite_only
def test_the_counts_of_a_layer_added_to_a_stored_document_use_its_stored_language(empty_project, tmp_path):
    """The same text again under another annotator and another language: the layer joins
    the stored document, and its spans count under the document's language."""
    first, second = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    first.write_bytes(gold_jsonl.dumps(DocumentRecord(id="d", lang="en", text="NATO met", annotator="x",
                                                      spans=(SpanRecord("s1", 0, 4, "ORG", "NATO"),))))
    second.write_bytes(gold_jsonl.dumps(DocumentRecord(id="d", lang="fr", text="NATO met", annotator="y",
                                                       spans=(SpanRecord("s2", 0, 4, "ORG", "NATO"),))))
    import_paths(empty_project, [first])
    import_paths(empty_project, [second])
    stored, fresh = counts_kept_and_fresh(empty_project.path)
    assert stored == fresh and {lang for _ann, lang, _label, _n in stored["span_counts_label"]} == {"en"}
