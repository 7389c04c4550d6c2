import orjson

from annotator.core.records import ArgumentRecord, DocumentRecord, EventRecord, SpanRecord
from annotator.core.schema import parse_schema
from annotator.formats import gold_jsonl
from annotator.formats.validate import validate_bytes
from annotator.paths import resources_dir

LABELS = parse_schema((resources_dir() / "schema.json").read_text(encoding="utf-8"), "schema.json")


def good(i: int) -> dict:
    text = f"Doc {i}: Mircea Geoană met NATO."
    rec = DocumentRecord(id=f"d{i}", lang="en", text=text,
                         spans=(SpanRecord(f"s{i}a", 7, 20, "PERSON", "Mircea Geoană"),
                                SpanRecord(f"s{i}b", 25, 29, "ORG", "NATO")),
                         events=(EventRecord(f"e{i}", "MEETING", 21, 24, "met",
                                             (ArgumentRecord("participant", f"s{i}a"),)),),
                         annotator="ana")
    return orjson.loads(gold_jsonl.dumps(rec))


def lines(*objs) -> bytes:
    return b"".join((o if isinstance(o, bytes) else orjson.dumps(o)) + b"\n" for o in objs)


def test_a_good_file_has_no_problems():
    count, problems = validate_bytes(lines(good(1), good(2)), LABELS)
    assert (count, problems) == (2, [])


def test_every_bad_line_is_reported_with_its_number_and_reason():
    shifted, dangling, role, missing, extra = good(2), good(3), good(4), good(5), good(6)
    shifted["spans"][0]["start"] = 8
    dangling["events"][0]["arguments"][0]["span"] = "nope"
    role["events"][0]["arguments"][0]["span"] = "s4b"
    role["events"][0]["arguments"][0]["role"] = "time"
    del missing["id"]
    extra["colour"] = "red"
    data = lines(good(1), shifted, dangling, role, b"{not json", missing, extra)
    count, problems = validate_bytes(data, LABELS)
    by_line = {}
    for p in problems:
        by_line.setdefault(p.line, []).append(p.message)
    assert count == 7
    assert sorted(by_line) == [2, 3, 4, 5, 6, 7]  # 7 only warned: an unknown key
    assert any("does not match text[8:20]" in m for m in by_line[2])
    assert any("'nope' is not a span id" in m for m in by_line[3])
    assert any("role 'time' does not accept a ORG span" in m for m in by_line[4])
    assert any("not valid JSON" in m for m in by_line[5])
    assert any("$.id: missing" in m for m in by_line[6])
    assert [(p.warning, p.message) for p in problems if p.line == 7] == [
        (True, "$.colour: unknown key, not part of gold JSONL (ignored)")]


def test_links_to_documents_or_spans_not_in_the_file_are_reported():
    obj = good(1)
    obj["links"] = [{"span": "s1a", "target_doc": "d2", "target_span": "s9"}]
    _, problems = validate_bytes(lines(obj, good(2)), LABELS)
    assert [(p.line, "span 's9' of document 'd2'" in p.message) for p in problems] == [(1, True)]


def test_duplicate_layer_lines_are_reported():
    _, problems = validate_bytes(lines(good(1), good(1)), LABELS)
    assert [p.line for p in problems] == [2] and "already on line 1" in problems[0].message
