from tests.ui.annotate.test_suggestions import MainWindow, shown, taught, TAUGHT  # noqa
def test_dbg(qtbot, taught):
    win = shown(qtbot, MainWindow(taught, "tester"), activate=True)
    msgs = []
    win.suggestions.retrainer.failed.connect(msgs.append)
    win.suggestions.info.connect(msgs.append)
    try:
        qtbot.waitUntil(lambda: win.suggestions.trainings > 0 or bool(msgs), timeout=60000)
    finally:
        print("T", win.suggestions.trained and win.suggestions.trained.seconds, "MSGS", msgs, win.suggestions.retrainer.running, win.suggestions.retrainer.process.pid, win.suggestions.retrainer.process.busy)
