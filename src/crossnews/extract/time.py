"""Stage 3b — time: time expressions with TIMEX3 values, anchored to the document's publication date.

Entry function: :func:`tag_times`. Expressions are found by patterns (absolute dates, yearless dates, weekdays,
relative days and periods, "N units ago", durations, quarters, decades, seasons, parts of days, clock times,
recurring sets, "now"/"recently") and normalised by crossnews' own anchoring logic:

* a weekday in news refers to the most recent such day, the publication day included ("on Saturday" in a Sunday
  article is the day before; "on Sunday" is that day), or to the next one when the sentence looks ahead
  ("will", "next", "scheduled");
* a yearless date takes the year of the latest dated expression earlier in its paragraph, else the
  publication year, moved back a year when that would put it well after publication;
* absolute dates are read with dateparser.

Month names must be capitalised ("we may march" is never a date), and bare years must look like years.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Timex", "tag_times", "parse_anchor"]

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "hundred": 100, "couple of": 2, "a couple of": 2, "single": 1,
}
VAGUE = {"several", "few", "a few", "many", "some", "the next few", "the past few", "the last few", "recent"}
UNIT_CODE = {"second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "month": "M", "year": "Y",
             "decade": "DE", "century": "CE", "quarter": "Q", "weekend": "WE"}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
            "last": 4, "final": 4}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}

_M = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
      r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)")
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUM = (r"(?:\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
        r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|hundred|"
        r"several|few|a few|many|some|a couple of|couple of)")
_UNIT = r"(?:second|minute|hour|day|week|month|year|decade|century|centuries|quarter)s?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_TIME = (r"(?:\d{1,2}:\d{2}\s*(?:(?i:[ap]\.?m\.?))?|\d{1,2}\.\d{2}\s*(?i:[ap]\.?m\.?)|\d{1,2}\s*(?i:[ap]\.?m\.?)|"
         r"(?:[01]\d|2[0-3])[0-5]\d(?=\s*(?:GMT|UTC)))(?:\s*(?:GMT|UTC|[A-Z]{2,4}T))?")

FUTURE_CUES = re.compile(r"\b(will|'ll|shall|going to|next|scheduled|is due|are due|plans? to|expected to|"
                         r"set to|to be held|upcoming|later this)\b", re.I)


@dataclass(frozen=True, slots=True)
class Timex:
    start: int
    end: int
    type: str  # DATE, TIME, DURATION, SET
    value: str
    rule: str


@dataclass
class _Ctx:
    text: str
    anchor: dt.date | None
    anchor_year_only: int | None
    paragraph_year: dict[int, int]  # paragraph start -> latest explicit year seen so far (updated while scanning)
    last_day: dict[int, str]  # sentence start -> latest full date seen in it


def parse_anchor(value: str | None) -> dt.date | None:
    """The anchor date of an ISO 8601 publication date ("2014-03-16T17:47Z", "2014-03-16"); ``None`` when it has
    no full date ("--12-28", "2014-03")."""
    if not value:
        return None
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _month(name: str) -> int:
    key = name.lower().rstrip(".")
    return MONTHS[key] if key in MONTHS else MONTHS[key[:3]]


def _num(word: str) -> int | None:
    word = word.lower()
    if word in NUMBERS:
        return NUMBERS[word]
    try:
        return int(float(word))
    except ValueError:
        return None


def _looks_ahead(text: str, start: int, end: int) -> bool:
    """Whether the clause leading up to the expression looks ahead ("will meet on Monday"); a future verb after it
    ("announced Friday that it will ...") does not count."""
    return bool(FUTURE_CUES.search(text[_sentence_start(text, start):start]))


def _iso(d: dt.date) -> str:
    return d.isoformat()


def _week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _quarter(d: dt.date) -> int:
    return (d.month - 1) // 3 + 1


def _shift_months(d: dt.date, months: int) -> dt.date:
    m = d.month - 1 + months
    y = d.year + m // 12
    m = m % 12 + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


# --- normalisers, one per rule ---------------------------------------------------------------------------------

Handler = Callable[[re.Match[str], _Ctx], "tuple[str, str] | None"]


def _yearless(month: int, day: int | None, ctx: _Ctx, pos: int) -> str:
    year = ctx.paragraph_year.get(_paragraph_start(ctx.text, pos))
    if year is None and ctx.anchor is not None:
        year = ctx.anchor.year
        try:
            candidate = dt.date(year, month, day or 1)
            if (candidate - ctx.anchor).days > 45 and not _looks_ahead(ctx.text, pos, pos):
                year -= 1
        except ValueError:
            pass
    if year is None and ctx.anchor_year_only is not None:
        year = ctx.anchor_year_only
    y = f"{year:04d}" if year is not None else "XXXX"
    return f"{y}-{month:02d}" + (f"-{day:02d}" if day else "")


def _paragraph_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def h_full_date(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    g = m.groupdict()
    try:
        d = dt.date(int(g["y"]), _month(g["m"]), int(re.sub(r"\D", "", g["d"])))
    except (ValueError, KeyError):
        return None
    if g.get("t"):
        t = _clock(g["t"])
        if t:
            return "TIME", f"{d.isoformat()}T{t}"
    return "DATE", d.isoformat()


def h_iso(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    try:
        d = dt.date(int(m.group("y")), int(m.group("mo")), int(m.group("d")))
    except ValueError:
        return None
    return "DATE", d.isoformat()


def h_season(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    season = SEASONS[m.group("u").lower()]
    text = m.group(0).lower()
    y = ctx.anchor.year if ctx.anchor else None
    if y is not None and text.startswith("last"):
        y -= 1
    elif y is not None and text.startswith("next"):
        y += 1
    return "DATE", f"{y if y is not None else 'XXXX'}-{season}"


def h_annual(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    return "DURATION", "P1Y"  # "annual profit": MEANTIME's reading of the adjective


def h_the_day(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    return "DATE", ctx.anchor.isoformat() if ctx.anchor else "XXXX-XX-XX"


def h_short_year(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    yy = int(m.group("y"))
    return "DATE", f"{1900 + yy if yy > 30 else 2000 + yy}"


def h_short_decade(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    return "DATE", "19" + m.group("y")[0]


def h_us_date(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    y = int(m.group("y"))
    if y < 100:
        y += 2000 if y < 50 else 1900
    try:
        return "DATE", dt.date(y, int(m.group("mo")), int(m.group("d"))).isoformat()
    except ValueError:
        return None


def h_year_range(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    a, b = int(m.group("a")), int(m.group("b"))
    return ("DURATION", f"P{b - a}Y") if b > a else None


def h_year_part(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    if ctx.anchor is None:
        return "DATE", "XXXX"
    shift = {"last": -1, "next": 1}.get(m.group("rel").lower(), 0)
    return "DATE", str(ctx.anchor.year + shift)


def h_vague_duration(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    code = UNIT_CODE[m.group("u").lower().rstrip("s")]
    return "DURATION", f"PX{code}"


def h_month_day(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    day = int(re.sub(r"\D", "", m.group("d")))
    month = _month(m.group("m"))
    if day > calendar.monthrange(2000, month)[1]:
        return None
    return "DATE", _yearless(month, day, ctx, m.start())


def h_month_year(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    return "DATE", f"{int(m.group('y')):04d}-{_month(m.group('m')):02d}"


def h_month(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    return "DATE", _yearless(_month(m.group("m")), None, ctx, m.start())


def h_year(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    return "DATE", m.group("y")


def h_decade(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    return "DATE", m.group("y")[:3]


def h_quarter(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    q = ORDINALS.get(m.group("q").lower())
    if q is None:
        return None
    year = m.group("y")
    rel = (m.group("rel") or "").lower()
    if year:
        y = int(year)
    elif ctx.anchor is not None:
        y = ctx.anchor.year + (-1 if rel == "last" else 1 if rel == "next" else 0)
    else:
        return "DATE", f"XXXX-Q{q}"
    return "DATE", f"{y}-Q{q}"


def h_half(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    h = 1 if m.group("h").lower() == "first" else 2
    y = m.group("y") or (str(ctx.anchor.year) if ctx.anchor else "XXXX")
    return "DATE", f"{y}-H{h}"


def h_relative_day(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    word = m.group("w").lower()
    if ctx.anchor is None:
        return ("DATE", "PRESENT_REF") if word == "today" else None
    offset = {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0}[word]
    d = ctx.anchor + dt.timedelta(days=offset)
    if word == "tonight":
        return "TIME", f"{d.isoformat()}TNI"
    return "DATE", d.isoformat()


def h_weekday(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    wd = WEEKDAYS[m.group("wd").lower()]
    mod = (m.group("mod") or "").lower()
    part = (m.group("part") or "").lower()
    if ctx.anchor is None:
        value = f"XXXX-WXX-{wd + 1}"
    else:
        back = (ctx.anchor.weekday() - wd) % 7
        forward = (wd - ctx.anchor.weekday()) % 7
        if mod == "next" or (mod != "last" and _looks_ahead(ctx.text, m.start(), m.end()) and forward):
            d = ctx.anchor + dt.timedelta(days=forward or 7)
        elif mod == "last":
            d = ctx.anchor - dt.timedelta(days=back or 7)
        else:
            d = ctx.anchor - dt.timedelta(days=back)
        value = d.isoformat()
    if part in PARTS_OF_DAY:
        return "DATE", f"{value}T{PARTS_OF_DAY[part]}"
    return "DATE", value


def h_this_period(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    rel = m.group("rel").lower()
    unit = m.group("u").lower()
    if m.group(0).lower().startswith("the ") and rel == "past" and unit in UNIT_CODE:
        return "DURATION", f"P1{UNIT_CODE[unit]}"  # "the past year": a period, not a calendar year
    if unit == "decade":
        return ("DURATION", "P10Y") if rel == "past" else ("DATE", str(ctx.anchor.year)[:3] if ctx.anchor else "XXX")
    shift = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "this": 0, "current": 0}[rel]
    a = ctx.anchor
    if unit in SEASONS:
        y = (a.year if a else None)
        if y is None:
            return "DATE", f"XXXX-{SEASONS[unit]}"
        return "DATE", f"{y + shift}-{SEASONS[unit]}"
    if a is None:
        return ("DATE", "PRESENT_REF") if shift == 0 else None
    if unit == "year":
        return "DATE", str(a.year + shift)
    if unit == "month":
        return "DATE", _shift_months(a, shift).strftime("%Y-%m")
    if unit == "week":
        return "DATE", _week(a + dt.timedelta(weeks=shift))
    if unit == "weekend":
        return "DATE", _week(a + dt.timedelta(weeks=shift)) + "-WE"
    if unit == "quarter":
        q = _quarter(a) + shift
        y = a.year + (q - 1) // 4
        return "DATE", f"{y}-Q{(q - 1) % 4 + 1}"
    if unit in ("morning", "afternoon", "evening"):
        return "DATE", f"{a.isoformat()}T{PARTS_OF_DAY[unit]}"
    return None


def h_ago(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    n = _num(m.group("n"))
    unit = m.group("u").lower().rstrip("s").replace("centurie", "century")
    if ctx.anchor is None or n is None:
        return "DATE", "PAST_REF"
    a = ctx.anchor
    if unit == "day":
        return "DATE", (a - dt.timedelta(days=n)).isoformat()
    if unit == "week":
        return "DATE", _week(a - dt.timedelta(weeks=n))
    if unit == "month":
        return "DATE", _shift_months(a, -n).strftime("%Y-%m")
    if unit == "year":
        return "DATE", str(a.year - n)
    if unit == "decade":
        return "DATE", str(a.year - 10 * n)[:3]
    return "DATE", "PAST_REF"


def h_duration(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    n_word = m.group("n").lower()
    unit = m.group("u").lower().rstrip("s").replace("centurie", "century")
    if unit == "second" and not m.group("u").lower().endswith("s") and not n_word[:1].isdigit():
        return None  # "a second A380": an ordinal
    code = UNIT_CODE.get(unit)
    if code is None:
        return None
    n = "X" if n_word in VAGUE else _num(n_word)
    if n is None:
        return None
    if unit in ("hour", "minute", "second"):
        return "DURATION", f"PT{n}{code}"
    if unit == "quarter":
        return "DURATION", f"P{n * 3 if n != 'X' else 'X'}M"
    return "DURATION", f"P{n}{code}"


def h_set(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    word = m.group(0).lower()
    for key, code in (("day", "P1D"), ("dai", "P1D"), ("week", "P1W"), ("month", "P1M"), ("year", "P1Y"),
                      ("annual", "P1Y"), ("quarter", "P3M")):
        if key in word:
            return "SET", code
    return None


def h_ref(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    word = m.group(0).lower()
    if "past" in word or word in ("recently", "previously", "formerly"):
        return "DATE", "PAST_REF"
    if "future" in word or word == "soon":
        return "DATE", "FUTURE_REF"
    return "DATE", "PRESENT_REF"


def h_time(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    raw = m.group("t")
    t = _clock(raw)
    if t is None:
        return None
    day = ctx.last_day.get(_sentence_start(ctx.text, m.start())) or (ctx.anchor.isoformat() if ctx.anchor
                                                                      else "XXXX-XX-XX")
    zone = "Z" if re.search(r"\b(?:GMT|UTC)\b", raw) else ""
    return "TIME", f"{day}T{t}{zone}"


def _sentence_start(text: str, pos: int) -> int:
    return max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos)) + 1


def _clock(raw: str) -> str | None:
    raw = raw.strip().lower()
    if re.match(r"^\d{4}\b", raw):
        raw = f"{raw[:2]}:{raw[2:]}"
    m = re.match(r"(\d{1,2})(?:[:.](\d{2}))?\s*([ap])?", raw)
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if m.group(3) == "p" and hour < 12:
        hour += 12
    if m.group(3) == "a" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def h_part_of_day(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    part = m.group("part").lower()
    day = ctx.anchor.isoformat() if ctx.anchor else "XXXX-XX-XX"
    return "DATE", f"{day}T{PARTS_OF_DAY[part]}"


# --- patterns, longest first at the same start; earlier entries win ties -----------------------------------------

_B = r"(?<![\w-])"
_E = r"(?![\w-])"
PATTERNS: list[tuple[str, re.Pattern[str], Handler]] = [
    ("full-date-time", re.compile(_B + r"(?:" + _WD + r"|Mon|Tue|Wed|Thu|Fri|Sat|Sun)?,?\s*(?P<m>" + _M + r")\s+(?P<d>"
                                  + _DAY + r")\s*,?\s+(?P<y>" + _YEAR + r")(?:\s*,?\s+(?:at\s+)?(?P<t>" + _TIME + r"))"
                                  + _E),
     h_full_date),
    ("full-date", re.compile(_B + r"(?P<m>" + _M + r")\s+(?P<d>" + _DAY + r")\s*,?\s+(?P<y>" + _YEAR + r")" + _E),
     h_full_date),
    ("full-date-dmy", re.compile(_B + r"(?P<d>" + _DAY + r")\s+(?:of\s+)?(?P<m>" + _M + r")\s*,?\s+(?P<y>" + _YEAR
                                 + r")" + _E), h_full_date),
    ("us-date", re.compile(_B + r"(?P<mo>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])/(?P<y>(?:19|20)?\d\d)" + _E),
     h_us_date),
    ("year-range", re.compile(r"(?i:" + _B + r"(?:from|between)\s+(?P<a>" + _YEAR + r")\s+(?:to|and|until|through)\s+"
                              r"(?P<b>" + _YEAR + r")" + _E + r")"), h_year_range),
    ("year-part", re.compile(r"(?i:" + _B + r"(?:the\s+)?(?:beginning|start|end|middle|rest|remainder)\s+of\s+"
                             r"(?P<rel>the|this|last|next)\s+year" + _E + r")"), h_year_part),
    ("vague-duration", re.compile(r"(?i:" + _B + r"(?:over\s+the|in\s+recent|for|in\s+the\s+coming)\s+(?P<u>years|"
                                  r"months|weeks|days|decades)" + _E + r")"), h_vague_duration),
    ("rate-set", re.compile(r"(?i:(?<=\d )(?:a|per)\s+(?P<u>year|month|week|day)" + _E + r")"), h_set),
    ("iso-date", re.compile(_B + r"(?P<y>" + _YEAR + r")-(?P<mo>[01]\d)-(?P<d>[0-3]\d)" + _E), h_iso),
    ("month-day", re.compile(_B + r"(?P<m>" + _M + r")\s+(?P<d>" + _DAY + r")" + _E + r"(?!\s*%)"), h_month_day),
    ("day-month", re.compile(_B + r"(?P<d>" + _DAY + r")\s+(?:of\s+)?(?P<m>" + _M + r")" + _E), h_month_day),
    ("month-year", re.compile(_B + r"(?:(?:early|mid|late|the\s+(?:beginning|start|end|middle)\s+of)[\s-]+)?(?P<m>"
                              + _M + r")\s*,?\s+(?:of\s+)?(?P<y>" + _YEAR + r")" + _E), h_month_year),
    ("quarter", re.compile(r"(?i:" + _B + r"(?:the\s+)?(?:(?P<rel>last|next|this|same)\s+)?(?P<q>first|second|third|"
                           r"fourth|1st|2nd|3rd|4th|final)[\s-]+quarter(?:\s+of\s+(?:(?P<y>" + _YEAR + r")|this\s+year|"
                           r"the\s+year))?" + _E + r")"), h_quarter),
    ("half", re.compile(r"(?i:" + _B + r"the\s+(?P<h>first|second)\s+half\s+of\s+(?:(?P<y>" + _YEAR + r")|this\s+year|"
                        r"the\s+year)" + _E + r")"), h_half),
    ("decade", re.compile(r"(?i:" + _B + r"(?:the\s+)?(?:early\s+|mid-?|late\s+)?(?P<y>1[89]\d0|20[0-9]0)'?s"
                          + _E + r")"), h_decade),
    ("ago", re.compile(r"(?i:" + _B + r"(?P<n>" + _NUM + r")\s+(?P<u>" + _UNIT + r")\s+ago" + _E + r")"), h_ago),
    ("this-period", re.compile(r"(?i:" + _B + r"(?:the\s+)?(?P<rel>last|past|previous|next|coming|this|current)\s+"
                               r"(?P<u>year|month|week|weekend|quarter|decade|spring|summer|autumn|fall|winter|"
                               r"morning|afternoon|evening)" + _E + r")"), h_this_period),
    ("weekday", re.compile(_B + r"(?:(?P<mod>(?i:last|next|this))\s+)?(?P<wd>" + _WD + r")(?:\s+(?P<part>(?i:morning|"
                           r"afternoon|evening|night)))?" + _E), h_weekday),
    ("relative-day", re.compile(r"(?i:" + _B + r"(?P<w>today|yesterday|tomorrow|tonight)" + _E + r")"),
     h_relative_day),
    ("duration", re.compile(r"(?i:" + _B + r"(?:the\s+(?:past|last|next|first|previous)\s+)?(?P<n>" + _NUM
                            + r")(?:\s+(?:straight|consecutive|trading|full|business|working|calendar))?(?:\s+|-)(?P<u>"
                            + _UNIT + r")" + _E + r")"), h_duration),
    ("single-unit", re.compile(r"(?i:" + _B + r"(?P<n>single|one)-(?P<u>day|week|month|year)" + _E + r")"), h_duration),
    ("annual", re.compile(r"(?i:" + _B + r"annual" + _E + r")"), h_annual),
    ("the-day", re.compile(r"(?i:" + _B + r"(?:the\s+same|that\s+same|the|that)\s+day" + _E
                           + r"(?!\s+(?:before|after|of)))"), h_the_day),
    ("bare-units", re.compile(r"(?i:(?<=\bfor )|(?<=\bin )|(?<=within )|(?<=\bover )|(?<=\bfor the past ))"
                              r"(?P<u>minutes|hours|days|weeks|months|years|decades)" + _E), h_vague_duration),
    ("season", re.compile(r"(?:" + _B + r"(?:(?i:last|next|this|in|early|late)\s+)?)(?P<u>Spring|Summer|Autumn|Fall|"
                          r"Winter|(?<=in )(?:spring|summer|autumn|winter))" + _E), h_season),
    ("short-year", re.compile(r"(?<![\w’'])['’](?P<y>\d\d)" + _E), h_short_year),
    ("short-decade", re.compile(_B + r"(?:the\s+)?(?P<y>[1-9]0)'?s" + _E), h_short_decade),
    ("bare-month", re.compile(r"(?<![.!?]\s)(?<!^)(?<!\n)(?P<m>January|February|April|June|July|August|September|"
                              r"October|November|December)" + _E + r"(?!\s+\d)"), h_month),
    ("set", re.compile(r"(?i:" + _B + r"(?:every|each|per)\s+(?:day|week|month|year|quarter)|annually|daily|"
                       r"weekly|monthly|yearly|quarterly" + _E + r")"), h_set),
    ("ref", re.compile(r"(?i:" + _B + r"(?:now|at present|nowadays|recently|in the past(?!\s+(?:\w+\s+)?(?:year|"
                       r"month|week|decade|day)s?\b)|in the future|soon)" + _E + r")"), h_ref),
    ("clock", re.compile(_B + r"(?P<t>" + _TIME + r")" + _E), h_time),
    ("part-of-day", re.compile(r"(?i:" + _B + r"(?:this|yesterday|tomorrow)\s+(?P<part>morning|afternoon|evening)"
                               + _E + r")"), h_part_of_day),
    ("year-mod", re.compile(r"(?i:" + _B + r"(?:early|mid|late|the\s+(?:beginning|start|end|middle|first\s+half|"
                            r"second\s+half)\s+of)[\s-]+)(?P<y>" + _YEAR + r")" + _E), h_year),
    ("year", re.compile(r"(?<![\w$£€.,/-])(?<!\d,)(?P<y>" + _YEAR + r")(?![\w%/-])(?!,\d)(?!\.\d)"), h_year),
    ("month", re.compile(r"(?:" + _B + r"(?:early|mid|late|the\s+(?:beginning|start|end|middle)\s+of|last|next|this)"
                         r"[\s-]+|(?i:(?<=\bin )|(?<=\bby )|(?<=since )|(?<=until )|(?<=through )|(?<=\bof )))"
                         r"(?P<m>January|February|March|April|May|June|July|August|September|October|November|"
                         r"December)" + _E), h_month),
]
_PRIORITY = {name: i for i, (name, _, _) in enumerate(PATTERNS)}
#: what every match of a rule contains: the rule is not run over a text without it (a clock time is rare in news
#: text, and the full date-and-time rule is the slowest to run over a text that has none)
_NEEDS = {"full-date-time": re.compile(_TIME)}
#: rules whose value has a year printed in the text: they set the year of yearless dates after them
EXPLICIT_YEAR_RULES = {"full-date-time", "full-date", "full-date-dmy", "iso-date", "us-date", "month-year",
                       "year-mod", "year", "short-year"}


def tag_times(text: str, anchor: str | None = None) -> list[Timex]:
    """All time expressions in ``text`` in order, normalised against ``anchor`` (the publication date, ISO 8601,
    possibly partial)."""
    anchor_date = parse_anchor(anchor)
    year_only = None
    if anchor and anchor_date is None:
        m = re.match(r"^(\d{4})", anchor)
        year_only = int(m.group(1)) if m else None
    found: list[tuple[int, int, int, str, re.Match[str], Handler]] = []
    for name, pattern, handler in PATTERNS:
        needs = _NEEDS.get(name)
        if needs is not None and not needs.search(text):
            continue
        for m in pattern.finditer(text):
            if m.end() > m.start():
                found.append((m.start(), -(m.end() - m.start()), _PRIORITY[name], name, m, handler))
    found.sort(key=lambda x: (x[0], x[1], x[2]))
    chosen: list[tuple[str, re.Match[str], Handler]] = []
    taken_until = -1
    for start, neg_len, _, name, m, handler in found:
        if start < taken_until:
            continue
        chosen.append((name, m, handler))
        taken_until = start - neg_len
    ctx = _Ctx(text, anchor_date, year_only, {}, {})
    out: list[Timex] = []
    for name, m, handler in chosen:
        result = handler(m, ctx)
        if result is None:
            continue
        type_, value = result
        start, end = m.start(), m.end()
        out.append(Timex(start, end, type_, value, name))
        year = re.match(r"^(\d{4})(?:-|$)", value)
        if year and type_ in ("DATE", "TIME") and name in EXPLICIT_YEAR_RULES:
            ctx.paragraph_year[_paragraph_start(text, start)] = int(year.group(1))
        if re.match(r"^\d{4}-\d{2}-\d{2}$", value):
            ctx.last_day[_sentence_start(text, start)] = value
    return out
