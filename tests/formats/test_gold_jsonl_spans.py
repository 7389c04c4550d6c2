"""A span made by plain_span is written by orjson from the record itself (no dict built
for it); its line must be byte for byte the line of the same span made any other way."""

from __future__ import annotations

import orjson

from annotator.core.records import DocumentRecord, SpanRecord, plain_span
from annotator.formats import gold_jsonl

TEXT = "ক্ষমতা NATO \U0001d400 é\x00"


def test_a_plain_span_is_written_as_the_same_bytes_as_a_span_made_with_its_class():
    fields = [("s1", 0, 6, "ORG", TEXT[0:6], None, None), ("s2", 7, 11, "ORG", "NATO", "v", "a\nnote"),
              ("s3", 12, 13, "FIGURE", "\U0001d400", None, "\u2028")]
    plain = DocumentRecord("d", "bn", TEXT, spans=tuple(plain_span(*f) for f in fields))
    made = DocumentRecord("d", "bn", TEXT, spans=tuple(SpanRecord(*f) for f in fields))
    assert plain == made
    line = gold_jsonl.dumps(plain)
    assert line == gold_jsonl.dumps(made)
    assert orjson.loads(line)["spans"][1] == {"id": "s2", "start": 7, "end": 11, "label": "ORG", "text": "NATO",
                                              "value": "v", "note": "a\nnote"}


def test_a_span_with_fragments_an_entity_or_attributes_keeps_those_keys():
    span = SpanRecord("s1", 0, 11, "ORG", TEXT[0:11], fragments=((0, 6), (7, 11)), entity="e1",
                      attributes=(("kind", "x"),))
    out = orjson.loads(gold_jsonl.dumps(DocumentRecord("d", "bn", TEXT, spans=(span,))))["spans"][0]
    assert list(out) == ["id", "start", "end", "label", "text", "value", "note", "fragments", "entity", "attributes"]
    assert out["fragments"] == [{"start": 0, "end": 6}, {"start": 7, "end": 11}]
