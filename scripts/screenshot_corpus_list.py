"""Screenshots of the annotation list's corpus scope: every DATE span of a layer across the
five seed documents (screenshots/corpus-list.png), then only those without a value
(corpus-list-no-value.png), with one opened from the list.

Run through scripts/screenshots.sh (a private Xvfb, xcb, a throw-away user data directory).
The layer "ana" is the seeds' gold DATE spans with every other value left out, so the
"Without a value" filter has something to keep. The list is reached as F7 does.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from shots import ROOT  # scripts/ is on the path of a script run; it puts the repository there
from shots import start as start_shots

GOLD = ROOT / "seeds" / "gold" / "seeds.gold.jsonl"


def main() -> int:
    shots = start_shots("screenshot_corpus_list.py", __doc__)
    if isinstance(shots, int):
        return shots


    from annotator.core.ids import new_id
    from annotator.importer import create_project, import_paths
    from annotator.store.queries import corpus_label_spans
    from annotator.store.spans import SpanData, add_spans
    from annotator.ui.app.main_window import MainWindow
    from annotator.ui.app.session import Session

    settle = shots.settle
    grab = shots.grab

    with tempfile.TemporaryDirectory() as tmp:
        project = create_project(Path(tmp) / "news.annotator")
        import_paths(project, [GOLD])
        with project.read() as conn:
            dates = corpus_label_spans(conn, "gold", "DATE")
        if not dates:
            print(f"screenshot_corpus_list.py: {GOLD} has no DATE spans", file=sys.stderr)
            return 1
        add_spans(project, [SpanData(new_id("s"), s.doc_id, "ana", s.start, s.end, "DATE",
                                     s.value if i % 2 == 0 else None) for i, s in enumerate(dates)])
        session = Session(lambda p, a, s: MainWindow(p, a, session=s))
        win = session.show_project(project, "ana")
        win.move(0, 0)
        win.resize(1360, 820)
        win.splitter.setSizes([300, 600, 460])  # the side panel dragged wider, as a user would
        settle()
        win.actions_by_name["focus_annotations"].trigger()
        panel = win.annotation_list
        panel.scope_box.setCurrentIndex(panel.scope_box.findData("corpus"))
        panel.label_box.setCurrentIndex(panel.label_box.findData("DATE"))
        bengali = next((r for r in range(panel.table.model().rowCount())
                        if panel.table.model().index(r, 0).data().startswith("bn")), 0)
        panel.table.setCurrentIndex(panel.table.model().index(bengali, 0))
        panel.jump(panel.table.currentIndex(), take_keyboard=False)  # as Enter does
        grab(win, "corpus-list.png")
        panel.no_value_box.setChecked(True)
        panel.table.setFocus()
        grab(win, "corpus-list-no-value.png")
        win.close()
        session.close()
    return shots.finish()


if __name__ == "__main__":
    raise SystemExit(main())
