"""brat standoff (issue 13): a .txt and its .ann read as one document, offsets exact in
code points of the .txt as it is, and everything the app cannot store yet counted (or
refused with --strict), never dropped in silence."""

from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.errors import AnnotatorError, InputError
from annotator.core.records import DocumentRecord, EventRecord, SpanRecord
from annotator.formats import brat, registry
from annotator.importer import import_paths
from annotator.store.project import Project
from annotator.store.records_out import iter_records
from tests.conftest import dump

# From brat's own documentation, "brat standoff format" (https://brat.nlplab.org/standoff.html):
# the example document of its "Text files" section, and the annotation lines of its
# sections on text-bound annotations, events, relations, attributes, normalizations and
# notes (the attribute, normalization and note lines there point at T1 and E1 as here).
DOC_TXT = ("Sony formed a joint venture with Ericsson, a mobile phone company based in Sweden.\n"
           "Sony announced today that ...\n")
DOC_ANN = ("T1\tOrganization 0 4\tSony\n"
           "T2\tMERGE-ORG 14 27\tjoint venture\n"
           "T3\tOrganization 33 41\tEricsson\n"
           "E1\tMERGE-ORG:T2 Org1:T1 Org2:T3\n"
           "T4\tCountry 75 81\tSweden\n"
           "R1\tOrigin Arg1:T3 Arg2:T4\n"
           "A1\tNegation E1\n"
           "N1\tReference T1 Wikipedia:534366\tBarack Obama\n"
           "#1\tAnnotatorNotes T1\tthis annotation is suspect\n")

A_WORDS = ("1 attribute(s) (A and M lines) not on a text-bound annotation, repeated, or not one the project's "
           "schema declares on its label")
R_WORDS = ("1 relation(s) (R lines) not between two text-bound annotations, or of a type or pair the project's "
           "schema does not declare")
N_WORDS = ("1 normalisation(s) (N lines) that are not a value the span's label takes or a Wikidata id, or not on "
           "a span")

SCHEMA = orjson.dumps({"version": 1, "labels": [{"name": n, "key": k, "colour": "#336699"} for n, k in
                                                (("Organization", "1"), ("Country", "2"),
                                                 ("MERGE-ORG", "3"))]}).decode()


def pair(folder: Path, stem: str, text: str | bytes, ann: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / f"{stem}.txt").write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    (folder / f"{stem}.ann").write_text(ann, encoding="utf-8")
    return folder / f"{stem}.ann"


def spans(rec):
    return [(rec.text[s.start:s.end], s.label, s.value, s.note) for s in rec.spans]


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "p.annotator", schema_text=SCHEMA) as p:
        yield p


def test_the_documentation_example_reads_with_every_left_out_counted(tmp_path):
    ann = pair(tmp_path, "DOC-1000", DOC_TXT, DOC_ANN)
    result = brat.read(ann, ann.read_bytes())
    [(where, rec)] = result.records
    assert where == str(ann)
    assert rec.text == DOC_TXT and rec.id == "DOC-1000" and rec.annotator == "DOC-1000"
    assert spans(rec) == [("Sony", "Organization", "Wikipedia:534366", "this annotation is suspect"),
                          ("joint venture", "MERGE-ORG", None, None),
                          ("Ericsson", "Organization", None, None), ("Sweden", "Country", None, None)]
    [rel] = rec.relations  # no schema given: every relation between two spans is kept
    by_id = {s.id: s.text for s in rec.spans}
    assert (rel.type, by_id[rel.from_span], by_id[rel.to_span]) == ("Origin", "Ericsson", "Sweden")
    assert result.left_out == ["1 event(s) (E lines)", A_WORDS]  # the attribute is on E1


def test_the_txt_named_reads_the_same_pair(tmp_path):
    ann = pair(tmp_path, "d", DOC_TXT, DOC_ANN)
    txt = ann.with_suffix(".txt")
    assert registry.detect(txt, txt.read_bytes()) is brat.FORMAT
    by_txt = brat.read(txt, txt.read_bytes(), annotator="ana").records[0][1]
    assert by_txt.annotator == "ana" and [s[:2] for s in spans(by_txt)][0] == ("Sony", "Organization")


def test_offsets_are_code_points_with_astral_characters_and_crlf(tmp_path):
    text = "😀 Paris\r\n𝔘𝔫𝔦 Lyon\r\n"  # astral: one code point each (two in UTF-16), CRLF: two
    ann = pair(tmp_path, "a", text, "T1\tLOC 2 7\tParis\r\nT2\tLOC 13 17\tLyon\r\n")
    rec = brat.read(ann, ann.read_bytes()).records[0][1]
    assert rec.text == text
    assert [(s.start, s.end, s.text) for s in rec.spans] == [(2, 7, "Paris"), (13, 17, "Lyon")]
    utf16 = pair(tmp_path, "b", text, "T1\tLOC 3 8\tParis\n")  # offsets of a tool counting UTF-16 units
    with pytest.raises(InputError) as info:
        brat.read(utf16, utf16.read_bytes())
    assert str(info.value).startswith(f"{utf16}: line 1: T1: text 'Paris' does not match the text at 3 8: 'aris\\r'")


def test_a_quoted_text_that_does_not_match_is_refused_with_file_and_line(tmp_path):
    ann = pair(tmp_path, "d", DOC_TXT, "T1\tOrganization 0 4\tSony\nT2\tCountry 74 80\tSweden\n")
    with pytest.raises(InputError) as info:
        brat.read(ann, ann.read_bytes())
    assert str(info.value) == (f"{ann}: line 2: T2: text 'Sweden' does not match the text at 74 80: ' Swede' "
                               "(brat counts offsets in characters of the .txt as it is)")


def test_fragments_equivalence_attributes_and_misplaced_lines(tmp_path):
    """brat's documented discontinuous example ("T1 Location 0 5;16 23 North America",
    https://brat.nlplab.org/standoff.html, text-bound annotations) is one span with two
    fragments; `*` joins spans in a cluster; what points nowhere is counted."""
    text = "North and South America\n"
    ann = pair(tmp_path, "d", text, "T1\tLocation 0 5;16 23\tNorth America\n"
                                    "T2\tLocation 10 23\tSouth America\n"
                                    "T3\tLocation 0 5\tNorth\n"
                                    "*\tAlias T2 T3\n"
                                    "*\tEquiv T2 T9\n"
                                    "M1\tSpeculation T2\n"
                                    "A2\tSpeculation T2\n"
                                    "N1\tReference T1 GeoNames:6255149\tNorth America\n"
                                    "N2\tReference T9 GeoNames:6255149\tNorth America\n"
                                    "#1\tAnnotatorNotes T1\tone region in two pieces\n"
                                    "#2\tAnnotatorNotes T9\tnowhere\n"
                                    "X1\tsomething else\n")
    result = brat.read(ann, ann.read_bytes())
    rec = result.records[0][1]
    one, two, three = rec.spans
    assert (one.start, one.end, one.text, one.fragments) == (0, 23, text[:23], ((0, 5), (16, 23)))
    assert (one.value, one.note) == ("GeoNames:6255149", "one region in two pieces")
    assert two.attributes == (("Speculation", True),) and two.fragments == ()
    assert two.entity == three.entity is not None and one.entity is None
    assert [(e.id, e.kb) for e in rec.entities] == [(two.entity, None)]
    assert result.left_out == [
        "1 equivalence(s) (* lines) not between text-bound annotations", A_WORDS, N_WORDS,
        "1 note(s) (# lines) that are not AnnotatorNotes on a span",
        "1 line(s) of a kind brat's standoff format does not define"]


def test_wikidata_normalisations_make_clusters_with_the_id_across_documents(tmp_path):
    """`N` lines naming Wikidata (the form of brat's documented `N1 Reference T1
    Wikipedia:534366 Barack Obama`, https://brat.nlplab.org/standoff.html) give the span's
    cluster its KB id; spans with one id are one cluster, the same in every document."""
    text = "Geoană met Lajčák. Geoană left.\n"
    ann = pair(tmp_path, "d", text, "T1\tPERSON 0 6\tGeoană\nT2\tPERSON 11 17\tLajčák\n"
                                    "T3\tPERSON 19 25\tGeoană\n"
                                    "N1\tReference T1 Wikidata:Q1399578\tGeoană\n"
                                    "N2\tReference T3 Wikidata:Q1399578\tGeoană\n"
                                    "N3\tReference T2 Wikidata:Q0123\tLajčák\n"
                                    "N4\tReference T2 Wikidata:Q5\tLajčák\n"
                                    "N5\tReference T2 Wikidata:Q6\tLajčák\n")
    result = brat.read(ann, ann.read_bytes())
    rec = result.records[0][1]
    geoana, lajcak, again = rec.spans
    assert geoana.entity == again.entity == "ent-Q1399578" and lajcak.entity == "ent-Q5"
    assert sorted((e.id, e.kb) for e in rec.entities) == [("ent-Q1399578", "Q1399578"), ("ent-Q5", "Q5")]
    # Q0123 is no Wikidata id; a second id of one span is counted
    assert result.left_out == [N_WORDS.replace("1 ", "2 ", 1)]


def test_a_normalisation_that_is_not_a_value_of_the_label_is_counted_not_stored(tmp_path):
    ann = pair(tmp_path, "d", "Met on 5 May 2020.\n", "T1\tDATE 7 17\t5 May 2020\nN1\tReference T1 ISO:2020-05-05\t\n"
                                                      "T2\tDATE 7 17\t5 May 2020\nN2\tReference T2 2020-05-05\t\n")
    result = brat.read(ann, ann.read_bytes())
    assert [s.value for s in result.records[0][1].spans] == [None, "2020-05-05"]
    assert result.left_out == [N_WORDS]


def test_a_folder_of_pairs_imports_each_pair_once(project, tmp_path):
    folder = tmp_path / "corpus"
    pair(folder, "one", DOC_TXT, "T1\tOrganization 0 4\tSony\n")
    pair(folder / "sub", "two", "Ericsson in Sweden\n", "T1\tOrganization 0 8\tEricsson\nT2\tCountry 12 18\tSweden\n")
    (folder / "plain.txt").write_text("No annotation here.\n", encoding="utf-8")
    report = import_paths(project, [folder])
    assert sorted(report.added) == ["one", "plain", "two"] and report.layer_count == 2
    with project.read() as conn:
        assert [spans(r) for r in iter_records(conn, annotator="two") if r.id == "two"] == [
            [("Ericsson", "Organization", None, None), ("Sweden", "Country", None, None)]]
        assert [spans(r) for r in iter_records(conn, annotator="one") if r.id == "one"] == [[("Sony", "Organization", None, None)]]


def test_left_outs_are_warnings_and_strict_refuses_them(project, tmp_path):
    ann = pair(tmp_path, "d", DOC_TXT, DOC_ANN)
    before = dump(project.path)
    with pytest.raises(AnnotatorError) as info:
        import_paths(project, [ann], strict=True)
    assert str(info.value).startswith(f"{ann}: warning: left out 1 event(s) (E lines) (refused: --strict")
    assert dump(project.path) == before
    report = import_paths(project, [ann])
    # the project's schema declares no relation Origin: counted, not kept
    assert report.warnings == [f"{ann}: warning: left out 1 event(s) (E lines)", f"{ann}: warning: left out {R_WORDS}",
                               f"{ann}: warning: left out {A_WORDS}"]


def test_labels_the_schema_lacks_are_listed_or_added(project, tmp_path):
    ann = pair(tmp_path, "d", "Ana in Paris\n", "T1\tPerson 0 3\tAna\nT2\tCity 7 12\tParis\n")
    before = dump(project.path)
    with pytest.raises(InputError) as info:
        import_paths(project, [ann], strict=True)
    assert str(info.value).startswith(f"{ann}: label(s) not in the project's schema: City, Person; nothing imported")
    assert dump(project.path) == before
    import_paths(project, [ann], add_labels=True, options={"annotator": "ana"})
    assert {"City", "Person"} <= {lab.name for lab in project.schema.labels}
    with project.read() as conn:
        [rec] = list(iter_records(conn, annotator="ana"))
    assert [s.label for s in rec.spans] == ["Person", "City"]


@pytest.mark.parametrize("ann, reason", [
    ("T1\tLOC 0 99\tParis\n", "line 1: T1: offsets 0 99 are not a non-empty range inside the text"),
    ("T1\tLOC zero five\tParis\n", "line 1: T1 is not a text-bound annotation brat writes"),
    ("T1\tLOC 0 5\tParis\nT1\tLOC 0 5\tParis\n", "line 2: T1 is already defined above"),
    ("T1\tLOC 1 2\t\u0301\n", "line 1: T1: offset 1 is inside a grapheme cluster"),
])
def test_bad_annotation_lines_are_refused_by_line(tmp_path, ann, reason):
    path = pair(tmp_path, "d", "e\u0301 Paris\n" if "\u0301" in ann else "Paris\n", ann)
    with pytest.raises(InputError) as info:
        brat.read(path, path.read_bytes())
    assert str(info.value).startswith(f"{path}: {reason}")


def test_a_lone_ann_or_txt_named_as_brat_is_refused(project, tmp_path):
    ann = tmp_path / "x.ann"
    ann.write_text("T1\tLOC 0 5\tParis\n", encoding="utf-8")
    lines = tmp_path / "x-ann.txt"  # annotation lines in a .txt: not imported as text made of markup
    lines.write_bytes(ann.read_bytes())
    before = dump(project.path)
    for path, reason in ((ann, "no x.txt beside it: a .ann file holds the annotation of the .txt of the same name"),
                         (lines, "brat annotation lines in a .txt file: name it NAME.ann beside its NAME.txt")):
        with pytest.raises(InputError) as info:
            import_paths(project, [path])
        assert str(info.value).startswith(f"{path}: {reason}")
    assert dump(project.path) == before
    txt = tmp_path / "y.txt"
    txt.write_text("Paris\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"y\.txt: no y\.ann beside it"):
        brat.read(txt, txt.read_bytes())


def records_back(folder: Path) -> list:
    return [brat.read(ann, ann.read_bytes(), annotator="ana").records[0][1] for ann in sorted(folder.glob("*.ann"))]


def test_ours_to_brat_and_back_keeps_spans_values_and_notes_and_counts_the_rest(tmp_path):
    text = "Ana met 𝔅ob\r\nin Paris on 5 May 2020.\r\n"
    rec = DocumentRecord(id="d1", lang="en", text=text, annotator="ana", status="done", spans=(
        SpanRecord("s1", 0, 3, "PER", "Ana", note="the host"),
        SpanRecord("s2", 8, 11, "PER", "𝔅ob"),
        SpanRecord("s3", 16, 21, "LOC", "Paris", value="GeoNames:2988507"),
        SpanRecord("s4", 25, 35, "DATE", "5 May 2020", value="2020-05-05"),
        SpanRecord("s5", 8, 21, "LOC", text[8:21])),  # across the CRLF: no .ann line can quote it
        events=(EventRecord("e1", "MEET", 4, 7, "met"),))
    out = tmp_path / "out"
    out.mkdir()
    result = brat.write([rec], out)
    assert result.count == 1
    assert result.left_out == ["1 span(s) across a line break (a .ann line cannot quote it)", "1 event(s)"]
    assert (out / "d1.txt").read_bytes() == text.encode("utf-8")
    assert (out / "d1.ann").read_text(encoding="utf-8") == (
        "T1\tPER 0 3\tAna\n#1\tAnnotatorNotes T1\tthe host\nT2\tPER 8 11\t𝔅ob\n"
        "T3\tLOC 16 21\tParis\nN2\tReference T3 GeoNames:2988507\tParis\n"
        "T4\tDATE 25 35\t5 May 2020\nN3\tReference T4 2020-05-05\t5 May 2020\n")
    [back] = records_back(out)
    assert back.text == text and back.id == "d1"
    key = [(s.start, s.end, s.label, s.value, s.note) for s in rec.spans[:4]]
    assert [(s.start, s.end, s.label, s.value, s.note) for s in back.spans] == key


_CHARS = st.sampled_from(["a", "b", " ", "\r\n", "\n", "😀", "𝔘", "e\u0301", "\u0915\u094d\u0937", "ß", "—"])


@settings(max_examples=60, deadline=None)
@given(pieces=st.lists(_CHARS, min_size=1, max_size=30), picks=st.lists(st.tuples(st.integers(0, 29),
                                                                                   st.integers(1, 5)), max_size=6))
def test_offsets_survive_the_round_trip_with_astral_combining_marks_and_crlf(tmp_path_factory, pieces, picks):
    """Spans on whole pieces (grapheme clusters, CRLF) of a text, written and read back:
    every offset and quoted text exact."""
    text = "".join(pieces)
    edges = [0]
    for p in pieces:
        edges.append(edges[-1] + len(p))
    spans = []
    for i, (first, length) in enumerate(picks):
        a, b = min(first, len(pieces) - 1), min(first + length, len(pieces))
        quoted = text[edges[a]:edges[b]]
        if quoted and "\n" not in quoted and "\r" not in quoted:
            spans.append(SpanRecord(f"s{i}", edges[a], edges[b], "LOC", quoted))
    if not text.strip():
        text, spans = text + "x", []
    rec = DocumentRecord(id="h", lang="", text=text, spans=tuple(spans))
    out = tmp_path_factory.mktemp("brat")
    assert brat.write([rec], out).left_out == []
    [back] = records_back(out)
    assert back.text == text
    assert sorted((s.start, s.end, s.text) for s in back.spans) == sorted((s.start, s.end, s.text) for s in spans)


# The shape of brat's own annotation.conf (https://brat.nlplab.org/configuration.html):
# sections in brackets, one type per line, indented types below their parent, `!` for a
# type that only groups others.
CONF = """# entities of the example
[entities]
Organization
Person   # people
!Place
\tCountry
\tCity
[relations]
Origin\tArg1:Organization, Arg2:Country
[events]
MERGE-ORG\tOrg1:Organization, Org2:Organization
[attributes]
Negation\tArg:<EVENT>
"""


def test_annotation_conf_entity_types_are_added_with_add_labels_in_its_order(project, tmp_path):
    ann = pair(tmp_path / "corpus", "d", "Ana in Paris\n", "T1\tPerson 0 3\tAna\nT2\tCity 7 12\tParis\n")
    (tmp_path / "corpus" / "annotation.conf").write_text(CONF, encoding="utf-8")
    assert brat.entity_types(CONF) == ["Organization", "Person", "Country", "City"]
    with pytest.raises(InputError, match="label\\(s\\) not in the project's schema: City, Person;"):
        import_paths(project, [ann], strict=True)  # declared types alone refuse nothing
    report = import_paths(project, [ann], add_labels=True)
    names = [lab.name for lab in project.schema.labels]
    assert names == ["Organization", "Country", "MERGE-ORG", "Person", "City"]
    assert (f"{ann}: brat standoff, text d.txt: 2 span(s) in d's layer; 4 entity type(s) declared in "
            f"{tmp_path / 'corpus' / 'annotation.conf'}") in report.notes


def test_declared_types_that_cannot_be_labels_fall_back_to_the_used_ones(project, tmp_path):
    ann = pair(tmp_path, "d", "Ana\n", "T1\tPerson 0 3\tAna\n")
    (tmp_path / "annotation.conf").write_text("[entities]\nPerson\n1st-type\n", encoding="utf-8")
    report = import_paths(project, [ann], add_labels=True)
    assert [lab.name for lab in project.schema.labels][-1] == "Person"
    assert "1st-type" not in [lab.name for lab in project.schema.labels]
    assert any(n.startswith(f"{ann}: the 1 declared label(s) no span uses are not added: label(s) 1st-type cannot")
               for n in report.notes)
