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
