"""brat standoff (https://brat.nlplab.org/standoff.html): a document's text in `NAME.txt`,
its annotation in `NAME.ann` beside it, one annotation per line, offsets in code points
of the .txt exactly as it is (CRLF counts two).

Reading either file of a pair gives one document record: the .txt decoded by the import
policy (core.textdecode), each `T` line a span (label = its type; fragments `0 5;10 15`
a discontinuous span, every offset rule checked per fragment), an `AnnotatorNotes` `#`
line on a T the span's note, an `N` line `Wikidata:Q42` the knowledge-base id of the
span's entity cluster, any other `N` line the span's value ("DB:ID") when the value
checks of its label accept it, an `A`/`M` line on a T an attribute of the span (binary:
true; multi-valued: its value, typed as the schema's attribute says), an `R` line
between two T a relation, a `*` line the spans' entity cluster (with the spans of the
same Wikidata id). Given the project's schema, attributes and relations it does not
declare (or a pair it refuses) are counted, not kept. The text quoted on a T line must be
the text at its offsets. What the app cannot store is counted in the result, never
dropped in silence: E events, A/R/N/* lines that do not fit, # lines that are not notes
on a span, lines of unknown kind. The entity types of the nearest annotation.conf (the
.ann's folder or one above, as brat looks) are the labels the file declares: added with
the labels used (unless `--strict`) when keys allow.

Writing fills a new folder with a pair per document (NAME from the document's id): the
text byte for byte in UTF-8, a T line per span (with its fragments), an N line per value
and per cluster's Wikidata id, an A line per span attribute (a true boolean binary, any
other value multi-valued), an R line per relation, a `*` Equiv line per cluster of two
spans or more in the document, an AnnotatorNotes line per note. What a .ann line cannot
hold (a span, value or note across a line break, an attribute value with a space) and
what brat has no place for (events, claims and their attributes, document attributes,
alignments, links, the layer's status, a cluster's identity across documents without a
Wikidata id, a span alone in its cluster without one) is counted in the result.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from annotator.core import graphemes
from annotator.core.errors import InputError
from annotator.core.ids import new_id
from annotator.core.kb import kb_problem
from annotator.core.records import (
    ClaimRecord,
    DocumentRecord,
    EntityRecord,
    EventRecord,
    RelationRecord,
    SpanRecord,
)
from annotator.core.schema import Attribute, Schema
from annotator.core.textdecode import decode_text
from annotator.core.values import value_problem
from annotator.formats import plaintext
from annotator.formats.base import Format, ReadResult, WriteResult

NAME = "brat"
EXTENSIONS = (".ann",)
CONF = "annotation.conf"

_LINE = re.compile(rb"^(?:T\d+\t\S+ \d+ \d+|[RENAM#*]\d*\t\S)")
_TEXT_BOUND = re.compile(r"(\S+) (\d+ \d+(?:;\d+ \d+)*)")
_REFERENCE = re.compile(r"(\S+) (\S+)(?: (\S+))?")  # "AnnotatorNotes T1", "Reference T1 Wikipedia:534366"

# What is counted, in the order it is reported.
_LEFT_OUT = {
    "E": "event(s) (E lines)",
    "R": "relation(s) (R lines) not between two text-bound annotations, or of a type or pair the project's schema "
         "does not declare",
    "*": "equivalence(s) (* lines) not between text-bound annotations",
    "A": "attribute(s) (A and M lines) not on a text-bound annotation, repeated, or not one the project's schema "
         "declares on its label",
    "N": "normalisation(s) (N lines) that are not a value the span's label takes or a Wikidata id, or not on a span",
    "#": "note(s) (# lines) that are not AnnotatorNotes on a span",
    "other": "line(s) of a kind brat's standoff format does not define",
}
WIKIDATA = "Wikidata:"  # the N line's database name for a cluster's knowledge-base id

def _head_lines(head: bytes) -> list[bytes]:
    return [ln.rstrip(b"\r") for ln in head.lstrip(b"\xef\xbb\xbf").split(b"\n")[:40] if ln.strip()][:20]


def looks_like_annotation(head: bytes) -> bool:
    lines = _head_lines(head)
    return bool(lines) and all(_LINE.match(ln) for ln in lines)


def sniff(path: Path, head: bytes) -> bool:
    """A .ann file, a .txt with a .ann beside it, or any file of annotation lines."""
    suffix = path.suffix.lower()
    return (suffix == ".ann" or suffix == ".txt" and _sibling(path, ".ann") is not None
            or looks_like_annotation(head))


def _sibling(path: Path, suffix: str) -> Path | None:
    for candidate in (path.with_suffix(suffix), path.with_suffix(suffix.upper())):
        if candidate.is_file():
            return candidate
    return None


def pair(path: Path, head: bytes = b"") -> tuple[Path, Path]:
    """(.txt, .ann) of the pair `path` belongs to; InputError when one is missing."""
    if path.suffix.lower() == ".txt":
        ann = _sibling(path, ".ann")
        if ann is None:
            if looks_like_annotation(head):
                raise InputError(str(path), None, "brat annotation lines in a .txt file: name it NAME.ann beside "
                                                  "its NAME.txt to import the pair, or import it as plain text "
                                                  "with --format text")
            raise InputError(str(path), None, f"no {path.with_suffix('.ann').name} beside it: brat standoff is a "
                                              ".txt and a .ann of the same name")
        return path, ann
    txt = _sibling(path, ".txt")
    if txt is None:
        raise InputError(str(path), None, f"no {path.with_suffix('.txt').name} beside it: a .ann file holds the "
                                          "annotation of the .txt of the same name; put the two side by side")
    return txt, path


def read(path: Path, data: bytes, *, annotator: str | None = None, schema: Schema | None = None) -> ReadResult:
    """`schema`, the project's: attribute values typed by it, and what it does not declare counted."""
    txt, ann = pair(path, data)
    text_data = data if txt == path else plaintext.read_regular(txt)
    ann_data = data if ann == path else plaintext.read_regular(ann)
    text = decode_text(text_data, str(txt))
    if not text.strip():
        raise InputError(str(txt), None, "the file has no text")
    lost: Counter[str] = Counter()
    layer = _read_annotation(decode_text(ann_data, str(ann)), text, str(ann), lost, schema)
    spans = layer.spans
    who = annotator or txt.stem
    first = text.strip().splitlines()[0].strip()
    title = first if len(first) <= 80 else first[:77].rstrip() + "…"
    rec = DocumentRecord(id=txt.stem, lang="", text=text, title=title, source=txt.name, spans=tuple(spans),
                         annotator=who, status="done", relations=tuple(layer.relations),
                         entities=tuple(layer.entities))
    result = ReadResult(records=[(str(ann), rec)])
    result.left_out = [f"{lost[k]} {words}" for k, words in _LEFT_OUT.items() if lost[k]]
    conf = _configuration(ann)
    if conf is not None:
        result.labels = entity_types(decode_text(plaintext.read_regular(conf), str(conf)))
    extra = [f"{n} {w}" for n, w in ((len(layer.relations), "relation(s)"), (len(layer.entities), "cluster(s)"),
                                     (sum(bool(s.fragments) for s in spans), "discontinuous span(s)"),
                                     (sum(len(s.attributes) for s in spans), "attribute value(s)")) if n]
    result.notes.append(f"{ann}: brat standoff, text {txt.name}: {len(spans)} span(s) in {who}'s layer"
                        + "".join(f", {e}" for e in extra)
                        + (f"; {len(result.labels)} entity type(s) declared in {conf}" if conf else ""))
    return result


def _configuration(ann: Path) -> Path | None:
    """The annotation.conf brat would use: in the document's folder or the nearest above."""
    for folder in ann.absolute().parents:
        try:
            if (folder / CONF).is_file():
                return folder / CONF
        except OSError:  # a folder above that cannot be searched: brat would not see it either
            return None
    return None


def entity_types(conf: str) -> list[str]:
    """The types of the [entities] section of an annotation.conf, in order; abstract ones
    (`!Type`, groups that cannot be annotated) and macros left out."""
    out: list[str] = []
    section = None
    for raw in conf.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
        elif line and section == "entities" and line[0] not in "!<":
            name = line.split()[0]
            if name not in out:
                out.append(name)
    return out


@dataclass
class _Layer:
    spans: list[SpanRecord]
    relations: list[RelationRecord]
    entities: list[EntityRecord]


def _read_annotation(ann: str, text: str, where: str, lost: Counter[str], schema: Schema | None) -> _Layer:
    spans: dict[str, SpanRecord] = {}  # brat id -> span
    later: list[tuple[str, str, str]] = []  # (kind, id, rest) of lines that point at T lines, taken once all are known
    for lineno, raw in enumerate(ann.split("\n"), 1):
        line = raw[:-1] if raw.endswith("\r") else raw
        if not line.strip():
            continue
        ident, _tab, rest = line.partition("\t")
        kind = ident[:1]
        if kind == "T":
            span = _text_bound(ident, rest, text, where, lineno)
            if ident in spans:
                raise InputError(where, f"line {lineno}", f"{ident} is already defined above")
            spans[ident] = span
        elif kind in ("N", "#", "A", "M", "R", "*"):
            later.append(("A" if kind == "M" else kind, ident, rest))
        elif kind == "E":
            lost[kind] += 1
        else:
            lost["other"] += 1
    relations: list[RelationRecord] = []
    same: dict[str, str] = {}  # union-find over brat T ids: the spans of one entity
    kbs: dict[str, str] = {}  # brat T id -> Wikidata id
    for kind, ident, rest in later:
        head, _tab, tail = rest.partition("\t")
        words = head.split(" ")
        if kind == "R":
            _relation(ident, words, spans, relations, schema, lost)
        elif kind == "*":
            members = words[1:]
            if len(members) < 2 or any(m not in spans for m in members):
                lost[kind] += 1
                continue
            for other in members[1:]:
                _join(same, members[0], other)
        elif kind == "A":
            _attribute(words, spans, schema, lost)
        else:
            m = _REFERENCE.fullmatch(head)
            target = spans.get(m.group(2)) if m else None
            if m is None or target is None:
                lost[kind] += 1
            elif kind == "#" and m.group(1) == "AnnotatorNotes" and m.group(3) is None:
                note = tail if target.note is None else f"{target.note}\n{tail}"
                spans[m.group(2)] = replace(target, note=note)
            elif kind == "N" and m.group(3) and m.group(3).startswith(WIKIDATA):
                qid = m.group(3).removeprefix(WIKIDATA)
                if m.group(2) in kbs or kb_problem(qid) is not None:
                    lost[kind] += 1
                else:
                    kbs[m.group(2)] = qid
                    same.setdefault(m.group(2), m.group(2))
            elif (kind == "N" and m.group(3) and target.value is None
                  and value_problem(target.label, m.group(3)) is None):
                spans[m.group(2)] = replace(target, value=m.group(3))
            else:
                lost[kind] += 1
    entities = _clusters(spans, same, kbs, lost)
    return _Layer(list(spans.values()), relations, entities)


def _relation(ident: str, words: list[str], spans: dict[str, SpanRecord], out: list[RelationRecord],
              schema: Schema | None, lost: Counter[str]) -> None:
    """`R1<TAB>Type Arg1:T1 Arg2:T2` between two spans, of a type and pair the schema declares."""
    args = {name: ref for name, _colon, ref in (w.partition(":") for w in words[1:])}
    a, b = spans.get(args.get("Arg1", "")), spans.get(args.get("Arg2", ""))
    if len(words) != 3 or a is None or b is None:
        lost["R"] += 1
        return
    if schema is not None:
        declared = schema.relation(words[0])
        if declared is None or declared.problem(a.label, b.label) is not None:
            lost["R"] += 1
            return
    out.append(RelationRecord(new_id("r"), words[0], a.id, b.id))


def _attribute(words: list[str], spans: dict[str, SpanRecord], schema: Schema | None, lost: Counter[str]) -> None:
    """`A1<TAB>Name T1` (binary: true) or `A1<TAB>Name T1 Value` on a span."""
    target = spans.get(words[1]) if len(words) in (2, 3) else None
    if target is None or any(k == words[0] for k, _v in target.attributes):
        lost["A"] += 1
        return
    value = _typed(words[2], schema.attribute(words[0]) if schema else None) if len(words) == 3 else True
    if schema is not None:
        declared = schema.attribute(words[0])
        if declared is None or not declared.applies("span", target.label) or declared.problem(value) is not None:
            lost["A"] += 1
            return
    spans[words[1]] = replace(target, attributes=(*target.attributes, (words[0], value)))


def _typed(raw: str, declared: Attribute | None) -> object:
    """A multi-valued attribute's value as the schema's attribute takes it (a string otherwise)."""
    if declared is not None and declared.kind == "bool" and raw in ("true", "false"):
        return raw == "true"
    if declared is not None and declared.kind == "number" and _NUMBER.fullmatch(raw):
        return json.loads(raw)
    return raw


_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")


def _join(parent: dict[str, str], a: str, b: str) -> None:
    parent.setdefault(a, a)
    parent.setdefault(b, b)
    ra, rb = _root(parent, a), _root(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)


def _root(parent: dict[str, str], x: str) -> str:
    while parent[x] != x:
        x = parent[x]
    return x


def _clusters(spans: dict[str, SpanRecord], same: dict[str, str], kbs: dict[str, str],
              lost: Counter[str]) -> list[EntityRecord]:
    """Entity clusters of the `*` lines and N Wikidata lines: spans of one Wikidata id are one
    cluster; its id is `ent-QID` (the same entity in every document), else a new one."""
    by_kb: dict[str, str] = {}
    for t, qid in kbs.items():
        if qid in by_kb:
            _join(same, by_kb[qid], t)
        by_kb.setdefault(qid, t)
    groups: dict[str, list[str]] = {}
    for t in same:
        groups.setdefault(_root(same, t), []).append(t)
    entities: list[EntityRecord] = []
    for members in groups.values():
        ids = sorted({kbs[t] for t in members if t in kbs})
        lost["N"] += len(ids[1:])  # one cluster, one id: a second is counted
        entity = EntityRecord(f"ent-{ids[0]}", ids[0]) if ids else EntityRecord(new_id("ent"))
        entities.append(entity)
        for t in members:
            spans[t] = replace(spans[t], entity=entity.id)
    return entities


def _text_bound(ident: str, rest: str, text: str, where: str, lineno: int) -> SpanRecord:
    """The span of a T line, discontinuous when it has fragments."""
    place = f"line {lineno}"
    head, tab, quoted = rest.partition("\t")
    m = _TEXT_BOUND.fullmatch(head)
    if m is None or not tab:
        raise InputError(where, place, f"{ident} is not a text-bound annotation brat writes "
                                       "(T1<TAB>TYPE START END<TAB>TEXT)")
    fragments = [tuple(map(int, f.split(" "))) for f in m.group(2).split(";")]
    for start, end in fragments:
        if not 0 <= start < end <= len(text):
            raise InputError(where, place, f"{ident}: offsets {start} {end} are not a non-empty range inside the "
                                           f"text (length {len(text)} characters)")
    seen = " ".join(text[s:e] for s, e in fragments)  # brat joins the fragments' texts by a space
    if seen != quoted:
        raise InputError(where, place, f"{ident}: text {quoted!r} does not match the text at {m.group(2)}: "
                                       f"{seen!r} (brat counts offsets in characters of the .txt as it is)")
    for j, (start, end) in enumerate(fragments):
        if j and start < fragments[j - 1][1]:
            raise InputError(where, place, f"{ident}: fragment {start} {end} overlaps or comes before the one "
                                           "before it")
        for pos in (start, end):
            if not graphemes.is_boundary(text, pos):
                raise InputError(where, place, f"{ident}: offset {pos} is inside a grapheme cluster (a letter and "
                                               "its marks): move it to the cluster's edge")
    start, end = fragments[0][0], fragments[-1][1]
    parts = tuple((a, b) for a, b in fragments) if len(fragments) > 1 else ()
    return SpanRecord(new_id("s"), start, end, m.group(1), text[start:end], fragments=parts)


_LINE_BREAKS = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")  # where a reader's lines may end
_UNSAFE_NAME = re.compile(r"[^\w.\-]|^\.")


def write(records: Iterable[DocumentRecord], folder: Path) -> WriteResult:
    lost: Counter[str] = Counter()
    names: set[str] = set()
    alone: dict[str, set[str]] = {}  # entity id without a Wikidata id -> documents it has mentions in
    n = 0
    for rec in records:
        stem = _UNSAFE_NAME.sub("_", rec.id) or "document"
        if stem.lower() in names:
            stem = next(f"{stem}-{k}" for k in range(2, len(names) + 3) if f"{stem}-{k}".lower() not in names)
        names.add(stem.lower())
        (folder / f"{stem}.txt").write_bytes(rec.text.encode("utf-8", "surrogatepass"))
        (folder / f"{stem}.ann").write_bytes(_annotation(rec, lost).encode("utf-8", "surrogatepass"))
        kb = {e.id: e.kb for e in rec.entities}
        for s in rec.spans:
            if s.entity is not None and kb.get(s.entity) is None:
                alone.setdefault(f"{rec.annotator}\t{s.entity}", set()).add(rec.id)
        n += 1
    lost["across_documents"] = sum(len(docs) > 1 for docs in alone.values())
    return WriteResult(n, [f"{lost[k]} {w}" for k, w in _WRITE_WORDS.items() if lost[k]])


_WRITE_WORDS = {
    "across": "span(s) across a line break (a .ann line cannot quote it)",
    "values": "value(s) with a space or a line break", "notes": "note(s) across a line break",
    "attribute_values": "attribute value(s) with a space or a line break, or empty",
    "events": "event(s)", "claims": "claim(s)",
    "frame_attributes": "attribute value(s) of events, claims, their arguments and documents",
    "ends": "relation(s) or cluster membership(s) of spans across a line break",
    "single": "cluster membership(s) of a span alone in its cluster in its document, without a Wikidata id",
    "across_documents": "cluster(s) across documents without a Wikidata id (brat joins the mentions within "
                        "each document only)",
    "alignments": "alignment(s)", "links": "link(s) between spans",
    "renamed": "document id(s) that are not file names (the files are named with '_' for the rest)"}


def _annotation(rec: DocumentRecord, lost: Counter[str]) -> str:
    lost["events"] += len(rec.events)
    lost["claims"] += len(rec.claims)
    frames: list[EventRecord | ClaimRecord] = [*rec.events, *rec.claims]
    lost["frame_attributes"] += len(rec.attributes) + sum(
        len(f.attributes) + sum(len(a.attributes) for a in f.arguments) for f in frames)
    lost["alignments"] += len(rec.alignments)
    lost["links"] += len(rec.links)
    lost["renamed"] += bool(_UNSAFE_NAME.search(rec.id))
    lines: list[str] = []
    numbers: dict[str, int] = {}  # span id -> its T number
    t = extra = attrs = 0
    kbs = {e.id: e.kb for e in rec.entities}
    for span in sorted(rec.spans, key=lambda s: (s.start, s.end, s.label, s.fragments)):
        pieces = span.fragments or ((span.start, span.end),)
        quoted = " ".join(rec.text[a:b] for a, b in pieces)
        if _LINE_BREAKS.search(quoted):
            lost["across"] += 1
            lost["ends"] += span.entity is not None
            continue
        t += 1
        numbers[span.id] = t
        where = ";".join(f"{a} {b}" for a, b in pieces)
        lines.append(f"T{t}\t{span.label} {where}\t{quoted}")
        if span.value is not None:
            if _LINE_BREAKS.search(span.value) or " " in span.value:
                lost["values"] += 1
            else:
                extra += 1
                lines.append(f"N{extra}\tReference T{t} {span.value}\t{quoted}")
        kb = kbs.get(span.entity) if span.entity is not None else None
        if kb is not None:
            extra += 1
            lines.append(f"N{extra}\tReference T{t} {WIKIDATA}{kb}\t{quoted}")
        for name, value in span.attributes:
            written = _attribute_value(value)
            if written is None:
                lost["attribute_values"] += 1
                continue
            attrs += 1
            lines.append(f"A{attrs}\t{name} T{t}" + ("" if written == "" else f" {written}"))
        if span.note is not None:
            if _LINE_BREAKS.search(span.note):
                lost["notes"] += 1
            else:
                extra += 1
                lines.append(f"#{extra}\tAnnotatorNotes T{t}\t{span.note}")
    for k, r in enumerate(rec.relations, 1):
        if r.from_span in numbers and r.to_span in numbers:
            lines.append(f"R{k}\t{r.type} Arg1:T{numbers[r.from_span]} Arg2:T{numbers[r.to_span]}")
        else:
            lost["ends"] += 1
    members: dict[str, list[int]] = {}
    for span in rec.spans:
        if span.entity is not None and span.id in numbers:
            members.setdefault(span.entity, []).append(numbers[span.id])
    for entity, ts in members.items():
        if len(ts) > 1:
            lines.append("*\tEquiv " + " ".join(f"T{x}" for x in sorted(ts)))
        elif kbs.get(entity) is None:
            lost["single"] += 1
    return "".join(line + "\n" for line in lines)


def _attribute_value(value: object) -> str | None:
    """How an A line writes a value: "" for a true boolean (a binary attribute), else the
    value as its word; None when no A line can hold it."""
    if value is True:
        return ""
    written = "false" if value is False else json.dumps(value) if isinstance(value, (int, float)) else str(value)
    return None if not written or any(c.isspace() for c in written) else written


FORMAT = Format(NAME, "brat standoff (.txt and .ann pairs, or folders of them)", EXTENSIONS, sniff, read, write,
                writes_folder=True, carries=("relations", "attributes", "fragments", "entities"))
