"""Attributes, relations, entity clusters and fragments in the store (issue 14): every
operation one transaction and one Change that apply() undoes and redoes exactly, refusals
with reasons, and removing a span takes what hangs on it in the same change."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text as sql_text

from annotator.core.errors import AnnotatorError
from annotator.core.records import ArgumentRecord
from annotator.store import attributes, entities, events, fragments, relations
from annotator.store.attributes import Target
from annotator.store.changes import apply
from annotator.store.events import Frame
from annotator.store.queries import document_text, list_documents
from annotator.store.spans import add_span, delete_span, relabel_span, resize_span
from tests.conftest import dump

EN = "004_8ff92d06c738168c"
SR = "003_9d79371e2d62a488"


@pytest.fixture
def en(seeded_project):
    with seeded_project.read() as conn:
        doc = next(d for d in list_documents(conn) if d.uid == EN).id
        text = document_text(conn, doc)
    return seeded_project, doc, text


def span(project, doc, text, needle, label, annotator="ana", nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return add_span(project, doc, annotator, start, start + len(needle), label).result.uid


def undo_redo(project, change, before):
    """Undo gives the database as it was before; redo as it was after."""
    after = dump(project.path)
    apply(project, change, False)
    assert dump(project.path) == before
    apply(project, change, True)
    assert dump(project.path) == after


def test_set_document_span_event_claim_and_argument_attributes_and_undo_each(en):
    p, doc, text = en
    person = span(p, doc, text, "Mircea Geoană", "PERSON")
    start = text.index("met")
    ev = events.add_frame(p, Frame("event", "", doc, "ana", "MEETING", start, start + 3,
                                   (ArgumentRecord("participant", person),))).result
    cstart = text.index("The long-standing")
    claim = events.add_frame(p, Frame("claim", "", doc, "ana", None, cstart, cstart + 40, ())).result
    cases = [
        (Target("document", doc, "ana"), "topic", "security"),
        (Target("document", doc, "ana"), "publication_date", "2023-06-13"),
        (Target("event", doc, "ana", ev.uid), "realis", "actual"),
        (Target("claim", doc, "ana", claim.uid), "check_worthy", True),
        (Target("claim", doc, "ana", claim.uid), "verdict_source", "https://www.nato.int/x"),
    ]
    for target, name, value in cases:
        before = dump(p.path)
        change = attributes.set_attribute(p, target, name, value)
        assert change.result is None and change.documents == (doc,)
        undo_redo(p, change, before)
    with p.read() as conn:
        got = attributes.layer_attributes(conn, doc, "ana")
    assert got[Target("document", doc, "ana")] == {"topic": "security", "publication_date": "2023-06-13"}
    with p.read() as conn:
        for target, values in got.items():
            assert attributes.target_attributes(conn, target) == values
        assert attributes.target_attributes(conn, Target("span", doc, "ana", person)) == {}
    assert got[Target("claim", doc, "ana", claim.uid)] == {"check_worthy": True,
                                                            "verdict_source": "https://www.nato.int/x"}
    # Setting again replaces; None clears; the result is the value before.
    assert attributes.set_attribute(p, Target("event", doc, "ana", ev.uid), "realis", "generic").result == "actual"
    assert attributes.set_attribute(p, Target("event", doc, "ana", ev.uid), "realis", None).result == "generic"
    with p.read() as conn:
        assert Target("event", doc, "ana", ev.uid) not in attributes.layer_attributes(conn, doc, "ana")


def test_argument_attributes_go_with_their_argument_and_come_back_on_undo(en):
    p, doc, text = en
    data = json.loads(p.schema.to_json())
    data["attributes"].append({"name": "certain", "kind": "bool", "applies_to": {"roles": ["participant"]}})
    person = span(p, doc, text, "Mircea Geoană", "PERSON")
    start = text.index("met")
    ev = events.add_frame(p, Frame("event", "", doc, "ana", "MEETING", start, start + 3,
                                   (ArgumentRecord("participant", person),))).result
    _set_schema(p, json.dumps(data))
    target = Target("event_argument", doc, "ana", ev.uid, "participant", person)
    attributes.set_attribute(p, target, "certain", False)
    with p.read() as conn:
        assert attributes.layer_attributes(conn, doc, "ana")[target] == {"certain": False}
    before = dump(p.path)
    change = events.remove_argument(p, "event", ev.uid, "participant", person)
    with p.read() as conn:
        assert attributes.layer_attributes(conn, doc, "ana") == {}
    undo_redo(p, change, before)
    apply(p, change, False)
    before = dump(p.path)
    undo_redo(p, events.delete_frame(p, "event", ev.uid), before)


def _set_schema(project, text):
    from annotator.store.schema_change import replace_schema
    replace_schema(project, text, "test schema")


@pytest.mark.parametrize("target_kind,name,value,words", [
    ("event", "realis", "maybe", "not one of actual, generic, other"),
    ("event", "stance", "asserts", "declares no attribute 'stance' on the MEETING event (it declares realis"),
    ("claim", "verdict_source", "www.nato.int", "not an http or https URL"),
    ("document", "publication_date", "13 June 2023", "not an ISO date"),
    ("claim", "check_worthy", "yes", "expected true or false"),
])
def test_attributes_are_refused_with_the_reason_and_nothing_written(en, target_kind, name, value, words):
    p, doc, text = en
    start = text.index("met")
    ev = events.add_frame(p, Frame("event", "", doc, "ana", "MEETING", start, start + 3, ())).result
    claim = events.add_frame(p, Frame("claim", "", doc, "ana", None, start, start + 3, ())).result
    uid = {"event": ev.uid, "claim": claim.uid, "document": None}[target_kind]
    before = dump(p.path)
    with pytest.raises(AnnotatorError, match=words.replace("(", r"\(")):
        attributes.set_attribute(p, Target(target_kind, doc, "ana", uid), name, value)
    assert dump(p.path) == before


def test_unset_required_attributes_are_listed_as_reminders(en):
    p, doc, text = en
    start = text.index("met")
    ev = events.add_frame(p, Frame("event", "", doc, "ana", "MEETING", start, start + 3, ())).result
    attributes.set_attribute(p, Target("event", doc, "ana", ev.uid), "realis", "actual")
    with p.read() as conn:
        missing = attributes.unset_required(p, conn, doc, "ana")
    assert missing == [(Target("event", doc, "ana", ev.uid), "polarity")]


def test_relation_made_refused_listed_deleted_and_undone(en):
    p, doc, text = en
    person = span(p, doc, text, "Mircea Geoană", "PERSON")
    org = span(p, doc, text, "NATO", "ORG", nth=1)
    before = dump(p.path)
    change = relations.add_relation(p, "member_of", person, org)
    assert "member_of" in change.description and "Geoană" in change.description
    undo_redo(p, change, before)
    with p.read() as conn:
        [rel] = relations.layer_relations(conn, doc, "ana")
    assert (rel.type, rel.from_span, rel.to_span, rel.annotator) == ("member_of", person, org, "ana")
    with pytest.raises(AnnotatorError, match="member_of does not go from ORG to PERSON"):
        relations.add_relation(p, "member_of", org, person)
    with pytest.raises(AnnotatorError, match="already have that member_of"):
        relations.add_relation(p, "member_of", person, org)
    with pytest.raises(AnnotatorError, match="declares no relation 'friend_of'"):
        relations.add_relation(p, "friend_of", person, org)
    other = span(p, doc, text, "NATO", "ORG", annotator="ben")
    with pytest.raises(AnnotatorError, match="same document and annotator"):
        relations.add_relation(p, "member_of", person, other)
    before = dump(p.path)
    undo_redo(p, relations.delete_relation(p, rel.uid), before)


def test_deleting_a_span_takes_its_relations_values_fragments_and_membership_and_undo_restores_them(en):
    p, doc, text = en
    schema_with_span_attribute(p)
    person = span(p, doc, text, "Mircea Geoană", "PERSON")
    org = span(p, doc, text, "NATO", "ORG", nth=1)
    eu = span(p, doc, text, "EU Special Representative", "ORG")
    relations.add_relation(p, "member_of", person, org)
    attributes.set_attribute(p, Target("span", doc, "ana", org), "official", True)
    e = text.index("EU Special")
    fragments.set_fragments(p, eu, [(e, e + 2), (e + 11, e + 25)])
    entities.add_to_entity(p, [org], "nato", kb="Q7184")
    before = dump(p.path)
    change = delete_span(p, org)
    with p.read() as conn:
        assert relations.layer_relations(conn, doc, "ana") == []
        assert attributes.layer_attributes(conn, doc, "ana") == {}
        assert entities.layer_entities(conn, doc, "ana") == {}
        assert conn.exec_driver_sql("SELECT count(*) FROM entities").scalar() == 0  # emptied cluster gone
    undo_redo(p, change, before)
    apply(p, change, False)
    with p.read() as conn:
        assert entities.layer_entities(conn, doc, "ana") == {org: ("nato", "Q7184")}
    before = dump(p.path)
    undo_redo(p, delete_span(p, eu), before)


def schema_with_span_attribute(p):
    data = json.loads(p.schema.to_json())
    data["attributes"].append({"name": "official", "kind": "bool", "applies_to": {"labels": ["ORG"]}})
    _set_schema(p, json.dumps(data))


def test_relabel_keeps_relations_and_attributes_the_schema_accepts(en):
    p, doc, text = en
    schema_with_span_attribute(p)
    person = span(p, doc, text, "Mircea Geoană", "PERSON")
    org = span(p, doc, text, "NATO", "ORG", nth=1)
    relations.add_relation(p, "member_of", person, org)
    with pytest.raises(AnnotatorError, match="member_of"):
        relabel_span(p, person, "DATE")
    other = span(p, doc, text, "KFOR", "ORG")
    attributes.set_attribute(p, Target("span", doc, "ana", other), "official", True)
    with pytest.raises(AnnotatorError, match="official"):
        relabel_span(p, other, "PERSON")


def test_fragments_set_bounds_checked_per_fragment_and_undone(en):
    p, doc, text = en
    e = text.index("EU Special Representative")
    uid = add_span(p, doc, "ana", e, e + 2, "ORG").result.uid
    before = dump(p.path)
    change = fragments.add_fragment(p, uid, e + 11, e + 25)
    assert change.result == []
    undo_redo(p, change, before)
    with p.read() as conn:
        assert fragments.layer_fragments(conn, doc, "ana") == {uid: [(e, e + 2), (e + 11, e + 25)]}
        row = conn.execute(sql_text('SELECT start, "end" FROM spans WHERE uid = :uid'), {"uid": uid}).one()
    assert tuple(row) == (e, e + 25)  # the outer bounds
    with pytest.raises(AnnotatorError, match="overlaps"):
        fragments.set_fragments(p, uid, [(e, e + 5), (e + 3, e + 8)])
    with pytest.raises(AnnotatorError, match="at least two"):
        fragments.set_fragments(p, uid, [(e, e + 5)])
    with pytest.raises(AnnotatorError, match="fragments"):
        resize_span(p, uid, e, e + 20)
    assert fragments.set_fragments(p, uid, []).result == [(e, e + 2), (e + 11, e + 25)]


def test_fragment_edges_inside_a_grapheme_cluster_are_refused(seeded_project):
    p = seeded_project
    text = "ক্ষমতা আর রাস্তার কথা"
    doc = _add_document(p, text)
    uid = add_span(p, doc, "ana", 0, 6, "ORG").result.uid
    with pytest.raises(AnnotatorError, match="inside a grapheme cluster"):
        fragments.add_fragment(p, uid, 10, 13)


def _add_document(p, text):
    from annotator.core.records import DocumentRecord
    from annotator.store.records_in import Incoming, write_records
    with p.write() as conn:
        report = write_records(conn, [Incoming(DocumentRecord("bn-test", "bn", text), "test")])
    with p.read() as conn:
        return next(d.id for d in list_documents(conn) if d.uid == report.added[0])


def test_entity_clusters_across_a_translation_group_with_a_checked_kb_id(seeded_project):
    p = seeded_project
    with p.read() as conn:
        docs = {d.uid: d.id for d in list_documents(conn)}
        en_text, sr_text = document_text(conn, docs[EN]), document_text(conn, docs[SR])
    a = span(p, docs[EN], en_text, "NATO", "ORG")
    b = span(p, docs[SR], sr_text, "NATO", "ORG")
    before = dump(p.path)
    change = entities.add_to_entity(p, [a, b], kb="Q7184")
    ent = change.result
    assert set(change.documents) == {docs[EN], docs[SR]}
    undo_redo(p, change, before)
    with p.read() as conn:
        assert entities.layer_entities(conn, docs[SR], "ana") == {b: (ent, "Q7184")}
        assert entities.entity_mentions(conn, "ana", ent) == sorted([(docs[EN], a), (docs[SR], b)])
    for bad in ("Q0", "Q01", "q42", "P31", "Q"):
        with pytest.raises(AnnotatorError, match="not a Wikidata id"):
            entities.set_kb(p, "ana", ent, bad)
    before = dump(p.path)
    undo_redo(p, entities.set_kb(p, "ana", ent, "Q458"), before)
    # Moving a mention to another cluster; the emptied one goes.
    c = span(p, docs[EN], en_text, "EU", "ORG")
    other = entities.add_to_entity(p, [c], "eu").result
    before = dump(p.path)
    undo_redo(p, entities.add_to_entity(p, [a], other), before)
    before = dump(p.path)
    undo_redo(p, entities.remove_from_entity(p, [b]), before)
    with p.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM entities").scalar() == 1
    with pytest.raises(AnnotatorError, match="one annotator"):
        entities.add_to_entity(p, [a, span(p, docs[EN], en_text, "KFOR", "ORG", annotator="ben")])


def test_a_schema_without_a_relation_or_attribute_in_use_is_refused(en):
    from annotator.store.schema_change import replace_schema
    p, doc, text = en
    person = span(p, doc, text, "Mircea Geoană", "PERSON")
    org = span(p, doc, text, "NATO", "ORG", nth=1)
    relations.add_relation(p, "member_of", person, org)
    attributes.set_attribute(p, Target("document", doc, "ana"), "genre", "news")
    data = json.loads(p.schema.to_json())
    data["relations"] = [r for r in data["relations"] if r["type"] != "member_of"]
    genre = next(a for a in data["attributes"] if a["name"] == "genre")
    genre["values"] = ["opinion"]
    before = dump(p.path)
    with pytest.raises(AnnotatorError) as err:
        replace_schema(p, json.dumps(data), "new.json")
    assert "member_of relation(s), a relation the schema lacks" in str(err.value)
    assert "documents with genre = \"news\"" in str(err.value)
    assert dump(p.path) == before
