"""Fonts that shape every script of the seeds.

Qt falls back through fontconfig per character, but an explicit family list makes the
choice deterministic: Latin, Vietnamese and Serbian from Noto Sans, Bengali conjuncts and
vowel signs from Noto Sans Bengali (both in Debian's fonts-noto-core). Families that are
not installed are left out, so Qt's own fallback still applies elsewhere.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

PREFERRED_FAMILIES = ("Noto Sans", "Noto Sans Bengali")
TEXT_POINT_SIZE = 12


def available_families(preferred: tuple[str, ...] = PREFERRED_FAMILIES) -> list[str]:
    installed = set(QFontDatabase.families())
    return [family for family in preferred if family in installed]


def with_fallbacks(base: QFont, point_size: int | None = None) -> QFont:
    """`base` with the preferred families in front of its own."""
    font = QFont(base)
    families = available_families()
    if families:
        font.setFamilies(families + [f for f in base.families() if f not in families])
    if point_size is not None:
        font.setPointSize(point_size)
    return font


def text_font() -> QFont:
    """The font of the document text."""
    return with_fallbacks(QFont(), TEXT_POINT_SIZE)
