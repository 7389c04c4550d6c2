"""`annotator import` of brat standoff as a user runs it (issue 13): a folder of .txt and
.ann pairs read as annotated documents, what the app cannot hold yet counted on stderr
(refused with --strict), a bad .ann line named in one line without a traceback; export
to a new folder of pairs."""

import subprocess
import sys
from pathlib import Path

import orjson

ANNOTATOR = Path(sys.executable).with_name("annotator")
SCHEMA = orjson.dumps({"version": 1, "labels": [{"name": "Organization", "key": "1", "colour": "#336699"}]})


def sh(*args):
    return subprocess.run([str(ANNOTATOR), *map(str, args)], capture_output=True, text=True, timeout=120)


def test_a_brat_folder_imports_with_left_outs_counted(tmp_path):
    project, schema = tmp_path / "p.annotator", tmp_path / "schema.json"
    schema.write_bytes(SCHEMA)
    assert sh("init", project, "--empty", "--schema", schema).returncode == 0
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "news.txt").write_text("Sony formed a joint venture with Ericsson, based in 🇸🇪 Sweden.\n",
                                     encoding="utf-8")
    (corpus / "news.ann").write_text("T1\tOrganization 0 4\tSony\nT2\tOrganization 33 41\tEricsson\n"
                                     "T3\tCountry 55 61\tSweden\nR1\tOrigin Arg1:T2 Arg2:T3\n", encoding="utf-8")
    run = sh("import", project, corpus, "--strict", "--add-labels")
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr == (f"annotator: {corpus / 'news.ann'}: warning: left out 1 relation(s) (R lines) not between "
                          "two text-bound annotations, or of a type or pair the project's schema does not declare "
                          "(refused: --strict makes warnings errors; 1 warning(s) in all)\n")
    run = sh("import", project, corpus, "--annotator", "ana", "--strict")  # labels added unless --strict
    assert run.returncode == 1
    assert run.stderr.startswith(f"annotator: {corpus / 'news.ann'}: label(s) not in the project's schema: Country;")
    run = sh("import", project, corpus, "--annotator", "ana", "--add-labels")
    assert run.returncode == 0, run.stderr
    assert f"{corpus / 'news.ann'}: warning: left out 1 relation(s) (R lines) not between" in run.stderr
    assert "imported 1 document(s), 1 layer(s)" in run.stderr
    run = sh("export", project, "--annotator", "ana")
    [rec] = [orjson.loads(line) for line in run.stdout.splitlines()]
    assert [(s["start"], s["end"], s["label"], s["text"]) for s in rec["spans"]] == [
        (0, 4, "Organization", "Sony"), (33, 41, "Organization", "Ericsson"), (55, 61, "Country", "Sweden")]
    out = tmp_path / "out"
    run = sh("export", project, "--format", "brat", "-o", out)
    assert run.returncode == 0, run.stderr
    assert run.stderr == f"exported 1 record(s) to {out}\n"
    assert sorted(p.name for p in out.iterdir()) == ["news.ann", "news.txt"]
    assert (out / "news.txt").read_bytes() == (corpus / "news.txt").read_bytes()
    assert (out / "news.ann").read_text(encoding="utf-8") == (
        "T1\tOrganization 0 4\tSony\nT2\tOrganization 33 41\tEricsson\nT3\tCountry 55 61\tSweden\n")
    again = sh("export", project, "--format", "brat", "-o", out)
    assert (again.returncode, again.stderr) == (1, f"annotator: {out}: already exists; a folder export makes a new "
                                                   "folder, choose another name\n")
    assert sh("export", project, "--format", "brat").stderr == (
        "annotator: brat writes a folder of files: name a new folder with -o FOLDER\n")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no scratch folder left


def test_a_mismatching_quoted_text_is_one_line_naming_the_ann_line(tmp_path):
    project = tmp_path / "p.annotator"
    assert sh("init", project, "--empty").returncode == 0
    (tmp_path / "d.txt").write_text("Paris\n", encoding="utf-8")
    ann = tmp_path / "d.ann"
    ann.write_text("T1\tLOC 0 5\tParis\nT2\tLOC 1 5\tParis\n", encoding="utf-8")
    run = sh("import", project, tmp_path / "d.txt")
    assert (run.returncode, run.stderr) == (1, f"annotator: {ann}: line 2: T2: text 'Paris' does not match the text "
                                               "at 1 5: 'aris' (brat counts offsets in characters of the .txt as it is)\n")
