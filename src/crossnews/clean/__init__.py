"""Stage 2 — clean: tell the article from page furniture, and read the metadata.

Entry function: :func:`clean` turns one :class:`~crossnews.ingest.RawInput` into a
:class:`~crossnews.records.Document`. Nothing is thrown away: the document text is the whole input (for plain
text, the decoded file content exactly; for HTML, the visible text of the page, one block a line), the article is
the ``body`` span, and every span cleaning takes out is recorded in ``removed`` with a reason.

The evidence is general: the shape of each line (length, final punctuation, capitalisation), its position
before or after the run of prose, link-like and call-to-action wording, dates, bylines, datelines, and lines that
repeat across documents of the same site (:class:`SiteLines`). HTML main text comes from trafilatura.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from crossnews.clean.metadata import (
    DateStamp,
    best_stamp,
    caption_date,
    find_outlet,
    format_iso,
    host_spelled_name,
    infer_year,
    is_relative_stamp,
    match_dateline,
    month_day,
    names_outlet,
    numeric_order,
    outlet_for_domain,
    parse_absolute,
    read_date_stamps,
    read_relative_stamp,
    site_domain,
    url_date,
    url_slug,
)
from crossnews.core.errors import InputError
from crossnews.core.records import (
    Document,
    MetadataEvidence,
    PublishedEvidence,
    RemovedSpan,
    Span,
    blank_outside,
    unwrap,
)
from crossnews.core.registry import register
from crossnews.ingest import RawInput, content_hash, stable_id

__all__ = ["clean", "CleanMemo", "SiteLines", "Line", "split_lines", "body_text", "article_text",
           "date_from_collection"]


@dataclass(frozen=True, slots=True)
class Line:
    """One non-blank line: ``[start, end)`` without surrounding whitespace."""

    start: int
    end: int
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text``, stripped; the lines of a hard-wrapped paragraph are one line (its text has a
    space where ``text`` breaks the line: :func:`~crossnews.core.records.unwrap`)."""
    out = []
    for m in re.finditer(r"[^\r\n]+", unwrap(text)):
        raw = m.group(0)
        stripped = raw.strip()
        if not stripped:
            continue
        lead = len(raw) - len(raw.lstrip())
        start = m.start() + lead
        out.append(Line(start, start + len(stripped), stripped))
    return out


def norm_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


@dataclass
class SiteLines:
    """Lines seen in several documents of the same site: evidence of furniture (menus, banners, sign-offs)."""

    docs_per_line: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, site: str | None, lines: Iterable[str]) -> None:
        if site:
            self.docs_per_line[site].update({norm_line(t) for t in lines})

    def repeated(self, site: str | None, line: str) -> bool:
        return site is not None and self.docs_per_line.get(site, Counter())[norm_line(line)] >= 2


# --- line features ----------------------------------------------------------------------------------------------

# a full sentence inside the line: a word, its stop and a space ("... on Monday. — ")
_INNER_STOP = re.compile(r"\b\w{3,}[.!?…][\"'”’»“‘«)\]]*\s")
_SENT_END = re.compile(r"[.!?…][\"'”’»“‘«)\]]*$|[\"”’»]$")  # a stray opening mark after the stop still ends it
_CTA_ANYWHERE = re.compile(
    r"\b(donat(?:e|ion|ions)|newsletters?|mailing list|subscri(?:be|ption)|sign (?:up|in)|log ?in|cookies?|"
    r"privacy policy|terms of (?:use|service)|follow us|share (?:this|on)|click here|"
    r"read more|download (?:our|the) app|advertisements?|sponsored)\b|©|\(c\) ?\d{4}",
    re.I,
)
_LEGAL = re.compile(r"©|\(c\) ?\d{4}|\ball rights reserved\b", re.I)
# Sentences that address the reader to act on the site itself: calls to action even when well punctuated.
_CTA_SENTENCE = re.compile(
    r"^(?:subscribe (?:now|today|to)|sign up (?:to|for|now|today)|log in to|follow (?:us|@|[A-Z][\w.]*(?: [A-Z][\w.]*)*"
    r" on (?:twitter|facebook|instagram|x|telegram|linkedin|youtube|tiktok))|download (?:our|the) \w+ app|"
    r"click (?:here|the)|submit your (?:letter|story|tip|comment)|"
    # a site's notices about the reader's browser and its cookies
    r"(?:it )?looks like you(?:'|’)re using (?:a|an) [\w -]{0,20}browser|you(?:'|’)re using (?:a|an) "
    r"(?:outdated|unsupported|old(?:er)?) browser|thank you for visiting [\w.-]+\. you are using a browser|"
    r"(?:please )?(?:upgrade|update) your browser|to improve your "
    r"(?:visit|experience)|(?:javascript|cookies) (?:is|are) (?:disabled|required|not enabled)|"
    r"(?:we|this (?:site|website)) uses? cookies|by (?:using|continuing to use) (?:this|our) (?:site|website)|"
    r"we want to hear (?:from you|what you think)|"
    r"to (?:view|read|continue reading) the full (?:story|article)|if you(?:'|’)re seeing this|"
    r"please (?:subscribe|log in|sign in|sign up|support|donate|enable|disable|turn off)|"
    r"(?:share|like) (?:this|us on)|become a (?:member|subscriber|patron)|support (?:our|independent) journalism|"
    r"for (?:the )?(?:latest|more) (?:news|stories|updates)\b[^.!?]{0,80}\b(?:download|follow|subscribe|sign up|join)"
    r"\b|"
    r"(?:[\w.'’ -]{1,40} )?is (?:reader|audience)-supported|(?:[\w.'’ -]{1,40} )?is supported by (?:its|our) "
    r"(?:audience|readers)|when you buy (?:something )?(?:through|via|using) (?:links|a link))",
    re.I,
)
_CTA_START = re.compile(
    r"^(subscribe|sign up|sign in|log in|register|join|donate|support|follow|share|click|tap|read (?:more|also)|"
    r"see also|download|get (?:the|our)|watch|listen|advertisement|sponsored|related|more from|recommended|"
    r"most (?:read|popular)|trending|comments?|leave a comment|print|email|tags?:|skip to|jump to|"
    r"continue reading)\b",
    re.I,
)
_TIMESTAMP_LABEL = re.compile(r"^(updated|published|posted|last updated|modified|created)(\s+(at|on))?\s*:?\s*", re.I)
_INITIALS = re.compile(r"^\(?[A-Z]{2,4}(?:\s*/\s*[A-Z]{2,4})+\)?\.?$")
_BYLINE = re.compile(
    r"^(?i:by|written by|text by|from)\s+[A-Z][\w'’.-]+(?:\s+(?!And\b)[A-Z][\w'’.-]+){0,4}"
    r"(?:\s*(?:,|(?i:and)|&)\s*.*)?$"
)
_CREDITS = re.compile(r"^\(?(?:reporting|writing|editing|additional reporting|compiled) by\b", re.I)
_DOMAIN = re.compile(r"\b([A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)*\.(?:org|com|net|info|news|ru|ir|uk|io|tv))\b")


def _ends_sentence(text: str) -> bool:
    return bool(_SENT_END.search(text))


def _is_cta(line: Line) -> bool:
    """Call-to-action or site-chrome wording: donate, subscribe, newsletter, share, cookies, copyright..."""
    if _is_legal(line):
        return True
    if line.words <= 20 and _CTA_ANYWHERE.search(line.text):
        return True
    return line.words <= 12 and bool(_CTA_START.match(line.text)) and not line.text.endswith(".")


def _is_legal(line: Line) -> bool:
    return line.words <= 40 and bool(_LEGAL.search(line.text))


def _is_cta_sentence(line: Line) -> bool:
    return line.words <= 60 and bool(_CTA_SENTENCE.match(line.text))


def _sentence_like(line: Line) -> bool:
    """A sentence of running text: ends like one and has lowercase words (so a CTA word in it is incidental)."""
    lowers = sum(1 for w in line.text.split() if w[:1].islower())
    return line.words >= 5 and _ends_sentence(line.text) and lowers >= 3 and not line.text.endswith("!")


def _is_prose(line: Line) -> bool:
    if _is_legal(line) or _is_cta_sentence(line) or _INITIALS.match(line.text):
        return False
    if _is_cta(line) and not _sentence_like(line):
        return False
    # words in running-text case: lower case, or a caseless script (Arabic, Hebrew, CJK...) where no word is capital
    lowers = sum(1 for w in line.text.split()
                 if w[:1].islower() or (w[:1].isalpha() and w[:1].upper() == w[:1].lower()))
    return (line.words >= 6 and lowers >= 2 and (_ends_sentence(line.text) or bool(_INNER_STOP.search(line.text)))
            or line.words >= 20)


# a caption's closing credit: "... (Reuters)", "(Picture: Reuters)", "(AFP via Getty Images)", "REUTERS/Phil Noble",
# "— Reuters pic", "Photo: kp.ru", "File photo by Jane Roe/EPA"
_PHOTO_CREDIT = re.compile(
    r"(?:\((?i:[^()]*\b(?:photo|picture|image|pic|getty images|via|courtesy)\b[^()]*)\)"
    r"|\b(?:REUTERS|AFP|AP|EPA|EFE|EPA-EFE|GETTY|XINHUA|TASS|SPUTNIK|RIA|ANADOLU|AA|UPI|PTI|ANI|IANS|DPA|ANSA|KCNA"
    r"|YONHAP|KYODO|ZUMA|SIPA|NURPHOTO|SHUTTERSTOCK|BLOOMBERG|POOL)\s*/\s*[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}"
    r"|[—–-]\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?\s+pic"
    r"|\b(?i:photo|picture|image)s?(?i:\s+credits?)?\s*:\s*[^.:]{1,60}"
    r"|\b(?i:file photo by)\b[^.]{1,80}"
    r"|(?i:\bcredits?)\s*(?:\.\.\.|…|:)\s*[A-Z][^.…]{1,80})\s*\.?$"  # "... Calif.Credit...Jane Roe/Reuters"
)
# menus glued together by a scraper ("FinancialGovernment SolutionsLegal..."): three words with a capital inside
# (one or two are names: YouTube, WhatsApp, MacArthur)
_GLUED = re.compile(r"\b[A-Z][a-z]{2,}[A-Z][a-z]{2,}")
_CODE = re.compile(r"[{}].*[:;]|[:;].*[{}]|</?[a-z]+[ >]")
_KICKER_SPLIT = re.compile(r"\s*(?:\||›|»|\s>\s|\s/\s)\s*")


# before the article, a sentence closed by a name in brackets is a caption too ("... in Gaza City. (Reuters)")
_NAME_CREDIT = re.compile(r"(?<=[.!?])\s*\([A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,3}\)\s*$")


def _is_caption(line: Line, *, leading: bool = False) -> bool:
    """A photo caption: text that ends with a photo credit; ``leading`` (before the article), also a sentence
    closed by a bare name in brackets."""
    return line.words <= 80 and bool(_PHOTO_CREDIT.search(line.text) or leading and _NAME_CREDIT.search(line.text))


def _is_widget(line: Line) -> bool:
    """Page machinery scraped as text: menus glued together, a dump of icon names or tags (20+ words in lower
    case with no punctuation at all), style sheets or markup."""
    if len(_GLUED.findall(line.text)) >= 3 and not _ends_sentence(line.text):
        return True
    if line.words >= 20 and line.text[:1].islower() and not re.search(r"[.!?,;:\"“”()]", line.text):
        return True
    return bool(_CODE.search(line.text)) and not _sentence_like(line)


def _is_kicker(text: str) -> bool:
    """A kicker or breadcrumb: short parts between separators ("Live blog update | War on Gaza", "World › Europe")."""
    parts = [p for p in _KICKER_SPLIT.split(text) if p.strip()]
    return len(parts) >= 2 and len(text.split()) <= 12 and all(len(p.split()) <= 5 for p in parts) \
        and not _ends_sentence(text)


def _is_label(text: str) -> bool:
    """A section label: short, no sentence punctuation, all capitals or every longer word capitalised."""
    words = text.split()
    if not words or len(words) > 6 or _ends_sentence(text):
        return False
    if text.upper() == text and any(c.isalpha() for c in text):
        return True
    longer = [w for w in words if len(re.sub(r"\W", "", w)) >= 4]
    return bool(longer) and all(w[:1].isupper() or not w[:1].isalpha() for w in longer)


# --- the layout of a plain-text page -----------------------------------------------------------------------------


@dataclass
class _Layout:
    text: str
    lines: list[Line]
    removed: list[RemovedSpan] = field(default_factory=list)
    evidence: list[MetadataEvidence] = field(default_factory=list)
    body: Span = Span(0, 0)
    title: str | None = None
    title_how: str = "text: headline line"  # how the headline line was told: the evidence's method
    lede: Span | None = None
    dateline: str | None = None
    dateline_date: tuple[str, Span] | None = None
    agency: str | None = None
    agency_span: Span | None = None
    outlet_lines: list[Line] = field(default_factory=list)
    credit: tuple[str, Span, str] | None = None  # a wire or outlet credited in a byline or sign-off: name, span, how
    date_line: tuple[DateStamp, Span] | None = None  # the publication stamp chosen among ``stamps``
    stamp_above_title: bool = False  # the chosen stamp is printed above the headline
    stamp_far_above: bool = False  # ... three lines or more above it (or above the article, no headline): a banner?
    stamps: list[tuple[int, Line, list[DateStamp]]] = field(default_factory=list)  # stamp lines near the top
    caption_date: tuple[str, Span] | None = None  # a date closing a photo caption near the top (weak)
    author: str | None = None
    furniture_domains: list[str] = field(default_factory=list)

    def remove(self, line: Line, reason: str, detail: str = "") -> None:
        self.removed.append(RemovedSpan(line.start, line.end, reason, detail))


#: a line under the headline of this many words or more is a standfirst, analysed as article text unless the body
#: repeats it; a shorter one is a second headline ("Russia denies involvement in spy poisoning; troops sent to
#: investigate"), metadata
STANDFIRST_WORDS = 16


def _restated(line: str, body: str) -> bool:
    """Whether a paragraph of ``body`` holds nine in ten of the words of ``line`` (of three letters or more): a
    standfirst the article restates ("According to Sergey Lavrov, ..." / "According to Lavrov, ...")."""
    words = {w.lower() for w in re.findall(r"\w{3,}", line)}
    if not words:
        return True
    return any(len(words & {w.lower() for w in re.findall(r"\w{3,}", para)}) >= 0.9 * len(words)
               for para in body.split("\n") if para.strip())


def _layout_text(text: str, lines: list[Line], *, site: str | None, site_lines: SiteLines | None,
                 kept: list[bool] | None = None,
                 date_line: Callable[[str], list[DateStamp] | None] = read_date_stamps,
                 headline: str | None = None, slug: frozenset[str] = frozenset()) -> _Layout:
    """Classify lines. ``kept`` (HTML) marks the lines the main-text extractor kept; without it (plain text),
    the body is the run of prose lines. ``date_line``: :func:`~crossnews.clean.metadata.read_date_stamps`, or a
    memo of it. ``headline``: the headline the page's markup gives (HTML), which then is the header's title line
    when the header prints it (the lede follows it; a line before it is not the title). ``slug``: the words of the
    URL's headline slug (:func:`~crossnews.clean.metadata.url_slug`); in plain text, the header line that says
    them is the headline."""
    layout = _Layout(text, lines)
    prose_headline: int | None = None
    slug_at: int | None = None
    if kept is not None:
        body_idx = [i for i, k in enumerate(kept) if k]
    else:
        body_idx = [i for i, line in enumerate(lines) if _is_prose(line) and not _is_widget(line)]
        # the article does not start with a photo caption, and one among its first lines is not the prose that
        # tells the header from the article (a caption between a standfirst and the byline)
        body_idx = [i for k, i in enumerate(body_idx) if not (k < 3 and _is_caption(lines[i], leading=True))]
        prose_headline = _header_prose(lines, body_idx, date_line)
        if slug and body_idx and (at := _slug_line(lines, body_idx[0], slug, date_line)) is not None:
            if at < body_idx[0]:
                slug_at = at
            elif (after := sum(1 for i in body_idx if i > at)) >= 1 \
                    and (after >= 3 or at < body_idx[0] + TOP_REACH) \
                    and (skipped := sum(lines[i].words for i in body_idx if i < at)) <= SKIP_WORDS \
                    and sum(lines[i].words for i in body_idx if i > at) >= skipped \
                    and lines[at].words <= 25 and not lines[at].text.endswith("."):
                # the headline is below some prose (a promotion, a teaser, a menu's blurbs), or reads as a
                # sentence itself; the article starts after it, if most of the prose does and what it passes
                # over is short (a paragraph that says the slug's words is the article's own: it ends with a full
                # stop; a link to a related story comes after the article)
                slug_at = at
                body_idx = [i for i in body_idx if i > at]
    if not body_idx:
        raise InputError("", f"no article text found: all {len(lines)} lines look like page furniture")
    first, last = body_idx[0], body_idx[-1]
    if kept is None:
        last = _end_of_article(lines, body_idx, last)
    # A dateline paragraph shortly after the first prose line (among the first three paragraphs of prose, a
    # tagline and a standfirst before it) marks where the article starts.
    window = range(first, min(first + 4, last + 1)) if kept is not None else [i for i in body_idx if i <= last][:3]
    for j in window:
        if match_dateline(lines[j].text, title_case=True):
            first = j
            break

    def repeated(line: Line) -> bool:
        return site_lines is not None and line.words <= 12 and site_lines.repeated(site, line.text)

    # Header: everything before the body.
    header_unclassified: list[int] = []
    headline_key = norm_line(headline) if headline else None
    headline_at: int | None = None
    for i in range(first):
        line = lines[i]
        if headline_at is None and headline_key is not None and norm_line(line.text) == headline_key:
            headline_at = i
            header_unclassified.append(i)
        elif (stamps := date_line(line.text)) and _beside_weather(lines, i):
            layout.remove(line, "furniture:navigation", "today's date beside the weather in the page's header")
        elif stamps:
            layout.stamps.append((i, line, stamps))
        elif _is_widget(line):
            layout.remove(line, "furniture:navigation", "page machinery scraped as text (menu, icons, code)")
        elif _is_caption(line, leading=True):
            layout.remove(line, "furniture:caption", "a photo caption (it ends with a photo credit)")
        elif _TIMESTAMP_LABEL.match(line.text) and line.words <= 8:
            layout.remove(line, "furniture:timestamp-label", "a time-stamp label with no usable date")
        elif _is_cta(line) or _is_cta_sentence(line):
            layout.remove(line, "furniture:call-to-action", "call-to-action wording (donate, subscribe, join...)")
            layout.furniture_domains += _DOMAIN.findall(line.text)
        elif (line.words <= 5 and names_outlet(line.text)
              or line.words <= 3 and _is_label(line.text) and _repeated_in(lines[:first], line)) \
                and not _ends_sentence(line.text):
            # (a longer or sentence-case line printed twice above the article is a headline shown twice)
            layout.outlet_lines.append(line)
            layout.remove(line, "metadata:outlet", "the outlet's name")
        elif (byline := _read_byline(line)) is not None:
            _take_byline(layout, line, byline)
        elif repeated(line):
            layout.remove(line, "furniture:repeated-across-site", f"also in other documents of {site}")
        elif _is_label(line.text) and line.words <= 6 or _is_kicker(line.text):
            layout.remove(line, "furniture:section-label", "a short label in title case or capitals")
        elif line.words <= 3 and not _ends_sentence(line.text):
            layout.remove(line, "furniture:navigation", "a short link-like line before the article")
        else:
            header_unclassified.append(i)
    title_at = headline_at
    if title_at is None and slug_at is not None:
        # the line the URL's slug says is the headline, whatever the header pass took it for; unless it is a
        # standfirst (a sentence closed by a full stop) under a line that reads as a headline: the slug was cut
        # from the standfirst
        if slug_at > 0 and _full_stop(lines[slug_at].text) and _headline_like(lines[slug_at - 1], 3) \
                and not date_line(lines[slug_at - 1].text) and _read_byline(lines[slug_at - 1]) is None:
            slug_at -= 1
        title_at = slug_at
        layout.removed = [r for r in layout.removed if r.start != lines[slug_at].start]
        layout.stamps = [s for s in layout.stamps if s[0] != slug_at]
        header_unclassified = sorted({*header_unclassified, slug_at})
    if title_at is None:
        candidates = [i for i in header_unclassified if i == prose_headline
                      or lines[i].words >= 3 and not lines[i].text.endswith(".")]
        reasons = {r.start: r.reason for r in layout.removed}
        # a photo's alt text, printed again as its caption with a credit ("Fires have been raging across Australia" /
        # "Fires have been raging across Australia. Picture: PA"), is no headline
        captions = [norm_line(lines[k].text) for k in range(first)
                    if reasons.get(lines[k].start) == "furniture:caption"]
        candidates = [i for i in candidates if not any(c.startswith(norm_line(lines[i].text)) for c in captions)]
        # the headline stands above the byline and the date stamp: below a page's menus, the candidate nearest
        # above the first of them (else the first candidate)
        stamp_rows = {k for k, _, _ in layout.stamps}
        marks = [i for i in range(first) if i in stamp_rows or reasons.get(lines[i].start) == "metadata:byline"]
        above = [i for i in candidates if marks and i < marks[0]]
        above = [i for i in above if not _ends_sentence(lines[i].text)] or above  # (not a standfirst under it)
        # a date stamp printed above the headline, the byline under it: the candidate between them
        under_stamp = [i for i in candidates if len(marks) >= 2 and marks[0] in stamp_rows and marks[0] < i
                       and i < next((m for m in marks if m > marks[0] and m not in stamp_rows), first)]
        if under_stamp and kept is None:
            title_at = under_stamp[0]
        elif above and kept is None:
            # the headline and the lines of its deck run down to the byline ("Chef and guru lead plea ..." / "MPs
            # adding pressure ..." / "Vote will soon ..."): the first of the run, where no menu line parts them
            title_at = above[-1]
            for i in reversed(above[:-1]):
                if any(reasons.get(lines[k].start, "") in _MENU_REASONS for k in range(i + 1, title_at)) \
                        or not _headline_like(lines[i]) or _BREADCRUMB.search(lines[i].text) or _is_cta(lines[i]):
                    break
                title_at = i
        else:
            title_at = candidates[0] if candidates else None
    if title_at is None and kept is None:
        title_at = _short_headline(lines, first, layout.removed, {i for i, _, _ in layout.stamps})
        if title_at is not None:
            layout.removed = [r for r in layout.removed if r.start != lines[title_at].start]
            header_unclassified = sorted({*header_unclassified, title_at})
    for i in header_unclassified:
        line = lines[i]
        if headline_at is not None and i < headline_at:
            layout.remove(line, "furniture:outside-body", "a line before the headline")
        elif layout.title is None and i == title_at:
            layout.title = line.text
            if i == slug_at:
                layout.title_how = "text: headline line (it says the URL's slug)"
            layout.remove(line, "metadata:title", "headline")
        elif layout.title is not None and norm_line(line.text) == norm_line(layout.title):
            # the headline printed again (a breadcrumb's last item, then the page's own headline): no lede
            layout.remove(line, "furniture:repeated-headline", "the headline printed again")
        elif layout.title is not None and layout.lede is None and line.words >= 10 \
                and not _is_author_note(line, lines[:first]):
            layout.lede = Span(line.start, line.end)
            layout.remove(line, "metadata:lede", "standfirst / lede")
        else:
            layout.remove(line, "furniture:outside-body", "a line before the article body")

    # Body: from the first body line to the last, furniture inside it is removed, headings kept.
    body_lines = range(first, last + 1)
    top = _top_of_body(lines, first)
    links_until = -1  # a box of links inside the article ("Related" and the headlines under it) runs to here
    for i in body_lines:
        line = lines[i]
        if kept is None and i > links_until and _LISTS_START.match(line.text):
            links_until = i
            while links_until + 1 <= last and links_until - i < 4 and not _is_prose(lines[links_until + 1]):
                links_until += 1
        if i <= links_until:
            layout.remove(line, "furniture:related-links", "a box of links to other stories inside the article")
            continue
        if kept is not None and not kept[i]:
            if stamps := date_line(line.text):
                layout.stamps.append((i, line, stamps))
            else:
                layout.remove(line, "furniture:html-boilerplate", "not part of the main text (trafilatura)")
            continue
        if i == first and (dl := match_dateline(line.text, title_case=True)):
            end = line.start + len(line.text[: dl.span[1]].rstrip())
            layout.removed.append(RemovedSpan(line.start, end, "metadata:dateline", f"dateline {dl.place}"))
            layout.dateline = dl.place
            layout.agency = dl.agency
            if dl.agency_span:
                layout.agency_span = Span(line.start + dl.agency_span[0], line.start + dl.agency_span[1])
            if dl.date and dl.date_span:
                layout.dateline_date = (dl.date, Span(line.start + dl.date_span[0], line.start + dl.date_span[1]))
            continue
        if _INITIALS.match(line.text):
            layout.remove(line, "furniture:editor-initials", "editors' initials")
        elif kept is None and _is_caption(line):
            # (in HTML the main-text extractor decides: a caption it keeps belongs to the article's text)
            layout.remove(line, "furniture:caption", "a photo caption (it ends with a photo credit)")
        elif kept is None and line.words <= 15 and _TEASER.search(line.text):
            layout.remove(line, "furniture:teaser", "a link to another story, its headline or lede cut short")
        elif _is_widget(line) and not _is_prose(line):
            layout.remove(line, "furniture:navigation", "page machinery scraped as text (menu, icons, code)")
        elif i < top and (stamps := date_line(line.text)):
            layout.stamps.append((i, line, stamps))
        elif i < top and (byline := _read_byline(line)) is not None:
            _take_byline(layout, line, byline)
        elif (credit := _sign_off(line)) is not None:
            if layout.credit is None:
                layout.credit = credit
            layout.remove(line, "metadata:credit", f"the text is credited to {credit[0]}")
        elif _is_legal(line) or _is_cta_sentence(line) or (_is_cta(line) and not _sentence_like(line)):
            layout.remove(line, "furniture:call-to-action", "call-to-action wording inside the article")
            layout.furniture_domains += _DOMAIN.findall(line.text)
        elif _TIMESTAMP_LABEL.match(line.text) and line.words <= 8 and not _ends_sentence(line.text):
            layout.remove(line, "furniture:timestamp-label", "a time-stamp label")
        elif repeated(line) and not _is_prose(line):
            layout.remove(line, "furniture:repeated-across-site", f"also in other documents of {site}")
    layout.body = Span(lines[first].start, lines[last].end)
    # a standfirst of a full sentence is the article's own text ("Theresa May said it is 'highly likely' that
    # ..."), analysed with the body, which then starts there (the lines between them stay removed); unless the
    # body says it again (its words are analysed there), or it is a second headline (metadata, as the headline is)
    if layout.lede is not None:
        lede = text[layout.lede.start:layout.lede.end]
        if len(lede.split()) >= STANDFIRST_WORDS and not _restated(lede, text[layout.body.start:layout.body.end]):
            layout.removed = [r for r in layout.removed if r.start != layout.lede.start]
            layout.body = Span(layout.lede.start, layout.body.end)

    # Footer: everything after the body. A sign-off credits the article only right after it: once a sentence of
    # something else has come (a sidebar's story, a comment), or a few lines have, one credits another item
    signing = True
    for n, line in enumerate(lines[last + 1 :]):
        signing = signing and n < SIGN_OFF_REACH and not _is_prose(line)
        if _INITIALS.match(line.text):
            layout.remove(line, "furniture:editor-initials", "editors' initials")
        elif _CREDITS.match(line.text):
            layout.remove(line, "metadata:credits", "reporting / editing credits")
        elif (credit := _sign_off(line)) is not None:
            if signing:
                layout.credit = layout.credit or credit
                layout.remove(line, "metadata:credit", f"the text is credited to {credit[0]}")
            else:
                layout.remove(line, "furniture:outside-body", f"another item's credit ({credit[0]}) after the article")
        elif _is_cta(line):
            layout.remove(line, "furniture:call-to-action", "call-to-action wording (newsletter, share...)")
            layout.furniture_domains += _DOMAIN.findall(line.text)
        elif kept is not None:
            layout.remove(line, "furniture:html-boilerplate", "not part of the main text (trafilatura)")
        elif _is_label(line.text):
            layout.remove(line, "furniture:section-label", "a short label in title case or capitals")
            layout.furniture_domains += _DOMAIN.findall(line.text)
        else:
            layout.remove(line, "furniture:outside-body", "a line after the article body")
            layout.furniture_domains += _DOMAIN.findall(line.text)
    _choose_stamp(layout)
    if layout.date_line is None and title_at is not None and layout.title is not None:
        # a stamp printed a little further under the headline than the top of the body reaches (share buttons,
        # a standfirst and a photo between them)
        taken = _metadata_starts(layout)
        for line in lines[title_at + 1:title_at + 1 + STAMP_REACH]:
            if line.start in taken:
                continue
            stamp = best_stamp(stamps) if (stamps := date_line(line.text)) else None
            if stamp is not None:
                layout.date_line = (stamp, Span(line.start + stamp.span[0], line.start + stamp.span[1]))
                layout.removed = [r for r in layout.removed if r.start != line.start]
                layout.remove(line, "metadata:published", f"publication date {stamp.value}")
                break
    if layout.date_line is None or layout.stamp_far_above:
        reach = max(top, title_at + 1 + STAMP_REACH) if title_at is not None and layout.title is not None else top
        taken = _metadata_starts(layout)
        for line in lines[:reach]:
            if line.start in taken:
                continue
            if found := caption_date(line.text):
                layout.caption_date = (found[0], Span(line.start + found[1][0], line.start + found[1][1]))
                break
    layout.removed.sort(key=lambda r: (r.start, r.end))
    return layout


def _metadata_starts(layout: _Layout) -> set[int]:
    """Where the lines the layout took as metadata (headline, byline, stamp...) start."""
    return {r.start for r in layout.removed if r.reason.startswith("metadata:")}


_BREADCRUMB = re.compile(r"\s(?:»|›|/|\||>)\s|^you are here\b", re.I)
#: what a line removed between two header lines was that parts a headline from a line above it: a menu's
_MENU_REASONS = frozenset({"furniture:section-label", "furniture:navigation", "metadata:outlet",
                           "furniture:repeated-across-site", "furniture:call-to-action"})


def _full_stop(text: str) -> bool:
    """Whether ``text`` ends with a full stop, not an abbreviation's point ("... after Cold Wave Alert Tues.",
    "... in the U.S.")."""
    return text.endswith(".") and not re.search(r"(?:\b[A-Z][a-z]{0,3}|\b[A-Z](?:\.[A-Z])+)\.$", text)


def _about(line: Line, paragraphs: list[Line]) -> bool:
    """Whether the paragraphs share two of the line's words of four letters or more."""
    words = {w.lower() for w in re.findall(r"[^\W\d_]{4,}", line.text)}
    said = {w.lower() for p in paragraphs for w in re.findall(r"[^\W\d_]{4,}", p.text)}
    return len(words & said) >= 2


def _title_cased(text: str) -> bool:
    """Whether a line is written in title case: of its words of four letters or more (three at least), all but
    one in five capitalised."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if len(w) >= 4]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _headline_like(line: Line, least: int = 4) -> bool:
    """A line that reads as a headline: ``least`` words or more, capitalised, not closed by a full stop or a
    colon."""
    return line.words >= least and line.text[:1].isupper() and not line.text.endswith((".", ":"))


def _header_prose(lines: list[Line], body_idx: list[int],
                  date_line: Callable[[str], list[DateStamp] | None]) -> int | None:
    """Drop from ``body_idx`` the first prose lines that belong to the header: one set apart from the next prose
    line by a byline or a date stamp (a headline or standfirst that reads as a sentence: "What is Rust and why is
    it so popular?" / "By Jane Roe" / "January 20, 2020"), or a short one set apart by a line that reads as a
    headline or by four lines or more (a tagline or a disclaimer above the headline; a first paragraph is
    longer). The index of a dropped line that stands right above the byline or stamp (a headline) is returned,
    else ``None``."""
    headline: int | None = None
    if len(body_idx) >= 3 and body_idx[1] == body_idx[0] + 1 and _title_cased(lines[body_idx[0]].text) \
            and lines[body_idx[0]].words <= 20 and lines[body_idx[1]].words <= 40 \
            and not match_dateline(lines[body_idx[0]].text, title_case=True) \
            and any(date_line(line.text) or _read_byline(line) is not None
                    for line in lines[body_idx[1] + 1:body_idx[2]]):
        # a headline in title case that reads as a sentence ("How Can We Plan for the Future?"), its standfirst
        # under it, then the byline or the stamp
        headline = body_idx.pop(0)
        body_idx.pop(0)
    for _ in range(3):
        if len(body_idx) < 2 or match_dateline(lines[body_idx[0]].text, title_case=True):
            break
        a, b = body_idx[0], body_idx[1]
        between = lines[a + 1:b]
        marks = [k for k, line in enumerate(between) if date_line(line.text) or _read_byline(line) is not None]
        if marks and lines[a].words <= 30:
            if marks[0] == 0 and headline is None and lines[a].words <= 20 and (
                    not _full_stop(lines[a].text)
                    or _about(lines[a], lines[b:b + 3]) and not (a > 0 and _headline_like(lines[a - 1], 3))):
                # right above the byline or stamp (a line between them would be the headline); one closed by a full
                # stop is a headline of two sentences when the article's first paragraphs share its words, unless
                # a line that reads as a headline stands right above it (it is then the standfirst), else a
                # tagline ("Independent journalism since 1998.")
                headline = a
        elif not (len(between) >= 4 and lines[a].words <= 20
                  or lines[a].words <= 15 and any(_headline_like(line) for line in between)):
            break
        body_idx.pop(0)
    return headline


#: the prose above a headline found by its URL slug, in words, that the article may start after (promotions and a
#: menu's blurbs; more is an article, and the line a link to a related story)
SKIP_WORDS = 200
_WEB_ADDRESS = re.compile(r"https?://|www\.|\.(?:com|org|net|html?)/", re.I)


def _plain_words(text: str) -> set[str]:
    """The words of ``text`` as a URL slug writes them: lower case, letters only, apostrophes dropped."""
    return set(re.findall(r"[a-z]+", re.sub(r"['’]", "", text.lower())))


def _slug_line(lines: list[Line], first: int, slug: frozenset[str],
               date_line: Callable[[str], list[DateStamp] | None]) -> int | None:
    """The line before the body's first line ``first`` or below it (a page scraped whole: its menus and promotions
    hold prose too) that says the URL's headline slug: three of its words and three in five at least (below
    ``first``, where it moves the start of the article, four and three in four), the fewest other words among the
    best; ``None`` when no line does."""
    best: tuple[tuple[float, int, int], int] | None = None
    for i in range(len(lines)):
        line = lines[i]
        if line.words > 40 or date_line(line.text) or _WEB_ADDRESS.search(line.text):
            continue  # (a line quoting the page's address says the slug too)
        words = _plain_words(line.text)
        shared = len(words & slug)
        if shared < 3 or shared < 0.6 * len(slug) or i >= first and (shared < 4 or shared < 0.75 * len(slug)):
            continue
        key = (shared / len(slug), -len(words - slug), -i)
        if best is None or key > best[0]:
            best = (key, i)
    return best[1] if best is not None else None


#: a short line cut off at a word with an ellipsis ("Turkey's president accuses the West …"): a teaser linking to
#: another story (a quotation trailing off has no space before its dots)
_TEASER = re.compile(r"\w\s+(?:…|\.\.\.)$")
#: a line of its own that closes an article on a page scraped whole: the comments and the author's note after it
_COMMENTS_START = re.compile(
    r"^(?:leave a (?:reply|comment)|(?:\d+\s+)?(?:comments?|responses?|replies)(?:\s*\(\d+\))?|write a comment"
    r"|add a comment|post a comment|join the (?:discussion|conversation)|recent comments|about the authors?"
    r"|filed under)\s*:?$"
    r"|^(?:©|copyright\b)\s*©?\s*(?:19|20)\d\d\b.*\ball rights reserved\b", re.I)
#: ... and the site's lists after it, which a page may also set inside an article (a box of related stories)
_LISTS_START = re.compile(
    r"^(?:related(?: (?:articles?|stories|posts|content|coverage|topics|reading))?|(?:more|read more|also read)"
    r" (?:from|on|in|about) .{1,40}|you (?:might|may) also like|recommended(?: for you)?|most (?:popular|read|viewed)"
    r"|trending(?: now| stories)?|share this(?: article| story)?|more (?:stories|news|articles)|latest (?:news|stories)"
    r"|further reading|see also|tags?|tagged|topics|recent posts|top stories|read next|up next|editor[’']?s picks"
    r"|don[’']?t miss|in case you missed it)\s*[:>]?$", re.I)


def _end_of_article(lines: list[Line], body_idx: list[int], last: int) -> int:
    """The last line of the article on a page scraped whole: the last prose line before a line that opens the
    comments or the author's note ("Leave a Reply", "Comments (12)", "Filed under") or is the site's copyright
    line once half the prose words are above it, or the site's lists ("Related stories", "Most read") once three
    quarters are; else ``last``."""
    total = sum(lines[i].words for i in body_idx)
    seen = 0
    k = 0
    for i in range(body_idx[0], last + 1):
        while k < len(body_idx) and body_idx[k] < i:
            seen += lines[body_idx[k]].words
            k += 1
        text = lines[i].text
        if seen >= 0.5 * total and _COMMENTS_START.match(text) or seen >= 0.75 * total and _LISTS_START.match(text):
            before = [j for j in body_idx if j < i]
            return before[-1] if before else last
    return last


def _short_headline(lines: list[Line], first: int, removed: list[RemovedSpan], stamps: set[int]) -> int | None:
    """A headline the header pass took for a label ("Yellow Vests and I", "Peru Denies Ferry Seizure"): of the
    lines before the body removed as a short label or link, one of three words or more that stands right above the
    header's byline or date stamp (or above the standfirst there), else right above the body (two words are a
    section or a topic tag: "Middle East", "Skripal Case")."""
    reasons = {r.start: r.reason for r in removed}
    marks = [i for i in range(first) if i in stamps or reasons.get(lines[i].start, "").startswith("metadata:")]
    end = marks[0] if marks else first
    i = end - 1
    if i > 0 and lines[i].start not in reasons and _full_stop(lines[i].text) and lines[i].words <= 40:
        i -= 1  # a standfirst between the headline and the byline ("... Good riddance.")
    if i >= 0 and reasons.get(lines[i].start) in ("furniture:section-label", "furniture:navigation") \
            and lines[i].words >= 3 and not lines[i].text.isupper() and not is_relative_stamp(lines[i].text):
        return i  # (not "1 hour ago")
    return None


_STAMP_LABELLED = re.compile(r"\s*(?:first\s+|originally\s+|last\s+)?(?:published|posted|updated|modified|created|"
                             r"written|issued|dated?)\b", re.I)


def _choose_stamp(layout: _Layout) -> None:
    """The publication stamp among the stamp lines near the top: a publication stamp before an update; the one
    closest after the headline (a byline's), else the closest before it (a date printed above the headline; one
    far above it is often the site's "today" banner). Every stamp line is removed, the chosen one as metadata."""
    body_at = next((j for j, x in enumerate(layout.lines) if x.start >= layout.body.start), len(layout.lines))
    # the headline's lines (printed twice: a breadcrumb's last item, then the headline): a stamp under the last one
    # above the article first, then one between them, then one above them all
    title_rows = [i for i, line in enumerate(layout.lines) if layout.title and line.text == layout.title]
    last_title = next((t for t in reversed(title_rows) if t < body_at), title_rows[-1] if title_rows else 0)

    def distance_of(i: int) -> int:
        if not title_rows:
            return i
        if i > last_title:
            return i - last_title
        if any(t < i for t in title_rows):
            return 500 + last_title - i
        return 1000 + min(t - i for t in title_rows)

    best: tuple[tuple[int, int, int], int] | None = None
    for k, (i, _line, stamps) in enumerate(layout.stamps):
        stamp = best_stamp(stamps)
        if stamp is None:
            continue
        distance = distance_of(i)
        key = (0 if stamp.kind == "published" else 1, distance, i)
        if best is None or key < best[0]:
            best = (key, k)
    for k, (i, line, stamps) in enumerate(layout.stamps):
        if best is not None and k == best[1]:
            stamp = best_stamp(stamps)
            assert stamp is not None
            layout.date_line = (stamp, Span(line.start + stamp.span[0], line.start + stamp.span[1]))
            # a banner (the site's "today") prints a bare date: one with a label ("Published: ...") or a time of
            # day is the page's own stamp wherever it stands
            bare = "T" not in stamp.value and not _STAMP_LABELLED.match(stamp.raw)
            if not title_rows:
                # no headline: a stamp among the lines well above the article (the site's menus) is far above it
                layout.stamp_above_title = i < body_at - 3
                layout.stamp_far_above = layout.stamp_above_title and bare
            else:
                layout.stamp_above_title = best[0][1] >= 1000
                layout.stamp_far_above = best[0][1] >= 1003 and bare
            layout.remove(line, "metadata:published", f"publication date {stamp.value}")
        else:
            layout.remove(line, "furniture:timestamp", "a further date stamp near the headline")


_AUTHOR_NOTE = re.compile(r"^(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3})\s+(?:is|was|has been|writes|teaches)\b")


def _is_author_note(line: Line, header: list[Line]) -> bool:
    """A note on the author ("Jane Roe is a professor of law at ..."): it opens with a name that the header also
    prints as a line of its own (the byline or the author box)."""
    m = _AUTHOR_NOTE.match(line.text)
    if m is None:
        return False
    name = norm_line(m.group("name"))
    return any(norm_line(other.text.removeprefix("By ").removeprefix("by ")) == name for other in header)


def _repeated_in(lines: list[Line], line: Line) -> bool:
    key = norm_line(line.text)
    return sum(1 for other in lines if norm_line(other.text) == key) >= 2


#: lines at the top of the body where a byline, a credit or a date stamp still belongs to the page furniture
TOP_LINES = 6
#: ... and further down, the short lines before the body's third paragraph of prose, up to this many lines: a
#: standfirst or a tagline read as the first paragraph is followed by the byline, the stamp and share buttons
TOP_REACH = 24
#: lines under the headline where a date stamp line is still the page's, when none was found higher up
STAMP_REACH = 15


def _top_of_body(lines: list[Line], first: int) -> int:
    """The end of the top of the body that starts at line ``first``: :data:`TOP_LINES` lines, or up to its third
    paragraph of prose when that comes later (within :data:`TOP_REACH` lines)."""
    prose = 0
    for i in range(first, min(len(lines), first + TOP_REACH)):
        if _is_prose(lines[i]):
            prose += 1
            if prose == 3:
                return max(i, first + TOP_LINES)
    return max(first + TOP_LINES, min(len(lines), first + TOP_REACH))


_BY = re.compile(r"^(?:(?i:by|written by|text by|from)\b\s*|By(?=[A-Z][a-z]))")  # (or "By" glued to the name)
#: a writer's social-media handle printed after the name ("By Jane Roe@JaneRoe")
_HANDLE = re.compile(r"\s*@\w+$")
_WRITES_FOR = re.compile(r"\s*(.+?)\s+(?i:for)\s+(.+?)\s*$")
_BYLINE_PARTS = re.compile(r"\s*(?:\||/|,|;|\s[-–—]\s|\b(?i:and)\b|&)\s*")
_PERSON_NAME = re.compile(r"^[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|da|van|von|der|al|el|bin|ibn|la|le|di)){0,5}$")
_SIGN_OFF = re.compile(r"^(?:[-–—]+\s*|\(\s*(?=.*\)$)|(?:source|agency)\s*:\s*)(?P<name>[^()]+?)\s*\)?\.?$", re.I)


def _read_byline(line: Line) -> tuple[str | None, tuple[str, Span] | None] | None:
    """A byline: the author(s) and an outlet it credits ("By Jane Doe | Washington Post", "By ANI"), or ``None``
    when the line is not a byline (every part must be a name or a known outlet)."""
    m = _BY.match(line.text)
    if not m or line.words > 12:
        return None
    names: list[str] = []
    credit: tuple[str, Span] | None = None
    pos = m.end()
    for part in _BYLINE_PARTS.split(line.text[m.end():]):
        at = line.text.find(part, pos) if part else pos
        pos = at + len(part)
        if not part.strip():
            continue
        known = find_outlet(part, whole=True)
        writes_for = _WRITES_FOR.match(part)
        if known is not None and credit is None:
            credit = (known.name, Span(line.start + at, line.start + at + len(part)))
        elif _PERSON_NAME.match(name := _HANDLE.sub("", part.strip(" ."))) and not writes_for:
            names.append(name)
        elif writes_for and _PERSON_NAME.match(writes_for.group(1)):
            # "Brendan Carlin For The Mail On Sunday", "Jane Roe for Reuters"
            names.append(writes_for.group(1))
            outlet = find_outlet(writes_for.group(2), whole=True)
            if outlet is not None and credit is None:
                credit = (outlet.name, Span(line.start + at + writes_for.start(2), line.start + at + writes_for.end(2)))
        else:
            return None
    if not names and credit is None:
        return None
    return (", ".join(names) or None), credit


def _take_byline(layout: _Layout, line: Line, byline: tuple[str | None, tuple[str, Span] | None]) -> None:
    author, credit = byline
    if author and layout.author is None:
        layout.author = author
    if credit is not None and layout.credit is None:
        layout.credit = (credit[0], credit[1], "text: outlet credited in the byline")
    layout.remove(line, "metadata:byline", "byline")


#: lines after the article within which a sign-off ("— Reuters") credits it
SIGN_OFF_REACH = 6


def _sign_off(line: Line) -> tuple[str, Span, str] | None:
    """A line that only credits an outlet: "— Reuters", "(AFP)", "Source: Xinhua"."""
    if line.words > 6:
        return None
    m = _SIGN_OFF.match(line.text)
    if not m:
        return None
    known = find_outlet(m.group("name"), whole=True)
    if known is None:
        return None
    return known.name, Span(line.start + m.start("name"), line.start + m.end("name")), "text: credit line"


_COPYRIGHT = re.compile(r"(?:©|\(c\)|\bcopyright\b)\s*(?:(?:©|\bcopyright\b)\s*)?"
                        r"(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?\s*,?\s*)?"
                        r"(?P<name>[A-Z][^.|,©\n]{1,60}?)\s*(?=[.|,]|\ball rights\b|$)", re.I)
_COPYRIGHT_TAIL = re.compile(r"(?:\s+(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?|\s+CC[- ]BY[\w-]*"
                             r"|,?\s+(?:Ltd|LLC|Inc|Limited|GmbH|A/S|Corp|AG|SA|plc)\.?"
                             r"|,?\s+an?\s+[\w&' -]{1,40}\s+company)+\s*$", re.I)  # ("Example Media a Parent Company")
_COPYRIGHT_AFTER = re.compile(r"\s+[-–—|·•]\s+|\s+(?:on the|powered by|designed by|built with|theme by)\s+", re.I)
_SKIP_LABELS = {"www", "english", "en", "m", "amp", "mobile", "edition", "news", "feeds", "staging", "com", "org",
                "net", "co", "info", "gov", "ac", "edu", "blog", "blogs"}
#: hosting platforms whose subdomains are their users' sites ("example.wordpress.com"): the platform's own name,
#: printed in every such site's footer ("Blog at WordPress.com"), is not the site's
_PLATFORMS = {"wordpress", "blogspot", "substack", "medium", "tumblr", "wixsite", "weebly", "livejournal", "typepad",
              "ghost", "github", "gitlab", "netlify", "squarespace", "over-blog", "hubpages", "wordpress-com"}


def _printed_site_name(text: str, lines: list[Line], domain: str) -> tuple[str, Span, str] | None:
    """The site's own name as the page prints it, for a host the gazetteer does not know: a copyright line naming
    the site ("© 2023 Stabroek News"), else a capitalised name spelling the host ("Alwaght" on alwaght.com, "The
    Times of Israel" on timesofisrael.com)."""
    for line in lines:
        if line.words > 40:
            continue
        for m in _COPYRIGHT.finditer(line.text):
            # (the year printed after the name, a licence, a company's form: "© Example Foods Ltd 2014 - 2020",
            # "Jane Roe CC-BY-SA")
            # (and what a footer prints after the name: "Example Foods – Legal Notice", "Example Foods on the Pro
            # Theme", "Example Foods · Powered by ...")
            name = _COPYRIGHT_AFTER.split(m.group("name"), maxsplit=1)[0]
            name = _COPYRIGHT_TAIL.sub("", name).strip(" -–—:")
            known = find_outlet(name)
            if known is not None or _domain_matches(domain, name):
                return (known.name if known else name,
                        Span(line.start + m.start("name"), line.start + m.start("name") + len(name)),
                        "text: the site's name in its copyright line")
    parts = domain.split(".")[:-1]
    own = [label for label in parts if label not in _SKIP_LABELS and label not in _PLATFORMS]
    labels = [label for label in parts if len(label) >= 4 and label not in _SKIP_LABELS
              and not (label in _PLATFORMS and own)]  # a user's site on a platform: only its own label
    for label in labels:
        letters = [c for c in label.lower() if c.isalnum()]
        pattern = re.compile(r"(?<![\w-])(?-i:The\s+)?" + r"[\s\-'’.]?".join(re.escape(c) for c in letters)
                             + r"(?!\w|-\w)", re.I)
        best: re.Match[str] | None = None
        for m in pattern.finditer(text):
            words = [w for w in re.split(r"[\s\-'’.]+", m.group(0)) if w]
            # (the "s" of a possessive: "Tom's Hardware", "Harper's")
            if not all(w[:1].isupper() or w.lower() in {"of", "the", "and", "s"} for w in words):
                continue
            if len(words) == 1 and not _reads_as_name(text, m):
                continue
            if best is None or (best.group(0).isupper() and not m.group(0).isupper()):
                best = m
            if not m.group(0).isupper():
                break
        if best is not None:
            return best.group(0), Span(best.start(), best.end()), "text: a name that spells the site's host"
    return None


def _reads_as_name(text: str, m: re.Match[str]) -> bool:
    """A single capitalised word is a name, not an ordinary word opening a sentence, when it has capitals inside
    ("EADaily") or is all capitals, stands mid-sentence after a lower-case word, or opens a line as a credit
    ("Alwaght- ...", "Alwaght: ...")."""
    word = m.group(0)
    if any(c.isupper() for c in word[1:]):
        return True
    before = text[max(0, m.start() - 40):m.start()]
    if re.search(r"[a-z,][ \t]+$", before):
        return True
    line_start = m.start() == 0 or text[m.start() - 1] == "\n"
    return line_start and bool(re.match(r"\s*[-–—:]\s", text[m.end():]))


# --- HTML ------------------------------------------------------------------------------------------------------

_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "details", "dialog", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul", "time", "title", "caption",
    "option", "button", "label", "body", "html",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas", "select",
              "math", "video", "audio", "map"}


def render_html_text(tree: object) -> str:
    """The visible text of an HTML tree, one block element a line, whitespace collapsed inside lines.

    Iterative (no recursion), so deeply nested pages do not overflow the stack.
    """
    from lxml import etree

    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = re.sub(r"\s+", " ", "".join(buf)).strip()
        if text:
            lines.append(text)
        buf.clear()

    walker = etree.iterwalk(tree, events=("start", "end"))
    for event, el in walker:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _SKIP_TAGS:
                walker.skip_subtree()
                continue
            if tag in _BLOCK_TAGS:
                flush()
            if el.text:
                buf.append(el.text)
        else:
            if tag in _BLOCK_TAGS:
                flush()
            if el.tail:
                buf.append(el.tail)
    flush()
    return "\n".join(lines)


@dataclass(frozen=True)
class _HtmlResult:
    text: str
    kept: list[bool]
    title: str | None
    date: str | None
    date_method: str
    sitename: str | None
    author: str | None
    url: str | None
    fallback: bool = False


class CleanMemo:
    """What cleaning one input works out that the lines repeated across its site do not change: its HTML
    extraction, its date lines (dateparser) and the language of a body text. The pipeline cleans each input twice,
    alone and then with its site's repeated lines; the second cleaning takes these from the first. One memo serves
    one input."""

    def __init__(self) -> None:
        self.html: _HtmlResult | None = None
        self._dates: dict[str, list[DateStamp] | None] = {}
        self._languages: dict[str, tuple[str, float]] = {}

    def date_line(self, line: str) -> list[DateStamp] | None:
        if line not in self._dates:
            self._dates[line] = read_date_stamps(line)
        return self._dates[line]

    def language(self, text: str) -> tuple[str, float]:
        if text not in self._languages:
            self._languages[text] = detect_language(text)
        return self._languages[text]


def _extract_html(raw: RawInput) -> _HtmlResult:
    import trafilatura
    from lxml import etree
    from trafilatura.utils import load_html

    tree = load_html(raw.text)
    if tree is None:
        raise InputError(raw.source, "unparseable HTML")
    etree.strip_elements(tree, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    text = render_html_text(tree)
    options: dict[str, Any] = {"url": raw.url, "include_comments": False, "include_tables": True,
                               "deduplicate": False}
    result: Any = trafilatura.bare_extraction(raw.text, with_metadata=True, favor_recall=True, **options)
    main = (result.text if result is not None and result.text else "") or ""
    lines = split_lines(text)
    kept = _align(lines, main)
    main_chars = len(" ".join(main.split()))
    found = sum(len(norm_line(line.text)) for line, k in zip(lines, kept, strict=True) if k)
    fallback = False
    if main_chars and found < 0.6 * main_chars:
        # The main text is not in the page's visible text (inside <noscript>, a script template...): the
        # document text is then trafilatura's main text itself.
        text, fallback = main, True
        lines = split_lines(text)
        kept = [True] * len(lines)
    # trafilatura's recall mode keeps more of some pages and drops whole paragraphs of others (a lead in a block of
    # its own, list items); its default mode errs the other way. A line both keep is main text, and so is a line
    # of running prose that either keeps; a short line (a label, a date, a button) that only one keeps is not.
    balanced: Any = trafilatura.bare_extraction(raw.text, with_metadata=False, **options)
    if balanced is not None and (balanced.text or "").strip():
        other = _align(lines, balanced.text)
        combined = [a and b or (a or b) and _is_prose(line) for a, b, line in zip(kept, other, lines, strict=True)]
        if not any(kept) or any(combined):
            kept = other if not any(kept) else combined
    if not text.strip():
        visible = re.sub(r"<[^>]*>", " ", re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", raw.text[:2_000_000]))
        if re.search(r"[^\W\d_]{3,}", visible):
            raise InputError(raw.source, "HTML could not be parsed into visible text (too deeply nested or malformed "
                                         "for the HTML parser)")
        raise InputError(raw.source, "HTML page with no visible text")
    title = _best_title((result.title if result is not None else None) or None, tree,
                        (result.sitename if result is not None else None) or None, raw.url)
    date = (result.date if result is not None else None) or None
    method = "html-metadata (trafilatura/htmldate)"
    precise = _precise_published(tree)
    if precise and (date is None or precise[0][:10] == date[:10]):
        date, method = precise[0], f"html-metadata ({precise[1]})"
    return _HtmlResult(
        text=text,
        kept=kept,
        title=title,
        date=date,
        date_method=method,
        fallback=fallback,
        sitename=(result.sitename if result is not None else None) or None,
        author=(result.author if result is not None else None) or None,
        url=raw.url or ((result.url if result is not None else None) or None),
    )


_PUBLISHED_XPATHS = (
    ("meta article:published_time", '//meta[@property="article:published_time"]/@content'),
    ("meta og:published_time", '//meta[@property="og:published_time"]/@content'),
    ("itemprop datePublished", '//*[@itemprop="datePublished"]/@content | //*[@itemprop="datePublished"]/@datetime'),
    ("meta publication date", '//meta[@name="pubdate" or @name="publishdate" or @name="publish-date" or '
                              '@name="article.published" or @name="parsely-pub-date" or @name="sailthru.date" or '
                              '@name="dc.date.issued" or @name="DC.date.issued" or @name="dcterms.issued"]/@content'),
    ("time element in the article", "//article//time/@datetime | //time[@pubdate]/@datetime"),
)


def _precise_published(tree: Any) -> tuple[str, str] | None:
    """A publication date-time with its time and offset, from the page's markup (trafilatura keeps only the day)."""
    for label, xpath in _PUBLISHED_XPATHS:
        for value in tree.xpath(xpath):
            raw = str(value).strip()
            try:
                parsed = dt.datetime.fromisoformat(raw)
            except ValueError:
                continue
            has_time = "T" in raw or " " in raw
            return format_iso(parsed, with_time=has_time, utc=parsed.tzinfo is not None), label
    return None


_TITLE_SEPARATORS = re.compile(r"\s+(?:[-|–—:•·»]|::)\s+")


def _best_title(title: str | None, tree: Any, sitename: str | None, url: str | None) -> str | None:
    """The headline: the page's ``<h1>`` when it matches the metadata title, else the metadata title without a
    site-name part ("Headline | Site", "Site - Headline")."""
    from rapidfuzz import fuzz

    h1s = [" ".join(h.text_content().split()) for h in tree.xpath("//h1")[:3]]
    h1s = [h for h in h1s if len(h.split()) >= 2]
    if title:
        for h1 in h1s:
            if norm_line(h1) in norm_line(title) or fuzz.ratio(norm_line(h1), norm_line(title)) >= 85:
                return h1
        # the headline as printed, where the metadata gives a reworded one for search engines: an <h1> that
        # shares half its words with it, or says the URL's slug
        words = _plain_words(title)
        slug = url_slug(url) if url else frozenset()
        for h1 in h1s:
            mine = _plain_words(h1)
            if len(mine) >= 3 and (len(mine & words) >= 0.5 * min(len(mine), len(words))
                                   or slug and len(mine & slug) >= max(3, 0.6 * len(slug))):
                return h1
        parts = _TITLE_SEPARATORS.split(title)
        if len(parts) > 1:
            site_words = set(re.findall(r"[a-z0-9]+", " ".join(filter(None, (sitename, site_domain(url or "") or "")))
                                        .lower()))
            keep = [p for p in parts if not _is_site_part(p, site_words)]
            if keep and len(keep) < len(parts):
                return " - ".join(keep) if len(keep) > 1 else keep[0]
        return title
    return h1s[0] if h1s else None


def _is_site_part(part: str, site_words: set[str]) -> bool:
    words = [w for w in re.findall(r"[a-z0-9]+", part.lower()) if w not in {"the", "com", "www", "org", "net"}]
    return bool(words) and len(words) <= 5 and all(w in site_words for w in words)


_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")


def _align_key(text: str) -> str:
    """A line as :func:`_align` compares it: whitespace collapsed, lower case, without invisible format characters
    (soft hyphens, zero-width spaces and joiners, which trafilatura drops) and without a list bullet ("- ")."""
    return re.sub(r"^[-•*] ", "", norm_line(_INVISIBLE.sub("", text)))


def _align(lines: list[Line], main: str) -> list[bool]:
    """Mark the rendered lines that trafilatura's main text contains, in order."""
    main_lines: list[str] = []
    for m in main.split("\n"):
        if not m.strip():
            continue
        if m.count("|") >= 2:  # a table row: trafilatura writes "| a | b |", the page has one cell a line
            main_lines += [_align_key(cell) for cell in m.split("|") if cell.strip()]
        else:
            main_lines.append(_align_key(m))
    whole = set(main_lines)
    joined = " ".join(main_lines)
    kept = [False] * len(lines)
    cursor = 0
    for i, line in enumerate(lines):
        key = _align_key(line.text)
        if not key:
            continue
        if key in whole and len(key) < 25:
            pos = joined.find(key, cursor)
            kept[i] = True
            if pos >= 0:
                cursor = pos + len(key)
            continue
        if len(key) < 25:
            continue
        pos = joined.find(key, cursor)
        if pos < 0:
            pos = joined.find(key)
        if pos >= 0:
            kept[i] = True
            cursor = max(cursor, pos + len(key))
    return kept


# --- the entry function ----------------------------------------------------------------------------------------


def clean(raw: RawInput, *, site_lines: SiteLines | None = None, site: str | None = None,
          memo: CleanMemo | None = None) -> Document:
    """Clean one input into a :class:`Document`: body span, removed spans with reasons, metadata with evidence.

    ``site_lines`` with ``site`` (the key :func:`site_key` gives) adds the evidence of lines repeated across
    documents of that site. ``memo``: the same input's :class:`CleanMemo`, when it is cleaned more than once.
    Raises :class:`InputError` when no article text can be found.
    """
    try:
        return _clean(raw, site_lines, site, memo or CleanMemo())
    except InputError as exc:
        if not exc.source:
            raise InputError(raw.source, exc.reason) from None
        raise


def site_key(raw: RawInput, doc: Document | None = None) -> str | None:
    """Which site a document comes from, for the repeated-lines evidence: URL domain, else republisher/outlet."""
    if raw.url:
        return site_domain(raw.url)
    if doc is not None:
        return doc.republisher or doc.outlet
    return None


def _clean(raw: RawInput, site_lines: SiteLines | None, site: str | None, memo: CleanMemo) -> Document:
    html: _HtmlResult | None = None
    if raw.kind == "html":
        html = memo.html = memo.html or _extract_html(raw)
        text = html.text
        fmt = "jsonl-html" if raw.origin == "jsonl" else "html"
    else:
        text = raw.text
        fmt = "jsonl-text" if raw.origin == "jsonl" else "text"
    lines = split_lines(text)
    if not lines:
        raise InputError(raw.source, "empty input (only whitespace)")
    layout = _layout_text(text, lines, site=site, site_lines=site_lines, kept=html.kept if html else None,
                          date_line=memo.date_line,
                          headline=(raw.given.get("title") or html.title) if html else None,
                          slug=url_slug(raw.url) if raw.url else frozenset())
    chash = content_hash(raw.text)
    evidence: list[MetadataEvidence] = []
    url = raw.url or (html.url if html else None)

    if html and html.fallback:
        evidence.append(MetadataEvidence("text", "trafilatura main text", "html: the main text is not in the page's "
                                         "visible text (e.g. inside <noscript>); the document text is the extracted "
                                         "main text and the raw HTML is kept in the store"))
    # Title
    title = raw.given.get("title")
    if title:
        evidence.append(MetadataEvidence("title", title, "given"))
    elif html and html.title:
        title = html.title
        evidence.append(MetadataEvidence("title", title, "html-metadata (trafilatura)",
                                         _find_line_span(lines, title)))
    elif layout.title:
        title = _CLOSE_GLYPH.sub("", layout.title)  # "× ‘Active shooter’ suspect arrested": a close button's
        evidence.append(MetadataEvidence("title", title, layout.title_how, _find_line_span(lines, layout.title)))
    if html and title:
        span = _find_line_span(lines, title)
        if span is not None:
            # the headline line is metadata, whatever the line classifier called it before; another line it took
            # for the headline is not
            layout.removed = [r if r.reason != "metadata:title" else
                              RemovedSpan(r.start, r.end, "furniture:outside-body", "a line before the article body")
                              for r in layout.removed if not (r.start < span.end and span.start < r.end)]
            layout.removed.append(RemovedSpan(span.start, span.end, "metadata:title", "headline"))

    # Outlet and republisher
    outlet, republisher = _outlet_and_republisher(raw, layout, html, url, evidence)

    # Dateline
    dateline = raw.given.get("dateline") or layout.dateline
    if dateline:
        evidence.append(MetadataEvidence("dateline", dateline, "given" if "dateline" in raw.given else
                                         "text: dateline at the start of the body"))

    # Publication date
    host = site_domain(url) if url else None
    known = (outlet_for_domain(host) if host else None) or (find_outlet(outlet, whole=True) if outlet else None)
    published, pub_ev = _published(raw, layout, html, url, text, known.country if known else None)
    if layout.date_line is not None and layout.stamp_above_title and html is None and pub_ev.method not in (
            "text: date line", "given"):
        # the stamp above the headline was not the date (a banner the page's own evidence outranks)
        stamp_at = layout.date_line[1].start
        layout.removed = [RemovedSpan(r.start, r.end, "furniture:timestamp", "a date stamp above the headline that "
                                      "is not the page's publication date (the site's 'today')")
                          if r.reason == "metadata:published" and r.start <= stamp_at < r.end else r
                          for r in layout.removed]

    author = (html.author if html else None) or layout.author
    body_for_lang = layout_body_text(text, layout)
    language, lscore = memo.language(body_for_lang)
    layout.removed.extend(_quote_dashes(text, layout.body))
    removed = tuple(sorted(set(layout.removed), key=lambda r: (r.start, r.end)))
    return Document(
        id=stable_id(raw, chash),
        source=raw.source,
        format=fmt,
        text=text,
        content_hash=chash,
        body=layout.body,
        removed=removed,
        title=title,
        outlet=outlet,
        republisher=republisher,
        dateline=dateline,
        published=published,
        published_evidence=pub_ev,
        language=language,
        language_score=lscore,
        url=url,
        author=author,
        lede=layout.lede,
        evidence=tuple(evidence),
    )


#: a dash between a quotation's close and its reporting verb ('... the safety raft,"-said the press service',
#: '"...," — said the minister'), as translations from Russian or Ukrainian typography keep it
_QUOTE_DASH = re.compile(r"(?:(?<=[,.!?…][\"”»])|(?<=[,.!?…] [\"”»]))[ \t]*([-–—])[ \t]*(?=[a-z])")


def _quote_dashes(text: str, body: Span) -> list[RemovedSpan]:
    """The dashes between a quotation and its reporting verb in the body: read as the comma's space, so the
    attribution reads as it would in English typography (the dash is recorded as removed, offsets unchanged)."""
    return [RemovedSpan(m.start(1), m.end(1), "typography:quote-dash", "a dash between a quotation and its verb")
            for m in _QUOTE_DASH.finditer(text, body.start, body.end)]


def _find_line_span(lines: list[Line], value: str) -> Span | None:
    key = norm_line(value)
    for line in lines:
        if norm_line(line.text) == key:
            return Span(line.start, line.end)
    for line in lines[:40]:
        k = norm_line(line.text)
        if len(k) >= 12 and (k in key or key in k):
            return Span(line.start, line.end)
    return None


#: a name made like a paper's: words in title case ending with a newspaper's noun ("Harbour Gazette", "The Valley
#: Times"); "News", "Radio" or "TV" only after "The" ("The Mercury News"), since a menu's sections are made so
#: ("World News", "Barbados News", "Local Radio")
_PRESS_NAME = re.compile(
    r"^(?:The\s+)?(?:[A-Z][\w'’.&-]*\s+){1,3}(?:Gazette|Times|Post|Herald|Journal|Observer|Tribune|Chronicle|"
    r"Courier|Telegraph|Express|Mirror|Standard|Monitor|Inquirer|Examiner|Sentinel|Record|Register|Dispatch|"
    r"Bulletin|Reporter|Argus|Enquirer|Advertiser|Star|Globe)$|^The\s+(?:[A-Z][\w'’.&-]*\s+){1,3}(?:News|Radio|TV)$")


def _outlet_and_republisher(raw: RawInput, layout: _Layout, html: _HtmlResult | None, url: str | None,
                            evidence: list[MetadataEvidence]) -> tuple[str | None, str | None]:
    outlet: str | None = None
    if raw.given.get("outlet"):
        outlet = raw.given["outlet"]
        evidence.append(MetadataEvidence("outlet", outlet, "given"))
    if outlet is None and layout.agency:
        # "(BSS/AFP)": the agency that files the copy, then the one it draws on
        first = re.split(r"\s*/\s*", layout.agency.strip("/ "))[0] or layout.agency
        known = find_outlet(first)
        outlet = known.name if known else first
        evidence.append(MetadataEvidence("outlet", outlet, "text: agency in the dateline", layout.agency_span))
    if outlet is None and layout.credit:
        outlet, span, how = layout.credit
        evidence.append(MetadataEvidence("outlet", outlet, how, span))
    domain = site_domain(url) if url else None
    site_outlet = outlet_for_domain(domain) if domain else None
    for line in layout.outlet_lines if outlet is None else ():
        known = find_outlet(line.text)
        if known is None and site_outlet is not None and domain is not None and _names_host(domain, line.text):
            known = site_outlet  # the host's name as the header prints it ("NYMag.com"): the gazetteer's name
        if domain is not None and not _names_host(domain, line.text) and (
                known is None or norm_line(line.text) in {norm_line(n) for n in known.strict}):
            # a menu's label printed twice ("News", "Search", "38°F"), or a section named by an ordinary word that
            # is also an outlet's name ("Metro", "Nation"), on another site: not a credit
            continue
        if domain is None and known is None and not _PRESS_NAME.match(line.text):
            # with no address to check it against, a label printed twice above the article is a menu's ("Home",
            # "Close", "Front Page", "40°F") unless it is made like a paper's name ("Harbour Gazette")
            continue
        outlet = known.name if known else line.text
        evidence.append(MetadataEvidence("outlet", outlet, "text: outlet line in the page header",
                                         Span(line.start, line.end)))
        break
    sitename = html.sitename if html else None
    # the host's own name: the gazetteer's, the HTML site name, or the name the page prints for it
    host_name: str | None = site_outlet.name if site_outlet else None
    host_evidence = MetadataEvidence("outlet", host_name or "", f"url: domain {domain}")
    if host_name is None and sitename:
        known = find_outlet(sitename)
        host_name = known.name if known else sitename
        host_evidence = MetadataEvidence("outlet", host_name, "html-metadata: site name")
    if host_name is None and domain and (printed := _printed_site_name(layout.text, layout.lines, domain)):
        host_name = printed[0]
        host_evidence = MetadataEvidence("outlet", host_name, printed[2], printed[1])
    if host_name is None and domain and (spelled := host_spelled_name(domain)):
        host_name = spelled
        host_evidence = MetadataEvidence("outlet", host_name, f"url: the site's name as its host {domain} spells it "
                                                              "(not in the outlet gazetteer, no name printed for it)")
    if outlet is None and host_name:
        outlet = host_name
        evidence.append(host_evidence)
    if outlet is None and domain:
        outlet = domain
        evidence.append(MetadataEvidence("outlet", outlet, "url: domain (not in the outlet gazetteer, no name "
                                                           "printed for it)"))

    republisher: str | None = raw.given.get("republisher")
    if republisher:
        evidence.append(MetadataEvidence("republisher", republisher, "given"))
        return outlet, republisher
    if domain and outlet:
        # the page is on this host: when the outlet is another, the host carries a copy
        host = host_name or domain
        both_known = site_outlet is not None and find_outlet(outlet) is not None
        if not _same_outlet(host, outlet) and (both_known or not _domain_matches(domain, outlet)):
            republisher = host
            evidence.append(MetadataEvidence("republisher", republisher,
                                             f"url: hosted on {domain}, not the outlet's site"))
        return outlet, republisher
    # Without a URL, a site named in the page furniture (banner, newsletter, footer) that is not the outlet hosts
    # a copy.
    for name in layout.furniture_domains:
        known = find_outlet(name) or outlet_for_domain(name)
        canonical = known.name if known else name
        if outlet is None or not _same_outlet(canonical, outlet):
            republisher = canonical
            evidence.append(MetadataEvidence("republisher", republisher, "text: a site named in the page furniture "
                                             "differs from the outlet"))
            break
    return outlet, republisher


def _same_outlet(a: str, b: str) -> bool:
    ka = find_outlet(a)
    kb = find_outlet(b)
    if ka is not None and kb is not None:
        return ka.name == kb.name
    return norm_line(a).replace(" ", "") == norm_line(b).replace(" ", "")


def _names_host(domain: str, name: str) -> bool:
    """Whether a short header line names the page's own site: it spells one of the host's labels, or most of one
    ("Gothamist" on gothamist.com, "The Planetary Press" on theplanetarypress.com; not "Tech" on knowtechie.com nor
    "About Rutgers" on rutgers.edu)."""
    full = re.sub(r"[^a-z0-9]", "", name.lower())
    names = {full, full[3:] if full.startswith("the") and len(full) > 6 else full}
    initials = "".join(w[0] for w in re.findall(r"[a-z0-9]+", name.lower()) if w != "the")
    labels = [re.sub(r"[^a-z0-9]", "", x) for x in domain.lower().split(".")[:-1]
              if x not in _SKIP_LABELS and x not in ("blog", "blogs")]
    for label in filter(None, labels):
        if len(initials) >= 2 and label == initials:
            return True  # "Deutsche Welle" on dw.com
        for squashed in names:
            # the host spells the name or most of it ("novayagazeta" for "Novaya Gazeta Europe"), or the name most
            # of the host's label
            if label in squashed and len(label) >= 0.6 * len(squashed) \
                    or squashed in label and len(squashed) >= 0.75 * len(label):
                return True
    return False


def _domain_matches(domain: str, outlet: str) -> bool:
    """Whether a web domain plausibly belongs to the outlet ("dorvask-courier.example" and "The Dorvask Courier",
    "english.palinfo.com" and "PalInfo"): a label of the host and the outlet's name spell each other, or the
    host's label holds at least two of the name's words (all but one)."""
    words = [w for w in re.findall(r"[a-z0-9]+", outlet.lower()) if w not in {"the", "a", "of", "and"}]
    squashed = "".join(words)
    if not squashed:
        return False
    labels = [re.sub(r"[^a-z0-9]", "", x) for x in domain.lower().split(".")[:-1] if x not in _SKIP_LABELS]
    for label in filter(None, labels):
        if label == squashed or len(squashed) >= 4 and squashed in label or len(label) >= 4 and label in squashed \
                or len(squashed) == 3 and label.startswith(squashed):  # "BSS" on bssnews.net
            return True
        significant = [w for w in words if len(w) >= 3]
        hits = sum(1 for w in significant if w in label)
        if hits >= 2 and hits >= len(significant) - 1:
            return True
    return False


#: the glyph of a close or menu button scraped onto the headline's line
_CLOSE_GLYPH = re.compile(r"^[×✕✖⨯☰]\s+")
#: a temperature as a header's weather widget prints it ("24.1 C", "38°F")
_TEMPERATURE = re.compile(r"-?\d{1,3}(?:[.,]\d+)?\s*°?\s*[CF]")


def _beside_weather(lines: list[Line], i: int) -> bool:
    """Whether the line next to line ``i`` (before or after it) is only a temperature: a date beside it is the
    header's widget of the day the page was fetched ("24.1 C" / "Thursday, July 25, 2024"), not a publication
    stamp."""
    return any(0 <= j < len(lines) and _TEMPERATURE.fullmatch(lines[j].text.strip()) for j in (i - 1, i + 1))


def _published(raw: RawInput, layout: _Layout, html: _HtmlResult | None, url: str | None,
               text: str, country: str | None = None) -> tuple[str | None, PublishedEvidence]:
    """The publication date, from the strongest evidence the page has: given; the page's markup; a publication
    stamp near the headline; a dateline's date (its year printed, else inferred); a date in the URL; an update
    stamp; a date closing a photo caption near the top; a month in the URL; a relative stamp ("3 days ago")
    counted from the crawl date; a yearless date left partial."""
    given = raw.given.get("published")
    if given:
        return given, PublishedEvidence("given", given, None, (), None, "given in the input")
    if html and html.date:
        value = html.date
        return value, PublishedEvidence(html.date_method, value, None, (), None, "date from the page's markup")
    crawled = raw.given.get("crawled")
    found = url_date(url) if url else None
    banner: tuple[str, PublishedEvidence] | None = None
    if layout.date_line and layout.date_line[0].kind == "published":
        value, evidence = _stamp_published(layout.date_line, text, url, country,
                                           "a date stamp near the headline (a line of furniture around a date)")
        if not layout.stamp_far_above and not (
                layout.stamp_above_title and found is not None and not found.partial
                and abs((dt.date.fromisoformat(value[:10]) - dt.date.fromisoformat(found.value)).days) > 2):
            return value, evidence
        # a date printed above the headline that the URL contradicts, or far above it among the site's menus, is a
        # banner (the site's "today"), not the article's: it counts only where the URL's month says the same
        banner = (value, evidence)
    partial: tuple[str, PublishedEvidence] | None = None
    if layout.dateline_date:
        rawdate, span = layout.dateline_date
        full = parse_absolute(rawdate) if re.search(r"\d{4}", rawdate) else None
        if full:
            return full, PublishedEvidence("text: dateline", rawdate, span, (), None, "date in the dateline")
        md = month_day(rawdate)
        if md:
            value, evidence = infer_year(md[0], md[1], layout_body_text(text, layout), raw=rawdate, span=span,
                                         method="text: dateline (no year printed)", url=url, crawled=crawled)
            if not value.startswith("--"):
                return value, evidence
            partial = (value, evidence)
    if found is not None and not found.partial:
        return found.value, PublishedEvidence("url", found.raw, None, (), None, "the date in the URL path")
    if layout.date_line and banner is None:
        return _stamp_published(layout.date_line, text, url, country,
                                "only an update stamp is printed: the date of the latest version")
    body_years = [int(y) for y in re.findall(r"(?<![\d/.-])(?:19|20)\d\d(?![\d/-])", layout_body_text(text, layout))]
    if layout.caption_date and int(layout.caption_date[0][:4]) >= max(body_years, default=0):
        # (a caption older than a year the article refers to is a file photo's)
        value, span = layout.caption_date
        return value, PublishedEvidence("text: photo caption", text[span.start:span.end], span, (), None,
                                        "no date stamp, dateline or URL date: the date closing a photo caption near "
                                        "the headline (the day the photo was taken), weak evidence")
    if banner is not None and found is not None and banner[0].startswith(found.value):
        return banner  # (the URL's month agrees: a blog's date above its post's title)
    if found is not None:
        return found.value, PublishedEvidence("url (month only)", found.raw, None, (), None,
                                              "only a month in the URL path: a partial date, weak evidence")
    if crawled:
        for line in layout.lines[:40]:
            stamp = read_relative_stamp(line.text, crawled)
            if stamp is not None:
                return stamp.value, PublishedEvidence(
                    "text: relative stamp", stamp.raw, Span(line.start + stamp.span[0], line.start + stamp.span[1]),
                    (), None, f"counted back from the crawl date {crawled[:10]}: weak evidence")
    if partial is not None:
        return partial
    return None, PublishedEvidence("none", "", None, (), None, "no publication date found")


def _stamp_published(chosen: tuple[DateStamp, Span], text: str, url: str | None, country: str | None,
                     reason: str) -> tuple[str, PublishedEvidence]:
    stamp, span = chosen
    value = stamp.value
    if stamp.alternative is not None:
        sep = re.search(r"\d([-/.])\d", stamp.raw)
        default = "mdy" if sep and sep.group(1) == "/" else "dmy"
        if stamp.weekday is not None and dt.date.fromisoformat(stamp.alternative[:10]).weekday() == stamp.weekday \
                and dt.date.fromisoformat(value[:10]).weekday() != stamp.weekday:
            value, why = stamp.alternative, "the weekday printed with it fits only the other reading"
        else:
            order, why = numeric_order(text, url=url, country=country, sep=sep.group(1) if sep else "-")
            if order != default:
                value = stamp.alternative
        reason += f"; day and month are ambiguous in {stamp.raw!r}: {why}"
    return value, PublishedEvidence("text: date line", stamp.raw, span, (), None, reason)


#: how far (days) the nearest dated document of a collection may be for its year to settle a yearless date
COLLECTION_WINDOW_DAYS = 366
_YEARLESS = re.compile(r"^(?:--|(\d{4})-)(\d{2})-(\d{2})")


def date_from_collection(doc: Document, dates: Iterable[str | None]) -> Document:
    """``doc`` with the year of a yearless publication date settled by the documents analysed with it.

    A dateline such as "MOSCOW, March 12" prints no year; when the page's own evidence leaves it open (a partial
    ``--03-12``) or picks one of several equally likely years (``tentative``), the year that puts the date closest
    to the other documents' dates (``dates``: their ``published`` values; partial ones are ignored) is taken, when
    that nearest document is within a year of it and no other candidate year is as close. The choice stays
    tentative and its reason says why. Any other document is returned unchanged.
    """
    ev = doc.published_evidence
    m = _YEARLESS.match(doc.published or "")
    if m is None or not (m.group(1) is None or ev.tentative):
        return doc
    month, day = int(m.group(2)), int(m.group(3))
    known: list[dt.date] = []
    for value in dates:
        if value and value != doc.published and re.match(r"^\d{4}-\d{2}-\d{2}", value):
            try:
                known.append(dt.date.fromisoformat(value[:10]))
            except ValueError:
                continue
    if not known:
        return doc
    top = max((c.score for c in ev.candidates), default=None)
    years = [c.year for c in ev.candidates if c.score == top] or sorted({d.year for d in known})
    scored: list[tuple[int, int, dt.date]] = []
    for year in years:
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        nearest = min(known, key=lambda d: abs((d - date).days))
        scored.append((abs((nearest - date).days), year, nearest))
    scored.sort()
    if not scored or scored[0][0] > COLLECTION_WINDOW_DAYS or len(scored) > 1 and scored[1][0] == scored[0][0]:
        return doc
    gap, year, nearest = scored[0]
    if ev.tentative and year == ev.choice:
        return doc
    others = ", ".join(str(y) for y in years if y != year)
    reason = (f"the year is not printed{'; the evidence also fits ' + others if others else ''}: {year} puts the "
              f"date closest to the other documents analysed with it (the nearest is dated {nearest.isoformat()}, "
              f"{gap} day{'s' if gap != 1 else ''} away); chosen tentatively")
    value = f"{year:04d}-{month:02d}-{day:02d}" + (doc.published or "")[10:]
    evidence = dataclasses.replace(ev, choice=year, reason=reason, tentative=True)
    return dataclasses.replace(doc, published=value, published_evidence=evidence)


def layout_body_text(text: str, layout: _Layout) -> str:
    return blank_outside(text, layout.body, tuple(layout.removed))


ARTICLE_METADATA = ("metadata:title", "metadata:lede", "metadata:dateline")


def article_text(doc: Document) -> str:
    """What cleaning identified as the article: the body without furniture, with headline, lede and dateline
    (which analysis treats as metadata) back in place. This is what extraction is scored on."""
    kept = tuple(r for r in doc.removed if r.reason not in ARTICLE_METADATA)
    spans = [doc.body] + [r.span for r in doc.removed if r.reason in ARTICLE_METADATA]
    start = min(s.start for s in spans)
    end = max(s.end for s in spans)
    return _join_outside(doc.text, Span(start, end), kept)


def _join_outside(text: str, body: Span, removed: tuple[RemovedSpan, ...]) -> str:
    parts: list[str] = []
    cursor = body.start
    for r in removed:
        if r.end <= body.start or r.start >= body.end:
            continue
        parts.append(text[cursor : max(cursor, r.start)])
        cursor = max(cursor, r.end)
    parts.append(text[cursor : body.end])
    return re.sub(r"[ \t]+\n", "\n", "".join(parts)).strip()


def body_text(doc: Document) -> str:
    """The article as analysis sees it, with removed spans and everything outside the body dropped."""
    return _join_outside(doc.text, doc.body, doc.removed)


def detect_language(text: str) -> tuple[str, float]:
    """ISO 639-1 code of the article text (py3langid), with a 0-1 confidence; ``und`` for too little text."""
    sample = " ".join(text.split())[:3000]
    if len(sample) < 20:
        return "und", 0.0
    identifier = _identifier()
    lang, prob = identifier.classify(sample)
    return str(lang), round(float(prob), 3)


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


register("clean.lines.v1", description="plain text: line-shape, position, call-to-action and repeated-line "
         "evidence; HTML: trafilatura main text aligned to the page's visible text")(clean)
