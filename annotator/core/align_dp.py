"""The dynamic programme shared by the sentence aligners: the cheapest monotone path of
blocks (moves such as 1-1, 2-1, 1-0) through an n x m grid of source and target
sentences, given a vectorised cost per move.

Long documents are searched in a band around the expected diagonal (from the two texts'
cumulative lengths): row i only considers target positions within `width` of it. If the
best path runs along the band's edge, the diagonal was off (a long passage missing on
one side, or lengths drifting): the search is redone around that path, then with a band
twice as wide, up to the whole grid. Short documents (FULL_GRID cells or fewer) are
searched in full.

The caller may cancel between rows (`cancelled()` returning True raises
AlignmentCancelled) and is told the progress (`progress(done, total)`) every few rows.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

FULL_GRID = 400 * 400  # cells searched without a band
START_WIDTH = 48  # half-width of the first band, in sentences
PROGRESS_EVERY = 64  # rows between progress reports

# cost(i, di, dj, js) -> costs of the blocks a[i - di:i] x b[j - dj:j] for each j in js
MoveCost = Callable[[int, int, int, np.ndarray], np.ndarray]


class AlignmentCancelled(Exception):
    """The caller's cancelled() said stop; nothing was computed."""


def bands_for(centre: np.ndarray, m: int, width: int | None, upper: np.ndarray | None = None) -> list[tuple[int, int]]:
    """(lo, hi) inclusive target range per row: `width` either side of centre (or of the
    range centre..upper), overlapping so that a path exists."""
    n = len(centre) - 1
    if width is None:
        return [(0, m)] * (n + 1)
    upper = centre if upper is None else upper
    lo = np.clip(np.floor(centre).astype(int) - width, 0, m)
    hi = np.clip(np.ceil(upper).astype(int) + width, 0, m)
    lo[0], hi[n] = 0, m
    for i in range(1, n + 1):  # each row must reach back to the previous one
        lo[i] = min(max(lo[i], lo[i - 1]), hi[i - 1])
    for i in range(n - 1, -1, -1):
        hi[i] = max(min(hi[i], hi[i + 1]), lo[i + 1])
    return [(int(a), int(b)) for a, b in zip(lo, hi)]


def path_rows(path: list[tuple[int, int, int, int]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """For each row 0..n, the lowest and highest target position a path visits there."""
    lo = np.full(n + 1, np.inf)
    hi = np.full(n + 1, -np.inf)
    for i0, i1, j0, j1 in path:
        for i in range(i0, i1 + 1):
            lo[i] = min(lo[i], j0)
            hi[i] = max(hi[i], j1)
    return lo, hi


def best_path(n: int, m: int, moves: list[tuple[int, int, float]], cost: MoveCost,
              bands: list[tuple[int, int]], cancelled: Callable[[], bool] | None = None,
              progress: Callable[[int, int], None] | None = None) -> tuple[list[tuple[int, int, int, int]], bool]:
    """The cheapest path as (i0, i1, j0, j1) blocks, and whether it touched the band's edge
    (so a wider band might find a cheaper one). `moves` are (di, dj, fixed cost)."""
    inf = np.inf
    rows: list[np.ndarray] = []
    backs: list[np.ndarray] = []
    sideways = [(k, dj, c) for k, (di, dj, c) in enumerate(moves) if di == 0]
    downward = [(k, di, dj, c) for k, (di, dj, c) in enumerate(moves) if di > 0]
    for i in range(n + 1):
        if cancelled is not None and cancelled():
            raise AlignmentCancelled
        if progress is not None and i % PROGRESS_EVERY == 0:
            progress(i, n)
        lo, hi = bands[i]
        js = np.arange(lo, hi + 1)
        best = np.full(len(js), inf)
        back = np.full(len(js), -1, dtype=np.int8)
        if i == 0:
            best[0] = 0.0
        for k, di, dj, fixed in downward:
            if i < di:
                continue
            plo, phi = bands[i - di]
            pj = js - dj
            ok = (pj >= plo) & (pj <= phi)
            if not ok.any():
                continue
            sel = np.nonzero(ok)[0]
            prev = rows[i - di][pj[sel] - plo]
            finite = np.isfinite(prev)
            if not finite.any():
                continue
            sel, prev = sel[finite], prev[finite]
            c = prev + fixed + cost(i, di, dj, js[sel])
            better = c < best[sel]
            best[sel[better]] = c[better]
            back[sel[better]] = k
        for k, dj, fixed in sideways:  # dj == 1: a running minimum along the row
            step = np.zeros(len(js))
            if len(js) > 1:
                step[1:] = fixed + cost(i, 0, dj, js[1:])
            acc = np.cumsum(step)
            run = np.minimum.accumulate(best - acc) + acc
            take = run < best - 1e-9
            best = np.where(take, run, best)
            back[take] = k
        rows.append(best)
        backs.append(back)
    if progress is not None:
        progress(n, n)
    path, touched = [], False
    i, j = n, m
    while i or j:
        lo, hi = bands[i]
        touched |= (j == lo and lo > 0) or (j == hi and hi < m)
        k = int(backs[i][j - lo])
        if k < 0:  # cannot happen: bands_for keeps a path of single steps open
            raise RuntimeError("no alignment path")
        di, dj, _ = moves[k]
        path.append((i - di, i, j - dj, j))
        i, j = i - di, j - dj
    path.reverse()
    return path, touched


def align_path(n: int, m: int, moves: list[tuple[int, int, float]], cost_for_bands: Callable[[list[tuple[int, int]]], MoveCost],
               centre: np.ndarray, cancelled: Callable[[], bool] | None = None,
               progress: Callable[[int, int], None] | None = None) -> list[tuple[int, int, int, int]]:
    """best_path over the whole grid when it is small, else in a band around `centre`.
    When the path runs along the band's edge, the search is redone around that path (as
    vecalign refines a coarse path), with the band twice as wide if it was already
    centred on a path, until the path keeps off the edge. `cost_for_bands(bands)` makes
    the move cost for a band (costs may precompute per band)."""
    width = None if (n + 1) * (m + 1) <= FULL_GRID else START_WIDTH
    lower, upper, on_path = centre, None, False
    while True:
        bands = bands_for(lower, m, width, upper)
        path, touched = best_path(n, m, moves, cost_for_bands(bands), bands, cancelled, progress)
        if width is None or not touched or width >= max(n, m):
            return path
        if on_path:
            width *= 2
        lower, upper = path_rows(path, n)
        on_path = True


def diagonal(len_a: np.ndarray, len_b: np.ndarray) -> np.ndarray:
    """For each source position i (0..n), the target position the two texts'
    cumulative lengths put beside it."""
    n, m = len(len_a), len(len_b)
    ca = np.concatenate([[0.0], np.cumsum(len_a)])
    cb = np.concatenate([[0.0], np.cumsum(len_b)])
    if n == 0 or m == 0 or ca[-1] == 0 or cb[-1] == 0:
        return np.linspace(0, m, n + 1)
    centre: np.ndarray = np.interp(ca / ca[-1] * cb[-1], cb, np.arange(m + 1, dtype=float))
    return centre
