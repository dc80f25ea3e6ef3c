"""The Parquet export (`--parquet DIR` on analyze and report): one typed file per table, whose rows and span texts
are the JSON export's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from crossnews.cli import main
from crossnews.report.parquet import SCHEMAS, TABLES
from tests.conftest import DEMO


@pytest.fixture(scope="module")
def demo_parquet(demo_export: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    """The demo store written by `crossnews report --json --parquet`: (the JSON export, the Parquet folder)."""
    _, out = demo_export
    folder = tmp_path_factory.mktemp("parquet")
    result = CliRunner().invoke(main, ["report", "--db", str(out / "demo.db"), "--json", str(folder / "a.json"),
                                       "--parquet", str(folder / "pq")])
    assert result.exit_code == 0, result.output
    assert f"parquet: {folder / 'pq'}" in result.output
    return json.loads((folder / "a.json").read_text(encoding="utf-8")), folder / "pq"


def test_one_file_per_table_with_the_exports_counts(demo_parquet: tuple[dict[str, Any], Path]) -> None:
    export, folder = demo_parquet
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{t}.parquet" for t in TABLES)
    for table in TABLES:
        read = pq.read_table(folder / f"{table}.parquet")
        assert read.schema.equals(SCHEMAS[table]), table
        assert read.num_rows == len(export[table]) > 0, table
        assert read.column("id").to_pylist() == [r["id"] for r in export[table]], f"{table}: the export's order"


def test_columns_are_typed(demo_parquet: tuple[dict[str, Any], Path]) -> None:
    _, folder = demo_parquet
    statements = pq.read_table(folder / "statements.parquet")
    assert statements.schema.field("content_start").type == pa.int32()
    assert statements.schema.field("confidence").type == pa.float64()
    assert statements.schema.field("speaker_anonymous").type == pa.bool_()
    relations = pq.read_table(folder / "relations.parquet")
    assert relations.schema.field("score").type == pa.float64()
    entities = pq.read_table(folder / "entities.parquet")
    assert entities.schema.field("mentions").type.value_type.field("start").type == pa.int32()


def test_span_texts_are_the_json_exports(demo_parquet: tuple[dict[str, Any], Path]) -> None:
    export, folder = demo_parquet
    texts = {d["id"]: d["text"] for d in export["documents"]}
    rows = pq.read_table(folder / "statements.parquet").to_pylist()
    for row, st in zip(rows, export["statements"], strict=True):
        start, end = row["content_start"], row["content_end"]
        assert row["content_text"] == st["content"]["text"] == texts[row["doc"]][start:end]
        assert row["speaker_text"] == st["speaker"]["text"]
        assert row["cue_text"] == (st["cue"] or {}).get("text")
        assert [p["text"] for p in row["parts"]] == [p["text"] for p in st["parts"]]
    docs = pq.read_table(folder / "documents.parquet").to_pylist()
    for row, d in zip(docs, export["documents"], strict=True):
        assert (row["text"], row["published"], row["body_start"], row["body_end"]) == (
            d["text"], d["published"], d["body"]["start"], d["body"]["end"])
        assert row["lede_text"] == (d["lede"] or {}).get("text")


def test_relations_keep_their_evidence_and_name_their_documents(demo_parquet: tuple[dict[str, Any], Path]) -> None:
    export, folder = demo_parquet
    assert export["relations"]
    doc_of = {d["id"]: d["id"] for d in export["documents"]} | {s["id"]: s["doc"] for s in export["statements"]}
    for row, rel in zip(pq.read_table(folder / "relations.parquet").to_pylist(), export["relations"], strict=True):
        assert json.loads(row["evidence"]) == rel["evidence"]
        assert (row["a_doc"], row["b_doc"]) == (doc_of.get(rel["a"]), doc_of.get(rel["b"]))
        assert row["score"] == rel["score"]


def test_analyze_writes_parquet_too(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", str(DEMO / "pages"), "--db", str(tmp_path / "x.db"),
                                       "--no-relations", "--parquet", str(tmp_path / "pq"), "--quiet"])
    assert result.exit_code == 0, result.output
    docs = pq.read_table(tmp_path / "pq" / "documents.parquet")
    assert docs.num_rows == len([p for p in (DEMO / "pages").iterdir() if p.is_file()])
    assert pq.read_table(tmp_path / "pq" / "relations.parquet").num_rows == 0, "an empty, typed table"


def test_report_needs_something_to_write(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
