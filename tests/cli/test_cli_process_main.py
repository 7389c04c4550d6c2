"""The command line's process entry (console script, `python -m annotator`, the bundle)."""

import gc

import annotator.cli.commands as commands


def test_process_main_returns_the_commands_status_and_spares_the_exit_a_collection(monkeypatch):
    monkeypatch.setattr(commands, "main", lambda: 3)
    gc.unfreeze()
    try:
        alive = object()  # made before the command ended
        assert commands.process_main() == 3
        # what is alive is frozen: the interpreter's last collection at exit walks none of it
        assert gc.get_freeze_count() > 0 and alive is not None
    finally:
        gc.unfreeze()
