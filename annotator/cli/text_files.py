"""Reading a small text file named on the command line (a schema, guidelines) with one
clear line for every way it can fail."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from annotator.core.errors import AnnotatorError


def read_text_file(path: Path, what: str) -> bytes:
    """The bytes of `path`, a regular file; `what` names it in the errors ("schema file")."""
    from annotator.store.recognise import describe_kind

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise AnnotatorError(f"{path}: no such {what}") from None
    except OSError as exc:
        raise AnnotatorError(f"{path}: cannot reach the {what} ({exc.strerror})") from None
    if not stat.S_ISREG(mode):
        raise AnnotatorError(f"{path}: {describe_kind(mode)}, not a {what}; name a regular file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise AnnotatorError(f"{path}: cannot read the {what} ({exc.strerror})") from None
