"""Which parts of Qt the bundle ships: shared by annotator.spec and the hook overrides in
hooks/ (PyInstaller runs both in one process; the spec puts this folder on sys.path).

The app uses QtCore, QtGui and QtWidgets only. PyInstaller's hooks follow the imports, so
other Qt modules are not collected unless imported; UNUSED_MODULES makes sure of it. The
hooks of the three modules collect whole Qt plugin folders; `unused_qt_file` names the
plugins we drop. Dropping them in the hooks (not after the analysis) matters: the shared
libraries a dropped plugin links (e.g. GTK's cairo and pango for the GTK3 theme) are then
never collected either.
"""

from __future__ import annotations

from pathlib import PurePath

UNUSED_MODULES = [
    "QtNetwork", "QtQml", "QtQuick", "QtQuickControls2", "QtQuickWidgets", "QtQuickTest", "QtWebEngineCore",
    "QtWebEngineWidgets", "QtWebEngineQuick", "QtWebChannel", "QtWebSockets", "QtMultimedia",
    "QtMultimediaWidgets", "QtSql", "QtTest", "QtDesigner", "QtHelp", "QtUiTools",
    # Not QtOpenGL and QtOpenGLWidgets: pyqtgraph (the statistics dashboard) imports them.
    "QtPrintSupport", "QtConcurrent", "QtSvg", "QtSvgWidgets", "QtDBus", "QtPdf", "QtPdfWidgets", "QtCharts",
    "QtDataVisualization", "QtGraphs", "Qt3DCore", "QtBluetooth", "QtPositioning", "QtLocation", "QtSerialPort",
    "QtRemoteObjects", "QtStateMachine", "QtTextToSpeech", "QtSpatialAudio", "QtSensors", "QtNfc", "QtScxml",
    "QtHttpServer", "QtAxContainer",
]

# Plugins worth shipping, by plugin folder: any other plugin in a listed folder is
# dropped; folders not listed (styles, iconengines, wayland-*, xcbglintegrations,
# accessiblebridge, ...) are kept whole. Platforms: the native one of each OS, X11 and
# Wayland on Linux, offscreen and minimal for headless runs and tests.
KEEP_PLUGINS: dict[str, set[str]] = {
    "platforms": {"qxcb", "qwayland", "qwayland-generic", "qwayland-egl", "qoffscreen", "qminimal",
                  "qwindows", "qdirect2d", "qcocoa"},
    "imageformats": {"qgif", "qico", "qjpeg", "qsvg"},
    "platforminputcontexts": {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"},
    # GTK3 theme: it links half the GTK stack (cairo, pango, gdk-pixbuf, gio), which would
    # be bundled beside the system's own GTK. The XDG desktop portal theme stays.
    "platformthemes": {"qxdgdesktopportal"},
    "egldeviceintegrations": set(),  # eglfs, for embedded boards without a window system
    "generic": set(),  # evdev/tslib input for eglfs and linuxfb
}

# The app installs no QTranslator, so Qt's own translations (7 MB) would never be loaded.
DROP_FOLDERS = {"translations"}


def unused_qt_file(dest: str) -> bool:
    """Whether a file at `dest` (its path inside the bundle) is a part of Qt we drop."""
    parts = PurePath(dest.replace("\\", "/")).parts
    if not parts or parts[0] != "PySide6":
        return False
    if DROP_FOLDERS.intersection(parts):  # PySide6/Qt/translations (PySide6/translations on Windows)
        return True
    if "plugins" not in parts:
        return False
    i = parts.index("plugins")
    if len(parts) < i + 3:
        return False
    folder = parts[i + 1]
    if folder not in KEEP_PLUGINS:
        return False
    stem = parts[-1].split(".")[0]
    stem = stem[3:] if stem.startswith("lib") else stem
    return stem not in KEEP_PLUGINS[folder]


def hook_collect(hook_file: str):
    """(hiddenimports, binaries, datas) of PyInstaller's own Qt hook for the module that
    `hook_file` (hook-PySide6.QtXxx.py) is named after, less the files we drop."""
    import os

    from PyInstaller.utils.hooks.qt import add_qt6_dependencies

    hiddenimports, binaries, datas = add_qt6_dependencies(hook_file)
    hiddenimports = [m for m in hiddenimports if m.split(".", 1)[-1] not in UNUSED_MODULES]

    def keep(entries):
        return [(src, dest) for src, dest in entries if not unused_qt_file(os.path.join(dest, os.path.basename(src)))]

    return hiddenimports, keep(binaries), keep(datas)
