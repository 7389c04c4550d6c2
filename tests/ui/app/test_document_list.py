from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.store.queries import DocumentRow, list_documents
from annotator.ui.app.document_list import SPANS, STATUS, TITLE, DocumentIdRole, DocumentTableModel


def test_model_with_seed_rows_passes_the_model_tester(qtmodeltester, project):
    with project.read() as conn:
        rows = list_documents(conn, "tester")
    model = DocumentTableModel(rows)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 5 and model.columnCount() == 4


def test_empty_model_and_reset_pass_the_model_tester(qtmodeltester, project):
    model = DocumentTableModel()
    qtmodeltester.check(model, force_py=True)
    with project.read() as conn:
        model.set_rows(list_documents(conn))
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 5


def test_cells_and_roles():
    rows = [DocumentRow(7, "doc-7", None, "fr", "in_progress", 12, "g1", 300),
            DocumentRow(9, "doc-9", "Titre", "en", "todo", 0, None, 10)]
    model = DocumentTableModel(rows)
    assert model.index(0, TITLE).data() == "doc-7"  # no title: the uid
    assert model.index(1, TITLE).data() == "Titre"
    assert model.index(0, STATUS).data() == "in progress"
    assert model.index(0, SPANS).data() == 12
    assert model.index(1, TITLE).data(DocumentIdRole) == 9
    assert "g1" in model.index(0, TITLE).data(Qt.ItemDataRole.ToolTipRole)
    assert model.row_of(9) == 1 and model.row_of(8) == -1
