"""Stage 3 — extract: statements (who said what), entities, time expressions, how things are named
(:mod:`~crossnews.extract.naming`) and propaganda technique spans (:mod:`~crossnews.extract.techniques`) of each
document.

Entry function: :func:`extract` parses each English document's analysis text once (spaCy, small batches) and
runs the extractors on the parse. Documents in other languages are not analysed as English: they get no
statements, and :attr:`Extraction.skipped` says why.

Cost is bounded by size: a text longer than :data:`LONG_TEXT` characters is parsed and analysed in windows of whole
paragraphs (:data:`WINDOW` characters, with :data:`CONTEXT` characters of the paragraphs around each for speakers
and quotes that cross a window's edge), so time and memory grow linearly with its length; a document whose analysis
takes longer than the time budget (:data:`TIME_BUDGET`) is given up between two windows with a reason, not left to
stall the batch. Shorter texts are analysed whole, as they always were.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from time import monotonic
from typing import Any

from crossnews.core.nlp import paragraph_windows, parse
from crossnews.core.records import Cue, Document, RemovedSpan, Span, Statement, Technique, TimeExpr
from crossnews.core.registry import register, resolve
from crossnews.core.settings import DEFAULTS, Settings
from crossnews.core.timing import timed
from crossnews.extract.entities import extract_entities
from crossnews.extract.naming import naming_terms
from crossnews.extract.statements import SpeakerRef, extract_statements
from crossnews.extract.techniques import tag_techniques
from crossnews.extract.time import tag_times

__all__ = ["Extraction", "extract"]

#: language codes the English models may analyse (``und``: too little text to tell)
ENGLISH = {"en", "und"}
#: texts longer than this (characters) are analysed in paragraph windows; shorter ones whole
LONG_TEXT = 60_000
#: the most characters of one window's own paragraphs (a single longer paragraph is cut at a sentence end)
WINDOW = 30_000
#: characters of whole paragraphs before and after a window parsed with it, for context only
CONTEXT = 2_000
#: seconds one document's analysis may take before it is given up (checked between windows): the default of the
#: ``time_budget`` setting
TIME_BUDGET = DEFAULTS.time_budget


@dataclass(frozen=True, slots=True)
class Extraction:
    doc: str
    statements: tuple[Statement, ...] = ()
    mentions: tuple[dict[str, Any], ...] = ()  # entity and speaker mentions: entity, start, end, name, type, title
    times: tuple[TimeExpr, ...] = ()
    skipped: str | None = None  # why the document was not analysed as English
    error: str | None = None  # extraction failed: the pipeline rejects the input with this reason
    namings: tuple[dict[str, Any], ...] = ()  # how it names things (extract/naming.py): referent, start, end, form
    techniques: tuple[Technique, ...] = ()  # propaganda technique spans (extract/techniques.py)


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


def extract(docs: Sequence[Document], settings: Settings = DEFAULTS, *,
            budget: float | None = None, overlap: bool = True) -> list[Extraction]:
    """Statements, entity and speaker mentions and time expressions for each document, in order, by the
    backends ``settings`` name (``quotes``, ``entities``, ``time``). A document that fails, or whose analysis
    takes longer than ``budget`` seconds (default: the ``time_budget`` setting), gets an
    :attr:`Extraction.error`; the others go on. ``overlap``: tag techniques in a second thread beside the parse
    (one process using two cores); ``False`` where parallelism comes from elsewhere (Spark's executor slots)."""
    run = _Extractors.of(settings)
    budget = settings.time_budget if budget is None else budget
    results: list[Extraction | None] = [None] * len(docs)
    short: list[int] = []
    for i, d in enumerate(docs):
        if d.language not in ENGLISH:
            results[i] = Extraction(d.id, skipped=f"language '{d.language}' is not English; not analysed")
            continue
        try:
            text = d.analysis_text()
        except Exception as exc:  # noqa: BLE001 - one document's failure must not stop the batch
            results[i] = _failed(d, exc)
            continue
        if len(text) > LONG_TEXT:
            results[i] = _extract_windows(run, d, text, budget)
        else:
            short.append(i)
    texts = {i: docs[i].analysis_text() for i in short}
    # the batch is parsed by settings.parse_processes worker processes, and the technique tagger (onnxruntime,
    # which lets go of the GIL) reads it in a second thread while this one runs the rules; with overlap off (a
    # Spark executor slot is one core) all of it runs here, one document after another
    parses = _parses(short, texts, settings.parse_processes if overlap else 1)
    first = next(parses, None)  # the parse workers are forked here, before the tagger's thread starts
    pool: ThreadPoolExecutor | _Inline = (ThreadPoolExecutor(max_workers=1, thread_name_prefix="techniques")
                                          if overlap else _Inline())
    with pool:
        tagged = {i: pool.submit(_techniques, docs[i], texts[i]) for i in short}
        try:
            for i, sdoc in itertools.chain([first] if first is not None else [], parses):
                d = docs[i]
                if isinstance(sdoc, BaseException):
                    results[i] = _failed(d, sdoc)
                    continue
                try:
                    results[i] = _extract_one(run, d, texts[i], sdoc, tagged[i])
                except Exception as exc:  # noqa: BLE001 - one document's failure must not stop the batch
                    results[i] = _failed(d, exc)
        finally:
            for f in tagged.values():
                f.cancel()
    return [r if r is not None else Extraction(d.id, error="internal error while extracting (no result)")
            for d, r in zip(docs, results, strict=True)]


class _Inline:
    """An executor that runs each call when it is submitted (in this thread), for ``extract(overlap=False)``."""

    def __enter__(self) -> _Inline:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, fn: Any, *args: Any) -> Future[Any]:
        done: Future[Any] = Future()
        try:
            done.set_result(fn(*args))
        except Exception as exc:  # noqa: BLE001 - raised where the result is asked for, as from a thread
            done.set_exception(exc)
        return done


def _failed(d: Document, exc: BaseException) -> Extraction:
    if isinstance(exc, RecursionError):
        return Extraction(d.id, error="document structure too deeply nested to analyse")
    if isinstance(exc, MemoryError):
        return Extraction(d.id, error="out of memory while extracting (the text is too large or too dense)")
    return Extraction(d.id, error=f"internal error while extracting ({type(exc).__name__}: {exc})")


def _parses(order: list[int], texts: dict[int, str], processes: int = 1) -> Iterator[tuple[int, Any]]:
    """(index, parse) for each index of ``order``: in batches (by ``processes`` processes), and when a batch fails,
    one text at a time, so that a text the parser cannot take gets its exception (as its parse) and the others
    their parse."""
    done = 0
    try:
        for i, sdoc in zip(order, parse([texts[i] for i in order], processes=processes), strict=False):
            yield i, sdoc
            done += 1
    except Exception:  # noqa: BLE001 - find the text that failed: parse the rest one at a time
        for i in order[done:]:
            try:
                sdoc = next(iter(parse([texts[i]])))
            except Exception as exc:  # noqa: BLE001 - that text's failure, reported as its result
                yield i, exc
                continue
            yield i, sdoc


def _extract_one(run: _Extractors, d: Document, text: str, sdoc: Any,
                 techniques: Future[tuple[Technique, ...]]) -> Extraction:
    with timed("rules"):
        statements, refs = run.statements(d, sdoc)
    with timed("time"):
        times = _times(run, d, text)
    with timed("entities"):
        named = [{"entity": m.key, "start": m.start, "end": m.end, "name": m.name, "type": m.type,
                  "title": m.title} for m in run.entities(d, sdoc)]
    with timed("naming"):
        namings = tuple(naming_terms(sdoc, named))
    return Extraction(d.id, tuple(statements), tuple(named + _mentions(d, statements, refs)), times,
                      namings=namings, techniques=techniques.result())


def _techniques(d: Document, text: str) -> tuple[Technique, ...]:
    """The technique spans of the analysis text (the whole text at once: the tagger reads it in token windows)."""
    with timed("techniques"):
        return tuple(Technique(d.id, s.start, s.end, s.technique, s.score) for s in tag_techniques(text))


def _times(run: _Extractors, d: Document, text: str, shift: int = 0) -> tuple[TimeExpr, ...]:
    """The time expressions of ``text`` (at ``shift`` in the document), anchored to the publication date; an anchor
    at the edge of the calendar (9999-12-31: "next week" overflows) leaves them unanchored rather than failing the
    document."""
    try:
        found = run.times(text, d.published)
    except OverflowError:
        found = run.times(text, None)
    return tuple(TimeExpr(d.id, t.start + shift, t.end + shift, t.type, t.value) for t in found)


def _extract_windows(run: _Extractors, d: Document, text: str, budget: float) -> Extraction:
    """A long document analysed window by window (:func:`~crossnews.core.nlp.paragraph_windows`): each window is
    parsed with the paragraphs around it and keeps what starts in its own paragraphs, moved to the document's
    offsets; time expressions are tagged in each window's own paragraphs. Gives up, with an error, when the time
    spent passes ``budget`` seconds."""
    began = monotonic()
    statements: list[Statement] = []
    named: list[dict[str, Any]] = []
    speakers: list[dict[str, Any]] = []
    times: list[TimeExpr] = []
    namings: list[dict[str, Any]] = []
    try:
        for lo, start, end, hi in paragraph_windows(text, WINDOW, CONTEXT):
            if monotonic() - began > budget:
                return Extraction(d.id, error=f"analysis took longer than the time budget ({budget:g} s) at "
                                              f"character {start:,} of {len(text):,}; the text is too long or "
                                              "too dense to analyse")
            part = _window_document(d, lo, hi)
            sdoc = next(iter(parse([text[lo:hi]])))
            with timed("rules"):
                found, refs = run.statements(part, sdoc)
            ids = {st.id: _statement_id(d.id, st, lo) for st in found}
            for st, ref in zip(found, refs, strict=True):
                at = (st.cue.span.start if st.cue is not None else st.content.start) + lo
                if not start <= at < end:
                    continue
                moved = _move_statement(st, lo, ids)
                statements.append(moved)
                speakers.extend(_mentions(d, [moved], [ref]))
            with timed("entities"):
                found_named = [{"entity": m.key, "start": m.start, "end": m.end, "name": m.name, "type": m.type,
                                "title": m.title} for m in run.entities(part, sdoc)]
                named.extend({**m, "start": m["start"] + lo, "end": m["end"] + lo} for m in found_named
                             if start <= m["start"] + lo < end)
            with timed("naming"):
                namings.extend({**t, "start": t["start"] + lo, "end": t["end"] + lo}
                               for t in naming_terms(sdoc, found_named) if start <= t["start"] + lo < end)
            del sdoc
            with timed("time"):
                times.extend(_times(run, d, text[start:end], start))
    except Exception as exc:  # noqa: BLE001 - one document's failure must not stop the batch
        return _failed(d, exc)
    known = {st.id for st in statements}
    statements = [st if st.nested_in is None or st.nested_in in known else dataclasses.replace(st, nested_in=None)
                  for st in statements]
    if monotonic() - began > budget:
        return Extraction(d.id, error=f"analysis took longer than the time budget ({budget:g} s) before its "
                                      "technique spans; the text is too long or too dense to analyse")
    try:
        techniques = _techniques(d, text)
    except Exception as exc:  # noqa: BLE001 - one document's failure must not stop the batch
        return _failed(d, exc)
    return Extraction(d.id, tuple(statements), tuple(named + speakers), tuple(times), namings=tuple(namings),
                      techniques=techniques)


def _window_document(d: Document, lo: int, hi: int) -> Document:
    """The part ``[lo, hi)`` of ``d`` as a document of its own (offsets from ``lo``), for the extractors."""

    def clip(a: int, b: int) -> tuple[int, int]:
        return min(max(a - lo, 0), hi - lo), min(max(b - lo, 0), hi - lo)

    removed = tuple(RemovedSpan(*clip(r.start, r.end), r.reason, r.detail) for r in d.removed
                    if r.end > lo and r.start < hi)
    return dataclasses.replace(d, text=d.text[lo:hi], body=Span(*clip(d.body.start, d.body.end)), removed=removed,
                               lede=None, evidence=())


def _statement_id(doc_id: str, st: Statement, shift: int) -> str:
    """A windowed statement's id, made as :mod:`~crossnews.extract.statements` makes it for a whole document: from
    the document id and the cue's offsets (the content's, for a statement without a cue)."""
    span = st.cue.span if st.cue is not None else st.content
    digest = hashlib.sha1(f"{doc_id}:{span.start + shift}:{span.end + shift}".encode()).hexdigest()[:10]
    return f"st-{digest}"


def _move_statement(st: Statement, shift: int, ids: dict[str, str]) -> Statement:
    def move(s: Span) -> Span:
        return Span(s.start + shift, s.end + shift)

    speaker = st.speaker if st.speaker.span is None else dataclasses.replace(st.speaker, span=move(st.speaker.span))
    return dataclasses.replace(
        st, id=ids[st.id], speaker=speaker, cue=None if st.cue is None else Cue(move(st.cue.span), st.cue.lemma),
        content=move(st.content), parts=tuple(move(p) for p in st.parts),
        nested_in=None if st.nested_in is None else ids.get(st.nested_in, st.nested_in))


register("time.rules.v1", description="time expressions with TIMEX3 values anchored to the publication date "
         "(weekdays, yearless dates, relative periods, durations, sets)")(tag_times)
register("quotes.rules.v2", description="attributed statements by rules over the spaCy dependency parse, with "
         "a cue detector, a content-boundary model and an acceptance model trained on PolNeAR train (plain weights, "
         "no ML library at run time); speakers, anonymous sources, nesting, channels")(extract_statements)
register("entities.rules.v1", description="people, organisations and places from spaCy NER, retyped by offline "
         "gazetteers, with surnames, titles and role nouns resolved in the document")(extract_entities)
