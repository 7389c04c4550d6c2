"""Defect 8 of issue 17: role and type tags sat on the line above and covered its text
(the CLAIM tag over the claimant, Bengali letters; cut off on the first line) in 8 px
text; nested spans of the same label looked alike; an accepted claim's frame looked like
a suggestion's; Q did not show which suggestion was current."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetricsF, QImage
from PySide6.QtWidgets import QApplication

from annotator.store import events as ops
from annotator.ui.app.main_window import MainWindow
from tests.ui.annotate.test_frames import answer_popup, back, label, select_text
from tests.ui.helpers import open_doc, painted_colours, shown

EN = "004_8ff92d06c738168c"
BN = "000_00eeb79877075e28"


@pytest.fixture
def win(qtbot, project):
    w = shown(qtbot, MainWindow(project, "ana"), activate=True)
    w.resize(1200, 800)
    return w


def line_rects(view) -> list[QRectF]:
    """Every laid-out line of the visible blocks, in viewport coordinates."""
    rects = []
    block = view.firstVisibleBlock()
    while block.isValid():
        geom = view.blockBoundingGeometry(block).translated(view.contentOffset())
        if geom.top() > view.viewport().height():
            break
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            rects.append(QRectF(line.naturalTextRect()).translated(geom.topLeft()))
        block = block.next()
    return rects


def repainted_tags(view, qtbot):
    view.painted_tags = None
    view.viewport().repaint()
    qtbot.waitUntil(lambda: view.painted_tags is not None)
    return view.painted_tags


def assert_tags_clear_of_text(view, tags):
    assert tags
    lines = line_rects(view)
    for rect, text in tags:
        assert rect.top() >= 0, f"tag {text!r} cut off at the top"
        covered = [line for line in lines if line.intersected(rect).height() > 0.5]
        assert not covered, f"tag {text!r} at {rect} covers text at {covered}"
    ui = QFontMetricsF(QApplication.font()).height()
    assert all(rect.height() >= ui - 3 for rect, _t in tags)  # readable: about the UI's size


def pixels(view, qtbot):
    view.viewport().repaint()
    image = view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    return np.frombuffer(image.constBits(), np.uint32).reshape(image.height(), image.bytesPerLine() // 4).copy()


def assert_drawn_clear_of_other_text(win, qtbot, row):
    """What showing the current frame adds to the screen (its bold boxes and their tags)
    may touch the text only inside the boxes themselves: never another word or line."""
    view = win.view
    win.frames.select(row)
    boxes = [QRectF(r).adjusted(-4, -3, 4, 3) for b in view.boxes("current") for r in view._span_rects(b.start, b.end)]
    shown = pixels(view, qtbot)
    win.frames.select(None)
    plain = pixels(view, qtbot)
    win.frames.select(row)
    ys, xs = np.nonzero(shown != plain)
    assert len(ys), "the current frame changes nothing on screen"
    lines = line_rects(view)
    bad = [(x, y) for x, y in zip(xs.tolist(), ys.tolist())
           if not any(b.contains(x + 0.5, y + 0.5) for b in boxes)
           and any(line.contains(x + 0.5, y + 0.5) for line in lines)]
    assert not bad, f"{len(bad)} pixels of text covered, e.g. {bad[:5]}"
    assert all(b.top() >= -3 for b in boxes)


def make_claim_with_claimant(win, qtbot, claimant: str, claimed: str):
    who = label(win, qtbot, claimant, "1", nth=1 if claimant == "Geoană" else 0)
    select_text(win, claimed)
    qtbot.keyClick(win.view, "c")
    claim = next(f for f in ops_frames(win, "claim"))
    win.frames.select(("claim", claim.uid, None, None))
    win.workspace.select_span(who)
    answer_popup(qtbot, "1")  # claimant (subject takes a PERSON too)
    qtbot.keyClick(win.view, "a")
    back(win, qtbot)
    return claim


def ops_frames(win, kind):
    with win.project.read() as conn:
        return ops.layer_frames(conn, kind, win.workspace.doc_id, "ana")


def test_event_tags_sit_in_room_above_their_line_even_on_the_first_line(win, qtbot):
    open_doc(win, qtbot, EN)
    label(win, qtbot, "NATO", "2")  # the very first word of the text: the first line
    select_text(win, "News")
    answer_popup(qtbot, "m")
    qtbot.keyClick(win.view, "e")
    back(win, qtbot)
    event = ops_frames(win, "event")[0]
    win.frames.select(("event", event.uid, None, None))
    org = win.workspace.spans()[0].uid
    win.workspace.select_span(org)
    qtbot.keyClick(win.view, "a")  # one role of MEETING takes an ORG: attached at once
    win.frames.select(("event", event.uid, None, None))
    win.view.verticalScrollBar().setValue(0)
    assert_drawn_clear_of_other_text(win, qtbot, ("event", event.uid, None, None))
    tags = repainted_tags(win.view, qtbot)
    assert {t for _r, t in tags} >= {"MEETING"}
    assert_tags_clear_of_text(win.view, tags)


def test_claim_tag_does_not_cover_the_claimant_in_english_or_bengali(win, qtbot):
    for doc, claimant, claimed in ((EN, "Geoană", "NATO Headquarters, KFOR, Allies"),
                                   (BN, "জিওনা", "ন্যাটো-নেতৃত্বাধীন")):
        open_doc(win, qtbot, doc)
        text = win.workspace.text
        if claimant not in text or claimed not in text:
            pytest.fail(f"{doc}: the seed text changed: {claimant!r} / {claimed!r} not found")
        claim = make_claim_with_claimant(win, qtbot, claimant, claimed)
        win.view.verticalScrollBar().setValue(0)
        cursor = win.view.textCursor()
        cursor.setPosition(win.workspace.omap.to_display(text.index(claimed)))
        win.view.setTextCursor(cursor)
        win.view.ensureCursorVisible()
        assert_drawn_clear_of_other_text(win, qtbot, ("claim", claim.uid, None, None))
        tags = repainted_tags(win.view, qtbot)
        assert "CLAIM" in {t for _r, t in tags}
        assert_tags_clear_of_text(win.view, tags)


def test_accepted_claims_are_solid_and_suggestions_dashed_and_q_shows_the_current_one(win, qtbot):
    open_doc(win, qtbot, EN)
    qtbot.keyClick(win.view, "q")
    first = win.frames.current_suggestion
    assert first is not None
    [current] = win.view.boxes("current_suggestion")
    n = len(win.frames.suggestions)
    assert current.tag.startswith(f"suggested claim 1/{n}") and current.dashed
    d = win.workspace.omap.to_display
    assert (current.start, current.end) == (d(first.start), d(first.end))
    assert all((b.start, b.end) != (current.start, current.end) for b in win.view.boxes("suggestions"))
    qtbot.keyClick(win.view, "q")
    [current] = win.view.boxes("current_suggestion")
    assert current.tag.startswith(f"suggested claim 2/{n}")
    qtbot.keyClick(win.view, "c")  # accept the current one
    claim = ops_frames(win, "claim")[0]
    base = [b for b in win.view.boxes("frames") if (b.start, b.end) == (d(claim.start), d(claim.end))]
    assert base and not base[0].dashed  # solid: unlike every suggestion
    assert all(b.dashed for b in win.view.boxes("suggestions"))


def background_at(view, pos: int):
    return painted_colours(view, [pos])[0]


def test_nested_spans_of_the_same_label_are_told_apart(win, qtbot):
    open_doc(win, qtbot, EN)
    text = win.workspace.text
    outer = text.index("NATO Headquarters")
    label(win, qtbot, "NATO Headquarters", "2")
    d = win.workspace.omap.to_display
    win.view.select(d(outer), d(outer + 4))
    qtbot.keyClick(win.view, "2")
    assert sorted(text[m.start:m.end] for m in win.workspace.spans()) == ["NATO", "NATO Headquarters"]
    assert background_at(win.view, d(outer + 1)) != background_at(win.view, d(outer + 8))
