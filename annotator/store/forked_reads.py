"""Parts of one read transaction's output built on both cores: a forked copy of the
reading process builds some of them, reading the very snapshot the parent reads.

Python runs one thread at a time, so an export (a Python object per span, the lines made
by orjson) uses one core. A second process may read the project too, but a connection of
its own would read the project as it is when it begins, not the snapshot of the parent's
transaction (a commit may come between: the parts would not fit together), and Python's
driver cannot hand a snapshot over. A fork can: the child is a copy of the parent in the
middle of its read transaction, and reads on through its copy of the connection: the same
pages at the same point of the write-ahead log, read with pread (no file offset shared
with the parent). It writes nothing and never ends the transaction; the parent holds the
transaction, and with it SQLite's read lock that keeps those pages in place (no
checkpoint overwrites them), until the child has exited (`in_order`'s exit).

SQLite's caveat about a connection used across fork() is about locks and writes: the child
holds no lock of its own (POSIX locks are per process) and needs none while the parent
keeps its own. What must not happen is a fork while another thread of the process is
inside SQLite (its mutexes, held then, would stay held in the child): the fork happens
before the damage check's thread starts (`started`), with no other thread about
(`can_fork`).

The parts are handed out in order from a pipe of tickets, to whichever process is free,
so the two stay busy to the end whatever the parts cost; the parent writes every part in
order, the child's as they arrive (a thread reads them off the pipe, so the child does
not wait for the parent's turn), and each side holds at most HELD bytes of parts done
before their turn (then the child waits; the parent takes the child's).
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import struct
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from annotator.core.errors import AnnotatorError

_P = TypeVar("_P")
Built = tuple[bytes | bytearray, int]  # a part's bytes, and how many records they hold

_TICKET = struct.Struct("<I")  # a part's number
_HEADER = struct.Struct("<IIQ")  # a part's number, its records, its length in bytes
_FAILED = 0xFFFFFFFF  # the number of a child's last message: what stopped it, pickled
# The tickets are written into the pipe before the fork; a pipe holds at least 64 KiB.
MAX_PARTS = (1 << 16) // _TICKET.size
# Parts built ahead of their turn, by either process, kept up to this many bytes each.
HELD = 16 << 20


class PartsFailed(AnnotatorError):
    """The second process stopped without saying why (killed, or out of memory)."""


def can_fork() -> bool:
    """Whether this process may fork in the middle of a read (POSIX, and no other thread
    that could be inside SQLite or hold a lock the child would need: the main thread is
    the only one, which also handles Ctrl+C)."""
    return hasattr(os, "fork") and threading.active_count() == 1 and threading.current_thread() is threading.main_thread()


def reads_by_offset(path: Path) -> bool:
    """Whether this process's SQLite reads `path` (and its -wal) at explicit offsets
    (pread), so that a forked copy reading through the same descriptors does not move a
    file offset the parent's reads rely on. SQLite uses pread where its build found it
    (Debian's does); with lseek and read instead, the offset of a descriptor it has read
    through is no longer 0. Found on Linux by looking at the descriptors; elsewhere (no
    /proc) not known, so no."""
    names = {os.path.realpath(path), os.path.realpath(f"{path}-wal")}
    found = False
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:
        return False
    for fd in map(int, fds):
        try:
            if os.readlink(f"/proc/self/fd/{fd}") not in names:
                continue
            if os.lseek(fd, 0, os.SEEK_CUR) != 0:
                return False
        except OSError:  # closed meanwhile (the listing's own descriptor)
            continue
        found = True
    return found


@contextmanager
def in_order(parts: Sequence[_P], build: Callable[[_P], Built],
             started: Callable[[], None] = lambda: None) -> Iterator[Iterator[Built]]:
    """`build(part)` of every part, in order, some of them built by a forked child that
    reads the same transaction (a read has been made in it already: its snapshot is
    fixed). `started()` runs once the child is forked (the damage check's thread may begin
    then). Leaving the block, however, ends the child first: nothing outlives it."""
    if len(parts) < 2 or not can_fork():
        started()
        yield map(build, parts)
        return
    if len(parts) > MAX_PARTS:
        raise ValueError(f"{len(parts)} parts: at most {MAX_PARTS}")
    tickets, ticket_end = os.pipe()
    os.write(ticket_end, b"".join(map(_TICKET.pack, range(len(parts)))))
    os.close(ticket_end)  # read to the end, a process finds no more parts
    incoming, outgoing = os.pipe()
    _widen(outgoing)
    # Ctrl+C waits (microseconds) until the child is known and its ending is set up below:
    # an interrupt between the fork and the `try` would leave it unreaped.
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    gc.freeze()  # the collector of neither process touches (and so copies) the objects they share
    try:
        pid = os.fork()
    except OSError:  # no process to be had (too many, no memory): this one builds them all
        pid = None
    finally:
        gc.unfreeze()
    if pid is None:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        for fd in (tickets, incoming, outgoing):
            os.close(fd)
        started()
        yield map(build, parts)
        return
    if pid == 0:  # the child: builds the parts it draws, sends them, exits; never returns
        os.close(incoming)
        _child(tickets, outgoing, parts, build, mask)
    os.close(outgoing)
    child = _Child(pid)
    received: _Received | None = None
    try:
        received = _Received(incoming)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        started()
        yield _parent(tickets, parts, build, received, child)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        child.end()
        if received is not None:
            received.join()  # the pipe's end is reached once the child is gone
        os.close(incoming)
        os.close(tickets)


def _parent(tickets: int, parts: Sequence[_P], build: Callable[[_P], Built], received: _Received,
            child: _Child) -> Iterator[Built]:
    """Every part in order: its own as built, the child's as they come. While the next
    part is the child's and not there yet, it builds the next part it can draw instead
    of waiting (a loaded machine pauses either process now and then), up to HELD bytes
    of its own parts ahead."""
    following = 0  # the next part to give out
    mine: dict[int, Built] = {}  # built here, not given out yet
    held = 0
    drawing = True
    while following < len(parts):
        if following in mine:
            built = mine.pop(following)
            held -= len(built[0])
        elif not (drawing and held < HELD) or received.has(following):
            built = received.take(following, child)  # drawn by the child (see _Received)
        elif len(ticket := os.read(tickets, _TICKET.size)) == _TICKET.size:
            (number,) = _TICKET.unpack(ticket)
            mine[number] = done = build(parts[number])
            held += len(done[0])
            continue
        else:
            drawing = False  # every part is drawn
            continue
        yield built
        following += 1
    child.end(kill=False)  # its last part sent, it finds no more tickets and exits


def _child(tickets: int, out: int, parts: Sequence[_P], build: Callable[[_P], Built], mask: Iterable[int]) -> None:
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl+C ends it at once; the parent cleans up
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        while len(ticket := os.read(tickets, _TICKET.size)) == _TICKET.size:
            (number,) = _TICKET.unpack(ticket)
            data, count = build(parts[number])
            _send(out, _HEADER.pack(number, count, len(data)), data)
    except BaseException as exc:  # said to the parent, which raises it
        status = 1
        try:
            why = _pickled(exc)
            _send(out, _HEADER.pack(_FAILED, 0, len(why)), why)
        except BaseException:  # the parent is gone (a closed pipe): nobody to tell
            pass
    finally:
        os._exit(status)  # no clean-up of the parent's objects: its files and transaction are its own


def _pickled(exc: BaseException) -> bytes:
    try:
        data = pickle.dumps(exc)
        pickle.loads(data)  # what cannot be made again (an exception with odd arguments) is said as text
        return data
    except Exception:
        return pickle.dumps(PartsFailed(f"{type(exc).__name__}: {exc}"))


def _send(fd: int, head: bytes, data: bytes | bytearray) -> None:
    for piece in (head, data):
        view = memoryview(piece)
        while view:
            view = view[os.write(fd, view):]


def _widen(fd: int) -> None:
    """A pipe of 1 MiB where Linux allows it (its default is 64 KiB): fewer wake-ups of
    the reading thread, which needs Python's lock for each."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):  # not Linux; above pipe-max-size or the user's quota
        pass


class _Child:
    """The forked process, ended and waited for once (no zombie, no orphan). Its pid is
    forgotten only once it is reaped: a Ctrl+C in the middle of a wait leaves it to be
    ended and reaped by `end`, on the way out."""

    def __init__(self, pid: int) -> None:
        self.pid: int | None = pid

    def end(self, kill: bool = True) -> None:
        if self.pid is None:
            return
        if kill:
            try:
                os.kill(self.pid, signal.SIGKILL)  # done already, or its work is no longer wanted
            except ProcessLookupError:
                pass
        self.wait()

    def wait(self) -> str:
        """Once it has exited: how."""
        if self.pid is None:
            return "ended"
        _pid, status = os.waitpid(self.pid, 0)
        self.pid = None
        code = os.waitstatus_to_exitcode(status)
        return f"signal {-code}" if code < 0 else f"exit status {code}"


class _Received:
    """The child's parts, read off the pipe on a thread as they come (the read lets go of
    Python's lock), kept until their turn. At most HELD bytes are kept: past them the
    thread reads no more, the pipe fills and the child waits (while the parent waits for
    the damage check, say), so memory stays bounded however large the export. No
    deadlock: the child sends its parts in order, so the part the parent waits for is
    never behind the ones held."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._parts: dict[int, Built] = {}
        self._held = 0
        self._failure: BaseException | None = None
        self._ended = self._stopping = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="export parts", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while (head := _read_exactly(self._fd, _HEADER.size)) is not None:
                number, count, size = _HEADER.unpack(head)
                data = _read_exactly(self._fd, size)
                if data is None:  # cut short: the child was killed
                    break
                with self._changed:
                    if number == _FAILED:
                        self._failure = pickle.loads(data)
                    else:
                        self._parts[number] = (data, count)
                        self._held += size
                    self._changed.notify_all()
                    while self._held >= HELD and not self._stopping:
                        self._changed.wait()
                    if self._stopping:
                        break
        finally:
            with self._changed:
                self._ended = True
                self._changed.notify_all()

    def has(self, number: int) -> bool:
        with self._changed:
            return number in self._parts

    def take(self, number: int, child: _Child) -> Built:
        """Part `number`, once it has come; what stopped the child if it cannot come."""
        with self._changed:
            while number not in self._parts:
                if self._failure is not None:
                    raise self._failure
                if self._ended:
                    raise PartsFailed(f"the export's second process ended before part {number} "
                                      f"({child.wait()})")
                self._changed.wait()
            part = self._parts.pop(number)
            self._held -= len(part[0])
            self._changed.notify_all()
            return part

    def join(self) -> None:
        """Once the child is gone (the pipe ends), or while the thread waits for room."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        self._thread.join()


def _read_exactly(fd: int, size: int) -> bytearray | None:
    """`size` bytes of the pipe, read into one buffer (no pieces joined); None at its end
    (or part way to it)."""
    data = bytearray(size)
    view, got = memoryview(data), 0
    while got < size:
        more = os.readv(fd, [view[got:]])
        if not more:
            return None
        got += more
    return data
