"""Hugging Face token classification export (`--format hf`, issue 13): a folder that
`datasets` loads as is, tokens and integer ner_tags with the tag names as a ClassLabel
(from the dataset card), the same numbers for every export of a project."""

from __future__ import annotations

import json

import datasets
import orjson

from annotator.cli import main
from annotator.formats import hf_tokens
from tests.conftest import TRICKY

TEXT = f"Ana Pop met NATO in Paris.\r\n{TRICKY['bengali']} 😀 দ্বারা\nEU-led talks on 9 January 2023."


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def project_with_spans(tmp_path, capsys):
    project = tmp_path / "p.annotator"
    assert run(capsys, "init", project, "--empty")[0] == 0
    at = TEXT.index
    bengali = TRICKY["bengali"].split()[1]  # রাস্তার
    spans = [(0, 7, "PERSON"), (at("NATO"), at("NATO") + 4, "ORG"), (at(bengali), at(bengali) + len(bengali), "ORG"),
             (at("EU"), at("EU") + 2, "ORG"), (at("9 January"), at("9 January") + 14, "DATE"),
             (at("Pop"), at("Pop") + 3, "PERSON")]  # nested in "Ana Pop": counted, not tagged
    line = {"id": "d1", "lang": "en", "text": TEXT, "annotator": "ana", "status": "done",
            "spans": [{"start": a, "end": b, "label": label} for a, b, label in spans]}
    (tmp_path / "in.jsonl").write_bytes(orjson.dumps(line) + b"\n")
    assert run(capsys, "import", project, tmp_path / "in.jsonl")[0] == 0
    return project


def test_datasets_loads_the_export_with_the_tag_names(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)  # local files only
    project = project_with_spans(tmp_path, capsys)
    out = tmp_path / "hf"
    code, _, err = run(capsys, "export", project, "--format", "hf", "-o", out)
    assert code == 0, err
    assert "hf has no place for 1 span(s) nested in or overlapping another span" in err
    assert sorted(p.name for p in out.iterdir()) == ["README.md", "label_names.json", "train.jsonl"]
    names = ["O", "B-PERSON", "I-PERSON", "B-ORG", "I-ORG", "B-FIGURE", "I-FIGURE", "B-DATE", "I-DATE"]
    assert json.loads((out / "label_names.json").read_text(encoding="utf-8")) == names  # the schema's order

    table = datasets.load_dataset(str(out), split="train", cache_dir=str(tmp_path / "cache"))
    assert table.features["ner_tags"].feature.names == names
    decode = table.features["ner_tags"].feature.int2str
    rows = [(row["tokens"], decode(row["ner_tags"])) for row in table]
    assert rows == [
        (["Ana", "Pop", "met", "NATO", "in", "Paris", "."], ["B-PERSON", "I-PERSON", "O", "B-ORG", "O", "O", "O"]),
        (["ক্ষমতা", "রাস্তার", "বাধা", "😀", "দ্বারা"], ["O", "B-ORG", "O", "O", "O"]),
        (["EU", "-", "led", "talks", "on", "9", "January", "2023", "."],
         ["B-ORG", "O", "O", "O", "O", "B-DATE", "I-DATE", "I-DATE", "O"])]
    assert table["id"] == ["d1-1", "d1-2", "d1-3"] and set(table["document"]) == {"d1"}

    # The JSON builder reads the same lines as integers, without the card.
    plain = datasets.load_dataset("json", data_files=str(out / "train.jsonl"), split="train",
                                  cache_dir=str(tmp_path / "cache"))
    assert plain["ner_tags"] == table["ner_tags"] and plain["ner_tags"][0] == [1, 2, 0, 3, 0, 0, 0]


def test_other_schemes_and_labels_beyond_the_schema():
    from annotator.core.records import DocumentRecord, SpanRecord

    text = "Ana visits Paris"
    rec = DocumentRecord(id="x", lang="en", text=text, spans=(SpanRecord("s1", 0, 3, "PER", "Ana"),
                                                              SpanRecord("s2", 11, 16, "LOC", "Paris")),
                         annotator="a", status="done")
    assert hf_tokens.tag_names(["PER"], "bioes") == ["O", "B-PER", "I-PER", "E-PER", "S-PER"]
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        result = hf_tokens.write([rec], Path(folder), labels=["PER"], scheme="bioes")
        names = json.loads((Path(folder) / hf_tokens.NAMES).read_text(encoding="utf-8"))
        row = orjson.loads((Path(folder) / hf_tokens.DATA).read_bytes())
    assert result.count == 1 and result.left_out == []
    assert names == ["O", "B-PER", "I-PER", "E-PER", "S-PER", "B-LOC", "I-LOC", "E-LOC", "S-LOC"]
    assert [names[t] for t in row["ner_tags"]] == ["S-PER", "O", "S-LOC"]
