"""Command-line commands of the quality area (registered by annotator.cli)."""

from __future__ import annotations


def register(sub) -> dict:
    """Add this area's subparsers to `sub`; return {command name: handler(args) -> exit status}."""
    return {}
