"""Stable ids for annotations: unique across projects in practice, so layers from
different projects can be merged without renumbering, and ordered by the time they are
made, so that a bulk write appends its ids at one place of the unique index instead of
touching a page of it each (issue 18).

An id is `prefix` + 28 lowercase hex digits, laid out as a UUIDv7 (RFC 9562) is: 12 digits
of milliseconds since the Unix epoch (48 bits, enough until the year 10889), then 16
digits (64 bits) drawn from the system's random source at the first id of a millisecond
and counted up by one for each further id this process makes in it (the RFC's "monotonic
random"). So one process's ids only grow (a clock set back keeps the last millisecond
and counts on), and two processes or machines collide only if they make ids in the same
millisecond from overlapping runs of a random 63-bit start: about (n + m) / 2^63 for runs
of n and m ids, as unlikely as two of the old fully random 64-bit ids. A forked child
forgets its parent's millisecond and draws its own start.

Ids made before (`prefix` + 16 random hex digits) stay valid: ids are opaque strings to
every reader (formats, gold checks, exports); only their order and length differ.
"""

from __future__ import annotations

import os
import threading
import time

# The bytes of os.urandom, as the `secrets` module's tokens are; that module is not
# imported: it loads OpenSSL (through hmac), a tenth of `annotator export`'s start-up.

_START_BITS = 63  # a run starts below 2^63: 2^63 more ids fit in its millisecond
_lock = threading.Lock()  # ids are made on worker threads too (suggestions, imports)
_last_ms = -1  # the millisecond of the last id made, and its counter
_last_count = 0


def _forget() -> None:
    global _last_ms
    _last_ms = -1


if hasattr(os, "register_at_fork"):  # not on Windows, where children start afresh
    os.register_at_fork(after_in_child=_forget)


def _reserve(n: int) -> tuple[int, int]:
    """(millisecond, first counter) of a run of `n` ids after every id made so far."""
    global _last_ms, _last_count
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms > _last_ms:
            first = int.from_bytes(os.urandom(8)) >> (64 - _START_BITS)
        else:  # the same millisecond (or the clock went back): count on from the last id
            ms, first = _last_ms, _last_count + 1
            if first + n > 1 << 64:  # cannot happen from a 63-bit start; kept ordered all the same
                ms, first = ms + 1, int.from_bytes(os.urandom(8)) >> (64 - _START_BITS)
        _last_ms, _last_count = ms, first + n - 1
    return ms, first


def new_id(prefix: str) -> str:
    ms, count = _reserve(1)
    return f"{prefix}{ms:012x}{count:016x}"


def new_ids(prefix: str, n: int) -> list[str]:
    """`n` ids as `new_id` makes them, in increasing order, from one read of the clock and
    of the random source (a bulk label makes tens of thousands)."""
    if n <= 0:
        return []
    ms, first = _reserve(n)
    head = f"{prefix}{ms:012x}"
    return [f"{head}{count:016x}" for count in range(first, first + n)]
