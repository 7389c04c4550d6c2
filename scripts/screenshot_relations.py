"""Screenshots of relations, entity clusters and knowledge-base ids in the main window,
English and Bengali (screenshots/relation-*.png, entity-*.png, kb-picker-000.png).

Run through scripts/screenshots.sh (a private Xvfb, xcb, a throw-away user data directory).
The layer "ana" is the seeds' gold spans of the English, French and Bengali documents;
the relations, clusters and ids are made through the window's own controllers (what R,
=, Tab, Enter and Ctrl+K run), and a small knowledge-base table is imported as File >
Import a knowledge-base table does.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from shots import ROOT  # scripts/ is on the path of a script run; it puts the repository there
from shots import start as start_shots

GOLD = ROOT / "seeds" / "gold" / "seeds.gold.jsonl"
EN, FR, BN = "004_8ff92d06c738168c", "002_348658bd2cc7c365", "000_00eeb79877075e28"
KB = ("id,label,aliases\nQ7184,NATO,OTAN|North Atlantic Treaty Organization\n"
      "Q458,European Union,EU|UE|Union européenne\nQ7809,Mircea Geoană,Mircea Geoana\n"
      "Q1394,Miroslav Lajčák,Lajcak\nQ2379,KFOR,Kosovo Force\nQ1065,United Nations,UN|ONU\n")


def main() -> int:
    shots = start_shots("screenshot_relations.py", __doc__)
    if isinstance(shots, int):
        return shots


    from annotator.core.ids import new_id
    from annotator.importer import create_project, import_paths
    from annotator.store.entities import set_kb
    from annotator.store.parallel import add_link
    from annotator.store.queries import layer_spans, list_documents
    from annotator.store.spans import SpanData, add_spans
    from annotator.ui.annotate.entities import kb_choices
    from annotator.ui.app.kb_import import import_kb_table
    from annotator.ui.app.main_window import MainWindow
    from annotator.ui.app.session import Session
    from annotator.ui.widgets.choice_popup import ChoicePopup

    settle = shots.settle
    grab = shots.grab

    with tempfile.TemporaryDirectory() as tmp:
        project = create_project(Path(tmp) / "news.annotator")
        import_paths(project, [GOLD])
        with project.read() as conn:
            ids = {d.uid: d.id for d in list_documents(conn)}
            gold = {uid: layer_spans(conn, ids[uid], "gold") for uid in (EN, FR, BN)}
            texts = {uid: project.texts.get(conn, ids[uid]) for uid in (EN, FR, BN)}
        made = add_spans(project, [SpanData(new_id("s"), ids[uid], "ana", s[0], s[1], s[2])
                                   for uid, rows in gold.items() for s in rows]).result

        def span(uid: str, text: str, nth: int = 0) -> str:
            found = [s for s in made if s.document_id == ids[uid] and texts[uid][s.start:s.end] == text]
            return found[nth].uid

        add_link(project, span(EN, "Mircea Geoană"), span(FR, "Mircea Geoana"))
        table = Path(tmp) / "wikidata-subset.csv"
        table.write_text(KB, encoding="utf-8")
        session = Session(lambda p, a, s: MainWindow(p, a, session=s))
        win = session.show_project(project, "ana")
        win.move(0, 0)
        win.resize(1360, 820)
        win.splitter.setSizes([260, 640, 460])
        import_kb_table(win, table)

        def show(uid: str) -> None:
            win.navigator.select_document(ids[uid])
            win.open_document(ids[uid])
            win.actions_by_name["focus_relations"].trigger()
            win.view.setFocus()

        # English: Geoană member_of NATO, Lajcak member_of EU, drawn with Geoană selected.
        show(EN)
        win.relations.add("member_of", span(EN, "Mircea Geoană"), span(EN, "NATO", 1))
        win.relations.add("member_of", span(EN, "Miroslav Lajcak"), span(EN, "EU", 1))
        win.relations.add("quantity_of", span(EN, "4,000"), span(EN, "KFOR", 1))
        win.workspace.select_span(span(EN, "Mircea Geoană"))
        grab(win, "relation-004.png")
        # Half made: the first span boxed while Tab walks to the other, and a refusal's reason.
        win.workspace.select_span(span(EN, "NATO", 1))
        located_in = project.schema.relation("located_in")
        win.target_pick.start(span(EN, "NATO", 1), "located_in", lambda _t: None,
                              lambda t: win.relations.refusal(located_in, "ORG", t))
        win.target_pick.step(True)
        grab(win, "relation-picking-004.png")
        win.target_pick.cancel()
        win.workspace.select_span(span(EN, "NATO", 1))
        win.relations.add("member_of", span(EN, "NATO", 1), span(EN, "Mircea Geoană"))
        grab(win, "relation-refused-004.png")

        # The mentions of Geoană: three here and the French one linked side by side, with its id.
        geoana = [span(EN, "Mircea Geoană"), span(EN, "Geoană"), span(EN, "Geoana")]
        win.entities.join(geoana[0], geoana[1])
        win.entities.join(geoana[1], geoana[2])
        win.workspace.select_span(geoana[0])
        win.entities.add_translations()
        entity = win.entities.cluster_of(geoana[0])
        win.edits.run(lambda: set_kb(project, "ana", entity, "Q7809"), win)
        win.workspace.select_span(geoana[1])
        win.statusBar().clearMessage()  # the refusal above is not this picture's
        grab(win, "entity-004.png")

        # Bengali: জিওনা member_of ন্যাটো, the mentions of NATO clustered, and the picker
        # suggesting NATO for ন্যাটো by transliteration.
        show(BN)
        win.relations.add("member_of", span(BN, "মিরসিয়া জিওনা"), span(BN, "ন্যাটো", 1))
        win.entities.join(span(BN, "ন্যাটো", 0), span(BN, "ন্যাটো", 1))
        win.entities.join(span(BN, "ন্যাটো", 1), span(BN, "ন্যাটোর"))
        win.workspace.select_span(span(BN, "মিরসিয়া জিওনা"))
        grab(win, "relation-000.png")
        win.workspace.select_span(span(BN, "ন্যাটো", 1))
        names = [m.text for m in win.entities.mentions if m.entity == win.entities.cluster_of(span(BN, "ন্যাটো", 1))]
        # Shown without exec() (ask_kb's way), so that the window and the picker can be grabbed.
        popup = ChoicePopup(f"Knowledge-base id of “{names[0]}”", kb_choices(win.entities.index(), names, None),
                            win.view, keys_pick=False)
        popup.resize(640, popup.height())
        popup.show()
        popup.move(win.x() + 300, win.y() + 330)
        popup.filter.setFocus()
        settle()
        grab(win, "kb-picker-000.png")
        popup.close()
        win.close()
        session.close()
    return shots.finish()


if __name__ == "__main__":
    raise SystemExit(main())
