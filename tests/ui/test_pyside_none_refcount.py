"""PySide6 6.12.0 on Python 3.11 decrements None's refcount once too often on every call
of a wrapped method that returns None (QTextCursor.setPosition, QWidget.setFocus, ...).
None is not immortal before Python 3.12, so after some thousand calls (about 5,000 in a
text editor that moves its cursor) the interpreter aborts with
"Fatal Python error: none_dealloc". pyproject.toml pins PySide6-Essentials==6.11.3 for
that reason; this test fails if the pin is lifted to a broken release."""

from __future__ import annotations

import os
import subprocess
import sys

import PySide6

CALLS = 100_000

SCRIPT = f"""
import sys
from PySide6.QtGui import QGuiApplication, QTextCursor, QTextDocument
app = QGuiApplication([])
doc = QTextDocument("ক্ষমতা রাস্তার " * 20)
cursor = QTextCursor(doc)
before = sys.getrefcount(None)
for i in range({CALLS}):
    cursor.setPosition(i % 100)
after = sys.getrefcount(None)
print(before, after)
assert after - before > -1000, f"None lost {{before - after}} references in {CALLS} calls"
"""


def test_methods_returning_none_do_not_corrupt_none():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"


def test_pyside_is_the_pinned_release():
    assert PySide6.__version__ == "6.11.3", (
        f"PySide6 {PySide6.__version__} is installed; the project pins 6.11.3 because 6.12.0 corrupts "
        "None's refcount on Python 3.11 (Fatal Python error: none_dealloc after ~5,000 calls of a "
        "method returning None). Move the pin only to a release for which "
        "test_methods_returning_none_do_not_corrupt_none passes.")
