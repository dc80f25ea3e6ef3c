"""Immutable records. Every record points into its document's ``text`` by ``[start, end)`` offsets.

Records never copy article text except where a span is exported (``Span.to_json`` takes the text from the
document). All classes are frozen dataclasses with slots; collections are tuples so records hash and compare by
value.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA_ID = "crossnews/1"

StatementKind = Literal["direct", "indirect", "mixed"]
RelationType = Literal["same", "agrees", "adds", "contradicts", "unrelated", "omits", "quotes", "retells"]


@dataclass(frozen=True, slots=True)
class Span:
    """A ``[start, end)`` character range in one document's ``text``."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not (0 <= self.start <= self.end):
            raise ValueError(f"E001: invalid span [{self.start}, {self.end}): need 0 <= start <= end")

    def text_of(self, text: str) -> str:
        return text[self.start : self.end]

    def to_json(self, text: str) -> dict[str, Any]:
        if self.end > len(text):
            raise ValueError(f"E002: span [{self.start}, {self.end}) lies outside a text of {len(text)} chars")
        return {"text": text[self.start : self.end], "start": self.start, "end": self.end}

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class RemovedSpan:
    """A span that cleaning took out of the analysed text, with a reason code and a human explanation.

    ``reason`` codes start with ``furniture:`` (page furniture: banners, labels, calls to action...) or
    ``metadata:`` (headline, lede, dateline, byline... moved to document metadata, not noise).
    """

    start: int
    end: int
    reason: str
    detail: str = ""

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True, slots=True)
class YearCandidate:
    year: int
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PublishedEvidence:
    """How the publication date was found: the raw string, where it was, and, for yearless dates, the
    candidate years with their evidence, the choice (or none) and why."""

    method: str  # "given", "text-date-line", "text-dateline", "html-metadata", "url", "none"
    raw: str = ""
    span: Span | None = None
    candidates: tuple[YearCandidate, ...] = ()
    choice: int | None = None
    reason: str = ""
    tentative: bool = False  # the year was chosen among equally likely ones (the most recent), not proven


@dataclass(frozen=True, slots=True)
class MetadataEvidence:
    """Where one metadata value came from: a span of the document text and/or a method."""

    field: str
    value: str
    method: str
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    source: str
    format: str  # "text", "html", "jsonl-text", "jsonl-html"
    text: str
    content_hash: str
    body: Span
    removed: tuple[RemovedSpan, ...] = ()
    title: str | None = None
    outlet: str | None = None
    republisher: str | None = None
    dateline: str | None = None
    published: str | None = None  # ISO 8601, possibly partial: "2014-03-16T17:47Z", "2014-03", "--12-28"
    published_evidence: PublishedEvidence = field(default_factory=lambda: PublishedEvidence("none"))
    language: str = "und"
    language_score: float = 0.0
    url: str | None = None
    author: str | None = None
    lede: Span | None = None
    evidence: tuple[MetadataEvidence, ...] = ()

    def analysis_text(self) -> str:
        """The text that analysis runs on: ``text`` with everything outside the body and every removed span
        blanked to spaces (newlines kept), and the line breaks of hard-wrapped text turned into spaces
        (:func:`unwrap`), and an opening quote mark typed for an apostrophe read as one (:func:`apostrophes`), so
        offsets into it are offsets into ``text``."""
        return apostrophes(unwrap(blank_outside(self.text, self.body, self.removed)))


#: an opening single quote between a word and a possessive or contraction ending ("Russia‘s", "don‘t"): an
#: apostrophe typed with the wrong mark, which the parse would read as a quotation opening
_MISTYPED_APOSTROPHE = re.compile(r"(?<=\w)‘(?=(?:s|t|d|ll|re|ve|m)\b)")


def apostrophes(text: str) -> str:
    """``text`` with each opening single quote typed for an apostrophe ("Russia‘s") made one, same length."""
    return _MISTYPED_APOSTROPHE.sub("’", text) if "‘" in text else text


#: hard-wrapped text: lines this long at most, most of the long ones close to it
_WRAP_MAX = 100
_WRAP_MIN_LINES = 6
_LINE = re.compile(r"[^\n]*(?:\n|$)")


def wrap_width(text: str) -> int | None:
    """The width text was hard-wrapped at (wire copy, e-mail, plain-text archives), or ``None`` when its lines are
    paragraphs. Wrapped: at least six lines of 40+ characters, none longer than 100 (after trailing blanks), and
    two thirds of them within 15 characters of the longest."""
    lengths = [len(line.rstrip()) for line in text.split("\n")]
    long = [n for n in lengths if n >= 40]
    if len(long) < _WRAP_MIN_LINES or max(long) > _WRAP_MAX:
        return None
    width = max(long)
    near = sum(1 for n in long if n >= width - 15)
    return width if near * 3 >= len(long) * 2 else None


def unwrap(text: str) -> str:
    """``text`` with each line break of hard-wrapped prose turned into a space, same length: a break is a wrap when
    the next line's first word would not have fitted on the line before it, or when that word carries on a sentence
    in lower case (a short line ends its paragraph; a blank line, an indented line or a list item starts a new
    one)."""
    width = wrap_width(text)
    if width is None:
        return text
    chars = list(text)
    lines = [m for m in _LINE.finditer(text) if m.end() > m.start()]
    for line, nxt in zip(lines, lines[1:], strict=False):
        body = line.group().rstrip("\r\n").rstrip()
        following = nxt.group().rstrip("\r\n")
        if not body or not following.strip() or following[:1].isspace() or following.lstrip()[:1] in "-*•–—":
            continue
        first_word = following.split(None, 1)[0]
        if len(body) + 1 + len(first_word) <= width and not (first_word[:1].islower() and body[-1:] not in ".!?:"):
            continue  # the word would have fitted, and it does not carry on a sentence: the writer ended the line
        for i in range(line.start() + len(line.group().rstrip("\r\n")), line.end()):
            chars[i] = " "
    return "".join(chars)


def blank_outside(text: str, body: Span, removed: tuple[RemovedSpan, ...]) -> str:
    chars = list(text)

    def blank(a: int, b: int) -> None:
        for i in range(a, b):
            if chars[i] not in "\n\r":
                chars[i] = " "

    blank(0, body.start)
    blank(body.end, len(chars))
    for r in removed:
        blank(r.start, r.end)
    return "".join(chars)


@dataclass(frozen=True, slots=True)
class Mention:
    doc: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Role:
    """A title a document gives an entity, with that document's date: roles are kept with their time."""

    title: str
    doc: str
    date: str | None


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    type: str  # PERSON, ORG, GPE, LOC, NORP, ANONYMOUS, DESC
    aliases: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    roles: tuple[Role, ...] = ()


@dataclass(frozen=True, slots=True)
class Speaker:
    span: Span | None
    entity: str | None = None
    anonymous: bool = False
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Cue:
    span: Span
    lemma: str


@dataclass(frozen=True, slots=True)
class Statement:
    id: str
    doc: str
    speaker: Speaker
    cue: Cue | None
    content: Span
    kind: StatementKind
    nested_in: str | None = None
    channel: str | None = None
    confidence: float = 0.0
    parts: tuple[Span, ...] = ()  # a quote split around its cue: the pieces of ``content``


@dataclass(frozen=True, slots=True)
class TimeExpr:
    doc: str
    start: int
    end: int
    type: str  # DATE, TIME, DURATION, SET
    value: str  # TIMEX3 value


@dataclass(frozen=True, slots=True)
class SourceRef:
    doc: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    id: str
    date: str
    label: str
    sources: tuple[SourceRef, ...] = ()
    statements: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Relation:
    id: str
    type: str
    a: str
    b: str
    evidence: tuple[tuple[str, Any], ...] = ()
    judge: str = ""
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Story:
    """Documents that tell one story (shared names, close in time, similar content): relations are sought only
    between documents of one story. ``label`` is a short human label (the names most of its documents share);
    ``entities`` the merged entity ids behind it; ``first``/``last`` its earliest and latest publication days."""

    id: str
    label: str
    documents: tuple[str, ...]
    entities: tuple[str, ...] = ()
    first: str | None = None
    last: str | None = None


@dataclass(frozen=True, slots=True)
class ChainLink:
    """One step of a claim's genealogy: ``a`` told earlier (or, when ``known`` is False, in an order the dates do
    not tell), ``b`` later; ``relation`` the relation that joins them (None when they are joined through others);
    ``drift`` what changed from one telling to the next (words, numbers, dates, who is credited)."""

    a: str
    b: str
    relation: str | None
    known: bool
    drift: tuple[tuple[str, Any], ...] = ()
    date_a: str | None = None
    date_b: str | None = None


@dataclass(frozen=True, slots=True)
class Chain:
    """One claim told in several documents, its tellings (statement ids, or ``doc`` ids for quoted words no
    statement holds) in the order they were told, and the links between them."""

    id: str
    label: str
    members: tuple[str, ...]
    links: tuple[ChainLink, ...] = ()


@dataclass(frozen=True, slots=True)
class Technique:
    """A span ``[start, end)`` of a document tagged with a propaganda technique (PTC's 14 labels) and the tagger's
    score."""

    doc: str
    start: int
    end: int
    technique: str
    score: float


@dataclass(frozen=True, slots=True)
class FramingForm:
    """One way an outlet names a referent: the words as written (``form``, whitespace and quote marks normalised),
    how often, the markers found in them (``qualifier:so-called``, ``scare-quotes``...) and where."""

    form: str
    count: int
    markers: tuple[str, ...] = ()
    spans: tuple[SourceRef, ...] = ()


@dataclass(frozen=True, slots=True)
class FramingOutlet:
    outlet: str
    documents: tuple[str, ...]
    forms: tuple[FramingForm, ...]


@dataclass(frozen=True, slots=True)
class Framing:
    """The words each outlet of a story uses for one referent: a merged entity (``kind`` ``entity``) or a thing the
    outlets name with different nouns (``kind`` ``concept``: the vote, the takeover, the armed group...)."""

    id: str
    story: str
    referent: str
    kind: str
    label: str
    outlets: tuple[FramingOutlet, ...]


@dataclass(frozen=True, slots=True)
class Rejected:
    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything one run produced; what ``export`` writes and the store holds."""

    documents: tuple[Document, ...] = ()
    entities: tuple[Entity, ...] = ()
    statements: tuple[Statement, ...] = ()
    times: tuple[TimeExpr, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    relations: tuple[Relation, ...] = ()
    rejected: tuple[Rejected, ...] = ()
    stories: tuple[Story, ...] = ()
    chains: tuple[Chain, ...] = ()
    framing: tuple[Framing, ...] = ()
    techniques: tuple[Technique, ...] = ()


def merged_id(merge: Mapping[str, str], key: str, doc: str) -> str:
    """The merged entity a document's entity key stands for: ``merge`` gives it for the key in that document
    (``key@doc``: a bare title such as "the Chancellor" is the person who holds it there) or for the key anywhere;
    a key absent from both stands for itself."""
    return merge.get(f"{key}@{doc}") or merge.get(key, key)


def with_merged_speakers(statements: Iterable[Statement], merge: Mapping[str, str]) -> tuple[Statement, ...]:
    """``statements`` with each speaker's document-level entity key replaced by the merged entity ``merge`` gives
    it (:func:`merged_id`)."""
    return tuple(
        dataclasses.replace(s, speaker=dataclasses.replace(s.speaker, entity=merged_id(merge, s.speaker.entity,
                                                                                           s.doc)))
        if s.speaker.entity else s
        for s in statements
    )
