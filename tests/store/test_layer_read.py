"""Reading one layer (queries.layer_spans / layer_columns, what the editor opens a
document with): exactly the spans written, in (start, end, label, uid) order, on SQLite
(one row of JSON arrays through the driver) and PostgreSQL alike."""

import random
import sqlite3

import pytest

from annotator.store import queries
from annotator.store.fragments import layer_fragments, set_fragments
from annotator.store.queries import LayerColumns, layer_columns, layer_spans, list_documents
from annotator.store.spans import SpanData, add_span, add_spans, delete_span, relabel_span

# Uids an import may bring (span ids of a gold file): every character JSON must escape,
# and text beyond ASCII.
ODD_UIDS = ['q"uote', "back\\slash", "new\nline", "tab\there", "ক্ষমতা", "emoji 😀 👨\u200d👩\u200d👧",
            "line\u2028sep", "ctrl\x01\x1f", "/solidus/"]


def _longest(project):
    with project.read() as conn:
        doc = max(list_documents(conn), key=lambda d: d.length)
    return doc.id, doc.length


def _written(project, doc_id: int, length: int, annotator: str) -> list[tuple[int, int, str, str]]:
    """Spans added in shuffled order: nested, crossing, equal extents of several labels,
    equal extents and labels told apart by uid alone, and the odd uids (uids are unique
    in a project: the fixed ones start with the annotator's name)."""
    rng = random.Random(18)
    labels = [lab.name for lab in project.schema.labels]
    spans: list[SpanData] = []
    for _ in range(300):
        start = rng.randrange(0, length - 30)
        spans.append(SpanData("", doc_id, annotator, start, start + rng.randrange(1, 30), rng.choice(labels)))
    spans += [SpanData("", doc_id, annotator, 10, 20, label) for label in labels]  # one extent, every label
    spans += [SpanData(f"{annotator}-tie{n}", doc_id, annotator, 40, 45, labels[0]) for n in (3, 1, 2)]  # by uid
    spans += [SpanData(annotator + uid, doc_id, annotator, 100 + 7 * i, 103 + 7 * i, labels[-1])
              for i, uid in enumerate(ODD_UIDS)]
    rng.shuffle(spans)
    added = add_spans(project, spans).result
    return [(s.start, s.end, s.label, s.uid) for s in added]


def test_a_layer_reads_back_as_written_in_order(seeded_project):
    p = seeded_project
    doc_id, length = _longest(p)
    written = _written(p, doc_id, length, "ana")
    _written(p, doc_id, length, "bo")  # another layer of the same document
    with p.read() as conn:
        other = min(d.id for d in list_documents(conn) if d.id != doc_id)
    add_span(p, other, "ana", 0, 3, p.schema.labels[0].name)  # the same layer name in another document
    with p.read() as conn:
        rows = layer_spans(conn, doc_id, "ana")
        columns = layer_columns(conn, doc_id, "ana")
    assert rows == sorted(written)
    assert len(rows) == len(written) == len(columns)
    assert [r[3] for r in rows if "-tie" in r[3]] == ["ana-tie1", "ana-tie2", "ana-tie3"]
    assert {r[3] for r in rows} >= {"ana" + uid for uid in ODD_UIDS}
    assert all(type(r) is tuple and [type(v) for v in r] == [int, int, str, str] for r in rows)
    assert columns == LayerColumns(*(list(c) for c in zip(*rows)))
    assert columns.rows() == rows


def test_a_layer_follows_edits(seeded_project):
    p = seeded_project
    doc_id, length = _longest(p)
    written = _written(p, doc_id, length, "ana")
    gone, relabelled = written[5], written[9]
    delete_span(p, gone[3])
    new_label = next(lab.name for lab in p.schema.labels if lab.name != relabelled[2])
    relabel_span(p, relabelled[3], new_label)
    expected = sorted({*written} - {gone, relabelled} | {(relabelled[0], relabelled[1], new_label, relabelled[3])})
    with p.read() as conn:
        assert layer_spans(conn, doc_id, "ana") == expected


def test_a_discontinuous_span_keeps_its_outer_bounds_and_its_fragments_apart(seeded_project):
    p = seeded_project
    doc_id, _length = _longest(p)
    label = p.schema.labels[0].name
    uid = add_span(p, doc_id, "ana", 0, 30, label).result.uid
    set_fragments(p, uid, [(0, 4), (20, 30)])
    with p.read() as conn:
        assert layer_spans(conn, doc_id, "ana") == [(0, 30, label, uid)]
        assert layer_fragments(conn, doc_id, "ana") == {uid: [(0, 4), (20, 30)]}


def test_no_layer_reads_empty(seeded_project):
    p = seeded_project
    doc_id, _length = _longest(p)
    uid = add_span(p, doc_id, "ana", 0, 3, p.schema.labels[0].name).result.uid
    delete_span(p, uid)  # "ana" exists and has no span here now
    empty = LayerColumns([], [], [], [])
    with p.read() as conn:
        for annotator in ("ana", "nobody"):
            assert layer_spans(conn, doc_id, annotator) == []
            assert layer_columns(conn, doc_id, annotator) == empty
        assert layer_spans(conn, doc_id + 10_000, "ana") == []


class _CountingDriver:
    """The sqlite3 connection under the project's, counting the rows its cursors return."""

    def __init__(self, real: sqlite3.Connection) -> None:
        self.real, self.rows = real, 0

    def execute(self, sql: str, params=()):
        return _CountingCursor(self, self.real.execute(sql, params))


class _CountingCursor:
    def __init__(self, driver: _CountingDriver, cursor: sqlite3.Cursor) -> None:
        self.driver, self.cursor = driver, cursor

    def fetchone(self):
        row = self.cursor.fetchone()
        self.driver.rows += row is not None
        return row

    def fetchall(self):
        rows = self.cursor.fetchall()
        self.driver.rows += len(rows)
        return rows

    def close(self) -> None:
        self.cursor.close()


@pytest.mark.sqlite_only
def test_a_sqlite_layer_comes_out_of_sqlite_as_one_row(seeded_project, monkeypatch):
    """Each row the sqlite3 module steps (and each column it reads) hands Python's lock to
    any waiting thread and back: a row per span made the 50,000-span layer read 40 ms and
    more; its spans come as one row of four arrays instead."""
    p = seeded_project
    doc_id, length = _longest(p)
    label = p.schema.labels[0].name
    add_spans(p, [SpanData("", doc_id, "ana", i, i + 1, label) for i in range(min(150, length - 1))])
    drivers: list[_CountingDriver] = []

    def counting(raw):
        drivers.append(_CountingDriver(raw.driver_connection))
        return drivers[-1]

    monkeypatch.setattr(queries, "sqlite_driver", counting)
    with p.read() as conn:
        rows = layer_spans(conn, doc_id, "ana")
    assert len(rows) == min(150, length - 1) > 100
    assert [d.rows for d in drivers] == [1]
