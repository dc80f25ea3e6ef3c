"""The command line: a thin layer over :mod:`crossnews.pipeline`, :mod:`crossnews.store`, :mod:`crossnews.report`,
:mod:`crossnews.web` and :mod:`crossnews.eval`. The web app and the evaluations are imported by their commands only:
they load FastAPI and evaluation readers that the other commands do not need."""

from __future__ import annotations

import dataclasses
import gc
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import click

from crossnews.core.errors import CrossnewsError
from crossnews.core.registry import backends as all_backends
from crossnews.core.registry import resolve
from crossnews.core.settings import DEFAULTS, Settings, load_settings
from crossnews.core.timing import timed, timings
from crossnews.core.version import __version__
from crossnews.pipeline import AnalyzeOptions, Event
from crossnews.pipeline import analyze as run
from crossnews.report.export import atomic_path, load_schema, write_json
from crossnews.store.backend import is_postgres_url, redact, store_backend

DB_HELP = "SQLite database file (created if missing), or a postgresql://user@host:port/db URL (a shared store)."


def _iso_date(value: str | None) -> str | None:
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2024-03-17") from None


@contextmanager
def _batch_gc() -> Iterator[None]:
    """Python's cyclic collector tuned for one batch run: an analysis allocates millions of objects that live to
    its end (parses, statements, relations and their evidence) and makes little cyclic garbage, so with the default
    thresholds the collector walks the whole, growing heap again and again (about 3.4 s of a 204-article run, 0.7 s
    with these). The youngest generation is collected every 100,000 allocations instead of 700."""
    saved = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*saved)


def _fail(message: str) -> None:
    click.echo(f"crossnews: error: {message}", err=True)
    sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="crossnews")
@click.option("--config", "config", type=click.Path(dir_okay=False), envvar="CROSSNEWS_CONFIG",
              help="A TOML file whose [crossnews] table overrides the default settings (backends, limits); "
                   "command-line options override it in turn. Also $CROSSNEWS_CONFIG.")
@click.pass_context
def main(ctx: click.Context, config: str | None) -> None:
    """crossnews: read one news story across many outlets — who said what, when, according to whom.

    Every finding points back to the exact characters of its source document.
    """
    try:
        ctx.obj = load_settings(config)
    except CrossnewsError as exc:
        _fail(str(exc))


def _settings(**overrides: Any) -> Settings:
    """The settings of this run: defaults, the --config file, then the options given on the command line."""
    base = click.get_current_context().find_object(Settings) or load_settings()
    try:
        settings = base.replace(**overrides)
        return settings.replace(store=store_backend(settings.db, settings.store))  # a postgresql:// URL: PostgreSQL
    except CrossnewsError as exc:
        _fail(str(exc))
        raise


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--db", "db", help=f"{DB_HELP}  [default: {DEFAULTS.db}]")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Write the export (crossnews/1) here.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False), help="Write the HTML dossier here.")
@click.option("--max-bytes", type=int, help=f"Largest input accepted, in bytes.  [default: {DEFAULTS.max_bytes}]")
@click.option("--timeout", type=float, help=f"URL fetch timeout, in seconds.  [default: {DEFAULTS.timeout}]")
@click.option("--max-redirects", type=int,
              help=f"Most redirects followed when fetching a URL.  [default: {DEFAULTS.max_redirects}]")
@click.option("--allow-private", is_flag=True, default=None,
              help="Allow fetching loopback, private and link-local addresses.")
@click.option("--time-budget", type=click.FloatRange(min=0.0), metavar="SECONDS",
              help="Seconds one document's analysis may take before it is rejected with a reason.  "
                   f"[default: {DEFAULTS.time_budget:g}]")
@click.option("--crawled", callback=lambda ctx, param, value: _iso_date(value),
              help="Crawl date (YYYY-MM-DD) for inputs without one: bounds yearless dates.")
@click.option("--judge", help="Registered judge for cross-outlet relations (see `crossnews backends`).  "
                              f"[default: {DEFAULTS.judge}]")
@click.option("--embedder", help="Registered sentence embedder for alignment (embed.hashing.v1 needs no torch).  "
                                 f"[default: {DEFAULTS.embedder}]")
@click.option("--relations/--no-relations", default=True, show_default=True,
              help="Relate statements across every document in --db after the run.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no per-input messages.")
@click.option("--timings", "timings_path", type=click.Path(dir_okay=False),
              help="Write the seconds spent per stage (load, clean, parse, rules, time, entities, store, align, "
                   "embed, judge, relate, export) to this JSON file.")
@click.option("--parquet", "parquet_dir", type=click.Path(file_okay=False),
              help="Write documents, statements, entities and relations as Parquet files into this folder.")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True,
              help="Where the per-document extraction runs: this process, or Spark executors (needs the spark extra "
                   "and Java 17+; ingest, cleaning, storing and relations stay in this process).")
@click.option("--master", metavar="URL",
              help="Spark master for --engine spark (local[2], spark://host:7077, yarn...).  [default: local[*], or "
                   "spark-submit's]")
def analyze(inputs: tuple[str, ...], db: str | None, json_path: str | None, html_path: str | None,
            max_bytes: int | None, timeout: float | None, max_redirects: int | None, allow_private: bool | None,
            crawled: str | None, judge: str | None, embedder: str | None, relations: bool, quiet: bool,
            timings_path: str | None, parquet_dir: str | None = None, engine: str = "local",
            master: str | None = None, time_budget: float | None = None) -> None:
    """Analyse articles: files, directories (recursively), globs, .jsonl files or http(s) URLs; .gz files are read
    as what they hold (page.html.gz, feed.jsonl.gz).

    Each input ends analysed, unchanged (same content already in --db) or rejected with a reason; the summary's
    counts add up to the inputs. Exit status: 0, or 1 when every input was rejected, 2 on a usage or store error.
    """
    settings = _settings(db=db, max_bytes=max_bytes, timeout=timeout, max_redirects=max_redirects,
                         allow_private=allow_private, judge=judge, embedder=embedder,
                         time_budget=time_budget)
    opts = AnalyzeOptions(settings=settings, crawled=crawled, relations=relations)
    engine_cm: Any = nullcontext()
    if master is not None and engine != "spark":
        _fail("--master is for --engine spark")
        return
    if engine == "spark":
        from crossnews.engine.spark import SparkExtractor, spark_problem

        problem = spark_problem()
        if problem:
            _fail(problem)
            return
        engine_cm = SparkExtractor(master)
        opts = dataclasses.replace(opts, extractor=engine_cm, relater=engine_cm.relate)
    backends = settings.backend_names()
    if not relations:
        del backends["judge"], backends["embed"]
    for kind, name in backends.items():
        try:
            resolve(kind, name)
        except KeyError as exc:
            _fail(str(exc).strip("'\""))
            return
    try:
        store = _open_store(settings)
    except CrossnewsError as exc:
        _fail(str(exc))
        return
    with store, _batch_gc():
        try:
            with engine_cm:
                if quiet:
                    summary = run(inputs, store, opts)
                else:
                    summary = _run_with_progress(inputs, store, opts, run, Event)
                if engine == "spark":  # Spark is done with: it shuts down while the export is written
                    engine_cm.stop_in_background()
        except (CrossnewsError, KeyError) as exc:
            _fail(str(exc).strip("'\""))
            return
        write_error = None
        try:
            with timed("export"):
                outputs = _write_outputs(store, settings, json_path, html_path, summary.unchanged_inputs)
                outputs += _write_parquet(store, parquet_dir)
        except CrossnewsError as exc:
            outputs, write_error = [], str(exc)
        finally:
            if engine == "spark":
                engine_cm.wait_stopped()
    if timings_path:
        spent = {**timings(), **(engine_cm.executor_timings() if engine == "spark" else {})}
        Path(timings_path).write_text(json.dumps(spent, indent=1) + "\n", encoding="utf-8")
    click.echo(
        f"inputs {summary.inputs}: analysed {summary.analysed}, unchanged {summary.unchanged}, "
        f"rejected {summary.rejected}",
        err=quiet is False,
    )
    if not quiet:
        click.echo(f"database: {redact(settings.db)}", err=True)
        for what, path in outputs:
            click.echo(f"{what}: {path}", err=True)
    if write_error:
        _fail(f"{write_error}; the analysis is stored in {redact(settings.db)}: write it again with "
              f"'crossnews report --db {redact(settings.db)}'")
    if summary.inputs and summary.rejected == summary.inputs:
        sys.exit(1)


def _open_store(settings: Settings) -> Any:
    return resolve("store", settings.store).factory(settings.db)


def _write_parquet(store: Any, folder: str | None) -> list[tuple[str, Path]]:
    """Write the Parquet export (documents, statements, entities, relations; one file each) into ``folder``, when
    given, from what the store holds (relations streamed from the store)."""
    if not folder:
        return []
    from crossnews.report.parquet import write_parquet

    try:
        write_parquet(store.analysis(relations=False), folder, relations=store.relation_dicts())
    except OSError as exc:
        raise CrossnewsError(f"cannot write the Parquet export to {folder}: {exc.strerror or exc}") from exc
    return [("parquet", Path(folder))]


def _write_outputs(store: Any, settings: Settings, json_path: str | None, html_path: str | None,
                   unchanged: Any = None) -> list[tuple[str, Path]]:
    """Write the export and/or the dossier from what the store holds. The export streams the relations from the
    store; the dossier needs them all at once. Each is written atomically (a full disk leaves the file as it was,
    never truncated); a write that fails is a :class:`CrossnewsError` naming the file. ``unchanged``: the run's
    unchanged inputs, for the export."""
    outputs = []
    analysis = store.analysis(relations=bool(html_path))
    if json_path:
        with _writing("the export", json_path):
            outputs.append(("export", write_json(analysis, json_path, unchanged=unchanged,
                                                 relations=None if html_path else store.relation_dicts())))
    if html_path:
        with _writing("the dossier", html_path), atomic_path(html_path) as tmp:
            resolve("report", settings.report).factory(analysis, tmp)
        outputs.append(("dossier", Path(html_path)))
    return outputs


@contextmanager
def _writing(what: str, path: str) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise CrossnewsError(f"cannot write {what} to {path}: {exc.strerror or exc}") from exc


def _run_with_progress(inputs: tuple[str, ...], store: Any, opts: Any, run: Any, event_cls: Any) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True) as progress:
        task = progress.add_task("analysing", total=None)

        def on_event(event: Any) -> None:
            progress.advance(task)
            if event.status == "rejected":
                progress.console.print(f"[red]rejected[/red] {event.source}: {event.reason}", markup=True,
                                       highlight=False, soft_wrap=True)
            elif event.status == "unchanged" and (event.reason or "").startswith("same content as"):
                progress.console.print(f"unchanged {event.source}: {event.reason}", markup=False, highlight=False,
                                       soft_wrap=True)

        return run(inputs, store, opts, on_event=on_event)


@main.command()
@click.option("--db", "db", help=f"{DB_HELP}  [default: {DEFAULTS.db}]")
@click.option("--html", "html_path", type=click.Path(dir_okay=False), help="Write the HTML dossier here.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Write the export (crossnews/1) here.")
@click.option("--parquet", "parquet_dir", type=click.Path(file_okay=False),
              help="Write documents, statements, entities and relations as Parquet files into this folder.")
def report(db: str | None, html_path: str | None, json_path: str | None, parquet_dir: str | None = None) -> None:
    """Write the dossier, the JSON export and/or the Parquet files from an existing database."""
    settings = _settings(db=db)
    if not is_postgres_url(settings.db) and not Path(settings.db).exists():
        _fail(f"{settings.db}: no such database; run 'crossnews analyze ... --db {settings.db}' first")
    if not html_path and not json_path and not parquet_dir:
        _fail("nothing to write: give --html PATH, --json PATH and/or --parquet DIR")
    try:
        with _open_store(settings) as store:
            outputs = _write_outputs(store, settings, json_path, html_path)
            outputs += _write_parquet(store, parquet_dir)
    except CrossnewsError as exc:
        _fail(str(exc))
        return
    for what, path in outputs:
        click.echo(f"{what}: {path}")


@main.command()
@click.option("--db", "db", help=f"{DB_HELP}  [default: {DEFAULTS.db}]")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default serves this machine only.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--allow-private", is_flag=True, default=None,
              help="Let URL fetching reach loopback, private and link-local addresses.")
@click.option("--max-bytes", type=int,
              help=f"Largest upload or fetched page, in bytes.  [default: {DEFAULTS.max_bytes}]")
@click.option("--allow-host", "allow_host", multiple=True, metavar="NAME",
              help="Another host name the server answers to (repeatable), e.g. its name behind a proxy; requests "
                   "with any other Host header are refused (DNS rebinding).")
@click.option("--max-request", type=int,
              help="Largest request body, in bytes.  [default: four times --max-bytes, at least 8 MB]")
def serve(db: str | None, host: str, port: int, allow_private: bool | None, max_bytes: int | None,
          allow_host: tuple[str, ...], max_request: int | None) -> None:
    """Run the web app over a database: paste, upload or fetch articles and watch them analysed; browse stories,
    documents, people and statements; search; read the dossier's views. JSON API under /api (/openapi.json).
    Requests and jobs are logged to standard error as JSON lines."""
    import logging

    import uvicorn

    from crossnews.web.app import create_app
    from crossnews.web.guard import JsonLogFormatter, allowed_hosts, log

    try:
        settings = _settings(db=db, allow_private=allow_private, max_bytes=max_bytes)
        app = create_app(settings.db, allow_private=settings.allow_private, max_bytes=settings.max_bytes,
                         timeout=settings.timeout, settings=settings, hosts=allowed_hosts(host, allow_host),
                         max_request=max_request)
    except CrossnewsError as exc:
        _fail(str(exc))
        return
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonLogFormatter())
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    click.echo(f"crossnews: serving {settings.db} on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.group(name="eval")
def eval_group() -> None:
    """Measure accuracy on evaluation data; each command prints JSON scores."""


@eval_group.command(name="extraction")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@click.option("--baseline", type=click.Choice(["none", "trafilatura"]), default="none", show_default=True,
              help="Also score a baseline on the same data in the same run.")
@click.option("--limit", type=int, help="Only the first N pages (quick checks).")
@click.option("--split", type=click.Choice(["all", "dev", "heldout"]), default="all", show_default=True,
              help="Score only the dev or the held-out pages (fixed by a hash of each URL).")
@click.option("--as-text", is_flag=True,
              help="crossnews reads each page's visible text, as a scraper gives it, instead of its HTML.")
def eval_extraction(path: str, baseline: str, limit: int | None, split: str, as_text: bool) -> None:
    """Main-text and metadata extraction on trafilatura's evaluation pages (4-gram shingle F1 of the body,
    must-contain recall, must-not-contain precision, title and date accuracy; dev and held-out pages apart)."""
    from crossnews.eval.extraction import evaluate_extraction

    kwargs: dict[str, Any] = {"limit": limit, "split": split, "as_text": as_text}
    if baseline != "none":
        kwargs["baseline"] = baseline
    result = evaluate_extraction(path, **kwargs)
    click.echo(json.dumps(result, indent=2, ensure_ascii=False))


@eval_group.command(name="attribution")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@click.option("--baseline", type=click.Choice(["none", "textacy"]), default="none", show_default=True,
              help="Also score textacy's direct_quotations on the same parses in the same run.")
@click.option("--limit", type=int, help="Only the first N annotation files (quick checks).")
def eval_attribution(path: str, baseline: str, limit: int | None) -> None:
    """Attribution extraction on PolNeAR (brat standoff): precision, recall and F1 for source, cue and content
    spans and for whole attributions, exact and overlap, the PARC/Citron way."""
    from crossnews.eval.attribution import evaluate_attribution

    result = evaluate_attribution(path, baseline=None if baseline == "none" else baseline, limit=limit)
    click.echo(json.dumps(result, indent=2, ensure_ascii=False))


@eval_group.command(name="time")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@click.option("--limit", type=int, help="Only the first N documents (quick checks).")
@click.option("--errors/--no-errors", default=False, show_default=True, help="Include example errors.")
def eval_time(path: str, limit: int | None, errors: bool) -> None:
    """Time expressions on MEANTIME (TIMEX3, each document's creation time as anchor): strict and relaxed
    detection F1, value accuracy and value F1, type accuracy, the TempEval-3 way."""
    from crossnews.eval.meantime import evaluate_time

    result = evaluate_time(path, limit=limit)
    if not errors:
        result.pop("errors", None)
    click.echo(json.dumps(result, indent=2, ensure_ascii=False))


@eval_group.command(name="coref")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@click.option("--limit", type=int, help="Only the first N documents (quick checks).")
def eval_coref(path: str, limit: int | None) -> None:
    """Cross-document entity coreference on MEANTIME's gold mentions: MUC, B-cubed, CEAF-e and CoNLL F1, next to
    two baselines (every mention alone; mentions with the same text together)."""
    from crossnews.eval.meantime import evaluate_coref

    click.echo(json.dumps(evaluate_coref(path, limit=limit), indent=2, ensure_ascii=False))


@eval_group.command(name="propaganda")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@click.option("--articles", type=click.Choice(["auto", "heldout", "all"]), default="auto", show_default=True,
              help="auto: the shipped tagger's held-out articles when PATH holds them, else every article.")
@click.option("--limit", type=int, help="Only the first N articles (quick checks).")
def eval_propaganda(path: str, articles: str, limit: int | None) -> None:
    """Propaganda technique spans on PTC (SemEval-2020 task 11 format): span identification (the official
    partial-overlap precision, recall and F1) and technique classification (micro-F1 on the gold spans), on the
    articles the shipped tagger was not trained on."""
    from crossnews.eval.propaganda import evaluate_propaganda

    try:
        result = evaluate_propaganda(path, articles=articles, limit=limit)
    except (FileNotFoundError, CrossnewsError) as exc:
        _fail(str(exc))
        return
    click.echo(json.dumps(result, indent=2, ensure_ascii=False))


def _judge_options(values: tuple[str, ...]) -> dict[str, Any]:
    """``KEY=VALUE`` pairs; a VALUE that parses as JSON (numbers, true/false, objects) is taken as JSON."""
    options: dict[str, Any] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--judge-option")
        try:
            options[key.strip()] = json.loads(value)
        except ValueError:
            options[key.strip()] = value
    return options


@eval_group.command(name="claimpairs")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@click.option("--judge", "judge", default=DEFAULTS.judge, show_default=True, help="The registered judge to score.")
@click.option("--judge-option", "-o", "judge_option", multiple=True, metavar="KEY=VALUE",
              help="An option for the judge (repeatable), e.g. -o model=path/to/nli-model -o batch_size=32.")
@click.option("--split", help="ClaimDiff split (train, test...); default: the only one in PATH, else train.")
@click.option("--limit", type=int, help="Only the first N pairs of each file (quick checks).")
def eval_claimpairs(path: str, judge: str, judge_option: tuple[str, ...], split: str | None,
                    limit: int | None) -> None:
    """Claim-pair judges on ClaimDiff (ClaimDiff-weak/-strength JSON): precision, recall and F1 of detecting
    weaken (judge says contradicts) and strengthen (same, agrees or adds), next to a majority-class and a lexical
    overlap baseline, with the judge's label distribution and the seconds taken."""
    from crossnews.eval.claimpairs import evaluate_claimpairs

    options = _judge_options(judge_option)
    try:
        result = evaluate_claimpairs(path, judge, split=split, limit=limit, **options)
    except (FileNotFoundError, CrossnewsError) as exc:
        _fail(str(exc))
        return
    except KeyError as exc:  # an unknown judge (E012) or a backend that is not a judge (E041)
        message = str(exc.args[0]) if exc.args else ""
        if not message.startswith("E0"):
            raise
        _fail(message)
        return
    click.echo(json.dumps(result, indent=2, ensure_ascii=False))


@eval_group.command(name="stories")
@click.argument("path", type=click.Path())
@click.option("--story", "story", multiple=True, metavar="NAME",
              help="Only this story (a folder name under PATH; repeatable).")
@click.option("--errors/--no-errors", default=False, show_default=True,
              help="List the misses: metadata, gold statements not found, wrong speakers and via, spurious "
                   "statements, missed and wrong relations.")
def eval_stories(path: str, story: tuple[str, ...], errors: bool) -> None:
    """Whole-system scores on real multi-outlet stories (PATH: a story folder with docs.jsonl and gold.json, or a
    folder of them; rules in the data's GUIDE.md): metadata, statements, speakers, via and relations over claim
    groups, per story and the mean, with the backends of the settings (``--config``). Seconds per story go to
    stderr; a missing PATH is skipped."""
    from crossnews.eval.stories import evaluate_stories
    from crossnews.pipeline import AnalyzeOptions

    def took(name: str, seconds: float) -> None:
        click.echo(f"{name}: {seconds:.1f} s", err=True)

    try:
        result = evaluate_stories(path, stories=story, errors=errors, on_story=took,
                                  options=AnalyzeOptions(settings=_settings()))
    except FileNotFoundError as exc:
        click.echo(f"crossnews: eval stories: skipped: {exc}", err=True)
        click.echo(json.dumps({"skipped": str(exc)}, indent=2, ensure_ascii=False))
        return
    except KeyError as exc:  # an unknown --story
        _fail(str(exc.args[0]) if exc.args else str(exc))
        return
    click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    if any("error" in r for r in result["stories"].values()):
        sys.exit(1)


@main.command()
@click.option("--kind", help="Only backends of this kind (clean, store, report...).")
def backends(kind: str | None) -> None:
    """List the registered backends (named and versioned)."""
    chosen = _settings().backend_names()
    for b in all_backends(kind):
        default = " (default)" if chosen.get(b.kind) == b.name else ""
        click.echo(f"{b.name}{default}\t{'offline' if b.offline else 'needs network'}\t{b.description}")


@main.command()
def schema() -> None:
    """Print the JSON Schema of the export (crossnews/1)."""

    click.echo(json.dumps(load_schema(), indent=2))


if __name__ == "__main__":
    main()
