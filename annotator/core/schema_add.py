"""Labels, event types and roles added to a schema by an import (the default of
`annotator import`; `--strict` refuses instead, unless `--add-labels`): each label and
event type gets the first single-character key no label, event type or command uses
(once they run out, a label gets no key: it is picked by name in the GUI's label
picker), and each label a colour in turn from a small palette, so the new schema parses
like one written by hand."""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, field

from annotator.core.command_keys import command_key
from annotator.core.errors import AnnotatorError
from annotator.core.records import DocumentRecord
from annotator.core.schema import Schema, parse_schema

_PALETTE = ("#9ecae1", "#fdae6b", "#a1d99b", "#f4a6d7", "#bcbddc", "#fdd0a2", "#c7e9c0", "#d9d9d9",
            "#fcbba1", "#c6dbef")
_KEYS = string.digits[1:] + "0" + string.ascii_lowercase + string.ascii_uppercase
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")


@dataclass
class Additions:
    """What an import adds to the project's schema: the schema grown so far (None: nothing
    added yet) and one line per thing added, for the summary."""

    schema: Schema | None = None
    lines: list[str] = field(default_factory=list)

    def add(self, schema: Schema, lines: list[str]) -> Schema:
        if lines:
            self.schema = schema
            self.lines.extend(lines)
        return schema


def _free_keys(schema: Schema) -> list[str]:
    used = {lab.key for lab in schema.labels} | {et.key for et in schema.event_types}
    return [k for k in _KEYS if k not in used and command_key(k) is None]


def _check_names(names: Iterable[str], what: str, where: str) -> None:
    bad = [n for n in names if not _NAME.match(n)]
    if bad:
        raise AnnotatorError(f"{where}: {what} {', '.join(bad)} cannot be added: a name is letters, digits, "
                             "'_' or '-', starting with a letter")


def with_labels(schema: Schema, names: list[str], where: str) -> tuple[Schema, list[str]]:
    """`schema` with `names` added as labels, and one line per label added ("NAME (key k)")."""
    _check_names(names, "label(s)", where)
    data = json.loads(schema.to_json())
    free = _free_keys(schema)
    added = []
    for i, name in enumerate(names):
        key = free[i] if i < len(free) else ""
        data["labels"].append({"name": name, "key": key, "colour": _PALETTE[(len(schema.labels) + i) % len(_PALETTE)],
                               "description": ""})
        added.append(f"{name} (key {key})" if key else f"{name} (no key left: pick it by name, Ctrl+L in the app)")
    return parse_schema(json.dumps(data), where), added


def missing_types(schema: Schema, records: Iterable[DocumentRecord]
                  ) -> tuple[list[str], dict[str, dict[str, list[str]]], dict[str, list[str]]]:
    """What `records` use that `schema` lacks, in the order first used: labels, event
    types and event roles ({type: {role: labels its arguments have}}; an existing type's
    new roles too), claim roles ({role: labels})."""
    labels: dict[str, None] = {}
    events: dict[str, dict[str, list[str]]] = {}
    claims: dict[str, list[str]] = {}
    names = {lab.name for lab in schema.labels}  # schema.label(name) is not None, for every span at once
    for rec in records:
        for s in rec.spans:
            if s.label not in names:
                labels.setdefault(s.label)
        if not (rec.events or rec.claims):  # most records: no roles to look at
            continue
        label_of = {s.id: s.label for s in rec.spans}
        for e in rec.events:
            known = schema.event_type(e.type)
            if known is None:
                events.setdefault(e.type, {})
            for a in e.arguments:
                if a.span in label_of and schema.event_role(e.type, a.role) is None:
                    taken = events.setdefault(e.type, {}).setdefault(a.role, [])
                    if label_of[a.span] not in taken:
                        taken.append(label_of[a.span])
        for c in rec.claims:
            for a in c.arguments:
                if a.span in label_of and schema.claim_role(a.role) is None:
                    taken = claims.setdefault(a.role, [])
                    if label_of[a.span] not in taken:
                        taken.append(label_of[a.span])
    return list(labels), events, claims


def with_types(schema: Schema, records: Iterable[DocumentRecord], where: str) -> tuple[Schema, list[str]]:
    """`schema` with every label, event type and role `records` use and it lacks, and one
    line per addition. A role gets the labels of the spans its arguments have."""
    labels, events, claims = missing_types(schema, records)
    schema, lines = with_labels(schema, labels, where) if labels else (schema, [])
    if not events and not claims:
        return schema, lines
    _check_names(events, "event type(s)", where)
    _check_names({r for roles in (*events.values(), claims) for r in roles}, "role(s)", where)
    data = json.loads(schema.to_json())
    new_types = [t for t in events if schema.event_type(t) is None]
    free = _free_keys(schema)
    if len(free) < len(new_types):
        raise AnnotatorError(f"{where}: no free single-character key for {len(new_types) - len(free)} of the event "
                             f"types {', '.join(new_types)}; add them with `annotator schema PROJECT --set FILE`")
    keys = dict(zip(new_types, free, strict=False))
    for name, roles in events.items():
        entry = next((et for et in data["event_types"] if et["name"] == name), None)
        if entry is None:
            entry = {"name": name, "key": keys[name], "roles": []}
            data["event_types"].append(entry)
            lines.append(f"event type {name} (key {keys[name]})")
        for role, role_labels in roles.items():
            entry["roles"].append({"name": role, "labels": role_labels})
            lines.append(f"role {role} of {name} ({', '.join(role_labels)})")
    for role, role_labels in claims.items():
        data["claim_roles"].append({"name": role, "labels": role_labels})
        lines.append(f"claim role {role} ({', '.join(role_labels)})")
    return parse_schema(json.dumps(data), where), lines
