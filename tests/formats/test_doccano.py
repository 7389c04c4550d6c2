"""doccano JSONL (issue 13): both shapes read, offsets in the unit doccano's screen counts
(UTF-16 code units) or the one a line's spans fit, everything else counted, and written
back so that doccano shows the spans where they were."""

import io

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.cli.commands import main
from annotator.core.errors import AnnotatorError, InputError
from annotator.core.records import DocumentRecord, EventRecord, SpanRecord
from annotator.formats import doccano
from annotator.importer import import_paths
from annotator.store.project import Project
from annotator.store.records_out import iter_records
from tests.conftest import dump

SCHEMA = orjson.dumps({"version": 1, "labels": [{"name": n, "key": k, "colour": "#336699"} for n, k in
                                                (("ORG", "1"), ("MISC", "2"), ("PERSON", "3"), ("DATE", "4"),
                                                 ("LOC", "5"))]}).decode()

# doccano's own examples (github.com/doccano/doccano): the sequence labelling export,
# backend/data_export/pipeline/examples/sequence_labeling/example.jsonl, and the relation
# extraction import, backend/data_import/pipeline/examples/relation_extraction/example.jsonl
# (pretty-printed there; one line here, as doccano exports it).
SEQUENCE = (b'{"text": "EU rejects German call to boycott British lamb.", "label": [ [0, 2, "ORG"], [11, 17, "MISC"] ]}\n'
            b'{"text": "Peter Blackburn", "label": [ [0, 15, "PERSON"] ]}\n'
            b'{"text": "President Obama", "label": [ [10, 15, "PERSON"] ]}\n')
RELATIONS = orjson.dumps({
    "text": "Google was founded on September 4, 1998, by Larry Page and Sergey Brin.",
    "entities": [{"id": 0, "start_offset": 0, "end_offset": 6, "label": "ORG"},
                 {"id": 1, "start_offset": 22, "end_offset": 39, "label": "DATE"},
                 {"id": 2, "start_offset": 44, "end_offset": 54, "label": "PERSON"},
                 {"id": 3, "start_offset": 59, "end_offset": 70, "label": "PERSON"}],
    "relations": [{"from_id": 0, "to_id": 1, "type": "foundedAt"}, {"from_id": 0, "to_id": 2, "type": "foundedBy"},
                  {"from_id": 0, "to_id": 3, "type": "foundedBy"}]}) + b"\n"


def spans(rec):
    return [(s.text, s.label) for s in rec.spans]


def read(tmp_path, content: bytes, name="export.jsonl", **options):
    path = tmp_path / name
    path.write_bytes(content)
    return doccano.read(path, content, **options)


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "p.annotator", schema_text=SCHEMA) as p:
        yield p


def test_the_documentation_examples_read_in_both_shapes(tmp_path):
    result = read(tmp_path, SEQUENCE)
    assert [spans(rec) for _w, rec in result.records] == [[("EU", "ORG"), ("German", "MISC")],
                                                         [("Peter Blackburn", "PERSON")], [("Obama", "PERSON")]]
    assert [w for w, _r in result.records] == [f"{tmp_path / 'export.jsonl'}: line {n}" for n in (1, 2, 3)]
    assert {rec.annotator for _w, rec in result.records} == {"export"}  # the file's stem, said in the summary
    assert "spans in the layer(s) export (--annotator, or the file's name: export)" in result.notes[0]
    assert result.left_out == []
    rel = read(tmp_path, RELATIONS, annotator="ana")
    [(_w, rec)] = rel.records
    assert spans(rec) == [("Google", "ORG"), ("September 4, 1998", "DATE"), ("Larry Page", "PERSON"),
                          ("Sergey Brin", "PERSON")]
    # no schema given: the documented relations are kept, between the entities' spans
    assert rec.annotator == "ana" and rel.left_out == []
    text = {sp.id: sp.text for sp in rec.spans}
    assert [(r.type, text[r.from_span], text[r.to_span]) for r in rec.relations] == [
        ("foundedAt", "Google", "September 4, 1998"), ("foundedBy", "Google", "Larry Page"),
        ("foundedBy", "Google", "Sergey Brin")]


def test_ids_comments_and_metadata_are_kept_or_counted(tmp_path):
    """A doccano export line (id, Comments, metadata as top-level keys): the id is the
    document's, comments and metadata are counted in the summary, never dropped in silence."""
    line = orjson.dumps({"id": 6400, "text": "Paris is nice", "Comments": ["check"], "label": [[0, 5, "LOC"]],
                         "wikiPageID": 7, "meta": {"lang": "en", "split": "train"}}) + b"\n"
    result = read(tmp_path, line)
    [(_w, rec)] = result.records
    assert rec.id == "6400" and rec.lang == "en" and spans(rec) == [("Paris", "LOC")]
    assert result.left_out == ["1 comment(s)",
                               "2 metadata field(s) the app has no place for (keys meta.split, wikiPageID)"]


def test_utf16_offsets_of_doccanos_screen_are_read_as_such(tmp_path):
    """doccano issue #2290: the screen gives "firetrucks" 22 32 (UTF-16) where Python
    counts 19 29; no code-point reading fits, so the UTF-16 one is taken."""
    text = "👨🏻\u200d🚒 firemen drive firetrucks"
    result = read(tmp_path, orjson.dumps({"text": text, "label": [[22, 32, "MISC"]]}) + b"\n")
    [(_w, rec)] = result.records
    assert [(s.start, s.end, s.text) for s in rec.spans] == [(19, 29, "firetrucks")]
    assert result.warnings == [] and "1 line(s) with astral characters read in utf16" in result.notes[0]
    by_python = read(tmp_path, orjson.dumps({"text": text, "label": [[19, 29, "MISC"]]}) + b"\n", name="py.jsonl")
    assert [(s.start, s.end) for s in by_python.records[0][1].spans] == [(19, 29)]  # only code points fit


def test_offsets_that_fit_both_units_are_read_as_utf16_with_a_warning(tmp_path):
    """"😀 x, y": 3 4 is "," in code points and "x" in UTF-16 units, neither cutting a
    word: a tie, taken as UTF-16 and said."""
    line = orjson.dumps({"text": "😀 x, y", "label": [[3, 4, "LOC"]]}) + b"\n"
    result = read(tmp_path, line)
    assert [s.text for s in result.records[0][1].spans] == ["x"]
    assert result.warnings == [f"{tmp_path / 'export.jsonl'}: warning: line(s) 1: the offsets fit the text both in "
                               "code points and in UTF-16 code units; read as UTF-16 (doccano's annotation screen "
                               "counts them); for a file written by a script that counts code points, "
                               "import with --offsets codepoints"]
    named = read(tmp_path, line, offsets="codepoints")
    assert [s.text for s in named.records[0][1].spans] == [","] and named.warnings == []


def test_the_reading_that_cuts_no_word_wins(tmp_path):
    """"😀 Paris and Lyon" 3 8: "Paris" in UTF-16 units, "aris " in code points."""
    result = read(tmp_path, orjson.dumps({"text": "😀 Paris and Lyon", "label": [[3, 8, "LOC"]]}) + b"\n")
    assert [s.text for s in result.records[0][1].spans] == ["Paris"] and result.warnings == []


def test_grapheme_cluster_offsets_are_read_when_they_cut_no_word(tmp_path):
    """doccano's "count grapheme clusters as one character": Bengali conjuncts count one;
    4 7 in code points would cut a word."""
    text = "ক্ষমতা রাস্তার"  # ক্ষ is three code points, one cluster
    line = orjson.dumps({"text": text, "label": [[4, 7, "LOC"]]}) + b"\n"
    rec = read(tmp_path, line).records[0][1]
    assert spans(rec) == [("রাস্তার", "LOC")]


@pytest.mark.parametrize("line, reason", [
    ({"text": "Paris", "label": [[0, 9, "LOC"]]}, "line 1: $.label[0]: offsets 0 9 are not a range of whole "
                                                   "characters of the text in code points, UTF-16 code units"),
    ({"text": "Paris", "label": [[0, "5", "LOC"]]}, "line 1: $.label[0]: expected integer offsets and a label"),
    ({"text": "Paris", "label": [[0, 5]]}, "line 1: $.label[0]: expected [start, end, \"LABEL\"]"),
    ({"text": "Paris", "label": [], "entities": []}, "line 1: both 'label' and 'entities'"),
    ({"label": [[0, 5, "LOC"]]}, "line 1: $.text: missing"),
])
def test_bad_lines_are_refused_with_the_line_and_the_place(tmp_path, line, reason):
    with pytest.raises(InputError) as info:
        read(tmp_path, orjson.dumps(line) + b"\n")
    assert str(info.value).startswith(f"{tmp_path / 'export.jsonl'}: {reason}")


def test_text_classification_labels_are_counted_and_strict_refuses(project, tmp_path):
    path = tmp_path / "cls.jsonl"
    path.write_bytes(b'{"text": "Terrible customer service.", "label": ["negative"]}\n'
                     b'{"text": "Paris is nice", "label": [[0, 5, "LOC"]]}\n')
    before = dump(project.path)
    with pytest.raises(AnnotatorError, match=r"left out 1 document label\(s\) \(text classification\) \(refused: "):
        import_paths(project, [path], strict=True)
    assert dump(project.path) == before
    report = import_paths(project, [path])
    assert report.warnings == [f"{path}: warning: left out 1 document label(s) (text classification)"]
    assert len(report.added) == 2 and report.layer_count == 1


def test_unknown_labels_are_refused_or_added(project, tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_bytes(orjson.dumps({"text": "Ana met Bob", "label": [[0, 3, "HOST"], [8, 11, "GUEST"]]}) + b"\n")
    before = dump(project.path)
    with pytest.raises(InputError, match=r"label\(s\) not in the project's schema: GUEST, HOST; nothing imported"):
        import_paths(project, [path], strict=True)
    assert dump(project.path) == before
    report = import_paths(project, [path], options={"annotator": "ana"})
    assert any(n.endswith("added to the schema: GUEST (key 6), HOST (key 7)") for n in report.notes), report.notes
    with project.read() as conn:
        [rec] = list(iter_records(conn, annotator="ana"))
    assert spans(rec) == [("Ana", "HOST"), ("Bob", "GUEST")]


def test_ours_to_doccano_and_back_keeps_what_doccano_holds_byte_for_byte(tmp_path):
    text = "😀 Ana met 𝐁ob in Paris.\r\nক্ষমতা e\u0301t\u00e9"
    rec = DocumentRecord(id="d1", lang="en", text=text, title="T", source="s.txt", annotator="ana", status="done",
                         spans=(SpanRecord("s1", 2, 5, "PERSON", "Ana", note="host"),
                                SpanRecord("s2", 10, 13, "PERSON", "𝐁ob"),
                                SpanRecord("s3", 17, 22, "LOC", "Paris", value="GeoNames:1"),
                                SpanRecord("s4", 25, 31, "MISC", text[25:31]), SpanRecord("s5", 10, 22, "MISC",
                                                                                           text[10:22])),
                         events=(EventRecord("e1", "MEET", 6, 9, "met"),))
    out = io.BytesIO()
    result = doccano.write([rec], out)
    assert result.count == 1
    assert result.left_out == ["1 normalised value(s) of spans", "1 note(s) on spans", "1 event(s)"]
    first = out.getvalue()
    assert orjson.loads(first)["label"][:2] == [[3, 6, "PERSON"], [11, 15, "PERSON"]]  # UTF-16 units
    path = tmp_path / "ana.jsonl"
    path.write_bytes(first)
    [(_w, back)] = doccano.read(path, first).records
    assert (back.id, back.lang, back.text, back.title, back.source, back.annotator) == (
        "d1", "en", text, "T", "s.txt", "ana")
    assert sorted((s.start, s.end, s.label) for s in back.spans) == sorted((s.start, s.end, s.label) for s in rec.spans)
    again = io.BytesIO()
    doccano.write([back], again)
    assert again.getvalue() == first


_PIECES = st.sampled_from(["a", "b", " ", "\r\n", "\n", "😀", "𝐀", "e\u0301", "\u0915\u094d\u0937", "ß",
                           "👨\u200d👩\u200d👧"])


@settings(max_examples=80, deadline=None)
@given(pieces=st.lists(_PIECES, min_size=1, max_size=30),
       picks=st.lists(st.tuples(st.integers(0, 29), st.integers(1, 5)), max_size=6),
       unit=st.sampled_from(["utf16", "codepoints", "graphemes"]))
def test_offsets_survive_the_round_trip_with_astral_combining_marks_and_crlf(tmp_path_factory, pieces, picks, unit):
    """Spans on whole pieces (grapheme clusters, CRLF) written in each unit and read back
    in that unit, and in the written default (UTF-16) with the unit left to the reader."""
    text = "".join(pieces)
    edges = [0]
    for p in pieces:
        edges.append(edges[-1] + len(p))
    spans_ = {(edges[min(a, len(pieces) - 1)], edges[min(a + n, len(pieces))]) for a, n in picks}
    rec = DocumentRecord(id="h", lang="", text=text, annotator="ana" if spans_ else None,
                         status="done" if spans_ else "todo",
                         spans=tuple(SpanRecord(f"s{i}", a, b, "LOC", text[a:b]) for i, (a, b) in enumerate(sorted(spans_))))
    folder = tmp_path_factory.mktemp("doccano")
    for written, read_as in ((unit, unit), ("utf16", "auto")):
        out = io.BytesIO()
        assert doccano.write([rec], out, offsets=written).left_out == []
        path = folder / "ana.jsonl"
        path.write_bytes(out.getvalue())
        result = doccano.read(path, out.getvalue(), offsets=read_as)
        back = result.records[0][1]
        assert back.text == text
        assert sorted((s.start, s.end, s.text) for s in back.spans) == sorted((a, b, text[a:b]) for a, b in spans_)


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_command_line_import_and_export_with_format_doccano(tmp_path, capsys):
    schema = tmp_path / "schema.json"
    schema.write_text(SCHEMA, encoding="utf-8")
    project = tmp_path / "p.annotator"
    assert run(capsys, "init", project, "--empty", "--schema", schema)[0] == 0
    src = tmp_path / "books.json"  # another name than .jsonl: --format says what it is
    src.write_bytes(SEQUENCE + RELATIONS)
    code, _out, err = run(capsys, "import", project, src, "--format", "doccano", "--annotator", "ana")
    assert code == 0, err
    # the project's schema declares no foundedAt or foundedBy: counted
    assert (f"{src}: warning: left out 3 relation(s) between spans not between two entities of the line, or of a "
            "type or pair the project's schema does not declare") in err
    assert "imported 4 document(s), 4 layer(s)" in err
    code, _out, err = run(capsys, "import", project, src, "--format", "doccano", "--strict", "--annotator", "bob")
    assert code == 1 and "refused: --strict makes warnings errors" in err
    code, out, err = run(capsys, "export", project, "--format", "doccano")
    assert code == 0, err
    lines = [orjson.loads(line) for line in out.splitlines()]
    assert [line["label"] for line in lines][:2] == [[[0, 2, "ORG"], [11, 17, "MISC"]], [[0, 15, "PERSON"]]]
    tie = tmp_path / "tie.jsonl"
    tie.write_bytes(orjson.dumps({"text": "😀 x, y", "label": [[3, 4, "MISC"]]}) + b"\n")
    code, _out, err = run(capsys, "import", project, tie, "--offsets", "codepoints")
    assert code == 0 and "0 warning(s)" in err
    code, out, _err = run(capsys, "export", project, "--annotator", "tie")
    assert [s["text"] for s in orjson.loads(out.splitlines()[-1])["spans"]] == [","]
    code, out, _err = run(capsys, "formats")
    assert "doccano\tread/write\t.jsonl\tdoccano JSONL" in out


def test_relations_are_written_in_the_entities_shape_and_read_back(tmp_path):
    """Issue 14: a document with relations is written as doccano's relation extraction
    example is (entities with ids, relations between them), in UTF-16 units, and reads back
    to the same relations; one without keeps the `label` shape."""
    from annotator.core.records import DocumentRecord, RelationRecord, SpanRecord, layer_signature
    from annotator.core.schema import parse_schema

    schema = parse_schema(orjson.dumps({**orjson.loads(SCHEMA), "relations": [
        {"type": "member_of", "directed": True, "pairs": [["PERSON", "ORG"]]}]}).decode(), "schema.json")
    text = "😀 Ana of NATO met Bob."
    ana, nato, bob = (text.index(w) for w in ("Ana", "NATO", "Bob"))
    rec = DocumentRecord("d", "en", text, annotator="ana", status="done",
                         spans=(SpanRecord("s1", ana, ana + 3, "PERSON", "Ana"),
                                SpanRecord("s2", nato, nato + 4, "ORG", "NATO"),
                                SpanRecord("s3", bob, bob + 3, "PERSON", "Bob")),
                         relations=(RelationRecord("r1", "member_of", "s1", "s2"),))
    plain = DocumentRecord("e", "en", "Ana.", annotator="ana", status="done",
                           spans=(SpanRecord("t1", 0, 3, "PERSON", "Ana"),))
    out = tmp_path / "out.jsonl"
    with out.open("wb") as fh:
        assert doccano.write([rec, plain], fh).left_out == []
    first, second = (orjson.loads(line) for line in out.read_bytes().splitlines())
    assert first["entities"][0] == {"id": 1, "label": "PERSON", "start_offset": ana + 1, "end_offset": ana + 4}
    assert first["relations"] == [{"id": 1, "from_id": 1, "to_id": 2, "type": "member_of"}]
    assert "label" not in first and second["label"] == [[0, 3, "PERSON"]] and "entities" not in second
    back = doccano.read(out, out.read_bytes(), schema=schema)
    assert back.left_out == []
    assert layer_signature(back.records[0][1]) == layer_signature(rec)
    wrong = doccano.read(out, out.read_bytes().replace(b'"from_id":1,"to_id":2', b'"from_id":2,"to_id":1'),
                         schema=schema)  # ORG -> PERSON: a pair member_of does not take
    assert wrong.records[0][1].relations == () and wrong.left_out[0].startswith("1 relation(s) between spans")
