"""The dashboard's per-document figures: the progress bars per annotator, the strip of
documents × annotators and the Documents tab's table, one row per document.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor

from annotator.store import statistics as st
from annotator.ui.dashboard.panels import add_bars, integer_ticks
from annotator.ui.widgets.plain import tooltip

STATUS_COLOURS = {"done": "#2e7d32", "in_progress": "#f0a30a", "todo": "#d9d9d9"}
STATUS_NAMES = {"done": "done", "in_progress": "in progress", "todo": "to do"}


class ProgressModel(QAbstractTableModel):
    """One row per document: id, language, then each annotator's status and span count."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.progress: st.Progress | None = None

    def set_progress(self, progress: st.Progress) -> None:
        self.beginResetModel()
        self.progress = progress
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or self.progress is None else len(self.progress.documents)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or self.progress is None else 2 + len(self.progress.annotators)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or self.progress is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return ["Document", "Language", *self.progress.annotators][section]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if self.progress is None or not index.isValid():
            return None
        doc = self.progress.documents[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return doc.uid
            if col == 1:
                return doc.lang
            status, spans = doc.statuses[col - 2], doc.spans[col - 2]
            return f"{STATUS_NAMES[status]} · {spans} span{'s' if spans != 1 else ''}"
        if role == Qt.ItemDataRole.BackgroundRole and col >= 2:
            colour = QColor(STATUS_COLOURS[doc.statuses[col - 2]])
            colour.setAlpha(90)
            return QBrush(colour)
        return None


def strip_height(annotators: int) -> int:
    """The strip's least height in pixels: a row per annotator, up to 9."""
    return min(260, 60 + 22 * annotators)


def strip_pixels(progress: st.Progress) -> np.ndarray:
    """The strip's image: a pixel per document (rows) and annotator (columns), in its status's colour."""
    palette = np.array([[int(STATUS_COLOURS[s][i:i + 2], 16) for i in (1, 3, 5)] for s in st.STATUSES],
                       dtype=np.ubyte)
    rows = progress.documents  # the status codes are STATUSES' indexes, document by document
    codes = np.frombuffer(bytes(rows.status_codes), dtype=np.uint8) if rows.status_codes else np.zeros(0, np.uint8)
    return palette[codes.reshape(len(rows), len(progress.annotators))]


class DocumentProgressFigures:
    """Part of the Dashboard: draws the statistics.Counts' documents per annotator and
    status on its progress_panel (keeping the bars in progress_bars), and a
    statistics.Progress on its strip_panel and strip_image and in its table_model."""

    def draw_strip(self, progress: st.Progress, pixels: np.ndarray | None = None) -> None:
        """`pixels`: strip_pixels(progress), made on the worker thread (100,000 documents: 60 ms)."""
        self.progress = progress
        self._draw_strip(progress, pixels)

    def fill_table(self, progress: st.Progress) -> None:
        self.table_model.set_progress(progress)
        self.table.setColumnWidth(0, 220)
        self.table.setColumnWidth(1, 80)

    def draw_progress(self, counts: st.Counts) -> None:
        panel, plot = self.progress_panel, self.progress_panel.plot
        plot.clear()
        self.progress_bars = {}
        names = list(counts.annotators)
        n_docs = counts.documents
        if not names:
            panel.show_message(f"Nobody has annotated yet ({n_docs:,} documents to do)")
            return
        panel.set_legend([(STATUS_COLOURS[s], STATUS_NAMES[s]) for s in st.STATUSES])
        ys = np.arange(len(names), dtype=float)
        left = np.zeros(len(names))
        for status in st.STATUSES:
            widths = np.array([counts.per_annotator[n][status] for n in names], dtype=float)
            self.progress_bars[status] = add_bars(plot, STATUS_NAMES[status], STATUS_COLOURS[status], x0=left.copy(),
                                                  y=ys, width=widths, height=0.6)
            left += widths
        item = plot.getPlotItem()
        item.getAxis("left").setTicks([[(float(i), n) for i, n in enumerate(names)]])
        integer_ticks(item.getAxis("bottom"), max(1, n_docs), most=6)
        item.invertY(True)
        item.setYRange(-0.6, len(names) - 0.4, padding=0)
        item.setXRange(0, max(1, n_docs) * 1.02, padding=0)
        done = ", ".join(f"{n}: {counts.per_annotator[n]['done'] / max(1, n_docs):.0%} done" for n in names[:6])
        panel.show_plot(f"{n_docs:,} documents · {done}")

    def _draw_strip(self, progress: st.Progress, pixels: np.ndarray | None) -> None:
        panel, plot = self.strip_panel, self.strip_panel.plot
        names, docs = progress.annotators, progress.documents
        if not names or not docs:
            panel.show_message("Nobody has annotated yet")
            return
        self.strip_image.setImage(strip_pixels(progress) if pixels is None else pixels, autoLevels=False,
                                  levels=(0, 255))
        self.strip_image.setRect(0, 0, len(docs), len(names))
        item = plot.getPlotItem()
        item.getAxis("left").setTicks([[(i + 0.5, n) for i, n in enumerate(names)]])
        if len(docs) <= 30:  # few documents: number each column
            item.getAxis("bottom").setTicks([[(i + 0.5, str(i + 1)) for i in range(len(docs))]])
        else:
            integer_ticks(item.getAxis("bottom"), len(docs), most=10)
        item.invertY(True)
        item.setXRange(0, len(docs), padding=0)
        item.setYRange(0, len(names), padding=0)
        panel.set_plot_minimum_height(strip_height(len(names)))
        panel.show_plot("Each column is a document in import order (green done, amber in progress, grey to do); "
                        "hover for details; the Documents tab lists them all")

    def _strip_hover(self, pos) -> None:
        progress = self.progress
        plot = self.strip_panel.plot
        if progress is None or not progress.annotators:
            return
        point = plot.getPlotItem().vb.mapSceneToView(pos)
        i = int(point.x())
        if not 0 <= i < len(progress.documents):
            plot.setToolTip("")
            return
        doc = progress.documents[i]
        layers = "\n".join(f"{n}: {STATUS_NAMES[s]}, {k} spans"
                           for n, s, k in zip(progress.annotators, doc.statuses, doc.spans))
        plot.setToolTip(tooltip(f"{doc.uid} ({doc.lang})\n{layers}"))
