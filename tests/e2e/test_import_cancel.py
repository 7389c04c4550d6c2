"""`annotator import --progress` on a corpus of many batches: a progress line per file read
and per batch written on stderr, and Ctrl+C (SIGINT) after the first batch leaves the
project as it was."""

import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import orjson

from annotator.importer import BATCH_RECORDS
from annotator.read_ahead import FIRST_PIECE
from tests.conftest import dump

ANNOTATOR = Path(sys.executable).with_name("annotator")
DOCUMENTS = 20 * BATCH_RECORDS  # twenty batches: the first batch's line comes long before the end


def corpus(path: Path) -> None:
    lines = []
    for i in range(DOCUMENTS):
        text = f"NATO {i} met in Brussels. Tổng thư ký ক্ষমতা"
        lines.append(orjson.dumps({"id": f"d{i}", "lang": "en", "text": text,
                                   "spans": [{"id": f"s{i}", "start": 0, "end": 4, "label": "ORG", "text": "NATO"}],
                                   "annotator": "a", "status": "in_progress"}))
    path.write_bytes(b"\n".join(lines) + b"\n")


def test_ctrl_c_after_the_first_written_batch_writes_nothing(tmp_path):
    project = tmp_path / "p.annotator"
    assert subprocess.run([str(ANNOTATOR), "init", project], capture_output=True, timeout=120).returncode == 0
    before = dump(project)
    gold = tmp_path / "many.jsonl"
    corpus(gold)
    # A shell's background job starts with SIGINT ignored, and a child keeps that (Python
    # then installs no Ctrl+C handler): the user's import in a terminal has the default.
    proc = subprocess.Popen([str(ANNOTATOR), "import", str(project), str(gold), "--progress"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        first = proc.stderr.readline()  # waits for the first batch to be read, checked and written
        assert first.startswith("importing: ") and "MB read and checked, " in first, first
        # (read ahead by a second process, the first batch's first records are written first)
        assert first.endswith(f" {FIRST_PIECE} record(s) written (Ctrl+C cancels)\n"), first
        proc.send_signal(signal.SIGINT)
        rest = proc.stderr.read()
        code = proc.wait(timeout=120)
    finally:
        proc.kill()
    assert code == 130, rest
    assert rest.splitlines()[-1] == f"annotator: {project}: import cancelled; nothing was written"
    assert "Traceback" not in rest
    assert dump(project) == before
    con = sqlite3.connect(project)
    try:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 5  # the seeds only
    finally:
        con.close()


def test_progress_lines_count_up_to_the_whole_file(tmp_path):
    project = tmp_path / "p.annotator"
    assert subprocess.run([str(ANNOTATOR), "init", project, "--empty"], capture_output=True, timeout=120).returncode == 0
    gold = tmp_path / "many.jsonl"
    corpus(gold)
    done = subprocess.run([str(ANNOTATOR), "import", str(project), str(gold), "--progress"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    progress = [ln for ln in lines if ln.startswith("importing: ")]
    written = [int(ln.rsplit(", ", 1)[1].split()[0]) for ln in progress]
    # the first batch's first piece (read ahead), each batch, then the file's end
    assert written == [FIRST_PIECE] + [BATCH_RECORDS * (i + 1) for i in range(20)] + [DOCUMENTS]
    assert progress[-1].startswith("importing: 100 %, ") and f", {DOCUMENTS} record(s) written" in progress[-1]
    assert lines[-1] == f"imported {DOCUMENTS} document(s), {DOCUMENTS} layer(s); 0 duplicate(s) skipped; 0 warning(s)"


def test_without_progress_and_no_terminal_no_progress_line(tmp_path):
    project = tmp_path / "p.annotator"
    assert subprocess.run([str(ANNOTATOR), "init", project, "--empty"], capture_output=True, timeout=120).returncode == 0
    gold = tmp_path / "one.jsonl"
    gold.write_bytes(orjson.dumps({"id": "d", "lang": "en", "text": "NATO"}) + b"\n")
    done = subprocess.run([str(ANNOTATOR), "import", str(project), str(gold)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and done.stderr.splitlines() == [
        "imported 1 document(s), 0 layer(s); 0 duplicate(s) skipped; 0 warning(s)"], done.stderr
