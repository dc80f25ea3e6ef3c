"""Stage 4b — the timeline: what the documents say happened, and when, on one clock.

Entry function: :func:`build_timeline`. Entries come from

* **reported events**: a sentence with a dated time expression (a day, a month or a year the text gives, already
  anchored to its document's publication date) tells what happened then ("They held a referendum on March 16,
  2014"); the entry's label is that sentence without the date;
  two dates joined as a range ("From September 23 to September 27") make one entry dated by the ISO 8601
  interval ``2022-09-23/2022-09-27``;
* **statements**: a top-level statement is dated by a time expression in its cue's sentence outside what was
  said ("Lavrov said on Wednesday"), else, when its cue is a verb of speech ("said", "told", "according to"),
  by its document's publication date. An undated "Moscow recognized ..." or "Ukraine refuses ..." is not put on
  the publication day: news reports such acts long after they happened.

The same event told by several documents is one entry with several sources: entries on the same date whose
labels share an event word (referendum, treaty, resolution...) or enough content words merge. Entries whose
labels match strongly but whose dates differ are kept apart and point to each other in ``conflicts``: the
sources disagree on when it happened.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from crossnews.core.records import Document, Entity, SourceRef, Statement, TimeExpr, TimelineEntry
from crossnews.extract.attribution import cue_lexicon

__all__ = ["build_timeline", "said_label", "statement_date"]

_STOP = set("""a an the of to in on at for from by with and or but as is are was were be been being has have had
that this these those it its their his her they he she we you i said says say told according also after before
than then there which who whom whose what when where while into over under about against between during without
within would will could should may might can not no more most other some such only own same so very just one two
three four five six seven eight nine ten later earlier on friday monday tuesday wednesday thursday saturday sunday
january february march april may june july august september october november december year years day days
month months week weeks""".split())
EVENT_WORDS = {
    "referendum", "vote", "voted", "election", "treaty", "treaties", "resolution", "veto", "vetoed", "agreement",
    "accession", "annexation", "reunification", "declaration", "declarations", "independence", "recognition",
    "recognizing", "recognized", "coup", "operation", "invasion", "attack", "strike", "strikes", "talks", "call",
    "meeting", "summit", "sanctions", "ratified", "signed", "ceasefire", "protest", "protests", "shooting",
    "announced", "launched", "crash", "flight", "merger", "deal", "dam", "ruling",
}
_DATED = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?(?:T.*)?$")
_RANGE_JOIN = re.compile(r"\s*(?:to|until|till|through|and|-|–|—)\s*$", re.IGNORECASE)
_RANGE_OPEN = re.compile(r"\b(?:[Ff]rom|[Bb]etween)\s+$")
SPEECH_RATE = 0.6  # a cue lemma the train split shows as a cue at least this often is a verb of speech


def _is_speech(lemma: str) -> bool:
    return " " in lemma.strip() or cue_lexicon().get(lemma.lower(), 0.0) >= SPEECH_RATE


@dataclass
class _Entry:
    date: str
    label: str
    words: set[str]
    sources: list[SourceRef] = field(default_factory=list)
    statements: list[str] = field(default_factory=list)
    kind: str = "event"
    sentence: tuple[str, int, int] | None = None  # (doc, start, end) of the sentence an event was read from
    relative: bool = False  # dated by a word anchored to the publication day ("two days ago", "Wednesday")


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z'’-]+", text.lower()) if w not in _STOP and len(w) > 2}


_BREAK = re.compile(r"[.!?][\"'”’]?\s+(?=[A-Z\"“‘])|\n+")


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence around ``pos``: from after the previous sentence break to the next one (or the line end)."""
    start = 0
    for brk in _BREAK.finditer(text, max(0, pos - 2000), pos):
        start = brk.end()
    nxt = _BREAK.search(text, pos)
    end = nxt.start() + 1 if nxt and text[nxt.start()] in ".!?" else (nxt.start() if nxt else len(text))
    return start, end


def _day(value: str) -> str:
    return value.split("T", 1)[0]


def _without_date(text: str, start: int, end: int, t_start: int, t_end: int) -> str:
    """The sentence with its time expression (and the preposition left dangling) taken out."""
    before = re.sub(r"\b(?:[Oo]n|[Ii]n|[Aa]t|[Ff]rom|[Bb]y|[Ss]ince|[Uu]ntil|[Oo]f|[Ll]ater on)\s*$", "",
                    text[start:t_start])
    sentence = before + text[t_end:end]
    return re.sub(r"\s+", " ", sentence).strip(" ,;.")


def _short(sentence: str, words: int = 22) -> str:
    parts = sentence.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _same_event(a: _Entry, b: _Entry) -> bool:
    shared = a.words & b.words
    if shared & EVENT_WORDS and len(shared) >= 2:
        return True
    union = a.words | b.words
    return bool(union) and len(shared) / len(union) >= 0.35


#: words before a time expression that make it the time of something else than the saying ("in office since 2004",
#: "the treaty of 1997", "until March")
_NOT_WHEN = re.compile(r"(?:\b(?:since|until|till|from|before|after|by|through|between|of|for|ago|in office|"
                       r"served|born|elected|appointed)|[(\-–—])\s*$", re.IGNORECASE)
_WORDS_BETWEEN = re.compile(r"[\w’'-]+")


def _when_said(text: str, st: Statement, t: TimeExpr) -> bool:
    """Whether the time expression ``t`` tells when ``st`` was said: a month or a day (not a bare year), next to the
    cue ("said on Wednesday", "told reporters in Brussels on Monday", "Lavrov on Wednesday said") or opening the
    sentence ("On Monday, the minister said"), and not the time of something else ("in office since 2004")."""
    if st.cue is None or len(t.value) < 7:
        return False
    before = text[max(0, t.start - 30):t.start]
    if _NOT_WHEN.search(before):
        return False
    cue = st.cue.span
    if t.start >= cue.end:
        gap = text[cue.end:t.start]
        return "," not in gap and len(_WORDS_BETWEEN.findall(gap)) <= 4
    gap = text[t.end:cue.start]
    s_start, _ = _sentence_bounds(text, t.start)
    opening = len(_WORDS_BETWEEN.findall(text[s_start:t.start])) <= 2
    return opening or ("," not in gap and len(_WORDS_BETWEEN.findall(gap)) <= 2)


def statement_date(st: Statement, doc: Document, times: Sequence[TimeExpr]) -> str | None:
    """The day a statement was made, as the text tells it: a dated time expression in its cue's sentence outside
    what was said that tells when it was said ("Lavrov said on Wednesday", see :func:`_when_said`), else, for a verb
    of speech, the publication day; else None."""
    if st.cue is None:
        return None
    s_start, s_end = _sentence_bounds(doc.text, st.cue.span.start)
    for t in times:
        inside = st.content.start <= t.start < st.content.end
        if s_start <= t.start < s_end and not inside and t.type in ("DATE", "TIME") and _DATED.match(t.value) \
                and _when_said(doc.text, st, t):
            return _day(t.value)
    if doc.published and _DATED.match(doc.published) and _is_speech(st.cue.lemma):
        return _day(doc.published)
    return None


def said_label(speaker: str, cue: str | None, said: str) -> str:
    """What someone said as a line: "Ada Brook said: ...", "According to Ada Brook: ..." (not "Ada Brook
    according to: ...")."""
    if cue is None:
        return f"{speaker}: {said}"
    if cue.lower().startswith(("according to", "as per")):
        return f"{cue[:1].upper()}{cue[1:]} {speaker}: {said}"
    return f"{speaker} {cue}: {said}"


def build_timeline(documents: Sequence[Document], statements: Sequence[Statement], times: Sequence[TimeExpr],
                   entities: Sequence[Entity] = ()) -> list[TimelineEntry]:
    """Timeline entries over all documents, in date order, each with its sources (doc and offsets)."""
    texts = {d.id: d for d in documents}
    names = {e.id: e.name for e in entities}
    entries: list[_Entry] = []
    times_by_doc: dict[str, list[TimeExpr]] = defaultdict(list)
    for t in times:
        times_by_doc[t.doc].append(t)
    content_spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for st in statements:
        content_spans[st.doc].append((st.content.start, st.content.end))
    # reported events: dated time expressions and the sentence around them
    events_at: dict[tuple[str, str], list[_Entry]] = defaultdict(list)  # by document and date, in order
    for doc_id, doc_times in times_by_doc.items():
        doc = texts.get(doc_id)
        if doc is None:
            continue
        text = doc.text
        dated = sorted((t for t in doc_times if t.type in ("DATE", "TIME") and _DATED.match(t.value)),
                       key=lambda t: t.start)
        skip: set[int] = set()
        for i, t in enumerate(dated):
            if i in skip:
                continue
            start, end = _sentence_bounds(text, t.start)
            date, t_end = _day(t.value), t.end
            nxt = dated[i + 1] if i + 1 < len(dated) else None
            if nxt is not None and nxt.start < end and _RANGE_OPEN.search(text[max(0, t.start - 10):t.start]) \
                    and _RANGE_JOIN.fullmatch(text[t.end:nxt.start]) and _day(nxt.value) > date:
                date, t_end = f"{date}/{_day(nxt.value)}", nxt.end  # "From September 23 to September 27"
                skip.add(i + 1)
            sentence = _without_date(text, max(start, doc.body.start), min(end, doc.body.end), t.start, t_end)
            words = _words(sentence)
            if len(words) < 2:
                continue
            reported = _Entry(date, _short(sentence), words, [SourceRef(doc_id, t.start, t_end)],
                              sentence=(doc_id, start, end), relative=not _ABSOLUTE.search(text[t.start:t_end]))
            entries.append(reported)
            events_at[(doc_id, date)].append(reported)
    # statements: dated by their cue's sentence, else by their document's publication date
    for st in statements:
        if st.nested_in is not None or st.cue is None:
            continue
        doc = texts.get(st.doc)
        if doc is None:
            continue
        text = doc.text
        when = statement_date(st, doc, times_by_doc.get(st.doc, []))
        if when is None:
            continue
        speaker = names.get(st.speaker.entity or "", None) or st.speaker.description or (
            st.speaker.span.text_of(text) if st.speaker.span else "unnamed source")
        said = st.content.text_of(text)
        said = said if len(said) <= 140 else said[:140].rsplit(" ", 1)[0] + " …"
        label = said_label(speaker, st.cue.span.text_of(text), said)
        event = next((e for e in events_at.get((st.doc, when), ()) if e.sentence is not None
                      and e.sentence[1] <= st.cue.span.start < e.sentence[2]), None)
        if event is not None:  # the statement is how the dated event was reported: one entry
            event.statements.append(st.id)
            event.sources.append(SourceRef(st.doc, st.content.start, st.content.end))
            continue
        entries.append(_Entry(when, label, _words(said), [SourceRef(st.doc, st.content.start, st.content.end)],
                              [st.id], kind="statement"))
    merged = _merge(entries)
    return _finish(merged)


def _merge(entries: list[_Entry]) -> list[_Entry]:
    """One entry per event: same day (or the same month or year at that precision) and a matching label."""
    by_date: dict[str, list[_Entry]] = defaultdict(list)
    for e in entries:
        by_date[e.date].append(e)
    out: list[_Entry] = []
    for date in sorted(by_date):
        group: list[_Entry] = []
        for e in by_date[date]:
            target = next((g for g in group if g.kind == e.kind and _same_event(g, e)
                           and {s.doc for s in g.sources} != {s.doc for s in e.sources}), None)
            if target is None:
                group.append(e)
            else:
                target.sources += e.sources
                target.statements += e.statements
                target.words |= e.words
                target.relative = target.relative or e.relative
        out.extend(group)
    return out


def _finish(entries: list[_Entry]) -> list[TimelineEntry]:
    ids = []
    for e in entries:
        first = e.sources[0]
        digest = hashlib.sha1(f"{e.date}:{first.doc}:{first.start}:{e.kind}".encode()).hexdigest()[:10]
        ids.append(f"tl-{digest}")
    conflicts: dict[int, list[str]] = defaultdict(list)
    for i, a in enumerate(entries):
        if a.kind != "event":
            continue
        for j in range(i + 1, len(entries)):
            b = entries[j]
            if b.kind != "event" or a.date == b.date or not (a.words & b.words & EVENT_WORDS):
                continue
            if {s.doc for s in a.sources} & {s.doc for s in b.sources}:
                continue  # a document that tells both dates tells two moments ("shot down in July 2014", "the
                # team revealed on Thursday"), not a disagreement
            if _compatible(a.date, b.date, slack=1 if a.relative or b.relative else 0):
                continue
            if _strong_match(a, b):
                conflicts[i].append(ids[j])
                conflicts[j].append(ids[i])
    return [TimelineEntry(ids[i], e.date, e.label, tuple(e.sources), tuple(e.statements), tuple(conflicts[i]))
            for i, e in enumerate(entries)]


#: a time expression that names its year or month: not anchored to the day it was published
_ABSOLUTE = re.compile(r"\b\d{4}\b|\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
                       r"aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b", re.I)


def _days(value: str) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day a date of the timeline covers ("2018" the year, "2018-03" the month, an interval
    "2022-09-23/2022-09-27" its days); None for what does not parse."""
    try:
        if "/" in value:
            first, last = (_days(v) for v in value.split("/", 1))
            return (first[0], last[1]) if first and last else None
        parts = [int(x) for x in value.split("-")]
        if len(parts) == 3:
            day = datetime.date(*parts)
            return day, day
        if len(parts) == 2:
            start = datetime.date(parts[0], parts[1], 1)
            return start, (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        if len(parts) == 1:
            return datetime.date(parts[0], 1, 1), datetime.date(parts[0], 12, 31)
    except ValueError:
        return None
    return None


def _compatible(a: str, b: str, *, slack: int = 0) -> bool:
    """Whether dates ``a`` and ``b`` can be the same moment: one within the other ("March 2018" and "March 12,
    2018"), or, with ``slack``, that many days apart (a day counted back from two publication days)."""
    da, db = _days(a), _days(b)
    if da is None or db is None:
        return False
    gap = datetime.timedelta(days=slack)
    return da[0] - gap <= db[1] and db[0] - gap <= da[1]


def _strong_match(a: _Entry, b: _Entry) -> bool:
    shared = a.words & b.words
    union = a.words | b.words
    return len(shared & EVENT_WORDS) >= 1 and bool(union) and len(shared) / len(union) >= 0.5
