"""The web app: ``crossnews serve --db PATH`` (FastAPI; binds 127.0.0.1 by default).

Entry function: :func:`create_app`. A person pastes text, uploads files or gives URLs, and watches the analysis run
(a background job with a progress endpoint); browses stories, documents, people and statements; searches ("what did
Lavrov say about the referendum?"); and reads the dossier's views. The JSON API lives under ``/api`` and is described
at ``/openapi.json``; every error, of the API and of the pages, has one shape::

    {"error": {"code": "not_found", "message": "no document 'x'", "detail": null}}

(pages asked for by a browser get the same three fields as an HTML page).

SQLite from threads: each request and each job opens its own :class:`~crossnews.store.Store` in the thread that uses
it; the analysis read from the store is cached and rebuilt when the database changes. Analyses run in two worker
threads, one for jobs with large inputs and one for the rest, so one huge upload never holds up the others. Article
text is untrusted: templates autoescape, pages carry a CSP that allows only this app's own script (the progress
poller), and URLs are fetched through :mod:`crossnews.ingest.fetch` with its guard against every special-purpose
address. Every request passes :class:`~crossnews.web.guard.Guard` first: the Host header must be one of the names
the server is bound to (DNS rebinding), a request that changes something must come from this app's own origin
(``Origin: null`` and foreign origins are refused: CSRF), and a body may not pass ``max_request`` bytes. Each
request and each job is logged as one JSON line (logger ``crossnews.web``); an internal error is shown with a
reference to its log line, never with its internals.

The parts: :mod:`~crossnews.web.schemas` (limits, models, the error shape), :mod:`~crossnews.web.cache` (the cached
analysis), :mod:`~crossnews.web.jobs` (the job runner), :mod:`~crossnews.web.state` (what the routes share),
:mod:`~crossnews.web.pages` (the HTML pages) and :mod:`~crossnews.web.api` (the JSON API). This module builds the
shared state, puts it on ``app.state.web`` and wires the routers, the error handlers and the guard.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from crossnews.core.settings import DEFAULTS, Settings
from crossnews.report.dossier import template_env
from crossnews.store.backend import is_postgres_url, open_db
from crossnews.web import api, pages
from crossnews.web.cache import AnalysisCache
from crossnews.web.guard import Guard, allowed_hosts, log_event, new_ref
from crossnews.web.jobs import Job, Jobs
from crossnews.web.pages import security_headers
from crossnews.web.schemas import STATUS_CODES, ApiError
from crossnews.web.state import AppState

__all__ = ["create_app", "ApiError", "AppState", "Job", "Jobs", "AnalysisCache"]


def upload_spool(db: str) -> Path:
    """Where uploads and pasted texts wait for their job: beside a SQLite file (``DB-uploads``); for a PostgreSQL
    store, in the user's cache folder, one folder per database URL (so that a restarted server resumes them)."""
    if not is_postgres_url(db):
        return Path(f"{db}-uploads")
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "crossnews" / f"uploads-{hashlib.sha1(db.encode('utf-8')).hexdigest()[:12]}"


def create_app(db: str, *, allow_private: bool = DEFAULTS.allow_private, max_bytes: int = DEFAULTS.max_bytes,
               timeout: float = DEFAULTS.timeout, settings: Settings = DEFAULTS,
               hosts: Iterable[str] | None = None, max_request: int | None = None) -> FastAPI:
    """The web app over the database ``db``. ``allow_private`` lets URL fetching reach loopback and private
    addresses (tests); uploads and fetched pages larger than ``max_bytes`` are rejected. Jobs run with the backends
    ``settings`` name (``crossnews serve --config``). ``hosts``: the host names requests may carry (default: the
    loopback names, :func:`~crossnews.web.guard.allowed_hosts`); ``max_request``: the largest request body, in
    bytes (default: four times ``max_bytes``, at least 8 MB)."""
    with open_db(db):
        pass  # create it (and apply migrations) now, so a bad path fails at start, not on the first request
    cache = AnalysisCache(db)
    settings = settings.replace(db=db, max_bytes=max_bytes, timeout=timeout, allow_private=allow_private)
    jobs = Jobs(db, settings, cache.invalidate, spool=upload_spool(db))
    state = AppState(db=db, cache=cache, jobs=jobs, env=template_env(), settings=settings)

    app = FastAPI(
        lifespan=_lifespan,
        title="crossnews",
        version="1",
        summary="Who said what, when, according to whom — across outlets, with offsets into every source.",
        description="The JSON API of `crossnews serve`. Every error has one shape: "
                    '`{"error": {"code", "message", "detail"}}`.',
        docs_url=None, redoc_url=None,  # the interactive docs load scripts from a CDN; /openapi.json is the description
    )
    app.state.web = state
    app.state.jobs = jobs
    app.state.cache = cache
    app.state.hosts = frozenset(hosts) if hosts is not None else allowed_hosts("127.0.0.1")
    app.state.max_request = max_request if max_request is not None else max(8 << 20, 4 * max_bytes)

    app.add_exception_handler(ApiError, _api_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _internal)
    app.add_middleware(Guard, hosts=app.state.hosts, max_request=app.state.max_request, respond=error_response,
                       headers=security_headers())

    app.include_router(pages.router)
    app.include_router(api.router)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run again the jobs a previous server left unfinished; at shutdown, stop after the input being analysed."""
    state: AppState = app.state.web
    state.jobs.resume()
    yield
    state.jobs.shutdown()


# -- errors: one shape ----------------------------------------------------------------------------------------------


def error_response(request: Request, status: int, code: str, message: str, detail: Any = None) -> Response:
    """The app's one error shape: JSON, or the same three fields as an HTML page for a browser outside ``/api``."""
    body = {"error": {"code": code, "message": message, "detail": jsonable_encoder(detail)}}
    if not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", ""):
        state: AppState = request.app.state.web
        html = state.env.get_template("app_error.html").render(title=f"Error {status}", status=status, **body)
        return HTMLResponse(html, status_code=status, headers=security_headers())
    return JSONResponse(body, status_code=status)


async def _api_error(request: Request, exc: ApiError) -> Response:
    return error_response(request, exc.status, exc.code, exc.message, exc.detail)


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    code = STATUS_CODES.get(exc.status_code, f"http_{exc.status_code}")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    if exc.status_code == 404 and message == "Not Found":
        message = f"no such page: {request.url.path}"
    return error_response(request, exc.status_code, code, message)


async def _invalid(request: Request, exc: RequestValidationError) -> Response:
    detail = [{"where": ".".join(str(x) for x in e.get("loc", ())), "problem": e.get("msg", "")}
              for e in exc.errors()]
    return error_response(request, 422, "invalid_request", "the request is not valid; see detail", detail)


async def _internal(request: Request, exc: Exception) -> Response:
    ref = new_ref()
    log_event("error", logging.ERROR, exc_info=exc, ref=ref, method=request.method, path=request.url.path,
              error=type(exc).__name__)
    return error_response(request, 500, "internal_error", f"internal error; the server log has the details (ref "
                                                          f"{ref})", {"ref": ref})

