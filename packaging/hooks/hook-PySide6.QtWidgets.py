# Replaces PyInstaller's hook for PySide6.QtWidgets: the same files less the Qt plugins and
# translations packaging/qt_selection.py drops (found through sys.path, set by the spec).
from qt_selection import hook_collect

hiddenimports, binaries, datas = hook_collect(__file__)
