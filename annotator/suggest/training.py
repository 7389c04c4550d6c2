"""From the project's layers to training examples, and the recommenders trained together.

Every annotator's layer of a document is an example; where the gold layer has the
document, gold alone is used (it is the adjudicated truth, and the annotators' layers of
that document would teach their disagreements back)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from annotator.core.identity import GOLD_ANNOTATOR
from annotator.core.sentences import split_sentences
from annotator.suggest.base import Example, LayerDocument, Suggestion
from annotator.suggest.combine import combine
from annotator.suggest.corpus_stats import CorpusModel, corpus_model
from annotator.suggest.crf import CrfModel, CrfSettings, CrfTagger
from annotator.suggest.gazetteer_file import GazetteerEntry
from annotator.suggest.matcher import MatcherModel, StringMatcher


def examples_by_language(layers: Iterable[LayerDocument],
                         rejected: dict[str, set[tuple[int, int, str]]] | None = None) -> dict[str, list[Example]]:
    """{language: examples}, gold winning over the other layers of the same document;
    `rejected` ({document: {(start, end, label)}}) rides along as negative evidence."""
    by_doc: dict[str, list[LayerDocument]] = defaultdict(list)
    for layer in layers:
        by_doc[layer.document].append(layer)
    out: dict[str, list[Example]] = defaultdict(list)
    for doc, docs in by_doc.items():
        gold = [d for d in docs if d.annotator == GOLD_ANNOTATOR]
        refused = tuple(sorted((rejected or {}).get(doc, ())))
        for d in gold or docs:
            out[d.lang].append(Example(d.text, d.lang, d.spans, refused))
    return dict(out)


def texts_by_language(documents: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """{language: texts} of (language, text) pairs: what Suggester.train's `texts` wants."""
    out: dict[str, list[str]] = defaultdict(list)
    for lang, text in documents:
        out[lang].append(text)
    return dict(out)


def corpus_models(examples: Mapping[str, Sequence[Example]],
                  texts: Mapping[str, Sequence[str]] | None) -> dict[str, CorpusModel]:
    """The corpus model of each language with examples: learnt from the project's texts of
    that language (annotated or not), or from the examples' texts when none are given.
    Cached while the texts stay the same (corpus_stats.corpus_model)."""
    out = {}
    for lang, exs in examples.items():
        corpus = (texts or {}).get(lang) or [ex.text for ex in exs]
        if any(ex.spans for ex in exs):
            out[lang] = corpus_model(corpus)
    return out


MATCHER = "matcher"  # the name of the matcher of the labelled surfaces


def train_crf(examples: Mapping[str, Sequence[Example]], gazetteer: Sequence[GazetteerEntry] = (),
              settings: CrfSettings = CrfSettings(), texts: Mapping[str, Sequence[str]] | None = None) -> CrfModel:
    """The CRF of Suggester.train alone: its corpus models, features and crfsuite training,
    the part that costs seconds (the GUI runs it in a child process, crf_job.py)."""
    return CrfTagger("crf", settings, gazetteer, corpus_models(examples, texts)).train(examples)


class Suggester:
    """The trained recommenders of a project: the matcher over what the annotators
    labelled, an imported gazetteer's matcher, and the CRF, merged by combine()."""

    def __init__(self, models: Sequence[MatcherModel | CrfModel], crf_first: bool = False) -> None:
        self.models = list(models)
        # The CRF's spans win overlaps with the matcher's when both were trained on the same
        # layers (Suggester.train): the matcher then only adds spans where the CRF has none.
        # On the dev split the matcher's hits are less precise than the CRF's (en at 1,000
        # pool sentences: 0.43 against 0.61), and letting the surer score win lost F1 and
        # keys. After a commit (retrain.py) the matcher knows newer labels than the CRF,
        # so there the surer score wins again.
        self.crf_first = crf_first

    @classmethod
    def train(cls, examples: dict[str, list[Example]], gazetteer: Sequence[GazetteerEntry] = (),
              settings: CrfSettings = CrfSettings(), matcher_min_score: float = 0.5,
              texts: Mapping[str, Sequence[str]] | None = None) -> Suggester:
        """`texts`: {language: every document text of the project}, annotated or not, for
        the CRF's corpus features (corpus_texts); without them the examples' texts serve."""
        return cls.of(examples, train_crf(examples, gazetteer, settings, texts), gazetteer, matcher_min_score)

    @classmethod
    def of(cls, examples: Mapping[str, Sequence[Example]], crf: CrfModel, gazetteer: Sequence[GazetteerEntry] = (),
           matcher_min_score: float = 0.5) -> Suggester:
        """The string matchers trained on `examples` beside a CRF trained elsewhere (the
        GUI trains it in a child process, crf_job.py; `train` here and now)."""
        return cls([*cls.matchers(examples, gazetteer, matcher_min_score), crf], crf_first=True)

    @staticmethod
    def matchers(examples: Mapping[str, Sequence[Example]], gazetteer: Sequence[GazetteerEntry] = (),
                 matcher_min_score: float = 0.5) -> list[MatcherModel | CrfModel]:
        """The string matchers of `of`, trained on their own (the GUI trains them while the
        CRF is updated in its process)."""
        models: list[MatcherModel | CrfModel] = [StringMatcher(MATCHER, min_score=matcher_min_score).train(examples)]
        if gazetteer:
            models.append(StringMatcher("gazetteer", gazetteer, min_score=matcher_min_score).train(examples))
        return models

    def suggest(self, text: str, lang: str, existing: Sequence[tuple[int, int]] = (),
                rejected: set[tuple[int, int, str]] | frozenset[tuple[int, int, str]] = frozenset(),
                extra: Sequence[Suggestion] = ()) -> list[Suggestion]:
        """The merged suggestions of every model for `text`, with `extra` ones (an imported
        source's) merged in as one more source."""
        predictions = [m.predict(text, lang) for m in self.models]
        if self.crf_first:
            crf = [s for m, p in zip(self.models, predictions) if isinstance(m, CrfModel) for s in p]
            predictions = [p if isinstance(m, CrfModel) or m.name != MATCHER else
                           [s for s in p if not any(c.start < s.end and s.start < c.end for c in crf)]
                           for m, p in zip(self.models, predictions)]
        return combine([*predictions, extra], existing, rejected)

    def confidence(self, text: str, lang: str) -> float:
        """The CRF's confidence in `text` (active learning: least confident first)."""
        crf = [m for m in self.models if isinstance(m, CrfModel)]
        return crf[0].confidence(text, lang) if crf else 1.0


def languages_of(suggester: Suggester | None) -> set[str]:
    """The languages the CRF has a model for."""
    if suggester is None:
        return set()
    return {lang for m in suggester.models if isinstance(m, CrfModel) for lang in m.model_bytes}


def sentence_confidences(suggester: Suggester, text: str, lang: str) -> list[tuple[int, int, float]]:
    """(start, end, confidence) of each sentence of `text` with a word in it."""
    out = []
    for a, b in split_sentences(text, lang):
        if text[a:b].strip():
            out.append((a, b, suggester.confidence(text[a:b], lang)))
    return out


def document_confidence(suggester: Suggester, text: str, lang: str) -> float | None:
    """The mean of its sentences' confidences, so a long document is not sent first for its
    length alone; None in a language the CRF has no model for."""
    if lang not in languages_of(suggester):
        return None
    scores = [c for _a, _b, c in sentence_confidences(suggester, text, lang)]
    return sum(scores) / len(scores) if scores else None
