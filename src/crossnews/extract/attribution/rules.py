"""Attributions cued by a verb. A candidate cue's content is found by the rules of :data:`VERB_RULES`, tried in
order: the first whose gate lets it try the cue and that finds content wins (the clause the parse gives the cue,
an object and an infinitive after a directive, the sentence around a parenthetical or a reporting clause, a
passive's subject, the rest of a headline, a quote next to the cue, what a colon introduces, the cue's object).
Its source comes from :mod:`crossnews.extract.attribution.sources`. Also here: the reading of "quoted X as
saying" as two statements."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from crossnews.core.nlp import doc_text
from crossnews.extract.attribution.base import (
    ACT_LEMMAS,
    CUE_PREPS,
    OPEN_QUOTES,
    QUOTE_START,
    SPEECH_LEMMAS,
    STRAIGHT,
    Frag,
    Gates,
    RawAttribution,
    _comma_bridge,
    _extend_to_quotes,
    _in_quote,
    _is_time_phrase,
    _kind,
    _owns_complement,
    _quote_before,
    _reporting,
    _span_of,
    _subjects,
    _subtree_span,
    _trim,
)
from crossnews.extract.attribution.sources import (
    _fronted_subject,
    _held_subject,
    _human_subject,
    _noun_phrase,
    _object_run,
    _passive_complements,
    _source_of,
)

CORE_DIRECTIVES = {"urge", "call", "ask", "tell"}
# Cues whose content is an object plus an infinitive ("urged Kerry to use ..."; "called on Russia to ...").
DIRECTIVE_LEMMAS = {"urge", "call", "ask", "tell", "order", "instruct", "advise", "warn", "encourage", "invite",
                    "implore", "press", "push", "request", "demand", "beg", "appeal"}


_SPEAKER_ACT = re.compile(r",\s+(?:citing|saying|adding|noting|arguing|insisting|calling|pointing|referring|"
                          r"according)\b")
_NONRESTRICTIVE = re.compile(r",\s+(?:which|who|whom|whose)\b|\s[-–—―]\s")
#: where an answer to what was asked or said begins: "was asked to confirm ..., to which he replied: ..."
_ANSWER = re.compile(r",\s+(?:to|at|after|upon|in response to|in reply to)\s+which\b", re.I)


def _before_answer(text: str, content: list[Frag], quotes: list[Frag], cue_end: int) -> list[Frag]:
    """``content`` cut where a clause answering it begins, outside quotes ("Vell was asked ... to confirm that the
    harbour is back in phase two, to which he replied: '...'": the reply is his, not the askers'); a fragment after
    such a clause, past the cue, is the answer's."""
    out: list[Frag] = []
    for frag in content:
        if frag[0] >= cue_end and any(not _in_quote(quotes, m.start()) for m in _ANSWER.finditer(text, cue_end,
                                                                                                  frag[0])):
            break
        cut = next((m for m in _ANSWER.finditer(text, frag[0], frag[1]) if not _in_quote(quotes, m.start())), None)
        if cut is None:
            out.append(frag)
            continue
        if cut.start() > frag[0]:
            out.append(_trim(text, (frag[0], cut.start())))
        break
    return out


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


def _clause_of(cue: Any, particle: Any | None, rate: float, gates: Gates) -> Any | None:
    """The clause the parse gives the cue as what it reports, before any rule runs: its clausal complement (of
    "made clear that ...", the one of "clear" or of "made"), else, for a cue without a particle, a complement the
    parse took for an adverbial clause (past the cue gate) or a fronted clause the parse took for a subject; a
    clause before the cue only when nothing but its source stands between them."""
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
    return clause


@dataclass(slots=True)
class VerbCue:
    """A candidate verb cue as the rules of :data:`VERB_RULES` see it. ``clause`` is the clause the parse gives
    it (:func:`_clause_of`); ``not_content`` collects what a rule found to be no part of the content (a fence for
    the boundary model)."""

    sdoc: Any
    sent: Any
    cue: Any
    lemma: str
    rate: float
    quotes: list[Frag]
    gates: Gates
    particle: Any | None
    text: str
    clause: Any | None
    not_content: list[Frag] = field(default_factory=list)
    source: tuple[Frag, int] | None = None  # the source a rule read off the surface, where the parse has none


class Verdict(Enum):
    """A rule's answer that ends the cascade with no attribution: the cue is the rule's, what it found is none."""

    REJECT = "reject"


#: a rule's answer: the content's fragments (never empty), ``None`` (none found: the next rule tries) or a verdict
Found = list[Frag] | Verdict | None


@dataclass(frozen=True, slots=True)
class VerbRule:
    """A named content rule: ``gate`` says whether it may try a cue, ``find`` looks for the content."""

    name: str
    gate: Callable[[VerbCue], bool]
    find: Callable[[VerbCue], Found]


# --- the gates ---------------------------------------------------------------------------------------------------


def _clause_before(v: VerbCue) -> bool:
    return v.clause is not None and v.clause.i < v.cue.i


def _clause_after(v: VerbCue) -> bool:
    return v.clause is not None and v.clause.i >= v.cue.i


def _directive_cue(v: VerbCue) -> bool:
    """A verb of urging with no clause: past the cue gate, or one of the core four ("urge", "call", "ask",
    "tell")."""
    return v.clause is None and v.lemma in DIRECTIVE_LEMMAS and (v.rate >= v.gates.cue or v.lemma in CORE_DIRECTIVES)


def _strong_cue(v: VerbCue) -> bool:
    return v.rate >= v.gates.cue


def _strong_or_speech(v: VerbCue) -> bool:
    return v.rate >= v.gates.cue or v.lemma in SPEECH_LEMMAS


def _headline_cue(v: VerbCue) -> bool:
    """Past the headline gate, in a line of its own with no final period and no colon closing it (a sentence
    ending in a colon is no headline: it introduces what follows, the colon-block rule's)."""
    return v.rate >= v.gates.headline and not _ends_with_period(v.sent) \
        and not v.sent.text.rstrip().endswith(":") and _own_line(v.sdoc, v.sent)


#: the measures a government declares, issues or announces by an act ("declared 30 days of martial law", "issued an
#: extraordinary emergency decree", "announced a curfew")
_MEASURES = frozenset("""emergency law curfew decree order ban lockdown mourning holiday quarantine""".split())


def _declares_measure(v: VerbCue) -> bool:
    """Whether the cue declares, issues or announces a measure named by its object: an act, not words."""
    if v.lemma not in ("declare", "issue", "announce"):
        return False
    obj = next((c for c in v.cue.children if c.dep_ == "dobj"), None)
    return obj is not None and any(t.lemma_.lower() in _MEASURES for t in obj.subtree if t.pos_ in ("NOUN", "PROPN"))


#: questions as the object of answering: "answered questions from reporters" tells that someone spoke, not what
_QUESTIONS = frozenset({"question", "query", "inquiry", "enquiry"})


def _answers_questions(v: VerbCue) -> bool:
    """Whether the cue answers, fields or takes questions (its object): an act of speaking with no content. (Not
    "discussed the incident with reporters", which names no content either: PolNeAR annotates it as an
    attribution, and leaving it out cost 6 of them on dev.)"""
    if v.lemma not in ("answer", "field", "take"):
        return False
    obj = next((c for c in v.cue.children if c.dep_ == "dobj"), None)
    return obj is not None and obj.lemma_.lower() in _QUESTIONS


def _object_cue(v: VerbCue) -> bool:
    """Past the object gate, or the looser one with a person or a body as subject; never "as X put it", never a
    verb of an act (:data:`ACT_LEMMAS`)."""
    put_it = v.lemma == "put" and any(c.dep_ == "dobj" and c.lower_ == "it" for c in v.cue.children)
    if put_it or v.lemma.split()[0] in ACT_LEMMAS or _declares_measure(v) or _answers_questions(v):
        return False
    return v.rate >= v.gates.object or (v.rate >= v.gates.human_object and _human_subject(v.cue))


# --- the rules ---------------------------------------------------------------------------------------------------


def _clause_rule(v: VerbCue) -> Found:
    """The clause the parse gives the cue (after it, "said *that ...*", or fronted, "*"...",* he said"), less what
    belongs to the cue or the speaker. A clause across paragraphs rejects the cue."""
    sdoc, sent, cue, quotes, text = v.sdoc, v.sent, v.cue, v.quotes, v.text
    clause = v.clause
    assert clause is not None
    before = clause.i < cue.i
    exclude = {t.i for t in cue.subtree if t.i >= cue.i} if before else set()
    if clause.dep_ == "advcl":  # "said after the vote he would ...": the time phrase is the cue's
        subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), clause)
        adjunct = [t for c in clause.children if c.dep_ == "prep" and c.i < subject.i for t in c.subtree]
        if adjunct:
            exclude |= {t.i for t in adjunct}
            v.not_content.append(_span_of(adjunct))
    # (and on the clause's "to"-complement: "said that Varn is to blame for ... and accused ...")
    hosts = [clause, *(c for c in clause.children if c.dep_ == "xcomp")] if not before else []
    for host in hosts:
        for conj in host.children:
            # "said that X promised ... and warned ...": the parse put the speaker's next act inside the clause (a
            # fronted clause keeps its own: "X denied ... and said ..., Reuters reported")
            if conj.dep_ == "conj" and conj.i > host.i and conj.pos_ == "VERB" \
                    and _reporting(conj) \
                    and not any(c.dep_ in ("nsubj", "nsubjpass") for c in conj.children):
                exclude |= {t.i for t in conj.subtree}
                exclude |= {c.i for c in host.children if c.dep_ == "cc" and c.i < conj.i}
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
        return Verdict.REJECT  # a clause across paragraphs is a parse over a headline or a dateline, not content
    return [frag]


def _directive_rule(v: VerbCue) -> Found:
    """The object and the infinitive after a verb of urging: "urged *Kerry to use ...*", "called on *Russia to
    ...*"."""
    cue, text = v.cue, v.text
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
        return [_extend_to_quotes(text, frag, v.quotes, cue.idx)]
    return None


def _parenthetical_rule(v: VerbCue) -> Found:
    """The sentence on both sides of a cue set off by commas inside it (:func:`_parenthetical`)."""
    parts = _parenthetical(v.sdoc, v.sent, v.cue)
    if not parts:
        return None
    return [_extend_to_quotes(v.text, f, v.quotes, v.cue.idx) for f in parts]


def _report_clause_rule(v: VerbCue) -> Found:
    """The sentence around a reporting clause the parse left unlinked (:func:`_reported_around`)."""
    parts = _reported_around(v.sdoc, v.sent, v.cue)
    if not parts:
        return None
    return [_extend_to_quotes(v.text, f, v.quotes, v.cue.idx) for f in parts]


def _passive_rule(v: VerbCue) -> Found:
    """A passive with an agent: "The nominee has been endorsed by dozens of papers" (what was endorsed is the
    subject), with what the cue says of it besides."""
    passive = next((c for c in v.cue.children if c.dep_ == "nsubjpass"), None)
    if passive is not None and any(c.dep_ == "agent" for c in v.cue.children):
        return [_trim(v.text, _noun_phrase(passive)), *_passive_complements(v.cue)]
    return None


def _headline_rule(v: VerbCue) -> Found:
    """The rest of a headline: "Vell says Quist 'absolutely right' in saying ..."."""
    rest = [t for t in v.sent if t.i > v.cue.i and not t.is_space]
    if len(rest) >= 3 and rest[0].dep_ not in ("dobj", "dative"):
        return [_trim(v.text, (rest[0].idx, v.sent.end_char))]
    return None


def _quote_adjacent_rule(v: VerbCue) -> Found:
    """A quote next to the cue: '"...," he said' (no clause in the parse), 'he said: "..."'."""
    near = _adjacent_quote(v.sdoc, v.sent, v.cue, v.quotes)
    return None if near is None else [near]


def _colon_block_rule(v: VerbCue) -> Found:
    """What a colon after the cue introduces: 'The governor added:' closing a paragraph, the next paragraph being
    what was added; 'Said Ellis: ...'."""
    block = _after_colon(v.sdoc, v.cue, v.quotes)
    return None if block is None else [block]


def _object_rule(v: VerbCue) -> Found:
    """An attitude or a speech act with an object: "called him a liar", "cited the report", "wants to ...", with
    the subject of a passive or raising cue, which belongs to what is claimed (:func:`_held_subject`)."""
    sdoc, cue, text = v.sdoc, v.cue, v.text
    rights = _object_run(cue)
    if not rights:
        return None
    first = min(t.left_edge.i for t in rights)
    lead = sdoc[first]
    if lead.dep_ == "prep" and lead.lower_ in CUE_PREPS and lead.head.i == cue.i:
        first += 1  # "called for X": the preposition belongs to the cue
    last = max(t.right_edge.i for t in rights)
    if last - first < 0:
        return None
    end_tok = sdoc[last]
    frag = _trim(text, (sdoc[first].idx, end_tok.idx + len(end_tok.text)))
    cut = _NONRESTRICTIVE.search(text, frag[0], frag[1])
    if cut and not _in_quote(v.quotes, cut.start()):
        frag = _trim(text, (frag[0], cut.start()))  # ", which ..." is the writer's aside
    content = [_extend_to_quotes(text, frag, v.quotes, cue.idx)]
    held = _held_subject(cue, v.lemma)
    if held is not None:
        content.insert(0, held)
    return content


#: what may stand between a sentence-closing cue and the sentence's end: time and setting ("said on Monday", "said
#: in a statement"), no verb
_CLOSING_TAIL = frozenset({"ADP", "DET", "NOUN", "PROPN", "NUM", "ADJ", "ADV", "PART", "PUNCT", "SPACE", "CCONJ"})
#: the cues that close a sentence this way: speech verbs with no object of their own
_CLOSING_LEMMAS = frozenset({"say", "report", "state", "announce", "claim", "add", "write", "confirm", "note",
                             "explain", "allege", "warn", "insist", "tell"})
#: a source's words: a noun phrase ("the press service of the FSB's Crimean border department", "local authorities")
_SOURCE_POS = frozenset({"DET", "NOUN", "PROPN", "ADJ", "NUM", "ADP", "PART", "PUNCT", "CCONJ", "SPACE"})


def _closing_clause_rule(v: VerbCue) -> Found:
    """A reporting clause that closes the sentence after a comma, which the parse hung on the sentence's last noun:
    "Three ships crossed into Russian waters, the press service of the FSB's border department said on Monday."
    and the inverted "At least 300 people were killed, reported local authorities." The content is the sentence
    up to that comma, the source the noun phrase beside the cue."""
    sdoc, sent, cue, text = v.sdoc, v.sent, v.cue, v.text
    tail = [t for t in sdoc[cue.i + 1:sent.end] if not t.is_space]
    if v.lemma not in _CLOSING_LEMMAS or not tail or tail[-1].text not in (".", "!", "?") \
            or any(t.pos_ not in _CLOSING_TAIL for t in tail):
        return None
    comma = next((t for t in reversed(sdoc[sent.start:cue.i]) if t.text == ","), None)
    if comma is None or comma.i - sent.start < 4:
        return None
    between = [t for t in sdoc[comma.i + 1:cue.i] if not t.is_space]
    if between:  # "..., the press service ... said on Monday.": nothing but time or setting after the cue
        if len(tail) > 1 and tail[0].pos_ not in ("ADP", "ADV"):
            return None
        phrase = between
    else:  # "..., reported local authorities.": the source follows the cue, up to any time phrase
        phrase = []
        for t in tail[:-1]:
            if t.pos_ == "ADP" and t.lower_ != "of" or t.text == ",":
                break
            phrase.append(t)
    words = [t for t in phrase if t.pos_ in ("NOUN", "PROPN")]
    if not words or len(phrase) > 12 or any(t.pos_ not in _SOURCE_POS for t in phrase) \
            or phrase[0].pos_ in ("ADP", "PART", "PUNCT", "CCONJ"):
        return None
    before = [t for t in sdoc[sent.start:comma.i] if not t.is_space]
    if not any(t.pos_ in ("VERB", "AUX") for t in before):
        return None  # "In Moscow, officials said ...": no clause before the comma
    of = next((t for t in phrase if t.lower_ == "of"), None)
    head = max((t for t in words if of is None or t.i < of.i), key=lambda t: t.i)
    end = phrase[-1]
    v.source = ((phrase[0].idx, end.idx + len(end.text)), head.i)
    content = _trim(text, (sdoc[sent.start].idx, comma.idx))
    return [_extend_to_quotes(text, content, v.quotes, cue.idx)] if content[1] - content[0] >= 12 else None


#: the content rules for a verb cue, in the order they are tried; the first whose gate passes and that finds
#: content names the attribution's rule. Only one of the two clause rules can pass its gate, and a clause rule
#: always ends the search (with content or a rejection), so the directive rule only sees cues without a clause.
VERB_RULES: tuple[VerbRule, ...] = (
    VerbRule("ccomp-before", _clause_before, _clause_rule),
    VerbRule("ccomp", _clause_after, _clause_rule),
    VerbRule("directive", _directive_cue, _directive_rule),
    VerbRule("parenthetical", _strong_cue, _parenthetical_rule),
    VerbRule("report-clause", _strong_cue, _report_clause_rule),
    VerbRule("closing-clause", _strong_cue, _closing_clause_rule),
    VerbRule("passive", _strong_cue, _passive_rule),
    VerbRule("headline", _headline_cue, _headline_rule),
    VerbRule("quote-adjacent", _strong_or_speech, _quote_adjacent_rule),
    VerbRule("colon-block", _strong_or_speech, _colon_block_rule),
    VerbRule("object", _object_cue, _object_rule),
)


def _ordered_act(cue: Any) -> bool:
    """Whether "ordered" names an act ordered, not words: "Putin ordered the fiery plane crash death of ...", "ordered
    Prigozhin killed" (an object with no infinitive, or a bare participle clause: no "that", no auxiliary); not
    "ordered troops to withdraw", "ordered that the documents be released"."""
    kids = list(cue.children)
    if any(c.dep_ == "xcomp" for c in kids):
        return False
    clause = next((c for c in kids if c.dep_ == "ccomp"), None)
    if clause is None:
        return any(c.dep_ == "dobj" for c in kids)
    return clause.tag_ == "VBN" and not any(c.dep_ in ("mark", "aux", "auxpass") for c in clause.children)


def _generic_saying(cue: Any) -> bool:
    """Whether a cue is a saying no one makes, with a generic "you" or "one" who would or has to say it: "you just
    have to say that Russia uses chemical weapons", "one could say that ...": no statement."""
    verb = cue.head if cue.dep_ == "xcomp" and cue.head.lemma_ in ("have", "need") else cue
    subjects = [c.lower_ for c in verb.children if c.dep_ == "nsubj"]
    modal = verb is not cue or any(c.dep_ == "aux" and c.tag_ == "MD" for c in cue.children)
    return modal and bool(subjects) and subjects[0] in ("you", "one")


def _imperative(cue: Any) -> bool:
    """Whether a cue is a command that opens its sentence, with no subject nor auxiliary: "Thank you, Holborn and
    St Pancras", "Expect Musk to file a response": no one's report (one of PolNeAR train's 22,457 cues is one)."""
    if cue.tag_ not in ("VB", "VBP") or any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "expl")
                                            for c in cue.children):
        return False
    first = next((t for t in cue.sent if not (t.is_punct or t.is_space or t.is_quote)), None)
    return first is not None and first.i == cue.i


def _verb_attribution(sdoc: Any, sent: Any, cue: Any, lemma: str, rate: float, quotes: list[Frag],
                      gates: Gates, particle: Any | None = None) -> RawAttribution | None:
    """The attribution a verb cue makes: the content of the first rule of :data:`VERB_RULES` that finds one, a
    weak cue kept only with a clear reporting shape, a quote split around the cue made one statement, and the
    cue's source."""
    if _generic_saying(cue) or (lemma == "order" and _ordered_act(cue)) or cue.dep_ == "amod" or _imperative(cue):
        return None  # (an adjective: "about the announced result", "the reported deaths")
    if lemma == "call" and any(c.dep_ == "auxpass" for c in cue.children) and not any(
            c.dep_ == "agent" and not any(g.lower_ == "name" for g in c.children) for c in cue.children):
        return None  # "the massacres deserve to be called for what they are", "by name": naming, no one's words
    text = doc_text(sdoc)
    v = VerbCue(sdoc, sent, cue, lemma, rate, quotes, gates, particle, text, _clause_of(cue, particle, rate, gates))
    for verb_rule in VERB_RULES:
        if not verb_rule.gate(v):
            continue
        found = verb_rule.find(v)
        if found is Verdict.REJECT:
            return None
        if found:
            content, rule = found, verb_rule.name
            break
    else:
        return None
    content = _before_answer(text, content, quotes, cue.idx + len(cue.text))
    if not content:
        return None
    not_content = v.not_content
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
    source, head = v.source if v.source is not None else _source_of(cue)
    last = content[-1]
    if source is not None and last[0] < source[0] < last[1] <= source[1] and last[1] <= cue.idx \
            and text[last[0]:source[0]].rstrip().endswith(","):
        # the subject the parse hung at the end of the fronted content ("..., an international team of
        # investigators said"): the content ends at the comma before it
        content[-1] = _trim(text, (last[0], text.rindex(",", last[0], source[0])))
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
#: a sentence ending inside a gap: a lower-case word, a full stop and a capital ("mines. Iran"; not "Gen. Vell")
_SENTENCE_END = re.compile(r"\b[a-z][a-z]+[.!?]\s+[A-Z]")


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
        outer = cue.head.head if cue.dep_ == "pcomp" and cue.head.lower_ == "as" else None
        if outer is not None and outer.lemma_.lower() in ("quote", "cite") and outer.idx > q[1]:
            gap = text[q[1]:outer.idx]  # '"...," Russia Today quoted Kremlin spokesman Jon Vell as saying'
        ends_sentence = (text[q[1] - 2] == "." and re.match(r"\s*[A-Z]", gap)) or _SENTENCE_END.search(gap)
        # ('"... times." The ministry rejected'; '"bears a resemblance" to similar mines. Iran has denied')
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


def _quoted_as_saying(sdoc: Any, atts: list[RawAttribution], quotes: list[Frag]) -> list[RawAttribution]:
    """"The Courier quoted Whitlow as saying that ...": two statements, the paper's, whose content runs from the
    one quoted on (as PolNeAR marks it), and inside it the one quoted's, with the cue "saying". In the passive,
    "Whitlow was quoted by the Courier as saying that ...", the paper's content is what Whitlow is quoted as
    saying; with no one named quoting ("Whitlow was quoted as saying: ..."), the two are one statement, Whitlow's."""
    by_cue = {a.cue_token: a for a in atts if a.cue_token >= 0}
    out = []
    merged: set[int] = set()  # the verbs whose statement a passive with no agent took over
    for att in atts:
        if att.cue_token in merged:
            continue
        cue = sdoc[att.cue_token] if att.cue_token >= 0 else None
        obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i), None) if cue is not None else None
        passive = cue is not None and obj is None and any(c.dep_ == "nsubjpass" for c in cue.children)
        prep = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ == "as" and c.i > (obj or cue).i),
                    None) if cue is not None and (obj is not None or passive) else None
        verb = next((c for c in prep.children if c.dep_ == "pcomp" and c.pos_ == "VERB"), None) if prep else None
        if cue is None or verb is None or verb.i not in by_cue:
            out.append(att)
            continue
        inner = by_cue[verb.i]
        if passive and att.source is None and not any(c.dep_ == "agent" for c in cue.children):
            # "X was quoted as saying: ...": no one named quotes X, so one statement, X's, whose cue runs from
            # "quoted" to "saying"
            merged.add(verb.i)
            out = [a for a in out if a.cue_token != verb.i]
            out.append(replace(inner, cue=(att.cue[0], inner.cue[1]), cue_token=att.cue_token,
                               cue_lemma=att.cue_lemma, rule=att.rule))
            continue
        content = att.content
        if obj is not None and inner.content_span[1] <= cue.idx:
            content = inner.content  # '"...," Russia Today quoted Peskov as saying': what he is quoted as saying
        elif obj is not None and obj.left_edge.idx < max(att.content_span[1], inner.content_span[1]):
            content = ((obj.left_edge.idx, max(att.content_span[1], inner.content_span[1])),)
        out.append(replace(att, content=content, kind=_kind(doc_text(sdoc), content, quotes),
                           extras={**att.extras, "reports": verb.i}))
    return out
