"""A file job (import, export) off the GUI thread: a widgets.pool_job.PoolJob that the
function stops by raising Cancelled once it sees `cancelled()`; it must have written
nothing by then (an import reads everything before its one transaction). A result that
arrives after Cancel was pressed is delivered: what the function did is done.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from annotator.ui.widgets.pool_job import PoolJob


class Cancelled(Exception):
    """The user cancelled; nothing was written."""


class FileJob(PoolJob):
    def __init__(self, fn: Callable[..., Any], parent: QObject | None = None) -> None:
        super().__init__(fn, stops=(Cancelled,), result_after_cancel=True, parent=parent)
