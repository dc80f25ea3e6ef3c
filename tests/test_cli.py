"""The command line: help for every command, exit codes, summaries, report from a database."""

from __future__ import annotations

import json
from pathlib import Path

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


# --- issue 26: unchanged inputs in the export, a schema-safe 'published', write errors -------------------------


def test_unchanged_inputs_name_their_document_in_the_export_and_progress(tmp_path):
    from crossnews.report.export import validate

    text = (DEMO / "pages" / "marta_dalenko_interview.txt").read_text(encoding="utf-8")
    for name in ("a.txt", "b.txt"):
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / name).write_text(text, encoding="utf-8")
    runner = CliRunner()
    args = ["analyze", str(tmp_path / "in"), "--db", str(tmp_path / "x.db"), "--json", str(tmp_path / "a.json"),
            "--no-relations"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "inputs 2: analysed 1, unchanged 1, rejected 0" in result.output
    export = json.loads((tmp_path / "a.json").read_text())
    validate(export)
    (doc,) = export["documents"]
    assert export["unchanged"] == [{"source": str(tmp_path / "in" / "b.txt"), "doc": doc["id"],
                                    "reason": f"same content as {tmp_path / 'in' / 'a.txt'} (document {doc['id']})"}]
    assert f"unchanged {tmp_path / 'in' / 'b.txt'}: same content as" in result.output  # the progress names it
    again = runner.invoke(main, [*args, "-q"])
    export = json.loads((tmp_path / "a.json").read_text())
    assert {u["doc"] for u in export["unchanged"]} == {doc["id"]} and len(export["unchanged"]) == 2
    assert all("already analysed" in u["reason"] for u in export["unchanged"]), again.output
    report = runner.invoke(main, ["report", "--db", str(tmp_path / "x.db"), "--json", str(tmp_path / "r.json")])
    assert report.exit_code == 0 and "unchanged" not in json.loads((tmp_path / "r.json").read_text())


def test_published_in_another_form_keeps_the_export_valid(tmp_path):
    from crossnews.report.export import validate

    feed = tmp_path / "feed.jsonl"
    body = "Bridge to reopen\n\nThe mayor said on {} that the bridge would reopen next week, officials said.\n"
    feed.write_text("\n".join(json.dumps(r) for r in [
        {"id": "rfc", "published": "Tue, 05 Mar 2024 10:00:00 GMT", "text": body.format("Monday")},
        {"id": "frac", "published": "2024-03-05T10:00:00.250+01:00", "text": body.format("Tuesday")},
        {"id": "words", "published": "last Tuesday", "text": body.format("Wednesday")},
        {"id": "far", "published": "9999-12-31", "text": body.format("Thursday")},
    ]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["analyze", str(feed), "--db", str(tmp_path / "x.db"), "--json",
                                       str(tmp_path / "a.json"), "--no-relations", "-q"])
    assert "inputs 4: analysed 4, unchanged 0, rejected 0" in result.output, result.output
    export = json.loads((tmp_path / "a.json").read_text())
    validate(export)
    published = {d["id"]: d["published"] for d in export["documents"]}
    assert published == {"rfc": "2024-03-05T10:00:00Z", "frac": "2024-03-05T10:00:00+01:00", "words": None,
                         "far": "9999-12-31"}
    raw = {d["id"]: d["published_evidence"]["raw"] for d in export["documents"]}
    assert raw["words"] == "last Tuesday"  # the form given is kept


def test_a_failed_write_leaves_the_old_file_whole_and_says_so(tmp_path, monkeypatch):
    import errno

    import crossnews.report.export as export_module
    from crossnews.core.registry import resolve

    db, out, html = tmp_path / "x.db", tmp_path / "a.json", tmp_path / "d.html"
    runner = CliRunner()
    first = runner.invoke(main, ["analyze", str(DEMO / "feed.jsonl"), "--db", str(db), "--json", str(out),
                                 "--html", str(html), "--no-relations", "-q"])
    assert first.exit_code == 0, first.output
    before_json, before_html = out.read_bytes(), html.read_bytes()
    real_dump = export_module.dump_indented

    def full_disk(payload, fh, **kw):  # writes part of the export, then the disk is full
        fh.write('{"schema": "crossnews/1", "documents": [')
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_module, "dump_indented", full_disk)
    result = runner.invoke(main, ["report", "--db", str(db), "--json", str(out)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"cannot write the export to {out}: No space left on device" in result.output
    assert out.read_bytes() == before_json
    monkeypatch.setattr(export_module, "dump_indented", real_dump)

    import types

    import crossnews.cli as cli

    def half_dossier(analysis, path):  # writes part of the page, then the disk is full
        Path(path).write_text("<!doctype html><html><body>trunc", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")

    def resolving(kind, name):
        return types.SimpleNamespace(factory=half_dossier) if kind == "report" else resolve(kind, name)

    monkeypatch.setattr(cli, "resolve", resolving)
    result = runner.invoke(main, ["analyze", str(DEMO / "feed.jsonl"), "--db", str(db), "--html", str(html),
                                  "--no-relations", "-q"])
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    assert "cannot write the dossier" in result.output and "crossnews report --db" in result.output
    assert "inputs 2: analysed 0, unchanged 2, rejected 0" in result.output  # the run itself is stored
    assert html.read_bytes() == before_html
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []
