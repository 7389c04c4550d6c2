"""Build the one-folder executable bundle and its archive.

    python packaging/build.py [--no-archive] [--clean] [--dist DIR] [--work DIR]

Runs PyInstaller on packaging/annotator.spec (build/ for work files, dist/annotator/ for
the bundle, or the folders given), then archives the bundle as dist/annotator-<version>-<platform>.tar.xz
(.zip on Windows, where Explorer opens only deflated zips) and prints the build time, the bundle's size on disk and the archive's
size. Installs nothing: `pip install -r packaging/requirements.txt` first. Works from any
folder and on Linux, macOS and Windows.
"""

from __future__ import annotations

import argparse
import ast
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "annotator.spec"
BUILD = ROOT / "build"
DIST = ROOT / "dist"
NAME = "annotator"


def version() -> str:
    """annotator.__version__, read from the source without importing the package: the one
    place the version is written (pyproject.toml takes it from there too)."""
    init = ROOT / "annotator" / "__init__.py"
    for node in ast.parse(init.read_text(encoding="utf-8"), str(init)).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["__version__"]:
            return ast.literal_eval(node.value)
    raise SystemExit(f"build: {init} does not set __version__")


def platform_tag() -> str:
    system = {"darwin": "macos", "win32": "windows"}.get(sys.platform, sys.platform.rstrip("0123456789"))
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "aarch64": "arm64"}.get(machine, machine)
    return f"{system}-{machine}"


XZ_PRESET = 1


def archive_path(dist: Path = DIST) -> Path:
    suffix = ".zip" if sys.platform == "win32" else ".tar.xz"
    return dist / f"{NAME}-{version()}-{platform_tag()}{suffix}"


def bundle_dir(dist: Path = DIST) -> Path:
    return dist / NAME


def executable(name: str, dist: Path = DIST) -> Path:
    """Path of an executable of the built bundle (`annotator` or `annotator-gui`)."""
    return bundle_dir(dist) / (name + ".exe" if sys.platform == "win32" else name)


def run_pyinstaller(clean: bool, dist: Path, work: Path) -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise SystemExit(f"build: PyInstaller is not installed in {sys.executable}; run\n"
                         f"  {sys.executable} -m pip install -r packaging/requirements.txt") from None
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--workpath", str(work), "--distpath", str(dist)]
    if clean:
        cmd.append("--clean")
    cmd.append(str(SPEC))
    print("build: " + " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT)


def make_archive(bundle: Path, target: Path) -> None:
    """The bundle folder as the archive's single top-level folder, with file modes kept
    (tar) so the executables stay executable."""
    target.unlink(missing_ok=True)
    tmp = target.with_name(target.name + ".part")
    if target.suffix == ".zip":
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for path in sorted(bundle.rglob("*")):
                zf.write(path, path.relative_to(bundle.parent))
    else:
        # xz, not gzip: Qt's ICU data and the shared libraries pack to 67 MB against 84 MB
        # (the size target is 80 MB). Preset 1 costs about what gzip -6 did (20 s of CPU);
        # presets 3 and 6 save 3 and 8 MB more for 2.5 and about 4 times that.
        with tarfile.open(tmp, "w:xz", preset=XZ_PRESET) as tf:
            tf.add(bundle, arcname=bundle.name, filter=_normalise)
    os.replace(tmp, target)


def _normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def disk_size(folder: Path) -> int:
    """Bytes the files take on disk, like `du` (allocated blocks where the OS reports them;
    hard links counted once)."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for dirpath, _dirnames, filenames in os.walk(folder):
        for name in filenames:
            st = os.lstat(os.path.join(dirpath, name))
            if (st.st_dev, st.st_ino) in seen and st.st_ino:
                continue
            seen.add((st.st_dev, st.st_ino))
            total += st.st_blocks * 512 if hasattr(st, "st_blocks") else st.st_size
    return total


def mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-archive", action="store_true", help="build the folder only")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache and the work folder first")
    parser.add_argument("--dist", type=Path, default=DIST, help=f"output folder (default: {DIST})")
    parser.add_argument("--work", type=Path, default=BUILD, help=f"PyInstaller's work folder (default: {BUILD})")
    args = parser.parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()

    started = time.perf_counter()
    bundle = bundle_dir(dist)
    shutil.rmtree(bundle, ignore_errors=True)
    run_pyinstaller(args.clean, dist, work)
    built = time.perf_counter()
    for name in (NAME, f"{NAME}-gui"):
        if not executable(name, dist).is_file():
            raise SystemExit(f"build: {executable(name, dist)} was not built")
    files = sum(1 for p in bundle.rglob("*") if p.is_file())
    print(f"build: bundle {bundle}: {files} files, {mib(disk_size(bundle))} on disk", flush=True)
    print(f"build: PyInstaller took {built - started:.1f} s", flush=True)
    if not args.no_archive:
        target = archive_path(dist)
        make_archive(bundle, target)
        print(f"build: archive {target}: {mib(target.stat().st_size)} "
              f"(archiving took {time.perf_counter() - built:.1f} s)", flush=True)
    print(f"build: total {time.perf_counter() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
