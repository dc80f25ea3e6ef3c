"""Attributed statements by rules over the spaCy dependency parse (backend ``quotes.rules.v2``).

For each reporting cue (a verb whose lemma the PolNeAR-derived lexicon knows as a cue, "according to", a colon
before a quote) the rules find:

* the **content**: the clausal complement ("said *that ...*"), a fronted clause or quote ("*"...",* he said"), a
  quote introduced by a colon, the object and infinitive of "urged X *to ...*", the main clause around
  "according to X", the sentence around a reporting clause the parse left unlinked ("..., as police have
  said"); a quote split around the cue is one statement with two parts, a quote that runs over several sentences
  or paragraphs is taken whole (quote marks are paired first, tolerating stray marks), and a quote opening the
  next sentence, or making up the next paragraph, with no cue of its own continues the statement;
* the **source**: the cue's subject (its whole noun phrase, with a relative pronoun replaced by its antecedent),
  the agent of a passive, the subject inherited by "..., adding/saying" and by coordinated cues, or the object
  of "according to".

Spans follow the PARC/PolNeAR conventions: content keeps "that" and quote marks and drops the sentence's final
punctuation outside quotes. The functions here work on a spaCy ``Doc`` and return character offsets; resolving
speakers, nesting and channels is :mod:`crossnews.extract.statements`' job.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from crossnews.clean.metadata import match_dateline
from crossnews.core.nlp import doc_text, sentence_of
from crossnews.extract.accept import AcceptModel, accept_features, load_accept_model
from crossnews.extract.boundaries import BoundaryModel, load_boundary_model, refine_content, refine_cue, refine_source
from crossnews.extract.cues import cue_features, is_candidate, load_cue_model

__all__ = ["RawAttribution", "find_quotes", "find_single_quotes", "find_attributions", "cue_lexicon"]

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
CORE_DIRECTIVES = {"urge", "call", "ask", "tell"}
# Cues whose content is an object plus an infinitive ("urged Kerry to use ..."; "called on Russia to ...").
DIRECTIVE_LEMMAS = {"urge", "call", "ask", "tell", "order", "instruct", "advise", "warn", "encourage", "invite",
                    "implore", "press", "push", "request", "demand", "beg", "appeal"}
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


# --- quote marks -----------------------------------------------------------------------------------------------


_MARK = re.compile(r"''|[“”«»„‟\"]")


def find_quotes(text: str) -> list[Frag]:
    """Pair double quote marks into ``[start, end)`` spans that include the marks.

    Curly and guillemet marks pair by direction; straight marks (and the doubled apostrophe ``''`` some papers
    print) alternate within a paragraph. A quote left open at the end of a paragraph continues when the next
    paragraph opens with a quote mark (the news convention for quotes over several paragraphs); otherwise the
    stray mark is ignored. Never raises.
    """
    spans: list[Frag] = []
    pending: int | None = None  # start of a quote carried over from an earlier paragraph
    for para in re.finditer(r"[^\n]+", text):
        marks = [(m.start(), m.end(), m.group(0)) for m in _MARK.finditer(text, para.start(), para.end())]
        open_at: int | None = None
        carried = pending
        pending = None
        starts_with_mark = bool(marks) and not text[para.start():marks[0][0]].strip()
        if carried is not None and not starts_with_mark:
            carried = None  # the earlier open quote was a stray mark
        for n, (m_start, m_end, mark) in enumerate(marks):
            opening = mark in OPEN_QUOTES or (mark in (STRAIGHT, "''") and open_at is None)
            if mark in CLOSE_QUOTES and open_at is None and n == 0 and starts_with_mark and carried is None:
                opening = True  # a closing mark typed where a paragraph opens a quote
            if opening:
                if open_at is not None:
                    open_at = m_start  # a second opening mark: the first one was stray
                    continue
                open_at = carried if (n == 0 and carried is not None and starts_with_mark) else m_start
                carried = None
            elif open_at is not None:
                spans.append((open_at, m_end))
                open_at = None
        if open_at is not None:
            pending = open_at
    return spans


_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[“\"—–-]))[‘'](?=\S)")


def find_single_quotes(text: str) -> list[Frag]:
    """Pair single quote marks (‘...’ and '...'), which also serve as apostrophes: a mark opens after a space
    or an opening bracket, and the first mark not followed by a letter closes it (so "Russia’s" never does).
    A quote is kept only within one paragraph and up to 600 characters. Never raises."""
    spans: list[Frag] = []
    for m in _SINGLE_OPEN.finditer(text):
        start = m.start()
        if text[start:start + 2] == "''" or (start > 0 and text[start - 1] == "'"):
            continue
        if spans and start < spans[-1][1]:
            continue
        limit = min(len(text), start + 600)
        for i in range(start + 1, limit):
            ch = text[i]
            if ch == "\n":
                break
            if ch in "’'" and (i + 1 >= len(text) or not text[i + 1].isalpha()) and text[i - 1] not in " \t":
                if not (ch == "'" and text[i - 1] in "sS" and i + 1 < len(text) and text[i + 1] == " "
                        and text[start] == "’"):
                    spans.append((start, i + 1))
                    break
    return spans


# --- the rules -------------------------------------------------------------------------------------------------

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


def _noun_phrase(tok: Any, without: Any | None = None, cue: Any | None = None) -> Frag:
    """The source phrase, by the PARC convention: the whole subtree with its appositives and relative clauses,
    and the comma that closes them ("Kerr Putney, the police chief, said"); never the clause ``without`` (the
    one that holds the cue) nor anything from the cue on."""
    skip = {t.i for t in without.subtree} if without is not None else set()
    toks = [t for t in tok.subtree if t.i not in skip and (cue is None or t.i < cue.i or tok.i > cue.i)]
    toks = _without_dateline(toks)
    # one dash before the head ends a phrase the parser ran into the source: "… is predictable - Donald Trump"
    dashes = [t for t in toks if _is_dash(t)]
    if len(dashes) == 1 and dashes[0].i < tok.i and tok.pos_ in ("PROPN", "NOUN", "PRON"):
        toks = [t for t in toks if t.i > dashes[0].i]
    if not toks:
        return _span_of([tok])
    while toks and toks[0].is_punct and toks[0].text not in "([":
        toks = toks[1:]
    while toks and toks[-1].is_punct and not _closes_bracket(toks):
        toks = toks[:-1]
    toks = toks or [tok]
    doc = tok.doc
    nxt = doc[toks[-1].i + 1] if toks[-1].i + 1 < len(doc) else None
    if nxt is not None and nxt.text == "," and any(t.text == "," for t in toks) and (cue is None or nxt.i < cue.i):
        toks = [*toks, nxt]
    return _span_of(toks)


def _without_dateline(toks: list[Any]) -> list[Any]:
    """The tokens less a news dateline that opens their paragraph ("WASHINGTON -- ", "RENO, Nev. (AP) — ")."""
    if not toks:
        return toks
    text = doc_text(toks[0].doc)
    line = text.rfind("\n", 0, toks[0].idx) + 1
    if text[line:toks[0].idx].strip():
        return toks
    end = text.find("\n", line)
    dateline = match_dateline(text[line:] if end < 0 else text[line:end])
    if dateline is None:
        return toks
    return [t for t in toks if t.idx >= line + dateline.span[1]] or toks


def _is_dash(tok: Any) -> bool:
    """A dash between words: an em or en dash, or a hyphen or double hyphen with spaces around it."""
    if tok.text in ("—", "–"):
        return True
    return tok.text in ("-", "--") and bool(tok.whitespace_) and tok.i > 0 and bool(tok.doc[tok.i - 1].whitespace_)


def _closes_bracket(toks: list[Any]) -> bool:
    """Whether the last token closes a bracket or a quote opened among the others."""
    last: str = toks[-1].text
    if last in ('"', "'"):
        return sum(1 for t in toks if t.text == last) % 2 == 0
    pairs = {")": "(", "]": "[", "”": "“", "’": "‘"}
    return last in pairs and any(t.text == pairs[last] for t in toks[:-1])


def _subjects(cue: Any) -> list[Any]:
    """The cue's subjects, nearest to the cue first (a fronted clause can be mis-parsed as a second subject)."""
    subs = [c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")]
    return sorted(subs, key=lambda c: min(abs(c.i - cue.i), abs(c.right_edge.i - cue.i)))


def _fronted_subject(cue: Any) -> Any | None:
    """'An earlier statement ... signals a shift,' Lavrov said: the parser made the fronted content a subject."""
    subs = _subjects(cue)
    if len(subs) < 2:
        return None
    far = subs[-1]
    after = cue.doc[far.right_edge.i + 1] if far.right_edge.i + 1 < len(cue.doc) else None
    if far.i < subs[0].i and after is not None and (after.text in {",", "’", "”", '"'} or after.is_punct):
        return far
    return None


def _source_of(cue: Any) -> tuple[Frag | None, int | None]:
    for child in _subjects(cue)[:1] + [c for c in cue.children if c.dep_ not in ("nsubj", "nsubjpass")]:
        if child.dep_ in ("nsubj", "nsubjpass"):
            if child.dep_ == "nsubjpass" and not _has_misread(cue):
                break
            if child.tag_ in ("WP", "WDT") and cue.dep_ == "relcl":  # "the official, who said ...": PARC's
                return _span_of([child]), child.i  # source is the relative pronoun
            if child.lower_ in ("it", "there") and child.dep_ == "nsubj" and cue.lemma_ in ("seem", "appear"):
                return None, None
            start, end = _noun_phrase(child, cue=cue)
            split = next((c for c in cue.children if c.dep_ == "nsubj" and c.tag_ == child.tag_ == "NNP"
                          and c.right_edge.i + 1 == child.left_edge.i), None)
            if split is not None:  # one name parsed as two subjects: "the Harbour | Gazette reported"
                start = _noun_phrase(split, cue=cue)[0]
            return (start, end), child.i
    for child in cue.children:
        if child.dep_ == "agent":
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                return _noun_phrase(objs[0]), objs[0].i
    if any(c.dep_ == "nsubjpass" for c in cue.children):
        return None, None  # "the council was told everything": whoever told it is not the outer speaker
    lost = _lost_subject(cue)
    if lost is not None:
        return lost
    clause = _subject_clause(cue)
    if clause is not None:
        return _noun_phrase(clause[0], cue=cue), clause[1].i
    return _inherited_source(cue)


def _has_misread(cue: Any) -> bool:
    """ "He's said he ...": the parser read the perfect's "'s" as a passive "is"; a clause reported after it
    shows the verb is active (a passive report, "he's said to ...", has none)."""
    return any(c.dep_ == "auxpass" and c.lower_ in ("'s", "’s") for c in cue.children) \
        and any(c.dep_ == "ccomp" and c.i > cue.i for c in cue.children)


def _subject_clause(cue: Any) -> tuple[Any, Any] | None:
    """A subject whose appositive or relative clause holds a verb, parsed as a clause fronted before the cue:
    "Jeffrey Salkin, a rabbi helping to organize the boycott, said he ...", "One attendee, who spoke on the
    condition of anonymity, said ...". The clause (all of it, the source) and its subject (the speaker), when
    the cue has no subject of its own and reports a clause or an object after it."""
    if cue.dep_ != "ROOT" or not any(c.dep_ in ("ccomp", "xcomp", "dobj") and c.i > cue.i for c in cue.children):
        return None
    clause = next((c for c in cue.children if c.dep_ == "ccomp" and c.i < cue.i), None)
    if clause is None or clause.left_edge.i != sentence_of(cue).start:
        return None
    subject = next((c for c in clause.children if c.dep_ == "nsubj" and c.left_edge.i == clause.left_edge.i), None)
    if subject is None or subject.pos_ not in ("PROPN", "NOUN"):
        return None
    last = subject.right_edge
    marks = (cue.doc[subject.i + 1], last if last.is_punct else cue.doc[last.i + 1])  # "X, who …" / "X, a …,"
    if not any(m.i < clause.i and m.text in (",", "-", "—", "–") for m in marks):
        return None
    return clause, subject


def _lost_subject(cue: Any) -> tuple[Frag, int] | None:
    """The subject (its phrase and head) of a sentence's finite main verb that the parse attached elsewhere: a
    name right before it, taken into a fronted phrase ("At an event in Tarnov, Mira Quist also railed against
    ..."), or a name right after it that closes the sentence, taken for its object ('"...," recalled Mr.
    Oskar.')."""
    if cue.dep_ != "ROOT" or cue.tag_ not in ("VBD", "VBZ", "VBP"):
        return None
    doc, sent = cue.doc, sentence_of(cue)
    k = cue.i - 1
    while k >= sent.start and doc[k].dep_ in ("advmod", "neg") and doc[k].head.i == cue.i:
        k -= 1
    before = doc[k] if k >= sent.start else None
    if before is not None and before.pos_ == "PROPN" and before.ent_type_ in ("PERSON", "ORG") \
            and before.head.i != cue.i and before.dep_ in ("pobj", "appos", "conj"):
        return _noun_phrase(before, cue=cue), before.i
    if before is not None and before.dep_ == "compound" and before.head.i == cue.i \
            and before.pos_ in ("PROPN", "NOUN"):  # "Conway notes", "Dems hope": the verb read as a noun's head
        return _noun_phrase(before, cue=cue), before.i
    if before is not None and not before.is_quote and k > sent.start:
        # the subject with its appositives, hung as an apposition inside the fronted phrase: "In a statement to
        # the Observer, her adviser, Jake Sullivan, said"; "At Boca West, ..., Jay DiPietro, the club's president
        # and manager, suggested"; "In an interview with hosts A and B, the candidate stated"
        end = k - 1 if before.text == "," else k
        top = None
        tok = doc[end]
        while tok.head.i != tok.i and tok.head.i != cue.i:
            if tok.dep_ in ("appos", "conj") and tok.head.dep_ in ("pobj", "conj", "appos") \
                    and tok.right_edge.i in (end, k) \
                    and tok.left_edge.i > sent.start and doc[tok.left_edge.i - 1].text == ",":
                top = tok
            tok = tok.head
        if top is not None and top.pos_ in ("PROPN", "NOUN") and _is_fronted(top.head, cue):
            start, stop = _noun_phrase(top, cue=cue)
            comma = top.left_edge.i - 1  # "to Clinton, [Tanden], [head of the Center]," are two appositions
            name = next((c for c in top.head.children if c.dep_ in ("appos", "conj") and c.i < top.i
                         and c.right_edge.i in (comma - 1, comma)), None)
            if name is not None and name.left_edge.i > sent.start and doc[name.left_edge.i - 1].text == ",":
                start = name.left_edge.idx
                if doc[k].text == "," and stop <= doc[k].idx:  # the comma that closes the appositions
                    stop = doc[k].idx + 1
            return (start, stop), (name or top).i
    if before is not None and (before.is_punct or before.is_quote):
        obj = next((c for c in cue.children if c.dep_ == "dobj" and c.left_edge.i == cue.i + 1), None)
        if obj is not None and (obj.pos_ == "PROPN" and obj.ent_type_ in ("PERSON", "ORG")
                                or obj.pos_ in ("PROPN", "NOUN") and before.is_quote and _reporting(cue)) \
                and all(t.is_punct or t.is_space for t in doc[obj.right_edge.i + 1:sent.end]):
            return _noun_phrase(obj, cue=cue), obj.i  # '"...," added another New Hampshire Democrat.'
    return None


def _is_fronted(tok: Any, verb: Any) -> bool:
    """Whether ``tok`` lies in a phrase before ``verb`` that hangs from it (a fronted modifier)."""
    while tok.head.i != tok.i and tok.head.i != verb.i:
        tok = tok.head
    return tok.head.i == verb.i and tok.i < verb.i and tok.dep_ in ("prep", "advcl", "npadvmod", "advmod")


def _reporting(tok: Any) -> bool:
    """Whether the token's lemma is a reporting verb: one PolNeAR marks as a cue at least 30% of the time."""
    return cue_lexicon().get(tok.lemma_.lower(), 0.0) >= 0.3


def _inherited_source(cue: Any, depth: int = 0) -> tuple[Frag | None, int | None]:
    """A cue without a subject of its own takes its source from the phrase it hangs from: "..., adding that";
    "and told reporters"; "by announcing that" / "before asking her" (the verb the preposition modifies);
    "a tweet attacking X" (the noun a participle modifies); "prompted NATO to order" (the object)."""
    if depth > 3 or cue.head.i == cue.i:
        return None, None
    if depth == 0 and cue.dep_ == "advcl" and (cue.tag_ == "VBN" or (cue.tag_ == "VBD" and cue.i < cue.head.i)):
        # a passive participle ("Asked whether she would resign, Vos said", often tagged as a past tense when it
        # opens the sentence): the one asked is not the one asking
        return None, None
    head = cue.head
    if cue.dep_ == "pcomp" and head.dep_ == "prep":
        verb = head.head
        if head.lower_ == "as":  # "quoted Whitlow as saying" / "Whitlow was quoted as saying": the one quoted
            obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i < head.i), None) or next(
                (c for c in verb.children if c.dep_ == "nsubjpass"), None)
            if obj is not None:
                return _noun_phrase(obj), obj.i
        for child in verb.children:
            if child.dep_ == "nsubj":
                return _noun_phrase(child), child.i
        return _inherited_source(verb, depth + 1) if verb.pos_ in ("VERB", "AUX") else (None, None)
    if cue.dep_ == "acl" and cue.tag_ in ("VBD", "VBN") and head.pos_ in ("NOUN", "PROPN") and head.dep_ == "ROOT" \
            and not any(c.dep_ == "agent" for c in cue.children) \
            and any(c.dep_ in ("dobj", "dative", "ccomp", "oprd", "xcomp") for c in cue.children):
        # "Vell, a Quist ally, called the rules strong.": the sentence's verb, with an object of its own, taken
        # for a participle modifying the sentence's only noun phrase, which is its subject
        return _noun_phrase(head, cue, cue), head.i
    if cue.dep_ == "acl" and cue.tag_ == "VBG" and head.pos_ in ("NOUN", "PROPN", "PRON"):
        # of "jobs and opponents warning ...", the participle's own noun is the conjunct just before it
        last = next((c for c in head.children if c.dep_ == "conj" and c.right_edge.i == cue.i - 1), None)
        if last is not None and any(c.dep_ == "cc" and c.i < last.i for c in head.children):
            return _noun_phrase(last, cue), last.i
        return _noun_phrase(head, cue), head.i
    if cue.dep_ == "xcomp":
        obj = next((c for c in head.children if c.dep_ == "dobj" and c.i < cue.i), None)
        if obj is not None:
            return _noun_phrase(obj), obj.i
        subject = next((c for c in _subjects(head.head) if c.dep_ == "nsubj"), None) \
            if head.dep_ == "acomp" else None
        if subject is not None:  # "Sexton was quick to point out": the one who is quick
            return _noun_phrase(subject), subject.i
    if cue.dep_ == "conj" and head.dep_ == "ccomp" and head.head.pos_ == "VERB" and _reporting(cue) \
            and _reporting(head.head):
        # "Lopez said the official was wrong and urged ...": the parse hung the speaker's next act inside what
        # was said; the speaker is the reporting verb's (as the content rule of that verb also assumes)
        return _source_of(head.head)
    if cue.dep_ in ("advcl", "conj", "xcomp"):
        # the head's subject nearest to it: "The ceasefire held, a spokesman told Wire, adding ..." has the
        # fronted content parsed as a second subject
        for child in _subjects(head):
            if child.dep_ == "nsubj":
                if child.tag_ in ("WP", "WDT") and head.dep_ == "relcl":
                    return _span_of([child]), child.i
                return _noun_phrase(child), child.i
        if head.dep_ in ("advcl", "conj", "xcomp", "pcomp", "acl"):
            return _inherited_source(head, depth + 1)
    return None, None


CUE_PREPS = {"for", "on", "to", "as", "about", "of", "against", "over"}
OBJECT_DEPS = {"dobj", "dative", "attr", "oprd", "xcomp", "ccomp", "acomp"}


def _object_run(cue: Any) -> list[Any]:
    """The cue's object and the complements that run on from it without a break (a comma, a participle clause,
    a time phrase): "called [the contempt citation and the demand ... a political ploy]"."""
    doc = cue.doc
    start = next((c for c in cue.rights if c.dep_ in OBJECT_DEPS
                  or (c.dep_ == "prep" and c.lower_ in CUE_PREPS and c.i == _first_right(cue))), None)
    if start is None:
        return []
    run = [start]
    for c in cue.rights:
        if c.i <= start.i:
            continue
        between = doc[run[-1].right_edge.i + 1 : c.left_edge.i]
        if any(t.is_punct for t in between) or c.is_punct or c.dep_ in ("advcl", "cc", "conj", "mark", "agent") \
                or c.ent_type_ in ("DATE", "TIME") or _is_time_phrase(c):
            break
        if c.dep_ in OBJECT_DEPS or c.dep_ in ("prep", "advmod", "npadvmod", "dative"):
            run.append(c)
        else:
            break
    return run


#: verbs whose subject belongs to what they report: "Quist appeared to mock ..."
RAISING_LEMMAS = {"appear", "seem"}


def _held_subject(cue: Any, lemma: str) -> Frag | None:
    """The subject of a passive or raising cue with an object, which is part of what is claimed, not who claims
    it: "Mr. Vell was accused of | moving $5 million ...", "Voters are expected | to ...", "Quist appeared | to
    mock ...". On PolNeAR train the annotated content holds that subject 191 times out of 228 for a passive cue
    with an object, and 97 out of 124 for "appear" and "seem" with an infinitive."""
    passive = any(c.dep_ == "auxpass" for c in cue.children)
    deps = ("nsubjpass",) if passive else ("nsubj",) if lemma in RAISING_LEMMAS else ()
    subject = next((c for c in cue.children if c.dep_ in deps and c.i < cue.i), None)
    if subject is None:
        return None
    return _trim(doc_text(cue.doc), _noun_phrase(subject, cue=cue))


#: prepositions that open what a passive cue says of its subject: "was seen by many as a demotion", "was
#: criticized by rivals for failing to ...", "was accused by a neighbour of ..."
_PASSIVE_PREPS = {"as", "for", "of", "to", "over", "about"}


def _passive_complements(cue: Any) -> list[Frag]:
    """What a passive cue with an agent says of its subject besides the subject itself: its complements after
    it ("as a demotion", "for failing to ...", "unclean"), each a fragment, never the agent or a time phrase."""
    text = doc_text(cue.doc)
    frags: list[Frag] = []
    for c in cue.children:
        if c.i < cue.i or _is_time_phrase(c):
            continue
        if (c.dep_ == "prep" and c.lower_ in _PASSIVE_PREPS) or c.dep_ in ("oprd", "xcomp", "acomp"):
            frags.append(_trim(text, _subtree_span(c)))
    return [f for f in frags if f[1] - f[0] >= 2]


def _is_time_phrase(tok: Any) -> bool:
    """"during a campaign stop", "in July", "since the debate": when or where, not what."""
    if tok.dep_ != "prep":
        return False
    if tok.lower_ in ("during", "since", "after", "before", "until", "at"):
        return True
    return any(c.dep_ == "pobj" and c.ent_type_ in ("DATE", "TIME") for c in tok.children)


_SPEAKER_ACT = re.compile(r",\s+(?:citing|saying|adding|noting|arguing|insisting|calling|pointing|referring|"
                          r"according)\b")
_NONRESTRICTIVE = re.compile(r",\s+(?:which|who|whom|whose)\b|\s[-–—―]\s")


def _first_right(tok: Any) -> int:
    rights = [c.i for c in tok.rights if not (c.is_punct or c.is_space or c.dep_ == "prt")]
    return min(rights) if rights else -1


def _cue_lemma(cue: Any, span: Frag) -> str:
    """The cue's lemma with the particle or preposition its span takes in: "call on", "call for", "point to"."""
    extra = [t.lower_ for t in cue.doc[cue.i + 1:cue.i + 3]
             if t.idx + len(t) <= span[1] and t.head.i == cue.i and t.dep_ in ("prt", "prep")]
    return " ".join([cue.lemma_.lower(), *extra])


def _cue_span(cue: Any, content: Frag | None = None) -> Frag:
    """The cue, by the PARC convention: the verb with the auxiliaries, negation and "also"/"now" right before it,
    its particle, a preposition that introduces the content ("called for", "pointed to", "described as") and a
    colon that introduces a quote."""
    doc = cue.doc
    toks = [cue] + [c for c in cue.children if c.dep_ == "prt"]
    i = cue.i - 1
    while i >= 0 and doc[i].head.i == cue.i and (doc[i].dep_ in ("aux", "auxpass", "neg")
                                                 or doc[i].lower_ in ("also", "now", "again", "even", "then")):
        toks.append(doc[i])
        i -= 1
    if content is not None:
        for c in cue.children:
            if c.dep_ == "prep" and c.lower_ in CUE_PREPS and c.i > cue.i and c.i + 1 < len(doc) \
                    and content[0] == doc[c.i + 1].idx:
                toks.append(c)
        after = doc[cue.i + 1] if cue.i + 1 < len(doc) else None
        if after is not None and after.text == ":" and content[0] > after.idx:
            toks.append(after)
    toks.sort(key=lambda t: t.i)
    # keep the span contiguous
    chosen = {x.i for x in toks}
    kept = [toks[0]]
    for t in toks[1:]:
        gap = range(kept[-1].i + 1, t.i)
        if t.i == kept[-1].i + 1 or (t.i > cue.i and all(j in chosen or doc[j].is_space for j in gap)):
            kept.append(t)
    return _span_of(kept)


def _content_clause(cue: Any) -> Any | None:
    """The clausal complement of a cue: ccomp, or a "that"-clause hanging from a noun or preposition under it
    ("said in a statement that ..."). Of two clauses, the one after the cue: "X offered Y a job, then says he
    will welcome advice" reports the second; unless a comma stands between the cue and it, which is then a
    clause the parser hung on the cue from further on ('"It's over," she said of the vote, in which she was sure
    [Vell would win]')."""
    clauses = [c for c in cue.children if c.dep_ == "ccomp"]
    if clauses:
        doc = cue.doc
        after = next((c for c in clauses if c.i > cue.i), None)
        if after is not None and clauses[0].i < cue.i \
                and any(t.text in (",", ";") for t in doc[cue.i + 1:after.left_edge.i]):
            return clauses[0]
        return after or clauses[0]
    for child in cue.children:
        if child.dep_ in ("prep", "dobj", "npadvmod") and child.i > cue.i:
            for t in child.subtree:
                if t.dep_ in ("relcl", "acl", "ccomp") and any(
                        c.dep_ == "mark" and c.lower_ == "that" for c in t.children):
                    # "offered no proof that ...", "echoed statements ... that ...": the object is what was said;
                    # "said in a statement that ...": the clause is
                    return child if child.dep_ == "dobj" else t
    return None


def find_attributions(sdoc: Any, *, learned: bool = True, inside_quotes: bool = True,
                      refine: bool = True, accept: bool = True, gates: Gates | None = None) -> list[RawAttribution]:
    """All attributions in a parsed document, in text order, at most one per cue token.

    How likely a verb is to report comes from the learned cue model (:mod:`crossnews.extract.cues`) when its
    weights are installed and ``learned`` is true, else from the cue lexicon's rate for its lemma.
    ``inside_quotes=False`` leaves out statements reported inside a direct quote (PolNeAR does not annotate them).
    With ``learned`` and ``refine`` true, the learned boundary model (:mod:`crossnews.extract.boundaries`), when
    its weights are installed, moves each content's outer boundaries; with ``learned`` and ``accept`` true, the
    acceptance model (:mod:`crossnews.extract.accept`), when installed, lets the rules propose more under looser
    gates and keeps those it scores over its threshold, its score becoming the confidence. ``gates`` overrides
    the rules' gates (the training scripts use it).
    """
    text = doc_text(sdoc)
    quotes = sorted(find_quotes(text) + find_single_quotes(text))
    rates = cue_lexicon()
    model = load_cue_model() if learned else None
    checker = load_accept_model() if learned and accept else None
    if gates is None:
        gates = LEXICON_GATES if model is None else ACCEPT_GATES if checker is not None else LEARNED_GATES
    found: dict[int, RawAttribution] = {}
    for sent in sdoc.sents:
        for tok in sent:
            if tok.lower_ == "according" and tok.i + 1 < len(sdoc) and sdoc[tok.i + 1].lower_ == "to":
                att = _according_to(sdoc, sent, tok, quotes)
                if att:
                    found[tok.i] = att
                continue
            if tok.lower_ == "words" and tok.dep_ == "pobj" and tok.head.lower_ == "in":
                att = _in_words(sdoc, sent, tok, quotes)
                if att:
                    found[tok.i] = att
                continue
            if not is_candidate(tok):
                continue
            lemma = tok.lemma_.lower()
            rate = rates.get(lemma, 0.0)
            if tok.pos_ == "NOUN":
                att = _noun_attribution(sdoc, sent, tok, quotes)
                if att:
                    found[tok.i] = att
                continue
            if model is not None:
                learned_rate = model.probability(cue_features(tok, quotes, rate))
                # PolNeAR annotates no statement reported inside a quote or inside another statement's content;
                # the model learned that, but crossnews wants those nested statements, so there the lexicon's
                # rate also counts
                nested = _in_quote(quotes, tok.idx) or _in_content(found.values(), tok.idx)
                rate = max(learned_rate, rate) if nested else learned_rate
            particle = None
            if lemma == "make":  # "made clear that", "made it plain that"
                particle = next((c for c in tok.children if c.lower_ in ("clear", "plain", "known")), None)
                if particle is not None:
                    rate = 0.9
            if lemma == "put" and any(c.dep_ == "dobj" and c.lower_ == "it" for c in tok.children) and (
                    (tok.i > 0 and sdoc[tok.i - 1].lower_ == "as")
                    or any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children)
                    or any(c.lower_ == "as" for c in tok.head.children if c.i < tok.i)):
                rate = 0.9  # "as the minister put it, ..."
            if rate <= 0.0:
                continue
            att = _verb_attribution(sdoc, sent, tok, lemma, rate, quotes, gates, particle)
            if att and not any(m.start() <= tok.idx < m.end() for m in ANONYMITY.finditer(text, sent.start_char,
                                                                                         sent.end_char)):
                found[tok.i] = att
    atts = _quoted_as_saying(sdoc, [found[i] for i in sorted(found)], quotes)
    if not inside_quotes:
        atts = [a for a in atts if not _in_quote(quotes, a.cue[0])]
    taken = {pos for a in atts for f in (a.cue,) for pos in range(*f)}
    atts = sorted(atts + _colon_and_dash(sdoc, quotes, taken), key=lambda a: a.cue[0])
    atts = _continue_quotes(sdoc, atts, quotes)
    boundaries = load_boundary_model() if learned and refine else None
    if boundaries is not None:
        atts = [_refined(sdoc, a, boundaries, quotes, fences(a, atts, quotes)) for a in atts]
    atts = [d for d in (_disjoint(sdoc, a, quotes) for a in atts) if d is not None]
    if checker is not None:
        atts = _accepted(sdoc, atts, checker, quotes)
    return _untangled(sdoc, atts, quotes)


def _disjoint(sdoc: Any, att: RawAttribution, quotes: list[Frag]) -> RawAttribution | None:
    """The attribution with its source, cue and content sharing no character: of PolNeAR's 22,458 train
    attributions only two have roles that overlap (a source with its cue, a source with its content), and a
    reader is misled by a content that holds its own cue ("what the council said was ...", a relative clause
    around its reporting clause) or by a source straddling a quote mark. A source straddling the cue loses what
    it shares with it (one inside the cue, "in [his] words", stays); the content loses the cue and the source,
    keeping the pieces around them that hold a word, and fragments that overlap become one. A cue with no source
    found whose subject lies in the content takes that subject as its source. ``None`` when no piece of the
    content is left."""
    text = doc_text(sdoc)
    source = att.source
    head = att.source_head
    cue = sdoc[att.cue_token] if att.cue_token >= 0 else None
    if source is None and cue is not None and any(a < cue.idx < b for a, b in att.content):
        # "what the council said was ...", "which he says is ...": the cue's subject, inside the content, is
        # who said it
        subject = next((c for c in cue.children if c.dep_ == "nsubj" and c.i < cue.i), None)
        if subject is not None and any(a <= subject.idx < b for a, b in att.content):
            source, head = _trim(text, _noun_phrase(subject, cue=cue)), subject.i
    if source is not None and source[0] < att.cue[1] and att.cue[0] < source[1] \
            and not (att.cue[0] <= source[0] and source[1] <= att.cue[1]):  # "In his words": the cue holds it
        source = _trim(text, (source[0], att.cue[0]) if source[0] < att.cue[0] else (att.cue[1], source[1]))
        if source[1] <= source[0]:
            source = None
    merged = _cut(text, att.content, [att.cue, *([source] if source is not None else [])])
    if source == att.source and merged == list(att.content):
        return att
    if not merged:
        return None
    if source != att.source and head == att.source_head:
        span = sdoc.char_span(source[0], source[1], alignment_mode="expand") if source is not None else None
        head = span.root.i if span is not None and len(span) else None
    content = tuple(merged)
    return replace(att, content=content, source=source, source_head=head, kind=_kind(text, content, quotes))


def _cut(text: str, frags: Iterable[Frag], holes: Iterable[Frag]) -> list[Frag]:
    """``frags`` without the characters of ``holes``: of each fragment a hole cuts, the pieces on either side that
    hold a word (trimmed of spaces and punctuation) stay; fragments that then overlap become one."""
    pieces = list(frags)
    for lo, hi in holes:
        kept: list[Frag] = []
        for a, b in pieces:
            if not (lo < b and a < hi):
                kept.append((a, b))
                continue
            for piece in ((a, lo), (hi, b)):
                piece = _trim(text, piece)
                if any(ch.isalnum() for ch in text[piece[0]:piece[1]]):
                    kept.append(piece)
        pieces = kept
    merged: list[Frag] = []
    for a, b in sorted(pieces):
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _untangled(sdoc: Any, atts: list[RawAttribution], quotes: list[Frag]) -> list[RawAttribution]:
    """Two statements whose contents hold each other's cue, read as one reporting the other. "According to the
    Gazette, the ferry will stop, an engineer has warned": the Gazette reports the engineer's warning, whose
    content is not "According to the Gazette, the ferry will stop" but "the ferry will stop". Without this each
    would be nested in the other, and neither told first-hand. The outer one is the one outside the quote marks
    when the other's cue is inside them ("'According to their plan, the vote is in June,' he added": his quote);
    else the one whose cue hangs in the parse below the other's, an adjunct that frames the whole sentence (the
    paper's "according to" under "warned"; "It does not say whether ..., as police have said": the police tell
    what it does not say); else an "according to"; else the one with the longer content. The inner one's content
    loses the outer's cue and source, and the inner one is dropped when nothing of its content is left."""
    text = doc_text(sdoc)

    def holds(a: RawAttribution, b: RawAttribution) -> bool:
        return any(f[0] <= b.cue[0] and b.cue[1] <= f[1] for f in a.content)

    def outer_first(a: RawAttribution, b: RawAttribution) -> bool:
        a_quoted, b_quoted = _in_quote(quotes, a.cue[0]) is not None, _in_quote(quotes, b.cue[0]) is not None
        if a_quoted != b_quoted:
            return b_quoted
        if a.cue_token >= 0 and b.cue_token >= 0:
            a_tok, b_tok = sdoc[a.cue_token], sdoc[b.cue_token]
            if a_tok.is_ancestor(b_tok) != b_tok.is_ancestor(a_tok):
                return bool(b_tok.is_ancestor(a_tok))
        if (a.rule == "according-to") != (b.rule == "according-to"):
            return a.rule == "according-to"
        a_len, b_len = a.content_span[1] - a.content_span[0], b.content_span[1] - b.content_span[0]
        return a_len > b_len or (a_len == b_len and a.cue[0] < b.cue[0])

    out: list[RawAttribution | None] = list(atts)
    for i in range(len(out)):
        for j in range(i + 1, len(out)):
            a, b = out[i], out[j]
            if a is None or b is None or not (holds(a, b) and holds(b, a)):
                continue
            outer, k = (a, j) if outer_first(a, b) else (b, i)
            inner = out[k]
            assert inner is not None
            content = tuple(_cut(text, inner.content, [outer.cue, *([outer.source] if outer.source else [])]))
            out[k] = replace(inner, content=content, kind=_kind(text, content, quotes)) if content else None
    return [a for a in out if a is not None]


def _quoted_as_saying(sdoc: Any, atts: list[RawAttribution], quotes: list[Frag]) -> list[RawAttribution]:
    """"The Courier quoted Whitlow as saying that ...": two statements, the paper's, whose content runs from the
    one quoted on (as PolNeAR marks it), and inside it the one quoted's, with the cue "saying". In the passive,
    "Whitlow was quoted by the Courier as saying that ...", the paper's content is what Whitlow is quoted as
    saying."""
    by_cue = {a.cue_token: a for a in atts if a.cue_token >= 0}
    out = []
    for att in atts:
        cue = sdoc[att.cue_token] if att.cue_token >= 0 else None
        obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i), None) if cue is not None else None
        passive = cue is not None and obj is None and any(c.dep_ == "nsubjpass" for c in cue.children)
        prep = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ == "as" and c.i > (obj or cue).i),
                    None) if cue is not None and (obj is not None or passive) else None
        verb = next((c for c in prep.children if c.dep_ == "pcomp" and c.pos_ == "VERB"), None) if prep else None
        if verb is None or verb.i not in by_cue:
            out.append(att)
            continue
        content = att.content
        if obj is not None:
            content = ((obj.left_edge.idx, max(att.content_span[1], by_cue[verb.i].content_span[1])),)
        out.append(replace(att, content=content, kind=_kind(doc_text(sdoc), content, quotes),
                           extras={**att.extras, "reports": verb.i}))
    return out


def _accepted(sdoc: Any, atts: list[RawAttribution], checker: AcceptModel,
              quotes: list[Frag]) -> list[RawAttribution]:
    """The attributions the acceptance model keeps. PolNeAR does not annotate statements reported inside a
    quote, nor the one quoted in "quoted X as saying", so the model cannot judge those: one whose cue passes the
    strict gate inside a quote is kept whatever it scores, and so is the one quoted when its reporter is kept.
    Nor does PolNeAR annotate a report inside another's indirect content (none of its 22,457 train cues lies in
    another attribution's content), which the model learned too; a chain of who said what is what crossnews is
    for, so such a report ("the ministry said its minister had told Brock that ...": a speech verb with its source
    and a clause, inside a statement already kept) is kept whatever it scores."""
    out: list[RawAttribution] = []
    reported: set[int] = set()
    for att in atts:
        p = checker.probability(accept_features(sdoc, att, _cue_head(sdoc, att)))
        nested_ok = _in_quote(quotes, att.cue[0]) is not None and att.extras.get("p_cue", 0.0) >= LEARNED_GATES.cue
        chained = att.rule == "ccomp" and att.source is not None and att.cue_lemma in SPEECH_LEMMAS \
            and _in_content(out, att.cue[0])
        if p >= checker.threshold or nested_ok or chained or att.cue_token in reported or att.rule == "in-words":
            out.append(replace(att, confidence=round(p, 3)))
            if "reports" in att.extras:
                reported.add(att.extras["reports"])
    return _one_per_statement(sdoc, out)


def _one_per_statement(sdoc: Any, atts: list[RawAttribution]) -> list[RawAttribution]:
    """Two cues of one statement. "An earlier statement made by a Pentagon official that ...": of the noun of
    speech and the participle that modifies it, the noun's is kept. "Obama seemed to recognize ...": a raising
    verb and the cue it raises are one cue, "seemed to recognize", with the latter's source and content (PolNeAR
    train, where both were kept: one annotated cue over the two 19 times, the raising verb's alone 9)."""
    by_cue = {a.cue_token: a for a in atts if a.cue_token >= 0}
    raised: dict[int, RawAttribution] = {}  # cue token of a raised cue -> the raising verb's attribution
    for att in atts:
        tok = sdoc[att.cue_token] if att.cue_token >= 0 else None
        if tok is not None and tok.lemma_.lower() in RAISING_LEMMAS:
            x = next((c for c in tok.children if c.dep_ == "xcomp" and c.i in by_cue), None)
            if x is not None:
                raised[x.i] = att
    raising = {id(a) for a in raised.values()}
    out = []
    for att in atts:
        tok = sdoc[att.cue_token] if att.cue_token >= 0 else None
        noun = by_cue.get(tok.head.i) if tok is not None and tok.dep_ == "acl" and tok.head.i != tok.i else None
        if id(att) in raising or (noun is not None and noun.source == att.source):
            continue
        verb = raised.get(att.cue_token)
        out.append(att if verb is None else replace(att, cue=(min(verb.cue[0], att.cue[0]), att.cue[1])))
    return out


def _in_content(atts: Iterable[RawAttribution], pos: int) -> bool:
    """Whether ``pos`` lies inside the content of one of ``atts``."""
    return any(f[0] <= pos < f[1] for a in atts for f in a.content)


def _cue_head(sdoc: Any, att: RawAttribution) -> Any | None:
    if att.cue_token >= 0:
        return sdoc[att.cue_token]
    span = sdoc.char_span(att.cue[0], att.cue[1], alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def fences(att: RawAttribution, atts: list[RawAttribution], quotes: list[Frag]) -> tuple[Frag, ...]:
    """What a content's boundaries may not cross: the other attributions' cues, what the rule found to be no part
    of the content, and the marks of a quote its cue stands in (a statement reported inside a quote ends with
    it)."""
    out = [a.cue for a in atts if a.cue != att.cue] + list(att.extras.get("not_content", ()))
    holder = _in_quote(quotes, att.cue[0])
    if holder is not None:
        out += [(holder[0], holder[0] + 1), (holder[1] - 1, holder[1])]
    return tuple(out)


def _refined(sdoc: Any, att: RawAttribution, model: BoundaryModel, quotes: list[Frag],
             fenced: tuple[Frag, ...]) -> RawAttribution:
    cue = _cue_head(sdoc, att)
    if cue is None:
        return att
    content = att.content
    # a block is what the layout set off, whole paragraphs; "quoted X as saying ..." runs from X by construction
    if not att.rule.startswith("colon-block") and "reports" not in att.extras:
        content = refine_content(sdoc, att.content, cue, att.cue, att.source, att.rule, model, fenced)
    cue_span = att.cue
    fixed = att.rule in ("according-to", "in-words")  # set phrases: their extents are not the model's to move
    if att.cue_token >= 0 and not fixed:
        cue_span = refine_cue(sdoc, att.cue, cue, att.cue_lemma, content, att.source, model, fenced)
    source = att.source
    if source is not None and att.source_head is not None and not fixed:
        source = refine_source(sdoc, source, sdoc[att.source_head], att.cue_lemma, cue_span, content, model, fenced)
    if content == att.content and cue_span == att.cue and source == att.source:
        return att
    return replace(att, content=content, cue=cue_span, source=source, kind=_kind(doc_text(sdoc), content, quotes))


def _continue_quotes(sdoc: Any, atts: list[RawAttribution], quotes: list[Frag]) -> list[RawAttribution]:
    """'"A," he said. "B."': a quote that opens the next sentence of the paragraph, with no cue of its own,
    continues the statement."""
    text = doc_text(sdoc)
    cue_positions = [a.cue[0] for a in atts]
    out = []
    for a in atts:
        last = a.content[-1]
        if text[last[0]:last[0] + 1] not in QUOTE_START and text[last[0]:last[0] + 2] != "''" \
                and not _in_quote(quotes, last[1] - 1):  # a quote, or what ends with one ('accomplished "too little,"')
            out.append(a)
            continue
        cue_tok = sdoc[a.cue_token] if a.cue_token >= 0 else None
        if cue_tok is None:
            span = sdoc.char_span(a.cue[0], a.cue[1], alignment_mode="expand")
            cue_tok = span[0] if span is not None else None
        if cue_tok is None or last[1] > a.cue[0] and len(a.content) == 1 and last[0] > a.cue[0]:
            out.append(a)
            continue
        sent_end = sentence_of(cue_tok).end_char
        while sent_end > last[1] and text[sent_end - 1] in QUOTE_START + " \n":
            sent_end -= 1  # the parse may hang the next quote's opening mark on this sentence
        nxt = next((q for q in quotes if q[0] >= max(sent_end, last[1])), None)
        if nxt is None or nxt in a.content:
            out.append(a)
            continue
        gap = text[max(sent_end, last[1]):nxt[0]]
        # the next paragraph, when it is that quote and nothing else, goes on with the statement
        whole_paragraph = gap.count("\n") <= 2 and text[nxt[1]:nxt[1] + 1] in ("\n", "")
        if gap.strip() or ("\n" in gap and not whole_paragraph):
            out.append(a)
            continue
        nxt_sent = sdoc.char_span(nxt[0], nxt[1], alignment_mode="expand")
        if nxt_sent is not None:
            # a cue of its own in that sentence, outside the quote, makes it another statement
            first = next((t for t in nxt_sent if not t.is_punct and not t.is_space), nxt_sent[0])
            sent = sentence_of(first)
            if any(sent.start_char <= c < sent.end_char and not nxt[0] <= c < nxt[1] for c in cue_positions):
                out.append(a)
                continue
        out.append(RawAttribution(a.cue, (*a.content, nxt), a.source, a.rule + "+continued", a.confidence,
                                  a.cue_lemma, a.source_head, a.cue_token, a.kind, a.extras))
    return out




def _noun_attribution(sdoc: Any, sent: Any, noun: Any, quotes: list[Frag]) -> RawAttribution | None:
    """'a response from X ... that "..."', 'a statement made by X that ...', "X's claim that ..."."""
    text = doc_text(sdoc)
    source_tok = None
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ("from", "by"):
            source_tok = next((c for c in child.children if c.dep_ == "pobj"), None)
        elif child.dep_ == "acl":  # "made by", "issued by"
            agent = next((c for c in child.children if c.dep_ == "agent"), None)
            if agent is not None:
                source_tok = next((c for c in agent.children if c.dep_ == "pobj"), None)
        elif child.dep_ == "poss" and child.pos_ in ("PROPN", "NOUN"):
            source_tok = child
        if source_tok is not None:
            break
    if source_tok is None:
        return None
    after = text[source_tok.right_edge.idx:sent.end_char]
    m = re.search(r"\bthat\s+", after[:200])
    if m is None:
        return None
    start = source_tok.right_edge.idx + m.start()
    body_start = source_tok.right_edge.idx + m.end()
    opening = next((q for q in quotes if q[0] == body_start), None)
    if opening is not None:
        end = opening[1]
    else:
        that_tok = sdoc.char_span(start, start + 4, alignment_mode="expand")
        if that_tok is None:
            return None
        clause_head = that_tok[0].head
        end_tok = clause_head.right_edge
        end = end_tok.idx + len(end_tok.text)
        if end <= body_start:
            return None
    frag = _trim(text, (start, end))
    if frag[1] - frag[0] < 8:
        return None
    source = _noun_phrase(source_tok)
    return RawAttribution(
        cue=(noun.idx, noun.idx + len(noun.text)),
        content=(frag,),
        source=source,
        rule="noun-cue",
        confidence=0.6,
        cue_lemma=noun.lemma_.lower(),
        source_head=source_tok.i,
        cue_token=noun.i,
        kind=_kind(text, [frag], quotes),
    )




def _human_subject(cue: Any) -> bool:
    """A person, an organisation or a pronoun as the subject: verbs of attitude then usually report a position."""
    subs = _subjects(cue)
    return bool(subs) and (subs[0].ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
                           or subs[0].lower_ in ("he", "she", "they", "we", "i"))


_ADVERBIAL_MARKS = {"as", "because", "while", "after", "before", "since", "if", "although", "though", "until",
                    "unless", "once", "whereas", "so", "than", "like", "even", "despite", "for", "in", "with"}


def _misparsed_clause(cue: Any) -> Any | None:
    """A complement the parse took for an adverbial clause: "said after the convention he would not accept ...",
    "have not said when they would ...". The clause follows the cue, has its own subject, and opens with no
    adverbial conjunction ("said as he left" is not what was said); after a verb of asking, "if" opens a
    question, not a condition ("Asked if he was ever bullied, ...")."""
    asking = cue.lemma_.lower() in _ASKING
    for child in cue.children:
        if child.dep_ != "advcl" or child.i < cue.i:
            continue
        if not any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children):
            continue
        if any(c.dep_ in ("mark", "advmod") and c.lower_ in _ADVERBIAL_MARKS
               and not (asking and c.lower_ == "if" and c.i == child.left_edge.i) for c in child.children):
            continue
        return child
    return None


#: verbs whose "if" clause is the question asked
_ASKING = {"ask", "wonder", "question", "inquire", "query"}


def _own_line(sdoc: Any, sent: Any) -> bool:
    """Whether the sentence is a line of its own, as a headline is (not a sentence the parser cut short at a
    quote mark in running text)."""
    text = doc_text(sdoc)
    start, last, after = sent.start_char, sent.end_char, sent.end_char
    while start > 0 and text[start - 1] in " \t":  # blanks before the sentence
        start -= 1
    while last > sent.start_char and text[last - 1] in " \t":  # the sentence's own trailing blanks
        last -= 1
    while after < len(text) and text[after] in " \t":  # blanks after it
        after += 1
    return (start == 0 or text[start - 1] == "\n") and (after == len(text) or text[after] == "\n"
                                                        or (last > sent.start_char and text[last - 1] == "\n"))


def _ends_with_period(sent: Any) -> bool:
    return bool(re.search(r"[.!?][\"'”’)]*\s*$", sent.text))


def _parenthetical(sdoc: Any, sent: Any, cue: Any) -> list[Frag] | None:
    """'But to prevent problems, he said, local officials should be vigilant': the cue and its source are set
    off by commas inside the reported sentence; the content is the sentence on both sides."""
    if cue.dep_ not in ("parataxis", "ccomp", "advcl", "conj") and cue.head.i != cue.i:
        return None
    # the cue with its source only: "he said" (the parse often hangs the rest of the sentence from the cue)
    chunk = sorted([cue, *[t for c in cue.children if c.dep_ in ("nsubj", "advmod", "aux", "neg", "npadvmod")
                          for t in c.subtree]], key=lambda t: t.i)
    left, right = chunk[0].i, chunk[-1].i
    if right - left + 1 != len(chunk):
        return None
    before = sdoc[left - 1] if left - 1 >= sent.start else None
    after = sdoc[right + 1] if right + 1 < sent.end else None
    if before is None or before.text != "," or after is None or after.text not in (",", "--", "—"):
        return None
    if not any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children):
        return None
    text = doc_text(sdoc)
    lo, hi = sent.start_char, sent.end_char
    clause = cue.head
    if clause.dep_ == "relcl" and clause.left_edge.i < left:
        # "..., the old mill, which, Quist said, is full of boats": what Quist said is the relative clause only
        lo, hi = clause.left_edge.idx, clause.right_edge.idx + len(clause.right_edge.text)
    head_part = _trim(text, (lo, before.idx))
    tail_part = _trim(text, (after.idx + len(after.text), hi))
    if head_part[1] - head_part[0] < 3 or tail_part[1] - tail_part[0] < 3:
        return None
    return [head_part, tail_part]


#: what may stand between a cue and the rest of a sentence that reports it ("..., officials said on Monday.")
_REPORT_DEPS = {"nsubj", "nsubjpass", "aux", "auxpass", "neg", "advmod", "npadvmod", "prt", "punct", "agent"}


def _reported_around(sdoc: Any, sent: Any, cue: Any) -> list[Frag] | None:
    """The sentence around a short reporting clause that the parse did not link to it: "Rules unclear on
    whether ..., experts say." (the clause closes the sentence after a comma) and "It does not say whether
    the ferry had a licence, as police have said.", "Tarnov, as one adviser pointed out, rarely gets ..." or "As the
    minister put it, ..." (an "as" clause).
    The reporting clause is the cue with its subject, auxiliaries, adverbs and time phrases only."""
    text = doc_text(sdoc)
    # the "as" opening the clause, right before the cue ("as reported by") or before its subject, where the parse
    # did not make it the clause's mark ("Tarnov, as one adviser pointed out, rarely gets ...")
    subjects = [c for c in _subjects(cue) if c.i < cue.i]
    opening = subjects[0].left_edge.i - 1 if subjects else cue.i - 1
    as_tok = sdoc[opening] if opening >= sent.start and sdoc[opening].lower_ == "as" else None
    as_clause = cue.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in cue.children) \
        or (as_tok is not None and cue.dep_ == "ROOT")
    # "As reported by the Gazette, ...": a passive "as" clause names its source as the agent
    if not any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children) \
            and not (as_clause and any(c.dep_ == "agent" for c in cue.children)):
        return None
    clause = [cue]
    for c in cue.children:
        if as_clause and as_tok is not None and cue.dep_ == "ROOT" and c.i <= as_tok.i:
            continue  # "Tarnov, as one adviser pointed out, rarely gets ...": the parse hung the sentence on the cue
        if as_clause and c.i > cue.i and any(t.text == "," for t in sdoc[cue.i + 1:c.i]):
            continue  # past the comma closing an "as" clause: "as X observed, in the early days ..."
        if c.dep_ in _REPORT_DEPS or _is_time_phrase(c) or (as_clause and c.dep_ in ("mark", "prep")) \
                or (c.dep_ == "dobj" and c.lower_ == "it" and cue.lemma_ == "put"):  # "as X put it in May"
            if not c.is_punct:
                clause.extend(c.subtree)
        elif c.i > cue.i and not as_clause:
            return None  # the cue has a complement of its own
    if as_clause and as_tok is not None:
        clause.append(as_tok)
    clause.sort(key=lambda t: t.i)
    while len(clause) > 1 and clause[-1].is_punct:
        clause.pop()  # the comma closing a phrase of the clause closes the clause: "pointed out with a chart,"
    if any(t.tag_ in ("WRB", "WDT", "WP", "WP$") for t in clause):
        return None  # a relative clause: "... in Port Ellin, where Mrs. Dane also spoke."
    idx = sorted({t.i for t in clause})  # "as" may be both the mark and the word before the cue
    left, right = idx[0], idx[-1]
    if right - left + 1 != len(idx) or right - left > (24 if as_clause else 14):
        return None
    before = sdoc[left - 1] if left > sent.start else None
    if before is not None and before.text == "(" and before.i == sent.start:
        before = None  # "(As the Gazette first reported, ...)"
    after = next((t for t in sdoc[right + 1:sent.end] if not t.is_space), None)
    closes = after is None or after.text in (".", "!", "?") and all(
        t.is_punct or t.is_space for t in sdoc[after.i:sent.end])
    if as_clause and after is not None and after.text == "," and (
            before is None or before.text == "," and _only_links(sdoc[sent.start:before.i])):
        # "As the minister put it, ...", "Yet, as one adviser noted, ...", "If, as I have said, ..."
        end = _close_bracket(sdoc, sent, left)
        head = cue.head
        if cue.dep_ == "advcl" and right < head.right_edge.i < sent.end - 1:
            # "If, as I have said, they benefit from it, they should say so": what the clause modifies
            end = min(end, head.right_edge.idx + len(head.right_edge.text))
        opened = _trim(text, (after.idx + 1, end))
        return [opened] if opened[1] - opened[0] >= 3 else None
    if before is None or before.text != ",":
        return None
    head_part = _trim(text, (sent.start_char, before.idx))
    if closes:
        return [head_part] if head_part[1] - head_part[0] >= 12 else None
    if after is None or not as_clause or after.text != ",":
        return None  # mid-sentence reporting clauses without "as" are the parenthetical rule's
    tail_part = _trim(text, (after.idx + len(after.text), sent.end_char))
    if head_part[1] - head_part[0] < 3 or tail_part[1] - tail_part[0] < 3:
        return None
    return [head_part, tail_part]


def _only_links(tokens: Any) -> bool:
    """Whether the words before an "as" clause only link the sentence to the one before ("Yet", "But then",
    "If"): no part of what was said."""
    words = [t for t in tokens if not (t.is_punct or t.is_space)]
    return bool(words) and len(words) <= 2 and all(t.pos_ in ("CCONJ", "SCONJ", "ADV") for t in words)


def _close_bracket(sdoc: Any, sent: Any, left: int) -> int:
    """The end of the sentence, before the bracket that closes one opened right before token ``left``."""
    end: int = sent.end_char
    if left > sent.start and sdoc[left - 1].text == "(":
        close = next((t for t in sdoc[left:sent.end] if t.text == ")"), None)
        if close is not None:
            end = int(close.idx)
    return end


_NAME_COLON = re.compile(r"\s*(?P<name>(?:[A-Z][\w.’'-]+\s+){0,3}[A-Z][\w.’'-]+)\s*:\s+(?=\S)")
_DASH_NAME = re.compile(r"[ \t\xa0]*(?P<dash>[―—–]|--)[ \t\xa0]*"
                        r"(?P<name>[A-Z][\w’'-]+(?:[ \t\xa0]+(?:[A-Z]\.|[A-Z](?=[ \t\xa0]+[A-Z])|"
                        r"[A-Z][\w’'.-]*[\w’'-])){0,3})")


def _colon_and_dash(sdoc: Any, quotes: list[Frag], taken: set[int]) -> list[RawAttribution]:
    """'Pat Caddell: Democrat voters worried ...' (a name and a colon opening a line or a transcript turn) and
    '"..." ― Sonya Herridge' (a quote signed with a dash)."""
    text = doc_text(sdoc)
    out: list[RawAttribution] = []
    for para in re.finditer(r"[^\n]+", text):
        line_start = para.start()
        seg_starts = [line_start] + [q[0] + 1 for q in quotes if line_start <= q[0] < para.end()]
        if text[line_start] in QUOTE_START:  # a transcript's turns, each paragraph opening a quote: '"PENCE: ...'
            seg_starts.append(line_start + 1)
        for seg in seg_starts:
            m = _NAME_COLON.match(text, seg, para.end())
            if not m or m.group("name").lower() in {"update", "note", "editor", "photo", "video", "related", "watch",
                                                    "read", "source", "sources", "credit", "tags", "updated"}:
                continue
            name_span = (m.start("name"), m.end("name"))
            colon = text.index(":", name_span[1])
            if any(name_span[0] <= t < colon + 1 for t in taken):
                continue
            end = para.end()
            q = next((q for q in quotes if q[0] < seg <= q[1]), None)
            if q is not None:
                end = min(end, q[1] - 1)
            frag = _trim(text, (colon + 1, end))
            if frag[1] - frag[0] < 8:
                continue
            out.append(RawAttribution((colon, colon + 1), (frag,), name_span, "name-colon", 0.6, ":",
                                      kind=_kind(text, [frag], quotes)))
    for q in quotes:
        m = _DASH_NAME.match(text, q[1], min(len(text), q[1] + 60))
        if m:
            name_span = (m.start("name"), m.end("name"))
            dash = (m.start("dash"), m.end("dash"))
            out.append(RawAttribution(dash, (q,), name_span, "dash-signature", 0.7, m.group("dash"), kind="direct"))
    return out


_CONTRAST = re.compile(r",\s+(?:while|whereas|even\s+as|even\s+though)\s", re.IGNORECASE)


def _contrasting_report(sdoc: Any, frag: Frag, quotes: list[Frag], cue: Any) -> int | None:
    """Where a content runs on into someone else's contrasting report, the offset to cut it at: "denied that the
    tanker leaked, even as fishermen said ..."; "argue the plan is unaffordable, while supporters insist ...". The
    report (a reporting verb with a subject of its own after the "while") is a statement of its own, however the
    parse attached it."""
    text = doc_text(sdoc)
    for m in _CONTRAST.finditer(text, frag[0], frag[1]):
        if _in_quote(quotes, m.start()):
            continue
        span = sdoc.char_span(m.end(), frag[1], alignment_mode="contract")
        if span is None:
            continue
        for tok in span:
            if tok.pos_ == "VERB" and _reporting(tok) and any(
                    c.dep_ in ("nsubj", "nsubjpass") and m.end() <= c.idx < tok.idx for c in tok.children):
                return m.start()
    if cue.tag_ == "VBG" and cue.head.lower_ == "with":
        # "with supporters saying it would bring jobs and opponents warning of debt": the second pair of a
        # "with" clause is another report, whatever the parse made of "jobs and opponents"
        for m in _AND_OTHERS.finditer(text, frag[0], frag[1]):
            span = sdoc.char_span(m.start("verb"), m.end("verb"))
            if span is not None and span[0].tag_ == "VBG" and _reporting(span[0]) \
                    and not _in_quote(quotes, m.start()):
                return m.start()
    return None


#: "... and opponents warning ...": "and", a short noun phrase, a participle
_AND_OTHERS = re.compile(r",?\s+and\s+(?:[\w’'-]+\s+){1,3}?(?P<verb>\w+ing)\b")


def _fronted_clause_ok(clause: Any, cue: Any) -> bool:
    """A clause before its cue reports what was said only when nothing but the source, punctuation or adverbs
    stands between them ('"...," Lavrov said'; 'X happened, officials said'), and when the cue, unless a verb of
    speech, has no complement of its own after it ("Whites were split, but most preferred Clinton")."""
    if _owns_complement(cue):
        return False
    subjects = {t.i for sub in _subjects(cue) if sub.i != clause.i for t in sub.subtree}
    for tok in cue.doc[clause.right_edge.i + 1 : cue.i]:
        if tok.text == ";":  # "Critics say X; one biologist called it ...": two sentences in one
            return False
        if tok.i in subjects or tok.is_punct or tok.is_space or tok.dep_ in ("advmod", "npadvmod", "aux", "neg"):
            continue
        return False
    return True


def _last_argument(cue: Any, clause: Any, *, inside_quote: bool = False) -> bool:
    """Whether the clause is the cue's last dependent (only punctuation follows it; inside a quote, also a
    coordinated clause, which is still the quoted speaker's report)."""
    allowed = ("cc", "conj") if inside_quote else ()
    return all(c.is_punct or c.is_space or c.i <= clause.i or c.dep_ in allowed for c in cue.rights)


def _verb_attribution(sdoc: Any, sent: Any, cue: Any, lemma: str, rate: float, quotes: list[Frag],
                      gates: Gates, particle: Any | None = None) -> RawAttribution | None:
    text = doc_text(sdoc)
    content: list[Frag] = []
    not_content: list[Frag] = []  # what the rule found to be no part of the content (a fence for the boundaries)
    rule = ""
    if particle is not None:  # "made clear that ...": the clause hangs from "clear" or from "made"
        clause = _content_clause(particle) or next(
            (c for c in cue.children if c.dep_ == "ccomp" and c.i != particle.i), None)
    else:
        clause = _content_clause(cue)
    if clause is None and particle is None and rate >= gates.cue:
        clause = _misparsed_clause(cue)
    if clause is None and particle is None:
        clause = _fronted_subject(cue)
    if clause is not None and clause.i < cue.i and not _fronted_clause_ok(clause, cue):
        clause = None
    if clause is not None:
        before = clause.i < cue.i
        exclude = {t.i for t in cue.subtree if t.i >= cue.i} if before else set()
        if clause.dep_ == "advcl":  # "said after the vote he would ...": the time phrase is the cue's
            subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), clause)
            adjunct = [t for c in clause.children if c.dep_ == "prep" and c.i < subject.i for t in c.subtree]
            if adjunct:
                exclude |= {t.i for t in adjunct}
                not_content.append(_span_of(adjunct))
        for conj in clause.children:
            # "said that X promised ... and warned ...": the parse put the speaker's next act inside the clause
            if conj.dep_ == "conj" and conj.i > clause.i and conj.pos_ == "VERB" \
                    and _reporting(conj) \
                    and not any(c.dep_ in ("nsubj", "nsubjpass") for c in conj.children):
                exclude |= {t.i for t in conj.subtree}
                exclude |= {c.i for c in clause.children if c.dep_ == "cc" and c.i < conj.i}
        frag = _subtree_span(clause, exclude)
        holder = _in_quote(quotes, cue.idx)
        if not before and holder is not None and _last_argument(cue, clause, inside_quote=True):
            # a statement reported inside a quote runs to the end of that quote (parses cut long complements
            # short; outside quotes, extending to the sentence end measured worse on PolNeAR dev)
            limit = holder[1] - 1
            frag = (frag[0], max(frag[1], limit))
        frag = _trim(text, frag)
        frag = _extend_to_quotes(text, frag, quotes, cue.idx)
        if before and frag[0] > sent.start_char and re.search(r",\s+(?:but|and|yet|so)\s*$|;\s*$",
                                                              text[sent.start_char:frag[0]]):
            frag = (_trim(text, (sent.start_char, frag[1]))[0], frag[1])  # "X, but Y," he said: both halves
        if before:
            subj = _subjects(cue)
            if subj and frag[0] < subj[0].left_edge.idx < frag[1]:
                frag = _trim(text, (frag[0], subj[0].left_edge.idx))
                frag = _extend_to_quotes(text, frag, quotes, cue.idx)
        if not before and holder is None:
            act = _SPEAKER_ACT.search(text, frag[0], frag[1])
            if act and not _in_quote(quotes, act.start()):
                frag = _trim(text, (frag[0], act.start()))  # ", citing ...": what the speaker did, not said
            contrast = _contrasting_report(sdoc, frag, quotes, cue)
            if contrast is not None:
                frag = _trim(text, (frag[0], contrast))
        if "\n" in text[frag[0]:frag[1]] and not any(q[0] <= frag[0] and frag[1] <= q[1] for q in quotes):
            return None  # a clause across paragraphs is a parse over a headline or a dateline, not content
        content.append(frag)
        rule = "ccomp-before" if before else "ccomp"
    elif lemma in DIRECTIVE_LEMMAS and (rate >= gates.cue or lemma in CORE_DIRECTIVES):
        obj = next((c for c in cue.children if c.dep_ in ("dobj", "dative")), None)
        xcomp = next((c for c in cue.children if c.dep_ == "xcomp"), None)
        if obj is None:  # "called on Russia to ..."
            prep = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ == "on"), None)
            if prep is not None:
                obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if xcomp is None and obj is not None:
                    xcomp = next((c for c in obj.children if c.dep_ in ("acl", "relcl")), None)
        if obj is not None and xcomp is not None and xcomp.i > obj.i:
            start = obj.left_edge.idx
            end_tok = xcomp.right_edge
            frag = _trim(text, (start, end_tok.idx + len(end_tok.text)))
            content.append(_extend_to_quotes(text, frag, quotes, cue.idx))
            rule = "directive"
    if not content and rate >= gates.cue:
        parts = _parenthetical(sdoc, sent, cue)
        if parts:
            content.extend(_extend_to_quotes(text, f, quotes, cue.idx) for f in parts)
            rule = "parenthetical"
    if not content and rate >= gates.cue:
        parts = _reported_around(sdoc, sent, cue)
        if parts:
            content.extend(_extend_to_quotes(text, f, quotes, cue.idx) for f in parts)
            rule = "report-clause"
    if not content and rate >= gates.cue:
        # a passive: "The nominee has been endorsed by dozens of papers" (what was endorsed is the subject)
        passive = next((c for c in cue.children if c.dep_ == "nsubjpass"), None)
        if passive is not None and any(c.dep_ == "agent" for c in cue.children):
            content.append(_trim(text, _noun_phrase(passive)))
            content.extend(_passive_complements(cue))
            rule = "passive"
    if not content and rate >= gates.headline and not _ends_with_period(sent) \
            and not sent.text.rstrip().endswith(":") and _own_line(sdoc, sent):
        # a headline: "Vell says Quist 'absolutely right' in saying ..." (a sentence ending in a colon is no
        # headline: it introduces what follows, the colon-block rule's)
        rest = [t for t in sent if t.i > cue.i and not t.is_space]
        if len(rest) >= 3 and rest[0].dep_ not in ("dobj", "dative"):
            content.append(_trim(text, (rest[0].idx, sent.end_char)))
            rule = "headline"
    if not content and (rate >= gates.cue or lemma in SPEECH_LEMMAS):
        near = _adjacent_quote(sdoc, sent, cue, quotes)
        if near is not None:
            content.append(near)
            rule = "quote-adjacent"
    if not content and (rate >= gates.cue or lemma in SPEECH_LEMMAS):
        # 'The governor added:' closing a paragraph, the next paragraph being what was added; 'Said Ellis: ...'
        block = _after_colon(sdoc, cue, quotes)
        if block is not None:
            content.append(block)
            rule = "colon-block"
    put_it = lemma == "put" and any(c.dep_ == "dobj" and c.lower_ == "it" for c in cue.children)
    if not content and not put_it and (rate >= gates.object or (rate >= gates.human_object
                                                                 and _human_subject(cue))):
        # an attitude or a speech act with an object: "called him a liar", "cited the report", "wants to ..."
        rights = _object_run(cue)
        if rights:
            first = min(t.left_edge.i for t in rights)
            lead = sdoc[first]
            if lead.dep_ == "prep" and lead.lower_ in CUE_PREPS and lead.head.i == cue.i:
                first += 1  # "called for X": the preposition belongs to the cue
            last = max(t.right_edge.i for t in rights)
            if last - first >= 0:
                end_tok = sdoc[last]
                frag = _trim(text, (sdoc[first].idx, end_tok.idx + len(end_tok.text)))
                cut = _NONRESTRICTIVE.search(text, frag[0], frag[1])
                if cut and not _in_quote(quotes, cut.start()):
                    frag = _trim(text, (frag[0], cut.start()))  # ", which ..." is the writer's aside
                content.append(_extend_to_quotes(text, frag, quotes, cue.idx))
                rule = "object"
                held = _held_subject(cue, lemma)
                if held is not None:
                    content.insert(0, held)
    if not content and (rate >= gates.cue or lemma in SPEECH_LEMMAS):
        # a quote next to the cue: '"...," he said' (no clause in the parse), 'he said: "..."'
        near = _adjacent_quote(sdoc, sent, cue, quotes)
        if near is not None:
            content.append(near)
            rule = "quote-adjacent"
    if not content:
        return None
    if rate < gates.cue and rule != "quote-adjacent":
        # a weak cue needs a clear reporting shape: a "that" clause or a quote, and some history as a cue
        opens = text[content[0][0]:content[0][0] + 5].lower()
        if rate < gates.weak or not (opens.startswith("that ") or opens[:1] in OPEN_QUOTES + STRAIGHT):
            return None
    # a quote split around the cue: '"A," he said, "B."'
    first = content[0]
    if first[1] <= cue.idx and text[first[0]] in QUOTE_START:
        after = [q for q in quotes if q[0] > cue.idx and q[0] < sent.end_char + 2]
        if after and _comma_bridge(text[cue.idx:after[0][0]]):
            content.append(after[0])
    elif first[0] > cue.idx and text[first[0]] in QUOTE_START:
        # the same, parsed the other way round: B is the cue's clause, and A, which ends on a comma, is said too
        opening = _split_opening(text, cue, first, quotes)
        if opening is not None:
            content.insert(0, opening)
    source, head = _source_of(cue)
    if source is not None and any(f[0] <= source[0] < f[1] for f in content):
        source, head = None, None
    kind = _kind(text, content, quotes)
    confidence = round(min(0.95, 0.45 + 0.5 * min(rate * 2, 1.0) + (0.05 if source else -0.15)), 3)
    cue_span = _cue_span(cue, content[0]) if particle is None else _span_of([cue, particle])
    return RawAttribution(
        cue=cue_span,
        content=tuple(content),
        source=source,
        rule=rule,
        confidence=max(0.05, confidence),
        cue_lemma=_cue_lemma(cue, cue_span) if particle is None else f"{cue.lemma_.lower()} {particle.lower_}",
        source_head=head,
        cue_token=cue.i,
        kind=kind,
        extras={"p_cue": round(rate, 4), **({"not_content": tuple(not_content)} if not_content else {})},
    )


_NEXT_PARAGRAPH = re.compile(r"\n\s*([^\n]+)")


def _after_colon(sdoc: Any, cue: Any, quotes: list[Frag]) -> Frag | None:
    """What a colon right after the cue (and its subject, adverbs or a short adjunct) introduces: the rest of its
    line, or, when the colon ends the line, the whole next paragraph."""
    text = doc_text(sdoc)
    colon = None
    for tok in sdoc[cue.i + 1:cue.i + 8]:
        if tok.text == ":":
            colon = tok
            break
        if tok.is_space or tok.text in ".;?!" or "\n" in tok.text_with_ws:
            return None
    if colon is None:
        return None
    end_of_line = text.find("\n", colon.idx)
    end_of_line = len(text) if end_of_line < 0 else end_of_line
    frag = _trim(text, (colon.idx + 1, end_of_line))
    if frag[1] - frag[0] < 8:
        nxt = _NEXT_PARAGRAPH.match(text, end_of_line)
        if nxt is None:
            return None
        frag = _trim(text, (nxt.start(1), nxt.end(1)))
        if frag[1] - frag[0] < 8:
            return None
    return _extend_to_quotes(text, frag, quotes, cue.idx)


#: what may stand between a quote and the cue after it: the source, with an age or a title set off by commas
_SOURCE_GAP = re.compile(r"[\s,]*(?:[\w.'’-]+,?\s+){0,6}")


def _comma_bridge(between: str) -> bool:
    """Whether the text from a cue to the second half of a split quote is a short reporting clause ending on a
    comma ('he said, "B."')."""
    return len(between) < 80 and "." not in between and re.search(r",\s*$", between) is not None


def _quote_before(quotes: list[Frag], pos: int) -> Frag | None:
    """The quote ending nearest before ``pos`` (at most 60 characters before), and of nested quotes ('"It feels
    like, 'Meh ...,'" he said') the outer one."""
    before = [q for q in quotes if q[1] <= pos and pos - q[1] < 60]
    return max(before, key=lambda q: (q[1], -q[0])) if before else None


def _split_opening(text: str, cue: Any, content: Frag, quotes: list[Frag]) -> Frag | None:
    """The first part of a quote split around the cue, '"A," he said, "B."', given B (``content``): a quote ending
    on a comma just before the cue's clause, with nothing but the source between."""
    q = _quote_before(quotes, cue.idx)
    if q is None or not _comma_bridge(text[cue.idx + len(cue.text):content[0]]):
        return None
    gap = text[q[1]:cue.idx]
    ends_on_comma = text[q[0]:q[1]].rstrip("\"'“”‘’«»").endswith(",") or text[q[1]:q[1] + 1] == ","
    if "\n" in gap or not ends_on_comma or not _SOURCE_GAP.fullmatch(gap):
        return None
    return q


def _adjacent_quote(sdoc: Any, sent: Any, cue: Any, quotes: list[Frag]) -> Frag | None:
    text = doc_text(sdoc)
    # quote just before: '"...," said X' / '"...," X said'
    # (not when the cue is the second of two coordinated verbs and the quote follows the first: 'accused X of
    # "..." and demanded ...' quotes the accusation)
    q = _quote_before(quotes, cue.idx)
    if q is not None and not (cue.dep_ == "conj" and cue.head.idx < q[0]) and not _owns_complement(cue):
        # (nor when a cue other than a verb of speech has its own complement: '"...," he said, referring to the
        # ferry plan' refers to the plan, the quote being what was said)
        gap = text[q[1]:cue.idx]
        ends_sentence = text[q[1] - 2] == "." and re.match(r"\s*[A-Z]", gap)  # '"... times." The ministry rejected'
        if "\n" not in gap and not ends_sentence and _SOURCE_GAP.fullmatch(gap):
            return q
    # quote just after: 'X said: "..."' / 'X said, "..."'
    after = sorted((q for q in quotes if q[0] >= cue.idx and q[0] - (cue.idx + len(cue.text)) < 40),
                   key=lambda q: (q[0], -q[1]))
    if after:
        q = after[0]
        gap = text[cue.idx + len(cue.text):q[0]]
        if "\n" not in gap and re.fullmatch(r"[\s,:]*(?:(?:in|on|at|to)\s+[\w\s'’-]{0,30})?[\s,:]*", gap):
            return q
    return None


def _owns_complement(cue: Any) -> bool:
    """Whether a cue other than a verb of speech has an object or clause after it, or a preposition of its own
    with one ("referring to X"): then that, not a quote or clause before it, is what it reports."""
    if cue.lemma_.lower() in SPEECH_LEMMAS:
        return False
    return any(k.i > cue.i and (k.dep_ in ("dobj", "ccomp", "xcomp") or (
        k.dep_ == "prep" and k.lower_ in CUE_PREPS and any(g.dep_ in ("pobj", "pcomp") for g in k.children)))
        for k in cue.children)


def _according_to(sdoc: Any, sent: Any, tok: Any, quotes: list[Frag]) -> RawAttribution | None:
    text = doc_text(sdoc)
    to = sdoc[tok.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
    if pobj is None:  # a noun the parse took for a verb: "according to show insiders"
        pobj = next((c for c in to.children if c.i > to.i), None)
    if pobj is None:
        return None
    source = _noun_phrase(pobj)
    phrase_end = max(t.i for t in pobj.subtree)
    # content: the sentence without the "according to X" phrase and its commas
    s_start, s_end = sent.start_char, sent.end_char
    fronted = tok.i <= sent.start + 1
    if fronted and not any(not t.is_punct and not t.is_space for t in sdoc[phrase_end + 1:sent.end]):
        # the parse hung the whole sentence on the source ("According to radio host Ede Marr, the move reeks ...",
        # with "reeks" an appositive noun): the source ends at its first comma
        comma = next((t for t in sdoc[pobj.i + 1:sent.end] if t.text == ","), None)
        if comma is None:
            return None
        source = _trim(text, (sdoc[to.i + 1].idx, comma.idx))
        phrase_end = comma.i - 1
    if fronted:  # "According to X, CONTENT."
        start_tok = sdoc[phrase_end + 1] if phrase_end + 1 < sent.end else None
        if start_tok is None:
            return None
        parts = [_trim(text, (start_tok.idx, s_end))]
    else:  # "CONTENT, according to X."
        parts = [_trim(text, (s_start, tok.idx))]
        before_verb = any(t.pos_ in ("VERB", "AUX") for t in sdoc[sent.start:tok.i])
        comma = next((t for t in sdoc[pobj.i + 1:phrase_end]
                      if t.text == "," and sdoc[t.i + 1].pos_ in ("VERB", "AUX")), None)
        if comma is not None and not before_verb:
            # with no verb before it, the phrase ends at a comma before one, whatever the parse hangs on the source
            # ("The professor, according to the Courier, failed her")
            phrase_end = comma.i - 1
            source = _trim(text, (source[0], comma.idx))
        if phrase_end + 1 < sent.end and (not before_verb or _holds_the_clause(sent, phrase_end + 1)):
            # "The professor, according to the paper, failed her", "However, according to Bloomberg, Powell is
            # not interested": the sentence around the phrase, in two parts
            rest = _trim(text, (sdoc[phrase_end + 1].idx, s_end))
            if rest[1] - rest[0] >= 3:
                parts = [f for f in (parts[0], rest) if any(ch.isalnum() for ch in text[f[0]:f[1]])]
    quote = _in_quote(quotes, tok.idx)
    if quote is not None:  # "'According to their plan, the vote is in June,' he added": the quote's words only
        parts = [_trim(text, (max(a, quote[0] + 1), min(b, quote[1] - 1))) for a, b in parts]
        parts = [f for f in parts if f[0] < f[1]]
    if not parts or (len(parts) == 1 and parts[0][1] - parts[0][0] < 3):
        return None
    content = tuple(_extend_to_quotes(text, f, quotes, tok.idx) for f in parts)
    return RawAttribution(
        cue=(tok.idx, to.idx + len(to.text)),
        content=content,
        source=source,
        rule="according-to",
        confidence=0.85,
        cue_lemma="according to",
        source_head=pobj.i,
        cue_token=tok.i,
        kind=_kind(text, content, quotes),
    )


_CORE_DEPS = ("nsubj", "nsubjpass", "dobj", "dative", "attr", "acomp", "oprd", "ccomp", "xcomp")


def _holds_the_clause(sent: Any, start: int) -> bool:
    """Whether the sentence from token ``start`` on holds its main verb or one of that verb's core arguments: what
    follows a phrase in mid-sentence is then part of the clause, not a trailing modifier ("..., compared to 538")."""
    root = sent.root
    return bool(root.i >= start or any(c.dep_ in _CORE_DEPS and c.i >= start for c in root.children))


def _in_words(sdoc: Any, sent: Any, tok: Any, quotes: list[Frag]) -> RawAttribution | None:
    """"In his words, ..." / "..., in the words of the minister." (rare in PolNeAR, everyday in wire copy)."""
    text = doc_text(sdoc)
    prep = tok.head
    owner = next((c for c in tok.children if c.dep_ == "poss"), None)
    if owner is None:
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        owner = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if owner is None:
        return None
    phrase_end = max(t.i for t in tok.subtree)
    if prep.i <= sent.start + 1:  # "In his words, CONTENT."
        if phrase_end + 1 >= sent.end:
            return None
        frag = _trim(text, (sdoc[phrase_end + 1].idx, sent.end_char))
    else:  # "CONTENT, in his words."
        frag = _trim(text, (sent.start_char, prep.idx))
    if frag[1] - frag[0] < 3:
        return None
    frag = _extend_to_quotes(text, frag, quotes, prep.idx)
    source = _span_of([owner]) if owner.pos_ == "PRON" else _noun_phrase(owner)
    return RawAttribution(cue=(prep.idx, tok.idx + len(tok.text)), content=(frag,), source=source, rule="in-words",
                          confidence=0.85, cue_lemma="in words", source_head=owner.i, cue_token=tok.i,
                          kind=_kind(text, [frag], quotes))


def _kind(text: str, content: list[Frag] | tuple[Frag, ...], quotes: list[Frag]) -> str:
    inside = [q for q in quotes if any(f[0] <= q[0] and q[1] <= f[1] for f in content)]
    if not inside:
        return "indirect"
    if all(any(q[0] == f[0] and q[1] == f[1] for q in inside) for f in content):
        return "direct"
    return "mixed"
