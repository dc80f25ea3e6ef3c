"""Faults: a run killed with SIGKILL in the middle of a batch resumes with nothing lost and nothing duplicated."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

N_FILES = 230  # more than one pipeline batch (200), so the kill can land between and inside batches


def _corpus(root: Path) -> Path:
    corpus = root / "corpus"
    corpus.mkdir()
    for i in range(N_FILES):
        (corpus / f"a{i:03d}.txt").write_text(
            f"Harbour board meets over pier {i}\n\n"
            f"The harbour board of Port Elvin said on Monday that pier {i} would close for repairs. "
            f"\"We have no choice,\" board chair Mara Quill told reporters, adding that {i + 3} boats would move.\n",
            encoding="utf-8")
    return corpus


def _documents(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return 0


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
def test_sigkill_mid_batch_then_resume_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    db = tmp_path / "x.db"
    cmd = [sys.executable, "-m", "crossnews.cli", "analyze", str(corpus), "--db", str(db), "-q", "--no-relations"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    seen = 0
    while time.monotonic() < deadline and proc.poll() is None:
        seen = _documents(db)
        if seen >= 5:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed; make the corpus larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = _documents(db)
    assert 0 < killed_at < N_FILES, f"killed after {killed_at} documents"

    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n_docs, n_hashes = conn.execute("SELECT count(*), count(DISTINCT content_hash) FROM documents").fetchone()
        sources = {r[0] for r in conn.execute("SELECT source FROM documents")}
        statements_per_doc = conn.execute(
            "SELECT max(c) FROM (SELECT count(*) AS c FROM statements GROUP BY doc_id)").fetchone()[0]
        running = conn.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchone()[0]
    assert n_docs == n_hashes == N_FILES  # none lost, none twice
    assert sources == {str(p) for p in corpus.iterdir()}
    assert statements_per_doc <= 3  # a document's statements were not written twice either
    assert running == 1  # the killed run stays visible as never finished
    # the second run analysed exactly what the first had not stored
    summary = done.stdout + done.stderr
    assert f"inputs {N_FILES}:" in summary and f"unchanged {killed_at}" in summary, summary


def _limit_file_size(limit: int):  # type: ignore[no-untyped-def]
    def apply() -> None:  # in the child: writes past ``limit`` bytes fail with EFBIG, as on a full disk
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="RLIMIT_FSIZE is POSIX only")
def test_a_full_disk_while_writing_the_outputs_leaves_the_old_files_whole(tmp_path: Path) -> None:
    """The export and the dossier are written whole or not at all: a write that runs out of room says so in one
    line (no traceback, exit 2) and the files written before stay as they were."""
    from .conftest import DEMO

    db, out, html = tmp_path / "x.db", tmp_path / "a.json", tmp_path / "d.html"
    first = subprocess.run([sys.executable, "-m", "crossnews.cli", "analyze", str(DEMO / "pages"),
                            str(DEMO / "feed.jsonl"), "--db", str(db), "--json", str(out), "--html", str(html),
                            "-q", "--no-relations"], capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    before = out.read_bytes(), html.read_bytes()
    assert len(before[0]) > 120_000 and len(before[1]) > 120_000
    for args in (["--json", str(out)], ["--html", str(html)]):
        done = subprocess.run([sys.executable, "-m", "crossnews.cli", "report", "--db", str(db), *args],
                              capture_output=True, text=True, timeout=600, preexec_fn=_limit_file_size(100_000))
        assert done.returncode == 2, (done.returncode, done.stderr)
        assert "Traceback" not in done.stderr and "cannot write the" in done.stderr, done.stderr
        assert (out.read_bytes(), html.read_bytes()) == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
