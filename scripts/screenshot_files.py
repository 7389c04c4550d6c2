"""Screenshots of the File menu and its dialogs, and of the label picker with 70 labels:
screenshots/file-menu.png, import-summary.png, export.png, recent.png, picker-70-labels.png.

Run through scripts/screenshots.sh (a private Xvfb, xcb, a throw-away user data directory).
Each dialog is opened by its action, as its key does; what is saved is what the X server
shows (the screen grabbed, cropped to the window and whatever is over it).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from shots import start as start_shots

CONLL = ("-DOCSTART- O\n\nMircea B-PERSON\nGeoană I-PERSON\nvisited O\nPriština B-LOC\n. O\n\n"
         "-DOCSTART- O\n\nমিরসিয়া B-PERSON\nজিওনা I-PERSON\nপ্রিস্টিনায় B-LOC\nছিলেন O\n। O\n")
# Entity and event types of brat's GENIA / BioNLP configurations: 70 labels with the default four.
BRAT = ("Protein Gene Gene_or_gene_product Complex Cell Cell_line Cell_type Tissue Organism Organism_part "
        "Chemical Simple_chemical Drug DNA RNA Amino_acid Peptide Lipid Carbohydrate Nucleotide Enzyme Receptor "
        "Antibody Virus Bacterium Fungus Plant Animal Human Disease Symptom Anatomy Organ Pathological_formation "
        "Cancer Developing_anatomical_structure Immaterial_anatomical_entity Multi_tissue_structure Cellular_component "
        "Organism_subdivision Organism_substance Anatomical_system Gene_expression Transcription Translation "
        "Protein_catabolism Phosphorylation Localization Binding Regulation Positive_regulation Negative_regulation "
        "Methylation Acetylation Ubiquitination Hydroxylation Glycosylation Deacetylation Dephosphorylation "
        "Catalysis Entity Equiv Cause Theme Site Location Participant").split()


def main() -> int:
    shots = start_shots("screenshot_files.py", __doc__)
    if isinstance(shots, int):
        return shots

    from PySide6.QtCore import QRect

    from annotator.core.schema import parse_schema
    from annotator.core.schema_add import with_labels
    from annotator.importer import create_project, import_paths
    from annotator.paths import seeds_dir
    from annotator.store.project import Project, default_schema_text
    from annotator.ui.annotate.label_picker import make_picker
    from annotator.ui.app.main_window import MainWindow
    from annotator.ui.app.recent_dialog import RecentDialog
    from annotator.ui.app.recent_projects import RecentProjects
    from annotator.ui.app.session import Session

    app, settle = shots.app, shots.settle

    def grab(name: str, *widgets) -> None:
        """The screen, cropped to the frames of `widgets` (a window and what is over it)."""
        settle()
        area = QRect()
        for w in widgets:
            area = area.united(w.frameGeometry())
        pixmap = app.primaryScreen().grabWindow(0, area.x(), area.y(), area.width(), area.height())
        shots.save(pixmap, name)

    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        session = Session(lambda p, a, s: MainWindow(p, a, session=s))
        win = session.show_project(create_project(scratch / "news.annotator"), "screenshots")
        win.move(0, 0)
        win.resize(1360, 820)
        settle()

        # The File menu, opened as Alt+F does.
        menu = next(a.menu() for a in win.menuBar().actions() if a.text().replace("&", "") == "File")
        win.menuBar().setActiveAction(menu.menuAction())
        settle()
        grab("file-menu.png", win, menu)
        menu.hide()

        # Import: a CoNLL file in English and Bengali, by the dialog, to its summary.
        source = scratch / "wikiann-sample.conll"
        source.write_text(CONLL, encoding="utf-8")
        win.actions_by_name["import_documents"].trigger()
        dialog = win.files.import_dialog
        dialog.move(200, 120)
        dialog.add_paths([source])
        dialog.layer.setText("wikiann")
        dialog.start()
        while dialog.job.running:
            settle(100)
        grab("import-summary.png", dialog)
        dialog.close()
        settle()
        win = session.window  # rebuilt: the import added LOC to the schema

        win.actions_by_name["export"].trigger()
        export = win.files.export_dialog
        export.move(200, 80)
        export.target.setText(str(scratch / "news-export.jsonl"))
        export.start()
        while export.job.running:
            settle(100)
        grab("export.png", export)
        export.close()

        # Open recent, with one project gone from disk.
        gone = scratch / "moved-away.annotator"
        Project.create(gone).close()
        RecentProjects().add(gone)
        gone.unlink()
        RecentProjects().add(win.project.path)
        recent = RecentDialog(RecentProjects(), win)
        recent.move(200, 200)
        recent.show()
        grab("recent.png", recent)
        recent.close()

        # 70 labels (brat's), a Bengali document behind the picker (Ctrl+L).
        base = parse_schema(default_schema_text(), "default")
        schema = with_labels(base, BRAT[: 70 - len(base.labels)], "brat")[0]
        brat = Project.create(scratch / "brat.annotator", schema_text=schema.to_json())
        import_paths(brat, [seeds_dir()])
        win = session.show_project(brat, "screenshots")
        win.move(0, 0)
        win.resize(1360, 820)
        settle()
        bengali = next(win.navigator.model.row_at(i) for i in range(win.navigator.model.rowCount())
                       if win.navigator.model.row_at(i).lang == "bn")
        win.navigator.select_document(bengali.id)
        settle()
        ws = win.workspace
        start = ws.text.find("মিরসিয়া জিওনা")
        ws.view.select(ws.omap.to_display(start), ws.omap.to_display(start + len("মিরসিয়া জিওনা")))
        print(f"main window minimum height with {len(schema.labels)} labels: {win.minimumSizeHint().height()} px",
              file=sys.stderr)
        picker = make_picker(schema, relabel=False, parent=win)
        picker.show()
        picker.move(win.frameGeometry().center() - picker.rect().center())
        picker.filter.setFocus()
        picker.filter.setText("pro")
        grab("picker-70-labels.png", win, picker)
        picker.close()
        win.close()
        session.close()

    return shots.finish()


if __name__ == "__main__":
    raise SystemExit(main())
