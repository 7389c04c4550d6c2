"""Sentence splitting on the real seed texts and on the hard strings of tests/conftest.py."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.sentences import split_sentences
from annotator.paths import seeds_dir
from tests.conftest import TRICKY


def seed(prefix: str) -> tuple[str, str]:
    manifest = json.loads((seeds_dir() / "manifest.json").read_text(encoding="utf-8"))
    entry = next(d for d in manifest["documents"] if d["id"].startswith(prefix))
    return (seeds_dir() / entry["file"]).read_text(encoding="utf-8"), entry["lang"]


def sentences(text: str, lang: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text, lang)]


def check_cover(text: str, ranges: list[tuple[int, int]]) -> None:
    """In order, trimmed, non-empty, disjoint, and every non-space character inside one."""
    covered = set()
    last = 0
    for a, b in ranges:
        assert last <= a < b <= len(text)
        assert not text[a].isspace() and not text[b - 1].isspace()
        covered.update(range(a, b))
        last = b
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_sentences_cover_the_text_and_never_cross_a_line(prefix):
    text, lang = seed(prefix)
    ranges = split_sentences(text, lang)
    check_cover(text, ranges)
    assert all("\n" not in text[a:b] for a, b in ranges)


def test_serbian_ordinal_and_year_dots_inside_a_sentence():
    text, lang = seed("003")
    got = sentences(text, lang)
    # "za 2023. godinu", "31. decembra", "1999. godine." are one sentence each, ended by
    # the dot of the last one only.
    assert sum("za 2023. godinu generalni sekretar Alijanse Jens Stoltenberg." in s for s in got) == 1
    assert any(s.startswith("U izvještaju se napominje") and "od 31. decembra približno 4.700" in s
               and s.endswith("rezervni sastav.") for s in got)
    assert any(s.endswith("Savjeta bezbednosti UN iz 1999. godine.") for s in got)
    assert sentences("Sastanak je održan 13. juna 2023. Sutra je novi.", "sr") == [
        "Sastanak je održan 13. juna 2023.", "Sutra je novi."]
    assert sentences("Rok je 13. 6. 2023. godine.", "sr") == ["Rok je 13. 6. 2023. godine."]


def test_initials_and_titles_before_a_name_do_not_end_a_sentence():
    fr, _ = seed("002")
    assert any(s.startswith("Selon M. Geoana, les dirigeants") for s in sentences(fr, "fr"))
    en, _ = seed("004")
    assert any(s.startswith("Mr. Geoana recalled that") for s in sentences(en, "en"))
    assert sentences("Ông gặp TS. Nguyễn Văn An hôm qua. Sau đó về.", "vi") == [
        "Ông gặp TS. Nguyễn Văn An hôm qua.", "Sau đó về."]
    assert sentences("He met J. Smith and the U.S. envoy. Then he left.", "en") == [
        "He met J. Smith and the U.S. envoy.", "Then he left."]


def test_a_unit_after_a_number_ends_a_sentence_before_a_capital_and_an_initial_does_not():
    # Text+Berg's French: "... 6200 m. Elles ..." is two sentences; the one letter before
    # the dot is a unit (units take no dot), not an initial as in "M. Geoana".
    assert sentences("Ils ont gravi six sommets de 5800 à 6200 m. Elles étaient guidées.", "fr") == [
        "Ils ont gravi six sommets de 5800 à 6200 m.", "Elles étaient guidées."]
    assert sentences("Le mur fait 8847,60 m. Il a été mesuré.", "fr") == ["Le mur fait 8847,60 m.", "Il a été mesuré."]
    assert sentences("Il reste 5 m. de corde. Voir p. 83 et le n° 3 J. Smith.", "fr") == [
        "Il reste 5 m. de corde.", "Voir p. 83 et le n° 3 J. Smith."]
    assert sentences("Selon M. Geoana et B52 m. Dupont, rien.", "fr") == ["Selon M. Geoana et B52 m. Dupont, rien."]


def test_bengali_danda_ends_and_the_abbreviation_dot_does_not():
    text, lang = seed("000")
    got = sentences(text, lang)
    assert sum(s.endswith("।") for s in got) >= 9
    assert "জানিয়েছেন। তাদের" not in "".join(got)  # cut between the two
    assert sentences("ড. ইউনূস ক্ষমতা নিয়ে বলেন। রাস্তার বাধা সরানো হয়।", "bn") == [
        "ড. ইউনূস ক্ষমতা নিয়ে বলেন।", "রাস্তার বাধা সরানো হয়।"]


def test_paragraph_breaks_end_sentences_but_a_hard_wrapped_line_does_not():
    text = "NATO met the EU\r\n\r\nThe talks\ncontinued today. A\u2029Next"
    assert sentences(text, "en") == ["NATO met the EU", "The talks\ncontinued today.", "A", "Next"]


def test_french_quotes_with_nbsp_stay_with_their_sentence():
    text = "Il a dit «\u00a0Nous restons.\u00a0» Puis il est parti\u00a0! Fin"
    assert sentences(text, "fr") == ["Il a dit «\u00a0Nous restons.\u00a0»", "Puis il est parti\u00a0!", "Fin"]


def test_offsets_are_code_points_with_astral_characters():
    text = "A😀B is here. " + TRICKY["emoji_zwj"] + ". Next one."
    ranges = split_sentences(text, "en")
    assert [text[a:b] for a, b in ranges][-1] == "Next one."
    check_cover(text, ranges)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list(TRICKY.values()) + [". ", "। ", "\n", "M. ", "13. ", "Ab. Cd", " "]),
                max_size=12), st.sampled_from(["en", "fr", "sr", "bn", "vi"]))
def test_any_text_is_covered(parts, lang):
    text = "".join(parts)
    check_cover(text, split_sentences(text, lang))


def test_a_line_ending_a_clause_ends_the_sentence_even_before_a_lower_case_line():
    # One sentence per line (as aligned corpora and lists are written): the break after
    # ":" or ";" is real; a line ending mid-clause is still hard-wrapped.
    text = "Trois sources d'erreurs :\na ) la réfraction ;\nb ) la déviation.\nLa suite\ncontinue ici."
    assert sentences(text, "fr") == ["Trois sources d'erreurs :", "a ) la réfraction ;", "b ) la déviation.",
                                     "La suite\ncontinue ici."]


def test_a_line_with_nothing_to_translate_is_a_sentence_of_its_own_unless_inside_a_wrapped_sentence():
    # OCR debris under a caption (Text+Berg's French: "f r", ",r" / "m" / "é » ."): each
    # line stays apart, so the caption is not joined to the debris below it.
    caption = "Kangchenjunga ( Kangchendzönga ) Arête nord , vue du voisinage du sommet\nf r\n10 - Photo Indian Air Force"
    assert sentences(caption, "fr") == ["Kangchenjunga ( Kangchendzönga ) Arête nord , vue du voisinage du sommet",
                                        "f r", "10 - Photo Indian Air Force"]
    assert sentences("JfV\n,r\nm\né » .\nâ", "fr") == ["JfV", ",r", "m", "é » .", "â"]
    # Debris inside a hard-wrapped sentence stays inside it, and a wrapped paragraph stays whole.
    assert sentences("Grâce aux cordes fixes , l' arête\nh * \"\nest atteinte rapidement .", "fr") == [
        "Grâce aux cordes fixes , l' arête\nh * \"\nest atteinte rapidement ."]
    assert sentences("Les cordes fixes menaient à une\narête atteinte rapidement.", "fr") == [
        "Les cordes fixes menaient à une\narête atteinte rapidement."]


def test_punctuation_alone_is_no_sentence():
    # "Endlich . ." is a spaced ellipsis, not "Endlich ." and "."; "' )" closes the sentence before it.
    assert sentences("Endlich . .\nLager 4 !", "de") == ["Endlich . .", "Lager 4 !"]
    assert sentences("( ,Das ist bestimmt kein Bär ! ' )\nDann ging es weiter .", "de") == [
        "( ,Das ist bestimmt kein Bär ! ' )", "Dann ging es weiter ."]
    # A line of punctuation is still a line of its own (a row of dots between two paragraphs).
    assert sentences("Der Tag endete .\n.....\nAm Morgen ging es weiter .", "de") == [
        "Der Tag endete .", ".....", "Am Morgen ging es weiter ."]


def test_a_bracket_opened_on_a_line_and_closed_on_the_next_keeps_the_lines_one_sentence():
    # Text+Berg's German wraps a reference across lines after "( Zürich :": the break
    # sits inside the bracket, so it ends no sentence, even before a capital.
    text = ("Das Buch von Jean Franco ( « Makalu » , Grenoble-Paris :\nB.Arthaud ) , das jetzt ( Zürich :\n"
            "Orell Füssli 1956 ) vorliegt , bringt nichts Neues .\nDer Makalu ist hoch .")
    assert sentences(text, "de") == [
        "Das Buch von Jean Franco ( « Makalu » , Grenoble-Paris :\nB.Arthaud ) , das jetzt ( Zürich :\n"
        "Orell Füssli 1956 ) vorliegt , bringt nichts Neues .", "Der Makalu ist hoch ."]
    # Brackets closed on their own line, or opened and never closed on the next, leave the break a cut.
    assert sentences("Der Makalu ( 8481 m ) .\nDas Buch ( 1956 ) ist gut .", "de") == [
        "Der Makalu ( 8481 m ) .", "Das Buch ( 1956 ) ist gut ."]
    assert sentences("Lager 3 ( Felssporn :\nDann ging es weiter .", "de") == ["Lager 3 ( Felssporn :",
                                                                               "Dann ging es weiter ."]
    assert sentences("Ende .\nNeu ) hier .", "de") == ["Ende .", "Neu ) hier ."]
