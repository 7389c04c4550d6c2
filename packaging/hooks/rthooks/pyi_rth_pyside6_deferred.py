"""Run-time hook for PySide6 that leaves importing it to the app (replaces PyInstaller's
pyi_rth_pyside6.py: packaging/hooks/rthooks.dat takes precedence over the built-in one).

PyInstaller's hook sets Qt's plugin and QML paths, then imports PySide6.QtCore to make an
embedded qt.conf, which the PyPI wheels of PySide6 already make themselves on import. That
import, before the frozen app's first line, made PySide6's `__feature__` check (which
looks for the source of every module imported after PySide6) run over every module of the
launch: the app imports its store first and Qt after it (annotator/ui/app/launch.py).
The paths are set here exactly as the built-in hook sets them. (Its check that no other Qt
binding is in the bundle is annotator.spec's excludes.)
"""


def _pyi_rthook():
    import os
    import sys

    if sys.platform.startswith("win"):
        qt_path = os.path.join(sys._MEIPASS, "PySide6")
    else:
        qt_path = os.path.join(sys._MEIPASS, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt_path, "plugins")
    app_bundle = sys.platform == "darwin" and sys._MEIPASS.endswith("Contents/Frameworks")
    if app_bundle:  # .app: Qt's qml folder split between Frameworks and Resources
        resources = os.path.normpath(os.path.join(sys._MEIPASS, "..", "Resources",
                                                  os.path.relpath(qt_path, sys._MEIPASS)))
        os.environ["QML2_IMPORT_PATH"] = os.pathsep.join([os.path.join(resources, "qml"),
                                                          os.path.join(qt_path, "qml")])
    else:
        os.environ["QML2_IMPORT_PATH"] = os.path.join(qt_path, "qml")

    def prepend(path, name):
        stored = os.environ.get(name)
        if not stored:
            os.environ[name] = path
        elif path not in stored.split(os.pathsep):
            os.environ[name] = os.pathsep.join([path, stored])

    if sys.platform.startswith("win"):
        prepend(sys._MEIPASS, "PATH")  # OpenSSL DLLs collected beside the app
    if sys.platform == "darwin" and not app_bundle:
        prepend(sys._MEIPASS, "DYLD_LIBRARY_PATH")


_pyi_rthook()
del _pyi_rthook
