"""View > Theme (system, light, dark), remembered for every project; the first-start tour
of five steps, skippable, reopened from Help > Tour."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QMenu

from annotator.ui.app import tour
from annotator.ui.app.main_window import MainWindow
from annotator.ui.widgets.theme import apply_theme, saved_theme, text_on
from tests.ui.helpers import shown


@pytest.fixture
def light_after():
    yield
    apply_theme("light")


def click_menu_item(qtbot, window, menu_title: str, item_text: str) -> None:
    """Open a menu of the menu bar with the mouse and click one of its items."""
    bar = window.menuBar()
    menu_action = next(a for a in bar.actions() if a.text().replace("&", "") == menu_title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(menu_action).center())
    menu: QMenu = menu_action.menu()
    qtbot.waitUntil(menu.isVisible)
    item = next(a for a in menu.actions() if a.text().replace("&", "").startswith(item_text))
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(item).center())
    qtbot.waitUntil(lambda: not menu.isVisible())


def test_dark_theme_from_the_view_menu_is_remembered_and_label_text_stays_readable(qtbot, project, light_after):
    window = shown(qtbot, MainWindow(project, "ana"), activate=True)
    click_menu_item(qtbot, window, "View", "Theme: dark")
    palette = QApplication.instance().palette()
    assert palette.color(QPalette.ColorRole.Base).lightness() < 60  # dark text area
    assert palette.color(QPalette.ColorRole.Text).lightness() > 200  # light text on it
    assert saved_theme() == "dark" and window.actions_by_name["theme_dark"].isChecked()
    for colour in (lab.colour for lab in project.schema.labels):  # pale label fills keep a dark pen
        fill = QColor(colour)
        assert abs(text_on(fill).lightness() - fill.lightness()) > 120
    window.close()
    again = shown(qtbot, MainWindow(project, "ana"))
    assert again.actions_by_name["theme_dark"].isChecked()  # remembered
    again.activateWindow()
    qtbot.waitUntil(again.isActiveWindow)
    click_menu_item(qtbot, again, "View", "Theme: light")
    assert QApplication.instance().palette().color(QPalette.ColorRole.Base).lightness() > 200
    assert saved_theme() == "light"


def test_the_tour_walks_five_steps_pointing_at_each_part_and_is_seen_once_done(qtbot, window):
    t = tour.show_tour(window)
    qtbot.waitExposed(t)
    seen_targets = []
    for step in range(len(tour.STEPS)):
        target = getattr(window, tour.STEPS[step].target)
        frame = t.spotlight.geometry().topLeft() + t.spotlight.area.center()
        assert target.rect().contains(target.mapFrom(window, frame))  # the frame is around the step's part
        seen_targets.append(tour.STEPS[step].target)
        assert t.counter.text() == f"{step + 1} of {len(tour.STEPS)}"
        qtbot.mouseClick(t.next, Qt.MouseButton.LeftButton)
    assert len(set(seen_targets)) == 5 and not t.isVisible()
    assert tour.seen()


def test_esc_skips_the_tour_and_help_reopens_it(qtbot, window):
    t = tour.show_tour(window)
    qtbot.waitExposed(t)
    qtbot.mouseClick(t.next, Qt.MouseButton.LeftButton)
    t.activateWindow()  # as a shown dialog is: Esc goes to it
    qtbot.waitUntil(t.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or t, Qt.Key.Key_Escape)
    assert not t.isVisible() and tour.seen() and not t.spotlight.isVisible()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    click_menu_item(qtbot, window, "Help", "Tour")
    reopened = next(w for w in window.findChildren(tour.Tour) if w.isVisible())
    assert reopened.counter.text() == "1 of 5"
    reopened.reject()


def test_the_tour_ends_with_its_window_and_is_not_shown_over_a_closed_one(qtbot, project):
    window = shown(qtbot, MainWindow(project, "ana"))
    t = tour.show_tour(window)
    qtbot.waitExposed(t)
    window.close()  # the last window: nothing may stay open and keep the application running
    assert not t.isVisible()
    assert tour.show_tour(window) is None


def test_the_tour_names_the_keys_the_registry_gives():
    """The tour's keys are the action registry's: the corpus search is Ctrl+Shift+F (Ctrl+F
    finds in the document since the find bar came), the Relations tab F10."""
    from annotator.ui.widgets.actions import MAIN

    text = " ".join(step.text for step in tour.STEPS)
    for action, says in (("find", "searches the corpus"), ("find_in_document", "finds in the document"),
                         ("focus_relations", "to the relations")):
        key = MAIN[action].keys[0]
        assert f"{key if isinstance(key, str) else 'Ctrl+F'} {says}" in text, (action, text)


def test_switching_back_to_light_repaints_the_palette_rows_in_light(qtbot, project, light_after):
    """The palette's label names and keycaps follow the theme both ways: after dark and
    back to light, the names are dark text again and the keycaps light (they stayed in the
    dark theme's colours: pale names, black keycaps, on the light window)."""
    window = shown(qtbot, MainWindow(project, "ana"), activate=True)
    row = window.palette.rows["PERSON"]
    light_text = QApplication.instance().palette().color(QPalette.ColorRole.WindowText)

    def keycap_fill() -> QColor:
        image = row.key.grab().toImage()
        return image.pixelColor(3, image.height() // 2)  # inside the border, beside the key

    light_key = keycap_fill()
    click_menu_item(qtbot, window, "View", "Theme: dark")
    qtbot.waitUntil(lambda: keycap_fill().lightness() < 100)
    assert row.name.palette().color(QPalette.ColorRole.WindowText).lightness() > 200
    click_menu_item(qtbot, window, "View", "Theme: light")
    assert row.name.palette().color(QPalette.ColorRole.WindowText) == light_text
    assert keycap_fill() == light_key


def test_the_side_column_hints_stay_readable_in_the_dark_theme(qtbot, project, light_after):
    """The key hints under the panels were a fixed dark grey (#555), nearly the dark
    window's own colour: they now take the theme's quiet text colour."""
    window = shown(qtbot, MainWindow(project, "ana"), activate=True)
    click_menu_item(qtbot, window, "View", "Theme: dark")
    hints = [window.frames_panel.hint, window.attributes_panel.hint]
    for hint in hints:
        text = hint.palette().color(hint.foregroundRole())
        ground = hint.palette().color(QPalette.ColorRole.Window)
        assert abs(text.lightness() - ground.lightness()) > 80, (hint.text(), text.name(), ground.name())
