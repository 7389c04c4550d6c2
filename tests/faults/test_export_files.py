"""Export files of every format: created with the user's umask, and written atomically
(synced to disk before they get their name), CoNLL files and brat folders included."""

import os
import stat
from pathlib import Path

import pytest

from annotator.cli.commands import main
from tests.faults.conftest import run


@pytest.fixture
def project(tmp_path) -> Path:
    path = tmp_path / "p.annotator"
    assert run("init", path).returncode == 0
    return path


@pytest.mark.parametrize(("umask", "file_mode", "folder_mode"), [(0o027, 0o640, 0o750), (0o002, 0o664, 0o775)])
def test_every_format_creates_files_with_the_umask(project, tmp_path, umask, file_mode, folder_mode):
    outputs = {"jsonl": tmp_path / "out.jsonl", "conll": tmp_path / "out.conll", "brat": tmp_path / "brat"}
    for fmt, out in outputs.items():
        result = run("export", project, "--format", fmt, "-o", out, umask=umask)
        assert result.returncode == 0, result.stderr
    for fmt in ("jsonl", "conll"):
        assert stat.S_IMODE(outputs[fmt].stat().st_mode) == file_mode, fmt
    folder = outputs["brat"]
    assert stat.S_IMODE(folder.stat().st_mode) == folder_mode
    files = sorted(folder.iterdir())
    assert len(files) == 10 and {stat.S_IMODE(f.stat().st_mode) for f in files} == {file_mode}


def test_a_brat_folder_is_synced_to_disk_before_it_gets_its_name(project, tmp_path, monkeypatch):
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd):
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    renames: list[tuple[str, str, int]] = []
    real_rename = os.rename

    def rename(src, dst):
        renames.append((str(src), str(dst), len(synced)))
        real_rename(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "rename", rename)
    out = tmp_path / "brat"
    assert main(["export", str(project), "--format", "brat", "-o", str(out)]) == 0
    [(scratch, target, synced_before)] = renames
    assert target == str(out)
    before = synced[:synced_before]
    names = sorted(p.name for p in out.iterdir())
    assert sorted(Path(p).name for p in before if Path(p).parent == Path(scratch)) == names  # every file
    assert scratch in before  # the folder's own entries
    assert str(tmp_path) in synced[synced_before:]  # and the new name, after the rename
