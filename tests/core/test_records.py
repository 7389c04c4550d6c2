"""Gold records: the fast constructor of the bulk paths makes the same records."""

from dataclasses import FrozenInstanceError, replace

import pytest

from annotator.core.records import DocumentRecord, SpanRecord, plain_record, plain_span


def test_a_plain_span_is_the_span_record_the_constructor_makes():
    made = SpanRecord("s1", 0, 4, "ORG", "NATO", "Q7184", None)
    plain = plain_span("s1", 0, 4, "ORG", "NATO", "Q7184", None)
    assert plain == made and hash(plain) == hash(made) and repr(plain) == repr(made)
    assert (plain.fragments, plain.entity, plain.attributes) == ((), None, ())
    assert replace(plain, label="PERSON") == replace(made, label="PERSON")
    with pytest.raises(FrozenInstanceError):
        plain.label = "PERSON"  # type: ignore[misc]


def test_a_plain_record_is_the_document_record_the_constructor_makes():
    spans = (plain_span("s1", 0, 4, "ORG", "NATO"),)
    made = DocumentRecord("d1", "en", "NATO met.", "A title", None, spans, group="g1", annotator="ana",
                          status="done")
    plain = plain_record("d1", "en", "NATO met.", "A title", None, spans, "g1", "ana", "done")
    assert plain == made and hash(plain) == hash(made) and repr(plain) == repr(made)
    assert (plain.events, plain.relations, plain.attributes, plain.has_layer) == ((), (), (), True)
    assert plain.checksum == made.checksum
    assert replace(plain, status="todo") == replace(made, status="todo")
    with pytest.raises(FrozenInstanceError):
        plain.status = "todo"  # type: ignore[misc]
