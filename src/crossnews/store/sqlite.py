"""Stage — store: SQLite, one file, with named migrations recorded in the database.

Entry point: :func:`open_store`. Writing a document (with everything extracted from it) is one transaction, so a
run killed half-way leaves whole documents only, and a second run resumes by content hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np

from crossnews.core.codec import (
    chain_from_json,
    chain_to_json,
    document_from_json,
    document_to_json,
    entity_from_json,
    entity_to_json,
    framing_from_json,
    framing_to_json,
    relation_from_json,
    relation_to_json,
    statement_from_json,
    story_from_json,
    story_to_json,
    technique_from_json,
    timeline_from_json,
    timeline_to_json,
)
from crossnews.core.errors import StoreError
from crossnews.core.records import (
    Analysis,
    Chain,
    Document,
    Entity,
    Framing,
    Rejected,
    Relation,
    Statement,
    Story,
    Technique,
    TimeExpr,
    TimelineEntry,
    with_merged_speakers,
)
from crossnews.core.registry import register
from crossnews.store.jobs import JobsMixin
from crossnews.store.migrations import MIGRATIONS

#: one stored entity mention: (document-level entity key, doc id, start, end, name as written, type, title)
MentionRow = tuple[str, str, int, int, str, str, str | None]

__all__ = ["Store", "open_store", "MIGRATIONS", "DEFAULT_DB"]

DEFAULT_DB = "crossnews.db"
#: ``json.dumps(o, ensure_ascii=False)`` without making an encoder for each of tens of thousands of rows
_to_json = json.JSONEncoder(ensure_ascii=False).encode



def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Store(JobsMixin):
    """A crossnews SQLite database. Use :func:`open_store`; close it (or use it as a context manager)."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        self._written: tuple[str, list[Relation]] | None = None  # the relations this store last wrote, by id

    # -- lifecycle ---------------------------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self, what: str) -> _WriteGuard:
        return _WriteGuard(self, what)

    def migrations(self) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self.conn.execute("SELECT name, applied_at FROM migrations ORDER BY name")]

    def integrity_check(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])

    # -- documents ---------------------------------------------------------------------------------------------
    def document_id_for_hash(self, content_hash: str, pipeline: str | None = None) -> str | None:
        """The id of the document with this content, if it was analysed (with the analysis key ``pipeline``:
        the pipeline version and the input's given fields, when given)."""
        row = self.conn.execute("SELECT id, pipeline FROM documents WHERE content_hash = ?", (content_hash,)).fetchone()
        if row is None or (pipeline is not None and row[1] != pipeline):
            return None
        return str(row[0])

    def put_document(self, doc: Document, *, pipeline: str = "", raw: str | None = None, kind: str = "text",
                     encoding: str = "utf-8", site: str | None = None, site_lines: list[str] | None = None,
                     extras: dict[str, list[dict[str, Any]]] | None = None) -> None:
        """Write one document and what was extracted from it in one transaction (replacing an older version
        with the same id)."""
        with self._write(f"document {doc.source}"):
            self.conn.execute("DELETE FROM documents WHERE id = ? OR content_hash = ?", (doc.id, doc.content_hash))
            self.conn.execute(
                "INSERT INTO documents (id, content_hash, source, format, title, outlet, republisher, published,"
                " language, data, pipeline, analysed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.id, doc.content_hash, doc.source, doc.format, doc.title, doc.outlet, doc.republisher,
                 doc.published, doc.language, json.dumps(document_to_json(doc), ensure_ascii=False), pipeline, _now()),
            )
            if raw is not None and raw != doc.text:
                self.conn.execute(
                    "INSERT OR REPLACE INTO raw_inputs (content_hash, kind, encoding, raw) VALUES (?,?,?,?)",
                    (doc.content_hash, kind, encoding, zlib.compress(raw.encode("utf-8", "surrogatepass"))),
                )
            if site and site_lines:
                self.conn.executemany(
                    "INSERT OR IGNORE INTO site_lines (site, line, doc_id) VALUES (?,?,?)",
                    [(site, line, doc.id) for line in set(site_lines)],
                )
            for m in (extras or {}).get("mentions", []):
                self.conn.execute(
                    "INSERT OR IGNORE INTO mentions (entity_id, doc_id, start, end, name, type, title)"
                    " VALUES (?,?,?,?,?,?,?)",
                    (m["entity"], doc.id, m["start"], m["end"], m["name"], m["type"], m.get("title")),
                )
            for s in (extras or {}).get("statements", []):
                self.conn.execute("INSERT OR REPLACE INTO statements (id, doc_id, data) VALUES (?,?,?)",
                                  (s["id"], doc.id, json.dumps(s, ensure_ascii=False)))
            for t in (extras or {}).get("times", []):
                self.conn.execute("INSERT INTO times (doc_id, data) VALUES (?,?)",
                                  (doc.id, json.dumps(t, ensure_ascii=False)))
            self.conn.executemany("INSERT INTO namings (doc_id, pos, data) VALUES (?,?,?)",
                                  [(doc.id, i, _to_json(t)) for i, t in enumerate((extras or {}).get("namings", []))])
            self.conn.executemany("INSERT INTO techniques (doc_id, pos, data) VALUES (?,?,?)",
                                  [(doc.id, i, _to_json(t))
                                   for i, t in enumerate((extras or {}).get("techniques", []))])

    def raw_input(self, content_hash: str) -> str | None:
        row = self.conn.execute("SELECT raw FROM raw_inputs WHERE content_hash = ?", (content_hash,)).fetchone()
        return None if row is None else zlib.decompress(row[0]).decode("utf-8", "surrogatepass")

    def documents(self) -> Iterator[Document]:
        for (data,) in self.conn.execute("SELECT data FROM documents ORDER BY published IS NULL, published, id"):
            yield document_from_json(json.loads(data))

    def document(self, doc_id: str) -> Document | None:
        row = self.conn.execute("SELECT data FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return None if row is None else document_from_json(json.loads(row[0]))

    def count(self, table: str) -> int:
        if table not in {"documents", "rejected", "statements", "entities", "times", "timeline", "relations", "runs",
                         "mentions", "stories", "chains", "namings", "techniques", "framing"}:
            raise ValueError(f"unknown table {table!r}")
        return int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def site_line_counts(self, site: str) -> dict[str, int]:
        rows = self.conn.execute("SELECT line, count(*) FROM site_lines WHERE site = ? GROUP BY line", (site,))
        return {str(line): int(n) for line, n in rows}

    # -- rejections --------------------------------------------------------------------------------------------
    def add_rejected(self, rejected: Rejected) -> None:
        with self._write(f"rejection of {rejected.source}"):
            self.conn.execute(
                "INSERT INTO rejected (source, reason, rejected_at) VALUES (?,?,?) "
                "ON CONFLICT (source, reason) DO UPDATE SET rejected_at = excluded.rejected_at",
                (rejected.source, rejected.reason, _now()),
            )

    def clear_rejected(self, source: str) -> None:
        with self._write(f"rejections of {source}"):
            self.conn.execute("DELETE FROM rejected WHERE source = ?", (source,))

    def rejected(self) -> list[Rejected]:
        return [Rejected(s, r) for s, r in self.conn.execute("SELECT source, reason FROM rejected ORDER BY id")]

    # -- runs --------------------------------------------------------------------------------------------------
    def start_run(self) -> int:
        with self._write("run start"):
            cur = self.conn.execute("INSERT INTO runs (started_at) VALUES (?)", (_now(),))
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, *, inputs: int, analysed: int, rejected: int, unchanged: int) -> None:
        with self._write("run summary"):
            self.conn.execute(
                "UPDATE runs SET finished_at = ?, inputs = ?, analysed = ?, rejected = ?, unchanged = ?,"
                " status = 'finished' WHERE id = ?",
                (_now(), inputs, analysed, rejected, unchanged, run_id),
            )

    # -- whole analysis ----------------------------------------------------------------------------------------
    def statements(self, doc_id: str | None = None) -> list[Statement]:
        sql = "SELECT data FROM statements" + (" WHERE doc_id = ?" if doc_id else "")
        rows = self.conn.execute(sql, (doc_id,) if doc_id else ())
        out = [statement_from_json(json.loads(data)) for (data,) in rows]
        return sorted(out, key=lambda s: (s.doc, s.cue.span.start if s.cue else s.content.start))

    def mention_rows(self) -> Iterator[MentionRow]:
        """Every stored entity mention: (document-level key, doc, start, end, name, type, title), by doc and start."""
        rows = self.conn.execute("SELECT entity_id, doc_id, start, end, name, type, title FROM mentions "
                                 "ORDER BY doc_id, start")
        for key, doc_id, start, end, name, type_, title in rows:
            yield str(key), str(doc_id), int(start), int(end), str(name), str(type_), title

    def document_dates(self) -> dict[str, str | None]:
        """Each document's publication date (``None`` where it has none)."""
        return {str(i): p for i, p in self.conn.execute("SELECT id, published FROM documents")}

    def put_alignment(self, merge: dict[str, str], entities: Sequence[Entity], timeline: Sequence[TimelineEntry],
                      key: str, stories: Sequence[Story] = (), framing: Sequence[Framing] = ()) -> None:
        """Replace the align stage's output over the whole store (document-level entity key → merged entity id,
        the merged entities, the timeline, the stories, the framing tables) in one transaction; ``key`` records the
        state it was computed on."""
        with self._write("entities, timeline and stories"):
            for table in ("entity_keys", "entities", "timeline", "stories", "framing"):
                self.conn.execute(f"DELETE FROM {table}")
            self.conn.executemany("INSERT INTO framing (pos, id, data) VALUES (?, ?, ?)",
                                  ((i, f.id, _to_json(framing_to_json(f))) for i, f in enumerate(framing)))
            self.conn.executemany("INSERT INTO stories (pos, id, data) VALUES (?, ?, ?)",
                                  ((i, s.id, _to_json(story_to_json(s))) for i, s in enumerate(stories)))
            self.conn.executemany("INSERT INTO entity_keys (key, entity_id) VALUES (?, ?)",
                                  sorted((k, v) for k, v in merge.items() if k != v))
            self.conn.executemany("INSERT INTO entities (id, data) VALUES (?, ?)",
                                  ((e.id, _to_json(entity_to_json(e))) for e in entities))
            self.conn.executemany("INSERT INTO timeline (pos, id, data) VALUES (?, ?, ?)",
                                  ((i, t.id, _to_json(timeline_to_json(t))) for i, t in enumerate(timeline)))
            self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('alignment_key', ?)", (key,))

    def entity_keys(self) -> dict[str, str]:
        """Document-level entity key → merged entity id, as the align stage last stored it (keys that stand for
        themselves are left out)."""
        return {str(k): str(v) for k, v in self.conn.execute("SELECT key, entity_id FROM entity_keys")}

    def entities(self) -> list[Entity]:
        """The merged entities, as the align stage last stored them, by id."""
        return [entity_from_json(json.loads(data))
                for (data,) in self.conn.execute("SELECT data FROM entities ORDER BY id")]

    def timeline(self) -> list[TimelineEntry]:
        """The timeline, as the align stage last stored it, in its stored order."""
        return [timeline_from_json(json.loads(data))
                for (data,) in self.conn.execute("SELECT data FROM timeline ORDER BY pos")]

    def stories(self) -> list[Story]:
        """The stories, as the align stage last stored them, in their stored order (largest first)."""
        return [story_from_json(json.loads(data))
                for (data,) in self.conn.execute("SELECT data FROM stories ORDER BY pos")]

    def framing(self) -> list[Framing]:
        """The framing tables, as the align stage last stored them, in their stored order."""
        return [framing_from_json(json.loads(data))
                for (data,) in self.conn.execute("SELECT data FROM framing ORDER BY pos")]

    def naming_terms(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every document's naming terms (``crossnews.extract.naming``) as ``(doc id, term)``, by doc and offset."""
        for doc_id, data in self.conn.execute("SELECT doc_id, data FROM namings ORDER BY doc_id, pos"):
            yield str(doc_id), json.loads(data)

    def techniques(self) -> list[Technique]:
        """Every document's technique spans, by doc and offset."""
        return [technique_from_json(json.loads(data))
                for (data,) in self.conn.execute("SELECT data FROM techniques ORDER BY doc_id, pos")]

    def times(self, doc_id: str | None = None) -> list[TimeExpr]:
        sql = "SELECT data FROM times" + (" WHERE doc_id = ?" if doc_id else "") + " ORDER BY id"
        out = []
        for (data,) in self.conn.execute(sql, (doc_id,) if doc_id else ()):
            d = json.loads(data)
            out.append(TimeExpr(d["doc"], d["start"], d["end"], d["type"], d["value"]))
        return sorted(out, key=lambda t: (t.doc, t.start))

    # -- relations (the align stage's output over the whole store) ---------------------------------------------
    def get_vectors(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Cached sentence vectors by text key, for one embedding model."""
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(keys), 500):
            chunk = list(keys[i:i + 500])
            marks = ",".join("?" * len(chunk))
            for key, data in self.conn.execute(
                    f"SELECT key, data FROM vectors WHERE model = ? AND key IN ({marks})", [model, *chunk]):
                out[str(key)] = np.frombuffer(data, dtype=np.float32)
        return out

    def put_vectors(self, model: str, items: dict[str, np.ndarray]) -> None:
        with self._write("sentence vectors"):
            self.conn.executemany("INSERT OR REPLACE INTO vectors (model, key, data) VALUES (?, ?, ?)",
                                  [(model, k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()])

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def put_relations(self, relations: Sequence[Relation], key: str, chains: Sequence[Chain] = ()) -> None:
        """Replace every relation with ``relations`` (computed over the whole store), and the claim chains with
        ``chains``, in one transaction, and record what they were computed with (``key``: pipeline, judge, embedder
        and the documents' state)."""
        self._written = None
        with self._write("relations"):
            self.conn.execute("DELETE FROM relations")
            self.conn.execute("DELETE FROM chains")
            self.conn.executemany("INSERT INTO relations (id, data) VALUES (?, ?)",
                                  ((r.id, _to_json(relation_to_json(r))) for r in relations))
            self.conn.executemany("INSERT INTO chains (pos, id, data) VALUES (?, ?, ?)",
                                  ((i, c.id, _to_json(chain_to_json(c))) for i, c in enumerate(chains)))
            self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('relations_key', ?)", (key,))
        self._written = (key, sorted(relations, key=lambda r: r.id))

    def chains(self) -> list[Chain]:
        """The claim chains, as the relate stage last stored them, longest first."""
        return [chain_from_json(json.loads(data))
                for (data,) in self.conn.execute("SELECT data FROM chains ORDER BY pos")]

    def relations(self) -> list[Relation]:
        return [relation_from_json(d) for d in self._stored_relation_dicts()]

    def relation_dicts(self) -> Iterator[dict[str, Any]]:
        """The relations in the export's form (``relation_to_json``), by id, one at a time: for writing a large
        export without decoding every relation at once. Right after this store wrote them (and while the stored
        ones are still those), from the relations it wrote rather than decoded again from the database."""
        written = self._written
        if written is not None and self.meta("relations_key") == written[0]:
            return (relation_to_json(r) for r in written[1])
        return self._stored_relation_dicts()

    def _stored_relation_dicts(self) -> Iterator[dict[str, Any]]:
        for (data,) in self.conn.execute("SELECT data FROM relations ORDER BY id"):
            d: dict[str, Any] = json.loads(data)
            yield d

    def change_key(self) -> tuple[Any, ...]:
        """Changes whenever anything an analysis of the store shows changes: documents (added, replaced,
        re-analysed), rejections, relations, runs (the web app rebuilds its cached analysis on a change)."""
        parts: list[Any] = []
        for sql in ("SELECT count(*), max(analysed_at), group_concat(content_hash) FROM "
                    "(SELECT analysed_at, content_hash FROM documents ORDER BY id)",
                    "SELECT count(*), max(id) FROM rejected", "SELECT count(*) FROM relations",
                    "SELECT count(*), max(id), max(finished_at) FROM runs",
                    "SELECT group_concat(value) FROM (SELECT value FROM meta WHERE key IN "
                    "('alignment_key', 'relations_key') ORDER BY key)"):
            parts.extend(self.conn.execute(sql).fetchone())
        return tuple(parts)

    def state_key(self) -> str:
        """Changes whenever a document is added, replaced or removed."""
        row = self.conn.execute("SELECT count(*), coalesce(group_concat(id || ':' || pipeline, ','), '') FROM "
                                "(SELECT id, pipeline FROM documents ORDER BY id)").fetchone()
        return hashlib.sha1(f"{row[0]}:{row[1]}".encode()).hexdigest()

    def analysis(self, *, relations: bool = True) -> Analysis:
        """Everything in the store as an :class:`Analysis`, as the stages stored it; statements' speakers point to
        the merged entities."""
        merge = self.entity_keys()
        statements = with_merged_speakers(self.statements(), merge)
        return Analysis(documents=tuple(self.documents()), entities=tuple(self.entities()), statements=statements,
                        times=tuple(self.times()), timeline=tuple(self.timeline()),
                        relations=tuple(self.relations()) if relations else (), rejected=tuple(self.rejected()),
                        stories=tuple(self.stories()), chains=tuple(self.chains()), framing=tuple(self.framing()),
                        techniques=tuple(self.techniques()))


class _WriteGuard:
    """A transaction that turns SQLite's write failures into one clear :class:`StoreError`."""

    def __init__(self, store: Store, what: str) -> None:
        self.store = store
        self.what = what

    def __enter__(self) -> None:
        try:
            self.store.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(_explain(self.store.path, exc, f"cannot write {self.what}")) from exc

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> Literal[False]:
        conn = self.store.conn
        if exc_type is None:
            try:
                conn.execute("COMMIT")
                return False
            except sqlite3.Error as err:
                exc = err
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass
        if isinstance(exc, sqlite3.Error):
            raise StoreError(_explain(self.store.path, exc, f"cannot write {self.what}")) from exc
        return False


def _explain(path: str, exc: sqlite3.Error, action: str) -> str:
    msg = str(exc)
    low = msg.lower()
    if "readonly" in low or "read-only" in low:
        hint = "the database is read-only; choose a writable --db path"
    elif "disk is full" in low or "disk i/o" in low or "full" in low:
        hint = "the disk is full; free space or choose another --db path"
    elif "not a database" in low or "malformed" in low:
        hint = "the file is not a crossnews (SQLite) database or it is damaged; choose another --db path"
    elif "locked" in low or "busy" in low:
        hint = "another process holds the database; wait for it or use another --db path"
    elif "unable to open" in low:
        hint = "the database file cannot be opened; check that its folder exists and is writable"
    else:
        hint = msg
    return f"{path}: {action}: {hint} (sqlite: {msg})"


def open_store(path: str | Path = DEFAULT_DB) -> Store:
    """Open (creating if needed) a store and apply pending migrations, each in its own transaction."""
    p = str(path)
    if p != ":memory:":
        parent = Path(p).resolve().parent
        if not parent.exists():
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{p}: cannot create the folder {parent}: {exc.strerror}") from exc
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(p, isolation_level=None, timeout=30)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 30000")
        if p != ":memory:":
            try:
                conn.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError:
                pass  # a read-only file cannot switch journal mode; writes will report it clearly
        conn.execute("PRAGMA synchronous = NORMAL")
        store = Store(conn, p)
        existing = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if existing and "migrations" not in existing:
            conn.close()
            raise StoreError(f"{p}: not a crossnews database (it has other tables and no migrations table); "
                             "choose another --db path")
        if "migrations" not in existing:
            with store._write("migrations table"):
                conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        applied = {r[0] for r in conn.execute("SELECT name FROM migrations")}
        for name, sql in MIGRATIONS:
            if name in applied:
                continue
            with store._write(f"migration {name}"):
                for statement in sql.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (name, _now()))
        return store
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        raise StoreError(_explain(p, exc, "cannot open the database")) from exc
    except StoreError:
        if conn is not None:
            conn.close()
        raise


register("store.sqlite.v1", description="SQLite file with named, recorded migrations (default)")(open_store)
