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


class _ByConfidence:
    """A suggester that suggests nothing and is least sure of the sentences named last."""

    def suggest(self, text, lang):
        return []

    def confidence(self, text, lang):
        return -int(text.split()[1])


def test_active_order_with_every_candidate_takes_the_least_sure_sentences_of_the_whole_pool(monkeypatch):
    bench = _bench()
    trained_on = []
    monkeypatch.setattr(bench, "train", lambda examples, settings, min_score: (
        trained_on.append([e.text for e in examples["en"]]) or _ByConfidence()))
    pool = [bench.Example(f"sentence {i}", "en", ()) for i in range(200)]
    test = [bench.Example("sentence 0", "en", ())]
    bench.simulate(pool, test, True, None, 0.5, (100,), candidates=0)
    first, second = trained_on
    assert first == [f"sentence {i}" for i in range(50)]  # nothing trained yet: file order
    assert second[50:] == [f"sentence {i}" for i in range(199, 149, -1)]  # the least sure of all 150 left

    trained_on.clear()
    bench.simulate(pool, test, True, None, 0.5, (100,), candidates=60)
    assert sorted(trained_on[1][50:]) != sorted(second[50:])  # 50 of a sample of 60: not the 50 least sure of all
