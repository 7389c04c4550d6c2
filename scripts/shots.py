"""What every screenshot script shares: its options (--out, --settle-ms), the checks before
Qt starts (a scratch ANNOTATOR_DATA_DIR, the xcb platform's libraries), the application,
letting the window settle, grabbing what the X server shows, and the closing report (the
files saved, each error, and a refusal unless the platform was xcb)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.ui.app.qt_platform import load_library, platform_problem


class Shots:
    def __init__(self, script: str, args: argparse.Namespace) -> None:
        from PySide6.QtWidgets import QApplication

        self.script, self.args, self.out = script, args, args.out
        self.app = QApplication(["annotator"])
        self.app.setApplicationDisplayName("Annotator")
        self.out.mkdir(parents=True, exist_ok=True)
        self.saved: list[Path] = []
        self.errors: list[str] = []

    def settle(self, ms: int | None = None) -> None:
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        QTimer.singleShot(self.args.settle_ms if ms is None else ms, loop.quit)
        loop.exec()

    def save(self, pixmap, name: str) -> None:
        target = self.out / name
        if pixmap.isNull() or not pixmap.save(str(target)):
            self.errors.append(f"could not save {target}")
        else:
            self.saved.append(target)

    def grab(self, window, name: str) -> None:
        """`window` as the X server shows it (grabWindow reads the framebuffer), once settled."""
        self.settle()
        self.save(window.screen().grabWindow(window.winId()), name)

    def finish(self) -> int:
        for path in self.saved:
            print(path)
        for error in self.errors:
            print(f"{self.script}: {error}", file=sys.stderr)
        if self.app.platformName() != "xcb":
            print(f"{self.script}: platform is {self.app.platformName()}, expected xcb", file=sys.stderr)
            return 1
        return 1 if self.errors or not self.saved else 0


def start(script: str, description: str, out: Path = ROOT / "screenshots", settle_ms: int = 500) -> Shots | int:
    """The script's Shots, or the exit status when it cannot run here (said on stderr)."""
    parser = argparse.ArgumentParser(description=description.splitlines()[0])
    parser.add_argument("--out", type=Path, default=out)
    parser.add_argument("--settle-ms", type=int, default=settle_ms)
    args = parser.parse_args()
    if "ANNOTATOR_DATA_DIR" not in os.environ:
        print(f"{script}: set ANNOTATOR_DATA_DIR to a scratch directory (scripts/screenshots.sh does)",
              file=sys.stderr)
        return 2
    if problem := platform_problem(os.environ, load_library):
        print(problem, file=sys.stderr)
        return 1
    return Shots(script, args)
