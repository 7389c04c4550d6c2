"""Issue 19 items 6, 11 and 13: import and `validate` apply one set of checks, refuse with
the file, the line and the JSON path, and never write half an import."""

import os

import orjson
import pytest

from annotator.core.errors import AnnotatorError, InputError
from annotator.core.records import DocumentRecord, EventRecord, SpanRecord
from annotator.formats import gold_jsonl
from annotator.formats.validate import validate_bytes
from annotator.importer import import_paths
from tests.conftest import TRICKY, dump


def record(**extra) -> dict:
    text = "Mircea Geoană met NATO on 13 June 2023."
    rec = DocumentRecord(id="d1", lang="en", text=text, annotator="ana",
                         spans=(SpanRecord("s1", 0, 13, "PERSON", "Mircea Geoană"), SpanRecord("s2", 18, 22, "ORG", "NATO"),
                                SpanRecord("s3", 26, 38, "DATE", "13 June 2023", "2023-06-13")))
    obj = orjson.loads(gold_jsonl.dumps(rec))
    obj.update(extra)
    return obj


def write(path, *objs) -> None:
    path.write_bytes(b"".join((o if isinstance(o, bytes) else orjson.dumps(o)) + b"\n" for o in objs))


def refused(project, path, *, strict=False) -> InputError | AnnotatorError:
    before = dump(project.path)
    with pytest.raises(AnnotatorError) as err:
        import_paths(project, [path], strict=strict)
    assert dump(project.path) == before
    validated = validate_bytes(path.read_bytes(), project.schema, strict=strict)[1]
    assert [f for f in validated if not f.warning], "validate accepts what import refuses"
    return err.value


def with_span(obj, i, **changes) -> dict:
    obj["spans"][i].update(changes)
    return obj


@pytest.mark.parametrize("obj,expected", [
    (record(id=""), "$.id: empty"),
    (record(lang="english"), "$.lang: 'english' is not a language tag"),
    (record(lang=""), "$.lang: empty"),
    (record(schema_version=0), "$.schema_version: 0 is not a version"),
    (record(schema_version=-7), "$.schema_version: -7 is not a version"),
    (record(text="   \n\t ", spans=[]), "$.text: empty or only whitespace"),
    (record(text="", spans=[]), "$.text: empty or only whitespace"),
    (record(text="NUL\x00inside", spans=[]), "$.text: NUL character at offset 3"),
    (record(text="bell\x07", spans=[]), "$.text: control character U+0007 at offset 4"),
    (with_span(record(), 2, value="13/06/2023"), "$.spans[2].value: '13/06/2023' for a DATE span"),
    (with_span(record(), 2, label="FIGURE", value="4,000"), "$.spans[2].value: '4,000' for a FIGURE span"),
    (with_span(record(), 0, id=""), "$.spans[0].id: empty"),
    (with_span(record(), 0, text=""), "$.spans[0]: text '' does not match"),
    (record(status=""), "$.status: '' is not one of"),
    (record(lang=None), "$.lang: expected a string, got null"),
    (record(links=[{"span": "s2", "target_doc": "d1", "target_span": "s2"}]), "$.links[0]: links span 's2' to itself"),
    (record(links=[{"span": "s2", "target_doc": "d1", "target_span": "s1"}] * 2), "$.links[1]: the same link"),
    (record(alignments=[{"target": "d1", "blocks": [{"a": [0, 4], "b": [0, 4]}]}]),
     "$.alignments[0].target: a document cannot be aligned with itself"),
])
def test_import_refuses_what_validate_refuses_with_file_line_and_path(empty_project, tmp_path, obj, expected):
    path = tmp_path / "in.jsonl"
    write(path, record(id="other", text="Another document.", spans=[]), obj)
    err = refused(empty_project, path)
    assert str(err).startswith(f"{path}: line 2: ") and expected in str(err)
    assert "constraint" not in str(err).lower()


def test_duplicate_json_keys_are_refused_not_resolved_in_silence(empty_project, tmp_path):
    good = orjson.dumps(record())
    path = tmp_path / "dup.jsonl"
    write(path, good.replace(b'"lang":"en"', b'"lang":"en","lang":"fr"'))
    err = refused(empty_project, path)
    assert str(err) == f"{path}: line 1: key 'lang' appears twice in one object; which one is meant is ambiguous"


def test_invalid_utf8_names_the_byte_offset_in_the_file(empty_project, tmp_path):
    first = orjson.dumps(record(id="ok", text="Fine first line.", spans=[]))
    second = orjson.dumps(record()).replace("Geoană".encode(), b"Geoan\xff")
    path = tmp_path / "bad.jsonl"
    path.write_bytes(first + b"\n" + second + b"\n")
    err = refused(empty_project, path)
    offset = len(first) + 1 + second.index(b"\xff")
    assert str(err).startswith(f"{path}: line 2: invalid UTF-8 at byte {offset} (0xff)")
    assert "surrogates" not in str(err)


def test_alignment_beyond_the_target_text_is_refused(empty_project, tmp_path):
    target = record(id="d2", text="Short.", spans=[])
    path = tmp_path / "al.jsonl"
    write(path, target, record(alignments=[{"target": "d2", "blocks": [{"a": [0, 10], "b": [0, 60]}]}]))
    err = refused(empty_project, path)
    assert "line 2" in str(err) and "$.alignments[0].blocks[0].b: [0, 60) is not a range inside the text of 'd2'" in str(err)


def test_unknown_keys_are_warned_by_default_and_refused_with_strict(empty_project, tmp_path):
    obj = record(colour="red")
    obj["spans"][0]["confidence"] = 0.9
    path = tmp_path / "extra.jsonl"
    write(path, obj)
    err = refused(empty_project, path, strict=True)
    assert "$.colour: unknown key" in str(err) and "--strict" in str(err)
    report = import_paths(empty_project, [path])
    assert report.added == ["d1"]
    assert report.warnings == [f"{path}: line 1: warning: $.colour: unknown key, not part of gold JSONL (ignored)",
                               f"{path}: line 1: warning: $.spans[0].confidence: unknown key, not part of gold JSONL (ignored)"]


def test_nfc_and_nfd_copies_are_reported_as_probable_duplicates(empty_project, tmp_path):
    nfc, nfd = tmp_path / "nfc.txt", tmp_path / "nfd.txt"
    nfc.write_text(TRICKY["vi_nfc"] + " ông Phó", encoding="utf-8")
    import unicodedata
    nfd.write_text(unicodedata.normalize("NFD", TRICKY["vi_nfc"] + " ông Phó"), encoding="utf-8")
    first = import_paths(empty_project, [nfc])
    assert first.warnings == []
    report = import_paths(empty_project, [nfd])
    assert report.added == ["nfd"]
    assert report.warnings == [f"{nfd}: warning: probably the same text as document nfc: the two differ only in "
                               "Unicode normalisation (NFC/NFD); both are kept"]
    both = tmp_path / "both"
    both.mkdir()
    (both / "a.txt").write_text("Ti\u00ea\u0301ng Vi\u00ea\u0323t", encoding="utf-8")
    (both / "b.txt").write_text(unicodedata.normalize("NFC", "Ti\u00ea\u0301ng Vi\u00ea\u0323t"), encoding="utf-8")
    with pytest.raises(AnnotatorError, match="probably the same text as .*a.txt"):
        import_paths(empty_project, [both], strict=True)


def test_the_same_layer_twice_in_one_import_is_refused_with_both_places(empty_project, tmp_path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    write(one, record())
    write(two, record(id="x", text="Something else.", spans=[]), record())
    before = dump(empty_project.path)
    with pytest.raises(InputError) as err:
        import_paths(empty_project, [one, two])
    assert str(err.value) == (f"{two}: line 2: document 'd1' ana's layer is already in this import, "
                              f"at {one}: line 1")
    assert dump(empty_project.path) == before
    write(one, record(), record())  # in one file: the line of each
    err = refused(empty_project, one)
    assert str(err) == f"{one}: line 2: document 'd1' ana's layer is already on line 1"


def test_a_layer_of_a_file_read_whole_and_of_a_streamed_one_is_refused_in_either_order(empty_project, tmp_path):
    # A gold JSONL file not named .jsonl is read whole; one named .jsonl a line at a
    # time, its layers kept by its own reader (issue 18): the check across files sees both.
    whole, streamed = tmp_path / "whole.gold", tmp_path / "streamed.jsonl"
    write(whole, record())
    write(streamed, record(id="x", text="Something else.", spans=[]), record())
    before = dump(empty_project.path)
    for first, second, doc, line, earlier in ((whole, streamed, "d1", 2, 1), (streamed, whole, "d1", 1, 2),
                                              (streamed, streamed, "x", 1, 1)):
        with pytest.raises(InputError) as err:
            import_paths(empty_project, [first, second])
        assert str(err.value) == (f"{second}: line {line}: document {doc!r} ana's layer is already in this import, "
                                  f"at {first}: line {earlier}")
    assert dump(empty_project.path) == before


def test_the_same_text_twice_in_one_streamed_file_names_the_first_line(empty_project, tmp_path):
    import unicodedata
    path = tmp_path / "twice.jsonl"
    text = "Tiếng Việt: Phó Tổng thư ký đã gặp NATO."
    write(path, record(id="a", text=text, spans=[], status="done"), record(id="b", text=unicodedata.normalize("NFD", text), spans=[]),
          record(id="c", text=text, spans=[], status="done"))
    with pytest.raises(InputError) as err:
        import_paths(empty_project, [path])
    assert str(err.value) == (f"{path}: line 3: ana's layer of document 'a' (the same text) is already in this "
                              f"import, at {path}: line 1")
    write(path, record(id="a", text=text, spans=[], status="done"), record(id="b", text=unicodedata.normalize("NFD", text), spans=[]))
    report = import_paths(empty_project, [path])
    assert report.added == ["a", "b"]
    assert report.warnings == [f"{path}: line 2: warning: probably the same text as {path}: line 1: the two differ "
                               "only in Unicode normalisation (NFC/NFD); both are kept"]


def test_an_events_only_layer_is_not_appended_again(empty_project, tmp_path):
    text = "NATO met the EU."
    rec = DocumentRecord(id="d", lang="en", text=text, annotator="x",
                         events=(EventRecord("e1", "MEETING", 5, 8, "met"),))
    path = tmp_path / "events.jsonl"
    path.write_bytes(gold_jsonl.dumps(rec))
    import_paths(empty_project, [path])
    again = import_paths(empty_project, [path])
    assert again.duplicates == [(f"{path}: line 1", "d")] and again.layer_count == 0
    with empty_project.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM events").scalar() == 1
    other = tmp_path / "other.jsonl"
    other.write_bytes(gold_jsonl.dumps(DocumentRecord(id="d", lang="en", text=text, annotator="x",
                                                      events=(EventRecord("e2", "MEETING", 0, 4, "NATO"),))))
    before = dump(empty_project.path)
    with pytest.raises(InputError, match="already has x's layer, and this one differs"):
        import_paths(empty_project, [other])
    assert dump(empty_project.path) == before


def test_the_summary_says_existing_only_for_documents_that_were_there(empty_project, tmp_path):
    path = tmp_path / "two-layers.jsonl"
    write(path, record(), record(annotator="bob"))
    report = import_paths(empty_project, [path])
    assert report.added == ["d1"] and report.layers == [] and report.layer_count == 2
    later = tmp_path / "third.jsonl"
    write(later, record(annotator="cy"))
    report = import_paths(empty_project, [later])
    assert report.added == [] and report.layers == [("d1", "cy")]


def test_a_fifo_is_named_for_what_it_is_and_never_opened(empty_project, tmp_path):
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as err:  # would block forever if it were opened for reading
        import_paths(empty_project, [fifo])
    assert str(err.value) == f"{fifo}: is a FIFO, not a file: import reads regular files and folders"


def test_a_device_is_not_said_to_be_missing(empty_project):
    with pytest.raises(InputError, match="is a character device, not a file"):
        import_paths(empty_project, ["/dev/null"])


def test_an_unreadable_file_is_one_line(empty_project, tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text("A secret text.")
    real_open = os.open

    def denied(file, *args, **kwargs):  # what a non-root user meets on a mode-000 file (tests may run as root)
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(InputError) as err:
        import_paths(empty_project, [path])
    assert str(err.value) == f"{path}: permission denied: cannot read it (check the file's permissions)"
