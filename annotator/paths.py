"""Where shipped data lives (db/, resources/, seeds/) and where user data goes.

From a checkout these are folders beside the package; in an installed wheel they are
annotator/_data/ (setup.py copies them there); in the PyInstaller bundle they are data
under sys._MEIPASS. User projects always go to the platform's user data directory, never
inside the installation.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "annotator"


def bundle_root() -> Path:
    """The folder holding db/, resources/ and seeds/."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    package = Path(__file__).resolve().parent
    installed = package / "_data"
    return installed if installed.is_dir() else package.parent


def migrations_dir() -> Path:
    return bundle_root() / "db"


def resources_dir() -> Path:
    return bundle_root() / "resources"


def seeds_dir() -> Path:
    return bundle_root() / "seeds"


def user_data_dir() -> Path:
    # ANNOTATOR_DATA_DIR lets tests and portable installs keep everything elsewhere.
    override = os.environ.get("ANNOTATOR_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs  # here: a command that needs no user folder starts without it

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_project_path() -> Path:
    return user_data_dir() / "default.annotator"
