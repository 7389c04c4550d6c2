"""The bundle's run-time hook for PySide6 (packaging/hooks/rthooks/pyi_rth_pyside6_deferred.py)
sets Qt's paths as PyInstaller's own hook does, without importing PySide6: the frozen app
imports its store before Qt, as the launch from source does. Each hook runs in a fresh
process with the `sys._MEIPASS` a bundle would have."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging.test_bundle import _ensure_pyinstaller

ROOT = Path(__file__).resolve().parents[2]
OURS = ROOT / "packaging" / "hooks" / "rthooks" / "pyi_rth_pyside6_deferred.py"

RUN = """
import json, os, runpy, sys
sys._MEIPASS = sys.argv[2]
sys.path.insert(0, sys.argv[3])  # PyInstaller's fake modules (_pyi_rth_utils) for its own hook
runpy.run_path(sys.argv[1])
print(json.dumps({"env": {k: os.environ.get(k) for k in ("QT_PLUGIN_PATH", "QML2_IMPORT_PATH", "PATH",
                                                         "DYLD_LIBRARY_PATH")},
                  "qt": sorted(m for m in sys.modules if m.startswith("PySide6"))}))
"""


@pytest.fixture(scope="module")
def pyinstaller() -> Path:
    """PyInstaller's package folder (installed from packaging/requirements.txt if missing)."""
    _ensure_pyinstaller()
    import PyInstaller

    return Path(PyInstaller.__file__).parent


def run_hook(hook: Path, meipass: Path, pyinstaller: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_PLUGIN_PATH", "QML2_IMPORT_PATH")}
    out = subprocess.run([sys.executable, "-c", RUN, str(hook), str(meipass), str(pyinstaller / "fake-modules")],
                         capture_output=True, text=True, env=env, check=True, timeout=120).stdout
    return json.loads(out.splitlines()[-1])


def test_the_hook_sets_the_paths_of_pyinstallers_own_without_importing_qt(tmp_path, pyinstaller):
    meipass = tmp_path / "_internal"
    built_in = run_hook(pyinstaller / "hooks" / "rthooks" / "pyi_rth_pyside6.py", meipass, pyinstaller)
    ours = run_hook(OURS, meipass, pyinstaller)
    assert ours["env"] == built_in["env"]
    assert ours["env"]["QT_PLUGIN_PATH"].startswith(str(meipass))
    assert ours["qt"] == []
    assert "PySide6.QtCore" in built_in["qt"]  # what the replaced hook did: Qt before the app's first line

