"""The web app: ``crossnews serve --db PATH`` (FastAPI; binds 127.0.0.1 by default).

Entry function: :func:`create_app`. A person pastes text, uploads files or gives URLs, and watches the analysis run
(a background job with a progress endpoint); browses stories, documents, people and statements; searches ("what did
Lavrov say about the referendum?"); and reads the dossier's views. The JSON API lives under ``/api`` and is described
at ``/openapi.json``; every error, of the API and of the pages, has one shape::

    {"error": {"code": "not_found", "message": "no document 'x'", "detail": null}}

(pages asked for by a browser get the same three fields as an HTML page).

SQLite from threads: each request and each job opens its own :class:`~crossnews.store.Store` in the thread that uses
it; the analysis read from the store is cached and rebuilt when the database changes. Analyses run one at a time in
one worker thread. Article text is untrusted: templates autoescape, pages carry a CSP that allows only this app's own
script (the progress poller), and URLs are fetched through :mod:`crossnews.fetch` with its guard against loopback,
private and link-local addresses.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from crossnews.core.codec import (
    document_to_json,
    entity_to_json,
    relation_to_json,
    statement_to_json,
    timeline_to_json,
)
from crossnews.core.errors import CrossnewsError
from crossnews.core.records import Analysis
from crossnews.ingest import IngestOptions
from crossnews.report.dossier import dossier_context, render_dossier, template_env
from crossnews.report.export import to_json
from crossnews.store.sqlite import open_store
from crossnews.web.query import parse_question, search, stories, sub_analysis

__all__ = ["create_app", "ApiError"]

MAX_FILES = 50
PAGE = 100  # rows per page of the app's lists
MAX_LIMIT = 5000  # the most rows one page of an API list may ask for
LIMIT = Query(500, ge=1, le=MAX_LIMIT, description="how many rows (at most 5000)")
OFFSET = Query(0, ge=0, description="how many rows to skip")
NO_FILES = File(default_factory=list, description="text, HTML or JSONL files")
CSP = ("default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")

PROGRESS_JS = """\
"use strict";
(function () {
  var root = document.getElementById("job");
  if (!root) { return; }
  var api = root.getAttribute("data-api");
  function set(id, text) { var el = document.getElementById(id); if (el) { el.textContent = text; } }
  function render(job) {
    set("job-status", job.status);
    set("job-counts", job.done + " of " + Math.max(job.expected, job.done) + " inputs: analysed " + job.analysed +
        ", unchanged " + job.unchanged + ", rejected " + job.rejected);
    var bar = document.getElementById("job-bar");
    if (bar) { bar.max = Math.max(job.expected, job.done, 1); bar.value = job.done; }
    var list = document.getElementById("job-events");
    if (list) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      job.events.forEach(function (ev) {
        var li = document.createElement("li");
        li.className = ev.status;
        li.textContent = ev.status + ": " + ev.source + (ev.reason ? " (" + ev.reason + ")" : "");
        list.appendChild(li);
      });
    }
    if (job.error) { set("job-error", job.error); }
    if (job.status === "done" || job.status === "failed") {
      var done = document.getElementById("job-done");
      if (done) { done.hidden = false; }
      return true;
    }
    return false;
  }
  function tick() {
    fetch(api, { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (job) { if (!render(job)) { setTimeout(tick, 600); } })
      .catch(function () { setTimeout(tick, 2000); });
  }
  tick();
})();
"""


class ApiError(Exception):
    """An error with the app's one shape: an HTTP status, a stable code, a message and optional detail."""

    def __init__(self, status: int, code: str, message: str, detail: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail


class ErrorBody(BaseModel):
    code: str = Field(description="stable error code: not_found, invalid_request, bad_request, internal_error, ...")
    message: str = Field(description="what went wrong, in one line")
    detail: Any = Field(default=None, description="more about it: the invalid fields, the rejected inputs...")


class ErrorResponse(BaseModel):
    error: ErrorBody


class TextInput(BaseModel):
    text: str = Field(description="the article: scraped text or HTML", min_length=1)
    title: str | None = None
    outlet: str | None = None
    published: str | None = Field(default=None, description="ISO 8601 publication date")
    url: str | None = None


class AnalyzeRequest(BaseModel):
    texts: list[TextInput] = Field(default_factory=list, max_length=MAX_FILES)
    urls: list[str] = Field(default_factory=list, max_length=MAX_FILES, description="http(s) URLs to fetch")


class JobView(BaseModel):
    id: str
    status: str = Field(description="queued, running, stopped (by a server shutdown; it runs again at the next "
                                    "start), done or failed")
    expected: int = Field(description="inputs expected (a JSONL file counts its lines)")
    done: int
    analysed: int
    unchanged: int
    rejected: int
    documents: list[str]
    events: list[dict[str, Any]]
    error: str | None
    created: float
    finished: float | None
    resumed: int = Field(description="how many times a server start ran the job again")


_STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                 405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
                 422: "invalid_request", 429: "too_many_requests", 500: "internal_error", 503: "unavailable"}
_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "not found"},
    422: {"model": ErrorResponse, "description": "invalid request"},
    500: {"model": ErrorResponse, "description": "internal error"},
}


# -- the analysis, cached per database state ------------------------------------------------------------------------


class AnalysisCache:
    """The store's analysis, rebuilt when the database changes; each call opens its own connection."""

    def __init__(self, db: str) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._sig: tuple[Any, ...] | None = None
        self._analysis: Analysis | None = None
        self._memo: dict[str, Any] = {}

    def _signature(self, conn: Any) -> tuple[Any, ...]:
        parts: list[Any] = []
        for sql in ("SELECT count(*), max(analysed_at), group_concat(content_hash) FROM documents",
                    "SELECT count(*), max(id) FROM rejected", "SELECT count(*) FROM relations",
                    "SELECT count(*), max(id), max(finished_at) FROM runs"):
            parts.extend(conn.execute(sql).fetchone())
        return tuple(parts)

    def get(self) -> tuple[Analysis, tuple[Any, ...]]:
        with self._lock:
            with open_store(self.db) as store:
                sig = self._signature(store.conn)
                if sig != self._sig or self._analysis is None:
                    self._analysis = store.analysis()
                    self._sig = sig
                    self._memo = {}
            return self._analysis, sig

    def memo(self, key: str, build: Callable[[Analysis], Any]) -> Any:
        """A value derived from the current analysis, computed once per database state."""
        analysis, sig = self.get()
        with self._lock:
            if sig == self._sig and key in self._memo:
                return self._memo[key]
        value = build(analysis)
        with self._lock:
            if sig == self._sig:
                self._memo[key] = value
        return value

    def invalidate(self) -> None:
        with self._lock:
            self._sig = None


# -- analysis jobs --------------------------------------------------------------------------------------------------


FINISHED = ("done", "failed")


class _Stopping(Exception):
    """Raised between two inputs of a running job when the server shuts down; the job resumes at the next start."""


@dataclass
class Job:
    id: str
    expected: int
    specs: list[str] = field(default_factory=list)
    workdir: str | None = None
    status: str = "queued"
    done: int = 0
    analysed: int = 0
    unchanged: int = 0
    rejected: int = 0
    documents: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None
    resumed: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "expected": self.expected, "done": self.done,
                "analysed": self.analysed, "unchanged": self.unchanged, "rejected": self.rejected,
                "documents": list(self.documents), "events": list(self.events[-200:]), "error": self.error,
                "created": self.created, "finished": self.finished, "resumed": self.resumed}

    def to_row(self) -> dict[str, Any]:
        """What the store keeps: the view plus the inputs, so that an unfinished job can run again."""
        return {**self.to_json(), "specs": list(self.specs), "workdir": self.workdir}

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Job:
        names = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in row.items() if k in names})


class Jobs:
    """Analyses run one at a time in a worker thread, each with its own store connection.

    Every job is kept in the database's ``jobs`` table as it goes, so a job outlives the server: its page and
    ``/api/jobs/{id}`` answer after a restart, and a job the server did not finish (stopped, or killed) runs again
    at the next start. Running a job again is safe because inputs analysed before count as ``unchanged``. Uploads
    and pasted texts wait in ``spool`` (beside the database) until their job has finished."""

    def __init__(self, db: str, ingest: IngestOptions, on_done: Callable[[], None], spool: Path,
                 keep: int = 200) -> None:
        self.db = db
        self.ingest = ingest
        self.on_done = on_done
        self.spool = spool
        self.keep = keep
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="crossnews-analyze")

    def new_workdir(self) -> Path:
        self.spool.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix="job-", dir=self.spool))

    def submit(self, specs: list[str], workdir: Path | None, expected: int) -> Job:
        job = Job(uuid.uuid4().hex[:12], expected, list(specs), str(workdir) if workdir else None)
        with open_store(self.db) as store:
            store.put_job(job.to_row())
        self._queue(job)
        return job

    def resume(self) -> list[Job]:
        """Queue again the jobs a previous server left unfinished; returns them."""
        resumed = []
        with open_store(self.db) as store:
            store.prune_jobs(self.keep, FINISHED)
            for row in store.jobs(("queued", "running", "stopped")):
                job = Job.from_row(row)
                job.status, job.done, job.analysed, job.unchanged, job.rejected = "queued", 0, 0, 0, 0
                job.documents, job.error, job.resumed = [], None, job.resumed + 1
                job.events = [{"source": "", "status": "resumed", "doc": None,
                               "reason": "the server stopped before this analysis finished; it runs again, and "
                                         "inputs analysed before count as unchanged"}]
                store.put_job(job.to_row())
                resumed.append(job)
        for job in resumed:
            self._queue(job)
        return resumed

    def _queue(self, job: Job) -> None:
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > self.keep:
                self._jobs.popitem(last=False)
        self._pool.submit(self._run, job)

    def get(self, job_id: str) -> Job | None:
        """A job of this server, or one the database remembers."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is not None:
            return job
        with open_store(self.db) as store:
            row = store.job(job_id)
        return None if row is None else Job.from_row(row)

    def shutdown(self) -> None:
        """Stop after the input being analysed; unstarted and stopped jobs stay in the database and resume at the
        next start."""
        self._stopping.set()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _run(self, job: Job) -> None:
        from crossnews.pipeline import AnalyzeOptions, Event, analyze

        prefix = f"{job.workdir}/" if job.workdir else None
        if self._stopping.is_set():
            return

        with open_store(self.db) as store:
            def save() -> None:
                with self._lock:
                    row = job.to_row()
                store.put_job(row)

            def on_event(event: Event) -> None:
                source = event.source[len(prefix):] if prefix and event.source.startswith(prefix) else event.source
                with self._lock:
                    job.done += 1
                    setattr(job, event.status, getattr(job, event.status, 0) + 1)
                    if event.doc_id:
                        job.documents.append(event.doc_id)
                    job.events.append({"source": source, "status": event.status, "doc": event.doc_id,
                                       "reason": event.reason})
                save()
                if self._stopping.is_set():
                    raise _Stopping

            job.status = "running"
            save()
            try:
                analyze(job.specs, store, AnalyzeOptions(ingest=self.ingest), on_event=on_event)
                job.status = "done"
            except _Stopping:
                job.status = "stopped"
            except CrossnewsError as exc:
                job.status, job.error = "failed", str(exc)
            except Exception as exc:  # noqa: BLE001 - the job reports it; the server goes on
                job.status, job.error = "failed", f"internal error ({type(exc).__name__}: {exc})"
            finally:
                if job.status in FINISHED:
                    job.finished = time.time()
                    if job.workdir is not None:
                        shutil.rmtree(job.workdir, ignore_errors=True)
                try:
                    save()
                finally:
                    self.on_done()


def _safe_name(name: str, n: int) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name or "").name).strip("._")[:80]
    return base or f"upload-{n}.txt"


def _jsonl_line(item: TextInput) -> str:
    looks_html = bool(re.match(r"\s*(<!doctype\s+html|<html|<head|<body|<article)", item.text[:2000], re.I))
    record: dict[str, Any] = {("html" if looks_html else "text"): item.text}
    for key in ("title", "outlet", "published", "url"):
        value = getattr(item, key)
        if value:
            record[key] = value
    return json.dumps(record, ensure_ascii=False)


def paged(name: str, items: Sequence[Any], limit: int, offset: int) -> dict[str, Any]:
    """One page of an API list: ``{"total", "offset", "limit", name: [...]}``."""
    return {"total": len(items), "offset": offset, "limit": limit, name: list(items[offset: offset + limit])}


def pager(path: str, params: dict[str, str], total: int, page: int, size: int | None = None) -> dict[str, Any]:
    """Where a page of an app list stands (``page`` counts from 1; past the end it is the last page; ``size``
    defaults to :data:`PAGE`) and the links to the pages around it, keeping the other query ``params``."""
    size = size or PAGE
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


# -- the app --------------------------------------------------------------------------------------------------------


def create_app(db: str, *, allow_private: bool = False, max_bytes: int = 5_000_000, timeout: float = 10.0) -> FastAPI:
    """The web app over the database ``db``. ``allow_private`` lets URL fetching reach loopback and private
    addresses (tests); uploads and fetched pages larger than ``max_bytes`` are rejected."""
    with open_store(db):
        pass  # create it (and apply migrations) now, so a bad path fails at start, not on the first request
    cache = AnalysisCache(db)
    ingest = IngestOptions(max_bytes=max_bytes, timeout=timeout, allow_private=allow_private)
    jobs = Jobs(db, ingest, cache.invalidate, spool=Path(f"{db}-uploads"))
    env = template_env()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        jobs.resume()
        yield
        jobs.shutdown()

    app = FastAPI(
        lifespan=lifespan,
        title="crossnews",
        version="1",
        summary="Who said what, when, according to whom — across outlets, with offsets into every source.",
        description="The JSON API of `crossnews serve`. Every error has one shape: "
                    '`{"error": {"code", "message", "detail"}}`.',
        docs_url=None, redoc_url=None,  # the interactive docs load scripts from a CDN; /openapi.json is the description
    )
    app.state.jobs = jobs
    app.state.cache = cache

    # -- errors: one shape ------------------------------------------------------------------------------------------
    def error_response(request: Request, status: int, code: str, message: str, detail: Any = None) -> Response:
        body = {"error": {"code": code, "message": message, "detail": jsonable_encoder(detail)}}
        if not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", ""):
            html = env.get_template("app_error.html").render(title=f"Error {status}", status=status, **body)
            return HTMLResponse(html, status_code=status, headers=_headers())
        return JSONResponse(body, status_code=status)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return error_response(request, exc.status, exc.code, exc.message, exc.detail)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = _STATUS_CODES.get(exc.status_code, f"http_{exc.status_code}")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such page: {request.url.path}"
        return error_response(request, exc.status_code, code, message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        detail = [{"where": ".".join(str(x) for x in e.get("loc", ())), "problem": e.get("msg", "")}
                  for e in exc.errors()]
        return error_response(request, 422, "invalid_request", "the request is not valid; see detail", detail)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> Response:
        return error_response(request, 500, "internal_error", f"internal error ({type(exc).__name__})")

    @app.middleware("http")
    async def _security(request: Request, call_next: Callable[[Request], Any]) -> Response:
        if request.method == "POST":
            origin = request.headers.get("origin")
            if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
                return error_response(request, 403, "forbidden", "cross-site request refused", {"origin": origin})
        response: Response = await call_next(request)
        for k, v in _headers().items():
            response.headers.setdefault(k, v)
        return response

    # -- helpers ----------------------------------------------------------------------------------------------------
    def page(name: str, **ctx: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**ctx))

    def doc_link(doc_id: str, anchor: str) -> str:
        return f"/documents/{quote(doc_id, safe='')}#{anchor}"

    def person_href(entity_id: str) -> str:
        return f"/people/{quote(entity_id, safe='')}"

    def analysis() -> Analysis:
        return cache.get()[0]

    def story_list() -> list[Any]:
        return list(cache.memo("stories", stories))

    def find_story(story_id: str) -> Any:
        for s in story_list():
            if s.id == story_id:
                return s
        raise ApiError(404, "not_found", f"no story {story_id!r}")

    def find_doc(a: Analysis, doc_id: str) -> Any:
        doc = next((d for d in a.documents if d.id == doc_id), None)
        if doc is None:
            raise ApiError(404, "not_found", f"no document {doc_id!r}")
        return doc

    def find_entity(a: Analysis, entity_id: str) -> Any:
        e = next((e for e in a.entities if e.id == entity_id), None)
        if e is None:
            raise ApiError(404, "not_found", f"no person or organisation {entity_id!r}")
        return e

    def check_date(value: str | None, name: str) -> str | None:
        if value and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
            raise ApiError(422, "invalid_request", f"{name} must be a date like 2014-03-16 (or 2014-03, 2014)",
                           [{"where": f"query.{name}", "problem": "not an ISO date"}])
        return value or None

    async def save_uploads(files: list[UploadFile], workdir: Path) -> tuple[list[str], int]:
        specs, expected = [], 0
        for n, upload in enumerate(files[:MAX_FILES], start=1):
            if not upload.filename and not upload.size:
                continue
            target = workdir / f"{n:02d}-{_safe_name(upload.filename or '', n)}"
            written = 0
            with target.open("wb") as fh:
                while written <= max_bytes and (chunk := await upload.read(1 << 16)):
                    fh.write(chunk[: max_bytes + 1 - written])
                    written += len(chunk)
            specs.append(str(target))
            if target.suffix.lower() in (".jsonl", ".ndjson"):
                with target.open("rb") as fh:
                    expected += max(1, sum(1 for line in fh if line.strip()))
            else:
                expected += 1
        return specs, expected

    def start_job(texts: list[TextInput], urls: list[str], upload_specs: list[str], workdir: Path,
                  expected: int) -> Job:
        specs = list(upload_specs)
        if texts:
            pasted = workdir / "pasted.jsonl"
            pasted.write_text("\n".join(_jsonl_line(t) for t in texts) + "\n", encoding="utf-8")
            specs.append(str(pasted))
            expected += len(texts)
        for url in urls:
            url = url.strip()
            if not url:
                continue
            if not re.match(r"^https?://", url, re.I):
                raise ApiError(422, "invalid_request", f"not an http(s) URL: {url!r}",
                               [{"where": "urls", "problem": "only http and https URLs are fetched"}])
            specs.append(url)
            expected += 1
        if not specs:
            raise ApiError(422, "invalid_request", "nothing to analyse: paste text, upload files or give URLs")
        return jobs.submit(specs, workdir, expected)

    def new_workdir() -> Path:
        return jobs.new_workdir()

    # -- pages ------------------------------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(page_no: int = Query(1, alias="page", ge=1)) -> HTMLResponse:
        a = analysis()
        all_stories = story_list()
        p = pager("/", {}, len(all_stories), page_no)
        return page("app_home.html", title="crossnews", stories=all_stories[p["start"]: p["end"]], pager=p,
                    documents=len(a.documents),
                    statements=len(a.statements), entities=len(a.entities), rejected=a.rejected[-20:],
                    relations=len(a.relations), max_bytes=max_bytes)

    @app.get("/static/app.js", include_in_schema=False)
    def app_js() -> Response:
        return Response(PROGRESS_JS, media_type="text/javascript", headers={"Cache-Control": "no-cache"})

    @app.post("/analyze", include_in_schema=False)
    async def analyze_form(text: str = Form(""), title: str = Form(""), outlet: str = Form(""),
                           published: str = Form(""), urls: str = Form(""),
                           files: list[UploadFile] = NO_FILES) -> Response:
        workdir = new_workdir()
        try:
            specs, expected = await save_uploads(files, workdir)
            texts = [TextInput(text=text, title=title or None, outlet=outlet or None, published=published or None)] \
                if text.strip() else []
            job = start_job(texts, urls.split(), specs, workdir, expected)
        except BaseException:
            shutil.rmtree(workdir, ignore_errors=True)
            raise
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    @app.get("/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
    def job_page(job_id: str) -> HTMLResponse:
        job = jobs.get(job_id)
        if job is None:
            raise ApiError(404, "not_found", f"no analysis job {job_id!r}")
        return page("app_job.html", title="Analysis", job=job.to_json())

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str) -> HTMLResponse:
        story = find_story(story_id)

        def build(a: Analysis) -> str:
            ctx = dossier_context(sub_analysis(a, set(story.documents)))
            return env.get_template("app_story.html").render(title=story.title, story=story, **ctx)

        return HTMLResponse(cache.memo(f"story:{story_id}", build))

    @app.get("/dossier", response_class=HTMLResponse, include_in_schema=False)
    def dossier() -> HTMLResponse:
        return HTMLResponse(cache.memo("dossier", render_dossier))

    @app.get("/documents", response_class=HTMLResponse, include_in_schema=False)
    def documents_page(page_no: int = Query(1, alias="page", ge=1)) -> HTMLResponse:
        a = analysis()
        said: dict[str, int] = {}
        for s in a.statements:
            said[s.doc] = said.get(s.doc, 0) + 1
        p = pager("/documents", {}, len(a.documents), page_no)
        return page("app_documents.html", title="Documents", documents=a.documents[p["start"]: p["end"]], said=said,
                    pager=p)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(doc_id: str) -> HTMLResponse:
        def build(a: Analysis) -> str:
            doc = find_doc(a, doc_id)
            ctx = dossier_context(sub_analysis(a, {doc.id}), link=lambda d, anchor: f"#{anchor}")
            return env.get_template("app_document.html").render(title=doc.title or doc.id, **ctx)

        return HTMLResponse(cache.memo(f"doc:{doc_id}", build))

    @app.get("/people", response_class=HTMLResponse, include_in_schema=False)
    def people_page(page_no: int = Query(1, alias="page", ge=1)) -> HTMLResponse:
        ctx = cache.memo("cast", lambda a: dossier_context(a, link=doc_link, texts=set()))
        p = pager("/people", {}, len(ctx["cast"]), page_no)
        return page("app_people.html", title="People", cast=ctx["cast"][p["start"]: p["end"]], pager=p,
                    mentioned=ctx["mentioned"] if p["page"] == p["pages"] else [], person_href=person_href)

    @app.get("/people/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    def person_page(entity_id: str) -> HTMLResponse:
        a = analysis()
        e = find_entity(a, entity_id)
        ctx = cache.memo("cast", lambda a: dossier_context(a, link=doc_link, texts=set()))
        card = next((c for c in ctx["cast"] if c["id"] == e.id), None)
        other = next((c for c in ctx["mentioned"] if c["id"] == e.id), None)
        return page("app_person.html", title=e.name, entity=e, card=card, other=other,
                    search_href=f"/search?entity={quote(e.id, safe='')}")

    @app.get("/statements", response_class=HTMLResponse, include_in_schema=False)
    def statements_page() -> RedirectResponse:
        return RedirectResponse("/search", status_code=307)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(q: str = "", entity: str = "", date_from: str = Query("", alias="from"),
                    date_to: str = Query("", alias="to"), page_no: int = Query(1, alias="page", ge=1)) -> HTMLResponse:
        a = analysis()
        query = parse_question(a, q, entity=entity or None, date_from=check_date(date_from, "from"),
                               date_to=check_date(date_to, "to"))
        found = search(a, query, limit=None)
        p = pager("/search", {"q": q, "entity": entity, "from": date_from, "to": date_to}, len(found), page_no)
        hits = found[p["start"]: p["end"]]
        names = {e.id: e.name for e in a.entities}
        speakers = sorted({(names.get(s.speaker.entity, s.speaker.entity), s.speaker.entity)
                           for s in a.statements if s.speaker.entity}, key=lambda x: x[0].lower())
        return page("app_search.html", title="Search", q=q, entity=entity, date_from=date_from, date_to=date_to,
                    query=query, names=names, hits=hits, pager=p, speakers=speakers, doc_link=doc_link,
                    person_href=person_href)

    # -- the JSON API -----------------------------------------------------------------------------------------------
    api = APIRouter(prefix="/api", tags=["api"], responses=_ERROR_RESPONSES)

    @api.get("/stats", summary="Counts of what the database holds")
    def api_stats() -> dict[str, Any]:
        a = analysis()
        kinds: dict[str, int] = {}
        for r in a.relations:
            kinds[r.type] = kinds.get(r.type, 0) + 1
        return {"documents": len(a.documents), "statements": len(a.statements), "entities": len(a.entities),
                "timeline": len(a.timeline), "relations": kinds, "rejected": len(a.rejected),
                "stories": len(story_list())}

    @api.get("/stories", summary="Stories: documents grouped by shared relations, events and speakers (paged)")
    def api_stories(limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
        return paged("stories", [_story_json(s) for s in story_list()], limit, offset)

    @api.get("/stories/{story_id}", summary="One story: its documents, statements, timeline and relations")
    def api_story(story_id: str) -> dict[str, Any]:
        story = find_story(story_id)
        part = sub_analysis(analysis(), set(story.documents))
        out = to_json(part)
        out.pop("rejected", None)
        return {**_story_json(story), "analysis": out}

    @api.get("/documents", summary="Documents, without their text (paged)")
    def api_documents(limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
        out = paged("documents", analysis().documents, limit, offset)
        out["documents"] = [{k: v for k, v in document_to_json(d).items()
                             if k not in ("text", "removed", "metadata_evidence")} for d in out["documents"]]
        return out

    @api.get("/documents/{doc_id}", summary="One document with its text, statements and time expressions")
    def api_document(doc_id: str) -> dict[str, Any]:
        a = analysis()
        doc = find_doc(a, doc_id)
        part = to_json(sub_analysis(a, {doc.id}))
        return {"document": part["documents"][0], "statements": part["statements"], "times": part["times"]}

    @api.get("/entities", summary="People, organisations and places, with how often each speaks (paged)")
    def api_entities(type: str | None = Query(None, description="PERSON, ORG, GPE, ANONYMOUS..."),
                     limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
        a = analysis()
        said: dict[str, int] = {}
        for s in a.statements:
            if s.speaker.entity:
                said[s.speaker.entity] = said.get(s.speaker.entity, 0) + 1
        chosen = [e for e in a.entities if type is None or e.type == type]
        out = paged("entities", chosen, limit, offset)
        out["entities"] = [{"id": e.id, "name": e.name, "type": e.type, "aliases": list(e.aliases),
                            "documents": len({m.doc for m in e.mentions}), "statements": said.get(e.id, 0)}
                           for e in out["entities"]]
        return out

    @api.get("/entities/{entity_id}", summary="One entity with everything it is reported to have said")
    def api_entity(entity_id: str) -> dict[str, Any]:
        a = analysis()
        e = find_entity(a, entity_id)
        texts = {d.id: d.text for d in a.documents}
        return {"entity": entity_to_json(e), "statements": [statement_to_json(s, texts[s.doc])
                                                            for s in a.statements if s.speaker.entity == e.id]}

    @api.get("/statements", summary="Statements, filtered by speaker, words and date range")
    @api.get("/search", summary="Search: 'what did Lavrov say about the referendum?'")
    def api_search(q: str = Query("", description="a question or words: names of speakers become the speaker "
                                                  "filter, other words must appear in what was said"),
                   entity: str | None = Query(None, description="a speaker's entity id or name"),
                   date_from: str | None = Query(None, alias="from", description="earliest date (ISO)"),
                   date_to: str | None = Query(None, alias="to", description="latest date (ISO)"),
                   limit: int = Query(200, ge=1, le=MAX_LIMIT), offset: int = OFFSET) -> dict[str, Any]:
        a = analysis()
        query = parse_question(a, q, entity=entity, date_from=check_date(date_from, "from"),
                               date_to=check_date(date_to, "to"))
        return {"query": {"entities": list(query.entities), "words": list(query.words),
                          "from": query.date_from, "to": query.date_to},
                **paged("results", search(a, query, limit=None), limit, offset)}

    @api.get("/timeline", summary="The timeline: events with their sources (paged)")
    def api_timeline(limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
        out = paged("timeline", analysis().timeline, limit, offset)
        out["timeline"] = [timeline_to_json(t) for t in out["timeline"]]
        return out

    @api.get("/relations", summary="Relations between statements across outlets, with the judge's evidence (paged)")
    def api_relations(type: str | None = Query(None, description="same, agrees, adds, contradicts, omits..."),
                      limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
        out = paged("relations", [r for r in analysis().relations if type is None or r.type == type], limit, offset)
        out["relations"] = [relation_to_json(r) for r in out["relations"]]
        return out

    @api.get("/export", summary="The whole export (crossnews/1)")
    def api_export() -> dict[str, Any]:
        return cache.memo("export", to_json)  # type: ignore[no-any-return]

    @api.post("/analyze", status_code=202, response_model=JobView,
              summary="Analyse pasted texts and/or URLs in the background; poll /api/jobs/{id}")
    def api_analyze(body: AnalyzeRequest) -> dict[str, Any]:
        workdir = new_workdir()
        try:
            job = start_job(body.texts, body.urls, [], workdir, 0)
        except BaseException:
            shutil.rmtree(workdir, ignore_errors=True)
            raise
        return job.to_json()

    @api.post("/analyze/files", status_code=202, response_model=JobView,
              summary="Analyse uploaded files (text, HTML, JSONL) and/or URLs in the background")
    async def api_analyze_files(files: list[UploadFile] = NO_FILES,
                                urls: str = Form("", description="URLs separated by white space")) -> dict[str, Any]:
        workdir = new_workdir()
        try:
            specs, expected = await save_uploads(files, workdir)
            job = start_job([], urls.split(), specs, workdir, expected)
        except BaseException:
            shutil.rmtree(workdir, ignore_errors=True)
            raise
        return job.to_json()

    @api.get("/jobs/{job_id}", response_model=JobView, summary="An analysis job's progress")
    def api_job(job_id: str) -> dict[str, Any]:
        job = jobs.get(job_id)
        if job is None:
            raise ApiError(404, "not_found", f"no analysis job {job_id!r}")
        return job.to_json()

    app.include_router(api)
    return app


def _story_json(s: Any) -> dict[str, Any]:
    return {"id": s.id, "title": s.title, "documents": list(s.documents), "outlets": list(s.outlets),
            "dates": list(s.dates) if s.dates else None, "statements": s.statements,
            "contradictions": s.contradictions}


def _headers() -> dict[str, str]:
    return {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "DENY"}
