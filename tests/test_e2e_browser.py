"""End to end in a real browser: headless Debian chromium (``make browser`` installs it), driven by Playwright for
Python, over the dossiers of the demo corpus, the seeds and a hostile article, and over the web app served by uvicorn
on 127.0.0.1. Checks that the cast, the side-by-side view (with the Kerry contradiction in the seeds) and the drawn
timeline render, that the dossiers make no network requests and log no console errors, and that article text with
``<script>``, ``javascript:`` links and ``onerror=`` attributes stays inert. Screenshots go to ``out/e2e/``."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from crossnews.cli import main

from .conftest import DEMO, REPO, SEEDS, need_shared

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SHOTS = REPO / "out" / "e2e"

XSS_TEXT = (
    "The mayor's <script>window.__xss = 1</script> plan\n\n"
    "DORVASK, May 3. The mayor said that <img src=x onerror=\"window.__xss = 2\"> and "
    "<a href=\"javascript:window.__xss = 3\">a link</a> were harmless, adding \"<script>alert('boo')</script> is "
    "just text\".\nThe council said on Friday that it would vote on the plan next week.\n"
)
XSS_JSONL = {"id": "xss-meta", "title": "<img src=x onerror=\"window.__xss = 4\"> Council vote",
             "outlet": "<script>window.__xss = 5</script>", "published": "2024-05-03",
             "text": "The council said on Friday that <b onmouseover=\"window.__xss = 6\">the vote</b> would go ahead."}
XSS_HTML = """<!doctype html><html><head><title>&lt;script&gt;window.__xss = 7&lt;/script&gt; Vote delayed</title>
<script>window.__xss = 8</script></head><body><article><h1>Vote delayed</h1>
<p>The council said on Friday that the vote on the plan, which critics called &lt;script&gt;alert(9)&lt;/script&gt;,
would be delayed by a week because members wanted more time to read the proposal in full.</p>
<img src="http://example.invalid/tracker.png" onerror="window.__xss = 10">
<p>A spokesman said that <a href="javascript:window.__xss = 11">the documents</a> would be published on Monday, after
the council's lawyers had reviewed them and removed the names of private individuals.</p></article></body></html>
"""


def _analyze(*args: str) -> None:
    result = CliRunner().invoke(main, ["analyze", *args, "--quiet"])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: run `make browser` (make test does) to install Debian's chromium")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    (d / "xss.txt").write_text(XSS_TEXT, encoding="utf-8")
    (d / "xss.jsonl").write_text(json.dumps(XSS_JSONL) + "\n", encoding="utf-8")
    (d / "xss.html").write_text(XSS_HTML, encoding="utf-8")
    _analyze(str(d / "xss.txt"), str(d / "xss.jsonl"), str(d / "xss.html"), "--db", str(d / "xss.db"),
             "--html", str(d / "xss.html.dossier.html"))
    return d


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    need_shared(SEEDS)
    d = tmp_path_factory.mktemp("seeds")
    _analyze(str(SEEDS), "--db", str(d / "seeds.db"), "--json", str(d / "seeds.json"), "--html",
             str(d / "seeds.html"))
    return d


@dataclass
class Watch:
    allowed: tuple[str, ...]
    blocked: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def clean(self) -> None:
        assert not self.blocked, f"requests outside the page's origin: {self.blocked}"
        assert not self.console, f"console errors: {self.console}"
        assert not self.dialogs, f"dialogs fired: {self.dialogs}"


def _page(browser, allowed: tuple[str, ...]):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    watch = Watch(allowed)

    def route(r):
        if r.request.url.startswith(allowed):
            r.continue_()
        else:
            watch.blocked.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    page.on("request", lambda req: None if req.url.startswith(allowed) or req.url in watch.blocked
            else watch.blocked.append(req.url))
    page.on("console", lambda m: watch.console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watch.console.append(f"page error: {e}"))
    page.on("dialog", lambda d: (watch.dialogs.append(d.message), d.dismiss()))
    return page, watch


def _shot(page, selector: str, name: str) -> None:
    page.locator(selector).first.screenshot(path=str(SHOTS / name))


def _check_inert(page) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined"
    injected = page.evaluate("""() => document.querySelectorAll(
        'main script, main img, main iframe, main object, main b[onmouseover], [onerror], [onmouseover], '
        + 'a[href^="javascript"], a[href^="JAVASCRIPT"]').length""")
    assert injected == 0


def _check_dossier(page, export) -> None:
    assert page.locator("#cast .person").count() > 0
    assert page.locator("#timeline svg.timeline-svg g.tl-event").count() == len(export["timeline"])
    assert page.locator("#timeline svg circle.dot").count() == sum(len(t["sources"]) for t in export["timeline"])
    sbs = page.locator("#side-by-side")
    aligned = [r for r in export["relations"] if r["type"] != "unrelated"]
    if aligned:
        assert sbs.locator(".sbs-row").count() > 0 and sbs.locator(".relation").count() == len(aligned)
    else:
        assert sbs.locator("#no-relations").is_visible()
    # a statement in the cast links to its highlighted words in the text
    link = page.locator("#cast ul.said a.quote").first
    link.click()
    target = page.locator(":target")
    assert target.count() == 1 and "attribution" in (target.get_attribute("class") or "")
    assert target.is_visible()
    # a dot on the timeline links to its source span
    page.locator("#timeline svg a").first.click()
    assert "event" in (page.locator(":target").get_attribute("class") or "")
    # prints cleanly: the navigation is hidden on paper
    page.emulate_media(media="print")
    assert page.locator("nav.toc").first.is_hidden()
    page.emulate_media(media="screen")


def test_demo_dossier(browser, demo_export):
    export, out = demo_export
    page, watch = _page(browser, ("file://", "data:"))
    page.goto((out / "dossier.html").as_uri())
    _check_dossier(page, export)
    _check_inert(page)
    page.goto((out / "dossier.html").as_uri())
    for section in ("glance", "cast", "side-by-side", "timeline", "texts"):
        _shot(page, f"#{section}", f"demo-{section}.png")
    page.pdf(path=str(SHOTS / "demo-dossier.pdf"))
    watch.clean()


def test_seeds_dossier_shows_the_kerry_contradiction(browser, seeds):
    export = json.loads((seeds / "seeds.json").read_text(encoding="utf-8"))
    by_id = {s["id"]: s for s in export["statements"]}
    names = {e["id"]: e["name"] for e in export["entities"]}
    kerry = [r for r in export["relations"] if r["type"] == "contradicts"
             and {names.get(by_id.get(x, {}).get("speaker", {}).get("entity")) for x in (r["a"], r["b"])}
             == {"John Kerry"}]
    assert kerry, "the export of the seeds has no contradiction between two reports of what Kerry said"
    page, watch = _page(browser, ("file://", "data:"))
    page.goto((seeds / "seeds.html").as_uri())
    _check_dossier(page, export)
    page.goto((seeds / "seeds.html").as_uri())
    # the cast: Kerry's words, second-hand, with the chains drawn out
    card = page.locator('#cast .person[data-entity="person:john-kerry"]')
    text = card.inner_text()
    assert "Press TV←a senior US State Department official←John Kerry" in text.replace(" ←", "←").replace("← ", "←")
    assert "TASS←Sergey Lavrov←John Kerry" in text.replace(" ←", "←").replace("← ", "←")
    assert "second-hand" in text
    # side by side: the contradiction highlighted in both columns, with the words it rests on
    row = page.locator("#side-by-side .sbs-row.has-contradiction").first
    assert row.locator(".cell.contradicts").count() == 2
    assert row.locator(".item.contradicted").count() == 2
    relation = row.locator(".relation.contradicts").first
    words = relation.locator("mark.ev").all_inner_texts()
    assert "undoubtedly sincere" in words and "illegal under Ukrainian law" in words
    _shot(page, "#side-by-side", "seeds-side-by-side.png")
    relation.locator("a", has_text="undoubtedly sincere").click()
    target = page.locator(":target")
    assert target.inner_text() == "undoubtedly sincere" and "ev-contradicts" in target.get_attribute("class")
    _shot(page, f"#doc-{export['documents'][0]['id']}", "seeds-text.png")
    for section in ("glance", "cast", "timeline"):
        _shot(page, f"#{section}", f"seeds-{section}.png")
    page.pdf(path=str(SHOTS / "seeds-dossier.pdf"))
    watch.clean()


def test_hostile_article_renders_inert(browser, hostile):
    page, watch = _page(browser, ("file://", "data:"))
    page.goto((hostile / "xss.html.dossier.html").as_uri())
    page.wait_for_timeout(300)
    _check_inert(page)
    body = page.locator("#texts").inner_text()
    assert "<script>window.__xss = 1</script>" in body
    assert '<img src=x onerror="window.__xss = 2">' in body
    assert "javascript:window.__xss = 3" in body
    assert "<script>window.__xss = 5</script>" in page.locator("#glance").inner_text()  # the outlet, as text
    _shot(page, "#texts", "hostile-texts.png")
    watch.clean()


# -- the web app ----------------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(demo_export, seeds, hostile, tmp_path_factory):
    import uvicorn

    from crossnews.web.app import create_app

    _, out = demo_export
    db = tmp_path_factory.mktemp("app") / "app.db"
    shutil.copy(seeds / "seeds.db", db)
    _analyze(str(DEMO / "pages"), str(DEMO / "feed.jsonl"), str(hostile / "xss.txt"), str(hostile / "xss.jsonl"),
             "--db", str(db))
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(str(db)), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "the web app did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=15)


def test_web_app(browser, server):
    page, watch = _page(browser, (server,))
    page.goto(server + "/")
    stories = page.locator("#stories tbody tr")
    assert stories.count() >= 2
    _shot(page, "main", "app-home.png")
    # the seeds' story: cast, side by side with the Kerry contradiction, timeline
    page.locator("#stories a", has_text="Kerry").first.click()
    page.wait_for_load_state()
    assert "second-hand" in page.locator('#cast .person[data-entity="person:john-kerry"]').inner_text()
    row = page.locator("#side-by-side .sbs-row.has-contradiction", has_text="undoubtedly sincere").first
    assert "illegal under Ukrainian law" in row.inner_text()
    assert page.locator("#timeline svg g.tl-event").count() > 5
    _shot(page, "#side-by-side", "app-story-side-by-side.png")
    _shot(page, "#timeline", "app-story-timeline.png")
    # search by question
    page.goto(server + "/")
    page.fill("header input[name=q]", "what did Lavrov say about the referendum?")
    page.press("header input[name=q]", "Enter")
    page.wait_for_load_state()
    hits = page.locator("#hits li")
    assert hits.count() > 0
    assert "Sergey Lavrov" in page.locator("#reading").inner_text()
    for text in hits.all_inner_texts():
        assert "Sergey Lavrov" in text and "referendum" in text.lower()
    _shot(page, "main", "app-search.png")
    hits.first.locator("a.quote").click()
    page.wait_for_load_state()
    assert page.locator(":target").count() == 1
    # people
    page.goto(server + "/people")
    page.locator("#people a", has_text="John Kerry").click()
    assert page.locator("#said li").count() >= 2
    # the hostile documents are inert in the app too
    for title in ("Council vote", "mayor"):
        page.goto(server + "/documents")
        page.locator("#documents a", has_text=title).first.click()
        page.wait_for_load_state()
        page.wait_for_timeout(200)
        _check_inert(page)
    assert "<script>window.__xss = 1</script>" in page.locator(".text").first.inner_text()
    _shot(page, "main", "app-hostile-document.png")
    # paste an article and watch the analysis finish (the progress page polls the API with its own script)
    page.goto(server + "/#analyse")
    page.fill("#text", "Ferry service resumes\n\nHARWICH, June 5. The harbour master said on Monday that the ferry "
                       "service would resume within days, after storm repairs to the pier were finished.\n")
    page.fill("#outlet", "Harbour Gazette")
    page.click("#analyse-button")
    page.wait_for_url("**/jobs/*")
    page.locator("#job-status", has_text="done").wait_for(timeout=120_000)
    assert "analysed 1" in page.locator("#job-counts").inner_text()
    assert page.locator("#job-done").is_visible()
    _shot(page, "main", "app-job-done.png")
    watch.clean()
