"""crossnews: read one news story across many outlets and reconstruct who said what, when, according to whom.

Every record points back into its document's text by ``[start, end)`` character offsets.

The pipeline is ingest → clean → extract → align → store → report; :func:`analyze` runs it into a store.
"""

from __future__ import annotations

from crossnews.clean import body_text
from crossnews.core.errors import CrossnewsError, InputError, StoreError
from crossnews.core.records import (
    Analysis,
    Cue,
    Document,
    Entity,
    Mention,
    Rejected,
    Relation,
    RemovedSpan,
    Span,
    Speaker,
    Statement,
    TimeExpr,
    TimelineEntry,
)
from crossnews.core.settings import Settings, load_settings
from crossnews.core.version import __version__
from crossnews.ingest import IngestOptions, RawInput
from crossnews.pipeline import AnalyzeOptions, RunSummary, analyze
from crossnews.report.dossier import write_dossier
from crossnews.report.export import to_json, validate, write_json
from crossnews.store.sqlite import Store, open_store

__all__ = [
    "Analysis",
    "AnalyzeOptions",
    "CrossnewsError",
    "Cue",
    "Document",
    "Entity",
    "IngestOptions",
    "InputError",
    "Mention",
    "RawInput",
    "Rejected",
    "Relation",
    "RemovedSpan",
    "RunSummary",
    "Settings",
    "Span",
    "Speaker",
    "Statement",
    "Store",
    "StoreError",
    "TimeExpr",
    "TimelineEntry",
    "analyze",
    "body_text",
    "load_settings",
    "open_store",
    "to_json",
    "validate",
    "write_dossier",
    "write_json",
    "__version__",
]
