"""The projects opened lately, newest first, kept in the user's settings file (beside the
per-project settings, never in the platform registry). A project that has gone from disk
stays listed, marked missing, until the user removes it: a moved USB disk may come back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings

from annotator.paths import user_data_dir

KEY = "recent/projects"
LIMIT = 10


@dataclass(frozen=True)
class Recent:
    path: Path

    @property
    def missing(self) -> bool:
        return not self.path.is_file()


class RecentProjects:
    def __init__(self) -> None:
        self._qs = QSettings(str(user_data_dir() / "settings.ini"), QSettings.Format.IniFormat)

    def paths(self) -> list[Path]:
        value = self._qs.value(KEY, [])
        if isinstance(value, str):  # QSettings gives a one-element list back as a string
            value = [value]
        return [Path(p) for p in value or [] if p]

    def entries(self) -> list[Recent]:
        return [Recent(p) for p in self.paths()]

    def add(self, path: Path) -> None:
        """`path` first; at most LIMIT kept (the oldest go). A server project is not a file
        to reopen from this list: it is opened by its URL (`annotator gui URL`)."""
        if not isinstance(path, (str, Path)):
            return
        path = Path(path).resolve()
        self._store([path] + [p for p in self.paths() if p != path])

    def remove(self, path: Path) -> None:
        self._store([p for p in self.paths() if p != Path(path)])

    def remove_missing(self) -> int:
        kept = [e.path for e in self.entries() if not e.missing]
        gone = len(self.paths()) - len(kept)
        self._store(kept)
        return gone

    def _store(self, paths: list[Path]) -> None:
        if paths[:LIMIT] == self.paths():  # already so (the same project launched again): no rewrite
            return
        self._qs.setValue(KEY, [str(p) for p in paths[:LIMIT]])
        self._qs.sync()
