"""Moving a span's edges in place (boundary editing): one Change that undoes and redoes
exactly; the span keeps its uid, label, value, note, links and the events that use it;
an extent that is empty, outside the text, inside a grapheme cluster or a repeat is refused."""

from __future__ import annotations

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.records import ArgumentRecord, DocumentRecord
from annotator.formats import gold_jsonl
from annotator.importer import import_paths
from annotator.store import events
from annotator.store.changes import apply
from annotator.store.events import Frame
from annotator.store.project import Project
from annotator.store.queries import list_documents
from annotator.store.spans import add_span, get_span, resize_span
from tests.conftest import dump

TEXT = "Mircea Geoană met NATO. ক্ষমতা রাস্তার বাধা"


@pytest.fixture
def doc(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_bytes(gold_jsonl.dumps(DocumentRecord(id="d", lang="en", text=TEXT)))
    with Project.create(tmp_path / "ws.annotator") as project:
        import_paths(project, [path])
        with project.read() as conn:
            yield project, list_documents(conn)[0].id


def _span(project, uid):
    with project.read() as conn:
        return get_span(conn, uid)


def test_resize_keeps_the_span_and_its_event_and_undoes_and_redoes_exactly(doc):
    project, doc_id = doc
    start = TEXT.index("Geoană")
    span = add_span(project, doc_id, "ana", start, start + 3, "PERSON", value=None, note="check").result
    met = TEXT.index("met")
    events.add_frame(project, Frame("event", "", doc_id, "ana", "MEETING", met, met + 3,
                                    (ArgumentRecord("participant", span.uid),)))
    before = dump(project.path)
    change = resize_span(project, span.uid, TEXT.index("Mircea"), start + len("Geoană"))
    after = _span(project, span.uid)
    assert (after.start, after.end, after.label, after.note) == (0, start + 6, "PERSON", "check")
    assert change.result == span  # the span as it was: add_span's result is the row as stored
    assert change.documents == (doc_id,) and "resize PERSON «Geo» to «Mircea Geoană»" in change.description
    with project.read() as conn:
        [frame] = events.layer_frames(conn, "event", doc_id, "ana")
    assert [a.span for a in frame.arguments] == [span.uid]
    apply(project, change, False)
    assert dump(project.path) == before
    apply(project, change, True)
    assert (_span(project, span.uid).start, _span(project, span.uid).end) == (0, start + 6)


@pytest.mark.parametrize(("edges", "reason"), [
    ((5, 5), "cannot be made empty"),
    ((7, 4), "cannot be made empty"),
    ((0, len(TEXT) + 1), "would leave the text"),
    ((TEXT.index("ক্ষ") + 1, TEXT.index("ক্ষ") + 4), "inside a character"),
    ((TEXT.index("ক্ষ"), TEXT.index("ক্ষ") + 2), "inside a character"),
    ((0, 6), "a PERSON span already covers «Mircea»"),
])
def test_a_bad_extent_is_refused_with_its_reason_and_nothing_written(doc, edges, reason):
    project, doc_id = doc
    add_span(project, doc_id, "ana", 0, 6, "PERSON")
    uid = add_span(project, doc_id, "ana", 7, 13, "PERSON").result.uid
    before = dump(project.path)
    with pytest.raises(AnnotatorError, match=reason):
        resize_span(project, uid, *edges)
    assert dump(project.path) == before


def test_another_layer_or_label_on_the_same_extent_is_no_repeat(doc):
    project, doc_id = doc
    add_span(project, doc_id, "bob", 0, 6, "PERSON")
    add_span(project, doc_id, "ana", 0, 6, "ORG")
    uid = add_span(project, doc_id, "ana", 7, 13, "PERSON").result.uid
    resize_span(project, uid, 0, 6)
    assert (_span(project, uid).start, _span(project, uid).end) == (0, 6)
