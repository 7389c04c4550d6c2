"""The document text is drawn with real glyphs: no missing-glyph boxes (glyph 0) and no
dotted circles (U+25CC, what HarfBuzz inserts before a mark it could not attach), in
particular for Bengali conjuncts and vowel signs."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextLayout

from annotator.ui.widgets import fonts
from tests.ui.helpers import SEED_LANGS, stored_texts

SAMPLES = ["ক্ষমতা রাস্তার বাধা", "Phó Tổng thư ký gặp Pho\u0301 T\u00f4\u0309ng", "«\u00a0Bonjour\u00a0»",
           "Godišnji izvještaj \u0415U", "NATO and EU"]


def glyph_runs(text: str):
    layout = QTextLayout(text, fonts.text_font())
    layout.beginLayout()
    while layout.createLine().isValid():
        pass
    layout.endLayout()
    return layout.glyphRuns()


def bad_glyphs(text: str) -> list[str]:
    problems = []
    for run in glyph_runs(text):
        raw = run.rawFont()
        glyphs = list(run.glyphIndexes())
        dotted = [g for g in raw.glyphIndexesForString("\u25cc") if g]
        if 0 in glyphs:
            problems.append(f"missing glyph in {raw.familyName()}")
        if "\u25cc" not in text and any(g in glyphs for g in dotted):
            problems.append(f"dotted circle in {raw.familyName()}")
    return problems


def test_the_preferred_families_are_installed(qapp):
    # fonts-noto-core (scripts/sysdeps.sh); without it Bengali depends on luck.
    assert fonts.available_families() == list(fonts.PREFERRED_FAMILIES)
    assert fonts.text_font().families()[:2] == ["Noto Sans", "Noto Sans Bengali"]


@pytest.mark.parametrize("text", SAMPLES)
def test_samples_are_shaped_without_boxes_or_dotted_circles(qapp, text):
    assert bad_glyphs(text) == []


def test_bengali_uses_the_bengali_font(qapp):
    families = {run.rawFont().familyName() for run in glyph_runs("ক্ষমতা রাস্তার")}
    assert "Noto Sans Bengali" in families


def test_every_seed_document_is_shaped(qapp, project):
    texts = stored_texts(project)
    assert len(texts) == len(SEED_LANGS)
    for text in texts:
        assert bad_glyphs(text) == []
