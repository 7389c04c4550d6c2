"""A first-start tour of the main window: five steps, each pointing at the part it is
about with a frame drawn over the window. Shown once (the user's settings remember it),
skippable at any step with Esc, reopened from Help > Tour."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QRect, QSettings, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QMainWindow, QPushButton, QVBoxLayout, QWidget

from annotator.paths import user_data_dir
from annotator.ui.widgets.actions import MAIN

_SEEN = "app/tour_seen"


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    target: str  # attribute of the main window that the step is about



def _key(action: str) -> str:
    """The action's first key as the registry writes it (a string: no QKeySequence before
    the QApplication)."""
    key = MAIN[action].keys[0]
    assert isinstance(key, str), action
    return key


STEPS = (
    Step("Documents", "The navigator lists the project's documents with their language, status and span "
         f"count. Alt+Down / Alt+Up go to the next / previous document; {_key('find')} searches the corpus, "
         "Ctrl+F finds in the document.",
         "navigator"),
    Step("Label a span", "Select text with the mouse or Shift+arrows (double-click takes a whole word), then "
         "press a label key: 1 PERSON, 2 ORG, 3 FIGURE, 4 DATE. Every edit is saved at once; Ctrl+Z undoes.",
         "view"),
    Step("Labels and the selected span", "The palette shows each label, its key and its count here. The "
         "inspector below edits the selected span's value (an ISO date, a number) and note.", "palette"),
    Step("Events, claims, the list", "E makes an event from the selection, C a claim; A attaches the selected "
         f"span as an argument. F6 goes to the events and claims, F7 to the list of every annotation, "
         f"{_key('focus_relations')} to the relations.",
         "side_tabs"),
    Step("Beyond one document", "Ctrl+T opens the document side by side with its translations, Ctrl+J "
         "adjudicates, Ctrl+Shift+S shows statistics, F9 the guidelines. F1 lists every key.", "doc_title"),
)


def seen() -> bool:
    return QSettings(str(user_data_dir() / "settings.ini"), QSettings.Format.IniFormat).value(_SEEN, "") == "1"


def mark_seen() -> None:
    s = QSettings(str(user_data_dir() / "settings.ini"), QSettings.Format.IniFormat)
    s.setValue(_SEEN, "1")
    s.sync()


class _Spotlight(QWidget):
    """A frame over the main window around the widget the current step is about; it lets
    every click through."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.area = QRect()
        window.installEventFilter(self)
        self.setGeometry(window.rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

    def point_at(self, widget: QWidget) -> None:
        top_left = widget.mapTo(self.parentWidget(), widget.rect().topLeft())
        self.area = QRect(top_left, widget.size()).adjusted(-3, -3, 3, 3)
        self.raise_()
        self.show()
        self.update()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#e8590c"), 4))
        painter.drawRoundedRect(self.area, 6, 6)


class Tour(QDialog):
    """Back / Next / Skip; Esc skips. Finishing or skipping marks the tour seen."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Tour")
        self.window_, self.index = window, 0
        self.spotlight = _Spotlight(window)
        self.heading, self.body, self.counter = QLabel(), QLabel(), QLabel()
        for label in (self.heading, self.body, self.counter):
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setStyleSheet("font-weight: bold; font-size: 14pt")
        self.body.setWordWrap(True)
        self.body.setMinimumWidth(380)
        self.back, self.next, self.skip = QPushButton("Back"), QPushButton("Next"), QPushButton("Skip the tour")
        self.back.clicked.connect(lambda: self.go(self.index - 1))
        self.next.clicked.connect(self._next)
        self.skip.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.counter)
        buttons.addStretch(1)
        for b in (self.skip, self.back, self.next):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.body)
        layout.addLayout(buttons)
        self.finished.connect(self._end)
        window.installEventFilter(self)  # the tour ends with its window
        self.go(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window_ and event.type() == QEvent.Type.Close and self.isVisible():
            self.reject()
        return False

    def go(self, index: int) -> None:
        self.index = max(0, min(index, len(STEPS) - 1))
        step = STEPS[self.index]
        self.heading.setText(step.title)
        self.body.setText(step.text)
        self.counter.setText(f"{self.index + 1} of {len(STEPS)}")
        self.back.setEnabled(self.index > 0)
        self.next.setText("Done" if self.index == len(STEPS) - 1 else "Next")
        self.next.setDefault(True)
        self.next.setFocus()
        self.spotlight.point_at(getattr(self.window_, step.target))

    def _next(self) -> None:
        if self.index == len(STEPS) - 1:
            self.accept()
        else:
            self.go(self.index + 1)

    def _end(self, _result: int) -> None:
        mark_seen()
        self.spotlight.hide()
        self.spotlight.deleteLater()


def show_tour(window: QMainWindow) -> Tour | None:
    """The tour over `window`, unless the window has been closed meanwhile."""
    if not window.isVisible():
        return None
    tour = Tour(window)
    tour.setModal(False)  # the window stays usable: the tour points at it
    tour.show()
    return tour
