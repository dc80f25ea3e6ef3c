"""One registry of named, versioned backends: cleaners, extractors, stores, reports, judges, embedders.

Names follow ``<kind>.<name>.v<N>`` (``store.sqlite.v1``). Every backend, crossnews's own included, is declared as
an entry point of the group ``crossnews.backends`` whose name is the backend's name and whose object is its factory
(``"clean.lines.v1" = "crossnews.clean:clean"`` in pyproject.toml). Nothing is imported until a backend is asked
for: :func:`get` loads that one entry point, and the module it lives in describes it with :func:`register`
(a plugin that does not is described by its factory's docstring). The registry imports no stage.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from crossnews.core.settings import DEFAULTS

__all__ = ["Backend", "register", "get", "resolve", "backends", "GROUP"]

GROUP = "crossnews.backends"
_NAME = re.compile(r"^[a-z]+(\.[a-z0-9_]+)+\.v\d+$")

Factory = Callable[..., Any]


@dataclass(frozen=True, slots=True)
class Backend:
    name: str
    kind: str
    description: str
    factory: Factory
    offline: bool = True

    @property
    def version(self) -> int:
        return int(self.name.rsplit(".v", 1)[1])

    @property
    def default(self) -> bool:
        """Whether the packaged settings choose this backend for its kind."""
        return DEFAULTS.backend_names().get(self.kind) == self.name


_REGISTRY: dict[str, Backend] = {}


def register(name: str, *, description: str, offline: bool = True) -> Callable[[Factory], Factory]:
    """Decorator: describe ``factory`` as the backend ``name`` (``kind.name.vN``). Describing a name with two
    different factories is an error."""
    if not _NAME.match(name):
        raise ValueError(f"E010: backend name {name!r} must look like 'kind.name.v1'")

    def deco(factory: Factory) -> Factory:
        if name in _REGISTRY and _REGISTRY[name].factory is not factory:
            raise ValueError(f"E011: backend {name!r} is already registered")
        _REGISTRY[name] = Backend(name, name.split(".", 1)[0], description, factory, offline)
        return factory

    return deco


def _entry_points() -> dict[str, EntryPoint]:
    found = {ep.name: ep for ep in entry_points(group=GROUP)}
    if not found:
        raise KeyError(f"E013: no backends are declared under the entry-point group {GROUP!r}: crossnews is not "
                       "installed (run 'make demo' or 'pip install -e .')")
    return found


def _load(ep: EntryPoint) -> Backend:
    if not _NAME.match(ep.name):
        raise KeyError(f"E010: entry point {ep.name!r} ({ep.value}) is not a backend name like 'kind.name.v1'")
    factory = ep.load()  # importing the module runs its register(...) calls
    known = _REGISTRY.get(ep.name)
    if known is not None:
        if known.factory is not factory:
            raise KeyError(f"E011: backend {ep.name!r}: the entry point ({ep.value}) and register() name "
                           "different factories")
        return known
    doc = (getattr(factory, "__doc__", None) or "").strip().split("\n", 1)[0]
    register(ep.name, description=doc or ep.value)(factory)
    return _REGISTRY[ep.name]


def get(name: str) -> Backend:
    """The backend declared as ``name``; a :class:`KeyError` that lists the known names when there is none."""
    if name in _REGISTRY:
        return _REGISTRY[name]
    declared = _entry_points()
    if name not in declared:
        registered = set(_REGISTRY) | set(declared)
        raise KeyError(f"E012: no backend named {name!r}; known backends: {', '.join(sorted(registered))}")
    return _load(declared[name])


def resolve(kind: str, name: str) -> Backend:
    """The backend ``name``, checked to be of ``kind`` (``judge``, ``embed``, ``store``...)."""
    backend = get(name)
    if backend.kind != kind:
        raise KeyError(f"E014: backend {name!r} is a {backend.kind}, not a {kind}")
    return backend


def backends(kind: str | None = None) -> list[Backend]:
    """Every declared backend (of ``kind``), loaded, by name; backends registered in-process (tests) too."""
    for name, ep in _entry_points().items():
        if (kind is None or name.split(".", 1)[0] == kind) and name not in _REGISTRY:
            _load(ep)
    return sorted((b for b in _REGISTRY.values() if kind is None or b.kind == kind), key=lambda b: b.name)
