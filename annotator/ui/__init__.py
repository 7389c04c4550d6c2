"""PySide6 widgets, item models, undo commands, plots: the only Qt code."""
