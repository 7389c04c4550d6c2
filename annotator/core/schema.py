"""The annotation schema: span labels, event types with argument roles, claim roles, the
attributes items take (realis, stance, verdict...) and the relations between spans.

A project keeps its own copy (so it stays self-describing); the default lives in
resources/schema.json. Errors name the file and the JSON path of the bad value.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from annotator.core.command_keys import command_key
from annotator.core.errors import InputError
from annotator.core.values import is_iso_date

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")
ATTRIBUTE_KINDS = ("enum", "bool", "number", "date", "text", "url")
# What an attribute is declared on: the key in `applies_to` and the item kind it names.
# Lists name the labels, event types or roles (`true`: all); claims and documents take `true`.
TARGETS = ("labels", "event_types", "claims", "roles", "documents")


@dataclass(frozen=True)
class Label:
    name: str
    key: str  # "" for a label without a key: chosen in the label picker (Ctrl+L) or the palette
    colour: str
    description: str = ""


@dataclass(frozen=True)
class Role:
    name: str
    labels: tuple[str, ...]
    description: str = ""  # its definition from the guidelines, shown as a tooltip

    def accepts(self, label: str) -> bool:
        return label in self.labels

    def to_obj(self) -> dict[str, Any]:
        return {"name": self.name, "labels": list(self.labels), **_described(self.description)}


@dataclass(frozen=True)
class EventType:
    name: str
    key: str
    roles: tuple[Role, ...]
    description: str = ""


@dataclass(frozen=True)
class AppliesTo:
    """The items an attribute is declared on; True for labels, event types or roles: all."""

    labels: tuple[str, ...] | bool = ()
    event_types: tuple[str, ...] | bool = ()
    claims: bool = False
    roles: tuple[str, ...] | bool = ()  # argument roles, of events or claims
    documents: bool = False

    def names(self, key: str, name: str | None) -> bool:
        chosen = getattr(self, key)
        return chosen is True or isinstance(chosen, tuple) and name in chosen

    def to_obj(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in TARGETS:
            value = getattr(self, key)
            if value:
                out[key] = list(value) if isinstance(value, tuple) else value
        return out


@dataclass(frozen=True)
class Attribute:
    """A typed feature of an item: `kind` is one of ATTRIBUTE_KINDS; `values` are an
    enum's choices; `default` (None: none) is what a new item starts with."""

    name: str
    kind: str
    applies_to: AppliesTo
    values: tuple[str, ...] = ()
    default: object = None
    required: bool = False
    guidance: str = ""

    def applies(self, item: str, name: str | None = None) -> bool:
        """Whether it is declared on an item of kind `item` ('span', 'event', 'claim',
        'argument', 'document') named `name` (label, event type, role)."""
        on = self.applies_to
        return {"span": on.names("labels", name), "event": on.names("event_types", name), "claim": on.claims,
                "argument": on.names("roles", name), "document": on.documents}.get(item, False)

    def problem(self, value: object) -> str | None:
        """Why `value` is not one this attribute takes, or None."""
        kind = self.kind
        if kind == "bool":
            ok = isinstance(value, bool)
        elif kind == "number":
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value == value  # not NaN
        elif not isinstance(value, str):
            ok = False
        elif kind == "enum":
            if value not in self.values:
                return f"{value!r} is not one of {', '.join(self.values)}"
            ok = True
        elif kind == "date":
            if not is_iso_date(value):
                return f"{value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"
            ok = True
        elif kind == "url":
            if _URL.fullmatch(value) is None:
                return f"{value!r} is not an http or https URL"
            ok = True
        else:
            ok = value != ""
        return None if ok else f"expected {_KIND_NAMES[kind]}, got {value!r}"

    def to_obj(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "kind": self.kind}
        if self.values:
            out["values"] = list(self.values)
        if self.default is not None:
            out["default"] = self.default
        if self.required:
            out["required"] = True
        out["applies_to"] = self.applies_to.to_obj()
        if self.guidance:
            out["guidance"] = self.guidance
        return out


@dataclass(frozen=True)
class RelationType:
    """A typed relation between two spans, accepting the (from label, to label) pairs."""

    type: str
    pairs: tuple[tuple[str, str], ...]
    directed: bool = True
    guidance: str = ""

    def problem(self, from_label: str, to_label: str) -> str | None:
        """Why this relation cannot go from a `from_label` span to a `to_label` span."""
        if (from_label, to_label) in self.pairs or not self.directed and (to_label, from_label) in self.pairs:
            return None
        accepted = ", ".join(f"{a} -> {b}" for a, b in self.pairs)
        return f"{self.type} does not go from {from_label} to {to_label} (it accepts {accepted})"

    def to_obj(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "directed": self.directed, "pairs": [list(p) for p in self.pairs]}
        if self.guidance:
            out["guidance"] = self.guidance
        return out


_URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.ASCII | re.IGNORECASE)
_KIND_NAMES = {"bool": "true or false", "number": "a number", "text": "a non-empty string", "enum": "a string",
               "date": "a string", "url": "a string"}


@dataclass(frozen=True)
class Schema:
    version: int
    labels: tuple[Label, ...]
    event_types: tuple[EventType, ...]
    claim_roles: tuple[Role, ...]
    attributes: tuple[Attribute, ...] = ()
    relations: tuple[RelationType, ...] = ()

    def attribute(self, name: str) -> Attribute | None:
        return next((a for a in self.attributes if a.name == name), None)

    def attributes_for(self, item: str, name: str | None = None) -> tuple[Attribute, ...]:
        """The attributes declared on an item (see Attribute.applies)."""
        return tuple(a for a in self.attributes if a.applies(item, name))

    def relation(self, type_: str) -> RelationType | None:
        return next((r for r in self.relations if r.type == type_), None)

    def label(self, name: str) -> Label | None:
        return next((lab for lab in self.labels if lab.name == name), None)

    def event_type(self, name: str) -> EventType | None:
        return next((et for et in self.event_types if et.name == name), None)

    def event_role(self, event_type: str, role: str) -> Role | None:
        et = self.event_type(event_type)
        return next((r for r in et.roles if r.name == role), None) if et else None

    def claim_role(self, role: str) -> Role | None:
        return next((r for r in self.claim_roles if r.name == role), None)

    def to_json(self) -> str:
        # Attributes and relations are written only when declared: a schema without them
        # gives the same text as before they existed.
        extra: dict[str, Any] = {}
        if self.attributes:
            extra["attributes"] = [a.to_obj() for a in self.attributes]
        if self.relations:
            extra["relations"] = [r.to_obj() for r in self.relations]
        return json.dumps(
            {
                "version": self.version,
                "labels": [vars(lab) for lab in self.labels],
                "event_types": [
                    {"name": et.name, "key": et.key, **_described(et.description),
                     "roles": [r.to_obj() for r in et.roles]}
                    for et in self.event_types
                ],
                "claim_roles": [r.to_obj() for r in self.claim_roles],
                **extra,
            },
            ensure_ascii=False,
            indent=2,
        )


def _described(description: str) -> dict[str, str]:
    # Written only when given: a schema without descriptions keeps the text it had before them.
    return {"description": description} if description else {}


def parse_schema(text: str, where: str) -> Schema:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"line {exc.lineno} column {exc.colno}", f"not valid JSON: {exc.msg}") from None
    except RecursionError:  # Python's JSON parser recurses once per level
        raise InputError(where, None, "nested too deeply to be an annotation schema "
                                      "(lists or objects inside each other hundreds of levels deep)") from None
    return _Reader(where).schema(data)


class _Reader:
    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, path: str, reason: str) -> InputError:
        return InputError(self.where, path, reason)

    def obj(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, "expected an object")
        return value

    def lst(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(path, "expected a list")
        return value

    def name(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not _NAME.match(value):
            raise self.fail(path, f"expected a name of letters, digits, '_' or '-', got {value!r}")
        return value

    def key(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or len(value) != 1 or value.isspace():
            raise self.fail(path, f"expected a single character key, got {value!r}")
        return value

    def schema(self, data: Any) -> Schema:
        data = self.obj(data, "$")
        version = data.get("version", 1)
        if not isinstance(version, int):
            raise self.fail("$.version", "expected an integer")
        labels = [self.label(v, f"$.labels[{i}]") for i, v in enumerate(self.lst(data.get("labels"), "$.labels"))]
        if not labels:
            raise self.fail("$.labels", "at least one label is needed")
        self.unique([lab.name for lab in labels], "$.labels", "label name")
        self.unique([lab.key for lab in labels if lab.key], "$.labels", "label key")
        for i, lab in enumerate(labels):
            if (command := command_key(lab.key)) is not None:  # a label on it could never be typed
                raise self.fail(f"$.labels[{i}].key", f"{lab.key!r} is the key for {command.purpose}; "
                                                      "choose another key for this label")
        known = {lab.name for lab in labels}
        events = [
            self.event_type(v, f"$.event_types[{i}]", known)
            for i, v in enumerate(self.lst(data.get("event_types", []), "$.event_types"))
        ]
        self.unique([et.name for et in events], "$.event_types", "event type")
        self.unique([et.key for et in events], "$.event_types", "event type key")
        claim_roles = self.roles(data.get("claim_roles", []), "$.claim_roles", known)
        role_names = {r.name for r in claim_roles} | {r.name for et in events for r in et.roles}
        targets = {"labels": known, "event_types": {et.name for et in events}, "roles": role_names}
        attributes = tuple(self.attribute(v, f"$.attributes[{i}]", targets)
                           for i, v in enumerate(self.lst(data.get("attributes", []), "$.attributes")))
        self.unique([a.name for a in attributes], "$.attributes", "attribute")
        relations = tuple(self.relation(v, f"$.relations[{i}]", known)
                          for i, v in enumerate(self.lst(data.get("relations", []), "$.relations")))
        self.unique([r.type for r in relations], "$.relations", "relation type")
        return Schema(version, tuple(labels), tuple(events), claim_roles, attributes, relations)

    def text(self, value: dict[str, Any], key: str, path: str) -> str:
        found = value.get(key, "")
        if not isinstance(found, str) or "\n" in found:
            raise self.fail(f"{path}.{key}", "expected one line of text")
        return found

    def attribute(self, value: Any, path: str, targets: dict[str, set[str]]) -> Attribute:
        value = self.obj(value, path)
        name = self.name(value.get("name"), f"{path}.name")
        kind = value.get("kind")
        if kind not in ATTRIBUTE_KINDS:
            raise self.fail(f"{path}.kind", f"expected one of {', '.join(ATTRIBUTE_KINDS)}, got {kind!r}")
        values: tuple[str, ...] = ()
        if kind == "enum":
            values = tuple(self.lst(value.get("values"), f"{path}.values"))
            if not values:
                raise self.fail(f"{path}.values", "an enum needs at least one value")
            for j, v in enumerate(values):
                if not isinstance(v, str) or not v.strip():
                    raise self.fail(f"{path}.values[{j}]", f"expected a non-empty string, got {v!r}")
            self.unique(list(values), f"{path}.values", "value")
        elif "values" in value:
            raise self.fail(f"{path}.values", f"only an enum has values, not a {kind}")
        required = value.get("required", False)
        if not isinstance(required, bool):
            raise self.fail(f"{path}.required", "expected true or false")
        applies_to = self.applies_to(value.get("applies_to"), f"{path}.applies_to", targets)
        attr = Attribute(name, kind, applies_to, values, None, required, self.text(value, "guidance", path))
        default = value.get("default")
        if default is not None and (why := attr.problem(default)):
            raise self.fail(f"{path}.default", why)
        return Attribute(name, kind, applies_to, values, default, required, attr.guidance)

    def applies_to(self, value: Any, path: str, targets: dict[str, set[str]]) -> AppliesTo:
        value = self.obj(value, path)
        unknown = sorted(set(value) - set(TARGETS))
        if unknown:
            raise self.fail(f"{path}.{unknown[0]}", f"not something an attribute applies to ({', '.join(TARGETS)})")
        if not any(value.values()):
            raise self.fail(path, f"names nothing: give one of {', '.join(TARGETS)}")
        lists: dict[str, tuple[str, ...] | bool] = {}
        for key in ("labels", "event_types", "roles"):
            if value.get(key) is True:  # all of them, those the schema gains later too
                lists[key] = True
                continue
            names = self.lst(value.get(key, []), f"{path}.{key}")
            for j, n in enumerate(names):
                if n not in targets[key]:
                    raise self.fail(f"{path}.{key}[{j}]", f"unknown {key[:-1].replace('_', ' ')} {n!r} "
                                                          f"(known: {', '.join(sorted(targets[key]))})")
            lists[key] = tuple(names)
        flags = {}
        for key in ("claims", "documents"):
            flag = value.get(key, False)
            if not isinstance(flag, bool):
                raise self.fail(f"{path}.{key}", "expected true or false")
            flags[key] = flag
        return AppliesTo(lists["labels"], lists["event_types"], flags["claims"], lists["roles"], flags["documents"])

    def relation(self, value: Any, path: str, known: set[str]) -> RelationType:
        value = self.obj(value, path)
        type_ = self.name(value.get("type"), f"{path}.type")
        directed = value.get("directed", True)
        if not isinstance(directed, bool):
            raise self.fail(f"{path}.directed", "expected true or false")
        pairs = []
        for j, pair in enumerate(self.lst(value.get("pairs"), f"{path}.pairs")):
            pp = f"{path}.pairs[{j}]"
            if not isinstance(pair, list) or len(pair) != 2:
                raise self.fail(pp, f"expected [from label, to label], got {pair!r}")
            for k, lab in enumerate(pair):
                if lab not in known:
                    raise self.fail(f"{pp}[{k}]", f"unknown label {lab!r} (labels: {', '.join(sorted(known))})")
            pairs.append((pair[0], pair[1]))
        if not pairs:
            raise self.fail(f"{path}.pairs", "at least one (from label, to label) pair is needed")
        return RelationType(type_, tuple(pairs), directed, self.text(value, "guidance", path))

    def label(self, value: Any, path: str) -> Label:
        value = self.obj(value, path)
        colour = value.get("colour")
        if not isinstance(colour, str) or not _COLOUR.match(colour):
            raise self.fail(f"{path}.colour", f"expected a colour like '#a1b2c3', got {colour!r}")
        description = value.get("description", "")
        if not isinstance(description, str):
            raise self.fail(f"{path}.description", "expected a string")
        # A key is optional: past the few dozen characters a hand can type, labels are picked by name.
        key = value.get("key", "")
        return Label(self.name(value.get("name"), f"{path}.name"), key and self.key(key, f"{path}.key"),
                     colour.lower(), description)

    def event_type(self, value: Any, path: str, known: set[str]) -> EventType:
        value = self.obj(value, path)
        return EventType(self.name(value.get("name"), f"{path}.name"), self.key(value.get("key"), f"{path}.key"),
                         self.roles(value.get("roles", []), f"{path}.roles", known),
                         self.text(value, "description", path))

    def roles(self, value: Any, path: str, known: set[str]) -> tuple[Role, ...]:
        out = []
        for i, r in enumerate(self.lst(value, path)):
            rp = f"{path}[{i}]"
            r = self.obj(r, rp)
            labels = self.lst(r.get("labels"), f"{rp}.labels")
            for j, lab in enumerate(labels):
                if lab not in known:
                    raise self.fail(f"{rp}.labels[{j}]", f"unknown label {lab!r} (labels: {', '.join(sorted(known))})")
            out.append(Role(self.name(r.get("name"), f"{rp}.name"), tuple(labels), self.text(r, "description", rp)))
        self.unique([r.name for r in out], path, "role")
        return tuple(out)

    def unique(self, names: list[str], path: str, what: str) -> None:
        seen: set[str] = set()
        for i, n in enumerate(names):
            if n in seen:
                raise self.fail(f"{path}[{i}]", f"duplicate {what} {n!r}")
            seen.add(n)
