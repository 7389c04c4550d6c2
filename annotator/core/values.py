"""Normalised span values: what a DATE or FIGURE value must look like.

A span's `value` is the machine-readable reading of its text, exported as is (see
resources/gold.schema.json): an ISO 8601 calendar date of the precision the text gives
(YYYY, YYYY-MM or YYYY-MM-DD) for DATE, a plain decimal number (ASCII digits, an optional
leading '-', an optional '.' fraction; no grouping, no exponent) for FIGURE. Other labels
take any value. Pure Python, shared by the GUI and the checks.
"""

from __future__ import annotations

import calendar
import re

_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)
_DECIMAL = re.compile(r"-?\d+(?:\.\d+)?", re.ASCII)

DATE_PROBLEM = "Not an ISO date: use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2023-06-13"
FIGURE_PROBLEM = "Not a decimal number: use digits, an optional '-' and '.', e.g. 4000 or 2.5"

_PLACEHOLDERS = {"DATE": "ISO date, e.g. 2023-06-13", "FIGURE": "number, e.g. 4000"}


def is_iso_date(text: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real day (year 0001 to 9999)."""
    m = _ISO_DATE.fullmatch(text)
    if m is None:
        return False
    year = int(m.group(1))
    if year < 1:
        return False
    if m.group(2) is None:
        return True
    month = int(m.group(2))
    if not 1 <= month <= 12:
        return False
    if m.group(3) is None:
        return True
    return 1 <= int(m.group(3)) <= calendar.monthrange(year, month)[1]


def is_decimal(text: str) -> bool:
    """'4000', '-3', '2.5'; not '4,000', '4 000', '+1', '1e3', '.5' or non-ASCII digits."""
    return _DECIMAL.fullmatch(text) is not None


def clean(text: str | None) -> str | None:
    """What a typed value field means: surrounding whitespace dropped, empty is None."""
    if text is None:
        return None
    text = text.strip()
    return text or None


def value_problem(label: str, value: str | None) -> str | None:
    """Why `value` is not acceptable for a span labelled `label`, or None if it is.
    No value (None) is always acceptable."""
    if value is None:
        return None
    if label == "DATE" and not is_iso_date(value):
        return DATE_PROBLEM
    if label == "FIGURE" and not is_decimal(value):
        return FIGURE_PROBLEM
    return None


def placeholder(label: str) -> str:
    """A hint of the expected form, for an empty value field."""
    return _PLACEHOLDERS.get(label, "")
