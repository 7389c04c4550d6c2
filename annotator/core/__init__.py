"""Pure-Python domain logic: offsets, text decoding, graphemes, schema, records.

Imports neither Qt nor SQLAlchemy (enforced by the import-linter contracts in pyproject).
"""
