"""Score HTML cleaning against the trafilatura evaluation corpus (English subset).

The dataset directory holds ``evaldata_en.json`` (``{url: {file, with, without, title, date, ...}}``) and
``html/<file>.gz``. For every page the HTML is decompressed and decoded, cleaned with :func:`crossnews.clean.clean`
and the article text (:func:`crossnews.clean.article_text`: the body without furniture, with headline,
lede and dateline) is scored the way trafilatura's own evaluation does:

* ``with`` snippets must appear in the text (found => TP, missing => FN);
* ``without`` snippets must not appear (found => FP, absent => TN).

Beside the snippet counts, a **4-gram word-shingle F1** scores the extracted body against the gold text the
dataset has. The corpus holds no whole gold body, only the snippets, so the measure is defined on them: the gold
positive shingles of a page are the word 4-grams of its ``with`` snippets (a snippet shorter than four words is one
shingle of its own length), the gold negative shingles those of its ``without`` snippets (less any that are also
positive); recall is the share of positive shingles found among the extracted text's shingles, precision the share
of positive among all gold shingles found. Per-page F1 is averaged over the pages (``body_shingle_f1``); the summed
counts give ``body_shingle_micro``.

The pages are split once and for all into a dev part and a held-out part: a page is held out when the SHA-256 of
its upstream key (the URL, UTF-8), read as a number from its first 8 hex digits, is divisible by 3 (60 of the 179
pages). Every figure is reported for all pages, and apart for ``dev`` and ``heldout``.

Title and publication date are compared with the gold metadata where the page has it. With
``baseline="trafilatura"`` the same pages are also scored with plain ``trafilatura.extract`` text and
``trafilatura.bare_extraction`` title/date, in the same run.

Command line: ``python -m crossnews.eval.extraction DATASET [--baseline trafilatura] [--split S] [--limit N]
[--details]``.
"""

from __future__ import annotations

import argparse
import codecs
import gzip
import hashlib
import html as html_lib
import json
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from crossnews.clean import article_text, clean, render_html_text
from crossnews.core.errors import InputError
from crossnews.ingest import RawInput

__all__ = ["evaluate_extraction", "load_pages", "decode_html", "Page", "normalise_ws", "split_of", "shingles",
           "shingle_counts", "SPLITS"]

ANNOTATIONS = "evaldata_en.json"
BASELINES = ("trafilatura",)
SPLITS = ("all", "dev", "heldout")
#: word n-gram length of the body shingle measure
SHINGLE = 4
#: a page is held out when int(sha256(url)[:8], 16) % HELDOUT_MOD == 0
HELDOUT_MOD = 3

NOTES = (
    "Snippets are compared after whitespace normalisation on both sides (runs of whitespace collapsed to one "
    "space, ends stripped); the comparison is case-sensitive, as upstream. must_not_contain_precision is "
    "upstream-style TP/(TP+FP) with TP = 'with' snippets found and FP = 'without' snippets found; "
    "must_not_contain_absent is the fraction of 'without' snippets absent (TN/(TN+FP)); f1 combines "
    "must_not_contain_precision and must_contain_recall. Title accuracy: exact match after NFKC, whitespace "
    "collapsing and case folding; the lenient figure also counts gold-in-ours or ours-in-gold (non-empty). Date "
    "accuracy: published[:10] == gold date. Outlet accuracy: the outlet against the page's own og:site_name (the "
    "site's declared name; case, punctuation and a leading 'The' ignored), over pages that declare one and have a "
    "URL; the baseline's outlet is trafilatura's sitename, read from that same markup where present. "
    "date_precision and outlet_precision: the share right of the dates and outlets given (a wrong one misleads, a "
    "missing one leaves a gap). Pages "
    "with an empty or missing gold title/date are left out of those "
    "figures. A page whose extraction raises counts as failed: all its 'with' snippets missed, no 'without' "
    "snippet found, no title or date. HTML is decoded with the charset of a BOM, <meta charset> or XML "
    "declaration when one is evident, else UTF-8; undecodable bytes are replaced. The page URL is given to both "
    "systems only when the upstream key is an http(s) URL (16 keys are 'hard::<file>' labels). Baseline trafilatura: "
    "extract(html, url=url, include_comments=False) for the text (other options default), "
    "bare_extraction(html, url=url, with_metadata=True) for title and date. Body shingle F1: the corpus has no "
    "whole gold body, so the gold text is its snippets: words are runs of \\w characters after NFKC (case kept, "
    "as upstream); positive shingles are the word 4-grams of the 'with' snippets (a snippet under 4 words is one "
    "shingle of its length), negative ones those of the 'without' snippets less any positive; recall = positive "
    "shingles found / positive shingles, precision = positive found / (positive found + negative found); "
    "body_shingle_f1 is the mean per-page F1 (a page with no positive shingle is left out), body_shingle_micro the "
    "same over summed counts. Split: a page is 'heldout' when int(sha256(url)[:8], 16) % 3 == 0, else 'dev'."
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
    site_name: str | None = None  # the page's own og:site_name: the outlet's name as the site declares it

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
    outlet: str | None = None


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
            title=_gold(entry.get("title")), date=_gold(entry.get("date")), site_name=_site_name(html),
        ))
    return pages


_OG_SITE_NAME = re.compile(r"""<meta\s[^>]*?(?:property|name)\s*=\s*["']og:site_name["'][^>]*>""", re.I)
_CONTENT = re.compile(r"""\scontent\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def _site_name(html: str) -> str | None:
    """The site's name as its markup declares it (``<meta property="og:site_name" content="...">``)."""
    tag = _OG_SITE_NAME.search(html)
    content = _CONTENT.search(tag.group(0)) if tag else None
    name = (content.group(1) or content.group(2) or "").strip() if content else ""
    return html_lib.unescape(name) or None


def _outlet_key(name: str) -> str:
    key = re.sub(r"[^\w]", "", unicodedata.normalize("NFKC", name).casefold())
    return key[3:] if key.startswith("the") else key


# --- systems -----------------------------------------------------------------------------------------------------


def _crossnews(page: Page, *, as_text: bool = False) -> Extracted:
    """crossnews's cleaning of the page: its HTML, or (``as_text``) its :func:`visible_text`."""
    given = {"url": page.web_url} if page.web_url else {}
    raw = (RawInput(source=page.file, text=visible_text(page.html), kind="text", origin="file", given=given)
           if as_text else RawInput(source=page.file, text=page.html, kind="html", origin="file", given=given))
    doc = clean(raw)
    return Extracted(article_text(doc), doc.title, doc.published, doc.outlet)


def visible_text(html: str) -> str:
    """The page as a plain-text scraper gives it: the visible text of its ``<body>``, one block a line (menus,
    bylines, share buttons and footers included; nothing of ``<head>``)."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.document_fromstring(html)
    except ValueError:  # a string with an XML encoding declaration
        tree = lxml_html.document_fromstring(html.encode("utf-8"))
    except lxml_html.etree.ParserError:
        return ""
    body = tree.find("body")
    return render_html_text(body if body is not None else tree)


def _trafilatura(page: Page) -> Extracted:
    import trafilatura

    text = trafilatura.extract(page.html, url=page.web_url, include_comments=False) or ""
    meta = trafilatura.bare_extraction(page.html, url=page.web_url, with_metadata=True, include_comments=False)
    title = getattr(meta, "title", None) if meta is not None else None
    date = getattr(meta, "date", None) if meta is not None else None
    sitename = getattr(meta, "sitename", None) if meta is not None else None
    return Extracted(text, title or None, date or None, sitename or None)


# --- scoring -----------------------------------------------------------------------------------------------------


def normalise_ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _norm_title(text: str) -> str:
    return normalise_ws(unicodedata.normalize("NFKC", text)).casefold()


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def split_of(url: str) -> str:
    """``"heldout"`` or ``"dev"``: fixed by the SHA-256 of the page's upstream key (see :data:`HELDOUT_MOD`)."""
    return "heldout" if int(hashlib.sha256(url.encode("utf-8")).hexdigest()[:8], 16) % HELDOUT_MOD == 0 else "dev"


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text))


def shingles(text: str, n: int = SHINGLE) -> set[tuple[str, ...]]:
    """The word ``n``-grams of ``text``; a text of fewer than ``n`` words (but some) is one shingle of its own."""
    words = _words(text)
    if 0 < len(words) < n:
        return {tuple(words)}
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def shingle_counts(text: str, with_: Iterable[str], without: Iterable[str]) -> tuple[int, int, int]:
    """``(positive, positive found, negative found)`` shingles of one page's gold snippets in ``text``."""
    positive: set[tuple[str, ...]] = set()
    for s in with_:
        positive |= shingles(s)
    negative: set[tuple[str, ...]] = set()
    for s in without:
        negative |= shingles(s)
    negative -= positive
    words = _words(text)
    found: dict[int, set[tuple[str, ...]]] = {}

    def has(shingle: tuple[str, ...]) -> bool:
        n = len(shingle)
        if n not in found:
            found[n] = {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}
        return shingle in found[n]

    return len(positive), sum(map(has, positive)), sum(map(has, negative))


def _prf(pos: int, hit: int, leak: int) -> tuple[float, float, float]:
    recall = hit / pos if pos else 0.0
    precision = hit / (hit + leak) if hit + leak else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _page(page: Page, out: Extracted | None) -> dict[str, Any]:
    """What one system made of one page, against its gold."""
    text = normalise_ws(out.text) if out else ""
    missed = [s for s in page.with_ if normalise_ws(s) not in text]
    leaked = [s for s in page.without if text and normalise_ws(s) in text]
    pos, hit, leak = shingle_counts(text, page.with_, page.without)
    title = out.title if out else None
    date = out.date if out else None
    title_hit = lenient_hit = date_hit = None
    if page.title is not None:
        gold_t, ours_t = _norm_title(page.title), _norm_title(title or "")
        title_hit = bool(ours_t) and ours_t == gold_t
        lenient_hit = bool(ours_t) and (ours_t in gold_t or gold_t in ours_t)
    if page.date is not None:
        date_hit = bool(date) and (date or "")[:10] == page.date
    outlet = out.outlet if out else None
    outlet_hit = None
    if page.site_name is not None and page.web_url is not None:
        outlet_hit = bool(outlet) and _outlet_key(outlet or "") == _outlet_key(page.site_name)
    return {
        "url": page.url, "file": page.file, "split": split_of(page.url), "failed": out is None, "missed": missed,
        "leaked": leaked, "with": len(page.with_), "without": len(page.without),
        "shingles": {"positive": pos, "found": hit, "negative_found": leak,
                     "f1": round(_prf(pos, hit, leak)[2], 4) if pos else None},
        "title": title, "gold_title": page.title, "title_ok": title_hit, "title_lenient_ok": lenient_hit,
        "date": date, "gold_date": page.date, "date_ok": date_hit, "chars": len(text),
        "outlet": outlet, "site_name": page.site_name, "outlet_ok": outlet_hit,
    }


def _summary(pages: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures over some scored pages."""
    tp = sum(p["with"] - len(p["missed"]) for p in pages)
    fn = sum(len(p["missed"]) for p in pages)
    fp = sum(len(p["leaked"]) for p in pages)
    tn = sum(p["without"] - len(p["leaked"]) for p in pages)
    recall = _ratio(tp, tp + fn)
    precision = _ratio(tp, tp + fp)
    f1 = round(2 * precision * recall / (precision + recall), 4) if precision and recall else 0.0
    titled = [p for p in pages if p["title_ok"] is not None]
    dated = [p for p in pages if p["date_ok"] is not None]
    named = [p for p in pages if p.get("outlet_ok") is not None]
    shingled = [p["shingles"] for p in pages if p["shingles"]["positive"]]
    pos, hit, leak = (sum(s[k] for s in shingled) for k in ("positive", "found", "negative_found"))
    micro = _prf(pos, hit, leak)
    return {
        "pages": len(pages),
        "body_shingle_f1": round(sum(s["f1"] for s in shingled) / len(shingled), 4) if shingled else None,
        "body_shingle_micro": {"precision": round(micro[0], 4), "recall": round(micro[1], 4),
                               "f1": round(micro[2], 4), "positive": pos, "found": hit, "negative_found": leak},
        "must_contain_recall": recall,
        "must_not_contain_precision": precision,
        "must_not_contain_absent": _ratio(tn, tn + fp),
        "f1": f1,
        "counts": {"tp": tp, "fn": fn, "fp": fp, "tn": tn},
        "title_accuracy": _ratio(sum(bool(p["title_ok"]) for p in titled), len(titled)),
        "title_accuracy_lenient": _ratio(sum(bool(p["title_lenient_ok"]) for p in titled), len(titled)),
        "title_pages": len(titled),
        "date_accuracy": _ratio(sum(bool(p["date_ok"]) for p in dated), len(dated)),
        "date_pages": len(dated),
        # of the dates and outlets given, how many are right: a wrong one misleads, a missing one only leaves a gap
        "date_precision": _ratio(sum(bool(p["date_ok"]) for p in dated), sum(bool(p["date"]) for p in dated)),
        "outlet_accuracy": _ratio(sum(bool(p["outlet_ok"]) for p in named), len(named)),
        "outlet_precision": _ratio(sum(bool(p["outlet_ok"]) for p in named), sum(bool(p["outlet"]) for p in named)),
        "outlet_pages": len(named),
    }


def _score(pages: list[Page], system: Callable[[Page], Extracted], *, details: bool) -> dict[str, Any]:
    started = time.perf_counter()
    failures: list[dict[str, str]] = []
    scored: list[dict[str, Any]] = []
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
        scored.append(_page(page, out))
    result: dict[str, Any] = {
        **_summary(scored),
        "dev": _summary([p for p in scored if p["split"] == "dev"]),
        "heldout": _summary([p for p in scored if p["split"] == "heldout"]),
        "failures": failures,
        "seconds": round(time.perf_counter() - started, 2),
    }
    if details:
        result["per_page"] = scored
    return result


def _comparison(ours: dict[str, Any], theirs: dict[str, Any], splits: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for split in splits:
        a, b = ours[split]["body_shingle_f1"], theirs[split]["body_shingle_f1"]
        out[split] = {"pages": ours[split]["pages"], "crossnews": a, "trafilatura": b,
                      "difference": round(a - b, 4) if a is not None and b is not None else None}
    return out


def evaluate_extraction(path: str | Path, *, limit: int | None = None, baseline: str | None = None,
                        details: bool = False, split: str = "all", as_text: bool = False) -> dict[str, Any]:
    """Score crossnews cleaning on the dataset at ``path`` (the directory, or its ``evaldata_en.json``).

    Returns the crossnews figures over the pages, with the same figures apart for the ``dev`` and ``heldout``
    pages; ``split="dev"`` or ``"heldout"`` scores only those pages. With ``baseline="trafilatura"``,
    ``{"crossnews": {...}, "baseline_trafilatura": {...}, "body_shingle_f1": {split: {crossnews, trafilatura,
    difference}}}``. ``details`` adds a ``per_page`` list (missed/leaked snippets, shingle counts, title and date
    against gold). ``as_text``: crossnews reads each page's visible text (:func:`visible_text`) instead of its
    HTML, as it reads a scraped page: the plain-text path's headline, date stamp and body on 179 sites' layouts.
    Raises :class:`FileNotFoundError` when the dataset is absent.
    """
    if baseline is not None and baseline not in BASELINES:
        raise ValueError(f"unknown baseline {baseline!r}: choose one of {', '.join(BASELINES)}")
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: choose one of {', '.join(SPLITS)}")
    pages = load_pages(path, limit=limit)
    if split != "all":
        pages = [p for p in pages if split_of(p.url) == split]

    def run(system: Callable[[Page], Extracted]) -> dict[str, Any]:
        return {"dataset": str(path), "split": split, "input": "visible text" if as_text else "html",
                **_score(pages, system, details=details), "notes": NOTES}

    ours = run(partial(_crossnews, as_text=as_text))
    if baseline is None:
        return ours
    theirs = run(_trafilatura)
    shown = ("dev", "heldout") if split == "all" else (split,)
    return {"crossnews": ours, f"baseline_{baseline}": theirs, "body_shingle_f1": _comparison(ours, theirs, shown)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crossnews.eval.extraction", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", help="directory holding evaldata_en.json and html/")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N pages")
    parser.add_argument("--baseline", choices=BASELINES, default=None, help="also score this baseline")
    parser.add_argument("--split", choices=SPLITS, default="all", help="score only the dev or held-out pages")
    parser.add_argument("--details", action="store_true", help="include per-page results")
    parser.add_argument("--as-text", action="store_true", help="crossnews reads each page's visible text")
    args = parser.parse_args(argv)
    try:
        result = evaluate_extraction(args.dataset, limit=args.limit, baseline=args.baseline, details=args.details,
                                     split=args.split, as_text=args.as_text)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
