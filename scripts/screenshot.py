"""Screenshots of the real app, one per seed document: screenshots/seed-<id>.png.

Run through scripts/screenshots.sh, which starts a private Xvfb and a throw-away user data
directory. Needs QT_QPA_PLATFORM=xcb and DISPLAY; goes through annotator.ui.app.launch.launch
exactly as `python -m annotator` does, so the default project is created from the seeds.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GOLD = ROOT / "seeds" / "gold" / "seeds.gold.jsonl"

from annotator.paths import default_project_path
from annotator.ui.app.qt_platform import load_library, platform_problem

# Mentions labelled in each seed through the workspace, as a user would (select, press the
# label's key; "*" = then label every occurrence in the document; other text = the first
# occurrence inside that text, for a nested span). The Bengali seed has no
# quantity, so it shows three labels; the English one shows a nested span.
MENTIONS = {
    "000": [("মিরসিয়া জিওনা", "PERSON", ""), ("গ্যাব্রিয়েল এসকোবার", "PERSON", ""), ("ন্যাটো", "ORG", "*"),
            ("কেএফওআর", "ORG", ""), ("০৯ জানুয়ারী ২০২৩", "DATE", "")],
    "001": [("Mircea Geoana", "PERSON", ""), ("NATO", "ORG", "*"), ("ngày 14/6", "DATE", "*"), ("4.000", "FIGURE", ""),
            ("Miroslav Lajcak", "PERSON", ""), ("KFOR", "ORG", "*")],
    "002": [("Mircea Geoana", "PERSON", ""), ("OTAN", "ORG", "*"), ("14 juin", "DATE", "*"), ("4 000", "FIGURE", ""),
            ("Miroslav Lajcak", "PERSON", ""), ("KFOR", "ORG", "*")],
    "003": [("Jens Stoltenberg", "PERSON", ""), ("NATO", "ORG", "*"), ("2023.", "DATE", ""), ("4.700", "FIGURE", ""),
            ("BiH", "ORG", "*"), ("\u0415U", "ORG", "")],
    "004": [("Mircea Geoană", "PERSON", ""), ("NATO", "ORG", "*"), ("13 June 2023", "DATE", ""), ("4,000", "FIGURE", ""),
            ("EU Special Representative", "PERSON", ""), ("EU", "ORG", "EU Special"), ("KFOR", "ORG", "*")],
}


def label_seed(win, seed: str, errors: list[str]) -> None:
    ws = win.workspace
    for mention, label, every in MENTIONS.get(seed, []):
        start = ws.text.find(mention, max(0, ws.text.find(every)) if every not in ("", "*") else 0)
        if start < 0:
            errors.append(f"seed {seed}: {mention!r} not found")
            continue
        ws.view.select(ws.omap.to_display(start), ws.omap.to_display(start + len(mention)))
        ws.label(label)
        if every == "*":
            ws.label_occurrences()
    first = ws.spans()[0] if ws.spans() else None
    if first is not None:
        ws.select_span(first.uid)


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

    from annotator.ui.app.launch import launch
    from annotator.ui.app.main_window import MainWindow

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
            shoot_tour(win)
            for number in range(win.navigator.model.rowCount()):
                uid = win.navigator.model.row_at(number).uid
                win.navigator.select_document(win.navigator.model.row_at(number).id)
                settle(args.settle_ms)
                label_seed(win, uid.split("_")[0], errors)
                win.view.verticalScrollBar().setValue(0)
                settle(args.settle_ms)
                target = args.out / f"seed-{uid.split('_')[0]}.png"
                # What the X server shows, not a re-render: grabWindow reads the framebuffer.
                pixmap = win.screen().grabWindow(win.winId())
                if pixmap.isNull() or not pixmap.save(str(target)):
                    errors.append(f"could not save {target}")
                else:
                    saved.append(target)
            shoot_frames(win)
            shoot_comfort(win)
        except Exception as exc:  # report, and still close the window so the app exits
            errors.append(repr(exc))
        finally:
            for w in app.topLevelWidgets():
                w.close()

    def grab(win, name: str) -> None:
        settle(args.settle_ms)
        target = args.out / name
        pixmap = win.screen().grabWindow(win.winId())
        if pixmap.isNull() or not pixmap.save(str(target)):
            errors.append(f"could not save {target}")
        else:
            saved.append(target)

    def shoot_tour(win) -> None:
        """The first start's tour over the window (its second step: the text), then closed."""
        from annotator.ui.app.tour import Tour

        settle(args.settle_ms)
        tours = [t for t in win.findChildren(Tour) if t.isVisible()]
        if not tours:
            errors.append("the tour did not open on the first start")
            return
        tours[0].go(1)
        tours[0].move(win.geometry().center())
        settle(args.settle_ms)
        pixmap = win.screen().grabWindow(0, win.x(), win.y(), win.frameGeometry().width(), win.frameGeometry().height())
        target = args.out / "tour.png"
        if pixmap.isNull() or not pixmap.save(str(target)):
            errors.append(f"could not save {target}")
        else:
            saved.append(target)
        tours[0].reject()

    def shoot_comfort(win) -> None:
        """The guidelines panel at the rule of a selected ORG span (English gold), and the
        Bengali seed in the dark theme."""
        from annotator.ui.widgets.theme import apply_theme

        win.set_annotator("gold")
        for seed, theme, name in (("004", "light", "guidelines.png"), ("000", "dark", "dark-theme-000.png")):
            row = next(win.navigator.model.row_at(i) for i in range(win.navigator.model.rowCount())
                       if win.navigator.model.row_at(i).uid.startswith(seed))
            win.navigator.select_document(row.id)
            win.set_theme(theme)
            settle(args.settle_ms)
            org = next((m for m in win.workspace.highlighter.marks() if m.label == "ORG"), None)
            if org is None:
                errors.append(f"seed {seed}: no ORG span in the gold layer")
                continue
            if theme == "light":
                win.toggle_guidelines()
            win.workspace.select_span(org.uid)
            win.view.setFocus()
            grab(win, name)
        win.guidelines.hide()
        apply_theme("light")

    def shoot_frames(win) -> None:
        """The events and claims panel on the gold annotation of the English and Bengali
        seeds (imported as the layer "gold"): the richest event, then the first claim."""
        from annotator.importer import import_paths

        if not GOLD.is_file():
            errors.append(f"{GOLD} is missing: no events and claims screenshots")
            return
        import_paths(win.project, [GOLD])
        win.set_annotator("gold")
        for seed in ("004", "000"):
            row = next(win.navigator.model.row_at(i) for i in range(win.navigator.model.rowCount())
                       if win.navigator.model.row_at(i).uid.startswith(seed))
            win.navigator.select_document(row.id)
            settle(args.settle_ms)
            frames = win.frames.frames
            for kind in ("event", "claim"):
                mine = [f for f in frames if f.kind == kind]
                if not mine:
                    errors.append(f"seed {seed}: the gold annotation has no {kind}")
                    continue
                best = max(mine, key=lambda f: len(f.arguments))
                win.frames_panel.select_row((kind, best.uid, None, None))
                win.frames_panel.tree.setFocus()
                grab(win, f"{kind}s-{seed}.png")
        shoot_windows(win)

    def shoot_windows(win) -> None:
        """Side by side on the gold layer of the seed group; adjudication between the layer
        labelled above ("screenshots") and a second annotator's ("ana", the gold spans with
        some left out and some relabelled); the statistics dashboard. Each opened by its
        action, as its shortcut does."""
        import tempfile
        from dataclasses import replace

        from annotator.formats import gold_checks, gold_jsonl
        from annotator.importer import import_paths

        def open_seed(seed: str) -> None:
            row = next(win.navigator.model.row_at(i) for i in range(win.navigator.model.rowCount())
                       if win.navigator.model.row_at(i).uid.startswith(seed))
            win.navigator.select_document(row.id)
            settle(args.settle_ms)

        open_seed("004")
        win.actions_by_name["side_by_side"].trigger()
        parallel = win.others.parallel
        parallel.resize(1600, 1000)
        grab(parallel, "side-by-side.png")
        parallel.tabs.setCurrentIndex(1)  # the disagreements of the group
        grab(parallel, "side-by-side-disagreements.png")
        parallel.close()

        records = [rec for _line, rec in gold_checks.read(GOLD.read_bytes(), str(GOLD))]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "ana.jsonl"
            path.write_bytes(b"".join(gold_jsonl.dumps(replace(
                rec, annotator="ana", status="in_progress", events=(), claims=(), alignments=(), links=(),
                spans=tuple(replace(s, id=f"ana-{s.id}", label="PERSON" if i % 7 == 3 and s.label == "ORG" else s.label)
                            for i, s in enumerate(rec.spans) if i % 5 != 2))) for rec in records))
            import_paths(win.project, [path])
        win.set_annotator("screenshots")
        for seed in ("004", "000"):
            open_seed(seed)
            adjudication = win.others.open_adjudication()
            adjudication.resize(1600, 1000)
            adjudication.select_row(min(2, adjudication.model.rowCount() - 1))
            grab(adjudication, f"adjudication-{seed}.png")
            adjudication.close()

        dashboard = win.others.open_statistics()
        dashboard.wait()
        settle(1500)
        grab(dashboard, "dashboard.png")
        dashboard.close()

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
