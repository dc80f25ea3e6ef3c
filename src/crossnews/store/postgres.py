"""Stage — store: PostgreSQL, a store that several machines and processes share (``store.postgres.v1``).

Entry point: :func:`open_store` with a ``postgresql://user[:password]@host[:port]/database`` URL (any libpq URL; the
tables go in the first schema of the ``search_path``). It keeps the same records as the SQLite store
(:mod:`crossnews.store.sqlite`), with the same methods, the same named migrations (:mod:`.migrations_pg`, each
applied in a transaction and recorded) and the same order of every list it returns, so an export written from
either store is the same, byte for byte.

Several writers at once (a batch and the web app, two ``crossnews analyze`` runs) lose nothing and duplicate
nothing:

- each write is one transaction; rows that two writers may both insert (rejections, vectors, raw inputs, site
  lines, jobs, meta) are written with ``INSERT … ON CONFLICT``, in a fixed order so that two writers never deadlock;
- a document is written under transaction-scoped advisory locks on its id and its content hash: a second writer of
  the same document waits for the first to commit, then replaces it whole (one row per id and per content hash);
- the whole-store steps (alignment: entities, timeline, stories; relations and claim chains) are rewritten under an
  advisory lock each, and only when the documents are still those they were computed on: the state this store read
  first (:meth:`PgStore.state_key`, which the pipeline reads before it aligns) must still be the state of the
  database. When another writer added documents meanwhile, the rewrite is left out: that writer aligns and relates
  after its own documents, on a state that has them all, so the last run to finish leaves the alignment and the
  relations of every document;
- :meth:`PgStore.analysis` reads in one repeatable-read snapshot, so a reader never sees half of another
  writer's work.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import psycopg
from psycopg import IsolationLevel
from psycopg.conninfo import conninfo_to_dict
from psycopg.pq import TransactionStatus

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
from crossnews.store.backend import is_postgres_url, redact
from crossnews.store.migrations_pg import PG_MIGRATIONS

__all__ = ["PgStore", "open_store", "is_postgres_url", "redact", "PG_MIGRATIONS"]
#: one stored entity mention: (document-level entity key, doc id, start, end, name as written, type, title)
MentionRow = tuple[str, str, int, int, str, str, str | None]

_log = logging.getLogger("crossnews.store")
_to_json = json.JSONEncoder(ensure_ascii=False).encode
_TABLES = {"documents", "rejected", "statements", "entities", "times", "timeline", "relations", "runs", "mentions",
           "stories", "chains", "namings", "techniques", "framing"}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _lock_key(*parts: str) -> int:
    """A 64-bit advisory lock key for ``parts`` (the schema first, so stores in two schemas never share a lock)."""
    return int.from_bytes(hashlib.sha1("\0".join(parts).encode("utf-8", "surrogatepass")).digest()[:8], "big",
                          signed=True)


def _t(value: Any) -> Any:
    """A parameter as PostgreSQL can hold it: its text columns cannot contain NUL (SQLite's can). The records
    themselves are stored as JSON, where NUL is escaped; only the plain columns beside them lose it."""
    return value.replace("\0", "\ufffd") if isinstance(value, str) and "\0" in value else value


def _row(params: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(_t(p) for p in params)


class PgStore:
    """A crossnews store in a PostgreSQL database. Use :func:`open_store`; close it (or use it as a context
    manager). The same methods as :class:`crossnews.store.sqlite.Store`."""

    def __init__(self, conn: psycopg.Connection[Any], url: str) -> None:
        self.conn = conn
        self.url = redact(url)
        self.path = self.url  # what messages name, as the SQLite store's path
        schema = conn.execute("SELECT current_schema()").fetchone()
        if schema is None or schema[0] is None:
            raise StoreError(f"{self.url}: cannot open the database: its search_path names no schema that exists; "
                             "create one or set search_path")
        self.schema = str(schema[0])
        self._written: tuple[str, list[Relation]] | None = None  # the relations this store last wrote, by id
        self._basis: str | None = None  # the documents' state the whole-store step under way was computed on
        self.skipped: list[str] = []  # whole-store rewrites left out because another writer changed the documents

    # -- lifecycle ---------------------------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> PgStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self, what: str, *locks: tuple[str, ...]) -> Iterator[None]:
        """One transaction, holding the advisory locks ``locks`` (taken in a fixed order) until it ends; the
        server's failures become one clear :class:`StoreError`."""
        try:
            with self.conn.transaction():
                for key in sorted(_lock_key(self.schema, *lock) for lock in locks):
                    self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (key,))
                yield
        except psycopg.Error as exc:
            raise StoreError(_explain(self.url, exc, f"cannot write {what}")) from exc

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Reads in one repeatable-read, read-only transaction: one state of the database, whatever others write
        meanwhile."""
        if self.conn.info.transaction_status != TransactionStatus.IDLE:
            yield
            return
        self.conn.isolation_level = IsolationLevel.REPEATABLE_READ
        self.conn.read_only = True
        try:
            with self.conn.transaction():
                yield
        finally:
            self.conn.isolation_level = None
            self.conn.read_only = None

    def _one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self.conn.execute(sql, _row(params)).fetchone()
        return row

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = self.conn.execute(sql, _row(params)).fetchall()
        return rows

    def _many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = [_row(r) for r in rows]
        if batch:
            with self.conn.cursor() as cur:
                cur.executemany(sql, batch)

    def migrations(self) -> list[tuple[str, str]]:
        return [(str(n), str(a)) for n, a in self._rows("SELECT name, applied_at FROM migrations ORDER BY name")]

    def integrity_check(self) -> str:
        """``ok`` when every migration is applied and the tables answer (the server checks its own pages)."""
        applied = {n for n, _ in self.migrations()}
        missing = [n for n, _ in PG_MIGRATIONS if n not in applied]
        if missing:
            return f"migrations not applied: {', '.join(missing)}"
        for table in sorted(_TABLES):
            self._one(f"SELECT 1 FROM {table} LIMIT 1")
        return "ok"

    # -- documents ---------------------------------------------------------------------------------------------
    def document_id_for_hash(self, content_hash: str, pipeline: str | None = None) -> str | None:
        """The id of the document with this content, if it was analysed (with the analysis key ``pipeline``:
        the pipeline version and the input's given fields, when given)."""
        row = self._one("SELECT id, pipeline FROM documents WHERE content_hash = %s", (content_hash,))
        if row is None or (pipeline is not None and row[1] != _t(pipeline)):
            return None
        return str(row[0])

    def put_document(self, doc: Document, *, pipeline: str = "", raw: str | None = None, kind: str = "text",
                     encoding: str = "utf-8", site: str | None = None, site_lines: list[str] | None = None,
                     extras: dict[str, list[dict[str, Any]]] | None = None) -> None:
        """Write one document and what was extracted from it in one transaction (replacing an older version
        with the same id or the same content), under advisory locks on its id and content hash."""
        self._basis = None
        ex = extras or {}
        with self._write(f"document {doc.source}", ("document", doc.id), ("content", doc.content_hash)):
            c = self.conn
            c.execute("DELETE FROM documents WHERE id = %s OR content_hash = %s", _row((doc.id, doc.content_hash)))
            c.execute(
                "INSERT INTO documents (id, content_hash, source, format, title, outlet, republisher, published,"
                " language, data, pipeline, analysed_at) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                _row((doc.id, doc.content_hash, doc.source, doc.format, doc.title, doc.outlet, doc.republisher,
                      doc.published, doc.language, _to_json(document_to_json(doc)), pipeline, _now())),
            )
            if raw is not None and raw != doc.text:
                c.execute(
                    "INSERT INTO raw_inputs (content_hash, kind, encoding, raw) VALUES (%s,%s,%s,%s) "
                    "ON CONFLICT (content_hash) DO UPDATE SET kind = excluded.kind, encoding = excluded.encoding,"
                    " raw = excluded.raw",
                    _row((doc.content_hash, kind, encoding, zlib.compress(raw.encode("utf-8", "surrogatepass")))),
                )
            if site and site_lines:
                self._many("INSERT INTO site_lines (site, line, doc_id) VALUES (%s,%s,%s) ON CONFLICT DO NOTHING",
                           [(site, line, doc.id) for line in sorted(set(site_lines))])
            self._many('INSERT INTO mentions (entity_id, doc_id, start, "end", name, type, title)'
                       " VALUES (%s,%s,%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING",
                       [(m["entity"], doc.id, m["start"], m["end"], m["name"], m["type"], m.get("title"))
                        for m in ex.get("mentions", [])])
            self._many("INSERT INTO statements (id, doc_id, data) VALUES (%s,%s,%s) "
                       "ON CONFLICT (id) DO UPDATE SET doc_id = excluded.doc_id, data = excluded.data",
                       [(s["id"], doc.id, _to_json(s)) for s in ex.get("statements", [])])
            self._many("INSERT INTO times (doc_id, data) VALUES (%s,%s)",
                       [(doc.id, _to_json(t)) for t in ex.get("times", [])])
            self._many("INSERT INTO namings (doc_id, pos, data) VALUES (%s,%s,%s)",
                       [(doc.id, i, _to_json(t)) for i, t in enumerate(ex.get("namings", []))])
            self._many("INSERT INTO techniques (doc_id, pos, data) VALUES (%s,%s,%s)",
                       [(doc.id, i, _to_json(t)) for i, t in enumerate(ex.get("techniques", []))])

    def raw_input(self, content_hash: str) -> str | None:
        row = self._one("SELECT raw FROM raw_inputs WHERE content_hash = %s", (content_hash,))
        return None if row is None else zlib.decompress(bytes(row[0])).decode("utf-8", "surrogatepass")

    def documents(self) -> Iterator[Document]:
        for (data,) in self._rows("SELECT data FROM documents ORDER BY published IS NULL, published, id"):
            yield document_from_json(json.loads(data))

    def document(self, doc_id: str) -> Document | None:
        row = self._one("SELECT data FROM documents WHERE id = %s", (doc_id,))
        return None if row is None else document_from_json(json.loads(row[0]))

    def count(self, table: str) -> int:
        if table not in _TABLES:
            raise ValueError(f"unknown table {table!r}")
        row = self._one(f"SELECT count(*) FROM {table}")
        return int(row[0]) if row else 0

    def site_line_counts(self, site: str) -> dict[str, int]:
        rows = self._rows("SELECT line, count(*) FROM site_lines WHERE site = %s GROUP BY line", (site,))
        return {str(line): int(n) for line, n in rows}

    # -- rejections --------------------------------------------------------------------------------------------
    def add_rejected(self, rejected: Rejected) -> None:
        with self._write(f"rejection of {rejected.source}"):
            self.conn.execute(
                "INSERT INTO rejected (source, reason, rejected_at) VALUES (%s,%s,%s) "
                "ON CONFLICT (source, reason) DO UPDATE SET rejected_at = excluded.rejected_at",
                _row((rejected.source, rejected.reason, _now())),
            )

    def clear_rejected(self, source: str) -> None:
        with self._write(f"rejections of {source}"):
            self.conn.execute("DELETE FROM rejected WHERE source = %s", _row((source,)))

    def rejected(self) -> list[Rejected]:
        return [Rejected(str(s), str(r)) for s, r in self._rows("SELECT source, reason FROM rejected ORDER BY id")]

    # -- runs --------------------------------------------------------------------------------------------------
    def start_run(self) -> int:
        self._basis = None
        with self._write("run start"):
            row = self.conn.execute("INSERT INTO runs (started_at) VALUES (%s) RETURNING id", (_now(),)).fetchone()
        return int(row[0]) if row else 0

    def finish_run(self, run_id: int, *, inputs: int, analysed: int, rejected: int, unchanged: int) -> None:
        with self._write("run summary"):
            self.conn.execute(
                "UPDATE runs SET finished_at = %s, inputs = %s, analysed = %s, rejected = %s, unchanged = %s,"
                " status = 'finished' WHERE id = %s",
                (_now(), inputs, analysed, rejected, unchanged, run_id),
            )

    # -- whole analysis ----------------------------------------------------------------------------------------
    def statements(self, doc_id: str | None = None) -> list[Statement]:
        sql = "SELECT data FROM statements" + (" WHERE doc_id = %s" if doc_id else "")
        out = [statement_from_json(json.loads(data)) for (data,) in self._rows(sql, (doc_id,) if doc_id else ())]
        return sorted(out, key=lambda s: (s.doc, s.cue.span.start if s.cue else s.content.start))

    def mention_rows(self) -> Iterator[MentionRow]:
        """Every stored entity mention: (document-level key, doc, start, end, name, type, title), by doc and start."""
        rows = self._rows('SELECT entity_id, doc_id, start, "end", name, type, title FROM mentions '
                          "ORDER BY doc_id, start")
        for key, doc_id, start, end, name, type_, title in rows:
            yield str(key), str(doc_id), int(start), int(end), str(name), str(type_), title

    def document_dates(self) -> dict[str, str | None]:
        """Each document's publication date (``None`` where it has none)."""
        return {str(i): p for i, p in self._rows("SELECT id, published FROM documents")}

    def put_alignment(self, merge: dict[str, str], entities: Sequence[Entity], timeline: Sequence[TimelineEntry],
                      key: str, stories: Sequence[Story] = (), framing: Sequence[Framing] = ()) -> None:
        """Replace the align stage's output over the whole store (document-level entity key → merged entity id,
        the merged entities, the timeline, the stories) in one transaction, under the store's alignment lock;
        ``key`` records the state it was computed on. Left out when another writer changed the documents since
        this store read their state (that writer aligns again)."""
        with self._write("entities, timeline and stories", ("alignment",)):
            if not self._still_current("alignment"):
                return
            for table in ("entity_keys", "entities", "timeline", "stories", "framing"):
                self.conn.execute(f"DELETE FROM {table}")
            self._many("INSERT INTO framing (pos, id, data) VALUES (%s, %s, %s)",
                       ((i, f.id, _to_json(framing_to_json(f))) for i, f in enumerate(framing)))
            self._many("INSERT INTO stories (pos, id, data) VALUES (%s, %s, %s)",
                       ((i, s.id, _to_json(story_to_json(s))) for i, s in enumerate(stories)))
            self._many("INSERT INTO entity_keys (key, entity_id) VALUES (%s, %s)",
                       sorted((k, v) for k, v in merge.items() if k != v))
            self._many("INSERT INTO entities (id, data) VALUES (%s, %s)",
                       ((e.id, _to_json(entity_to_json(e))) for e in entities))
            self._many("INSERT INTO timeline (pos, id, data) VALUES (%s, %s, %s)",
                       ((i, t.id, _to_json(timeline_to_json(t))) for i, t in enumerate(timeline)))
            self._put_meta("alignment_key", key)

    def entity_keys(self) -> dict[str, str]:
        """Document-level entity key → merged entity id, as the align stage last stored it (keys that stand for
        themselves are left out)."""
        return {str(k): str(v) for k, v in self._rows("SELECT key, entity_id FROM entity_keys")}

    def entities(self) -> list[Entity]:
        """The merged entities, as the align stage last stored them, by id."""
        return [entity_from_json(json.loads(d)) for (d,) in self._rows("SELECT data FROM entities ORDER BY id")]

    def timeline(self) -> list[TimelineEntry]:
        """The timeline, as the align stage last stored it, in its stored order."""
        return [timeline_from_json(json.loads(d)) for (d,) in self._rows("SELECT data FROM timeline ORDER BY pos")]

    def stories(self) -> list[Story]:
        """The stories, as the align stage last stored them, in their stored order (largest first)."""
        return [story_from_json(json.loads(d)) for (d,) in self._rows("SELECT data FROM stories ORDER BY pos")]

    def framing(self) -> list[Framing]:
        """The framing tables, as the align stage last stored them, in their stored order."""
        return [framing_from_json(json.loads(d)) for (d,) in self._rows("SELECT data FROM framing ORDER BY pos")]

    def naming_terms(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every document's naming terms (``crossnews.extract.naming``) as ``(doc id, term)``, by doc and offset."""
        for doc_id, data in self._rows("SELECT doc_id, data FROM namings ORDER BY doc_id, pos"):
            yield str(doc_id), json.loads(data)

    def techniques(self) -> list[Technique]:
        """Every document's technique spans, by doc and offset."""
        return [technique_from_json(json.loads(d))
                for (d,) in self._rows("SELECT data FROM techniques ORDER BY doc_id, pos")]

    def times(self, doc_id: str | None = None) -> list[TimeExpr]:
        sql = "SELECT data FROM times" + (" WHERE doc_id = %s" if doc_id else "") + " ORDER BY id"
        out = []
        for (data,) in self._rows(sql, (doc_id,) if doc_id else ()):
            d = json.loads(data)
            out.append(TimeExpr(d["doc"], d["start"], d["end"], d["type"], d["value"]))
        return sorted(out, key=lambda t: (t.doc, t.start))

    # -- relations (the align stage's output over the whole store) ---------------------------------------------
    def get_vectors(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Cached sentence vectors by text key, for one embedding model."""
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(keys), 1000):
            chunk = [_t(k) for k in keys[i:i + 1000]]
            for key, data in self.conn.execute("SELECT key, data FROM vectors WHERE model = %s AND key = ANY(%s)",
                                               (_t(model), chunk)):
                out[str(key)] = np.frombuffer(bytes(data), dtype=np.float32)
        return out

    def put_vectors(self, model: str, items: dict[str, np.ndarray]) -> None:
        with self._write("sentence vectors"):
            self._many("INSERT INTO vectors (model, key, data) VALUES (%s, %s, %s) "
                       "ON CONFLICT (model, key) DO UPDATE SET data = excluded.data",
                       [(model, k, np.asarray(items[k], dtype=np.float32).tobytes()) for k in sorted(items)])

    def meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = %s", (key,))
        return None if row is None else str(row[0])

    def _put_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT INTO meta (key, value) VALUES (%s, %s) "
                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value", _row((key, value)))

    def put_relations(self, relations: Sequence[Relation], key: str, chains: Sequence[Chain] = ()) -> None:
        """Replace every relation with ``relations`` (computed over the whole store), and the claim chains with
        ``chains``, in one transaction under the store's relations lock, and record what they were computed with
        (``key``: pipeline, judge, embedder and the documents' state). Left out when another writer changed the
        documents since this store read their state (that writer relates again)."""
        self._written = None
        written = False
        with self._write("relations", ("relations",)):
            if self._still_current("relations"):
                self.conn.execute("DELETE FROM relations")
                self.conn.execute("DELETE FROM chains")
                self._many("INSERT INTO relations (id, data) VALUES (%s, %s)",
                           ((r.id, _to_json(relation_to_json(r))) for r in relations))
                self._many("INSERT INTO chains (pos, id, data) VALUES (%s, %s, %s)",
                           ((i, c.id, _to_json(chain_to_json(c))) for i, c in enumerate(chains)))
                self._put_meta("relations_key", key)
                written = True
        self._basis = None  # the whole-store steps of this state are done
        if written:
            self._written = (key, sorted(relations, key=lambda r: r.id))

    def _still_current(self, what: str) -> bool:
        """Whether the documents are still in the state this store read before computing ``what`` (always true
        when it read none)."""
        if self._basis is None or self._state() == self._basis:
            return True
        self.skipped.append(what)
        _log.info("%s: %s not stored: another writer changed the documents meanwhile and stores its own",
                  self.url, what)
        return False

    def chains(self) -> list[Chain]:
        """The claim chains, as the relate stage last stored them, longest first."""
        return [chain_from_json(json.loads(d)) for (d,) in self._rows("SELECT data FROM chains ORDER BY pos")]

    def relations(self) -> list[Relation]:
        return [relation_from_json(d) for d in self._stored_relation_dicts()]

    def relation_dicts(self) -> Iterator[dict[str, Any]]:
        """The relations in the export's form (``relation_to_json``), by id, one at a time. Right after this store
        wrote them (and while the stored ones are still those), from the relations it wrote."""
        written = self._written
        if written is not None and self.meta("relations_key") == written[0]:
            return (relation_to_json(r) for r in written[1])
        return self._stored_relation_dicts()

    def _stored_relation_dicts(self) -> Iterator[dict[str, Any]]:
        for (data,) in self._rows("SELECT data FROM relations ORDER BY id"):
            d: dict[str, Any] = json.loads(data)
            yield d

    def _state(self) -> str:
        row = self._one("SELECT count(*), coalesce(string_agg(id || ':' || pipeline, ',' ORDER BY id), '') "
                        "FROM documents")
        n, ids = (row[0], row[1]) if row else (0, "")
        return hashlib.sha1(f"{n}:{ids}".encode()).hexdigest()

    def change_key(self) -> tuple[Any, ...]:
        """Changes whenever anything an analysis of the store shows changes (see the SQLite store's)."""
        parts: list[Any] = []
        for sql in ("SELECT count(*), max(analysed_at), string_agg(content_hash, ',' ORDER BY id) FROM documents",
                    "SELECT count(*), max(id) FROM rejected", "SELECT count(*) FROM relations",
                    "SELECT count(*), max(id), max(finished_at) FROM runs",
                    "SELECT string_agg(value, ',' ORDER BY key) FROM meta WHERE key IN "
                    "('alignment_key', 'relations_key')"):
            row = self._one(sql)
            parts.extend(row if row is not None else ())
        return tuple(parts)

    def state_key(self) -> str:
        """Changes whenever a document is added, replaced or removed (the same key as the SQLite store's for the
        same documents). The first state read after this store wrote documents is the one the whole-store steps
        that follow are checked against."""
        state = self._state()
        if self._basis is None:
            self._basis = state
        return state

    def analysis(self, *, relations: bool = True) -> Analysis:
        """Everything in the store as an :class:`Analysis`, as the stages stored it, read in one snapshot;
        statements' speakers point to the merged entities."""
        with self._snapshot():
            merge = self.entity_keys()
            statements = with_merged_speakers(self.statements(), merge)
            return Analysis(documents=tuple(self.documents()), entities=tuple(self.entities()),
                            statements=statements, times=tuple(self.times()), timeline=tuple(self.timeline()),
                            relations=tuple(self.relations()) if relations else (), rejected=tuple(self.rejected()),
                            stories=tuple(self.stories()), chains=tuple(self.chains()),
                            framing=tuple(self.framing()), techniques=tuple(self.techniques()))

    # -- the web app's jobs --------------------------------------------------------------------------------------
    def put_job(self, job: dict[str, Any]) -> None:
        """Insert or update an analysis job of ``crossnews serve`` (``id``, ``status``, ``created`` and the rest as
        JSON), so that it outlives the server."""
        with self._write(f"job {job['id']}"):
            self.conn.execute(
                "INSERT INTO jobs (id, status, created, data) VALUES (%s, %s, %s, %s) ON CONFLICT (id) DO UPDATE "
                "SET status = excluded.status, created = excluded.created, data = excluded.data",
                _row((job["id"], job["status"], job["created"], _to_json(job))))

    def job(self, job_id: str) -> dict[str, Any] | None:
        row = self._one("SELECT data FROM jobs WHERE id = %s", (job_id,))
        return None if row is None else dict(json.loads(row[0]))

    def jobs(self, statuses: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """Jobs, oldest first; only those with one of ``statuses`` when given."""
        if statuses is None:
            rows = self._rows("SELECT data FROM jobs ORDER BY created, id")
        else:
            rows = self._rows("SELECT data FROM jobs WHERE status = ANY(%s) ORDER BY created, id",
                              ([_t(s) for s in statuses],))
        return [dict(json.loads(data)) for (data,) in rows]

    def prune_jobs(self, keep: int, finished: Iterable[str]) -> int:
        """Delete all but the ``keep`` newest jobs whose status is one of ``finished``; returns how many went."""
        done = [_t(s) for s in finished]
        with self._write("job pruning"):
            cur = self.conn.execute(
                "DELETE FROM jobs WHERE status = ANY(%s) AND id NOT IN "
                "(SELECT id FROM jobs WHERE status = ANY(%s) ORDER BY created DESC, id DESC LIMIT %s)",
                (done, done, keep))
        return int(cur.rowcount)

    # -- migrations ------------------------------------------------------------------------------------------------
    def _migrate(self) -> None:
        """Apply pending migrations, each in its own transaction and recorded, under a session advisory lock so that
        two processes opening a new store at once apply each migration once."""
        lock = _lock_key(self.schema, "migrations")
        self.conn.execute("SELECT pg_advisory_lock(%s)", (lock,))
        try:
            existing = {str(r[0]) for r in self._rows("SELECT tablename FROM pg_tables WHERE schemaname = %s",
                                                       (self.schema,))}
            if existing and "migrations" not in existing:
                raise StoreError(f"{self.url}: not a crossnews database (schema {self.schema} has other tables and "
                                 "no migrations table); choose another database or schema")
            if "migrations" not in existing:
                with self._write("migrations table"):
                    self.conn.execute('CREATE TABLE migrations (name TEXT COLLATE "C" PRIMARY KEY, '
                                      'applied_at TEXT COLLATE "C" NOT NULL)')
            applied = {str(r[0]) for r in self._rows("SELECT name FROM migrations")}
            for name, sql in PG_MIGRATIONS:
                if name in applied:
                    continue
                with self._write(f"migration {name}"):
                    for statement in sql.split(";"):
                        if statement.strip():
                            self.conn.execute(statement)
                    self.conn.execute("INSERT INTO migrations (name, applied_at) VALUES (%s, %s)", (name, _now()))
        finally:
            if not self.conn.closed:
                self.conn.execute("SELECT pg_advisory_unlock(%s)", (lock,))


def _explain(url: str, exc: psycopg.Error, action: str) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    low = str(exc).lower()
    state = getattr(exc, "sqlstate", None) or ""
    if "connection refused" in low or "could not connect" in low or "timeout expired" in low \
            or "no such file or directory" in low:
        hint = "no PostgreSQL server answers there; start it, or check the host and port in --db"
    elif "password authentication failed" in low or "no password supplied" in low or state == "28P01":
        hint = "the server refused the user or password; check them in --db (or ~/.pgpass)"
    elif state == "3D000" or ("database" in low and "does not exist" in low):
        hint = "the database does not exist; create it first (createdb NAME) or name another in --db"
    elif state.startswith("28") or "no pg_hba.conf entry" in low:
        hint = "the server does not let this user in from here; see the server's pg_hba.conf"
    elif state == "42501" or "permission denied" in low:
        hint = "the user may not write there; grant it the rights or choose another database or schema"
    elif state == "53100" or "disk full" in low or "no space left" in low:
        hint = "the server's disk is full; free space on it"
    elif state == "25006" or "read-only transaction" in low:
        hint = "the database is read-only (a standby?); point --db at the primary"
    elif state in {"40001", "40P01"}:
        hint = "another writer conflicted with this one; run it again"
    elif isinstance(exc, psycopg.OperationalError):
        hint = "the connection to the server failed; check that it is running and reachable"
    else:
        hint = msg
    return f"{url}: {action}: {hint} (postgresql: {msg})"


def open_store(url: str) -> PgStore:
    """Open a store in the PostgreSQL database ``url`` (``postgresql://user@host:port/database``), creating its tables
    and applying pending migrations, each in its own transaction. The database itself must exist."""
    url = str(url)
    shown = redact(url)
    if not is_postgres_url(url):
        raise StoreError(f"{shown}: store.postgres.v1 needs a postgresql://user@host:port/database URL as --db")
    try:
        given = conninfo_to_dict(url)
    except psycopg.Error as exc:
        raise StoreError(f"{shown}: not a PostgreSQL URL ({exc}); write postgresql://user@host:port/database") \
            from exc
    options: dict[str, Any] = {"autocommit": True}
    if "connect_timeout" not in given:
        options["connect_timeout"] = 10
    if "application_name" not in given:
        options["application_name"] = "crossnews"
    try:
        conn = psycopg.connect(url, **options)
    except psycopg.Error as exc:
        raise StoreError(_explain(shown, exc, "cannot connect to the database")) from exc
    try:
        store = PgStore(conn, url)
        store._migrate()
        return store
    except psycopg.Error as exc:
        conn.close()
        raise StoreError(_explain(shown, exc, "cannot open the database")) from exc
    except BaseException:
        conn.close()
        raise


register("store.postgres.v1",
         description="PostgreSQL database (--db postgresql://user@host:port/db): a store shared by concurrent "
                     "writers, with the same migrations")(open_store)
