"""The PyInstaller bundle, built from this checkout, run as a user runs it.

One build per session (about a minute on two cores), into a temporary folder: the
checkout's build/ and dist/ are left alone. PyInstaller is installed from
packaging/requirements.txt when it is missing or not the pinned version.
ANNOTATOR_BUNDLE_DIST=FOLDER tests an existing build instead (FOLDER holds annotator/ and
the archive, as `python packaging/build.py` leaves them in dist/): CI builds once.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from annotator import __version__ as VERSION

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "packaging" / "build.py"
REQUIREMENTS = ROOT / "packaging" / "requirements.txt"
CONSTRAINTS = ROOT / "constraints.txt"
EXE = ".exe" if sys.platform == "win32" else ""
# Hang guards only: nothing asserts on how long anything took.
BUILD_LIMIT = 1200
RUN_LIMIT = 120

pytestmark = pytest.mark.slow


class Bundle:
    def __init__(self, dist: Path, log: str) -> None:
        self.dist = dist
        self.folder = dist / "annotator"
        self.cli = self.folder / f"annotator{EXE}"
        self.gui = self.folder / f"annotator-gui{EXE}"
        self.log = log

    def archive(self) -> Path:
        found = sorted(self.dist.glob(f"annotator-{VERSION}-*.zip" if EXE else f"annotator-{VERSION}-*.tar.xz"))
        assert len(found) == 1, f"{self.dist}: expected one archive, found {found}"
        return found[0]


def _ensure_pyinstaller() -> None:
    pinned = re.search(r"^pyinstaller==(\S+)", REQUIREMENTS.read_text(encoding="utf-8"), re.M).group(1)
    try:
        installed = metadata.version("pyinstaller")
    except metadata.PackageNotFoundError:
        installed = None
    if installed == pinned:
        return
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "-c", str(CONSTRAINTS), "-r", str(REQUIREMENTS)],
                   check=True, timeout=BUILD_LIMIT)


@pytest.fixture(scope="session")
def bundle(tmp_path_factory) -> Bundle:
    if os.environ.get("ANNOTATOR_BUNDLE_DIST"):
        yield Bundle(Path(os.environ["ANNOTATOR_BUNDLE_DIST"]).resolve(), log="")
        return
    _ensure_pyinstaller()
    base = tmp_path_factory.mktemp("bundle")
    dist, work = base / "dist", base / "build"
    # From another folder than the checkout: the spec must not depend on the cwd.
    result = subprocess.run([sys.executable, str(BUILD_SCRIPT), "--dist", str(dist), "--work", str(work)],
                            cwd=base, capture_output=True, text=True, timeout=BUILD_LIMIT)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-6000:]
    print(log[-1500:])  # build time and sizes, shown with `pytest -s` or on failure
    yield Bundle(dist, log)
    shutil.rmtree(base, ignore_errors=True)


def run(bundle_exe: Path, *args: str, env: dict | None = None, cwd: Path | None = None):
    return subprocess.run([str(bundle_exe), *args], capture_output=True, text=True, encoding="utf-8",
                          env=env, cwd=cwd, timeout=RUN_LIMIT)


def clean_env(tmp_path: Path, **extra: str) -> dict:
    """The environment of a user without Python: no virtualenv, no PYTHON* variables, a
    user data directory of its own."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PYTEST", "ANNOTATOR_", "QT_"))}
    env["ANNOTATOR_DATA_DIR"] = str(tmp_path / "user-data")
    env.update(extra)
    return env


def test_the_build_prints_its_figures(bundle):
    if not bundle.log:  # ANNOTATOR_BUNDLE_DIST: built by the workflow, whose log shows them
        assert bundle.archive().stat().st_size > 0
        return
    assert re.search(r"build: bundle .*: \d+ files, [\d.]+ MiB on disk", bundle.log)
    assert re.search(r"build: archive .*: [\d.]+ MiB", bundle.log)
    assert re.search(r"build: total [\d.]+ s", bundle.log)


def test_version(bundle, tmp_path):
    result = run(bundle.cli, "--version", env=clean_env(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"annotator {VERSION}"


def test_self_test_passes_and_writes_nothing_outside_its_temporary_folder(bundle, tmp_path):
    env = clean_env(tmp_path)
    result = run(bundle.cli, "--self-test", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"annotator {VERSION} self-test (frozen,")
    steps = [line for line in lines if re.match(r"\[\d+/\d+\] ", line)]
    assert len(steps) >= 8 and all(": OK (" in line for line in steps), result.stdout
    for name in ("bundled data", "migration head", "seed import", "language identification",
                 "gold JSONL export", "export validation", "round trip"):
        assert any(name in line for line in steps), f"no step {name!r} in:\n{result.stdout}"
    assert lines[-1] == "self-test passed"
    assert "Traceback" not in result.stderr
    assert not Path(env["ANNOTATOR_DATA_DIR"]).exists()
    assert not list(tmp_path.iterdir())  # nothing in the cwd either
    assert not list(bundle.folder.rglob("__pycache__"))


def test_the_cli_works_on_a_project(bundle, tmp_path):
    env = clean_env(tmp_path)
    project = tmp_path / "news.annotator"
    created = run(bundle.cli, "init", str(project), env=env)
    assert created.returncode == 0, created.stderr
    exported = run(bundle.cli, "export", str(project), "-o", str(tmp_path / "gold.jsonl"), env=env)
    assert exported.returncode == 0, exported.stderr
    checked = run(bundle.cli, "validate", str(tmp_path / "gold.jsonl"), env=env)
    assert checked.returncode == 0 and "5 record(s), 0 bad" in checked.stderr, checked.stderr


def test_the_gui_comes_up_on_the_default_project(bundle, tmp_path):
    env = clean_env(tmp_path, QT_QPA_PLATFORM="offscreen")
    project = Path(env["ANNOTATOR_DATA_DIR"]) / "default.annotator"
    proc = subprocess.Popen([str(bundle.gui)], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        deadline = time.monotonic() + RUN_LIMIT  # hang guard
        while not project.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert proc.poll() is None, f"the GUI exited with {proc.returncode}:\n{proc.communicate()[1]}"
        assert project.exists(), "the GUI did not create the default project"
        time.sleep(3)
        assert proc.poll() is None, f"the GUI exited with {proc.returncode}:\n{proc.communicate()[1]}"
    finally:
        if proc.poll() is None:
            proc.terminate()
        _out, err = proc.communicate(timeout=RUN_LIMIT)
    # terminate() sends SIGTERM, which closes the app normally (TerminateProcess on Windows).
    if sys.platform != "win32":
        assert proc.returncode == 0, (proc.returncode, err)
        assert not Path(f"{project}.lock").exists()  # closed cleanly: the lock was released
    assert "Traceback" not in err, err
    assert not [line for line in err.splitlines() if line.startswith("annotator:")], err
    # The project the frozen GUI made from the bundled seeds is complete.
    stats = run(bundle.cli, "stats", str(project), env=env)
    assert stats.returncode == 0, stats.stderr
    assert "documents: 5" in stats.stdout


def test_the_other_windows_open_in_the_frozen_app(bundle, tmp_path):
    """Side by side, adjudication and the statistics dashboard (pyqtgraph, numpy) come from
    modules the frozen app loads only when asked: ask for each."""
    names = ["side_by_side", "adjudicate", "statistics"]
    env = clean_env(tmp_path, QT_QPA_PLATFORM="offscreen", ANNOTATOR_SMOKE_ACTIONS=",".join(names))
    proc = run(bundle.gui, "gui", "--annotator", "smoke", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    assert [line for line in proc.stdout.splitlines() if line.startswith("triggered")] == \
        [f"triggered {n}" for n in names]


def test_the_bundle_leaves_out_what_only_optional_imports_reach(bundle):
    """scipy (pyqtgraph tries it), pytest and setuptools: with setuptools inside, a runtime
    hook of PyInstaller imported it at every start (annotator.spec's excludes)."""
    internal = bundle.folder / "_internal"
    assert internal.is_dir()
    for name in ("scipy", "pytest", "_pytest", "setuptools", "pkg_resources", "_distutils_hack"):
        assert not (internal / name).exists() and not (internal / f"{name}.pyc").exists(), name


def test_shibokens_support_modules_are_shipped_compiled_where_shiboken_looks_first(bundle):
    """shiboken6 compiles its support modules (signatures, enums) from a zip embedded in its
    library at every start, unless shiboken6/files.dir holds them: the bundle ships them there,
    compiled. Every one is needed: with the folder present, shiboken imports them only from it."""
    import PySide6.QtCore  # noqa: F401 (shiboken imports its support modules)
    import shiboken6

    loader = sys.modules["shibokensupport"].__loader__
    if hasattr(loader, "zfile"):  # the embedded zip
        names = [n for n in loader.zfile.namelist() if n.startswith("shibokensupport/") and n.endswith(".py")]
    else:  # this environment has a files.dir of its own
        own = Path(shiboken6.__file__).parent / "files.dir"
        names = [p.relative_to(own).as_posix() for p in (own / "shibokensupport").rglob("*.py")]
    assert "shibokensupport/signature/loader.py" in names
    shipped = bundle.folder / "_internal" / "shiboken6" / "files.dir"
    assert sorted(str(p.relative_to(shipped).with_suffix(".py").as_posix()) for p in shipped.rglob("*.pyc")) == \
        sorted(names)


def test_the_archive_holds_the_bundle_with_runnable_executables(bundle):
    archive = bundle.archive()
    assert f"-{VERSION}-" in archive.name
    if not EXE:  # the download's size target (issue 15: the tagger must not swell the bundle)
        assert archive.stat().st_size < 80_000_000, f"{archive}: {archive.stat().st_size:,} bytes"
    if archive.suffix == ".zip":
        with zipfile.ZipFile(archive) as zf:
            names = set(zf.namelist())
        modes = {}
    else:
        with tarfile.open(archive) as tf:
            members = tf.getmembers()
        names = {m.name for m in members}
        modes = {m.name: m.mode for m in members}
    for exe in (f"annotator/annotator{EXE}", f"annotator/annotator-gui{EXE}"):
        assert exe in names
        if modes:
            assert modes[exe] & 0o111, f"{exe} is not executable in the archive"
    for data in ("db/env.py", "db/script.py.mako", "resources/gold.schema.json", "seeds/manifest.json"):
        assert f"annotator/_internal/{data}" in names, data
