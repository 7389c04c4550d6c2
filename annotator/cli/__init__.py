"""The command line: `annotator` with no arguments opens the GUI (commands.py); the
commands of the parallel-text and quality areas are in parallel.py and quality.py."""

from annotator.cli.commands import gui_main, main, process_main

__all__ = ["gui_main", "main", "process_main"]
