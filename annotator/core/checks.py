"""Consistency checks of a gold record: offsets, texts, references, schema roles.

Each problem names its place in the record as a JSON path, so a caller can prefix the
file and line number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import cast

from annotator.core import graphemes
from annotator.core.kb import kb_problem
from annotator.core.records import FORMAT_VERSION, STATUSES, ArgumentRecord, Attributes, DocumentRecord
from annotator.core.schema import Role, Schema
from annotator.core.textdecode import binary_control
from annotator.core.values import value_problem

# A language tag as the export writes it (ISO 639 code, optional subtags): gold.schema.json.
LANG_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", re.ASCII)


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

    record_fields(rec, problems)
    labels = {}
    is_boundary = graphemes.is_boundary
    names = None if schema is None else {lab.name for lab in schema.labels}
    for i, s in enumerate(rec.spans):
        # Fast path for a span without problems (most of them, in large imports): the same
        # tests as below, without building the path and messages it does not need.
        start, end, label = s.start, s.end, s.label
        if (0 <= start < end <= n and text[start:end] == s.text and is_boundary(text, start)
                and is_boundary(text, end) and s.id and s.id not in labels
                and (label in names if names is not None else label)
                and (s.value is None or value_problem(label, s.value) is None)):
            labels[s.id] = label
            continue
        path = f"$.spans[{i}]"
        offsets(path, s.start, s.end, s.text)
        if s.id in labels:
            problems.append(f"{path}.id: duplicate span id {s.id!r}")
        labels[s.id] = s.label
        if not s.id:
            problems.append(f"{path}.id: empty")
        if not s.label:
            problems.append(f"{path}.label: empty")
        elif schema is not None and schema.label(s.label) is None:
            problems.append(f"{path}.label: {s.label!r} is not a label of the schema")
        why = value_problem(s.label, s.value)
        if why:
            problems.append(f"{path}.value: {s.value!r} for a {s.label} span: {why}")

    def arguments(path: str, args: Sequence[ArgumentRecord], role_of: Callable[..., Role | None]) -> None:
        for j, a in enumerate(args):
            ap = f"{path}.arguments[{j}]"
            if not a.role:
                problems.append(f"{ap}.role: empty")
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
        if not e.id:
            problems.append(f"{path}.id: empty")
        elif e.id in ids:
            problems.append(f"{path}.id: duplicate id {e.id!r}")
        ids.add(e.id)
        if not e.type:
            problems.append(f"{path}.type: empty")
        elif schema is not None and schema.event_type(e.type) is None:
            problems.append(f"{path}.type: {e.type!r} is not an event type of the schema")
        arguments(path, e.arguments, lambda role, t=e.type: cast(Schema, schema).event_role(t, role))
    for i, c in enumerate(rec.claims):
        path = f"$.claims[{i}]"
        offsets(path, c.start, c.end, c.text)
        if not c.id:
            problems.append(f"{path}.id: empty")
        elif c.id in ids:
            problems.append(f"{path}.id: duplicate id {c.id!r}")
        ids.add(c.id)
        arguments(path, c.arguments, lambda role: cast(Schema, schema).claim_role(role))
    targets: set[str] = set()
    for i, al in enumerate(rec.alignments):
        if al.target == rec.id:
            problems.append(f"$.alignments[{i}].target: a document cannot be aligned with itself")
        elif al.target in targets:
            problems.append(f"$.alignments[{i}].target: a second alignment with {al.target!r} in this record")
        targets.add(al.target)
        for j, b in enumerate(al.blocks):
            offsets(f"$.alignments[{i}].blocks[{j}].a", b.a_start, b.a_end, None, empty_ok=True)
            if b.b_start > b.b_end or b.b_start < 0:
                problems.append(f"$.alignments[{i}].blocks[{j}].b: [{b.b_start}, {b.b_end}) is not a range")
    pairs: set[tuple[str, str, str]] = set()
    for i, lk in enumerate(rec.links):
        key = (lk.span, lk.target_doc, lk.target_span)
        if lk.span not in labels:
            problems.append(f"$.links[{i}].span: {lk.span!r} is not a span id of this record")
        elif lk.target_doc == rec.id and lk.target_span == lk.span:
            problems.append(f"$.links[{i}]: links span {lk.span!r} to itself")
        elif key in pairs:
            problems.append(f"$.links[{i}]: the same link as an earlier one of this record")
        pairs.add(key)
    depth_problems(rec, schema, labels, offsets, problems)
    if not rec.annotator and (rec.spans or rec.events or rec.claims or rec.alignments or rec.links
                              or rec.relations or rec.attributes or rec.status != "todo"):
        problems.append("$.annotator: a layer (annotations or a status) needs an annotator name")
    return problems


def record_fields(rec: DocumentRecord, problems: list[str]) -> None:
    """The document's own fields: id, language tag, text, status, format version."""
    if not rec.id:
        problems.append("$.id: empty")
    if rec.lang and LANG_TAG.fullmatch(rec.lang) is None:
        problems.append(f"$.lang: {rec.lang!r} is not a language tag (an ISO 639 code such as en, bn, sr-Latn)")
    if not rec.text or rec.text.isspace():
        problems.append("$.text: empty or only whitespace")
    found = binary_control(rec.text)
    if found:
        problems.append(f"$.text: {found[1]} at offset {found[0]}: refused as in a .txt file (binary content)")
    if rec.status not in STATUSES:
        problems.append(f"$.status: {rec.status!r} is not one of {', '.join(STATUSES)}")
    if rec.schema_version != FORMAT_VERSION:
        problems.append(f"$.schema_version: {rec.schema_version} is not a version of this format "
                        f"(this version of annotator reads {FORMAT_VERSION})")


def depth_problems(rec: DocumentRecord, schema: Schema | None, labels: dict[str, str],
                   offsets: Callable[[str, int, int, str | None], None], problems: list[str]) -> None:
    """Fragments, clusters, relations and attributes (issue 14). `labels` are the labels
    of the record's spans by id; `offsets` checks one range as every span's is checked."""
    entity_ids: dict[str, int] = {}
    for i, en in enumerate(rec.entities):
        path = f"$.entities[{i}]"
        if not en.id:
            problems.append(f"{path}.id: empty")
        elif en.id in entity_ids:
            problems.append(f"{path}.id: duplicate entity id {en.id!r}")
        entity_ids.setdefault(en.id, i)
        if why := kb_problem(en.kb):
            problems.append(f"{path}.kb: {why}")
    used: set[str] = set()
    for i, s in enumerate(rec.spans):
        path = f"$.spans[{i}]"
        if s.fragments:
            fragment_problems(path, s.start, s.end, s.fragments, offsets, problems)
        if s.entity is not None:
            used.add(s.entity)
            if s.entity not in entity_ids:
                problems.append(f"{path}.entity: {s.entity!r} is not in the record's entities")
        if s.attributes and schema is not None:
            attribute_problems(path, s.attributes, schema, "span", s.label, f"a {s.label} span", problems)
    for i, en in enumerate(rec.entities):
        if en.id and en.id not in used:
            problems.append(f"$.entities[{i}]: no span of this record is in entity {en.id!r}")
    seen: set[str] = set()
    for i, r in enumerate(rec.relations):
        path = f"$.relations[{i}]"
        if not r.id:
            problems.append(f"{path}.id: empty")
        elif r.id in seen:
            problems.append(f"{path}.id: duplicate relation id {r.id!r}")
        seen.add(r.id)
        ends = [(key, sid) for key, sid in (("from", r.from_span), ("to", r.to_span)) if sid not in labels]
        for key, sid in ends:
            problems.append(f"{path}.{key}: {sid!r} is not a span id of this record")
        if ends:
            continue
        if r.from_span == r.to_span:
            problems.append(f"{path}: relates span {r.from_span!r} to itself")
        if schema is not None:
            declared = schema.relation(r.type)
            if declared is None:
                problems.append(f"{path}.type: {r.type!r} is not a relation of the schema")
            elif why := declared.problem(labels[r.from_span], labels[r.to_span]):
                problems.append(f"{path}: {why}")
    if schema is None:
        return
    if rec.attributes:
        attribute_problems("$", rec.attributes, schema, "document", None, "a document", problems)
    for i, e in enumerate(rec.events):
        attribute_problems(f"$.events[{i}]", e.attributes, schema, "event", e.type, f"a {e.type} event", problems)
        for j, a in enumerate(e.arguments):
            attribute_problems(f"$.events[{i}].arguments[{j}]", a.attributes, schema, "argument", a.role,
                               f"a {a.role} argument", problems)
    for i, c in enumerate(rec.claims):
        attribute_problems(f"$.claims[{i}]", c.attributes, schema, "claim", None, "a claim", problems)
        for j, a in enumerate(c.arguments):
            attribute_problems(f"$.claims[{i}].arguments[{j}]", a.attributes, schema, "argument", a.role,
                               f"a {a.role} argument", problems)


def fragment_problems(path: str, start: int, end: int, fragments: Sequence[tuple[int, int]],
                      offsets: Callable[[str, int, int, str | None], None], problems: list[str]) -> None:
    """A discontinuous span: two fragments or more, each a range as a span's is, in order
    without overlapping, the first starting at the span's start and the last ending at its end."""
    if len(fragments) < 2:
        problems.append(f"{path}.fragments: a discontinuous span has at least two fragments")
    last = None
    for j, (fs, fe) in enumerate(fragments):
        offsets(f"{path}.fragments[{j}]", fs, fe, None)
        if last is not None and fs <= last:
            problems.append(f"{path}.fragments[{j}]: [{fs}, {fe}) overlaps or comes before the fragment before it")
        last = fe
    if fragments and (fragments[0][0] != start or fragments[-1][1] != end):
        problems.append(f"{path}: start and end [{start}, {end}) are not the outer bounds of its fragments "
                        f"[{fragments[0][0]}, {fragments[-1][1]})")


def attribute_problems(path: str, attributes: Attributes, schema: Schema, item: str, name: str | None,
                       what: str, problems: list[str]) -> None:
    for key, value in attributes:
        attr = schema.attribute(key)
        if attr is None or not attr.applies(item, name):
            declared = ", ".join(a.name for a in schema.attributes_for(item, name)) or "none"
            problems.append(f"{path}.attributes.{key}: the schema declares no attribute {key!r} on {what} "
                            f"(it declares {declared})")
        elif why := attr.problem(value):
            problems.append(f"{path}.attributes.{key}: {why}")
