"""What the web app takes and gives: its limits, the request and response models of the JSON API, and its one
error shape (:class:`ApiError`, rendered by :mod:`crossnews.web.app` as ``{"error": {"code", "message",
"detail"}}``)."""

from __future__ import annotations

from typing import Any

from fastapi import File, Query
from pydantic import BaseModel, Field

__all__ = ["MAX_FILES", "PAGE", "MAX_LIMIT", "LIMIT", "OFFSET", "NO_FILES", "ApiError", "ErrorBody", "ErrorResponse",
           "TextInput", "AnalyzeRequest", "JobView", "STATUS_CODES", "ERROR_RESPONSES"]

MAX_FILES = 50
PAGE = 100  # rows per page of the app's lists (read when a page is drawn, so a test may change it)
MAX_LIMIT = 5000  # the most rows one page of an API list may ask for
LIMIT = Query(500, ge=1, le=MAX_LIMIT, description="how many rows (at most 5000)")
OFFSET = Query(0, ge=0, description="how many rows to skip")
NO_FILES = File(default_factory=list, description="text, HTML or JSONL files")


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


#: The stable error code of each HTTP status the app answers with (others become ``http_<status>``).
STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
                422: "invalid_request", 429: "too_many_requests", 500: "internal_error", 503: "unavailable"}
#: The error responses every route of the JSON API declares in the OpenAPI description.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "not found"},
    422: {"model": ErrorResponse, "description": "invalid request"},
    500: {"model": ErrorResponse, "description": "internal error"},
}
