"""Labels beyond the keys: a type-to-filter chooser of every label of the schema (as the
event-type chooser), for schemas with more labels than a hand remembers keys (brat's 70).
Every letter typed filters, since with many labels the keys themselves are letters."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from annotator.core.schema import Schema
from annotator.ui.widgets.choice_popup import Choice, ChoicePopup


def label_choices(schema: Schema) -> list[Choice]:
    return [Choice(lab.name, lab.key, lab.description, description=lab.description) for lab in schema.labels]


def make_picker(schema: Schema, relabel: bool, parent: QWidget | None = None) -> ChoicePopup:
    title = "Relabel the selected span" if relabel else "Label the selection"
    popup = ChoicePopup(title, label_choices(schema), parent, keys_pick=False)
    popup.setObjectName("labelPicker")
    return popup


def pick_and_label(workspace, schema: Schema, parent: QWidget | None = None) -> str | None:
    """Ask for a label, then label the selection with it (or relabel the selected span,
    with no text selected): what pressing the label's key would do."""
    relabel = workspace.selection_range() is None and workspace.selected is not None
    popup = make_picker(schema, relabel, parent)
    popup.filter.setFocus()
    if popup.exec() != ChoicePopup.DialogCode.Accepted or popup.chosen is None:
        return None
    workspace.label(popup.chosen)
    return popup.chosen
