"""A project's schema widened by the schema an export carries (the `<export>.schema.json`
beside a gold JSONL file): labels, event types, roles and the labels a role accepts that
the project lacks are added with the export's colours and keys. Nothing of the project's
is changed or removed, so every annotation it holds still fits. A key the project already
uses for something else is replaced by the first free one, and said."""

from __future__ import annotations

import json
import string
from typing import Any

from annotator.core.command_keys import command_key
from annotator.core.errors import InputError
from annotator.core.schema import Role, Schema, parse_schema

_KEYS = string.digits[1:] + "0" + string.ascii_lowercase + string.ascii_uppercase


def _roles(project: tuple[Role, ...], carried: tuple[Role, ...], owner: str, lines: list[str]
           ) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [r.to_obj() for r in project]
    by_name = {r["name"]: r for r in out}
    for role in carried:
        mine = by_name.get(role.name)
        if mine is None:
            out.append(role.to_obj())
            lines.append(f"role {owner}{role.name} ({', '.join(role.labels)})")
            continue
        wider = [lab for lab in role.labels if lab not in mine["labels"]]
        if wider:
            mine["labels"].extend(wider)
            lines.append(f"role {owner}{role.name} also takes {', '.join(wider)}")
    return out


def merge_schema(project: Schema, carried: Schema, where: str) -> tuple[Schema, list[str]]:
    """(`project` with what `carried` adds, one line per addition). Raises InputError
    (naming `where`) when no single-character key is left for an addition."""
    data: dict[str, Any] = json.loads(project.to_json())
    lines: list[str] = []
    used = {lab.key for lab in project.labels} | {et.key for et in project.event_types}

    def key_for(wanted: str, what: str, label: bool) -> tuple[str, str]:
        """(key, how it was chosen): the carried key when free, else the first free one.
        A label's key must not be a command's (it could never be typed); an event
        type's is typed in the event picker, where commands do not apply."""
        if wanted not in used and not (label and command_key(wanted) is not None):
            used.add(wanted)
            return wanted, f"key {wanted}"
        free = next((k for k in _KEYS if k not in used and not (label and command_key(k) is not None)), None)
        if free is None:
            raise InputError(where, None, f"no free single-character key for {what}: the project's schema uses "
                                          "them all; make room with `annotator schema PROJECT --set FILE`")
        used.add(free)
        return free, f"key {free}, as {wanted} is taken in this project"

    for lab in carried.labels:
        if project.label(lab.name) is None:
            key, how = key_for(lab.key, f"label {lab.name}", True)
            data["labels"].append({"name": lab.name, "key": key, "colour": lab.colour,
                                   "description": lab.description})
            lines.append(f"label {lab.name} ({how}, {lab.colour})")
    events = {et["name"]: et for et in data["event_types"]}
    for et in carried.event_types:
        mine = project.event_type(et.name)
        if mine is None:
            key, how = key_for(et.key, f"event type {et.name}", False)
            data["event_types"].append({"name": et.name, "key": key, "description": et.description,
                                        "roles": [r.to_obj() for r in et.roles]})
            lines.append(f"event type {et.name} ({how}; roles {', '.join(r.name for r in et.roles) or 'none'})")
        else:
            events[et.name]["roles"] = _roles(mine.roles, et.roles, f"{et.name}.", lines)
    data["claim_roles"] = _roles(project.claim_roles, carried.claim_roles, "claim ", lines)
    if not lines:
        return project, []
    return parse_schema(json.dumps(data, ensure_ascii=False), where), lines
