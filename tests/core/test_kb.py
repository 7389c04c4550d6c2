"""Knowledge-base tables: every bad row named by its line, the whole table or nothing;
suggestions from exact, alias and transliterated name matches, best reason first."""

from __future__ import annotations

import pytest

from annotator.core.errors import InputError
from annotator.core.kb import MAX_PROBLEMS_LISTED, KbEntry, KbIndex, kb_problem, parse_kb_table


def test_rows_header_and_aliases():
    text = 'id,label,aliases\r\nQ458,European Union,EU|UE| ইইউ \n\nQ7184,"NATO, the alliance",OTAN\nQ9,Bare\n'
    assert parse_kb_table(text, "t.csv") == [
        KbEntry("Q458", "European Union", ("EU", "UE", "ইইউ")),
        KbEntry("Q7184", "NATO, the alliance", ("OTAN",)),
        KbEntry("Q9", "Bare", ()),
    ]
    # Without a header the first row is a row like any other.
    assert parse_kb_table("Q1,One\n", "t.csv") == [KbEntry("Q1", "One")]


def test_every_bad_row_is_named_by_file_and_line():
    text = "id,label,aliases\nQ1,One\nQ01,Zero\nQ2\nQ3,\nQ1,Again\nQ4,a,b,c\n"
    with pytest.raises(InputError) as caught:
        parse_kb_table(text, "kb.csv")
    message = str(caught.value)
    assert message.startswith("kb.csv: 5 bad rows, nothing imported: line 3: 'Q01' is not a Wikidata id")
    for part in ("line 4: expected id,label[,aliases], found 1 column", "line 5: Q3 has an empty label",
                 "line 6: Q1 is already on line 2", "line 7: expected id,label[,aliases], found 4 columns"):
        assert part in message


def test_a_quoted_cell_over_lines_counts_lines_not_rows():
    with pytest.raises(InputError, match="line 4: 'bad' is not"):
        parse_kb_table('Q1,"two\nlines"\nQ2,ok\nbad,x\n', "kb.csv")


def test_many_bad_rows_are_counted_past_the_listed_ones():
    n = MAX_PROBLEMS_LISTED + 7
    with pytest.raises(InputError, match=f"{n} bad rows.*and 7 more$"):
        parse_kb_table("".join(f"x{i},y\n" for i in range(n)), "kb.csv")


def test_an_empty_table_is_refused():
    with pytest.raises(InputError, match="no rows"):
        parse_kb_table("id,label,aliases\n\n", "kb.csv")


def test_qid_format():
    assert kb_problem(None) is None and kb_problem("Q458") is None
    assert kb_problem("Q0") and kb_problem("q458") and kb_problem("Q45 8") and kb_problem("P31")


def test_suggestions_exact_alias_then_transliterated():
    table = [KbEntry("Q1", "NATO", ("North Atlantic Treaty Organization",)),
             KbEntry("Q2", "European Union", ("EU",)),
             KbEntry("Q3", "Mircea Geoană", ()),
             KbEntry("Q4", "Nato Bar", ())]
    index = KbIndex(table)
    found = index.suggest(["ন্যাটো", "EU"])  # Bengali NATO: only by transliteration
    assert [(s.entry.id, s.reason, s.name) for s in found] == [("Q2", "alias", "EU"),
                                                                 ("Q1", "transliterated label", "ন্যাটো")]
    found = index.suggest(["Mircea Geoana", "মিরসিয়া জিওয়ানা", "mircea geoană"])
    assert [(s.entry.id, s.reason) for s in found] == [("Q3", "label")]  # case-folded exact wins
    assert index.suggest(["Union"]) == [] and index.suggest([" ", ""]) == []
