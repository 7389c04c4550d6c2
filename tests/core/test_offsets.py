import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.offsets import OffsetMap

# Astral characters, combining marks, ZWJ, CR/LF, NBSP, U+2028/9, Bengali and ASCII.
ALPHABET = st.sampled_from(
    list("aZ \r\n\u00a0\u2028\u2029\u200d\u0301\u09cd\u0995\u09b7\ufeff") + ["😀", "👩", "𝔘", "\U0001f3fd", "\U00010348"]
)
TEXTS = st.text(alphabet=ALPHABET, max_size=60) | st.text(max_size=60)


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def qt_length(s: str) -> int:
    """What a Qt text document counts: UTF-16 units, CR LF as one separator, no leading BOM."""
    return utf16_len(s.replace("\r\n", "\r").removeprefix("\ufeff"))


@given(TEXTS)
def test_code_points_to_widget_positions_and_back(text):
    m = OffsetMap.for_text(text)
    assert m.display_length == qt_length(text)
    for cp in range(len(text) + 1):
        pos = m.to_display(cp)
        assert pos == qt_length(text[:cp])
        inside_crlf = 0 < cp < len(text) and text[cp - 1] == "\r" and text[cp] == "\n"
        before_dropped_bom = cp == 0 and text.startswith("\ufeff")  # maps to after it
        if not (inside_crlf or before_dropped_bom):
            assert m.from_display(pos) == cp


@given(TEXTS)
def test_every_widget_position_maps_to_a_code_point_boundary(text):
    m = OffsetMap.for_text(text)
    for pos in range(m.display_length + 1):
        try:
            cp = m.from_display(pos)
        except ValueError:
            continue  # inside a surrogate pair (checked below)
        assert m.to_display(cp) == pos


@given(TEXTS)
def test_code_points_to_utf16_and_back(text):
    m = OffsetMap.for_text(text, fold_crlf=False)
    assert m.utf16_length == utf16_len(text)
    for cp in range(len(text) + 1):
        u = m.to_utf16(cp)
        assert u == utf16_len(text[:cp])
        assert m.from_utf16(u) == cp


@given(TEXTS)
def test_positions_inside_a_surrogate_pair_are_refused(text):
    m = OffsetMap.for_text(text, fold_crlf=False)
    inside = {utf16_len(text[:i]) + 1 for i, ch in enumerate(text) if ord(ch) > 0xFFFF}
    for u in range(m.utf16_length + 1):
        if u in inside:
            with pytest.raises(ValueError, match="surrogate pair"):
                m.from_utf16(u)
        else:
            assert utf16_len(text[: m.from_utf16(u)]) == u


def test_crlf_is_one_widget_position():
    m = OffsetMap.for_text("a\r\nb😀c")
    assert [m.to_display(i) for i in range(7)] == [0, 1, 2, 2, 3, 5, 6]
    assert m.from_display(2) == 3  # after the separator: the b
    assert m.from_display(3) == 4


def test_the_b_of_a_emoji_b():
    m = OffsetMap.for_text("A😀B")
    assert (m.from_utf16(3), m.from_utf16(4)) == (2, 3)
    assert (m.to_utf16(2), m.to_utf16(3)) == (3, 4)


def test_out_of_range_is_an_error():
    m = OffsetMap.for_text("abc")
    with pytest.raises(ValueError):
        m.to_utf16(4)
    with pytest.raises(ValueError):
        m.from_utf16(-1)

