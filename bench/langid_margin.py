"""Measures the accuracy of language identification against the preference margin of
core.langid (how far behind the most likely language a project language may be and still
be chosen), on WikiANN sentences. The figures behind PREFERENCE_MARGIN.

    python bench/langid_margin.py [WIKIANN_FOLDER]   # default /work/shared/data/wikiann; about a minute

For each language of the folder (en, fr, de, nl: <lang>/train, CoNLL columns with
`xx:` token prefixes) a fixed random sample of sentences is joined into texts of 1 and 5
sentences; each project language list below is tried with each margin. A text is right
when the language decided is the one of its file. Both kinds of error count: a text of a
listed language lost to a neighbour (margin too small) and a text of an unlisted language
taken for a listed one (margin too large). The mean over every (list, language, length)
is printed per margin; the data stay in the folder, nothing is copied.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from _common import ROOT  # noqa: F401  (puts the checkout on sys.path)

from annotator.core import langid

PROJECTS = (("bn", "vi", "fr", "sr", "en"), ("de", "nl"), ("en", "de"), ("fr", "nl"), ("en", "fr", "de", "nl"))
MARGINS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.7)
SAMPLE = 3000  # sentences per language
LENGTHS = (1, 5)  # sentences per text


def sentences(path: Path) -> list[str]:
    out, tokens = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if tokens:
                out.append(" ".join(tokens))
                tokens = []
            continue
        token = line.split("\t")[0]
        tokens.append(token.split(":", 1)[1] if ":" in token else token)
    if tokens:
        out.append(" ".join(tokens))
    return out


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else "/work/shared/data/wikiann")
    langs = sorted(p.parent.name for p in folder.glob("*/train"))
    if not langs:
        print(f"{folder}: no <lang>/train files", file=sys.stderr)
        return 1
    rng = random.Random(1)
    samples = {lang: rng.sample(sentences(folder / lang / "train"), SAMPLE) for lang in langs}
    ident = langid._identifier()
    totals = {m: [] for m in MARGINS}
    print("project languages  text  k  " + "  ".join(f"{m:>5}" for m in MARGINS))
    for lang in langs:
        for k in LENGTHS:
            texts = [" ".join(samples[lang][i:i + k]) for i in range(0, SAMPLE, k)][:600]
            ranked = []
            for text in texts:
                size = max(1, len(text.encode("utf-8")))
                ranked.append(([(la, s / size) for la, s in ident.rank(text)]))
            for project in PROJECTS:
                accs = []
                for m in MARGINS:
                    right = 0
                    for r in ranked:
                        best_lang, best = r[0]
                        chosen, score = next(((la, s) for la, s in r if la in project), r[0])
                        right += (chosen if best - score <= m else best_lang) == lang
                    accs.append(right / len(ranked))
                    totals[m].append(accs[-1])
                print(f"{','.join(project):<17}  {lang:<4}  {k}  " + "  ".join(f"{a:.3f}" for a in accs))
    means = {m: sum(v) / len(v) for m, v in totals.items()}
    print("mean                        " + "  ".join(f"{means[m]:.3f}" for m in MARGINS))
    best = max(means, key=lambda m: means[m])
    print(f"best margin {best} (mean accuracy {means[best]:.3f}); core.langid uses {langid.PREFERENCE_MARGIN} "
          f"({means.get(langid.PREFERENCE_MARGIN, float('nan')):.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
