"""Hugging Face token classification (write only): a new folder that `datasets` loads as is,
`load_dataset(FOLDER)`, with the tag names as a ClassLabel feature.

- `train.jsonl`: one example per line of a document's text that has a token (as CoNLL:
  long texts make long examples otherwise), `{"id", "document", "lang", "tokens",
  "ner_tags"}`, tags as integers;
- `README.md`: a dataset card whose `dataset_info` declares the features, `ner_tags` a
  sequence of `class_label` with the tag names (the documented way a dataset's card
  gives them: https://huggingface.co/docs/hub/datasets-cards), so
  `load_dataset(FOLDER)["train"].features["ner_tags"].feature.names` are the names;
  `load_dataset("json", data_files=".../train.jsonl")` reads the integers with no card;
- `label_names.json`: the names in tag order, for tools that read no card.

The names are "O" and, for each label of the project's schema in its order, the tags of
the scheme (IOB2 by default: B-LABEL, I-LABEL), so exports of one project share their tag
numbers whatever labels a document uses. Tokens and what tags cannot hold are those of
the CoNLL export (formats.conll), counted the same way.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import orjson

from annotator.core.errors import AnnotatorError
from annotator.core.records import DocumentRecord
from annotator.formats import conll
from annotator.formats.base import Format, WriteResult

NAME = "hf"
DATA = "train.jsonl"
CARD = "README.md"
NAMES = "label_names.json"
_PREFIXES = {"iob2": "BI", "iob1": "BI", "bioes": "BIES", "bilou": "BILU"}


def tag_names(labels: Sequence[str], scheme: str = "iob2") -> list[str]:
    return ["O"] + [f"{p}-{label}" for label in labels for p in _PREFIXES[scheme]]


def write(records: Iterable[DocumentRecord], folder: Path, *, labels: Sequence[str] = (), scheme: str = "iob2",
          tokenise: str = "words") -> WriteResult:
    """Fills the new `folder`. `labels` are the schema's in order (any other label a span
    has is added after them, in order of appearance)."""
    if scheme not in conll.WRITE_SCHEMES:
        raise AnnotatorError(f"unknown tag scheme {scheme!r}; one of {', '.join(conll.WRITE_SCHEMES)}")
    names = tag_names(labels, scheme)
    number = {name: i for i, name in enumerate(names)}
    lost: Counter[str] = Counter()
    n = examples = 0
    with open(folder / DATA, "wb") as out:
        for rec in records:
            for k, (line, tags) in enumerate(conll.tagged_lines(rec, scheme, tokenise, lost), 1):
                for tag in tags:
                    if tag not in number:  # a label the schema lacks: its tags after the others
                        for extra in tag_names([tag[2:]], scheme)[1:]:
                            if extra not in number:
                                number[extra] = len(names)
                                names.append(extra)
                out.write(orjson.dumps({"id": f"{rec.id}-{k}", "document": rec.id, "lang": rec.lang,
                                        "tokens": [rec.text[s:e] for s, e in line],
                                        "ner_tags": [number[t] for t in tags]}) + b"\n")
                examples += 1
            n += 1
    (folder / NAMES).write_text(json.dumps(names, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / CARD).write_text(card(names, examples), encoding="utf-8")
    return WriteResult(n, conll.lost_lines(lost),
                       notes=[f"{examples} example(s) (one per line of text) from {n} document(s); "
                              f"{len(names)} tag names in {CARD} and {NAMES}"])


def card(names: Sequence[str], examples: int) -> str:
    """The dataset card: YAML `dataset_info` (the features, the split) and a line of text."""
    label_lines = "".join(f"          '{i}': {json.dumps(name, ensure_ascii=False)}\n"
                          for i, name in enumerate(names))
    return ("---\n"
            "dataset_info:\n"
            "  features:\n"
            "  - name: id\n    dtype: string\n"
            "  - name: document\n    dtype: string\n"
            "  - name: lang\n    dtype: string\n"
            "  - name: tokens\n    sequence: string\n"
            "  - name: ner_tags\n    sequence:\n      class_label:\n        names:\n"
            f"{label_lines}"
            "  splits:\n"
            f"  - name: train\n    num_examples: {examples}\n"
            "configs:\n"
            "- config_name: default\n"
            f"  data_files:\n  - split: train\n    path: {DATA}\n"
            "task_categories:\n- token-classification\n"
            "---\n\n"
            "Token classification data exported by annotator: `load_dataset(\"PATH/TO/THIS/FOLDER\")`.\n")


def _sniff(path: Path, head: bytes) -> bool:
    return False  # written only: never the format of a file to import


FORMAT = Format(NAME, "Hugging Face token classification (write only): a folder, train.jsonl with tokens and "
                      "integer ner_tags, the tag names in its dataset card (README.md) and label_names.json",
                (), _sniff, None, write, writes_folder=True)
