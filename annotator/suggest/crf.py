"""A CRF tagger per language (python-crfsuite): BIO tags over tokens (tokens.py), the
features of features.py, spans decoded from the Viterbi path and scored by the CRF's
marginal probabilities (a span's score is the least sure of its tokens).

Texts are cut into sentences (core/sentences.py) for training and tagging; a labelled
span that crosses a cut joins the two sentences, so no span is ever cut in training.
Models are trained to memory (crfsuite writes a file; its bytes are kept and the file
removed), so a model can be stored, handed to another thread as bytes, or pickled from
the process that trained it (crf_job.py).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import pycrfsuite
import regex

from annotator.core.sentences import split_sentences
from annotator.suggest.base import Example, Suggestion
from annotator.suggest.corpus_stats import CorpusModel
from annotator.suggest.crf_update import AdaGrad, Batches, Encoded, LinearCrf, Vocabulary, one_pass
from annotator.suggest.features import sequence_features, with_vectors
from annotator.suggest.gazetteer_file import GazetteerEntry
from annotator.suggest.matcher import MatcherModel, StringMatcher
from annotator.suggest.tokens import tokenize

Tokens = list[tuple[int, int]]


@dataclass(frozen=True)
class CrfSettings:
    """Training settings (bench/bench_suggest.py tuned them on a dev split of the training
    sentences, never on the test split): L1/L2 penalties and the L-BFGS iteration cap,
    which bounds the training time."""

    # crfsuite's training algorithm: "lbfgs" (L1/L2-regularised), or "ap" (averaged
    # perceptron: no penalties, far fewer passes needed)
    algorithm: str = "lbfgs"
    c1: float = 0.05
    # 0.2 (was 0.05): on the dev split en 500 / 1,000 / 5,000 +0.010 / +0.002 / +0.004 F1,
    # de 500 / 1,000 -0.002 / -0.004 with 0.01 fewer keys a span at 500 (docs/BENCHMARKS.md)
    c2: float = 0.2
    max_iterations: int = 150
    # features seen fewer times than this are left out: fewer features, faster training
    min_freq: int = 1
    min_score: float = 0.0
    # crfsuite's feature.possible_states: every (attribute, label) pair, not only those the
    # training data had (negative weights too)
    possible_states: bool = False

    @classmethod
    def fast(cls) -> CrfSettings:
        """Averaged perceptron, 10 passes, features seen twice or more: about a quarter
        of the default's training time for about 0.01-0.03 less F1 (bench_suggest.py)."""
        return cls(algorithm="ap", max_iterations=10, min_freq=2)


# A piece of text ending in an ordinal's dot ("1. FC Köln", "Wilhelm II. ( Hessen )",
# "Hugh FitzRoy , 11. Duke of Grafton"): the tagger does not cut there. A cut in a name
# breaks the span for good, a cut missed only makes one sequence longer.
_ORDINAL_END = regex.compile(r"(?:^|[\s(])(?:\d{1,3}|[IVXLC]{1,6})\.$")


def _sentences(text: str, lang: str, spans: Sequence[tuple[int, int, str]] = ()) -> list[tuple[int, int]]:
    cuts = split_sentences(text, lang)
    merged: list[tuple[int, int]] = []
    for a, b in cuts:
        if merged and (any(s < merged[-1][1] and e > a for s, e, _ in spans)  # a span crosses the cut
                       or _ORDINAL_END.search(text, max(0, merged[-1][1] - 8), merged[-1][1])):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def bio_tags(tokens: Tokens, spans: Sequence[tuple[int, int, str]]) -> list[str]:
    """B-/I-/O tags of `tokens` for character `spans`; a token only partly inside a span
    is O (the span does not follow token edges there)."""
    tags = ["O"] * len(tokens)
    if not tokens:
        return tags
    lo, hi = tokens[0][0], tokens[-1][1]
    for s, e, label in spans:
        if e <= lo or s >= hi:
            continue
        first = True
        for i, (a, b) in enumerate(tokens):
            if a >= s and b <= e:
                tags[i] = ("B-" if first else "I-") + label
                first = False
    return tags


def decode(tokens: Tokens, tags: Sequence[str]) -> list[tuple[int, int, str, int, int]]:
    """(start, end, label, first token, last token) of each span of a BIO path; an I-
    without its B- (or after another label) starts a span, as crfsuite may emit one."""
    out: list[tuple[int, int, str, int, int]] = []
    cur: list[int | str] | None = None
    for i, tag in enumerate(tags):
        if tag.startswith("I-") and cur is not None and cur[2] == tag[2:]:
            cur[1], cur[4] = tokens[i][1], i
            continue
        if cur is not None:
            out.append(tuple(cur))  # type: ignore[arg-type]
            cur = None
        if tag != "O":
            cur = [tokens[i][0], tokens[i][1], tag[2:], i, i]
    if cur is not None:
        out.append(tuple(cur))  # type: ignore[arg-type]
    return out


class CrfModel:
    """Trained taggers by language; `model_bytes` holds each one's crfsuite model, `linear`
    the languages' models updated since (CrfUpdater), which tag instead where present."""

    def __init__(self, name: str, model_bytes: dict[str, bytes], gazetteer: MatcherModel | None,
                 min_score: float = 0.0, corpus: Mapping[str, CorpusModel] | None = None,
                 linear: Mapping[str, LinearCrf] | None = None) -> None:
        self.name = name
        self.model_bytes = model_bytes
        self._gazetteer = gazetteer
        self.min_score = min_score
        self.corpus = dict(corpus or {})  # the corpus model each language's tagger was trained with
        self.linear = dict(linear or {})
        self._taggers: dict[str, pycrfsuite.Tagger] = {}

    @property
    def languages(self) -> set[str]:
        return set(self.model_bytes) | set(self.linear)

    def __getstate__(self) -> dict[str, object]:
        """Pickled without its taggers (crfsuite's are not picklable; each process and
        thread opens its own from the model bytes): trained in a child process, a model
        crosses to the window's process this way (worker_process.py)."""
        return {k: v for k, v in self.__dict__.items() if k != "_taggers"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._taggers = {}

    def _tagger(self, lang: str) -> pycrfsuite.Tagger | None:
        if lang not in self.model_bytes:
            return None
        if lang not in self._taggers:
            tagger = pycrfsuite.Tagger()
            tagger.open_inmemory(self.model_bytes[lang])
            self._taggers[lang] = tagger
        return self._taggers[lang]

    def _tag(self, text: str, lang: str) -> list[tuple[Tokens, list[str], list[float], float]]:
        """Per sentence: tokens, best tags, each tag's marginal and the path's probability
        (read before the next sentence replaces the tagger's input)."""
        linear = self.linear.get(lang)
        tagger = None if linear is not None else self._tagger(lang)
        if linear is None and tagger is None:
            return []
        sentences = sentence_items(text, lang, (), self._gazetteer, self.corpus.get(lang))
        if linear is not None:
            tagged = linear.tag_many([items for _toks, items in sentences])
            return [(toks, *found) for (toks, _items), found in zip(sentences, tagged, strict=True)]
        out = []
        for toks, items in sentences:
            assert tagger is not None
            tagger.set(items)
            tags = tagger.tag()
            marginals = [tagger.marginal(t, k) for k, t in enumerate(tags)]
            out.append((toks, tags, marginals, tagger.probability(tags)))
        return out

    def predict(self, text: str, lang: str) -> list[Suggestion]:
        out = []
        for toks, tags, marginals, _p in self._tag(text, lang):
            for s, e, label, i, j in decode(toks, tags):
                score = min(marginals[i:j + 1])
                if score >= self.min_score:
                    out.append(Suggestion(s, e, label, score, self.name))
        return out

    def confidence(self, text: str, lang: str) -> float:
        """The marginal probability of the least sure token of `text` under the best tagging
        (1.0 when there is nothing to tag): active learning asks about the lowest first. The
        least sure token, not the whole path's probability, which falls with length alone and
        would send the longest sentences first."""
        return min((min(m) for _t, _tags, m, _p in self._tag(text, lang)), default=1.0)


def sentence_items(text: str, lang: str, spans: Sequence[tuple[int, int, str]], gazetteer: MatcherModel | None,
                   corpus: CorpusModel | None) -> list[tuple[Tokens, list[list[str]] | list[dict[str, float]]]]:
    """Each sentence's tokens and crfsuite items (the features of each token): what the
    tagger is trained on and tags."""
    out = []
    for a, b in _sentences(text, lang, spans):
        found = _sentence_items(text, a, b, lang, gazetteer, corpus)
        if found is not None:
            out.append(found)
    return out


def _sentence_items(text: str, a: int, b: int, lang: str, gazetteer: MatcherModel | None, corpus: CorpusModel | None
                    ) -> tuple[Tokens, list[list[str]] | list[dict[str, float]]] | None:
    toks = tokenize(text, a, b)
    if not toks:
        return None
    words = [text[s:e] for s, e in toks]
    return toks, with_vectors(words, sequence_features(words, gazetteer_tags(gazetteer, text, lang, toks), corpus),
                              corpus)


def gazetteer_tags(gazetteer: MatcherModel | None, text: str, lang: str, toks: Tokens) -> list[str] | None:
    """BIO tags of the imported gazetteer's matches over `toks` (a feature, not a label)."""
    if gazetteer is None:
        return None
    a, b = toks[0][0], toks[-1][1]
    hits = [(s.start + a, s.end + a, s.label) for s in gazetteer.predict(text[a:b], lang)]
    return bio_tags(toks, hits)


class CrfTagger:
    """Recommender: one CRF per language trained on the examples' spans. An imported
    gazetteer, if any, gives features (its hits), not labels; so does the corpus model of
    the language's texts (corpus_stats.py), if given."""

    def __init__(self, name: str = "crf", settings: CrfSettings = CrfSettings(),
                 gazetteer: Sequence[GazetteerEntry] = (), corpus: Mapping[str, CorpusModel] | None = None) -> None:
        self.name = name
        self.settings = settings
        self.gazetteer = list(gazetteer)
        self.corpus = dict(corpus or {})

    def train(self, examples: Mapping[str, Sequence[Example]]) -> CrfModel:
        gaz = StringMatcher("gazetteer", self.gazetteer).train({}) if self.gazetteer else None
        models: dict[str, bytes] = {}
        for lang, exs in examples.items():
            if not any(ex.spans for ex in exs):
                continue  # nothing to learn a label from
            trainer = pycrfsuite.Trainer(algorithm=self.settings.algorithm, verbose=False)
            params: dict[str, float | int | bool] = {"max_iterations": self.settings.max_iterations,
                                                     "feature.minfreq": self.settings.min_freq,
                                                     "feature.possible_transitions": True,
                                                     "feature.possible_states": self.settings.possible_states}
            if self.settings.algorithm == "lbfgs":
                params.update(c1=self.settings.c1, c2=self.settings.c2)
            trainer.set_params(params)
            for ex in exs:
                for toks, items in sentence_items(ex.text, lang, ex.spans, gaz, self.corpus.get(lang)):
                    trainer.append(items, bio_tags(toks, ex.spans))
            models[lang] = _train_to_bytes(trainer)
        return CrfModel(self.name, models, gaz, self.settings.min_score,
                        {lang: c for lang, c in self.corpus.items() if lang in models})


def _train_to_bytes(trainer: pycrfsuite.Trainer) -> bytes:
    fd, path = tempfile.mkstemp(suffix=".crfsuite")
    os.close(fd)
    try:
        trainer.train(path)
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)


@dataclass
class _Warm:
    """One language's state between updates: the vocabulary and each sentence's encoded
    features (keyed by its text and spans), the model and its AdaGrad sums, and the
    crfsuite model it started from."""

    vocabulary: Vocabulary
    cache: dict[tuple[str, tuple[tuple[int, int, str], ...]], list[Encoded]]  # by example: its sentences
    batches: Batches = field(default_factory=dict)  # crf_update.one_pass's
    origin: bytes | None = None
    model: LinearCrf | None = None
    sums: AdaGrad | None = None
    corpus: str | None = None  # the corpus model's digest the cache was encoded with
    gazetteer: MatcherModel | None = None


class CrfUpdater:
    """The CRF retrained after a commit in a fraction of a second (crf_update.py): the
    model in use, warm-started, one pass of AdaGrad over every annotated sentence with
    the L-BFGS training's penalties. Kept between commits (the GUI keeps it in its training
    process, crf_job.py): each sentence's features are encoded once, so a commit featurises
    only the sentences it changed."""

    def __init__(self, settings: CrfSettings = CrfSettings()) -> None:
        self.settings = settings
        self._langs: dict[str, _Warm] = {}

    def update(self, base: CrfModel, examples: Mapping[str, Sequence[Example]]) -> CrfModel:
        """`base` (a crfsuite-trained CrfModel, or one this updater gave) updated on
        `examples`; a language `base` has no model for keeps having none."""
        linear = dict(base.linear)
        for lang, state, encoded in self._prepared(base, examples):
            assert state.model is not None and state.sums is not None
            one_pass(state.model, state.sums, encoded, self.settings.c1, self.settings.c2, state.batches)
            linear[lang] = state.model.snapshot()
        return CrfModel(base.name, base.model_bytes, base._gazetteer, base.min_score, base.corpus, linear)

    def prime(self, base: CrfModel, examples: Mapping[str, Sequence[Example]]) -> None:
        """Encode `examples` and start from `base`, so that the first update after a
        training featurises only what changed since (done right after the training, in
        the background: 3-5 s of CPU at 10,000 sentences)."""
        for _ in self._prepared(base, examples):
            pass

    def _prepared(self, base: CrfModel, examples: Mapping[str, Sequence[Example]]
                  ) -> Iterator[tuple[str, _Warm, list[Encoded]]]:
        for lang, exs in examples.items():
            if lang not in base.model_bytes:
                continue
            state = self._langs.get(lang)
            corpus = base.corpus.get(lang)
            digest = corpus.digest if corpus is not None else None
            if state is None or state.corpus != digest or state.gazetteer is not base._gazetteer:
                state = self._langs[lang] = _Warm(Vocabulary(), {}, corpus=digest, gazetteer=base._gazetteer)
            encoded = self._encode(state, exs, lang, base._gazetteer, corpus)
            if state.model is None or state.origin is not base.model_bytes[lang]:
                state.origin = base.model_bytes[lang]
                state.model = LinearCrf.from_crfsuite(state.origin, state.vocabulary)
                state.sums = AdaGrad.like(state.model)
            yield lang, state, encoded

    @staticmethod
    def _encode(state: _Warm, exs: Sequence[Example], lang: str, gazetteer: MatcherModel | None,
                corpus: CorpusModel | None) -> list[Encoded]:
        cache: dict[tuple[str, tuple[tuple[int, int, str], ...]], list[Encoded]] = {}
        out = []
        for ex in exs:
            key = (ex.text, ex.spans)
            hit = cache.get(key) or state.cache.get(key)
            if hit is None:
                hit = []
                for a, b in _sentences(ex.text, lang, ex.spans):
                    found = _sentence_items(ex.text, a, b, lang, gazetteer, corpus)
                    if found is not None:
                        hit.append(state.vocabulary.sentence(found[1], bio_tags(found[0], ex.spans)))
            cache[key] = hit
            out += hit
        state.cache = cache  # examples no longer annotated are forgotten
        return out
