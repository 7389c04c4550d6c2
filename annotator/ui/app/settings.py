"""Per-project window state (geometry, splitter, last document, annotator), kept in an INI
file in the user data directory, never in the platform registry: tests point
ANNOTATOR_DATA_DIR elsewhere and so never touch a user's real settings."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QSettings

from annotator.paths import user_data_dir


class ProjectSettings:
    def __init__(self, project_path) -> None:
        self._qs = QSettings(str(user_data_dir() / "settings.ini"), QSettings.Format.IniFormat)
        # A file by its real path; a project on a server by its URL (any password masked).
        resolved = str(Path(project_path).resolve()) if isinstance(project_path, Path) else str(project_path)
        self._group = "project-" + hashlib.sha1(resolved.encode()).hexdigest()[:16]
        if self._qs.value(f"{self._group}/path") != resolved:
            self._qs.setValue(f"{self._group}/path", resolved)

    def get(self, key: str, default=None):
        return self._qs.value(f"{self._group}/{key}", default)

    def set(self, key: str, value) -> None:
        # Unchanged (the last document on every launch): no rewrite of the file.
        if self._qs.contains(f"{self._group}/{key}") and self._qs.value(f"{self._group}/{key}") == value:
            return
        self._qs.setValue(f"{self._group}/{key}", value)
        self._qs.sync()
