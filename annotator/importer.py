"""Importing files into a project: read and check everything first, then write it in
batches inside one transaction. Any error, or a cancel from the progress callback, leaves
the project exactly as it was.

Glue between formats/ (files -> records, read by import_reading) and store/ (records ->
rows), used by the CLI and the GUI alike.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from annotator import read_ahead
from annotator.core.errors import AnnotatorError, InputError
from annotator.core.incoming import Incoming
from annotator.core.places import Places
from annotator.core.records import nfc_digest
from annotator.core.schema_add import Additions
from annotator.formats.gold_checks import reference_problems
from annotator.import_reading import (  # noqa: F401 (MANIFEST, BATCH_*, read_early: named here as before)
    BATCH_BYTES,
    BATCH_RECORDS,
    MANIFEST,
    Batches,
    EarlyReading,
    _input_bytes,
    _Reading,
    read_early,
    read_inputs,
)
from annotator.paths import seeds_dir
from annotator.store import lock as locking
from annotator.store import span_counts
from annotator.store.location import Location, ServerLocation
from annotator.store.project import Project, make_folder, refuse_existing
from annotator.store.records_in import (
    ImportReport,
    RecordWriter,
    document_lengths,
    non_ascii_texts,
    span_exists,
)
from annotator.store.schema_change import write_schema
from annotator.store.server import drop_project

# SQLite's page cache during an import, in KiB: half the connection's 64 MB (kept for the
# search index while one works); the other half was a sixth of a large import's memory.
IMPORT_CACHE_KB = 32768
# Allocations between two collections of the youngest generation while an import runs
# (Python's default is 700): see _fewer_collections.
IMPORT_GC_THRESHOLD = 50_000


@dataclass(frozen=True)
class Progress:
    """How far an import is, given to the `progress` callback of import_paths: after each
    input file is read and checked (bytes of the files read, of their total), then after
    each batch of records written (`records` of `records_total`, known once all is read)."""

    bytes_done: int
    bytes_total: int
    records: int = 0
    records_total: int = 0


class _References:
    """Checks that need the whole import and the project: references (alignment targets
    and their lengths, link targets) and one knowledge-base id per cluster. What it keeps
    across batches is small (each document's length, the clusters' ids) but for the
    records that hold references, which are checked once every document has a row."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.lengths = document_lengths(conn)  # the project's documents, then the import's
        self.kbs: dict[tuple[str | None, str], str | None] = {}
        self.held: list[Incoming] = []

    def add(self, batch: list[Incoming]) -> None:
        plain = []
        for it in batch:
            self.lengths.setdefault(it.record.id, len(it.record.text))
            if it.record.alignments or it.record.links:
                self.held.append(it)
            elif it.record.entities:
                plain.append((it.where, it.record))
        if plain:
            _refuse(reference_problems(plain, {}, lambda _doc, _span: False, self.kbs))

    def check(self, writer: RecordWriter) -> None:
        """After the import's documents and the layers not deferred are written: a link
        target is a span of a held record, of a layer the writer holds back, or a row
        (under the id it was stored with)."""
        def known_span(doc: str, span: str) -> bool:
            return span_exists(self.conn, doc, writer.renamed.get(doc, {}).get(span, span))

        if self.held:
            pending = [(it.where, it.record) for it, _uid in writer.deferred
                       if not (it.record.alignments or it.record.links)]  # their spans are targets too
            _refuse(reference_problems([(it.where, it.record) for it in self.held] + pending, self.lengths,
                                       known_span, self.kbs))


def _refuse(problems: list[tuple[str, str]]) -> None:
    if problems:
        where, message = problems[0]
        raise InputError(where, None, message)


class _Twins:
    """Warnings for texts that differ from another (in the project or earlier in the
    import) only in Unicode normalisation: NFC and NFD copies of one text. Keeps, by the
    digest of each non-ASCII text's NFC form, where the first such text came from (a
    packed place) and, when that text was not in NFC, its own digest; not the texts."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.places = Places()
        self.known: dict[bytes, int | str | tuple[bytes, int | str]] | None = None

    def warnings(self, items: list[Incoming]) -> list[str]:
        incoming = [it for it in items if not it.record.text.isascii()]
        if not incoming:
            return []
        if self.known is None:  # the project's texts, read when the first non-ASCII text comes (before it is written)
            self.known = {}
            for uid, stored, text in non_ascii_texts(self.conn):
                raw = bytes.fromhex(stored)
                self._first(nfc_digest(text) or raw, raw, f"document {uid}")
        out = []
        for it in incoming:
            raw = it.record.digest
            other, who = self._first(it.record.nfc_digest or raw, raw, it.where)
            if other != raw:
                out.append(f"{it.where}: warning: probably the same text as {who}: the two differ only in "
                           "Unicode normalisation (NFC/NFD); both are kept")
        return out

    def _first(self, key: bytes, raw: bytes, who: str) -> tuple[bytes, str]:
        """(digest, where) of the first text whose NFC form's digest is `key`: this one
        (`raw`, from `who`) when none came before."""
        assert self.known is not None
        found = self.known.get(key)
        if found is None:
            place = self.places.pack(who)
            self.known[key] = place if raw == key else (raw, place)
            return raw, who
        if isinstance(found, tuple):
            return found[0], self.places.unpack(found[1])
        return key, self.places.unpack(found)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's cyclic garbage collector runs less often while an import runs: what an
    import allocates goes with reference counting (records and rows hold no cycles), and
    the collector's passes over every object alive (the imports', the per-document maps)
    were 0.5 s of the 8 s of CPU of a 10,000-document import. The objects alive before
    are frozen (never scanned) until it ends; the thresholds are put back after."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(IMPORT_GC_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


@contextmanager
def _import_cache(conn) -> Iterator[None]:
    """SQLite's page cache for the import's transaction: IMPORT_CACHE_KB instead of the
    connection's (64 MB, for the search index while one works), put back after."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{IMPORT_CACHE_KB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before)}")


def _meta_in(conn) -> tuple[str, str] | None:
    """(schema, languages) as the project holds them, in the caller's transaction."""
    found = dict(conn.exec_driver_sql("SELECT key, value FROM project_meta WHERE key IN ('schema', 'languages')").all())
    if "schema" not in found or "languages" not in found:
        return None
    return found["schema"], found["languages"]


def import_paths(project: Project, paths: list[Path], strict: bool = False, fmt: str | None = None,
                 options: dict | None = None, add_labels: bool | None = None,
                 progress: Callable[[Progress], None] | None = None,
                 early: EarlyReading | None = None) -> ImportReport:
    """Read, check and write every input in one transaction, BATCH_RECORDS records at a
    time (gold JSONL is read a line at a time, so memory stays flat in the size of the
    corpus); `progress` is called after each file read and each batch written, and any
    error, or an exception `progress` raises (a cancel), leaves the project as it was.
    With `strict` a warning (an unknown key, a probable duplicate, something a format has
    that the project cannot hold) refuses the import like an error. `fmt` names the
    format of the files named (detected by content when None); `options` go to its
    reader. Labels, event types and roles the schema lacks are added to it in the same
    transaction as the records; `strict` refuses them instead. `add_labels` True adds them
    even with `strict`, False never (the GUI's unticked "Add labels" box: what the schema
    lacks is refused). `early`: the reading read_early began for these arguments, taken
    if the project still says what it read (else stopped, and the reading begins anew)."""
    asked = (tuple(Path(p) for p in paths), strict, fmt, options, add_labels)
    warnings: list[str] = []
    notes: list[str] = []
    added = Additions() if add_labels or (add_labels is None and not strict) else None
    paths = [Path(p) for p in paths]
    total = _input_bytes(paths) if progress is not None else 0
    records = 0

    def report_progress(_size: int = 0) -> None:
        if progress is not None:
            done = reading.bytes_done
            progress(Progress(done, max(total, done), records))

    reading = _Reading(project.languages, project.schema, warnings, fmt, options or {}, notes, added,
                       on_file=report_progress if progress is not None else None)
    with _fewer_collections(), project.write() as conn, _import_cache(conn), span_counts.appended(conn) as counts:
        ahead: Batches | None = None
        if early is not None:
            if early.asked == asked and early.meta == _meta_in(conn):
                reading, ahead = early.reading, early.batches  # its reading's lists and additions are the report's
                warnings, notes, added = reading.warnings, reading.notes, reading.additions
                reading.on_file = report_progress if progress is not None else None
            else:  # the project changed since (or was upgraded on opening): read anew
                early.close()
        writer = RecordWriter(conn, bulk=True, counts=counts)  # the spans' indexes built once, by end_load()
        twins = _Twins(conn)
        references = _References(conn)
        twin_warnings: list[str] = []  # said after the readers' warnings
        # read by a second process, a batch ahead, where one may be forked (read_ahead)
        if ahead is None:
            ahead = read_ahead.batches(reading, paths) if read_ahead.possible() else reading.batches(paths)
        with closing(ahead) as batches:  # an error or a cancel here stops the reading process now
            for batch in batches:
                twin_warnings.extend(twins.warnings(batch))
                references.add(batch)
                writer.write(batch)
                records += len(batch)
                report_progress()
        writer.end_load()  # the spans' indexes, before the references' checks read spans by id
        warnings.extend(twin_warnings)
        if strict and warnings:
            raise AnnotatorError(f"{warnings[0]} (refused: --strict makes warnings errors; "
                                 f"{len(warnings)} warning(s) in all)")
        reading.finish()
        references.check(writer)
        if added is not None and added.schema is not None:
            write_schema(conn, added.schema)
            if added.lines:  # (what a carried schema adds is said by its file)
                notes.append(f"{project.path}: added to the schema: {', '.join(added.lines)}")
        writer.finish()
        report = writer.report
    if added is not None and added.schema is not None:
        project.__dict__.pop("schema", None)  # the cached copy is stale now
    report.warnings = warnings
    report.notes = notes
    return report


def seed(project: Project) -> ImportReport:
    """Add the bundled seed documents; a second call adds nothing (duplicates by checksum).
    A project without guidelines gets the seed gold's (seeds/gold/GUIDELINES.md), so the
    guidelines panel shows the rules the seeds were annotated by."""
    report = import_paths(project, [seeds_dir()])
    from annotator.store.guidelines import guidelines, set_guidelines

    with project.read() as conn:
        has_guidelines = bool(guidelines(conn))
    rules = seeds_dir() / "gold" / "GUIDELINES.md"
    if not has_guidelines and rules.is_file():
        set_guidelines(project, rules.read_text(encoding="utf-8"), "GUIDELINES.md")
    return report


def create_project(path: Location, with_seeds: bool = True, schema_text: str | None = None) -> Project:
    """Create a project (with the seed documents) as one step: it is built beside the
    target and linked into place only when complete, so a crash or a kill half-way leaves
    no half-made project behind, just a scratch file the next attempt removes. The new
    project's own lock is held throughout, so a second creator of the same path waits
    for nothing and fails cleanly; the final link never replaces a file."""
    if isinstance(path, ServerLocation):
        return _create_on_server(path, with_seeds, schema_text)
    path = Path(path)
    refuse_existing(path)
    make_folder(path.parent)
    try:
        guard = locking.acquire(path)
    except locking.ProjectLocked as exc:
        raise AnnotatorError(f"{path}: another process (pid {exc.owner.get('pid', '?')}) is creating or using "
                             "this project; wait for it to finish") from None
    scratch = path.with_name(f".{path.name}.creating")
    leftovers = (scratch, Path(f"{scratch}-wal"), Path(f"{scratch}-shm"))
    try:
        refuse_existing(path)  # made by another process before the lock was ours
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        with Project.create(scratch, schema_text=schema_text) as project:
            if with_seeds:
                seed(project)
            project.checkpoint()  # everything into the main file before it moves
        _link_into_place(scratch, path)
    except OSError as exc:
        raise AnnotatorError(f"{exc.filename or path}: cannot create the project ({exc.strerror})") from exc
    finally:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        guard.release()
    return Project.open(path)


def _create_on_server(location: ServerLocation, with_seeds: bool, schema_text: str | None) -> Project:
    """The schema in one transaction, the seeds in another; seeds that fail take the
    schema just made with them (the database was empty: Project.create checked)."""
    project = Project.create(location, schema_text=schema_text)
    if with_seeds:
        try:
            seed(project)
        except BaseException:
            drop_project(project.engine)
            project.close()
            raise
    return project


def _link_into_place(scratch: Path, path: Path) -> None:
    """A hard link never replaces an existing file (a rename would); where links are not
    supported, the existence check made under the lock has to do."""
    if os.path.lexists(path) and os.lstat(path).st_size == 0 and path.is_file():
        os.replace(scratch, path)  # an empty file was a name kept free for the project
        return
    try:
        os.link(scratch, path)
    except FileExistsError:
        raise AnnotatorError(f"{path}: a file already exists there; choose another name") from None
    except OSError:
        refuse_existing(path)
        os.replace(scratch, path)


def open_default_project(path: Path, check_later: bool = False) -> Project:
    """The project a new user sees: created from the seeds on first start, reopened after."""
    path = Path(path)
    if path.is_file() and path.stat().st_size > 0:
        return Project.open(path, check_later=check_later)
    return create_project(path)


@dataclass
class SuggestionImport:
    loaded: int
    documents: int
    unmatched: list[str]  # where each record with no document of the same text was read
    warnings: list[str]


def import_suggestions(project: Project, paths: list[Path], source: str, fmt: str | None = None,
                       options: dict | None = None) -> SuggestionImport:
    """Load the spans of the files (any format of the registry, gold JSONL included) as
    the suggestions of `source`, replacing what that source held. A record is matched to
    the project's document with the same text; records that match none are counted and
    named, not loaded. Spans carry no score in these formats: each gets 1.0."""
    from sqlalchemy import select

    from annotator.store.models import Document
    from annotator.store.suggestions import load_suggestions

    warnings: list[str] = []
    items = read_inputs([Path(p) for p in paths], project.languages, project.schema, warnings, fmt, options)
    with project.read() as conn:
        by_checksum = dict(conn.execute(select(Document.checksum, Document.id)).all())
    rows: list[tuple[int, int, int, str, float]] = []
    unmatched: list[str] = []
    docs: set[int] = set()
    for it in items:
        doc = by_checksum.get(it.record.checksum)
        if doc is None:
            unmatched.append(it.where)
            continue
        docs.add(doc)
        rows.extend((doc, s.start, s.end, s.label, 1.0) for s in it.record.spans)
    change = load_suggestions(project, source, rows)
    return SuggestionImport(cast(int, change.result), len(docs), unmatched, warnings)
