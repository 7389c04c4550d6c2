"""Adjudication of attributes, relations and clusters (issue 14): the places where the
annotators' layers differ (or agree and gold holds something else), and gold taking one
version in one undoable change, read back from the database."""

from __future__ import annotations

from dataclasses import replace

import pytest

from annotator.core.depth_diff import ClusterVersion, depth_disagreements, gold_places, gold_version
from annotator.core.errors import AnnotatorError
from annotator.core.identity import GOLD_ANNOTATOR
from annotator.core.records import RelationRecord
from annotator.formats import gold_jsonl
from annotator.importer import import_paths
from annotator.store.adjudication import accept_layer
from annotator.store.adjudication_depth import accept_depth
from annotator.store.changes import apply
from annotator.store.project import Project
from annotator.store.records_out import iter_records
from tests.formats.test_depth_gold import full_record


def layers():
    ana = full_record("ana")
    bob = full_record("bob", p="b")
    # bob: another realis, no quantity_of relation but a member_of from the figure's
    # neighbour, "he" not in Geoană's cluster
    bob = replace(bob, events=tuple(replace(e, attributes=(("realis", "generic"), ("polarity", "positive"),
                                                          ("tense", "past"))) for e in bob.events),
                  relations=(RelationRecord("br1", "member_of", "bs2", "bs1"),),
                  spans=tuple(replace(s, entity=None) if s.text == "he" else s for s in bob.spans))
    return ana, bob


@pytest.fixture
def project(tmp_path):
    ana, bob = layers()
    path = tmp_path / "in.jsonl"
    path.write_bytes(gold_jsonl.dumps(ana) + gold_jsonl.dumps(bob))
    with Project.create(tmp_path / "p.annotator") as p:
        import_paths(p, [path])
        yield p


def read(project, who):
    with project.read() as conn:
        return {r.annotator: r for r in iter_records(conn) if r.annotator}.get(who)


def doc_id(project):
    from annotator.store.queries import list_documents

    with project.read() as conn:
        return list_documents(conn)[0].id


def places(project):
    return depth_disagreements({"ana": read(project, "ana"), "bob": read(project, "bob")}, read(project, "gold"))


def find(found, kind, text):
    return next(d for d in found if d.kind == kind and text in repr(d.place))


def test_the_places_where_layers_differ_and_gold_still_lacks_the_agreement(project):
    before = depth_disagreements({"ana": read(project, "ana"), "bob": read(project, "bob")})
    assert sorted({d.kind for d in before}) == ["attribute", "cluster", "relation"]
    realis = find(before, "attribute", "realis")
    assert realis.versions == {"ana": "actual", "bob": "generic"}
    assert find(before, "relation", "quantity_of").versions == {"ana": True, "bob": False}
    assert not any("topic" in repr(d.place) for d in before)  # both say security
    doc = doc_id(project)
    accept_layer(project, doc, "ana")  # spans, events and claims; attributes are adjudicated here
    with_gold = places(project)
    topic = find(with_gold, "attribute", "topic")
    assert topic.versions == {"ana": "security", "bob": "security"}
    assert gold_version(topic, gold_places(read(project, "gold"))) is None


def test_accepting_a_version_writes_it_into_gold_and_undo_takes_it_back(project):
    doc = doc_id(project)
    accept_layer(project, doc, "ana")
    found = places(project)
    realis = find(found, "attribute", "realis")
    change = accept_depth(project, doc, realis, realis.versions["bob"], "bob")
    gold = read(project, GOLD_ANNOTATOR)
    assert dict(gold.events[0].attributes) == {"realis": "generic"}
    apply(project, change, forward=False)
    assert read(project, GOLD_ANNOTATOR).events[0].attributes == ()
    apply(project, change, forward=True)
    assert dict(read(project, GOLD_ANNOTATOR).events[0].attributes) == {"realis": "generic"}

    relation = find(found, "relation", "quantity_of")
    accept_depth(project, doc, relation, True, "ana")
    gold = read(project, GOLD_ANNOTATOR)
    text = {s.id: s.text for s in gold.spans}
    assert [(r.type, text[r.from_span], text[r.to_span]) for r in gold.relations] == [
        ("quantity_of", "4,000", "KFOR")]
    accept_depth(project, doc, relation, False, "bob")
    assert read(project, GOLD_ANNOTATOR).relations == ()

    he = next(d for d in found if d.kind == "cluster" and d.place[2] == "PERSON" and d.place[1] - d.place[0] == 2)
    assert isinstance(he.versions["ana"], ClusterVersion) and he.versions["bob"] is None
    accept_depth(project, doc, he, he.versions["ana"], "ana")
    gold = read(project, GOLD_ANNOTATOR)
    clustered = sorted(s.text for s in gold.spans if s.entity is not None)
    assert clustered == ["Mircea Geoană", "he"]
    assert [e.kb for e in gold.entities] == ["Q2071493"]
    accept_depth(project, doc, he, None, "bob")
    gold = read(project, GOLD_ANNOTATOR)
    assert [s.text for s in gold.spans if s.entity is not None] == ["Mircea Geoană"] and len(gold.entities) == 1


def test_a_place_whose_items_gold_lacks_is_refused_with_the_reason(project):
    doc = doc_id(project)
    realis = find(places(project), "attribute", "realis")
    with pytest.raises(AnnotatorError, match="the gold layer has no spans here yet: accept the spans first"):
        accept_depth(project, doc, realis, "generic", "bob")
    accept_layer(project, doc, "ana")
    bad = replace(realis, place=((("event", "VISIT", 0, 4)), "realis"))
    with pytest.raises(AnnotatorError, match="gold has no such event yet"):
        accept_depth(project, doc, bad, "generic", "bob")
    assert read(project, GOLD_ANNOTATOR).events[0].attributes == ()  # nothing half-written


def test_a_curator_who_has_not_seen_a_change_of_gold_is_refused_and_nothing_is_written(project):
    """accept_depth writes the gold layer: like the spans' decisions it goes through the
    row versions, so a curator's window that has not seen another's change is refused."""
    from annotator.store import versions
    from tests.conftest import dump

    doc = doc_id(project)
    project.user = "dan"
    accept_layer(project, doc, "ana")  # dan's change: gold version 1
    project.user, project.seen_versions = "cora", {}  # cora's window read gold before it
    before = dump(project.path)
    realis = find(places(project), "attribute", "realis")
    with pytest.raises(versions.VersionConflict) as refused:
        accept_depth(project, doc, realis, "generic", "bob")
    assert "was changed by dan" in str(refused.value) and dump(project.path) == before
    project.seen_versions = {f"gold:{doc}": 1}  # once seen, her decision is made
    change = accept_depth(project, doc, realis, "generic", "bob")
    assert dict(change.versions) == {f"gold:{doc}": 2}
