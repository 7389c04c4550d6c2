"""The dashboard's attribute figure (issue 14): a bar per value of each attribute with
the number of items that take it, all layers or the chosen one's."""

from __future__ import annotations

from tests.store.test_attribute_counts import two_layers
from tests.ui.dashboard.test_dashboard import _heights, open_dashboard, wait_all  # noqa: F401 (a fixture)


def test_attribute_bars_count_the_values_of_each_attribute(qtbot, tmp_path, open_dashboard):  # noqa: F811
    with two_layers(tmp_path) as project:
        dash = open_dashboard(project)
        assert not dash.attributes_panel.showing_message
        # in the schema's order, each attribute's values the most frequent first
        assert list(dash.attribute_bars)[:3] == ["realis", "polarity", "tense"]
        assert _heights(dash.attribute_bars["realis"]) == [1.0, 1.0]
        assert _heights(dash.attribute_bars["check_worthy"]) == [2.0]
        assert ("realis", "generic") in dash.attribute_slots and ("check_worthy", "true") in dash.attribute_slots
        assert "values of 11 attributes, all annotators' layers" in dash.attributes_panel.note.text()

        dash.layer_box.setCurrentText("bob")
        qtbot.waitUntil(lambda: "labels" in dash.drawn_since_refresh)
        assert _heights(dash.attribute_bars["realis"]) == [1.0]
        assert [v for a, v in dash.attribute_slots if a == "realis"] == ["generic"]
        assert "tense" not in dash.attribute_bars


def test_a_project_without_attribute_values_says_so(qtbot, project, open_dashboard):  # noqa: F811
    dash = open_dashboard(project)
    assert dash.attributes_panel.showing_message
    assert dash.attributes_panel.message.text() == "No attribute values yet"


def test_the_names_under_the_bars_never_run_into_each_other_and_the_hover_names_the_value(
        qtbot, tmp_path, open_dashboard):  # noqa: F811
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QFontMetrics

    with two_layers(tmp_path) as project:
        dash = open_dashboard(project)
        axis = dash.attributes_panel.plot.getPlotItem().getAxis("bottom")
        metrics = QFontMetrics(axis.style.get("tickFont") or axis.font())
        ticks, ppu = dash.attribute_ticks, dash.attribute_px_per_unit
        for (x1, a), (x2, b) in zip(ticks, ticks[1:]):
            assert (x2 - x1) * ppu >= (metrics.horizontalAdvance(a) + metrics.horizontalAdvance(b)) / 2, (a, b)
        # 11 attributes in a third of the window: attributes are named (those with room), the values hovered
        assert [name for _x, name in ticks][:2] == ["realis", "polarity"]
        plot = dash.attributes_panel.plot
        first = dash._attribute_x[0]
        scene = plot.getPlotItem().vb.mapViewToScene(QPointF(first, 0.5))
        dash._attributes_hover(scene)
        name, value = dash.attribute_slots[0]
        assert plot.toolTip().startswith(f"{name} = {value}: 1 item")
