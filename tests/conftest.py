"""Shared by every test layer: no real screen, no real user data."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from annotator.importer import seed
from annotator.store.project import Project

# Before pytest-qt creates the QApplication; an explicit choice (e.g. xcb under Xvfb) wins.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True, scope="session")
def _isolated_user_data(tmp_path_factory):
    """ANNOTATOR_DATA_DIR points into the session's tmp dir, so the default project and
    anything else under the user data directory never touch the real one."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ANNOTATOR_DATA_DIR", str(tmp_path_factory.mktemp("user-data")))
        yield


# Strings every text test should include (docs/ARCHITECTURE.md, "Text and offsets").
TRICKY = {
    "bengali": "ক্ষমতা রাস্তার বাধা",
    "vi_nfc": "Phó Tổng thư ký gặp",
    "vi_nfd": "Pho\u0301 T\u00f4\u0309ng thu\u031b ky\u0301",
    "fr_nbsp": "«\u00a0Bonjour\u00a0» dit-il",
    "sr_cyrillic_e": "\u0415U i NATO",
    "emoji_zwj": "A😀B 👨\u200d👩\u200d👧 done",
    "crlf": "line one\r\nline two\r\n",
    "separators": "para\u2029next\u2028line",
}


@pytest.fixture
def empty_project(tmp_path: Path):
    with Project.create(tmp_path / "empty.annotator") as project:
        yield project


@pytest.fixture
def seeded_project(tmp_path: Path):
    with Project.create(tmp_path / "seeded.annotator") as project:
        seed(project)
        yield project


def dump(path: Path) -> list[str]:
    """Every row of every table, to prove a refused operation changed nothing."""
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()
