"""Attributes and relations in the annotation schema (issue 14)."""

import json

import pytest

from annotator.core.errors import InputError
from annotator.core.schema import parse_schema
from annotator.paths import resources_dir

DEFAULT = (resources_dir() / "schema.json").read_text(encoding="utf-8")


def edited(change):
    data = json.loads(DEFAULT)
    change(data)
    return json.dumps(data)


def test_default_schema_declares_event_claim_and_document_attributes_with_guidance():
    schema = parse_schema(DEFAULT, "schema.json")
    event = {a.name for a in schema.attributes_for("event", "MEETING")}
    assert {"realis", "polarity", "tense"} <= event
    claim = {a.name for a in schema.attributes_for("claim")}
    assert {"stance", "check_worthy", "claim_type", "verdict", "verdict_source"} <= claim
    assert {a.name for a in schema.attributes_for("document")} == {"topic", "genre", "publication_date"}
    assert schema.attribute("realis").values == ("actual", "generic", "other")
    assert schema.attribute("verdict").values == ("true", "false", "misleading", "unverifiable")
    assert schema.attribute("verdict_source").kind == "url"
    assert all(a.guidance and "\n" not in a.guidance for a in schema.attributes)
    assert all(r.guidance for r in schema.relations)
    assert schema.attributes_for("span", "PERSON") == ()


def test_default_schema_relations_accept_their_pairs_and_say_why_not():
    schema = parse_schema(DEFAULT, "schema.json")
    member = schema.relation("member_of")
    assert member.problem("PERSON", "ORG") is None
    why = member.problem("ORG", "PERSON")
    assert "member_of does not go from ORG to PERSON" in why and "PERSON -> ORG" in why
    assert schema.relation("quantity_of").problem("FIGURE", "ORG") is None


def test_undirected_relation_accepts_both_ways():
    text = edited(lambda d: d["relations"].append({"type": "meets", "directed": False, "pairs": [["PERSON", "ORG"]]}))
    rel = parse_schema(text, "s").relation("meets")
    assert rel.problem("ORG", "PERSON") is None and rel.problem("ORG", "ORG") is not None


@pytest.mark.parametrize("kind,extra,good,bad", [
    ("enum", {"values": ["a", "b"]}, "a", "c"),
    ("bool", {}, True, "true"),
    ("number", {}, 2.5, True),
    ("date", {}, "2023-06-13", "2023-02-30"),
    ("text", {}, "x", ""),
    ("url", {}, "https://example.org/a?b", "example.org"),
])
def test_attribute_kinds_check_values(kind, extra, good, bad):
    text = edited(lambda d: d["attributes"].append({"name": "x", "kind": kind, **extra,
                                                    "applies_to": {"labels": ["PERSON"]}}))
    attr = parse_schema(text, "s").attribute("x")
    assert attr.problem(good) is None
    assert attr.problem(bad) is not None
    assert attr.applies("span", "PERSON") and not attr.applies("span", "ORG")


@pytest.mark.parametrize("change,place,words", [
    (lambda d: d["attributes"][0].update(kind="colour"), "$.attributes[0].kind", "expected one of enum"),
    (lambda d: d["attributes"][0].update(values=[]), "$.attributes[0].values", "at least one value"),
    (lambda d: d["attributes"][0].update(default="maybe"), "$.attributes[0].default", "not one of actual"),
    (lambda d: d["attributes"][0]["applies_to"].update(event_types=["WAR"]),
     "$.attributes[0].applies_to.event_types[0]", "unknown event type 'WAR'"),
    (lambda d: d["attributes"][0].update(applies_to={"spans": ["PERSON"]}), "$.attributes[0].applies_to.spans",
     "not something an attribute applies to"),
    (lambda d: d["attributes"][0].update(applies_to={}), "$.attributes[0].applies_to", "names nothing"),
    (lambda d: d["attributes"][1].update(name="realis"), "$.attributes[1]", "duplicate attribute 'realis'"),
    (lambda d: d["attributes"][3].update(guidance="two\nlines"), "$.attributes[3].guidance", "one line"),
    (lambda d: d["attributes"][9].update(values=["x"], kind="text"), "$.attributes[9].values", "only an enum"),
    (lambda d: d["relations"][0]["pairs"].append(["PERSON", "PLACE"]), "$.relations[0].pairs[2][1]",
     "unknown label 'PLACE'"),
    (lambda d: d["relations"][0].update(pairs=[]), "$.relations[0].pairs", "at least one"),
    (lambda d: d["relations"][1].update(type="member_of"), "$.relations[1]", "duplicate relation type"),
    (lambda d: d["relations"][1].update(directed="yes"), "$.relations[1].directed", "true or false"),
])
def test_attribute_and_relation_errors_name_the_place(change, place, words):
    with pytest.raises(InputError) as err:
        parse_schema(edited(change), "my-schema.json")
    assert "my-schema.json" in str(err.value) and place in str(err.value) and words in str(err.value)


def test_schema_without_attributes_writes_the_same_json_as_before():
    data = json.loads(DEFAULT)
    del data["attributes"], data["relations"]
    schema = parse_schema(json.dumps(data), "s")
    out = json.loads(schema.to_json())
    assert "attributes" not in out and "relations" not in out
    assert list(out) == ["version", "labels", "event_types", "claim_roles"]


def test_default_schema_with_attributes_round_trips():
    schema = parse_schema(DEFAULT, "schema.json")
    assert parse_schema(schema.to_json(), "again") == schema


def test_true_applies_to_every_event_type_even_one_added_later():
    text = edited(lambda d: d["event_types"].append({"name": "PROTEST", "key": "p", "roles": []}))
    schema = parse_schema(text, "s")
    assert schema.attribute("realis").applies("event", "PROTEST")
    assert parse_schema(schema.to_json(), "again") == schema
