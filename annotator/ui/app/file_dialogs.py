"""The file choosers of the File menu, in one place: Qt's own (non-native) dialog, so it
looks and behaves the same on every desktop and under Xvfb, and tests can answer it by
replacing these functions (the actions that call them stay the real ones)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

PROJECT_FILTER = "Annotator projects (*.annotator *.sqlite *.db);;All files (*)"
_OPTIONS = QFileDialog.Option.DontUseNativeDialog


def open_file(parent: QWidget | None, title: str, filters: str = PROJECT_FILTER) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, "", filters, options=_OPTIONS)
    return Path(name) if name else None


def open_files(parent: QWidget | None, title: str, filters: str = "All files (*)") -> list[Path]:
    names, _ = QFileDialog.getOpenFileNames(parent, title, "", filters, options=_OPTIONS)
    return [Path(n) for n in names]


def open_folder(parent: QWidget | None, title: str) -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, title, "", options=_OPTIONS | QFileDialog.Option.ShowDirsOnly)
    return Path(name) if name else None


def save_file(parent: QWidget | None, title: str, suggested: str = "", filters: str = "All files (*)") -> Path | None:
    # No overwrite question here: the export's own checks refuse an existing file unless
    # "replace" is ticked, and refuse a project always, with the reason.
    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters,
                                          options=_OPTIONS | QFileDialog.Option.DontConfirmOverwrite)
    return Path(name) if name else None
