"""Score HTML cleaning against the trafilatura evaluation corpus (English subset).

The dataset directory holds ``evaldata_en.json`` (``{url: {file, with, without, title, date, ...}}``) and
``html/<file>.gz``. For every page the HTML is decompressed and decoded, cleaned with :func:`crossnews.clean.clean`
and the article text (:func:`crossnews.clean.article_text`: the body without furniture, with headline,
lede and dateline) is scored the way trafilatura's own evaluation does:

* ``with`` snippets must appear in the text (found => TP, missing => FN);
* ``without`` snippets must not appear (found => FP, absent => TN).

Title and publication date are compared with the gold metadata where the page has it. With
``baseline="trafilatura"`` the same pages are also scored with plain ``trafilatura.extract`` text and
``trafilatura.bare_extraction`` title/date, in the same run.

Command line: ``python -m crossnews.evaluate.extraction DATASET [--baseline trafilatura] [--limit N] [--details]``.
"""

from __future__ import annotations

import argparse
import codecs
import gzip
import json
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crossnews.clean import article_text, clean
from crossnews.core.errors import InputError
from crossnews.ingest import RawInput

__all__ = ["evaluate_extraction", "load_pages", "decode_html", "Page", "normalise_ws"]

ANNOTATIONS = "evaldata_en.json"
BASELINES = ("trafilatura",)

NOTES = (
    "Snippets are compared after whitespace normalisation on both sides (runs of whitespace collapsed to one "
    "space, ends stripped); the comparison is case-sensitive, as upstream. must_not_contain_precision is "
    "upstream-style TP/(TP+FP) with TP = 'with' snippets found and FP = 'without' snippets found; "
    "must_not_contain_absent is the fraction of 'without' snippets absent (TN/(TN+FP)); f1 combines "
    "must_not_contain_precision and must_contain_recall. Title accuracy: exact match after NFKC, whitespace "
    "collapsing and case folding; the lenient figure also counts gold-in-ours or ours-in-gold (non-empty). Date "
    "accuracy: published[:10] == gold date. Pages with an empty or missing gold title/date are left out of those "
    "figures. A page whose extraction raises counts as failed: all its 'with' snippets missed, no 'without' "
    "snippet found, no title or date. HTML is decoded with the charset of a BOM, <meta charset> or XML "
    "declaration when one is evident, else UTF-8; undecodable bytes are replaced. The page URL is given to both "
    "systems only when the upstream key is an http(s) URL (16 keys are 'hard::<file>' labels). Baseline trafilatura: "
    "extract(html, url=url, include_comments=False) for the text (other options default), "
    "bare_extraction(html, url=url, with_metadata=True) for title and date."
)


@dataclass(frozen=True, slots=True)
class Page:
    url: str
    file: str
    html: str
    encoding: str
    with_: tuple[str, ...]
    without: tuple[str, ...]
    title: str | None
    date: str | None

    @property
    def web_url(self) -> str | None:
        """The page URL, or ``None`` for upstream keys that are not URLs (``hard::<file>``)."""
        return self.url if re.match(r"https?://", self.url, re.I) else None


@dataclass(frozen=True, slots=True)
class Extracted:
    """What one system made of one page."""

    text: str
    title: str | None
    date: str | None


# --- reading the dataset ---------------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""", re.I)


def _evident_charset(data: bytes) -> str | None:
    """The charset a BOM, an XML declaration or a ``<meta charset>`` in the first 4 KB names, if Python knows it."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return name
    head = data[:4096]
    m = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").lower()
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    # Pages that declare Latin-1 are in practice Windows-1252 (the HTML standard says so too).
    return "cp1252" if codec in {"latin-1", "iso8859-1", "ascii"} else codec


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode page bytes: the evident charset if there is one, else UTF-8; bad bytes are replaced.

    A page that declares a single-byte charset but is valid UTF-8 (a common mislabelling) is read as UTF-8.
    """
    charset = _evident_charset(data)
    if charset and charset not in {"utf-8", "utf-8-sig"}:
        if charset != "utf-16":
            try:
                return data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                pass
        return data.decode(charset, errors="replace"), charset
    return data.decode(charset or "utf-8", errors="replace"), "utf-8"


def _gold(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _dataset_files(path: str | Path) -> tuple[Path, Path]:
    p = Path(path)
    if p.is_file():
        annotations, root = p, p.parent
    else:
        annotations, root = p / ANNOTATIONS, p
    if not annotations.is_file():
        raise FileNotFoundError(
            f"extraction evaluation data not found: {annotations} does not exist (give the directory holding "
            f"{ANNOTATIONS} and html/, e.g. shared/evaldata/trafilatura-eval-en)"
        )
    return annotations, root / "html"


def load_pages(path: str | Path, *, limit: int | None = None) -> list[Page]:
    """Read the annotations and the gzipped HTML of every page (the first ``limit`` pages if given)."""
    annotations, html_dir = _dataset_files(path)
    gold: dict[str, dict[str, Any]] = json.loads(annotations.read_text(encoding="utf-8"))
    pages: list[Page] = []
    for url, entry in gold.items():
        if limit is not None and len(pages) >= limit:
            break
        gz = html_dir / f"{entry['file']}.gz"
        if not gz.is_file():
            raise FileNotFoundError(f"extraction evaluation data incomplete: {gz} is missing (page {url})")
        html, encoding = decode_html(gzip.decompress(gz.read_bytes()))
        pages.append(Page(
            url=url, file=entry["file"], html=html, encoding=encoding,
            with_=tuple(s for s in entry.get("with") or () if s and s.strip()),
            without=tuple(s for s in entry.get("without") or () if s and s.strip()),
            title=_gold(entry.get("title")), date=_gold(entry.get("date")),
        ))
    return pages


# --- systems -----------------------------------------------------------------------------------------------------


def _crossnews(page: Page) -> Extracted:
    given = {"url": page.web_url} if page.web_url else {}
    raw = RawInput(source=page.file, text=page.html, kind="html", origin="file", given=given)
    doc = clean(raw)
    return Extracted(article_text(doc), doc.title, doc.published)


def _trafilatura(page: Page) -> Extracted:
    import trafilatura

    text = trafilatura.extract(page.html, url=page.web_url, include_comments=False) or ""
    meta = trafilatura.bare_extraction(page.html, url=page.web_url, with_metadata=True, include_comments=False)
    title = getattr(meta, "title", None) if meta is not None else None
    date = getattr(meta, "date", None) if meta is not None else None
    return Extracted(text, title or None, date or None)


# --- scoring -----------------------------------------------------------------------------------------------------


def normalise_ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _norm_title(text: str) -> str:
    return normalise_ws(unicodedata.normalize("NFKC", text)).casefold()


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _score(pages: list[Page], system: Callable[[Page], Extracted], *, details: bool) -> dict[str, Any]:
    started = time.perf_counter()
    tp = fn = fp = tn = 0
    title_n = title_exact = title_lenient = 0
    date_n = date_ok = 0
    failures: list[dict[str, str]] = []
    per_page: list[dict[str, Any]] = []
    for page in pages:
        try:
            out: Extracted | None = system(page)
        except InputError as exc:
            out = None
            failures.append({"url": page.url, "file": page.file, "reason": exc.reason, "error": "InputError"})
        except Exception as exc:  # noqa: BLE001 - a crash on one page must not stop the evaluation
            out = None
            failures.append({"url": page.url, "file": page.file, "reason": f"{type(exc).__name__}: {exc}",
                             "error": "crash"})
        text = normalise_ws(out.text) if out else ""
        missed = [s for s in page.with_ if normalise_ws(s) not in text]
        leaked = [s for s in page.without if text and normalise_ws(s) in text]
        tp += len(page.with_) - len(missed)
        fn += len(missed)
        fp += len(leaked)
        tn += len(page.without) - len(leaked)
        title = out.title if out else None
        date = out.date if out else None
        title_hit = lenient_hit = date_hit = None
        if page.title is not None:
            title_n += 1
            gold_t, ours_t = _norm_title(page.title), _norm_title(title or "")
            title_hit = bool(ours_t) and ours_t == gold_t
            lenient_hit = bool(ours_t) and (ours_t in gold_t or gold_t in ours_t)
            title_exact += title_hit
            title_lenient += lenient_hit
        if page.date is not None:
            date_n += 1
            date_hit = bool(date) and (date or "")[:10] == page.date
            date_ok += date_hit
        if details:
            per_page.append({
                "url": page.url, "file": page.file, "failed": out is None, "missed": missed, "leaked": leaked,
                "title": title, "gold_title": page.title, "title_ok": title_hit, "title_lenient_ok": lenient_hit,
                "date": date, "gold_date": page.date, "date_ok": date_hit, "chars": len(text),
            })
    recall = _ratio(tp, tp + fn)
    precision = _ratio(tp, tp + fp)
    f1 = round(2 * precision * recall / (precision + recall), 4) if precision and recall else 0.0
    result: dict[str, Any] = {
        "pages": len(pages),
        "must_contain_recall": recall,
        "must_not_contain_precision": precision,
        "must_not_contain_absent": _ratio(tn, tn + fp),
        "f1": f1,
        "counts": {"tp": tp, "fn": fn, "fp": fp, "tn": tn},
        "title_accuracy": _ratio(title_exact, title_n),
        "title_accuracy_lenient": _ratio(title_lenient, title_n),
        "title_pages": title_n,
        "date_accuracy": _ratio(date_ok, date_n),
        "date_pages": date_n,
        "failures": failures,
        "seconds": round(time.perf_counter() - started, 2),
    }
    if details:
        result["per_page"] = per_page
    return result


def evaluate_extraction(path: str | Path, *, limit: int | None = None, baseline: str | None = None,
                        details: bool = False) -> dict[str, Any]:
    """Score crossnews cleaning on the dataset at ``path`` (the directory, or its ``evaldata_en.json``).

    Returns the crossnews figures; with ``baseline="trafilatura"``, ``{"crossnews": {...},
    "baseline_trafilatura": {...}}``. ``details`` adds a ``per_page`` list (missed/leaked snippets, title and
    date against gold). Raises :class:`FileNotFoundError` when the dataset is absent.
    """
    if baseline is not None and baseline not in BASELINES:
        raise ValueError(f"unknown baseline {baseline!r}: choose one of {', '.join(BASELINES)}")
    pages = load_pages(path, limit=limit)

    def run(system: Callable[[Page], Extracted]) -> dict[str, Any]:
        return {"dataset": str(path), **_score(pages, system, details=details), "notes": NOTES}

    ours = run(_crossnews)
    if baseline is None:
        return ours
    return {"crossnews": ours, f"baseline_{baseline}": run(_trafilatura)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crossnews.evaluate.extraction", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", help="directory holding evaldata_en.json and html/")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N pages")
    parser.add_argument("--baseline", choices=BASELINES, default=None, help="also score this baseline")
    parser.add_argument("--details", action="store_true", help="include per-page results")
    args = parser.parse_args(argv)
    try:
        result = evaluate_extraction(args.dataset, limit=args.limit, baseline=args.baseline, details=args.details)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
