"""The one set of checks of a gold JSONL file, applied by `annotator import` and by
`annotator validate` alike: decoding (with the byte offset of a bad byte), JSON syntax,
duplicate keys, the shape of gold.schema.json (types, unknown keys), the record's own
consistency (core.checks) and, across lines, duplicate layers and references.

Findings are errors or warnings (unknown keys, a byte-order mark, CRLF line ends: things
the import can safely ignore); `--strict` makes every warning an error.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

import orjson

from annotator.core.alignment_edit import kept_crossings
from annotator.core.checks import record_problems
from annotator.core.errors import InputError
from annotator.core.records import DocumentRecord
from annotator.core.schema import Schema
from annotator.formats.gold_jsonl import FOREIGN_KEYS, Bad, foreign_keys, from_obj

# The formats that read the files of those tools (formats.registry detects them by content).
READERS = {"doccano": "doccano", "Prodigy": "prodigy", "Label Studio": "labelstudio"}


@dataclass(frozen=True)
class Finding:
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        return f"line {self.line}: {'warning: ' if self.warning else ''}{self.message}"


@dataclass
class CheckedFile:
    count: int = 0  # non-blank lines
    records: list[tuple[int, DocumentRecord]] = field(default_factory=list)  # lines without errors
    unnamed: list[int] = field(default_factory=list)  # lines of layers without an annotator, given `layer_name`
    findings: list[Finding] = field(default_factory=list)
    schema_ref: str | None = None  # the schema file the lines name ($.schema), the same on every line

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if not f.warning]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.warning]


def line_problems(line: bytes, label_schema: Schema | None = None, line_start: int = 0,
                  refs: list[str | None] | None = None,
                  prepare: Callable[[DocumentRecord], DocumentRecord] | None = None
                  ) -> tuple[DocumentRecord | None, list[str], list[str]]:
    """(record or None, errors, warnings) of one line, bytes as in the file (without its LF)
    that start at byte `line_start` of the file (for the offset of a bad byte). The schema
    file the line names (`$.schema`, or None) is appended to `refs` when given. `prepare`
    may change a record before its checks (eval widens predictions to grapheme clusters)."""
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return None, [_syntax(line, line_start, exc)], []
    if line.rstrip(b"\r") != orjson.dumps(obj):  # not in canonical form: look for repeated keys
        repeated = _repeated_keys(line)
        if repeated:
            return None, [repeated], []
    foreign = foreign_keys(obj)
    if foreign:  # another tool's annotation: refused, not ignored like an unknown key
        tool = FOREIGN_KEYS[foreign[0]]
        reader = READERS.get(tool)
        how = (f"`annotator import` reads such a file as {tool} (--format {reader})" if reader
               else f"{tool} is not supported yet")
        return None, [f"$.{foreign[0]}: annotation in {tool}'s shape, not gold JSONL: reading the line as gold "
                      f"JSONL would lose it; {how}"], []
    unknown: list[str] = []
    try:
        rec = from_obj(obj, unknown)
    except Bad as exc:
        return None, [str(exc)], unknown
    if refs is not None:
        refs.append(obj.get("schema"))
    if prepare is not None:
        rec = prepare(rec)
    return rec, record_problems(rec, label_schema), unknown


class LayerLines:
    """The layers of one file by document id, for the checks across its lines (and an
    import's across its files): one entry a document, kept small because an import of
    100,000 documents keeps one for each until it ends. An entry holds the digest of the
    document's text, its first line and the annotator of that line's layer (gold_jsonl
    interns the names); the lines of the document's other layers, when it has more than
    one, are kept apart."""

    def __init__(self) -> None:
        self.first: dict[str, tuple[bytes, int, str | None]] = {}  # document id -> (digest, first line, annotator)
        self.more: dict[tuple[str, str | None], int] = {}  # (document id, annotator) -> line: the other layers

    def add(self, doc: str, annotator: str | None, digest: bytes, line: int) -> tuple[int, int]:
        """(the first line of this layer, the first line of this document): `line` for a new one."""
        first = self.first.get(doc)
        if first is None:
            self.first[doc] = (digest, line, annotator)
            return line, line
        if first[2] == annotator:
            return first[1], first[1]
        return self.more.setdefault((doc, annotator), line), first[1]

    def line(self, doc: str, annotator: str | None) -> int | None:
        """The line of the layer (`doc`, `annotator`), or None when the file has no such layer."""
        first = self.first.get(doc)
        if first is None:
            return None
        return first[1] if first[2] == annotator else self.more.get((doc, annotator))

    def digest(self, doc: str) -> bytes:
        return self.first[doc][0]


class LineChecker:
    """The checks of check_file one line at a time, for a file read a piece at a time (an
    import streams large files). What it keeps across lines is small: its LayerLines and
    the lines of unnamed layers; never the records themselves."""

    def __init__(self, label_schema: Schema | None = None,
                 prepare: Callable[[int, DocumentRecord], DocumentRecord] | None = None,
                 layer_name: str | None = None, out: CheckedFile | None = None) -> None:
        self.out = CheckedFile() if out is None else out
        self.label_schema = label_schema
        self.prepare = partial(_named, layer_name, self.out.unnamed, prepare) if layer_name else prepare
        self.crlf_seen = False
        self.layers = LayerLines()
        self.ref_line: int | None = None  # the first line read, whose $.schema the others must repeat

    def bom(self) -> None:
        self.out.findings.append(Finding(1, "the file starts with a byte-order mark; gold JSONL is UTF-8 without one "
                                            "(ignored)", warning=True))

    def check(self, lineno: int, line: bytes, start: int) -> DocumentRecord | None:
        """The record of line `lineno` (bytes without its LF, from byte `start` of the file)
        when it has no error; its findings go to the CheckedFile. None for a blank or bad line."""
        out, findings = self.out, self.out.findings
        if not line.strip():
            return None
        out.count += 1
        if not self.crlf_seen and line.endswith(b"\r"):
            self.crlf_seen = True
            findings.append(Finding(lineno, "CRLF line end; gold JSONL uses LF (ignored)", warning=True))
        refs: list[str | None] = []
        rec, errors, warnings = line_problems(line, self.label_schema, start, refs,
                                              None if self.prepare is None else partial(self.prepare, lineno))
        if refs and self.ref_line is None:
            out.schema_ref, self.ref_line = refs[0], lineno
        elif refs and refs[0] != out.schema_ref:  # one file, one schema: a line naming another is not of it
            named = "no schema" if out.schema_ref is None else repr(out.schema_ref)
            errors = errors + [f"$.schema: {'none' if refs[0] is None else repr(refs[0])}, but line {self.ref_line} "
                               f"names {named}; the lines of one file carry one schema"]
        findings.extend(Finding(lineno, m) for m in errors)
        findings.extend(Finding(lineno, m, warning=True) for m in warnings)
        if rec is None:
            return None
        layer, first = self.layers.add(rec.id, rec.annotator, rec.digest, lineno)
        if layer != lineno:
            who = f"{rec.annotator}'s layer" if rec.annotator else "without a layer"
            findings.append(Finding(lineno, f"document {rec.id!r} {who} is already on line {layer}"))
        if first != lineno and self.layers.digest(rec.id) != rec.digest:
            findings.append(Finding(lineno, f"$.text: document {rec.id!r} has another text on line {first}; "
                                            "one id names one text"))
            return None
        return None if errors else rec


def check_file(data: bytes, where: str = "", label_schema: Schema | None = None,
               prepare: Callable[[int, DocumentRecord], DocumentRecord] | None = None,
               layer_name: str | None = None) -> CheckedFile:
    """Every line checked; `prepare(line number, record)` may change a record before its checks.
    A layer without an annotator (the Prodigy and spaCy convention) is an error, or with
    `layer_name` is named so (its line listed in `unnamed`, for the caller to say)."""
    checker = LineChecker(label_schema, prepare, layer_name)
    out = checker.out
    offset = 0
    if data.startswith(b"\xef\xbb\xbf"):
        checker.bom()
        offset = 3
    for lineno, line in enumerate(data[offset:].split(b"\n"), start=1):
        start, offset = offset, offset + len(line) + 1
        rec = checker.check(lineno, line, start)
        if rec is not None:
            out.records.append((lineno, rec))
    return out


def _named(name: str, unnamed: list[int], then: Callable[[int, DocumentRecord], DocumentRecord] | None,
           lineno: int, rec: DocumentRecord) -> DocumentRecord:
    if rec.has_layer and not rec.annotator:
        unnamed.append(lineno)
        rec = replace(rec, annotator=name)
    return rec if then is None else then(lineno, rec)


def unnamed_note(where: str, checked: CheckedFile, name: str, chosen: bool) -> str | None:
    """The line of an import's (or validate's) summary on the layers `layer_name` named."""
    if not checked.unnamed:
        return None
    lines = ", ".join(map(str, checked.unnamed[:5])) + (", ..." if len(checked.unnamed) > 5 else "")
    why = "as --annotator says" if chosen else "the file's name; --annotator NAME names it otherwise"
    return (f"{where}: {len(checked.unnamed)} record(s) with annotations name no annotator (line(s) {lines}): "
            f"their layer is {name!r} ({why})")


def reference_problems(records: Iterable[tuple[Any, DocumentRecord]], known_lengths: Mapping[str, int],
                       known_span: Callable[[str, str], bool],
                       kbs: dict[tuple[str | None, str], str | None] | None = None) -> list[tuple[Any, str]]:
    """(where, problem) for references (`where` is whatever each record came with) that lead nowhere: alignment targets and link targets
    neither among `records` nor known (documents by id with their text length; spans by a
    lookup), and alignment ranges beyond the target's text. `kbs` carries the knowledge-base
    id of each cluster across calls (an import checks its records a batch at a time)."""
    records = list(records)
    lengths = dict(known_lengths)
    spans_of: dict[str, set[str]] = {}
    for _where, rec in records:
        lengths.setdefault(rec.id, len(rec.text))
        spans_of.setdefault(rec.id, set()).update(s.id for s in rec.spans)
    out = []
    kbs = {} if kbs is None else kbs  # one cluster id of one annotator, one kb id
    for where, rec in records:
        for i, en in enumerate(rec.entities):
            kb = kbs.setdefault((rec.annotator, en.id), en.kb)
            if kb != en.kb:
                out.append((where, f"$.entities[{i}].kb: entity {en.id!r} of {rec.annotator} is {en.kb} here but "
                                   f"{kb} in another record; one cluster has one knowledge-base id"))
        for i, al in enumerate(rec.alignments):
            n = lengths.get(al.target)
            if n is None:
                out.append((where, f"$.alignments[{i}].target: document {al.target!r} is neither in the input "
                                   "nor in the project"))
                continue
            for key, blocks in (("blocks", al.blocks), ("crossings", al.crossings)):
                for j, b in enumerate(blocks):
                    if not b.b_start <= b.b_end <= n:
                        out.append((where, f"$.alignments[{i}].{key}[{j}].b: [{b.b_start}, {b.b_end}) is not a range "
                                           f"inside the text of {al.target!r} (length {n})"))
            kept = kept_crossings(al.blocks, al.crossings)
            for j, c in enumerate(al.crossings):
                if c not in kept:
                    out.append((where, f"$.alignments[{i}].crossings[{j}]: [{c.a_start}, {c.a_end}) / [{c.b_start}, "
                                       f"{c.b_end}) is not a pair of sentences left untranslated by the blocks"))
        for i, lk in enumerate(rec.links):
            if lk.target_span in spans_of.get(lk.target_doc, ()) or known_span(lk.target_doc, lk.target_span):
                continue
            out.append((where, f"$.links[{i}]: span {lk.target_span!r} of document {lk.target_doc!r} "
                               "is neither in the input nor in the project"))
    return out


def _syntax(line: bytes, line_start: int, exc: orjson.JSONDecodeError) -> str:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as bad:
        return (f"invalid UTF-8 at byte {line_start + bad.start} (0x{line[bad.start]:02x}): {bad.reason}; "
                "gold JSONL is UTF-8")
    return f"not valid JSON ({exc.msg} at character {exc.pos + 1} of the line)"


def _repeated_keys(line: bytes) -> str | None:
    """The first key an object of the line repeats (orjson keeps the last in silence)."""
    found: list[str] = []

    def pairs(items):
        keys = set()
        for k, _v in items:
            if k in keys and not found:
                found.append(k)
            keys.add(k)
        return dict(items)

    try:
        json.loads(line, object_pairs_hook=pairs)
    except ValueError:
        return None
    return f"key {found[0]!r} appears twice in one object; which one is meant is ambiguous" if found else None


def read(data: bytes, where: str, prepare: Callable[[int, DocumentRecord], DocumentRecord] | None = None
         ) -> Iterator[tuple[int, DocumentRecord]]:
    """Records of a whole file, checked as import and `validate` check them (without a label
    schema; `prepare` as for check_file); the first bad line raises InputError with its
    line number."""
    checked = check_file(data, where, prepare=prepare)
    errors = [f for f in checked.findings if not f.warning]
    if errors:
        raise InputError(where, f"line {errors[0].line}", errors[0].message)
    yield from checked.records
