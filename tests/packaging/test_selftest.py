"""`annotator --self-test` from the checkout (the frozen one is in test_bundle.py): fast."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

from annotator import selftest


def test_it_passes_headless_from_the_checkout(tmp_path):
    code = ("import sys\n"
            "from annotator.selftest import run_self_test\n"
            "rc = run_self_test()\n"
            "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
            "print('qt modules:', qt)\n"
            "sys.exit(rc)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                            env={**os.environ, "ANNOTATOR_DATA_DIR": str(tmp_path / "user-data")}, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout
    assert "qt modules: []" in result.stdout
    assert not (tmp_path / "user-data").exists()


def test_a_failed_step_stops_the_run_with_the_reason_on_stderr(tmp_path, monkeypatch):
    monkeypatch.setattr(selftest, "migrations_dir", lambda: tmp_path / "no-db")
    out, err = io.StringIO(), io.StringIO()
    assert selftest.run_self_test(out, err) == 1
    assert re.search(r"^\[1/\d+\] bundled data: FAILED$", out.getvalue(), re.M)
    assert "self-test passed" not in out.getvalue()
    assert re.search(r"self-test failed at \[1/\d+\] bundled data: missing:", err.getvalue())
    assert str(tmp_path / "no-db" / "env.py") in err.getvalue()


def test_an_unexpected_error_is_reported_with_its_traceback(monkeypatch):
    def broken(_text, _languages):
        raise ModuleNotFoundError("No module named 'numpy'")

    monkeypatch.setattr("annotator.core.langid.guess_language", broken)
    out, err = io.StringIO(), io.StringIO()
    assert selftest.run_self_test(out, err) == 1
    assert re.search(r"^\[\d+/\d+\] language identification: FAILED$", out.getvalue(), re.M)
    assert "Traceback" in err.getvalue()
    assert err.getvalue().rstrip().endswith("ModuleNotFoundError: No module named 'numpy'")
