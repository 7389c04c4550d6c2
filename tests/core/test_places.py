"""Places kept packed across an import (issue 18): every place comes back as it was."""

import sys

from annotator.core.places import Places

PLACES = ["/tmp/corpus.jsonl: line 12", "/tmp/corpus.jsonl: line 1", "/tmp/other.jsonl: line 12",
          "/tmp/corpus.jsonl: line 100000", "document d1", "document bench-00007", "line 0", "no number", "",
          "7", "x" + "9" * 30, "Đoạn văn: line 3", "file 12 of 13"]


def test_every_place_comes_back_the_same_string():
    places = Places()
    packed = [places.pack(w) for w in PLACES]
    assert [places.unpack(p) for p in packed] == PLACES
    assert [places.unpack(places.pack(w)) for w in reversed(PLACES)] == PLACES[::-1]


def test_a_line_of_a_file_is_a_small_int():
    places = Places()
    where = "/tmp/bench/out/corpus_100000_20240601_v1.jsonl: line 99999"
    packed = places.pack(where)
    assert isinstance(packed, int) and sys.getsizeof(packed) <= 32 < sys.getsizeof(where)
    assert places.pack(where.replace("99999", "100000")) != packed
