"""core.find: what the find bar matches, in code points, on grapheme edges."""

from __future__ import annotations

import unicodedata

from annotator.core.find import find_all


def texts(text: str, query: str, loose: bool = True) -> list[str]:
    return [text[s:e] for s, e in find_all(text, query, loose)]


def test_case_and_accents_loosely_exactly_otherwise():
    text = "Mircea Geoană, GEOANA and geoana."
    assert texts(text, "geoana") == ["Geoană", "GEOANA", "geoana"]
    assert texts(text, "Geoană", loose=False) == ["Geoană"]
    nfd = unicodedata.normalize("NFD", text)
    assert texts(nfd, "geoana")[0] == unicodedata.normalize("NFD", "Geoană")  # the breve comes along


def test_bengali_conjuncts_and_vowel_signs_are_never_cut():
    text = "ক্ষমতা ক কর রাস্তার"
    assert find_all(text, "ক") == [(7, 8), (9, 10)]  # not the ক of the conjunct ক্ষ
    assert texts(text, "রাস্তা") == ["রাস্তা"]  # ends on a cluster edge (before "র")
    assert texts(text, "রাস্ত") == []  # would cut "তা" off its vowel sign
    assert texts("কি", "ক") == []


def test_arabic_harakat_are_ignored_loosely_and_kept_in_the_match():
    text = "قالَ مُحَمَّد إنّ محمد وصل"
    assert texts(text, "محمد") == ["مُحَمَّد", "محمد"]
    assert texts(text, "محمد", loose=False) == ["محمد"]


def test_nothing_to_find():
    assert find_all("abc", "") == [] and find_all("abc", "\u0301") == []


def test_a_limit_keeps_the_first_matches():
    text = "na " * 50
    assert find_all(text, "a", limit=7) == find_all(text, "a")[:7] and len(find_all(text, "a")) == 50
