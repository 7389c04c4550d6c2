"""Stable ids for annotations: random, short, and unique across projects in practice
(64 bits), so layers from different projects can be merged without renumbering."""

from __future__ import annotations

import os

# The bytes of os.urandom, as the `secrets` module's tokens are; that module is not
# imported: it loads OpenSSL (through hmac), a tenth of `annotator export`'s start-up.


def new_id(prefix: str) -> str:
    return f"{prefix}{os.urandom(8).hex()}"


def new_ids(prefix: str, n: int) -> list[str]:
    """`n` ids as `new_id` makes them, from one read of the system's random source (a bulk
    label makes tens of thousands: one read each costs more than writing their rows)."""
    digits = os.urandom(8 * n).hex()
    return [f"{prefix}{digits[i:i + 16]}" for i in range(0, 16 * n, 16)]
