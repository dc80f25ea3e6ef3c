"""Shared types, vocabulary and span helpers of the attribution rules (:mod:`crossnews.extract.attribution`).

An attribution's parts are character offsets (:data:`Frag`) into the parsed text; the helpers here measure,
trim and grow them, tell quotes apart from the text around them, and read the parse's subjects and cues."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

Frag = tuple[int, int]
OPEN_QUOTES = "“«„‟"
QUOTE_START = "“«„‟\"'‘"
CLOSE_QUOTES = "”»"
STRAIGHT = '"'


# Cue lemmas that the train split shows as cues less often than this are ignored, unless a quote or a "that"
# clause makes the reporting reading clear.


@dataclass(frozen=True, slots=True)
class Gates:
    """How likely a verb must be to report before each rule may use it (tuned on PolNeAR dev).

    ``cue``: a clause, a directive or a parenthetical; ``weak``: a "that" clause or a quote with a weaker cue;
    ``headline``: the rest of a headline; ``object`` (``human_object`` with a person or body as subject): an
    object complement."""

    cue: float
    weak: float
    headline: float
    object: float
    human_object: float


#: with the lexicon's per-lemma rates
LEXICON_GATES = Gates(cue=0.25, weak=0.1, headline=0.6, object=0.45, human_object=0.25)
#: with the learned model's in-context probabilities
LEARNED_GATES = Gates(cue=0.45, weak=0.3, headline=0.6, object=0.45, human_object=0.45)
#: with the learned model's probabilities and the acceptance model after the rules (which drops what it doubts)
ACCEPT_GATES = Gates(cue=0.2, weak=0.1, headline=0.3, object=0.2, human_object=0.2)
SPEECH_LEMMAS = {
    "say", "tell", "add", "claim", "report", "announce", "argue", "deny", "urge", "insist", "warn", "write",
    "state", "note", "explain", "acknowledge", "admit", "reiterate", "suggest", "declare", "assert", "confirm",
    "stress", "emphasize", "emphasise", "contend", "maintain", "allege", "complain", "recall", "predict",
    "promise", "vow", "tweet", "ask", "reply", "respond", "answer", "continue", "conclude", "testify", "boast",
    "concede", "point", "observe", "remark", "comment", "describe", "call", "accuse", "charge",
    "believe", "think", "feel", "hope", "fear", "know", "agree", "disagree", "demand", "propose", "recommend",
    "indicate", "show", "find", "reveal", "estimate", "expect", "question", "wonder", "joke",
    "quip", "caution", "threaten", "order", "instruct", "advise", "signal", "hint", "underline",
    "reaffirm", "repeat", "assure", "inform", "notify", "proclaim", "mention", "post", "retort",
}


#: the text saying that an unnamed source is so on purpose ("who asked not to be named" is no statement of theirs)
ANONYMITY = re.compile(r"\b(?:on (?:the )?condition (?:of|that \w+ not be) (?:anonymity|named|identified)|"
                       r"(?:asked|requested|declined) (?:not )?to be (?:named|identified)|(?:requested|sought|were "
                       r"granted|was granted) anonymity|not authori[sz]ed to (?:speak|talk|comment))", re.IGNORECASE)
ANONYMOUS_HEADS = {
    "official", "officials", "source", "sources", "representative", "spokesman", "spokeswoman", "spokesperson",
    "diplomat", "diplomats", "aide", "aides", "insider", "insiders", "person", "people", "officer", "adviser",
    "advisor", "staffer", "member", "members", "expert", "experts", "analyst", "analysts", "observer",
    "observers", "witness", "witnesses", "resident", "residents", "employee", "employees",
}


@dataclass(frozen=True, slots=True)
class RawAttribution:
    """One attribution found in a parsed text: character offsets into that text."""

    cue: Frag
    content: tuple[Frag, ...]
    source: Frag | None
    rule: str
    confidence: float
    cue_lemma: str
    source_head: int | None = None  # token index of the source phrase's head
    cue_token: int = -1
    kind: str = "indirect"
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def content_span(self) -> Frag:
        return (self.content[0][0], self.content[-1][1])


@lru_cache(maxsize=1)
def cue_lexicon() -> dict[str, float]:
    """Lemma → how often the train split shows it as a cue (0-1), from ``data/cue_lexicon.json``."""
    path = resources.files("crossnews").joinpath("data/cue_lexicon.json")
    try:
        with path.open(encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        return {lemma: 0.5 for lemma in SPEECH_LEMMAS}
    rates = {lemma: v["cue"] / max(v["total"], 1) for lemma, v in data["lemmas"].items()}
    for lemma in SPEECH_LEMMAS:
        rates.setdefault(lemma, 0.3)
    return rates


_TRAIL = ".,;:!?–—―- \n\t"


def _span_of(tokens: list[Any]) -> Frag:
    toks = [t for t in tokens if not t.is_space] or tokens
    start = min(t.idx for t in toks)
    end = max(t.idx + len(t.text) for t in toks)
    return start, end


def _subtree_span(tok: Any, exclude: set[int] | None = None) -> Frag:
    toks = [t for t in tok.subtree if exclude is None or t.i not in exclude]
    return _span_of(toks)


def _trim(text: str, frag: Frag) -> Frag:
    s, e = frag
    while s < e and text[s] in " \n\t,;:–—―-":
        s += 1
    while e > s and text[e - 1] in _TRAIL:
        e -= 1
    return s, e


def _in_quote(quotes: list[Frag], pos: int) -> Frag | None:
    for q in quotes:
        if q[0] <= pos < q[1]:
            return q
    return None


def _extend_to_quotes(text: str, frag: Frag, quotes: list[Frag], cue_pos: int) -> Frag:
    """Grow a content span to the whole quotes it belongs to, keeping the marks: a quote the span crosses, and,
    when the cue stands outside a quote, the quote the span lies in (the cue reports the whole quote, even one
    running over several sentences). A clause reported inside a quote by a cue inside it stays as it is."""
    s, e = frag
    for q in quotes:
        if not (q[0] < e and s < q[1]):
            continue
        inside = q[0] <= s and e <= q[1]
        if inside and q[0] <= cue_pos < q[1]:
            continue
        s, e = min(s, q[0]), max(e, q[1])
    return s, e


def _subjects(cue: Any) -> list[Any]:
    """The cue's subjects, nearest to the cue first (a fronted clause can be mis-parsed as a second subject)."""
    subs = [c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")]
    return sorted(subs, key=lambda c: min(abs(c.i - cue.i), abs(c.right_edge.i - cue.i)))


def _is_fronted(tok: Any, verb: Any) -> bool:
    """Whether ``tok`` lies in a phrase before ``verb`` that hangs from it (a fronted modifier)."""
    while tok.head.i != tok.i and tok.head.i != verb.i:
        tok = tok.head
    return tok.head.i == verb.i and tok.i < verb.i and tok.dep_ in ("prep", "advcl", "npadvmod", "advmod")


def _reporting(tok: Any) -> bool:
    """Whether the token's lemma is a reporting verb: one PolNeAR marks as a cue at least 30% of the time."""
    return cue_lexicon().get(tok.lemma_.lower(), 0.0) >= 0.3


CUE_PREPS = {"for", "on", "to", "as", "about", "of", "against", "over"}
OBJECT_DEPS = {"dobj", "dative", "attr", "oprd", "xcomp", "ccomp", "acomp"}


#: verbs whose subject belongs to what they report: "Quist appeared to mock ..."
RAISING_LEMMAS = {"appear", "seem"}
#: verbs of acts, not of speech: with a mere object ("vetoed the resolution", "signed a decree", "passed a bill",
#: "was convicted of treason") they report what someone did; a clause or a quote after them is still a statement
ACT_LEMMAS = frozenset("""veto ratify enact impose launch seize deploy arrest expel provide trade sentence
convict pass sign adopt""".split())


def _is_time_phrase(tok: Any) -> bool:
    """"during a campaign stop", "in July", "since the debate": when or where, not what."""
    if tok.dep_ != "prep":
        return False
    if tok.lower_ in ("during", "since", "after", "before", "until", "at"):
        return True
    return any(c.dep_ == "pobj" and c.ent_type_ in ("DATE", "TIME") for c in tok.children)


def _comma_participle(tok: Any) -> bool:
    """Whether ``tok`` is a participle right after a comma ("X denied that ..., claiming that ..."): the speaker's
    next speech act, which the parse may hang on what was said before it."""
    return bool(tok.tag_ == "VBG" and tok.i > 0 and tok.doc[tok.i - 1].text == ",")


def _first_right(tok: Any) -> int:
    rights = [c.i for c in tok.rights if not (c.is_punct or c.is_space or c.dep_ == "prt")]
    return min(rights) if rights else -1


def _comma_bridge(between: str) -> bool:
    """Whether the text from a cue to the second half of a split quote is a short reporting clause ending on a
    comma ('he said, "B."')."""
    return len(between) < 80 and "." not in between and re.search(r",\s*$", between) is not None


def _quote_before(quotes: list[Frag], pos: int) -> Frag | None:
    """The quote ending nearest before ``pos`` (at most 60 characters before), and of nested quotes ('"It feels
    like, 'Meh ...,'" he said') the outer one."""
    before = [q for q in quotes if q[1] <= pos and pos - q[1] < 60]
    return max(before, key=lambda q: (q[1], -q[0])) if before else None


def _owns_complement(cue: Any) -> bool:
    """Whether a cue other than a verb of speech has an object or clause after it, or a preposition of its own
    with one ("referring to X"): then that, not a quote or clause before it, is what it reports."""
    if cue.lemma_.lower() in SPEECH_LEMMAS:
        return False
    return any(k.i > cue.i and (k.dep_ in ("dobj", "ccomp", "xcomp") or (
        k.dep_ == "prep" and k.lower_ in CUE_PREPS and any(g.dep_ in ("pobj", "pcomp") for g in k.children)))
        for k in cue.children)


def _kind(text: str, content: list[Frag] | tuple[Frag, ...], quotes: list[Frag]) -> str:
    inside = [q for q in quotes if any(f[0] <= q[0] and q[1] <= f[1] for f in content)]
    if not inside:
        return "indirect"
    if all(any(q[0] == f[0] and q[1] == f[1] for q in inside) for f in content):
        return "direct"
    return "mixed"
