"""One child process for heavy work, so that a window's thread never waits for it.

A CRF training generates features in Python and trains in crfsuite, both holding
Python's lock for seconds; run on a thread of the GUI's process, every key press waited
for that lock (bench/bench_workspace.py; docs/BENCHMARKS.md, "The window while the recommenders
train"). In a process of its own it shares nothing with the window but the cores.

`WorkerProcess.run(fn, *args)` calls a module-level `fn` in the child and returns its
result; the caller's thread blocks on a pipe meanwhile, without Python's lock.

- The child is started on the first call and kept for the next ones (starting Python and
  importing numpy and crfsuite costs a few hundred ms). It is started with "spawn", never
  "fork": a fork of a process running Qt and threads may copy a held lock into the child.
- One call at a time; arguments and results cross the pipe pickled. `fn` may tell the
  caller how far it is with `tell(value)`: `run(..., heard=callback)` calls back with each
  value on the waiting thread (the statistics dashboard's "12,600 of 20,000 documents").
- A child that dies (killed, out of memory, a crash in C) fails the call with
  `WorkerProcessFailed` saying how it ended, and the next call starts a fresh child; an
  exception in `fn` fails the call with its message and keeps the child.
- `close()` terminates the child even in the middle of a call (the waiting call then fails
  at once): closing a window never waits for a training to end. It is a daemon child too,
  so an exit that forgets to close still ends it, and it ends itself when the parent dies
  (killed or crashed) even in the middle of a job.

`own_session=True` starts the child in a session of its own (POSIX). On Linux each
session is a scheduling group ("autogroup") that gets its share of the cores as a whole,
whatever the nice values inside it: a child in the window's session, however niced,
spends that session's share, and when the cores are busy the window's thread then waits
for its session's turn after every timer or event. The statistics dashboard on 100,000
documents at loads of 9-19 (bench_dashboard.py): with its child in the window's session,
pauses of 150 ms to 1.3 s while the window did nothing but wait, and agreement in 68-107 s;
in a session of its own, 63-474 ms and 49-64 s. Niced as well, the child still gives way
to everything in its own session and where there are no autogroups.

Plain multiprocessing rather than concurrent.futures' ProcessPoolExecutor: Python 3.11's
executor cannot stop a worker in the middle of a task, and waits for it at exit.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

from annotator.core.errors import AnnotatorError

T = TypeVar("T")

# Background work gives way to the window: the lowest priority (POSIX; Windows keeps the
# priority it has). It costs the child nothing on an idle core; where the cores are busy,
# the child and the window share their session's share of CPU (Linux's autogroups), and
# at +5 the child took a quarter of it: a key press in the 1 MB document took 1.5 times
# as long while the CRF trained (bench_workspace.py, load average 20).
NICENESS = 19
# and keeps to one core, leaving the other to the window: numpy's OpenBLAS otherwise
# starts a thread per core, which on small matrices spin more than they compute (the seed
# project's corpus models, word_clusters.py: 6.5 s wall and 2.0 s CPU with two threads on
# a loaded 2-core machine, 1.1 s and 0.32 s with one). Read when numpy is first imported,
# which in the child is by the first job.
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
_TERMINATE_WAIT = 5.0  # seconds a terminated child gets to go before it is killed
_DONE, _FAILED, _TOLD = "done", "failed", "told"  # what the child sends: the result, the error, a note
_told: Connection | None = None  # in the child: where tell() writes


def tell(value: Any) -> None:
    """In a child, while `fn` runs: pass `value` (pickled) to the caller's `heard`.
    Anywhere else nothing happens, so that `fn` runs in any process."""
    if _told is not None:
        _told.send((_TOLD, value))


def in_child() -> bool:
    """Whether this process is a WorkerProcess's child (serving calls)."""
    return _told is not None


class WorkerProcessFailed(AnnotatorError):
    """The child died during a call, `fn` raised there, or the worker was closed."""


class WorkerProcess:
    """A lazily started, long-lived child process running one call at a time (see the
    module's docstring). `name` names it in messages and in the process list."""

    def __init__(self, name: str = "annotator-worker", own_session: bool = False) -> None:
        self.name, self.own_session = name, own_session
        self._calls = threading.Lock()  # one call at a time
        self._state = threading.Lock()  # guards the fields below, never held while waiting
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self._busy = False
        self._closed = False

    @property
    def pid(self) -> int | None:
        """The child's pid, None before the first call and after it died or was closed."""
        with self._state:
            return self._process.pid if self._process is not None else None

    @property
    def busy(self) -> bool:
        """Whether a call was handed to the child and has not come back."""
        with self._state:
            return self._busy

    def run(self, fn: Callable[..., T], *args: Any, heard: Callable[[Any], object] | None = None) -> T:
        """fn(*args) in the child (`fn` must be importable by name: a module-level function);
        `heard(value)` for each `tell(value)` of `fn` on the way."""
        with self._calls:
            conn, process = self._started()
            try:
                conn.send((fn, args))
                while True:
                    kind, value = conn.recv()
                    if kind != _TOLD:
                        break
                    if heard is not None:
                        heard(value)
                ok = kind == _DONE
            except (EOFError, OSError) as exc:  # the child died (or close() terminated it)
                raise WorkerProcessFailed(self._ended(conn, process, exc)) from None
            finally:
                with self._state:
                    self._busy = False
            if not ok:
                raise WorkerProcessFailed(f"{self.name} failed: {value}")
            return value  # type: ignore[no-any-return]

    def close(self) -> None:
        """Terminate the child, waiting for it to end; a call waiting for it fails at once.
        No call starts afterwards."""
        with self._state:
            self._closed = True
            process, conn, busy = self._process, self._conn, self._busy
            self._process = self._conn = None
        if process is not None:
            _stop(process)
        if conn is not None and not busy:  # a waiting call closes its own end once it wakes
            conn.close()

    def _started(self) -> tuple[Connection, multiprocessing.process.BaseProcess]:
        with self._state:
            if self._closed:
                raise WorkerProcessFailed(f"{self.name} is closed")
            if self._process is not None and self._conn is not None and self._process.is_alive():
                self._busy = True
                return self._conn, self._process
            if self._conn is not None:  # a child that died between calls
                self._conn.close()
            if self._process is not None:
                self._process.join()
            context = multiprocessing.get_context("spawn")
            ours, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs, self.own_session), name=self.name, daemon=True)
            process.start()
            theirs.close()  # the child's end: ours reads EOF when the child dies
            self._process, self._conn, self._busy = process, ours, True
            return ours, process

    def _ended(self, conn: Connection, process: multiprocessing.process.BaseProcess, exc: BaseException) -> str:
        """Why the child went, for the message; the next call starts a fresh one."""
        with self._state:
            closed = self._closed
            if self._process is process:
                self._process = self._conn = None
        conn.close()
        if closed:
            return f"{self.name} was closed"
        process.join(_TERMINATE_WAIT)
        code = process.exitcode
        if code is None:  # alive but the pipe broke: stop it, a fresh child follows
            _stop(process)
            return f"{self.name} stopped answering ({type(exc).__name__})"
        if code < 0:
            try:
                how = f"killed by {signal.Signals(-code).name}"
            except ValueError:
                how = f"killed by signal {-code}"
        else:
            how = f"exit status {code}"
        return f"{self.name} ended unexpectedly ({how})"


def _stop(process: multiprocessing.process.BaseProcess) -> None:
    if process.is_alive():
        process.terminate()
        if hasattr(signal, "SIGCONT") and process.pid is not None:  # a stopped child (job control, a
            try:                                                      # debugger) takes its SIGTERM now
                os.kill(process.pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
        process.join(_TERMINATE_WAIT)
    if process.is_alive():
        process.kill()
        process.join()


def _serve(conn: Connection, own_session: bool = False) -> None:  # in the child
    global _told
    _told = conn
    if own_session and hasattr(os, "setsid"):
        os.setsid()  # a session, so on Linux an autogroup, of its own (the module's docstring)
    if hasattr(os, "nice"):
        os.nice(NICENESS)
    os.environ.update(ONE_THREAD)
    threading.Thread(target=_exit_with_parent, name="parent watch", daemon=True).start()
    while True:
        try:
            fn, args = conn.recv()
        except EOFError:  # the parent closed its end or died: nothing more to do
            return
        try:
            reply = (_DONE, fn(*args))
        except Exception as exc:  # said to the caller; the child stays for the next call
            reply = (_FAILED, str(exc) or type(exc).__name__)
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


def _exit_with_parent() -> None:  # in the child
    """A parent that dies without closing us (killed, crashed) ends us too, even in the
    middle of a training: its pipe would only tell once the job were done."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        wait([parent.sentinel])
        os._exit(1)
