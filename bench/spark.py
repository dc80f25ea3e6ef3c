#!/usr/bin/env python3
"""Throughput of ``crossnews analyze --engine spark`` on local[1] and local[2] against the single-process run, in one
run, on the same distinct articles; prints JSON.

Usage (from the repository root; needs the spark extra and Java 17+, as `make test` installs them)::

    .venv/bin/python bench/spark.py [--limit N] [--inputs DIR_OR_FILE ...] [--masters local[1] local[2]]
                                    [--no-one-core]

The corpus is bench/throughput.py's: the first ``--limit`` (default 300; 0: all 924) distinct PolNeAR articles of
``../shared/evaldata/polnear`` (dev then train texts), one file each in a temporary directory. Three whole processes
run one after the other, each into a fresh SQLite database, with the default settings, writing the JSON export:

1. ``crossnews analyze CORPUS`` (the single process, as a user runs it: it parses in ``parse_processes`` forked
   processes, 2 by default, and tags techniques in a thread beside the parse, so it uses both cores);
2. the same on one core (``single-1core``): pinned to one CPU (``os.sched_setaffinity``, which its children
   inherit) with ``parse_processes = 1``; the per-core reference, since a Spark slot is one core;
3. ``crossnews analyze CORPUS --engine spark --master local[1]``;
4. ``crossnews analyze CORPUS --engine spark --master local[2]``.

Each is timed whole (interpreter and JVM start-up, model loading, relations and the export included) under
bench/throughput.py's wrapper, which also reports its peak RSS (of the largest single process the run waited for:
for a Spark run that is the driver or the JVM, not the Python workers). The three exports are compared byte for
byte. The machine's load average (``os.getloadavg``) is recorded before and after each run: the cores are shared.

The targets (issue 29): local[2] throughput at least 1.7x local[1]'s, and per core at least 0.85x the single
process's: local[2] articles/s / 2 >= 0.85 x the single process's articles/s per core, that is the one-core run's
(``per_core_local2_over_single``). ``per_core_local2_over_single_as_run`` divides by the two-core single process's
throughput instead, as this bench did before the one-core run (the single process then used one core). Exit status
0 when both targets hold and every export is identical, 1 when not, 2 when a run fails.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import (  # noqa: E402 - bench/throughput.py beside this script
    BenchError,
    add_crossnews_option,
    add_input_options,
    build_corpus,
    crossnews_command,
    measure,
    run_in_tmp,
    select_articles,
)

SPEEDUP_TARGET = 1.7  # local[2] / local[1] throughput
PER_CORE_TARGET = 0.85  # (local[2] throughput / 2) / single-process throughput


#: run a command pinned to one CPU (the lowest this process may use); its children inherit the affinity
PIN_ONE_CORE = ("import os, sys; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
                "os.execvp(sys.argv[1], sys.argv[1:])")


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def run_one(label: str, argv: list[str], n: int, tmp: Path) -> dict[str, Any]:
    out = tmp / label.replace("[", "-").replace("]", "")
    out.mkdir()
    load_before = _load()
    run = measure(label, [*argv, "--db", str(out / "x.db"), "--json", str(out / "analysis.json"), "--quiet",
                          "--timings", str(out / "timings.json")])
    run.pop("stdout", None)
    run["load_before"], run["load_after"] = load_before, _load()
    run["articles_per_s"] = round(n / run["wall_s"], 3)
    run["stages_s"] = json.loads((out / "timings.json").read_text(encoding="utf-8"))
    run["export"] = str(out / "analysis.json")
    return run


def per_1000(stages: dict[str, float], n: int) -> dict[str, float]:
    """Seconds per 1,000 articles of each timed stage (counts such as executor.tasks left out)."""
    skip = {"executor.tasks", "executor.workers", "executor.model_loads", "executor.worker_peak_rss_mb"}
    return {k: round(v * 1000 / n, 1) for k, v in stages.items() if k not in skip}


def run_bench(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    specs, articles = select_articles(args.inputs, args.limit)
    if not articles:  # a negative --limit
        raise BenchError(f"no articles found in {', '.join(str(s) for s in specs)}")
    corpus = tmp / "corpus"
    n = build_corpus(articles, 1, corpus)
    cmd = [*crossnews_command(args.crossnews), "analyze", str(corpus)]
    runs: dict[str, dict[str, Any]] = {"single": run_one("single", cmd, n, tmp)}
    if args.one_core:
        config = tmp / "one-core.toml"
        config.write_text("[crossnews]\nparse_processes = 1\n", encoding="utf-8")
        base = crossnews_command(args.crossnews)
        runs["single-1core"] = run_one("single-1core", [sys.executable, "-c", PIN_ONE_CORE, *base, "--config",
                                                        str(config), "analyze", str(corpus)], n, tmp)
    for master in args.masters:
        runs[master] = run_one(master, [*cmd, "--engine", "spark", "--master", master], n, tmp)
    reference = Path(runs["single"]["export"]).read_bytes()
    identical = {label: Path(r.pop("export")).read_bytes() == reference for label, r in runs.items()}
    for r in runs.values():
        r["stages_per_1000_articles_s"] = per_1000(r["stages_s"], n)
    result: dict[str, Any] = {
        "inputs": [str(s) for s in specs],
        "distinct_articles": n,
        "cores": os.cpu_count(),
        "runs": runs,
        "exports_identical_to_single": identical,
    }
    one, two = runs.get("local[1]"), runs.get("local[2]")
    if one and two:
        speedup = two["articles_per_s"] / one["articles_per_s"]
        as_run = two["articles_per_s"] / 2 / runs["single"]["articles_per_s"]
        reference = runs.get("single-1core", runs["single"])
        per_core = two["articles_per_s"] / 2 / reference["articles_per_s"]
        result["targets"] = {
            "speedup_local2_over_local1": round(speedup, 3), "speedup_min": SPEEDUP_TARGET,
            "speedup_ok": speedup >= SPEEDUP_TARGET,
            "per_core_local2_over_single": round(per_core, 3), "per_core_min": PER_CORE_TARGET,
            "per_core_ok": per_core >= PER_CORE_TARGET,
            "per_core_reference": "single-1core" if "single-1core" in runs else "single",
            "per_core_local2_over_single_as_run": round(as_run, 3),
            "local2_over_single": round(two["articles_per_s"] / runs["single"]["articles_per_s"], 3),
        }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_input_options(parser)
    parser.add_argument("--masters", nargs="+", default=["local[1]", "local[2]"], metavar="URL",
                        help="Spark masters to run, after the single process (default: local[1] local[2])")
    parser.add_argument("--no-one-core", dest="one_core", action="store_false",
                        help="skip the single process on one core (the per-core reference is then the two-core "
                             "single process)")
    add_crossnews_option(parser)
    args = parser.parse_args(argv)
    result = run_in_tmp(run_bench, args, "crossnews-bench-spark-")
    if result is None:
        return 2
    print(json.dumps(result, indent=2))
    targets = result.get("targets", {})
    ok = all(result["exports_identical_to_single"].values()) and targets.get("speedup_ok") and targets.get(
        "per_core_ok")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
