"""The web app's analysis jobs, kept in the store so that they outlive the server (a part of :class:`Store`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import Any

__all__ = ["JobsMixin"]


class JobsMixin:
    """Job rows: ``id``, ``status``, ``created`` and the rest as JSON."""

    conn: sqlite3.Connection

    def _write(self, what: str) -> AbstractContextManager[None]:
        raise NotImplementedError

    def put_job(self, job: dict[str, Any]) -> None:
        """Insert or update an analysis job of ``crossnews serve`` (``id``, ``status``, ``created`` and the rest as
        JSON), so that it outlives the server."""
        with self._write(f"job {job['id']}"):
            self.conn.execute("INSERT OR REPLACE INTO jobs (id, status, created, data) VALUES (?, ?, ?, ?)",
                              (job["id"], job["status"], job["created"], json.dumps(job, ensure_ascii=False)))

    def job(self, job_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT data FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def jobs(self, statuses: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """Jobs, oldest first; only those with one of ``statuses`` when given."""
        wanted = list(statuses) if statuses is not None else None
        sql = "SELECT data FROM jobs"
        if wanted is not None:
            sql += f" WHERE status IN ({', '.join('?' * len(wanted))})"
        rows = self.conn.execute(sql + " ORDER BY created, id", wanted or ())
        return [dict(json.loads(data)) for (data,) in rows]

    def prune_jobs(self, keep: int, finished: Iterable[str]) -> int:
        """Delete all but the ``keep`` newest jobs whose status is one of ``finished``; returns how many went."""
        done = list(finished)
        marks = ", ".join("?" * len(done))
        with self._write("job pruning"):
            cur = self.conn.execute(
                f"DELETE FROM jobs WHERE status IN ({marks}) AND id NOT IN "
                f"(SELECT id FROM jobs WHERE status IN ({marks}) ORDER BY created DESC, id DESC LIMIT ?)",
                (*done, *done, keep))
        return int(cur.rowcount)
