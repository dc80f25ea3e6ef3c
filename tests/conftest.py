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
