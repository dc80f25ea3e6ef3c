"""What the web app checks before a route runs, what it adds to every response (the security headers, unless a
response sets its own) and what it logs: the Host header against the names the server is
bound to (a page on another name that resolves to this server, DNS rebinding, is refused), the Origin of every
request that changes something (``Origin: null`` from a sandboxed frame and foreign origins are refused), the size
of a request body (declared or streamed), and one structured log line (JSON) per request.

:class:`Guard` is a plain ASGI middleware, so it sees a body as it streams and can stop it at the limit;
:func:`allowed_hosts` gives the host names for a bind address; :class:`JsonLogFormatter` writes log records as
JSON lines (``crossnews serve`` sends the ``crossnews.web`` logger's records to standard error with it).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["Guard", "RequestTooLarge", "allowed_hosts", "LOOPBACK_NAMES", "JsonLogFormatter", "log", "new_ref",
           "log_event"]

#: the logger of the web app: one JSON object per line through :class:`JsonLogFormatter`
log = logging.getLogger("crossnews.web")

#: the names a browser may use for a server bound to a loopback address
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
#: methods that change something: their Origin is checked
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

ErrorResponder = Callable[[Request, int, str, str, Any], Response]


def new_ref() -> str:
    """A short reference that ties an error shown to a user to its line in the server log."""
    return uuid.uuid4().hex[:10]


def log_event(event: str, level: int = logging.INFO, exc_info: Any = None, **fields: Any) -> None:
    """Log one structured event (``{"event": ..., **fields}`` as JSON through :class:`JsonLogFormatter`)."""
    log.log(level, event, exc_info=exc_info, extra={"crossnews": {"event": event, **fields}})


def _host_name(value: str) -> str:
    """The name part of a Host header or URL netloc, lower case, without port or IPv6 brackets."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    if value.count(":") > 1:  # a bare IPv6 address
        return value
    return value.rsplit(":", 1)[0] if ":" in value else value


def allowed_hosts(bind: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The host names requests to a server bound to ``bind`` may carry: a loopback bind answers to the loopback
    names; a named or literal address to itself; a wildcard bind (``0.0.0.0``, ``::``) to this machine's names and
    addresses and the loopback names. ``extra``: more names (``crossnews serve --allow-host``)."""
    names = {_host_name(h) for h in extra if h.strip()}
    host = _host_name(bind)
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        addr = None
    if host == "localhost" or (addr is not None and addr.is_loopback):
        names.update(LOOPBACK_NAMES)
    if addr is not None and addr.is_unspecified:
        names.update(LOOPBACK_NAMES)
        for name in {socket.gethostname(), socket.getfqdn()}:
            names.add(name.lower())
            try:
                names.update(str(info[4][0]).lower() for info in socket.getaddrinfo(name, None))
            except OSError:
                pass
    else:
        names.add(host)
    return frozenset(n for n in names if n)


class RequestTooLarge(HTTPException):
    """A request body past the limit, found while it streamed (FastAPI re-raises HTTP exceptions as they are)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request too large: over the {limit:,}-byte limit")


class Guard:
    """The checks every request passes before the app (see the module docstring), and its log line."""

    def __init__(self, app: ASGIApp, *, hosts: frozenset[str], max_request: int, respond: ErrorResponder,
                 headers: dict[str, str] | None = None) -> None:
        self.app = app
        self.hosts = hosts
        self.max_request = max_request
        self.respond = respond
        self.headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = {"code": 0}

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = int(message["status"])
                have = {k.lower() for k, _ in message.get("headers", ())}
                extra = [(k, v) for k, v in self.headers if k not in have]
                if extra:
                    message = {**message, "headers": [*message.get("headers", ()), *extra]}
            await send(message)

        try:
            refusal = self._refusal(scope)
            if refusal is not None:
                code, error, message, detail = refusal
                response = self.respond(Request(scope), code, error, message, detail)
                await response(scope, receive, sending)
                return
            await self.app(scope, self._limited(receive), sending)
        finally:
            log_event("request", method=scope["method"], path=scope["path"], status=status["code"],
                      ms=round((time.perf_counter() - began) * 1000, 1),
                      client=(scope.get("client") or ("", 0))[0])

    def _refusal(self, scope: Scope) -> tuple[int, str, str, Any] | None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", ())}
        host = headers.get("host", "")
        if _host_name(host) not in self.hosts:
            return (400, "bad_request", "unknown host name: this server answers only to the names it is bound to",
                    {"host": host, "hint": "crossnews serve --allow-host NAME adds a name"})
        if scope["method"] in UNSAFE:
            origin = headers.get("origin")
            if origin is not None:
                parts = urlsplit(origin)
                if origin == "null" or parts.netloc.lower() != host.lower() or parts.scheme not in ("http", "https"):
                    return 403, "forbidden", "cross-site request refused", {"origin": origin}
            elif headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
                return 403, "forbidden", "cross-site request refused", {"sec-fetch-site": headers["sec-fetch-site"]}
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_request:
            return (413, "too_large", f"request too large: {int(declared):,} bytes, over the {self.max_request:,}-byte "
                                      "limit", {"limit": self.max_request})
        return None

    def _limited(self, receive: Receive) -> Callable[[], Awaitable[Message]]:
        seen = 0
        limit = self.max_request

        async def receiving() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise RequestTooLarge(limit)
            return message

        return receiving


class JsonLogFormatter(logging.Formatter):
    """A log record as one JSON object: time, level, logger, the event's fields (or the message), and the
    traceback of an exception, when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname,
                               "logger": record.name}
        fields = getattr(record, "crossnews", None)
        if isinstance(fields, dict):
            out.update(fields)
        else:
            out["message"] = record.getMessage()
        if record.exc_info:
            out["traceback"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)
