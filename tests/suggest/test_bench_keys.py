"""The key accounting of bench/bench_suggest.py, which the savings figures of the README and docs/BENCHMARKS.md rest on."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bench():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        spec = importlib.util.spec_from_file_location("bench_suggest", ROOT / "bench" / "bench_suggest.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["bench_suggest"] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "bench"))


def test_accept_relabel_reject_and_type_cost_what_the_readme_says():
    bench = _bench()
    keys = bench.Keys()
    gold = ((0, 4, "PER"), (10, 15, "ORG"), (20, 25, "LOC"), (30, 35, "PER"))
    suggested = [(0, 4, "PER"),  # accepted: 1 key
                 (10, 15, "LOC"),  # right offsets, wrong label: relabelled with 1 label key
                 (40, 45, "ORG")]  # wrong: rejected with 1 key
    rejected = keys.add(gold, suggested)
    assert rejected == [(40, 45, "ORG")]
    # 3 decisions + 2 spans typed (select 2 + label 1 each)
    assert keys.with_suggestions == 3 * bench.DECIDE + 2 * bench.TYPE_SPAN == 9
    assert keys.per_span() == 9 / 4
    assert keys.per_span(nav=True) == (9 + 3) / 4  # one move to each suggestion
    assert keys.per_span_moves() == (9 + 3 + 2) / 4  # and one to each typed span, against 4 per span


def test_a_wrong_suggestion_over_a_gold_span_costs_a_rejection_and_the_typing():
    bench = _bench()
    keys = bench.Keys()
    keys.add(((0, 9, "ORG"),), [(0, 4, "ORG")])  # the edge is wrong: reject, then type the span
    assert keys.with_suggestions == bench.DECIDE + bench.TYPE_SPAN
