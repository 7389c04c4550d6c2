"""Entry script of both frozen executables (PyInstaller needs a script file).

One script, two executables built from it (annotator.spec): `annotator-gui` runs the
`gui-scripts` entry point and `annotator` the console one, exactly as pip's launchers do.
"""

import sys
from pathlib import Path

from annotator.cli import gui_main, main

if __name__ == "__main__":
    gui = Path(sys.executable).stem.lower() == "annotator-gui"
    sys.exit(gui_main() if gui else main())
