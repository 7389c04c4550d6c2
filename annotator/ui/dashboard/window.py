"""The statistics dashboard: labels per language, progress, agreement per label, spans
per hour and the disagreements inside translation groups, drawn with pyqtgraph.

The figures come from annotator.store.statistics and are computed on a worker thread,
one stage after the other, each drawn as soon as it arrives, one figure per turn of the
event loop (draw_queue.py): first the counts (labels,
spans per hour, attribute values, documents per annotator and status: a few hundred rows
however large the project), then every document's layers (the strip and the Documents
table), then agreement and the translation-group checks, which read spans and records.
Nothing is read on the GUI thread; the window stays usable meanwhile; results of an
older refresh are dropped. Label colours are the project schema's.

The documents' layers, agreement and the group checks run in a child process
(store/statistics_job.py, started by suggest/worker_process.py at the lowest priority, in
a session of its own): Python over every document, which on a thread of this process held
Python's lock against the window's every Qt call. The worker thread only waits on the pipe. A refresh while the child
computes ends it and starts a fresh one; closing the dashboard ends it at once; a child
that dies fails its figure with a message, and the next refresh starts a new one.
`separate_process=False` computes them on the worker thread instead.

This module is the window: its layout and the computing of the figures
(dashboard_jobs.py runs them off the GUI thread). The figures are drawn by
dashboard_figures.py (spans) and dashboard_documents.py (progress and the Documents
table), on the panels of dashboard_panels.py.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.store import statistics as st
from annotator.store import statistics_job
from annotator.store.project import Project
from annotator.suggest.worker_process import WorkerProcess
from annotator.ui.dashboard.attribute_figures import AttributeFigures
from annotator.ui.dashboard.documents import DocumentProgressFigures, ProgressModel, strip_height, strip_pixels
from annotator.ui.dashboard.draw_queue import DrawQueue, Step
from annotator.ui.dashboard.figures import SpanFigures
from annotator.ui.dashboard.jobs import JobSignals, StatisticsJob, job_kind
from annotator.ui.dashboard.panels import Panel, pg, plot_widget
from annotator.ui.widgets import fonts
from annotator.ui.widgets.actions import CLOSE
from annotator.ui.widgets.plain import plain_label
from annotator.ui.widgets.screen_fit import resize_to_fit

ALL_LAYERS = "All annotators"


class Dashboard(SpanFigures, AttributeFigures, DocumentProgressFigures, QDialog):
    """Statistics of `project`. Refresh (F5) recomputes; `drawn` names each figure as it is
    put on screen ("overview": the counts, "documents", "labels", "agreement", "groups")."""

    drawn = Signal(str)
    figure_drawn = Signal(str)  # one figure put on screen: "labels", "progress", ..., "strip", "table", "groups"

    def __init__(self, project: Project, parent: QWidget | None = None, background: bool = True,
                 separate_process: bool = True) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle(f"Statistics — {project.path.name}")
        resize_to_fit(self, 1500, 940)
        self.project, self.background = project, background
        self.separate_process = separate_process and background
        self.process: WorkerProcess | None = None  # the child computing agreement and groups, once started
        self.schema_colours = {lab.name: lab.colour for lab in project.schema.labels}
        self.label_order = [lab.name for lab in project.schema.labels]
        self.attribute_order = [a.name for a in project.schema.attributes]
        self.attribute_bars: dict[str, pg.BarGraphItem] = {}
        self.attribute_slots: list[tuple[str, str]] = []
        self.languages = list(project.languages)
        self.counts: st.Counts | None = None
        self.progress: st.Progress | None = None
        # stage -> seconds computing ("<stage>", its thread's CPU "<stage>_cpu") and drawing ("<stage>_draw", "_draw_cpu")
        self.timings: dict[str, float] = {}
        self.drawn_since_refresh: set[str] = set()
        self.label_bars: dict[str, pg.BarGraphItem] = {}
        self.progress_bars: dict[str, pg.BarGraphItem] = {}
        self.agreement_bars: dict[str, pg.BarGraphItem] = {}
        self.throughput_bars: dict[str, pg.BarGraphItem] = {}
        self.group_bars: dict[str, pg.BarGraphItem] = {}
        self.label_languages: list[str] = []
        self.agreement_labels: list[str] = []
        self.group_names: list[str] = []
        # Per kind of job: a refresh makes every pending result stale, choosing a layer
        # only the pending label counts.
        self._generations = {"all": 0, "labels": 0}
        self._after_overview: list = []
        self._labels_generation_of_refresh = 0
        # Each figure drawn in a turn of the event loop of its own (draw_queue.py).
        self._draws = DrawQueue(self)
        self.figure_timings: dict[str, tuple[float, float]] = {}  # figure -> wall and CPU seconds drawing it
        self._closed = False
        self._pool = QThreadPool(self)
        # Two: a refresh need not wait for a stale agreement to finish (stale jobs stop
        # at their next stage).
        self._pool.setMaxThreadCount(2)
        self._signals = JobSignals(self)
        self._signals.result.connect(self._on_result)
        self._signals.failed.connect(self._on_failed)
        self._signals.note.connect(self._on_note)
        self._build()
        self.refresh()

    # -- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.layer_box = QComboBox()
        self.layer_box.addItem(ALL_LAYERS)
        self.layer_box.currentIndexChanged.connect(self._layer_chosen)
        self.status = plain_label()
        self.refresh_action = QAction("Refresh", self)
        self.refresh_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Refresh))
        self.refresh_action.triggered.connect(self.refresh)
        self.addAction(self.refresh_action)
        # Ctrl+W closes the dashboard as it closes the other windows (F5 refreshes).
        self.close_action = QAction("Close", self)
        self.close_action.setShortcuts(QKeySequence.keyBindings(CLOSE))
        self.close_action.triggered.connect(self.close)
        self.addAction(self.close_action)
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setToolTip("Recompute every figure (F5)")
        self.refresh_button.clicked.connect(self.refresh)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Labels of:"))
        bar.addWidget(self.layer_box)
        bar.addStretch(1)
        bar.addWidget(self.status)
        bar.addWidget(self.refresh_button)

        self.labels_panel = Panel("Spans per language and label", plot_widget())
        self.progress_panel = Panel("Progress per annotator (documents)", plot_widget())
        self.agreement_panel = Panel("Agreement per label (span F1)", plot_widget())
        self.throughput_panel = Panel("Spans created per hour (UTC)",
                                      plot_widget({"bottom": pg.DateAxisItem(orientation="bottom", utcOffset=0)}))
        self.throughput_panel.plot.getPlotItem().setMouseEnabled(True, False)  # zoom and pan in time
        self.groups_panel = Panel("Translation groups: disagreements", plot_widget())
        self.attributes_panel = Panel("Attribute values (items per value)", plot_widget())
        self.strip_panel = Panel("Documents × annotators (status)", plot_widget())
        self.strip_panel.set_plot_minimum_height(strip_height(1))
        self.strip_image = pg.ImageItem(autoDownsample=True)  # 10,000 documents: averaged, no moiré
        self.strip_panel.plot.addItem(self.strip_image)
        self.strip_panel.plot.scene().sigMouseMoved.connect(self._strip_hover)
        self.groups_panel.plot.scene().sigMouseMoved.connect(self._groups_hover)
        self.attributes_panel.plot.scene().sigMouseMoved.connect(self._attributes_hover)
        self._group_rows: list[st.GroupDisagreements] = []
        for panel in (self.labels_panel, self.progress_panel, self.agreement_panel, self.throughput_panel,
                      self.groups_panel, self.attributes_panel, self.strip_panel):
            panel.show_message("Computing…")

        overview = QWidget()
        grid = QGridLayout(overview)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.labels_panel, 0, 0)
        grid.addWidget(self.progress_panel, 0, 1)
        grid.addWidget(self.agreement_panel, 0, 2)
        grid.addWidget(self.throughput_panel, 1, 0)
        grid.addWidget(self.attributes_panel, 1, 1)
        grid.addWidget(self.groups_panel, 1, 2)
        grid.addWidget(self.strip_panel, 2, 0, 1, 3)
        grid.setRowStretch(0, 5)
        grid.setRowStretch(1, 5)
        grid.setRowStretch(2, 2)
        for col in range(3):
            grid.setColumnStretch(col, 1)

        self.table_model = ProgressModel(self)
        self.table = QTableView()
        self.table.setModel(self.table_model)
        self.table.setAlternatingRowColors(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setDefaultSectionSize(170)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setFont(fonts.with_fallbacks(self.table.font()))

        self.tabs = QTabWidget()
        self.tabs.addTab(overview, "Overview")
        self.tabs.addTab(self.table, "Documents")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)

    # -- computing ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Recompute every figure; the panels keep their old figures until new ones come."""
        self.status.setText("Computing…")
        self.drawn_since_refresh = set()
        annotator = self._chosen_layer()
        state: dict[str, st.Progress] = {}
        generation = self._generations["all"] + 1  # the one _start gives this refresh

        def counts():
            with self.project.read() as conn:
                return st.counts(conn, annotator)

        child = self._child_process() if self.separate_process else None

        def documents():
            if child is not None:  # its 440,000 rows made into columns (100,000 documents) there
                state["progress"] = child.run(statistics_job.documents, self.project.path)
            else:
                with self.project.read() as conn:
                    state["progress"] = st.progress(conn)
            return state["progress"], strip_pixels(state["progress"])

        def told(done: int, total: int) -> None:
            self._signals.note.emit(generation, "agreement", f"Computing agreement… {done:,} of {total:,} "
                                                             "shared documents")

        def agreement():
            if child is not None:
                return child.run(statistics_job.agreement, self.project.path, heard=lambda t: told(*t))
            with self.project.read() as conn:
                return st.agreement(conn, state.get("progress"), told)  # read again if that stage failed

        def groups():
            if child is not None:
                return child.run(statistics_job.group_table, self.project.path)
            with self.project.read() as conn:
                return st.GroupTable.of(st.group_disagreements(conn))

        # The rest starts once the counts are drawn, not competing with them.
        self._after_overview = [("documents", documents), ("agreement", agreement), ("groups", groups)]
        self._start([("overview", counts)])

    def _child_process(self) -> WorkerProcess:
        """The child for this refresh's agreement and groups: one still computing an older
        refresh's is ended (its job is stale) and a fresh one started."""
        if self.process is not None and self.process.busy:
            self._end_process()
        if self.process is None:
            # In a session of its own: its CPU is not charged to the window's (worker_process.py).
            self.process = WorkerProcess("the dashboard's process", own_session=True)
        return self.process

    def _end_process(self) -> None:
        if self.process is not None:
            self.process.close()  # terminates the child; a call waiting for it fails at once
            self.process = None

    def _layer_chosen(self) -> None:
        annotator = self._chosen_layer()

        def labels():
            with self.project.read() as conn:
                return st.label_counts(conn, annotator), st.attribute_counts(conn, annotator)

        self._start([("labels", labels)])

    def _chosen_layer(self) -> str | None:
        text = self.layer_box.currentText()
        return None if text in ("", ALL_LAYERS) else text

    def _start(self, stages, same_generation: bool = False) -> None:
        kind = job_kind(stages[0][0])
        if not same_generation:
            self._generations[kind] += 1
            if kind == "all":
                self._generations["labels"] += 1
                self._labels_generation_of_refresh = self._generations["labels"]
        job = StatisticsJob(self._generations[kind], stages, self._signals,
                            lambda g: self._closed or g != self._generations[kind])
        if self.background:
            self._pool.start(job)
        else:
            job.run()

    def wait(self) -> None:
        """Block until the computation under way (if any) has finished."""
        self._pool.waitForDone()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True  # stages not yet started are skipped
        self._end_process()  # a child computing now ends now
        self._draws.pause()
        super().closeEvent(event)

    def showEvent(self, event) -> None:
        # The main window keeps one dashboard and shows it again: computing resumes.
        self._closed = False
        self._draws.resume()
        super().showEvent(event)

    def _on_failed(self, generation: int, stage: str, message: str) -> None:
        if generation != self._generations[job_kind(stage)]:
            return
        if stage == "overview":  # what needed it will not come
            for later, _fn in self._after_overview:
                self._on_failed(generation, later, message)
            self._after_overview = []
        panels = {"overview": (self.labels_panel, self.progress_panel, self.throughput_panel, self.attributes_panel),
                  "documents": (self.strip_panel,),
                  "labels": (self.labels_panel, self.attributes_panel), "agreement": (self.agreement_panel,),
                  "groups": (self.groups_panel,)}[stage]
        for panel in panels:
            panel.show_message(message)
        self.timings[f"{stage}_draw"] = 0.0
        self.drawn_since_refresh.add(stage)
        self.status.setText(message if stage == "overview" else self.status.text())
        self.drawn.emit(stage)

    def _on_note(self, generation: int, stage: str, text: str) -> None:
        """How far a long stage is, in its panel while it shows no figure yet."""
        panel = {"agreement": self.agreement_panel}.get(stage)
        if generation == self._generations[job_kind(stage)] and panel is not None and panel.showing_message:
            panel.message.setText(text)

    def _on_result(self, generation: int, stage: str, payload) -> None:
        if generation != self._generations[job_kind(stage)]:
            return  # an older refresh
        value, seconds, cpu = payload
        self.timings[stage] = seconds
        self.timings[f"{stage}_cpu"] = cpu
        if stage == "overview":
            self.counts = value
            self._update_layers(value.annotators)
            # Its room now, while no plot shows: once figures are drawn, it would re-lay out the grid.
            self.strip_panel.set_plot_minimum_height(strip_height(len(value.annotators)))
        kind = job_kind(stage)
        labels_generation = self._labels_generation_of_refresh

        def current() -> bool:
            return generation == self._generations[kind]

        def labels_current() -> bool:  # the overview's label counts: not if a layer was chosen since
            return current() and self._generations["labels"] == labels_generation

        spent = [0.0, 0.0]

        def step(name: str, draw, is_current=current) -> Step:
            def drawn(wall: float, cpu: float) -> None:
                spent[0] += wall
                spent[1] += cpu
                self.figure_timings[name] = (wall, cpu)
                self.figure_drawn.emit(name)
            return Step(is_current, draw, drawn)

        def finish() -> None:
            self.timings[f"{stage}_draw_cpu"] = spent[1]
            self.timings[f"{stage}_draw"] = spent[0]
            self.drawn_since_refresh.add(stage)
            if stage == "overview":
                self.status.setText(f"Updated {datetime.now():%H:%M:%S} · {value.documents:,} documents "
                                    f"· counts read in {seconds * 1000:.0f} ms")
                later, self._after_overview = self._after_overview, []
                if later:
                    self._start(later, same_generation=True)
            self.drawn.emit(stage)

        steps = {
            "overview": lambda: [step("labels", lambda: self.draw_labels(value.labels), labels_current),
                                 step("progress", lambda: self.draw_progress(value)),
                                 step("throughput", lambda: self.draw_throughput(value.throughput)),
                                 step("attributes", lambda: self.draw_attributes(value.attributes), labels_current)],
            "documents": lambda: [step("strip", lambda: self.draw_strip(*value)),
                                  step("table", lambda: self.fill_table(value[0]))],
            "labels": lambda: [step("labels", lambda: self.draw_labels(value[0])),
                               step("attributes", lambda: self.draw_attributes(value[1]))],
            "agreement": lambda: [step("agreement", lambda: self.draw_agreement(value))],
            "groups": lambda: [step("groups", lambda: self.draw_groups(value))],
        }[stage]()
        self._draws.add([*steps, Step(current, finish, lambda _wall, _cpu: None)])

    def _update_layers(self, annotators) -> None:
        current = self.layer_box.currentText()
        wanted = [ALL_LAYERS, *annotators]
        if [self.layer_box.itemText(i) for i in range(self.layer_box.count())] == wanted:
            return
        self.layer_box.blockSignals(True)
        self.layer_box.clear()
        self.layer_box.addItems(wanted)
        self.layer_box.setCurrentIndex(max(0, self.layer_box.findText(current)))
        self.layer_box.blockSignals(False)
