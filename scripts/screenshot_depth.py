"""Screenshots of attributes, document labels and discontinuous spans (issue 14) in the main
window: an event's attributes with a required one reminded (attributes-event-004.png), a
claim's (attributes-claim-004.png), the document's labels (document-labels-004.png), a span
"EU … Representative" in two fragments (fragment-004.png), and the same in Bengali: a
span "ইইউ … মিশন" (fragment-000.png) and a MEETING event's attributes (attributes-event-000.png).

Run through scripts/screenshots.sh (a private Xvfb, xcb, a throw-away user data directory).
The items are made through the store, as the keys make them (tests/ui/annotate/
test_attributes_keys.py and test_fragment_keys.py press the keys); the panels are reached
with F4, Shift+F4 and a click on the span, as a user would.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from shots import start as start_shots

EN, BN = "004_8ff92d06c738168c", "000_00eeb79877075e28"


def main() -> int:
    shots = start_shots("screenshot_depth.py", __doc__)
    if isinstance(shots, int):
        return shots


    from annotator.importer import create_project
    from annotator.store import fragments
    from annotator.store.attributes import Target, set_attribute
    from annotator.store.events import Frame, add_argument, add_frame
    from annotator.store.queries import document_text, list_documents
    from annotator.store.spans import add_span
    from annotator.ui.app.main_window import MainWindow
    from annotator.ui.app.session import Session

    settle = shots.settle
    grab = shots.grab

    with tempfile.TemporaryDirectory() as tmp:
        p = create_project(Path(tmp) / "news.annotator")
        with p.read() as conn:
            docs = {d.uid: d.id for d in list_documents(conn)}
            texts = {uid: document_text(conn, i) for uid, i in docs.items()}

        def span(uid: str, needle: str, label: str, nth: int = 0) -> str:
            start = -1
            for _ in range(nth + 1):
                start = texts[uid].index(needle, start + 1)
            return add_span(p, docs[uid], "ana", start, start + len(needle), label).result.uid

        def at(uid: str, needle: str, after: int = 0) -> tuple[int, int]:
            start = texts[uid].index(needle, after)
            return start, start + len(needle)

        # English: a MEETING with two participants, realis set, polarity not yet (a reminder).
        en, en_text = docs[EN], texts[EN]
        geoana, lajcak = span(EN, "Mircea Geoană", "PERSON"), span(EN, "Miroslav Lajcak", "PERSON")
        met = add_frame(p, Frame("event", "", en, "ana", "MEETING", *at(EN, "met"))).result
        for who in (geoana, lajcak):
            add_argument(p, "event", met.uid, "participant", who)
        set_attribute(p, Target("event", en, "ana", met.uid), "realis", "actual")
        set_attribute(p, Target("event", en, "ana", met.uid), "tense", "past")
        quote = "The long-standing, excellent cooperation between NATO and the EU in the region continues to make a difference"
        claim = add_frame(p, Frame("claim", "", en, "ana", None, *at(EN, quote))).result
        add_argument(p, "claim", claim.uid, "claimant", span(EN, "Geoană", "PERSON", nth=1))
        for name, value in (("stance", "asserts"), ("check_worthy", False),
                            ("verdict_source", "https://www.nato.int/cps/en/natohq/news_215801.htm")):
            set_attribute(p, Target("claim", en, "ana", claim.uid), name, value)
        for name, value in (("topic", "security"), ("genre", "press_release"), ("publication_date", "2023-06-13")):
            set_attribute(p, Target("document", en, "ana"), name, value)
        eu = span(EN, "EU", "ORG", nth=1)
        e = en_text.index("EU Special Representative")
        fragments.add_fragment(p, eu, e + len("EU Special "), e + len("EU Special Representative"))

        # Bengali: “ইইউ-নেতৃত্বাধীন রুল অফ ল মিশন”, the EU … mission; their meeting (বৈঠকটি).
        bn = docs[BN]
        mission_at = texts[BN].index("ইইউ-নেতৃত্বাধীন রুল অফ ল মিশন")
        bn_eu = add_span(p, bn, "ana", mission_at, mission_at + len("ইইউ"), "ORG").result.uid
        m = mission_at + len("ইইউ-নেতৃত্বাধীন রুল অফ ল ")
        fragments.add_fragment(p, bn_eu, m, m + len("মিশন"))
        bn_meeting = add_frame(p, Frame("event", "", bn, "ana", "MEETING", *at(BN, "বৈঠকটি"))).result
        add_argument(p, "event", bn_meeting.uid, "participant", span(BN, "মিরসিয়া জিওনা", "PERSON"))
        day = texts[BN].index("(৯ জানুয়ারী ২০২৩)") + 1  # the one in brackets, not the end of ০৯
        add_argument(p, "event", bn_meeting.uid, "time",
                     add_span(p, bn, "ana", day, day + len("৯ জানুয়ারী ২০২৩"), "DATE").result.uid)
        set_attribute(p, Target("event", bn, "ana", bn_meeting.uid), "realis", "actual")
        set_attribute(p, Target("document", bn, "ana"), "topic", "security")

        session = Session(lambda p, a, s: MainWindow(p, a, session=s))
        win = session.show_project(p, "ana")
        win.move(0, 0)
        win.resize(1360, 900)
        win.splitter.setSizes([260, 640, 460])  # the side panel dragged wider, as a user would
        settle()

        def open_doc(uid: str) -> None:
            win.navigator.select_document(docs[uid])
            win.open_document(docs[uid])
            settle()

        def show_frame(frame, uid: str) -> None:
            win.workspace.select_span(None)
            win.actions_by_name["focus_frames"].trigger()
            win.frames.select((frame.kind, frame.uid, None, None))
            win.view.centerCursor()
            win.actions_by_name["edit_attributes"].trigger()  # F4

        def show_span(span_uid: str) -> None:
            win.workspace.select_span(span_uid)
            mark = win.workspace.highlighter.mark(span_uid)
            caret = win.workspace.omap.to_display(mark.start)
            win.view.select(caret, caret)
            win.view.centerCursor()
            win.view.setFocus()

        open_doc(EN)
        show_frame(met, EN)
        grab(win, "attributes-event-004.png")
        show_frame(claim, EN)
        grab(win, "attributes-claim-004.png")
        show_span(eu)
        win.actions_by_name["document_labels"].trigger()  # Shift+F4
        grab(win, "document-labels-004.png")
        win.actions_by_name["focus_frames"].trigger()
        show_span(eu)
        grab(win, "fragment-004.png")

        open_doc(BN)
        show_span(bn_eu)
        grab(win, "fragment-000.png")
        show_frame(bn_meeting, BN)
        grab(win, "attributes-event-000.png")
        win.close()
        session.close()
    return shots.finish()


if __name__ == "__main__":
    raise SystemExit(main())
