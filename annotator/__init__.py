"""Annotation of entities, events, claims and parallel translations in multilingual news."""

__version__ = "0.1.0"
