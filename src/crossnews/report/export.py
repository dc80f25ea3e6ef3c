"""The export contract: one JSON document per run, described by ``schema/crossnews-1.schema.json``."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from crossnews.core.codec import (
    chain_to_json,
    document_from_json,
    document_to_json,
    entity_to_json,
    rejected_to_json,
    relation_to_json,
    statement_from_json,
    statement_to_json,
    story_to_json,
    time_to_json,
    timeline_to_json,
)
from crossnews.core.jsondump import dump_indented
from crossnews.core.records import SCHEMA_ID, Analysis

__all__ = [
    "to_json", "write_json", "load_schema", "validate", "document_to_json", "document_from_json",
    "statement_to_json", "statement_from_json",
]


def to_json(analysis: Analysis) -> dict[str, Any]:
    """The whole export as a JSON-ready dict (``{"schema": "crossnews/1", ...}``)."""
    texts = {d.id: d.text for d in analysis.documents}
    return {
        "schema": SCHEMA_ID,
        "documents": [document_to_json(d) for d in analysis.documents],
        "entities": [entity_to_json(e) for e in analysis.entities],
        "statements": [statement_to_json(s, texts[s.doc]) for s in analysis.statements],
        "times": [time_to_json(t, texts[t.doc]) for t in analysis.times],
        "timeline": [timeline_to_json(t) for t in analysis.timeline],
        "relations": [relation_to_json(r) for r in analysis.relations],
        "rejected": [rejected_to_json(r) for r in analysis.rejected],
        "stories": [story_to_json(s) for s in analysis.stories],
        "chains": [chain_to_json(c) for c in analysis.chains],
    }


def write_json(analysis: Analysis, path: str | Path, *, relations: Iterable[dict[str, Any]] | None = None) -> Path:
    """Write the export of ``analysis`` to ``path`` (through a temporary file beside it), streamed: the same
    bytes as ``json.dumps(to_json(analysis), ensure_ascii=False, indent=1)``. ``relations``: the relations as
    JSON-ready dicts (:func:`relation_to_json`'s form, e.g. :meth:`Store.relation_dicts`), read one at a time in
    place of ``analysis.relations``, so that a large store's relations are never all in memory."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    if relations is None:
        payload, iterables = to_json(analysis), None
    else:
        payload, iterables = to_json(dataclasses.replace(analysis, relations=())), {"relations": relations}
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            dump_indented(payload, fh, indent=1, iterables=iterables)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(out)
    return out


def load_schema() -> dict[str, Any]:
    with resources.files("crossnews").joinpath("schema/crossnews-1.schema.json").open(encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


def validate(payload: dict[str, Any]) -> None:
    """Validate an export against the JSON Schema, then check every span's text against its document."""
    import jsonschema

    jsonschema.validate(payload, load_schema())
    texts = {d["id"]: d["text"] for d in payload["documents"]}

    def check(doc_id: str, span: dict[str, Any] | None, where: str) -> None:
        if span is None or span.get("start") is None:
            return
        text = texts[doc_id]
        if not (0 <= span["start"] <= span["end"] <= len(text)):
            raise ValueError(f"E003: {where}: span [{span['start']}, {span['end']}) outside document {doc_id}")
        if "text" in span and text[span["start"] : span["end"]] != span["text"]:
            raise ValueError(f"E004: {where}: span text differs from document {doc_id} at those offsets")

    for d in payload["documents"]:
        for r in d["removed"]:
            check(d["id"], r, f"document {d['id']} removed")
        check(d["id"], d["lede"], f"document {d['id']} lede")
        check(d["id"], d["published_evidence"]["span"], f"document {d['id']} published_evidence")
        check(d["id"], {**d["body"]}, f"document {d['id']} body")
    for s in payload["statements"]:
        for role in ("speaker", "cue", "content"):
            check(s["doc"], s[role], f"statement {s['id']} {role}")
        for part in s.get("parts", []):
            check(s["doc"], part, f"statement {s['id']} part")
    for t in payload["times"]:
        check(t["doc"], t, "time")
    for e in payload["entities"]:
        for m in e["mentions"]:
            check(m["doc"], m, f"entity {e['id']} mention")
    for t in payload["timeline"]:
        for src in t["sources"]:
            check(src["doc"], src, f"timeline {t['id']} source")
    for story in payload.get("stories", []):
        for doc_id in story["documents"]:
            if doc_id not in texts:
                raise ValueError(f"E005: story {story['id']} names document {doc_id}, which the export does not hold")
