"""Parallel texts against the hand-made gold of the seeds (seeds/gold/seeds.gold.jsonl).

    python bench/bench_parallel.py [--gold FILE]

- Sentence alignment: the suggested alignment (core.alignment) of every pair the gold
  aligns, against the gold blocks. A block is correct if identical (a side with no
  sentence compares as empty, wherever it sits); sentence-pair links are the pairs
  (sentence of a, sentence of b) that share a block, sentences as split_sentences cuts
  them, each placed in the block that holds its start.
- Projection: the gold spans of each document projected onto every other document of
  its group (both directions) through the gold alignment and through the suggested one,
  against the target's gold spans; precision, recall and F1 per label, exact (same
  offsets and label) and overlap (same label, overlapping).
- Time: suggesting the alignments, projecting.
Figures are printed, not asserted. Without the gold file the benchmark fails clearly.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from _common import ROOT, result_line  # also puts the checkout on sys.path

from annotator.core.alignment import align_sentences
from annotator.core.projection import project_spans
from annotator.core.records import Block
from annotator.core.sentences import split_sentences
from annotator.formats.gold_checks import read

GOLD = ROOT / "seeds" / "gold" / "seeds.gold.jsonl"


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def block_key(b: Block) -> tuple:
    return ((b.a_start, b.a_end) if b.a_end > b.a_start else None, (b.b_start, b.b_end) if b.b_end > b.b_start else None)


def links(blocks, sents_a, sents_b) -> set[tuple[int, int]]:
    def place(sents, side):
        out = {}
        for i, (s, _e) in enumerate(sents):
            for k, b in enumerate(blocks):
                lo, hi = (b.a_start, b.a_end) if side == "a" else (b.b_start, b.b_end)
                if lo <= s < hi:
                    out[i] = k
                    break
        return out

    pa, pb = place(sents_a, "a"), place(sents_b, "b")
    by_block = defaultdict(lambda: ([], []))
    for i, k in pa.items():
        by_block[k][0].append(i)
    for j, k in pb.items():
        by_block[k][1].append(j)
    return {(i, j) for a, b in by_block.values() for i in a for j in b}


def links_of(recs) -> set[tuple[tuple[str, str], tuple[str, str]]]:
    """Gold links in both directions: ((doc, span), (doc, span))."""
    out = set()
    for r in recs.values():
        for lk in r.links:
            out |= {((r.id, lk.span), (lk.target_doc, lk.target_span)), ((lk.target_doc, lk.target_span), (r.id, lk.span))}
    return out


def overlap_matches(pred, gold) -> int:
    return sum(any(g[2] == p[2] and g[0] < p[1] and p[0] < g[1] for g in gold) for p in pred)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--align-only", action="store_true", help="measure the alignment only, not projection")
    args = parser.parse_args(argv)
    if not args.gold.is_file():
        print(f"bench_parallel: no gold file at {args.gold}: it is written by scripts/build_seed_gold.py; "
              "nothing to measure against", file=sys.stderr)
        return 1
    recs = {r.id: r for _n, r in read(args.gold.read_bytes(), str(args.gold)) if r.annotator in (None, "gold")}
    pairs = {}  # (a, b) -> gold blocks oriented (a, b)
    for r in recs.values():
        for al in r.alignments:
            pairs[(r.id, al.target)] = list(al.blocks)
    if not pairs:
        print(f"bench_parallel: {args.gold} has no alignments", file=sys.stderr)
        return 1

    suggested, t_align = {}, 0.0
    print("sentence alignment, suggested vs gold:")
    for (a, b), gold in sorted(pairs.items()):
        ra, rb = recs[a], recs[b]
        t0 = time.perf_counter()
        ours = align_sentences(ra.text, ra.lang, rb.text, rb.lang)
        t_align += time.perf_counter() - t0
        suggested[(a, b)] = ours
        bp = prf(len({block_key(x) for x in ours} & {block_key(x) for x in gold}), len(ours), len(gold))
        sa, sb = split_sentences(ra.text, ra.lang), split_sentences(rb.text, rb.lang)
        lo, lg = links(ours, sa, sb), links(gold, sa, sb)
        lp = prf(len(lo & lg), len(lo), len(lg))
        name = f"{ra.lang}-{rb.lang}"
        print(f"  {name}: blocks {len(ours)} suggested / {len(gold)} gold: P {bp[0]:.2f} R {bp[1]:.2f} F1 {bp[2]:.2f};"
              f"  sentence links P {lp[0]:.2f} R {lp[1]:.2f} F1 {lp[2]:.2f}")
        print(result_line(f"align_{name}", block_p=f"{bp[0]:.2f}", block_r=f"{bp[1]:.2f}", block_f1=f"{bp[2]:.2f}",
                          link_p=f"{lp[0]:.2f}", link_r=f"{lp[1]:.2f}", link_f1=f"{lp[2]:.2f}"))

    t_proj = 0.0
    for which, alignments in () if args.align_only else (("gold", pairs), ("suggested", suggested)):
        exact, overlap, n_pred, n_gold = Counter(), Counter(), Counter(), Counter()
        linked = linked_hit = 0
        for (a, b), blocks in sorted(alignments.items()):
            for src, tgt, bl in ((a, b, blocks), (b, a, [Block(x.b_start, x.b_end, x.a_start, x.a_end) for x in blocks])):
                rs, rt = recs[src], recs[tgt]
                t0 = time.perf_counter()
                props = project_spans(rs.text, rs.lang, rs.spans, rt.text, rt.lang, bl)
                t_proj += time.perf_counter() - t0
                gold_keys = [(s.start, s.end, s.label) for s in rt.spans]
                # The reachable part: target spans with a gold link to a span of the source.
                counterparts = {t for (d1, s1), (d2, t) in links_of(recs) if d1 == src and d2 == tgt}
                proposed = {(p.start, p.end, p.label) for p in props}
                reachable = [(s.start, s.end, s.label) for s in rt.spans if s.id in counterparts]
                linked += len(reachable)
                linked_hit += sum(k in proposed for k in reachable)
                for label in {s.label for s in rs.spans} | {s.label for s in rt.spans}:
                    pred = [(p.start, p.end, p.label) for p in props if p.label == label]
                    gk = [g for g in gold_keys if g[2] == label]
                    exact[label] += sum((Counter(pred) & Counter(gk)).values())
                    overlap[label] += overlap_matches(pred, gk)
                    n_pred[label] += len(pred)
                    n_gold[label] += len(gk)
        print(f"projection of gold spans through the {which} alignment (all ordered pairs of the group):")
        for label in sorted(n_gold | n_pred) + ["all"]:
            e_tp, o_tp, np_, ng = ((sum(exact.values()), sum(overlap.values()), sum(n_pred.values()),
                                    sum(n_gold.values())) if label == "all" else
                                   (exact[label], overlap[label], n_pred[label], n_gold[label]))
            e, o = prf(e_tp, np_, ng), prf(o_tp, np_, ng)
            print(f"  {label:7} proposed {np_:3} gold {ng:3}: exact P {e[0]:.2f} R {e[1]:.2f} F1 {e[2]:.2f};"
                  f"  overlap P {o[0]:.2f} R {o[1]:.2f} F1 {o[2]:.2f}")
            if label == "all":  # the summary table gets the totals; the labels are above
                print(result_line(f"project_via_{which}", exact_p=f"{e[0]:.2f}", exact_r=f"{e[1]:.2f}",
                                  exact_f1=f"{e[2]:.2f}", overlap_f1=f"{o[2]:.2f}",
                                  linked_recall=f"{linked_hit / linked if linked else 0:.2f}"))
        print(f"  of the {linked} target spans linked in the gold to a span of the source, "
              f"{linked_hit} ({linked_hit / linked if linked else 0:.0%}) were proposed exactly")
    print(f"time: alignment {t_align * 1000:.0f} ms for {len(pairs)} pair(s), projection {t_proj * 1000:.0f} ms")
    print(result_line("parallel_time", align_ms=f"{t_align * 1000:.0f}", project_ms=f"{t_proj * 1000:.0f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
