"""The Spark engine (``crossnews analyze --engine spark``): its export equals the single-process export of the same
inputs, byte for byte (the demo corpus, and one dev story from ../shared), with the model loaded once per executor
(by its Python daemon, before it forks the workers); the partition plan; the clear errors without PySpark or Java.

The Spark runs start a local[2] JVM (about 10 s, once for the module) and need the spark extra and Java 17+
(`make test` installs both); without them these tests skip with the reason, except under CI, where they fail."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crossnews.cli import main
from crossnews.engine.spark import SparkExtractor, plan_partitions, spark_problem

from .conftest import DEMO, EVALDATA, need_shared

STORY = EVALDATA / "stories-dev" / "kerch" / "docs.jsonl"
MASTER = "local[2]"


def test_plan_partitions_balances_text_and_keeps_every_document_once() -> None:
    sizes = [100, 5_000, 300, 4_000, 2_000, 50, 2_900, 700]
    plan = plan_partitions(sizes, 3)
    assert sorted(i for group in plan for i in group) == list(range(len(sizes)))
    assert all(group == sorted(group) and group for group in plan)
    loads = [sum(sizes[i] for i in group) for group in plan]
    assert max(loads) - min(loads) <= max(sizes) // 2, loads
    assert plan_partitions([10, 20], 8) == [[1], [0]], "never more partitions than documents"
    assert plan_partitions([], 4) == []


def test_without_pyspark_or_java_the_engine_says_what_to_install(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.delenv("PYSPARK_GATEWAY_PORT", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no java on it
    problem = spark_problem()
    assert problem is not None and problem.startswith("E060")
    assert "spark extra" in problem or ("Java 17" in problem and "openjdk-17-jre-headless" in problem), problem
    result = CliRunner().invoke(main, ["analyze", str(DEMO / "feed.jsonl"), "--db", str(tmp_path / "x.db"), "-q",
                                       "--engine", "spark"])
    assert result.exit_code == 2 and "E060" in result.output, result.output
    assert not (tmp_path / "x.db").exists(), "nothing is read or stored when the engine cannot run"


def test_master_needs_the_spark_engine(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", str(DEMO / "feed.jsonl"), "--db", str(tmp_path / "x.db"), "-q",
                                       "--master", MASTER])
    assert result.exit_code == 2 and "--engine spark" in result.output, result.output


def test_a_context_stopped_in_the_background_is_waited_for_and_its_failure_raised() -> None:
    """The CLI stops Spark while it writes the export: leaving the ``with`` block then must not stop it a second
    time, and a failure to stop comes out where the CLI waits for it."""
    stops: list[int] = []

    class Context:
        def stop(self) -> None:
            stops.append(1)
            raise RuntimeError("the executor was lost")

    engine = SparkExtractor("local[1]")  # never started: the context below stands in for one
    engine._sc, engine._owned = Context(), True
    engine.stop_in_background()
    engine.__exit__(None, None, None)
    with pytest.raises(RuntimeError, match="executor was lost"):
        engine.wait_stopped()
    assert stops == [1] and engine._sc is None
    engine.wait_stopped()  # once raised, waiting again is a no-op


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkExtractor]:
    """One local[2] Spark context for the module: the CLI runs below use it (and leave it running)."""
    problem = spark_problem()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the Spark tests: {problem}")
        pytest.skip(problem)
    with SparkExtractor(MASTER) as engine:
        yield engine


def _analyze(inputs: list[Path], out: Path, *extra: str) -> dict[str, Any]:
    """Run ``crossnews analyze`` into a fresh database; its timings."""
    out.mkdir(parents=True, exist_ok=True)
    result = CliRunner().invoke(main, ["analyze", *map(str, inputs), "--db", str(out / "x.db"), "--json",
                                       str(out / "analysis.json"), "--quiet", "--timings", str(out / "t.json"),
                                       *extra])
    assert result.exit_code == 0, result.output
    return dict(json.loads((out / "t.json").read_text(encoding="utf-8")))


@pytest.mark.slow
def test_demo_on_spark_gives_the_single_process_export_byte_for_byte(spark: SparkExtractor, demo_export: Any,
                                                                     tmp_path: Path) -> None:
    _, single = demo_export
    spent = _analyze([DEMO / "pages", DEMO / "feed.jsonl"], tmp_path, "--html", str(tmp_path / "dossier.html"),
                     "--engine", "spark", "--master", MASTER)
    assert (tmp_path / "analysis.json").read_bytes() == (single / "analysis.json").read_bytes()
    assert spent["executor.tasks"] >= 2, "the batch was cut into partitions"
    assert spent["executor.model_loads"] <= spent["executor.workers"], "a worker loads the model once at most"


@pytest.mark.slow
def test_a_dev_story_on_spark_gives_the_single_process_export_byte_for_byte(spark: SparkExtractor, tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    need_shared(STORY)
    _analyze([STORY], tmp_path / "single")
    # the story is all the work: its texts are embedded across both slots before it is related (from any count here)
    monkeypatch.setattr("crossnews.engine.spark.EMBED_JOB_MIN", 1)
    spent = _analyze([STORY], tmp_path / "spark", "--engine", "spark", "--master", MASTER)
    single = json.loads((tmp_path / "single" / "analysis.json").read_text(encoding="utf-8"))
    assert len(single["documents"]) == 15 and single["statements"] and single["relations"]
    assert (tmp_path / "spark" / "analysis.json").read_bytes() == (tmp_path / "single" / "analysis.json").read_bytes()
    assert spent["executor.tasks"] >= 2 and spent["executor.model_loads"] <= spent["executor.workers"]
    assert spent["executor.relate"] > 0, "the stories were related on the executors"
    assert spent["spark.embed"] > 0 and spent["executor.embed"] > 0, "the heavy story's texts were embedded first"


@pytest.mark.slow
def test_the_extractor_keeps_order_and_loads_the_model_once_per_worker(spark: SparkExtractor) -> None:
    """Two batches through one extractor: results in the documents' order; the model loaded by the executor's daemon
    (crossnews.engine.spark_daemon) before it forked the workers, never by a task."""
    from crossnews.clean import clean
    from crossnews.core.records import Document
    from crossnews.core.settings import DEFAULTS
    from crossnews.ingest import ingest

    docs = [clean(raw) for raw in ingest([str(DEMO / "pages"), str(DEMO / "feed.jsonl")])]
    assert all(isinstance(d, Document) for d in docs)
    engine = SparkExtractor(MASTER, partitions=3)  # the module's context, shared
    for batch in (docs, list(reversed(docs))):
        results = engine(batch, DEFAULTS)
        assert [r.doc for r in results] == [d.id for d in batch]
        assert all(r.error is None for r in results)
    loads: dict[int, int] = {}
    for task in engine.tasks:
        loads[task["pid"]] = loads.get(task["pid"], 0) + task["loads"]
    assert all(n <= 1 for n in loads.values()), loads
    assert sum(loads.values()) == 0, "each executor's Python daemon loaded the model before forking its workers"
    engine.stop()  # not its context: left running for the others
    assert spark.slots == 2
