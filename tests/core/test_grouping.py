"""Translation-group suggestions on the seeds: 001, 002 and 004 together, 000 and 003
left out, whatever the order, with look-alike documents added."""

from __future__ import annotations

import random

from annotator.core.grouping import THRESHOLD, pair_scores, suggest_groups
from tests.core.test_sentences import seed

IDS = {"000": "000_00eeb79877075e28", "001": "001_4b158e7d9e1f12f6", "002": "002_348658bd2cc7c365",
       "003": "003_9d79371e2d62a488", "004": "004_8ff92d06c738168c"}
STORY = (IDS["001"], IDS["002"], IDS["004"])

# Same world (NATO, KFOR, Kosovo, the EU, Belgrade and Pristina, Geoana), another story.
OTHER_STORY = (
    "NATO Secretary General Jens Stoltenberg visited KFOR troops in Pristina on 2 March 2022. He met "
    "Kosovo's leaders and later travelled to Belgrade. The EU and NATO discussed the mission, which then "
    "had 3,800 soldiers from 28 countries. Deputy Secretary General Mircea Geoana spoke in Brussels on "
    "4 April 2022 about the Western Balkans and the OSCE.")


def seed_docs() -> list[tuple[str, str, str]]:
    return [(IDS[p], *reversed(seed(p))) for p in sorted(IDS)]


def test_the_seed_translations_form_one_group():
    got = suggest_groups(seed_docs())
    assert [g.documents for g in got] == [STORY]
    assert THRESHOLD <= got[0].score <= 1


def test_the_order_of_the_documents_does_not_matter():
    docs = seed_docs()
    for n in range(5):
        random.Random(n).shuffle(docs)
        assert [g.documents for g in suggest_groups(docs)] == [STORY]


def test_a_related_story_is_not_taken_for_a_translation():
    docs = seed_docs() + [("other_en", "en", OTHER_STORY), ("other_fr", "fr", OTHER_STORY.replace("and", "et"))]
    got = suggest_groups(docs)
    assert STORY in [g.documents for g in got]
    assert all("other_en" not in g.documents or "other_fr" in g.documents for g in got)
    scores = pair_scores(docs)
    # Not to the seeds: below every pair of the real group.
    seeds_best = max(v for k, v in scores.items() if "other_en" in k and "other_fr" not in k)
    assert seeds_best < min(scores[(IDS["001"], IDS["002"])], scores[(IDS["002"], IDS["004"])],
                            scores[(IDS["001"], IDS["004"])])


def test_two_versions_in_one_language_are_never_grouped():
    text, lang = seed("004")
    docs = seed_docs() + [("004_copy", lang, text + "\nAn extra line.")]
    assert all(k != (IDS["004"], "004_copy") for k in pair_scores(docs))
    for g in suggest_groups(docs):
        langs = [lg for d, lg, _t in docs if d in g.documents]
        assert len(langs) == len(set(langs))


def test_a_short_made_up_translation_pair_is_found():
    en = ("The council met in Oslo on 3 March 2021 and approved 4,250 posts. Maria Lindqvist chaired it. "
          "The budget reached 17.5 million.")
    fr = ("Le conseil s'est réuni à Oslo le 3 mars 2021 et a approuvé 4 250 postes. Maria Lindqvist l'a "
          "présidé. Le budget a atteint 17,5 millions.")
    docs = seed_docs() + [("x_fr", "fr", fr), ("x_en", "en", en)]
    groups = [g.documents for g in suggest_groups(docs)]
    assert ("x_en", "x_fr") in groups and STORY in groups
