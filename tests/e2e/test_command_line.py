"""The installed `annotator` command, run as a user runs it, in a fresh process."""

import subprocess
import sys
from pathlib import Path

import orjson

ANNOTATOR = Path(sys.executable).with_name("annotator")


def sh(*args, **kw):
    return subprocess.run([str(ANNOTATOR), *map(str, args)], capture_output=True, **kw)


def test_a_pipeline_from_text_files_to_validated_gold(tmp_path):
    project = tmp_path / "news.annotator"
    assert sh("init", project, "--empty").returncode == 0
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "fr.txt").write_bytes("Le 14\u00a0juin, l’OTAN a rencontré l’UE.\r\n".encode())
    (docs / "bn.txt").write_bytes("\ufeff".encode() + "ন্যাটো-নেতৃত্বাধীন কেএফওআর মিশন এবং রাস্তার বাধা".encode())
    imported = sh("import", project, docs, text=True)
    assert imported.returncode == 0, imported.stderr
    exported = sh("export", project)
    records = [orjson.loads(line) for line in exported.stdout.splitlines()]
    assert [(r["id"], r["lang"]) for r in records] == [("bn", "bn"), ("fr", "fr")]
    assert records[1]["text"] == "Le 14\u00a0juin, l’OTAN a rencontré l’UE.\r\n"  # NBSP and CRLF kept
    gold = tmp_path / "gold.jsonl"
    gold.write_bytes(exported.stdout)
    checked = sh("validate", gold, text=True)
    assert checked.returncode == 0 and "2 record(s), 0 bad" in checked.stderr
    # The same export, imported into a new project and exported again, is byte-identical.
    again = tmp_path / "again.annotator"
    assert sh("init", again, "--empty").returncode == 0
    assert sh("import", again, gold).returncode == 0
    assert sh("export", again).stdout == exported.stdout


def test_version_and_module_entry_point():
    out = subprocess.run([sys.executable, "-m", "annotator", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("annotator ")
