"""Fetching http(s) URLs for ingest: a timeout, a size cap, a content-type check, a redirect limit and a guard
against loopback, private and link-local addresses (``allow_private`` lifts it, e.g. for tests on 127.0.0.1)."""

from __future__ import annotations

import ipaddress
import socket
import time
from urllib.parse import urljoin, urlsplit

import httpx

from crossnews.core.errors import InputError
from crossnews.ingest.inputs import IngestOptions, RawInput, decode_bytes, sniff_binary

__all__ = ["fetch_url"]

ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
USER_AGENT = "crossnews/0.1 (+https://example.invalid/crossnews)"


def _check_host(url: str, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise InputError(url, f"unsupported URL scheme '{parts.scheme}' (only http and https)")
    host = parts.hostname
    if not host:
        raise InputError(url, "URL has no host")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80))
    except socket.gaierror as exc:
        raise InputError(url, f"cannot resolve host '{host}': {exc.strerror}") from exc
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if addr.is_loopback or addr.is_private or addr.is_link_local or addr.is_reserved or addr.is_multicast \
                or addr.is_unspecified:
            raise InputError(url, f"refusing to fetch {addr} (loopback, private or link-local address); "
                                  "pass --allow-private to allow it")


def fetch_url(url: str, opts: IngestOptions) -> RawInput:
    """Fetch one URL and return it as a :class:`RawInput`; raise :class:`InputError` with a clear reason."""
    current = url
    deadline = time.monotonic() + opts.timeout
    with httpx.Client(timeout=opts.timeout, follow_redirects=False, headers={"User-Agent": USER_AGENT}) as client:
        for _ in range(opts.max_redirects + 1):
            _check_host(current, opts.allow_private)
            try:
                with client.stream("GET", current) as resp:
                    if resp.is_redirect:
                        location = resp.headers.get("location")
                        if not location:
                            raise InputError(url, f"HTTP {resp.status_code} redirect without a Location header")
                        current = urljoin(current, location)
                        continue
                    if resp.status_code >= 400:
                        raise InputError(url, f"HTTP {resp.status_code} {resp.reason_phrase}")
                    ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                    if ctype and ctype not in ACCEPTED_TYPES:
                        raise InputError(url, f"unsupported content type '{ctype}' (want HTML or plain text)")
                    declared = resp.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > opts.max_bytes:
                        raise InputError(url, f"too large: {int(declared):,} bytes, over the "
                                              f"{opts.max_bytes:,}-byte cap")
                    chunks: list[bytes] = []
                    total = 0
                    for chunk in resp.iter_bytes():
                        total += len(chunk)
                        if total > opts.max_bytes:
                            raise InputError(url, f"too large: over the {opts.max_bytes:,}-byte cap")
                        if time.monotonic() > deadline:
                            raise InputError(url, f"timed out after {opts.timeout:g}s (the whole response "
                                                  "took too long)")
                        chunks.append(chunk)
                    data = b"".join(chunks)
                    charset = resp.charset_encoding
            except httpx.TimeoutException as exc:
                raise InputError(url, f"timed out after {opts.timeout:g}s ({type(exc).__name__})") from exc
            except httpx.HTTPError as exc:
                raise InputError(url, f"cannot fetch: {type(exc).__name__}: {exc}") from exc
            binary = sniff_binary(data)
            if binary:
                raise InputError(url, f"binary content ({binary}), not an article")
            if charset:
                is_utf8 = charset.lower().replace("_", "-") in ("utf-8", "utf8")
                try:
                    text, encoding = data.decode("utf-8-sig" if is_utf8 else charset), charset
                except (LookupError, UnicodeDecodeError):
                    text, encoding = decode_bytes(data, url)
            else:
                text, encoding = decode_bytes(data, url)
            if not text.strip():
                raise InputError(url, "empty input")
            kind = "text" if ctype == "text/plain" else "html"
            return RawInput(source=url, text=text, kind=kind, origin="url", given={"url": current},
                            encoding=encoding)
    raise InputError(url, f"too many redirects (more than {opts.max_redirects})")
