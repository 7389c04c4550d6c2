"""Gold JSONL: one JSON object per line, one line per document and annotator layer.

Keys are written in a fixed order and offsets are code points, so exporting twice gives
the same bytes and re-importing an export and exporting again does too. orjson keeps
insertion order and writes UTF-8 without escaping, and refuses lone surrogates.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from itertools import repeat
from typing import Any, BinaryIO, NamedTuple, cast

import orjson

from annotator.core.ids import new_id
from annotator.core.records import (
    FORMAT_VERSION,
    AlignmentRecord,
    ArgumentRecord,
    Attributes,
    Block,
    ClaimRecord,
    DocumentRecord,
    EntityRecord,
    EventRecord,
    LinkRecord,
    RelationRecord,
    SpanRecord,
    plain_span,
)


def dumps(rec: DocumentRecord, schema: str | None = None) -> bytes:
    """One line; `schema` names the schema file written beside the export (carried_schema).
    The keys of issue 14 (attributes, fragments, entity, relations, entities) are written
    only when present, so a record without them gives the same bytes as before them."""
    return _line(rec.id, rec.lang, rec.text,
                 [s if len(s.__dict__) == _PLAIN_FIELDS else _span(s) for s in rec.spans],
                 [_with_attributes({"id": e.id, "type": e.type,
                                    "trigger": {"start": e.trigger_start, "end": e.trigger_end, "text": e.trigger_text},
                                    "arguments": _arguments(e.arguments)}, e.attributes) for e in rec.events],
                 [_with_attributes({"id": c.id, "start": c.start, "end": c.end, "text": c.text,
                                    "arguments": _arguments(c.arguments)}, c.attributes) for c in rec.claims],
                 rec.group, [_alignment(al) for al in rec.alignments],
                 [{"span": lk.span, "target_doc": lk.target_doc, "target_span": lk.target_span} for lk in rec.links],
                 [{"id": r.id, "type": r.type, "from": r.from_span, "to": r.to_span} for r in rec.relations],
                 [{"id": e.id, "kb": e.kb} for e in rec.entities], dict(rec.attributes),
                 rec.annotator, rec.status, rec.title, rec.source, rec.schema_version, schema)


def plain_line(id: str, lang: str, text: str, title: str | None, source: str | None, group: str | None,
               annotator: str | None, status: str, uids: Sequence[str], starts: Sequence[int], ends: Sequence[int],
               labels: Sequence[str], values: Sequence[str | None], notes: Sequence[str | None],
               schema: str | None = None) -> bytes:
    """The line `dumps` writes for plain_record(id, lang, text, title, source, spans, group,
    annotator, status) of spans made by plain_span from these columns (a layer with
    nothing but spans and a status: most layers), without making the records: each span's
    object is a dict made by map() and zip() in C, not a SpanRecord made by a Python call
    (an export of the store's plain layers takes this way, store.record_rows)."""
    spans = list(map(dict, map(zip, repeat(_PLAIN_KEYS), zip(
        uids, starts, ends, labels, map(text.__getitem__, map(slice, starts, ends)), values, notes))))
    return _line(id, lang, text, spans, [], [], group, [], [], [], [], {}, annotator, status, title, source,
                 FORMAT_VERSION, schema)


def _line(id: str, lang: str, text: str, spans: list[Any], events: list[Any], claims: list[Any],
          group: str | None, alignments: list[Any], links: list[Any], relations: list[Any], entities: list[Any],
          attributes: dict[str, Any], annotator: str | None, status: str, title: str | None, source: str | None,
          schema_version: int, schema: str | None) -> bytes:
    """The one place that orders a line's keys."""
    obj: dict[str, Any] = {"id": id, "lang": lang, "text": text, "spans": spans, "events": events, "claims": claims,
                           "group": group, "alignments": alignments, "links": links}
    if relations:
        obj["relations"] = relations
    if entities:
        obj["entities"] = entities
    if attributes:
        obj["attributes"] = attributes
    obj |= {"annotator": annotator, "status": status, "title": title, "source": source,
            "schema_version": schema_version}
    if schema is not None:
        obj["schema"] = schema
    return orjson.dumps(obj) + b"\n"


# A span made by plain_span (what the store's export and the importer make) holds in its
# __dict__ only its first seven fields, in the order of the line's span object; orjson
# writes such a dataclass instance from its __dict__, in order, five times faster than a
# dict built for it (an export is mostly spans). Any other span gets its dict (_span).
_PLAIN_KEYS = tuple(plain_span("", 0, 0, "", "").__dict__)  # id, start, end, label, text, value, note
_PLAIN_FIELDS = len(_PLAIN_KEYS)


def _span(s: SpanRecord) -> dict[str, Any]:
    out = {"id": s.id, "start": s.start, "end": s.end, "label": s.label, "text": s.text, "value": s.value,
           "note": s.note}
    if s.fragments:
        out["fragments"] = [{"start": a, "end": b} for a, b in s.fragments]
    if s.entity is not None:
        out["entity"] = s.entity
    if s.attributes:
        out["attributes"] = dict(s.attributes)
    return out


def _arguments(arguments: tuple[ArgumentRecord, ...]) -> list[dict[str, Any]]:
    return [_with_attributes({"role": a.role, "span": a.span}, a.attributes) for a in arguments]


def _with_attributes(obj: dict[str, Any], attributes: Attributes) -> dict[str, Any]:
    if attributes:
        obj["attributes"] = dict(attributes)
    return obj


# Lines are written to the stream this many bytes at a time: a write per line was a
# system call per line to a pipe or a file (10,000 for 10,000 documents).
CHUNK = 1 << 20


class Lines(NamedTuple):
    """Lines made already, and how many records they are (a part of an export built
    elsewhere: cli.export_parts)."""
    data: bytes | bytearray
    records: int


def write(records: Iterable[DocumentRecord | bytes | Lines], out: BinaryIO, schema: str | None = None) -> int:
    """The records' lines (a record given as its line already, by plain_line, or as Lines,
    as it is)."""
    n = size = 0
    lines: list[bytes] = []
    for rec in records:
        kind = type(rec)
        if kind is bytes:
            line = cast(bytes, rec)
            n += 1
        elif kind is Lines:  # megabytes, written as they are
            if lines:
                out.write(b"".join(lines))
                lines.clear()
                size = 0
            out.write(cast(Lines, rec).data)
            n += cast(Lines, rec).records
            continue
        else:
            line = dumps(cast(DocumentRecord, rec), schema)
            n += 1
        lines.append(line)
        size += len(line)
        if size >= CHUNK:
            out.write(b"".join(lines))
            lines.clear()
            size = 0
    if lines:
        out.write(b"".join(lines))
    return n


class Bad(ValueError):
    """A record that does not have the shape of gold JSONL; the message starts with the JSON path."""


def _alignment(al: AlignmentRecord) -> dict[str, object]:
    """An alignment as exported; "crossings" only when it has some, so that alignments
    without crossing links export as they always did."""
    out: dict[str, object] = {"target": al.target, "blocks": [_block(b) for b in al.blocks]}
    if al.crossings:
        out["crossings"] = [_block(c) for c in al.crossings]
    return out


def _block(b: Block) -> dict[str, list[int]]:
    return {"a": [b.a_start, b.a_end], "b": [b.b_start, b.b_end]}


# The keys of each object of a record (resources/gold.schema.json): any other key is
# reported (a warning, an error with --strict), never dropped in silence.
KEYS = {
    "$": frozenset(("id", "lang", "text", "spans", "events", "claims", "group", "alignments", "links", "annotator",
                    "status", "title", "source", "schema_version", "schema", "relations", "entities", "attributes")),
    "span": frozenset(("id", "start", "end", "label", "text", "value", "note", "fragments", "entity", "attributes")),
    "event": frozenset(("id", "type", "trigger", "arguments", "attributes")),
    "trigger": frozenset(("start", "end", "text")),
    "claim": frozenset(("id", "start", "end", "text", "arguments", "attributes")),
    "argument": frozenset(("role", "span", "attributes")),
    "fragment": frozenset(("start", "end")),
    "relation": frozenset(("id", "type", "from", "to")),
    "entity": frozenset(("id", "kb")),
    "alignment": frozenset(("target", "blocks", "crossings")),
    "block": frozenset(("a", "b")),
    "link": frozenset(("span", "target_doc", "target_span")),
}
# Keys that mark another tool's JSON lines: doccano (label, entities, relations), Prodigy
# (tokens, answer, _input_hash), Label Studio (data, annotations, predictions), spaCy and
# Hugging Face (ents, ner_tags). A line with one is not read as ours with them ignored.
FOREIGN_KEYS = {"label": "doccano", "labels": "doccano", "entities": "doccano", "relations": "doccano",
                "tokens": "Prodigy", "answer": "Prodigy", "_input_hash": "Prodigy", "_task_hash": "Prodigy",
                "data": "Label Studio", "annotations": "Label Studio", "predictions": "Label Studio",
                "ents": "spaCy", "ner_tags": "Hugging Face"}


def foreign_keys(obj: object) -> list[str]:
    """Keys of another tool's record that hold something (annotation import would lose).
    `relations` and `entities` are gold JSONL's own when their items have its keys."""
    if not isinstance(obj, dict):
        return []
    return [k for k, v in obj.items() if k in FOREIGN_KEYS and v not in (None, [], {}, "")
            and not (k in _OURS_TOO and isinstance(v, list)
                     and all(isinstance(i, dict) and i.keys() <= KEYS[_OURS_TOO[k]] for i in v))]


_OURS_TOO = {"relations": "relation", "entities": "entity"}


# Optional keys whose value may be null (the schema's ["string", "null"]); for the others
# null is a wrong type, as the JSON Schema says.
_NULLABLE = frozenset(("group", "annotator", "title", "source", "value", "note", "kb"))
_TYPE_NAMES = {int: "an integer", str: "a string", list: "a list", dict: "an object"}
_JSON_NAMES = {type(None): "null", bool: "a boolean", int: "an integer", float: "a number", str: "a string",
               list: "a list", dict: "an object"}


def _unknown(obj: dict, kind: str, path: str, unknown: list[str] | None) -> None:
    if unknown is not None and not obj.keys() <= KEYS[kind]:
        unknown.extend(f"{path}.{k}: unknown key, not part of gold JSONL (ignored)"
                       for k in obj if k not in KEYS[kind])


def _get(obj: Any, key: str, kind, path: str, optional: bool = False):
    if not isinstance(obj, dict):
        raise Bad(f"{path}: expected an object, got {_JSON_NAMES.get(type(obj), type(obj).__name__)}")
    value = obj.get(key)
    if value is None:
        if key not in obj and optional or optional and key in _NULLABLE:
            return None
        raise Bad(f"{path}.{key}: missing" if key not in obj else f"{path}.{key}: expected {_TYPE_NAMES[kind]}, got null")
    if kind is int and isinstance(value, bool) or not isinstance(value, kind):
        raise Bad(f"{path}.{key}: expected {_TYPE_NAMES[kind]}, got {_JSON_NAMES.get(type(value), 'a value')}")
    if kind is int and value < 0 and key in ("start", "end"):
        raise Bad(f"{path}.{key}: {value} is negative; offsets count from 0")
    return value


def _args(obj, path, unknown) -> tuple[ArgumentRecord, ...]:
    out = []
    for i, a in enumerate(_get(obj, "arguments", list, path, optional=True) or []):
        ap = f"{path}.arguments[{i}]"
        out.append(ArgumentRecord(_get(a, "role", str, ap), _get(a, "span", str, ap), _attributes(a, ap)))
        _unknown(a, "argument", ap, unknown)
    return tuple(out)


def _attributes(obj: dict, path: str) -> Attributes:
    """An item's `attributes` object: names to strings, numbers or booleans."""
    found = _get(obj, "attributes", dict, path, optional=True)
    if not found:
        return ()
    for k, v in found.items():
        if v is None or not isinstance(v, (str, int, float)):  # bool is an int
            raise Bad(f"{path}.attributes.{k}: expected a string, a number or true/false, "
                      f"got {_JSON_NAMES.get(type(v), 'a value')}")
    return tuple(found.items())


def _fragments(obj: dict, path: str, unknown) -> tuple[tuple[int, int], ...]:
    out = []
    for i, f in enumerate(_get(obj, "fragments", list, path, optional=True) or []):
        fp = f"{path}.fragments[{i}]"
        out.append((_get(f, "start", int, fp), _get(f, "end", int, fp)))
        _unknown(f, "fragment", fp, unknown)
    return tuple(out)


def _pair(value, path) -> tuple[int, int]:
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)):
        raise Bad(f"{path}: expected [start, end], two offsets from 0")
    return value[0], value[1]


def _quoted(obj: dict, path: str, text: str, start: int, end: int) -> str:
    quoted = _get(obj, "text", str, path, optional=True)
    return text[start:end] if quoted is None else quoted


def _interned(name: str | None) -> str | None:
    """One string for each annotator name, however many lines repeat it: an import keeps
    the name of every document's layer until it ends."""
    return name if name is None else sys.intern(name)


def from_obj(obj: Any, unknown: list[str] | None = None) -> DocumentRecord:
    """The record of a parsed line; raises Bad on a missing key or a wrong type. Keys that
    gold JSONL does not have are listed in `unknown` (with their JSON path) when given."""
    if not isinstance(obj, dict):
        raise Bad(f"$: expected an object, got {_JSON_NAMES.get(type(obj), type(obj).__name__)}")
    _unknown(obj, "$", "$", unknown)
    text = _get(obj, "text", str, "$")
    spans = []
    for i, s in enumerate(_get(obj, "spans", list, "$", optional=True) or []):
        if type(s) is dict:
            # Fast path for a well-formed span: the checks of _get below, inlined; anything
            # else takes the general path, which names the problem. With its five keys
            # present, the length tells that the span has no key gold JSONL lacks.
            sid, start, end, label = s.get("id"), s.get("start"), s.get("end"), s.get("label")
            quoted, value, note = s.get("text"), s.get("value"), s.get("note")
            if (type(start) is int and type(end) is int and start >= 0 and end >= 0 and type(label) is str
                    and type(sid) is str and type(quoted) is str
                    and (value is None or type(value) is str) and (note is None or type(note) is str)
                    and len(s) == 5 + ("value" in s) + ("note" in s)):
                spans.append(plain_span(sid, start, end, label, quoted, value, note))
                continue
        p = f"$.spans[{i}]"
        start, end = _get(s, "start", int, p), _get(s, "end", int, p)
        sid = _get(s, "id", str, p, optional=True)
        spans.append(SpanRecord(new_id("s") if sid is None else sid, start, end, _get(s, "label", str, p),
                                _quoted(s, p, text, start, end),
                                _get(s, "value", str, p, optional=True), _get(s, "note", str, p, optional=True),
                                _fragments(s, p, unknown), _get(s, "entity", str, p, optional=True),
                                _attributes(s, p)))
        _unknown(s, "span", p, unknown)
    events = []
    for i, e in enumerate(_get(obj, "events", list, "$", optional=True) or []):
        p = f"$.events[{i}]"
        trig = _get(e, "trigger", dict, p)
        ts, te = _get(trig, "start", int, f"{p}.trigger"), _get(trig, "end", int, f"{p}.trigger")
        events.append(EventRecord(_get(e, "id", str, p), _get(e, "type", str, p), ts, te,
                                  _quoted(trig, f"{p}.trigger", text, ts, te), _args(e, p, unknown),
                                  _attributes(e, p)))
        _unknown(e, "event", p, unknown)
        _unknown(trig, "trigger", f"{p}.trigger", unknown)
    claims = []
    for i, c in enumerate(_get(obj, "claims", list, "$", optional=True) or []):
        p = f"$.claims[{i}]"
        cs, ce = _get(c, "start", int, p), _get(c, "end", int, p)
        claims.append(ClaimRecord(_get(c, "id", str, p), cs, ce, _quoted(c, p, text, cs, ce), _args(c, p, unknown),
                                  _attributes(c, p)))
        _unknown(c, "claim", p, unknown)
    alignments = []
    for i, al in enumerate(_get(obj, "alignments", list, "$", optional=True) or []):
        p = f"$.alignments[{i}]"
        found: dict[str, list[Block]] = {"blocks": [], "crossings": []}
        for key, blocks in found.items():
            for j, b in enumerate(_get(al, key, list, p, optional=key == "crossings") or []):
                bp = f"{p}.{key}[{j}]"
                a, bb = _pair(_get(b, "a", list, bp), f"{bp}.a"), _pair(_get(b, "b", list, bp), f"{bp}.b")
                blocks.append(Block(a[0], a[1], bb[0], bb[1]))
                _unknown(b, "block", bp, unknown)
        alignments.append(AlignmentRecord(_get(al, "target", str, p), tuple(found["blocks"]),
                                          tuple(found["crossings"])))
        _unknown(al, "alignment", p, unknown)
    links = []
    for i, lk in enumerate(_get(obj, "links", list, "$", optional=True) or []):
        p = f"$.links[{i}]"
        links.append(LinkRecord(_get(lk, "span", str, p), _get(lk, "target_doc", str, p),
                                _get(lk, "target_span", str, p)))
        _unknown(lk, "link", p, unknown)
    relations = []
    for i, r in enumerate(_get(obj, "relations", list, "$", optional=True) or []):
        p = f"$.relations[{i}]"
        relations.append(RelationRecord(_get(r, "id", str, p), _get(r, "type", str, p), _get(r, "from", str, p),
                                        _get(r, "to", str, p)))
        _unknown(r, "relation", p, unknown)
    entities = []
    for i, en in enumerate(_get(obj, "entities", list, "$", optional=True) or []):
        p = f"$.entities[{i}]"
        entities.append(EntityRecord(_get(en, "id", str, p), _get(en, "kb", str, p, optional=True)))
        _unknown(en, "entity", p, unknown)
    version = _get(obj, "schema_version", int, "$", optional=True)
    version = FORMAT_VERSION if version is None else version
    if version > FORMAT_VERSION:
        raise Bad(f"$.schema_version: {version} is newer than this version of annotator reads ({FORMAT_VERSION})")
    lang = _get(obj, "lang", str, "$", optional=True)
    if lang == "":
        raise Bad("$.lang: empty; leave the key out to have the language identified")
    status = _get(obj, "status", str, "$", optional=True)
    if _get(obj, "schema", str, "$", optional=True) == "":
        raise Bad("$.schema: empty; it names the schema file beside the export, or is left out")
    return DocumentRecord(
        # A missing language is identified at import (importer.py); an empty one is refused.
        id=_get(obj, "id", str, "$"), lang="" if lang is None else lang, text=text,
        title=_get(obj, "title", str, "$", optional=True), source=_get(obj, "source", str, "$", optional=True),
        spans=tuple(spans), events=tuple(events), claims=tuple(claims),
        group=_get(obj, "group", str, "$", optional=True), alignments=tuple(alignments), links=tuple(links),
        annotator=_interned(_get(obj, "annotator", str, "$", optional=True)),
        status="todo" if status is None else status, schema_version=version,
        relations=tuple(relations), entities=tuple(entities), attributes=_attributes(obj, "$"),
    )
