"""Prodigy JSONL (issue 13): accepted tasks are layers (named by `_annotator_id`, else
--annotator, else the file's stem), reject and ignore counted, spans checked against the
text and their tokens; written with the app's word tokens and token indices."""

import io

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.cli.commands import main
from annotator.core.errors import AnnotatorError, InputError
from annotator.core.records import DocumentRecord, SpanRecord
from annotator.formats import prodigy, registry
from annotator.importer import import_paths
from annotator.store.project import Project
from annotator.store.records_out import iter_records
from tests.conftest import dump

SCHEMA = orjson.dumps({"version": 1, "labels": [{"name": n, "key": k, "colour": "#336699"} for n, k in
                                                (("PRODUCT", "1"), ("ORG", "2"), ("LOC", "3"),
                                                 ("PERSON", "4"))]}).decode()

# Prodigy's documentation, "Annotation interfaces" (https://prodi.gy/docs/api-interfaces):
# the JSON task format of the `ner_manual` interface (tokens with start, end and id; a
# span with its token_start and token_end, the last token inclusive) and of the binary
# `ner` interface (a span without tokens), each with the answer db-out adds.
NER_MANUAL = {"text": "First look at the new MacBook Pro",
              "spans": [{"start": 22, "end": 33, "label": "PRODUCT", "token_start": 5, "token_end": 6}],
              "tokens": [{"text": "First", "start": 0, "end": 5, "id": 0}, {"text": "look", "start": 6, "end": 10, "id": 1},
                         {"text": "at", "start": 11, "end": 13, "id": 2}, {"text": "the", "start": 14, "end": 17, "id": 3},
                         {"text": "new", "start": 18, "end": 21, "id": 4},
                         {"text": "MacBook", "start": 22, "end": 29, "id": 5},
                         {"text": "Pro", "start": 30, "end": 33, "id": 6}],
              "answer": "accept"}
NER = {"text": "Apple updates its analytics service with new metrics",
       "spans": [{"start": 0, "end": 5, "label": "ORG"}], "answer": "accept"}


def jsonl(*tasks) -> bytes:
    return b"".join(orjson.dumps(t) + b"\n" for t in tasks)


def read(tmp_path, content: bytes, name="news.jsonl", **options):
    path = tmp_path / name
    path.write_bytes(content)
    return prodigy.read(path, content, **options)


def spans(rec):
    return [(s.text, s.label) for s in rec.spans]


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "p.annotator", schema_text=SCHEMA) as p:
        yield p


def test_the_documentation_examples_read_with_their_tokens(tmp_path):
    result = read(tmp_path, jsonl(NER_MANUAL, NER))
    assert [spans(rec) for _w, rec in result.records] == [[("MacBook Pro", "PRODUCT")], [("Apple", "ORG")]]
    assert {rec.annotator for _w, rec in result.records} == {"news"} and result.left_out == []
    assert result.notes == [f"{tmp_path / 'news.jsonl'}: Prodigy JSONL, 2 task(s): 2 accept, 0 reject, 0 ignore, 0 "
                            "without an answer (read as accepted when they have spans); spans in the layer(s) news "
                            "(--annotator, or the file's name: news)"]


def test_reject_and_ignore_are_counted_not_annotations(tmp_path):
    tasks = [dict(NER, answer="reject"), dict(NER_MANUAL, answer="ignore"),
             {"text": "Ana lives in Paris", "spans": [{"start": 13, "end": 18, "label": "LOC"}], "answer": "accept",
              "_annotator_id": "news-ana", "_input_hash": 1, "_task_hash": 2, "_view_id": "ner_manual"}]
    result = read(tmp_path, jsonl(*tasks), annotator="unused")
    assert [(rec.annotator, spans(rec)) for _w, rec in result.records] == [
        (None, []), (None, []), ("news-ana", [("Paris", "LOC")])]  # the texts, without a layer
    assert result.left_out == ["2 task(s) answered reject (1) or ignore (1): only accepted tasks are annotations"]


def test_accepted_binary_tasks_of_one_text_are_one_layer(tmp_path):
    text = "Ana met Bob in Paris"
    tasks = [{"text": text, "spans": [{"start": s, "end": e, "label": lab}], "answer": "accept"}
             for s, e, lab in ((0, 3, "PERSON"), (8, 11, "PERSON"), (15, 20, "LOC"))]
    result = read(tmp_path, jsonl(*tasks), annotator="ana")
    [(where, rec)] = result.records
    assert where == f"{tmp_path / 'news.jsonl'}: line 1"
    assert spans(rec) == [("Ana", "PERSON"), ("Bob", "PERSON"), ("Paris", "LOC")]
    assert "2 accepted task(s) of a text already seen joined its layer" in result.notes[0]


def test_relations_document_labels_and_other_keys_are_counted(project, tmp_path):
    task = dict(NER, relations=[{"head": 0, "child": 1, "label": "OWNS"}], label="TECH", accept=["a"],
                meta={"source": "feed", "score": 0.5}, priority=3)
    path = tmp_path / "t.jsonl"
    path.write_bytes(jsonl(task))
    result = prodigy.read(path, path.read_bytes())
    assert result.left_out == ["1 relation(s) between spans", "2 document label(s) (label, accept)",
                               "2 field(s) the app has no place for (keys meta.score, priority)"]
    before = dump(project.path)
    with pytest.raises(AnnotatorError, match=r"left out 1 relation\(s\) between spans \(refused: --strict"):
        import_paths(project, [path], strict=True)
    assert dump(project.path) == before


@pytest.mark.parametrize("change, reason", [
    ({"spans": [{"start": 22, "end": 33, "label": "PRODUCT", "token_start": 5, "token_end": 5}]},
     "line 1: $.spans[0]: tokens 5..5 do not cover the characters 22 33 (token_end is the last token, inclusive)"),
    ({"spans": [{"start": 22, "end": 33, "label": "PRODUCT", "text": "MacBook"}]},
     "line 1: $.spans[0]: text 'MacBook' does not match the text at 22 33: 'MacBook Pro'"),
    ({"spans": [{"start": 22, "end": 99, "label": "PRODUCT"}]},
     "line 1: $.spans[0]: offsets 22 99 are not a non-empty range inside the text"),
    ({"answer": "maybe"}, "line 1: $.answer: 'maybe' is none of accept, reject, ignore"),
])
def test_bad_tasks_are_refused_with_the_line_and_the_place(tmp_path, change, reason):
    with pytest.raises(InputError) as info:
        read(tmp_path, jsonl({**NER_MANUAL, **change}))
    assert str(info.value).startswith(f"{tmp_path / 'news.jsonl'}: {reason}")


def test_records_without_an_annotator_go_into_the_named_layer(project, tmp_path):
    """Issue 13: a record with spans and no annotator (Prodigy's and spaCy's convention)
    was refused, with no way to name the layer."""
    path = tmp_path / "input.jsonl"
    path.write_bytes(jsonl({"text": "Ana lives in Paris", "spans": [{"start": 13, "end": 18, "label": "LOC"}]}))
    assert registry.detect(path, path.read_bytes()) is prodigy.FORMAT
    report = import_paths(project, [path], options={"annotator": "ana"})
    assert report.layer_count == 1 and "spans in the layer(s) ana (--annotator" in report.notes[0]
    with project.read() as conn:
        [rec] = list(iter_records(conn, annotator="ana"))
    assert spans(rec) == [("Paris", "LOC")] and rec.status == "done"


def test_ours_to_prodigy_and_back_keeps_what_prodigy_holds_byte_for_byte(tmp_path):
    text = "Ana (Bob's sister) met 𝐂arl in New-York.\r\nক্ষমতা"
    rec = DocumentRecord(id="d1", lang="en", text=text, title="T", source="s.txt", annotator="ana", status="done",
                         spans=(SpanRecord("s1", 0, 3, "PERSON", "Ana", value=None, note="host"),
                                SpanRecord("s2", 5, 8, "PERSON", "Bob"),
                                SpanRecord("s3", 23, 27, "PERSON", "𝐂arl"),
                                SpanRecord("s4", 35, 37, "LOC", "Yo"),  # inside a word: its token is cut there
                                SpanRecord("s5", 0, 18, "PERSON", text[0:18])))
    out = io.BytesIO()
    result = prodigy.write([rec], out)
    assert result.left_out == ["1 note(s) on spans"]
    task = orjson.loads(out.getvalue())
    assert [t["text"] for t in task["tokens"]] == ["Ana", "(", "Bob", "'", "s", "sister", ")", "met", "𝐂arl", "in",
                                                   "New", "-", "Yo", "rk", ".", "ক্ষমতা"]
    assert task["spans"][1] == {"start": 0, "end": 18, "text": text[:18], "token_start": 0, "token_end": 6,
                                "label": "PERSON"}
    assert [t["ws"] for t in task["tokens"]][:3] == [True, False, False]
    assert task["answer"] == "accept" and task["_annotator_id"] == "ana"
    path = tmp_path / "x.jsonl"
    path.write_bytes(out.getvalue())
    [(_w, back)] = prodigy.read(path, path.read_bytes()).records
    assert (back.id, back.lang, back.text, back.title, back.source, back.annotator, back.status) == (
        "d1", "en", text, "T", "s.txt", "ana", "done")
    assert sorted((s.start, s.end, s.label) for s in back.spans) == sorted((s.start, s.end, s.label) for s in rec.spans)
    plain = DocumentRecord(id="d2", lang="fr", text="Rien ici.", title="R", source="r.txt")  # no layer: no answer
    out2 = io.BytesIO()
    prodigy.write([plain], out2)
    path.write_bytes(out2.getvalue())
    assert prodigy.read(path, path.read_bytes()).records[0][1] == plain
    again = io.BytesIO()
    prodigy.write([back], again)
    assert again.getvalue() == out.getvalue()


_PIECES = st.sampled_from(["a", "b", " ", "\r\n", "\n", "😀", "𝐀", "e\u0301", "\u0915\u094d\u0937", ".", "👨\u200d👩"])


@settings(max_examples=80, deadline=None)
@given(pieces=st.lists(_PIECES, min_size=1, max_size=30),
       picks=st.lists(st.tuples(st.integers(0, 29), st.integers(1, 5)), max_size=6))
def test_offsets_survive_the_round_trip_with_astral_combining_marks_and_crlf(tmp_path_factory, pieces, picks):
    """Spans on whole pieces (grapheme clusters, CRLF) that start and end off white space:
    written with tokens and read back, every offset exact and every token edge checked."""
    text = "".join(pieces)
    edges = [0]
    for p in pieces:
        edges.append(edges[-1] + len(p))
    chosen = set()
    for a, n in picks:
        a, b = min(a, len(pieces) - 1), min(a + n, len(pieces))
        while a < b and pieces[a].isspace():
            a += 1
        while b > a and pieces[b - 1].isspace():
            b -= 1
        if a < b:
            chosen.add((edges[a], edges[b]))
    rec = DocumentRecord(id="h", lang="", text=text, annotator="ana", status="done",
                         spans=tuple(SpanRecord(f"s{i}", a, b, "LOC", text[a:b]) for i, (a, b) in enumerate(sorted(chosen))))
    out = io.BytesIO()
    assert prodigy.write([rec], out).left_out == []
    path = tmp_path_factory.mktemp("prodigy") / "ana.jsonl"
    path.write_bytes(out.getvalue())
    [(_w, back)] = prodigy.read(path, out.getvalue()).records
    assert back.text == text
    assert sorted((s.start, s.end, s.text) for s in back.spans) == sorted((a, b, text[a:b]) for a, b in chosen)


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_command_line_import_and_export_with_format_prodigy(tmp_path, capsys):
    schema = tmp_path / "schema.json"
    schema.write_text(SCHEMA, encoding="utf-8")
    project = tmp_path / "p.annotator"
    assert run(capsys, "init", project, "--empty", "--schema", schema)[0] == 0
    src = tmp_path / "db-out.jsonl"
    src.write_bytes(jsonl(NER_MANUAL, dict(NER, answer="reject")))
    code, _out, err = run(capsys, "import", project, src)
    assert code == 0, err
    assert "spans in the layer(s) db-out (--annotator, or the file's name: db-out)" in err
    assert "left out 1 task(s) answered reject (1) or ignore (0)" in err
    code, out, err = run(capsys, "export", project, "--format", "prodigy")
    assert code == 0, err
    tasks = [orjson.loads(line) for line in out.splitlines()]
    assert [t["spans"] for t in tasks if t.get("answer") == "accept"] == [
        [{"start": 22, "end": 33, "text": "MacBook Pro", "token_start": 5, "token_end": 6, "label": "PRODUCT"}]]
    code, out, _err = run(capsys, "formats")
    assert "prodigy\tread/write\t.jsonl\tProdigy JSONL" in out
