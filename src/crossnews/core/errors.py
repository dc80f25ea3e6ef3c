"""Errors crossnews raises. Each message names the input and says what to do; codes are stable."""

from __future__ import annotations

__all__ = ["CrossnewsError", "InputError", "StoreError"]


class CrossnewsError(Exception):
    """Base class of crossnews errors."""


class InputError(CrossnewsError):
    """An input that cannot be analysed. ``source`` names it; ``reason`` says why, in one line."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class StoreError(CrossnewsError):
    """The store cannot be opened or written (read-only file, disk full, not a crossnews database)."""
