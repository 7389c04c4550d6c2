"""Offsets in other tools' units (core.units): UTF-16 code units and grapheme clusters to
and from code points, None where a position is no boundary in the other unit."""

from hypothesis import given
from hypothesis import strategies as st

from annotator.core import units
from annotator.core.graphemes import boundaries


def test_utf16_counts_astral_characters_twice():
    text = "a😀b𝐀"
    to16 = units.to_unit(text, "utf16")
    assert [to16(i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 6]
    back = units.from_unit(text, "utf16")
    assert [back(u) for u in range(7)] == [0, 1, None, 2, 3, None, 4]  # 2 and 5: inside a surrogate pair
    assert back(7) is None and back(-1) is None


def test_graphemes_count_a_cluster_once():
    text = "ক্ষমe\u0301😀"
    assert units.from_unit(text, "graphemes")(2) == 4 and units.to_unit(text, "graphemes")(6) == 3


@given(st.lists(st.sampled_from(["a", " ", "😀", "e\u0301", "\r\n", "\u0915\u094d\u0937", "👨\u200d👩"]), max_size=30))
def test_every_boundary_goes_there_and_back(pieces):
    text = "".join(pieces)
    for unit in units.UNITS:
        to, back = units.to_unit(text, unit), units.from_unit(text, unit)
        for pos in boundaries(text):
            assert back(to(pos)) == pos
