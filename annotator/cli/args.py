"""Argument types shared by the command-line areas."""

from __future__ import annotations

import argparse

from annotator.core.errors import AnnotatorError
from annotator.store.location import Location, project_location


def project_arg(text: str) -> Location:
    """A project on the command line: a file, or a postgresql:// URL (annotator.store.location)."""
    try:
        return project_location(text)
    except AnnotatorError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
