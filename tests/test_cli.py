"""The command line: help for every command, exit codes, summaries, report from a database."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from crossnews.cli import main

from .conftest import DEMO, REPO


def all_commands(group: click.Group, prefix=()):
    for name, cmd in group.commands.items():
        yield (*prefix, name), cmd
        if isinstance(cmd, click.Group):
            yield from all_commands(cmd, (*prefix, name))


@pytest.mark.parametrize("path, cmd", list(all_commands(main)),
                         ids=lambda x: " ".join(x) if isinstance(x, tuple) else "")
def test_every_command_has_help_and_is_documented(path, cmd):
    assert cmd.help and len(cmd.help.strip()) > 20, f"{path} needs help text"
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "crossnews " + " ".join(path) in readme, f"README does not document 'crossnews {' '.join(path)}'"


def test_analyze_summary_counts_and_rejections(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    runner = CliRunner()
    args = ["analyze", str(DEMO / "pages"), str(bad), str(tmp_path / "missing.txt"), "--db", str(tmp_path / "x.db"),
            "--json", str(tmp_path / "a.json"), "--quiet"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "inputs 6: analysed 4, unchanged 0, rejected 2" in result.output
    export = json.loads((tmp_path / "a.json").read_text())
    reasons = {r["source"]: r["reason"] for r in export["rejected"]}
    assert reasons[str(bad)] == "empty input"
    assert "no such file" in reasons[str(tmp_path / "missing.txt")]
    again = runner.invoke(main, args)
    assert "inputs 6: analysed 0, unchanged 4, rejected 2" in again.output
    export2 = json.loads((tmp_path / "a.json").read_text())
    assert len(export2["documents"]) == 4 and len(export2["rejected"]) == 2


def test_analyze_all_rejected_exits_1(tmp_path):
    result = CliRunner().invoke(main, ["analyze", str(tmp_path / "nope"), "--db", str(tmp_path / "x.db"), "-q"])
    assert result.exit_code == 1


def test_analyze_restores_the_collector_thresholds(tmp_path):
    import gc

    before = gc.get_threshold()
    result = CliRunner().invoke(main, ["analyze", str(DEMO / "pages" / "marta_dalenko_interview.txt"), "--db",
                                       str(tmp_path / "x.db"), "--embedder", "embed.hashing.v1", "-q"])
    assert result.exit_code == 0, result.output
    assert gc.get_threshold() == before


def test_progress_mode_names_rejected_inputs(tmp_path):
    (tmp_path / "b.bin").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    result = CliRunner().invoke(main, ["analyze", str(tmp_path / "b.bin"), str(DEMO / "feed.jsonl"),
                                       "--db", str(tmp_path / "x.db")])
    assert "b.bin: binary content (PNG image)" in result.output
    assert "inputs 3: analysed 2, unchanged 0, rejected 1" in result.output


def test_report_from_database(tmp_path):
    runner = CliRunner()
    runner.invoke(main, ["analyze", str(DEMO / "feed.jsonl"), "--db", str(tmp_path / "x.db"), "-q"])
    result = runner.invoke(main, ["report", "--db", str(tmp_path / "x.db"), "--html", str(tmp_path / "d.html"),
                                  "--json", str(tmp_path / "a.json")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "d.html").read_text().startswith("<!doctype html>")
    assert json.loads((tmp_path / "a.json").read_text())["schema"] == "crossnews/1"
    missing = runner.invoke(main, ["report", "--db", str(tmp_path / "none.db"), "--html", str(tmp_path / "e.html")])
    assert missing.exit_code == 2 and "no such database" in missing.output


def test_backends_are_named_and_versioned():
    result = CliRunner().invoke(main, ["backends"])
    assert result.exit_code == 0
    for name in ("clean.lines.v1 (default)", "store.sqlite.v1 (default)", "report.dossier.v1 (default)"):
        assert name in result.output


def test_crawled_must_be_a_date(tmp_path):
    result = CliRunner().invoke(main, ["analyze", str(DEMO / "feed.jsonl"), "--db", str(tmp_path / "x.db"),
                                       "--crawled", "last week"])
    assert result.exit_code == 2
    assert "not a date" in result.output


def test_a_new_crawl_date_reanalyses_the_same_text(tmp_path):
    page = tmp_path / "p.txt"
    page.write_text("Bridge to reopen, says mayor\n\nBRISTOL, June 5. /EXAMPLE/. The mayor said on Monday that the "
                    "bridge closed since 2019 would reopen within weeks, after repairs ran over budget.\n")
    runner = CliRunner()
    args = ["analyze", str(page), "--db", str(tmp_path / "x.db"), "--json", str(tmp_path / "a.json"), "-q"]
    assert "analysed 1" in runner.invoke(main, args).output
    assert "unchanged 1" in runner.invoke(main, args).output
    again = runner.invoke(main, [*args, "--crawled", "2023-06-06"])
    assert "analysed 1" in again.output
    export = json.loads((tmp_path / "a.json").read_text())
    assert len(export["documents"]) == 1 and export["documents"][0]["published"] == "2023-06-05"
