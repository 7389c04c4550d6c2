import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.fold import fold
from tests.conftest import TRICKY


def test_vietnamese_nfc_and_nfd_fold_the_same():
    nfc = "Phó Tổng thư ký gặp Đại diện"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    assert fold(nfc) == fold(nfd) == "pho tong thu ky gap dai dien"
    assert fold(TRICKY["vi_nfd"]) == fold(unicodedata.normalize("NFC", TRICKY["vi_nfd"])) == "pho tong thu ky"


def test_romanian_and_vietnamese_names():
    assert fold("Geoană") == fold("GEOANA") == fold("geoana") == "geoana"
    assert fold("Đ") == fold("đ") == "d"


def test_french_accents_and_nbsp():
    assert fold("sécurité à l’Élysée") == "securite a l’elysee"
    assert fold("«\u00a0Bonjour\u00a0»") == "« bonjour »"
    assert fold("Ça ŒUVRE naïve") == "ca œuvre naive"


def test_serbian_latin():
    assert fold("Čačak ćevap Šabac Žabljak Đorđe") == "cacak cevap sabac zabljak dorde"
    assert fold("Godišnji izvještaj") == "godisnji izvjestaj"


@pytest.mark.parametrize("word", ["রাস্তার", "ক্ষমতা", "বাধা", "ন্যাটো-নেতৃত্বাধীন", "কেএফওআর"])
def test_bengali_is_unchanged(word):
    # fold() answers in NFD (both sides of a search are folded); nothing is removed.
    assert unicodedata.normalize("NFC", fold(word)) == word


def test_bengali_keeps_every_mark():
    # Vowel signs, virama and nukta are letters' parts: dropping them would merge words.
    assert fold("রাস্তার") != fold("রস্তর")
    assert fold("কো") == fold("\u0995\u09c7\u09be")  # precomposed o-sign == e-sign + aa-sign


def test_cyrillic_casefolds_but_stays_cyrillic():
    folded = fold(TRICKY["sr_cyrillic_e"])  # "ЕU i NATO" with a Cyrillic Е
    assert folded == "\u0435u i nato"
    assert folded[0] != "e"  # not turned into Latin
    assert fold("Ёлка") == "елка"  # Cyrillic accents go like Latin ones


def test_greek_tonos_goes():
    assert fold("Αθήνα") == fold("ΑΘΗΝΑ") == "αθηνα"


def test_case_mappings_with_marks():
    assert fold("İstanbul") == "istanbul"
    assert fold("Straße") == "strasse"


def test_white_space_runs_become_one_space():
    assert fold("line one\r\nline  two\u2029x\tz") == "line one line two x z"


def test_emoji_and_zwj_survive():
    assert fold(TRICKY["emoji_zwj"]) == "a😀b 👨\u200d👩\u200d👧 done"


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_nfc_and_nfd_always_agree(text):
    assert fold(unicodedata.normalize("NFC", text)) == fold(unicodedata.normalize("NFD", text))


def _fold_whole(text: str) -> str:
    """fold as it was written first, on the whole text at once: the reference."""
    import unicodedata

    from annotator.core.fold import _DIACRITICS, _NO_DECOMPOSITION, _one_space

    if text.isascii():
        return _one_space(text.lower())
    folded = _DIACRITICS.sub("", unicodedata.normalize("NFD", text.casefold()))
    for letter, plain in _NO_DECOMPOSITION:
        folded = folded.replace(letter, plain)
    return _one_space(folded)


# Marks that are dropped and kept (Bengali vowel signs, nukta, virama), white space of
# several kinds, letters with context-free and special case mappings, ZWJ.
_PIECES = " \u00a0\t\n\u2028\u0301\u0300\u0323\u09bc\u09cd\u09c7\u09be\u0995abIİßΣςĐđé\u1ec7\u200d"


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=_PIECES, max_size=12) | st.text(max_size=12))
def test_folding_word_by_word_equals_folding_the_whole_text(text):
    assert fold(text) == _fold_whole(text)


def test_the_hard_strings_fold_as_the_whole_text_does():
    for text in TRICKY.values():
        assert fold(text) == _fold_whole(text)
        assert fold(text) == fold(text)  # the second time from the cache
