"""Stage 1 — ingest: turn command-line inputs (files, directories, globs, JSONL, URLs) into ``RawInput`` records.

Entry function: :func:`ingest`. It never raises for a bad input: it yields a :class:`~crossnews.records.Rejected`
naming the input and the reason, and the batch goes on.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crossnews.core.errors import InputError
from crossnews.core.records import Rejected

__all__ = ["RawInput", "IngestOptions", "ingest", "decode_bytes", "sniff_binary"]

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
GIVEN_FIELDS = ("id", "url", "outlet", "published", "title", "crawled", "republisher", "dateline")


@dataclass(frozen=True, slots=True)
class IngestOptions:
    max_bytes: int = 5_000_000
    timeout: float = 10.0
    max_redirects: int = 5
    allow_private: bool = False


@dataclass(frozen=True, slots=True)
class RawInput:
    """One article as read: its source name, decoded text and how to treat it."""

    source: str
    text: str
    kind: str  # "text" or "html"
    origin: str  # "file", "url", "jsonl"
    given: dict[str, str] = field(default_factory=dict)
    encoding: str = "utf-8"

    @property
    def url(self) -> str | None:
        return self.given.get("url")


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"\x7fELF", "ELF executable"),
    (b"RIFF", "RIFF media file"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\x00\x00\x00", "binary data"),
)


def sniff_binary(data: bytes) -> str | None:
    """Name the binary format of ``data`` when it is not text, else ``None``."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    head = data[:4096]
    if b"\x00" in head and not (head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff")):
        return "binary data (NUL bytes)"
    return None


def decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    """Decode article bytes: UTF-8 first (a BOM is dropped), else the encoding charset-normalizer detects.

    Raises :class:`InputError` for empty, binary or undecodable input.
    """
    if not data.strip():
        raise InputError(source, "empty input")
    kind = sniff_binary(data)
    if kind:
        raise InputError(source, f"binary content ({kind}), not an article")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    from charset_normalizer import from_bytes

    matches = from_bytes(data[:200_000])
    best = matches.best()
    if best is not None:
        # Equal scores between Central and Western European code pages are common on short texts; Western
        # (cp1252, a superset of latin-1) is by far the more frequent for news text, so it wins the tie.
        for alt in matches:
            if alt.encoding == "cp1252" and alt.chaos == best.chaos and alt.coherence == best.coherence:
                best = alt
                break
    if best is None or best.encoding is None:
        raise InputError(source, f"undecodable: not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) "
                                 "and no other encoding fits")
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError(source, f"undecodable: detected {best.encoding} but decoding failed: {exc}") from exc
    if _control_ratio(text) > 0.05:
        raise InputError(source, f"undecodable: decoding as {best.encoding} gives mostly control characters")
    return text, best.encoding


def _control_ratio(text: str) -> float:
    sample = text[:20_000]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bad / len(sample)


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
            from crossnews.ingest.fetch import fetch_url

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


def stable_id(raw: RawInput, content_hash: str) -> str:
    """The document id: the JSONL ``id`` when given, else readable and stable from the source and content."""
    if "id" in raw.given:
        return raw.given["id"]
    name = raw.source.rstrip("/").rsplit("/", 1)[-1]
    name = os.path.splitext(name)[0] if raw.origin == "file" else name
    slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()[:40] or "doc"
    return f"{slug}-{content_hash[:8]}"


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
