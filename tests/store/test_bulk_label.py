"""A bulk label (label every occurrence: tens of thousands of spans) is one change written
without reading its rows back, undone by one read and one delete of its id range, and
redone to the same rows, timestamps included (issue 18)."""

from __future__ import annotations

import pytest

from annotator.core.errors import AnnotatorError, Cancelled
from annotator.store.changes import Change, apply
from annotator.store.queries import list_documents
from annotator.store.spans import SpanData, add_spans, relabel_span
from tests.conftest import dump, stored
from tests.store.test_span_counts import assert_counts_right

SPAN_ROWS = 'SELECT * FROM spans ORDER BY id'


def _bulk(project) -> list[SpanData]:
    with project.read() as conn:
        docs = [d.id for d in list_documents(conn)]
    return [SpanData("", d, "ana", k, k + 2, "ORG") for d in docs for k in (0, 3, 6)]


@pytest.mark.parametrize("bulk", [2, 10**9], ids=["counted-by-range", "counted-by-trigger"])
def test_redo_after_undo_gives_back_the_same_rows_and_timestamps(seeded_project, monkeypatch, bulk):
    monkeypatch.setattr("annotator.store.spans.WRITE_CHUNK", 4)  # several statements, one change
    monkeypatch.setattr("annotator.store.span_counts.BULK", bulk)
    p = seeded_project
    before, before_rows = content(p), stored(p, SPAN_ROWS)
    change = add_spans(p, _bulk(p))
    written = stored(p, SPAN_ROWS)
    new = written[len(before_rows):]
    assert len(new) == len(change.result) >= 6
    # What the change recorded is what the database holds (values it set included).
    recorded = [r.after for r in change.rows if r.table == "spans"]
    with p.read() as conn:
        raw = [dict(r._mapping) for r in conn.exec_driver_sql(SPAN_ROWS)][len(before_rows):]
    assert recorded == raw
    counts_right(p)
    apply(p, change, False)
    assert content(p) == before  # the span counts too (dump includes their tables)
    apply(p, change, True)
    assert stored(p, SPAN_ROWS) == written
    counts_right(p)
    apply(p, change, False)
    assert content(p) == before


def content(project) -> list[str]:
    """The dump in sorted lines: a bulk write drops and re-creates a trigger, which moves
    it to the end of the schema's list (and so of the dump) without changing it."""
    return sorted(dump(project.path))


def counts_right(project) -> None:
    """The counts a SQLite project keeps equal a fresh GROUP BY (nothing kept on a server)."""
    if project.engine.dialect.name == "sqlite":
        assert_counts_right(project)


@pytest.mark.sqlite_only
def test_one_step_has_one_creation_time_and_uids_in_id_order(seeded_project, monkeypatch):
    monkeypatch.setattr("annotator.store.spans.WRITE_CHUNK", 4)
    p = seeded_project
    n = len(stored(p, SPAN_ROWS))
    add_spans(p, _bulk(p))
    new = stored(p, "SELECT uid, created_at, updated_at FROM spans ORDER BY id")[n:]
    assert len({(c, u) for _uid, c, u in new}) == 1  # the transaction's one CURRENT_TIMESTAMP
    assert [uid for uid, _c, _u in new] == sorted(uid for uid, _c, _u in new)  # one walk of the uid index


def test_a_cancelled_bulk_label_leaves_nothing(seeded_project, monkeypatch):
    monkeypatch.setattr("annotator.store.spans.WRITE_CHUNK", 2)
    p = seeded_project
    before = dump(p.path)
    told = []

    def progress(done: int, total: int) -> bool:
        told.append(done)
        return len(told) < 3  # Cancel pressed after the second chunk was written

    with pytest.raises(Cancelled):
        add_spans(p, _bulk(p), progress)
    assert told == [0, 2, 4] and dump(p.path) == before


def test_undo_is_refused_whole_when_one_of_its_rows_changed_since(seeded_project):
    p = seeded_project
    change = add_spans(p, _bulk(p))
    relabel_span(p, change.result[1].uid, "PERSON")
    after_edit = dump(p.path)
    with pytest.raises(AnnotatorError, match="cannot be undone"):
        apply(p, change, False)
    assert dump(p.path) == after_edit


def test_undo_of_spans_whose_ids_are_not_one_range_is_checked_by_key(seeded_project):
    p = seeded_project
    spans = _bulk(p)
    first = add_spans(p, spans[:2])
    middle = add_spans(p, spans[2:3]).result[0].uid  # takes the id between
    third = add_spans(p, spans[3:4])
    everything = dump(p.path)
    both = Change("two", tuple(r for r in first.rows + third.rows if r.table == "spans"))
    apply(p, both, False)  # ids with a hole: the keyed path
    left = [uid for (uid,) in stored(p, "SELECT uid FROM spans")]
    assert middle in left and not {s.uid for s in first.result + third.result} & set(left)
    apply(p, both, True)
    assert dump(p.path) == everything


@pytest.mark.sqlite_only
def test_counts_by_range_stay_exact_through_refusals_and_other_writes(seeded_project, monkeypatch):
    monkeypatch.setattr("annotator.store.span_counts.BULK", 2)
    p = seeded_project
    spans = _bulk(p)
    first = add_spans(p, spans[:5])
    second = add_spans(p, [SpanData("", s.document_id, "bob", s.start, s.end, "DATE") for s in spans])
    counts_right(p)
    relabel_span(p, first.result[0].uid, "PERSON")
    with pytest.raises(AnnotatorError):
        apply(p, first, False)  # refused: one of its rows changed since
    counts_right(p)
    apply(p, second, False)
    counts_right(p)
    with p.read() as conn:  # the triggers are back after every bulk write
        triggers = {n for (n,) in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"span_counts_insert", "span_counts_delete"} <= triggers
    add_spans(p, spans[5:6])  # counted by the trigger again
    counts_right(p)
