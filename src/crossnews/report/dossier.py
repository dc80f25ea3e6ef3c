"""Stage — report: the dossier, one self-contained HTML file (no external requests; prints cleanly).

Entry functions: :func:`write_dossier` and :func:`render_dossier`; :func:`dossier_context` builds the views that the
dossier and the web app (:mod:`crossnews.serve`) both draw:

* **at a glance**: outlets with country and ownership (``data/outlets.json``), dates, statements, relations found;
* **the cast**: each person or organisation with everything they are reported to have said, by which outlet, when,
  first- or second-hand, with the attribution chain drawn out ("Press TV ← State Dept official ← Kerry");
* **side by side**: statements aligned across outlets (the relations) in one column per document, contradictions and
  omissions highlighted, with the judge's evidence;
* **the timeline**, drawn as inline SVG, each event linked to its sources;
* **the texts**, furniture greyed out and every extracted span highlighted (statements' speaker, cue and content, time
  expressions, entity mentions, events, evidence); every item in the views links to its span by an anchor.

Article text and metadata are untrusted: the templates autoescape everything, the views never build markup, and the
page carries a Content-Security-Policy that forbids scripts and remote resources.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from crossnews.clean.metadata import find_outlet
from crossnews.core.records import Analysis, Document, Relation, Statement
from crossnews.core.registry import register
from crossnews.core.unionfind import UnionFind

__all__ = ["render_dossier", "write_dossier", "dossier_context", "template_env", "doc_key", "Link"]

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
            "roles": [{"title": r.title, "date": r.date, "outlet": ix.outlet(r.doc)} for r in e.roles],
            "documents": len({m.doc for m in e.mentions}),
            "mentions": [{"href": ix.link(m.doc, span_anchor("mn", m.doc, m.start, m.end)),
                          "outlet": ix.outlet(m.doc)} for m in e.mentions[:12]],
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
    """Everything the dossier template draws. ``link`` makes the href of a span anchor in a document (default: on
    this page); ``texts`` limits which documents' highlighted texts are built (default: all)."""
    ix = _Index(analysis, link or _local_link)
    speakers, mentioned = _cast(ix, cast_limit)
    return {
        "glance": _glance(ix),
        "cast": speakers,
        "mentioned": mentioned,
        "side_by_side": _side_by_side(ix),
        "timeline": _timeline(ix),
        "statements": _statement_table(ix),
        "documents": _documents(ix, texts),
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
    return _env().get_template("dossier.html").render(**dossier_context(analysis))


def write_dossier(analysis: Analysis, path: str | Path) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_dossier(analysis), encoding="utf-8")
    return out


register("report.dossier.v1", description="self-contained HTML dossier (no external requests)")(write_dossier)
