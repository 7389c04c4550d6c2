"""Gold JSONL: one JSON object per line, one line per document and annotator layer.

Keys are written in a fixed order and offsets are code points, so exporting twice gives
the same bytes and re-importing an export and exporting again does too. orjson keeps
insertion order and writes UTF-8 without escaping, and refuses lone surrogates.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

import orjson

from annotator.core.errors import InputError
from annotator.core.ids import new_id
from annotator.core.records import (FORMAT_VERSION, AlignmentRecord, ArgumentRecord, Block, ClaimRecord,
                                    DocumentRecord, EventRecord, LinkRecord, SpanRecord)


def dumps(rec: DocumentRecord) -> bytes:
    obj = {
        "id": rec.id,
        "lang": rec.lang,
        "text": rec.text,
        "spans": [{"id": s.id, "start": s.start, "end": s.end, "label": s.label, "text": s.text,
                   "value": s.value, "note": s.note} for s in rec.spans],
        "events": [{"id": e.id, "type": e.type,
                    "trigger": {"start": e.trigger_start, "end": e.trigger_end, "text": e.trigger_text},
                    "arguments": [{"role": a.role, "span": a.span} for a in e.arguments]} for e in rec.events],
        "claims": [{"id": c.id, "start": c.start, "end": c.end, "text": c.text,
                    "arguments": [{"role": a.role, "span": a.span} for a in c.arguments]} for c in rec.claims],
        "group": rec.group,
        "alignments": [{"target": al.target,
                        "blocks": [{"a": [b.a_start, b.a_end], "b": [b.b_start, b.b_end]} for b in al.blocks]}
                       for al in rec.alignments],
        "links": [{"span": lk.span, "target_doc": lk.target_doc, "target_span": lk.target_span} for lk in rec.links],
        "annotator": rec.annotator,
        "status": rec.status,
        "title": rec.title,
        "source": rec.source,
        "schema_version": rec.schema_version,
    }
    return orjson.dumps(obj) + b"\n"


def write(records: Iterable[DocumentRecord], out: BinaryIO) -> int:
    n = 0
    for rec in records:
        out.write(dumps(rec))
        n += 1
    return n


def parse_line(line: bytes) -> tuple[dict | None, DocumentRecord | None, str | None]:
    """(raw object, record, error) for one line; error names the JSON path."""
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return None, None, f"not valid JSON ({exc})"
    try:
        return obj, from_obj(obj), None
    except _Bad as exc:
        return obj, None, str(exc)


def read(data: bytes, where: str) -> Iterator[tuple[int, DocumentRecord]]:
    """Records of a whole file; the first bad line raises InputError with its line number."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for lineno, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue
        _obj, rec, err = parse_line(line)
        if rec is None:
            raise InputError(where, f"line {lineno}", err or "not a record")
        yield lineno, rec


class _Bad(ValueError):
    pass


def _get(obj: Any, key: str, kind, path: str, optional: bool = False):
    if not isinstance(obj, dict):
        raise _Bad(f"{path}: expected an object")
    if key not in obj or obj[key] is None:
        if optional:
            return None
        raise _Bad(f"{path}.{key}: missing")
    value = obj[key]
    if kind is int and isinstance(value, bool) or not isinstance(value, kind):
        name = {int: "an integer", str: "a string", list: "a list", dict: "an object"}[kind]
        raise _Bad(f"{path}.{key}: expected {name}, got {type(value).__name__}")
    return value


def _args(obj, path) -> tuple[ArgumentRecord, ...]:
    return tuple(ArgumentRecord(_get(a, "role", str, f"{path}.arguments[{i}]"),
                                _get(a, "span", str, f"{path}.arguments[{i}]"))
                 for i, a in enumerate(_get(obj, "arguments", list, path, optional=True) or []))


def _pair(value, path) -> tuple[int, int]:
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        raise _Bad(f"{path}: expected [start, end]")
    return value[0], value[1]


def from_obj(obj: Any) -> DocumentRecord:
    text = _get(obj, "text", str, "$")
    spans = []
    for i, s in enumerate(_get(obj, "spans", list, "$", optional=True) or []):
        if type(s) is dict:
            # Fast path for a well-formed span: the checks of _get below, inlined; anything
            # else takes the general path, which names the problem.
            sid, start, end, label = s.get("id"), s.get("start"), s.get("end"), s.get("label")
            quoted, value, note = s.get("text"), s.get("value"), s.get("note")
            if (type(start) is int and type(end) is int and type(label) is str
                    and (sid is None or type(sid) is str) and (quoted is None or type(quoted) is str)
                    and (value is None or type(value) is str) and (note is None or type(note) is str)):
                spans.append(SpanRecord(sid or new_id("s"), start, end, label, quoted or text[start:end],
                                        value, note))
                continue
        p = f"$.spans[{i}]"
        start, end = _get(s, "start", int, p), _get(s, "end", int, p)
        spans.append(SpanRecord(_get(s, "id", str, p, optional=True) or new_id("s"), start, end,
                                _get(s, "label", str, p), _get(s, "text", str, p, optional=True) or text[start:end],
                                _get(s, "value", str, p, optional=True), _get(s, "note", str, p, optional=True)))
    events = []
    for i, e in enumerate(_get(obj, "events", list, "$", optional=True) or []):
        p = f"$.events[{i}]"
        trig = _get(e, "trigger", dict, p)
        ts, te = _get(trig, "start", int, f"{p}.trigger"), _get(trig, "end", int, f"{p}.trigger")
        events.append(EventRecord(_get(e, "id", str, p), _get(e, "type", str, p), ts, te,
                                  _get(trig, "text", str, f"{p}.trigger", optional=True) or text[ts:te], _args(e, p)))
    claims = []
    for i, c in enumerate(_get(obj, "claims", list, "$", optional=True) or []):
        p = f"$.claims[{i}]"
        cs, ce = _get(c, "start", int, p), _get(c, "end", int, p)
        claims.append(ClaimRecord(_get(c, "id", str, p), cs, ce, _get(c, "text", str, p, optional=True) or text[cs:ce],
                                  _args(c, p)))
    alignments = []
    for i, al in enumerate(_get(obj, "alignments", list, "$", optional=True) or []):
        p = f"$.alignments[{i}]"
        blocks = []
        for j, b in enumerate(_get(al, "blocks", list, p)):
            bp = f"{p}.blocks[{j}]"
            a, bb = _pair(_get(b, "a", list, bp), f"{bp}.a"), _pair(_get(b, "b", list, bp), f"{bp}.b")
            blocks.append(Block(a[0], a[1], bb[0], bb[1]))
        alignments.append(AlignmentRecord(_get(al, "target", str, p), tuple(blocks)))
    links = [LinkRecord(_get(lk, "span", str, f"$.links[{i}]"), _get(lk, "target_doc", str, f"$.links[{i}]"),
                        _get(lk, "target_span", str, f"$.links[{i}]"))
             for i, lk in enumerate(_get(obj, "links", list, "$", optional=True) or [])]
    version = _get(obj, "schema_version", int, "$", optional=True) or FORMAT_VERSION
    if version > FORMAT_VERSION:
        raise _Bad(f"$.schema_version: {version} is newer than this version of annotator reads ({FORMAT_VERSION})")
    return DocumentRecord(
        # A missing language is identified at import (importer.py).
        id=_get(obj, "id", str, "$"), lang=_get(obj, "lang", str, "$", optional=True) or "", text=text,
        title=_get(obj, "title", str, "$", optional=True), source=_get(obj, "source", str, "$", optional=True),
        spans=tuple(spans), events=tuple(events), claims=tuple(claims),
        group=_get(obj, "group", str, "$", optional=True), alignments=tuple(alignments), links=tuple(links),
        annotator=_get(obj, "annotator", str, "$", optional=True),
        status=_get(obj, "status", str, "$", optional=True) or "todo", schema_version=version,
    )
