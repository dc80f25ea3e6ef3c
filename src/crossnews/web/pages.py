"""The web app's HTML pages (:data:`router`): the stories, documents, people and statements, search, the dossier, the
upload form's target and an analysis job's progress page; with the pager of their lists and the security headers
every response carries.

The only script is the progress poller (``static/progress.js``, read once and served as ``/static/app.js``); the
Content-Security-Policy allows scripts from this app only, so no page has inline script.
"""

from __future__ import annotations

import shutil
from importlib.resources import files as package_files
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Query, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from crossnews.core.records import Analysis
from crossnews.report.dossier import dossier_context, render_dossier
from crossnews.web import schemas
from crossnews.web.jobs import save_uploads, start_job
from crossnews.web.query import parse_question, search, sub_analysis
from crossnews.web.schemas import NO_FILES, ApiError, TextInput
from crossnews.web.state import AppState, WebState, check_date, find_doc, find_entity

__all__ = ["router", "CSP", "PROGRESS_JS", "security_headers", "pager", "page", "doc_link", "person_href"]

CSP = ("default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")

#: The progress poller of a job's page, served as ``/static/app.js`` (the CSP's ``script-src 'self'``).
PROGRESS_JS = package_files("crossnews.web").joinpath("static/progress.js").read_bytes().decode("utf-8")


def security_headers() -> dict[str, str]:
    """The headers every response carries (unless it sets its own): the CSP, no sniffing, no referrer, no frames."""
    return {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
            "X-Frame-Options": "DENY"}


def pager(path: str, params: dict[str, str], total: int, page: int, size: int | None = None) -> dict[str, Any]:
    """Where a page of an app list stands (``page`` counts from 1; past the end it is the last page; ``size``
    defaults to :data:`~crossnews.web.schemas.PAGE`, read at each call) and the links to the pages around it,
    keeping the other query ``params``."""
    size = size or schemas.PAGE
    pages = max(1, -(-total // size))
    page = min(max(page, 1), pages)

    def href(n: int) -> str:
        query = {k: v for k, v in params.items() if v}
        if n > 1:
            query["page"] = str(n)
        return f"{path}?{urlencode(query)}" if query else path

    return {"page": page, "pages": pages, "total": total, "first": (page - 1) * size + 1 if total else 0,
            "last": min(page * size, total), "start": (page - 1) * size, "end": page * size,
            "prev": href(page - 1) if page > 1 else None, "next": href(page + 1) if page < pages else None}


def page(state: AppState, name: str, **ctx: Any) -> HTMLResponse:
    """The template ``name`` rendered with ``ctx``."""
    return HTMLResponse(state.env.get_template(name).render(**ctx))


def doc_link(doc_id: str, anchor: str) -> str:
    return f"/documents/{quote(doc_id, safe='')}#{anchor}"


def person_href(entity_id: str) -> str:
    return f"/people/{quote(entity_id, safe='')}"


def _cast(state: AppState) -> dict[str, Any]:
    ctx: dict[str, Any] = state.cache.memo("cast", lambda a: dossier_context(a, link=doc_link, texts=set()))
    return ctx


router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(state: WebState, page_no: int = Query(1, alias="page", ge=1)) -> HTMLResponse:
    a = state.analysis()
    all_stories = state.stories()
    p = pager("/", {}, len(all_stories), page_no)
    return page(state, "app_home.html", title="crossnews", stories=all_stories[p["start"]: p["end"]], pager=p,
                documents=len(a.documents),
                statements=len(a.statements), entities=len(a.entities), rejected=a.rejected[-20:],
                relations=len(a.relations), max_bytes=state.settings.max_bytes)


@router.get("/static/app.js", include_in_schema=False)
def app_js() -> Response:
    return Response(PROGRESS_JS, media_type="text/javascript", headers={"Cache-Control": "no-cache"})


@router.post("/analyze", include_in_schema=False)
async def analyze_form(state: WebState, text: str = Form(""), title: str = Form(""), outlet: str = Form(""),
                       published: str = Form(""), urls: str = Form(""),
                       files: list[UploadFile] = NO_FILES) -> Response:
    workdir = state.jobs.new_workdir()
    try:
        specs, expected = await save_uploads(files, workdir, state.settings.max_bytes)
        texts = [TextInput(text=text, title=title or None, outlet=outlet or None, published=published or None)] \
            if text.strip() else []
        job = start_job(state.jobs, texts, urls.split(), specs, workdir, expected)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
def job_page(state: WebState, job_id: str) -> HTMLResponse:
    job = state.jobs.get(job_id)
    if job is None:
        raise ApiError(404, "not_found", f"no analysis job {job_id!r}")
    return page(state, "app_job.html", title="Analysis", job=job.to_json())


@router.get("/stories/{story_id:path}", response_class=HTMLResponse, include_in_schema=False)
def story_page(state: WebState, story_id: str) -> HTMLResponse:
    story = state.find_story(story_id)

    def build(a: Analysis) -> str:
        ctx = dossier_context(sub_analysis(a, set(story.documents)))
        return state.env.get_template("app_story.html").render(title=story.title, story=story, **ctx)

    return HTMLResponse(state.cache.memo(f"story:{story_id}", build))


@router.get("/dossier", response_class=HTMLResponse, include_in_schema=False)
def dossier(state: WebState) -> HTMLResponse:
    return HTMLResponse(state.cache.memo("dossier", render_dossier))


@router.get("/documents", response_class=HTMLResponse, include_in_schema=False)
def documents_page(state: WebState, page_no: int = Query(1, alias="page", ge=1)) -> HTMLResponse:
    a = state.analysis()
    said: dict[str, int] = {}
    for s in a.statements:
        said[s.doc] = said.get(s.doc, 0) + 1
    p = pager("/documents", {}, len(a.documents), page_no)
    return page(state, "app_documents.html", title="Documents", documents=a.documents[p["start"]: p["end"]],
                said=said, pager=p)


@router.get("/documents/{doc_id:path}", response_class=HTMLResponse, include_in_schema=False)
def document_page(state: WebState, doc_id: str) -> HTMLResponse:
    def build(a: Analysis) -> str:
        doc = find_doc(a, doc_id)
        ctx = dossier_context(sub_analysis(a, {doc.id}), link=lambda d, anchor: f"#{anchor}")
        return state.env.get_template("app_document.html").render(title=doc.title or doc.id, **ctx)

    return HTMLResponse(state.cache.memo(f"doc:{doc_id}", build))


@router.get("/people", response_class=HTMLResponse, include_in_schema=False)
def people_page(state: WebState, page_no: int = Query(1, alias="page", ge=1)) -> HTMLResponse:
    ctx = _cast(state)
    p = pager("/people", {}, len(ctx["cast"]), page_no)
    return page(state, "app_people.html", title="People", cast=ctx["cast"][p["start"]: p["end"]], pager=p,
                mentioned=ctx["mentioned"] if p["page"] == p["pages"] else [], person_href=person_href)


@router.get("/people/{entity_id:path}", response_class=HTMLResponse, include_in_schema=False)
def person_page(state: WebState, entity_id: str) -> HTMLResponse:
    a = state.analysis()
    e = find_entity(a, entity_id)
    ctx = _cast(state)
    card = next((c for c in ctx["cast"] if c["id"] == e.id), None)
    other = next((c for c in ctx["mentioned"] if c["id"] == e.id), None)
    return page(state, "app_person.html", title=e.name, entity=e, card=card, other=other,
                search_href=f"/search?entity={quote(e.id, safe='')}")


@router.get("/statements", response_class=HTMLResponse, include_in_schema=False)
def statements_page() -> RedirectResponse:
    return RedirectResponse("/search", status_code=307)


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(state: WebState, q: str = "", entity: str = "", date_from: str = Query("", alias="from"),
                date_to: str = Query("", alias="to"), page_no: int = Query(1, alias="page", ge=1)) -> HTMLResponse:
    a = state.analysis()
    query = parse_question(a, q, entity=entity or None, date_from=check_date(date_from, "from"),
                           date_to=check_date(date_to, "to"))
    found = search(a, query, limit=None)
    p = pager("/search", {"q": q, "entity": entity, "from": date_from, "to": date_to}, len(found), page_no)
    hits = found[p["start"]: p["end"]]
    names = {e.id: e.name for e in a.entities}
    speakers = sorted({(names.get(s.speaker.entity, s.speaker.entity), s.speaker.entity)
                       for s in a.statements if s.speaker.entity}, key=lambda x: x[0].lower())
    return page(state, "app_search.html", title="Search", q=q, entity=entity, date_from=date_from, date_to=date_to,
                query=query, names=names, hits=hits, pager=p, speakers=speakers, doc_link=doc_link,
                person_href=person_href)
