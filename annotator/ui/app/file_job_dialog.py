"""What the import and export dialogs share: a file job (file_job.FileJob) run with a
status line, a progress bar, a summary and three buttons (the action, Cancel, Close).

While the job runs, Cancel and Esc ask it to stop ("Cancelling…") and Close is disabled;
closing the window cancels it and waits for its thread, since the project must not close
under a thread that reads or writes it. Exactly one ending message follows: the
subclass's summary of what was done, or why nothing was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QProgressBar, QWidget

from annotator.ui.app.file_job import FileJob
from annotator.ui.widgets import fonts
from annotator.ui.widgets.plain import plain_label


class FileJobDialog(QDialog):
    def __init__(self, action: str, status: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.job: FileJob | None = None
        self.status = plain_label(status)
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.hide()
        self.summary = QPlainTextEdit()
        self.summary.setReadOnly(True)
        self.summary.setFont(fonts.with_fallbacks(self.summary.font()))  # file names in any script
        self.buttons = QDialogButtonBox()
        self.action_button = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("Cancel", QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button = self.buttons.addButton("&Close", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.action_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.close)

    # -- what a subclass gives -----------------------------------------------------------

    def start(self) -> None:
        raise NotImplementedError

    def can_start(self) -> bool:
        """Whether the action button is enabled when no job runs."""
        return True

    # -- the job -------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running

    def run_job(self, fn: Callable[..., Any], starting: str, finished: Callable[[Any], None],
                failed: str, cancelled: str) -> None:
        """Start `fn` (see FileJob); `finished(result)` or the message `failed` + the
        error's, or `cancelled`, ends it."""
        self.summary.clear()
        self.job = FileJob(fn, self)
        self.job.progress.connect(self._progress)
        self.job.finished.connect(finished)
        self.job.failed.connect(lambda message: self.ended(f"{failed}: {message}"))
        self.job.cancelled.connect(lambda: self.ended(cancelled))
        self.progress.setRange(0, 0)  # busy until the first report with a total
        self.progress.show()
        self.status.setText(starting)
        self.job.start()
        self.update_buttons()

    def cancel(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()
            self.status.setText("Cancelling…")
            self.cancel_button.setEnabled(False)
        else:
            self.close()

    def _progress(self, done: int, total: int, what: str) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        self.status.setText(what)

    def ended(self, message: str, summary: str | None = None) -> None:
        """The job is over: `message` on the status line, `summary` (or the message) below."""
        self.progress.hide()
        self.status.setText(message)
        self.summary.setPlainText(summary if summary is not None else message)
        self.update_buttons()

    def update_buttons(self) -> None:
        running = self.running
        self.action_button.setEnabled(not running and self.can_start())
        self.cancel_button.setEnabled(running)
        self.close_button.setEnabled(not running)

    def reject(self) -> None:  # Esc while the job runs cancels instead of closing
        if self.running:
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()
            self.job.wait()  # the project must not close under a reading or writing thread
        super().closeEvent(event)
