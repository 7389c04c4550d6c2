"""Consistency checks of a gold record: offsets, texts, references, schema roles.

Each problem names its place in the record as a JSON path, so a caller can prefix the
file and line number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast

from annotator.core import graphemes
from annotator.core.records import STATUSES, ArgumentRecord, DocumentRecord
from annotator.core.schema import Role, Schema


def record_problems(rec: DocumentRecord, schema: Schema | None = None) -> list[str]:
    problems: list[str] = []
    text, n = rec.text, len(rec.text)

    def offsets(path: str, start: int, end: int, quoted: str | None, empty_ok: bool = False) -> None:
        if not (0 <= start <= end <= n) or (start == end and not empty_ok):
            problems.append(f"{path}: offsets [{start}, {end}) are not a non-empty range inside the text (length {n})")
            return
        if quoted is not None and text[start:end] != quoted:
            problems.append(f"{path}: text {quoted!r} does not match text[{start}:{end}] = {text[start:end]!r}")
        for pos in (start, end):
            if not graphemes.is_boundary(text, pos):
                problems.append(f"{path}: offset {pos} is inside a grapheme cluster")

    if rec.status not in STATUSES:
        problems.append(f"$.status: {rec.status!r} is not one of {', '.join(STATUSES)}")
    labels = {}
    is_boundary = graphemes.is_boundary
    names = None if schema is None else {lab.name for lab in schema.labels}
    for i, s in enumerate(rec.spans):
        # Fast path for a span without problems (most of them, in large imports): the same
        # tests as below, without building the path and messages it does not need.
        start, end, label = s.start, s.end, s.label
        if (0 <= start < end <= n and text[start:end] == s.text and is_boundary(text, start)
                and is_boundary(text, end) and s.id not in labels
                and (names is None or (type(label) is str and label in names))):
            labels[s.id] = label
            continue
        path = f"$.spans[{i}]"
        offsets(path, s.start, s.end, s.text)
        if s.id in labels:
            problems.append(f"{path}.id: duplicate span id {s.id!r}")
        labels[s.id] = s.label
        if schema is not None and schema.label(s.label) is None:
            problems.append(f"{path}.label: {s.label!r} is not a label of the schema")

    def arguments(path: str, args: Sequence[ArgumentRecord], role_of: Callable[..., Role | None]) -> None:
        for j, a in enumerate(args):
            ap = f"{path}.arguments[{j}]"
            if a.span not in labels:
                problems.append(f"{ap}.span: {a.span!r} is not a span id of this record")
                continue
            if schema is None:
                continue
            role = role_of(a.role)
            if role is None:
                problems.append(f"{ap}.role: {a.role!r} is not a role the schema declares here")
            elif not role.accepts(labels[a.span]):
                problems.append(f"{ap}: role {a.role!r} does not accept a {labels[a.span]} span "
                                f"(it accepts {', '.join(role.labels)})")

    ids: set[str] = set(labels)
    for i, e in enumerate(rec.events):
        path = f"$.events[{i}]"
        offsets(f"{path}.trigger", e.trigger_start, e.trigger_end, e.trigger_text)
        if e.id in ids:
            problems.append(f"{path}.id: duplicate id {e.id!r}")
        ids.add(e.id)
        if schema is not None and schema.event_type(e.type) is None:
            problems.append(f"{path}.type: {e.type!r} is not an event type of the schema")
        arguments(path, e.arguments, lambda role, t=e.type: cast(Schema, schema).event_role(t, role))
    for i, c in enumerate(rec.claims):
        path = f"$.claims[{i}]"
        offsets(path, c.start, c.end, c.text)
        if c.id in ids:
            problems.append(f"{path}.id: duplicate id {c.id!r}")
        ids.add(c.id)
        arguments(path, c.arguments, lambda role: cast(Schema, schema).claim_role(role))
    for i, al in enumerate(rec.alignments):
        for j, b in enumerate(al.blocks):
            offsets(f"$.alignments[{i}].blocks[{j}].a", b.a_start, b.a_end, None, empty_ok=True)
            if b.b_start > b.b_end or b.b_start < 0:
                problems.append(f"$.alignments[{i}].blocks[{j}].b: [{b.b_start}, {b.b_end}) is not a range")
    for i, lk in enumerate(rec.links):
        if lk.span not in labels:
            problems.append(f"$.links[{i}].span: {lk.span!r} is not a span id of this record")
    return problems
