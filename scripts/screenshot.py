"""Screenshots of the real app, one per seed document: screenshots/seed-<id>.png.

Run through scripts/screenshots.sh, which starts a private Xvfb and a throw-away user data
directory. Needs QT_QPA_PLATFORM=xcb and DISPLAY; goes through annotator.ui.launch.launch
exactly as `python -m annotator` does, so the default project is created from the seeds.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.paths import default_project_path  # noqa: E402
from annotator.ui.qt_platform import load_library, platform_problem  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--settle-ms", type=int, default=400, help="time to let each page paint")
    args = parser.parse_args()
    if "ANNOTATOR_DATA_DIR" not in os.environ:
        print("screenshot.py: set ANNOTATOR_DATA_DIR to a scratch directory (scripts/screenshots.sh does)",
              file=sys.stderr)
        return 2
    problem = platform_problem(os.environ, load_library)
    if problem:
        print(problem, file=sys.stderr)
        return 1

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from annotator.ui.launch import launch
    from annotator.ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    args.out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    errors: list[str] = []

    def settle(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def shoot() -> None:
        try:
            windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
            if not windows:
                errors.append("the main window did not open")
                return
            win = windows[0]
            settle(args.settle_ms)
            for row in range(win.model.rowCount()):
                win.select_row(row)
                settle(args.settle_ms)
                uid = win.model.row_at(row).uid
                target = args.out / f"seed-{uid.split('_')[0]}.png"
                # What the X server shows, not a re-render: grabWindow reads the framebuffer.
                pixmap = win.screen().grabWindow(win.winId())
                if pixmap.isNull() or not pixmap.save(str(target)):
                    errors.append(f"could not save {target}")
                else:
                    saved.append(target)
        except Exception as exc:  # report, and still close the window so the app exits
            errors.append(repr(exc))
        finally:
            for w in app.topLevelWidgets():
                w.close()

    QTimer.singleShot(0, shoot)
    print(f"platform {app.platformName()}, project {default_project_path()}", file=sys.stderr)
    status = launch(default_project_path(), "screenshots", default=True)
    for path in saved:
        print(path)
    for error in errors:
        print(f"screenshot.py: {error}", file=sys.stderr)
    if app.platformName() != "xcb":
        print(f"screenshot.py: platform is {app.platformName()}, expected xcb", file=sys.stderr)
        return 1
    return 1 if status or errors or not saved else 0


if __name__ == "__main__":
    raise SystemExit(main())
