"""The dashboard's figures computed in a child process (store/statistics_job.py run by
suggest/worker_process.py): the same as computed here, on a file and on a server."""

from __future__ import annotations

import os
from array import array

import pytest

from annotator.store import statistics as st
from annotator.store import statistics_job
from annotator.store.spans import SpanData, add_spans
from annotator.suggest.worker_process import WorkerProcess
from tests.store.test_statistics import two_layers  # noqa: F401 (a fixture)


@pytest.fixture
def child():
    worker = WorkerProcess("the test's statistics process")
    yield worker
    worker.close()  # before the server's test database is dropped: the child is connected to it


def test_agreement_from_the_child_equals_the_one_computed_here(two_layers, child):  # noqa: F811
    project, docs, _spans = two_layers
    told = []
    theirs = child.run(statistics_job.agreement, project.path, heard=told.append)
    with project.read() as conn:
        ours = st.agreement(conn)
    assert child.pid not in (None, os.getpid())
    assert ours.available and theirs == ours
    assert theirs.annotators == ("alice", "bob") and theirs.documents == sum(d.group is not None for d in docs)
    assert told == [(theirs.documents, theirs.documents)]  # how far, after each chunk of documents


def test_the_documents_from_the_child_equal_the_ones_read_here_and_agreement_after_them_too(two_layers,  # noqa: F811
                                                                                           child):
    project, _docs, _spans = two_layers
    theirs = child.run(statistics_job.documents, project.path)
    with project.read() as conn:
        ours = st.progress(conn)
        expected = st.agreement(conn)
    assert theirs == ours and list(theirs.documents) == list(ours.documents)
    assert child.run(statistics_job.agreement, project.path) == expected  # on the documents read just before
    assert child.run(statistics_job.agreement, project.path) == expected  # read again: none kept


def test_group_checks_from_the_child_equal_the_ones_computed_here(two_layers, child):  # noqa: F811
    project, docs, _spans = two_layers
    theirs = child.run(statistics_job.group_table, project.path)
    with project.read() as conn:
        ours = st.group_disagreements(conn)
    assert isinstance(theirs, st.GroupTable) and list(theirs) == ours
    assert [g.annotator for g in ours] == ["alice", "bob"] and all(g.total for g in ours)  # the real checks
    # The child keeps the project open: a second call reads it again, changes included.
    grouped = next(d for d in docs if d.group is not None)
    add_spans(project, [SpanData("", grouped.id, "bob", 40, 44, "DATE")])
    with project.read() as conn:
        now = st.group_disagreements(conn)
    assert now != ours and list(child.run(statistics_job.group_table, project.path)) == now


def test_a_group_table_is_columns_made_into_rows_when_asked():
    rows = [st.GroupDisagreements("g1", "bob", 3, {"value": 2}),
            st.GroupDisagreements("g1", "alice", 3, {"unlinked": 1, "count": 4}),
            st.GroupDisagreements("g2", "alice", 2, {})]
    table = st.GroupTable.of(rows)
    assert table.annotators == ("alice", "bob") and table.kinds == ("count", "unlinked", "value")
    assert isinstance(table.counts, array) and list(table.counts) == [0, 0, 2, 4, 1, 0, 0, 0, 0]
    assert list(table) == rows and table[-1] == rows[-1] and table[1:] == rows[1:]
    assert table.totals() == [2, 5, 0]
    assert table.kind_totals() == {"count": 4, "unlinked": 1, "value": 2}
    assert st.GroupTable.of([]) == st.GroupTable.of([]) and len(st.GroupTable.of([])) == 0


def test_the_documents_columns_cross_from_the_child_as_a_few_buffers():
    """Unpickled by the dashboard's worker thread in one call holding Python's lock: no
    string object per document (100,000 uids and languages held the window 50 ms)."""
    import pickle
    import pickletools

    n = 1000
    rows = st.DocumentRows(list(range(1, n + 1)), [f"doc-{i}-ŝ" for i in range(n)], ["bn", "en"] * (n // 2), 2,
                           bytearray([0, 1, 2, 1] * (n // 2)), array("q", range(2 * n)))
    data = pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)
    strings = sum(1 for op, _arg, _pos in pickletools.genops(data) if "UNICODE" in op.name)
    assert strings < 20
    back = pickle.loads(data)
    assert back == rows and back[0] == rows[0] and back[-1] == rows[-1] and back[10:12] == rows[10:12]
    assert back[n - 1].uid == f"doc-{n - 1}-ŝ" and back[1].lang == "en" and back[1].statuses == ("todo", "in_progress")
    with pytest.raises(IndexError):
        back[n]
    assert list(st.PackedStrings(["", "a", ""])) == ["", "a", ""] and len(st.PackedStrings([])) == 0
