"""The SQLite store: named, recorded migrations; exact round trips; idempotent writes; clear StoreErrors."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crossnews.clean import clean
from crossnews.core.errors import InputError, StoreError
from crossnews.core.records import Document, Rejected, Relation
from crossnews.ingest import RawInput
from crossnews.store.sqlite import MIGRATIONS, Store, open_store

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
    "minutes of the opening.</p>"
    "<p>The city said the repairs had cost less than planned because the old timber beams could be saved.</p>"
    "</article><footer>Subscribe to our newsletter</footer></body></html>"
)
MIGRATION_NAMES = [name for name, _ in MIGRATIONS]


def make_doc(text: str = ARTICLE, source: str = "harbour.txt", **given: str) -> Document:
    return clean(RawInput(source=source, text=text, kind="text", origin="file", given=dict(given)))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "x.db")
    yield s
    s.close()


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


# --- migrations ----------------------------------------------------------------------------------------------------


def test_migrations_are_named_and_recorded(store: Store) -> None:
    applied = store.migrations()
    assert [name for name, _ in applied] == MIGRATION_NAMES
    assert [name for name, _ in MIGRATIONS] == MIGRATION_NAMES
    assert all(at for _, at in applied), "each migration records when it was applied"


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    with open_store(db) as s:
        first = s.migrations()
        s.put_document(make_doc())
    for _ in range(2):
        with open_store(db) as s:
            assert s.migrations() == first, "same names, same applied_at: nothing re-applied"
            assert s.count("documents") == 1
    assert rows(db, "SELECT count(*) FROM migrations") == [(len(MIGRATIONS),)]


def test_only_pending_migrations_are_applied(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    with open_store(db) as s:
        s.put_document(make_doc())
    # Roll the database back to how 0001 alone left it.
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE site_lines")
        conn.execute("DELETE FROM migrations WHERE name = '0002_site_lines'")
    with open_store(db) as s:
        assert [n for n, _ in s.migrations()] == MIGRATION_NAMES
        assert s.count("documents") == 1, "the data survived; 0001 was not run again"
        assert s.site_line_counts("any") == {}


def test_missing_folder_is_created(tmp_path: Path) -> None:
    db = tmp_path / "deep" / "er" / "x.db"
    with open_store(db) as s:
        assert s.integrity_check() == "ok"
    assert db.exists()


def test_integrity_check_ok(store: Store) -> None:
    store.put_document(make_doc())
    assert store.integrity_check() == "ok"


def test_memory_store() -> None:
    with open_store(":memory:") as s:
        assert [n for n, _ in s.migrations()] == MIGRATION_NAMES


# --- documents -----------------------------------------------------------------------------------------------------


def test_clean_document_has_what_the_store_test_needs() -> None:
    doc = make_doc()
    assert doc.title == "Harbour council approves a new ferry line to the island"
    assert doc.published == "2024-03-12"
    assert doc.text == ARTICLE
    assert doc.text[doc.body.start : doc.body.end].startswith("The harbour council voted")


def test_put_document_round_trip(store: Store) -> None:
    doc = make_doc()
    store.put_document(doc, pipeline="test", raw=ARTICLE)
    back = store.document(doc.id)
    assert back == doc
    assert list(store.documents()) == [doc]
    assert store.document_id_for_hash(doc.content_hash) == doc.id
    assert store.document_id_for_hash(doc.content_hash, "test") == doc.id
    assert store.document_id_for_hash(doc.content_hash, "another pipeline") is None
    assert store.document("no-such-id") is None
    assert store.raw_input(doc.content_hash) is None, "raw equal to the text is not stored twice"


def test_round_trip_of_document_with_given_metadata(store: Store) -> None:
    doc = make_doc(source="feed.jsonl:3#ferry-1", id="ferry-1", outlet="Harbour Gazette",
                   url="https://harbour.example/ferry", published="2024-03-11")
    assert doc.id == "ferry-1" and doc.url == "https://harbour.example/ferry"
    store.put_document(doc)
    assert store.document("ferry-1") == doc


def test_round_trip_of_html_document_keeps_raw(store: Store) -> None:
    doc = clean(RawInput(source="library.html", text=HTML, kind="html", origin="file"))
    assert doc.text != HTML
    store.put_document(doc, raw=HTML, kind="html")
    assert store.document(doc.id) == doc
    assert store.raw_input(doc.content_hash) == HTML


def test_same_content_hash_is_one_row(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    doc = make_doc()
    with open_store(db) as s:
        for _ in range(3):
            s.put_document(doc, site="harbour", site_lines=["a line", "another line", "a line"])
        # A new id for the same content (renamed file) replaces the row, it does not add one.
        renamed = make_doc(source="renamed.txt")
        assert renamed.id != doc.id and renamed.content_hash == doc.content_hash
        s.put_document(renamed, site="harbour", site_lines=["a line", "another line"])
        assert s.count("documents") == 1
        assert s.document(doc.id) is None and s.document(renamed.id) == renamed
        assert s.site_line_counts("harbour") == {"a line": 1, "another line": 1}
    assert rows(db, "SELECT count(*), count(DISTINCT content_hash) FROM documents") == [(1, 1)]


def test_same_id_new_content_replaces(store: Store) -> None:
    old = make_doc(id="story")
    new = make_doc(ARTICLE.replace("Tuesday", "Wednesday"), id="story")
    assert old.content_hash != new.content_hash
    store.put_document(old)
    store.put_document(new)
    assert store.count("documents") == 1
    assert store.document("story") == new
    assert store.document_id_for_hash(old.content_hash) is None


def test_add_rejected_twice_is_one_row(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    with open_store(db) as s:
        s.add_rejected(Rejected("a.png", "binary content (PNG image), not an article"))
        s.add_rejected(Rejected("a.png", "binary content (PNG image), not an article"))
        s.add_rejected(Rejected("b.txt", "empty input"))
        assert s.rejected() == [Rejected("a.png", "binary content (PNG image), not an article"),
                                Rejected("b.txt", "empty input")]
        assert s.count("rejected") == 2
        s.clear_rejected("a.png")
        assert s.rejected() == [Rejected("b.txt", "empty input")]
    assert rows(db, "SELECT count(*) FROM rejected") == [(1,)]


def test_count_refuses_unknown_table(store: Store) -> None:
    with pytest.raises(ValueError):
        store.count("sqlite_master; DROP TABLE documents")


# --- errors --------------------------------------------------------------------------------------------------------


def test_not_a_database_file_gives_store_error(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_text("These are my notes, not a database.\n" * 50)
    with pytest.raises(StoreError) as info:
        open_store(db)
    msg = str(info.value)
    assert str(db) in msg
    assert "not a crossnews (SQLite) database" in msg and "--db" in msg
    assert db.read_text().startswith("These are my notes"), "the file is left alone"


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "places.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    with pytest.raises(StoreError) as info:
        open_store(db)
    assert "not a crossnews" in str(info.value)


def test_folder_that_cannot_be_created_gives_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(StoreError) as info:
        open_store(blocker / "sub" / "x.db")
    msg = str(info.value)
    assert "cannot create the folder" in msg and str(blocker / "sub") in msg


def test_directory_as_database_path_gives_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        open_store(tmp_path)
    assert str(tmp_path) in str(info.value) and "cannot open" in str(info.value)


def test_read_only_database_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: file permissions do not stop writes (see the mode=ro test below)")
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "x.db"
    with open_store(db) as s:
        s.add_rejected(Rejected("a", "b"))
    os.chmod(db, 0o444)
    os.chmod(folder, stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(StoreError) as info:
            s = open_store(db)
            try:
                s.add_rejected(Rejected("c", "d"))
            finally:
                s.close()
        msg = str(info.value)
        assert str(db) in msg
        assert "read-only" in msg or "cannot be opened" in msg
    finally:
        os.chmod(folder, 0o755)
        os.chmod(db, 0o644)


def test_write_to_read_only_connection_gives_store_error(tmp_path: Path) -> None:
    """Works as root too: the store's connection is swapped for a read-only one (SQLite URI mode=ro)."""
    db = tmp_path / "x.db"
    s = open_store(db)
    s.add_rejected(Rejected("a", "b"))
    s.conn.close()
    s.conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, isolation_level=None)
    try:
        with pytest.raises(StoreError) as info:
            s.add_rejected(Rejected("c", "d"))
        msg = str(info.value)
        assert msg.startswith(f"{db}: cannot write rejection of c:")
        assert "read-only" in msg and "writable --db" in msg
        with pytest.raises(StoreError):
            s.put_document(make_doc())
        assert s.rejected() == [Rejected("a", "b")], "nothing half-written"
        assert s.conn.in_transaction is False, "the failed transaction was rolled back"
    finally:
        s.close()


def test_full_disk_gives_store_error_and_writes_nothing_half(tmp_path: Path) -> None:
    """SQLite's page cap stands in for a full disk: the write fails with SQLITE_FULL, as on a full disk."""
    import dataclasses

    db = tmp_path / "x.db"
    s = open_store(db)
    try:
        before = s.count("documents")
        pages = s.conn.execute("PRAGMA page_count").fetchone()[0]
        s.conn.execute(f"PRAGMA max_page_count = {pages + 1}")
        doc = make_doc()
        big = dataclasses.replace(doc, text=doc.text + " filler" * 200_000)
        with pytest.raises(StoreError) as info:
            s.put_document(big, raw=big.text + "<!-- raw -->")
        msg = str(info.value)
        assert msg.startswith(f"{db}: cannot write document") and "disk is full" in msg, msg
        assert s.count("documents") == before, "nothing half-written"
        assert s.conn.in_transaction is False
        assert s.integrity_check() == "ok"
    finally:
        s.close()


def test_locked_database_gives_store_error(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    s = open_store(db)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    s.conn.execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(StoreError) as info:
            s.add_rejected(Rejected("a", "b"))
        assert "another process holds the database" in str(info.value)
    finally:
        other.execute("ROLLBACK")
        other.close()
        s.close()


# --- property: cleaning keeps spans inside the text; the store round-trips the document ---------------------------

PRINTABLE = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn"))
WORDS = ["the", "council", "said", "on", "Tuesday", "that", "a", "new", "ferry", "line", "would", "open", "in",
         "March", "2024", "Subscribe", "Home", "by", "Anna", "Berg", "—", "«quoted»", "residents", "were", "told"]
SENTENCE = st.builds(
    lambda words, end: " ".join(words) + end,
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=25),
    st.sampled_from(["", ".", "!", "?", ".”", ":"]),
)
PROSE = st.builds(lambda words: " ".join(words) + ".", st.lists(st.sampled_from(WORDS), min_size=8, max_size=30))
LINE = st.one_of(PROSE, SENTENCE, st.text(PRINTABLE, max_size=30), st.just(""))
ARTICLE_LIKE = st.builds(
    lambda lines, nl: nl.join(lines),
    st.lists(LINE, min_size=1, max_size=12),
    st.sampled_from(["\n", "\r\n", "\n\n"]),
).filter(bool)
# Any printable text (mostly rejected by clean: no prose) and article-like text (mostly cleaned).
TEXTS = st.one_of(st.text(st.one_of(PRINTABLE, st.just("\n")), min_size=1), ARTICLE_LIKE, ARTICLE_LIKE)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS)
def test_clean_spans_lie_inside_the_text_and_store_round_trips(text: str) -> None:
    raw = RawInput(source="generated.txt", text=text, kind="text", origin="file")
    try:
        doc = clean(raw)
    except InputError as exc:
        assert exc.source == "generated.txt" and exc.reason
        return
    n = len(doc.text)
    assert doc.text == text, "plain text is kept exactly"
    assert 0 <= doc.body.start <= doc.body.end <= n
    previous_end = 0
    for r in doc.removed:
        assert 0 <= r.start <= r.end <= n, r
        assert r.start >= previous_end, f"removed spans overlap: {doc.removed}"
        previous_end = r.end
    for span in [doc.lede, doc.published_evidence.span, *(e.span for e in doc.evidence)]:
        if span is not None:
            assert 0 <= span.start <= span.end <= n
    with open_store(":memory:") as s:
        s.put_document(doc, raw=text)
        assert s.document(doc.id) == doc
        assert s.count("documents") == 1


# --- relations -----------------------------------------------------------------------------------------------------


def _relations(tag: str) -> list[Relation]:
    context = {"doc": "d1", "chain": ("The Courier", "Pavel Oskar"), "public": None}
    return [Relation(f"rel-{i:02d}{tag}", "same", f"st-{i}", f"st-{i + 1}",
                     (("a", context), ("b", context), ("similarity", 0.25 * i), ("shared_words", ["x", tag])),
                     "judge.rules.v1", 1.0) for i in (3, 1, 2)]


def test_relation_dicts_right_after_writing_are_what_the_database_gives(tmp_path: Path) -> None:
    import json

    with open_store(tmp_path / "x.db") as store:
        store.put_relations(_relations("a"), "key-a")
        fresh = list(store.relation_dicts())
        stored = list(store._stored_relation_dicts())
        assert [d["id"] for d in fresh] == ["rel-01a", "rel-02a", "rel-03a"]
        assert json.dumps(fresh, ensure_ascii=False, indent=1) == json.dumps(stored, ensure_ascii=False, indent=1)
        with open_store(tmp_path / "x.db") as other:  # another writer replaces them: the database is read again
            other.put_relations(_relations("b"), "key-b")
        assert [d["id"] for d in store.relation_dicts()] == ["rel-01b", "rel-02b", "rel-03b"]
