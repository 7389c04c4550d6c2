import orjson
import pytest

from annotator.cli import main
from annotator.paths import seeds_dir
from annotator.store.project import Project
from annotator.store.spans import add_span, set_status
from annotator.suggest.base import Suggestion
from annotator.suggest.combine import combine

KEYS = ["document", "start", "end", "label", "score", "source"]


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def gold_project(tmp_path, capsys):
    project = tmp_path / "p.annotator"
    run(capsys, "init", project)
    assert run(capsys, "import", project, seeds_dir() / "gold" / "seeds.gold.jsonl")[0] == 0
    return project


def test_suggest_prints_one_json_object_per_suggestion(gold_project, capsys):
    code, out, err = run(capsys, "suggest", gold_project, "--documents", "004_8ff92d06c738168c")
    assert code == 0 and "trained on 5 layer(s) of 5 document(s)" in err
    lines = [orjson.loads(line) for line in out.splitlines()]
    assert lines and all(list(obj) == KEYS for obj in lines)
    assert {obj["document"] for obj in lines} == {"004_8ff92d06c738168c"}
    with Project.open(gold_project, readonly=True) as p, p.read() as conn:
        from annotator.store.queries import document_text, list_documents

        doc = next(r for r in list_documents(conn) if r.uid == "004_8ff92d06c738168c")
        text = document_text(conn, doc.id)
    assert any(text[o["start"]:o["end"]] == "NATO" and o["label"] == "ORG" for o in lines)
    assert all(0 < o["score"] <= 1 and o["source"] in ("matcher", "crf") for o in lines)
    ends = [(o["start"], o["end"]) for o in lines]
    assert all(a[1] <= b[0] for a, b in zip(ends, ends[1:]))  # sorted, never overlapping


def test_layer_being_annotated_drops_overlapping_suggestions(gold_project, capsys):
    _, out, _ = run(capsys, "suggest", gold_project, "--layer", "gold")
    with Project.open(gold_project, readonly=True) as p, p.read() as conn:
        from annotator.store.queries import layer_spans, list_documents

        spans = {r.uid: layer_spans(conn, r.id, "gold") for r in list_documents(conn)}
    for obj in map(orjson.loads, out.splitlines()):
        assert not any(s < obj["end"] and obj["start"] < e for s, e, _l, _u in spans[obj["document"]])


def test_train_on_named_layers_and_unknown_names(gold_project, tmp_path, capsys):
    with Project.open(gold_project) as p, p.read() as conn:
        from annotator.store.queries import list_documents

        en = next(r for r in list_documents(conn) if r.lang == "en")
    with Project.open(gold_project) as p:
        add_span(p, en.id, "ana", 0, 4, "ORG")
        set_status(p, en.id, "ana", "done")
    code, out, err = run(capsys, "suggest", gold_project, "--train-on", "ana", "--documents", en.uid)
    assert code == 0 and "trained on 1 layer(s) of 1 document(s), 1 span(s), languages: en" in err
    code, out, err = run(capsys, "suggest", gold_project, "--train-on", "nobody")
    assert code == 1 and out == "" and "no layer by 'nobody'" in err
    code, out, err = run(capsys, "suggest", gold_project, "--layer", "golld")
    assert code == 1 and out == "" and "no layer by 'golld' (--layer)" in err
    code, out, err = run(capsys, "suggest", gold_project, "--documents", "nope")
    assert code == 1 and out == "" and "no document 'nope'" in err


def test_gazetteer_file_suggests_and_a_bad_one_is_named(gold_project, tmp_path, capsys):
    gaz = tmp_path / "g.tsv"
    gaz.write_text("Kosovo\tORG\tfr\n", encoding="utf-8")
    fr = "002_348658bd2cc7c365"
    code, out, _ = run(capsys, "suggest", gold_project, "--documents", fr, "--gazetteer", gaz)
    # gold saw "Kosovo" in the French text and never labelled it: the entry's one imported
    # occurrence is outweighed by the layer's evidence
    assert code == 0 and not [o for o in map(orjson.loads, out.splitlines()) if o["source"] == "gazetteer"]
    with Project.open(gold_project) as p, p.read() as conn:
        from annotator.store.queries import list_documents

        en = next(r for r in list_documents(conn) if r.lang == "en")
    with Project.open(gold_project) as p:
        add_span(p, en.id, "ana", 0, 4, "ORG")
    code, out, _ = run(capsys, "suggest", gold_project, "--documents", fr, "--train-on", "ana", "--gazetteer", gaz)
    hits = [o for o in map(orjson.loads, out.splitlines()) if o["source"] == "gazetteer"]
    assert code == 0 and hits and all(o["label"] == "ORG" and o["score"] == 0.5 for o in hits)
    bad = tmp_path / "bad.csv"
    bad.write_text("Kosovo,PLACE,en\n", encoding="utf-8")
    code, out, err = run(capsys, "suggest", gold_project, "--gazetteer", bad)
    assert code == 1 and out == "" and f"{bad}: line 1: label 'PLACE' is not in the project's schema" in err


def test_imported_predictions_are_a_suggestion_source_and_rejections_hide_them(tmp_path, capsys):
    from annotator.store.suggestions import reject_suggestion

    project = tmp_path / "p.annotator"
    run(capsys, "init", project)
    before = run(capsys, "export", project)[1]
    gold = seeds_dir() / "gold" / "seeds.gold.jsonl"
    stray = tmp_path / "stray.jsonl"
    stray.write_text('{"id": "x", "lang": "en", "text": "Not in the project.", "spans": []}\n', encoding="utf-8")
    code, out, err = run(capsys, "import", project, "--as-suggestions", "--source", "client", gold, stray)
    assert code == 0 and "loaded 231 suggestion(s) for 5 document(s) as source «client»" in err
    assert f"{stray}: line 1: no document in the project has this text" in err and "1 record(s) matched no" in err
    # never a layer, never exported
    assert run(capsys, "export", project)[1] == before
    code, out, err = run(capsys, "suggest", project, "--documents", "004_8ff92d06c738168c")
    assert "trained on 0 layer(s)" in err
    lines = [orjson.loads(line) for line in out.splitlines()]
    rec = next(r for r in map(orjson.loads, gold.read_bytes().splitlines()) if r["id"] == "004_8ff92d06c738168c")
    spans = [Suggestion(s["start"], s["end"], s["label"], 1.0, "client") for s in rec["spans"]]
    # the gold spans of 004, as the combiner shows them (no overlaps: nested ones give way)
    assert [(o["start"], o["end"], o["label"], o["source"], o["score"]) for o in lines] == \
        [(s.start, s.end, s.label, s.source, s.score) for s in combine([spans])]
    assert 30 < len(lines) <= 40
    first = lines[0]
    with Project.open(project) as p, p.read() as conn:
        from annotator.store.parallel import document_ids

        doc_id = document_ids(conn, [first["document"]])[first["document"]]
    with Project.open(project) as p:
        reject_suggestion(p, doc_id, "ana", first["start"], first["end"], first["label"])
    _, out, _ = run(capsys, "suggest", project, "--documents", "004_8ff92d06c738168c")
    again = [orjson.loads(line) for line in out.splitlines()]
    assert len(again) == len(lines) - 1 and first not in again
