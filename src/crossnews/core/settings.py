"""One settings object: every default of crossnews in one place, overridable from a TOML file and the CLI.

Layered as trafilatura's config is: the packaged defaults (:data:`DEFAULTS`) first, then a TOML file that
overrides only the keys it sets, then the command line. A TOML file holds one table, ``[crossnews]``::

    [crossnews]
    judge = "judge.rules.v1"
    embedder = "embed.hashing.v1"
    max_bytes = 2_000_000

Backend names (``clean``, ``quotes``, ``entities``, ``time``, ``store``, ``report``, ``judge``, ``embedder``) are
resolved by :func:`crossnews.core.registry.resolve`; the defaults all work offline.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crossnews.core.errors import CrossnewsError

__all__ = ["Settings", "DEFAULTS", "BACKEND_KINDS", "load_settings"]

#: settings key → the registry kind of the backend it names
BACKEND_KINDS: dict[str, str] = {
    "clean": "clean",
    "quotes": "quotes",
    "entities": "entities",
    "time": "time",
    "store": "store",
    "report": "report",
    "judge": "judge",
    "embedder": "embed",
}


@dataclass(frozen=True, slots=True)
class Settings:
    """Which backend runs each stage, and the limits of a run."""

    clean: str = "clean.lines.v1"
    quotes: str = "quotes.rules.v2"
    entities: str = "entities.rules.v1"
    time: str = "time.rules.v1"
    store: str = "store.sqlite.v1"
    report: str = "report.dossier.v1"
    judge: str = "judge.rules.v1"
    embedder: str = "embed.minilm.v3"
    db: str = "crossnews.db"  # the store's file
    max_bytes: int = 5_000_000  # the largest input, upload or fetched page accepted
    timeout: float = 10.0  # URL fetch timeout, in seconds
    max_redirects: int = 5  # most redirects followed when fetching a URL
    allow_private: bool = False  # let URL fetching reach loopback, private and link-local addresses
    time_budget: float = 300.0  # seconds one document's analysis may take before it is rejected
    #: processes that parse a batch (spaCy's ``n_process``; at most the machine's cores, 1 on one core or for a
    #: call of fewer than ``PARSE_FORK_MIN`` texts: the web app's, one text at a time)
    parse_processes: int = 2

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes``; ``None`` values leave a setting as it is (unset CLI options)."""
        given = {k: v for k, v in changes.items() if v is not None}
        unknown = sorted(set(given) - {f.name for f in dataclasses.fields(self)})
        if unknown:
            raise CrossnewsError(f"E020: unknown setting(s) {', '.join(unknown)}; known: "
                                 f"{', '.join(f.name for f in dataclasses.fields(self))}")
        return dataclasses.replace(self, **given)

    def backend_names(self) -> dict[str, str]:
        """Registry kind → the backend name these settings choose for it."""
        return {kind: getattr(self, key) for key, kind in BACKEND_KINDS.items()}


DEFAULTS = Settings()


def load_settings(path: str | Path | None = None, **overrides: Any) -> Settings:
    """:data:`DEFAULTS`, then the ``[crossnews]`` table of the TOML file at ``path`` (if given), then
    ``overrides`` (``None`` values skipped). A missing file, bad TOML, an unknown key or a value of the wrong
    type is a :class:`CrossnewsError` that names the file."""
    settings = DEFAULTS
    if path is not None:
        try:
            with open(path, "rb") as fh:
                data = tomllib.load(fh)
        except OSError as exc:
            raise CrossnewsError(f"{path}: cannot read settings ({exc.strerror or exc})") from None
        except tomllib.TOMLDecodeError as exc:
            raise CrossnewsError(f"{path}: not valid TOML ({exc})") from None
        table = data.get("crossnews", {})
        if not isinstance(table, dict) or set(data) - {"crossnews"}:
            raise CrossnewsError(f"{path}: settings go in one [crossnews] table")
        for field in dataclasses.fields(Settings):
            if field.name in table:
                want = type(getattr(DEFAULTS, field.name))
                value = table[field.name]
                if want is float and isinstance(value, int) and not isinstance(value, bool):
                    value = float(value)
                if type(value) is not want:
                    raise CrossnewsError(f"{path}: {field.name} must be a {want.__name__}, not {value!r}")
                table[field.name] = value
        try:
            settings = settings.replace(**table)
        except CrossnewsError as exc:
            raise CrossnewsError(f"{path}: {exc}") from None
    return settings.replace(**overrides)
