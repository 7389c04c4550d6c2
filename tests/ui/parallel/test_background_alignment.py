"""The side-by-side window aligns a long pair off the GUI thread: it keeps processing
events meanwhile, shows progress, and shows the bands when the suggestion is done;
closing the window or opening another group cancels the job."""

from __future__ import annotations

import orjson
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from annotator.core.sentences import split_sentences
from annotator.importer import import_paths, seed
from annotator.store.parallel import document_ids, set_group
from annotator.store.project import Project
from annotator.ui.edits import Edits
from annotator.ui.parallel.window import ParallelWindow
from tests.core.test_sentences import seed as seed_text
from tests.ui.helpers import shown

REPEAT = 24  # the seed pair's sentences 24 times over: a few hundred sentences a side


@pytest.fixture
def long_pair(tmp_path):
    """A project with the seeds and a long en-fr pair made of the seeds' sentences, grouped."""
    records = []
    for uid, code in (("long-en", "004"), ("long-fr", "002")):
        text, lang = seed_text(code)
        sents = [text[s:e] for s, e in split_sentences(text, lang)]
        records.append({"id": uid, "lang": lang, "text": " ".join(sents * REPEAT)})
    path = tmp_path / "long.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    with Project.create(tmp_path / "long.annotator") as project:
        seed(project)
        import_paths(project, [path])
        with project.read() as conn:
            ids = document_ids(conn, ["long-en", "long-fr"])
        set_group(project, [ids["long-en"], ids["long-fr"]], "long")
        yield project, ids


def test_a_long_pair_aligns_off_the_gui_thread_and_its_bands_appear_when_done(qtbot, long_pair):
    project, ids = long_pair
    window = ParallelWindow(project, "ana", Edits(project), ids["long-en"])
    messages = []
    window.statusBar().messageChanged.connect(messages.append)
    shown(qtbot, window)
    assert len(window.panes[0].sentences) > 250 and len(window.panes[1].sentences) > 250
    [job] = window.alignments.jobs.values()
    assert window.bands[0].blocks == []  # no bands while aligning
    ticks = []
    timer = QTimer(window)
    timer.setInterval(0)
    timer.timeout.connect(lambda: ticks.append(job.running))
    timer.start()
    with qtbot.waitSignal(job.finished, timeout=120000):
        pass
    timer.stop()
    assert any(ticks)  # the event loop ran while the job did
    assert any(m.startswith("Aligning… ") and "%" in m for m in messages)
    band = window.bands[0]
    assert band.blocks and not band.stored and window.alignments.jobs == {}
    assert band.blocks[-1].a_end == len(window.panes[0].text.rstrip())
    assert "Aligning" not in window.statusBar().currentMessage()


def test_closing_the_window_or_opening_another_group_cancels_the_job(qtbot, long_pair):
    project, ids = long_pair
    window = shown(qtbot, ParallelWindow(project, "ana", Edits(project), ids["long-en"]))
    [job] = window.alignments.jobs.values()
    with qtbot.waitSignal(job.cancelled, timeout=60000):
        window.close()
    assert window.alignments.jobs == {}
    window.show()  # opened again: aligned again
    qtbot.waitExposed(window)
    [again] = window.alignments.jobs.values()
    with project.read() as conn:
        seed_en = document_ids(conn, ["004_8ff92d06c738168c"])["004_8ff92d06c738168c"]
    with qtbot.waitSignal(again.cancelled, timeout=60000):
        window.open_document(seed_en)  # the seed group: the long pair's job is for nobody now
    qtbot.waitUntil(lambda: not window.alignments.jobs, timeout=60000)
    assert window.bands[0].blocks and window.panes[0].doc_id == seed_en


def test_the_suggestion_uses_the_length_model_learned_from_the_pair_s_stored_alignments(qtbot, tmp_path):
    import random

    from annotator.core.alignment import align_sentences, learned_length_model
    from annotator.store.parallel import save_alignment
    from tests.core.learning_data import confirmed_pair, pair_with_untranslated

    rng = random.Random(1)
    confirmed = [confirmed_pair(rng), confirmed_pair(rng)]
    ta, _sa, tb, _sb, _gold = pair_with_untranslated(rng)
    records = [{"id": "new-en", "lang": "en", "text": ta}, {"id": "new-fr", "lang": "fr", "text": tb}]
    records += [{"id": f"kept-{lang}-{k}", "lang": lang, "text": text}
                for k, (src, tgt, _b) in enumerate(confirmed) for lang, text in (("en", src), ("fr", tgt))]
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    with Project.create(tmp_path / "learn.annotator") as project:
        import_paths(project, [path])
        with project.read() as conn:
            ids = document_ids(conn, [r["id"] for r in records])
        for k, (_src, _tgt, blocks) in enumerate(confirmed):  # kept by another annotator
            save_alignment(project, ids[f"kept-en-{k}"], ids[f"kept-fr-{k}"], "bob", blocks)
        set_group(project, [ids["new-en"], ids["new-fr"]], "new")
        window = shown(qtbot, ParallelWindow(project, "ana", Edits(project), ids["new-en"]))
        qtbot.waitUntil(lambda: not window.alignments.jobs, timeout=60000)
        en, fr = window.panes[0], window.panes[1]
        learned = align_sentences(ta, "en", tb, "fr", en.sentences, fr.sentences,
                                  model=learned_length_model(confirmed))
        assert window.bands[0].blocks == learned
        assert learned != align_sentences(ta, "en", tb, "fr", en.sentences, fr.sentences)
        window.close()


def _press(qtbot, window, key, mod=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(QApplication.focusWidget() or window, key, mod)


def test_esc_stops_aligning_and_f5_aligns_again(qtbot, long_pair):
    project, ids = long_pair
    window = shown(qtbot, ParallelWindow(project, "ana", Edits(project), ids["long-en"]), activate=True)
    window.focus_pane(0)
    [job] = window.alignments.jobs.values()
    with qtbot.waitSignal(job.cancelled, timeout=60000):
        _press(qtbot, window, Qt.Key.Key_Escape)
    assert window.alignments.jobs == {}
    assert "Aligning stopped (en ↔ fr)" in window.statusBar().currentMessage()
    window.sync()  # what an edit anywhere does: the bands are re-derived, and no job starts again unasked
    assert window.alignments.jobs == {} and window.bands[0].blocks == []
    _press(qtbot, window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert "F5 aligns it" in window.statusBar().currentMessage()
    _press(qtbot, window, Qt.Key.Key_F5)
    [again] = window.alignments.jobs.values()
    with qtbot.waitSignal(again.finished, timeout=120000):
        pass
    assert window.bands[0].blocks and not window.bands[0].stored


def test_projecting_while_aligning_says_it_waits_for_the_alignment(qtbot, long_pair):
    project, ids = long_pair
    window = shown(qtbot, ParallelWindow(project, "ana", Edits(project), ids["long-en"]), activate=True)
    window.focus_pane(0)
    [job] = window.alignments.jobs.values()
    _press(qtbot, window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    message = window.statusBar().currentMessage()
    assert "still being computed" in message and "No suggestions" not in message
    assert window.suggestions.all == []
    assert window.alignments.jobs  # still aligning: Ctrl+P neither waits nor stops it
    window.close()
