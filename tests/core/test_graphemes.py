from hypothesis import given
from hypothesis import strategies as st

from annotator.core import graphemes
from tests.conftest import TRICKY


def test_bengali_words_are_whole():
    text = "রাস্তার বাধা ক্ষমতা"
    for word in ("রাস্তার", "বাধা", "ক্ষমতা"):
        start = text.index(word)
        for pos in range(start, start + len(word)):
            assert graphemes.word_at(text, pos) == (start, start + len(word))


def test_conjunct_and_vowel_sign_are_inside_one_cluster():
    text = "ক্ষমতা"  # ক ্ ষ is one cluster (Unicode 15.1 conjunct rule), then ম, then তা
    b = graphemes.boundaries(text)
    assert 1 not in b and 2 not in b  # not after the virama, not between ক and ্
    assert b[-1] == len(text)


def test_emoji_zwj_sequence_is_one_cluster():
    family = "👨\u200d👩\u200d👧"
    assert graphemes.boundaries(family) == [0, len(family)]


def test_crlf_is_one_cluster():
    assert not graphemes.is_boundary("a\r\nb", 2)


@given(st.text(alphabet=st.sampled_from(list("ab \r\n\u0301\u09cd\u0995\u09b7\u09be\u200d") + ["😀", "👩"]),
               max_size=40))
def test_windowed_boundary_check_agrees_with_full_segmentation(text):
    full = set(graphemes.boundaries(text))
    assert {p for p in range(len(text) + 1) if graphemes.is_boundary(text, p)} == full


def test_snap_widens_to_clusters():
    text = "ক্ষমতা"
    assert graphemes.snap(text, 1, 4) == (0, 4)


def test_trim_removes_edge_space_and_punctuation():
    text = TRICKY["fr_nbsp"]
    start, end = graphemes.trim(text, 0, text.index("»") + 1)
    assert text[start:end] == "Bonjour"


def test_numbers_with_group_separators_of_every_seed_language_are_one_word():
    for number in ("4,000", "4.000", "৪,০০০", "4,000.50", "১,২০,০০০", "5,00,000"):
        text = f"about {number} troops"
        start = text.index(number)
        assert graphemes.word_at(text, start + len(number) - 1) == (start, start + len(number)), number
        assert [text[s:e] for s, e in graphemes.words(text)] == ["about", number, "troops"]
    assert graphemes.word_at("৪,০০০টি সেনা", 3) == (0, 7)  # the classifier stays with its number


def test_double_click_takes_numbers_grouped_by_spaces_whole_but_tokens_never_hold_a_space():
    for number in ("4 000", "4\u00a0000", "4\u202f000", "1 234 567,89"):
        text = f"about {number} troops"
        assert graphemes.word_at(text, 7) == (6, 6 + len(number)), number
    # Tokens (agreement, anchors, projection, CoNLL) never hold a space of any kind.
    text = "4\u00a0000 et 4 000"
    assert [text[s:e] for s, e in graphemes.words(text)] == ["4", "000", "et", "4", "000"]


def test_digits_that_are_not_a_grouped_number_stay_apart():
    split = lambda t: [t[s:e] for s, e in graphemes.words(t)]
    assert split("In 2019, 300 people") == ["In", "2019", "300", "people"]
    assert split("1.5 and 1,2,3") == ["1", "5", "and", "1", "2", "3"]
    assert split("4,0001 and 12345,678") == ["4", "0001", "and", "12345", "678"]
    assert split("রাস্তার বাধা দূর করে।") == ["রাস্তার", "বাধা", "দূর", "করে"]


def test_steps_by_cluster_never_land_inside_one():
    text = "A😀B ক্ষমতা 👨\u200d👩\u200d👧"
    edges = graphemes.boundaries(text)
    assert [graphemes.next_boundary(text, p) for p in edges[:-1]] == edges[1:]
    assert [graphemes.previous_boundary(text, p) for p in edges[1:]] == edges[:-1]
    assert graphemes.next_boundary(text, len(text)) == len(text) and graphemes.previous_boundary(text, 0) == 0


def test_word_edges_as_ctrl_arrows_find_them():
    text = "Mircea Geoană met ৪,০০০ সেনা."
    assert graphemes.word_edge(text, 0, True, True) == text.index("Geoană")
    assert graphemes.word_edge(text, text.index("met"), False, True) == text.index("Geoană")
    assert graphemes.word_edge(text, text.index("met") + 3, True, False) == text.index("৪,০০০") + 5
    assert graphemes.word_edge(text, len(text), False, False) == len(text) - 1
    assert graphemes.word_edge(text, len(text) - 1, True, False) is None
    assert graphemes.word_edge(text, 0, False, True) is None


def test_arabic_words_keep_harakat_and_grouped_arabic_numbers_are_one_word():
    from annotator.core.graphemes import snap_to_words, word_at

    text = "وأكّد المتحدث أنّ ٤٬٠٠٠ جندي حاليًا سيُستأنف"
    for word in ("وأكّد", "أنّ", "٤٬٠٠٠", "حاليًا", "سيُستأنف"):
        at = text.index(word)
        assert text[slice(*word_at(text, at + len(word) - 1))] == word
    at = text.index("تحدث")
    assert text[slice(*snap_to_words(text, at, text.index("أنّ") + 1))] == "المتحدث أنّ"


def test_snap_to_words_widens_a_sloppy_extent_and_keeps_edges_outside_words():
    from annotator.core.graphemes import snap_to_words

    text = "Mircea Geoană met today (13 June), with 4,000 troops; রাস্তার বাধা"
    cut = text.index("rcea")
    assert text[slice(*snap_to_words(text, cut, text.index("today") + 3))] == "Mircea Geoană met today"
    assert text[slice(*snap_to_words(text, text.index(",000"), text.index(" troops") + 2))] == "4,000 troops"
    assert text[slice(*snap_to_words(text, text.index("(13"), text.index(")") + 1))] == "13 June"
    assert text[slice(*snap_to_words(text, text.index("াস্"), text.index(" বাধা") + 2))] == "রাস্তার বাধা"
