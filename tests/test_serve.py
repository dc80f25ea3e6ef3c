"""The web app (crossnews serve): pages, search, the JSON API and its one error shape, analysis jobs, the URL guard,
concurrent requests, and the command's defaults."""

from __future__ import annotations

import json
import shutil
import threading
import time

import click
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from crossnews.cli import main
from crossnews.web.app import create_app

HTML = {"accept": "text/html,application/xhtml+xml"}
LOCAL = "http://127.0.0.1"  # the app answers only to the names it is bound to (loopback by default)
ARTICLE = ("Bridge to reopen, says mayor\n\nBRISTOL, June 5. /EXAMPLE/. The mayor said on Monday that the bridge "
           "closed since 2019 would reopen within weeks, after repairs ran over budget.\n")


@pytest.fixture(scope="module")
def client(demo_export, tmp_path_factory):
    export, out = demo_export
    db = tmp_path_factory.mktemp("serve") / "app.db"
    shutil.copy(out / "demo.db", db)
    app = create_app(str(db))
    with TestClient(app, raise_server_exceptions=False, base_url=LOCAL) as c:
        c.export = export  # type: ignore[attr-defined]
        yield c


def _wait(client, job_id, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {timeout}s")


def _is_error(response, status, code):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "detail"}, body
    assert body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


def test_pages_render_with_a_csp(client):
    export = client.export
    doc = export["documents"][0]["id"]
    speaker = next(s["speaker"]["entity"] for s in export["statements"] if s["speaker"]["entity"])
    stories = client.get("/api/stories").json()["stories"]
    assert stories and sum(len(s["documents"]) for s in stories) == len(export["documents"])
    for path in ("/", "/documents", f"/documents/{doc}", "/people", f"/people/{speaker}", "/search?q=vote",
                 f"/stories/{stories[0]['id']}", "/dossier"):
        r = client.get(path, headers=HTML)
        assert r.status_code == 200, path
        assert "script-src 'self'" in r.headers["content-security-policy"], path
        assert r.headers["x-content-type-options"] == "nosniff"
    story = client.get(f"/stories/{stories[0]['id']}").text
    for section in ('id="glance"', 'id="cast"', 'id="side-by-side"', 'id="timeline"', "<svg", 'id="texts"',
                    'id="naming"', 'class="naming-table"', 'class="technique'):
        assert section in story, section  # the story page draws what the dossier draws: naming, technique spans
    assert client.get("/statements", follow_redirects=False).status_code == 307


def test_search_reads_a_question(client):
    export = client.export
    names = {e["id"]: e["name"] for e in export["entities"]}
    dalenko = next(i for i, n in names.items() if n == "Yuri Dalenko")
    r = client.get("/api/search", params={"q": "What did Dalenko say about the result?"}).json()
    assert r["query"]["entities"] == [dalenko] and r["query"]["words"] == ["result"]
    assert r["results"]
    for hit in r["results"]:
        assert hit["speaker_entity"] == dalenko and "result" in hit["content"]["text"].lower()
        doc = next(d for d in export["documents"] if d["id"] == hit["doc"])
        assert doc["text"][hit["content"]["start"]:hit["content"]["end"]] == hit["content"]["text"]
    everything = client.get("/api/search", params={"entity": dalenko, "limit": 2000}).json()["results"]
    assert len(everything) == sum(1 for s in export["statements"] if s["speaker"]["entity"] == dalenko)
    future = client.get("/api/search", params={"entity": dalenko, "from": "2100-01-01"}).json()["results"]
    assert future == []
    page = client.get("/search", params={"q": "what did Dalenko say about the result?"}, headers=HTML).text
    assert page.count("<li data-statement=") == len(r["results"])
    _is_error(client.get("/api/search", params={"from": "last week"}), 422, "invalid_request")


def test_long_lists_come_in_pages(client, monkeypatch):
    export = client.export
    for name, path, key in (("documents", "/api/documents", "documents"), ("stories", "/api/stories", "stories"),
                            ("entities", "/api/entities", "entities"), ("relations", "/api/relations", "relations"),
                            ("timeline", "/api/timeline", "timeline"), ("search", "/api/search", "results")):
        whole = client.get(path, params={"limit": 5000}).json()
        assert whole["total"] == len(whole[key]) and whole["offset"] == 0, name
        walked = []
        for offset in range(0, whole["total"] + 3, 3):
            part = client.get(path, params={"limit": 3, "offset": offset}).json()
            assert part["total"] == whole["total"] and len(part[key]) <= 3, name
            walked += part[key]
        assert walked == whole[key], name
    assert client.get("/api/relations", params={"limit": 5000}).json()["total"] == len(export["relations"])
    _is_error(client.get("/api/relations", params={"limit": 0}), 422, "invalid_request")
    _is_error(client.get("/api/stories", params={"offset": -1}), 422, "invalid_request")

    import crossnews.web.schemas

    monkeypatch.setattr(crossnews.web.schemas, "PAGE", 2)  # read by the pager at each page
    docs = export["documents"]
    second = client.get("/documents", params={"page": 2}, headers=HTML).text
    shown = [d["id"] for d in docs if f'href="/documents/{d["id"]}"' in second]
    assert shown == [d["id"] for d in docs[2:4]]
    assert f"Documents 3–4 of {len(docs)}" in second and 'href="/documents?page=3"' in second
    assert 'rel="prev" href="/documents"' in second
    pages = -(-len(docs) // 2)
    last = client.get("/documents", params={"page": 999}, headers=HTML).text  # past the end: the last page
    assert f"page {pages} of {pages}" in last and 'rel="next"' not in last
    found = client.get("/search", params={"q": "said", "entity": ""}, headers=HTML).text
    assert found.count("<li data-statement=") <= 2
    assert 'href="/search?q=said&amp;page=2"' in found


def test_api_matches_the_export_and_is_described(client):
    export = client.export
    docs = client.get("/api/documents").json()
    assert docs["total"] == len(export["documents"])
    assert "text" not in docs["documents"][0]
    one = client.get(f"/api/documents/{export['documents'][0]['id']}").json()
    assert one["document"]["text"] == export["documents"][0]["text"]
    assert len(one["statements"]) == sum(1 for s in export["statements"] if s["doc"] == export["documents"][0]["id"])
    assert client.get("/api/stats").json()["statements"] == len(export["statements"])
    assert client.get("/api/timeline").json()["total"] == len(export["timeline"])
    spec = client.get("/openapi.json").json()
    for path in ("/api/search", "/api/statements", "/api/stories/{story_id}", "/api/documents/{doc_id}",
                 "/api/analyze", "/api/analyze/files", "/api/jobs/{job_id}", "/api/relations", "/api/export"):
        assert path in spec["paths"], path
    assert "ErrorResponse" in spec["components"]["schemas"]
    assert "404" in spec["paths"]["/api/documents/{doc_id}"]["get"]["responses"]
    assert not any(p.startswith("/stories") for p in spec["paths"])  # pages are not part of the API


def test_every_error_has_one_shape(client, monkeypatch):
    _is_error(client.get("/api/nothing-here"), 404, "not_found")
    _is_error(client.get("/api/documents/no-such-doc"), 404, "not_found")
    _is_error(client.get("/api/jobs/nope"), 404, "not_found")
    _is_error(client.get("/api/stories/story-0"), 404, "not_found")
    _is_error(client.get("/api/analyze"), 405, "method_not_allowed")
    err = _is_error(client.post("/api/analyze", json={"texts": "not a list"}), 422, "invalid_request")
    assert err["detail"][0]["where"] == "body.texts"
    _is_error(client.post("/api/analyze", json={}), 422, "invalid_request")
    _is_error(client.post("/api/analyze", json={"urls": ["file:///etc/passwd"]}), 422, "invalid_request")
    _is_error(client.get("/api/documents", params={"limit": 0}), 422, "invalid_request")
    page = client.get("/documents/no-such-doc", headers=HTML)
    assert page.status_code == 404 and 'data-code="not_found"' in page.text and "no-such-doc" in page.text

    def boom():
        raise RuntimeError("secret internals")

    monkeypatch.setattr(client.app.state.cache, "get", boom)
    err = _is_error(client.get("/api/stats"), 500, "internal_error")
    assert "secret internals" not in err["message"]


def test_cross_site_posts_are_refused(client):
    r = client.post("/api/analyze", json={"texts": [{"text": ARTICLE}]}, headers={"origin": "http://evil.example"})
    _is_error(r, 403, "forbidden")


def test_pasted_text_is_analysed_in_the_background(client):
    before = client.get("/api/stats").json()["documents"]
    r = client.post("/api/analyze", json={"texts": [{"text": ARTICLE, "outlet": "Example Post",
                                                     "published": "2023-06-05"}]})
    assert r.status_code == 202 and r.json()["status"] in ("queued", "running", "done")
    job = _wait(client, r.json()["id"])
    assert job["status"] == "done" and job["analysed"] == 1 and job["done"] == job["expected"] == 1
    assert job["events"][0]["source"] == "pasted.jsonl:1"  # no temporary path leaks into the progress
    assert client.get("/api/stats").json()["documents"] == before + 1
    doc = client.get(f"/api/documents/{job['documents'][0]}").json()["document"]
    assert doc["outlet"] == "Example Post" and doc["published"].startswith("2023-06-05")
    again = _wait(client, client.post("/api/analyze", json={"texts": [{"text": ARTICLE, "outlet": "Example Post",
                                                                        "published": "2023-06-05"}]}).json()["id"])
    assert again["unchanged"] == 1 and again["analysed"] == 0


def test_upload_form_shows_progress(client):
    files = [("files", ("river.txt", ARTICLE.replace("bridge", "river crossing").encode(), "text/plain")),
             ("files", ("empty.txt", b"", "text/plain"))]
    r = client.post("/analyze", data={"text": "", "urls": ""}, files=files, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/jobs/")
    page = client.get(r.headers["location"], headers=HTML).text
    job_id = r.headers["location"].rsplit("/", 1)[1]
    assert f'data-api="/api/jobs/{job_id}"' in page and '<script src="/static/app.js">' in page
    job = _wait(client, job_id)
    assert (job["expected"], job["analysed"], job["rejected"]) == (2, 1, 1)
    sources = {e["source"]: e for e in job["events"]}
    assert sources["02-empty.txt"]["reason"] == "empty input"
    assert "01-river.txt" in sources
    js = client.get("/static/app.js")
    assert js.status_code == 200 and "textContent" in js.text and "innerHTML" not in js.text


def _texts(n):
    return [{"text": ARTICLE.replace("bridge", f"bridge number {k}"), "outlet": "Example Post"} for k in range(n)]


def test_jobs_outlive_the_server(tmp_path):
    db = str(tmp_path / "jobs.db")
    with TestClient(create_app(db), raise_server_exceptions=False, base_url=LOCAL) as c:
        first = _wait(c, c.post("/api/analyze", json={"texts": _texts(1)}).json()["id"])
    assert first["status"] == "done" and first["analysed"] == 1
    with TestClient(create_app(db), raise_server_exceptions=False, base_url=LOCAL) as c:
        again = c.get(f"/api/jobs/{first['id']}").json()
        assert again == first  # the finished job, as the first server left it
        page = c.get(f"/jobs/{first['id']}", headers=HTML)
        assert page.status_code == 200 and "pasted.jsonl:1" in page.text
    assert not list((tmp_path / "jobs.db-uploads").iterdir())  # a finished job's inputs are deleted


def test_a_job_the_server_did_not_finish_runs_again_at_the_next_start(tmp_path):
    from crossnews.store.sqlite import open_store
    from crossnews.web.app import Job

    db = str(tmp_path / "jobs.db")
    workdir = tmp_path / "jobs.db-uploads" / "job-killed"
    workdir.mkdir(parents=True)
    pasted = workdir / "pasted.jsonl"
    pasted.write_text("".join(__import__("json").dumps(t) + "\n" for t in _texts(2)), encoding="utf-8")
    killed = Job("killed00", 2, [str(pasted)], str(workdir), status="running", done=1, analysed=1)
    with open_store(db) as store:  # what a server killed half-way through leaves in the database
        store.put_job(killed.to_row())
    with TestClient(create_app(db), raise_server_exceptions=False, base_url=LOCAL) as c:
        job = _wait(c, "killed00")
        assert job["status"] == "done" and job["resumed"] == 1
        assert job["analysed"] == 2 and job["done"] == job["expected"] == 2
        assert job["events"][0]["status"] == "resumed"
        assert c.get("/api/stats").json()["documents"] == 2
    assert not workdir.exists()


def test_a_shutdown_stops_jobs_which_resume_at_the_next_start(tmp_path, monkeypatch):
    import crossnews.pipeline as pipeline
    from crossnews.store.sqlite import open_store

    db = str(tmp_path / "jobs.db")
    app = create_app(db)
    extract = pipeline._extract_batch

    def slow_extract(batch, *rest):  # the analysis is still busy when the server is told to stop
        assert app.state.jobs._stopping.wait(30)
        return extract(batch, *rest)

    monkeypatch.setattr(pipeline, "_extract_batch", slow_extract)
    with TestClient(app, raise_server_exceptions=False, base_url=LOCAL) as c:
        ids = [c.post("/api/analyze", json={"texts": _texts(3)}).json()["id"],
               c.post("/api/analyze", json={"texts": [{"text": ARTICLE.replace("mayor", "governor")}]}).json()["id"]]
    monkeypatch.undo()
    with open_store(db) as store:
        left = {j["id"]: (j["status"], j["done"]) for j in store.jobs()}
    # the first job stopped after the input it was on; the second never started; neither is lost
    assert left == {ids[0]: ("stopped", 1), ids[1]: ("queued", 0)}, left
    with TestClient(create_app(db), raise_server_exceptions=False, base_url=LOCAL) as c:
        jobs = [_wait(c, job_id) for job_id in ids]
        assert [j["status"] for j in jobs] == ["done", "done"] and [j["resumed"] for j in jobs] == [1, 1]
        assert [(j["unchanged"], j["analysed"]) for j in jobs] == [(1, 2), (0, 1)]
        assert c.get("/api/stats").json()["documents"] == 4


def test_urls_go_through_the_guard(client):
    r = client.post("/api/analyze", json={"urls": ["http://127.0.0.1:9/story.html", "http://10.0.0.1/x"]})
    job = _wait(client, r.json()["id"])
    assert job["rejected"] == 2
    assert all("refusing to fetch" in e["reason"] for e in job["events"])


def test_concurrent_requests_while_an_analysis_runs(client):
    job = client.post("/api/analyze", json={"texts": [{"text": ARTICLE.replace("mayor", "governor")}]}).json()
    paths = ["/api/search?q=vote", "/people", "/api/stories", "/", "/api/entities", "/documents"]
    failures: list[str] = []

    def hammer(k: int) -> None:
        for i in range(6):
            path = paths[(k + i) % len(paths)]
            r = client.get(path)
            if r.status_code != 200:
                failures.append(f"{path}: {r.status_code} {r.text[:200]}")

    threads = [threading.Thread(target=hammer, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
    assert _wait(client, job["id"])["status"] == "done"


def test_serve_binds_to_loopback_by_default(tmp_path, monkeypatch):
    import uvicorn

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw, app=app))
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "new.db")])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8000
    assert (tmp_path / "new.db").exists()
    bad = CliRunner().invoke(main, ["serve", "--db", str(tmp_path)])  # a folder, not a database
    assert bad.exit_code == 2 and "crossnews: error:" in bad.output


def _commands(group: click.Group, prefix=()):
    for name, cmd in group.commands.items():
        yield (*prefix, name), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*prefix, name))


def test_every_command_and_option_has_help():
    commands = list(_commands(main))
    assert ("serve",) in {p for p, _ in commands} and any(len(p) == 2 for p, _ in commands)
    for path, cmd in commands:
        assert (cmd.help or "").strip(), f"crossnews {' '.join(path)} has no help text"
        result = CliRunner().invoke(main, [*path, "--help"])
        assert result.exit_code == 0 and cmd.help.strip().split()[0] in result.output
        for param in cmd.params:
            if isinstance(param, click.Option):
                assert (param.help or "").strip(), f"crossnews {' '.join(path)} {param.opts[0]} has no help text"


# --- issue 26: CSRF, DNS rebinding, request size, logs without internals, ids with '/', no head-of-line block -----


@pytest.fixture
def fresh(tmp_path):
    """A new app over an empty database, with a small request limit."""
    app = create_app(str(tmp_path / "fresh.db"), max_request=64_000)
    with TestClient(app, raise_server_exceptions=False, base_url=LOCAL) as c:
        yield c


def test_csrf_null_and_foreign_origins_are_refused(fresh):
    body = {"texts": [{"text": ARTICLE}]}
    for headers in ({"origin": "null"}, {"origin": "http://evil.example"}, {"origin": "http://127.0.0.1.evil.example"},
                    {"origin": "http://127.0.0.1:9999"}, {"sec-fetch-site": "cross-site"}):
        _is_error(fresh.post("/api/analyze", json=body, headers=headers), 403, "forbidden")
        r = fresh.post("/analyze", data={"text": ARTICLE}, headers={**headers, **HTML}, follow_redirects=False)
        assert r.status_code == 403 and "cross-site" in r.text, headers
    assert fresh.get("/api/stats").json()["documents"] == 0 and not fresh.app.state.jobs._jobs
    same = fresh.post("/api/analyze", json=body, headers={"origin": LOCAL, "sec-fetch-site": "same-origin"})
    assert same.status_code == 202
    assert fresh.post("/api/analyze", json=body).status_code == 202  # no Origin: not a browser (curl, scripts)
    assert _wait(fresh, same.json()["id"])["status"] == "done"


def test_host_header_must_be_a_name_the_server_is_bound_to(fresh):
    for host in ("evil.example", "evil.example:8000", "127.0.0.1.nip.io", "attacker.test:80"):
        for path in ("/api/export", "/", "/api/stats"):
            err = _is_error(fresh.get(path, headers={"host": host}), 400, "bad_request")
            assert "host" in err["message"]
        _is_error(fresh.post("/api/analyze", json={"texts": [{"text": ARTICLE}]}, headers={"host": host}), 400,
                  "bad_request")
    for host in ("127.0.0.1:8000", "localhost:8000", "LOCALHOST", "[::1]:8000"):
        assert fresh.get("/api/stats", headers={"host": host}).status_code == 200, host


def test_allowed_hosts_follow_the_bind_address():
    import socket

    from crossnews.web.guard import allowed_hosts

    assert allowed_hosts("127.0.0.1") == {"127.0.0.1", "localhost", "::1"}
    assert allowed_hosts("news.example.org", ["proxy.example.org"]) == {"news.example.org", "proxy.example.org"}
    wildcard = allowed_hosts("0.0.0.0")
    assert {"localhost", "127.0.0.1", socket.gethostname().lower()} <= wildcard and "0.0.0.0" not in wildcard


def test_request_bodies_past_the_limit_are_refused(fresh):
    big = {"texts": [{"text": "word " * 20_000}]}  # 100 KB of JSON, over the 64,000-byte limit
    err = _is_error(fresh.post("/api/analyze", json=big), 413, "too_large")
    assert "64,000-byte limit" in err["message"]

    def chunks():  # no Content-Length: the limit holds while the body streams
        for _ in range(40):
            yield b"x" * 4096

    r = fresh.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"})
    _is_error(r, 413, "too_large")
    files = [("files", ("big.txt", b"word " * 20_000, "text/plain"))]
    _is_error(fresh.post("/api/analyze/files", files=files), 413, "too_large")
    assert not fresh.app.state.jobs._jobs and fresh.get("/api/stats").status_code == 200


def test_more_files_than_the_limit_are_refused_not_dropped(fresh):
    from crossnews.web.schemas import MAX_FILES

    files = [("files", (f"f{i}.txt", f"Article number {i}. The mayor said so.\n".encode(), "text/plain"))
             for i in range(MAX_FILES + 1)]
    err = _is_error(fresh.post("/api/analyze/files", files=files), 413, "too_large")
    assert f"{MAX_FILES + 1}" in err["message"] and f"at most {MAX_FILES}" in err["message"]
    assert not fresh.app.state.jobs._jobs
    assert not [p for p in fresh.app.state.jobs.spool.iterdir()] if fresh.app.state.jobs.spool.exists() else True


def test_a_failed_job_shows_a_reference_and_logs_the_details(fresh, monkeypatch, caplog):
    import json
    import logging

    import crossnews.pipeline as pipeline
    from crossnews.web.guard import JsonLogFormatter

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals: /srv/private/path")

    monkeypatch.setattr(pipeline, "analyze", boom)
    with caplog.at_level(logging.INFO, logger="crossnews.web"):
        job = _wait(fresh, fresh.post("/api/analyze", json={"texts": [{"text": ARTICLE}]}).json()["id"])
    assert job["status"] == "failed"
    assert "secret" not in job["error"] and "RuntimeError" not in job["error"]
    ref = job["error"].split("ref ")[1].rstrip(")")
    lines = [json.loads(JsonLogFormatter().format(r)) for r in caplog.records if r.name == "crossnews.web"]
    failed = next(x for x in lines if x.get("event") == "job_error")
    assert failed["ref"] == ref and "secret internals" in failed["traceback"]
    requests = [x for x in lines if x.get("event") == "request"]
    assert {"method", "path", "status", "ms"} <= set(requests[0]) and requests[0]["path"] == "/api/analyze"
    assert any(x.get("event") == "job" and x.get("status") == "failed" for x in lines)


def test_internal_errors_show_a_reference_not_their_type(fresh, monkeypatch, caplog):
    import logging

    def boom():
        raise KeyError("secret internals")

    monkeypatch.setattr(fresh.app.state.cache, "get", boom)
    with caplog.at_level(logging.INFO, logger="crossnews.web"):
        err = _is_error(fresh.get("/api/stats"), 500, "internal_error")
    assert "secret" not in err["message"] and "KeyError" not in err["message"]
    logged = next(r for r in caplog.records if getattr(r, "crossnews", {}).get("event") == "error")
    assert logged.crossnews["ref"] == err["detail"]["ref"] and logged.exc_info


def test_an_input_that_fails_inside_shows_a_reference_in_its_event(fresh, monkeypatch):
    import crossnews.extract as extract_stage

    def flaky(run, d, text, sdoc, *rest):
        raise ValueError("secret internals of the extractor")

    monkeypatch.setattr(extract_stage, "_extract_one", flaky)
    job = _wait(fresh, fresh.post("/api/analyze", json={"texts": [{"text": ARTICLE}]}).json()["id"])
    assert job["status"] == "done" and job["rejected"] == 1
    reason = job["events"][-1]["reason"]
    assert "secret" not in reason and "ValueError" not in reason and "ref " in reason


def test_document_ids_with_a_slash_open(fresh, tmp_path):
    files = [("files", ("feed.jsonl", (json.dumps({"id": "2024/03/bridge", "text": ARTICLE}) + "\n").encode(),
                        "application/jsonl"))]
    job = _wait(fresh, fresh.post("/api/analyze/files", files=files).json()["id"])
    assert job["documents"] == ["2024/03/bridge"], job
    from urllib.parse import quote

    for path in ("/api/documents/2024/03/bridge", f"/api/documents/{quote('2024/03/bridge', safe='')}"):
        r = fresh.get(path)
        assert r.status_code == 200 and r.json()["document"]["id"] == "2024/03/bridge", path
    for path in ("/documents/2024/03/bridge", f"/documents/{quote('2024/03/bridge', safe='')}"):
        assert fresh.get(path, headers=HTML).status_code == 200, path


def test_a_huge_upload_does_not_hold_up_a_small_paste(tmp_path, monkeypatch):
    import crossnews.pipeline as pipeline
    from crossnews.web.jobs import LARGE_JOB

    release = threading.Event()
    extract = pipeline._extract_batch

    def slow_for_huge(batch, *rest):  # the huge document's analysis runs until the test lets it go
        if any(len(doc.text) > LARGE_JOB for doc, _, _ in batch):
            assert release.wait(120)
        return extract(batch, *rest)

    monkeypatch.setattr(pipeline, "_extract_batch", slow_for_huge)
    app = create_app(str(tmp_path / "lanes.db"), max_bytes=2_000_000, max_request=8_000_000)
    with TestClient(app, raise_server_exceptions=False, base_url=LOCAL) as c:
        huge = ("Harbour row\n\n" + (ARTICLE.split("\n\n", 1)[1] + "\n") * 2000).encode()
        assert len(huge) > LARGE_JOB
        big = c.post("/api/analyze/files", files=[("files", ("huge.txt", huge, "text/plain"))]).json()["id"]
        time.sleep(0.5)
        small = _wait(c, c.post("/api/analyze", json={"texts": [{"text": ARTICLE}]}).json()["id"], timeout=60)
        assert small["status"] == "done" and small["analysed"] == 1
        assert c.get(f"/api/jobs/{big}").json()["status"] == "running"
        release.set()
        assert _wait(c, big, timeout=300)["status"] == "done"
        assert c.get("/api/stats").json()["documents"] == 2


def test_serve_passes_its_host_names_and_logs_as_json(tmp_path, monkeypatch):
    import uvicorn

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw, app=app))
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "new.db"), "--host", "0.0.0.0",
                                       "--allow-host", "news.example.org", "--max-request", "123456"])
    assert result.exit_code == 0, result.output
    hosts = seen["app"].state.hosts
    assert "news.example.org" in hosts and "localhost" in hosts and seen["app"].state.max_request == 123456
    from crossnews.web.guard import JsonLogFormatter, log

    assert any(isinstance(h.formatter, JsonLogFormatter) for h in log.handlers)


def test_in_chromium_a_sandboxed_frame_cannot_post_and_the_app_form_can(tmp_path):
    """The attack of issue 26 in a real browser: a page of another origin holds a sandboxed iframe whose form posts
    an article to the app (Origin: null); it is refused, no job is made. The app's own form still works (its page's
    referrer policy keeps the Origin of same-origin requests)."""
    import socket
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from pathlib import Path

    import uvicorn

    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip(f"{chromium} is absent: run `make browser` (make test does) to install Debian's chromium")
    playwright = pytest.importorskip("playwright.sync_api")

    def free_port() -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return int(s.getsockname()[1])

    port = free_port()
    app = create_app(str(tmp_path / "csrf.db"))
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=srv.run, daemon=True).start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "the web app did not start"
        time.sleep(0.05)
    target = f"http://127.0.0.1:{port}"
    evil_page = (f'<!doctype html><iframe sandbox="allow-forms allow-scripts" srcdoc="<form method=post '
                 f'action={target}/analyze><input name=text value=Injected></form><script>document.forms[0].submit()'
                 f'</script>"></iframe>').encode()

    class Evil(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(evil_page)

        def log_message(self, *args: object) -> None:
            pass

    import logging

    from crossnews.web.guard import log

    posted: list[dict[str, object]] = []  # the app's own log of the requests it answered

    class Seen(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            fields = getattr(record, "crossnews", {})
            if fields.get("event") == "request" and fields.get("method") == "POST":
                posted.append(fields)

    seen, level = Seen(), log.level
    log.addHandler(seen)
    log.setLevel(logging.INFO)
    evil = ThreadingHTTPServer(("127.0.0.1", 0), Evil)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(chromium), args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.goto(f"http://localhost:{evil.server_address[1]}/")  # another origin
            deadline = time.monotonic() + 20
            while not posted and time.monotonic() < deadline:
                page.wait_for_timeout(100)
            assert [(x["path"], x["status"]) for x in posted] == [("/analyze", 403)], posted
            assert not app.state.jobs._jobs, "the injected article was queued"
            page.goto(target + "/#analyse")  # the app's own form
            page.fill("#text", ARTICLE)
            page.click("#analyse-button")
            page.wait_for_url("**/jobs/*", timeout=30_000)
            assert len(app.state.jobs._jobs) == 1 and posted[-1]["status"] == 303
            browser.close()
    finally:
        log.removeHandler(seen)
        log.setLevel(level)
        evil.shutdown()
        srv.should_exit = True
