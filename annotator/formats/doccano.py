"""doccano JSONL (sequence labelling and relation extraction projects): one document per
line, `text` and its spans in either of doccano's two shapes:

- `"label": [[start, end, "LABEL"], ...]` (sequence labelling; older files say `labels`),
  the shape doccano's own export example shows (backend/data_export/pipeline/examples/
  sequence_labeling/example.jsonl in github.com/doccano/doccano);
- `"entities": [{"id", "start_offset", "end_offset", "label"}, ...]` with `"relations":
  [{"from_id", "to_id", "type"}, ...]` (relation extraction; backend/data_import/pipeline/
  examples/relation_extraction/example.jsonl).

Offsets. doccano's server (Python) stores the numbers it is given; the numbers its
annotation screen gives are JavaScript string positions, UTF-16 code units, in which a
character outside the BMP counts two (doccano issue #2290 "Sequence labels are
TypeScript/JavaScript-style", 2023, and #2484, 2026, both open; the old offset fix of
PR #108 went with the old front end), or grapheme clusters in a project made with "count
grapheme clusters as one character". A file written by a Python script counts code
points. doccano JSONL carries no quoted text to tell them apart, so each line is read in
the unit in which every one of its spans is a range of whole characters of its text:
code points and UTF-16 units agree on a text without astral characters; where both fit
and differ, the one whose span edges cut fewer words is taken (annotated spans are
words), and on a tie UTF-16 (the annotation screen's unit) with a warning (`--strict`
refuses); grapheme clusters are tried when neither fits. The reader's
`offsets` option (`--offsets` on the command line; or a line's `meta.offsets`, which the writer puts where the units
differ) names the unit instead. Writing counts UTF-16 code units, which doccano's screen
shows at the right place.

Keys: `id` is the document id (a wish: a clash takes a free one); `meta` {lang, title,
source} restore what the writer wrote; `annotator`/`username` name the layer, else
`--annotator`, else the file's stem. The `relations` of an entities line are relations
between its entities' spans; the writer writes that shape for a document with relations
(entity ids numbered in span order), the `label` shape otherwise. Counted, never dropped
in silence: relations that do not fit (an end that is not one entity of the line, no
type, a type or pair the project's schema does not declare), document labels (strings in `label`, a text classification file), comments, and any
other key (doccano exports a document's metadata as top-level keys). A line with no
spans is a document without a layer (doccano cannot tell "nothing to label" from "not
looked at").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import orjson

from annotator.core import units
from annotator.core.errors import AnnotatorError, InputError
from annotator.core.ids import new_id
from annotator.core.records import DocumentRecord, RelationRecord, SpanRecord
from annotator.core.schema import Schema
from annotator.formats import spans_in
from annotator.formats.base import Format, ReadResult, WriteResult

NAME = "doccano"
OFFSETS = ("auto",) + units.UNITS
_LAYER_KEYS = ("annotator", "username")
_KNOWN = frozenset(("id", "text", "label", "labels", "entities", "relations", "Comments", "comments", "meta")
                   + _LAYER_KEYS)
_META = ("lang", "title", "source", "offsets")
# Keys of gold JSONL that doccano lines never have: a line with one is not doccano's.
GOLD_ONLY = frozenset(("spans", "events", "claims", "alignments", "links", "status", "schema_version", "group"))


def sniff(path: Path, head: bytes) -> bool:
    from annotator.formats.jsonl import first_object

    return looks_like(first_object(head))


def looks_like(obj: object) -> bool:
    return (isinstance(obj, dict) and isinstance(obj.get("text"), str) and not GOLD_ONLY & obj.keys()
            and any(isinstance(obj.get(k), list) for k in ("label", "labels", "entities")))


def _raw_spans(obj: dict, where: str, lineno: int, lost: Counter[str]) -> list[tuple[int, int, str, str, object]]:
    """(start, end, label, place, entity id or None) as written, before any unit is chosen."""
    place = f"line {lineno}"
    keys = [k for k in ("label", "labels", "entities") if k in obj]
    if len(keys) > 1:
        raise InputError(where, place, f"both {keys[0]!r} and {keys[1]!r}: which holds the spans is ambiguous")
    out: list[tuple[int, int, str, str, object]] = []
    if not keys:
        return out
    key = keys[0]
    items = obj[key]
    if not isinstance(items, list):
        raise InputError(where, f"{place}: $.{key}", "expected a list")
    for i, item in enumerate(items):
        at = f"{place}: $.{key}[{i}]"
        ident = None
        if key == "entities":
            if not isinstance(item, dict):
                raise InputError(where, at, "expected an object {id, start_offset, end_offset, label}")
            s, e, lab, ident = item.get("start_offset"), item.get("end_offset"), item.get("label"), item.get("id")
        elif isinstance(item, str):
            lost["document labels"] += 1  # a text classification line: the label is the document's
            continue
        elif isinstance(item, list) and len(item) == 3:
            s, e, lab = item
        else:
            raise InputError(where, at, "expected [start, end, \"LABEL\"]")
        if not (spans_in.is_int(s) and spans_in.is_int(e) and isinstance(lab, str)):
            raise InputError(where, at, "expected integer offsets and a label string")
        out.append((s, e, lab, at, ident))
    return out


def _word_edges(text: str, start: int | None, end: int | None) -> int:
    """How many of the span's two edges do not cut a word (a letter or digit on each side)."""
    if start is None or end is None:
        return 0
    return sum(not (0 < pos < len(text) and text[pos - 1].isalnum() and text[pos].isalnum()) for pos in (start, end))


def _unit(text: str, raw: list[tuple[int, int, str, str, object]], offsets: str, where: str) -> tuple[str, bool]:
    """The unit the line's offsets are read in, and whether that was a guess between two."""
    def fits(unit: str) -> bool:
        conv = units.from_unit(text, unit)
        return all(spans_in.fits(text, conv(s), conv(e)) for s, e, _l, _p, _i in raw)

    if offsets != "auto":
        return offsets, False
    readings: dict[tuple[tuple[int | None, int | None], ...], list[str]] = {}
    for unit in units.UNITS:  # codepoints, utf16, graphemes: ties keep this order
        if fits(unit):
            conv = units.from_unit(text, unit)
            readings.setdefault(tuple((conv(s), conv(e)) for s, e, _l, _p, _i in raw), []).append(unit)
    if len(readings) == 1:
        return next(iter(readings.values()))[0], False
    if readings:
        # Spans are words: the reading whose edges cut fewer words wins; a tie is a guess.
        score = {key: sum(_word_edges(text, a, b) for a, b in key) for key in readings}
        best = max(score.values())
        tied = [unit for key, names in readings.items() if score[key] == best for unit in names]
        return ("utf16" if "utf16" in tied else tied[0]), len({k for k in readings if score[k] == best}) > 1
    s, e, _l, place = next((s, e, lab, p) for s, e, lab, p, _i in raw if not spans_in.fits(text, s, e))
    raise InputError(where, place, f"offsets {s} {e} are not a range of whole characters of the text in code "
                                   "points, UTF-16 code units or grapheme clusters (length "
                                   f"{len(text)} code points)")


def read(path: Path, data: bytes, *, annotator: str | None = None, offsets: str = "auto",
         schema: Schema | None = None) -> ReadResult:
    """`schema`, the project's: relations of a type or pair it does not declare are counted."""
    where = str(path)
    if offsets not in OFFSETS:
        raise InputError(where, None, f"unknown offset unit {offsets!r}; one of {', '.join(OFFSETS)}")
    layer_default = annotator or path.stem
    lost: Counter[str] = Counter()
    extra: Counter[str] = Counter()
    read_in: Counter[str] = Counter()
    guessed: list[int] = []
    result = ReadResult(records=[])
    ids: dict[str, int] = {}
    for n, (lineno, obj) in enumerate(spans_in.json_lines(data, where), 1):
        text = obj.get("text")
        if not isinstance(text, str):
            raise InputError(where, f"line {lineno}: $.text", "missing, or not a string: each line is a document")
        raw = _raw_spans(obj, where, lineno, lost)
        meta = obj.get("meta")
        meta = meta if isinstance(meta, dict) else ({} if meta is None else {"meta": meta})
        said_unit = meta.get("offsets") if offsets == "auto" and meta.get("offsets") in units.UNITS else None
        unit, guess = (said_unit, False) if said_unit else _unit(text, raw, offsets, where)
        if guess:
            guessed.append(lineno)
        if raw and units.has_astral(text):
            read_in[unit] += 1
        conv = units.from_unit(text, unit)
        spans = []
        by_entity: dict[object, list[SpanRecord]] = {}
        for s, e, lab, place, ident in raw:
            start, end = conv(s), conv(e)
            if start is None or end is None:
                raise InputError(where, place, f"offsets {s} {e} are not a range of the text in {unit}")
            spans.append(spans_in.span(text, start, end, lab, where, place))
            if isinstance(ident, (str, int)) and not isinstance(ident, bool):
                by_entity.setdefault(ident, []).append(spans[-1])
        relations = _relations(obj.get("relations"), by_entity, schema, lost)
        for key in ("Comments", "comments"):
            if isinstance(obj.get(key), list):
                lost["comments"] += len(obj[key])
        for key in meta:
            if key not in _META or not isinstance(meta[key], str):
                extra[f"meta.{key}"] += 1
        for key in obj:
            if key not in _KNOWN:
                extra[key] += 1
        doc_id = obj.get("id")
        doc_id = str(doc_id) if isinstance(doc_id, (str, int)) and not isinstance(doc_id, bool) and str(doc_id) \
            else f"{path.stem}-{n}"
        if doc_id in ids:
            raise InputError(where, f"line {lineno}", f"document id {doc_id!r} is already on line {ids[doc_id]}")
        ids[doc_id] = lineno
        layer = next((obj[k] for k in _LAYER_KEYS if isinstance(obj.get(k), str) and obj[k]), layer_default)
        said = {k: v for k, v in meta.items() if k in _META and isinstance(v, str) and v}
        rec = DocumentRecord(id=doc_id, lang=said.get("lang", ""), text=text, title=said.get("title", spans_in.title(text)),
                             source=said.get("source", path.name),
                             spans=tuple(spans), annotator=layer if spans else None,
                             status="done" if spans else "todo", relations=tuple(relations))
        result.records.append((f"{where}: line {lineno}", rec))
    if not result.records:
        raise InputError(where, None, "no lines: not a doccano JSONL file (one {\"text\", \"label\"} object per line)")
    words = {"relations": "relation(s) between spans not between two entities of the line, or of a type or pair the "
                          "project's schema does not declare", "document labels": "document label(s) (text classification)",
             "comments": "comment(s)"}
    result.left_out = [f"{lost[k]} {w}" for k, w in words.items() if lost[k]]
    if extra:
        result.left_out.append(f"{sum(extra.values())} metadata field(s) the app has no place for (keys "
                               f"{', '.join(sorted(extra))})")
    layers = sorted({rec.annotator for _w, rec in result.records if rec.annotator})
    result.notes.append(f"{where}: doccano JSONL, {len(result.records)} document(s); spans in the layer(s) "
                        f"{', '.join(layers) or '(none: no spans)'}"
                        + (f" (--annotator, or the file's name: {layer_default})" if layer_default in layers else "")
                        + "".join(f"; {c} line(s) with astral characters read in {u}" for u, c in sorted(read_in.items())))
    if guessed:
        result.warnings.append(
            f"{where}: warning: line(s) {', '.join(map(str, guessed[:10]))}{' ...' if len(guessed) > 10 else ''}: "
            "the offsets fit the text both in code points and in UTF-16 code units; read as UTF-16 (doccano's "
            "annotation screen counts them); for a file written by a script that counts code points, import "
            "with --offsets codepoints")
    return result


def _relations(items: object, by_entity: dict[object, list[SpanRecord]], schema: Schema | None,
               lost: Counter[str]) -> list[RelationRecord]:
    """The `relations` of an entities line ({from_id, to_id, type}) between its entities."""
    out: list[RelationRecord] = []
    for item in items if isinstance(items, list) else ():
        ends = [by_entity.get(item.get(k), []) if isinstance(item, dict) and isinstance(item.get(k), (str, int))
                else [] for k in ("from_id", "to_id")]
        kind = item.get("type") if isinstance(item, dict) else None
        if len(ends[0]) != 1 or len(ends[1]) != 1 or not isinstance(kind, str) or not kind:
            lost["relations"] += 1
            continue
        a, b = ends[0][0], ends[1][0]
        declared = schema.relation(kind) if schema is not None else None
        if schema is not None and (declared is None or declared.problem(a.label, b.label) is not None):
            lost["relations"] += 1
            continue
        out.append(RelationRecord(new_id("r"), kind, a.id, b.id))
    return out


def write(records: Iterable[DocumentRecord], out: BinaryIO, *, offsets: str = "utf16") -> WriteResult:
    if offsets not in units.UNITS:
        raise AnnotatorError(f"unknown offset unit {offsets!r}; one of {', '.join(units.UNITS)}")
    lost: Counter[str] = Counter()
    n = 0
    for rec in records:
        conv = units.to_unit(rec.text, offsets)
        spans = sorted(rec.spans, key=lambda s: (s.start, s.end, s.label))
        meta = {k: v for k, v in (("lang", rec.lang), ("title", rec.title), ("source", rec.source)) if v}
        if units.units_differ(rec.text):
            meta["offsets"] = offsets  # where the units may differ, the file says which it counts
        line: dict[str, object] = {"id": rec.id, "text": rec.text}
        if rec.relations:  # the relation extraction shape: entities with ids, relations between them
            number = {sp.id: k for k, sp in enumerate(spans, 1)}
            line["entities"] = [{"id": number[sp.id], "label": sp.label, "start_offset": conv(sp.start),
                                 "end_offset": conv(sp.end)} for sp in spans]
            line["relations"] = [{"id": k, "from_id": number[r.from_span], "to_id": number[r.to_span], "type": r.type}
                                 for k, r in enumerate(rec.relations, 1)]
        else:
            line["label"] = [[conv(sp.start), conv(sp.end), sp.label] for sp in spans]
        if meta:
            line["meta"] = meta
        out.write(orjson.dumps(line) + b"\n")
        lost["values"] += sum(s.value is not None for s in rec.spans)
        lost["notes"] += sum(s.note is not None for s in rec.spans)
        lost["events"] += len(rec.events)
        lost["claims"] += len(rec.claims)
        lost["alignments"] += len(rec.alignments)
        lost["links"] += len(rec.links)
        lost["groups"] += rec.group is not None
        lost["empty"] += bool(rec.annotator) and not rec.spans and rec.status != "todo"
        n += 1
    words = {"values": "normalised value(s) of spans", "notes": "note(s) on spans", "events": "event(s)",
             "claims": "claim(s)", "alignments": "alignment(s)", "links": "link(s) between spans",
             "groups": "translation group(s)",
             "empty": "layer(s) with a status and no span (doccano cannot tell them from documents not annotated)"}
    return WriteResult(n, [f"{lost[k]} {w}" for k, w in words.items() if lost[k]])


FORMAT = Format(NAME, "doccano JSONL: text with label [[start, end, LABEL]] or entities/relations",
                (".jsonl",), sniff, read, write, options=("annotator", "offsets"), carries=("relations",))
