"""CoNLL / IOB columns (issue 13): reading every tag scheme into exact offsets, writing
with the app's words, and saying what CoNLL cannot hold."""

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.errors import AnnotatorError, InputError
from annotator.core.records import DocumentRecord, EventRecord, SpanRecord
from annotator.formats import conll

# From the CoNLL-2003 shared task paper, section 3 "Data format" (Tjong Kim Sang and
# De Meulder 2003, "Introduction to the CoNLL-2003 Shared Task: Language-Independent
# Named Entity Recognition", https://aclanthology.org/W03-0419/): word, part-of-speech
# tag, chunk tag, named-entity tag, in IOB1 (I- everywhere, B- only between two
# entities of the same type). The document mark is that of the task's data files.
CONLL_2003 = """-DOCSTART- -X- O O

U.N. NNP I-NP I-ORG
official NN I-NP O
Ekeus NNP I-NP I-PER
heads VBZ I-VP O
for IN I-PP O
Baghdad NNP I-NP I-LOC
. . O O
"""


def read(text: str, name: str = "f.conll", **options) -> conll.ReadResult:
    return conll.read(Path(name), text.encode("utf-8"), **options)


def spans(rec: DocumentRecord) -> list[tuple[str, str]]:
    return [(rec.text[s.start:s.end], s.label) for s in rec.spans]


def write(records, **options) -> tuple[str, conll.WriteResult]:
    out = io.BytesIO()
    result = conll.write(records, out, **options)
    return out.getvalue().decode("utf-8"), result


def test_the_conll_2003_example_reads_as_iob1_with_exact_spans():
    result = read(CONLL_2003)
    [(where, rec)] = result.records
    assert where == "f.conll: line 3"
    assert rec.text == "U.N. official Ekeus heads for Baghdad ."
    assert spans(rec) == [("U.N.", "ORG"), ("Ekeus", "PER"), ("Baghdad", "LOC")]
    assert all(s.text == rec.text[s.start:s.end] for s in rec.spans)
    assert rec.annotator == "f" and rec.status == "done"
    assert "tags read as IOB1 (seen from the tags)" in result.notes[0]
    assert not result.warnings


def test_iob1_b_tag_separates_two_entities_of_one_type():
    rec = read("Peter I-PER\nMary B-PER\nand O\nParis I-LOC\n").records[0][1]
    assert spans(rec) == [("Peter", "PER"), ("Mary", "PER"), ("Paris", "LOC")]


@pytest.mark.parametrize("tags, scheme", [
    (("B-PER", "I-PER", "E-PER", "O", "S-LOC"), "BIOES"),
    (("B-PER", "I-PER", "L-PER", "O", "U-LOC"), "BILOU"),
    (("B-PER", "I-PER", "I-PER", "O", "B-LOC"), "IOB2"),
])
def test_each_scheme_gives_the_same_spans(tags, scheme):
    words = ("Jean", "de", "Florette", "in", "Paris")
    result = read("".join(f"{w}\t{t}\n" for w, t in zip(words, tags, strict=True)))
    rec = result.records[0][1]
    assert spans(rec) == [("Jean de Florette", "PER"), ("Paris", "LOC")]
    assert f"tags read as {scheme}" in result.notes[0]


def test_docstart_makes_documents_and_sentences_are_lines():
    text = "-DOCSTART-\tO\n\nA\tB-ORG\nb\tO\n\nC\tO\n\n-DOCSTART-\tO\n\nD\tS-PER\n"
    records = [rec for _w, rec in read(text, "news.conll").records]
    assert [rec.id for rec in records] == ["news-1", "news-2"]
    assert records[0].text == "A b\nC" and spans(records[1]) == [("D", "PER")]


def test_sentences_per_document_and_the_joiner_for_scripts_without_spaces():
    text = "東\tB-LOC\n京\tI-LOC\nへ\tO\n\n行\tO\n\n大\tB-LOC\n阪\tI-LOC\n"
    records = [rec for _w, rec in read(text, sentences_per_document=2, joiner="").records]
    assert [rec.text for rec in records] == ["東京へ\n行", "大阪"]
    assert spans(records[0]) == [("東京", "LOC")] and spans(records[1]) == [("大阪", "LOC")]


def test_wikiann_prefixes_are_taken_off_and_give_the_language():
    result = read("fr:Jean\tB-PER\nfr:à\tO\nfr:Paris\tB-LOC\n\nfr:Lyon\tB-LOC\n")
    rec = result.records[0][1]
    assert rec.text == "Jean à Paris\nLyon" and rec.lang == "fr"
    assert spans(rec) == [("Jean", "PER"), ("Paris", "LOC"), ("Lyon", "LOC")]
    assert "language prefixes" in result.notes[0]


def test_a_column_is_chosen_by_number_and_crlf_lines_are_read():
    rec = read("Paris\tB-LOC\tNNP\r\nis\tO\tVBZ\r\n", column=2).records[0][1]
    assert spans(rec) == [("Paris", "LOC")] and rec.text == "Paris is"


def test_bad_lines_are_named():
    with pytest.raises(InputError, match=r"f.conll: line 2: one column only"):
        read("Paris B-LOC\nis\n")
    with pytest.raises(InputError, match=r"line 1: has 2 columns, no column 3"):
        read("Paris B-LOC\n", column=3)
    with pytest.raises(InputError, match=r"tag 'E-LOC' is not IOB2"):
        read("Paris E-LOC\n", scheme="iob2")


def test_tags_that_break_the_scheme_are_read_and_counted():
    result = read("A\tB-PER\nB\tO\nC\tE-PER\n")  # BIOES: a B- without E-, an E- without B-
    assert spans(result.records[0][1]) == [("A", "PER"), ("C", "PER")]
    assert result.warnings == ["f.conll: warning: 2 tag(s) did not follow BIOES; each was read as beginning "
                               "or ending a span where it stands"]


def record(text: str, marks: list[tuple[str, str, int]], **extra) -> DocumentRecord:
    out = []
    for n, (needle, label, nth) in enumerate(marks):
        start = -1
        for _ in range(nth + 1):
            start = text.index(needle, start + 1)
        out.append(SpanRecord(f"s{n}", start, start + len(needle), label, needle))
    return DocumentRecord(id="d", lang="bn", text=text, spans=tuple(out), annotator="ana", **extra)


def test_ours_to_conll_to_ours_keeps_tokens_spans_and_labels():
    text = "ক্ষমতা রাস্তার NATO,\r\nমিরচা জিওয়ানা 😀 met EU."
    rec = record(text, [("রাস্তার NATO", "ORG", 0), ("মিরচা জিওয়ানা", "PERSON", 0), ("EU", "ORG", 0)])
    for scheme in conll.WRITE_SCHEMES:
        first, result = write([rec], scheme=scheme)
        assert result.count == 1 and result.left_out == []
        back = read(first, scheme=scheme).records[0][1]
        assert back.text == "ক্ষমতা রাস্তার NATO ,\nমিরচা জিওয়ানা 😀 met EU ."
        assert spans(back) == [("রাস্তার NATO", "ORG"), ("মিরচা জিওয়ানা", "PERSON"), ("EU", "ORG")]
        assert write([back], scheme=scheme)[0] == first  # byte-identical once the text is CoNLL's own


def test_what_conll_cannot_hold_is_counted():
    text = "Mircea Geoană met NATO leaders in Bucharest"
    rec = record(text, [("Mircea Geoană", "PERSON", 0), ("Geoană", "PERSON", 0), ("ircea", "PERSON", 0)],
                 events=(EventRecord("e1", "MEETING", 14, 17, "met"),))
    rec = DocumentRecord(**{**vars(rec), "spans": rec.spans + (SpanRecord("s9", 18, 22, "ORG", "NATO",
                                                                          value="nato", note="check"),)})
    written, result = write([rec])
    assert "Mircea\tB-PERSON\nGeoană\tI-PERSON\nmet\tO\nNATO\tB-ORG\n" in written
    assert result.left_out == ["1 span(s) nested in or overlapping another span (CoNLL tags one span per token)",
                               "1 span(s) whose start or end is not a token edge", "1 event(s)",
                               "1 normalised value(s) of spans", "1 note(s) on spans"]


def test_an_unknown_scheme_is_one_clear_error():
    with pytest.raises(AnnotatorError, match="unknown tag scheme 'bio'"):
        write([record("a b", [])], scheme="bio")
    with pytest.raises(InputError, match="unknown tag scheme 'bio'"):
        read("a O\n", scheme="bio")


# Tokens with astral characters (outside the BMP: two UTF-16 units), combining marks
# (also at the start of a token), Bengali conjuncts and ZWJ emoji.
_PIECES = ["a", "Z", "é", "e\u0301", "\u0301", "😀", "𝐀", "ক্ষ", "া", "👨\u200d👩\u200d👧", "ß", "ő", "-", "."]
_TOKEN = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=4).map("".join)
_ENTITY = st.tuples(st.lists(_TOKEN, min_size=1, max_size=3), st.sampled_from(["PER", "LOC", "O"]))
_SENTENCE = st.lists(_ENTITY, min_size=1, max_size=5)


@settings(max_examples=150, deadline=None)
@given(sentences=st.lists(_SENTENCE, min_size=1, max_size=4), crlf=st.booleans(),
       scheme=st.sampled_from(conll.WRITE_SCHEMES))
def test_offsets_are_exact_with_astral_characters_combining_marks_and_crlf(sentences, crlf, scheme):
    lines, expected, text_parts = [], [], []
    for sentence in sentences:
        tokens, tags = [], []
        for words, label in sentence:
            if label == "O":
                tags += ["O"] * len(words)
            else:
                before = tags[-1] if tags else "O"
                tags += conll._tags(len(words), label, scheme, before != "O" and before[2:] == label)
                expected.append((" ".join(words), label))
            tokens += words
        text_parts.append(" ".join(tokens))
        lines.append("".join(f"{t}\t{g}\n" for t, g in zip(tokens, tags, strict=True)))
    source = "\n".join(lines)
    result = read(source.replace("\n", "\r\n") if crlf else source, scheme=scheme)
    rec = result.records[0][1]
    assert rec.text == "\n".join(text_parts)
    assert [(s.text, s.label) for s in rec.spans] == expected
    assert all(rec.text[s.start:s.end] == s.text for s in rec.spans)
    assert not result.warnings
    # The imported tokens written back (runs between spaces) give the file again.
    assert write([rec], scheme=scheme, tokenise="spaces")[0] == "-DOCSTART-\tO\n\n" + source + "\n"


@pytest.mark.parametrize("text", [
    "India bought the S-400\nThe bomber was a B-52\n",
    "Send it by E-mail\nThe car made a U-turn\n",
    "Reply by\tE-mail\nThen a\tU-turn\n",
    "Dhaka\tJune 13 O\nLondon\tJune 14 O\n",
    "one O\ntwo three O\n",
])
def test_text_whose_lines_end_in_tag_like_words_is_not_sniffed_as_conll(text):
    assert not conll.sniff(Path("news.txt"), text.encode("utf-8"))


@pytest.mark.parametrize("text", [
    CONLL_2003,
    "Paris\tB-LOC\nis\tO\n",
    "New\tB-LOC\nYork\tI-LOC\n",
    "-DOCSTART-\tO\n\nBerlin\tS-LOC\nwins\tO\n",
])
def test_conll_files_are_still_sniffed(text):
    assert conll.sniff(Path("ner.txt"), text.encode("utf-8"))


def test_a_trailing_tab_is_no_empty_tag_and_an_empty_tag_is_an_error():
    """A trailing tab made the tag "" and a span with an empty label."""
    rec = read("Paris\tB-ORG\t\nis\tO\t\n").records[0][1]
    assert spans(rec) == [("Paris", "ORG")]
    with pytest.raises(InputError) as info:
        read("Paris\tB-ORG\t1\nis\t\t2\n", column=2)
    assert str(info.value).startswith("f.conll: line 2: empty tag in column 2")


def test_tokens_are_stripped_and_a_whitespace_only_token_is_an_error():
    rec = read("Paris \tB-LOC\n is\tO\n").records[0][1]
    assert rec.text == "Paris is"
    assert spans(rec) == [("Paris", "LOC")]
    with pytest.raises(InputError) as info:
        read("Paris\tB-LOC\n  \tO\n")
    assert str(info.value).startswith("f.conll: line 2: the token is only whitespace")


def test_columns_besides_the_token_and_the_tag_are_counted_not_dropped_in_silence():
    assert read(CONLL_2003).left_out == [
        "2 column(s) besides the token and the tag (part-of-speech, chunk or other tags; "
        "--column N reads another column as the tag)"]
    assert read("Paris\tB-LOC\nis\tO\n").left_out == []


def test_offsets_with_a_joiner_of_several_characters_across_sentences():
    # Offsets come from token lengths and the joiner's length, the text from one join per sentence.
    text = "Ana\tB-PER\nRuiz\tI-PER\nsaid\tO\n\nThe\tO\nWorld\tB-ORG\nBank\tI-ORG\n"
    rec = read(text, joiner=" · ").records[0][1]
    assert rec.text == "Ana · Ruiz · said\nThe · World · Bank"
    assert [(s.start, s.end, s.label) for s in rec.spans] == [(0, 10, "PER"), (24, 36, "ORG")]
    assert spans(rec) == [("Ana · Ruiz", "PER"), ("World · Bank", "ORG")]
