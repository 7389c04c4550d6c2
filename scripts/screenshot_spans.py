"""Screenshots of spans painted at draw time (issue 18): the Bengali seed with spans that
nest three deep (a fill, a solid and a wavy underline) and a word selected over a span
(spans-000.png, and the same in the dark theme: spans-000-dark.png), and the 1 MB,
50,000-span benchmark document at its start and scrolled to its middle (spans-big-top.png,
spans-big-middle.png). Look for: Bengali conjuncts shaped across every fill's edge, fills
under the glyphs, no line drawn twice (bold-looking text).

Run through scripts/screenshots.sh (a private Xvfb, xcb, a throw-away user data directory).
The spans are made through the store, as the label keys make them.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from shots import ROOT
from shots import start as start_shots

BN = "000_00eeb79877075e28"
ANNOTATOR = "bench"  # whose layer the benchmark document's 50,000 spans are in


def main() -> int:
    shots = start_shots("screenshot_spans.py", __doc__)
    if isinstance(shots, int):
        return shots
    sys.path.insert(0, str(ROOT / "bench"))
    from gen_corpus import big_path

    from annotator.importer import create_project, import_paths
    from annotator.store.queries import document_text, list_documents
    from annotator.store.spans import add_span
    from annotator.ui.app.main_window import MainWindow
    from annotator.ui.app.session import Session
    from annotator.ui.widgets.theme import apply_theme

    settle, grab = shots.settle, shots.grab
    with tempfile.TemporaryDirectory() as tmp:
        p = create_project(Path(tmp) / "news.annotator")
        import_paths(p, [big_path()])
        with p.read() as conn:
            docs = {d.uid: d.id for d in list_documents(conn)}
            text = document_text(conn, docs[BN])

        def span(needle: str, label: str, within: str = "") -> None:
            start = text.index(needle, text.index(within) if within else 0)
            add_span(p, docs[BN], ANNOTATOR, start, start + len(needle), label)

        span("মিরসিয়া জিওনা", "PERSON")
        span("ন্যাটো", "ORG")
        span("কেএফওআর", "ORG")
        span("০৯ জানুয়ারী ২০২৩", "DATE")
        # Three deep: the whole phrase ORG, its first two words PERSON, its first word DATE.
        phrase = "ইইউ-নেতৃত্বাধীন রুল অফ ল মিশন"
        span(phrase, "ORG")
        span("ইইউ-নেতৃত্বাধীন রুল", "PERSON", phrase)
        span("ইইউ-নেতৃত্বাধীন", "DATE", phrase)

        session = Session(lambda p, a, s: MainWindow(p, a, session=s))
        win = session.show_project(p, ANNOTATOR)
        win.move(0, 0)
        win.resize(1360, 900)
        settle()

        def open_doc(uid: str) -> None:
            win.navigator.select_document(docs[uid])
            win.open_document(docs[uid])
            settle()

        open_doc(BN)
        ws = win.workspace
        name = ws.text.index("জিওনা")  # a word selected inside a span: Qt's selection on that line
        win.view.select(ws.omap.to_display(name), ws.omap.to_display(name + len("জিওনা")))
        win.view.setFocus()
        grab(win, "spans-000.png")
        apply_theme("dark", remember=False)
        grab(win, "spans-000-dark.png")
        apply_theme("light", remember=False)
        open_doc("bench-big")
        grab(win, "spans-big-top.png")
        bar = win.view.verticalScrollBar()
        bar.setValue(bar.maximum() // 2)
        grab(win, "spans-big-middle.png")
        win.close()
        session.close()
    return shots.finish()


if __name__ == "__main__":
    raise SystemExit(main())
