"""The store writes behind the inspector's depth edits (issue 14): removing one fragment
of a discontinuous span, and the attribute names the events and claims panel reminds of."""

from __future__ import annotations

import pytest
from sqlalchemy import text as sql_text

from annotator.core.errors import AnnotatorError
from annotator.store import attributes, events, fragments
from annotator.store.attributes import Target
from annotator.store.events import Frame
from annotator.store.spans import add_span
from tests.conftest import dump
from tests.store.test_depth_store import en, undo_redo  # noqa: F401  (the fixture)


def _bounds(p, uid):
    with p.read() as conn:
        return tuple(conn.execute(sql_text('SELECT start, "end" FROM spans WHERE uid = :u'), {"u": uid}).one())


def test_removing_a_middle_fragment_keeps_the_span_discontinuous_and_undo_restores_it(en):  # noqa: F811
    p, doc, text = en
    e = text.index("EU Special Representative")
    uid = add_span(p, doc, "ana", e, e + 2, "ORG").result.uid
    fragments.set_fragments(p, uid, [(e, e + 2), (e + 3, e + 10), (e + 11, e + 25)])
    before = dump(p.path)
    change = fragments.remove_fragment(p, uid, 1)
    assert change.result == [(e, e + 2), (e + 3, e + 10), (e + 11, e + 25)]
    with p.read() as conn:
        assert fragments.span_fragments(conn, uid) == [(e, e + 2), (e + 11, e + 25)]
    assert _bounds(p, uid) == (e, e + 25)
    undo_redo(p, change, before)


def test_removing_one_of_two_fragments_makes_the_span_continuous_over_the_other(en):  # noqa: F811
    p, doc, text = en
    e = text.index("EU Special Representative")
    uid = add_span(p, doc, "ana", e, e + 2, "ORG").result.uid
    fragments.add_fragment(p, uid, e + 11, e + 25)
    before = dump(p.path)
    change = fragments.remove_fragment(p, uid, 0)
    assert "continuous" in change.description and "Representative" in change.description
    with p.read() as conn:
        assert fragments.span_fragments(conn, uid) == []
        assert fragments.layer_fragments(conn, doc, "ana") == {}
    assert _bounds(p, uid) == (e + 11, e + 25)
    undo_redo(p, change, before)
    with pytest.raises(AnnotatorError, match="no fragment to remove"):
        fragments.remove_fragment(p, uid, 0)
    with pytest.raises(AnnotatorError, match="no span"):
        fragments.remove_fragment(p, "nope", 0)


def test_removing_a_fragment_onto_another_spans_bounds_is_refused(en):  # noqa: F811
    p, doc, text = en
    e = text.index("EU Special Representative")
    add_span(p, doc, "ana", e + 11, e + 25, "ORG")
    uid = add_span(p, doc, "ana", e, e + 2, "ORG").result.uid
    fragments.add_fragment(p, uid, e + 11, e + 25)
    before = dump(p.path)
    with pytest.raises(AnnotatorError, match="another ORG span has these bounds"):
        fragments.remove_fragment(p, uid, 0)
    assert dump(p.path) == before


def test_frame_attribute_names_by_event_and_claim(en):  # noqa: F811
    p, doc, text = en
    met = text.index("met")
    ev = events.add_frame(p, Frame("event", "", doc, "ana", "MEETING", met, met + 3)).result
    cl = events.add_frame(p, Frame("claim", "", doc, "ana", None, 0, 20)).result
    attributes.set_attribute(p, Target("event", doc, "ana", ev.uid), "realis", "actual")
    attributes.set_attribute(p, Target("claim", doc, "ana", cl.uid), "stance", "asserts")
    attributes.set_attribute(p, Target("claim", doc, "ana", cl.uid), "check_worthy", True)
    attributes.set_attribute(p, Target("document", doc, "ana"), "topic", "security")
    with p.read() as conn:
        assert attributes.frame_attribute_names(conn, doc, "ana") == {
            ("event", ev.uid): {"realis"}, ("claim", cl.uid): {"stance", "check_worthy"}}
        assert attributes.frame_attribute_names(conn, doc, "bob") == {}
