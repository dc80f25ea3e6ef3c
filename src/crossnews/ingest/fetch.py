"""Fetching http(s) URLs for ingest: a timeout, a size cap, a content-type check, a redirect limit and a guard
against every special-purpose address (``allow_private`` lifts it, e.g. for tests on 127.0.0.1).

The guard resolves each host once, refuses it when any of its addresses lies in a range of IANA's IPv4 and IPv6
special-purpose address registries (loopback, private, shared 100.64.0.0/10 with its cloud metadata address,
link-local, documentation, benchmarking, reserved, IPv4-mapped and translated IPv6, 6to4, Teredo...) or is
multicast, and pins the connection to the addresses it checked: the HTTP client connects to those, never resolving
the name again, so a name that answers a public address to the check and a private one to the connection (DNS
rebinding) cannot slip through. No proxy from the environment is used (a proxy would connect by name). Every hop of
a redirect is checked the same way, and a refusal is recorded under the URL that was given."""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from crossnews.core.errors import InputError
from crossnews.ingest.inputs import IngestOptions, RawInput, decode_bytes, sniff_binary

__all__ = ["fetch_url", "special_purpose", "SPECIAL_PURPOSE"]

ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
USER_AGENT = "crossnews/0.1 (+https://example.invalid/crossnews)"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: The IANA IPv4 and IPv6 special-purpose address registries (every entry, whether or not IANA calls it globally
#: reachable: none of them serves news), with multicast and the deprecated IPv6 ranges.
SPECIAL_PURPOSE: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...] = tuple(
    (ipaddress.ip_network(net), what) for net, what in (
        ("0.0.0.0/8", "'this network'"),
        ("10.0.0.0/8", "private"),
        ("100.64.0.0/10", "shared address space (carrier-grade NAT; cloud metadata)"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link-local (cloud metadata)"),
        ("172.16.0.0/12", "private"),
        ("192.0.0.0/24", "IETF protocol assignments"),
        ("192.0.2.0/24", "documentation (TEST-NET-1)"),
        ("192.31.196.0/24", "AS112-v4"),
        ("192.52.193.0/24", "AMT"),
        ("192.88.99.0/24", "deprecated 6to4 relay anycast"),
        ("192.168.0.0/16", "private"),
        ("192.175.48.0/24", "direct delegation AS112 service"),
        ("198.18.0.0/15", "benchmarking"),
        ("198.51.100.0/24", "documentation (TEST-NET-2)"),
        ("203.0.113.0/24", "documentation (TEST-NET-3)"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved"),
        ("255.255.255.255/32", "limited broadcast"),
        ("::/128", "unspecified"),
        ("::1/128", "loopback"),
        ("::/96", "IPv4-compatible (deprecated)"),
        ("::ffff:0:0/96", "IPv4-mapped"),
        ("64:ff9b::/96", "IPv4-IPv6 translation"),
        ("64:ff9b:1::/48", "local-use IPv4-IPv6 translation"),
        ("100::/64", "discard-only"),
        ("100:0:0:1::/64", "dummy IPv6 prefix"),
        ("2001::/23", "IETF protocol assignments (Teredo, benchmarking, ORCHID...)"),
        ("2001:db8::/32", "documentation"),
        ("2002::/16", "6to4"),
        ("2620:4f:8000::/48", "direct delegation AS112 service"),
        ("3fff::/20", "documentation"),
        ("5f00::/16", "segment routing (SRv6) SIDs"),
        ("fc00::/7", "unique-local (private)"),
        ("fe80::/10", "link-local"),
        ("fec0::/10", "site-local (deprecated)"),
        ("ff00::/8", "multicast"),
    ))


def special_purpose(addr: IPAddress) -> str | None:
    """What special-purpose range ``addr`` lies in (``"private (10.0.0.0/8)"``), or ``None`` for a global one."""
    for net, what in SPECIAL_PURPOSE:
        if addr.version == net.version and addr in net:
            return f"{what}, {net}"
    if not addr.is_global:
        return "not globally routable"
    return None


def _resolve(source: str, url: str, allow_private: bool) -> tuple[str, int, list[str]]:
    """Check ``url`` and resolve its host once: (host as the HTTP client names it, port, the addresses to connect
    to). Raises :class:`InputError` under ``source`` (the URL given) for a bad scheme, an unknown host or, unless
    ``allow_private``, any special-purpose address."""
    parts = urlsplit(url)
    via = "" if url == source else f"redirected to {url}: "
    if parts.scheme not in ("http", "https"):
        raise InputError(source, f"{via}unsupported URL scheme '{parts.scheme}' (only http and https)")
    if not parts.hostname:
        raise InputError(source, f"{via}URL has no host")
    try:
        target = httpx.URL(url)
        host, port = target.host, target.port or (443 if parts.scheme == "https" else 80)
    except (httpx.InvalidURL, ValueError) as exc:
        raise InputError(source, f"{via}invalid URL: {exc}") from exc
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        reason = exc.strerror if isinstance(exc, socket.gaierror) else str(exc)
        raise InputError(source, f"{via}cannot resolve host '{parts.hostname}': {reason}") from exc
    addresses: list[str] = []
    for info in infos:
        text = str(info[4][0]).split("%", 1)[0]
        addr = ipaddress.ip_address(text)
        problem = special_purpose(addr)
        if problem and not allow_private:
            raise InputError(source, f"{via}refusing to fetch {addr} ({problem}): a loopback, private, link-local "
                                     "or other special-purpose address; pass --allow-private to allow it")
        if str(info[4][0]) not in addresses:
            addresses.append(str(info[4][0]))
    if not addresses:
        raise InputError(source, f"{via}cannot resolve host '{parts.hostname}': no address")
    return host, port, addresses


class _PinnedBackend(httpcore.SyncBackend):
    """Connects only to the addresses the guard resolved and checked for a host (``pins``), never resolving the
    name again; TLS still verifies the certificate against the host name."""

    def __init__(self) -> None:
        self.pins: dict[tuple[str, int], list[str]] = {}

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None) -> httpcore.NetworkStream:
        addresses = self.pins.get((host.lower(), port))
        if not addresses:
            raise httpcore.ConnectError(f"{host}:{port} was not checked by the address guard; not connecting")
        error: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error


@lru_cache(maxsize=1)
def _ssl_context() -> ssl.SSLContext:
    """One TLS context (the system's certificate store, loaded once: it takes tens of milliseconds)."""
    return httpx.create_ssl_context(trust_env=False)


class _PinnedTransport(httpx.HTTPTransport):
    def __init__(self, backend: _PinnedBackend) -> None:
        super().__init__(verify=_ssl_context(), trust_env=False)
        self._pool = httpcore.ConnectionPool(ssl_context=_ssl_context(), network_backend=backend)


def fetch_url(url: str, opts: IngestOptions) -> RawInput:
    """Fetch one URL and return it as a :class:`RawInput`; raise :class:`InputError` with a clear reason."""
    current = url
    deadline = time.monotonic() + opts.timeout
    backend = _PinnedBackend()
    with httpx.Client(timeout=opts.timeout, follow_redirects=False, headers={"User-Agent": USER_AGENT},
                      trust_env=False, transport=_PinnedTransport(backend)) as client:
        for _ in range(opts.max_redirects + 1):
            host, port, addresses = _resolve(url, current, opts.allow_private)
            backend.pins[(host.lower(), port)] = addresses
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
