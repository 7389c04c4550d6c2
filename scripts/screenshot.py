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

# A made-up Arabic news paragraph (Arabic-Indic and Western digits, harakat, Latin names),
# a Persian and a Hebrew line, as the right-to-left tests use.
ARABIC = (
    "قال الأمين العام لحلف شمال الأطلسي مارك روته، في مؤتمر صحفي عقده في بروكسل يوم ١٣ يونيو ٢٠٢٣، "
    "إن الحلف سيرسل ٤٬٠٠٠ جندي إضافي إلى كوسوفو. وأضاف أن بعثة KFOR التي يقودها الجنرال "
    "Angelo Michele Ristuccia تضم حاليًا 3,700 عسكري من ٢٧ دولة، وأن ميزانيتها ارتفعت بنسبة ٣٫٥٪ "
    "خلال عام 2022. وأكّد المتحدث باسم الاتحاد الأوروبي Peter Stano أنّ الحوار سيُستأنف الأسبوع المقبل.\n"
    "به گزارش خبرگزاری ایرنا، ۴۰۰ نیروی تازه به کوزوو اعزام شدند.\n"
    "לפי הדיווח, 4,000 חיילים של נאט\"ו נשלחו לקוסובו.\n")
ARABIC_MENTIONS = [("مارك روته", "PERSON"), ("حلف شمال الأطلسي", "ORG"), ("١٣ يونيو ٢٠٢٣", "DATE"),
                   ("٤٬٠٠٠", "FIGURE"), ("KFOR", "ORG"), ("Angelo Michele Ristuccia", "PERSON"),
                   ("3,700", "FIGURE"), ("Peter Stano", "PERSON"), ("الاتحاد الأوروبي", "ORG"),
                   ("۴۰۰", "FIGURE"), ("4,000", "FIGURE")]


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
            ws.label_occurrences(preview=False)
    first = ws.spans()[0] if ws.spans() else None
    if first is not None:
        ws.select_span(first.uid)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--settle-ms", type=int, default=400, help="time to let each page paint")
    parser.add_argument("--text-only", action="store_true",
                        help="only the text tools: find bar, bulk preview, tags, Arabic")
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
            if args.text_only:
                shoot_text(win)
                return
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
        shoot_text(win)

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
                relations=(), entities=(),  # they would point at spans left out here
                spans=tuple(replace(s, id=f"ana-{s.id}", entity=None,
                                    label="PERSON" if i % 7 == 3 and s.label == "ORG" else s.label)
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
        for _ in range(240):  # every figure drawn (its child process is slow to start on a loaded machine)
            if {"overview", "documents", "agreement", "groups"} <= dashboard.drawn_since_refresh:
                break
            settle(250)
        settle(500)
        grab(dashboard, "dashboard.png")
        dashboard.close()

    def open_uid(win, prefix: str) -> None:
        row = next(win.navigator.model.row_at(i) for i in range(win.navigator.model.rowCount())
                   if win.navigator.model.row_at(i).uid.startswith(prefix))
        win.navigator.select_document(row.id)
        settle(args.settle_ms)

    def shoot_text(win) -> None:
        """The text tools: role and type tags of the gold events and claims (English and
        Bengali, scrolled to the top so the first lines show), the find bar with its
        matches, the preview of "Label every occurrence", and an Arabic text labelled."""
        import tempfile

        from annotator.core.records import DocumentRecord
        from annotator.formats import gold_jsonl
        from annotator.importer import import_paths
        from annotator.store.queries import annotator_names

        with win.project.read() as conn:
            has_gold = "gold" in annotator_names(conn)
        if not has_gold:
            import_paths(win.project, [GOLD])
        win.set_annotator("gold")
        for seed in ("004", "000"):
            open_uid(win, seed)
            for kind in ("claim", "event"):
                mine = [f for f in win.frames.frames if f.kind == kind]
                if not mine:
                    errors.append(f"seed {seed}: the gold annotation has no {kind}")
                    continue
                frame = mine[0] if kind == "event" else max(mine, key=lambda f: len(f.arguments))
                win.frames.select((kind, frame.uid, None, None))
                cursor = win.view.textCursor()
                cursor.setPosition(win.workspace.omap.to_display(frame.start))
                win.view.setTextCursor(cursor)
                win.view.ensureCursorVisible()
                if kind == "event":
                    win.view.verticalScrollBar().setValue(0)
                grab(win, f"tags-{kind}-{seed}.png")
        win.set_annotator("screenshots")
        for seed, trigger, who in (("004", "News", ("NATO", "EU")), ("000", "নেতৃত্বাধীন", ("ন্যাটো", "কেএফওআর"))):
            first_line_tags(win, seed, trigger, who)
        open_uid(win, "004")
        win.actions_by_name["find_in_document"].trigger()
        win.find_bar.field.setText("nato")
        win.actions_by_name["find_next"].trigger()
        grab(win, "find-bar.png")
        win.find_bar.close_bar()
        ws = win.workspace
        at = ws.text.find("KFOR")
        ws.view.select(ws.omap.to_display(at), ws.omap.to_display(at + 4))
        ws.label("ORG")
        ws.label_occurrences(whole_corpus=True)
        if ws.preview is None:
            errors.append("the preview of Label every occurrence did not open")
        else:
            grab(ws.preview, "bulk-preview.png")
            ws.preview.reject()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "ar.jsonl"
            path.write_bytes(gold_jsonl.dumps(DocumentRecord(id="ar-news", lang="ar", title="خبر: كوسوفو",
                                                             text=ARABIC)))
            import_paths(win.project, [path])
        win.navigator.refresh()
        open_uid(win, "ar-news")
        for mention, label in ARABIC_MENTIONS:
            at = ws.text.find(mention)
            if at < 0:
                errors.append(f"Arabic: {mention!r} not found")
                continue
            ws.view.select(ws.omap.to_display(at), ws.omap.to_display(at + len(mention)))
            ws.label(label)
        ws.select_span(ws.spans()[0].uid)
        grab(win, "arabic.png")

    def first_line_tags(win, seed: str, trigger: str, who: tuple[str, ...]) -> None:
        """An event on the first line of a text, its participants labelled there too: its
        tags must show whole above that line (a MEETING is only a stand-in for the picture)."""
        from annotator.store import events

        open_uid(win, seed)
        ws = win.workspace
        for mention in who:
            at = ws.text.find(mention)
            ws.view.select(ws.omap.to_display(at), ws.omap.to_display(at + len(mention)))
            ws.label("ORG")
        at = ws.text.find(trigger)
        change = win.frames._run(lambda: events.add_frame(win.project, events.Frame(
            "event", "", ws.doc_id, "screenshots", "MEETING", at, at + len(trigger))))
        if change is None:
            errors.append(f"seed {seed}: no event on the first line")
            return
        for mark in ws.spans()[:len(who)]:
            win.frames._run(lambda mark=mark: events.add_argument(win.project, "event", change.result.uid,
                                                                 "participant", mark.uid))
        win.frames.select(("event", change.result.uid, None, None))
        win.view.verticalScrollBar().setValue(0)
        grab(win, f"tags-first-line-{seed}.png")

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
