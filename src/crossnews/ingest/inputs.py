"""What ingest hands on: :class:`RawInput` records, the options that bound reading, and the byte checks shared by
files and fetched pages."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field

from crossnews.core.errors import InputError
from crossnews.core.settings import DEFAULTS

__all__ = ["RawInput", "IngestOptions", "decode_bytes", "sniff_binary", "stable_id", "content_hash", "GZIP_MAGIC"]


@dataclass(frozen=True, slots=True)
class IngestOptions:
    max_bytes: int = DEFAULTS.max_bytes
    timeout: float = DEFAULTS.timeout
    max_redirects: int = DEFAULTS.max_redirects
    allow_private: bool = DEFAULTS.allow_private


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


#: the first bytes of a gzip file (ingest reads a compressed file as what it holds; fetched bytes are refused)
GZIP_MAGIC = b"\x1f\x8b"

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (GZIP_MAGIC, "gzip archive"),
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
