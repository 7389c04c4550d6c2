"""Events and claims in the store: every operation one transaction, refusals with reasons,
and what an undo needs to restore exactly what was there."""

from __future__ import annotations

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.records import ArgumentRecord
from annotator.store import events as ops
from annotator.store.changes import apply
from annotator.store.events import Frame
from annotator.store.queries import list_documents
from annotator.store.records_out import iter_records
from annotator.store.spans import add_span, delete_spans
from tests.conftest import dump

EN = "004_8ff92d06c738168c"


@pytest.fixture
def en(seeded_project):
    with seeded_project.read() as conn:
        doc = next(d for d in list_documents(conn) if d.uid == EN)
    text = seeded_project_text(seeded_project, doc.id)
    return seeded_project, doc.id, text


def seeded_project_text(project, doc_id):
    from annotator.store.queries import document_text

    with project.read() as conn:
        return document_text(conn, doc_id)


def span(project, doc, text, needle, label, annotator="ana"):
    start = text.index(needle)
    return add_span(project, doc, annotator, start, start + len(needle), label).result.uid


def test_event_with_arguments_round_trips_through_the_export(en):
    project, doc, text = en
    person, date = span(project, doc, text, "Mircea Geoană", "PERSON"), span(project, doc, text, "13 June 2023", "DATE")
    start = text.index("met")
    ev = ops.add_frame(project, Frame("event", "", doc, "ana", "MEETING", start, start + 3,
                                      (ArgumentRecord("participant", person),))).result
    ops.add_argument(project, "event", ev.uid, "time", date)
    with project.read() as conn:
        [rec] = [r for r in iter_records(conn, annotator="ana") if r.id == EN]
    [event] = rec.events
    assert (event.type, event.trigger_text) == ("MEETING", "met")
    assert event.arguments == (ArgumentRecord("participant", person), ArgumentRecord("time", date))
    assert rec.status == "in_progress"


def test_a_role_that_does_not_take_the_label_is_refused_with_the_reason(en):
    project, doc, text = en
    figure = span(project, doc, text, "4,000", "FIGURE")
    start = text.index("met")
    ev = ops.add_frame(project, Frame("event", "", doc, "ana", "MEETING", start, start + 3)).result
    other = span(project, doc, text, "NATO", "ORG", annotator="bob")
    before = dump(project.path)
    with pytest.raises(AnnotatorError, match="takes DATE, not FIGURE"):
        ops.add_argument(project, "event", ev.uid, "time", figure)
    with pytest.raises(AnnotatorError, match="no role 'quantity'"):
        ops.add_argument(project, "event", ev.uid, "quantity", figure)
    with pytest.raises(AnnotatorError, match="same document and annotator"):
        ops.add_argument(project, "event", ev.uid, "participant", other)
    assert dump(project.path) == before
    with project.read() as conn:
        assert ops.get_frame(conn, "event", ev.uid).arguments == ()


def test_deleting_and_restoring_a_claim_keeps_its_arguments_in_order(en):
    project, doc, text = en
    a, b = span(project, doc, text, "Geoană", "PERSON"), span(project, doc, text, "NATO", "ORG")
    quote = text.index("The long-standing")
    claim = ops.add_frame(project, Frame("claim", "", doc, "ana", None, quote, quote + 40,
                                         (ArgumentRecord("claimant", a), ArgumentRecord("subject", b)))).result
    gone = ops.delete_frame(project, "claim", claim.uid).result
    with project.read() as conn:
        assert ops.layer_frames(conn, "claim", doc, "ana") == []
    ops.add_frame(project, gone)
    with project.read() as conn:
        assert ops.layer_frames(conn, "claim", doc, "ana") == [claim]


def test_a_span_in_use_is_deleted_only_with_its_arguments_and_comes_back_with_them(en):
    project, doc, text = en
    person = span(project, doc, text, "Mircea Geoană", "PERSON")
    org = span(project, doc, text, "NATO", "ORG")
    start = text.index("met")
    ev = ops.add_frame(project, Frame("event", "", doc, "ana", "MEETING", start, start + 3,
                                      (ArgumentRecord("participant", org), ArgumentRecord("participant", person)))).result
    before = dump(project.path)
    with pytest.raises(AnnotatorError, match="used by 1 event or claim argument"):
        delete_spans(project, [person])
    assert dump(project.path) == before  # refused: nothing changed
    change = ops.delete_spans_and_uses(project, [person])
    removed, uses = change.result
    assert [s.uid for s in removed] == [person] and [(u.role, u.position) for u in uses] == [("participant", 1)]
    with project.read() as conn:
        assert ops.get_frame(conn, "event", ev.uid).arguments == (ArgumentRecord("participant", org),)
    apply(project, change, False)  # one transaction: the undo
    with project.read() as conn:
        assert ops.get_frame(conn, "event", ev.uid).arguments == ev.arguments
    assert dump(project.path) == before


def test_changing_the_type_keeps_only_compatible_arguments(en):
    project, doc, text = en
    org = span(project, doc, text, "NATO", "ORG")
    start = text.index("met")
    ev = ops.add_frame(project, Frame("event", "", doc, "ana", "MEETING", start, start + 3,
                                      (ArgumentRecord("participant", org),))).result
    with pytest.raises(AnnotatorError, match="no role 'participant'"):
        ops.set_event_type(project, ev.uid, "DEPLOYMENT")
    ops.remove_argument(project, "event", ev.uid, "participant", org)
    assert ops.set_event_type(project, ev.uid, "DEPLOYMENT").result == "MEETING"
    ops.add_argument(project, "event", ev.uid, "agent", org)
    assert not ops.set_argument_role(project, "event", ev.uid, org, "agent", "agent")  # unchanged: no step
    with pytest.raises(AnnotatorError, match="takes FIGURE, not ORG"):
        ops.set_argument_role(project, "event", ev.uid, org, "agent", "quantity")


def test_relabelling_an_argument_keeps_a_label_its_role_takes(en):
    from annotator.store.spans import relabel_span

    project, doc, text = en
    person = span(project, doc, text, "Mircea Geoană", "PERSON")
    start = text.index("met")
    ops.add_frame(project, Frame("event", "", doc, "ana", "MEETING", start, start + 3,
                                 (ArgumentRecord("participant", person),)))
    before = dump(project.path)
    with pytest.raises(AnnotatorError, match="participant of a MEETING event, which takes PERSON or ORG, not FIGURE"):
        relabel_span(project, person, "FIGURE")
    assert dump(project.path) == before
    assert relabel_span(project, person, "ORG").result == "PERSON"  # a label the role takes is fine


def test_a_new_role_names_its_layer_is_refused_twice_over_and_is_nothing_when_unchanged(en):
    project, doc, text = en
    a, b = span(project, doc, text, "Mircea Geoană", "PERSON"), span(project, doc, text, "Miroslav Lajcak", "PERSON")
    start = text.index("met")
    ev = ops.add_frame(project, Frame("event", "", doc, "ana", "VISIT", start, start + 3,
                                      (ArgumentRecord("visitor", a), ArgumentRecord("host", b)))).result
    moved = ops.set_argument_role(project, "event", ev.uid, a, "visitor", "host")
    # The change names its layer: undoing it shows that document, the Edit menu names it.
    assert [(s.document_id, s.annotator) for s in moved.layers] == [(doc, "ana")]
    before = dump(project.path)
    assert not ops.set_argument_role(project, "event", ev.uid, b, "host", "host")  # nothing: no undo step
    assert dump(project.path) == before
    ops.add_argument(project, "event", ev.uid, "visitor", a)  # a is now the host and the visitor
    with pytest.raises(AnnotatorError, match="already the host"):
        ops.set_argument_role(project, "event", ev.uid, a, "visitor", "host")
