"""Metadata helpers for the clean stage: outlet gazetteer, datelines, publication dates and yearless-date inference.

All functions are pure; :mod:`crossnews.clean` decides where in the document to look.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from crossnews.core.records import PublishedEvidence, Span, YearCandidate

__all__ = [
    "Outlet",
    "outlets",
    "find_outlet",
    "find_outlet_span",
    "outlet_for_domain",
    "match_dateline",
    "parse_date_line",
    "infer_year",
    "format_iso",
]

MONTHS = (
    "Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?"
    "|Nov(?:ember)?|Dec(?:ember)?"
)
WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_MONTH_NUM = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_NUM.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTH_NUM["sept"] = 9
_WEEKDAY_NUM = {name.lower(): i for i, name in enumerate(calendar.day_name)}


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    country: str | None
    ownership: str | None
    strict: tuple[str, ...] = ()  # names that are also ordinary words ("Metro", "The Hill"): only a whole match


@lru_cache(maxsize=1)
def outlets() -> tuple[Outlet, ...]:
    """The packaged outlet gazetteer (``data/outlets.json``)."""
    with resources.files("crossnews").joinpath("data/outlets.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return tuple(
        Outlet(o["name"], tuple(o["aliases"]), tuple(o.get("domains", ())), o.get("country"), o.get("ownership"),
               tuple(o.get("strict", ())))
        for o in data["outlets"]
    )


@lru_cache(maxsize=1)
def _alias_pattern() -> tuple[re.Pattern[str], dict[str, Outlet], frozenset[str]]:
    by_alias: dict[str, Outlet] = {}
    strict: set[str] = set()
    for outlet in outlets():
        for alias in (outlet.name, *outlet.aliases, *outlet.strict):
            by_alias[alias.lower()] = outlet
        strict.update(a.lower() for a in outlet.strict)
    alts = sorted(by_alias, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.])(" + "|".join(re.escape(a) for a in alts) + r")(?![\w])", re.I)
    return pattern, by_alias, frozenset(strict)


def find_outlet(text: str, *, whole: bool = False) -> Outlet | None:
    """The gazetteer outlet named in ``text`` (a short line or a dateline agency), or ``None``.

    Short aliases (two or three letters, like "AP") only match in capitals, so "ap" in prose never does. Names that
    are also ordinary words (the gazetteer's ``strict`` ones: "Metro", "The Hill") match only the whole text.
    """
    pattern, by_alias, strict = _alias_pattern()
    stripped = text.strip().strip("/().-–— ")
    for m in pattern.finditer(stripped):
        alias = m.group(1)
        if len(alias) <= 3 and alias != alias.upper():
            continue
        is_whole = m.group(0).lower() == stripped.lower()
        if (whole or alias.lower() in strict) and not is_whole:
            continue
        return by_alias[alias.lower()]
    return None


def find_outlet_span(text: str) -> tuple[Outlet, tuple[int, int]] | None:
    """Like :func:`find_outlet` on a line, with where in ``text`` the name is printed."""
    pattern, by_alias, strict = _alias_pattern()
    lead = len(text) - len(text.lstrip().lstrip("/().-–— "))
    stripped = text.strip().strip("/().-–— ")
    for m in pattern.finditer(stripped):
        alias = m.group(1)
        if len(alias) <= 3 and alias != alias.upper():
            continue
        if alias.lower() in strict and m.group(0).lower() != stripped.lower():
            continue
        return by_alias[alias.lower()], (lead + m.start(), lead + m.end())
    return None


def site_domain(url: str) -> str | None:
    host = urlsplit(url).hostname or ""
    host = host.lower()
    return host[4:] if host.startswith("www.") else (host or None)


@lru_cache(maxsize=4096)
def outlet_for_domain(domain: str) -> Outlet | None:
    """The gazetteer outlet of a web host: the outlet whose domain is the host or a parent of it, the longest
    such domain winning (``africa.cgtn.com`` before ``cgtn.com``; ``feeds.bbci.co.uk`` is BBC News)."""
    domain = domain.lower().strip(".")
    if domain.startswith("www."):
        domain = domain[4:]
    best: tuple[int, Outlet] | None = None
    for outlet in outlets():
        for d in outlet.domains:
            if (domain == d or domain.endswith("." + d)) and (best is None or len(d) > best[0]):
                best = (len(d), outlet)
    return best[1] if best else None


# --- datelines -------------------------------------------------------------------------------------------------

_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z'’.\-]{2,}(?:[ \-][A-Z][A-Z'’.\-]+){0,3})"
    r"(?:,\s*(?!(?:" + MONTHS + r")\b)(?P<region>[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?))?"
    r"(?:[,\s]+(?P<date>(?:" + MONTHS + r")\.?\s+\d{1,2}(?:,\s*\d{4})?))?"
    r"[\s.,]*(?P<agency>/[^/\n]{2,30}/|\((?:[A-Z][\w.&'\- ]{0,30})\))?"
    r"(?P<sep>[\s.]*[-–—:]+\s*|[\s.]+)"
)


@dataclass(frozen=True, slots=True)
class Dateline:
    span: tuple[int, int]  # offsets within the matched line
    place: str
    date: str | None
    date_span: tuple[int, int] | None
    agency: str | None
    agency_span: tuple[int, int] | None = None


def match_dateline(line: str) -> Dateline | None:
    """Match a news dateline at the start of a paragraph ("MOSCOW, December 28. /TASS/.", "KYIV (Reuters) -").

    A dateline needs an all-capitals place followed by a date, an agency or a dash; the rest of the line must be
    prose.
    """
    m = _DATELINE.match(line)
    if not m:
        return None
    has_marker = m.group("date") or m.group("agency") or re.search(r"[-–—]", m.group("sep"))
    rest = line[m.end():]
    if not has_marker or len(rest.split()) < 5:
        return None
    place = m.group("place").strip(" .")
    if len(re.sub(r"[^A-Z]", "", place)) < 3:
        return None
    agency = m.group("agency")
    return Dateline(
        span=(0, m.end()),
        place=place,
        date=m.group("date"),
        date_span=m.span("date") if m.group("date") else None,
        agency=agency.strip("/() ") if agency else None,
        agency_span=m.span("agency") if agency else None,
    )


# --- publication dates -----------------------------------------------------------------------------------------

_DATE_LINE = re.compile(
    r"^(?:(?:published|posted|updated|last updated|modified|date)\s*(?:at|on)?\s*:?\s*)?"
    r"(?:(?:" + WEEKDAYS + r"|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?,?\s+)?"
    r"(?:(?:" + MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}(?:st|nd|rd|th)?\s+(?:" + MONTHS
    + r")\.?,?\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{4})"
    r"(?:[,\s|\-–—]+(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:GMT|UTC|[A-Z]{2,4}|[+-]\d{2}:?\d{2})?)?"
    r"\s*$",
    re.I,
)


def parse_date_line(line: str) -> tuple[str, str] | None:
    """Parse a line that is only a date (and time): ``"Sun Mar 16, 2014 5:47PM GMT"`` gives
    ``("2014-03-16T17:47Z", raw)``. Returns ``None`` when the line is not a date line."""
    stripped = line.strip()
    if len(stripped) > 60 or not _DATE_LINE.match(stripped):
        return None
    value = parse_absolute(stripped)
    return (value, stripped) if value else None


def parse_absolute(raw: str) -> str | None:
    """Parse an absolute date/time with dateparser; ISO 8601 at the precision the string gives."""
    import dateparser

    cleaned = re.sub(r"^(?:published|posted|updated|last updated|modified|date)\s*(?:at|on)?\s*:?\s*", "", raw,
                     flags=re.I)
    has_time = bool(re.search(r"\d{1,2}[:.]\d{2}", cleaned))
    has_tz = bool(re.search(r"\b(GMT|UTC|Z)\b|[+-]\d{2}:?\d{2}\s*$", cleaned))
    settings: dict[str, Any] = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year", "month", "day"]}
    if has_tz:
        settings["TO_TIMEZONE"] = "UTC"
        settings["RETURN_AS_TIMEZONE_AWARE"] = True
    parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    if parsed is None:
        return None
    return format_iso(parsed, with_time=has_time, utc=has_tz)


def format_iso(value: dt.datetime, *, with_time: bool, utc: bool) -> str:
    if not with_time:
        return value.strftime("%Y-%m-%d")
    base = value.strftime("%Y-%m-%dT%H:%M")
    if value.second:
        base += value.strftime(":%S")
    if utc:
        offset = value.utcoffset()
        if offset is None or offset == dt.timedelta(0):
            return base + "Z"
        total = int(offset.total_seconds() // 60)
        sign = "+" if total >= 0 else "-"
        return f"{base}{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"
    return base


def month_day(raw: str) -> tuple[int, int] | None:
    m = re.match(r"(" + MONTHS + r")\.?\s+(\d{1,2})", raw.strip(), re.I)
    if not m:
        return None
    month = _MONTH_NUM.get(m.group(1).lower().rstrip("."))
    if month is None:
        month = _MONTH_NUM.get(m.group(1).lower()[:3])
    day = int(m.group(2))
    if month is None or not 1 <= day <= 31:
        return None
    return month, day


_YEAR = re.compile(r"(?<![\d/.-])(1[89]\d\d|20\d\d)(?![\d/-])")
#: a crawl this many days after a candidate date makes that candidate's year the likely one
CRAWL_WINDOW_DAYS = 31
_WEEKDAY_MENTION = re.compile(r"\b(?:on|last|this|late|early|earlier|later on)\s+(" + WEEKDAYS + r")\b")
_URL_DATE = re.compile(r"/(20\d\d|19\d\d)[/-](\d{1,2})(?:[/-](\d{1,2}))?(?:/|$|-)")


def infer_year(
    month: int,
    day: int,
    body: str,
    *,
    raw: str,
    span: Span | None,
    method: str,
    url: str | None = None,
    crawled: str | None = None,
    today: dt.date | None = None,
) -> tuple[str, PublishedEvidence]:
    """Infer the year of a yearless publication date from the evidence in the text.

    Evidence: a date in the URL (decisive); the latest year the text refers to (a lower bound); a crawl date
    (an upper bound, else today); weekdays mentioned in the text ("said on Wednesday": years where the date, or the
    day before, is that weekday). A year is chosen when the evidence leaves exactly one best candidate. When a
    weekday fits the date itself in several years, the most recent of them is chosen *tentatively* (news is read
    close to when it is written, and a weekday repeats only every five to eleven years): ``tentative`` is set and
    the other years stay listed as candidates. Otherwise the published value stays partial (``--MM-DD``).
    """
    partial = f"--{month:02d}-{day:02d}"
    if url:
        m = _URL_DATE.search(urlsplit(url).path)
        if m and int(m.group(2)) == month and (m.group(3) is None or int(m.group(3)) == day):
            year = int(m.group(1))
            cand = YearCandidate(year, 1.0, (f"the URL path has {m.group(0).strip('/')}",))
            return f"{year}-{month:02d}-{day:02d}", PublishedEvidence(
                method, raw, span, (cand,), year, "year taken from the date in the URL")
    upper_date = today or dt.date.today()
    upper_reason = f"not after today ({upper_date.isoformat()})"
    crawl_date: dt.date | None = None
    if crawled:
        try:
            crawl_date = upper_date = dt.date.fromisoformat(crawled[:10])
            upper_reason = f"not after the crawl date {upper_date.isoformat()}"
        except ValueError:
            pass
    years = [int(y) for y in _YEAR.findall(body)]
    lower = max(years) if years else None
    weekdays = sorted({w.lower() for w in _WEEKDAY_MENTION.findall(body)})
    start = lower if lower is not None else upper_date.year - 30
    reasons_common: list[str] = []
    if lower is not None:
        reasons_common.append(f"not before {lower}, the latest year the text refers to")
    reasons_common.append(upper_reason)
    candidates: list[YearCandidate] = []
    for year in range(start, upper_date.year + 1):
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        if date > upper_date:
            continue
        score = 0.0
        reasons = list(reasons_common)
        if weekdays:
            for wd in weekdays:
                wd_num = _WEEKDAY_NUM[wd]
                if date.weekday() == wd_num:
                    score = max(score, 1.0)
                    reasons.append(f"the text says 'on {wd.title()}' and {date:%B} {day}, {year} was a {wd.title()}")
                elif (date - dt.timedelta(days=1)).weekday() == wd_num:
                    score = max(score, 0.5)
                    reasons.append(f"the text says 'on {wd.title()}', the day before {date:%B} {day}, {year}")
            if score == 0.0:
                continue
        else:
            score = 0.1
        if crawl_date is not None and 0 <= (crawl_date - date).days <= CRAWL_WINDOW_DAYS:
            # a page saved soon after a date shows that date's year: the strongest evidence short of a printed year
            score += 1.0
            gap = (crawl_date - date).days
            reasons.append(f"the page was crawled {gap} day{'s' if gap != 1 else ''} after {date:%B} {day}, {year}")
        candidates.append(YearCandidate(year, score, tuple(reasons)))
    candidates.sort(key=lambda c: (-c.score, -c.year))
    best = [c for c in candidates if candidates and c.score == candidates[0].score]
    if len(best) == 1 and (weekdays or lower is not None and len(candidates) == 1):
        year = best[0].year
        return f"{year}-{month:02d}-{day:02d}", PublishedEvidence(
            method, raw, span, tuple(candidates), year, f"only {year} fits the evidence best")
    if len(best) > 1 and best[0].score >= 1.0 and weekdays:
        # best is sorted most recent first among equal scores
        year = best[0].year
        others = ", ".join(str(c.year) for c in best[1:6])
        return f"{year}-{month:02d}-{day:02d}", PublishedEvidence(
            method, raw, span, tuple(candidates), year,
            f"the year is not printed; the weekday fits {year} and also {others}: the most recent, {year}, is "
            "chosen tentatively", tentative=True)
    if not candidates:
        reason = "no year fits the evidence; the year is left open"
    else:
        tops = ", ".join(str(c.year) for c in best[:6])
        reason = f"the year is not printed and the evidence leaves {len(best)} equally likely years ({tops}); " \
                 "the published date is left partial"
    return partial, PublishedEvidence(method, raw, span, tuple(candidates), None, reason)
