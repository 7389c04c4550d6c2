import json

import pytest

from annotator.core.command_keys import COMMAND_KEYS
from annotator.core.errors import InputError
from annotator.core.schema import parse_schema
from annotator.paths import resources_dir

DEFAULT = (resources_dir() / "schema.json").read_text(encoding="utf-8")


def test_default_schema_has_the_four_labels_on_keys_1_to_4():
    schema = parse_schema(DEFAULT, "schema.json")
    assert [(lab.name, lab.key) for lab in schema.labels] == [("PERSON", "1"), ("ORG", "2"), ("FIGURE", "3"), ("DATE", "4")]
    assert schema.event_role("MEETING", "participant").accepts("ORG")
    assert not schema.event_role("MEETING", "time").accepts("PERSON")
    assert schema.claim_role("claimant").labels == ("PERSON", "ORG")


def test_schema_round_trips_through_its_json():
    schema = parse_schema(DEFAULT, "schema.json")
    assert parse_schema(schema.to_json(), "again") == schema


def test_the_default_schema_defines_every_label_event_type_and_role():
    schema = parse_schema(DEFAULT, "schema.json")
    described = [*schema.labels, *schema.event_types, *(r for et in schema.event_types for r in et.roles),
                 *schema.claim_roles]
    assert [x.name for x in described if not x.description.strip()] == []


def test_descriptions_are_written_only_when_given():
    # A schema written before descriptions existed comes back as the same text.
    data = json.loads(DEFAULT)
    for owner in [*data["event_types"], *(r for et in data["event_types"] for r in et["roles"]), *data["claim_roles"]]:
        owner.pop("description")
    bare = parse_schema(json.dumps(data), "old.json")
    assert "description" not in json.dumps(json.loads(bare.to_json())["event_types"])
    assert "description" not in json.dumps(json.loads(bare.to_json())["claim_roles"])
    assert parse_schema(bare.to_json(), "again").to_json() == bare.to_json()
    full = parse_schema(DEFAULT, "schema.json")
    written = json.loads(full.to_json())
    assert written["event_types"][0]["description"] == full.event_types[0].description
    assert written["claim_roles"][0]["description"] == full.claim_roles[0].description


def edited(change):
    data = json.loads(DEFAULT)
    change(data)
    return json.dumps(data)


@pytest.mark.parametrize("change,place,words", [
    (lambda d: d["event_types"][1]["roles"][0]["labels"].append("PLACE"), "$.event_types[1].roles[0].labels[1]",
     "unknown label 'PLACE'"),
    (lambda d: d["labels"][1].update(key="1"), "$.labels[1]", "duplicate label key '1'"),
    (lambda d: d["labels"][2].update(colour="green"), "$.labels[2].colour", "expected a colour"),
    (lambda d: d.update(labels=[]), "$.labels", "at least one label"),
    (lambda d: d["claim_roles"].append({"name": "claimant", "labels": ["ORG"]}), "$.claim_roles[3]", "duplicate role"),
    (lambda d: d["event_types"][2].update(description=7), "$.event_types[2].description", "one line of text"),
    (lambda d: d["event_types"][0]["roles"][1].update(description="two\nlines"),
     "$.event_types[0].roles[1].description", "one line of text"),
    (lambda d: d["claim_roles"][2].update(description=["a list"]), "$.claim_roles[2].description",
     "one line of text"),
])
def test_schema_errors_name_the_file_and_the_place(change, place, words):
    with pytest.raises(InputError) as err:
        parse_schema(edited(change), "my-schema.json")
    assert err.value.where == "my-schema.json"
    assert err.value.place == place
    assert words in str(err.value)


def test_invalid_json_reports_line_and_column():
    with pytest.raises(InputError, match=r"my.json: line 2 column"):
        parse_schema('{"labels": [\n  oops]}', "my.json")


def test_a_label_key_the_view_keeps_for_commands_is_refused():
    data = json.loads(DEFAULT)
    data["labels"][3]["key"] = "e"
    with pytest.raises(InputError, match=r"\$\.labels\[3\]\.key: 'e' is the key for new event"):
        parse_schema(json.dumps(data), "mine.json")


@pytest.mark.parametrize("command", COMMAND_KEYS, ids=lambda c: c.letter)
def test_every_letter_of_the_key_table_is_kept_from_labels(command):
    data = json.loads(DEFAULT)
    data["labels"][0]["key"] = command.letter
    with pytest.raises(InputError, match=rf"'{command.letter}' is the key for {command.purpose};"):
        parse_schema(json.dumps(data), "mine.json")
    other = command.letter.swapcase()  # the other case is another key: free unless the table has it too
    data["labels"][0]["key"] = other
    if other not in {c.letter for c in COMMAND_KEYS}:
        assert parse_schema(json.dumps(data), "mine.json").labels[0].key == other


def test_labels_without_a_key_parse_and_do_not_clash_with_each_other():
    data = json.loads(DEFAULT)
    data["labels"] += [{"name": "Protein", "colour": "#aabbcc"}, {"name": "Gene", "key": "", "colour": "#aabbcc"}]
    schema = parse_schema(json.dumps(data), "mine.json")
    assert [lab.key for lab in schema.labels[-2:]] == ["", ""]
    assert parse_schema(schema.to_json(), "again") == schema


def test_labels_added_past_the_last_free_key_get_none_instead_of_refusing_the_import():
    from annotator.core.schema_add import with_labels

    base = parse_schema(DEFAULT, "schema.json")
    names = [f"Type{i}" for i in range(120)]  # more than there are free single characters
    schema, lines = with_labels(base, names, "brat")
    keys = [lab.key for lab in schema.labels[len(base.labels):]]
    assert all(keys[:20]) and keys[-1] == ""
    assert len({k for k in keys if k}) == sum(1 for k in keys if k)  # the keys given are distinct
    assert lines[-1] == "Type119 (no key left: pick it by name, Ctrl+L in the app)"
