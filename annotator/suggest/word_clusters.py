"""Word clusters learnt from the project's own texts, labelled or not: words that occur in
the same contexts get the same cluster, so a name no annotator ever labelled shares the
features of labelled names that stand where it stands ("... met X on Monday").

How (numpy only: the tagger must not pull in SciPy or scikit-learn):
  1. co-occurrence counts of every lower-cased word seen at least MIN_COUNT times with the
     CONTEXTS most frequent words one and two places to its left and to its right (four
     separate context kinds, so "of X" and "X of" differ, as in Brown clusters);
  2. positive pointwise mutual information (contexts smoothed to the power 0.75), a sparse
     matrix;
  3. a randomized truncated SVD (Halko et al. 2011) to DIMENSIONS dimensions, rows scaled
     to unit length; words seen once are folded in through the same projection;
  4. k-means in a tree: TOP clusters, each cut into BRANCH, and each of those into BRANCH
     again, so a word's cluster path (e.g. 17 / 17.2 / 17.2.3) works like a Brown-cluster
     bit-string prefix at three granularities (64 / 256 / 1,024 by default).

Everything is seeded: the same texts give the same clusters. About a second or two of CPU
for 20,000 short sentences (bench/bench_suggest.py --tune prints it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

MIN_COUNT = 2
CONTEXTS = 2000
DIMENSIONS = 64
TOP, BRANCH = 64, 4
ITERATIONS = 12

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class WordClusters:
    """Lower-cased word -> its cluster path, coarsest first."""

    paths: dict[str, tuple[int, ...]]
    # lower-cased word -> its row of `vectors` (the unit-length SVD embedding the clusters cut)
    rows: dict[str, int] = field(default_factory=dict, compare=False)
    vectors: npt.NDArray[np.float32] | None = field(default=None, compare=False)

    def path(self, word: str) -> tuple[int, ...] | None:
        return self.paths.get(word.lower())

    def vector(self, word: str) -> npt.NDArray[np.float32] | None:
        row = self.rows.get(word.lower())
        return None if row is None or self.vectors is None else self.vectors[row]


def learn(sentences: Iterable[Sequence[str]], seed: int = 0, min_count: int = MIN_COUNT,
          fold_in: bool = True, dimensions: int = DIMENSIONS, top: int = TOP, branch: int = BRANCH) -> WordClusters:
    """Clusters of the words of `sentences` (each a list of tokens); see the module docstring."""
    sents = [[w.lower() for w in s] for s in sentences]
    counts = Counter(w for s in sents for w in s)
    words = sorted((w for w, n in counts.items() if n >= min_count and _is_word(w)), key=lambda w: (-counts[w], w))
    rare = sorted(w for w, n in counts.items() if n < min_count and _is_word(w)) if fold_in else []
    if len(words) < 2 * branch:
        return WordClusters({})
    top = min(top, max(2, len(words) // 16))  # a small project: fewer, fuller clusters
    row_of = {w: i for i, w in enumerate(words)}
    row_of.update({w: len(words) + i for i, w in enumerate(rare)})
    ctx_words = sorted(counts, key=lambda w: (-counts[w], w))[:CONTEXTS]
    ctx_of = {w: i for i, w in enumerate(ctx_words)}
    rows: list[int] = []
    cols: list[int] = []
    for s in sents:
        padded = ["<s>", "<s>", *s, "</s>", "</s>"]
        for i, w in enumerate(s):
            r = row_of.get(w)
            if r is None:
                continue
            for kind, off in enumerate((-2, -1, 1, 2)):
                c = ctx_of.get(padded[i + 2 + off])
                if c is not None:
                    rows.append(r)
                    cols.append(kind * CONTEXTS + c)
    n_rows, n_cols = len(words) + len(rare), 4 * CONTEXTS
    keys, cnt = np.unique(np.asarray(rows, dtype=np.int64) * n_cols + np.asarray(cols, dtype=np.int64),
                          return_counts=True)
    r_idx, c_idx = keys // n_cols, keys % n_cols
    vals = _ppmi(r_idx, c_idx, cnt.astype(np.float64), n_rows, n_cols, len(words))
    keep = vals > 0
    r_idx, c_idx, vals = r_idx[keep], c_idx[keep], vals[keep]
    known = r_idx < len(words)
    rng = np.random.default_rng(seed)
    u, sing, vt = _randomized_svd(r_idx[known], c_idx[known], vals[known], len(words), n_cols, dimensions, rng)
    emb = np.zeros((n_rows, u.shape[1]))
    emb[:len(words)] = u * np.sqrt(sing)
    if rare:  # fold-in: a row's projection on the right singular vectors, as for a known row
        proj = _matmul(r_idx[~known], c_idx[~known], vals[~known], n_rows, vt.T)
        emb[len(words):] = (proj / np.sqrt(sing))[len(words):]
    norms = np.linalg.norm(emb, axis=1, keepdims=True)
    emb = emb / np.where(norms > 0, norms, 1.0)
    has = norms[:, 0] > 0
    paths = tree(emb[has], top, branch, rng)
    all_words = [*words, *rare]
    kept = [w for w, h in zip(all_words, has) if h]
    return WordClusters({w: p for w, p in zip(kept, paths)}, {w: i for i, w in enumerate(kept)},
                        emb[has].astype(np.float32))


def _is_word(w: str) -> bool:
    return any(ch.isalpha() for ch in w)


def _ppmi(r: IntArray, c: IntArray, n: FloatArray, n_rows: int, n_cols: int, known_rows: int) -> FloatArray:
    """PPMI of the counts; the context distribution (from the known rows) smoothed by 0.75."""
    known = r < known_rows
    row_sum = np.bincount(r, weights=n, minlength=n_rows)
    col = np.bincount(c[known], weights=n[known], minlength=n_cols) ** 0.75
    col_p = col / col.sum()
    pmi = np.log(n / np.maximum(row_sum[r], 1.0)) - np.log(np.maximum(col_p[c], 1e-12))
    out: FloatArray = np.maximum(pmi, 0.0)
    return out


def _matmul(r: IntArray, c: IntArray, v: FloatArray, n_rows: int, x: FloatArray) -> FloatArray:
    """(sparse matrix given by its nonzeros) @ x, column by column (no dense copy)."""
    out = np.empty((n_rows, x.shape[1]))
    for j in range(x.shape[1]):
        out[:, j] = np.bincount(r, weights=v * x[c, j], minlength=n_rows)
    return out


def _randomized_svd(r: IntArray, c: IntArray, v: FloatArray, n_rows: int, n_cols: int, k: int,
                    rng: np.random.Generator, oversample: int = 10,
                    power: int = 2) -> tuple[FloatArray, FloatArray, FloatArray]:
    k = min(k, n_rows - 1, n_cols - 1)
    omega = rng.standard_normal((n_cols, k + oversample))
    q, _ = np.linalg.qr(_matmul(r, c, v, n_rows, omega))
    for _ in range(power):
        z, _ = np.linalg.qr(_matmul(c, r, v, n_cols, q))  # transpose: rows and columns swapped
        q, _ = np.linalg.qr(_matmul(r, c, v, n_rows, z))
    b = _matmul(c, r, v, n_cols, q).T  # (k + oversample) x n_cols = q.T @ M
    ub, s, vt = np.linalg.svd(b, full_matrices=False)
    return (q @ ub)[:, :k], s[:k], vt[:k]


def _kmeans(x: FloatArray, k: int, rng: np.random.Generator) -> IntArray:
    """Cluster of each row of `x` (unit rows: cosine k-means), k-means++ seeded."""
    n = x.shape[0]
    if n <= k:
        return np.arange(n, dtype=np.int64)
    centres = [x[rng.integers(n)]]
    d2 = np.full(n, np.inf)
    for _ in range(1, k):
        d2 = np.minimum(d2, ((x - centres[-1]) ** 2).sum(axis=1))
        total = d2.sum()
        centres.append(x[rng.choice(n, p=d2 / total)] if total > 0 else x[rng.integers(n)])
    cen = np.array(centres)
    assign = np.zeros(n, dtype=np.int64)
    for it in range(ITERATIONS):
        new = np.argmax(x @ cen.T, axis=1)
        if it and np.array_equal(new, assign):
            break
        assign = new
        for j in range(k):
            members = x[assign == j]
            if len(members):
                cen[j] = members.mean(axis=0)
    return assign


def tree(x: FloatArray, top: int, branch: int, rng: np.random.Generator) -> list[tuple[int, ...]]:
    """Three-level cluster paths: `top` clusters, each cut into `branch`, twice."""
    paths: list[tuple[int, ...]] = [() for _ in range(x.shape[0])]
    groups = [np.arange(x.shape[0])]
    for k in (top, branch, branch):
        next_groups = []
        for g in groups:
            assign = _kmeans(x[g], k, rng)
            for j in range(k):
                members = g[assign == j]
                for m in members:
                    paths[m] = (*paths[m], j)
                if len(members):
                    next_groups.append(members)
        groups = next_groups
    return paths
