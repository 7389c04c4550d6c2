"""brat standoff (https://brat.nlplab.org/standoff.html): a document's text in `NAME.txt`,
its annotation in `NAME.ann` beside it, one annotation per line, offsets in code points
of the .txt exactly as it is (CRLF counts two).

Reading either file of a pair gives one document record: the .txt decoded by the import
policy (core.textdecode), each `T` line a span (label = its type), an `AnnotatorNotes`
`#` line on a T the span's note, an `N` line the span's value ("DB:ID") when the value
checks of its label accept it. The text quoted on a T line must be the text at its
offsets. What the app cannot store yet is counted in the result, never dropped in
silence: discontinuous T (fragments `0 5;10 15`), E events, R relations, `*`
equivalences, A/M attributes, N and # lines that do not fit, lines of unknown kind.
The entity types of the nearest annotation.conf (the .ann's folder or one above, as
brat looks) are the labels the file declares: added with the labels used (unless `--strict`) when keys allow.

Writing fills a new folder with a pair per document (NAME from the document's id): the
text byte for byte in UTF-8, a T line per span, an N line per value, an AnnotatorNotes
line per note. What a .ann line cannot hold (a span, value or note across a line break,
a value with a space) and what the writer does not write (events, claims, alignments,
links, the layer's status) is counted in the result.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from annotator.core import graphemes
from annotator.core.errors import InputError
from annotator.core.ids import new_id
from annotator.core.records import DocumentRecord, SpanRecord
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
    "discontinuous": "discontinuous text-bound annotation(s) (T lines with fragments; a span is one range)",
    "E": "event(s) (E lines)",
    "R": "relation(s) (R lines)",
    "*": "equivalence(s) (* lines)",
    "A": "attribute(s) (A and M lines)",
    "N": "normalisation(s) (N lines) that are not a value the span's label takes, or not on a span",
    "#": "note(s) (# lines) that are not AnnotatorNotes on a span",
    "other": "line(s) of a kind brat's standoff format does not define",
}


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


def read(path: Path, data: bytes, *, annotator: str | None = None) -> ReadResult:
    txt, ann = pair(path, data)
    text_data = data if txt == path else plaintext.read_regular(txt)
    ann_data = data if ann == path else plaintext.read_regular(ann)
    text = decode_text(text_data, str(txt))
    if not text.strip():
        raise InputError(str(txt), None, "the file has no text")
    lost: Counter[str] = Counter()
    spans = _read_annotation(decode_text(ann_data, str(ann)), text, str(ann), lost)
    layer = annotator or txt.stem
    first = text.strip().splitlines()[0].strip()
    title = first if len(first) <= 80 else first[:77].rstrip() + "…"
    rec = DocumentRecord(id=txt.stem, lang="", text=text, title=title, source=txt.name, spans=tuple(spans),
                         annotator=layer, status="done")
    result = ReadResult(records=[(str(ann), rec)])
    result.left_out = [f"{lost[k]} {words}" for k, words in _LEFT_OUT.items() if lost[k]]
    conf = _configuration(ann)
    if conf is not None:
        result.labels = entity_types(decode_text(plaintext.read_regular(conf), str(conf)))
    result.notes.append(f"{ann}: brat standoff, text {txt.name}: {len(spans)} span(s) in {layer}'s layer"
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


def _read_annotation(ann: str, text: str, where: str, lost: Counter[str]) -> list[SpanRecord]:
    spans: dict[str, SpanRecord] = {}  # brat id -> span
    later: list[tuple[int, str, str, str]] = []  # N and # lines, taken once every T is known
    for lineno, raw in enumerate(ann.split("\n"), 1):
        line = raw[:-1] if raw.endswith("\r") else raw
        if not line.strip():
            continue
        ident, _tab, rest = line.partition("\t")
        kind = ident[:1]
        if kind == "T":
            span = _text_bound(ident, rest, text, where, lineno, lost)
            if span is not None:
                if ident in spans:
                    raise InputError(where, f"line {lineno}", f"{ident} is already defined above")
                spans[ident] = span
        elif kind in ("N", "#"):
            later.append((lineno, kind, ident, rest))
        elif kind in ("E", "R", "*", "A"):
            lost[kind] += 1
        elif kind == "M":
            lost["A"] += 1
        else:
            lost["other"] += 1
    for _lineno, kind, _ident, rest in later:
        head, _tab, tail = rest.partition("\t")
        m = _REFERENCE.fullmatch(head)
        target = spans.get(m.group(2)) if m else None
        if m is None or target is None:
            lost[kind] += 1
        elif kind == "#" and m.group(1) == "AnnotatorNotes" and m.group(3) is None:
            note = tail if target.note is None else f"{target.note}\n{tail}"
            spans[m.group(2)] = SpanRecord(target.id, target.start, target.end, target.label, target.text,
                                           target.value, note)
        elif (kind == "N" and m.group(3) and target.value is None
              and value_problem(target.label, m.group(3)) is None):
            spans[m.group(2)] = SpanRecord(target.id, target.start, target.end, target.label, target.text,
                                           m.group(3), target.note)
        else:
            lost[kind] += 1
    return list(spans.values())


def _text_bound(ident: str, rest: str, text: str, where: str, lineno: int, lost: Counter[str]) -> SpanRecord | None:
    """The span of a T line; None (counted) for a discontinuous one."""
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
    if len(fragments) > 1:
        lost["discontinuous"] += 1
        return None
    start, end = fragments[0]
    for pos in (start, end):
        if not graphemes.is_boundary(text, pos):
            raise InputError(where, place, f"{ident}: offset {pos} is inside a grapheme cluster (a letter and its "
                                           "marks): move it to the cluster's edge")
    return SpanRecord(new_id("s"), start, end, m.group(1), quoted)


_LINE_BREAKS = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")  # where a reader's lines may end
_UNSAFE_NAME = re.compile(r"[^\w.\-]|^\.")


def write(records: Iterable[DocumentRecord], folder: Path) -> WriteResult:
    lost: Counter[str] = Counter()
    names: set[str] = set()
    n = 0
    for rec in records:
        stem = _UNSAFE_NAME.sub("_", rec.id) or "document"
        if stem.lower() in names:
            stem = next(f"{stem}-{k}" for k in range(2, len(names) + 3) if f"{stem}-{k}".lower() not in names)
        names.add(stem.lower())
        (folder / f"{stem}.txt").write_bytes(rec.text.encode("utf-8", "surrogatepass"))
        (folder / f"{stem}.ann").write_bytes(_annotation(rec, lost).encode("utf-8", "surrogatepass"))
        n += 1
    words = {"across": "span(s) across a line break (a .ann line cannot quote it)",
             "values": "value(s) with a space or a line break", "notes": "note(s) across a line break",
             "events": "event(s)", "claims": "claim(s)", "alignments": "alignment(s)", "links": "link(s) between spans",
             "renamed": "document id(s) that are not file names (the files are named with '_' for the rest)"}
    return WriteResult(n, [f"{lost[k]} {w}" for k, w in words.items() if lost[k]])


def _annotation(rec: DocumentRecord, lost: Counter[str]) -> str:
    lost["events"] += len(rec.events)
    lost["claims"] += len(rec.claims)
    lost["alignments"] += len(rec.alignments)
    lost["links"] += len(rec.links)
    lost["renamed"] += bool(_UNSAFE_NAME.search(rec.id))
    lines: list[str] = []
    t = extra = 0
    for span in sorted(rec.spans, key=lambda s: (s.start, s.end, s.label)):
        quoted = rec.text[span.start:span.end]
        if _LINE_BREAKS.search(quoted):
            lost["across"] += 1
            continue
        t += 1
        lines.append(f"T{t}\t{span.label} {span.start} {span.end}\t{quoted}")
        if span.value is not None:
            if _LINE_BREAKS.search(span.value) or " " in span.value:
                lost["values"] += 1
            else:
                extra += 1
                lines.append(f"N{extra}\tReference T{t} {span.value}\t{quoted}")
        if span.note is not None:
            if _LINE_BREAKS.search(span.note):
                lost["notes"] += 1
            else:
                extra += 1
                lines.append(f"#{extra}\tAnnotatorNotes T{t}\t{span.note}")
    return "".join(line + "\n" for line in lines)


FORMAT = Format(NAME, "brat standoff (.txt and .ann pairs, or folders of them)", EXTENSIONS, sniff, read, write,
                writes_folder=True)
