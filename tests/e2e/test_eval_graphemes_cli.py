"""`annotator eval` on predictions that cut a grapheme cluster (a Bengali conjunct, an
emoji ZWJ sequence): widened to whole clusters and said, or refused with --strict."""

import subprocess
import sys
from pathlib import Path

import orjson

ANNOTATOR = Path(sys.executable).with_name("annotator")
# ক্ষ (KA, VIRAMA, SSA) is one cluster; so is the family emoji (MAN ZWJ WOMAN ZWJ GIRL).
TEXT = "লক্ষ টাকা পেল রহিমের পরিবার \U0001f468\u200d\U0001f469\u200d\U0001f467 আজ।"
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"


def sh(*args):
    return subprocess.run([str(ANNOTATOR), *map(str, args)], capture_output=True, text=True, timeout=120)


def span(sid, start, end, label):
    return {"id": sid, "start": start, "end": end, "label": label, "text": TEXT[start:end]}


def files(tmp_path):
    at = TEXT.index(FAMILY)
    gold = tmp_path / "gold.jsonl"
    gold.write_bytes(orjson.dumps({"id": "d1", "lang": "bn", "text": TEXT, "annotator": "gold", "status": "done",
                                   "spans": [span("g1", 0, 4, "FIGURE"), span("g2", at, at + len(FAMILY), "ORG")]})
                     + b"\n")
    pred = tmp_path / "pred.jsonl"
    # p1 ends after KA, before its virama; p2 takes the man of the family and its ZWJ only.
    pred.write_bytes(orjson.dumps({"id": "d1", "lang": "bn", "text": TEXT, "annotator": "model", "status": "done",
                                   "spans": [span("p1", 0, 2, "FIGURE"), span("p2", at, at + 2, "ORG")]}) + b"\n")
    return gold, pred, at


def test_spans_that_split_a_cluster_are_widened_said_and_scored(tmp_path):
    gold, pred, at = files(tmp_path)
    result = sh("eval", gold, pred, "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{pred}: line 1: warning: document 'd1': span 'p1' [0, 2) 'লক' splits a grapheme cluster; "
        "widened to [0, 4) 'লক্ষ'",
        f"{pred}: line 1: warning: document 'd1': span 'p2' [{at}, {at + 2}) {FAMILY[:2]!r} splits a grapheme "
        f"cluster; widened to [{at}, {at + len(FAMILY)}) {FAMILY!r}",  # repr: the ZWJ shows as \\u200d
        f"{pred}: warning: 2 prediction range(s) split a grapheme cluster and were widened to whole clusters "
        "before scoring (--strict refuses them)"]
    report = orjson.loads(result.stdout)
    assert report["overall"]["strict"]["correct"] == 2 and report["overall"]["strict"]["f1"] == 1.0
    assert [(w["line"], w["what"], w["from"], w["to"]) for w in report["widened"]] == [
        (1, "span 'p1'", [0, 2], [0, 4]), (1, "span 'p2'", [at, at + 2], [at, at + len(FAMILY)])]


def test_strict_refuses_and_names_every_range(tmp_path):
    gold, pred, at = files(tmp_path)
    result = sh("eval", gold, pred, "--strict")
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == (f"annotator: {pred}: line 1: document 'd1': span 'p1' [0, 2) 'লক' splits a grapheme "
                        "cluster (whole clusters: [0, 4) 'লক্ষ')")
    assert lines[1].startswith(f"annotator: {pred}: line 1: document 'd1': span 'p2' [{at}, {at + 2}) ")
    assert lines[2] == (f"annotator: {pred}: 2 prediction range(s) split a grapheme cluster; refused (--strict); "
                        "without it they are widened to whole clusters and scored")


def test_a_gold_span_that_splits_a_cluster_is_still_refused(tmp_path):
    gold, pred, _at = files(tmp_path)
    gold, pred = pred, gold  # the cut spans are now the gold file's
    result = sh("eval", gold, pred)
    assert result.returncode == 1
    assert result.stderr == f"annotator: {gold}: line 1: $.spans[0]: offset 2 is inside a grapheme cluster\n"
