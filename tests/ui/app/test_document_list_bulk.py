"""A corpus-wide label changes tens of thousands of navigator rows at once: the model
tells its proxy in one signal, the proxy its view in one, and rows never read are read
when shown rather than re-read after the edit (issue 18)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.ui.app.document_list import STATUS, TITLE, DocumentTableModel
from tests.ui.app.test_document_list import _filtered, _many


def test_many_changed_rows_are_one_signal_from_the_model_and_one_from_the_proxy(qtbot):
    docs, reader, _asked, model, proxy = _filtered(20_000)
    proxy.set_filters(lang="fr")  # every third row shown
    told, shown = [], []
    model.dataChanged.connect(lambda top, bottom, *_: told.append((top.row(), bottom.row())))
    proxy.dataChanged.connect(lambda top, bottom, *_: shown.append((top.row(), bottom.row())))
    changed = [(i, lang, "in_progress") for i, lang, _status in docs[10:15_000]]
    model.update_documents(changed, {}, {i: 3 for i, _lang, _s in changed})
    assert told == [(10, 14_999)]
    assert len(shown) == 1 and shown[0][0] <= proxy.proxy_row_of(12) and shown[0][1] >= proxy.proxy_row_of(14_997)
    assert proxy.index(proxy.proxy_row_of(15), STATUS).data() == "in progress"


def test_a_changed_row_whose_details_were_never_read_reads_them_when_shown(qtbot):
    docs, reader, asked = _many(2_000)
    model = DocumentTableModel()
    model.set_documents(docs, reader)
    model.update_documents([(1_500, docs[1_499][1], "done")], {}, {1_500: 4})  # no details: never read
    assert model.with_details([1_500]) == [] and not asked
    assert model.index(1_499, TITLE).data() == "doc-01500"  # read now, with its page
    assert asked and 1_500 in asked[-1]
    assert model.with_details([1_500]) == [1_500]
    assert model.index(1_499, STATUS).data(Qt.ItemDataRole.DisplayRole) == "done"
