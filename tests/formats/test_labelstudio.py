"""Label Studio JSON and JSON-MIN (issue 13): one layer per annotator and per prediction
model version, each region read in the unit its text tells (code points or UTF-16),
everything the app cannot store counted, and written back as a file Label Studio
imports."""

import io

import orjson
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from annotator.cli.commands import main
from annotator.core.errors import AnnotatorError, InputError
from annotator.core.records import DocumentRecord, SpanRecord
from annotator.formats import labelstudio, registry
from annotator.importer import import_paths
from annotator.store.project import Project
from tests.conftest import dump

SCHEMA = orjson.dumps({"version": 1, "labels": [{"name": n, "key": k, "colour": "#336699"} for n, k in
                                                (("Car", "1"), ("Person", "2"), ("Location", "3"),
                                                 ("LOC", "4"))]}).decode()

TEXT = "A red Fiat Panda drove past Ana near the old Lisbon market on Monday morning."
# The task of Label Studio's documentation, "Label Studio JSON format of annotated tasks"
# (https://labelstud.io/guide/export), with the data and results of a text task: the
# region value of the Text tag's "Example JSON" (https://labelstud.io/tags/text) over
# this text ({"start": 2, "end": 81, "labels": ["Car"]} there), completed_by as the
# export gives it (a user id), and the two predictions ("model 1", "model 2").
DOC_TASK = {
    "id": 1,
    "data": {"text": TEXT},
    "created_at": "2021-03-09T21:52:49.513742Z", "updated_at": "2021-03-09T22:16:08.746926Z", "project": 83,
    "annotations": [{
        "id": "1001",
        "result": [{"from_name": "tag", "id": "Dx_aB91ISN", "to_name": "text", "type": "labels",
                    "value": {"start": 2, "end": 16, "text": "red Fiat Panda", "labels": ["Car"]}}],
        "was_cancelled": False, "ground_truth": False, "created_at": "2021-03-09T22:16:08.728353Z",
        "updated_at": "2021-03-09T22:16:08.728378Z", "lead_time": 4.288, "result_count": 0, "task": 1,
        "completed_by": 10}],
    "predictions": [
        {"created_ago": "3 hours", "model_version": "model 1",
         "result": [{"from_name": "tag", "id": "t5sp3TyXPo", "to_name": "text", "type": "labels",
                     "value": {"start": 28, "end": 31, "text": "Ana", "labels": ["Person"]}}]},
        {"created_ago": "4 hours", "model_version": "model 2",
         "result": [{"from_name": "tag", "id": "t5sp3TyXPo", "to_name": "text", "type": "labels",
                     "value": {"start": 45, "end": 51, "text": "Lisbon", "labels": ["Location"]}}]}]}


def write_json(tmp_path, obj, name="export.json"):
    path = tmp_path / name
    path.write_bytes(orjson.dumps(obj))
    return path


def spans(rec):
    return [(s.text, s.label) for s in rec.spans]


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "p.annotator", schema_text=SCHEMA) as p:
        yield p


def test_the_documentation_task_gives_one_layer_per_annotator_and_model_version(tmp_path):
    path = write_json(tmp_path, [DOC_TASK])
    assert registry.detect(path, path.read_bytes()) is labelstudio.FORMAT
    result = labelstudio.read(path, path.read_bytes())
    assert [(w.removeprefix(f"{path}: "), rec.annotator, rec.status, spans(rec)) for w, rec in result.records] == [
        ("task 1, annotation 1001", "10", "done", [("red Fiat Panda", "Car")]),
        ("task 1, prediction 0", "model 1", "in_progress", [("Ana", "Person")]),
        ("task 1, prediction 1", "model 2", "in_progress", [("Lisbon", "Location")])]
    assert {rec.id for _w, rec in result.records} == {"1"} and result.left_out == []


def test_a_user_given_as_an_object_names_the_layer_by_email(tmp_path):
    task = {**DOC_TASK, "annotations": [{**DOC_TASK["annotations"][0],
                                         "completed_by": {"id": 10, "email": "ana@example.org"}}], "predictions": []}
    path = write_json(tmp_path, [task])
    [(_w, rec)] = labelstudio.read(path, path.read_bytes()).records
    assert rec.annotator == "ana@example.org"


def test_each_region_is_read_in_the_unit_its_text_tells(tmp_path):
    """label-studio issue #1008: an older front end counted UTF-16 code units; a newer one
    code points. One task may hold both (regions made before and after an upgrade)."""
    text = "😀 Paris and 𝐋yon"
    result = [{"id": "old", "type": "labels", "value": {"start": 3, "end": 8, "text": "Paris", "labels": ["LOC"]}},
              {"id": "new", "type": "labels", "value": {"start": 12, "end": 16, "text": "𝐋yon", "labels": ["LOC"]}},
              {"id": "bare", "type": "labels", "value": {"start": 2, "end": 7, "labels": ["LOC"]}}]
    path = write_json(tmp_path, [{"id": 7, "data": {"text": text}, "annotations": [{"id": 1, "result": result}]}])
    out = labelstudio.read(path, path.read_bytes())
    [(_w, rec)] = out.records
    assert [(s.start, s.end, s.text) for s in rec.spans] == [(2, 7, "Paris"), (12, 16, "𝐋yon"), (2, 7, "Paris")]
    assert ("1 region(s) counted in UTF-16 code units (an older front end); 1 region(s) without text read in code "
            "points") in out.notes[0]


def test_a_region_whose_text_matches_in_no_unit_is_refused_with_task_and_region(project, tmp_path):
    result = [{"id": "wXyZ", "type": "labels", "value": {"start": 0, "end": 5, "text": "Lyon", "labels": ["LOC"]}}]
    path = write_json(tmp_path, [{"id": 42, "data": {"text": "Paris"}, "annotations": [{"id": 3, "result": result}]}])
    before = dump(project.path)
    with pytest.raises(InputError) as info:
        import_paths(project, [path])
    assert str(info.value) == (f"{path}: task 42, annotation 3, region 'wXyZ': text 'Lyon' is not the text at 0 5, "
                               "counted in code points or in UTF-16 code units")
    assert dump(project.path) == before


def test_relations_choices_and_other_results_are_counted_and_strict_refuses(project, tmp_path):
    result = DOC_TASK["annotations"][0]["result"] + [
        {"type": "relation", "from_id": "Dx_aB91ISN", "to_id": "x", "direction": "right", "labels": []},
        {"id": "c", "type": "choices", "from_name": "sentiment", "to_name": "text", "value": {"choices": ["Positive"]}},
        {"id": "t", "type": "textarea", "from_name": "note", "to_name": "text", "value": {"text": ["ok"]}},
        {"id": "r", "type": "rating", "from_name": "r", "to_name": "text", "value": {"rating": 4}}]
    task = {**DOC_TASK, "data": {"text": TEXT, "meta_info": "x"}, "predictions": [],
            "annotations": [{**DOC_TASK["annotations"][0], "result": result},
                            {"id": 5, "completed_by": 11, "was_cancelled": True, "result": []}]}
    path = write_json(tmp_path, [task])
    out = labelstudio.read(path, path.read_bytes())
    assert out.left_out == ["1 relation(s) between regions (type relation) not between two regions of one label, "
                            "without a label, or of a type or pair the project's schema does not declare",
                            "1 choice(s) (type choices)",
                            "1 text area(s) (type textarea)", "1 result(s) of type rating",
                            "1 cancelled (skipped) annotation(s)", "1 task field(s) besides the text (meta_info)"]
    before = dump(project.path)
    with pytest.raises(AnnotatorError, match=r"left out 1 relation\(s\) between regions .* \(refused: --strict"):
        import_paths(project, [path], strict=True)
    assert dump(project.path) == before
    report = import_paths(project, [path])
    assert len(report.warnings) == 6 and report.layer_count == 1


def test_json_min_items_are_read_with_their_annotator(tmp_path):
    """JSON-MIN (https://labelstud.io/guide/export, JSON_MIN): the data fields and, under
    the labels tag's name, the regions."""
    items = [{"text": TEXT, "id": 1, "label": [{"start": 2, "end": 16, "text": "red Fiat Panda", "labels": ["Car"]}],
              "annotator": "ana@example.org", "annotation_id": 1001, "lead_time": 4.2, "sentiment": "Positive"},
             {"text": "Paris", "id": 2, "label": [{"start": 0, "end": 5, "text": "Paris", "labels": ["LOC"]}]}]
    path = write_json(tmp_path, items, name="min.json")
    assert registry.detect(path, path.read_bytes()) is labelstudio.FORMAT
    out = labelstudio.read(path, path.read_bytes(), annotator="bob")
    assert [(rec.id, rec.annotator, spans(rec)) for _w, rec in out.records] == [
        ("1", "ana@example.org", [("red Fiat Panda", "Car")]), ("2", "bob", [("Paris", "LOC")])]
    assert out.left_out == ["1 task field(s) besides the text (sentiment)"]


def test_unknown_labels_are_refused_or_added(project, tmp_path):
    task = {"id": 1, "data": {"text": "Ana met Bob"}, "annotations": [{"id": 1, "completed_by": 3, "result": [
        {"id": "a", "type": "labels", "value": {"start": 0, "end": 3, "text": "Ana", "labels": ["HOST"]}}]}]}
    path = write_json(tmp_path, [task])
    with pytest.raises(InputError, match=r"label\(s\) not in the project's schema: HOST; nothing imported"):
        import_paths(project, [path], strict=True)
    report = import_paths(project, [path])
    assert any(n.endswith("added to the schema: HOST (key 5)") for n in report.notes), report.notes


def layers_of(text, *layers):
    return [DocumentRecord(id="d1", lang="en", text=text, title="T", source="s.txt", annotator=name, status="done",
                           spans=tuple(SpanRecord(f"s{i}", a, b, lab, text[a:b]) for i, (a, b, lab) in enumerate(sp)))
            for name, sp in layers]


def test_ours_to_label_studio_and_back_keeps_every_layer_byte_for_byte(tmp_path):
    text = "😀 Ana met 𝐁ob in Paris.\r\nক্ষমতা"
    records = layers_of(text, ("ana", [(2, 5, "Person"), (10, 13, "Person")]), ("bob", [(17, 22, "LOC")]))
    records.append(DocumentRecord(id="d2", lang="fr", text="Rien ici.", title="R", source="r.txt",
                                  annotator=None))
    out = io.BytesIO()
    result = labelstudio.write(records, out)
    assert result.count == 2 and result.left_out == []
    tasks = orjson.loads(out.getvalue())
    assert tasks[0]["data"] == {"text": text, "document": "d1", "lang": "en", "title": "T", "source": "s.txt",
                                "layers": ["ana", "bob"]}
    assert tasks[0]["annotations"][0]["result"][1] == {"id": "a0r1", "from_name": "label", "to_name": "text",
                                                       "type": "labels", "value": {"start": 10, "end": 13,
                                                                                   "text": "𝐁ob", "labels": ["Person"]}}
    assert tasks[1] == {"data": {"text": "Rien ici.", "document": "d2", "lang": "fr", "title": "R",
                                 "source": "r.txt"}, "annotations": []}
    path = tmp_path / "tasks.json"
    path.write_bytes(out.getvalue())
    back = [rec for _w, rec in labelstudio.read(path, path.read_bytes()).records]
    assert [(r.id, r.annotator, r.lang, r.title, r.source, [(s.start, s.end, s.label) for s in r.spans])
            for r in back] == [(r.id, r.annotator, r.lang, r.title, r.source, [(s.start, s.end, s.label) for s in r.spans])
                               for r in records]
    again = io.BytesIO()
    labelstudio.write(back, again)
    assert again.getvalue() == out.getvalue()


_PIECES = st.sampled_from(["a", "b", " ", "\r\n", "\n", "😀", "𝐀", "e\u0301", "\u0915\u094d\u0937", "ß",
                           "👨\u200d👩\u200d👧"])


@settings(max_examples=80, deadline=None)
@given(pieces=st.lists(_PIECES, min_size=1, max_size=30),
       picks=st.lists(st.tuples(st.integers(0, 29), st.integers(1, 5)), max_size=6), utf16=st.booleans())
def test_offsets_survive_with_astral_combining_marks_and_crlf(tmp_path_factory, pieces, picks, utf16):
    """Spans on whole pieces written in code points (as the writer does) or rewritten in
    UTF-16 units (as an older front end did): read back exact either way."""
    text = "".join(pieces)
    edges = [0]
    for p in pieces:
        edges.append(edges[-1] + len(p))
    chosen = sorted({(edges[min(a, len(pieces) - 1)], edges[min(a + n, len(pieces))]) for a, n in picks})
    [rec] = layers_of(text, ("ana", [(a, b, "LOC") for a, b in chosen]))
    out = io.BytesIO()
    labelstudio.write([rec], out)
    tasks = orjson.loads(out.getvalue())
    if utf16:
        units16 = [0]
        for ch in text:
            units16.append(units16[-1] + (2 if ord(ch) > 0xFFFF else 1))
        # A region whose UTF-16 offsets, read as code points, also cover its text (a span on
        # the second "a" of "😀aa") cannot be told apart: the reader takes code points there,
        # which nothing can prove wrong. Only regions that tell their unit apart are checked.
        assume(not any(units16[a] != a and text[units16[a]:units16[b]] == text[a:b] for a, b in chosen))
        for region in tasks[0]["annotations"][0]["result"]:
            v = region["value"]
            v["start"], v["end"] = units16[v["start"]], units16[v["end"]]
    path = tmp_path_factory.mktemp("ls") / "t.json"
    path.write_bytes(orjson.dumps(tasks))
    back = labelstudio.read(path, path.read_bytes()).records[0][1]
    assert back.text == text
    assert [(s.start, s.end, s.text) for s in back.spans] == [(a, b, text[a:b]) for a, b in chosen]


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_command_line_import_and_export_with_format_labelstudio(tmp_path, capsys):
    schema = tmp_path / "schema.json"
    schema.write_text(SCHEMA, encoding="utf-8")
    project = tmp_path / "p.annotator"
    assert run(capsys, "init", project, "--empty", "--schema", schema)[0] == 0
    src = write_json(tmp_path, [DOC_TASK], name="project-1-at-2024.json")
    code, _out, err = run(capsys, "import", project, src, "--format", "labelstudio")
    assert code == 0, err
    assert "imported 1 document(s), 3 layer(s)" in err
    code, out, err = run(capsys, "export", project, "--format", "labelstudio")  # every layer: no --annotator needed
    assert code == 0, err
    [task] = orjson.loads(out)
    assert task["data"]["layers"] == ["10", "model 1", "model 2"]
    assert [r["value"]["text"] for a in task["annotations"] for r in a["result"]] == ["red Fiat Panda", "Ana", "Lisbon"]
    assert "in_progress" not in out
    assert "labelstudio has no place for 2 layer status(es) other than done" in err
    code, out, _err = run(capsys, "formats")
    assert "labelstudio\tread/write\t.json\tLabel Studio JSON" in out
