"""Stage — report: the dossier, one self-contained HTML file (no external requests; prints cleanly).

Entry function: :func:`write_dossier`. Article text is untrusted: the template autoescapes everything and the page
carries a Content-Security-Policy that forbids scripts and remote resources.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from .metadata import find_outlet
from .records import Analysis, Document, Statement
from .registry import register

__all__ = ["render_dossier", "write_dossier"]


@dataclass(frozen=True, slots=True)
class _Segment:
    text: str
    start: int
    end: int
    cls: str = ""
    title: str = ""
    anchor: str = ""


def _segments(doc: Document, statements: list[Statement]) -> list[_Segment]:
    """Cut the document text into segments covering it exactly, in order: removed spans (furniture, metadata),
    text outside the body, statement contents; an empty anchor marks where each statement's content starts."""
    text = doc.text
    marks: list[tuple[int, int, str, str]] = []  # earlier marks win where they overlap
    for r in doc.removed:
        cls = "metadata" if r.reason.startswith("metadata:") else "furniture"
        marks.append((r.start, r.end, cls, f"{r.reason}: {r.detail}".strip(": ")))
    marks.append((0, doc.body.start, "outside", "outside the article body"))
    marks.append((doc.body.end, len(text), "outside", "outside the article body"))
    for st in statements:
        marks.append((st.content.start, st.content.end, "content", "what was said (click a statement to jump here)"))
    anchors: dict[int, list[str]] = {}
    for st in statements:
        anchors.setdefault(st.content.start, []).append(f"st-text-{st.id}")
    cuts = sorted({0, len(text)} | {m[0] for m in marks} | {m[1] for m in marks} | set(anchors))
    out: list[_Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        for anchor in anchors.get(a, []):
            out.append(_Segment("", a, a, "anchor", "", anchor))
        if a >= b:
            continue
        mark = next((m for m in marks if m[0] <= a and b <= m[1]), None)
        cls, title = (mark[2], mark[3]) if mark else ("", "")
        if out and out[-1].cls == cls and out[-1].end == a and cls != "anchor":
            prev = out.pop()
            out.append(_Segment(text[prev.start:b], prev.start, b, cls, title))
        else:
            out.append(_Segment(text[a:b], a, b, cls, title))
    return out


def _statement_views(analysis: Analysis) -> list[dict[str, Any]]:
    docs = {d.id: d for d in analysis.documents}
    names = {e.id: e.name for e in analysis.entities}
    by_id = {s.id: s for s in analysis.statements}
    views = []
    for s in analysis.statements:
        doc = docs.get(s.doc)
        if doc is None:
            continue
        depth, outer = 0, s.nested_in
        while outer and outer in by_id and depth < 6:
            depth, outer = depth + 1, by_id[outer].nested_in
        text = doc.text
        views.append({
            "id": s.id,
            "doc": s.doc,
            "outlet": doc.outlet,
            "published": doc.published,
            "speaker_name": names.get(s.speaker.entity or "", None) or s.speaker.description,
            "speaker_text": s.speaker.span.text_of(text) if s.speaker.span else None,
            "anonymous": s.speaker.anonymous,
            "cue": s.cue.span.text_of(text) if s.cue else None,
            "content": s.content.text_of(text),
            "anchor": f"st-text-{s.id}",
            "kind": s.kind,
            "channel": s.channel,
            "depth": depth,
        })
    return views


def _doc_view(doc: Document, statements: list[Statement]) -> dict[str, Any]:
    known = find_outlet(doc.outlet) if doc.outlet else None
    info = ", ".join(x for x in (known.country if known else None, known.ownership if known else None) if x)
    return {
        "id": doc.id,
        "source": doc.source,
        "title": doc.title,
        "outlet": doc.outlet,
        "outlet_info": info,
        "republisher": doc.republisher,
        "dateline": doc.dateline,
        "published": doc.published,
        "published_evidence": doc.published_evidence,
        "language": doc.language,
        "segments": _segments(doc, statements),
    }


def _cast(analysis: Analysis) -> list[dict[str, Any]]:
    spoke = Counter(s.speaker.entity for s in analysis.statements if s.speaker.entity)
    out: list[dict[str, Any]] = []
    for e in analysis.entities:
        if e.type not in ("PERSON", "ORG") and not spoke.get(e.id):
            continue
        out.append({"name": e.name, "type": e.type, "aliases": e.aliases, "roles": e.roles,
                    "documents": len({m.doc for m in e.mentions}), "statements": spoke.get(e.id, 0)})
    return sorted(out, key=lambda e: (-e["statements"], -e["documents"], e["name"]))[:60]


def _timeline(analysis: Analysis) -> list[dict[str, Any]]:
    outlets = {d.id: d.outlet or d.id for d in analysis.documents}
    return [{"date": t.date, "label": t.label, "sources": t.sources, "conflicts": t.conflicts,
             "outlets": sorted({outlets.get(s.doc, s.doc) for s in t.sources})} for t in analysis.timeline]


def render_dossier(analysis: Analysis) -> str:
    env = Environment(loader=PackageLoader("crossnews", "templates"), autoescape=select_autoescape(default=True))
    dates = sorted(d.published for d in analysis.documents if d.published and d.published[:1].isdigit())
    return env.get_template("dossier.html").render(
        documents=[_doc_view(d, [s for s in analysis.statements if s.doc == d.id]) for d in analysis.documents],
        statements=_statement_views(analysis),
        cast=_cast(analysis),
        timeline=_timeline(analysis),
        outlets=sorted({d.outlet for d in analysis.documents if d.outlet}),
        statements_count=len(analysis.statements),
        rejected=analysis.rejected,
        date_range=(dates[0][:10], dates[-1][:10]) if dates else None,
    )


def write_dossier(analysis: Analysis, path: str | Path) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_dossier(analysis), encoding="utf-8")
    return out


register("report.dossier.v1", description="self-contained HTML dossier (no external requests)")(write_dossier)
