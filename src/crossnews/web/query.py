"""Queries over an :class:`~crossnews.records.Analysis` for the web app: stories, a part of an analysis, and search
("what did Lavrov say about the referendum?" by entity, words and date range).

Everything here reads records only; the web app gets the analysis from the store (``Store.analysis``).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from crossnews.core.records import Analysis, Entity, Statement
from crossnews.core.unionfind import UnionFind
from crossnews.report.dossier import part

__all__ = ["Story", "stories", "sub_analysis", "Query", "parse_question", "search", "statement_date"]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
STOPWORDS = frozenset("""
a about according after again against all also an and any are as at be been before being between both but by can
could did do does doing during each for from had has have having he her here hers him his how i if in into is it its
just me more most my no nor not of on once only or other our out over own said say says saying same she should so
some such tell telling tells than that the their them then there these they this those through to told too under
until up very was we were what when where which while who whom why will with would you your talk talked talking
speak spoke think thought claim claimed statement statements
""".split())


@dataclass(frozen=True, slots=True)
class Story:
    """Documents telling one story: linked by relations (between documents that name someone or somewhere in
    common), by shared timeline events or by a shared named speaker."""

    id: str
    documents: tuple[str, ...]
    title: str
    outlets: tuple[str, ...]
    dates: tuple[str, str] | None
    statements: int
    contradictions: int


def _doc_of(item: str, statements: dict[str, Statement], docs: set[str]) -> str | None:
    if item in statements:
        return statements[item].doc
    if item.startswith("tl-") and ":" in item:
        doc = item.split(":", 1)[1]
        return doc if doc in docs else None
    return item if item in docs else None


def stories(analysis: Analysis) -> list[Story]:
    """Group the documents into stories (connected components), most documents first."""
    docs = {d.id for d in analysis.documents}
    uf = UnionFind(docs)
    find, union = uf.find, uf.union

    by_id = {s.id: s for s in analysis.statements}
    named: dict[str, set[str]] = defaultdict(set)  # document -> the named people, bodies and places in it
    for e in analysis.entities:
        if e.type in ("PERSON", "ORG", "GPE", "LOC"):
            for m in e.mentions:
                named[m.doc].add(e.id)
    for r in analysis.relations:
        if r.type in ("unrelated", "omits"):  # an omission links a document to one that does not tell it
            continue
        a, b = _doc_of(r.a, by_id, docs), _doc_of(r.b, by_id, docs)
        if a and b and named[a] & named[b]:  # a resemblance alone does not make two reports one story
            union(a, b)
    for t in analysis.timeline:
        srcs = [s.doc for s in t.sources if s.doc in docs]
        for other in srcs[1:]:
            union(srcs[0], other)
    types = {e.id: e.type for e in analysis.entities}
    speakers: dict[str, set[str]] = defaultdict(set)
    for s in analysis.statements:
        if s.speaker.entity and types.get(s.speaker.entity) == "PERSON" and s.doc in docs:
            speakers[s.speaker.entity].add(s.doc)
    for group in speakers.values():
        lead, *rest = sorted(group)
        for other in rest:
            union(lead, other)
    members: dict[str, list[str]] = defaultdict(list)
    for d in analysis.documents:
        members[find(d.id)].append(d.id)
    by_doc = {d.id: d for d in analysis.documents}
    out = []
    for ids in members.values():
        ids_set = set(ids)
        ordered = sorted(ids, key=lambda i: (by_doc[i].published or "~", i))
        dates = sorted(str(by_doc[i].published)[:10] for i in ids if by_doc[i].published)
        head = by_doc[ordered[0]]
        contradictions = sum(1 for r in analysis.relations if r.type == "contradicts"
                             and _doc_of(r.a, by_id, docs) in ids_set)
        out.append(Story(
            id="story-" + hashlib.sha1("\n".join(sorted(ids)).encode("utf-8", "surrogatepass")).hexdigest()[:10],
            documents=tuple(ordered),
            title=head.title or head.id,
            outlets=tuple(sorted({by_doc[i].outlet or "unknown outlet" for i in ids})),
            dates=(dates[0], dates[-1]) if dates else None,
            statements=sum(1 for s in analysis.statements if s.doc in ids_set),
            contradictions=contradictions,
        ))
    out.sort(key=lambda s: (-len(s.documents), s.dates or ("~",), s.id))
    return out


def sub_analysis(analysis: Analysis, doc_ids: set[str] | frozenset[str]) -> Analysis:
    """The part of ``analysis`` about these documents, as the dossier draws one story (entities keep only their
    mentions there; relations, claim chains, naming and technique spans between or in them), as one story."""
    return replace(part(analysis, set(doc_ids)), stories=(), rejected=())


@dataclass(frozen=True, slots=True)
class Query:
    """A search: speakers (entity ids), words that must appear in what was said, and a date range (ISO dates)."""

    entities: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    text: str = ""


def _norm(word: str) -> str:
    w = word.lower().replace("’", "'")
    for suffix in ("'s", "ing", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w


def _name_keys(e: Entity) -> set[str]:
    keys = set()
    for name in (e.name, *e.aliases):
        low = name.lower()
        keys.add(low)
        if e.type == "PERSON":
            parts = [p for p in low.split() if len(p) > 2]
            if parts:
                keys.add(parts[-1])  # a surname alone names the person
    return keys


def parse_question(analysis: Analysis, text: str, *, entity: str | None = None, date_from: str | None = None,
                   date_to: str | None = None) -> Query:
    """Read "what did Lavrov say about the referendum?": names of speakers become entities, the other content
    words must appear in what was said. ``entity`` (an id or a name) adds a speaker."""
    speaking = {s.speaker.entity for s in analysis.statements if s.speaker.entity}
    entities = [e for e in analysis.entities if e.id in speaking]
    found: list[str] = []
    low = " " + " ".join(_WORD.findall(text.lower().replace("’", "'"))) + " "
    used: set[str] = set()
    for e in sorted(entities, key=lambda e: -max(len(k) for k in _name_keys(e))):
        for key in sorted(_name_keys(e), key=len, reverse=True):
            phrase = " " + " ".join(_WORD.findall(key)) + " "
            if phrase.strip() and phrase in low:
                if e.id not in found:
                    found.append(e.id)
                used.update(phrase.split())
                break
    if entity:
        wanted = entity.strip().lower()
        for e in entities:
            if e.id.lower() == wanted or wanted in _name_keys(e):
                if e.id not in found:
                    found.append(e.id)
                break
        else:
            found.append(entity.strip())  # an unknown id matches nothing: say so rather than widen the search
    words = []
    for w in _WORD.findall(text):
        lw = w.lower()
        if lw in STOPWORDS or lw in used or len(lw) < 2:
            continue
        if _norm(lw) not in words:
            words.append(_norm(lw))
    return Query(tuple(found), tuple(words), date_from or None, date_to or None, text)


def statement_date(analysis: Analysis) -> dict[str, str]:
    """Each statement's date: its timeline entry's when it has one, else its document's publication date."""
    out: dict[str, str] = {}
    for t in analysis.timeline:
        for sid in t.statements:
            out.setdefault(sid, t.date)
    published = {d.id: d.published for d in analysis.documents}
    for s in analysis.statements:
        if s.id not in out and published.get(s.doc):
            out[s.id] = str(published[s.doc])
    return out


def _in_range(date: str | None, start: str | None, end: str | None) -> bool:
    if not start and not end:
        return True
    if not date or not date[:4].isdigit():
        return False
    day = date[:10]
    return (not start or day >= start[: len(day)]) and (not end or day[: len(end)] <= end)


def search(analysis: Analysis, query: Query, *, limit: int | None = 200) -> list[dict[str, Any]]:
    """Statements matching a query, best first: said by one of its entities (when given), containing its words
    (all of them rank first; at least one is needed), within its date range; the first ``limit`` (None: all)."""
    docs = {d.id: d for d in analysis.documents}
    dates = statement_date(analysis)
    names = {e.id: e.name for e in analysis.entities}
    wanted = set(query.entities)
    hits: list[dict[str, Any]] = []
    for s in analysis.statements:
        doc = docs.get(s.doc)
        if doc is None:
            continue
        if wanted and s.speaker.entity not in wanted:
            continue
        if not _in_range(dates.get(s.id), query.date_from, query.date_to):
            continue
        content = s.content.text_of(doc.text)
        tokens = {_norm(w) for w in _WORD.findall(content)}
        matched = [w for w in query.words if w in tokens or any(t.startswith(w) for t in tokens if len(w) >= 5)]
        if query.words and not matched:
            continue
        hits.append({
            "statement": s.id,
            "doc": s.doc,
            "outlet": doc.outlet,
            "title": doc.title,
            "date": dates.get(s.id),
            "speaker": names.get(s.speaker.entity or "") or s.speaker.description
            or (s.speaker.span.text_of(doc.text) if s.speaker.span else None),
            "speaker_entity": s.speaker.entity,
            "hand": "second-hand" if s.nested_in else "first-hand",
            "cue": s.cue.span.text_of(doc.text) if s.cue else None,
            "content": {"text": content, "start": s.content.start, "end": s.content.end},
            "matched": matched,
            "score": len(matched) / len(query.words) if query.words else 1.0,
        })
    hits.sort(key=lambda h: (-float(h["score"]), str(h["date"] or "~"), str(h["doc"]), int(h["content"]["start"])))
    return hits if limit is None else hits[:limit]
