"""The PostgreSQL store (``store.postgres.v1``, ``--db postgresql://...``) beside SQLite: the same migrations, the same
round trips, the same export; several writers at once lose nothing and duplicate nothing.

The server is a throw-away cluster that the session starts itself (``pg_cluster`` in conftest.py); each test gets
a new database. Where PostgreSQL cannot start these tests skip, except in CI (CROSSNEWS_REQUIRE_PG=1), where they
fail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from crossnews.clean import clean
from crossnews.cli import main
from crossnews.core.errors import StoreError
from crossnews.core.records import Document, Entity, Mention, Rejected, Relation, Story, TimelineEntry
from crossnews.ingest import RawInput
from crossnews.store.backend import open_db, redact, store_backend
from crossnews.store.migrations import MIGRATIONS
from tests.conftest import DEMO, REPO

MIGRATION_NAMES = [name for name, _ in MIGRATIONS]
ARTICLE = (
    "Harbour council approves a new ferry line to the island\n"
    "12 March 2024\n"
    "The harbour council voted on Tuesday to approve a new ferry line between the old port and the island.\n"
    "\n"
    "Council members said the service would start in the summer and run every two hours during the week.\n"
    "\n"
    "Local residents welcomed the decision, although some warned that the fares might be too high for families.\n"
)
HTML = (
    "<html><head><title>Library reopens after two years of repairs</title></head><body>"
    "<nav>Home | News | Sport</nav><article><h1>Library reopens after two years of repairs</h1>"
    "<p>The central library in Marren reopened on Saturday after two years of repairs to its leaking roof.</p>"
    "<p>Hundreds of readers queued outside before the doors opened, and the first loans were made within "
    "minutes of the opening.</p></article><footer>Subscribe to our newsletter</footer></body></html>"
)


def make_doc(text: str = ARTICLE, source: str = "harbour.txt", **given: str) -> Document:
    return clean(RawInput(source=source, text=text, kind="text", origin="file", given=dict(given)))


def article(i: int) -> str:
    return ARTICLE.replace("ferry line", f"ferry line number {i}")


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty store of each backend: a SQLite file, a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "x.db")
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def store(db: str) -> Iterator[Any]:
    s = open_db(db)
    yield s
    s.close()


def _psql(url: str, sql: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(sql)
        return cur.fetchall() if cur.description else []


# --- choosing the backend --------------------------------------------------------------------------------------------


def test_the_url_scheme_chooses_the_backend() -> None:
    assert store_backend("crossnews.db") == "store.sqlite.v1"
    assert store_backend("postgresql://me@db.example:5432/news") == "store.postgres.v1"
    assert store_backend("postgres://me@db.example/news") == "store.postgres.v1"
    assert store_backend("postgresql://me@db/news", "store.plugin.v1") == "store.plugin.v1", "a plugin's store"
    assert redact("postgresql://me:s3cret@db:5432/news") == "postgresql://me:***@db:5432/news"
    assert redact("postgresql://db/news?user=me&password=s3cret") == "postgresql://db/news?user=me&password=***"


def test_postgres_backend_is_registered() -> None:
    from crossnews.core.registry import resolve

    backend = resolve("store", "store.postgres.v1")
    assert backend.offline


# --- both backends: migrations and round trips ----------------------------------------------------------------------


def test_migrations_are_named_and_recorded(store: Any) -> None:
    applied = store.migrations()
    assert [name for name, _ in applied] == MIGRATION_NAMES
    assert all(at for _, at in applied)
    assert store.integrity_check() == "ok"


def test_postgres_migrations_are_sqlites_by_name() -> None:
    from crossnews.store.migrations_pg import PG_MIGRATIONS

    assert [n for n, _ in PG_MIGRATIONS] == MIGRATION_NAMES, \
        "every SQLite migration needs its PostgreSQL twin, under the same name (store/migrations_pg.py)"


def test_reopening_applies_nothing_twice(db: str) -> None:
    with open_db(db) as s:
        first = s.migrations()
        s.put_document(make_doc())
    for _ in range(2):
        with open_db(db) as s:
            assert s.migrations() == first
            assert s.count("documents") == 1


def test_put_document_round_trip(store: Any) -> None:
    doc = make_doc()
    store.put_document(doc, pipeline="test", raw=ARTICLE)
    assert store.document(doc.id) == doc
    assert list(store.documents()) == [doc]
    assert store.document_id_for_hash(doc.content_hash) == doc.id
    assert store.document_id_for_hash(doc.content_hash, "test") == doc.id
    assert store.document_id_for_hash(doc.content_hash, "another pipeline") is None
    assert store.document("no-such-id") is None
    assert store.raw_input(doc.content_hash) is None


def test_round_trip_of_given_metadata_and_html_raw(store: Any) -> None:
    doc = make_doc(source="feed.jsonl:3#ferry-1", id="ferry-1", outlet="Harbour Gazette",
                   url="https://harbour.example/ferry", published="2024-03-11")
    store.put_document(doc)
    assert store.document("ferry-1") == doc
    page = clean(RawInput(source="library.html", text=HTML, kind="html", origin="file"))
    store.put_document(page, raw=HTML, kind="html")
    assert store.document(page.id) == page
    assert store.raw_input(page.content_hash) == HTML
    assert [d.id for d in store.documents()] == [d.id for d in sorted([doc, page], key=lambda d: (
        d.published is None, d.published or "", d.id))]


def test_same_content_hash_is_one_row(store: Any) -> None:
    doc = make_doc()
    for _ in range(3):
        store.put_document(doc, site="harbour", site_lines=["a line", "another line", "a line"])
    renamed = make_doc(source="renamed.txt")
    assert renamed.id != doc.id and renamed.content_hash == doc.content_hash
    store.put_document(renamed, site="harbour", site_lines=["a line", "another line"])
    assert store.count("documents") == 1
    assert store.document(doc.id) is None and store.document(renamed.id) == renamed
    assert store.site_line_counts("harbour") == {"a line": 1, "another line": 1}


def test_same_id_new_content_replaces(store: Any) -> None:
    old = make_doc(id="story")
    new = make_doc(ARTICLE.replace("Tuesday", "Wednesday"), id="story")
    store.put_document(old)
    store.put_document(new)
    assert store.count("documents") == 1
    assert store.document("story") == new
    assert store.document_id_for_hash(old.content_hash) is None


def test_rejections_and_runs(store: Any) -> None:
    store.add_rejected(Rejected("a.png", "binary content (PNG image), not an article"))
    store.add_rejected(Rejected("a.png", "binary content (PNG image), not an article"))
    store.add_rejected(Rejected("b.txt", "empty input"))
    assert store.rejected() == [Rejected("a.png", "binary content (PNG image), not an article"),
                                Rejected("b.txt", "empty input")]
    store.clear_rejected("a.png")
    assert store.rejected() == [Rejected("b.txt", "empty input")]
    first, second = store.start_run(), store.start_run()
    assert second > first > 0
    store.finish_run(first, inputs=3, analysed=1, rejected=1, unchanged=1)
    assert store.count("runs") == 2
    with pytest.raises(ValueError):
        store.count("documents; DROP TABLE documents")


def test_extracted_records_round_trip(store: Any) -> None:
    doc = make_doc()
    statement = {"id": f"{doc.id}:s1", "doc": doc.id,
                 "speaker": {"text": "Council members", "start": 150, "end": 165, "entity": "e:council",
                             "anonymous": False, "description": None},
                 "cue": {"text": "said", "start": 166, "end": 170, "lemma": "say"},
                 "content": {"text": "x", "start": 171, "end": 240}, "parts": [], "kind": "indirect",
                 "nested_in": None, "channel": None, "confidence": 0.75}
    mentions = [{"entity": "e:council", "start": 150, "end": 165, "name": "Council members", "type": "ORG",
                 "title": None}, {"entity": "e:port", "start": 60, "end": 68, "name": "old port", "type": "LOC"}]
    times = [{"doc": doc.id, "start": 57, "end": 65, "text": "Tuesday", "type": "DATE", "value": "2024-03-12"}]
    store.put_document(doc, extras={"statements": [statement], "mentions": mentions, "times": times})
    [st] = store.statements()
    assert st.id == f"{doc.id}:s1" and st.speaker.entity == "e:council" and st.cue.lemma == "say"
    assert store.statements(doc.id) == [st]
    assert list(store.mention_rows()) == [("e:port", doc.id, 60, 68, "old port", "LOC", None),
                                          ("e:council", doc.id, 150, 165, "Council members", "ORG", None)]
    assert [(t.start, t.value) for t in store.times()] == [(57, "2024-03-12")]
    assert store.document_dates() == {doc.id: "2024-03-12"}
    store.put_alignment({"e:council": "E1", "e:port": "e:port"},
                        [Entity("E1", "Council", "ORG", ("Council members",), (Mention(doc.id, 150, 165),))],
                        [TimelineEntry("T1", "2024-03-12", "vote")], "align-key",
                        [Story("S1", "Ferry", (doc.id,), ("E1",), "2024-03-12", "2024-03-12")])
    assert store.entity_keys() == {"e:council": "E1"}
    assert [e.id for e in store.entities()] == ["E1"]
    assert [t.id for t in store.timeline()] == ["T1"] and [s.id for s in store.stories()] == ["S1"]
    assert store.meta("alignment_key") == "align-key"
    analysis = store.analysis()
    assert analysis.statements[0].speaker.entity == "E1", "speakers point to the merged entities"
    # replacing the document takes what was extracted from it along
    store.put_document(doc)
    assert store.count("statements") == 0 and store.count("mentions") == 0 and store.times() == []


def _relations(tag: str) -> list[Relation]:
    context = {"doc": "d1", "chain": ["The Courier", "Pavel Oskar"], "public": None}
    return [Relation(f"rel-{i:02d}{tag}", "same", f"st-{i}", f"st-{i + 1}",
                     (("a", context), ("b", context), ("similarity", 0.25 * i), ("shared_words", ["x", tag])),
                     "judge.rules.v1", 1.0) for i in (3, 1, 2)]


def test_relations_vectors_and_meta(db: str) -> None:
    with open_db(db) as store:
        store.put_relations(_relations("a"), "key-a")
        fresh = list(store.relation_dicts())
        assert [d["id"] for d in fresh] == ["rel-01a", "rel-02a", "rel-03a"]
        assert json.dumps(fresh) == json.dumps(list(store._stored_relation_dicts()))
        assert store.meta("relations_key") == "key-a" and store.meta("nothing") is None
        with open_db(db) as other:  # another writer replaces them: the database is read again
            other.put_relations(_relations("b"), "key-b")
        assert [d["id"] for d in store.relation_dicts()] == ["rel-01b", "rel-02b", "rel-03b"]
        assert [r.id for r in store.relations()] == ["rel-01b", "rel-02b", "rel-03b"]
        vectors = {"k2": np.arange(4, dtype=np.float32), "k1": np.ones(4, dtype=np.float32)}
        store.put_vectors("m", vectors)
        store.put_vectors("m", {"k1": np.zeros(4, dtype=np.float32)})
        back = store.get_vectors("m", ["k1", "k2", "k3"])
        assert sorted(back) == ["k1", "k2"] and back["k1"].tolist() == [0.0] * 4
        assert back["k2"].tolist() == [0.0, 1.0, 2.0, 3.0]
        assert store.get_vectors("other", ["k1"]) == {}


def test_jobs(store: Any) -> None:
    for i, status in enumerate(["done", "failed", "done", "running"]):
        store.put_job({"id": f"j{i}", "status": status, "created": 100.0 + i, "note": "é"})
    store.put_job({"id": "j3", "status": "done", "created": 103.0})
    assert store.job("j0") == {"id": "j0", "status": "done", "created": 100.0, "note": "é"}
    assert store.job("nope") is None
    assert [j["id"] for j in store.jobs()] == ["j0", "j1", "j2", "j3"]
    assert [j["id"] for j in store.jobs(["failed"])] == ["j1"]
    assert store.prune_jobs(1, ["done", "failed"]) == 3
    assert [j["id"] for j in store.jobs()] == ["j3"]


def test_same_documents_same_state_key_in_both_backends(tmp_path: Path, pg_url: str) -> None:
    keys = []
    for db in (str(tmp_path / "x.db"), pg_url):
        with open_db(db) as s:
            empty = s.state_key()
            s.put_document(make_doc(), pipeline="p")
            s.put_document(make_doc(article(2), source="b.txt"), pipeline="p")
            keys.append((empty, s.state_key()))
    assert keys[0] == keys[1] and keys[0][0] != keys[0][1]


# --- PostgreSQL only: migrations, errors -----------------------------------------------------------------------------


def test_only_pending_migrations_are_applied(pg_url: str) -> None:
    with open_db(pg_url) as s:
        s.put_document(make_doc())
    _psql(pg_url, "DROP TABLE site_lines; DELETE FROM migrations WHERE name = '0002_site_lines'")
    with open_db(pg_url) as s:
        assert [n for n, _ in s.migrations()] == MIGRATION_NAMES
        assert s.count("documents") == 1, "the data survived; 0001 was not run again"
        assert s.site_line_counts("any") == {}


def test_two_processes_opening_a_new_store_apply_each_migration_once(pg_url: str) -> None:
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            open_db(pg_url).close()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _psql(pg_url, "SELECT count(*) FROM migrations") == [(len(MIGRATIONS),)]


def test_foreign_database_is_refused(pg_url: str) -> None:
    _psql(pg_url, "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    with pytest.raises(StoreError) as info:
        open_db(pg_url)
    assert "not a crossnews database" in str(info.value)


def test_a_schema_in_the_url_keeps_stores_apart(pg_url: str) -> None:
    _psql(pg_url, "CREATE SCHEMA other")
    with open_db(pg_url) as s:
        s.put_document(make_doc())
    with open_db(f"{pg_url}?options=-csearch_path%3Dother") as s:
        assert s.schema == "other" and s.count("documents") == 0


def test_no_server_gives_a_clear_store_error() -> None:
    url = "postgresql://me:s3cret@127.0.0.1:1/news?connect_timeout=3"
    with pytest.raises(StoreError) as info:
        open_db(url)
    msg = str(info.value)
    assert msg.startswith("postgresql://me:***@127.0.0.1:1/news") and "s3cret" not in msg
    assert "no PostgreSQL server answers there" in msg


def test_missing_database_gives_a_clear_store_error(pg_cluster: Any) -> None:
    with pytest.raises(StoreError) as info:
        open_db(pg_cluster.url("no_such_db"))
    assert "does not exist" in str(info.value) and "createdb" in str(info.value)


def test_nul_characters_survive_in_the_records(pg_url: str) -> None:
    doc = make_doc(id="nul\0id", title="A title with a NUL\0 in it")
    with open_db(pg_url) as s:
        s.put_document(doc)
        assert s.document("nul\0id") == doc, "the record keeps it; only the plain columns beside it lose it"


def test_server_errors_on_write_are_store_errors(pg_url: str) -> None:
    with open_db(pg_url) as s:
        s.put_document(make_doc())
        s.conn.execute("SET default_transaction_read_only = on")
        with pytest.raises(StoreError) as info:
            s.add_rejected(Rejected("c", "d"))
        assert "read-only" in str(info.value)
        s.conn.execute("SET default_transaction_read_only = off")
        assert s.rejected() == [] and s.count("documents") == 1


# --- several writers ----------------------------------------------------------------------------------------------


def test_concurrent_writers_lose_nothing_and_duplicate_nothing(pg_url: str) -> None:
    """Four writers, each with its own connection, write three shared documents and three of their own at the
    same moment, twice over; each document ends stored once, with what was extracted from it once."""
    shared = [make_doc(article(i), source=f"shared-{i}.txt") for i in range(3)]
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def writer(w: int) -> None:
        try:
            own = [make_doc(article(100 + 10 * w + i), source=f"own-{w}-{i}.txt") for i in range(3)]
            with open_db(pg_url) as s:
                barrier.wait()
                for _ in range(2):
                    for doc in [*shared, *own] if w % 2 else [*own, *reversed(shared)]:
                        s.put_document(doc, site="harbour", site_lines=["Home", "Sport"], extras={
                            "mentions": [{"entity": f"{doc.id}:e", "start": 0, "end": 7, "name": "Harbour",
                                          "type": "ORG"}],
                            "times": [{"doc": doc.id, "start": 57, "end": 65, "type": "DATE", "value": "x"}]})
                    s.add_rejected(Rejected("shared.png", "binary"))
                    s.put_vectors("m", {f"k{i}": np.full(4, i, dtype=np.float32) for i in range(50)})
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with open_db(pg_url) as s:
        assert s.count("documents") == 3 + 4 * 3
        assert s.count("mentions") == 15 and len(s.times()) == 15
        assert s.site_line_counts("harbour") == {"Home": 15, "Sport": 15}
        assert s.rejected() == [Rejected("shared.png", "binary")]
        assert len(s.get_vectors("m", [f"k{i}" for i in range(50)])) == 50


def test_a_whole_store_step_on_documents_that_changed_meanwhile_is_left_out(pg_url: str) -> None:
    """The run that computed relations on an older state does not store them over the newer state's: the writer
    that changed the documents stores its own, so the last one leaves the relations of every document."""
    with open_db(pg_url) as a, open_db(pg_url) as b:
        a.put_document(make_doc())
        a.state_key()  # a reads the state it then aligns and relates
        b.put_document(make_doc(article(2), source="b.txt"))  # b adds a document meanwhile
        b_state = b.state_key()
        a.put_alignment({}, [], [], "stale")
        a.put_relations(_relations("a"), "stale")
        assert a.skipped == ["alignment", "relations"]
        assert a.meta("relations_key") is None and a.meta("alignment_key") is None
        b.put_alignment({}, [], [], f"k|{b_state}")
        b.put_relations(_relations("b"), f"k|{b_state}")
        assert b.skipped == []
        assert [r.id for r in a.relations()] == ["rel-01b", "rel-02b", "rel-03b"]
        a.state_key()  # the next cycle of a, on the current state, is stored
        a.put_relations(_relations("a"), "fresh")
        assert a.meta("relations_key") == "fresh"


# --- the pipeline on both backends ---------------------------------------------------------------------------------


def test_pipeline_gives_the_same_analysis_on_both_backends(tmp_path: Path, pg_url: str) -> None:
    """analyze() into each backend: the same counts, the same resumption, the same analysis."""
    from crossnews.core.settings import DEFAULTS
    from crossnews.pipeline import AnalyzeOptions, analyze
    from crossnews.report.export import to_json

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.txt").write_text(article(2).replace("Council members said", "The mayor, Anna Berg, said"),
                                  encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    opts = AnalyzeOptions(settings=DEFAULTS.replace(embedder="embed.hashing.v1"))
    exports = []
    for db in (str(tmp_path / "x.db"), pg_url):
        with open_db(db) as s:
            first = analyze([str(folder)], s, opts)
            assert (first.inputs, first.analysed, first.rejected) == (3, 2, 1)
            again = analyze([str(folder)], s, opts)
            assert (again.analysed, again.unchanged, again.rejected, again.relations) == (0, 2, 1, None)
            exports.append(json.dumps(to_json(s.analysis()), ensure_ascii=False, sort_keys=True))
    assert exports[0] == exports[1]


# --- end to end: the demo corpus ------------------------------------------------------------------------------------


def _report_json(db: str, out: Path) -> bytes:
    result = CliRunner().invoke(main, ["report", "--db", db, "--json", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


@pytest.mark.slow
def test_demo_into_postgres_gives_the_sqlite_export_byte_for_byte(demo_export: Any, pg_url: str,
                                                                  tmp_path: Path) -> None:
    _, sqlite_out = demo_export
    result = CliRunner().invoke(main, [
        "analyze", str(DEMO / "pages"), str(DEMO / "feed.jsonl"), "--db", pg_url,
        "--json", str(tmp_path / "analysis.json"), "--html", str(tmp_path / "dossier.html"), "--quiet",
    ])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "analysis.json").read_bytes() == (sqlite_out / "analysis.json").read_bytes()
    assert _report_json(pg_url, tmp_path / "r.json") == _report_json(str(sqlite_out / "demo.db"),
                                                                       tmp_path / "s.json")
    again = CliRunner().invoke(main, ["analyze", str(DEMO / "pages"), str(DEMO / "feed.jsonl"), "--db", pg_url,
                                      "--quiet"])
    assert again.exit_code == 0 and "analysed 0" in again.output, "a second run finds every input unchanged"


@pytest.mark.slow
def test_two_concurrent_analyze_runs_lose_nothing_and_duplicate_nothing(demo_export: Any, pg_url: str,
                                                                        tmp_path: Path) -> None:
    """Two `crossnews analyze` processes into one PostgreSQL store at once, on inputs that overlap (both have the
    feed and one page) and differ (one page each): afterwards the store holds every document once, and its export
    is the export of one run over all of them (SQLite's)."""
    _, sqlite_out = demo_export
    pages = sorted(p for p in (DEMO / "pages").iterdir() if p.is_file())
    assert len(pages) >= 3
    feed = str(DEMO / "feed.jsonl")
    runs = [[str(pages[0]), str(pages[1]), feed, *map(str, pages[3:])], [feed, str(pages[2]), str(pages[1])]]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    procs = [subprocess.Popen([sys.executable, "-m", "crossnews.cli", "analyze", *inputs, "--db", pg_url, "-q"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
             for inputs in runs]
    outputs = [p.communicate(timeout=600) for p in procs]
    for p, (out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, (out, err)
    expected = len(json.loads((sqlite_out / "analysis.json").read_text(encoding="utf-8"))["documents"])
    with open_db(pg_url) as s:
        assert s.count("runs") == 2
    assert _psql(pg_url, "SELECT count(*), count(DISTINCT id), count(DISTINCT content_hash) FROM documents") \
        == [(expected, expected, expected)]
    assert _report_json(pg_url, tmp_path / "r.json") == _report_json(str(sqlite_out / "demo.db"),
                                                                       tmp_path / "s.json")


# --- the web app on a PostgreSQL store ------------------------------------------------------------------------------


@pytest.mark.slow
def test_serve_on_postgres_analyses_a_pasted_text_and_shows_it(pg_url: str, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """`crossnews serve --db postgresql://...`: a pasted article is analysed into the server's store, the API shows
    it, and the uploads wait in the user's cache folder (not in a path made of the URL)."""
    import time

    from fastapi.testclient import TestClient

    from crossnews.web.app import create_app, upload_spool

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert upload_spool(pg_url).is_relative_to(tmp_path / "cache")
    text = ("Harbour bridge to reopen\n\nKESTRA, June 5. The mayor said on Monday that the harbour bridge, closed "
            "since 2019, would reopen within weeks after repairs ran over budget.\n")
    with TestClient(create_app(pg_url), base_url="http://127.0.0.1") as client:
        assert client.get("/api/stats").json()["documents"] == 0
        r = client.post("/api/analyze", json={"texts": [{"text": text, "outlet": "Kestra Post"}]})
        assert r.status_code == 202, r.text
        job_id = r.json()["id"]
        deadline = time.monotonic() + 120
        while (job := client.get(f"/api/jobs/{job_id}").json())["status"] not in ("done", "failed"):
            assert time.monotonic() < deadline, job
            time.sleep(0.2)
        assert job["status"] == "done" and job["analysed"] == 1, job
        export = client.get("/api/export").json()
        assert len(export["documents"]) == 1
        said = [s for s in export["statements"] if "reopen" in export["documents"][0]["text"][
            s["content"]["start"]:s["content"]["end"]]]
        assert said, export["statements"]
    with open_db(pg_url) as s:
        assert s.count("documents") == 1
