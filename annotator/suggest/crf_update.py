"""Retraining the CRF after every commit in well under a second: one pass of stochastic
gradient over every annotated sentence, warm-started from the CRF in use.

crfsuite cannot do that at 10,000 sentences (docs/BENCHMARKS.md, "Retraining on 10,000
sentences"): before its first iteration it spends 2.3 s of CPU taking the sentences'
features (`Trainer.append`: a string lookup per attribute, 5 million of them) and 1.1 s
generating its features, at every training, and it cannot start from earlier weights.
Here:

- each sentence's features are kept between trainings as integer attribute ids
  (`Encoded`, kept by crf.CrfUpdater): only a new or changed example (its text or its
  spans) is featurised again;
- the weights start from the CRF in use: the last L-BFGS model crfsuite trained (read
  through `Tagger.info()`) or the last update, and one pass of AdaGrad (a step size per
  weight, shrinking as that weight's gradients add up; its sums are kept between passes)
  goes over every sentence, with the same L1 and L2 penalties as the L-BFGS training (per
  minibatch, in proportion to its share of the sentences);
- forward-backward runs over minibatches of sentences of one length at once (numpy), so
  Python's cost is per minibatch position, not per token.

`LinearCrf` is the model it gives: crfsuite's model as numpy arrays (state weights per
attribute and label, transition weights), which tags with Viterbi and scores with the
marginals as crfsuite's tagger does (the same sums; crfsuite's weights are read to six
decimals), so its suggestions and confidences mean the same. Attributes with the value 1.0 (crfsuite's plain attributes)
are kept sparse; real-valued ones (the word's embedding) as a dense block.
"""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pycrfsuite

Item = Sequence[str] | dict[str, float]  # crfsuite's item: attribute names, or names with values
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

BATCH = 16  # sentences a step: 16 and 32 alike on dev, 200 lost 0.05 F1 (docs/BENCHMARKS.md)
RATE = 0.02  # AdaGrad's step; warm-started, larger steps first undo the L-BFGS optimum (dev)
_ADAGRAD_FLOOR = 1e-8


@dataclass(eq=False)
class Encoded:
    """One sentence's features as integer ids (`sparse`: attribute ids with value 1.0, per
    token `counts[i]` of them in order), its real-valued features as a dense block
    (tokens x dense attributes) and its tags as label ids. Compared and hashed by
    identity: one_pass keeps its minibatches keyed by their sentences. Kept as int32 and
    float32, half the memory (the training process keeps every sentence's)."""

    sparse: npt.NDArray[np.int32]
    counts: npt.NDArray[np.int32]
    dense: npt.NDArray[np.float32]
    tags: Ints


@dataclass(eq=False)
class Vocabulary:
    """Attribute and label names to ids. It only grows, and ids never change: encoded
    sentences stay valid, and the models of successive updates share one vocabulary (a
    model ignores the ids beyond its weights). `uid` names it across processes."""

    attrs: dict[str, int] = field(default_factory=dict)
    dense: dict[str, int] = field(default_factory=dict)  # real-valued attributes
    labels: dict[str, int] = field(default_factory=dict)
    uid: str = field(default_factory=lambda: uuid.uuid4().hex)

    def label(self, name: str) -> int:
        return self.labels.setdefault(name, len(self.labels))

    def encode(self, items: Sequence[Item]) -> tuple[Ints, Ints, list[tuple[int, int, float]]]:
        """(sparse ids, counts per token, (token, dense column, value) triples), the
        vocabulary grown with what it lacked: a new attribute is dense when its value is
        not 1.0."""
        ids: list[int] = []
        counts: list[int] = []
        valued: list[tuple[int, int, float]] = []
        attrs, dense = self.attrs, self.dense
        for t, item in enumerate(items):
            n = 0
            pairs = item.items() if isinstance(item, dict) else ((a, 1.0) for a in item)
            for name, value in pairs:
                if name not in dense and (value == 1.0 or name in attrs):
                    i = attrs.get(name)
                    if i is None:
                        i = attrs[name] = len(attrs)
                    ids.append(i)
                    n += 1
                else:
                    j = dense.get(name)
                    if j is None:
                        j = dense[name] = len(dense)
                    valued.append((t, j, value))
            counts.append(n)
        return np.array(ids, np.int64), np.array(counts, np.int64), valued

    def known(self, items: Sequence[Item]) -> tuple[Ints, Ints, Floats]:
        """What tagging needs, fast (each lookup in C): the known sparse ids, their count
        per token, and the dense block (tokens x dense attributes). An attribute is dense
        when the vocabulary has it as dense, else sparse with the value 1.0 (as crfsuite's
        plain attributes are)."""
        get = self.attrs.get
        per_token = [[i for i in map(get, item) if i is not None] for item in items]
        ids = np.fromiter(itertools.chain.from_iterable(per_token), np.int64)
        counts = np.fromiter(map(len, per_token), np.int64, len(per_token))
        names = list(self.dense)
        if names:
            zeros = itertools.repeat(0.0)
            block = np.array([list(map(item.get, names, zeros)) if isinstance(item, dict) else [0.0] * len(names)
                              for item in items], np.float64).reshape(len(items), len(names))
        else:
            block = np.zeros((len(items), 0))
        return ids, counts, block

    def sentence(self, items: Sequence[Item], tags: Sequence[str]) -> Encoded:
        ids, counts, valued = self.encode(items)
        return Encoded(ids.astype(np.int32), counts.astype(np.int32),
                       _dense_block(len(items), len(self.dense), valued).astype(np.float32),
                       np.array([self.label(t) for t in tags], np.int64))


def _dense_block(n: int, width: int, valued: list[tuple[int, int, float]]) -> Floats:
    block = np.zeros((n, width))
    if valued:
        t, j, v = zip(*valued)
        block[list(t), list(j)] = v
    return block


def _state_scores(weights: Floats, ids: Ints, counts: Ints) -> Floats:
    """Per token, the sum of its sparse attributes' weights (tokens x labels); ids the
    vocabulary gained after these weights were made weigh 0."""
    if len(ids) and counts.min() > 0 and ids.max() < weights.shape[0]:
        return np.add.reduceat(weights[ids], np.r_[0, np.cumsum(counts)[:-1]], axis=0)
    out = np.zeros((len(counts), weights.shape[1]))
    if len(ids):
        rows = np.repeat(np.arange(len(counts)), counts)
        known = ids < weights.shape[0]
        np.add.at(out, rows[known], weights[ids[known]])
    return out


@dataclass
class LinearCrf:
    """A first-order linear-chain CRF as numpy arrays: crfsuite's model, without crfsuite.
    `weights` (attributes x labels), `dense_weights` (dense attributes x labels),
    `transitions` (label from x label to)."""

    vocabulary: Vocabulary
    weights: Floats
    dense_weights: Floats
    transitions: Floats

    @property
    def label_names(self) -> list[str]:
        names = [""] * len(self.vocabulary.labels)
        for name, i in self.vocabulary.labels.items():
            names[i] = name
        return names

    @classmethod
    def empty(cls, vocabulary: Vocabulary) -> LinearCrf:
        k = len(vocabulary.labels)
        return cls(vocabulary, np.zeros((len(vocabulary.attrs), k)), np.zeros((len(vocabulary.dense), k)),
                   np.zeros((k, k)))

    @classmethod
    def from_crfsuite(cls, model_bytes: bytes, vocabulary: Vocabulary) -> LinearCrf:
        """crfsuite's trained weights (every state feature and transition; to six decimals,
        as Tagger.info reads them from crfsuite's dump of the model) in `vocabulary`,
        grown with the model's attributes and labels. Which attributes are real-valued
        crfsuite does not say: give a vocabulary that has encoded the training sentences
        (their real-valued attributes are its dense ones); every other one is sparse."""
        tagger = pycrfsuite.Tagger()
        tagger.open_inmemory(model_bytes)
        info = tagger.info()
        tagger.close()
        for name in tagger_labels(info):
            vocabulary.label(name)
        for (attr, _label) in info.state_features:
            if attr not in vocabulary.dense:
                vocabulary.attrs.setdefault(attr, len(vocabulary.attrs))
        model = cls.empty(vocabulary)
        for (attr, label), w in info.state_features.items():
            k = vocabulary.labels[label]
            i, j = vocabulary.attrs.get(attr), vocabulary.dense.get(attr)
            if i is not None:
                model.weights[i, k] = w
            if j is not None:
                model.dense_weights[j, k] = w
        for (a, b), w in info.transitions.items():
            model.transitions[vocabulary.labels[a], vocabulary.labels[b]] = w
        return model

    def snapshot(self) -> LinearCrf:
        """A copy that later updates of this one leave alone (the vocabulary is shared: it
        only grows, and the copy ignores what it gains)."""
        return LinearCrf(self.vocabulary, self.weights.copy(), self.dense_weights.copy(), self.transitions.copy())

    def wire(self, known: tuple[str, int] | None) -> LinearWire:
        """What another process needs to rebuild this model, given what it already has of
        this vocabulary (its uid and how many attributes): only the attributes it lacks
        cross (pickling the 270,000 names of 10,000 sentences costs 0.1-0.2 s)."""
        start = known[1] if known is not None and known[0] == self.vocabulary.uid else 0
        return LinearWire(self.vocabulary.uid, start, list(itertools.islice(self.vocabulary.attrs, start, len(self.weights))),
                          dict(self.vocabulary.dense), dict(self.vocabulary.labels),
                          self.weights.astype(np.float32), self.dense_weights, self.transitions)

    def fit(self) -> None:
        """Grow the arrays to the vocabulary (new attributes and labels weigh 0)."""
        f, d, k = len(self.vocabulary.attrs), len(self.vocabulary.dense), len(self.vocabulary.labels)
        self.weights = _grown(self.weights, f, k)
        self.dense_weights = _grown(self.dense_weights, d, k)
        self.transitions = _grown(self.transitions, k, k)

    def scores(self, items: Sequence[Item]) -> Floats:
        """State scores of one sentence (tokens x labels); unknown attributes weigh 0."""
        ids, counts, block = self.vocabulary.known(items)
        out = _state_scores(self.weights, ids, counts)
        width = self.dense_weights.shape[0]
        if width:
            out += block[:, :width] @ self.dense_weights
        return out

    def tag(self, items: Sequence[Item]) -> tuple[list[str], list[float], float]:
        """The best tags, each one's marginal probability, and the path's probability."""
        return self.tag_many([items])[0]

    def tag_many(self, sentences: Sequence[Sequence[Item]]) -> list[tuple[list[str], list[float], float]]:
        """tag() of each sentence, computed for all at once (padded to the longest): a
        document's sentences cost about what its longest does in Python."""
        if any(not items for items in sentences):  # an empty sentence: nothing to tag, probability 1
            tagged = iter(self.tag_many([items for items in sentences if items]))
            return [next(tagged) if items else ([], [], 1.0) for items in sentences]
        if not sentences:
            return []
        lens = np.array([len(items) for items in sentences], np.int64)
        labels = self.transitions.shape[0]
        flat = [item for items in sentences for item in items]
        state = self.scores(flat)
        size, longest = len(sentences), int(lens.max())
        pos = np.full((size, longest), len(flat), np.int64)
        starts = np.r_[0, np.cumsum(lens)[:-1]]
        steps = np.arange(longest)
        live = steps[None, :] < lens[:, None]
        pos[live] = (starts[:, None] + steps[None, :])[live]
        scores = np.vstack([state, np.zeros((1, labels))])[pos]  # (sentences, longest, labels)
        path = _viterbi_many(scores, self.transitions, live, lens)
        marginals, log_z = _forward_backward_many(scores, self.transitions, live)
        rows = np.arange(size)[:, None]
        chosen = np.where(live, scores[rows, steps[None, :], path], 0.0).sum(1)
        chosen += np.where(live[:, 1:], self.transitions[path[:, :-1], path[:, 1:]], 0.0).sum(1)
        picked = marginals[rows, steps[None, :], path]
        names = self.label_names
        return [([names[k] for k in path[b, :n]], picked[b, :n].tolist(), float(np.exp(chosen[b] - log_z[b])))
                for b, n in enumerate(lens.tolist())]


def _viterbi_many(scores: Floats, transitions: Floats, live: npt.NDArray[np.bool_], lens: Ints) -> Ints:
    size, longest, labels = scores.shape
    best = scores[:, 0].copy()
    back = np.zeros((size, longest, labels), np.int64)
    for t in range(1, longest):
        s = best[:, :, None] + transitions[None]
        back[:, t] = s.argmax(1)
        best = np.where(live[:, t, None], s.max(1) + scores[:, t], best)  # a sentence that ended keeps its last
    path = np.zeros((size, longest), np.int64)
    cur = best.argmax(1)
    rows = np.arange(size)
    for t in range(longest - 1, -1, -1):
        here = t < lens
        path[:, t] = np.where(here, cur, 0)
        if t:
            cur = np.where(here, back[rows, t, cur], cur)
    return path


def _forward_backward_many(scores: Floats, transitions: Floats, live: npt.NDArray[np.bool_]) -> tuple[Floats, Floats]:
    """Marginals (sentences x longest x labels) and each sentence's log Z, padded positions
    carried through unchanged (scaled forward-backward)."""
    size, longest, _labels = scores.shape
    top = scores.max(2, keepdims=True)
    emit = np.exp(scores - top)
    trans = np.exp(transitions)
    alpha = np.empty_like(emit)
    beta = np.empty_like(emit)
    scale = np.ones((size, longest))
    a = emit[:, 0]
    scale[:, 0] = a.sum(1)
    alpha[:, 0] = a / scale[:, 0, None]
    for t in range(1, longest):
        a = (alpha[:, t - 1] @ trans) * emit[:, t]
        s = np.where(live[:, t], a.sum(1), 1.0)
        scale[:, t] = s
        alpha[:, t] = np.where(live[:, t, None], a / s[:, None], alpha[:, t - 1])
    beta[:, -1] = 1.0
    for t in range(longest - 2, -1, -1):
        nxt = (beta[:, t + 1] * emit[:, t + 1]) @ trans.T / scale[:, t + 1, None]
        beta[:, t] = np.where(live[:, t + 1, None], nxt, 1.0)
    log_z = np.log(scale).sum(1) + np.where(live, top[:, :, 0], 0.0).sum(1)
    return alpha * beta, log_z


@dataclass(frozen=True)
class LinearWire:
    """A LinearCrf as it crosses between processes (LinearCrf.wire): the attributes from
    `start` on, weights as float32 (crfsuite's model files store them as float64; the
    scores differ in the seventh digit)."""

    uid: str
    start: int
    attrs: list[str]
    dense: dict[str, int]
    labels: dict[str, int]
    weights: npt.NDArray[np.float32]
    dense_weights: Floats
    transitions: Floats

    def model(self, have: Vocabulary | None) -> LinearCrf:
        """The model, its vocabulary `have` grown with the new attributes when `have` is the
        one it names and holds the first `start` of them (else the wire must start at 0)."""
        if self.start:
            if have is None or have.uid != self.uid or len(have.attrs) < self.start:
                raise ValueError("the model's vocabulary is not the one its update was made against")
            vocabulary = have
        else:
            vocabulary = have if have is not None and have.uid == self.uid else Vocabulary(uid=self.uid)
        for k, name in enumerate(self.attrs, start=self.start):
            vocabulary.attrs.setdefault(name, k)
        vocabulary.dense.update(self.dense)
        vocabulary.labels.update(self.labels)
        return LinearCrf(vocabulary, self.weights.astype(np.float64), self.dense_weights, self.transitions)


def tagger_labels(info: object) -> list[str]:
    """The labels of a crfsuite model's info, in a stable order."""
    labels = {b for (_a, b) in info.state_features} | {x for pair in info.transitions for x in pair}  # type: ignore[attr-defined]
    return sorted(labels)


def _grown(a: Floats, rows: int, cols: int) -> Floats:
    if a.shape == (rows, cols):
        return a
    out = np.zeros((rows, cols))
    out[:a.shape[0], :a.shape[1]] = a
    return out


@dataclass
class _Batch:
    """Sentences of one length (no padding): the arrays one step needs, built once and
    kept while the same sentences make it up."""

    ids: npt.NDArray[np.int32]
    starts: Ints  # where each token's ids start (every token has one: crfsuite's items carry a bias)
    uniq: Ints  # the distinct ids,
    by_id: Ints  # the tokens of the ids sorted by id,
    id_starts: Ints  # and where each distinct id starts among them (the gradient's sums)
    dense: npt.NDArray[np.float32]  # tokens x dense attributes
    gold: npt.NDArray[np.bool_]  # (sentences, length, labels): the observed tags
    pairs: Floats  # observed transition counts (labels x labels)
    size: int
    length: int


def _batch(sentences: Sequence[Encoded], labels: int) -> _Batch:
    size, length = len(sentences), len(sentences[0].tags)
    ids = np.concatenate([s.sparse for s in sentences])
    counts = np.concatenate([s.counts for s in sentences])
    width = max(s.dense.shape[1] for s in sentences)
    dense = np.zeros((size * length, width), np.float32)
    for k, s in enumerate(sentences):
        dense[k * length:(k + 1) * length, :s.dense.shape[1]] = s.dense
    tags = np.stack([s.tags for s in sentences])
    gold = np.zeros((size, length, labels), bool)
    np.put_along_axis(gold, tags[:, :, None], True, axis=2)
    pairs = np.zeros((labels, labels))
    np.add.at(pairs, (tags[:, :-1].ravel(), tags[:, 1:].ravel()), 1.0)
    rows = np.repeat(np.arange(size * length), counts)
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    first = np.flatnonzero(np.r_[True, sorted_ids[1:] != sorted_ids[:-1]]) if len(ids) else np.zeros(0, np.int64)
    return _Batch(ids, np.r_[0, np.cumsum(counts)[:-1]], sorted_ids[first], rows[order], first, dense, gold, pairs,
                  size, length)


Batches = dict[tuple[object, ...], _Batch]  # one_pass's minibatches, kept for the next pass


@dataclass
class AdaGrad:
    """The running sums of squared gradients, per weight (kept between passes)."""

    weights: Floats
    dense_weights: Floats
    transitions: Floats

    @classmethod
    def like(cls, model: LinearCrf) -> AdaGrad:
        return cls(np.full_like(model.weights, _ADAGRAD_FLOOR), np.full_like(model.dense_weights, _ADAGRAD_FLOOR),
                   np.full_like(model.transitions, _ADAGRAD_FLOOR))

    def fit(self, model: LinearCrf) -> None:
        for name in ("weights", "dense_weights", "transitions"):
            have, want = getattr(self, name), getattr(model, name)
            if have.shape != want.shape:
                grown = np.full_like(want, _ADAGRAD_FLOOR)
                grown[:have.shape[0], :have.shape[1]] = have
                setattr(self, name, grown)


def one_pass(model: LinearCrf, sums: AdaGrad, sentences: Sequence[Encoded], c1: float, c2: float,
             batches_seen: Batches, rate: float = RATE, seed: int = 0) -> None:
    """One pass of AdaGrad over `sentences`, in place, minimising crfsuite's L-BFGS
    objective: the negative log-likelihood + c1 |w| + c2 |w|^2. Minibatches hold
    sentences of one length, in the order given; `batches_seen` keeps them for the next
    pass (keyed by their sentences, which must stay alive meanwhile: a commit changes
    only the batches its sentences are in)."""
    model.fit()
    sums.fit(model)
    labels = model.transitions.shape[0]
    by_length: dict[int, list[Encoded]] = {}
    for s in sentences:
        if len(s.tags) and (not len(s.counts) or s.counts.min() > 0):
            by_length.setdefault(len(s.tags), []).append(s)
    batches = []
    kept: Batches = {}
    for n in sorted(by_length):
        group = by_length[n]
        for k in range(0, len(group), BATCH):
            members = group[k:k + BATCH]
            key = (labels, *members)  # the sentences themselves: an id could be reused once one is freed
            batch = kept[key] = batches_seen.get(key) or _batch(members, labels)
            batches.append(batch)
    batches_seen.clear()
    batches_seen.update(kept)
    random.Random(seed).shuffle(batches)
    # one matrix of every weight (transitions, dense, sparse: all have a column per label),
    # so that a step's AdaGrad update is one operation
    head = labels + model.dense_weights.shape[0]
    params = np.vstack([model.transitions, model.dense_weights, model.weights])
    acc = np.vstack([sums.transitions, sums.dense_weights, sums.weights])
    for batch in batches:
        _step(params, acc, head, labels, batch, batch.size / len(sentences), c1, c2, rate)
    model.transitions, model.dense_weights, model.weights = params[:labels], params[labels:head], params[head:]
    sums.transitions, sums.dense_weights, sums.weights = acc[:labels], acc[labels:head], acc[head:]


def _step(params: Floats, acc: Floats, head: int, labels: int, b: _Batch, share: float, c1: float, c2: float,
          rate: float) -> None:
    """One minibatch: forward-backward over its sentences at once, then AdaGrad."""
    width = b.dense.shape[1]
    weights = params[head:]
    state = np.add.reduceat(weights[b.ids], b.starts, axis=0) + b.dense @ params[labels:labels + width]
    scores = state.reshape(b.size, b.length, labels)
    emit = np.exp(scores - scores.max(2, keepdims=True))
    trans = np.exp(params[:labels])
    alpha = np.empty_like(emit)
    beta = np.empty_like(emit)
    scale = np.empty((b.size, b.length))
    a = emit[:, 0]
    scale[:, 0] = a.sum(1)
    alpha[:, 0] = a / scale[:, 0, None]
    for t in range(1, b.length):
        a = (alpha[:, t - 1] @ trans) * emit[:, t]
        scale[:, t] = a.sum(1)
        alpha[:, t] = a / scale[:, t, None]
    beta[:, -1] = 1.0
    for t in range(b.length - 2, -1, -1):
        beta[:, t] = (beta[:, t + 1] * emit[:, t + 1]) @ trans.T / scale[:, t + 1, None]
    pairs = np.einsum("bti,btj->ij", alpha[:, :-1], beta[:, 1:] * emit[:, 1:] / scale[:, 1:, None]) * trans
    # the gradient of the negative log-likelihood: expected minus observed counts
    per_token = (alpha * beta - b.gold).reshape(-1, labels)
    rows = np.concatenate([np.arange(labels + width), b.uniq + head])
    grad = np.vstack([pairs - b.pairs, b.dense.T @ per_token, np.add.reduceat(per_token[b.by_id], b.id_starts, axis=0)])
    cur = params[rows]
    grad += 2.0 * c2 * share * cur
    total = acc[rows] + grad * grad
    acc[rows] = total
    step = rate / np.sqrt(total)
    new = cur - step * grad
    if c1:  # L1 as a proximal step: a weight that would cross zero stops at it
        new = np.sign(new) * np.maximum(np.abs(new) - step * c1 * share, 0.0)
    params[rows] = new
