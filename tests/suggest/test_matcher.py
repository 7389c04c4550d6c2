import unicodedata

import pytest

from annotator.core.errors import InputError
from annotator.suggest.base import Example
from annotator.suggest.gazetteer_file import GazetteerEntry, read_gazetteer
from annotator.suggest.matcher import StringMatcher
from annotator.suggest.tokens import tokenize


def ex(text, lang, *surfaces):
    spans = []
    for surface, label in surfaces:
        start = text.index(surface)
        spans.append((start, start + len(surface), label))
    return Example(text, lang, tuple(spans))


def found(model, text, lang):
    return [(text[s.start:s.end], s.label) for s in model.predict(text, lang)]


def test_bengali_words_match_whole_never_inside_a_longer_word():
    # `re`'s \w would end "ঢাকা" before the vowel sign of "ঢাকায়" and match inside it.
    model = StringMatcher().train({"bn": [ex("ঢাকা শহর বড়", "bn", ("ঢাকা", "ORG"))]})
    assert found(model, "আমি ঢাকায় যাব", "bn") == []
    assert found(model, "ক্ষমতা ঢাকা রাস্তার", "bn") == [("ঢাকা", "ORG")]
    # a word is a token in every script: the virama and vowel signs stay inside
    text = "ক্ষমতা রাস্তার"
    assert [text[a:b] for a, b in tokenize(text)] == ["ক্ষমতা", "রাস্তার"]


def test_vietnamese_matches_composed_and_decomposed_with_offsets_into_the_text():
    nfc = "Hà Nội"
    model = StringMatcher().train({"vi": [ex(f"Thủ đô {nfc} đẹp", "vi", (nfc, "ORG"))]})
    nfd_text = unicodedata.normalize("NFD", f"Tôi ở {nfc} và Nộii")
    sugg = model.predict(nfd_text, "vi")
    assert [(nfd_text[s.start:s.end], s.label) for s in sugg] == [(unicodedata.normalize("NFD", nfc), "ORG")]
    # "Nội" alone is not an entry, and "Nộii" is not "Nội"
    assert len(sugg) == 1


def test_longest_match_wins_and_matches_never_overlap():
    model = StringMatcher().train({"en": [
        ex("The New York Times wrote.", "en", ("New York Times", "ORG")),
        ex("He lives in New York now.", "en", ("New York", "ORG")),
    ]})
    assert found(model, "New York Times and New York.", "en") == [("New York Times", "ORG"), ("New York", "ORG")]


def test_score_is_the_share_of_occurrences_that_got_the_label():
    model = StringMatcher().train({"en": [
        ex("May spoke.", "en", ("May", "PERSON")),
        Example("In May it rained.", "en", ()),
        Example("May I come? May be.", "en", ()),
    ]})
    (s,) = model.predict("May said", "en")
    assert s.label == "PERSON" and s.score == pytest.approx(1 / 5) and s.source == "matcher"
    strict = StringMatcher(min_score=0.3).train({"en": [ex("May spoke.", "en", ("May", "PERSON")),
                                                         Example("In May it rained.", "en", ())]})
    assert strict.predict("May said", "en")[0].score == pytest.approx(1 / 3)
    assert StringMatcher(min_score=0.34).train({"en": [ex("May spoke.", "en", ("May", "PERSON")),
                                                       Example("In May it rained.", "en", ())]}).predict("May", "en") == []


def test_rejections_lower_the_score_of_what_was_rejected():
    text = "Paris Hilton visited Paris."
    labelled = ex(text, "en", ("Paris", "LOC"))
    before = StringMatcher().train({"en": [labelled]}).predict("Paris", "en")[0].score
    rejected = Example(text, "en", labelled.spans, rejected=((21, 26, "LOC"),))
    after = StringMatcher().train({"en": [rejected]}).predict("Paris", "en")[0].score
    assert after < before


def test_imported_gazetteer_entries_match_in_their_language_or_every_language():
    gaz = [GazetteerEntry("NATO", "ORG", ""), GazetteerEntry("ন্যাটো", "ORG", "bn"), GazetteerEntry("Jean", "PERSON", "fr")]
    model = StringMatcher("gazetteer", gaz).train({})
    assert found(model, "NATO et Jean", "fr") == [("NATO", "ORG"), ("Jean", "PERSON")]
    assert found(model, "ন্যাটো ও NATO, Jean", "bn") == [("ন্যাটো", "ORG"), ("NATO", "ORG")]
    assert found(model, "Jean", "en") == []


def test_gazetteer_files_csv_tsv_and_a_bad_line_named(tmp_path):
    csv_file = tmp_path / "g.csv"
    csv_file.write_text('term,label,language\nNATO,ORG,\n"Smith, John",PERSON,en\n', encoding="utf-8")
    assert read_gazetteer(csv_file) == [GazetteerEntry("NATO", "ORG", ""), GazetteerEntry("Smith, John", "PERSON", "en")]
    tsv = tmp_path / "g.tsv"
    tsv.write_text("ঢাকা\tORG\tbn\nEU\tORG\n", encoding="utf-8")
    assert read_gazetteer(tsv) == [GazetteerEntry("ঢাকা", "ORG", "bn"), GazetteerEntry("EU", "ORG", "")]
    bad = tmp_path / "bad.csv"
    bad.write_text("NATO,ORG\nlonely\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.csv: line 2: expected term"):
        read_gazetteer(bad)
    with pytest.raises(InputError, match=r"g\.tsv: line 1: label 'ORG' is not in the project's schema"):
        read_gazetteer(tsv, labels={"PERSON"})
