"""The pipeline: ingest → clean → extract → store, then align across every stored document → store.

Entry function: :func:`analyze`. Every input ends analysed, unchanged (already in the store, same content hash;
it names the document it is) or rejected with a reason; the counts in the returned :class:`RunSummary` add up to the
inputs, and one input's failure in any per-document stage is its rejection, never a stopped batch. Each stage's
backend is resolved by name from one :class:`~crossnews.core.settings.Settings`. After the documents are stored,
:func:`align_store` merges entities and builds the timeline over the whole store, and :func:`relate_store` relates
statements across documents; each writes its output to the store, and is recomputed only when the documents (or
the judge and embedder) changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import numpy as np

from crossnews.align.chains import build_chains
from crossnews.align.embed import Embedder, get_embedder
from crossnews.align.entities import acronym_merges, build_entities, merge_entities, title_holders, with_acronyms
from crossnews.align.framing import build_framing
from crossnews.align.judges import Claim, Judge, Judgement, get_judge
from crossnews.align.relations import relate
from crossnews.align.stories import build_stories
from crossnews.align.timeline import build_timeline
from crossnews.clean import CleanMemo, SiteLines, date_from_collection, norm_line, site_key, split_lines
from crossnews.core.codec import statement_to_json, technique_to_json, time_to_json
from crossnews.core.errors import InputError, StoreError
from crossnews.core.records import Analysis, Document, Rejected, Relation, with_merged_speakers
from crossnews.core.registry import resolve
from crossnews.core.settings import DEFAULTS, Settings
from crossnews.core.timing import timed
from crossnews.core.version import __version__
from crossnews.extract import Extraction, extract
from crossnews.ingest import IngestOptions, RawInput, content_hash, ingest
from crossnews.store.sqlite import Store

__all__ = ["analyze", "align_store", "relate_store", "pipeline_key", "AnalyzeOptions", "RunSummary", "Event",
           "Unchanged"]

BATCH = 200

#: what extracts a batch of cleaned documents: :func:`crossnews.extract.extract` in this process, or an engine that
#: runs it elsewhere (``crossnews.engine.spark``); it returns one :class:`Extraction` per document, in order
Extractor = Callable[[Sequence[Document], Settings], list[Extraction]]
#: what relates the statements of a store's analysis: :func:`crossnews.align.relations.relate` in this process, or
#: an engine that relates its stories elsewhere (``SparkExtractor.relate``); the relations in any order
Relater = Callable[[Analysis, Settings], list[Relation]]


#: the per-document framing extractors (naming terms, technique spans), part of the pipeline key
NAMING_KEY = "naming.v1 techniques.v1"


def pipeline_key(settings: Settings = DEFAULTS) -> str:
    """Stored with every document: a document analysed by another version or other backends is analysed again."""
    return (f"crossnews/{__version__} {settings.clean} {settings.quotes} {settings.time} {settings.entities} "
            f"{NAMING_KEY}")



@dataclass(frozen=True, slots=True)
class AnalyzeOptions:
    settings: Settings = DEFAULTS  # the backends and limits (judge, embedder, max_bytes, ...)
    crawled: str | None = None  # a crawl date for every input that has none of its own (ISO 8601)
    relations: bool = True  # relate statements across documents after storing them
    extractor: Extractor | None = None  # None: extract in this process (crossnews.extract.extract)
    relater: Relater | None = None  # None: relate in this process (crossnews.align.relations.relate)

    @property
    def ingest(self) -> IngestOptions:
        s = self.settings
        return IngestOptions(max_bytes=s.max_bytes, timeout=s.timeout, max_redirects=s.max_redirects,
                             allow_private=s.allow_private)


@dataclass(frozen=True, slots=True)
class Event:
    """One input's outcome, for progress reporting."""

    source: str
    status: str  # "analysed", "unchanged", "rejected"
    doc_id: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Unchanged:
    """An input not analysed again: ``doc`` is the stored document with its content; ``reason`` says which input
    or run stored it."""

    source: str
    doc: str
    reason: str


@dataclass
class RunSummary:
    inputs: int = 0
    analysed: int = 0
    unchanged: int = 0
    rejected: int = 0
    documents: list[str] = field(default_factory=list)
    rejections: list[Rejected] = field(default_factory=list)
    unchanged_inputs: list[Unchanged] = field(default_factory=list)  # each unchanged input and its document
    relations: int | None = None  # relations stored after this run (None: unchanged, or not computed)

    @property
    def consistent(self) -> bool:
        return self.inputs == self.analysed + self.unchanged + self.rejected


def _batches(items: Iterator[RawInput | Rejected], size: int) -> Iterator[list[RawInput | Rejected]]:
    while batch := list(islice(items, size)):
        yield batch


def analyze(
    specs: Iterable[str],
    store: Store,
    options: AnalyzeOptions | None = None,
    *,
    on_event: Callable[[Event], None] | None = None,
) -> RunSummary:
    """Analyse every article in ``specs`` (files, directories, globs, JSONL files, URLs) into ``store``."""
    opts = options or AnalyzeOptions()
    cleaner: Cleaner = resolve("clean", opts.settings.clean).factory
    summary = RunSummary()
    run_id = store.start_run()

    def emit(event: Event) -> None:
        if on_event is not None:
            on_event(event)

    def reject(rejected: Rejected) -> None:
        summary.rejected += 1
        summary.rejections.append(rejected)
        store.add_rejected(rejected)
        emit(Event(rejected.source, "rejected", reason=rejected.reason))

    claimed: dict[str, str] = {}  # document id -> the input of this run that has it
    stored: dict[str, str] = {}  # content hash -> the input of this run whose analysis stored it

    def unchanged(source: str, doc_id: str, reason: str) -> None:
        summary.unchanged += 1
        summary.unchanged_inputs.append(Unchanged(source, doc_id, reason))
        claimed.setdefault(doc_id, source)
        store.clear_rejected(source)
        emit(Event(source, "unchanged", doc_id=doc_id, reason=reason))

    for batch in _batches(ingest(specs, opts.ingest), BATCH):
        summary.inputs += len(batch)
        fresh: list[RawInput] = []
        hashes: list[str] = []
        copies: dict[str, list[RawInput]] = {}  # content hash -> later copies of a fresh input in this batch
        for item in batch:
            if isinstance(item, Rejected):
                reject(item)
                continue
            if opts.crawled and "crawled" not in item.given:
                item = RawInput(item.source, item.text, item.kind, item.origin, {**item.given, "crawled": opts.crawled},
                                item.encoding)
            chash = content_hash(item.text)
            existing = store.document_id_for_hash(chash, analysis_key(item, opts.settings))
            if existing is not None:
                unchanged(item.source, existing, f"same content as {stored[chash]} (document {existing})"
                          if chash in stored else f"already analysed: document {existing} has the same content")
            elif chash in copies:
                copies[chash].append(item)
            else:
                copies[chash] = []
                fresh.append(item)
                hashes.append(chash)
        with timed("clean"):
            cleaned = _clean_batch(fresh, store, cleaner)
        cleaned = _claim_ids(fresh, cleaned, claimed)
        extracted = iter(_extract_batch([r for r in cleaned if not isinstance(r, Rejected)], opts.settings,
                                        opts.extractor))
        for raw, chash, result in zip(fresh, hashes, cleaned, strict=True):
            if isinstance(result, Rejected):
                reject(result)
                for copy in copies[chash]:
                    reject(Rejected(copy.source, f"{result.reason} (same content as {raw.source})"))
                continue
            doc, site, lines = result
            ex = next(extracted)
            error = ex.error
            if error is None:
                try:
                    extras = {
                        "statements": [statement_to_json(st, doc.text) for st in ex.statements],
                        "mentions": list(ex.mentions),
                        "times": [time_to_json(t, doc.text) for t in ex.times],
                        "namings": list(ex.namings),
                        "techniques": [technique_to_json(t, doc.text) for t in ex.techniques],
                    }
                    pipeline = analysis_key(raw, opts.settings)
                except Exception as exc:  # noqa: BLE001 - one input's failure must not stop the batch
                    error = f"internal error while storing ({type(exc).__name__}: {exc})"
            if error is not None:
                reject(Rejected(raw.source, error))
                for copy in copies[chash]:
                    reject(Rejected(copy.source, f"{error} (same content as {raw.source})"))
                continue
            with timed("store"):
                failed = _store_document(store, doc, raw, pipeline, site, lines, extras)
            if failed is not None:
                reject(Rejected(raw.source, failed))
                for copy in copies[chash]:
                    reject(Rejected(copy.source, f"{failed} (same content as {raw.source})"))
                continue
            store.clear_rejected(raw.source)
            stored[chash] = raw.source
            summary.analysed += 1
            summary.documents.append(doc.id)
            emit(Event(raw.source, "analysed", doc_id=doc.id))
            for copy in copies[chash]:
                unchanged(copy.source, doc.id, f"same content as {raw.source} (document {doc.id})")
    store.finish_run(run_id, inputs=summary.inputs, analysed=summary.analysed, rejected=summary.rejected,
                     unchanged=summary.unchanged)
    with timed("align"):
        analysis = align_store(store, opts.settings)
    if opts.relations:
        with timed("relate"):
            summary.relations = relate_store(store, opts.settings, analysis=analysis, relater=opts.relater)
    return summary


def align_store(store: Store, settings: Settings = DEFAULTS, *, force: bool = False) -> Analysis:
    """Merge entities across every document in ``store``, build the timeline and group the documents into stories;
    store them (unless the stored ones are already those of the same documents, or ``force``). Returns the store's
    analysis without relations."""
    key = f"{pipeline_key(settings)}|align.entities.v1|stories.v2|framing.v1|{store.state_key()}"
    if force or store.meta("alignment_key") != key:
        rows = list(store.mention_rows())
        merge = merge_entities((k, name, type_) for k, _, _, _, name, type_, _ in rows)
        merge = with_acronyms(merge, acronym_merges(rows, merge))
        merge.update(title_holders(rows, merge))
        stored = store.analysis(relations=False)  # its entities, speakers, timeline and stories are the old ones
        analysis = dataclasses.replace(stored, entities=tuple(build_entities(rows, merge, store.document_dates())),
                                       statements=with_merged_speakers(store.statements(), merge))
        timeline = tuple(build_timeline(analysis.documents, analysis.statements, analysis.times, analysis.entities))
        stories = tuple(build_stories(analysis))
        framing = tuple(build_framing(analysis.documents, stories, store.naming_terms(), merge, analysis.entities))
        store.put_alignment(merge, analysis.entities, timeline, key, stories, framing)
        return dataclasses.replace(analysis, timeline=timeline, stories=stories, framing=framing)
    return store.analysis(relations=False)


def relate_store(store: Store, settings: Settings = DEFAULTS, *, force: bool = False,
                 analysis: Analysis | None = None, relater: Relater | None = None,
                 **judge_options: object) -> int | None:
    """Relate statements across every document in ``store`` with the judge and embedder ``settings`` name, and
    store the relations and the claim chains they make; returns how many relations, or None when the stored ones
    are already those of the same documents, judge and embedder. ``analysis``: the store's analysis without
    relations, when the caller has it (:func:`align_store` returns it)."""
    key = (f"{pipeline_key(settings)}|align.relations.v3|stories.v2|{settings.judge}|{settings.embedder}|"
           f"{store.state_key()}")
    if not force and not judge_options and store.meta("relations_key") == key:
        return None
    analysis = store.analysis(relations=False) if analysis is None else analysis
    if relater is not None and not judge_options:
        relations = relater(analysis, settings)
    else:
        relations = relate(analysis, judge=_TimedJudge(get_judge(settings.judge, **judge_options)),
                           embedder=_TimedEmbedder(get_embedder(settings.embedder)), cache=store)
    relations.sort(key=lambda r: r.id)  # chains are built in one order, whichever engine related the stories
    store.put_relations(relations, key, build_chains(analysis, relations))
    return len(relations)


class _TimedJudge:
    """A judge whose calls count as the stage ``judge`` (:mod:`crossnews.core.timing`)."""

    def __init__(self, inner: Judge) -> None:
        self.inner = inner
        self.name = inner.name

    def judge(self, pairs: Sequence[tuple[Claim, Claim]]) -> list[Judgement]:
        with timed("judge"):
            return self.inner.judge(pairs)


class _TimedEmbedder:
    """An embedder whose calls count as the stage ``embed``."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        with timed("embed"):
            return self.inner.encode(texts)


def analysis_key(raw: RawInput, settings: Settings = DEFAULTS) -> str:
    """What an analysis depends on besides the text: the version, the backends and the fields given with the input
    (a crawl date, JSONL metadata). The same text with other given fields is analysed again."""
    if not raw.given:
        return pipeline_key(settings)
    given = json.dumps(raw.given, sort_keys=True, ensure_ascii=False)
    return f"{pipeline_key(settings)} given:{hashlib.sha256(given.encode('utf-8')).hexdigest()[:16]}"


def _extract_batch(cleaned: list[tuple[Document, str | None, list[str]]], settings: Settings,
                   extractor: Extractor | None = None) -> list[Extraction]:
    """The extraction of each cleaned document, in order (two inputs may carry one id: the order pairs them), by
    ``extractor`` when given (an engine that extracts elsewhere, e.g. on Spark executors), else in this process."""
    docs = [doc for doc, _, _ in cleaned]
    if extractor is None:
        return extract(docs, settings)
    results = extractor(docs, settings) if docs else []
    if len(results) != len(docs) or any(r.doc != d.id for r, d in zip(results, docs, strict=True)):
        raise RuntimeError(f"the extractor returned {len(results)} results for {len(docs)} documents, or out of order")
    return results


def _store_document(store: Store, doc: Document, raw: RawInput, pipeline: str, site: str | None, lines: list[str],
                    extras: dict[str, list[dict[str, Any]]]) -> str | None:
    """Store one analysed document; the reason when this document cannot be stored (the store's own failures, a
    full disk or a locked file, are :class:`~crossnews.core.errors.StoreError` and stop the run)."""
    try:
        store.put_document(doc, pipeline=pipeline, raw=raw.text, kind=raw.kind, encoding=raw.encoding, site=site,
                           site_lines=lines, extras=extras)
    except StoreError:
        raise
    except Exception as exc:  # noqa: BLE001 - one input's failure must not stop the batch; the write was rolled back
        return f"cannot store this document ({type(exc).__name__}: {exc})"
    return None


def _claim_ids(raws: list[RawInput], cleaned: list[tuple[Document, str | None, list[str]] | Rejected],
               claimed: dict[str, str]) -> list[tuple[Document, str | None, list[str]] | Rejected]:
    """Each document id once per run: a later input whose document has the id of an earlier one (two JSONL records
    with one ``id`` and different texts) is rejected with a reason naming the earlier input, not stored over it.
    ``claimed`` (id -> input) holds the ids taken so far in the run."""
    out: list[tuple[Document, str | None, list[str]] | Rejected] = []
    for raw, result in zip(raws, cleaned, strict=True):
        if not isinstance(result, Rejected):
            doc_id = result[0].id
            first = claimed.setdefault(doc_id, raw.source)
            if first != raw.source:
                result = Rejected(raw.source, f"duplicate id '{doc_id}': {first} has it already in this run, with "
                                              "other content; give each record its own id")
        out.append(result)
    return out


Cleaner = Callable[..., Document]


def _clean_one(clean: Cleaner, raw: RawInput, site_lines: SiteLines | None, site: str | None = None, *,
               memo: CleanMemo | None = None) -> Document | Rejected:
    try:
        return clean(raw, site_lines=site_lines, site=site, memo=memo)
    except InputError as exc:
        return Rejected(exc.source, exc.reason)
    except RecursionError:
        return Rejected(raw.source, "document structure too deeply nested to analyse")
    except Exception as exc:  # noqa: BLE001 - one bad input must not stop the batch; the reason is recorded
        return Rejected(raw.source, f"internal error while cleaning ({type(exc).__name__}: {exc})")


def _clean_batch(raws: list[RawInput], store: Store,
                 clean: Cleaner) -> list[tuple[Document, str | None, list[str]] | Rejected]:
    """Clean a batch twice: first alone, then with the lines each site repeats across documents (this batch and
    the store) as evidence of furniture. The second cleaning of an input takes from its first what those lines do
    not change (its :class:`~crossnews.clean.CleanMemo`)."""
    memos = [CleanMemo() for _ in raws]
    first = [_clean_one(clean, raw, None, memo=memo) for raw, memo in zip(raws, memos, strict=True)]
    site_lines = SiteLines()
    keys: list[str | None] = []
    lines_of: list[list[str]] = []
    for n, (raw, doc) in enumerate(zip(raws, first, strict=True)):
        try:
            key = site_key(raw, doc) if isinstance(doc, Document) else None
            lines = [norm_line(line.text) for line in split_lines(doc.text)] if isinstance(doc, Document) else []
        except Exception as exc:  # noqa: BLE001 - one bad input must not stop the batch; the reason is recorded
            first[n] = Rejected(raw.source, f"internal error while cleaning ({type(exc).__name__}: {exc})")
            key, lines = None, []
        keys.append(key)
        lines = [line for line in lines if len(line.split()) <= 12]
        lines_of.append(lines)
        site_lines.add(key, lines)
    for key in {k for k in keys if k}:
        for line, n in store.site_line_counts(key).items():
            site_lines.docs_per_line[key][line] += n
    out: list[tuple[Document, str | None, list[str]] | Rejected] = []
    for raw, memo, doc, key, lines in zip(raws, memos, first, keys, lines_of, strict=True):
        if isinstance(doc, Rejected):
            out.append(doc)
            continue
        counts = site_lines.docs_per_line.get(key or "", None)
        if key and counts and any(counts[line] >= 2 for line in lines):
            again = _clean_one(clean, raw, site_lines, key, memo=memo)
            if isinstance(again, Rejected):
                out.append(again)
                continue
            doc = again
        out.append((doc, key, lines))
    # a yearless dateline ("MOSCOW, March 12") takes the year that puts it nearest the other documents' dates
    dates = [r[0].published for r in out if not isinstance(r, Rejected)] + list(store.document_dates().values())
    return [r if isinstance(r, Rejected) else (date_from_collection(r[0], dates), r[1], r[2]) for r in out]
