"""URL fetching: a local threaded HTTP server on 127.0.0.1 stands in for the web.

All traffic goes to 127.0.0.1: URLs that the SSRF guard must refuse (loopback without ``allow_private``, private
and link-local literals) are refused before any connection is made, and the one test with a "public" host uses
httpx's in-process MockTransport, so nothing leaves the machine.
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from crossnews.cli import main
from crossnews.core.errors import InputError
from crossnews.core.records import Rejected
from crossnews.ingest import IngestOptions, RawInput, ingest
from crossnews.ingest.fetch import fetch_url
from crossnews.store.sqlite import open_store

ARTICLE_PARAGRAPHS = [
    "The river authority said on Monday that the new flood barrier at Kellsmouth had passed its first winter "
    "without a single breach, despite three storms that pushed the tide to record heights.",
    "Engineers had warned last autumn that the barrier's northern gate was sticking in cold weather, and a "
    "repair crew worked through December to replace the worn hinges before the first storm arrived.",
    "Residents of the low-lying Dockside quarter, who were evacuated twice in the previous decade, said they "
    "had slept through the worst night of January for the first time in years.",
    "The authority's chair, Imogen Farrant, told reporters that the barrier had cost less to run than expected "
    "and that a second gate further upstream would be proposed to the council in the spring.",
    "Critics on the council argued that the money would be better spent on raising the embankments along the "
    "old canal, where water still spilled into gardens during the February high tide.",
    "A public meeting on the proposal is planned for the end of April at the Kellsmouth town hall, and the "
    "authority has promised to publish its full maintenance figures before then.",
]
ARTICLE_HTML = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Kellsmouth flood barrier passes its first winter"
    "</title></head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article>"
    "<h1>Kellsmouth flood barrier passes its first winter</h1>"
    + "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
    + "</article><footer>Subscribe to our newsletter</footer></body></html>"
)
PLAIN_TEXT = "Kellsmouth flood barrier passes its first winter\n\n" + "\n\n".join(ARTICLE_PARAGRAPHS) + "\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4

CAP = 50_000  # the size cap the tests use
BIG_BODY = b"<p>" + b"word " * 40_000 + b"</p>"  # 200 KB, well over CAP
SLOW_SECONDS = 1.5  # /slow waits this long; the tests use a 0.5 s timeout
FAST_TIMEOUT = 0.5


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # the connection closes after each response, so a body may omit its length
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - silence the default logging
        pass

    def _send(self, status: int, body: bytes, ctype: str | None, *, length: bool = True,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        if length:
            self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.server.hits.append(self.path)
        stop = self.server.stop
        path = self.path
        if path == "/article.html":
            self._send(200, ARTICLE_HTML.encode("utf-8"), "text/html; charset=utf-8")
        elif path == "/plain.txt":
            self._send(200, PLAIN_TEXT.encode("utf-8"), "text/plain; charset=utf-8")
        elif path == "/plain-nocharset.txt":
            self._send(200, PLAIN_TEXT.encode("utf-8"), "text/plain")
        elif path == "/bom.txt":
            self._send(200, b"\xef\xbb\xbf" + PLAIN_TEXT.encode("utf-8"), "text/plain; charset=utf-8")
        elif path == "/image.png":
            self._send(200, PNG_BYTES, "image/png")
        elif path == "/big":
            self._send(200, BIG_BODY, "text/html")
        elif path == "/big-nolength":
            self._send(200, BIG_BODY, "text/html", length=False)
        elif path == "/slow":
            stop.wait(SLOW_SECONDS)
            self._send(200, ARTICLE_HTML.encode("utf-8"), "text/html; charset=utf-8")
        elif path == "/trickle":
            # Headers at once, then a few bytes every 0.2 s for 1.6 s: every single read is quick, the whole
            # response is not.
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.end_headers()
            body = PLAIN_TEXT.encode("utf-8")
            step = len(body) // 8 + 1
            try:
                for i in range(0, len(body), step):
                    self.wfile.write(body[i : i + step])
                    self.wfile.flush()
                    if stop.wait(0.2):
                        return
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/redirect-loop":
            self._send(302, b"", None, headers={"Location": "/redirect-loop"})
        elif path == "/redirect-once":
            self._send(302, b"", None, headers={"Location": "/article.html"})
        elif path == "/redirect-nolocation":
            self._send(302, b"<html><body><p>Moved somewhere.</p></body></html>", "text/html")
        elif path == "/gzip-as-html":
            # A misconfigured server: gzip bytes labelled as Latin-1 HTML, without Content-Encoding.
            self._send(200, gzip.compress(ARTICLE_HTML.encode("utf-8")), "text/html; charset=iso-8859-1")
        elif path == "/empty":
            self._send(200, b"", "text/html; charset=utf-8")
        else:
            self._send(404, b"<html><body>Not here</body></html>", "text/html")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    hits: list[str]
    stop: threading.Event

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (timeout, size cap) is expected here


@dataclass
class LocalServer:
    base: str
    server: _Server

    def url(self, path: str) -> str:
        return self.base + path

    @property
    def hits(self) -> list[str]:
        return self.server.hits


@pytest.fixture(scope="module")
def _server() -> Iterator[_Server]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.hits = []
    server.stop = threading.Event()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def srv(_server: _Server, monkeypatch: pytest.MonkeyPatch) -> LocalServer:
    # No proxy may divert the traffic meant for 127.0.0.1.
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "*")
    _server.hits.clear()
    port = _server.server_address[1]
    return LocalServer(f"http://127.0.0.1:{port}", _server)


def opts(**kw: object) -> IngestOptions:
    base: dict[str, object] = {"allow_private": True, "timeout": 2.0, "max_bytes": CAP, "max_redirects": 3}
    base.update(kw)
    return IngestOptions(**base)  # type: ignore[arg-type,unused-ignore]


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rejection(url: str, **kw: object) -> InputError:
    start = time.monotonic()
    with pytest.raises(InputError) as info:
        fetch_url(url, opts(**kw))
    assert time.monotonic() - start < 3.0, "a refused fetch must fail fast"
    assert info.value.source == url, "the error names the URL that was asked for"
    assert info.value.reason and "\n" not in info.value.reason
    return info.value


# --- successful fetches -------------------------------------------------------------------------------------------


def test_article_html_is_fetched_with_allow_private(srv: LocalServer) -> None:
    url = srv.url("/article.html")
    raw = fetch_url(url, opts())
    assert isinstance(raw, RawInput)
    assert raw.source == url
    assert raw.kind == "html"
    assert raw.origin == "url"
    assert raw.given["url"] == url
    assert raw.url == url
    assert raw.text == ARTICLE_HTML
    assert raw.encoding.lower().replace("-", "") == "utf8"


def test_plain_text_is_fetched_as_text(srv: LocalServer) -> None:
    raw = fetch_url(srv.url("/plain.txt"), opts())
    assert raw.kind == "text"
    assert raw.text == PLAIN_TEXT


def test_plain_text_without_charset_is_decoded(srv: LocalServer) -> None:
    raw = fetch_url(srv.url("/plain-nocharset.txt"), opts())
    assert raw.kind == "text"
    assert raw.text == PLAIN_TEXT


def test_redirect_once_is_followed_and_final_url_recorded(srv: LocalServer) -> None:
    url = srv.url("/redirect-once")
    raw = fetch_url(url, opts())
    assert raw.source == url, "the source stays the URL the user gave"
    assert raw.given["url"] == srv.url("/article.html"), "the final URL is recorded"
    assert raw.text == ARTICLE_HTML
    assert srv.hits == ["/redirect-once", "/article.html"]


def test_utf8_bom_is_dropped_like_for_files(srv: LocalServer) -> None:
    raw = fetch_url(srv.url("/bom.txt"), opts())
    assert raw.text == PLAIN_TEXT


# --- the SSRF guard -----------------------------------------------------------------------------------------------


def test_loopback_refused_without_allow_private(srv: LocalServer) -> None:
    url = srv.url("/article.html")
    err = rejection(url, allow_private=False)
    assert "127.0.0.1" in err.reason
    assert "loopback" in err.reason and "private" in err.reason
    assert "--allow-private" in err.reason
    assert srv.hits == [], "the refused URL must not be requested at all"


def test_localhost_name_refused_without_allow_private(srv: LocalServer) -> None:
    port = srv.server.server_address[1]
    err = rejection(f"http://localhost:{port}/article.html", allow_private=False)
    assert "loopback" in err.reason and "--allow-private" in err.reason
    assert srv.hits == []


@pytest.mark.parametrize("url", [
    "http://10.1.2.3/article.html",  # private
    "http://192.168.0.10:8080/x",  # private
    "http://172.16.5.4/x",  # private
    "http://169.254.169.254/latest/meta-data/",  # link-local (cloud metadata)
    "http://[::1]:9/x",  # IPv6 loopback
    "http://0.0.0.0:9/x",  # unspecified
])
def test_private_and_link_local_literals_refused(url: str) -> None:
    # Refused before any connection: no traffic leaves the machine.
    err = rejection(url, allow_private=False)
    assert "--allow-private" in err.reason


def test_unsupported_scheme_refused() -> None:
    err = rejection("ftp://127.0.0.1/file.txt")
    assert "scheme" in err.reason and "ftp" in err.reason


def test_redirect_from_public_host_to_loopback_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard checks every hop, not only the first URL. The 'public' host is simulated in-process."""
    public_ip = "93.184.216.34"
    real_getaddrinfo = socket.getaddrinfo

    def fake_getaddrinfo(host: str, port: object, *args: object, **kw: object) -> list:  # type: ignore[type-arg]
        if host == "news.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (public_ip, 80))]
        return real_getaddrinfo(host, port, *args, **kw)  # type: ignore[arg-type]

    requested: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        if request.url.host == "news.example":
            return httpx.Response(302, headers={"Location": "http://127.0.0.1:9/admin"})
        return httpx.Response(200, text="secret", headers={"Content-Type": "text/plain"})

    real_client = httpx.Client

    def client_factory(*args: object, **kw: object) -> httpx.Client:
        kw["transport"] = httpx.MockTransport(handler)  # in place of the pinned transport: no traffic leaves
        return real_client(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr("crossnews.ingest.fetch.socket.getaddrinfo", fake_getaddrinfo)
    monkeypatch.setattr("crossnews.ingest.fetch.httpx.Client", client_factory)
    url = "http://news.example/story"
    with pytest.raises(InputError) as info:
        fetch_url(url, opts(allow_private=False))
    assert "127.0.0.1" in info.value.reason and "--allow-private" in info.value.reason
    assert requested == [url], "the redirect target on loopback must not be requested"


# --- refusals with a clear reason ---------------------------------------------------------------------------------


def test_image_content_type_rejected(srv: LocalServer) -> None:
    err = rejection(srv.url("/image.png"))
    assert "content type" in err.reason and "image/png" in err.reason


def test_big_body_with_content_length_rejected(srv: LocalServer) -> None:
    err = rejection(srv.url("/big"))
    assert "too large" in err.reason
    assert f"{len(BIG_BODY):,}" in err.reason, "the declared size is reported"
    assert f"{CAP:,}" in err.reason


def test_big_body_without_content_length_rejected_while_streaming(srv: LocalServer) -> None:
    err = rejection(srv.url("/big-nolength"))
    assert "too large" in err.reason and f"{CAP:,}" in err.reason


def test_slow_server_times_out(srv: LocalServer) -> None:
    start = time.monotonic()
    err = rejection(srv.url("/slow"), timeout=FAST_TIMEOUT)
    assert time.monotonic() - start < SLOW_SECONDS, "gave up before the server answered"
    assert "timed out" in err.reason and "0.5s" in err.reason


def test_trickling_server_times_out_as_a_whole(srv: LocalServer) -> None:
    start = time.monotonic()
    with pytest.raises(InputError) as info:
        fetch_url(srv.url("/trickle"), opts(timeout=FAST_TIMEOUT))
    assert "timed out" in info.value.reason
    assert time.monotonic() - start < 1.2


def test_redirect_loop_rejected(srv: LocalServer) -> None:
    err = rejection(srv.url("/redirect-loop"), max_redirects=3)
    assert "too many redirects" in err.reason and "3" in err.reason
    assert srv.hits == ["/redirect-loop"] * 4, "the first request and three redirects, then it stops"


def test_redirect_limit_zero_refuses_any_redirect(srv: LocalServer) -> None:
    err = rejection(srv.url("/redirect-once"), max_redirects=0)
    assert "too many redirects" in err.reason


def test_redirect_without_location_rejected(srv: LocalServer) -> None:
    err = rejection(srv.url("/redirect-nolocation"))
    assert "302" in err.reason and "Location" in err.reason


def test_404_rejected(srv: LocalServer) -> None:
    err = rejection(srv.url("/missing-page"))
    assert "404" in err.reason and "Not Found" in err.reason


def test_empty_body_rejected(srv: LocalServer) -> None:
    err = rejection(srv.url("/empty"))
    assert "empty" in err.reason


def test_binary_body_with_declared_charset_rejected(srv: LocalServer) -> None:
    err = rejection(srv.url("/gzip-as-html"))
    assert "binary" in err.reason and "gzip" in err.reason


def test_unreachable_port_rejected() -> None:
    url = f"http://127.0.0.1:{closed_port()}/article.html"
    err = rejection(url)
    assert err.reason.startswith("cannot fetch")
    assert "Connect" in err.reason  # httpx.ConnectError: the reason says what failed


# --- through ingest and the command line --------------------------------------------------------------------------


def test_ingest_turns_fetch_errors_into_rejections_and_goes_on(srv: LocalServer) -> None:
    specs = [srv.url("/image.png"), srv.url("/article.html"), srv.url("/missing"), srv.url("/plain.txt")]
    out = list(ingest(specs, opts()))
    assert [type(o) for o in out] == [Rejected, RawInput, Rejected, RawInput]
    assert isinstance(out[0], Rejected) and isinstance(out[2], Rejected)
    assert out[0].source == specs[0] and "image/png" in out[0].reason
    assert out[2].source == specs[2] and "404" in out[2].reason


def test_ingest_refuses_loopback_by_default(srv: LocalServer) -> None:
    url = srv.url("/article.html")
    (out,) = list(ingest([url]))  # default options: allow_private=False
    assert isinstance(out, Rejected)
    assert out.source == url and "--allow-private" in out.reason
    assert srv.hits == []


def _cli(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_cli_analyzes_url_with_allow_private(srv: LocalServer, tmp_path: Path) -> None:
    db = tmp_path / "web.db"
    code, out, _ = _cli(["analyze", srv.url("/article.html"), srv.url("/redirect-once"), "--db", str(db),
                         "--allow-private", "--quiet"])
    assert code == 0
    # The redirect leads to the same content: the second input is unchanged.
    assert "inputs 2: analysed 1, unchanged 1, rejected 0" in out
    with open_store(db) as store:
        (doc,) = list(store.documents())
        assert doc.source == srv.url("/article.html")
        assert doc.url == srv.url("/article.html")
        assert "Imogen Farrant" in doc.text[doc.body.start : doc.body.end]
        assert store.rejected() == []


def test_cli_refuses_loopback_without_allow_private(srv: LocalServer, tmp_path: Path) -> None:
    db = tmp_path / "web.db"
    url = srv.url("/article.html")
    code, _, err = _cli(["analyze", url, "--db", str(db)])
    assert code == 1, "every input rejected: exit status 1"
    assert "rejected 1" in err
    assert url in err and "--allow-private" in err, "the reason is shown to the user"
    assert srv.hits == []
    with open_store(db) as store:
        (rej,) = store.rejected()
        assert rej.source == url and "loopback" in rej.reason


def test_cli_reports_each_bad_url_and_goes_on(srv: LocalServer, tmp_path: Path) -> None:
    db = tmp_path / "web.db"
    bad = {
        srv.url("/image.png"): "content type",
        srv.url("/big"): "too large",
        srv.url("/slow"): "timed out",
        srv.url("/redirect-loop"): "too many redirects",
        srv.url("/nope"): "404",
        f"http://127.0.0.1:{closed_port()}/x": "cannot fetch",
    }
    args = ["analyze", *bad, srv.url("/plain.txt"), "--db", str(db), "--allow-private", "--quiet",
            "--timeout", str(FAST_TIMEOUT), "--max-bytes", str(CAP), "--max-redirects", "2"]
    start = time.monotonic()  # the bad URLs fail fast (timed apart from the CLI, whose model loading varies)
    fetched = list(ingest(list(bad), opts(timeout=FAST_TIMEOUT, max_redirects=2)))
    assert time.monotonic() - start < 3.0
    assert all(isinstance(f, Rejected) for f in fetched)
    code, out, _ = _cli(args)
    assert code == 0, "one input was analysed"
    assert "inputs 7: analysed 1, unchanged 0, rejected 6" in out
    with open_store(db) as store:
        reasons = {r.source: r.reason for r in store.rejected()}
    assert set(reasons) == set(bad)
    for url, expected in bad.items():
        assert expected in reasons[url], (url, reasons[url])


# --- every special-purpose range, the pinned address, redirect rejections under the URL given (issue 26) ---------


@pytest.mark.parametrize("url", [
    "http://100.64.0.1/x",  # shared address space (carrier-grade NAT)
    "http://100.100.100.200/latest/meta-data/",  # a cloud metadata address inside 100.64.0.0/10
    "http://192.0.0.8/x",  # IETF protocol assignments
    "http://192.0.2.10/x",  # documentation
    "http://198.18.0.1/x",  # benchmarking
    "http://198.51.100.7/x",  # documentation
    "http://203.0.113.9/x",  # documentation
    "http://192.88.99.1/x",  # 6to4 relay anycast
    "http://224.0.0.1/x",  # multicast
    "http://240.0.0.1/x",  # reserved
    "http://255.255.255.255/x",  # broadcast
    "http://[::ffff:127.0.0.1]/x",  # IPv4-mapped loopback
    "http://[::ffff:169.254.169.254]/x",  # IPv4-mapped metadata address
    "http://[64:ff9b::7f00:1]/x",  # NAT64 of 127.0.0.1
    "http://[2002:7f00:1::1]/x",  # 6to4 of 127.0.0.1
    "http://[2001::1]/x",  # Teredo
    "http://[2001:db8::1]/x",  # documentation
    "http://[fc00::1]/x",  # unique-local
    "http://[fd00:ec2::254]/x",  # a cloud metadata address (unique-local)
    "http://[fe80::1]/x",  # link-local
    "http://[ff02::1]/x",  # multicast
    "http://[::]/x",  # unspecified
    "http://[100::1]/x",  # discard-only
])
def test_every_special_purpose_range_is_refused(url: str) -> None:
    err = rejection(url, allow_private=False)
    assert "refusing to fetch" in err.reason and "--allow-private" in err.reason


def test_the_guard_names_the_range_and_lets_global_addresses_through() -> None:
    import ipaddress

    from crossnews.ingest.fetch import special_purpose

    assert "100.64.0.0/10" in (special_purpose(ipaddress.ip_address("100.100.100.200")) or "")
    for public in ("93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e"):
        assert special_purpose(ipaddress.ip_address(public)) is None, public


def test_the_connection_goes_to_the_address_the_guard_checked(srv: LocalServer,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: a name that answers one address to the check and another to the connection. The guard
    resolves once and the connection uses that answer; a second resolution would fail here."""
    real_getaddrinfo = socket.getaddrinfo
    asked: list[str] = []

    def rebinding(host: str, port: object, *args: object, **kw: object) -> list:  # type: ignore[type-arg]
        if host == "rebind.example":
            asked.append(host)
            if len(asked) > 1:
                raise socket.gaierror(socket.EAI_NONAME, "the second answer: a rebinding name would change here")
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real_getaddrinfo(host, port, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    port = srv.server.server_address[1]
    raw = fetch_url(f"http://rebind.example:{port}/article.html", opts())
    assert raw.text == ARTICLE_HTML
    assert asked == ["rebind.example"], "the name is resolved once, by the guard"


def test_no_proxy_from_the_environment_is_used(srv: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy connects by name, past the guard: fetching ignores HTTP_PROXY and friends."""
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.setenv("ALL_PROXY", f"http://127.0.0.1:{closed_port()}")
    raw = fetch_url(srv.url("/article.html"), opts())
    assert raw.text == ARTICLE_HTML


def test_a_refused_redirect_is_recorded_under_the_url_given(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two URLs redirecting to one refused target stay two rejections, each under its own URL."""
    real_getaddrinfo = socket.getaddrinfo

    def fake_getaddrinfo(host: str, port: object, *args: object, **kw: object) -> list:  # type: ignore[type-arg]
        if host.endswith(".example"):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 80))]
        return real_getaddrinfo(host, port, *args, **kw)  # type: ignore[arg-type]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})

    real_client = httpx.Client

    def client_factory(*args: object, **kw: object) -> httpx.Client:
        kw["transport"] = httpx.MockTransport(handler)
        return real_client(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    monkeypatch.setattr("crossnews.ingest.fetch.httpx.Client", client_factory)
    urls = ["http://one.example/a", "http://two.example/b"]
    out = list(ingest(urls, opts(allow_private=False)))
    assert [o.source for o in out] == urls
    for o in out:
        assert isinstance(o, Rejected)
        assert "redirected to http://169.254.169.254/latest/meta-data/" in o.reason and "refusing" in o.reason


def test_a_rebinding_name_cannot_reach_loopback(srv: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The name answers a public address to the guard, then 127.0.0.1: the connection still goes to the public
    address the guard checked (refused here in-process, so nothing leaves the machine), never to loopback."""
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.create_connection
    answers = iter(["93.184.216.34", "127.0.0.1", "127.0.0.1"])
    connected: list[object] = []

    def rebinding(host: str, port: object, *args: object, **kw: object) -> list:  # type: ignore[type-arg]
        if host == "rebind.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]
        return real_getaddrinfo(host, port, *args, **kw)  # type: ignore[arg-type]

    def connect(address: tuple[str, int], *args: object, **kw: object) -> socket.socket:
        connected.append(address[0])
        if address[0] == "93.184.216.34":
            raise ConnectionRefusedError(111, "refused in-process: the public address is not contacted")
        return real_connect(address, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    monkeypatch.setattr(socket, "create_connection", connect)
    port = srv.server.server_address[1]
    with pytest.raises(InputError) as info:
        fetch_url(f"http://rebind.example:{port}/article.html", opts(allow_private=False))
    assert "cannot fetch" in info.value.reason
    assert connected == ["93.184.216.34"], connected
    assert srv.hits == [], "the loopback server must not be reached"
