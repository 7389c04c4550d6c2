"""Stable ids for annotations: random, short, and unique across projects in practice
(64 bits), so layers from different projects can be merged without renumbering."""

from __future__ import annotations

import secrets


def new_id(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(8)}"


def new_ids(prefix: str, n: int) -> list[str]:
    """`n` ids as `new_id` makes them, from one read of the system's random source (a bulk
    label makes tens of thousands: one read each costs more than writing their rows)."""
    digits = secrets.token_hex(8 * n)
    return [f"{prefix}{digits[i:i + 16]}" for i in range(0, 16 * n, 16)]
