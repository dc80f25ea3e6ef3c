"""Stage — report: the dossier, one self-contained HTML file (no external requests; prints cleanly).

Entry function: :func:`write_dossier`. Article text is untrusted: the template autoescapes everything and the page
carries a Content-Security-Policy that forbids scripts and remote resources.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from .metadata import find_outlet
from .records import Analysis, Document
from .registry import register

__all__ = ["render_dossier", "write_dossier"]


@dataclass(frozen=True, slots=True)
class _Segment:
    text: str
    start: int
    end: int
    cls: str = ""
    title: str = ""


def _segments(doc: Document) -> list[_Segment]:
    """Cut the document text into plain, body and removed segments, in order, covering it exactly."""
    marks: list[tuple[int, int, str, str]] = []
    for r in doc.removed:
        cls = "metadata" if r.reason.startswith("metadata:") else "furniture"
        marks.append((r.start, r.end, cls, f"{r.reason}: {r.detail}".strip(": ")))
    if doc.body.start > 0:
        marks.append((0, doc.body.start, "outside", "outside the article body"))
    if doc.body.end < len(doc.text):
        marks.append((doc.body.end, len(doc.text), "outside", "outside the article body"))
    marks.sort()
    out: list[_Segment] = []
    cursor = 0
    for start, end, cls, title in marks:
        if end <= cursor:
            continue
        start = max(start, cursor)
        if start > cursor:
            out.append(_Segment(doc.text[cursor:start], cursor, start))
        out.append(_Segment(doc.text[start:end], start, end, cls, title))
        cursor = end
    if cursor < len(doc.text):
        out.append(_Segment(doc.text[cursor:], cursor, len(doc.text)))
    return out


def _doc_view(doc: Document) -> dict[str, Any]:
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
        "segments": _segments(doc),
    }


def render_dossier(analysis: Analysis) -> str:
    env = Environment(loader=PackageLoader("crossnews", "templates"), autoescape=select_autoescape(default=True))
    dates = sorted(d.published for d in analysis.documents if d.published and d.published[:1].isdigit())
    return env.get_template("dossier.html").render(
        documents=[_doc_view(d) for d in analysis.documents],
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
