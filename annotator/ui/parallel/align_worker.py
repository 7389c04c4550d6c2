"""Aligning off the GUI thread: a widgets.pool_job.PoolJob running a pure function
(core.alignment.align_sentences or anything with the same `cancelled` / `progress`
keywords), stopped by AlignmentCancelled. A suggestion that arrives after cancel() is
dropped (cancelled() is emitted): nothing was written, and the user no longer wants it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from annotator.core.align_dp import AlignmentCancelled
from annotator.ui.widgets.pool_job import PoolJob


class AlignJob(PoolJob):
    def __init__(self, fn: Callable[..., Any], *args: Any, parent: QObject | None = None, **kwargs: Any) -> None:
        super().__init__(fn, *args, stops=(AlignmentCancelled,), result_after_cancel=False, parent=parent, **kwargs)
