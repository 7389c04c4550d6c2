"""The dashboard draws one figure per turn of the event loop, the window painting between
two (issue 18: no pause of the window over 100 ms at 100,000 documents), and the panels
keep their sizes whatever a figure's legend and note say."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication

from annotator.store.spans import SpanData, add_spans
from annotator.ui.dashboard.window import Dashboard
from tests.ui.dashboard.test_dashboard import (  # noqa: F401 (a fixture)
    _docs,
    _heights,
    _widths,
    open_dashboard,
    wait_all,
)
from tests.ui.helpers import shown

FIGURES = ["labels", "progress", "throughput", "attributes", "strip", "table", "agreement", "groups"]


class Paints(QObject):
    """Counts the paint events of the widgets it watches."""

    def __init__(self) -> None:
        super().__init__()
        self.count: dict[QObject, int] = {}

    def watch(self, widget) -> None:
        if widget not in self.count:
            self.count[widget] = 0
            widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count[obj] = self.count.get(obj, 0) + 1
        return False


def _shown_widget(dash, figure: str):
    """What the figure's panel shows now: the plot's viewport, or its message."""
    if figure == "table":
        return dash.tabs.tabBar()  # the Documents tab is not shown: its tab bar is
    panel = {"labels": dash.labels_panel, "progress": dash.progress_panel, "throughput": dash.throughput_panel,
             "attributes": dash.attributes_panel, "strip": dash.strip_panel, "agreement": dash.agreement_panel,
             "groups": dash.groups_panel}[figure]
    return panel.message if panel.showing_message else panel.plot.viewport()


def _two_layers(project) -> None:
    docs = _docs(project)
    add_spans(project, [SpanData("", d.id, "alice", 0, 4, "PERSON") for d in docs]
              + [SpanData("", docs[0].id, "bob", 0, 4, "PERSON"), SpanData("", docs[0].id, "bob", 5, 9, "ORG")])


def test_every_figure_is_drawn_in_a_turn_of_its_own_and_painted_before_the_next(qtbot, project, open_dashboard):  # noqa: F811
    _two_layers(project)
    dash = open_dashboard(project)
    paints, order, painted_before_next = Paints(), [], []

    def drawn(figure: str) -> None:
        # The previous figure, if a plot (a message may be the one already shown), was
        # painted since it was drawn.
        if order and order[-1] != "table" and not _shown_widget(dash, order[-1]).inherits("QLabel"):
            previous = _shown_widget(dash, order[-1])
            painted_before_next.append((order[-1], paints.count.get(previous, 0) > 0))
        order.append(figure)
        widget = _shown_widget(dash, figure)
        paints.watch(widget)
        paints.count[widget] = 0

    dash.figure_drawn.connect(drawn)
    qtbot.mouseClick(dash.refresh_button, Qt.MouseButton.LeftButton)
    wait_all(qtbot, dash)
    assert sorted(order) == sorted(FIGURES)  # every figure, each once
    assert order[:4] == ["labels", "progress", "throughput", "attributes"]  # the counts' first
    assert painted_before_next == [(figure, True) for figure in ("labels", "progress", "throughput", "strip",
                                                                 "agreement") if figure != order[-1]]
    assert _widths(dash.progress_bars["in_progress"]) == [len(_docs(project)), 1]
    assert _heights(dash.agreement_bars["exact"])  # and the last ones are there too


def test_a_refresh_while_the_figures_are_drawn_drops_the_older_ones(qtbot, project, open_dashboard):  # noqa: F811
    docs = _docs(project)
    dash = open_dashboard(project)
    add_spans(project, [SpanData("", d.id, "alice", 0, 4, "PERSON") for d in docs])
    after_second: list[str] = []
    clicked = []

    def drawn(figure: str) -> None:
        if clicked:
            after_second.append(figure)
        elif figure == "labels":  # the first refresh's first figure: its other three are still queued
            assert dash._draws.pending >= 3
            add_spans(project, [SpanData("", docs[0].id, "bob", 0, 4, "ORG")])
            clicked.append(True)
            qtbot.mouseClick(dash.refresh_button, Qt.MouseButton.LeftButton)

    dash.figure_drawn.connect(drawn)
    qtbot.mouseClick(dash.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(clicked))
    wait_all(qtbot, dash)
    # Nothing of the first refresh after the second was asked for: its figures start over.
    assert after_second[:4] == ["labels", "progress", "throughput", "attributes"]
    assert sorted(after_second) == sorted(FIGURES)
    # Every figure is the second refresh's: bob's span in the labels, progress and hours.
    assert list(dash.label_bars) == ["PERSON", "ORG"]
    assert _widths(dash.progress_bars["in_progress"]) == [len(docs), 1]
    assert sum(_heights(dash.throughput_bars["bob"])) == 1


def test_a_layer_chosen_while_the_counts_are_drawn_is_not_overdrawn_by_them(qtbot, project, open_dashboard):  # noqa: F811
    _two_layers(project)
    dash = open_dashboard(project)
    chosen = []

    def drawn(figure: str) -> None:
        if figure == "labels" and not chosen:  # the refresh's all-layers labels; its attributes still queued
            chosen.append(True)
            dash.layer_box.setCurrentText("bob")

    dash.figure_drawn.connect(drawn)
    qtbot.mouseClick(dash.refresh_button, Qt.MouseButton.LeftButton)
    wait_all(qtbot, dash)
    qtbot.waitUntil(lambda: "labels" in dash.drawn_since_refresh)
    qtbot.waitUntil(lambda: dash._draws.pending == 0)
    assert list(dash.label_bars) == ["PERSON", "ORG"]
    assert sum(sum(_heights(bars)) for bars in dash.label_bars.values()) == 2  # bob's two spans only
    dash.layer_box.setCurrentText("All annotators")


def test_a_long_legend_and_note_do_not_resize_the_other_panels(qtbot, project):
    """Panels of other figures keep their sizes (a re-laid out grid repainted every plot)."""
    _two_layers(project)
    dash = shown(qtbot, Dashboard(project, background=False))  # every figure computed here, drawn in turns
    try:
        qtbot.waitUntil(lambda: dash._draws.pending == 0 and "groups" in dash.drawn_since_refresh)
        panels = [dash.labels_panel, dash.progress_panel, dash.agreement_panel, dash.attributes_panel,
                  dash.groups_panel, dash.strip_panel]
        before = [p.geometry() for p in panels]
        dash.throughput_panel.set_legend([("#123456", f"annotator number {i}") for i in range(40)])
        dash.throughput_panel.show_plot("a note that goes on " * 60)
        legend = dash.throughput_panel.legend
        qtbot.waitUntil(lambda: legend.height() > 3 * legend.fontMetrics().height())  # laid out again
        for _ in range(5):
            QApplication.processEvents()
        assert [p.geometry() for p in panels] == before
    finally:
        dash.wait()
        dash.deleteLater()


def test_a_closed_dashboard_draws_nothing_until_it_is_shown_again(qtbot, project, open_dashboard):  # noqa: F811
    """Figures drawn for a closed dashboard kept the event loop busy for the window in use
    (and relaid out its text): they wait until the dashboard is shown again."""
    _two_layers(project)
    dash = open_dashboard(project)
    order: list[tuple[str, bool]] = []

    def drawn(figure: str) -> None:
        order.append((figure, dash.isVisible()))
        if figure == "labels" and len(order) == 1:  # the counts' other three figures are still queued
            dash.close()

    dash.figure_drawn.connect(drawn)
    qtbot.mouseClick(dash.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dash.isVisible())
    for _ in range(20):  # turns of the event loop in which a queued figure used to be drawn
        QApplication.processEvents()
    assert order == [("labels", True)] and dash._draws.pending >= 3

    dash.show()
    qtbot.waitUntil(lambda: {"progress", "throughput", "attributes"} <= {f for f, _ in order})
    assert all(visible for _f, visible in order)
