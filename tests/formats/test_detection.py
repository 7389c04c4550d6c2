"""Issue 13: files of other tools were imported as plain-text documents made of their own
markup (exit status 0). Each is now refused with the reason and the supported formats,
the project unchanged; a CoNLL file is read as CoNLL; --format text still imports any of
them as text when that is what the user wants."""

import orjson
import pytest

from annotator.core.errors import AnnotatorError, InputError
from annotator.formats import doccano, jsonl, labelstudio, prodigy, registry
from annotator.formats.validate import validate_bytes
from annotator.importer import import_paths
from annotator.store.project import Project
from annotator.store.records_out import iter_records
from tests.conftest import dump

SCHEMA = orjson.dumps({"version": 1, "labels": [{"name": n, "key": k, "colour": "#336699"} for n, k in
                                                (("PER", "1"), ("ORG", "2"), ("LOC", "3"))]}).decode()

LABEL_STUDIO = orjson.dumps([{"id": 1, "data": {"text": "Paris is nice"}, "annotations": [{"result": [
    {"value": {"start": 0, "end": 5, "text": "Paris", "labels": ["LOC"]}, "from_name": "label",
     "to_name": "text", "type": "labels"}]}]}], option=orjson.OPT_INDENT_2)
DOCCANO = orjson.dumps({"id": "1", "text": "Paris is nice", "label": [[0, 5, "LOC"]]}) + b"\n"
BRAT_ANN = b"T1\tLOC 0 5\tParis\n#1\tAnnotatorNotes T1\tcapital\n"
TABLE = b"name\tcity\tcount\nAna\tParis\t3\nBob\tLyon\t4\n"
OTHER_JSON = orjson.dumps([{"name": "Ana", "city": "Paris"}], option=orjson.OPT_INDENT_2)
SPACY_LINE = orjson.dumps({"text": "Paris is nice", "ents": [[0, 5, "LOC"]]}) + b"\n"
BOTH_LINE = orjson.dumps({"text": "Paris is nice", "label": [[0, 5, "LOC"]], "answer": "accept"}) + b"\n"
PRODIGY = orjson.dumps({"text": "Paris is nice", "spans": [{"start": 0, "end": 5, "label": "LOC"}],
                        "answer": "accept", "_input_hash": 1}) + b"\n"
GOLD = orjson.dumps({"id": "g1", "text": "Paris is nice", "spans": [{"start": 0, "end": 5, "label": "LOC"}]}) + b"\n"


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "p.annotator", schema_text=SCHEMA) as p:
        yield p


def refused(project, paths, *reason):
    before = dump(project.path)
    with pytest.raises(InputError) as info:
        import_paths(project, paths)
    for part in reason:
        assert part in str(info.value)
    assert "supported formats: jsonl, text, conll" in str(info.value)
    assert dump(project.path) == before
    return str(info.value)


@pytest.mark.parametrize("name, content, reason", [
    ("export.json", OTHER_JSON, "JSON, but not Label Studio tasks"),
    ("export.txt", OTHER_JSON, "JSON, but not Label Studio tasks"),
    ("spacy.txt", SPACY_LINE, "JSON lines of another tool (key(s) ents: spaCy?), not gold JSONL; spaCy is not "
                              "supported yet"),
    ("spacy.json", SPACY_LINE, "JSON lines of another tool (key(s) ents: spaCy?)"),
    ("both.jsonl", BOTH_LINE, ("the keys of both doccano (label/entities) and Prodigy", "--format doccano")),
    ("table.tsv", TABLE, "tab-separated columns that are not CoNLL tags"),
])
def test_foreign_files_are_refused_not_imported_as_text(project, tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    message = refused(project, [path], *reason) if isinstance(reason, tuple) else refused(project, [path], reason)
    assert message.startswith(f"{path}: ")


def test_a_doccano_line_with_an_id_keeps_its_labels(project, tmp_path):
    """The defect of issue 13: on main a doccano line with an `id` imported as a document
    and silently dropped every label (then was refused as gold JSONL). Now it is read as
    doccano, by content, whatever its name, with its spans in a layer."""
    for name in ("doccano.jsonl", "doccano.json", "doccano.txt"):
        path = tmp_path / name
        path.write_bytes(DOCCANO)
        assert registry.detect(path, DOCCANO) is doccano.FORMAT
    report = import_paths(project, [tmp_path / "doccano.jsonl"])
    assert report.added == ["1"] and report.layer_count == 1
    with project.read() as conn:
        [rec] = list(iter_records(conn, annotator="doccano"))
    assert [(s.text, s.label) for s in rec.spans] == [("Paris", "LOC")]


def test_validate_still_refuses_another_tools_lines_and_names_the_reader(project):
    message = ("$.label: annotation in doccano's shape, not gold JSONL: reading the line as gold JSONL would lose "
               "it; `annotator import` reads such a file as doccano (--format doccano)")
    _count, findings = validate_bytes(DOCCANO, project.schema)
    assert [str(f) for f in findings] == [f"line 1: {message}"]
    empty = orjson.dumps({"id": "1", "text": "Paris", "label": []}) + b"\n"  # nothing to lose: a warning
    assert [str(f) for f in validate_bytes(empty, project.schema)[1]] == [
        "line 1: warning: $.label: unknown key, not part of gold JSONL (ignored)"]


@pytest.mark.parametrize("name, content, form", [
    ("ls.json", LABEL_STUDIO, labelstudio.FORMAT), ("ls.txt", LABEL_STUDIO, labelstudio.FORMAT),
    ("d.jsonl", DOCCANO, doccano.FORMAT), ("p.jsonl", PRODIGY, prodigy.FORMAT), ("p.txt", PRODIGY, prodigy.FORMAT),
    ("g.jsonl", GOLD, jsonl.FORMAT), ("g.txt", GOLD, jsonl.FORMAT),
])
def test_other_tools_files_are_told_apart_from_gold_jsonl_by_content(tmp_path, name, content, form):
    path = tmp_path / name
    path.write_bytes(content)
    assert registry.detect(path, content) is form


def test_spans_without_an_id_are_prodigy_and_spans_with_ids_gold(tmp_path):
    """Prodigy's and spaCy's convention (text and spans, no id) was refused; our own
    records have an id. Span ids or gold-only keys keep a line gold JSONL."""
    path = tmp_path / "x.jsonl"
    bare = orjson.dumps({"text": "Paris", "spans": [{"start": 0, "end": 5, "label": "LOC"}]})
    assert registry.detect(path, bare) is prodigy.FORMAT
    ours = orjson.dumps({"id": "d", "text": "Paris", "spans": [], "status": "done"})
    assert registry.detect(path, ours) is jsonl.FORMAT


def test_a_brat_folder_is_read_with_its_annotation_not_as_text(project, tmp_path):
    """On main the folder's .txt was imported as text and its .ann ignored."""
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "doc.txt").write_text("Paris is nice\n", encoding="utf-8")
    (folder / "doc.ann").write_bytes(BRAT_ANN)
    report = import_paths(project, [folder])
    assert len(report.added) == 1 and report.layer_count == 1
    with project.read() as conn:
        [rec] = list(iter_records(conn, annotator="doc"))
    assert [(s.text, s.label, s.note) for s in rec.spans] == [("Paris", "LOC", "capital")]


def test_a_conll_file_is_read_as_conll(project, tmp_path):
    path = tmp_path / "ner.conll"
    path.write_text("-DOCSTART- -X- O O\n\nParis NNP I-NP B-LOC\nis VBZ I-VP O\nnice JJ I-ADJP O\n",
                    encoding="utf-8")
    report = import_paths(project, [path])
    assert report.layer_count == 1 and "tags read as IOB2" in report.notes[0]
    assert report.warnings == [f"{path}: warning: left out 2 column(s) besides the token and the tag "
                               "(part-of-speech, chunk or other tags; --column N reads another column as the tag)"]
    with project.read() as conn:
        [rec] = list(iter_records(conn, annotator="ner"))
    assert rec.text == "Paris is nice"
    assert [(s.text, s.label) for s in rec.spans] == [("Paris", "LOC")]


def test_conll_labels_the_schema_lacks_are_listed_and_nothing_is_imported(project, tmp_path):
    path = tmp_path / "ner.conll"
    path.write_text("Paris\tB-GPE\nand\tO\nNATO\tB-NORP\nsaid\tB-LOC\n", encoding="utf-8")
    before = dump(project.path)
    with pytest.raises(InputError, match=r"label\(s\) not in the project's schema: GPE, NORP; nothing imported"):
        import_paths(project, [path], strict=True)  # added without --strict
    assert dump(project.path) == before


def test_format_text_imports_any_of_them_as_text_when_asked(project, tmp_path):
    path = tmp_path / "export.json"
    path.write_bytes(LABEL_STUDIO)
    report = import_paths(project, [path], fmt="text")
    assert len(report.added) == 1
    with project.read() as conn:
        [rec] = list(iter_records(conn))
    assert rec.text == LABEL_STUDIO.decode()


def test_format_conll_with_a_column_reads_a_tab_table(project, tmp_path):
    path = tmp_path / "ner.tsv"
    path.write_text("Paris\tLOC\t1\nis\tO\t2\n", encoding="utf-8")
    refused(project, [path], "tab-separated columns that are not CoNLL tags")
    import_paths(project, [path], fmt="conll", options={"column": 2, "annotator": "ana"})
    with project.read() as conn:
        [rec] = list(iter_records(conn, annotator="ana"))
    assert [(s.text, s.label) for s in rec.spans] == [("Paris", "LOC")]


def test_add_labels_adds_them_to_the_schema_with_the_records(project, tmp_path):
    path = tmp_path / "ner.conll"
    path.write_text("Paris\tB-GPE\nand\tO\nNATO\tB-NORP\nsaid\tB-LOC\n", encoding="utf-8")
    report = import_paths(project, [path], add_labels=True)
    assert report.notes[-1] == f"{project.path}: added to the schema: GPE (key 4), NORP (key 5)"
    reopened = Project.open(project.path, readonly=True)
    with reopened:
        assert [(lab.name, lab.key) for lab in reopened.schema.labels][-2:] == [("GPE", "4"), ("NORP", "5")]
    assert project.schema.label("NORP") is not None
    with project.read() as conn:
        [rec] = list(iter_records(conn, annotator="ner"))
    assert [(s.text, s.label) for s in rec.spans] == [("Paris", "GPE"), ("NATO", "NORP"), ("said", "LOC")]


def test_add_labels_refuses_a_label_a_schema_cannot_name(project, tmp_path):
    path = tmp_path / "ner.conll"
    path.write_text("Paris\tB-geo.city\n", encoding="utf-8")
    before = dump(project.path)
    with pytest.raises(AnnotatorError, match=r"label\(s\) geo.city cannot be added"):
        import_paths(project, [path], add_labels=True)
    assert dump(project.path) == before


@pytest.mark.parametrize("name, content", [
    ("reuters.txt", b"[Reuters] The minister said on Monday that talks would resume.\n\nMore later.\n"),
    ("editorial.txt", b"{Editorial} The council met on Tuesday.\n"),
    ("indented.txt", b"\tDhaka, June 13 - The minister said on Monday that talks would resume.\n"
                     b"\tThe opposition said it would wait.\n"),
    ("weapons.txt", b"India bought the S-400\nThe bomber was a B-52\n"),
    ("dateline.txt", b"Dhaka\tJune 13 - The minister said on Monday that talks would resume.\n"
                     b"London\tJune 14 - The opposition said it would wait.\n"),
])
def test_news_text_opening_with_a_bracket_or_a_tab_is_imported_as_text(project, tmp_path, name, content):
    """The reviewer's regressions: such news was refused as JSON or as tab columns."""
    path = tmp_path / name
    path.write_bytes(content)
    report = import_paths(project, [path])
    assert len(report.added) == 1
    with project.read() as conn:
        [rec] = list(iter_records(conn))
    assert rec.text == content.decode()


def test_pretty_printed_json_and_json_lines_of_arrays_are_still_refused(project, tmp_path):
    path = tmp_path / "big.json"
    items = [{"id": i, "payload": {"text": "Paris is nice " * 50}} for i in range(200)]
    path.write_bytes(orjson.dumps(items, option=orjson.OPT_INDENT_2))
    assert len(path.read_bytes()) > 64 * 1024  # judged by its first element, not the whole file
    refused(project, [path], "JSON, but not Label Studio tasks")
    obj = tmp_path / "obj.txt"
    obj.write_bytes(orjson.dumps({"payload": {"text": "Paris"}}, option=orjson.OPT_INDENT_2))
    refused(project, [obj], "JSON, but not Label Studio tasks")
    task = tmp_path / "task.txt"  # one Label Studio task, pretty-printed: read as one
    task.write_bytes(orjson.dumps({"data": {"text": "Paris"}}, option=orjson.OPT_INDENT_2))
    assert registry.detect(task, task.read_bytes()) is labelstudio.FORMAT


def test_format_applies_to_the_files_of_a_folder_too(project, tmp_path):
    """The refusal says "use --format text"; on a folder that advice did nothing (its
    files were still judged by content and refused again)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "export.txt").write_bytes(OTHER_JSON)
    refused(project, [folder], "JSON, but not Label Studio tasks", "use --format text")
    import_paths(project, [folder], fmt="text")
    with project.read() as conn:
        [rec] = list(iter_records(conn))
    assert rec.text == OTHER_JSON.decode()
    tagged = tmp_path / "tagged"
    tagged.mkdir()
    (tagged / "ner.txt").write_text("Paris\tLOC\t1\nis\tO\t2\n", encoding="utf-8")
    refused(project, [tagged], "tab-separated columns that are not CoNLL tags")
    import_paths(project, [tagged], fmt="conll", options={"column": 2, "annotator": "ana"})
    with project.read() as conn:
        rec = next(r for r in iter_records(conn, annotator="ana") if r.id == "ner")
    assert [(s.text, s.label) for s in rec.spans] == [("Paris", "LOC")]
