"""The bundle's run-time hook for pkgutil (packaging/hooks/rthooks/pyi_rth_pkgutil_when_imported.py)
leaves pkgutil unimported at start, and once the app imports it, `pkgutil.iter_modules`
lists the modules of PyInstaller's finder exactly as PyInstaller's own hook makes it do.
Each hook runs in a fresh process, against a stand-in for PyInstaller's bootstrap module
(its finder and its archive's table of contents)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.packaging.test_qt_runtime_hook import pyinstaller  # noqa: F401 (the fixture)

ROOT = Path(__file__).resolve().parents[2]
OURS = ROOT / "packaging" / "hooks" / "rthooks" / "pyi_rth_pkgutil_when_imported.py"

BOOTSTRAP = '''
class PyiFrozenFinder:
    def __init__(self, prefix, fallback):
        self._pyz_entry_prefix = prefix
        self.fallback_finder = fallback


def get_pyz_toc_tree():
    return {"app": {"core": {"a": "app.core.a", "sub": {}}, "b": "app.b"}, "top": "top"}
'''

# Not runpy: it imports pkgutil itself.
RUN = """
import json, sys
from importlib.machinery import FileFinder, SourceFileLoader, SOURCE_SUFFIXES
sys.path.insert(0, sys.argv[2])
before = "pkgutil" in sys.modules
exec(compile(open(sys.argv[1], encoding="utf-8").read(), sys.argv[1], "exec"), {"__name__": "__main__"})
after_hook = "pkgutil" in sys.modules
import pkgutil
import pyimod02_importers
on_disk = FileFinder(sys.argv[3], (SourceFileLoader, SOURCE_SUFFIXES))
listed = {prefix: sorted(pkgutil.iter_importer_modules(pyimod02_importers.PyiFrozenFinder(prefix, on_disk), "x."))
          for prefix in ("", "app", "app.core", "app.b", "nowhere")}
print(json.dumps({"before": before, "after_hook": after_hook, "listed": listed}))
"""


def run_hook(hook: Path, tmp_path: Path) -> dict:
    fake = tmp_path / "bootstrap"
    fake.mkdir(exist_ok=True)
    (fake / "pyimod02_importers.py").write_text(BOOTSTRAP, encoding="utf-8")
    disk = tmp_path / "disk"
    (disk / "pkg").mkdir(parents=True, exist_ok=True)
    (disk / "ondisk.py").write_text("", encoding="utf-8")
    (disk / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", RUN, str(hook), str(fake), str(disk)],
                         capture_output=True, text=True, check=True, timeout=120).stdout
    return json.loads(out.splitlines()[-1])


def test_pkgutil_is_left_unimported_and_lists_as_with_pyinstallers_hook(tmp_path, pyinstaller):  # noqa: F811
    theirs = run_hook(pyinstaller / "hooks" / "rthooks" / "pyi_rth_pkgutil.py", tmp_path)
    ours = run_hook(OURS, tmp_path)
    assert theirs["before"] is False and ours["before"] is False
    assert theirs["after_hook"] is True  # PyInstaller's imports it at every start
    assert ours["after_hook"] is False
    assert ours["listed"] == theirs["listed"]
    assert ["x.a", False] in ours["listed"]["app.core"] and ["x.ondisk", False] in ours["listed"]["app.core"]
    assert ["x.pkg", True] in ours["listed"][""]
