"""The event store (SQLModel)."""

from village.store.db import Store, sqlite_path, to_url

__all__ = ["Store", "sqlite_path", "to_url"]
