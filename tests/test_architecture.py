"""The layering rules of docs/ARCHITECTURE.md ("Layers"), enforced by import-linter's contracts."""

import subprocess
import sys
from pathlib import Path


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], capture_output=True, text=True, cwd=Path(__file__).parents[1])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_unused_or_undefined_names():
    ruff = Path(sys.executable).with_name("ruff")
    root = Path(__file__).parents[1]
    result = subprocess.run([str(ruff), "check", "annotator", "tests", "bench", "scripts", "packaging", "db"],
                            capture_output=True, text=True, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
