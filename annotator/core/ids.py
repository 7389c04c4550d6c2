"""Stable ids for annotations: random, short, and unique across projects in practice
(64 bits), so layers from different projects can be merged without renumbering."""

from __future__ import annotations

import secrets


def new_id(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(8)}"
