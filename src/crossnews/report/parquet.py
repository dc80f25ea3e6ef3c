"""The Parquet export: documents, statements, entities and relations, one file each, for the tools analysts use
(DuckDB, pandas, Spark, Polars).

Entry point: :func:`write_parquet`. Each table is built from the JSON export's records (:func:`..export.to_json`),
so its values are the export's: the same ids, the same ``published``, and every span as ``<name>_start`` /
``<name>_end`` integers (``[start, end)`` in characters of the document's ``text``) beside ``<name>_text``, the
characters it covers. Nested parts (a statement's parts, an entity's mentions and roles, a document's removed
spans) are lists of structs; a relation's ends come with their documents (``a_doc``, ``b_doc``:
null where an end is a timeline entry); its evidence, whose fields vary by judge, is its JSON text. Columns are typed
(strings, int32 offsets, float64 scores, booleans) and nullable where the export has null. Each file is written
beside its target and renamed over it when complete. Relations are written in batches, from an iterable, so that a
large store's relations are never all in memory.

Reading them back::

    import duckdb
    duckdb.sql("SELECT outlet, count(*) FROM 'out/statements.parquet' s JOIN 'out/documents.parquet' d "
               "ON s.doc = d.id GROUP BY outlet")
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from crossnews.core.codec import relation_to_json
from crossnews.core.records import Analysis
from crossnews.report.export import atomic_path, to_json

__all__ = ["write_parquet", "SCHEMAS", "TABLES"]

TABLES = ("documents", "statements", "entities", "relations")

_SPAN = pa.struct([("start", pa.int32()), ("end", pa.int32()), ("text", pa.string())])

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        ("id", pa.string()), ("source", pa.string()), ("format", pa.string()), ("url", pa.string()),
        ("content_hash", pa.string()), ("title", pa.string()), ("outlet", pa.string()),
        ("republisher", pa.string()), ("dateline", pa.string()), ("author", pa.string()),
        ("published", pa.string()), ("published_method", pa.string()), ("published_raw", pa.string()),
        ("published_tentative", pa.bool_()), ("language", pa.string()), ("language_score", pa.float64()),
        ("body_start", pa.int32()), ("body_end", pa.int32()),
        ("lede_start", pa.int32()), ("lede_end", pa.int32()), ("lede_text", pa.string()),
        ("removed", pa.list_(pa.struct([("start", pa.int32()), ("end", pa.int32()), ("text", pa.string()),
                                        ("reason", pa.string()), ("detail", pa.string())]))),
        ("text", pa.string()),
    ]),
    "statements": pa.schema([
        ("id", pa.string()), ("doc", pa.string()), ("kind", pa.string()),
        ("speaker_start", pa.int32()), ("speaker_end", pa.int32()), ("speaker_text", pa.string()),
        ("speaker_entity", pa.string()), ("speaker_anonymous", pa.bool_()), ("speaker_description", pa.string()),
        ("cue_start", pa.int32()), ("cue_end", pa.int32()), ("cue_text", pa.string()), ("cue_lemma", pa.string()),
        ("content_start", pa.int32()), ("content_end", pa.int32()), ("content_text", pa.string()),
        ("parts", pa.list_(_SPAN)), ("nested_in", pa.string()), ("channel", pa.string()),
        ("confidence", pa.float64()),
    ]),
    "entities": pa.schema([
        ("id", pa.string()), ("name", pa.string()), ("type", pa.string()), ("aliases", pa.list_(pa.string())),
        ("mention_count", pa.int32()),
        ("mentions", pa.list_(pa.struct([("doc", pa.string()), ("start", pa.int32()), ("end", pa.int32())]))),
        ("roles", pa.list_(pa.struct([("title", pa.string()), ("doc", pa.string()), ("date", pa.string())]))),
    ]),
    "relations": pa.schema([
        ("id", pa.string()), ("type", pa.string()), ("a", pa.string()), ("b", pa.string()),
        ("a_doc", pa.string()), ("b_doc", pa.string()), ("judge", pa.string()), ("score", pa.float64()),
        ("evidence", pa.string()),
    ]),
}

#: relations per row group (and per batch held in memory)
BATCH = 20_000


def _span(prefix: str, d: dict[str, Any] | None) -> dict[str, Any]:
    d = d or {}
    return {f"{prefix}_start": d.get("start"), f"{prefix}_end": d.get("end"), f"{prefix}_text": d.get("text")}


def _document_row(d: dict[str, Any]) -> dict[str, Any]:
    ev = d.get("published_evidence") or {}
    return {
        **{k: d.get(k) for k in ("id", "source", "format", "url", "content_hash", "title", "outlet", "republisher",
                                 "dateline", "author", "published", "language", "language_score", "text")},
        "published_method": ev.get("method"), "published_raw": ev.get("raw"),
        "published_tentative": ev.get("tentative"),
        "body_start": d["body"]["start"], "body_end": d["body"]["end"],
        **_span("lede", d.get("lede")),
        "removed": [{k: r.get(k) for k in ("start", "end", "text", "reason", "detail")} for r in d["removed"]],
    }


def _statement_row(s: dict[str, Any]) -> dict[str, Any]:
    sp = s["speaker"]
    return {
        "id": s["id"], "doc": s["doc"], "kind": s["kind"],
        **_span("speaker", sp), "speaker_entity": sp.get("entity"), "speaker_anonymous": sp.get("anonymous"),
        "speaker_description": sp.get("description"),
        **_span("cue", s.get("cue")), "cue_lemma": (s.get("cue") or {}).get("lemma"),
        **_span("content", s["content"]),
        "parts": [{k: p[k] for k in ("start", "end", "text")} for p in s.get("parts", [])],
        "nested_in": s.get("nested_in"), "channel": s.get("channel"), "confidence": s.get("confidence"),
    }


def _entity_row(e: dict[str, Any]) -> dict[str, Any]:
    return {"id": e["id"], "name": e["name"], "type": e["type"], "aliases": e["aliases"],
            "mention_count": len(e["mentions"]), "mentions": e["mentions"], "roles": e["roles"]}


def _relation_row(r: dict[str, Any], doc_of: dict[str, str]) -> dict[str, Any]:
    return {"id": r["id"], "type": r["type"], "a": r["a"], "b": r["b"], "a_doc": doc_of.get(r["a"]),
            "b_doc": doc_of.get(r["b"]), "judge": r["judge"], "score": r["score"],
            "evidence": json.dumps(r["evidence"], ensure_ascii=False, sort_keys=False)}


def _write_table(rows: list[dict[str, Any]], name: str, folder: Path) -> Path:
    path = folder / f"{name}.parquet"
    with atomic_path(path) as tmp:
        pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[name]), tmp)
    return path


def write_parquet(analysis: Analysis, folder: str | Path, *,
                  relations: Iterable[dict[str, Any]] | None = None) -> list[Path]:
    """Write ``documents.parquet``, ``statements.parquet``, ``entities.parquet`` and ``relations.parquet`` of
    ``analysis`` into ``folder`` (created if missing); returns their paths. ``relations``: the relations as the
    export's dicts (e.g. :meth:`Store.relation_dicts`), read in batches, in place of ``analysis.relations``."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    export = to_json(dataclasses.replace(analysis, relations=()))
    paths = [
        _write_table([_document_row(d) for d in export["documents"]], "documents", out),
        _write_table([_statement_row(s) for s in export["statements"]], "statements", out),
        _write_table([_entity_row(e) for e in export["entities"]], "entities", out),
    ]
    doc_of = {d.id: d.id for d in analysis.documents} | {s.id: s.doc for s in analysis.statements}
    dicts: Iterator[dict[str, Any]] = iter(relations if relations is not None
                                           else (relation_to_json(r) for r in analysis.relations))
    path = out / "relations.parquet"
    with atomic_path(path) as tmp, pq.ParquetWriter(tmp, SCHEMAS["relations"]) as writer:
        while batch := list(islice(dicts, BATCH)):
            writer.write_table(pa.Table.from_pylist([_relation_row(r, doc_of) for r in batch],
                                                    schema=SCHEMAS["relations"]))
    paths.append(path)
    return paths
