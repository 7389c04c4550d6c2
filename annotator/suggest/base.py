"""The one interface every recommender keeps, and the plain values it trades in.

A recommender is trained on examples grouped by language and returns a model; a model
predicts suggestions for one text in one language. A stronger recommender (a spaCy
pipeline, a model the user points at) plugs in by implementing these two methods.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Suggestion:
    """A proposed span: code-point offsets into the text, a label, a score in [0, 1]
    (higher is surer) and the name of the source that proposed it."""

    start: int
    end: int
    label: str
    score: float
    source: str


@dataclass(frozen=True)
class Example:
    """One annotated text: its spans (start, end, label) are the whole truth about it
    (a text with no spans says "no entity here"); `rejected` holds spans (start, end,
    label) a reviewer refused, negative evidence for the matcher."""

    text: str
    lang: str
    spans: tuple[tuple[int, int, str], ...]
    rejected: tuple[tuple[int, int, str], ...] = field(default=())


@dataclass(frozen=True)
class LayerDocument:
    """One annotator's layer of one document, as the store reads it for training."""

    document: str
    lang: str
    text: str
    annotator: str
    spans: tuple[tuple[int, int, str], ...]


class Model(Protocol):
    name: str

    def predict(self, text: str, lang: str) -> list[Suggestion]:
        """Suggestions for `text`, sorted by start; none overlap within one model."""
        ...


class Recommender(Protocol):
    name: str

    def train(self, examples: Mapping[str, Sequence[Example]]) -> Model:
        """A model from {language: examples}; languages without examples predict nothing."""
        ...
