"""The statistics dashboard: what its plots show after the project changes."""

from __future__ import annotations

import os
import signal
from collections import Counter
from datetime import datetime, timezone

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QScreen
from sqlalchemy import update

from annotator.core import disagreements
from annotator.store.models import Span
from annotator.store.project import Project
from annotator.store.queries import list_documents
from annotator.store.spans import SpanData, add_spans, set_status
from annotator.ui.dashboard.window import ALL_LAYERS, Dashboard
from tests.ui.helpers import process_gone, shown

STAGES = {"overview", "documents", "agreement", "groups"}


def _docs(project):
    with project.read() as conn:
        return list_documents(conn)


def _heights(bars) -> list[float]:
    return [float(h) for h in bars.opts["height"]]


def _widths(bars) -> list[float]:
    return [float(w) for w in bars.opts["width"]]


@pytest.fixture
def open_dashboard(qtbot):
    made = []

    def make(project, **options):
        dash = shown(qtbot, Dashboard(project, **options))
        made.append(dash)
        wait_all(qtbot, dash)
        return dash

    yield make
    for dash in made:  # no worker may outlive the project
        dash.wait()


@pytest.fixture
def empty_project(tmp_path):
    with Project.create(tmp_path / "empty.annotator") as project:
        yield project


def wait_all(qtbot, dash, stages=STAGES) -> None:
    # Agreement and groups come from a child process at the lowest priority: on a loaded
    # machine its start alone takes seconds.
    qtbot.waitUntil(lambda: stages <= dash.drawn_since_refresh, timeout=120_000)


def refresh(qtbot, dash) -> None:
    qtbot.mouseClick(dash.refresh_button, Qt.MouseButton.LeftButton)
    wait_all(qtbot, dash)


def test_pyqtgraph_draws_with_pyside6():
    import pyqtgraph as pg

    assert pg.Qt.QT_LIB == "PySide6"


def test_label_bars_are_the_span_counts_per_language(qtbot, project, open_dashboard):
    docs = _docs(project)
    dash = open_dashboard(project)
    assert dash.labels_panel.showing_message and "No spans" in dash.labels_panel.message.text()

    spans = [SpanData("", d.id, "alice", 0, 4, "PERSON") for d in docs]
    spans += [SpanData("", d.id, "alice", 10, 14 + i, "ORG") for i, d in enumerate(docs) for _ in range(i + 1)]
    spans += [SpanData("", docs[2].id, "bob", 20, 24, "DATE")]
    add_spans(project, spans)
    refresh(qtbot, dash)

    assert not dash.labels_panel.showing_message
    lang = {d.id: d.lang for d in docs}
    expected = Counter((lang[s.document_id], s.label) for s in spans)
    # The x axis: the project's languages in its order; a bar per label in schema order.
    assert dash.label_languages == list(project.languages)
    assert list(dash.label_bars) == ["PERSON", "ORG", "DATE"]
    for label, bars in dash.label_bars.items():
        assert _heights(bars) == [expected[(lg, label)] for lg in dash.label_languages]
    # Colours come from the schema.
    person = dash.label_bars["PERSON"].opts["brush"].color().name()
    assert person == project.schema.label("PERSON").colour

    # One annotator's layer only.
    dash.layer_box.setCurrentText("bob")
    qtbot.waitUntil(lambda: "labels" in dash.drawn_since_refresh)
    assert list(dash.label_bars) == ["DATE"]
    assert _heights(dash.label_bars["DATE"]) == [1.0 if lg == docs[2].lang else 0.0 for lg in dash.label_languages]
    dash.layer_box.setCurrentText(ALL_LAYERS)


def test_progress_bars_and_document_table(qtbot, qtmodeltester, project, open_dashboard):
    docs = _docs(project)
    add_spans(project, [SpanData("", d.id, "alice", 0, 4, "PERSON") for d in docs[:3]]
              + [SpanData("", docs[0].id, "bob", 0, 4, "PERSON"), SpanData("", docs[0].id, "bob", 5, 9, "ORG")])
    set_status(project, docs[0].id, "alice", "done")
    set_status(project, docs[1].id, "alice", "done")
    dash = open_dashboard(project)

    # One horizontal bar per annotator, split into done / in progress / to do documents.
    assert dash.layer_box.itemText(1) == "alice" and dash.layer_box.itemText(2) == "bob"
    assert _widths(dash.progress_bars["done"]) == [2, 0]
    assert _widths(dash.progress_bars["in_progress"]) == [1, 1]
    assert _widths(dash.progress_bars["todo"]) == [2, 4]

    model = dash.table_model
    qtmodeltester.check(model)
    assert model.rowCount() == len(docs) and model.columnCount() == 4
    assert model.index(0, 0).data() == docs[0].uid
    assert model.index(0, 2).data() == "done · 1 span"
    assert model.index(0, 3).data() == "in progress · 2 spans"
    assert model.index(4, 3).data() == "to do · 0 spans"
    # The strip: a column per document, a row per annotator.
    assert dash.strip_image.image.shape[:2] == (len(docs), 2)


def test_the_first_figures_are_the_counts_drawn_before_any_document_row_is_read(qtbot, project, monkeypatch):
    """Labels, progress per annotator and spans per hour come from the counts alone: they
    are on screen, right, while the per-document rows (strip, table, agreement) are still
    being read on the worker, held here until the first figures are checked."""
    import threading

    from annotator.store import statistics

    docs = _docs(project)
    spans = [SpanData("", d.id, "alice", 0, 4, "PERSON") for d in docs]
    spans += [SpanData("", docs[1].id, "bob", 0, 4, "ORG"), SpanData("", docs[1].id, "bob", 5, 9, "ORG")]
    add_spans(project, spans)
    set_status(project, docs[0].id, "alice", "done")
    held, reading = threading.Event(), threading.Event()
    real_progress = statistics.progress

    def slow_progress(conn):
        reading.set()
        assert held.wait(30)
        return real_progress(conn)

    monkeypatch.setattr(statistics, "progress", slow_progress)  # in this process: the documents read here
    dash = shown(qtbot, Dashboard(project, separate_process=False))
    try:
        qtbot.waitUntil(lambda: "overview" in dash.drawn_since_refresh)
        qtbot.waitUntil(reading.is_set)
        assert "documents" not in dash.drawn_since_refresh and dash.strip_panel.showing_message
        lang = {d.id: d.lang for d in docs}
        expected = Counter((lang[s.document_id], s.label) for s in spans)
        for label, bars in dash.label_bars.items():
            assert _heights(bars) == [expected[(lg, label)] for lg in dash.label_languages]
        assert _widths(dash.progress_bars["done"]) == [1, 0]
        assert _widths(dash.progress_bars["in_progress"]) == [len(docs) - 1, 1]
        assert sum(_heights(dash.throughput_bars["alice"])) == len(docs)
        assert f"{len(docs)} documents" in dash.status.text()
    finally:
        held.set()
    wait_all(qtbot, dash)
    assert dash.table_model.rowCount() == len(docs)
    dash.wait()


def test_agreement_needs_two_annotators_then_shows_bars(qtbot, project, open_dashboard):
    docs = _docs(project)
    add_spans(project, [SpanData("", docs[0].id, "alice", 0, 4, "PERSON"),
                        SpanData("", docs[0].id, "alice", 10, 20, "ORG")])
    dash = open_dashboard(project)
    panel = dash.agreement_panel
    assert panel.showing_message and "two annotators on the same documents" in panel.message.text()
    assert dash.agreement_bars == {}

    # bob draws the same PERSON and an ORG one character shorter.
    add_spans(project, [SpanData("", docs[0].id, "bob", 0, 4, "PERSON"),
                        SpanData("", docs[0].id, "bob", 10, 19, "ORG")])
    refresh(qtbot, dash)
    assert not panel.showing_message
    assert dash.agreement_labels == ["PERSON", "ORG"]
    assert _heights(dash.agreement_bars["exact"]) == [1.0, 0.0]
    assert _heights(dash.agreement_bars["overlap"]) == [1.0, 1.0]
    assert "alice vs bob on 1 shared document ·" in panel.note.text()


def test_throughput_has_a_bar_per_hour(qtbot, project, open_dashboard):
    docs = _docs(project)
    made = add_spans(project, [SpanData("", d.id, "alice", 0, 4, "PERSON") for d in docs]
                     + [SpanData("", docs[0].id, "bob", 10, 14, "ORG")]).result
    times = ["2026-03-01 09:05:00", "2026-03-01 09:55:00", "2026-03-01 12:10:00", "2026-03-01 13:00:00",
             "2026-03-01 13:59:59", "2026-03-01 10:30:00"]
    with project.write() as conn:
        for span, when in zip(made, times):
            conn.execute(update(Span).where(Span.uid == span.uid).values(created_at=datetime.fromisoformat(when)))
    dash = open_dashboard(project)

    # 09:00 to 13:00: five hourly buckets, the empty 11:00 included; bars stacked per annotator.
    alice, bob = dash.throughput_bars["alice"], dash.throughput_bars["bob"]
    assert len(alice.opts["x"]) == 5
    assert _heights(alice) == [2, 0, 0, 1, 2]
    assert _heights(bob) == [0, 1, 0, 0, 0]
    assert [float(y) for y in bob.opts["y0"]] == [2, 0, 0, 1, 2]  # on top of alice's
    # Hours are UTC, as stored: the first bar is centred on 09:30 UTC.
    assert float(alice.opts["x"][0]) == datetime(2026, 3, 1, 9, 30, tzinfo=timezone.utc).timestamp()
    assert "6 spans over 5 hours" in dash.throughput_panel.note.text()


def test_empty_project_says_so(qtbot, empty_project, open_dashboard):
    dash = open_dashboard(empty_project)
    assert "No documents" in dash.labels_panel.message.text()
    assert "Nobody has annotated" in dash.progress_panel.message.text()
    assert "No spans" in dash.throughput_panel.message.text()
    assert "two annotators" in dash.agreement_panel.message.text()
    assert "No translation group" in dash.groups_panel.message.text()


def test_group_disagreements_bars(qtbot, project, open_dashboard, monkeypatch):
    class Found:
        def __init__(self, kind):
            self.kind = kind

    # Stands for annotator.core.disagreements.group_report: two "value" per record with
    # spans and one "unlinked" per span.
    def report(records):
        return ([Found("value") for r in records if r.spans for _ in range(2)]
                + [Found("unlinked") for r in records for _ in r.spans])

    monkeypatch.setattr(disagreements, "group_report", report)  # in this process: the groups computed here
    docs = _docs(project)
    grouped = [d for d in docs if d.group is not None]
    add_spans(project, [SpanData("", d.id, "alice", 0, 4, "PERSON") for d in grouped]
              + [SpanData("", grouped[0].id, "bob", 0, 4, "PERSON")])
    dash = open_dashboard(project, separate_process=False)

    assert not dash.groups_panel.showing_message
    # A bar per group and layer, the most disagreeing first.
    group = grouped[0].group
    assert dash.group_names == [f"{group} · alice", f"{group} · bob"]
    assert _widths(dash.group_bars["value"]) == [2 * len(grouped), 2]
    assert _widths(dash.group_bars["unlinked"]) == [len(grouped), 1]
    assert "value" in dash.groups_panel.legend.text() and "unlinked" in dash.groups_panel.legend.text()


def test_a_failing_figure_shows_why_and_the_others_still_draw(qtbot, project, open_dashboard, monkeypatch):
    def broken(records):
        raise RuntimeError("boom")

    monkeypatch.setattr(disagreements, "group_report", broken)  # in this process: the groups computed here
    docs = _docs(project)
    add_spans(project, [SpanData("", d.id, "alice", 0, 4, "PERSON") for d in docs])
    dash = open_dashboard(project, separate_process=False)
    assert "boom" in dash.groups_panel.message.text()
    assert not dash.labels_panel.showing_message


def test_when_the_figures_cannot_be_read_every_panel_says_why(qtbot, project, open_dashboard, monkeypatch):
    from annotator.store import statistics

    def unreadable(conn, annotator=None):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(statistics, "counts", unreadable)
    dash = open_dashboard(project)
    for panel in (dash.labels_panel, dash.progress_panel, dash.throughput_panel, dash.agreement_panel,
                  dash.groups_panel, dash.strip_panel):
        assert panel.showing_message and "database is locked" in panel.message.text()
    assert "database is locked" in dash.status.text()


def test_f5_recomputes(qtbot, project, open_dashboard):
    docs = _docs(project)
    dash = open_dashboard(project)
    dash.activateWindow()
    qtbot.waitUntil(dash.isActiveWindow)
    add_spans(project, [SpanData("", docs[0].id, "alice", 0, 4, "PERSON")])
    qtbot.keyClick(dash, Qt.Key.Key_F5)
    wait_all(qtbot, dash)
    assert sum(_heights(dash.label_bars["PERSON"])) == 1
    assert dash.progress_panel.note.text().startswith("5 documents")


def test_ctrl_w_closes_the_dashboard(qtbot, project, open_dashboard):
    dash = open_dashboard(project)
    dash.activateWindow()
    qtbot.waitUntil(dash.isActiveWindow)
    qtbot.keyClick(dash, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dash.isVisible())


def test_the_dashboard_opens_within_a_1000_px_screen(qtbot, project, monkeypatch):
    """1500 x 940 plus a title bar is taller than a 1000 px laptop screen (less its panel)."""
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(0, 0, 1920, 1000 - 32))
    dash = Dashboard(project, background=False)
    try:
        assert dash.width() == 1500 and dash.height() + 48 <= 1000 - 32
    finally:
        dash.wait()
        dash.deleteLater()


# -- agreement and groups in a child process --------------------------------------------
def _two_annotators(project):
    docs = _docs(project)
    add_spans(project, [SpanData("", docs[0].id, "alice", 0, 4, "PERSON"),
                        SpanData("", docs[0].id, "bob", 0, 4, "PERSON")])


def test_agreement_and_groups_come_from_a_child_process(qtbot, project, open_dashboard):
    _two_annotators(project)
    dash = open_dashboard(project)
    pid = dash.process.pid
    assert pid is not None and pid != os.getpid()
    assert dash.agreement_labels == ["PERSON"] and _heights(dash.agreement_bars["exact"]) == [1.0]
    refresh(qtbot, dash)
    assert dash.process.pid == pid  # kept for the next refresh


def test_closing_the_dashboard_while_it_computes_ends_the_child(qtbot, project, open_dashboard):
    _two_annotators(project)
    dash = open_dashboard(project)
    pid = dash.process.pid
    os.kill(pid, signal.SIGSTOP)  # the next agreement stays in the child until it ends
    qtbot.mouseClick(dash.refresh_button, Qt.MouseButton.LeftButton)
    process = dash.process
    qtbot.waitUntil(lambda: process.busy, timeout=60_000)
    dash.close()
    assert process_gone(pid) and dash.process is None
    dash.wait()  # the worker thread waiting for the child is done at once
    assert "agreement" not in dash.drawn_since_refresh  # nothing drawn from a refresh that was closed


def _child_stopped_in_a_refresh(qtbot, dash) -> int:
    """The dashboard's child stopped (SIGSTOP), then a refresh clicked: it is busy with the
    refresh's first job and cannot finish it. Returns its pid."""
    pid = dash.process.pid
    os.kill(pid, signal.SIGSTOP)
    qtbot.mouseClick(dash.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dash.process.busy, timeout=60_000)
    return pid


def test_a_child_that_dies_is_said_and_a_refresh_starts_a_fresh_one(qtbot, project, open_dashboard):
    _two_annotators(project)
    dash = open_dashboard(project)
    pid = _child_stopped_in_a_refresh(qtbot, dash)
    os.kill(pid, signal.SIGKILL)  # while it reads the documents' layers (the first of its stages)
    wait_all(qtbot, dash)
    message = dash.strip_panel.message.text()
    assert dash.strip_panel.showing_message
    assert "the dashboard's process ended unexpectedly (killed by SIGKILL)" in message and "Refresh" in message
    assert not dash.agreement_panel.showing_message  # the next figure started a fresh child
    assert process_gone(pid)

    refresh(qtbot, dash)
    assert not dash.agreement_panel.showing_message and _heights(dash.agreement_bars["exact"]) == [1.0]
    assert dash.process.pid not in (None, pid)


def test_a_refresh_while_the_child_computes_ends_it_and_starts_another(qtbot, project, open_dashboard):
    _two_annotators(project)
    dash = open_dashboard(project)
    pid = _child_stopped_in_a_refresh(qtbot, dash)
    refresh(qtbot, dash)  # the stale agreement does not hold this one up
    assert process_gone(pid)
    assert not dash.agreement_panel.showing_message and _heights(dash.agreement_bars["exact"]) == [1.0]
