"""Labels beyond the keys (issue 13): with brat's 70 labels the palette scrolls, the main
window's minimum height stays small, and Ctrl+L opens a type-to-filter picker of every
label that labels the selection, or relabels the selected span."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from annotator.core.records import DocumentRecord
from annotator.core.schema import parse_schema
from annotator.core.schema_add import with_labels
from annotator.formats import gold_jsonl
from annotator.importer import import_paths
from annotator.store.project import Project, default_schema_text
from annotator.ui.app.main_window import MainWindow
from annotator.ui.widgets.choice_popup import ChoicePopup
from tests.ui.helpers import open_doc, shown

CTRL = Qt.KeyboardModifier.ControlModifier
BENGALI = "ন্যাটো রাস্তার বাধা দূর করে। ক্ষমতা"
# Entity and event types of brat's GENIA / BioNLP shared-task configurations: with the
# default schema's labels, the 70 labels of the schema the issue reports.
BRAT = ("Protein Gene Gene_or_gene_product Complex Cell Cell_line Cell_type Tissue Organism Organism_part "
        "Chemical Simple_chemical Drug DNA RNA Amino_acid Peptide Lipid Carbohydrate Nucleotide Enzyme Receptor "
        "Antibody Virus Bacterium Fungus Plant Animal Human Disease Symptom Anatomy Organ Pathological_formation "
        "Cancer Developing_anatomical_structure Immaterial_anatomical_entity Multi_tissue_structure Cellular_component "
        "Organism_subdivision Organism_substance Anatomical_system Gene_expression Transcription Translation "
        "Protein_catabolism Phosphorylation Localization Binding Regulation Positive_regulation Negative_regulation "
        "Methylation Acetylation Ubiquitination Hydroxylation Glycosylation Deacetylation Dephosphorylation "
        "Catalysis Entity Equiv Cause Theme Site Location Participant").split()


def brat_schema():
    base = parse_schema(default_schema_text(), "default")
    schema = with_labels(base, BRAT[: 70 - len(base.labels)], "test")[0]
    assert len(schema.labels) == 70
    return schema


@pytest.fixture
def win(qtbot, tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_bytes(gold_jsonl.dumps(DocumentRecord(id="bengali", lang="bn", text=BENGALI)))
    with Project.create(tmp_path / "brat.annotator", schema_text=brat_schema().to_json()) as project:
        import_paths(project, [path])
        yield shown(qtbot, MainWindow(project, "ana"), activate=True)


def stored(win) -> list[tuple[str, str]]:
    """(label, text) of ana's spans, from the database file."""
    con = sqlite3.connect(win.project.path)
    try:
        return con.execute('SELECT s.label, substr(d.text, s.start + 1, s."end" - s.start) FROM spans s '
                           "JOIN documents d ON d.id = s.document_id ORDER BY s.start").fetchall()
    finally:
        con.close()


def pick(qtbot, win, typed: str, seen: dict | None = None) -> None:
    """Ctrl+L in the text, `typed` into the picker's filter, Enter."""
    def answer() -> None:
        popup = QApplication.activeModalWidget()
        if not isinstance(popup, ChoicePopup):
            QTimer.singleShot(10, answer)
            return
        qtbot.keyClicks(popup.filter, typed)
        if seen is not None:
            seen["rows"] = [popup.list.item(i).text() for i in range(popup.list.count())]
            seen["title"] = popup.windowTitle()
        qtbot.keyClick(popup.filter, Qt.Key.Key_Return)
        if popup.isVisible():  # nothing to take: Enter left it open
            if seen is not None:
                seen["open_after_enter"] = True
            qtbot.keyClick(popup.filter, Qt.Key.Key_Escape)

    win.activateWindow()  # the last popup has just closed
    qtbot.waitUntil(win.isActiveWindow)
    QTimer.singleShot(0, answer)
    qtbot.keyClick(win.view, Qt.Key.Key_L, CTRL)


def test_seventy_labels_keep_the_window_small_and_the_palette_scrolls(win):
    assert len(win.palette.rows) == 70
    assert win.minimumSizeHint().height() < 700
    assert win.palette.height() < win.palette.inner.sizeHint().height()  # not every row in sight...
    bar = win.palette.scroll.verticalScrollBar()
    assert bar.maximum() > 0  # ...so it scrolls
    win.palette.show_row(BRAT[65])
    assert bar.value() > 0


def test_ctrl_l_labels_the_selection_with_any_label_by_typing_its_name(win, qtbot):
    open_doc(win, qtbot, "bengali")
    word = "রাস্তার"
    start = BENGALI.index(word)
    win.view.select(start, start + len(word))
    seen: dict = {}
    pick(qtbot, win, "catal", seen)
    assert seen["title"] == "Label the selection"
    assert len(seen["rows"]) == 1 and "Catalysis" in seen["rows"][0]
    assert stored(win) == [("Catalysis", word)]
    # With the new span selected and no text selection, the picker relabels it.
    seen = {}
    pick(qtbot, win, "virus", seen)
    assert seen["title"] == "Relabel the selected span"
    assert stored(win) == [("Virus", word)]


def test_a_typed_letter_filters_even_when_it_is_a_labels_key(win, qtbot):
    open_doc(win, qtbot, "bengali")
    keyed = next(lab for lab in win.project.schema.labels if lab.key.isalpha())
    win.view.select(0, BENGALI.index(" "))
    seen: dict = {}
    pick(qtbot, win, keyed.key + "zzz-no-such-label", seen)
    assert seen["rows"] == []  # the letter went into the filter instead of choosing its label
    assert seen["open_after_enter"]
    assert stored(win) == []  # Enter with nothing left picks nothing
