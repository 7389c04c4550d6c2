"""An import's reading in a second process, a batch ahead of its writing (issue 18).

Reading and checking the lines, folding the texts for the search index and the digests
of the twin check were half of an import's CPU; the other half is the database's. The
writer must be the process that holds the transaction, so the reading is forked into a
child that hands over checked batches through a pipe while the parent writes the batch
before: the two overlap on two cores. (A thread would not: each of SQLite's steps gives
Python's lock away and waits up to the switch interval to get it back.)

What the parent receives is what the reading in process gives, in the same order: each
batch of checked records (their digest, NFC digest and folded texts already computed),
the progress after each file, then the reading's end state (warnings, notes, the schema
with what it added, the language guesses); an error raised by the reading is raised in
the parent where the reading would have raised it, after the batches before it. The
child never touches the project's connection and leaves by os._exit (no clean-up of
what it shares with the parent). A record of plain spans travels as plain values
(marshal: a third of pickling its objects), its spans as columns that the writer binds
as rows without making a SpanRecord per span (core.records.SpanColumns); any other
record is pickled whole.
"""

from __future__ import annotations

import marshal
import os
import pickle
import signal
import struct
import sys
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from annotator.core.errors import AnnotatorError
from annotator.core.incoming import Incoming
from annotator.core.records import FORMAT_VERSION, DocumentRecord, SpanColumns, SpanRecord, plain_record

_BATCH, _FILE, _ERROR, _END = b"B", b"F", b"X", b"E"
_HEADER = struct.Struct("<cQ")
_BUFFER = 1 << 20
FIRST_PIECE = 100  # records: the first batch's first piece (see _child)
_PIPE_SIZE = 1 << 20  # the pipe's own buffer (Linux's default is 64 KiB): fewer waits on either side


class Reading(Protocol):
    """What of importer._Reading the two processes share."""

    bytes_done: int
    on_file: Callable[[int], object] | None
    warnings: list[str]
    notes: list[str]
    schema: Any
    additions: Any
    guesses: list[Any]

    def batches(self, paths: list[Path]) -> Generator[list[Incoming], None, None]: ...


def possible() -> bool:
    """Whether the reading may be forked: on Linux, from a process with one thread (the
    GUI's import runs beside Qt's threads, and a fork there would copy locks other threads
    hold: it reads in process instead). Threads not made by Python count too, hence the
    kernel's list rather than threading's."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:  # not Linux
        return False


def batches(reading: Reading, paths: list[Path]) -> Generator[list[Incoming], None, None]:
    """reading.batches(paths) read by a child process while the caller writes the batch
    before; `reading` has the child's end state when the batches are done. Close the
    generator (or let it end) to stop the child."""
    yield from started(reading, paths)


def started(reading: Reading, paths: list[Path]) -> Started | Generator[list[Incoming], None, None]:
    """batches(reading, paths) with the child forked now, not at the first batch asked
    for: importer.read_early starts the reading before the writer's own modules (the
    database's) are imported, so the two overlap. The reading in process, when no child
    can be had."""
    fd_in, fd_out = os.pipe()
    try:
        import fcntl

        fcntl.fcntl(fd_out, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
    except OSError:  # a limit on pipe sizes: the default will do
        pass
    sys.stdout.flush()  # nothing buffered before the fork is written twice
    sys.stderr.flush()
    try:
        pid = os.fork()
    except OSError:  # no process to be had (a limit on processes, no memory): read in process
        os.close(fd_in)
        os.close(fd_out)
        return reading.batches(paths)
    if pid == 0:
        os.close(fd_in)
        _child(reading, paths, fd_out)
    os.close(fd_out)
    return Started(reading, pid, fd_in)


class Started:
    """The batches of a child forked by started(); close() stops the child (if it has
    not ended) and waits for it, whether or not a batch was asked for."""

    def __init__(self, reading: Reading, pid: int, fd_in: int) -> None:
        self._batches = _received(reading, pid, fd_in)
        self._pid, self._fd, self._began, self._stopped = pid, fd_in, False, False

    def __iter__(self) -> Started:
        return self

    def __next__(self) -> list[Incoming]:
        self._began = True  # the generator owns the pipe and the child from here on
        return next(self._batches)

    def close(self) -> None:
        self._batches.close()
        if not (self._began or self._stopped):  # the generator never ran: nothing of its clean-up either
            self._stopped = True
            os.close(self._fd)
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)


def _received(reading: Reading, pid: int, fd_in: int) -> Generator[list[Incoming], None, None]:
    """The batches the child `pid` sends down `fd_in`; the child is stopped (if it has
    not ended) and waited for when the generator ends or is closed once started."""
    ended = False
    pipe = open(fd_in, "rb", buffering=_BUFFER)
    try:
        while True:
            kind, payload = _receive(pipe)
            if kind == _BATCH:
                done, entries = marshal.loads(payload)
                del payload  # megabytes, not kept while the batch is written
                reading.bytes_done = done
                batch = [_unpacked(e) for e in entries]
                del entries
                yield batch
                del batch
            elif kind == _FILE:
                size, reading.bytes_done = marshal.loads(payload)
                if reading.on_file is not None:
                    reading.on_file(size)
            elif kind == _ERROR:
                raise pickle.loads(payload)
            else:
                _take_state(reading, pickle.loads(payload))
                ended = True
                return
    finally:
        pipe.close()
        if not ended:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _child(reading: Reading, paths: list[Path], fd: int) -> None:
    """The reading, sent down `fd`; never returns."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle (it ends this process)
    try:
        with open(fd, "wb", buffering=_BUFFER) as out:
            try:
                reading.on_file = lambda size: _send(out, _FILE, marshal.dumps((size, reading.bytes_done)))
                first = True
                for batch in reading.batches(paths):
                    # the parent waits for the first batch: a small piece of it first starts the writing sooner
                    for piece in (batch[:FIRST_PIECE], batch[FIRST_PIECE:]) if first else (batch,):
                        if piece:
                            _send(out, _BATCH, marshal.dumps((reading.bytes_done, [_packed(it) for it in piece])))
                    first = False
                _send(out, _END, pickle.dumps(_state(reading), protocol=pickle.HIGHEST_PROTOCOL))
            except Exception as exc:  # said by the parent, where the reading would have raised it
                _send(out, _ERROR, _pickled_error(exc))
    except BaseException:  # the parent is gone (a broken pipe) or stopped it: nothing to say
        pass
    finally:
        os._exit(0)


def _send(out: BinaryIO, kind: bytes, payload: bytes) -> None:
    out.write(_HEADER.pack(kind, len(payload)))
    out.write(payload)
    out.flush()  # each message is wanted now (a batch is megabytes: no gain in holding it)


def _receive(pipe: BinaryIO) -> tuple[bytes, bytes]:
    header = pipe.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise AnnotatorError("the import's reading process ended unexpectedly; nothing was imported")
    kind, size = _HEADER.unpack(header)
    payload = pipe.read(size)
    if len(payload) < size:
        raise AnnotatorError("the import's reading process ended unexpectedly; nothing was imported")
    return kind, payload


def _pickled_error(exc: Exception) -> bytes:
    try:
        data = pickle.dumps(exc, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(data)  # an exception whose arguments do not rebuild it: said in words
        return data
    except Exception:
        return pickle.dumps(AnnotatorError(str(exc)), protocol=pickle.HIGHEST_PROTOCOL)


def _state(reading: Reading) -> dict[str, Any]:
    additions = reading.additions
    return {"warnings": reading.warnings, "notes": reading.notes, "schema": reading.schema,
            "guesses": reading.guesses, "bytes_done": reading.bytes_done,
            "additions": None if additions is None else vars(additions)}


def _take_state(reading: Reading, state: dict[str, Any]) -> None:
    """The child's reading state into the parent's objects (the caller holds the same
    lists and Additions)."""
    reading.warnings.extend(state["warnings"])
    reading.notes.extend(state["notes"])
    reading.guesses.extend(state["guesses"])
    reading.schema = state["schema"]
    reading.bytes_done = state["bytes_done"]
    if reading.additions is not None:
        vars(reading.additions).update(state["additions"])


def _plain(rec: DocumentRecord) -> bool:
    """A record plain_record and plain_span can make again: spans with no fragments,
    cluster or attributes; no events, claims, alignments, links, relations, clusters or
    document attributes."""
    return (not (rec.events or rec.claims or rec.alignments or rec.links or rec.relations or rec.entities
                 or rec.attributes) and rec.schema_version == FORMAT_VERSION
            and not any(s.fragments or s.entity is not None or s.attributes for s in rec.spans))


def _packed(it: Incoming) -> tuple[Any, ...] | bytes:
    rec = it.record
    rec.digest, rec.nfc_digest, rec.folded  # noqa: B018 (computed here, in the child: cached on the record)
    if not _plain(rec):
        return pickle.dumps(it, protocol=pickle.HIGHEST_PROTOCOL)
    return (it.where, it.rename_on_clash, it.defer, rec.id, rec.lang, rec.text, rec.title, rec.source,
            _columns(rec.spans), rec.group,
            rec.annotator, rec.status, rec.digest, rec.nfc_digest, rec.folded)


def _columns(spans: tuple[SpanRecord, ...]) -> tuple[tuple[Any, ...], ...]:
    """The spans' ids, starts, ends, labels, values and notes (SpanColumns' columns): six
    tuples a record, not a tuple a span; their texts are the record's text at their offsets."""
    if not spans:
        return ((),) * 6
    return tuple(zip(*[(s.id, s.start, s.end, s.label, s.value, s.note) for s in spans], strict=True))


def _unpacked(entry: tuple[Any, ...] | bytes) -> Incoming:
    if isinstance(entry, bytes):
        return pickle.loads(entry)
    where, rename, defer, uid, lang, text, title, source, spans, group, annotator, status, digest, nfc, folded = entry
    ids, starts, ends, labels, values, notes = spans
    columns: Any = SpanColumns(ids, starts, ends, labels, values, notes, text) if ids else ()  # as the spans' tuple
    rec = plain_record(uid, lang, text, title, source, columns, group, annotator, status)
    cached = rec.__dict__
    cached["digest"], cached["nfc_digest"], cached["folded"] = digest, nfc, folded
    return Incoming(rec, where, rename, defer)
