"""Gold records: the fast constructor of the bulk paths makes the same records."""

from dataclasses import FrozenInstanceError, replace

import pytest

from annotator.core.records import SpanRecord, plain_span


def test_a_plain_span_is_the_span_record_the_constructor_makes():
    made = SpanRecord("s1", 0, 4, "ORG", "NATO", "Q7184", None)
    plain = plain_span("s1", 0, 4, "ORG", "NATO", "Q7184", None)
    assert plain == made and hash(plain) == hash(made) and repr(plain) == repr(made)
    assert (plain.fragments, plain.entity, plain.attributes) == ((), None, ())
    assert replace(plain, label="PERSON") == replace(made, label="PERSON")
    with pytest.raises(FrozenInstanceError):
        plain.label = "PERSON"  # type: ignore[misc]
