"""Build hook: ship the top-level data folders inside the wheel.

db/ (Alembic's env.py and versions/), resources/ and seeds/ stay at the top of the
repository, where the project's layout puts them; a built wheel carries copies under
annotator/_data/, where annotator.paths looks for them in an installed package. An
editable install reads them in place, so nothing is copied then. Everything else about
the build is declared in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA_FOLDERS = ("db", "resources", "seeds")
TARGET = Path("annotator", "_data")


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        for folder in DATA_FOLDERS:
            target = Path(self.build_lib) / TARGET / folder
            shutil.rmtree(target, ignore_errors=True)  # a file removed from the source leaves the wheel too
            shutil.copytree(ROOT / folder, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        shipped = [str(p) for p in (Path(self.build_lib) / TARGET).rglob("*") if p.is_file()]
        return super().get_outputs(include_bytecode) + ([] if self.editable_mode else shipped)


setup(cmdclass={"build_py": BuildPyWithData})
