"""The span counts a SQLite project keeps (store/span_counts.py, revisions 0009_span_counts
and 0010_document_counts) always equal a fresh count of the spans (and documents): after any sequence of adds, relabels, resizes,
deletions, undos, redos, imports, a raw UPDATE of creation times, a document's language
changed or a document deleted; after creating, importing and upgrading. What the
dashboard and `annotator stats` read is checked against a GROUP BY in test_statistics.py
and tests/cli/test_startup_imports.py."""

from __future__ import annotations

from datetime import datetime

import orjson
import pytest
from alembic import command
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as hs
from sqlalchemy import create_engine, inspect, text

from annotator.core.errors import AnnotatorError
from annotator.core.graphemes import words
from annotator.importer import import_paths, seed
from annotator.store import migrate, span_counts
from annotator.store.changes import apply
from annotator.store.project import Project
from annotator.store.queries import list_documents
from annotator.store.spans import SpanData, add_spans, delete_spans, relabel_span, resize_span
from tests.store.test_store import scripts_with_extra_revision, seeded_with_a_layer

LABELS = ("PERSON", "ORG", "DATE", "FIGURE")
# The counts as a GROUP BY over the spans finds them, in the tables' own columns.
FRESH = {
    "span_counts_label": "SELECT s.annotator_id, d.lang, s.label, count(*) FROM spans s "
                         "JOIN documents d ON d.id = s.document_id GROUP BY 1, 2, 3",
    "span_counts_layer": "SELECT document_id, annotator_id, count(*) FROM spans GROUP BY 1, 2",
    "span_counts_hour": "SELECT annotator_id, substr(CAST(created_at AS TEXT), 1, 13), count(*) FROM spans "
                        "GROUP BY 1, 2",
    "span_counts_docs": "SELECT lang, count(*) FROM documents GROUP BY 1",
}


def kept_and_fresh(project) -> tuple[dict, dict]:
    with project.read() as conn:
        kept = {t: sorted(tuple(r) for r in conn.exec_driver_sql(f"SELECT * FROM {t}")) for t in FRESH}
        fresh = {t: sorted(tuple(r) for r in conn.exec_driver_sql(sql)) for t, sql in FRESH.items()}
    return kept, fresh


def assert_counts_right(project) -> None:
    kept, fresh = kept_and_fresh(project)
    assert kept == fresh


def _docs(project):
    with project.read() as conn:
        return list_documents(conn)


@pytest.fixture
def seeded(tmp_path):
    with Project.create(tmp_path / "p.annotator") as project:
        seed(project)
        yield project


def test_a_new_project_keeps_counts_and_the_first_span_is_counted(seeded):
    with seeded.read() as conn:
        assert span_counts.available(conn)
        names = {n for (n,) in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE name LIKE 'span_counts_%'")}
    assert names == set(span_counts.TABLES) | set(span_counts.TRIGGERS)
    doc = _docs(seeded)[0]
    add_spans(seeded, [SpanData("", doc.id, "ana", 0, 4, "PERSON")])
    kept, fresh = kept_and_fresh(seeded)
    assert kept == fresh and len(kept["span_counts_layer"]) == 1
    assert [r[1:] for r in kept["span_counts_label"]] == [(doc.lang, "PERSON", 1)]


def _jsonl(path, records) -> None:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))


def test_an_import_counts_its_new_layers_in_bulk_and_the_trigger_is_back_after(seeded, tmp_path):
    docs = _docs(seeded)
    with seeded.read() as conn:
        texts = dict(conn.exec_driver_sql("SELECT uid, text FROM documents").all())
    add_spans(seeded, [SpanData("", docs[0].id, "bob", 0, 3, "ORG")])  # bob's layer exists before
    new = tmp_path / "bob.jsonl"
    _jsonl(new, [{"id": d.uid, "lang": d.lang, "text": texts[d.uid], "annotator": "carol",
                  "spans": [{"id": f"c{i}{k}", "start": w[0], "end": w[1], "label": LABELS[k % 4]}
                            for k, w in enumerate(words(texts[d.uid])[:i + 1])]}
                 for i, d in enumerate(docs)]
           + [{"id": "new-doc", "lang": "en", "text": "A brand new document.", "annotator": "bob",
               "spans": [{"id": "n1", "start": 2, "end": 7, "label": "ORG"}]}])
    import_paths(seeded, [new])
    assert_counts_right(seeded)
    with seeded.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE name = 'span_counts_insert'").scalar() == 1
    add_spans(seeded, [SpanData("", docs[1].id, "bob", 0, 3, "ORG")])  # the trigger counts again
    assert_counts_right(seeded)


@pytest.mark.parametrize("chunk", [1, 3, 50_000])
def test_an_import_counts_its_spans_a_chunk_of_ids_at_a_time(seeded, tmp_path, monkeypatch, chunk):
    """Spans taken from an earlier layer's range stay counted once: only the new ids are counted."""
    monkeypatch.setattr(span_counts, "APPENDED_CHUNK", chunk)
    docs = _docs(seeded)
    with seeded.read() as conn:
        texts = dict(conn.exec_driver_sql("SELECT uid, text FROM documents").all())
    add_spans(seeded, [SpanData("", docs[0].id, "bob", 0, 3, "ORG")])
    new = tmp_path / "dana.jsonl"
    _jsonl(new, [{"id": d.uid, "lang": d.lang, "text": texts[d.uid], "annotator": "dana",
                  "spans": [{"id": f"d{i}{k}", "start": w[0], "end": w[1], "label": LABELS[k % 4]}
                            for k, w in enumerate(words(texts[d.uid])[:i + 2])]}
                 for i, d in enumerate(docs)])
    import_paths(seeded, [new])
    assert_counts_right(seeded)


def test_a_failed_import_leaves_the_counts_and_the_trigger_as_they_were(seeded, tmp_path):
    doc = _docs(seeded)[0]
    with seeded.read() as conn:
        body = conn.exec_driver_sql("SELECT text FROM documents WHERE id = ?", (doc.id,)).scalar()
    add_spans(seeded, [SpanData("", doc.id, "bob", 0, 3, "ORG")])
    before = kept_and_fresh(seeded)[0]
    bad = tmp_path / "bad.jsonl"
    _jsonl(bad, [{"id": doc.uid, "lang": doc.lang, "text": body, "annotator": "carol",
                  "spans": [{"id": "c1", "start": words(body)[0][0], "end": words(body)[0][1], "label": "ORG"}]},
                 {"id": "x", "lang": "en", "text": "Text.", "annotator": "carol",
                  "spans": [{"id": "c2", "start": 0, "end": 99, "label": "ORG"}]}])  # beyond the text
    with pytest.raises(AnnotatorError):
        import_paths(seeded, [bad])
    assert kept_and_fresh(seeded)[0] == before
    add_spans(seeded, [SpanData("", doc.id, "bob", 5, 8, "ORG")])
    assert_counts_right(seeded)


OPS = hs.lists(hs.tuples(hs.sampled_from(["add", "add_many", "relabel", "resize", "delete", "undo", "redo",
                                          "restamp", "relang", "drop_doc"]),
                         hs.integers(0, 30), hs.integers(0, 3)), min_size=1, max_size=14)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(OPS)
@example([("add_many", 0, 0), ("relabel", 1, 1), ("restamp", 2, 0), ("undo", 0, 0), ("undo", 0, 0),
          ("redo", 0, 0), ("relang", 0, 1), ("delete", 3, 0), ("drop_doc", 0, 0), ("undo", 0, 0)])
def test_any_sequence_of_writes_keeps_the_counts_exact(tmp_path_factory, ops):
    with Project.create(tmp_path_factory.mktemp("counts") / "p.annotator") as p:
        seed(p)
        done, undone = [], []
        for op, a, b in ops:
            with p.read() as conn:
                uids = [u for (u,) in conn.exec_driver_sql("SELECT uid FROM spans ORDER BY id")]
                alive = [d for (d,) in conn.exec_driver_sql("SELECT id FROM documents ORDER BY id")]
            doc = alive[a % len(alive)] if alive else None
            try:
                if op == "add" and doc is not None:
                    done.append(add_spans(p, [SpanData("", doc, ("ana", "bob")[b % 2], a, a + 3, LABELS[b])]))
                elif op == "add_many" and doc is not None:
                    done.append(add_spans(p, [SpanData("", d, ("ana", "bob", "gold")[k % 3], k, k + 2 + b,
                                                       LABELS[(k + b) % 4]) for k, d in enumerate(alive * 2)]))
                elif op in ("relabel", "resize", "delete") and uids:
                    uid = uids[a % len(uids)]
                    done.append(relabel_span(p, uid, LABELS[b]) if op == "relabel" else
                                resize_span(p, uid, 0, 2 + b) if op == "resize" else delete_spans(p, [uid]))
                elif op == "undo" and done:
                    change = done.pop()
                    apply(p, change, forward=False)
                    undone.append(change)
                elif op == "redo" and undone:
                    change = undone.pop()
                    apply(p, change, forward=True)
                    done.append(change)
                elif op == "restamp" and uids:  # a writer outside the store: a raw UPDATE
                    with p.write() as conn:
                        conn.execute(text("UPDATE spans SET created_at = :t WHERE id % 3 = :k"),
                                     {"t": datetime(2026, 1, 1 + a % 28, b * 5), "k": a % 3})
                elif op == "relang" and doc is not None:  # the store never does this; the counts follow all the same
                    with p.write() as conn:
                        conn.execute(text("UPDATE documents SET lang = :l WHERE id = :d"),
                                     {"l": ("en", "xx", "ro", "bn")[b], "d": doc})
                elif op == "drop_doc" and doc is not None:  # nor this: its spans go by the cascade
                    with p.write() as conn:
                        for table in ("document_search", "document_status"):
                            conn.execute(text(f"DELETE FROM {table} WHERE {'rowid' if table == 'document_search' else 'document_id'} = :d"), {"d": doc})
                        conn.execute(text("DELETE FROM documents WHERE id = :d"), {"d": doc})
            except AnnotatorError:
                continue  # refused (an undo of rows changed since): nothing written
            assert_counts_right(p)


def test_an_upgrade_from_0008_counts_the_spans_already_there(tmp_path):
    path = tmp_path / "old.annotator"
    doc = seeded_with_a_layer(path, "ana", "bob")
    with Project.open(path) as p:
        add_spans(p, [SpanData("", d.id, "bob", 0, 2, "DATE") for d in _docs(p)])
        expected = kept_and_fresh(p)[1]
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0008_live")
    with engine.connect() as conn:
        assert not any(inspect(conn).has_table(t) for t in span_counts.TABLES)
    engine.dispose()
    with Project.open(path) as p:
        assert p.backup is not None
        with p.read() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
        kept, fresh = kept_and_fresh(p)
        assert kept == fresh == expected and kept["span_counts_layer"]
        add_spans(p, [SpanData("", doc.id, "ana", 10, 12, "ORG")])  # the triggers are there
        assert_counts_right(p)


def test_an_upgrade_from_0009_counts_the_documents_and_leaves_the_span_counts_alone(tmp_path, monkeypatch):
    path = tmp_path / "old.annotator"
    seeded_with_a_layer(path, "ana")
    with Project.open(path) as p:
        expected = kept_and_fresh(p)[1]
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0009_span_counts")
    with engine.connect() as conn:
        assert not inspect(conn).has_table("span_counts_docs") and inspect(conn).has_table("span_counts_label")
        triggers = {n for (n,) in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert not any(name.startswith("span_counts_docs") for name in triggers)
    engine.dispose()
    recounted: list[list[str]] = []
    original = span_counts.recount
    monkeypatch.setattr(span_counts, "recount", lambda conn, tables=span_counts.TABLES:
                        (recounted.append(list(tables)), original(conn, tables))[1])
    new = tmp_path / "new.txt"
    new.write_text("Un texte de plus.\n", encoding="utf-8")
    with Project.open(path) as p:
        kept, fresh = kept_and_fresh(p)
        assert kept == fresh == expected and kept["span_counts_docs"]
        import_paths(p, [new])
        assert_counts_right(p)  # the documents' triggers are there
    # the 2.4 million spans of a large project are not counted again for one small table
    assert recounted == [["span_counts_docs"]]


def test_a_later_batch_migration_that_rebuilds_a_table_gets_the_triggers_back(tmp_path, monkeypatch):
    """A rebuild of `documents` (copy, drop, rename) drops its triggers; the upgrade puts
    them back and counts again."""
    path = tmp_path / "p.annotator"
    doc = seeded_with_a_layer(path, "ana")
    scripts_with_extra_revision(tmp_path, monkeypatch, extra='op.execute("UPDATE spans SET label = \'DATE\'")')
    with Project.open(path) as p:
        with p.read() as conn:
            names = {n for (n,) in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert set(span_counts.TRIGGERS) <= names
        assert_counts_right(p)
        add_spans(p, [SpanData("", doc.id, "ana", 10, 12, "ORG")])
        assert_counts_right(p)
