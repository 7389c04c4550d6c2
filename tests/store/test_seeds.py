import json

from annotator.importer import open_default_project
from annotator.paths import seeds_dir
from annotator.store.queries import document_text, list_documents


def test_default_project_is_created_once_from_the_seeds(tmp_path):
    path = tmp_path / "data" / "default.annotator"
    for _ in range(2):
        with open_default_project(path) as project, project.read() as conn:
            docs = list_documents(conn)
            assert [(d.uid[:3], d.lang) for d in docs] == [("000", "bn"), ("001", "vi"), ("002", "fr"), ("003", "sr"),
                                                          ("004", "en")]
            for d in docs:
                raw = (seeds_dir() / f"{d.uid}.txt").read_bytes().decode("utf-8")
                assert document_text(conn, d.id) == raw


def test_manifest_matches_the_seed_files():
    manifest = json.loads((seeds_dir() / "manifest.json").read_text(encoding="utf-8"))
    files = sorted(p.name for p in seeds_dir().glob("*.txt"))
    assert sorted(d["file"] for d in manifest["documents"]) == files
    groups = {d["id"][:3]: d["group"] for d in manifest["documents"]}
    assert groups["001"] == groups["002"] == groups["004"] is not None
    assert groups["000"] is None and groups["003"] is None


def test_serbian_seed_keeps_its_stray_cyrillic_letter():
    text = (seeds_dir() / "003_9d79371e2d62a488.txt").read_text(encoding="utf-8")
    assert "\u0415U" in text  # Cyrillic Е followed by Latin U, as published


def test_a_crash_while_creating_the_default_project_leaves_nothing_half_made(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "data" / "default.annotator"
    crash = ("import os, sys; from pathlib import Path; import annotator.importer as imp\n"
             "def boom(project): os._exit(9)  # killed while seeding\n"
             "imp.seed = boom\n"
             "imp.open_default_project(Path(sys.argv[1]))\n")
    assert subprocess.run([sys.executable, "-c", crash, str(path)]).returncode == 9
    assert not path.exists()  # only a scratch file was left
    with open_default_project(path) as project, project.read() as conn:
        assert len(list_documents(conn)) == 5  # the next start makes it whole
    assert not list(path.parent.glob(".*creating*"))
