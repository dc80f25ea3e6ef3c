"""The store's schema as named migrations, applied in order, each in a transaction and recorded in the database
(table ``migrations``). A migration is never edited once released: a change is a new one."""

from __future__ import annotations

__all__ = ["MIGRATIONS"]

MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "0001_initial",
        """
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            content_hash TEXT NOT NULL UNIQUE,
            source TEXT NOT NULL,
            format TEXT NOT NULL,
            title TEXT,
            outlet TEXT,
            republisher TEXT,
            published TEXT,
            language TEXT NOT NULL,
            data TEXT NOT NULL,
            pipeline TEXT NOT NULL,
            analysed_at TEXT NOT NULL
        );
        CREATE INDEX documents_outlet ON documents(outlet);
        CREATE INDEX documents_published ON documents(published);
        CREATE TABLE raw_inputs (
            content_hash TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            encoding TEXT NOT NULL,
            raw BLOB NOT NULL
        );
        CREATE TABLE rejected (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            reason TEXT NOT NULL,
            rejected_at TEXT NOT NULL,
            UNIQUE (source, reason)
        );
        CREATE TABLE entities (id TEXT PRIMARY KEY, data TEXT NOT NULL);
        CREATE TABLE statements (
            id TEXT PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            data TEXT NOT NULL
        );
        CREATE INDEX statements_doc ON statements(doc_id);
        CREATE TABLE times (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            data TEXT NOT NULL
        );
        CREATE INDEX times_doc ON times(doc_id);
        CREATE TABLE timeline (id TEXT PRIMARY KEY, data TEXT NOT NULL);
        CREATE TABLE relations (id TEXT PRIMARY KEY, data TEXT NOT NULL);
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            inputs INTEGER NOT NULL DEFAULT 0,
            analysed INTEGER NOT NULL DEFAULT 0,
            rejected INTEGER NOT NULL DEFAULT 0,
            unchanged INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'running'
        );
        """,
    ),
    (
        "0002_site_lines",
        """
        CREATE TABLE site_lines (
            site TEXT NOT NULL,
            line TEXT NOT NULL,
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            PRIMARY KEY (site, line, doc_id)
        ) WITHOUT ROWID;
        """,
    ),
    (
        "0003_mentions",
        """
        CREATE TABLE mentions (
            entity_id TEXT NOT NULL,
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            PRIMARY KEY (entity_id, doc_id, start, end)
        ) WITHOUT ROWID;
        CREATE INDEX mentions_doc ON mentions(doc_id);
        """,
    ),
    (
        "0004_mention_titles",
        """
        ALTER TABLE mentions ADD COLUMN title TEXT;
        """,
    ),
    (
        "0005_vectors_and_meta",
        """
        CREATE TABLE vectors (
            model TEXT NOT NULL,
            key TEXT NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (model, key)
        ) WITHOUT ROWID;
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """,
    ),
    (
        "0006_jobs",
        """
        CREATE TABLE jobs (
            id TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            created REAL NOT NULL,
            data TEXT NOT NULL
        );
        CREATE INDEX jobs_status ON jobs(status);
        """,
    ),
    (
        "0007_alignment",
        """
        CREATE TABLE entity_keys (key TEXT PRIMARY KEY, entity_id TEXT NOT NULL) WITHOUT ROWID;
        DROP TABLE timeline;
        CREATE TABLE timeline (pos INTEGER PRIMARY KEY, id TEXT NOT NULL, data TEXT NOT NULL);
        """,
    ),
    (
        "0008_stories",
        """
        CREATE TABLE stories (pos INTEGER PRIMARY KEY, id TEXT NOT NULL, data TEXT NOT NULL);
        """,
    ),
    (
        "0009_chains",
        """
        CREATE TABLE chains (pos INTEGER PRIMARY KEY, id TEXT NOT NULL, data TEXT NOT NULL);
        """,
    ),
    (
        "0010_framing",
        """
        CREATE TABLE namings (
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            pos INTEGER NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (doc_id, pos)
        ) WITHOUT ROWID;
        CREATE TABLE techniques (
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            pos INTEGER NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (doc_id, pos)
        ) WITHOUT ROWID;
        CREATE TABLE framing (pos INTEGER PRIMARY KEY, id TEXT NOT NULL, data TEXT NOT NULL);
        """,
    ),
)
