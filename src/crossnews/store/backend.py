"""Which store backend a ``db`` names: a ``postgresql://`` URL is a PostgreSQL store (``store.postgres.v1``),
anything else a SQLite file (the ``store`` setting, ``store.sqlite.v1`` by default). Imports no database driver:
the backend is loaded by name from the registry only when it is opened."""

from __future__ import annotations

import re
from typing import Any

from crossnews.core.registry import resolve

__all__ = ["SCHEMES", "is_postgres_url", "redact", "store_backend", "open_db"]

#: the URL schemes that name a PostgreSQL store (``--db postgresql://...``)
SCHEMES = ("postgresql://", "postgres://")
SQLITE = "store.sqlite.v1"
POSTGRES = "store.postgres.v1"


def is_postgres_url(db: str) -> bool:
    """Whether ``db`` names a PostgreSQL store (a ``postgresql://`` or ``postgres://`` URL)."""
    return str(db).startswith(SCHEMES)


def redact(db: str) -> str:
    """``db`` with the password of a URL, if any, shown as ``***`` (for messages and logs)."""
    out = re.sub(r"^(\w+://[^:/@?#]*):[^@/?#]*@", r"\1:***@", str(db))
    return re.sub(r"(?i)([?&]password=)[^&]*", r"\1***", out)


def store_backend(db: str, configured: str = SQLITE) -> str:
    """The store backend that opens ``db``: ``store.postgres.v1`` for a PostgreSQL URL when the settings name the
    SQLite file store (which cannot open one), else the ``configured`` one (a plugin's store takes its own ``db``)."""
    if is_postgres_url(db) and configured == SQLITE:
        return POSTGRES
    return configured


def open_db(db: str, configured: str = SQLITE) -> Any:
    """Open the store ``db`` names with the backend :func:`store_backend` chooses (by its registry name)."""
    return resolve("store", store_backend(db, configured)).factory(db)
