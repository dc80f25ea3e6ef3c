"""The web app (crossnews serve): pages, search, the JSON API and its one error shape, analysis jobs, the URL guard,
concurrent requests, and the command's defaults."""

from __future__ import annotations

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
ARTICLE = ("Bridge to reopen, says mayor\n\nBRISTOL, June 5. /EXAMPLE/. The mayor said on Monday that the bridge "
           "closed since 2019 would reopen within weeks, after repairs ran over budget.\n")


@pytest.fixture(scope="module")
def client(demo_export, tmp_path_factory):
    export, out = demo_export
    db = tmp_path_factory.mktemp("serve") / "app.db"
    shutil.copy(out / "demo.db", db)
    app = create_app(str(db))
    with TestClient(app, raise_server_exceptions=False) as c:
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
    for section in ('id="glance"', 'id="cast"', 'id="side-by-side"', 'id="timeline"', "<svg", 'id="texts"'):
        assert section in story
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
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        first = _wait(c, c.post("/api/analyze", json={"texts": _texts(1)}).json()["id"])
    assert first["status"] == "done" and first["analysed"] == 1
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
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
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
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
    with TestClient(app, raise_server_exceptions=False) as c:
        ids = [c.post("/api/analyze", json={"texts": _texts(3)}).json()["id"],
               c.post("/api/analyze", json={"texts": [{"text": ARTICLE.replace("mayor", "governor")}]}).json()["id"]]
    monkeypatch.undo()
    with open_store(db) as store:
        left = {j["id"]: (j["status"], j["done"]) for j in store.jobs()}
    # the first job stopped after the input it was on; the second never started; neither is lost
    assert left == {ids[0]: ("stopped", 1), ids[1]: ("queued", 0)}, left
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
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
