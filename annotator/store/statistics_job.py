"""What the statistics dashboard's child process computes (suggest/worker_process.py runs
it): agreement and the translation-group checks, read from the project by the child
itself and sent back compact.

Why a process: both figures are Python over every shared document's spans or records,
seconds of it on 100,000 documents, holding Python's lock; on a thread of the window's
process every Qt call of the window waited for that lock (pauses of 100-470 ms,
bench_dashboard.py). The child shares nothing with the window but the cores.

The child opens the project itself, read-only, and keeps it open for the next call
(second_reader.py). What comes back is an AgreementStats (per label: a
few dozen numbers) and a GroupTable (columns, not an object per group).

The functions here are plain and run in any process: tests call them directly too.
"""

from __future__ import annotations

from annotator.store import statistics as st
from annotator.store.location import Location
from annotator.store.second_reader import key, project_at
from annotator.suggest import worker_process

_progress: dict[str, st.Progress] = {}  # in the child: what documents() read, for agreement()


def documents(location: Location) -> st.Progress:
    """statistics.progress (every document's layers, as columns) on the project at
    `location`, kept for the agreement() that follows it."""
    _progress.clear()  # never an older refresh's, should this read fail
    with project_at(location).read() as conn:
        prog = st.progress(conn)
    _progress[key(location)] = prog
    return prog


def agreement(location: Location) -> st.AgreementStats:
    """statistics.agreement on the project at `location`, on the documents' layers the
    documents() before it read (else read again); how far it is, told to the caller
    (worker_process.tell) as (done, total) shared documents."""
    prog = _progress.pop(key(location), None)
    with project_at(location).read() as conn:
        return st.agreement(conn, prog, lambda done, total: worker_process.tell((done, total)))


def group_table(location: Location) -> st.GroupTable:
    """statistics.group_disagreements on the project at `location`, as columns."""
    with project_at(location).read() as conn:
        return st.GroupTable.of(st.group_disagreements(conn))
