"""The export contract: one JSON document per run, described by ``schema/crossnews-1.schema.json``.

The export is written atomically (:func:`atomic_path`: a temporary file beside the target, flushed to disk, then
renamed over it), so a full disk or a crash never leaves a truncated export; the dossier is written the same way.
Every document's ``published`` in the export matches the schema's ISO 8601 pattern (:func:`schema_published`): a
date given in another form (RFC 2822, fractions of seconds) is written in ISO 8601, or as null when it cannot be
read as a date (the form given stays in ``published_evidence.raw``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import json
import os
import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from crossnews.core.codec import (
    chain_to_json,
    document_from_json,
    document_to_json,
    entity_to_json,
    framing_to_json,
    rejected_to_json,
    relation_to_json,
    statement_from_json,
    statement_to_json,
    story_to_json,
    technique_to_json,
    time_to_json,
    timeline_to_json,
)
from crossnews.core.jsondump import dump_indented
from crossnews.core.records import SCHEMA_ID, Analysis

__all__ = [
    "to_json", "write_json", "load_schema", "validate", "document_to_json", "document_from_json",
    "statement_to_json", "statement_from_json", "atomic_path", "schema_published",
]

#: the export schema's pattern for ``published`` (ISO 8601, possibly partial, or --MM-DD)
_PUBLISHED = re.compile(r"^(\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?)?)?)?|--\d{2}-\d{2})$")


def schema_published(value: str | None) -> str | None:
    """``value`` as the export schema's ``published`` takes it: unchanged when it matches the ISO 8601 pattern, an
    ISO 8601 date and time read from another form (``Tue, 05 Mar 2024 10:00:00 GMT``, fractions of seconds), or
    ``None`` when it is not a date."""
    if value is None or _PUBLISHED.match(value):
        return value
    when: dt.datetime | None = None
    try:
        when = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            when = None
    if when is None:
        return None
    out = when.replace(microsecond=0).isoformat()
    out = out[:-6] + "Z" if out.endswith("+00:00") else out
    return out if _PUBLISHED.match(out) else None


def _document_json(d: Any) -> dict[str, Any]:
    out = document_to_json(d)
    out["published"] = schema_published(out.get("published"))
    return out


def _unchanged_json(u: Any) -> dict[str, Any]:
    return {"source": u.source, "doc": u.doc, "reason": u.reason}


def to_json(analysis: Analysis, *, unchanged: Iterable[Any] | None = None) -> dict[str, Any]:
    """The whole export as a JSON-ready dict (``{"schema": "crossnews/1", ...}``). ``unchanged``: a run's inputs
    that were not analysed again (:class:`~crossnews.pipeline.Unchanged`: source, doc, reason), exported as
    ``"unchanged"``, each naming the document that has its content."""
    texts = {d.id: d.text for d in analysis.documents}
    out = {
        "schema": SCHEMA_ID,
        "documents": [_document_json(d) for d in analysis.documents],
        "entities": [entity_to_json(e) for e in analysis.entities],
        "statements": [statement_to_json(s, texts[s.doc]) for s in analysis.statements],
        "times": [time_to_json(t, texts[t.doc]) for t in analysis.times],
        "timeline": [timeline_to_json(t) for t in analysis.timeline],
        "relations": [relation_to_json(r) for r in analysis.relations],
        "rejected": [rejected_to_json(r) for r in analysis.rejected],
        "stories": [story_to_json(s) for s in analysis.stories],
        "chains": [chain_to_json(c) for c in analysis.chains],
        "framing": [framing_to_json(f) for f in analysis.framing],
        "techniques": [technique_to_json(t, texts[t.doc]) for t in analysis.techniques],
    }
    if unchanged is not None:
        out["unchanged"] = [_unchanged_json(u) for u in unchanged]
    return out


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write a file to: when the block ends without an error, the file is
    flushed to disk and renamed over ``path`` (so readers see the old file or the whole new one, never a truncated
    one, even on a full disk); on an error it is removed and ``path`` is left as it was."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        yield tmp
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        tmp.replace(out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_json(analysis: Analysis, path: str | Path, *, relations: Iterable[dict[str, Any]] | None = None,
               unchanged: Iterable[Any] | None = None) -> Path:
    """Write the export of ``analysis`` to ``path`` (atomically: :func:`atomic_path`), streamed: the same bytes as
    ``json.dumps(to_json(analysis), ensure_ascii=False, indent=1)``. ``relations``: the relations as JSON-ready
    dicts (:func:`relation_to_json`'s form, e.g. :meth:`Store.relation_dicts`), read one at a time in place of
    ``analysis.relations``, so that a large store's relations are never all in memory. ``unchanged``: as for
    :func:`to_json`."""
    if relations is None:
        payload, iterables = to_json(analysis, unchanged=unchanged), None
    else:
        payload = to_json(dataclasses.replace(analysis, relations=()), unchanged=unchanged)
        iterables = {"relations": relations}
    with atomic_path(path) as tmp, tmp.open("x", encoding="utf-8") as fh:
        dump_indented(payload, fh, indent=1, iterables=iterables)
    return Path(path)


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
    for u in payload.get("unchanged", []):
        if u["doc"] not in texts:
            raise ValueError(f"E005: unchanged input {u['source']} names document {u['doc']}, which the export does "
                             "not hold")
    for t in payload.get("techniques", []):
        check(t["doc"], t, "technique")
    for f in payload.get("framing", []):
        for o in f["outlets"]:
            for form in o["forms"]:
                for src in form["spans"]:
                    check(src["doc"], src, f"framing {f['id']} span")
    for story in payload.get("stories", []):
        for doc_id in story["documents"]:
            if doc_id not in texts:
                raise ValueError(f"E005: story {story['id']} names document {doc_id}, which the export does not hold")
