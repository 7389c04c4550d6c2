"""Labels added to a schema by an import (`annotator import --add-labels`): each gets the
first single-character key no label, event type or command uses (once they run out, no
key: the label is picked by name in the GUI's label picker), and a colour in turn from a
small palette, so the new schema parses like one written by hand."""

from __future__ import annotations

import json
import re
import string

from annotator.core.command_keys import command_key
from annotator.core.errors import AnnotatorError
from annotator.core.schema import Schema, parse_schema

_PALETTE = ("#9ecae1", "#fdae6b", "#a1d99b", "#f4a6d7", "#bcbddc", "#fdd0a2", "#c7e9c0", "#d9d9d9",
            "#fcbba1", "#c6dbef")
_KEYS = string.digits[1:] + "0" + string.ascii_lowercase + string.ascii_uppercase
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")


def with_labels(schema: Schema, names: list[str], where: str) -> tuple[Schema, list[str]]:
    """`schema` with `names` added as labels, and one line per label added ("NAME (key k)")."""
    bad = [n for n in names if not _NAME.match(n)]
    if bad:
        raise AnnotatorError(f"{where}: label(s) {', '.join(bad)} cannot be added: a label name is letters, digits, "
                             "'_' or '-', starting with a letter")
    data = json.loads(schema.to_json())
    used = {lab.key for lab in schema.labels} | {et.key for et in schema.event_types}
    free = [k for k in _KEYS if k not in used and command_key(k) is None]
    added = []
    for i, name in enumerate(names):
        key = free[i] if i < len(free) else ""
        data["labels"].append({"name": name, "key": key, "colour": _PALETTE[(len(schema.labels) + i) % len(_PALETTE)],
                               "description": ""})
        added.append(f"{name} (key {key})" if key else f"{name} (no key left: pick it by name, Ctrl+L in the app)")
    return parse_schema(json.dumps(data), where), added
