"""Measures the accuracy of language identification against the length of text it reads
(core.langid.MAX_CHARS, the start of a document that decides its language), on WikiANN
sentences. The figures behind MAX_CHARS.

    python bench/langid_length.py [WIKIANN_FOLDER]   # default /work/shared/data/wikiann

For each language of the folder (en, fr, de, nl: <lang>/train) a fixed random sample of
sentences is joined into documents of 40 sentences (about 2,000 characters, longer than
any cap tried but the last); each is identified from its first N characters with each project language list of bench/langid_margin.py. A
document is right when the language decided is the one of its file. Printed per cap: the
mean accuracy over every (list, language), the worst (list, language) and the CPU time.
The data stay in the folder, nothing is copied.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from _common import ROOT  # noqa: F401  (puts the checkout on sys.path)
from langid_margin import PROJECTS, sentences

from annotator.core import langid

CAPS = (100, 200, 300, 400, 600, 800, 1000, 1500, 20000)
DOCS = 150  # documents per language
PER_DOC = 40  # sentences per document


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else "/work/shared/data/wikiann")
    langs = sorted(p.parent.name for p in folder.glob("*/train"))
    if not langs:
        print(f"{folder}: no <lang>/train files", file=sys.stderr)
        return 1
    rng = random.Random(2)
    docs = {}
    for lang in langs:
        picked = rng.sample(sentences(folder / lang / "train"), DOCS * PER_DOC)
        docs[lang] = [" ".join(picked[i:i + PER_DOC]) for i in range(0, len(picked), PER_DOC)]
    size = sum(len(d) for ds in docs.values() for d in ds) / sum(len(ds) for ds in docs.values())
    print(f"{DOCS} documents per language ({', '.join(langs)}), {size:.0f} characters on average")
    langid.identify("The model loads once, before the clock starts.")
    keep = langid.MAX_CHARS
    print("cap (chars)  mean accuracy  worst (list, language)        CPU s")
    try:
        for cap in CAPS:
            langid.MAX_CHARS = cap
            scores, cpu = [], time.process_time()
            for project in PROJECTS:
                for lang in langs:
                    guesses = [langid.identify(d, project) for d in docs[lang]]
                    scores.append((sum(g.lang == lang for g in guesses) / len(guesses), project, lang))
            cpu = time.process_time() - cpu
            worst = min(scores)
            mean = sum(s for s, _p, _l in scores) / len(scores)
            print(f"{cap:>11}  {mean:13.4f}  {worst[0]:.3f} ({','.join(worst[1])}; {worst[2]}){'':<4} {cpu:6.2f}")
    finally:
        langid.MAX_CHARS = keep
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
