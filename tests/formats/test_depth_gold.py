"""Gold JSONL with the keys of issue 14: `attributes` on spans, events, claims, arguments
and the record; `relations`; `fragments`; `entity` and `entities`. Byte-identical round
trips through the reader and through a project, and one set of checks for import and
validate, each problem with its JSON path."""

from __future__ import annotations

import json
from dataclasses import replace

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from annotator.core.errors import InputError
from annotator.core.records import (
    ArgumentRecord,
    ClaimRecord,
    DocumentRecord,
    EntityRecord,
    EventRecord,
    RelationRecord,
    SpanRecord,
)
from annotator.core.schema import parse_schema
from annotator.formats import gold_checks, gold_jsonl
from annotator.formats.validate import validate_bytes
from annotator.importer import import_paths
from annotator.paths import resources_dir
from annotator.store.project import Project
from annotator.store.records_out import iter_records

SCHEMA = parse_schema((resources_dir() / "schema.json").read_text(encoding="utf-8"), "schema.json")
JSON_SCHEMA = Draft202012Validator(json.loads((resources_dir() / "gold.schema.json").read_text(encoding="utf-8")))
TEXT = ("NATO Deputy Secretary General Mircea Geoană met today (13 June 2023) with the EU Special "
        "Representative. “4,000 troops of KFOR stay,” he said. ক্ষমতা রাস্তার")


def at(needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return start, start + len(needle)


def span(sid: str, needle: str, label: str, **kw) -> SpanRecord:
    s, e = at(needle)
    return SpanRecord(sid, s, e, label, TEXT[s:e], **kw)


def full_record(annotator: str = "ana", p: str = "") -> DocumentRecord:
    """The record, its span, relation, event and claim ids prefixed with `p`."""
    rec = _full_record(annotator)
    return replace(
        rec, spans=tuple(replace(s, id=p + s.id) for s in rec.spans),
        events=tuple(replace(e, id=p + e.id, arguments=tuple(replace(a, span=p + a.span) for a in e.arguments))
                     for e in rec.events),
        claims=tuple(replace(c, id=p + c.id, arguments=tuple(replace(a, span=p + a.span) for a in c.arguments))
                     for c in rec.claims),
        relations=tuple(RelationRecord(p + r.id, r.type, p + r.from_span, p + r.to_span) for r in rec.relations))


def _full_record(annotator: str) -> DocumentRecord:
    eu = at("EU")[0]
    rep_end = at("Representative")[1]
    met = at("met")
    claim = at("4,000 troops of KFOR stay")
    spans = (
        span("s1", "NATO", "ORG", entity="nato", attributes=()),
        span("s2", "Mircea Geoană", "PERSON", entity="geoana"),
        span("s3", "13 June 2023", "DATE", value="2023-06-13"),
        SpanRecord("s4", eu, rep_end, "ORG", TEXT[eu:rep_end], fragments=((eu, eu + 2), (rep_end - 14, rep_end))),
        span("s5", "4,000", "FIGURE", value="4000"),
        span("s6", "KFOR", "ORG", entity="kfor"),
        SpanRecord("s7", at("he said")[0], at("he said")[0] + 2, "PERSON", "he", entity="geoana"),
    )
    return DocumentRecord(
        id="doc-depth", lang="en", text=TEXT, spans=spans,
        events=(EventRecord("e1", "MEETING", met[0], met[1], "met",
                            (ArgumentRecord("participant", "s2"), ArgumentRecord("time", "s3")),
                            (("realis", "actual"), ("polarity", "positive"), ("tense", "past"))),),
        claims=(ClaimRecord("c1", claim[0], claim[1], TEXT[claim[0]:claim[1]], (ArgumentRecord("claimant", "s7"),),
                            (("stance", "asserts"), ("check_worthy", True), ("claim_type", "statistic"),
                             ("verdict", "unverifiable"), ("verdict_source", "https://www.nato.int/kfor"))),),
        annotator=annotator, status="done",
        relations=(RelationRecord("r1", "member_of", "s2", "s1"), RelationRecord("r2", "quantity_of", "s5", "s6")),
        entities=(EntityRecord("geoana", "Q2071493"), EntityRecord("kfor", None), EntityRecord("nato", "Q7184")),
        attributes=(("topic", "security"), ("genre", "news"), ("publication_date", "2023-06-13")),
    )


def test_a_record_with_every_new_key_validates_and_round_trips_byte_identical():
    rec = full_record()
    line = gold_jsonl.dumps(rec)
    again = gold_jsonl.from_obj(orjson.loads(line), unknown := [])
    assert unknown == [] and again == rec and gold_jsonl.dumps(again) == line
    count, problems = validate_bytes(line, SCHEMA, strict=True)
    assert (count, [str(p) for p in problems]) == (1, [])
    assert [e.message for e in JSON_SCHEMA.iter_errors(json.loads(line))] == []
    obj = json.loads(line)
    assert obj["spans"][3]["fragments"] == [{"start": at("EU")[0], "end": at("EU")[1]},
                                           {"start": at("Representative")[0], "end": at("Representative")[1]}]
    assert obj["relations"][0] == {"id": "r1", "type": "member_of", "from": "s2", "to": "s1"}
    assert obj["entities"][0] == {"id": "geoana", "kb": "Q2071493"} and obj["spans"][1]["entity"] == "geoana"
    assert obj["claims"][0]["attributes"]["check_worthy"] is True
    assert list(obj)[-6:] == ["attributes", "annotator", "status", "title", "source", "schema_version"]


def test_a_record_without_the_new_keys_is_written_as_before():
    rec = replace(full_record(), relations=(), entities=(), attributes=(),
                  spans=tuple(replace(s, fragments=(), entity=None, attributes=()) for s in full_record().spans),
                  events=tuple(replace(e, attributes=()) for e in full_record().events),
                  claims=tuple(replace(c, attributes=()) for c in full_record().claims))
    obj = json.loads(gold_jsonl.dumps(rec))
    assert not {"relations", "entities", "attributes"} & obj.keys()
    assert all(list(s) == ["id", "start", "end", "label", "text", "value", "note"] for s in obj["spans"])
    assert list(obj["events"][0]) == ["id", "type", "trigger", "arguments"]


def test_import_then_export_gives_the_same_bytes(tmp_path):
    lines = gold_jsonl.dumps(full_record()) + gold_jsonl.dumps(full_record("ben", "b"))
    path = tmp_path / "depth.jsonl"
    path.write_bytes(lines)
    with Project.create(tmp_path / "p.annotator") as project:
        import_paths(project, [path])
        with project.read() as conn:
            out = b"".join(gold_jsonl.dumps(r) for r in iter_records(conn) if r.annotator)
        assert out == lines
        import_paths(project, [path])  # the same layers again: skipped, as they say the same
        with project.read() as conn:
            assert b"".join(gold_jsonl.dumps(r) for r in iter_records(conn) if r.annotator) == lines


def mutate(change) -> bytes:
    obj = json.loads(gold_jsonl.dumps(full_record()))
    change(obj)
    return orjson.dumps(obj) + b"\n"


@pytest.mark.parametrize("change,words", [
    (lambda o: o["events"][0]["attributes"].update(realis="maybe"),
     "$.events[0].attributes.realis: 'maybe' is not one of actual, generic, other"),
    (lambda o: o["claims"][0]["attributes"].update(verdict_source="nato.int"),
     "$.claims[0].attributes.verdict_source: 'nato.int' is not an http or https URL"),
    (lambda o: o["spans"][0].update(attributes={"realis": "actual"}),
     "$.spans[0].attributes.realis: the schema declares no attribute 'realis' on a ORG span"),
    (lambda o: o["attributes"].update(publication_date="June 2023"), "$.attributes.publication_date: 'June 2023' "
     "is not an ISO date"),
    (lambda o: o["events"][0]["arguments"][0].update(attributes={"stance": "asserts"}),
     "$.events[0].arguments[0].attributes.stance: the schema declares no attribute 'stance' on a participant"),
    (lambda o: o["relations"][0].update({"from": "s1", "to": "s2"}),
     "$.relations[0]: member_of does not go from ORG to PERSON (it accepts PERSON -> ORG, ORG -> ORG)"),
    (lambda o: o["relations"][1].update(type="likes"), "$.relations[1].type: 'likes' is not a relation of the schema"),
    (lambda o: o["relations"][1].update(to="s99"), "$.relations[1].to: 's99' is not a span id of this record"),
    (lambda o: o["relations"][1].update(id="r1"), "$.relations[1].id: duplicate relation id 'r1'"),
    (lambda o: o["spans"][3]["fragments"].reverse(), "$.spans[3].fragments[1]: [" ),
    (lambda o: o["spans"][3]["fragments"][1].update(end=len(TEXT) + 5), "$.spans[3].fragments[1]: offsets"),
    (lambda o: o["spans"][3]["fragments"].pop(), "$.spans[3].fragments: a discontinuous span has at least two"),
    (lambda o: o["spans"][3]["fragments"][0].update(start=o["spans"][3]["start"] + 1),
     "$.spans[3]: start and end"),
    (lambda o: o["spans"][1].update(entity="someone"), "$.spans[1].entity: 'someone' is not in the record's entities"),
    (lambda o: o["entities"][0].update(kb="Q0"), "$.entities[0].kb: 'Q0' is not a Wikidata id"),
    (lambda o: o["entities"].append({"id": "nobody", "kb": None}),
     "$.entities[3]: no span of this record is in entity 'nobody'"),
])
def test_validate_names_the_place_and_the_reason(change, words):
    _count, problems = validate_bytes(mutate(change), SCHEMA)
    assert any(words in str(p) for p in problems), [str(p) for p in problems]


def test_a_fragment_edge_inside_a_grapheme_cluster_is_refused():
    s = TEXT.index("ক্ষমতা")
    def change(o):
        o["spans"].append({"id": "s9", "start": s, "end": s + 12, "label": "ORG", "text": TEXT[s:s + 12],
                           "fragments": [{"start": s, "end": s + 2}, {"start": s + 7, "end": s + 12}]})
    _count, problems = validate_bytes(mutate(change), SCHEMA)
    assert any("$.spans[7].fragments[0]: offset" in str(p) and "grapheme" in str(p) for p in problems)


def test_wrong_types_are_refused_with_their_path():
    for change, words in ((lambda o: o["spans"][0].update(attributes={"x": [1]}), "$.spans[0].attributes.x: expected"),
                          (lambda o: o["spans"][3]["fragments"][0].update(start="1"),
                           "$.spans[3].fragments[0].start: expected an integer"),
                          (lambda o: o["relations"][0].pop("to"), "$.relations[0].to: missing")):
        _count, problems = validate_bytes(mutate(change), SCHEMA)
        assert any(words in str(p) for p in problems), [str(p) for p in problems]


def test_one_cluster_id_has_one_kb_across_records_and_in_the_project(tmp_path):
    other = replace(full_record(), id="doc-2", text=TEXT + " ",
                    entities=(EntityRecord("geoana", "Q1"), EntityRecord("kfor"), EntityRecord("nato", "Q7184")))
    data = gold_jsonl.dumps(full_record()) + gold_jsonl.dumps(other)
    _count, problems = validate_bytes(data, SCHEMA)
    assert any("$.entities[0].kb: entity 'geoana' of ana is Q1 here but Q2071493" in str(p) for p in problems)
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_bytes(gold_jsonl.dumps(full_record()))
    second.write_bytes(gold_jsonl.dumps(other))
    with Project.create(tmp_path / "p.annotator") as project:
        import_paths(project, [first])
        with pytest.raises(InputError, match="entity 'geoana' is Q2071493 in the project, Q1 here"):
            import_paths(project, [second])


def test_doccano_relations_and_entities_are_still_another_tools():
    doccano = {"id": 1, "text": "NATO", "entities": [{"id": 1, "label": "ORG", "start_offset": 0, "end_offset": 4}],
               "relations": [{"id": 1, "from_id": 1, "to_id": 1, "type": "x"}]}
    assert gold_jsonl.foreign_keys(doccano) == ["entities", "relations"]
    assert gold_jsonl.foreign_keys(json.loads(gold_jsonl.dumps(full_record()))) == []


# -- random records ---------------------------------------------------------------------
WORDS = [(m.start(), m.end()) for m in __import__("regex").finditer(r"\w+", TEXT)]
ATTR_VALUES = {"realis": st.sampled_from(["actual", "generic", "other"]), "tense": st.sampled_from(["past", "future"]),
               "check_worthy": st.booleans(), "verdict_source": st.sampled_from(["https://a.org/x", "http://b.net"])}


@st.composite
def records(draw):
    chosen = sorted(draw(st.sets(st.integers(0, len(WORDS) - 1), min_size=2, max_size=10)))
    labels = ["PERSON", "ORG"]
    spans = []
    for n, i in enumerate(chosen):
        s, e = WORDS[i]
        frags = ()
        if draw(st.booleans()) and i + 2 < len(WORDS):
            e = WORDS[i + 2][1]
            frags = (WORDS[i], WORDS[i + 2])
        spans.append(SpanRecord(f"s{n}", s, e, labels[n % 2], TEXT[s:e], fragments=frags,
                                entity=draw(st.sampled_from([None, "x", "y"]))))
    used = sorted({s.entity for s in spans if s.entity})
    entities = tuple(EntityRecord(u, draw(st.sampled_from([None, "Q42", "Q7184"]))) for u in used)
    persons = [s.id for s in spans if s.label == "PERSON"]
    orgs = [s.id for s in spans if s.label == "ORG"]
    relations = tuple(RelationRecord(f"r{k}", "member_of", p, o) for k, (p, o) in
                      enumerate(draw(st.lists(st.tuples(st.sampled_from(persons), st.sampled_from(orgs)),
                                              max_size=3, unique=True))))
    met = at("met")
    event_attrs = tuple((k, draw(ATTR_VALUES[k])) for k in draw(st.permutations(["realis", "tense"]))[
        :draw(st.integers(0, 2))])
    claim_attrs = tuple((k, draw(ATTR_VALUES[k])) for k in ["check_worthy", "verdict_source"][:draw(st.integers(0, 2))])
    return DocumentRecord("r", "en", TEXT, spans=tuple(spans),
                          events=(EventRecord("e1", "MEETING", met[0], met[1], "met", (), event_attrs),),
                          claims=(ClaimRecord("c1", met[0], met[1], "met", (), claim_attrs),),
                          annotator="ana", relations=relations, entities=entities,
                          attributes=(("genre", draw(st.sampled_from(["news", "opinion"]))),))


@settings(max_examples=60, deadline=None)
@given(records())
def test_random_records_validate_and_round_trip_byte_identical(rec):
    line = gold_jsonl.dumps(rec)
    assert gold_checks.line_problems(line.rstrip(b"\n"), SCHEMA) == (rec, [], [])
    assert gold_jsonl.dumps(gold_jsonl.from_obj(orjson.loads(line))) == line


def test_exporting_to_a_format_without_a_place_for_them_counts_what_is_left_out(tmp_path, capsys):
    from annotator.cli.commands import main

    path = tmp_path / "depth.jsonl"
    path.write_bytes(gold_jsonl.dumps(full_record()))
    project = tmp_path / "p.annotator"
    with Project.create(project):
        pass
    assert main(["import", str(project), str(path)]) == 0
    capsys.readouterr()
    assert main(["export", str(project), "--format", "conll", "-o", str(tmp_path / "out.conll")]) == 0
    err = capsys.readouterr().err
    for words in ("2 relation(s) between spans", "11 attribute value(s)", "1 discontinuous span(s)",
                  "4 entity cluster membership(s)"):
        assert f"conll has no place for {words}" in err, err
    assert main(["export", str(project)]) == 0  # to stdout: the lines name no schema file beside them
    out, err = capsys.readouterr()
    assert "no place" not in err
    assert out.encode("utf-8") == path.read_bytes()


def test_the_gui_export_counts_what_a_format_has_no_place_for_as_the_command_line_does(tmp_path):
    """The Export dialog's writer (annotator.exporter) and `annotator export` share one
    writing step: relations, attribute values, fragments and clusters are counted there too."""
    from annotator.exporter import ExportChoice, export

    path = tmp_path / "in.jsonl"
    path.write_bytes(gold_jsonl.dumps(full_record()))
    with Project.create(tmp_path / "p.annotator") as project:
        import_paths(project, [path])
        summary = export(project, ExportChoice(tmp_path / "out.conll", fmt="conll"))
        for words in ("2 relation(s) between spans", "11 attribute value(s)", "1 discontinuous span(s)",
                      "4 entity cluster membership(s)"):
            assert any(what.startswith(words) for what in summary.left_out), summary.left_out
        whole = export(project, ExportChoice(tmp_path / "out.jsonl"))
    assert whole.left_out == [] and (tmp_path / "out.jsonl.schema.json").is_file()
