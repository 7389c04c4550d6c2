"""`annotator agreement`, `annotator eval` and `annotator export --gold`, run as a user
runs them, in fresh processes."""

import subprocess
import sys
from pathlib import Path

import orjson
import pytest

ANNOTATOR = Path(sys.executable).with_name("annotator")
EN = "NATO's Deputy Secretary General met the EU Special Representative on 13 June 2023."
BN = "ন্যাটো-নেতৃত্বাধীন কেএফওআর মিশন এবং রাস্তার বাধা"


def sh(*args):
    return subprocess.run([str(ANNOTATOR), *map(str, args)], capture_output=True, text=True)


def span(sid, text, part, label, nth=0):
    start = text.index(part)
    for _ in range(nth):
        start = text.index(part, start + 1)
    return {"id": sid, "start": start, "end": start + len(part), "label": label}


def line(doc_id, lang, text, annotator, spans, **extra):
    return {"id": doc_id, "lang": lang, "text": text, "annotator": annotator, "status": "done", "spans": spans, **extra}


def jsonl(path, records):
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("quality")
    path = tmp / "news.annotator"
    assert sh("init", path, "--empty").returncode == 0
    layers = [
        line("en", "en", EN, "alice", [span("a1", EN, "NATO", "ORG"), span("a2", EN, "EU", "ORG"),
                                       span("a3", EN, "13 June 2023", "DATE")]),
        line("en", "en", EN, "bob", [span("b1", EN, "NATO", "ORG"), span("b2", EN, "EU Special Representative",
                                                                           "PERSON"),
                                     span("b3", EN, "13 June", "DATE")]),
        line("bn", "bn", BN, "alice", [span("a4", BN, "কেএফওআর", "ORG")]),
        line("bn", "bn", BN, "bob", [span("b4", BN, "কেএফওআর", "ORG")]),
    ]
    out = sh("import", path, jsonl(tmp / "layers.jsonl", layers))
    assert out.returncode == 0, out.stderr
    return path


def test_agreement_table_and_json(project):
    table = sh("agreement", project)
    assert table.returncode == 0, table.stderr
    assert "agreement of alice, bob over 2 document(s)" in table.stdout
    assert "Cohen's kappa" in table.stdout and "Krippendorff's alpha" in table.stdout
    rows = {ln.split()[0]: ln.split()[1:] for ln in table.stdout.splitlines() if ln.strip()}
    # ORG: alice {NATO, EU, KFOR}, bob {NATO, KFOR}: 2 * 2 / 5; DATE: one boundary apart.
    assert rows["ORG"] == ["0.800", "0.800", "5"] and rows["DATE"] == ["0.000", "1.000", "2"]
    assert rows["bn"] == ["1.000", "1.000", "2"]
    report = orjson.loads(sh("agreement", project, "--json").stdout)
    assert report["annotators"] == ["alice", "bob"] and report["documents"] == 2
    # Four spans each; NATO and KFOR match exactly, and the dates overlap too.
    assert report["overall"] == {"exact_f1": 0.5, "overlap_f1": 0.75, "support": 8}
    assert set(report["per_document"]) == {"en", "bn"} and -1 <= report["token_kappa"] <= 1


def test_agreement_needs_two_known_annotators(project):
    one = sh("agreement", project, "--annotators", "alice")
    assert one.returncode == 1 and "at least two annotators" in one.stderr and "Traceback" not in one.stderr
    typo = sh("agreement", project, "--annotators", "alice", "bbo")
    assert typo.returncode == 1 and "no layer by 'bbo'" in typo.stderr and "alice, bob" in typo.stderr


def test_export_gold_only_after_adjudication(project, tmp_path):
    missing = sh("export", project, "--gold")
    assert missing.returncode == 1 and "no gold layer" in missing.stderr
    assert sh("export", project, "--gold", "--annotator", "alice").returncode == 2  # one or the other
    gold_line = line("en", "en", EN, "gold", [span("g1", EN, "NATO", "ORG")])
    assert sh("import", project, jsonl(tmp_path / "gold.jsonl", [gold_line])).returncode == 0
    exported = sh("export", project, "--gold")
    records = [orjson.loads(x) for x in exported.stdout.splitlines()]
    # Only the adjudicated document: an untouched one is no gold negative example.
    assert [(r["id"], r["annotator"], [s["text"] for s in r["spans"]]) for r in records] == [("en", "gold", ["NATO"])]
    # The gold layer stays out of agreement unless named.
    assert orjson.loads(sh("agreement", project, "--json").stdout)["annotators"] == ["alice", "bob"]
    named = orjson.loads(sh("agreement", project, "--annotators", "gold", "alice", "--json").stdout)
    assert named["documents"] == 1 and named["per_label"]["ORG"]["exact_f1"] == pytest.approx(2 / 3)


def test_eval_scores_and_refuses_files_that_do_not_match(tmp_path):
    gold = jsonl(tmp_path / "gold.jsonl", [
        line("en", "en", EN, "gold", [span("g1", EN, "NATO", "ORG"), span("g2", EN, "13 June 2023", "DATE")]),
        line("bn", "bn", BN, "gold", [span("g3", BN, "কেএফওআর", "ORG")])])
    pred = jsonl(tmp_path / "pred.jsonl", [
        line("bn", "bn", BN, "model", [span("p3", BN, "কেএফওআর", "ORG")]),
        line("en", "en", EN, "model", [span("p1", EN, "NATO", "PERSON"), span("p2", EN, "13 June", "DATE")])])
    out = sh("eval", gold, pred, "--json")
    assert out.returncode == 0, out.stderr
    r = orjson.loads(out.stdout)
    assert list(r) == ["overall", "per_label", "per_language", "events", "claims", "documents", "gold", "pred", "widened"]
    assert r["widened"] == []
    strict, partial = r["overall"]["strict"], r["overall"]["partial"]
    assert (strict["correct"], strict["incorrect"], strict["possible"], strict["actual"]) == (1, 2, 3, 3)
    assert (partial["correct"], partial["partial"], partial["precision"]) == (2, 1, pytest.approx(2.5 / 3))
    assert r["per_language"]["bn"]["strict"]["f1"] == 1.0 and r["per_label"]["PERSON"]["strict"]["spurious"] == 1
    table = sh("eval", gold, pred)
    assert table.returncode == 0 and "strict P" in table.stdout and "events: none in either file" in table.stdout
    overall = next(ln.split() for ln in table.stdout.splitlines() if ln.startswith("overall"))
    assert overall[1:4] == ["0.333", "0.333", "0.333"]  # strict P, R, F1

    other = jsonl(tmp_path / "other.jsonl", [line("en", "en", EN.replace("13", "14"), "model", [])])
    bad = sh("eval", gold, other)
    assert bad.returncode == 1
    assert f"{other}: line 1: document 'en': the text differs from {gold} (line 1) at code point" in bad.stderr
    extra = jsonl(tmp_path / "extra.jsonl", [line("bn", "bn", BN, "m", []), line("en", "en", EN, "m", []),
                                              line("xx", "en", "Another text", "m", [])])
    assert f"{extra}: line 3: document 'xx' is not in {gold}" in sh("eval", gold, extra).stderr
    assert "no such file" in sh("eval", tmp_path / "nope.jsonl", pred).stderr
