"""Shared by every test layer: no real screen, no real user data."""

from __future__ import annotations

import os

import pytest

# Before pytest-qt creates the QApplication; an explicit choice (e.g. xcb under Xvfb) wins.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True, scope="session")
def _isolated_user_data(tmp_path_factory):
    """ANNOTATOR_DATA_DIR points into the session's tmp dir, so the default project and
    anything else under the user data directory never touch the real one."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ANNOTATOR_DATA_DIR", str(tmp_path_factory.mktemp("user-data")))
        yield
