"""Shared fixtures. Data in ../shared is read at run time; tests that need it skip with a clear message."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
SEEDS = SHARED / "seeds"
EVALDATA = SHARED / "evaldata"
DEMO = REPO / "src" / "crossnews" / "demo"


#: test modules left out of the fast tier (`make test-fast`): evaluation runs, training scripts, subprocess and
#: signal tests, the browser
SLOW_MODULES = {"test_e2e_browser", "test_eval_attribution", "test_eval_claimpairs", "test_eval_extraction",
                "test_eval_meantime", "test_faults", "test_hostile", "test_scripts"}
#: session fixtures that analyse a whole corpus
SLOW_FIXTURES = {"demo_export", "seed_export", "seed_docs"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the slow tier: whole modules, tests on whole-corpus fixtures, and tests marked ``slow`` by hand."""
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if getattr(item, "module", None) else ""
        if module in SLOW_MODULES or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def need_shared(path: Path) -> Path:
    if os.environ.get("CROSSNEWS_NO_SHARED"):
        pytest.skip("CROSSNEWS_NO_SHARED is set (make test-fast): the tests on ../shared are left out")
    if not path.exists():
        pytest.skip(f"{path} is absent: these tests read ../shared beside the checkout (as CI has it)")
    return path


@pytest.fixture(scope="session")
def seed_docs():
    """The two seed pages, cleaned, keyed by outlet."""
    from crossnews.clean import clean
    from crossnews.ingest import ingest

    need_shared(SEEDS)
    docs = {}
    for raw in ingest([str(SEEDS)]):
        assert not hasattr(raw, "reason"), raw
        doc = clean(raw)
        docs[doc.outlet] = doc
    return docs


@pytest.fixture(scope="session")
def demo_export(tmp_path_factory):
    """The demo corpus analysed through the CLI once per session: (export dict, tmp dir)."""
    import json

    from click.testing import CliRunner

    from crossnews.cli import main

    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(main, [
        "analyze", str(DEMO / "pages"), str(DEMO / "feed.jsonl"), "--db", str(out / "demo.db"),
        "--json", str(out / "analysis.json"), "--html", str(out / "dossier.html"), "--quiet",
    ])
    assert result.exit_code == 0, result.output
    return json.loads((out / "analysis.json").read_text(encoding="utf-8")), out


@pytest.fixture(scope="session")
def seed_export(tmp_path_factory):
    """The seeds analysed through the CLI once per session (export dict)."""
    import json

    from click.testing import CliRunner

    from crossnews.cli import main

    need_shared(SEEDS)
    out = tmp_path_factory.mktemp("seeds")
    result = CliRunner().invoke(main, ["analyze", str(SEEDS), "--db", str(out / "x.db"), "--json",
                                       str(out / "a.json"), "-q"])
    assert result.exit_code == 0, result.output
    return json.loads((out / "a.json").read_text())


# --- PostgreSQL: a throw-away cluster for the store tests -------------------------------------------------------------
#: CI (.ci/run) sets CROSSNEWS_REQUIRE_PG=1: there a PostgreSQL that cannot start fails the tests instead of skipping
PG_REQUIRED = os.environ.get("CROSSNEWS_REQUIRE_PG") == "1"


class PgUnavailable(RuntimeError):
    """PostgreSQL's server cannot be started here (no binaries, no user to run it as, it would not start)."""


def pg_bindir() -> Path | None:
    """The folder with Debian's initdb and pg_ctl (the newest /usr/lib/postgresql/N/bin), else the ones on PATH."""
    import shutil

    def version(p: Path) -> int:
        return int(p.parent.name) if p.parent.name.isdigit() else 0

    for d in sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version, reverse=True):
        if (d / "initdb").exists() and (d / "pg_ctl").exists():
            return d
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


class PgCluster:
    """A PostgreSQL cluster in a temporary folder, on a free port of 127.0.0.1, trusting local connections, fast
    and unsafe (no fsync): for tests only. :meth:`database` makes a fresh database and gives its URL."""

    USER = "crossnews"

    def __init__(self) -> None:
        import itertools
        import pwd
        import tempfile

        self.bindir = pg_bindir()
        if self.bindir is None:
            raise PgUnavailable("initdb and pg_ctl not found (install Debian's postgresql package: "
                                "apt-get install -y postgresql, or `make pg`)")
        self.run_as: tuple[int, int] | None = None
        if os.geteuid() == 0:  # the server refuses to run as root: run it as the postgres user
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                raise PgUnavailable("running as root and there is no 'postgres' user to run the server as "
                                    "(Debian's postgresql package creates it)") from None
            self.run_as = (pw.pw_uid, pw.pw_gid)
        self.root = Path(tempfile.mkdtemp(prefix="crossnews-pg-"))
        os.chmod(self.root, 0o755)
        if self.run_as:
            os.chown(self.root, *self.run_as)
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = 0
        self._names = itertools.count(1)
        self._started = False
        try:
            self._run("initdb", "-D", str(self.data), "-U", self.USER, "--auth=trust", "-E", "UTF8",
                      "--locale=C.UTF-8", "--no-sync")
            for _ in range(3):  # a port found free may be taken by the time the server binds it: try another
                self.port = _free_port()
                opts = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
                try:
                    self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", opts, "-w", "-t", "60",
                              "start")
                    self._started = True
                    break
                except PgUnavailable:
                    continue
            if not self._started:
                raise PgUnavailable(f"the server would not start; its log:\n{self._log_tail()}")
        except BaseException:
            self.stop()
            raise

    def _run(self, tool: str, *args: str) -> None:
        import subprocess

        assert self.bindir is not None
        run_as = self.run_as

        def demote() -> None:
            if run_as:
                os.setgid(run_as[1])
                os.setuid(run_as[0])

        try:
            done = subprocess.run([str(self.bindir / tool), *args], capture_output=True, text=True, timeout=120,
                                  preexec_fn=demote if run_as else None, cwd=self.root)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PgUnavailable(f"{tool} failed: {exc}") from exc
        if done.returncode != 0:
            raise PgUnavailable(f"{tool} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")

    def _log_tail(self) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-20:])
        except OSError:
            return "(no log)"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.USER}@127.0.0.1:{self.port}/{database}"

    def database(self, prefix: str = "t") -> str:
        """A new, empty database; its URL."""
        import psycopg

        name = f"{prefix}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        import shutil

        if self._started:
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            except PgUnavailable:
                pass
            self._started = False
        shutil.rmtree(self.root, ignore_errors=True)


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def pg_cluster():
    """A throw-away PostgreSQL cluster for the whole session, torn down at its end. Where it cannot start, the
    tests that use it skip, except when CROSSNEWS_REQUIRE_PG=1 (CI), where they fail and say why."""
    try:
        import psycopg  # noqa: F401

        cluster = PgCluster()
    except (PgUnavailable, ImportError) as exc:
        if PG_REQUIRED:
            pytest.fail(f"PostgreSQL is required here (CROSSNEWS_REQUIRE_PG=1) but cannot start: {exc}",
                        pytrace=False)
        pytest.skip(f"PostgreSQL cannot start here ({exc}); CI requires it (CROSSNEWS_REQUIRE_PG=1)")
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster) -> str:
    """The URL of a new, empty database in the session's PostgreSQL cluster."""
    return pg_cluster.database()
