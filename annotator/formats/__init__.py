"""Import/export adapters between files and core records. No Qt, no SQLAlchemy."""
