"""Importing files into a project: read and check everything first, then write it in
batches inside one transaction. Any error, or a cancel from the progress callback, leaves
the project exactly as it was.

Glue between formats/ (files -> records) and store/ (records -> rows), used by the CLI
and the GUI alike.
"""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Callable, Generator, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import cast

from annotator import read_ahead
from annotator.core import langid
from annotator.core.checks import record_problems
from annotator.core.errors import AnnotatorError, InputError
from annotator.core.places import Places
from annotator.core.records import nfc_digest
from annotator.core.schema_add import Additions, missing_types, with_labels, with_types
from annotator.core.schema_merge import merge_schema
from annotator.formats import brat, conll, doccano, jsonl, labelstudio, plaintext, registry, spacy_docbin
from annotator.formats.base import Format
from annotator.formats.gold_checks import reference_problems
from annotator.paths import seeds_dir
from annotator.store import lock as locking
from annotator.store import span_counts
from annotator.store.location import Location, ServerLocation
from annotator.store.project import Project, make_folder, refuse_existing
from annotator.store.records_in import (
    ImportReport,
    Incoming,
    RecordWriter,
    document_lengths,
    non_ascii_texts,
    span_exists,
)
from annotator.store.schema_change import write_schema
from annotator.store.server import drop_project

MANIFEST = "manifest.json"
BATCH_RECORDS = 1000  # records read, checked and written at a time, between two progress reports
# A batch of gold JSONL also ends at this many bytes of lines: what a batch holds while it
# is checked and written (its texts, span records, rows) is several times the size of its
# lines (about 40 MB for 1,000 lines of 5.4 KB), so documents of 1 MB come 8 at a time,
# not 1,000. (A smaller bound saves memory at a cost in CPU: each batch recounts its
# layers' spans in SQL, about 0.1 s a batch.)
BATCH_BYTES = 8 << 20
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


def read_inputs(paths: list[Path], languages: tuple[str, ...], schema=None,
                warnings: list[str] | None = None, fmt: str | None = None, options: dict | None = None,
                notes: list[str] | None = None, additions: Additions | None = None,
                on_file: Callable[[int], object] | None = None) -> list[Incoming]:
    """Every record of the inputs, each checked; the first error raises InputError naming
    the file and the place. Warnings ("where: warning: message") are appended to `warnings`,
    what a reader decided (the tag scheme it saw) to `notes`.

    Each file's format is `fmt` when given (for the files of a folder too, so the
    refusal's advice "use --format text" works there), or else decided by its content
    (formats.registry.detect); `options` go to the readers that take them (CoNLL's).
    Labels, event types and roles the schema lacks are refused, or, given `additions`,
    added to its schema (which the checks of the files after use); so is what the schema a
    file carries (an export's OUT.schema.json) adds, with that schema's colours and keys.
    `on_file(size)` is called after each file is read and checked, with its size in bytes.

    All in memory; import_paths reads the same way a batch at a time (_Reading)."""
    reading = _Reading(languages, schema, [] if warnings is None else warnings, fmt, options or {},
                       [] if notes is None else notes, additions, on_file)
    items = [it for batch in reading.batches(paths) for it in batch]
    reading.finish()
    return items


class _Reading:
    """The inputs of one import, read file by file and given in batches of checked records,
    in input order. Gold JSONL files are read a line at a time (formats.jsonl.Stream), so
    what is kept across batches is small (layer keys, the language guesses, the records
    whose checks wait for the end of their file); other formats are read whole, then
    given in batches.

    With additions, the labels a JSONL batch uses and the schema lacks are added as the
    batch comes; event types and roles when its file ends, as when a whole file was read:
    the records with events or claims are marked `defer` (the writer writes their layers
    last) and checked against the schema then."""

    def __init__(self, languages: tuple[str, ...], schema, warnings: list[str], fmt: str | None, options: dict,
                 notes: list[str], additions: Additions | None, on_file: Callable[[int], object] | None = None,
                 batch: int | None = None) -> None:
        self.languages, self.schema, self.warnings, self.options = languages, schema, warnings, options
        self.notes, self.additions, self.on_file = notes, additions, on_file
        self.size = batch or BATCH_RECORDS
        self.max_bytes = BATCH_BYTES
        self.named = registry.get(fmt) if fmt else None
        self.seen: dict[tuple[str, str | None], str] = {}  # layers of the files read whole -> where
        self.streams: list[jsonl.Stream] = []  # the gold JSONL files read a line at a time: their layers
        self.guesses: list[langid.Guess] = []
        self.bytes_done = 0  # of the files read so far, and of the one being read

    def batches(self, paths: list[Path]) -> Generator[list[Incoming], None, None]:
        pairs: set[tuple[int, int]] = set()  # brat pairs read, by the .ann's device and inode (a folder gives both files)
        for path in paths:
            if path.is_dir() and (path / MANIFEST).is_file():
                yield from self._ready(_from_manifest(path))
                continue
            for file in plaintext.expand([path], registry.for_folder()):
                if self._streams(file):
                    yield from self._jsonl(file)
                    continue
                data = plaintext.read_regular(file)
                form = registry.detect(file, data) if self.named is None else self.named
                if form is brat.FORMAT:
                    st = os.stat(brat.pair(file, data)[1])  # the same file under any name or link: one stat
                    if (st.st_dev, st.st_ino) in pairs:
                        continue
                    pairs.add((st.st_dev, st.st_ino))
                new, self.schema = _read_file(form, file, data, self.schema, self.warnings, self.notes, self.options,
                                              self.additions)
                self.bytes_done += len(data)
                if self.on_file is not None:
                    self.on_file(len(data))
                yield from self._ready(new)

    def finish(self) -> None:
        """The note on the languages identified, once every batch is read."""
        if self.guesses:
            self.notes.append(langid.summary(self.guesses))

    def _streams(self, file: Path) -> bool:
        """Gold JSONL by --format or by its name and first line: read a line at a time."""
        if self.named is not None:
            return self.named is jsonl.FORMAT
        if file.suffix.lower() != ".jsonl":
            return False
        return registry.detect(file, _head(file)) is jsonl.FORMAT

    def _ready(self, items: list[Incoming], stream: jsonl.Stream | None = None) -> Iterator[list[Incoming]]:
        """`items` (of `stream`, or of a file read whole) in batches: each layer once in the
        import, languages identified."""
        for i in range(0, len(items), self.size):
            batch = items[i:i + self.size]
            _no_layer_twice(batch, self.seen, self.streams, stream)
            unnamed = [j for j, it in enumerate(batch) if not it.record.lang]
            if unnamed:  # identified together: one set of array operations decides a batch of texts
                guesses = langid.identify_many((batch[j].record.text for j in unnamed), self.languages)
                for j, guess in zip(unnamed, guesses, strict=True):
                    batch[j] = replace(batch[j], record=replace(batch[j].record, lang=guess.lang))
                self.guesses.extend(guesses)
            yield batch

    def _jsonl(self, file: Path) -> Iterator[list[Incoming]]:
        additions = self.additions
        grow = additions is not None and self.schema is not None
        start = self.bytes_done
        with plaintext.open_regular(file) as fh:
            stream = jsonl.Stream(file, fh, self.options.get("annotator"))
            self.streams.append(stream)
            if stream.own is not None:  # the schema the file carries: what it adds comes first
                self.schema = _carried(file, self.schema, stream.own, additions, self.notes)
            held: list[Incoming] = []  # records whose events and claims are checked when the file ends
            for pairs in stream.batches(None if grow else self.schema, self.size, self.max_bytes):
                items = [Incoming(rec, where) for where, rec in pairs]
                if grow:
                    assert additions is not None
                    labels = missing_types(self.schema, (it.record for it in items))[0]
                    if labels:
                        self.schema = additions.add(*with_labels(self.schema, labels, str(file)))
                    for i, it in enumerate(items):
                        if it.record.events or it.record.claims:
                            items[i] = replace(it, defer=True)
                            held.append(items[i])
                self.bytes_done = start + stream.bytes_read
                yield from self._ready(items, stream)
        if held:
            assert additions is not None
            self.schema = additions.add(*with_types(self.schema, (it.record for it in held), str(file)))
            for it in held:  # what the checks without a schema left out: roles and the labels they accept
                problems = record_problems(it.record, self.schema)
                if problems:
                    raise InputError(it.where, None, problems[0])
        self.warnings.extend(stream.warnings)
        self.notes.extend(stream.notes)
        if self.on_file is not None:
            self.on_file(stream.bytes_read)


def _head(file: Path) -> bytes:
    """The first bytes of a file, enough to tell its format (registry.HEAD, and its whole
    first line)."""
    with plaintext.open_regular(file) as fh:
        try:
            head = fh.read(registry.HEAD)
            while b"\n" not in head:
                more = fh.read(1 << 20)
                if not more:
                    break
                head += more
        except OSError as exc:
            raise InputError(str(file), None, exc.strerror or str(exc)) from None
    return head


def _read_file(form: Format, file: Path, data: bytes, schema, warnings: list[str], notes: list[str],
               options: dict, additions: Additions | None) -> tuple[list[Incoming], object]:
    """The file's records and the schema the next files are checked against."""
    if form.read is None:
        raise InputError(str(file), None, f"{form.name} is a format annotator writes, not reads")
    grow = form is jsonl.FORMAT and additions is not None and schema is not None
    if form is jsonl.FORMAT:  # checked without the schema when what it lacks is added below
        result = jsonl.read(file, data, None if grow else schema, annotator=options.get("annotator"))
    elif form is conll.FORMAT:
        result = conll.read(file, data, **{k: v for k, v in options.items() if v is not None})
    elif form is brat.FORMAT:
        result = brat.read(file, data, annotator=options.get("annotator"), schema=schema)
    elif form is labelstudio.FORMAT:
        result = labelstudio.read(file, data, annotator=options.get("annotator"), schema=schema)
    elif form is doccano.FORMAT:
        result = doccano.read(file, data, **{k: options[k] for k in form.options if options.get(k) is not None},
                              schema=schema)
    elif form is spacy_docbin.FORMAT:
        result = spacy_docbin.read(file, data, annotator=options.get("annotator"))
    else:
        result = form.read(file, data, **{k: options[k] for k in form.options if options.get(k) is not None})
    if result.schema is not None:  # the schema the file carries: what it adds comes first, in its colours and keys
        schema = _carried(file, schema, result.schema, additions, notes)
    warnings.extend(result.warnings)
    warnings.extend(f"{file}: warning: left out {what}" for what in result.left_out)
    notes.extend(result.notes)
    own = form is jsonl.FORMAT  # our ids are references; any other format's are only wishes
    items = [Incoming(rec, where, rename_on_clash=not own) for where, rec in result.records]
    if not own:
        schema = _fits_schema(file, items, schema, additions, result.labels, notes)
    elif grow:
        assert additions is not None and schema is not None
        schema = additions.add(*with_types(schema, (it.record for it in items), str(file)))
        for it in items:  # what the checks without a schema left out: roles and the labels they accept
            problems = record_problems(it.record, schema) if it.record.events or it.record.claims else []
            if problems:
                raise InputError(it.where, None, problems[0])
    return items, schema


def _carried(file: Path, schema, own, additions: Additions | None, notes: list[str]):
    """The schema the next checks use, widened by the schema `file` carries; refused when
    it adds something and nothing may be added (--strict)."""
    if schema is None:
        return own
    merged, lines = merge_schema(schema, own, str(file))
    if lines and additions is None:
        raise InputError(str(file), None, f"the schema it carries adds to the project's: {'; '.join(lines)}; nothing "
                                          "imported (--strict imports only what the project's schema describes)")
    if lines and additions is not None:  # written with the records; said apart from what is added without colours
        additions.schema = merged
        notes.append(f"{file}: added to the schema from the schema it carries: {'; '.join(lines)}")
    return merged


def _fits_schema(file: Path, items: list[Incoming], schema, additions: Additions | None,
                 declared: list[str], notes: list[str]):
    """Records of another format: labels the schema lacks are listed in one message (or
    added, with those the file declares when the schema can take them all), then each
    record gets the checks of a gold JSONL record (offsets, grapheme clusters). Returns
    the schema with any labels added."""
    if schema is not None:
        missing = sorted({s.label for it in items for s in it.record.spans if schema.label(s.label) is None})
        if missing and additions is None:
            raise InputError(str(file), None, f"label(s) not in the project's schema: {', '.join(missing)}; "
                                              "nothing imported (--strict); add --add-labels to add them, or add "
                                              "them with `annotator schema PROJECT --set FILE`, and import again")
        rank = {n: i for i, n in enumerate(declared)}  # added in the order the file declares them
        missing.sort(key=lambda n: rank.get(n, len(rank)))
        unused = [n for n in declared if schema.label(n) is None and n not in missing]
        if additions is not None and unused:
            both = sorted(unused + missing, key=lambda n: rank.get(n, len(rank)))
            try:
                schema = additions.add(*with_labels(schema, both, str(file)))
                missing = []
            except AnnotatorError as exc:  # no free keys, or a name that is not a label's
                why = str(exc).removeprefix(f"{file}: ")
                notes.append(f"{file}: the {len(unused)} declared label(s) no span uses are not added: {why}")
        if missing and additions is not None:
            schema = additions.add(*with_labels(schema, missing, str(file)))
    for it in items:
        problems = record_problems(it.record, schema)
        if problems:
            raise InputError(it.where, None, problems[0])
    return schema


def _no_layer_twice(items: list[Incoming], seen: dict[tuple[str, str | None], str], streams: list[jsonl.Stream],
                    stream: jsonl.Stream | None = None) -> None:
    """The same document and layer twice in one import (two files, or two lines): refused.
    `seen` holds the layers of the files read whole before, to which those of `items` are
    added unless they come from `stream`; the gold JSONL files read a line at a time keep
    their own (jsonl.Stream.layers, the one map of a large import's documents), and
    `stream` has checked its lines among themselves."""
    for it in items:
        if it.rename_on_clash:  # plain text: its id is only a wish
            continue
        key = (it.record.id, it.record.annotator)
        before = seen.get(key)
        for other in streams:
            line = None if before is not None or other is stream else other.layers.line(*key)
            if line is not None:
                before = other.where(line)
        if before is not None:
            who = f"{key[1]}'s layer" if key[1] else "without a layer"
            raise InputError(it.where, None, f"document {key[0]!r} {who} is already in this import, at {before}")
        if stream is None:
            seen[key] = it.where


def _from_manifest(folder: Path) -> list[Incoming]:
    where = str(folder / MANIFEST)
    try:
        manifest = json.loads(plaintext.read_regular(folder / MANIFEST).decode("utf-8"))
        entries = manifest["documents"]
        if not isinstance(entries, list):
            raise TypeError("$.documents is not a list")
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(where, None, f"not a valid manifest ({exc})") from None
    items = []
    for i, entry in enumerate(entries):
        name, fields = _manifest_fields(where, f"$.documents[{i}]", entry)
        file = _manifest_file(folder, where, f"$.documents[{i}].file", name)
        rec = plaintext.read_txt(file, lang=fields["lang"] or "", title=fields["title"], doc_id=fields["id"],
                                 group=fields["group"])
        # The checks of a JSONL record (`validate` applies them to the export of this one).
        problems = record_problems(rec)
        if problems:  # a problem's JSON path is that of the record: the entry's, here
            path, _, reason = problems[0].partition(": ")
            raise InputError(where, f"$.documents[{i}]{path[1:]}", f"{reason} (the entry of {name!r})")
        items.append(Incoming(rec, str(file), rename_on_clash=True))
    return items


_MANIFEST_STRINGS = ("lang", "id", "title", "group")  # each a string, null or absent


def _manifest_fields(where: str, place: str, entry: object) -> tuple[str, dict[str, str | None]]:
    """The entry's file name and its optional fields, each of the right type."""
    if not isinstance(entry, dict):
        raise InputError(where, place, "expected an object with a \"file\" (and optionally lang, id, title, group)")
    name = entry.get("file")
    if name is None or name == "":
        raise InputError(where, f"{place}.file", "missing: each entry names a file of the folder")
    if not isinstance(name, str) or "\0" in name:
        raise InputError(where, f"{place}.file", "expected a file name (a string without NUL characters)")
    fields: dict[str, str | None] = {}
    for key in _MANIFEST_STRINGS:
        value = entry.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError(where, f"{place}.{key}", "expected a string (or null)")
        fields[key] = value
    return name, fields


def _manifest_file(folder: Path, where: str, place: str, name: str) -> Path:
    """The entry's file: inside the folder (links followed), existing, not a folder."""
    if Path(name).is_absolute() or ".." in Path(name).parts:
        raise InputError(where, place, f"{name!r} is outside the folder: an entry names a file inside it, "
                                       "without '..' or an absolute path")
    file = folder / name
    try:
        inside = plaintext.inside(file, folder)
    except (OSError, RuntimeError) as exc:  # a link loop, a name too long
        raise InputError(where, place, f"{name!r}: cannot follow it ({getattr(exc, 'strerror', None) or exc})") from None
    if not inside:
        raise InputError(where, place, f"{name!r} leads outside the folder (a link to {file.resolve()}): refused")
    try:
        is_dir = file.is_dir()
        exists = is_dir or file.exists()
    except OSError as exc:
        raise InputError(where, place, f"{name!r}: {exc.strerror}") from None
    if not exists:
        raise InputError(where, place, f"{name!r}: no such file in {folder}")
    if is_dir:
        raise InputError(where, place, f"{name!r} is a folder, not a text file")
    return file


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


def _input_bytes(paths: list[Path]) -> int:
    """The size of the files an import reads (a manifest folder's text files not counted:
    they are read as the manifest says, and small)."""
    total = 0
    for path in paths:
        if path.is_dir() and (path / MANIFEST).is_file():
            continue
        with suppress(InputError, OSError):  # what cannot be listed or read is named by the read itself
            total += sum(f.stat().st_size for f in plaintext.expand([path], registry.for_folder()))
    return total


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


def import_paths(project: Project, paths: list[Path], strict: bool = False, fmt: str | None = None,
                 options: dict | None = None, add_labels: bool | None = None,
                 progress: Callable[[Progress], None] | None = None) -> ImportReport:
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
    lacks is refused)."""
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
        writer = RecordWriter(conn, bulk=True, counts=counts)  # the spans' indexes built once, by end_load()
        twins = _Twins(conn)
        references = _References(conn)
        twin_warnings: list[str] = []  # said after the readers' warnings
        # read by a second process, a batch ahead, where one may be forked (read_ahead)
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
