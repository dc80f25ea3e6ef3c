"""One registry of named, versioned backends (cleaners, stores; later extractors and judges).

Names follow ``<kind>.<name>.v<N>`` (``store.sqlite.v1``). Other packages add backends through the entry-point
group ``crossnews.backends`` (each entry point is a callable that receives this module's :func:`register`).
Defaults work offline.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any

__all__ = ["Backend", "register", "get", "backends", "DEFAULTS"]

_NAME = re.compile(r"^[a-z]+(\.[a-z0-9_]+)+\.v\d+$")


@dataclass(frozen=True, slots=True)
class Backend:
    name: str
    kind: str
    description: str
    factory: Callable[..., Any]
    offline: bool = True

    @property
    def version(self) -> int:
        return int(self.name.rsplit(".v", 1)[1])


_REGISTRY: dict[str, Backend] = {}
_plugins_loaded = False

DEFAULTS: dict[str, str] = {
    "clean": "clean.lines.v1",
    "quotes": "quotes.rules.v2",
    "entities": "entities.rules.v1",
    "time": "time.rules.v1",
    "store": "store.sqlite.v1",
    "report": "report.dossier.v1",
}


Factory = Callable[..., Any]


def register(name: str, *, description: str, offline: bool = True) -> Callable[[Factory], Factory]:
    """Decorator: register ``factory`` under ``name`` (``kind.name.vN``). Registering a name twice is an error."""
    if not _NAME.match(name):
        raise ValueError(f"E010: backend name {name!r} must look like 'kind.name.v1'")

    def deco(factory: Callable[..., Any]) -> Callable[..., Any]:
        if name in _REGISTRY and _REGISTRY[name].factory is not factory:
            raise ValueError(f"E011: backend {name!r} is already registered")
        _REGISTRY[name] = Backend(name, name.split(".", 1)[0], description, factory, offline)
        return factory

    return deco


def _load() -> None:
    global _plugins_loaded
    from crossnews.align import embed  # noqa: F401
    from crossnews.align.judges import llm, nli, rules  # noqa: F401
    from crossnews.store import sqlite as store  # noqa: F401 - importing registers the built-in backends

    if not _plugins_loaded:
        _plugins_loaded = True
        for ep in entry_points(group="crossnews.backends"):
            ep.load()(register)


def get(name: str) -> Backend:
    _load()
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise KeyError(f"E012: no backend named {name!r}; known backends: {known}") from None


def backends(kind: str | None = None) -> list[Backend]:
    _load()
    return sorted((b for b in _REGISTRY.values() if kind is None or b.kind == kind), key=lambda b: b.name)
