"""What the statistics dashboard's child process computes (suggest/worker_process.py runs
it): agreement and the translation-group checks, read from the project by the child
itself and sent back compact.

Why a process: both figures are Python over every shared document's spans or records,
seconds of it on 100,000 documents, holding Python's lock; on a thread of the window's
process every Qt call of the window waited for that lock (pauses of 100-470 ms,
bench_dashboard.py). The child shares nothing with the window but the cores.

The child opens the project itself, read-only, and keeps it open for the next call: a
SQLite file through its own connection (how it may be read where it lies: recognise's
reader_mode), a server database through its own engine with the same login (so the
same row-level security applies). What comes back is an AgreementStats (per label: a
few dozen numbers) and a GroupTable (columns, not an object per group).

The functions here are plain and run in any process: tests call them directly too.
"""

from __future__ import annotations

from pathlib import Path

from annotator.store import statistics as st
from annotator.store.location import Location, ServerLocation
from annotator.store.project import Project
from annotator.store.recognise import reader_mode
from annotator.suggest import worker_process

_opened: dict[str, Project] = {}  # in the child: the project of the last call, kept open
_progress: dict[str, st.Progress] = {}  # in the child: what documents() read, for agreement()


def documents(location: Location) -> st.Progress:
    """statistics.progress (every document's layers, as columns) on the project at
    `location`, kept for the agreement() that follows it."""
    _progress.clear()  # never an older refresh's, should this read fail
    with _project(location).read() as conn:
        prog = st.progress(conn)
    _progress[_key(location)] = prog
    return prog


def agreement(location: Location) -> st.AgreementStats:
    """statistics.agreement on the project at `location`, on the documents' layers the
    documents() before it read (else read again); how far it is, told to the caller
    (worker_process.tell) as (done, total) shared documents."""
    prog = _progress.pop(_key(location), None)
    with _project(location).read() as conn:
        return st.agreement(conn, prog, lambda done, total: worker_process.tell((done, total)))


def group_table(location: Location) -> st.GroupTable:
    """statistics.group_disagreements on the project at `location`, as columns."""
    with _project(location).read() as conn:
        return st.GroupTable.of(st.group_disagreements(conn))


def _key(location: Location) -> str:
    return location.url if isinstance(location, ServerLocation) else str(Path(location).resolve())


def _project(location: Location) -> Project:
    key = _key(location)
    if key not in _opened:
        for other in _opened.values():
            other.close()
        _opened.clear()
        _opened[key] = open_for_reading(location)
    return _opened[key]


def open_for_reading(location: Location) -> Project:
    """Another reader of a project that its owner has opened, checked and upgraded: no lock,
    no check, no migration; reads only."""
    if isinstance(location, ServerLocation):
        return Project(location, readonly=True)
    return Project(location, readonly=True, mode=reader_mode(Path(location)))
