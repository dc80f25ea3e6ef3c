"""Stage 3 — extract: statements (who said what), entities and time expressions of each document.

Entry function: :func:`extract` parses each English document's analysis text once (spaCy, small batches) and
runs the extractors on the parse. Documents in other languages are not analysed as English: they get no
statements, and :attr:`Extraction.skipped` says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from crossnews.core.nlp import parse
from crossnews.core.records import Document, Statement, TimeExpr
from crossnews.core.registry import register, resolve
from crossnews.core.settings import DEFAULTS, Settings
from crossnews.core.timing import timed
from crossnews.extract.entities import extract_entities
from crossnews.extract.statements import SpeakerRef, extract_statements
from crossnews.extract.time import tag_times

__all__ = ["Extraction", "extract"]

#: language codes the English models may analyse (``und``: too little text to tell)
ENGLISH = {"en", "und"}


@dataclass(frozen=True, slots=True)
class Extraction:
    doc: str
    statements: tuple[Statement, ...] = ()
    mentions: tuple[dict[str, Any], ...] = ()  # entity and speaker mentions: entity, start, end, name, type, title
    times: tuple[TimeExpr, ...] = ()
    skipped: str | None = None  # why the document was not analysed as English
    error: str | None = None  # extraction failed: the pipeline rejects the input with this reason


def _mentions(doc: Document, statements: Sequence[Statement],
              refs: Sequence[SpeakerRef | None]) -> list[dict[str, Any]]:
    out = []
    for st, ref in zip(statements, refs, strict=True):
        if ref is None or st.speaker.span is None:
            continue
        sp = st.speaker.span
        out.append({"entity": ref.key, "start": sp.start, "end": sp.end, "name": ref.name, "type": ref.type})
    return out


@dataclass(frozen=True, slots=True)
class _Extractors:
    """The three extractors the settings name, resolved once per batch."""

    statements: Any
    entities: Any
    times: Any

    @classmethod
    def of(cls, settings: Settings) -> _Extractors:
        return cls(resolve("quotes", settings.quotes).factory, resolve("entities", settings.entities).factory,
                   resolve("time", settings.time).factory)


def extract(docs: Sequence[Document], settings: Settings = DEFAULTS) -> list[Extraction]:
    """Statements, entity and speaker mentions and time expressions for each document, in order, by the
    backends ``settings`` name (``quotes``, ``entities``, ``time``)."""
    run = _Extractors.of(settings)
    english = [d for d in docs if d.language in ENGLISH]
    results: dict[str, Extraction] = {}
    for d in docs:
        if d.language not in ENGLISH:
            results[d.id] = Extraction(d.id, skipped=f"language '{d.language}' is not English; not analysed")
    if english:
        texts = [d.analysis_text() for d in english]
        for d, text, sdoc in zip(english, texts, parse(texts), strict=True):
            try:
                results[d.id] = _extract_one(run, d, text, sdoc)
            except Exception as exc:  # noqa: BLE001 - one document's failure must not stop the batch
                results[d.id] = Extraction(d.id, error=f"internal error while extracting ({type(exc).__name__}: "
                                                       f"{exc})")
    return [results[d.id] for d in docs]


def _extract_one(run: _Extractors, d: Document, text: str, sdoc: Any) -> Extraction:
    with timed("rules"):
        statements, refs = run.statements(d, sdoc)
    with timed("time"):
        times = tuple(TimeExpr(d.id, t.start, t.end, t.type, t.value) for t in run.times(text, d.published))
    with timed("entities"):
        named = [{"entity": m.key, "start": m.start, "end": m.end, "name": m.name, "type": m.type,
                  "title": m.title} for m in run.entities(d, sdoc)]
    return Extraction(d.id, tuple(statements), tuple(named + _mentions(d, statements, refs)), times)


register("time.rules.v1", description="time expressions with TIMEX3 values anchored to the publication date "
         "(weekdays, yearless dates, relative periods, durations, sets)")(tag_times)
register("quotes.rules.v2", description="attributed statements by rules over the spaCy dependency parse, with "
         "a cue detector, a content-boundary model and an acceptance model trained on PolNeAR train (plain weights, "
         "no ML library at run time); speakers, anonymous sources, nesting, channels")(extract_statements)
register("entities.rules.v1", description="people, organisations and places from spaCy NER, retyped by offline "
         "gazetteers, with surnames, titles and role nouns resolved in the document")(extract_entities)
