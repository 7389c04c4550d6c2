"""Issue 18: the bytes of `annotator export` in every format that writes, on the project
with every kind of record (test_export_driver.every_kind), equal the bytes main wrote
before the export was made faster (recorded from main ddf0495: the same digests from
that checkout and this one). The other export tests compare two paths of the same code,
which would change together; these catch any change of bytes. A change made on purpose
updates the digest here and says so in the commit."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from annotator.cli import main
from tests.cli.test_export_driver import every_kind

# (format, the export's options) -> SHA-256 of its output (a folder: every file's path and bytes, in order).
GOLDEN = {
    ("jsonl", ()): "e0eadb2b0509471b1c9553d6bd0e7f44943475f787e27a99db97c12a07c3c6a1",
    ("jsonl", ("--gold",)): "af574e7e75327f64748b2f32b61aef720101ef33b3ee55879878976b33f78a4d",
    ("jsonl", ("--annotator", "bob")): "fe433904834adcffb7831c0e3a4bd4618a7b70f9cd477fadafac7c1c6cf4e62a",
    ("conll", ("--annotator", "ana")): "1520034a1c42de1780aaef31157b43929e234939a982dc01590e569a08155613",
    ("conll", ("--gold", "--scheme", "bioes")): "1a96df643d47a30f69c4337254f398a246aeaa79ed5d60408e3e9f18d3e2a151",
    ("labelstudio", ("--annotator", "ana")): "507821c6c806ba4b5621dc15a9363577fdacd231fe820bd3e740dc7707a400b2",
    ("doccano", ("--gold",)): "d3536baf7a62be4d402968111267a69af5bb607bf3cc2a8302b572a53a2aa282",
    ("prodigy", ("--annotator", "bob")): "1f32eefcab6b55a243f4c97c34513288a597c34a8aa0f97536e8458d44725875",
    ("brat", ("--annotator", "ana")): "fa866f741b0b7225d1c36081674ca3fb6a60262eb7810c21a99d6ebf9181b748",
    ("hf", ("--gold",)): "d8b42000500628b7a6190e24c89721c6d947f0128da9266d49d7edbf5f429d12",
}


def digest(path: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]:
        h.update(str(f.relative_to(path) if path.is_dir() else "").encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return every_kind(tmp_path_factory.mktemp("golden"))


@pytest.mark.parametrize(("fmt", "options"), list(GOLDEN))
def test_the_export_is_byte_for_byte_mains(project, tmp_path, fmt, options, capsysbinary):
    # The output's name is part of a gold JSONL line ("schema": its schema file's name).
    out = tmp_path / f"out-{fmt}-{len(options)}"
    assert main(["export", str(project), "--format", fmt, *options, "-o", str(out)]) == 0
    assert digest(out) == GOLDEN[(fmt, options)]
    if not out.is_dir():  # stdout: the same bytes without the schema file's name
        assert main(["export", str(project), "--format", fmt, *options]) == 0
        name = f',"schema":"{out.name}.schema.json"'.encode()
        assert capsysbinary.readouterr().out == out.read_bytes().replace(name, b"")
