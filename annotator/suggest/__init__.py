"""Suggestions learnt from the project: recommenders behind one small interface
(base.py), a string matcher / gazetteer (matcher.py), a CRF tagger per language (crf.py),
rejections as negative evidence and the combiner that merges the sources (combine.py).

Pure Python like core: no Qt, no SQLAlchemy. The store, the command line and the UI
read training data and hand it here as plain `Example`s.
"""
