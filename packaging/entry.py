"""Entry script of both frozen executables (PyInstaller needs a script file).

One script, two executables built from it (annotator.spec): `annotator-gui` runs the
`gui-scripts` entry point and `annotator` the console one, exactly as pip's launchers do.
"""

import multiprocessing
import sys
from pathlib import Path

if __name__ == "__main__":
    # First of all: a child process the app starts (the recommenders' CRF training,
    # annotator/suggest/worker_process.py, "spawn") runs this executable again; here it
    # does its work and exits, before any window or command line is made.
    multiprocessing.freeze_support()
    from annotator.cli import gui_main, process_main

    gui = Path(sys.executable).stem.lower() == "annotator-gui"
    sys.exit(gui_main() if gui else process_main())
