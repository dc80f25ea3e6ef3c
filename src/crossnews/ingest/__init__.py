"""Stage 1 — ingest: turn command-line inputs (files, directories, globs, JSONL, URLs) into ``RawInput`` records.

Entry function: :func:`ingest`. It never raises for a bad input: it yields a :class:`~crossnews.records.Rejected`
naming the input and the reason, and the batch goes on.
"""

from __future__ import annotations

import glob
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from crossnews.core.errors import InputError
from crossnews.core.records import Rejected
from crossnews.ingest.fetch import fetch_url
from crossnews.ingest.inputs import IngestOptions, RawInput, content_hash, decode_bytes, sniff_binary, stable_id

__all__ = ["RawInput", "IngestOptions", "ingest", "decode_bytes", "sniff_binary", "stable_id", "content_hash"]

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
GIVEN_FIELDS = ("id", "url", "outlet", "published", "title", "crawled", "republisher", "dateline")


_HTML_SNIFF = re.compile(r"^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html|<head|<body|<meta|<article)", re.I | re.S)


def _kind_for(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if _HTML_SNIFF.match(text[:2000]):
        return "html"
    return "text"


def _read_file(path: Path, opts: IngestOptions) -> bytes:
    size = path.stat().st_size
    if size > opts.max_bytes:
        raise InputError(str(path), f"too large: {size:,} bytes, over the {opts.max_bytes:,}-byte cap (--max-bytes)")
    with path.open("rb") as fh:
        return fh.read(opts.max_bytes + 1)


def _file_inputs(path: Path, opts: IngestOptions) -> Iterator[RawInput | Rejected]:
    source = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            yield from _jsonl_inputs(path, opts)
            return
        if suffix in {".xml", ".rss", ".atom", ".json", ".svg"}:
            raise InputError(source, f"unsupported format '{suffix}': give articles as text, HTML or JSONL")
        data = _read_file(path, opts)
        text, encoding = decode_bytes(data, source)
        yield RawInput(source=source, text=text, kind=_kind_for(path, text), origin="file", encoding=encoding)
    except InputError as exc:
        yield Rejected(exc.source, exc.reason)
    except OSError as exc:
        yield Rejected(source, f"cannot read: {exc.strerror or exc}")


def _jsonl_inputs(path: Path, opts: IngestOptions) -> Iterator[RawInput | Rejected]:
    size = path.stat().st_size
    if size == 0:
        yield Rejected(str(path), "empty input")
        return
    records = 0
    with path.open("rb") as fh:
        for lineno, raw_line in enumerate(fh, start=1):
            source = f"{path}:{lineno}"
            if not raw_line.strip():
                continue
            records += 1
            try:
                yield _jsonl_record(raw_line, source, opts)
            except InputError as exc:
                yield Rejected(exc.source, exc.reason)
    if records == 0:
        yield Rejected(str(path), "empty input (no JSONL records)")


def _jsonl_record(raw_line: bytes, source: str, opts: IngestOptions) -> RawInput:
    if len(raw_line) > opts.max_bytes:
        raise InputError(source, f"line too large: {len(raw_line):,} bytes, over the {opts.max_bytes:,}-byte cap")
    try:
        record: Any = json.loads(raw_line.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(source, f"invalid JSONL line: not UTF-8 ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise InputError(source, f"invalid JSONL line: {exc.msg} at column {exc.colno}") from exc
    if not isinstance(record, dict):
        raise InputError(source, "invalid JSONL line: expected a JSON object")
    given = {k: str(record[k]) for k in GIVEN_FIELDS if record.get(k) not in (None, "")}
    if "id" in given:
        source = f"{source}#{given['id']}"
    for key, kind in (("text", "text"), ("html", "html")):
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return RawInput(source=source, text=value, kind=kind, origin="jsonl", given=given)
        if value is not None and not isinstance(value, str):
            raise InputError(source, f"invalid JSONL line: field '{key}' must be a string")
    raise InputError(source, "invalid JSONL line: missing field 'text' or 'html' (or it is empty)")


def _expand(spec: str) -> list[Path] | None:
    path = Path(spec)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path)))
    if path.exists():
        return [path]
    if glob.has_magic(spec):
        return sorted(Path(p) for p in glob.glob(spec, recursive=True) if Path(p).is_file())
    return None


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") or part == "__pycache__" for part in rel.parts)


def ingest(specs: Iterable[str], options: IngestOptions | None = None) -> Iterator[RawInput | Rejected]:
    """Yield one :class:`RawInput` or :class:`Rejected` per article found in ``specs``, in order."""
    opts = options or IngestOptions()
    for spec in specs:
        if re.match(r"^https?://", spec, re.I):
            try:
                yield fetch_url(spec, opts)
            except InputError as exc:
                yield Rejected(exc.source, exc.reason)
            continue
        paths = _expand(spec)
        if paths is None:
            yield Rejected(spec, "no such file, directory or glob match")
            continue
        if not paths:
            yield Rejected(spec, "no files found")
            continue
        for path in paths:
            yield from _file_inputs(path, opts)
