"""Stage — report: the dossier, one self-contained HTML file (no external requests; prints cleanly).

Entry functions: :func:`write_dossier` and :func:`render_dossier`; :func:`dossier_context` builds the views that the
dossier and the web app (:mod:`crossnews.web`) both draw. The dossier leads with what a reader came for:

* **the header**: the story (or the stories), its outlets and its dates, in a few lines;
* **findings**: contradictions, then quote chains, then retellings; each card shows both claims' words (with the
  words the judge rests on marked) beside who said them, in which outlet and when, the judge's reasons in words and
  a link to each claim in its document's text; "agrees" and "adds" are folded away, omissions are a count;
* **at a glance**: outlets with country and ownership (``data/outlets.json``), dates, statements, relations found;
* **the cast**: each person or organisation with their roles (each title once, with how often and where it is
  given) and everything they are reported to have said, the attribution chain drawn out ("Press TV ← State Dept
  official ← Kerry");
* **side by side**: statements aligned across outlets (the relations) in one column per document, contradictions and
  omissions highlighted, with the judge's evidence;
* **the timeline**, drawn as inline SVG, each event linked to its sources;
* **the texts**, furniture greyed out and every extracted span highlighted (statements' speaker, cue and content, time
  expressions, entity mentions, events, evidence); every item in the views links to its span by an anchor.

The long sections (side by side, timeline, all statements, each text) are folded (``<details>``), so that a story of
twenty documents reads in a few screens; a link into a folded text opens it (browsers open a ``<details>`` that holds
the fragment's target), no script needed. When the analysis holds several stories (``Analysis.stories``), each story
is a section of its own with its findings and views, and the texts follow, grouped by story.

Article text and metadata are untrusted: the templates autoescape everything, the views never build markup, and the
page carries a Content-Security-Policy that forbids scripts and remote resources.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from crossnews.clean.metadata import find_outlet
from crossnews.core.records import Analysis, Document, Entity, Relation, Role, Statement, TimelineEntry
from crossnews.core.registry import register
from crossnews.core.unionfind import UnionFind

__all__ = ["render_dossier", "write_dossier", "dossier_context", "dossier_page", "template_env", "doc_key", "part",
           "Link"]

#: ``link(doc_id, anchor)`` → the href of an anchor in a document's highlighted text. In the dossier every text is
#: on the page (``#anchor``); the web app points at the document's page.
Link = Callable[[str, str], str]

RELATION_LABELS = {
    "same": "same words", "agrees": "agrees", "adds": "adds to", "contradicts": "contradicts",
    "unrelated": "unrelated", "omits": "leaves out", "quotes": "quotes", "retells": "retells",
}
PALETTE = ("#3b4a9c", "#b3261e", "#2e6b3a", "#8a5a00", "#6b5b9c", "#1d7a8c", "#9c3b78", "#55606e")
_ALIGNING = {"same", "agrees", "adds", "contradicts", "quotes", "retells"}


def _local_link(doc_id: str, anchor: str) -> str:
    return f"#{anchor}"


def doc_key(doc_id: str) -> str:
    """A short, URL- and CSS-safe key for a document id (ids come from input and may hold any character)."""
    return hashlib.sha1(doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def _safe(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", s)


def span_anchor(prefix: str, doc_id: str, start: int, end: int) -> str:
    return f"{prefix}-{doc_key(doc_id)}-{start}-{end}"


# -- the highlighted text -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mark:
    start: int
    end: int
    cls: str
    anchor: str = ""
    title: str = ""
    rank: int = 5  # among marks with the same extent, the lower rank is outside


@dataclass(frozen=True, slots=True)
class Token:
    """One piece of a highlighted text: ``open`` a span (with its classes, anchor and title), ``text``, ``close``."""

    kind: str
    text: str = ""
    cls: str = ""
    anchor: str = ""
    title: str = ""
    start: int = 0
    end: int = 0


def highlight(text: str, marks: Iterable[Mark]) -> list[Token]:
    """Cut ``text`` into well-nested tokens: every mark becomes one element (with its anchor), split into pieces
    where it crosses another; the text tokens concatenate to ``text`` exactly."""
    valid = sorted({m for m in marks if 0 <= m.start < m.end <= len(text)}, key=lambda m: (m.start, -m.end, m.rank))
    starts: dict[int, list[Mark]] = defaultdict(list)
    for m in valid:
        starts[m.start].append(m)
    points = sorted({0, len(text)} | {m.start for m in valid} | {m.end for m in valid})
    out: list[Token] = []
    stack: list[Mark] = []

    def open_(m: Mark, first: bool, at: int) -> None:
        out.append(Token("open", cls=m.cls, anchor=m.anchor if first else "", title=m.title, start=at, end=m.end))

    for i, p in enumerate(points):
        ending = [m for m in stack if m.end <= p]
        if ending:  # close down to the deepest ending mark, then reopen the ones that go on
            depth = min(stack.index(m) for m in ending)
            reopen = [m for m in stack[depth:] if m.end > p]
            for _ in stack[depth:]:
                out.append(Token("close"))
            del stack[depth:]
            for m in reopen:
                open_(m, False, p)
                stack.append(m)
        for m in starts.get(p, []):
            open_(m, True, p)
            stack.append(m)
        if i + 1 < len(points) and points[i + 1] > p:
            out.append(Token("text", text=text[p:points[i + 1]]))
    out.extend(Token("close") for _ in stack)
    return out


def _evidence_spans(rel: Relation, docs: dict[str, Document]) -> list[tuple[str, str, int, int, str]]:
    """(side, doc id, start, end, text) for every evidence span of a relation that lies inside its document."""
    ev = dict(rel.evidence)
    out = []
    spans = ev.get("spans")
    for side in ("a", "b"):
        meta = ev.get(side)
        doc_id = meta.get("doc") if isinstance(meta, dict) else None
        items = spans.get(side) if isinstance(spans, dict) else None
        if not isinstance(doc_id, str) or doc_id not in docs or not isinstance(items, list):
            continue
        text = docs[doc_id].text
        for item in items:
            if not isinstance(item, dict):
                continue
            start, end = item.get("start"), item.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
                out.append((side, doc_id, start, end, text[start:end]))
    if rel.type == "quotes":  # a quotation's evidence is the quoted words on each side
        for side in ("a", "b"):
            meta = ev.get(side)
            if not isinstance(meta, dict) or any(s[0] == side for s in out):
                continue
            doc_id, start, end = meta.get("doc"), meta.get("start"), meta.get("end")
            if (isinstance(doc_id, str) and doc_id in docs and isinstance(start, int) and isinstance(end, int)
                    and 0 <= start < end <= len(docs[doc_id].text)):
                out.append((side, doc_id, start, end, docs[doc_id].text[start:end]))
    return out


def _doc_marks(doc: Document, analysis: Analysis, names: dict[str, str], evidence: list[Mark]) -> list[Mark]:
    text = doc.text
    marks: list[Mark] = []
    for r in doc.removed:
        cls = "metadata" if r.reason.startswith("metadata:") else "furniture"
        marks.append(Mark(r.start, r.end, cls, title=f"{r.reason}: {r.detail}".strip(": "), rank=0))
    marks.append(Mark(0, doc.body.start, "outside", title="outside the article body", rank=0))
    marks.append(Mark(doc.body.end, len(text), "outside", title="outside the article body", rank=0))
    for st in analysis.statements:
        if st.doc != doc.id:
            continue
        who = names.get(st.speaker.entity or "") or st.speaker.description or "unknown speaker"
        pieces = [st.content] + ([st.speaker.span] if st.speaker.span else []) + ([st.cue.span] if st.cue else [])
        a, b = min(p.start for p in pieces), max(p.end for p in pieces)
        marks.append(Mark(a, b, "attribution", f"st-{_safe(st.id)}", f"statement by {who}", rank=1))
        marks.append(Mark(st.content.start, st.content.end, "content", f"st-text-{_safe(st.id)}",
                          f"what {who} said ({st.kind})", rank=2))
        if st.speaker.span:
            marks.append(Mark(st.speaker.span.start, st.speaker.span.end, "speaker", f"st-spk-{_safe(st.id)}",
                              f"speaker: {who}", rank=3))
        if st.cue:
            marks.append(Mark(st.cue.span.start, st.cue.span.end, "cue", f"st-cue-{_safe(st.id)}",
                              f"cue: {st.cue.lemma}", rank=3))
    for tx in analysis.times:
        if tx.doc == doc.id:
            marks.append(Mark(tx.start, tx.end, "time", span_anchor("tx", doc.id, tx.start, tx.end),
                              f"time {tx.type}: {tx.value}", rank=6))
    for e in analysis.entities:
        for mn in e.mentions:
            if mn.doc == doc.id:
                marks.append(Mark(mn.start, mn.end, f"mention ent-{_safe(e.type)}",
                                  span_anchor("mn", doc.id, mn.start, mn.end), f"{e.type.lower()}: {e.name}", rank=7))
    for t in analysis.timeline:
        for s in t.sources:
            if s.doc == doc.id:
                marks.append(Mark(s.start, s.end, "event", span_anchor("src", doc.id, s.start, s.end),
                                  f"timeline {t.date}: {t.label}", rank=4))
    for tq in analysis.techniques:
        if tq.doc == doc.id:
            marks.append(Mark(tq.start, tq.end, f"technique tq-{_safe(tq.technique)}",
                              span_anchor("tq", doc.id, tq.start, tq.end),
                              f"technique: {technique_label(tq.technique)} (score {tq.score:.2f})", rank=9))
    for fr in analysis.framing:
        for o in fr.outlets:
            for form in o.forms:
                if not form.markers:
                    continue
                for src in form.spans:
                    if src.doc == doc.id:
                        marks.append(Mark(src.start, src.end, "naming", span_anchor("nm", doc.id, src.start, src.end),
                                          f"naming of {fr.label}: {', '.join(form.markers)}", rank=10))
    marks.extend(evidence)
    unique: dict[str, Mark] = {}
    rest = []
    for m in marks:
        if m.anchor:
            unique.setdefault(m.anchor, m)
        else:
            rest.append(m)
    return rest + list(unique.values())


# -- the views ------------------------------------------------------------------------------------------------------


@dataclass
class _Index:
    analysis: Analysis
    link: Link
    docs: dict[str, Document] = field(default_factory=dict)
    statements: dict[str, Statement] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    st_dates: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        a = self.analysis
        self.docs = {d.id: d for d in a.documents}
        self.statements = {s.id: s for s in a.statements}
        self.names = {e.id: e.name for e in a.entities}
        self.types = {e.id: e.type for e in a.entities}
        for t in a.timeline:
            for sid in t.statements:
                self.st_dates.setdefault(sid, t.date)

    def outlet(self, doc_id: str) -> str:
        doc = self.docs.get(doc_id)
        return (doc.outlet if doc else None) or (doc.title if doc else None) or doc_id

    def speaker(self, st: Statement) -> str:
        name = self.names.get(st.speaker.entity or "")
        if name:
            return name
        if st.speaker.description:
            return st.speaker.description
        doc = self.docs.get(st.doc)
        if st.speaker.span and doc:
            return st.speaker.span.text_of(doc.text)
        return "unknown speaker"

    def chain(self, st: Statement) -> list[str]:
        """The attribution chain from the outlet to the speaker: ["Press TV", "State Dept official", "Kerry"]."""
        speakers = [self.speaker(st)]
        seen = {st.id}
        outer = st.nested_in
        while outer and outer in self.statements and outer not in seen:
            seen.add(outer)
            speakers.append(self.speaker(self.statements[outer]))
            outer = self.statements[outer].nested_in
        return [self.outlet(st.doc), *reversed(speakers)]

    def statement(self, st: Statement, limit: int = 320) -> dict[str, Any]:
        doc = self.docs.get(st.doc)
        text = doc.text if doc else ""
        content = st.content.text_of(text)
        return {
            "id": st.id,
            "doc": st.doc,
            "doc_title": (doc.title if doc else None) or st.doc,
            "outlet": self.outlet(st.doc),
            "published": doc.published if doc else None,
            "date": self.st_dates.get(st.id) or (doc.published[:10] if doc and doc.published else None),
            "speaker": self.speaker(st),
            "speaker_entity": st.speaker.entity,
            "speaker_text": st.speaker.span.text_of(text) if st.speaker.span else None,
            "anonymous": st.speaker.anonymous,
            "cue": st.cue.span.text_of(text) if st.cue else None,
            "content": content if len(content) <= limit else content[: limit - 1].rstrip() + "…",
            "kind": st.kind,
            "channel": st.channel,
            "hand": "second-hand" if st.nested_in else "first-hand",
            "chain": self.chain(st),
            "nested_in": st.nested_in,
            "href": self.link(st.doc, f"st-{_safe(st.id)}"),
            "text_href": self.link(st.doc, f"st-text-{_safe(st.id)}"),
            "start": st.content.start,
            "end": st.content.end,
        }


def _glance(ix: _Index) -> dict[str, Any]:
    a = ix.analysis
    by_outlet: dict[str, list[Document]] = defaultdict(list)
    for d in a.documents:
        by_outlet[d.outlet or "unknown outlet"].append(d)
    said = Counter(s.doc for s in a.statements)
    outlets = []
    for name, docs in sorted(by_outlet.items(), key=lambda kv: kv[0].lower()):
        known = find_outlet(name) if name != "unknown outlet" else None
        dates = sorted(d.published[:10] for d in docs if d.published)
        outlets.append({
            "name": name,
            "country": known.country if known else None,
            "ownership": known.ownership if known else None,
            "documents": [{"id": d.id, "title": d.title or d.id, "published": d.published,
                           "href": ix.link(d.id, f"doc-{d.id}"), "republisher": d.republisher} for d in docs],
            "dates": (dates[0], dates[-1]) if dates else None,
            "statements": sum(said[d.id] for d in docs),
        })
    relations = Counter(r.type for r in a.relations)
    dates = sorted(d.published for d in a.documents if d.published and d.published[:1].isdigit())
    return {
        "outlets": outlets,
        "documents": len(a.documents),
        "statements": len(a.statements),
        "speakers": len({s.speaker.entity for s in a.statements if s.speaker.entity}),
        "events": len(a.timeline),
        "relations": dict(sorted(relations.items())),
        "contradictions": relations.get("contradicts", 0),
        "omissions": relations.get("omits", 0),
        "rejected": len(a.rejected),
        "date_range": (dates[0][:10], dates[-1][:10]) if dates else None,
    }


def _roles(ix: _Index, e: Entity) -> list[dict[str, Any]]:
    """Each title given to someone once (letter case aside), with how many times it is given, by which outlets and
    when; the most often given first."""
    by_title: dict[str, list[Role]] = defaultdict(list)
    shown: dict[str, str] = {}
    for r in e.roles:
        key = " ".join(r.title.split()).casefold()
        if not key:
            continue
        by_title[key].append(r)
        shown.setdefault(key, " ".join(r.title.split()))
    out: list[dict[str, Any]] = []
    for key, roles in by_title.items():
        dates = sorted(r.date[:10] for r in roles if r.date)
        out.append({"title": shown[key], "count": len(roles),
                    "outlets": sorted({ix.outlet(r.doc) for r in roles}, key=str.lower),
                    "dates": (dates[0], dates[-1]) if dates else None})
    out.sort(key=lambda r: (-int(r["count"]), str(r["title"]).lower()))
    return out


def _named_in(ix: _Index, e: Entity) -> list[dict[str, Any]]:
    """The documents naming someone, in order of publication: outlet, date, how many times, a link to the first."""
    first: dict[str, tuple[int, int]] = {}
    times: Counter[str] = Counter()
    for m in e.mentions:
        times[m.doc] += 1
        if m.doc not in first or m.start < first[m.doc][0]:
            first[m.doc] = (m.start, m.end)
    out = []
    for doc_id, (start, end) in first.items():
        doc = ix.docs.get(doc_id)
        out.append({"outlet": ix.outlet(doc_id), "published": doc.published[:10] if doc and doc.published else None,
                    "times": times[doc_id], "href": ix.link(doc_id, span_anchor("mn", doc_id, start, end))})
    out.sort(key=lambda d: (str(d["published"] or "~"), str(d["outlet"]).lower()))
    return out


def _cast(ix: _Index, limit: int | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(speakers with everything they said, others mentioned): people and organisations, and anyone who speaks."""
    a = ix.analysis
    said: dict[str, list[Statement]] = defaultdict(list)
    for s in a.statements:
        if s.speaker.entity:
            said[s.speaker.entity].append(s)
    speakers: list[dict[str, Any]] = []
    mentioned: list[dict[str, Any]] = []
    for e in a.entities:
        first = e.mentions[0] if e.mentions else None
        base = {
            "id": e.id, "name": e.name, "type": e.type, "aliases": list(e.aliases),
            "roles": _roles(ix, e),
            "documents": len({m.doc for m in e.mentions}),
            "named": len(e.mentions),
            "mentions": [{"href": ix.link(m.doc, span_anchor("mn", m.doc, m.start, m.end)),
                          "outlet": ix.outlet(m.doc)} for m in e.mentions[:12]],
            "named_in": _named_in(ix, e),
            "href": ix.link(first.doc, span_anchor("mn", first.doc, first.start, first.end)) if first else None,
        }
        if e.id in said:
            views = [ix.statement(s) for s in said[e.id]]
            views.sort(key=lambda v: (v["date"] or "9999", v["outlet"], v["start"]))
            speakers.append({**base, "statements": views,
                             "outlets": sorted({v["outlet"] for v in views}),
                             "first_hand": sum(v["hand"] == "first-hand" for v in views)})
        elif e.type in ("PERSON", "ORG"):
            mentioned.append(base)
    speakers.sort(key=lambda e: (e["type"] == "ANONYMOUS", -len(e["statements"]), -int(e["documents"]), str(e["name"])))
    mentioned.sort(key=lambda e: (-int(e["documents"]), -len(e["mentions"]), str(e["name"])))
    if limit is not None:
        speakers, mentioned = speakers[:limit], mentioned[:limit]
    return speakers, mentioned


def _resolve(ix: _Index, item: str) -> dict[str, Any] | None:
    """A relation's side: a statement, an event in one document ("tl-<id>:<doc id>"), or a document."""
    if item in ix.statements:
        st = ix.statements[item]
        return {"kind": "statement", "doc": st.doc, "outlet": ix.outlet(st.doc), "statement": ix.statement(st),
                "href": ix.link(
            st.doc, f"st-{_safe(st.id)}")}
    if item.startswith("tl-") and ":" in item:
        tl_id, doc_id = item.split(":", 1)
        entry = next((t for t in ix.analysis.timeline if t.id == tl_id), None)
        if entry is not None and doc_id in ix.docs:
            src = next((s for s in entry.sources if s.doc == doc_id), None)
            href = ix.link(doc_id, span_anchor("src", doc_id, src.start, src.end)) if src else ix.link(
                doc_id, f"doc-{doc_id}")
            return {"kind": "event", "doc": doc_id, "outlet": ix.outlet(doc_id), "date": entry.date,
                    "label": entry.label, "href": href, "timeline": f"tl-{_safe(entry.id)}"}
    if item in ix.docs:
        return {"kind": "document", "doc": item, "outlet": ix.outlet(item), "href": ix.link(item, f"doc-{item}")}
    return None


def _side_json(value: Any) -> dict[str, Any]:
    """An evidence side ({"doc", "start", "text", "chain", ...}) reduced to strings and plain values."""
    if not isinstance(value, dict):
        return {}
    out: dict[str, Any] = {}
    for key in ("text", "speaker", "date", "reported", "channel", "hand", "outlet"):
        if isinstance(value.get(key), str | int | float):
            out[key] = str(value[key])
    chain = value.get("chain")
    if isinstance(chain, list | tuple):
        out["chain"] = [str(x) for x in chain]
    if isinstance(value.get("public"), bool):
        out["public"] = value["public"]
    setting = value.get("setting")
    if isinstance(setting, dict) and isinstance(setting.get("text"), str):
        out["setting"] = setting["text"]
    elif isinstance(setting, str):
        out["setting"] = setting
    return out


def _plain(value: Any) -> str | None:
    """A scalar, or a list of scalars, as text; None for anything else."""
    if isinstance(value, str | int | float | bool):
        return str(value)
    if isinstance(value, list | tuple) and all(isinstance(x, str | int | float) for x in value):
        return ", ".join(str(x) for x in value)
    return None


def _relation_view(ix: _Index, rel: Relation) -> dict[str, Any]:
    ev = dict(rel.evidence)
    spans = [{"side": side, "text": text, "href": ix.link(doc_id, f"ev-{_safe(rel.id)}-{side}-{start}-{end}")}
             for side, doc_id, start, end, text in _evidence_spans(rel, ix.docs)]
    reasons = ev.get("reasons")
    fidelity = ev.get("fidelity") if isinstance(ev.get("fidelity"), dict) else None
    fid: dict[str, Any] | None = None
    if fidelity is not None:
        changed = fidelity.get("changed")
        left_out = fidelity.get("left_out")
        fid = {
            "kind": str(fidelity.get("kind", "")),
            "changed": [[str(x) for x in pair] for pair in changed if isinstance(pair, list | tuple)]
            if isinstance(changed, list) else [],
            "left_out": [str(x) for x in left_out] if isinstance(left_out, list) else [],
        }
    missing = ev.get("missing_from")
    present = ev.get("present_in")
    known = {"a", "b", "spans", "reasons", "fidelity", "present_in", "missing_from"}
    return {
        "id": rel.id,
        "type": rel.type,
        "label": RELATION_LABELS.get(rel.type, rel.type),
        "judge": rel.judge,
        "score": rel.score,
        "a": _resolve(ix, rel.a),
        "b": _resolve(ix, rel.b),
        "a_id": rel.a,
        "b_id": rel.b,
        "ev_a": _side_json(ev.get("a")),
        "ev_b": _side_json(ev.get("b")),
        "spans_a": [s for s in spans if s["side"] == "a"],
        "spans_b": [s for s in spans if s["side"] == "b"],
        "reasons": [str(r) for r in reasons] if isinstance(reasons, list) else ([str(reasons)] if reasons else []),
        "fidelity": fid,
        "missing_from": ix.outlet(missing) if isinstance(missing, str) else None,
        "present_in": [ix.outlet(str(p)) for p in present] if isinstance(present, list) else [],
        "other": {str(k): text[:400] for k, v in ev.items() if k not in known and (text := _plain(v)) is not None},
    }


# -- findings: contradictions, quote chains, retellings -------------------------------------------------------------

#: the relations a reader came for, in the order the dossier shows them
FINDING_KINDS = (("contradicts", "Contradictions", "contradiction"), ("quotes", "Quote chains", "quote chain"),
                 ("retells", "Retellings", "retelling"))
#: relations folded away under the findings (a count and the cards, closed)
FOLDED = ("same", "agrees", "adds")
#: cards of one kind shown open; the rest are folded under them
FINDINGS_SHOWN = 6
CLAIM_LIMIT = 420
_OPENING = "\"“„«"
_CLOSING = "\"”«»"
_SPEAKERLESS = {"DESC", "ANONYMOUS"}


def _item_doc(ix: _Index, item: str) -> str | None:
    """The document a relation's side lies in: a statement's, an event's ("tl-<id>:<doc id>"), or a document."""
    if item in ix.statements:
        return ix.statements[item].doc
    if item.startswith("tl-") and ":" in item:
        doc_id = item.split(":", 1)[1]
        return doc_id if doc_id in ix.docs else None
    return item if item in ix.docs else None


def _words(text: str, start: int, end: int, marks: list[tuple[int, int, str]]) -> list[dict[str, Any]]:
    """The words of ``text[start:end]`` as pieces ``{"text", "href"}``, a piece with an href being evidence (a
    mark); quote marks around the words are kept, a long passage is cut around its first mark."""
    if start > 0 and text[start - 1] in _OPENING:
        start -= 1
    if end < len(text) and text[end] in _CLOSING:
        end += 1
    elif end + 1 < len(text) and text[end] in ",.;:!?" and text[end + 1] in _CLOSING and text[start] in _OPENING:
        end += 2
    inside = sorted((max(a, start), min(b, end), h) for a, b, h in marks if a < end and b > start)
    lead, tail = "", ""
    if end - start > CLAIM_LIMIT:
        focus = inside[0][0] if inside else start
        new_start = max(start, min(focus - CLAIM_LIMIT // 3, end - CLAIM_LIMIT))
        while new_start > start and not text[new_start - 1].isspace():
            new_start += 1
        new_end = min(end, new_start + CLAIM_LIMIT)
        while new_end < end and not text[new_end].isspace() and new_end > new_start + CLAIM_LIMIT // 2:
            new_end -= 1
        lead, tail = ("…" if new_start > start else ""), ("…" if new_end < end else "")
        start, end = new_start, new_end
        inside = [(max(a, start), min(b, end), h) for a, b, h in inside if a < end and b > start]
    pieces: list[dict[str, Any]] = [{"text": lead, "href": None}] if lead else []
    at = start
    for a, b, href in inside:
        if a < at:  # overlapping marks: the first one wins
            a = at
        if a >= b:
            continue
        if a > at:
            pieces.append({"text": text[at:a], "href": None})
        pieces.append({"text": text[a:b], "href": href})
        at = b
    if at < end:
        pieces.append({"text": text[at:end], "href": None})
    if tail:
        pieces.append({"text": tail, "href": None})
    return pieces


def _claim(ix: _Index, item: str, sides: list[tuple[Relation, str]]) -> dict[str, Any] | None:
    """One side of one or more relations, as a finding card shows it: who, where, when, the words (the evidence
    marked) and the link to them in the document's text."""
    marks: list[tuple[int, int, str]] = []
    meta: dict[str, Any] = {}
    for rel, side in sides:
        for s, doc_id, start, end, _ in _evidence_spans(rel, ix.docs):
            if s == side:
                marks.append((start, end, ix.link(doc_id, f"ev-{_safe(rel.id)}-{side}-{start}-{end}")))
        value = dict(rel.evidence).get(side)
        if isinstance(value, dict) and not meta:
            meta = value
    if item in ix.statements:
        st = ix.statements[item]
        doc = ix.docs.get(st.doc)
        if doc is None:
            return None
        pieces = st.parts or (st.content,)
        words: list[dict[str, Any]] = []
        for i, part in enumerate(pieces):
            if i:
                words.append({"text": " … ", "href": None})
            words.extend(_words(doc.text, part.start, part.end, marks))
        said = ix.st_dates.get(st.id) or (meta.get("date") if isinstance(meta.get("date"), str) else None)
        speaker_type = ix.types.get(st.speaker.entity or "")
        return {
            "kind": "statement", "item": item, "doc": st.doc, "speaker": ix.speaker(st),
            "named": bool(speaker_type) and speaker_type not in _SPEAKERLESS,
            "chain": ix.chain(st), "hand": "second-hand" if st.nested_in else "first-hand",
            "outlet": ix.outlet(st.doc), "published": doc.published[:10] if doc.published else None, "said": said,
            "cue": st.cue.span.text_of(doc.text) if st.cue else None, "words": words,
            "href": ix.link(st.doc, f"st-{_safe(st.id)}"), "sort": said or doc.published or "~",
        }
    view = _resolve(ix, item)
    if view is None:
        return None
    doc = ix.docs.get(view["doc"])
    if view["kind"] == "event":
        return {"kind": "event", "item": item, "doc": view["doc"], "speaker": f"event dated {view['date']}",
                "named": False, "chain": [], "hand": None, "outlet": view["outlet"],
                "published": doc.published[:10] if doc and doc.published else None, "said": view["date"],
                "cue": None, "words": [{"text": view["label"], "href": None}], "href": view["href"],
                "sort": view["date"] or "~"}
    # a document: the words a quotation was found in, where no statement holds them
    at, to = meta.get("start"), meta.get("end")
    if doc is None or not (isinstance(at, int) and isinstance(to, int) and 0 <= at < to <= len(doc.text)):
        return None
    return {"kind": "document", "item": item, "doc": doc.id, "speaker": "no speaker found in this text",
            "named": False, "chain": [ix.outlet(doc.id)], "hand": None, "outlet": ix.outlet(doc.id),
            "published": doc.published[:10] if doc.published else None, "said": None, "cue": None,
            "words": _words(doc.text, at, to, marks),
            "href": next((h for a, b, h in marks if a == at and b == to),
                         ix.link(doc.id, f"doc-{doc.id}")), "sort": doc.published or "~"}


def _why(ix: _Index, rel: Relation) -> dict[str, Any]:
    """The judge's reasons for a relation, in words: its reasons, the context of a contradiction, what a
    quotation changed, what a retelling dropped or added."""
    ev = dict(rel.evidence)
    reasons = ev.get("reasons")
    lines = [str(r) for r in reasons] if isinstance(reasons, list) else ([str(reasons)] if reasons else [])
    context = ev.get("time_context") if isinstance(ev.get("time_context"), str) else None
    changes: list[tuple[str, str]] = []
    fidelity = ev.get("fidelity")
    if isinstance(fidelity, dict):
        kind = fidelity.get("kind")
        if isinstance(kind, str) and kind:
            changes.append(("quotation", kind))
        for key, label in (("changed", "changed"), ("added", "words added"), ("dropped", "words dropped"),
                           ("left_out", "left out")):
            value = fidelity.get(key)
            if not isinstance(value, list) or not value:
                continue
            items = [" → ".join(f"“{x}”" for x in v) if isinstance(v, list | tuple) else f"“{v}”" for v in value
                     if isinstance(v, list | tuple | str | int | float)]
            if items:
                changes.append((label, ", ".join(items)))
    drift = ev.get("changes")
    if isinstance(drift, dict):
        when = [str(drift[k]) for k in ("from", "to") if isinstance(drift.get(k), str)]
        if len(when) == 2:
            changes.append(("when", f"{when[0]} → {when[1]}"))
        for key, label in (("dropped", "words dropped"), ("added", "words added")):
            value = drift.get(key)
            if isinstance(value, list) and value:
                changes.append((label, ", ".join(str(x) for x in value[:12]) + (" …" if len(value) > 12 else "")))
    a_doc, b_doc = _item_doc(ix, rel.a), _item_doc(ix, rel.b)
    return {
        "id": rel.id, "type": rel.type, "label": RELATION_LABELS.get(rel.type, rel.type),
        "a": ix.outlet(a_doc) if a_doc else rel.a, "b": ix.outlet(b_doc) if b_doc else rel.b,
        "reasons": lines, "context": context, "changes": changes, "judge": rel.judge, "score": rel.score,
    }


def _claim_key(c: dict[str, Any]) -> str:
    return "".join(w["text"] for w in c["words"]).strip(" “”\"«»,.")


def _card(ix: _Index, kind: str, rels: list[Relation]) -> dict[str, Any] | None:
    """A finding: the claims of one relation (a pair) or of a chain of them, earliest first, and why."""
    sides: dict[str, list[tuple[Relation, str]]] = defaultdict(list)
    for rel in rels:
        sides[rel.a].append((rel, "a"))
        sides[rel.b].append((rel, "b"))
    claims_all = [c for item, s in sides.items() if (c := _claim(ix, item, s)) is not None]
    # one passage held by two overlapping statements of one document (a quote and the report around it) is one claim
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for c in sorted(claims_all, key=lambda c: not c["named"]):
        seen.setdefault((c["doc"], _claim_key(c)), c)
    quoting = {r.a for r in rels} if kind == "quotes" else set()  # a quotation's source comes before it
    claims = sorted(seen.values(), key=lambda c: (c["item"] in quoting, str(c["sort"]), str(c["outlet"]).lower(),
                                                 c["item"]))
    if len(claims) < 2:
        return None
    n_of: dict[str, int] = {}
    for i, c in enumerate(claims):
        c["n"] = i + 1
        n_of[c["item"]] = i + 1
    for c in claims_all:  # a claim left out as a duplicate answers to the number of the one kept
        kept = seen.get((c["doc"], _claim_key(c)))
        if kept is not None:
            n_of.setdefault(c["item"], kept["n"])
    why = []
    said: set[tuple[Any, ...]] = set()
    for r in sorted(rels, key=lambda r: (-r.score, r.id)):
        w = _why(ix, r)
        w["steps"] = tuple(sorted((n_of.get(r.a, 0), n_of.get(r.b, 0))))
        key = (w["steps"], tuple(w["reasons"]), tuple(w["changes"]))
        if key not in said:  # two relations between the same claims for the same reason are said once
            said.add(key)
            why.append(w)
    named = [c["speaker"] for c in claims if c["named"]] or [c["speaker"] for c in claims]
    return {
        "id": f"finding-{_safe(rels[0].id)}", "type": kind, "label": RELATION_LABELS.get(kind, kind),
        "claims": claims, "why": why, "speakers": list(dict.fromkeys(named)),
        "outlets": list(dict.fromkeys(c["outlet"] for c in claims)),
        "score": max(r.score for r in rels), "pair": len(claims) == 2,
    }


def _drift(drift: dict[str, Any]) -> list[tuple[str, str]]:
    """What drifted along a chain's link, in words: the words changed, added and dropped, numbers, dates, who is
    credited."""
    out: list[tuple[str, str]] = []

    def quoted(items: Any) -> str:
        if not isinstance(items, list | tuple):
            return ""
        return ", ".join(" → ".join(f"“{x}”" for x in v) if isinstance(v, list | tuple) else f"“{v}”"
                         for v in items if isinstance(v, list | tuple | str | int | float))

    words = drift.get("words")
    if isinstance(words, dict):
        if words.get("kind") == "same words":
            out.append(("words", "the same"))
        for key, label in (("changed", "changed"), ("added", "words added"), ("dropped", "words dropped")):
            if text := quoted(words.get(key)):
                out.append((label, text))
    for key, label in (("numbers", "numbers"), ("dates", "dates")):
        value = drift.get(key)
        if isinstance(value, dict):
            before, after = (", ".join(str(x) for x in value.get(k) or ()) or "none" for k in ("before", "after"))
            out.append((label, f"{before} → {after}"))
    credited = drift.get("credited")
    if isinstance(credited, dict):
        chains = [credited.get(k) for k in ("chain_before", "chain_after")]
        if all(isinstance(c, list | tuple) and c for c in chains):
            before, after = (" ← ".join(str(x) for x in c) for c in chains if isinstance(c, list | tuple))
        else:
            before, after = (str(credited.get(k) or "nobody named") for k in ("before", "after"))
        out.append(("credited", f"{before} → {after}"))
    return out


def _genealogies(ix: _Index, rels: list[Relation]) -> list[dict[str, Any]]:
    """The claim chains of the analysis (``Analysis.chains``): one claim told across documents, its tellings in the
    order told, each link with what drifted. Cards as the findings draw them."""
    if not ix.analysis.chains:
        return []
    by_id = {r.id: r for r in rels}
    sides: dict[str, list[tuple[Relation, str]]] = defaultdict(list)
    for r in rels:
        sides[r.a].append((r, "a"))
        sides[r.b].append((r, "b"))
    cards = []
    for chain in ix.analysis.chains:
        claims: list[dict[str, Any]] = []
        n_of: dict[str, int] = {}
        for item in chain.members:
            c = _claim(ix, item, sides.get(item, []))
            if c is None:
                continue
            c["n"] = len(claims) + 1
            n_of[item] = c["n"]
            claims.append(c)
        if len({c["doc"] for c in claims}) < 2:
            continue
        why = []
        for link in chain.links:
            if link.a not in n_of or link.b not in n_of:
                continue
            rel = by_id.get(link.relation or "")
            dates = [d[:16].replace("T", " ") for d in (link.date_a, link.date_b) if d]
            na, nb = n_of[link.a], n_of[link.b]
            why.append({
                "id": f"{chain.id}-{na}-{nb}", "type": rel.type if rel else "chain",
                "label": RELATION_LABELS.get(rel.type, rel.type) if rel else "told again",
                "a": claims[na - 1]["outlet"], "b": claims[nb - 1]["outlet"],
                "reasons": [f"{RELATION_LABELS.get(rel.type, rel.type)} (judge {rel.judge or 'unknown'})" if rel
                            else "related through the other tellings"],
                "context": None if link.known else "which was told first is not known from the dates"
                + (f" ({' and '.join(dates)})" if dates else ""),
                "changes": _drift(dict(link.drift)), "judge": "", "score": 0.0, "steps": (na, nb),
            })
        named = [c["speaker"] for c in claims if c["named"]] or [c["speaker"] for c in claims]
        cards.append({
            "id": f"finding-{_safe(chain.id)}", "type": "chain", "label": "claim chain", "title": chain.label,
            "claims": claims, "why": why, "speakers": list(dict.fromkeys(named))[:4],
            "outlets": list(dict.fromkeys(c["outlet"] for c in claims)), "score": 0.0, "pair": False,
        })
    return cards


def _findings(ix: _Index, relations: Iterable[Relation] | None = None) -> dict[str, Any]:
    """Contradictions (one card per pair), quote chains and retellings (one card per chain: the claims linked by
    such relations, earliest first); agrees/adds folded; omissions counted."""
    rels = [r for r in (ix.analysis.relations if relations is None else relations) if r.type != "unrelated"]
    kinds = []
    for kind, title, one in FINDING_KINDS:
        of_kind = [r for r in rels if r.type == kind]
        groups: list[list[Relation]]
        if kind == "contradicts":
            groups = [[r] for r in of_kind]
        else:
            uf = UnionFind()
            for r in of_kind:
                uf.union(r.a, r.b)
            by_root: dict[str, list[Relation]] = defaultdict(list)
            for r in of_kind:
                by_root[uf.find(r.a)].append(r)
            groups = list(by_root.values())
        cards = [c for g in groups if (c := _card(ix, kind, g)) is not None]
        if kind == "contradicts":
            cards.sort(key=lambda c: (-float(c["score"]), str(c["claims"][0]["sort"]), c["id"]))
        else:
            cards.sort(key=lambda c: (-len(c["claims"]), str(c["claims"][0]["sort"]), c["id"]))
        kinds.append({"type": kind, "title": title, "one": one, "many": title.lower(), "count": len(cards),
                      "cards": cards[:FINDINGS_SHOWN], "more": cards[FINDINGS_SHOWN:], "relations": len(of_kind)})
    folded = [c for r in sorted((r for r in rels if r.type in FOLDED), key=lambda r: (FOLDED.index(r.type),
                                                                                          -r.score, r.id))
              if (c := _card(ix, r.type, [r])) is not None]
    counts = Counter(r.type for r in rels)
    return {
        "kinds": kinds,
        "chains": _genealogies(ix, rels) if relations is None else [],
        "found": sum(k["count"] for k in kinds),
        "folded": folded,
        "folded_counts": [(RELATION_LABELS.get(t, t), counts[t]) for t in FOLDED if counts[t]],
        "omits": counts.get("omits", 0),
        "other": sum(n for t, n in counts.items() if t not in {k[0] for k in FINDING_KINDS} | set(FOLDED)
                     | {"omits"}),
    }


# -- stories --------------------------------------------------------------------------------------------------------


def technique_label(name: str) -> str:
    """A technique label as a reader writes it ("Name_Calling,Labeling" → "name calling, labeling")."""
    return name.replace("_", " ").replace(",", ", ").replace("-", " ").lower()


def _marker_label(marker: str) -> str:
    kind, _, word = marker.partition(":")
    return f"{word} ({kind})" if word else kind.replace("-", " ")


def _naming(ix: _Index) -> dict[str, Any]:
    """The naming table: one row per referent (entity or concept) the story's outlets name differently, one column
    per outlet, each cell the outlet's wordings with counts and markers (loaded ones link to the text)."""
    a = ix.analysis
    outlets = sorted({o.outlet for f in a.framing for o in f.outlets}, key=str.lower)
    rows = []
    for f in a.framing:
        cells: dict[str, list[dict[str, Any]]] = {}
        for o in f.outlets:
            cells[o.outlet] = [{
                "form": x.form, "count": x.count, "markers": [_marker_label(m) for m in x.markers],
                "loaded": bool(x.markers),
                "href": ix.link(x.spans[0].doc, span_anchor("nm", x.spans[0].doc, x.spans[0].start, x.spans[0].end))
                if x.markers and x.spans and x.spans[0].doc in ix.docs else None,
            } for x in o.forms]
        rows.append({"id": f"fr-{_safe(f.id)}", "label": f.label, "kind": f.kind, "cells": cells})
    counts = Counter(t.technique for t in a.techniques)
    return {"columns": outlets, "rows": rows,
            "techniques": [(technique_label(k), n) for k, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]}


def _story_groups(analysis: Analysis) -> list[tuple[str, str, list[str]]]:
    """(id, label, document ids) of each story of ``analysis.stories``, each document in its first story only;
    documents in none make one group more. One group of every document when the analysis names no stories."""
    known = [d.id for d in analysis.documents]
    present = set(known)
    placed: set[str] = set()
    out: list[tuple[str, str, list[str]]] = []
    for story in analysis.stories:
        docs = [d for d in story.documents if d in present and d not in placed]
        if docs:
            placed.update(docs)
            out.append((story.id, story.label, docs))
    rest = [d for d in known if d not in placed]
    if rest:
        out.append(("story-other" if out else "story", "", rest))
    return out


def part(analysis: Analysis, doc_ids: set[str] | frozenset[str]) -> Analysis:
    """The part of ``analysis`` about these documents: relations between two of them, entities with their mentions
    and roles there, events with their sources there."""
    statements = tuple(s for s in analysis.statements if s.doc in doc_ids)
    st_doc = {s.id: s.doc for s in statements}

    def doc_of(item: str) -> str | None:
        if item in st_doc:
            return st_doc[item]
        if item.startswith("tl-") and ":" in item:
            return item.split(":", 1)[1]
        return item

    speakers = {s.speaker.entity for s in statements}
    entities = []
    for e in analysis.entities:
        mentions = tuple(m for m in e.mentions if m.doc in doc_ids)
        if mentions or e.id in speakers:
            entities.append(replace(e, mentions=mentions, roles=tuple(r for r in e.roles if r.doc in doc_ids)))
    timeline: list[TimelineEntry] = []
    for t in analysis.timeline:
        sources = tuple(s for s in t.sources if s.doc in doc_ids)
        said = tuple(x for x in t.statements if x in st_doc)
        if sources or said:
            timeline.append(replace(t, sources=sources, statements=said))
    return replace(
        analysis,
        # a claim chain belongs to the story of its first telling
        chains=tuple(c for c in analysis.chains if c.members and doc_of(c.members[0]) in doc_ids),
        framing=tuple(f for f in analysis.framing if any(d in doc_ids for o in f.outlets for d in o.documents)),
        techniques=tuple(t for t in analysis.techniques if t.doc in doc_ids),
        documents=tuple(d for d in analysis.documents if d.id in doc_ids),
        entities=tuple(entities),
        statements=statements,
        times=tuple(t for t in analysis.times if t.doc in doc_ids),
        timeline=tuple(timeline),
        relations=tuple(r for r in analysis.relations if doc_of(r.a) in doc_ids and doc_of(r.b) in doc_ids),
    )


def _story_label(analysis: Analysis, label: str) -> str:
    """A story's label, or the headline of its earliest document."""
    if label:
        return label
    docs = sorted(analysis.documents, key=lambda d: (d.published or "~", d.id))
    return next((d.title for d in docs if d.title), docs[0].id if docs else "no documents")


def _story_head(ix: _Index, label: str) -> dict[str, Any]:
    """A story in a line: its label, documents, outlets and dates, and what was found."""
    a = ix.analysis
    dates = sorted(d.published[:10] for d in a.documents if d.published and d.published[:1].isdigit())
    counts = Counter(r.type for r in a.relations)
    return {
        "label": _story_label(a, label),
        "documents": len(a.documents),
        "outlets": sorted({ix.outlet(d.id) for d in a.documents}, key=str.lower),
        "dates": (dates[0], dates[-1]) if dates else None,
        "undated": sum(1 for d in a.documents if not (d.published and d.published[:1].isdigit())),
        "statements": len(a.statements),
        "contradictions": counts.get("contradicts", 0),
    }


def _side_by_side(ix: _Index) -> dict[str, Any]:
    """Groups of aligned items (connected by relations), one column per document, with the relations' evidence."""
    a = ix.analysis
    uf = UnionFind()
    find = uf.find
    rels = [r for r in a.relations if r.type != "unrelated"]
    for r in rels:
        if r.type in _ALIGNING:
            uf.union(r.a, r.b)
        else:
            find(r.a)
    groups: dict[str, list[Relation]] = defaultdict(list)
    for r in rels:
        groups[find(r.a)].append(r)
    members_of = uf.groups()
    doc_order = {d.id: i for i, d in enumerate(sorted(a.documents, key=lambda d: (d.published or "~", d.id)))}
    rows: list[dict[str, Any]] = []
    used_docs: set[str] = set()
    for root, members in groups.items():
        items = sorted(members_of[root])
        cells: dict[str, dict[str, Any]] = defaultdict(lambda: {"items": [], "omitted": False, "classes": set()})
        involved = {r.type: {r.a, r.b} for r in members}
        contra = {x for r in members if r.type == "contradicts" for x in (r.a, r.b)}
        for item in items:
            view = _resolve(ix, item)
            if view is None or view["kind"] == "document":
                continue
            view["contradicted"] = item in contra
            cells[view["doc"]]["items"].append(view)
            if item in contra:
                cells[view["doc"]]["classes"].add("contradicts")
        for r in members:
            if r.type == "omits":
                missing = dict(r.evidence).get("missing_from")
                doc_id = r.b if r.b in ix.docs else (missing if isinstance(missing, str) else None)
                if doc_id in ix.docs:
                    cells[doc_id]["omitted"] = True
                    cells[doc_id]["classes"].add("omits")
        if not cells:
            continue
        used_docs.update(cells)
        views = [_relation_view(ix, r) for r in members]
        types = Counter(r.type for r in members)
        item_dates = [str(v.get("date") or v.get("statement", {}).get("date") or "~")
                      for c in cells.values() for v in c["items"]]
        first_date = min(item_dates, default="~")
        rows.append({
            "id": f"sbs-{_safe(members[0].id)}",
            "cells": {k: {"items": v["items"], "omitted": v["omitted"], "classes": sorted(v["classes"])}
                      for k, v in cells.items()},
            "relations": views,
            "types": dict(types),
            "contradicts": "contradicts" in types,
            "omits": "omits" in types,
            "sort": (0 if "contradicts" in types else 1 if "omits" in types else 2, -len(cells), first_date),
            "involved": {k: sorted(v) for k, v in involved.items()},
        })
    rows.sort(key=lambda r: tuple(r["sort"]))
    columns = [{"id": d.id, "outlet": d.outlet or d.id, "title": d.title or d.id, "published": d.published,
                "href": ix.link(d.id, f"doc-{d.id}")}
               for d in sorted(a.documents, key=lambda d: doc_order[d.id]) if d.id in used_docs]
    return {"columns": columns, "rows": rows}


def _timeline(ix: _Index) -> dict[str, Any]:
    """The timeline drawn as SVG: one row per event, one lane per outlet, a dot per source linked to its span."""
    a = ix.analysis
    lanes = sorted({ix.outlet(s.doc) for t in a.timeline for s in t.sources}, key=str.lower)
    lane_x = {name: 176 + i * 26 for i, name in enumerate(lanes)}
    colour = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(lanes)}
    label_x = 176 + max(len(lanes), 1) * 26
    width = 1040
    chars = max(30, int((width - label_x - 12) / 6.6))
    row_h, top = 24, 92
    rows, y, year = [], top, None
    separators = []
    conflicts = {t.id for t in a.timeline if t.conflicts}
    for t in a.timeline:
        this_year = t.date[:4] if t.date[:4].isdigit() else "undated year"
        if this_year != year:
            if year is not None:
                y += 10
            separators.append({"y": y + 4, "label": this_year})
            y += row_h
            year = this_year
        dots = []
        per_lane: Counter[str] = Counter()
        for s in t.sources:
            lane = ix.outlet(s.doc)
            k = per_lane[lane]
            per_lane[lane] += 1
            dots.append({"x": lane_x[lane] + 6 * k, "outlet": lane, "colour": colour[lane], "href": ix.link(
                s.doc, span_anchor("src", s.doc, s.start, s.end))})
        label = t.label if len(t.label) <= chars else t.label[: chars - 1].rstrip() + "…"
        rows.append({"id": f"tl-{_safe(t.id)}", "date": t.date, "label": label, "full": t.label, "y": y,
                     "dots": dots, "conflict": t.id in conflicts,
                     "outlets": sorted(per_lane), "sources": len(t.sources),
                     "statements": [ix.link(ix.statements[s].doc, f"st-{_safe(s)}") for s in t.statements
                                    if s in ix.statements]})
        y += row_h
    return {"rows": rows, "lanes": [{"name": n, "x": x, "colour": colour[n]} for n, x in lane_x.items()],
            "separators": separators, "axis_x": 160,
            "width": width, "height": y + 12, "label_x": label_x, "top": top}


def _statement_table(ix: _Index) -> list[dict[str, Any]]:
    views = []
    for s in ix.analysis.statements:
        if s.doc not in ix.docs:
            continue
        v = ix.statement(s, limit=260)
        depth, outer = 0, s.nested_in
        while outer and outer in ix.statements and depth < 6:
            depth, outer = depth + 1, ix.statements[outer].nested_in
        v["depth"] = depth
        views.append(v)
    return views


def _documents(ix: _Index, only: set[str] | None = None) -> list[dict[str, Any]]:
    a = ix.analysis
    evidence: dict[str, list[Mark]] = defaultdict(list)
    for r in a.relations:
        for side, doc_id, start, end, _ in _evidence_spans(r, ix.docs):
            evidence[doc_id].append(Mark(start, end, f"evidence ev-{_safe(r.type)}", f"ev-{_safe(r.id)}-{side}-{start}-"
                                                                                     f"{end}",
                                         f"evidence: {RELATION_LABELS.get(r.type, r.type)}", rank=8))
    out = []
    for doc in a.documents:
        if only is not None and doc.id not in only:
            continue
        known = find_outlet(doc.outlet) if doc.outlet else None
        info = ", ".join(x for x in (known.country if known else None, known.ownership if known else None) if x)
        out.append({
            "id": doc.id,
            "key": doc_key(doc.id),
            "source": doc.source,
            "url": doc.url,
            "title": doc.title,
            "outlet": doc.outlet,
            "outlet_info": info,
            "republisher": doc.republisher,
            "dateline": doc.dateline,
            "author": doc.author,
            "published": doc.published,
            "published_evidence": doc.published_evidence,
            "language": doc.language,
            "statements": sum(1 for s in a.statements if s.doc == doc.id),
            "tokens": highlight(doc.text, _doc_marks(doc, a, ix.names, evidence.get(doc.id, []))),
        })
    return out


def dossier_context(analysis: Analysis, *, link: Link | None = None, texts: set[str] | None = None,
                    cast_limit: int | None = None) -> dict[str, Any]:
    """Everything the dossier template draws for one story. ``link`` makes the href of a span anchor in a document
    (default: on this page); ``texts`` limits which documents' highlighted texts are built (default: all)."""
    ix = _Index(analysis, link or _local_link)
    return {**_story_views(ix, "", cast_limit), "documents": _documents(ix, texts), "rejected": analysis.rejected}


def _story_views(ix: _Index, label: str, cast_limit: int | None = None, prefix: str = "") -> dict[str, Any]:
    speakers, mentioned = _cast(ix, cast_limit)
    return {
        "prefix": prefix,
        "head": _story_head(ix, label),
        "findings": _findings(ix),
        "glance": _glance(ix),
        "cast": speakers,
        "mentioned": mentioned,
        "side_by_side": _side_by_side(ix),
        "naming": _naming(ix),
        "timeline": _timeline(ix),
        "statements": _statement_table(ix),
    }


def dossier_page(analysis: Analysis) -> dict[str, Any]:
    """What the dossier page draws: a header (the story or stories, outlets, dates), then each story's findings
    and views (one story: the views of the whole analysis; several: a section per story, ids prefixed ``s1-``,
    ``s2-`` ...), relations between stories if any, and the texts grouped by story."""
    full = _Index(analysis, _local_link)
    groups = _story_groups(analysis)
    stories: list[dict[str, Any]] = []
    between: list[Relation] = []
    if len(groups) <= 1:
        stories.append({"id": groups[0][0] if groups else "story", "anchor": "findings",
                        **_story_views(full, groups[0][1] if groups else "")})
    else:
        story_of = {d: i for i, (_, _, docs) in enumerate(groups) for d in docs}
        for i, (story_id, label, docs) in enumerate(groups):
            ix = _Index(part(analysis, set(docs)), _local_link)
            stories.append({"id": story_id, "anchor": f"s{i + 1}", **_story_views(ix, label, prefix=f"s{i + 1}-")})
        for r in analysis.relations:
            a, b = _item_doc(full, r.a), _item_doc(full, r.b)
            if r.type != "unrelated" and a is not None and b is not None and story_of.get(a) != story_of.get(b):
                between.append(r)
    documents = {d["id"]: d for d in _documents(full)}
    texts = [{"label": s["head"]["label"], "anchor": s["anchor"],
              "documents": [documents[d] for d in docs if d in documents]}
             for s, (_, _, docs) in zip(stories, groups or [("story", "", [])], strict=True)]
    head = _story_head(full, stories[0]["head"]["label"] if len(stories) == 1 else "")
    return {
        "head": head,
        "stories": stories,
        "several": len(stories) > 1,
        "between": _findings(full, between) if between else None,
        "between_count": len(between),
        "texts": texts,
        "documents": len(analysis.documents),
        "rejected": analysis.rejected,
    }


def template_env() -> Environment:
    """The Jinja2 environment of the dossier and the web app: autoescape on for every template."""
    return Environment(loader=PackageLoader("crossnews", "templates"), autoescape=select_autoescape(default=True),
                       trim_blocks=True, lstrip_blocks=True)


_ENV: Environment | None = None


def _env() -> Environment:
    global _ENV
    if _ENV is None:
        _ENV = template_env()
    return _ENV


def render_dossier(analysis: Analysis) -> str:
    return _env().get_template("dossier.html").render(**dossier_page(analysis))


def write_dossier(analysis: Analysis, path: str | Path) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_dossier(analysis), encoding="utf-8")
    return out


register("report.dossier.v1", description="self-contained HTML dossier (no external requests)")(write_dossier)
