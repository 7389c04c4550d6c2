"""SQLAlchemy 2 models and the project API. Imports no Qt."""
