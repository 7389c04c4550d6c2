"""The annotation schema: span labels, event types with argument roles, claim roles.

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

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")


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

    def accepts(self, label: str) -> bool:
        return label in self.labels


@dataclass(frozen=True)
class EventType:
    name: str
    key: str
    roles: tuple[Role, ...]


@dataclass(frozen=True)
class Schema:
    version: int
    labels: tuple[Label, ...]
    event_types: tuple[EventType, ...]
    claim_roles: tuple[Role, ...]

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
        return json.dumps(
            {
                "version": self.version,
                "labels": [vars(lab) for lab in self.labels],
                "event_types": [
                    {"name": et.name, "key": et.key,
                     "roles": [{"name": r.name, "labels": list(r.labels)} for r in et.roles]}
                    for et in self.event_types
                ],
                "claim_roles": [{"name": r.name, "labels": list(r.labels)} for r in self.claim_roles],
            },
            ensure_ascii=False,
            indent=2,
        )


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
        return Schema(version, tuple(labels), tuple(events), claim_roles)

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
                         self.roles(value.get("roles", []), f"{path}.roles", known))

    def roles(self, value: Any, path: str, known: set[str]) -> tuple[Role, ...]:
        out = []
        for i, r in enumerate(self.lst(value, path)):
            rp = f"{path}[{i}]"
            r = self.obj(r, rp)
            labels = self.lst(r.get("labels"), f"{rp}.labels")
            for j, lab in enumerate(labels):
                if lab not in known:
                    raise self.fail(f"{rp}.labels[{j}]", f"unknown label {lab!r} (labels: {', '.join(sorted(known))})")
            out.append(Role(self.name(r.get("name"), f"{rp}.name"), tuple(labels)))
        self.unique([r.name for r in out], path, "role")
        return tuple(out)

    def unique(self, names: list[str], path: str, what: str) -> None:
        seen: set[str] = set()
        for i, n in enumerate(names):
            if n in seen:
                raise self.fail(f"{path}[{i}]", f"duplicate {what} {n!r}")
            seen.add(n)
