"""The store's analysis, cached per database state: rebuilt when the database changes, with values derived from it
(rendered pages, the export, the stories) memoised until then."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from crossnews.core.records import Analysis
from crossnews.store.backend import open_db

__all__ = ["AnalysisCache"]


class AnalysisCache:
    """The store's analysis, rebuilt when the database changes; each call opens its own connection."""

    def __init__(self, db: str) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._sig: tuple[Any, ...] | None = None
        self._analysis: Analysis | None = None
        self._memo: dict[str, Any] = {}

    def get(self) -> tuple[Analysis, tuple[Any, ...]]:
        with self._lock:
            with open_db(self.db) as store:
                sig = store.change_key()
                if sig != self._sig or self._analysis is None:
                    self._analysis = store.analysis()
                    self._sig = sig
                    self._memo = {}
            return self._analysis, sig

    def memo(self, key: str, build: Callable[[Analysis], Any]) -> Any:
        """A value derived from the current analysis, computed once per database state."""
        analysis, sig = self.get()
        with self._lock:
            if sig == self._sig and key in self._memo:
                return self._memo[key]
        value = build(analysis)
        with self._lock:
            if sig == self._sig:
                self._memo[key] = value
        return value

    def invalidate(self) -> None:
        with self._lock:
            self._sig = None
