from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from annotator.ui.annotate.palette import LabelPalette
from tests.ui.helpers import shown


@pytest.fixture
def palette(qtbot, schema):
    return shown(qtbot, LabelPalette(schema))


def test_one_row_per_label_with_key_and_description(palette, schema):
    assert list(palette.rows) == [lab.name for lab in schema.labels]
    for lab in schema.labels:
        row = palette.rows[lab.name]
        assert row.name.text() == lab.name
        assert row.key.text() == lab.key
        assert lab.description in row.toolTip()
        assert not row.swatch.pixmap().isNull()
    # Vertical: each row below the previous one.
    tops = [palette.rows[lab.name].geometry().top() for lab in schema.labels]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)


def test_clicking_a_row_emits_label_clicked(palette, qtbot):
    for name in ("FIGURE", "PERSON"):
        row = palette.rows[name]
        with qtbot.waitSignal(palette.labelClicked) as blocker:
            qtbot.mouseClick(row, Qt.MouseButton.LeftButton, pos=row.rect().center())
        assert blocker.args == [name]
    # Clicking the name or the keycap inside a row counts too.
    with qtbot.waitSignal(palette.labelClicked) as blocker:
        qtbot.mouseClick(palette.rows["DATE"].key, Qt.MouseButton.LeftButton)
    assert blocker.args == ["DATE"]


def test_space_on_a_focused_row_emits_label_clicked(palette, qtbot):
    with qtbot.waitSignal(palette.labelClicked) as blocker:
        qtbot.keyClick(palette.rows["ORG"], Qt.Key.Key_Space)
    assert blocker.args == ["ORG"]


def test_counts_show(palette):
    assert [palette.count_text(n) for n in palette.rows] == ["0", "0", "0", "0"]
    palette.set_counts({"PERSON": 3, "DATE": 12, "UNKNOWN": 5})
    assert [palette.count_text(n) for n in palette.rows] == ["3", "0", "0", "12"]
    assert palette.rows["PERSON"].count.isEnabled() and not palette.rows["ORG"].count.isEnabled()
    palette.set_counts({})
    assert palette.count_text("DATE") == "0"


def test_descriptions_show_beside_the_names_elided_without_growing_the_palette(qtbot, schema):
    long = [replace(lab, description=f"{lab.description}; " + "a much longer definition " * 20)
            for lab in schema.labels]
    described = shown(qtbot, LabelPalette(replace(schema, labels=tuple(long))))
    bare = shown(qtbot, LabelPalette(replace(schema, labels=tuple(replace(lab, description="")
                                                                  for lab in schema.labels))))
    assert described.sizeHint() == bare.sizeHint()
    assert described.minimumSizeHint() == bare.minimumSizeHint()
    width = bare.sizeHint().width() + 60
    described.resize(width, described.sizeHint().height())
    qtbot.waitUntil(lambda: described.rows["PERSON"].width() > width - 40)
    for lab in long:  # a start of it, cut with an ellipsis, in the row's spare room
        shows = described.rows[lab.name].description.text()
        assert shows.endswith("…") and lab.description.startswith(shows[:-1]) and len(shows) > 1

    short = shown(qtbot, LabelPalette(schema))  # the default schema's one-line definitions
    short.resize(780, short.sizeHint().height())
    qtbot.waitUntil(lambda: short.rows["PERSON"].width() > 700)
    assert [short.rows[lab.name].description.text() for lab in schema.labels] == \
        [lab.description for lab in schema.labels]
