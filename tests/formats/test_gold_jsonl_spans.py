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


def test_a_plain_layers_line_made_from_its_columns_is_the_records_line():
    """gold_jsonl.plain_line (an export of the store's plain layers, no record made) writes
    what dumps writes for the record: escapes, astral characters, nulls, the schema key."""
    from annotator.core.records import plain_record

    cols = (("s1", "s2", "s3", "s\"4\\"), (0, 7, 12, 14), (6, 11, 13, 15), ("ORG", "ORG", "FIGURE", "D\u00c9"),
            (None, "v\u2029", None, "\x7f"), (None, "a\nnote\t\x01", "\u2028", None))
    spans = tuple(SpanRecord(u, s, e, lab, TEXT[s:e], v, n) for u, s, e, lab, v, n in zip(*cols))
    for title, source, group, annotator, status, schema in (
            (None, None, None, None, "todo", None), ("T\u00edtulo \U0001f600", "s\x1f", "g1", "ana", "done", "x.schema.json")):
        for some in (spans, ()):
            columns = [c[:len(some)] for c in cols]
            line = gold_jsonl.plain_line("d\u0000", "bn", TEXT, title, source, group, annotator, status, *columns,
                                         schema=schema)
            rec = plain_record("d\u0000", "bn", TEXT, title, source, tuple(plain_span(*f) for f in zip(
                columns[0], columns[1], columns[2], columns[3], [TEXT[s:e] for s, e in zip(columns[1], columns[2])],
                columns[4], columns[5])), group, annotator, status)
            assert line == gold_jsonl.dumps(rec, schema)
            assert line == gold_jsonl.dumps(DocumentRecord("d\u0000", "bn", TEXT, title=title, source=source, spans=some,
                                                           group=group, annotator=annotator, status=status), schema)
