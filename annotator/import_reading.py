"""An import's reading: files to checked records, a batch at a time (importer._Reading's
work). Apart from the importer's writing, which needs the database's modules, so that
an import's reading process (read_ahead) can be forked before those are imported
(importer.read_early): nothing here imports SQLAlchemy or the store (a contract in
pyproject.toml says so)."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Generator, Iterator
from contextlib import closing, suppress
from dataclasses import dataclass, replace
from pathlib import Path

from annotator import read_ahead
from annotator.core import langid
from annotator.core.checks import record_problems
from annotator.core.errors import AnnotatorError, InputError
from annotator.core.incoming import Incoming
from annotator.core.schema import parse_schema
from annotator.core.schema_add import Additions, missing_types, with_labels, with_types
from annotator.core.schema_merge import merge_schema
from annotator.formats import brat, conll, doccano, jsonl, labelstudio, plaintext, registry, spacy_docbin
from annotator.formats.base import Format

MANIFEST = "manifest.json"
BATCH_RECORDS = 1000  # records read, checked and written at a time, between two progress reports
# A batch of gold JSONL also ends at this many bytes of lines: what a batch holds while it
# is checked and written (its texts, span records, rows) is several times the size of its
# lines (about 40 MB for 1,000 lines of 5.4 KB), so documents of 1 MB come 8 at a time,
# not 1,000. (A smaller bound saves memory at a cost in CPU: each batch recounts its
# layers' spans in SQL, about 0.1 s a batch.)
BATCH_BYTES = 8 << 20


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


# The batches of an import's reading: its process's (read_ahead), or read in process.
Batches = read_ahead.Started | Generator[list[Incoming], None, None]


@dataclass
class EarlyReading:
    """An import's reading begun by read_early, before the project was opened: what it
    read the project's schema and languages as, and its batches (a reading process)."""

    asked: tuple[object, ...]  # import_paths' arguments it was begun for
    meta: tuple[str, str]  # the project's schema and languages, as stored, when it began
    reading: _Reading
    batches: Batches

    def close(self) -> None:
        """Stop the reading (its process) if import_paths did not take it."""
        self.batches.close()


def read_early(path: object, paths: list[Path], strict: bool = False, fmt: str | None = None,
               options: dict | None = None, add_labels: bool | None = None) -> EarlyReading | None:
    """import_paths' reading begun now, in a reading process, for a project file not yet
    opened (the CLI: the reading overlaps the import of the database's modules and the
    opening, a third of a second). The project's schema and languages are read with
    sqlite3 alone, the connection closed before the fork; import_paths takes the reading
    only if the project, once opened and in its transaction, still says the same, and
    otherwise stops it and reads anew (so does a project this cannot read: its error is
    said by the opening). None where a reading process cannot be had."""
    if not isinstance(path, Path) or not read_ahead.possible():
        return None
    try:  # a regular file only: a FIFO or a device would block the read (the opening refuses them)
        if not stat.S_ISREG(path.stat().st_mode):
            return None
    except (OSError, ValueError):
        return None
    meta = _stored_meta(path)
    if meta is None:
        return None
    try:
        schema = parse_schema(meta[0], f"{path} (project schema)")
        languages = tuple(json.loads(meta[1]))
    except (AnnotatorError, ValueError, TypeError):
        return None
    paths = [Path(p) for p in paths]
    added = Additions() if add_labels or (add_labels is None and not strict) else None
    reading = _Reading(languages, schema, [], fmt, options or {}, [], added)
    asked = (tuple(paths), strict, fmt, options, add_labels)
    return EarlyReading(asked, meta, reading, read_ahead.started(reading, paths))


def _stored_meta(path: Path) -> tuple[str, str] | None:
    """(schema, languages) as the project file holds them, read only; None when it cannot
    be read so."""
    import sqlite3

    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            found = dict(db.execute("SELECT key, value FROM project_meta WHERE key IN ('schema', 'languages')"))
    except (sqlite3.Error, OSError, ValueError):
        return None
    if not isinstance(found.get("schema"), str) or not isinstance(found.get("languages"), str):
        return None
    return found["schema"], found["languages"]
