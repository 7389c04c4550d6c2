from __future__ import annotations

import pytest

from annotator.core.values import (
    DATE_PROBLEM,
    FIGURE_PROBLEM,
    clean,
    is_decimal,
    is_iso_date,
    placeholder,
    value_problem,
)


@pytest.mark.parametrize("text", ["2023", "2023-06", "2023-06-13", "2024-02-29", "0001-01-01", "9999-12-31"])
def test_iso_dates_accepted(text):
    assert is_iso_date(text)


@pytest.mark.parametrize("text", [
    "", "23", "20231", "2023-6", "2023-06-1", "2023-13", "2023-00", "2023-06-00", "2023-06-31",
    "2023-02-29", "0000", "13 June 2023", "2023/06/13", "20230613", " 2023", "2023-06-13T10:00",
    "২০২৩", "２０２３-06-13", "2023-06-13\n",
])
def test_non_iso_dates_refused(text):
    assert not is_iso_date(text)


@pytest.mark.parametrize("text", ["4000", "0", "-3", "2.5", "-0.25", "007"])
def test_decimals_accepted(text):
    assert is_decimal(text)


@pytest.mark.parametrize("text", [
    "", "4,000", "4 000", "4\u00a0000", "4.000.000", "+1", "1e3", ".5", "5.", "-", "৪০০০", "٤", "four", "4000\n",
])
def test_non_decimals_refused(text):
    assert not is_decimal(text)


def test_value_problem_by_label():
    assert value_problem("DATE", "2023-06-13") is None
    assert value_problem("DATE", "13 June") == DATE_PROBLEM
    assert value_problem("FIGURE", "4000") is None
    assert value_problem("FIGURE", "4,000") == FIGURE_PROBLEM
    assert value_problem("PERSON", "anything at all") is None
    assert value_problem("DATE", None) is None
    assert value_problem("FIGURE", None) is None


def test_clean_and_placeholder():
    assert clean(None) is None
    assert clean("") is None
    assert clean(" \t ") is None
    assert clean(" 4000 ") == "4000"
    assert placeholder("DATE") == "ISO date, e.g. 2023-06-13"
    assert placeholder("FIGURE") == "number, e.g. 4000"
    assert placeholder("PERSON") == ""
