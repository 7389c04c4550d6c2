"""`annotator import` of texts in languages the project does not list: stored under their
own language, and the summary says what was decided and how sure it was."""

import re
import subprocess
import sys
from pathlib import Path

from tests.core.test_langid import DUTCH, SPANISH

ANNOTATOR = Path(sys.executable).with_name("annotator")


def sh(*args):
    return subprocess.run([str(ANNOTATOR), *map(str, args)], capture_output=True, text=True, timeout=120)


def test_spanish_and_dutch_are_stored_as_es_and_nl_and_the_summary_lists_them(tmp_path):
    project = tmp_path / "p.annotator"
    assert sh("init", project, "--empty").returncode == 0  # languages bn, vi, fr, sr, en
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "madrid.txt").write_text(SPANISH, encoding="utf-8")
    (tmp_path / "in" / "den_haag.txt").write_text(DUTCH, encoding="utf-8")
    result = sh("import", project, tmp_path / "in")
    assert result.returncode == 0, result.stderr
    summary = [line for line in result.stderr.splitlines() if line.startswith("language identified")]
    assert len(summary) == 1
    assert re.fullmatch(r"language identified for 2 document\(s\): es 1 \(lowest confidence (0\.9\d|1\.00)\), "
                        r"nl 1 \(lowest confidence (0\.9\d|1\.00)\)", summary[0]), summary[0]
    exported = sh("export", project)
    langs = {line.split('"lang":"')[1].split('"')[0] for line in exported.stdout.splitlines()}
    assert langs == {"es", "nl"}
