from __future__ import annotations

from annotator.ui.app.qt_platform import (
    XCB_LIBRARIES,
    Library,
    install_command,
    load_library,
    missing_libraries,
    platform_problem,
    requested_platform,
)

X11 = {"DISPLAY": ":0"}


def find_nothing(lib):
    return None


def find_everything(lib):
    return lib.soname


def test_nothing_found_names_every_package_in_one_apt_command():
    message = platform_problem(X11, find_nothing, system="linux")
    packages = " ".join(dict.fromkeys(lib.package for lib in XCB_LIBRARIES))
    assert f"sudo apt-get install -y {packages}" in message
    for lib in XCB_LIBRARIES:
        assert lib.soname in message
    assert "libxcb-cursor0" in message and "libxkbcommon-x11-0" in message and "libegl1" in message


def test_everything_found_reports_nothing():
    assert platform_problem(X11, find_everything, system="linux") is None
    assert platform_problem({"DISPLAY": ":1", "QT_QPA_PLATFORM": "xcb"}, find_everything, system="linux") is None
    assert missing_libraries(find_everything) == []


def test_only_the_missing_library_is_named():
    def find(lib):
        return lib.name != "xcb-cursor"

    message = platform_problem(X11, find, system="linux")
    assert "libxcb-cursor.so.0" in message
    assert "  sudo apt-get install -y libxcb-cursor0\n" in message


def test_no_display_suggests_offscreen():
    message = platform_problem({}, find_everything, system="linux")
    assert "DISPLAY" in message and "QT_QPA_PLATFORM=offscreen" in message
    assert "DISPLAY" in platform_problem({"QT_QPA_PLATFORM": "xcb"}, find_everything, system="linux")


def test_other_platforms_and_systems_are_not_checked():
    assert platform_problem({"QT_QPA_PLATFORM": "offscreen"}, find_nothing, system="linux") is None
    assert platform_problem({"QT_QPA_PLATFORM": "wayland"}, find_nothing, system="linux") is None
    assert platform_problem({}, find_nothing, system="win32") is None
    assert platform_problem({}, find_nothing, system="darwin") is None
    # Unset platform in a Wayland session: Qt 6 uses its Wayland plugin, not xcb.
    assert platform_problem({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, find_nothing, system="linux") is None


def test_requested_platform_parses_lists_and_options():
    assert requested_platform({}) == ""
    assert requested_platform({"QT_QPA_PLATFORM": "xcb:dpi=96;wayland"}) == "xcb"
    assert requested_platform({"QT_QPA_PLATFORM": " Offscreen "}) == "offscreen"


def test_install_command_deduplicates_packages():
    libs = [Library("a", "liba.so.1", "pkg-a"), Library("b", "libb.so.1", "pkg-a"), Library("c", "libc.so.9", "pkg-c")]
    assert install_command(libs) == "sudo apt-get install -y pkg-a pkg-c"


def test_real_finder_says_no_for_a_library_that_does_not_exist():
    assert not load_library(Library("no-such-lib-annotator", "libno-such-lib-annotator.so.0", "none"))


def test_real_finder_searches_only_for_a_library_its_soname_does_not_load(monkeypatch):
    """find_library runs ldconfig or a compiler (10 ms each): asked for all 24 libraries
    on every launch under X11 it cost a quarter of a second (issue 18)."""
    import ctypes.util

    asked: list[str] = []
    real = ctypes.util.find_library
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: asked.append(name) or real(name))
    assert load_library(Library("c", "libc.so.6", "libc6"))
    assert asked == []
    assert load_library(Library("z", "libz.so.99", "zlib1g"))  # not that soname: found by its name
    assert asked == ["z"]
