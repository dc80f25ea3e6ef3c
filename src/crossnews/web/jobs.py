"""The web app's analysis jobs: pasted texts, uploads and URLs analysed in two worker threads (jobs with a large input
in one, the others in the other, so that one huge upload never holds up the rest), each job kept in the store's
``jobs`` table as it goes (so that it outlives the server), and the two steps that turn a request into a job
(:func:`save_uploads`, :func:`start_job`). Jobs are logged as JSON lines (:mod:`crossnews.web.guard`); a failure
shows the user a reference to its log line, not its internals."""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import UploadFile

from crossnews.core.errors import StoreError
from crossnews.core.settings import Settings
from crossnews.store.backend import open_db
from crossnews.web.guard import log_event, new_ref
from crossnews.web.schemas import MAX_FILES, ApiError, TextInput

__all__ = ["FINISHED", "Job", "Jobs", "save_uploads", "start_job", "LARGE_JOB"]

FINISHED = ("done", "failed")
#: a job whose files (uploads, pasted texts) add up to more bytes than this runs in the worker for large jobs
LARGE_JOB = 256 * 1024


class _Stopping(Exception):
    """Raised between two inputs of a running job when the server shuts down; the job resumes at the next start."""


@dataclass
class Job:
    id: str
    expected: int
    specs: list[str] = field(default_factory=list)
    workdir: str | None = None
    status: str = "queued"
    done: int = 0
    analysed: int = 0
    unchanged: int = 0
    rejected: int = 0
    documents: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None
    resumed: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "expected": self.expected, "done": self.done,
                "analysed": self.analysed, "unchanged": self.unchanged, "rejected": self.rejected,
                "documents": list(self.documents), "events": list(self.events[-200:]), "error": self.error,
                "created": self.created, "finished": self.finished, "resumed": self.resumed}

    def to_row(self) -> dict[str, Any]:
        """What the store keeps: the view plus the inputs, so that an unfinished job can run again."""
        return {**self.to_json(), "specs": list(self.specs), "workdir": self.workdir}

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Job:
        names = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in row.items() if k in names})


class Jobs:
    """Analyses run in two worker threads, each analysis with its own store connection: jobs whose files add up to
    more than :data:`LARGE_JOB` bytes one at a time in one, the others one at a time in the other, so that a huge
    upload never holds up a small paste. The merged entities, timeline and relations over the whole store are
    brought up to date under one lock after each job, so two jobs finishing together leave them current.

    Every job is kept in the database's ``jobs`` table as it goes, so a job outlives the server: its page and
    ``/api/jobs/{id}`` answer after a restart, and a job the server did not finish (stopped, or killed) runs again
    at the next start. Running a job again is safe because inputs analysed before count as ``unchanged``. Uploads
    and pasted texts wait in ``spool`` (beside the database) until their job has finished. Every job runs with
    ``settings`` (backends and limits: the largest input, the fetch timeout, private addresses)."""

    def __init__(self, db: str, settings: Settings, on_done: Callable[[], None], spool: Path,
                 keep: int = 200) -> None:
        self.db = db
        self.settings = settings
        self.on_done = on_done
        self.spool = spool
        self.keep = keep
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._pools = {"small": ThreadPoolExecutor(max_workers=1, thread_name_prefix="crossnews-analyze"),
                       "large": ThreadPoolExecutor(max_workers=1, thread_name_prefix="crossnews-analyze-large")}
        self._align = threading.Lock()

    def new_workdir(self) -> Path:
        self.spool.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix="job-", dir=self.spool))

    def submit(self, specs: list[str], workdir: Path | None, expected: int) -> Job:
        job = Job(uuid.uuid4().hex[:12], expected, list(specs), str(workdir) if workdir else None)
        with open_db(self.db) as store:
            store.put_job(job.to_row())
        self._queue(job)
        return job

    def resume(self) -> list[Job]:
        """Queue again the jobs a previous server left unfinished; returns them."""
        resumed = []
        with open_db(self.db) as store:
            store.prune_jobs(self.keep, FINISHED)
            for row in store.jobs(("queued", "running", "stopped")):
                job = Job.from_row(row)
                job.status, job.done, job.analysed, job.unchanged, job.rejected = "queued", 0, 0, 0, 0
                job.documents, job.error, job.resumed = [], None, job.resumed + 1
                job.events = [{"source": "", "status": "resumed", "doc": None,
                               "reason": "the server stopped before this analysis finished; it runs again, and "
                                         "inputs analysed before count as unchanged"}]
                store.put_job(job.to_row())
                resumed.append(job)
        for job in resumed:
            self._queue(job)
        return resumed

    def _queue(self, job: Job) -> None:
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > self.keep:
                self._jobs.popitem(last=False)
        self._pools[lane(job)].submit(self._run, job)

    def get(self, job_id: str) -> Job | None:
        """A job of this server, or one the database remembers."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is not None:
            return job
        with open_db(self.db) as store:
            row = store.job(job_id)
        return None if row is None else Job.from_row(row)

    def shutdown(self) -> None:
        """Stop after the input being analysed; unstarted and stopped jobs stay in the database and resume at the
        next start."""
        self._stopping.set()
        for pool in self._pools.values():
            pool.shutdown(wait=False, cancel_futures=True)
        for pool in self._pools.values():
            pool.shutdown(wait=True)

    def _run(self, job: Job) -> None:
        from crossnews.pipeline import AnalyzeOptions, Event, align_store, analyze, relate_store

        prefix = f"{job.workdir}/" if job.workdir else None
        if self._stopping.is_set():
            return

        with open_db(self.db) as store:
            def save() -> None:
                with self._lock:
                    row = job.to_row()
                store.put_job(row)

            def on_event(event: Event) -> None:
                source = event.source[len(prefix):] if prefix and event.source.startswith(prefix) else event.source
                reason = event.reason
                if reason and reason.startswith("internal error"):  # the details go to the log, not the page
                    ref = new_ref()
                    log_event("input_error", logging.WARNING, ref=ref, job=job.id, source=source, reason=reason)
                    reason = f"internal error while analysing this input; the server log has the details (ref {ref})"
                with self._lock:
                    job.done += 1
                    setattr(job, event.status, getattr(job, event.status, 0) + 1)
                    if event.doc_id:
                        job.documents.append(event.doc_id)
                    job.events.append({"source": source, "status": event.status, "doc": event.doc_id,
                                       "reason": reason})
                save()
                if self._stopping.is_set():
                    raise _Stopping

            job.status = "running"
            save()
            log_event("job", job=job.id, status="running", lane=lane(job), inputs=job.expected)
            # the outcome is logged before the job shows it: a client that sees the job finished finds its log
            # line written
            status, error = job.status, job.error
            try:
                analyze(job.specs, store, AnalyzeOptions(settings=self.settings, relations=False), on_event=on_event)
                with self._align:  # the other worker may have stored documents meanwhile: bring both up to date
                    align_store(store, self.settings)
                    relate_store(store, self.settings)
                status = "done"
            except _Stopping:
                status = "stopped"
            except Exception as exc:  # noqa: BLE001 - the job reports it; the server goes on
                ref = new_ref()
                log_event("job_error", logging.ERROR, exc_info=exc, ref=ref, job=job.id, error=type(exc).__name__)
                what = "the database could not be written" if isinstance(exc, StoreError) else "internal error"
                status, error = "failed", f"the analysis failed: {what}; the server log has the details (ref {ref})"
            finally:
                if status in FINISHED:
                    job.finished = time.time()
                    if job.workdir is not None:
                        shutil.rmtree(job.workdir, ignore_errors=True)
                log_event("job", job=job.id, status=status, analysed=job.analysed, unchanged=job.unchanged,
                          rejected=job.rejected, seconds=round(time.time() - job.created, 1))
                job.status, job.error = status, error
                try:
                    save()
                finally:
                    self.on_done()


def lane(job: Job) -> str:
    """Which worker runs ``job``: ``large`` when its files add up to more than :data:`LARGE_JOB` bytes."""
    total = 0
    for spec in job.specs:
        try:
            total += Path(spec).stat().st_size if not re.match(r"^https?://", spec, re.I) else 0
        except OSError:
            continue
    return "large" if total > LARGE_JOB else "small"


def _safe_name(name: str, n: int) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name or "").name).strip("._")[:80]
    return base or f"upload-{n}.txt"


def _jsonl_line(item: TextInput) -> str:
    looks_html = bool(re.match(r"\s*(<!doctype\s+html|<html|<head|<body|<article)", item.text[:2000], re.I))
    record: dict[str, Any] = {("html" if looks_html else "text"): item.text}
    for key in ("title", "outlet", "published", "url"):
        value = getattr(item, key)
        if value:
            record[key] = value
    return json.dumps(record)  # escaped: a lone surrogate in a pasted text stays writable (ingest replaces it)


async def save_uploads(files: list[UploadFile], workdir: Path, max_bytes: int) -> tuple[list[str], int]:
    """Write the uploads into ``workdir`` (each cut one byte past ``max_bytes``, so that the analysis rejects it as
    too large); returns their specs and the inputs expected (a JSONL file counts its lines). More than
    :data:`~crossnews.web.schemas.MAX_FILES` files is an :class:`ApiError` (413), none of them analysed."""
    named = [f for f in files if f.filename or f.size]
    if len(named) > MAX_FILES:
        raise ApiError(413, "too_large", f"too many files: {len(named)}, at most {MAX_FILES} per request; send the "
                                         "others in another request", {"files": len(named), "limit": MAX_FILES})
    specs, expected = [], 0
    for n, upload in enumerate(files, start=1):
        if not upload.filename and not upload.size:
            continue
        target = workdir / f"{n:02d}-{_safe_name(upload.filename or '', n)}"
        written = 0
        with target.open("wb") as fh:
            while written <= max_bytes and (chunk := await upload.read(1 << 16)):
                fh.write(chunk[: max_bytes + 1 - written])
                written += len(chunk)
        specs.append(str(target))
        if target.suffix.lower() in (".jsonl", ".ndjson"):
            with target.open("rb") as fh:
                expected += max(1, sum(1 for line in fh if line.strip()))
        else:
            expected += 1
    return specs, expected


def start_job(jobs: Jobs, texts: list[TextInput], urls: list[str], upload_specs: list[str], workdir: Path,
              expected: int) -> Job:
    """Submit to ``jobs`` the saved uploads, the pasted ``texts`` (written to ``workdir`` as one JSONL file) and the
    http(s) ``urls``; :class:`~crossnews.web.schemas.ApiError` (422) when a URL is not http(s) or there is nothing
    to analyse."""
    specs = list(upload_specs)
    if texts:
        pasted = workdir / "pasted.jsonl"
        pasted.write_text("\n".join(_jsonl_line(t) for t in texts) + "\n", encoding="utf-8")
        specs.append(str(pasted))
        expected += len(texts)
    for url in urls:
        url = url.strip()
        if not url:
            continue
        if not re.match(r"^https?://", url, re.I):
            raise ApiError(422, "invalid_request", f"not an http(s) URL: {url!r}",
                           [{"where": "urls", "problem": "only http and https URLs are fetched"}])
        specs.append(url)
        expected += 1
    if not specs:
        raise ApiError(422, "invalid_request", "nothing to analyse: paste text, upload files or give URLs")
    return jobs.submit(specs, workdir, expected)
