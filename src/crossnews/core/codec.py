"""Records to and from their JSON form (the export contract's shapes): used by the store and the export."""

from __future__ import annotations

from typing import Any

from crossnews.core.records import (
    Chain,
    ChainLink,
    Cue,
    Document,
    Entity,
    Framing,
    FramingForm,
    FramingOutlet,
    Mention,
    MetadataEvidence,
    PublishedEvidence,
    Rejected,
    Relation,
    RemovedSpan,
    Role,
    SourceRef,
    Span,
    Speaker,
    Statement,
    Story,
    Technique,
    TimeExpr,
    TimelineEntry,
    YearCandidate,
)

__all__ = [
    "document_to_json", "document_from_json", "entity_to_json", "entity_from_json", "statement_to_json",
    "statement_from_json", "time_to_json", "timeline_to_json", "timeline_from_json", "relation_to_json",
    "relation_from_json", "rejected_to_json", "story_to_json", "story_from_json",
    "chain_to_json", "chain_from_json", "technique_to_json", "technique_from_json", "framing_to_json",
    "framing_from_json",
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


def entity_from_json(d: dict[str, Any]) -> Entity:
    return Entity(d["id"], d["name"], d["type"], tuple(d["aliases"]),
                  tuple(Mention(m["doc"], m["start"], m["end"]) for m in d["mentions"]),
                  tuple(Role(r["title"], r["doc"], r["date"]) for r in d["roles"]))


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


def timeline_from_json(d: dict[str, Any]) -> TimelineEntry:
    return TimelineEntry(d["id"], d["date"], d["label"],
                         tuple(SourceRef(s["doc"], s["start"], s["end"]) for s in d["sources"]),
                         tuple(d["statements"]), tuple(d["conflicts"]))


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


def relation_from_json(d: dict[str, Any]) -> Relation:
    return Relation(d["id"], d["type"], d["a"], d["b"], tuple(d["evidence"].items()), d["judge"], d["score"])


def rejected_to_json(r: Rejected) -> dict[str, Any]:
    return {"source": r.source, "reason": r.reason}


def story_to_json(s: Story) -> dict[str, Any]:
    return {"id": s.id, "label": s.label, "documents": list(s.documents), "entities": list(s.entities),
            "first": s.first, "last": s.last}


def story_from_json(d: dict[str, Any]) -> Story:
    return Story(d["id"], d["label"], tuple(d["documents"]), tuple(d.get("entities", ())), d.get("first"),
                 d.get("last"))


def chain_to_json(c: Chain) -> dict[str, Any]:
    return {"id": c.id, "label": c.label, "members": list(c.members),
            "links": [{"a": x.a, "b": x.b, "relation": x.relation, "known": x.known, "date_a": x.date_a,
                       "date_b": x.date_b, "drift": dict(x.drift)} for x in c.links]}


def chain_from_json(d: dict[str, Any]) -> Chain:
    return Chain(d["id"], d["label"], tuple(d["members"]),
                 tuple(ChainLink(x["a"], x["b"], x.get("relation"), x["known"], tuple(x.get("drift", {}).items()),
                                 x.get("date_a"), x.get("date_b")) for x in d.get("links", [])))


def technique_to_json(t: Technique, text: str) -> dict[str, Any]:
    return {"doc": t.doc, **Span(t.start, t.end).to_json(text), "technique": t.technique, "score": t.score}


def technique_from_json(d: dict[str, Any]) -> Technique:
    return Technique(d["doc"], d["start"], d["end"], d["technique"], d["score"])


def framing_to_json(f: Framing) -> dict[str, Any]:
    return {"id": f.id, "story": f.story, "referent": f.referent, "kind": f.kind, "label": f.label,
            "outlets": [{"outlet": o.outlet, "documents": list(o.documents),
                         "forms": [{"form": x.form, "count": x.count, "markers": list(x.markers),
                                    "spans": [{"doc": s.doc, "start": s.start, "end": s.end} for s in x.spans]}
                                   for x in o.forms]} for o in f.outlets]}


def framing_from_json(d: dict[str, Any]) -> Framing:
    return Framing(d["id"], d["story"], d["referent"], d["kind"], d["label"],
                   tuple(FramingOutlet(o["outlet"], tuple(o["documents"]),
                                       tuple(FramingForm(x["form"], x["count"], tuple(x["markers"]),
                                                         tuple(SourceRef(s["doc"], s["start"], s["end"])
                                                               for s in x["spans"])) for x in o["forms"]))
                         for o in d["outlets"]))
