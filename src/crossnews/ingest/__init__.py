"""Stage 1 — ingest: turn command-line inputs (files, directories, globs, JSONL, URLs) into ``RawInput`` records.

Entry function: :func:`ingest`. It never raises for a bad input: it yields a :class:`~crossnews.records.Rejected`
naming the input and the reason, and the batch goes on. That holds for what a folder holds besides files (broken
and looping symbolic links, FIFOs, sockets and devices, unreadable folders: each is named with its reason, and a
FIFO is never opened), for file names that are not UTF-8 (named with their undecodable bytes as ``\\xNN``), and for
hostile JSONL lines (each read at most ``max_bytes`` at a time; integers too long to convert kept as text, nesting
too deep rejected, lone surrogates such as a cut emoji replaced with U+FFFD). A crawl's gzip-compressed files
(``page.html.gz``, ``feed.jsonl.gz``) are read as what they hold, never more than ``max_bytes`` of it decompressed.
"""

from __future__ import annotations

import errno
import glob
import gzip
import io
import json
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from crossnews.core.errors import InputError
from crossnews.core.records import Rejected
from crossnews.ingest.fetch import fetch_url
from crossnews.ingest.inputs import (
    GZIP_MAGIC,
    IngestOptions,
    RawInput,
    content_hash,
    decode_bytes,
    sniff_binary,
    stable_id,
)

__all__ = ["RawInput", "IngestOptions", "ingest", "decode_bytes", "sniff_binary", "stable_id", "content_hash",
           "path_name"]

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


def path_name(path: str | Path) -> str:
    """A path as crossnews names it: the file system's name, with bytes that are not UTF-8 written ``\\xNN`` (so the
    name can be stored, printed and exported)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _not_regular(path: Path) -> str | None:
    """Why ``path`` cannot be read as an article file (it is a FIFO, a socket, a device, a broken or looping symbolic
    link, a folder), or ``None`` for a regular file. Never opens it: opening a FIFO waits for a writer."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop: the link leads back to itself"
        if path.is_symlink():
            return "broken symbolic link: its target does not exist"
        return f"cannot read: {exc.strerror or exc}"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    kind = ("FIFO (named pipe)" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode)
            else "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "special file")
    return f"not a regular file ({kind}): not read"


def _read_file(path: Path, opts: IngestOptions) -> bytes:
    size = path.stat().st_size
    if size > opts.max_bytes:
        raise InputError(path_name(path), f"too large: {size:,} bytes, over the {opts.max_bytes:,}-byte cap "
                                          "(--max-bytes)")
    with path.open("rb") as fh:
        data = fh.read(opts.max_bytes + 1)
    if not data.startswith(GZIP_MAGIC):
        return data
    try:  # a crawl's compressed page: read what it holds, decompressing no more than the cap allows
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            inner = gz.read(opts.max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(path_name(path), f"corrupt gzip file: {exc}") from exc
    if len(inner) > opts.max_bytes:
        raise InputError(path_name(path), f"too large: over the {opts.max_bytes:,}-byte cap (--max-bytes) once "
                                          "decompressed")
    return inner


def _inner(path: Path) -> Path:
    """The name a compressed file's content goes by ("page.html.gz": page.html)."""
    return path.with_suffix("") if path.suffix.lower() == ".gz" else path


def _file_inputs(path: Path, opts: IngestOptions) -> Iterator[RawInput | Rejected]:
    source = path_name(path)
    inner = _inner(path)  # what a compressed file holds goes by the name without ".gz"
    suffix = inner.suffix.lower()
    try:
        problem = _not_regular(path)
        if problem:
            raise InputError(source, problem)
        if suffix in JSONL_SUFFIXES:
            yield from _jsonl_inputs(path, opts)
            return
        if suffix in {".xml", ".rss", ".atom", ".json", ".svg"}:
            raise InputError(source, f"unsupported format '{suffix}': give articles as text, HTML or JSONL")
        data = _read_file(path, opts)
        text, encoding = decode_bytes(data, source)
        yield RawInput(source=source, text=text, kind=_kind_for(inner, text), origin="file", encoding=encoding)
    except InputError as exc:
        yield Rejected(exc.source, exc.reason)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:  # a compressed JSONL file cut short or corrupt
        yield Rejected(source, f"corrupt gzip file: {exc}")
    except OSError as exc:
        yield Rejected(source, f"cannot read: {exc.strerror or exc}")


def _jsonl_inputs(path: Path, opts: IngestOptions) -> Iterator[RawInput | Rejected]:
    name = path_name(path)
    size = path.stat().st_size
    if size == 0:
        yield Rejected(name, "empty input")
        return
    records = 0
    with (gzip.open(path, "rb") if path.suffix.lower() == ".gz" else path.open("rb")) as fh:
        lineno = 0
        while raw_line := fh.readline(opts.max_bytes + 1):  # a line is never read whole past the cap
            lineno += 1
            source = f"{name}:{lineno}"
            if len(raw_line) > opts.max_bytes:
                total = len(raw_line)
                while not raw_line.endswith(b"\n") and (raw_line := fh.readline(1 << 20)):
                    total += len(raw_line)
                records += 1
                yield Rejected(source, f"line too large: {total:,} bytes, over the {opts.max_bytes:,}-byte cap")
                continue
            if not raw_line.strip():
                continue
            records += 1
            try:
                yield _jsonl_record(raw_line, source, opts)
            except InputError as exc:
                yield Rejected(exc.source, exc.reason)
    if records == 0:
        yield Rejected(name, "empty input (no JSONL records)")


#: Python refuses to convert integers longer than this (``sys.get_int_max_str_digits``); JSONL keeps them as text
_MAX_INT_DIGITS = 4300
_SURROGATE = re.compile("[\ud800-\udfff]")


def _json_int(digits: str) -> int | str:
    return digits if len(digits) > _MAX_INT_DIGITS else int(digits)


def _scrub(value: str) -> str:
    """``value`` with each lone surrogate (JSON's ``"\\ud83d"``: half of a cut emoji) replaced with U+FFFD, one
    character for one: the text cannot be stored or written as UTF-8 with it."""
    return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value


def _jsonl_record(raw_line: bytes, source: str, opts: IngestOptions) -> RawInput:
    if len(raw_line) > opts.max_bytes:
        raise InputError(source, f"line too large: {len(raw_line):,} bytes, over the {opts.max_bytes:,}-byte cap")
    try:
        record: Any = json.loads(raw_line.decode("utf-8-sig"), parse_int=_json_int)
    except UnicodeDecodeError as exc:
        raise InputError(source, f"invalid JSONL line: not UTF-8 ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise InputError(source, f"invalid JSONL line: {exc.msg} at column {exc.colno}") from exc
    except RecursionError as exc:
        raise InputError(source, "invalid JSONL line: nested too deeply") from exc
    except ValueError as exc:
        raise InputError(source, f"invalid JSONL line: {exc}") from exc
    if not isinstance(record, dict):
        raise InputError(source, "invalid JSONL line: expected a JSON object")
    given = {k: _scrub(str(record[k])) for k in GIVEN_FIELDS if record.get(k) not in (None, "")}
    if "id" in given:
        source = f"{source}#{given['id']}"
    for key, kind in (("text", "text"), ("html", "html")):
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return RawInput(source=source, text=_scrub(value), kind=kind, origin="jsonl", given=given)
        if value is not None and not isinstance(value, str):
            raise InputError(source, f"invalid JSONL line: field '{key}' must be a string")
    raise InputError(source, "invalid JSONL line: missing field 'text' or 'html' (or it is empty)")


def _expand(spec: str) -> list[Path | Rejected] | None:
    """The files ``spec`` names (a file, a folder read recursively, a glob), in order, with a :class:`Rejected`
    in its place for each entry that cannot be read; ``None`` when it names nothing."""
    path = Path(spec)
    if path.is_dir():
        found: list[tuple[Path, Path | Rejected]] = []
        _walk(path, path, found, set())
        return [item for _, item in sorted(found, key=lambda x: x[0])]
    if path.exists() or path.is_symlink():
        return [path]  # a broken or looping link is named by _file_inputs
    if glob.has_magic(spec):
        matches = sorted(Path(p) for p in glob.glob(spec, recursive=True))
        return [p for p in matches if not p.is_dir()]
    return None


def _walk(root: Path, folder: Path, out: list[tuple[Path, Path | Rejected]], seen: set[tuple[int, int]]) -> None:
    """Collect the files under ``folder`` (hidden entries and ``__pycache__`` left out, symbolic links to folders not
    followed) into ``out``, and a rejection for every other entry and every folder that cannot be read."""
    try:
        st = folder.stat()
        if (st.st_dev, st.st_ino) in seen:
            out.append((folder, Rejected(path_name(folder), "folder already read (a loop)")))
            return
        seen.add((st.st_dev, st.st_ino))
        with os.scandir(folder) as it:
            entries = list(it)
    except OSError as exc:
        out.append((folder, Rejected(path_name(folder), f"cannot read folder: {exc.strerror or exc}")))
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        child = Path(entry.path)
        try:
            if entry.is_dir(follow_symlinks=False):
                _walk(root, child, out, seen)
                continue
            if entry.is_symlink() and child.is_dir():
                out.append((child, Rejected(path_name(child), "symbolic link to a folder: not followed (name the "
                                                              "folder itself to read it)")))
                continue
        except OSError:
            pass  # a looping link: named below
        out.append((child, child))


def ingest(specs: Iterable[str], options: IngestOptions | None = None) -> Iterator[RawInput | Rejected]:
    """Yield one :class:`RawInput` or :class:`Rejected` per article found in ``specs``, in order."""
    opts = options or IngestOptions()
    for spec in specs:
        try:
            yield from _spec_inputs(spec, opts)
        except Exception as exc:  # noqa: BLE001 - one input's failure must not stop the batch; the reason is kept
            yield Rejected(path_name(spec), f"cannot read: {type(exc).__name__}: {exc}")


def _spec_inputs(spec: str, opts: IngestOptions) -> Iterator[RawInput | Rejected]:
    if re.match(r"^https?://", spec, re.I):
        try:
            yield fetch_url(spec, opts)
        except InputError as exc:
            yield Rejected(exc.source, exc.reason)
        return
    paths = _expand(spec)
    if paths is None:
        yield Rejected(path_name(spec), "no such file, directory or glob match")
        return
    if not paths:
        yield Rejected(path_name(spec), "no files found")
        return
    for path in paths:
        if isinstance(path, Rejected):
            yield path
        else:
            yield from _file_inputs(path, opts)
