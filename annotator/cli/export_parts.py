"""`annotator export` of gold JSONL on both cores (issue 18).

One process makes an export's lines on one core: a Python object per span, the lines made
by orjson, SQLite's reads (85 % of the command's CPU at 10,000 documents). So a project
file large enough is exported in parts, ranges of document row ids, each built by this
process or by a forked copy of it that reads the same transaction (store.forked_reads),
and written in document order. A part's lines are the lines the whole export writes: the
same reads (of its documents only) and the same builders, so the bytes are the same.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.records import DocumentRecord
from annotator.formats.gold_jsonl import Lines, dumps, plain_line
from annotator.store.forked_reads import MAX_PARTS, PartsFailed, in_order, reads_by_offset
from annotator.store.reading import Reading
from annotator.store.record_rows import Query, iter_records

# Fewer documents than this are exported by one process: the fork, the second process's
# first touches of its copied memory and each part's queries cost about what they save
# (2 KB documents of 20 spans, both cores free: 300 documents 31 ms against 37 ms in one
# process, 600 documents 42 ms against 52 ms, 10,000 documents 0.34 s against 0.46 s).
SPLIT_FROM = 500
# Documents a part at most: enough that a part's own queries (about 0.5 ms) are little
# against its lines (about 12 ms for 250 documents of 2 KB and 20 spans), few enough that
# the two processes end close together and a part waiting for its turn is held briefly.
PART = 250
# Parts at least: a part costs up to twice another (the documents differ), and the two
# processes should still end close together.
MIN_PARTS = 8


@contextmanager
def gold_lines(reading: Reading, annotator: str | None, gold: bool, schema: str | None
               ) -> Iterator[Iterable[DocumentRecord | bytes | Lines]]:
    """What gold_jsonl.write writes for the project being read: every layer, or
    `annotator`'s, or (`gold`) the gold layer of the documents adjudicated. Starts the
    damage check of `reading` (after the fork, if it forks)."""
    query = reading.query
    # a plain layer's line made from its columns, no record made for it (not for --gold:
    # a document without a gold layer is left out, which its record tells)
    plain = None if gold else partial(plain_line, schema=schema)

    def records(documents: tuple[int, int] | None = None) -> Iterator[DocumentRecord | bytes]:
        found = iter_records(query, annotator=annotator, sqlite=reading.sqlite, plain=plain, documents=documents)
        if gold:  # a document not adjudicated yet is no gold negative example: leave it out
            return (rec for rec in found if isinstance(rec, DocumentRecord) and rec.has_layer)
        return found

    split = reading.own_connection and idle_core() and reads_by_offset(Path(reading.where))
    parts = document_parts(query) if split else []
    if not parts:
        reading.start_check()
        yield records()
        return

    def build(part: tuple[int, int]) -> tuple[bytes, int]:
        lines = [rec if isinstance(rec, bytes) else dumps(rec, schema) for rec in records(part)]
        return b"".join(lines), len(lines)

    with in_order(parts, build, started=reading.start_check) as built:
        try:
            yield (Lines(data, count) for data, count in built)
        except PartsFailed as exc:  # said with the project it was reading
            raise AnnotatorError(f"{reading.where}: {exc}") from None


def document_parts(query: Query) -> list[tuple[int, int]]:
    """Ranges (first, last) of document row ids, at most PART documents each and at least
    MIN_PARTS of them (row ids are dense: documents are never deleted by the store), or
    none for a project below SPLIT_FROM."""
    (first, last), = query("SELECT min(id), max(id) FROM documents")
    if first is None or last - first + 1 < SPLIT_FROM:
        return []
    count = min(MAX_PARTS, max(MIN_PARTS, -(-(last - first + 1) // PART)))
    step = -(-(last - first + 1) // count)
    return [(start, min(start + step - 1, last)) for start in range(first, last + 1, step)]


def idle_core() -> bool:
    """Whether a second core is free now, for the second process to take. On a machine
    already busy the split costs a fifth more CPU time and loses wall time too (10,000
    documents at a load of 11-16 on 2 cores: 2.5 s against 1.8-2.1 s in one process):
    the two processes wait for each other's turns on the cores. Linux counts the tasks
    that are running or ready to run (this one among them) in /proc/loadavg, at this
    instant (the load averages lag by a minute, and count a benchmark's own earlier runs)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if cores < 2:
        return False
    try:
        with open("/proc/loadavg", "rb") as fh:
            running = int(fh.read().split()[3].split(b"/")[0])
    except (OSError, ValueError, IndexError):  # not Linux: the cores are all there is to go by
        return True
    return running < cores
