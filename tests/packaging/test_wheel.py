"""The wheel built from this checkout, installed where the checkout cannot be seen.

The build runs on a copy of the source tree (the checkout gets no build/ or egg-info),
offline (`--no-index --no-build-isolation`: setuptools comes from the dev environment).
The wheel goes into a fresh virtual environment with `--no-deps`; its dependencies are
borrowed from the environment running the tests by a .pth line naming that environment's
site-packages, which adds the folder but runs none of the .pth files in it, so the
editable install of the checkout stays out of sight. Every command then runs from a
folder outside the checkout with no PYTHONPATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import orjson
import pytest

from annotator import __version__

ROOT = Path(__file__).resolve().parents[2]
DATA_FOLDERS = ("db", "resources", "seeds")
# Hang guards only: nothing asserts on how long anything took.
LIMIT = 300

pytestmark = pytest.mark.slow


def _source_files(folder: str) -> set[str]:
    return {p.relative_to(ROOT).as_posix() for p in (ROOT / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}


def _run(cmd: list, **kw) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, encoding="utf-8",
                            timeout=LIMIT, **kw)
    assert result.returncode == 0, f"{cmd}\n{result.stdout}\n{result.stderr}"
    return result


def _user_env(home: Path) -> dict[str, str]:
    """A user's environment: no virtualenv, no PYTHON* variables, a data directory of its own."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PYTEST", "ANNOTATOR_"))}
    env["ANNOTATOR_DATA_DIR"] = str(home / "user-data")
    return env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("wheel-build")
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "*.pyc", ".*_cache", ".hypothesis",
        "screenshots", "bench"))
    out = base / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index", "--no-build-isolation",
          "--wheel-dir", out, source], cwd=base)
    built = sorted(out.glob("*.whl"))
    assert len(built) == 1, built
    return built[0]


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A virtual environment outside the checkout with the wheel installed; returns its bin/."""
    env_dir = tmp_path_factory.mktemp("wheel-venv") / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", env_dir])
    bindir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    python = bindir / ("python.exe" if sys.platform == "win32" else "python")
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel])
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    ours = sysconfig.get_paths()
    borrowed = dict.fromkeys([ours["purelib"], ours["platlib"]])  # the same folder on most systems
    (site / "zz_borrowed_dependencies.pth").write_text("".join(f"{p}\n" for p in borrowed), encoding="utf-8")
    return bindir


def test_the_wheel_carries_migrations_resources_and_seeds(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        assert f"\nVersion: {__version__}\n" in zf.read(metadata).decode()
    assert wheel.name.startswith(f"annotator-{__version__}-")
    shipped = {n.removeprefix("annotator/_data/") for n in names if n.startswith("annotator/_data/")}
    for folder in DATA_FOLDERS:
        assert _source_files(folder) <= shipped, f"{folder}/ not shipped whole"
    for required in ("resources/schema.json", "resources/gold.schema.json", "db/env.py", "db/script.py.mako",
                     "db/versions/0001_initial_schema.py", "seeds/manifest.json"):
        assert required in shipped, required
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_init_import_and_export_from_the_installed_wheel(venv, tmp_path):
    env = _user_env(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    assert not work.resolve().is_relative_to(ROOT)
    annotator = venv / ("annotator.exe" if sys.platform == "win32" else "annotator")

    # The package and its data come from the virtual environment, not from the checkout.
    where = _run([venv / "python", "-c", "import annotator, annotator.paths as p; "
                  "print(annotator.__file__); print(p.resources_dir())"], env=env, cwd=work).stdout.split()
    assert all(Path(w).is_relative_to(venv.parent) for w in where), where
    assert _run([annotator, "--version"], env=env, cwd=work).stdout.strip() == f"annotator {__version__}"

    _run([annotator, "init", "news.annotator"], env=env, cwd=work)
    (work / "nato.txt").write_text("Le 14\u00a0juin, l’OTAN a rencontré l’UE à Bruxelles.\n", encoding="utf-8")
    _run([annotator, "import", "news.annotator", "nato.txt"], env=env, cwd=work)
    exported = _run([annotator, "export", "news.annotator", "-o", "gold.jsonl"], env=env, cwd=work)
    records = [orjson.loads(line) for line in (work / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    ours = [r for r in records if r["id"] == "nato"]
    assert len(ours) == 1, exported.stderr
    assert ours[0]["text"] == "Le 14\u00a0juin, l’OTAN a rencontré l’UE à Bruxelles.\n"
    assert ours[0]["lang"] == "fr"
    # init put the seeds in from the wheel's seeds/: five documents besides ours.
    assert len(records) == 6
