"""spaCy DocBin (`--format spacy`, issue 13): written with doc.ents when a layer is flat and
doc.spans["sc"] always; spans off the blank pipeline's token edges kept and reported; read
back exact; `spacy train` reads an export with no glue; without spaCy installed, one line
naming the extra."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import orjson
import spacy  # the dev extra installs it (annotator[spacy] for users)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.cli import main
from annotator.core import graphemes
from annotator.core.records import DocumentRecord, SpanRecord
from annotator.formats import registry, spacy_docbin
from tests.conftest import TRICKY, dump

ANNOTATOR = Path(sys.executable).with_name("annotator")


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def span(text: str, piece: str, label: str, nth: int = 0, value: str | None = None) -> SpanRecord:
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return SpanRecord(f"s{start}-{label}", start, start + len(piece), label, piece, value)


def record(doc_id: str, text: str, spans: list[SpanRecord], lang: str = "en", **kw) -> DocumentRecord:
    return DocumentRecord(id=doc_id, lang=lang, text=text, title=doc_id, source=f"{doc_id}.txt",
                          spans=tuple(spans), annotator="ana", status="done", **kw)


def written(records: list[DocumentRecord], **options):
    out = io.BytesIO()
    result = spacy_docbin.write(records, out, **options)
    return out.getvalue(), result


def docs_of(data: bytes):
    from spacy.tokens import DocBin

    return list(DocBin().from_bytes(data).get_docs(spacy.blank("xx").vocab))


FLAT = "Ana Pop met NATO in Paris on 9 January 2023."
NESTED = "The Bank of Paris opened."
HARD = f"{TRICKY['bengali']} 😀 {TRICKY['vi_nfd']}\r\nNATO-led KFOR"


def test_flat_layers_go_to_ents_nested_ones_to_span_groups_and_read_back_exact(tmp_path):
    recs = [record("flat", FLAT, [span(FLAT, "Ana Pop", "PERSON"), span(FLAT, "NATO", "ORG"),
                                  span(FLAT, "9 January 2023", "DATE", value="2023-01-09")]),
            record("nested", NESTED, [span(NESTED, "Bank of Paris", "ORG"), span(NESTED, "Paris", "LOC")]),
            record("hard", HARD, [span(HARD, "রাস্তার", "ORG"), span(HARD, "NATO", "ORG"), span(HARD, "KFOR", "ORG")],
                   lang="bn")]
    data, result = written(recs)
    assert result.count == 3 and result.left_out == []
    flat, nested, hard = docs_of(data)
    assert [(e.text, e.label_, e.kb_id_) for e in flat.ents] == [
        ("Ana Pop", "PERSON", ""), ("NATO", "ORG", ""), ("9 January 2023", "DATE", "2023-01-09")]
    assert list(nested.ents) == [] and [(s.text, s.label_) for s in nested.spans["sc"]] == [
        ("Bank of Paris", "ORG"), ("Paris", "LOC")]
    assert [e.text for e in hard.ents] == ["রাস্তার", "NATO", "KFOR"] and hard.text == HARD
    assert any("1 document(s) with nested or overlapping spans (nested)" in n for n in result.notes)
    # NATO-led: spaCy's English tokeniser splits at the hyphen, the Bengali one may not;
    # either way the span is there and whatever was split is said.
    file = tmp_path / "out.spacy"
    file.write_bytes(data)
    back = spacy_docbin.read(file, data)
    got = [rec for _where, rec in back.records]
    for before, after in zip(recs, got, strict=True):
        assert after.text == before.text and after.id == before.id and after.lang == before.lang
        assert [(s.start, s.end, s.label, s.text, s.value) for s in after.spans] == sorted(
            (s.start, s.end, s.label, s.text, s.value) for s in before.spans)
        assert after.annotator == "ana" and after.status == "done" and after.title == before.title
    assert back.left_out == []


def test_spans_off_token_edges_are_kept_and_reported_with_their_documents():
    text = "Mircea Geoană's visit to NATOHQ"
    recs = [record("a", text, [span(text, "Mircea Geoană", "PERSON"), span(text, "NATO", "ORG")]),
            record("b", "ok text", [])]
    data, result = written(recs)
    (doc, _b) = docs_of(data)
    assert [(e.text, e.label_) for e in doc.ents] == [("Mircea Geoană", "PERSON"), ("NATO", "ORG")]
    assert doc.text == text
    assert result.notes == ["1 span(s) in 1 document(s) do not fall on the token edges of spaCy's blank pipeline "
                            "(a): their tokens were split there, so the file keeps them; a pipeline that "
                            "tokenises the text itself cannot learn those edges"]


def test_what_a_docbin_cannot_hold_is_counted():
    from annotator.core.records import ArgumentRecord, EventRecord

    text = "Ana met Bo."
    rec = record("e", text, [SpanRecord("s1", 0, 3, "PERSON", "Ana", None, "a note")],
                 events=(EventRecord("e1", "MEETING", 4, 7, "met", (ArgumentRecord("participant", "s1"),)),))
    _data, result = written([rec])
    assert result.left_out == ["1 event(s)", "1 note(s) on spans"]


def test_a_docbin_made_by_spacy_itself_is_read_with_what_is_left_out_counted(tmp_path, capsys):
    # As spaCy's documentation makes training data (https://spacy.io/usage/training#training-data
    # and https://spacy.io/api/docbin): a blank pipeline, doc.ents from char spans, a span group.
    from spacy.tokens import DocBin, Span

    nlp = spacy.blank("en")
    training_data = [("Tokyo Tower is 333m tall.", [(0, 11, "BUILDING")]),
                     ("Ana lives in Paris.", [(0, 3, "PERSON"), (13, 18, "GPE")])]
    db = DocBin()
    for text, entities in training_data:
        doc = nlp(text)
        doc.ents = [doc.char_span(start, end, label=label) for start, end, label in entities]
        if text.startswith("Ana"):
            doc.spans["sc"] = [Span(doc, 0, 1, "PERSON"), Span(doc, 3, 4, "LOC")]
            doc.cats = {"travel": 1.0}
        db.add(doc)
    file = tmp_path / "corpus.bin"  # no .spacy: found by its content
    db.to_disk(file)
    assert registry.detect(file, file.read_bytes()) is spacy_docbin.FORMAT
    result = spacy_docbin.read(file, file.read_bytes())
    recs = [rec for _w, rec in result.records]
    assert [r.annotator for r in recs] == ["corpus", "corpus"] and [r.id for r in recs] == ["corpus-1", "corpus-2"]
    assert [(s.text, s.label) for s in recs[1].spans] == [("Ana", "PERSON"), ("Paris", "GPE"), ("Paris", "LOC")]
    assert result.left_out == ["1 document(s) with categories (doc.cats)"]
    assert result.notes == [f"{file}: spaCy DocBin, 2 document(s); spans of doc.ents and doc.spans 'sc'; "
                            "layer(s) corpus"]
    # Imported into a project: labels it lacks are refused with --strict, added otherwise, as for
    # any other tool's file.
    project = tmp_path / "p.annotator"
    assert run(capsys, "init", project, "--empty")[0] == 0
    before = dump(project)
    code, _, err = run(capsys, "import", project, file, "--strict")
    assert code == 1 and "label(s) not in the project's schema: BUILDING, GPE, LOC" in err and dump(project) == before
    code, _, err = run(capsys, "import", project, file, "--annotator", "spacy-docs")
    assert code == 0, err
    assert "warning: left out 1 document(s) with categories (doc.cats)" in err
    code, out, _ = run(capsys, "export", project, "--annotator", "spacy-docs")
    lines = [orjson.loads(line) for line in out.splitlines()]
    assert [[s["label"] for s in line["spans"]] for line in lines] == [["BUILDING"], ["PERSON", "GPE", "LOC"]]


def test_a_file_that_is_no_docbin_is_one_line_and_nothing_written(tmp_path, capsys):
    project = tmp_path / "p.annotator"
    assert run(capsys, "init", project, "--empty")[0] == 0
    bad = tmp_path / "broken.spacy"
    bad.write_bytes(spacy_docbin_bytes()[:40])  # cut short
    before = dump(project)
    code, _, err = run(capsys, "import", project, bad)
    assert code == 1 and err.count("\n") == 1 and dump(project) == before
    assert err.startswith(f"annotator: {bad}: not a spaCy DocBin spaCy can read (")


def spacy_docbin_bytes() -> bytes:
    from spacy.tokens import DocBin

    return DocBin(docs=[spacy.blank("en")("Ana met Bo.")]).to_bytes()


def test_export_and_import_through_the_command_line_with_the_schema_beside(tmp_path, capsys):
    project = tmp_path / "p.annotator"
    assert run(capsys, "init", project, "--empty")[0] == 0
    gold = tmp_path / "in.jsonl"
    gold.write_bytes(orjson.dumps({"id": "d1", "lang": "en", "text": FLAT, "annotator": "ana", "status": "done",
                                   "spans": [{"start": 0, "end": 7, "label": "PERSON"},
                                             {"start": 12, "end": 16, "label": "ORG"}]}) + b"\n")
    assert run(capsys, "import", project, gold)[0] == 0
    out = tmp_path / "train.spacy"
    code, _, err = run(capsys, "export", project, "--format", "spacy", "-o", out)
    assert code == 0 and f"exported 1 record(s) to {out}, its schema to {out}.schema.json" in err
    new = tmp_path / "new.annotator"
    assert run(capsys, "init", new, "--empty")[0] == 0
    code, _, err = run(capsys, "import", new, out)
    assert code == 0 and "imported 1 document(s), 1 layer(s)" in err
    a = orjson.loads(run(capsys, "export", project)[1])
    b = orjson.loads(run(capsys, "export", new)[1])
    keep = ("id", "lang", "text", "annotator", "status", "title", "source")
    assert {k: b[k] for k in keep} == {k: a[k] for k in keep}
    assert [(s["start"], s["end"], s["label"]) for s in b["spans"]] == [(0, 7, "PERSON"), (12, 16, "ORG")]


_PIECES = ["Ana", " ", "NATO", "😀", "e\u0301", "ক্ষমতা", "\r\n", "Phó", "-", "👨\u200d👩\u200d👧", ".", "x"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14), st.data())
def test_offsets_survive_a_round_trip_with_astral_characters_marks_and_crlf(pieces, data):
    text = "".join(pieces)
    bounds = sorted({0, len(text), *(b for b in range(len(text)) if graphemes.is_boundary(text, b))})
    spans = []
    for k in range(data.draw(st.integers(0, 4))):
        a, b = sorted(data.draw(st.lists(st.sampled_from(bounds), min_size=2, max_size=2, unique=True)
                                if len(bounds) > 1 else st.just([0, 0])))
        if a < b and text[a:b].strip():
            spans.append(SpanRecord(f"s{k}", a, b, data.draw(st.sampled_from(["PERSON", "ORG"])), text[a:b]))
    rec = record("h", text, spans, lang=data.draw(st.sampled_from(["en", "bn", "vi", "sr"])))
    out, result = written([rec])
    got = [r for _w, r in spacy_docbin.read(Path("h.spacy"), out).records][0]
    assert got.text == text
    assert result.left_out == []
    assert [(s.start, s.end, s.label) for s in got.spans] == sorted({(s.start, s.end, s.label) for s in spans})
    assert all(got.text[s.start:s.end] == s.text for s in got.spans)


def test_a_spacy_pipeline_trains_on_an_export_with_no_glue(tmp_path, capsys):
    """`spacy train` with a blank English NER config reads the DocBin as written."""
    from spacy.cli.init_config import init_config
    from spacy.cli.train import train

    project = tmp_path / "p.annotator"
    assert run(capsys, "init", project, "--empty")[0] == 0
    names = ["Ana Pop", "Bo Ionescu", "Mircea Geoană", "Jens Stoltenberg"]
    lines = []
    for i, name in enumerate(names):
        text = f"{name} met NATO officials in Brussels on Monday.\nThe ORG EU said so."
        lines.append(orjson.dumps({"id": f"d{i}", "lang": "en", "text": text, "annotator": "ana", "status": "done",
                                   "spans": [{"start": 0, "end": len(name), "label": "PERSON"},
                                             {"start": text.index("NATO"), "end": text.index("NATO") + 4,
                                              "label": "ORG"},
                                             {"start": text.index("EU"), "end": text.index("EU") + 2,
                                              "label": "ORG"}]}))
    (tmp_path / "in.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    assert run(capsys, "import", project, tmp_path / "in.jsonl")[0] == 0
    corpus = tmp_path / "train.spacy"
    assert run(capsys, "export", project, "--format", "spacy", "-o", corpus)[0] == 0
    config = tmp_path / "config.cfg"
    config.write_text(init_config(lang="en", pipeline=["ner"], optimize="efficiency").to_str(), encoding="utf-8")
    output = tmp_path / "model"
    train(config, output, overrides={"paths.train": str(corpus), "paths.dev": str(corpus),
                                     "training.max_steps": 6, "training.eval_frequency": 3})
    nlp = spacy.load(output / "model-last")
    assert sorted(nlp.get_pipe("ner").labels) == ["ORG", "PERSON"]  # learnt from the file's doc.ents
    assert nlp("Ana Pop met NATO.").text == "Ana Pop met NATO."


def test_without_spacy_the_format_names_the_extra(tmp_path):
    """spaCy hidden from the import system: `formats` says what is missing, and reading or
    writing the format is one line with the pip command; everything else still works."""
    project = tmp_path / "p.annotator"
    file = tmp_path / "x.bin"  # a DocBin by content
    from spacy.tokens import DocBin

    file.write_bytes(DocBin(docs=[spacy.blank("en")("Ana")]).to_bytes())
    script = ("import sys\n"
              "sys.modules['spacy'] = None  # as if not installed: import fails, find_spec finds nothing\n"
              "from annotator.cli import main\n"
              "sys.exit(main(sys.argv[1:]))\n")

    def sh(*args):
        return subprocess.run([sys.executable, "-c", script, *map(str, args)], capture_output=True, text=True,
                              timeout=120)

    listing = sh("formats")
    assert listing.returncode == 0
    row = next(line for line in listing.stdout.splitlines() if line.startswith("spacy\t"))
    assert row.endswith("[not available: spaCy is not installed (pip install annotator[spacy])]")
    assert sh("init", project, "--empty").returncode == 0
    for args in (("export", project, "--format", "spacy", "-o", tmp_path / "out.spacy"),
                 ("import", project, file)):
        run = sh(*args)
        assert (run.returncode, run.stderr) == (1, "annotator: the spacy format needs spaCy, which is not "
                                                   "installed: pip install annotator[spacy]\n")
    assert not (tmp_path / "out.spacy").exists()
