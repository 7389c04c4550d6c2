"""Opening a document shows exactly its stored layer: the marks the workspace builds from
the store's columns (queries.layer_columns) are the spans written, in code points, with
their labels, uids and order; the highlighter's lookups over them (by uid, per label,
under a point) agree; a click selects the span under it, past an emoji too; and a layer
changed by another writer is picked up by sync_from_store."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from PySide6.QtCore import QPoint, Qt

from annotator.core.records import DocumentRecord
from annotator.formats import gold_jsonl
from annotator.importer import import_paths
from annotator.store.fragments import set_fragments
from annotator.store.project import Project
from annotator.store.queries import list_documents
from annotator.store.spans import SpanData, add_span, add_spans, relabel_span
from annotator.ui.app.main_window import MainWindow
from annotator.ui.document.highlighter import Mark
from tests.ui.helpers import open_doc, shown

TEXT = ("A😀B met 👨\u200d👩\u200d👧 in ক্ষমতা রাস্তার বাধা.\r\n"
        + " ".join(f"word{i} Pho\u0301 «\u00a0NATO\u00a0»" for i in range(40)) + "\n")
NATO = TEXT.index("NATO", 150)  # the long span ends on it: "met … NATO", two fragments


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "doc.jsonl"
    path.write_bytes(gold_jsonl.dumps(DocumentRecord(id="mixed", lang="en", text=TEXT)))
    with Project.create(tmp_path / "open.annotator") as project:
        import_paths(project, [path])
        yield project


def write_layer(project: Project, doc_id: int) -> list[tuple[int, int, str, str]]:
    rng = random.Random(7)
    labels = [lab.name for lab in project.schema.labels]
    spans = [SpanData("", doc_id, "ana", s, s + rng.randrange(1, 12), rng.choice(labels))
             for s in (rng.randrange(30, len(TEXT) - 12) for _ in range(120))]  # none on "B"
    spans += [SpanData(uid, doc_id, "ana", 2, 3, labels[0]) for uid in ("u-b", 'u"a', "u\\c")]  # "B", past the emoji
    spans.append(SpanData("long", doc_id, "ana", 4, NATO + 4, labels[1]))  # reaches over many later starts
    rng.shuffle(spans)
    return sorted((s.start, s.end, s.label, s.uid) for s in add_spans(project, spans).result)


def point_of(win, cp: int) -> QPoint:
    cursor = win.view.textCursor()
    cursor.setPosition(win.workspace.omap.to_display(cp))
    return win.view.cursorRect(cursor).center() + QPoint(2, 0)


def test_the_open_layer_is_the_stored_one(qtbot, project):
    with project.read() as conn:
        doc_id = list_documents(conn)[0].id
    written = write_layer(project, doc_id)
    set_fragments(project, "long", [(4, 7), (NATO, NATO + 4)])
    win = shown(qtbot, MainWindow(project, "ana"), activate=True)
    open_doc(win, qtbot, "mixed")
    ws, hl = win.workspace, win.workspace.highlighter

    assert ws.spans() == written
    assert all(type(m) is Mark for m in ws.spans())
    assert hl.counts == Counter(label for _s, _e, label, _u in written)
    assert all(hl.mark(uid) == (s, e, label, uid) for s, e, label, uid in written)
    assert hl.fragments("long") == [(4, 7), (NATO, NATO + 4)]
    # Code point 2 is "B", the third UTF-16 unit past "A" and the emoji's two.
    assert hl.display_range(hl.mark("u-b")) == (3, 4)
    assert "long" in [m.uid for m in hl.marks_at(NATO + 2)]  # in its second fragment, far past its start
    assert "long" not in [m.uid for m in hl.marks_at(NATO - 5)]  # between its fragments
    # A click on "B" selects a span on it; clicking again walks through the three there.
    seen = set()
    for _ in range(3):
        qtbot.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(win, 2))
        qtbot.waitUntil(lambda: ws.selected is not None)
        seen.add(ws.selected)
    assert seen == {"u-b", 'u"a', "u\\c"}

    assert ws.sync_from_store() is False  # nothing changed
    other = add_span(project, doc_id, "ana", 20, 25, project.schema.labels[2].name).result  # another window
    assert ws.sync_from_store() is True
    assert ws.spans() == sorted([*written, (other.start, other.end, other.label, other.uid)])
    assert hl.mark(other.uid) == (20, 25, other.label, other.uid)
    assert ws.sync_from_store() is False
    relabel_span(project, "u-b", project.schema.labels[3].name)  # only a label differs
    assert ws.sync_from_store() is True
    assert hl.mark("u-b") == (2, 3, project.schema.labels[3].name, "u-b")
    assert ws.sync_from_store() is False
    win.close()
