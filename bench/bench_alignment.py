"""Sentence alignment on text it was not tuned on: the Bleualign German-French
development document (Text+Berg), scored as the field scores it.

    python bench/bench_alignment.py [--data DIR] [--no-speed] [--misses]

DIR holds dev.de, dev.fr (one sentence per line) and dev.defr (the gold, vecalign's
`[src lines]:[tgt lines]` format); default: $BLEUALIGN_DEV, else ../shared/data/bleualign-dev
beside the checkout (or its parent). The data is GPL-2: it is read from there, never copied
into the repository.

How each aligner is measured, as a user would meet it:
- the product's aligners get each document as one plain text (the lines joined with "\\n"),
  split into sentences by the app's own segmentation; their character blocks are mapped
  back to the gold's lines (a block covers the lines its characters touch) and blocks
  sharing a line are merged, so a finer sentence split is not punished (a coarser one is);
- plain Gale-Church (the textbook algorithm: mean ratio 1, variance 6.8, the paper's
  priors, character lengths) gets the gold lines themselves, as in the literature.
Scores: vecalign's score.py, strict and lax precision/recall/F1 (reimplemented below).
With --misses, each gold block an aligner missed is listed with its lines and the blocks
the aligner made of them. Also printed: the seed translation group (bench_parallel's block F1) and the time to align
two 1 MB documents (the target is under 10 s).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

from _common import ROOT, result_line  # also puts the checkout on sys.path

from annotator.core import alignment
from annotator.core.records import Block

# ---------------------------------------------------------------- vecalign's scorer


def _precision(gold, test) -> tuple[int, int, int, int]:
    """tp strict, fp strict, tp lax, fp lax of `test` against `gold` (vecalign score.py):
    a block is a strict hit if the gold has it exactly; a lax hit if some gold block
    links one of its source lines to one of its target lines."""
    test = {(tuple(x), tuple(y)) for x, y in test if len(x) or len(y)}
    gold = {(tuple(x), tuple(y)) for x, y in gold if len(x) or len(y)}
    gold_targets = defaultdict(set)
    for gs, gt in gold:
        for s in gs:
            gold_targets[s].update(gt)
    tps = fps = tpl = fpl = 0
    for ts, tt in test:
        if (ts, tt) in gold:
            tps += 1
            tpl += 1
            continue
        fps += 1
        reach = set().union(*(gold_targets[s] for s in ts)) if ts else set()
        if reach & set(tt):
            tpl += 1
        else:
            fpl += 1
    return tps, fps, tpl, fpl


def score(gold, test) -> dict[str, float]:
    """Strict and lax precision, recall and F1; recall is precision with the roles swapped
    and the 1-0/0-1 blocks of both sides left out, as vecalign does."""
    p = _precision(gold, test)
    r = _precision([(x, y) for x, y in test if x and y], [(x, y) for x, y in gold if x and y])

    def ratio(a, b):
        return a / (a + b) if a + b else 0.0

    def f1(a, b):
        return 2 * a * b / (a + b) if a + b else 0.0

    out = {"p_strict": ratio(p[0], p[1]), "p_lax": ratio(p[2], p[3]),
           "r_strict": ratio(r[0], r[1]), "r_lax": ratio(r[2], r[3])}
    out["f1_strict"] = f1(out["p_strict"], out["r_strict"])
    out["f1_lax"] = f1(out["p_lax"], out["r_lax"])
    return out


def read_gold(path: Path) -> list[tuple[list[int], list[int]]]:
    out = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            left, right = line.split(":")
            out.append((_indices(left), _indices(right)))
        except ValueError:
            raise SystemExit(f"bench_alignment: {path}, line {n}: not a `[i, ...]:[j, ...]` block") from None
    return out


def _indices(part: str) -> list[int]:
    inner = part.strip().removeprefix("[").removesuffix("]").strip()
    return [int(x) for x in inner.split(",")] if inner else []


# ---------------------------------------------------------------- blocks -> lines


def line_starts(lines: list[str]) -> list[int]:
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    return starts


def blocks_to_lines(blocks: list[Block], lines_a: list[str], lines_b: list[str]) -> list[tuple[list[int], list[int]]]:
    """Character blocks over the joined texts as blocks of line indices; blocks sharing a
    line merged (union-find over the blocks, in order)."""
    def touched(lines, starts, lo, hi):
        return [i for i, (s, line) in enumerate(zip(starts, lines)) if lo < hi and s < hi and lo < s + len(line)
                and line[max(0, lo - s):hi - s].strip()]

    sa, sb = line_starts(lines_a), line_starts(lines_b)
    sides = [(touched(lines_a, sa, b.a_start, b.a_end), touched(lines_b, sb, b.b_start, b.b_end)) for b in blocks]
    parent = list(range(len(sides)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[tuple[str, int], int] = {}
    for k, (la, lb) in enumerate(sides):
        for key in [("a", i) for i in la] + [("b", j) for j in lb]:
            if key in owner:
                parent[find(k)] = find(owner[key])
            else:
                owner[key] = k
    merged: dict[int, tuple[set, set]] = {}
    for k, (la, lb) in enumerate(sides):
        a, b = merged.setdefault(find(k), (set(), set()))
        a.update(la)
        b.update(lb)
    return [(sorted(a), sorted(b)) for a, b in sorted(merged.values(), key=lambda ab: (min(ab[0] | ab[1] | {10**9}),))
            if a or b]


# ---------------------------------------------------------------- textbook Gale-Church

_GC_PRIORS = {(1, 1): 0.89, (1, 0): 0.0099, (0, 1): 0.0099, (2, 1): 0.089, (1, 2): 0.089, (2, 2): 0.011}


def gale_church(len_a: list[int], len_b: list[int]) -> list[tuple[list[int], list[int]]]:
    """Gale & Church (1993) as published (and as NLTK implements it): c = 1, s^2 = 6.8."""
    def cost(la, lb, prior):
        mean = (la + lb) / 2
        delta = (lb - la) / math.sqrt(6.8 * mean) if mean else 0.0
        p = 2 * (1 - 0.5 * (1 + math.erf(abs(delta) / math.sqrt(2))))
        return -math.log(max(p, 1e-300)) - math.log(prior)

    n, m = len(len_a), len(len_b)
    inf = float("inf")
    d = [[inf] * (m + 1) for _ in range(n + 1)]
    back = [[None] * (m + 1) for _ in range(n + 1)]
    d[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            for (di, dj), prior in _GC_PRIORS.items():
                if i < di or j < dj or d[i - di][j - dj] == inf:
                    continue
                c = d[i - di][j - dj] + cost(sum(len_a[i - di:i]), sum(len_b[j - dj:j]), prior)
                if c < d[i][j]:
                    d[i][j], back[i][j] = c, (di, dj)
    out, i, j = [], n, m
    while i or j:
        di, dj = back[i][j]
        out.append((list(range(i - di, i)), list(range(j - dj, j))))
        i, j = i - di, j - dj
    return out[::-1]


# ---------------------------------------------------------------- running


def find_data(given: Path | None) -> Path | None:
    candidates = [given] if given else []
    if os.environ.get("BLEUALIGN_DEV"):
        candidates.append(Path(os.environ["BLEUALIGN_DEV"]))
    candidates += [ROOT.parent / "shared" / "data" / "bleualign-dev", ROOT.parent.parent / "shared" / "data" / "bleualign-dev"]
    return next((c for c in candidates if c and (c / "dev.defr").is_file()), None)


def read_lines(path: Path) -> list[str]:
    return path.read_text("utf-8").split("\n")[:-1] if path.read_text("utf-8").endswith("\n") \
        else path.read_text("utf-8").split("\n")


def report(name: str, s: dict[str, float], seconds: float) -> None:
    print(f"  {name:28} strict P {s['p_strict']:.3f} R {s['r_strict']:.3f} F1 {s['f1_strict']:.3f} | "
          f"lax P {s['p_lax']:.3f} R {s['r_lax']:.3f} F1 {s['f1_lax']:.3f} | {seconds * 1000:.0f} ms")
    print(result_line(f"bleualign_dev_{name.replace(' ', '_')}", strict_f1=f"{s['f1_strict']:.3f}",
                      lax_f1=f"{s['f1_lax']:.3f}", strict_p=f"{s['p_strict']:.3f}", strict_r=f"{s['r_strict']:.3f}",
                      lax_p=f"{s['p_lax']:.3f}", lax_r=f"{s['r_lax']:.3f}"))


def product_aligners() -> list[tuple[str, object]]:
    out = [("default aligner", lambda ta, la, tb, lb: alignment.align_sentences(ta, la, tb, lb, method="length"))]
    try:
        from annotator.core import align_embed
    except ImportError:
        return out
    if align_embed.available():
        out.append(("embedding aligner", lambda ta, la, tb, lb: alignment.align_sentences(ta, la, tb, lb,
                                                                                            method="embeddings")))
    else:
        print("  (embedding aligner: the `embeddings` extra is not installed)")
    return out


def list_misses(gold, test, lines_a: list[str], lines_b: list[str]) -> None:
    """Each gold block not in `test`, with its lines and the test blocks sharing a line."""
    found = {(tuple(x), tuple(y)) for x, y in test}
    missed = [(x, y) for x, y in gold if (tuple(x), tuple(y)) not in found]
    print(f"    {len(missed)} of {len(gold)} gold blocks missed:")
    for x, y in missed:
        print(f"    gold {x}:{y}")
        for side, idx, lines in (("de", x, lines_a), ("fr", y, lines_b)):
            for k in idx:
                print(f"      {side} {k}: {lines[k][:100]}")
        ours = [f"{tx}:{ty}" for tx, ty in test if set(x) & set(tx) or set(y) & set(ty)]
        print("      aligner:", "  ".join(ours))


def bleualign(data: Path, misses: bool = False) -> None:
    lines_a, lines_b = read_lines(data / "dev.de"), read_lines(data / "dev.fr")
    gold = read_gold(data / "dev.defr")
    ta, tb = "\n".join(lines_a), "\n".join(lines_b)
    print(f"Bleualign dev (de-fr): {len(lines_a)} / {len(lines_b)} lines, {len(gold)} gold blocks")
    t0 = time.perf_counter()
    gc = gale_church([len(x) for x in lines_a], [len(x) for x in lines_b])
    report("plain Gale-Church", score(gold, gc), time.perf_counter() - t0)
    for name, align in product_aligners():
        t0 = time.perf_counter()
        blocks = align(ta, "de", tb, "fr")
        seconds = time.perf_counter() - t0
        test = blocks_to_lines(blocks, lines_a, lines_b)
        report(name, score(gold, test), seconds)
        if misses:
            list_misses(gold, test, lines_a, lines_b)


def seeds() -> None:
    import bench_parallel

    print("seed translation group (bench_parallel, suggested vs gold blocks):")
    bench_parallel.main(["--align-only"])


def book(text: str, chapters: int) -> str:
    """`chapters` numbered copies of `text`, as a long book is made of numbered chapters
    (copies without numbers would make the alignment ambiguous by a whole copy, which no
    real book is)."""
    return "\n".join(f"{k}.\n{text}" for k in range(1, chapters + 1))


def speed() -> None:
    """Two files of about 1 MB of UTF-8 (the larger is 1 MB): the seeds' French and
    Vietnamese translations of the same report, as the same numbered chapters."""
    from tests.core.test_sentences import seed

    (ta, la), (tb, lb) = seed("002"), seed("001")
    chapters = 1_000_000 // (max(len(ta.encode()), len(tb.encode())) + 8)
    big_a, big_b = book(ta, chapters), book(tb, chapters)
    t0 = time.perf_counter()
    blocks = alignment.align_sentences(big_a, la, big_b, lb, method="length")
    seconds = time.perf_counter() - t0
    print(f"two files of {len(big_a.encode()) / 1e6:.2f} and {len(big_b.encode()) / 1e6:.2f} MB (fr, vi): "
          f"{len(blocks)} blocks in {seconds:.1f} s (target < 10 s)")
    print(result_line("align_1mb", seconds=f"{seconds:.1f}", blocks=len(blocks)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="folder with dev.de, dev.fr, dev.defr")
    parser.add_argument("--no-speed", action="store_true", help="skip the 1 MB timing")
    parser.add_argument("--misses", action="store_true", help="list the gold blocks each aligner missed")
    args = parser.parse_args(argv)
    data = find_data(args.data)
    if data is None:
        print("bench_alignment: no Bleualign dev data (dev.de, dev.fr, dev.defr) found; give its folder with "
              "--data or $BLEUALIGN_DEV", file=sys.stderr)
        return 1
    bleualign(data, args.misses)
    seeds()
    if not args.no_speed:
        speed()
    return 0


if __name__ == "__main__":
    sys.exit(main())
