"""The store: records in and records out (SQLite by default), its migrations and the web app's jobs. It runs no
stage: what it returns is what a stage wrote."""

from crossnews.store.sqlite import DEFAULT_DB, MIGRATIONS, Store, open_store

__all__ = ["Store", "open_store", "MIGRATIONS", "DEFAULT_DB"]
