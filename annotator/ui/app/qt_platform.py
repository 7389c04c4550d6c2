"""Can Qt open a window here? Checked before QApplication exists, so that a missing
display or a missing system library gives a message that says what to do instead of
Qt's "could not load the Qt platform plugin "xcb"" and an abort.

No Qt import in this module: it must run before Qt is loaded. The checks are pure
functions over the environment and a library finder, so tests can pass fakes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Callable, Mapping
from typing import NamedTuple


class Library(NamedTuple):
    name: str  # as ctypes.util.find_library spells it
    soname: str  # what the dynamic loader opens
    package: str  # Debian/Ubuntu package that ships it


# What PySide6's libqxcb.so and libQt6XcbQpa.so link against outside the wheel
# (from `ldd`), in link order. libxcb-xinerama is no longer linked by Qt 6's xcb plugin.
XCB_LIBRARIES: tuple[Library, ...] = (
    Library("xcb", "libxcb.so.1", "libxcb1"),
    Library("X11", "libX11.so.6", "libx11-6"),
    Library("X11-xcb", "libX11-xcb.so.1", "libx11-xcb1"),
    Library("xcb-cursor", "libxcb-cursor.so.0", "libxcb-cursor0"),
    Library("xcb-icccm", "libxcb-icccm.so.4", "libxcb-icccm4"),
    Library("xcb-util", "libxcb-util.so.1", "libxcb-util1"),
    Library("xcb-image", "libxcb-image.so.0", "libxcb-image0"),
    Library("xcb-keysyms", "libxcb-keysyms.so.1", "libxcb-keysyms1"),
    Library("xcb-randr", "libxcb-randr.so.0", "libxcb-randr0"),
    Library("xcb-render", "libxcb-render.so.0", "libxcb-render0"),
    Library("xcb-render-util", "libxcb-render-util.so.0", "libxcb-render-util0"),
    Library("xcb-shape", "libxcb-shape.so.0", "libxcb-shape0"),
    Library("xcb-shm", "libxcb-shm.so.0", "libxcb-shm0"),
    Library("xcb-sync", "libxcb-sync.so.1", "libxcb-sync1"),
    Library("xcb-xfixes", "libxcb-xfixes.so.0", "libxcb-xfixes0"),
    Library("xcb-xkb", "libxcb-xkb.so.1", "libxcb-xkb1"),
    Library("xkbcommon", "libxkbcommon.so.0", "libxkbcommon0"),
    Library("xkbcommon-x11", "libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    Library("GL", "libGL.so.1", "libgl1"),
    Library("EGL", "libEGL.so.1", "libegl1"),
    Library("fontconfig", "libfontconfig.so.1", "libfontconfig1"),
    Library("freetype", "libfreetype.so.6", "libfreetype6"),
    Library("glib-2.0", "libglib-2.0.so.0", "libglib2.0-0"),
    Library("dbus-1", "libdbus-1.so.3", "libdbus-1-3"),
)

Finder = Callable[[Library], object]  # truthy when the library can be loaded


def load_library(lib: Library) -> bool:
    """The real finder: can the dynamic loader open it (as Qt's plugin loader will)? The
    soname first: find_library runs ldconfig (or a compiler) each time, a quarter of a
    second of launch for the 24 libraries when it was asked for every one."""
    if _loads(lib.soname):
        return True
    found = ctypes.util.find_library(lib.name)
    return found is not None and _loads(found)


def _loads(name: str) -> bool:
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def requested_platform(env: Mapping[str, str]) -> str:
    """The first platform named in QT_QPA_PLATFORM ('' when unset): 'xcb:dpi=96;wayland'
    gives 'xcb'."""
    value = env.get("QT_QPA_PLATFORM", "").strip()
    return value.split(";")[0].split(":")[0].strip().lower()


def missing_libraries(find: Finder, libraries: tuple[Library, ...] = XCB_LIBRARIES) -> list[Library]:
    return [lib for lib in libraries if not find(lib)]


def install_command(missing: list[Library]) -> str:
    packages = list(dict.fromkeys(lib.package for lib in missing))
    return "sudo apt-get install -y " + " ".join(packages)


def platform_problem(env: Mapping[str, str], find: Finder, system: str = sys.platform) -> str | None:
    """None when Qt can be expected to open a window; otherwise the message for the user.

    Only the xcb platform is checked (QT_QPA_PLATFORM unset or 'xcb' on Linux). With the
    variable unset and a Wayland session, Qt 6 picks its Wayland plugin, which needs none
    of the xcb libraries.
    """
    if not system.startswith("linux"):
        return None
    platform = requested_platform(env)
    if platform not in ("", "xcb"):
        return None
    has_x = bool(env.get("DISPLAY"))
    has_wayland = bool(env.get("WAYLAND_DISPLAY"))
    if not has_x and not has_wayland:
        return ("annotator: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set), so the "
                "window cannot open.\n"
                "Run it from a desktop session, or without a screen with:\n"
                "  QT_QPA_PLATFORM=offscreen annotator ...\n"
                "(or under a virtual X server: xvfb-run annotator ...)")
    if platform == "" and has_wayland:
        return None
    if platform == "xcb" and not has_x:
        return ("annotator: QT_QPA_PLATFORM=xcb but DISPLAY is not set; unset QT_QPA_PLATFORM to "
                "use Wayland, or set DISPLAY.")
    missing = missing_libraries(find)
    if not missing:
        return None
    names = ", ".join(lib.soname for lib in missing)
    return ("annotator: Qt's X11 (xcb) platform plugin cannot load; these system libraries are "
            f"missing: {names}.\n"
            "On Debian or Ubuntu install them with:\n"
            f"  {install_command(missing)}\n"
            "(scripts/sysdeps.sh lists everything the app needs.)")
