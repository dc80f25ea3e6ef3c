"""The export contract: one JSON document per run, described by ``schema/crossnews-1.schema.json``."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from .records import (
    SCHEMA_ID,
    Analysis,
    Cue,
    Document,
    Entity,
    MetadataEvidence,
    PublishedEvidence,
    Rejected,
    Relation,
    RemovedSpan,
    Span,
    Speaker,
    Statement,
    TimeExpr,
    TimelineEntry,
    YearCandidate,
)

__all__ = [
    "to_json", "write_json", "load_schema", "validate", "document_to_json", "document_from_json",
    "statement_to_json", "statement_from_json",
]


def _span(span: Span | None, text: str) -> dict[str, Any] | None:
    return None if span is None else span.to_json(text)


def _evidence_to_json(ev: PublishedEvidence, text: str) -> dict[str, Any]:
    return {
        "method": ev.method,
        "raw": ev.raw,
        "span": _span(ev.span, text),
        "candidates": [{"year": c.year, "score": c.score, "reasons": list(c.reasons)} for c in ev.candidates],
        "choice": ev.choice,
        "reason": ev.reason,
        "tentative": ev.tentative,
    }


def document_to_json(doc: Document) -> dict[str, Any]:
    text = doc.text
    return {
        "id": doc.id,
        "source": doc.source,
        "format": doc.format,
        "url": doc.url,
        "content_hash": doc.content_hash,
        "text": text,
        "title": doc.title,
        "outlet": doc.outlet,
        "republisher": doc.republisher,
        "dateline": doc.dateline,
        "author": doc.author,
        "published": doc.published,
        "published_evidence": _evidence_to_json(doc.published_evidence, text),
        "body": {"start": doc.body.start, "end": doc.body.end},
        "lede": _span(doc.lede, text),
        "removed": [{**r.span.to_json(text), "reason": r.reason, "detail": r.detail} for r in doc.removed],
        "metadata_evidence": [
            {"field": e.field, "value": e.value, "method": e.method, "span": _span(e.span, text)}
            for e in doc.evidence
        ],
        "language": doc.language,
        "language_score": doc.language_score,
    }


def _span_from(d: dict[str, Any] | None) -> Span | None:
    return None if d is None else Span(d["start"], d["end"])


def document_from_json(d: dict[str, Any]) -> Document:
    ev = d["published_evidence"]
    return Document(
        id=d["id"],
        source=d["source"],
        format=d["format"],
        url=d.get("url"),
        content_hash=d["content_hash"],
        text=d["text"],
        title=d.get("title"),
        outlet=d.get("outlet"),
        republisher=d.get("republisher"),
        dateline=d.get("dateline"),
        author=d.get("author"),
        published=d.get("published"),
        published_evidence=PublishedEvidence(
            method=ev["method"],
            raw=ev["raw"],
            span=_span_from(ev["span"]),
            candidates=tuple(
                YearCandidate(c["year"], c["score"], tuple(c["reasons"])) for c in ev["candidates"]
            ),
            choice=ev["choice"],
            reason=ev["reason"],
            tentative=ev.get("tentative", False),
        ),
        body=Span(d["body"]["start"], d["body"]["end"]),
        lede=_span_from(d.get("lede")),
        removed=tuple(RemovedSpan(r["start"], r["end"], r["reason"], r.get("detail", "")) for r in d["removed"]),
        evidence=tuple(
            MetadataEvidence(e["field"], e["value"], e["method"], _span_from(e["span"]))
            for e in d.get("metadata_evidence", [])
        ),
        language=d["language"],
        language_score=d.get("language_score", 0.0),
    )


def entity_to_json(e: Entity) -> dict[str, Any]:
    return {
        "id": e.id,
        "name": e.name,
        "type": e.type,
        "aliases": list(e.aliases),
        "mentions": [{"doc": m.doc, "start": m.start, "end": m.end} for m in e.mentions],
        "roles": [{"title": r.title, "doc": r.doc, "date": r.date} for r in e.roles],
    }


def statement_to_json(s: Statement, text: str) -> dict[str, Any]:
    speaker: dict[str, Any] = {
        "text": None,
        "start": None,
        "end": None,
        "entity": s.speaker.entity,
        "anonymous": s.speaker.anonymous,
        "description": s.speaker.description,
    }
    if s.speaker.span is not None:
        speaker.update(s.speaker.span.to_json(text))
    return {
        "id": s.id,
        "doc": s.doc,
        "speaker": speaker,
        "cue": None if s.cue is None else {**s.cue.span.to_json(text), "lemma": s.cue.lemma},
        "content": s.content.to_json(text),
        "parts": [p.to_json(text) for p in s.parts],
        "kind": s.kind,
        "nested_in": s.nested_in,
        "channel": s.channel,
        "confidence": s.confidence,
    }


def statement_from_json(d: dict[str, Any]) -> Statement:
    sp = d["speaker"]
    return Statement(
        id=d["id"],
        doc=d["doc"],
        speaker=Speaker(
            span=None if sp["start"] is None else Span(sp["start"], sp["end"]),
            entity=sp["entity"],
            anonymous=sp["anonymous"],
            description=sp["description"],
        ),
        cue=None if d["cue"] is None else Cue(Span(d["cue"]["start"], d["cue"]["end"]), d["cue"]["lemma"]),
        content=Span(d["content"]["start"], d["content"]["end"]),
        parts=tuple(Span(p["start"], p["end"]) for p in d.get("parts", [])),
        kind=d["kind"],
        nested_in=d["nested_in"],
        channel=d["channel"],
        confidence=d["confidence"],
    )


def time_to_json(t: TimeExpr, text: str) -> dict[str, Any]:
    return {"doc": t.doc, **Span(t.start, t.end).to_json(text), "type": t.type, "value": t.value}


def timeline_to_json(t: TimelineEntry) -> dict[str, Any]:
    return {
        "id": t.id,
        "date": t.date,
        "label": t.label,
        "sources": [{"doc": s.doc, "start": s.start, "end": s.end} for s in t.sources],
        "statements": list(t.statements),
        "conflicts": list(t.conflicts),
    }


def relation_to_json(r: Relation) -> dict[str, Any]:
    return {
        "id": r.id,
        "type": r.type,
        "a": r.a,
        "b": r.b,
        "evidence": dict(r.evidence),
        "judge": r.judge,
        "score": r.score,
    }


def rejected_to_json(r: Rejected) -> dict[str, Any]:
    return {"source": r.source, "reason": r.reason}


def to_json(analysis: Analysis) -> dict[str, Any]:
    """The whole export as a JSON-ready dict (``{"schema": "crossnews/1", ...}``)."""
    texts = {d.id: d.text for d in analysis.documents}
    return {
        "schema": SCHEMA_ID,
        "documents": [document_to_json(d) for d in analysis.documents],
        "entities": [entity_to_json(e) for e in analysis.entities],
        "statements": [statement_to_json(s, texts[s.doc]) for s in analysis.statements],
        "times": [time_to_json(t, texts[t.doc]) for t in analysis.times],
        "timeline": [timeline_to_json(t) for t in analysis.timeline],
        "relations": [relation_to_json(r) for r in analysis.relations],
        "rejected": [rejected_to_json(r) for r in analysis.rejected],
    }


def write_json(analysis: Analysis, path: str | Path, *, relations: Iterable[dict[str, Any]] | None = None) -> Path:
    """Write the export of ``analysis`` to ``path`` (through a temporary file beside it), streamed: the same
    bytes as ``json.dumps(to_json(analysis), ensure_ascii=False, indent=1)``. ``relations``: the relations as
    JSON-ready dicts (:func:`relation_to_json`'s form, e.g. :meth:`Store.relation_dicts`), read one at a time in
    place of ``analysis.relations``, so that a large store's relations are never all in memory."""
    from .jsondump import dump_indented

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    if relations is None:
        payload, iterables = to_json(analysis), None
    else:
        payload, iterables = to_json(dataclasses.replace(analysis, relations=())), {"relations": relations}
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            dump_indented(payload, fh, indent=1, iterables=iterables)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(out)
    return out


def load_schema() -> dict[str, Any]:
    with resources.files("crossnews").joinpath("schema/crossnews-1.schema.json").open(encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


def validate(payload: dict[str, Any]) -> None:
    """Validate an export against the JSON Schema, then check every span's text against its document."""
    import jsonschema

    jsonschema.validate(payload, load_schema())
    texts = {d["id"]: d["text"] for d in payload["documents"]}

    def check(doc_id: str, span: dict[str, Any] | None, where: str) -> None:
        if span is None or span.get("start") is None:
            return
        text = texts[doc_id]
        if not (0 <= span["start"] <= span["end"] <= len(text)):
            raise ValueError(f"E003: {where}: span [{span['start']}, {span['end']}) outside document {doc_id}")
        if "text" in span and text[span["start"] : span["end"]] != span["text"]:
            raise ValueError(f"E004: {where}: span text differs from document {doc_id} at those offsets")

    for d in payload["documents"]:
        for r in d["removed"]:
            check(d["id"], r, f"document {d['id']} removed")
        check(d["id"], d["lede"], f"document {d['id']} lede")
        check(d["id"], d["published_evidence"]["span"], f"document {d['id']} published_evidence")
        check(d["id"], {**d["body"]}, f"document {d['id']} body")
    for s in payload["statements"]:
        for role in ("speaker", "cue", "content"):
            check(s["doc"], s[role], f"statement {s['id']} {role}")
        for part in s.get("parts", []):
            check(s["doc"], part, f"statement {s['id']} part")
    for t in payload["times"]:
        check(t["doc"], t, "time")
    for e in payload["entities"]:
        for m in e["mentions"]:
            check(m["doc"], m, f"entity {e['id']} mention")
    for t in payload["timeline"]:
        for src in t["sources"]:
            check(src["doc"], src, f"timeline {t['id']} source")
