"""The command letters may not take a letter away from labels: projects already store
schemas whose labels were given every other letter (core.schema_add hands the free
letters to the labels an import adds), and such a schema must still load."""

from __future__ import annotations

import json
import string

from annotator.core.command_keys import COMMAND_KEYS
from annotator.core.schema import parse_schema

# The letters the document view took before labels were given letters by imports.
TAKEN_BEFORE = set("ecaqQ")


def test_a_stored_schema_with_every_other_letter_on_a_label_still_loads():
    letters = [k for k in string.ascii_letters if k not in TAKEN_BEFORE]
    labels = [{"name": f"L{i}", "key": k, "colour": "#a1b2c3"} for i, k in enumerate(letters)]
    schema = parse_schema(json.dumps({"version": 1, "labels": labels}), "stored.json")
    assert {lab.key for lab in schema.labels} == set(letters)
    assert {k.letter for k in COMMAND_KEYS if k.letter in string.ascii_letters} <= TAKEN_BEFORE
