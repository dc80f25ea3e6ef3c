"""The Spark engine: ``crossnews analyze --engine spark [--master URL]`` extracts on a Spark cluster's executors.

What runs where:

- **driver** (the ``crossnews`` process): ingest, both cleanings (the site-line evidence is gathered across the
  batch and the store, as without Spark), storing every document, then :func:`~crossnews.pipeline.align_store`
  over the whole store and :func:`~crossnews.pipeline.relate_store`, whose stories are related on the executors;
- **executors**: :func:`crossnews.extract.extract` (spaCy parse, statements, entities, time expressions), the
  costly step, in ``mapPartitions``. Each batch of cleaned documents is cut into partitions of about equal text
  length (:func:`plan_partitions`); a partition's documents go through ``extract`` together and come back as
  :class:`~crossnews.extract.Extraction` records, which the driver stores in the batch's order.

Models are never pickled: a task ships only the documents and the :class:`~crossnews.core.settings.Settings`.
Each executor's Python daemon (:mod:`crossnews.engine.spark_daemon`, ``spark.python.daemon.module``) loads the
spaCy model and the default extractors' weights once, before it forks the executor's Python workers, which inherit
them; the workers are kept between tasks (``spark.python.worker.reuse``). So the model is loaded once per executor
for the whole run. A worker that finds it missing (the daemon could not load it, or a Spark without the daemon)
loads it on its first task and keeps it.

Relations are related on the executors too (:meth:`SparkExtractor.relate`, the pipeline's relater): the driver
cuts the analysis into one part per story (:func:`crossnews.align.relations.story_parts`: a story is never split),
partitions the parts by work (statements squared) and each executor runs
:func:`crossnews.align.relations.relate_parts` with its own judge and embedder (loaded on its first relating task).
A story heavier than a slot's share of that work (one story of 57 documents among the 300 bench articles, of 40 s on
one slot among all 924) would keep one slot busy while the others wait: its texts are embedded first, in a job of
their own across every slot, and the vectors shipped with the story. The default embedder (``embed.minilm.v3``)
encodes each text on its own, so the executors' vectors are the driver's; the store writes the relations in one
order whatever the engine.

The export of a Spark run equals the single-process export of the same inputs, byte for byte
(``tests/test_spark.py``).
"""

from __future__ import annotations

import heapq
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from typing import Any

from crossnews.core.errors import CrossnewsError
from crossnews.core.records import Analysis, Document, Relation
from crossnews.core.settings import Settings
from crossnews.core.timing import timed, timings
from crossnews.extract import Extraction, extract

__all__ = ["DEFAULT_MASTER", "JAVA_MIN", "SparkExtractor", "java_version", "plan_partitions", "spark_problem"]

#: the master when none is given (and the process was not started by spark-submit, which gives its own)
DEFAULT_MASTER = "local[*]"
#: PySpark 4 runs on Java 17 or 21
JAVA_MIN = 17
#: one context start at a time in this process (a context being started by one extractor is shared by the next)
_START_LOCK = threading.Lock()
#: partitions per core slot (``defaultParallelism``): a slot slowed by a busy machine leaves its next partition to
#: another slot
SLICES_PER_SLOT = 2
#: a heavy story's texts are embedded in a job of their own from this many (a job costs a few tenths of a second)
EMBED_JOB_MIN = 200
#: a partition is at least this many documents (a task costs a few milliseconds; a partition parses together)
MIN_PER_PARTITION = 2
INSTALL_HINT = "install the spark extra (pip install 'crossnews[spark]'; `make test` does)"
JAVA_HINT = ("install a Java runtime, e.g. `apt-get install openjdk-17-jre-headless` on Debian (`make test` does), "
             "or point JAVA_HOME at one")


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home:
        path = os.path.join(home, "bin", "java")
        if os.access(path, os.X_OK):
            return path
    return shutil.which("java")


def java_version(java: str | None = None) -> int | None:
    """The major version of ``java`` (default: JAVA_HOME's, else the one on PATH); None when there is none or it
    does not run."""
    java = java or _java()
    if java is None:
        return None
    try:
        proc = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r'version "(\d+)(?:\.(\d+))?', proc.stderr + proc.stdout)
    if found is None:
        return None
    major = int(found[1])
    return int(found[2] or 0) if major == 1 else major  # "1.8.0_392" is Java 8


def spark_problem() -> str | None:
    """Why ``--engine spark`` cannot run here (PySpark or Java missing), as an error message; None when it can."""
    if importlib.util.find_spec("pyspark") is None:
        return f"E060: --engine spark needs PySpark, which is not installed: {INSTALL_HINT}"
    if "PYSPARK_GATEWAY_PORT" in os.environ:  # started by spark-submit: its JVM runs already
        return None
    java = _java()
    if java is None:
        return f"E060: --engine spark needs Java {JAVA_MIN} or later (Spark runs on the JVM), found none: {JAVA_HINT}"
    version = java_version(java)
    if version is None or version < JAVA_MIN:
        found = "does not run" if version is None else f"is Java {version}"
        return f"E060: --engine spark needs Java {JAVA_MIN} or later; {java} {found}: {JAVA_HINT}"
    return None


def plan_partitions(sizes: Sequence[int], partitions: int) -> list[list[int]]:
    """Cut documents of ``sizes`` (characters) into at most ``partitions`` groups of about equal total size (the
    largest first, each to the lightest group); each group's indexes in order, no empty group."""
    partitions = max(1, min(partitions, len(sizes)))
    heap = [(0, n) for n in range(partitions)]
    groups: list[list[int]] = [[] for _ in range(partitions)]
    for i in sorted(range(len(sizes)), key=lambda i: (-sizes[i], i)):
        load, n = heapq.heappop(heap)
        groups[n].append(i)
        heapq.heappush(heap, (load + max(1, sizes[i]), n))
    return [sorted(g) for g in groups if g]


def _extract_partition(settings: Settings, chunks: Iterable[list[tuple[int, Document]]]) -> Iterator[tuple[int, Any]]:
    """On an executor: (index, Extraction) for each document of the partition, then (-1, what the task cost: its
    worker's pid, whether it loaded the model, seconds per stage, the worker's peak RSS in bytes so far). The model
    and weights are the worker's own: inherited from the executor's daemon, or loaded on its first task and kept."""
    from crossnews.core import nlp

    loads = nlp._load.cache_info().misses
    before = timings()
    began = time.perf_counter()
    for chunk in chunks:
        results = extract([doc for _, doc in chunk], settings, overlap=False)  # the slots are the parallelism
        for (i, _), result in zip(chunk, results, strict=True):
            yield i, result
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    yield -1, {**_task_cost(before, began, nlp._load.cache_info().misses - loads), "peak_rss": peak}


class SparkExtractor:
    """:func:`crossnews.extract.extract` on Spark executors, as the pipeline's extractor
    (``AnalyzeOptions(extractor=...)``). A context manager: the Spark context starts on entry (unless one runs
    already in this process: it is used, and left running) and stops on exit.

    ``master``: a Spark master URL (``local[2]``, ``spark://host:7077``, ``yarn``...); default :data:`DEFAULT_MASTER`,
    or spark-submit's. ``partitions``: partitions per batch (default :data:`SLICES_PER_SLOT` per core slot).
    ``conf``: more Spark settings (``spark.executor.memory``...)."""

    def __init__(self, master: str | None = None, *, partitions: int | None = None,
                 conf: dict[str, str] | None = None, app_name: str = "crossnews") -> None:
        self.master = master
        self.partitions = partitions
        self.conf = dict(conf or {})
        self.app_name = app_name
        self._sc: Any = None
        self._owned = False
        self._starting: threading.Thread | None = None  # the context started in the background (see __enter__)
        self._start_error: BaseException | None = None
        self.tasks: list[dict[str, Any]] = []  # what each task cost (pid, loads, wall, stages)
        self._stopping: threading.Thread | None = None  # stop_in_background's thread
        self._stop_error: BaseException | None = None

    # --- the context ------------------------------------------------------------------------------------------

    def start(self) -> SparkExtractor:
        """The running context: the one started on entry (waited for), else one started now."""
        if self._starting is not None:
            self._starting.join()
            self._starting = None
            if self._start_error is not None:
                error, self._start_error = self._start_error, None
                raise error
        return self._start_now()

    def _start_now(self, locked: bool = False) -> SparkExtractor:
        """Start (or join) this process's context; one start at a time, so that a context another extractor is
        starting is found and shared, not raced (``locked``: the caller holds :data:`_START_LOCK`)."""
        if not locked:
            with _START_LOCK:
                return self._start_now(locked=True)
        if self._sc is not None:
            return self
        problem = spark_problem()
        if problem:
            raise CrossnewsError(problem)
        from pyspark import SparkConf, SparkContext

        master = self.master
        if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:
            master = DEFAULT_MASTER
        if master and master.startswith("local"):
            # local executors run this interpreter, which has crossnews; a cluster's come from its own settings
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # all on this machine: no network interface asked
        conf = SparkConf().setAppName(self.app_name)
        if master:
            conf.setMaster(master)
        conf.set("spark.python.worker.reuse", "true")  # the model stays loaded in each worker between tasks
        # each executor's Python daemon loads the model once and forks its workers with it (spark_daemon.py)
        conf.set("spark.python.daemon.module", "crossnews.engine.spark_daemon")
        conf.set("spark.ui.showConsoleProgress", "false")
        if master and master.startswith("local"):
            conf.set("spark.ui.enabled", "false")
            # a local run's JVM lives as long as the batch: the client compiler alone starts it about 0.4 s sooner,
            # and its work (scheduling, passing pickled rows) is not where the time goes
            conf.setIfMissing("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1")
        for key, value in self.conf.items():
            conf.set(key, value)
        with timed("spark.start"):
            self._owned = SparkContext._active_spark_context is None
            try:
                self._sc = SparkContext.getOrCreate(conf)
            except Exception as exc:  # noqa: BLE001 - the JVM or the master cannot be reached: one clear error
                raise CrossnewsError(f"E061: cannot start Spark (master {master or 'from spark-submit'}): "
                                     f"{_first_line(exc)}") from exc
        if self._owned:
            self._sc.setLogLevel("ERROR")
        return self

    def stop(self) -> None:
        if self._starting is not None:
            self._starting.join()
            self._starting, self._start_error = None, None
        sc, self._sc = self._sc, None
        if sc is not None and self._owned:
            sc.stop()

    def stop_in_background(self) -> None:
        """Stop the context in a thread (about a second: the executors and their Python daemon shut down) while
        this process goes on with work that needs no Spark, such as writing the export; :meth:`wait_stopped`
        waits for it and raises what stopping raised."""
        def run() -> None:
            try:
                self.stop()
            except BaseException as exc:  # noqa: BLE001 - raised again by wait_stopped
                self._stop_error = exc

        self._stop_error = None
        self._stopping = threading.Thread(target=run, name="crossnews-spark-stop", daemon=True)
        self._stopping.start()

    def wait_stopped(self) -> None:
        stopping, self._stopping = self._stopping, None
        if stopping is not None:
            stopping.join()
        if self._stop_error is not None:
            error, self._stop_error = self._stop_error, None
            raise error

    def __enter__(self) -> SparkExtractor:
        """Start the context in the background: the JVM starts (seconds) while the driver reads and cleans the
        batch; the first job waits for it, and a failure to start is raised there."""
        if self._sc is None and self._starting is None:
            _START_LOCK.acquire()  # taken here, so that an extractor started after this one waits for it
            self._starting = threading.Thread(target=self._start_in_background, name="crossnews-spark-start",
                                              daemon=True)
            self._starting.start()
        return self

    def _start_in_background(self) -> None:
        try:
            self._start_now(locked=True)
        except BaseException as exc:  # noqa: BLE001 - raised again where the context is first needed
            self._start_error = exc
        finally:
            _START_LOCK.release()

    def __exit__(self, *exc: object) -> None:
        if self._stopping is None:  # else stop_in_background stops it
            self.stop()

    @property
    def slots(self) -> int:
        """Core slots of the cluster (Spark's ``defaultParallelism``)."""
        return int(self.start()._sc.defaultParallelism)

    # --- the extractor ----------------------------------------------------------------------------------------

    def __call__(self, docs: Sequence[Document], settings: Settings) -> list[Extraction]:
        """One Extraction per document, in order, extracted on the executors."""
        if not docs:
            return []
        sc = self.start()._sc
        wanted = self.partitions or self.slots * SLICES_PER_SLOT
        wanted = min(wanted, max(1, len(docs) // MIN_PER_PARTITION))
        plan = plan_partitions([len(d.text) for d in docs], wanted)
        chunks = [[(i, docs[i]) for i in group] for group in plan]
        with timed("spark.extract"):
            try:
                rows = sc.parallelize(chunks, len(chunks)).mapPartitions(
                    partial(_extract_partition, settings)).collect()
            except Exception as exc:  # noqa: BLE001 - a failed job (a lost executor, a worker that cannot start)
                raise CrossnewsError(f"E061: the Spark extraction job failed: {_first_line(exc)}") from exc
        results: list[Extraction | None] = [None] * len(docs)
        for i, row in rows:
            if i < 0:
                self.tasks.append(row)
            else:
                results[i] = row
        return [r if r is not None else Extraction(d.id, error="internal error while extracting (no result from "
                                                               "the Spark executors)")
                for d, r in zip(docs, results, strict=True)]

    # --- the relater ------------------------------------------------------------------------------------------

    def relate(self, analysis: Analysis, settings: Settings) -> list[Relation]:
        """The relations of ``analysis``, its stories related on the executors (a story is never split: each
        partition gets whole stories, about equal in statements). The vectors are the executors' own: the default
        embedder encodes each text alone, so they are the ones this process would compute. A story heavier than a
        slot's share of the work would keep one slot busy while the others wait: its texts are embedded first, in
        a job of their own across every slot (:meth:`_embed_heavy`), and shipped with it."""
        from crossnews.align.relations import story_parts, texts_to_embed, vector_key
        from crossnews.align.stories import build_stories, story_of

        stories = story_of(analysis.stories or build_stories(analysis))
        parts = list(story_parts(analysis, stories))
        if not parts:
            return []
        sc = self.start()._sc
        slots = self.slots
        wanted = min(self.partitions or slots * SLICES_PER_SLOT, len(parts))
        weights = [1 + len(p.statements) ** 2 for p in parts]  # pairs grow with the square
        heavy = {i: texts_to_embed(parts[i]) for i, w in enumerate(weights) if w * slots > sum(weights)}
        vectors = self._embed_heavy([t for texts in heavy.values() for t in texts], settings)
        plan = plan_partitions(weights, wanted)
        chunks = []
        for group in plan:
            ship = {k: v for i in group for t in heavy.get(i, ())
                    if (v := vectors.get(k := vector_key(t))) is not None}
            chunks.append(({d.id: stories.get(d.id, d.id) for i in group for d in parts[i].documents},
                           [parts[i] for i in group], ship))
        with timed("spark.relate"):
            try:
                rows = sc.parallelize(chunks, len(chunks)).mapPartitions(
                    partial(_relate_partition, settings)).collect()
            except Exception as exc:  # noqa: BLE001 - a failed job: one clear error, as for extraction
                raise CrossnewsError(f"E061: the Spark relating job failed: {_first_line(exc)}") from exc
        out = []
        for i, row in rows:
            if i < 0:
                self.tasks.append(row)
            else:
                out.append(row)
        return out

    def _embed_heavy(self, texts: list[str], settings: Settings) -> dict[str, Any]:
        """The vectors of ``texts`` (by :func:`~crossnews.align.relations.vector_key`), embedded on the executors
        in a job of their own, the texts cut into parts of about equal length; none when there are too few to be
        worth a job, or one slot."""
        if len(texts) < EMBED_JOB_MIN or self.slots < 2:
            return {}
        sc = self._sc
        plan = plan_partitions([len(t) for t in texts], self.slots * SLICES_PER_SLOT)
        with timed("spark.embed"):
            try:
                rows = sc.parallelize([[texts[i] for i in g] for g in plan], len(plan)).mapPartitions(
                    partial(_embed_partition, settings)).collect()
            except Exception as exc:  # noqa: BLE001 - a failed job: one clear error, as for extraction
                raise CrossnewsError(f"E061: the Spark embedding job failed: {_first_line(exc)}") from exc
        vectors: dict[str, Any] = {}
        for key, row in rows:
            if key is None:
                self.tasks.append(row)
            else:
                vectors[key] = row
        return vectors

    def executor_timings(self) -> dict[str, float]:
        """Seconds per stage summed over every task (core-seconds on the executors), as ``executor.<stage>``, with
        the tasks, the Python workers that ran them, how many times a worker loaded the model (0: the executors'
        daemons had it) and the largest peak RSS of a worker, in MB."""
        total: Counter[str] = Counter()
        for task in self.tasks:
            total.update(task["stages"])
        out: dict[str, float] = {f"executor.{k}": round(v, 3) for k, v in sorted(total.items())}
        out["executor.tasks"] = len(self.tasks)
        out["executor.workers"] = len({t["pid"] for t in self.tasks})
        out["executor.model_loads"] = sum(t["loads"] for t in self.tasks)
        out["executor.worker_peak_rss_mb"] = round(max((t.get("peak_rss", 0) for t in self.tasks), default=0) / 1e6)
        return out


def _task_cost(before: dict[str, float], began: float, loads: int = 0) -> dict[str, Any]:
    """What a task cost, as :meth:`SparkExtractor.executor_timings` sums it: its worker's pid, the models it
    loaded, its wall seconds since ``began`` and its seconds per stage since ``before``."""
    return {"pid": os.getpid(), "loads": loads, "wall": round(time.perf_counter() - began, 3),
            "stages": _spent_since(before)}


def _spent_since(before: dict[str, float]) -> dict[str, float]:
    """Seconds per stage this worker spent since ``before`` (a :func:`~crossnews.core.timing.timings` reading)."""
    after = timings()
    return {k: round(v - before.get(k, 0.0), 3) for k, v in after.items() if v - before.get(k, 0.0) > 0}


def _task_embedder(settings: Settings) -> Any:
    """The worker's embedder (loaded on its first task and kept: registries cache their backends), its calls run
    on the task's cores."""
    from crossnews.align.embed import get_embedder

    embedder = get_embedder(settings.embedder)
    if hasattr(embedder, "threads"):  # a fresh instance: its calls run on the task's cores, not the machine's
        embedder.threads = _task_cores()
    return embedder


def _embed_partition(settings: Settings, chunks: Iterable[list[str]]) -> Iterator[tuple[str | None, Any]]:
    """On an executor: (key, vector) for each text of the partition's chunks, then (None, what the task cost)."""
    from crossnews.align.relations import vector_key

    before = timings()
    began = time.perf_counter()
    embedder = _task_embedder(settings)
    batch = [text for chunk in chunks for text in chunk]
    with timed("embed"):
        vectors = embedder.encode(batch) if batch else []
    for text, vector in zip(batch, vectors, strict=True):
        yield vector_key(text), vector
    yield None, _task_cost(before, began)


def _relate_partition(settings: Settings, chunks: Iterable[tuple[dict[str, str], list[Analysis], dict[str, Any]]]
                      ) -> Iterator[tuple[int, Any]]:
    """On an executor: (0, Relation) for each relation of the partition's stories, then (-1, what the task cost).
    The judge and the embedder are the worker's own, loaded on its first relating task and kept (registries
    cache their backends); the vectors shipped with a chunk (a heavy story's, embedded before) are not encoded
    again."""
    from crossnews.align.judges import get_judge
    from crossnews.align.relations import VectorDict, relate_parts

    before = timings()
    began = time.perf_counter()
    judge, embedder = get_judge(settings.judge), _task_embedder(settings)
    for stories, parts, vectors in chunks:
        with timed("relate"):
            cache = VectorDict(embedder.name, vectors) if vectors else None
            for rel in relate_parts(parts, stories, judge=judge, embedder=embedder, cache=cache):
                yield 0, rel
    yield -1, _task_cost(before, began)


def _task_cores() -> int:
    """The cores Spark gave this task (``spark.task.cpus``, 1 unless set): a slot's threads, so that two slots of
    one executor do not each run as many threads as the machine has cores. The vectors do not depend on it."""
    from pyspark import TaskContext

    ctx = TaskContext.get()
    return max(1, int(ctx.cpus())) if ctx is not None else 1


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    for line in text.splitlines():
        if "Error" in line or "Exception" in line:
            return line.strip()[:500]
    return (text.splitlines()[0] if text else type(exc).__name__)[:500]
