"""Attributions cued by something other than a verb: "according to X", "in his words", a noun of speech ("a
statement made by X that ...", "X's claim that ..."), a name and a colon opening a line ("Pat Caddell: ...") and
a quote signed with a dash ('"..." ― Sonya Herridge')."""

from __future__ import annotations

import re
from typing import Any

from crossnews.clean.metadata import match_dateline
from crossnews.core.nlp import doc_text
from crossnews.extract.attribution.base import (
    QUOTE_START,
    Frag,
    RawAttribution,
    _extend_to_quotes,
    _in_quote,
    _kind,
    _span_of,
    _trim,
)
from crossnews.extract.attribution.sources import _noun_phrase

#: two-word phrases that credit what the sentence says to their object: "according to X", "as per X"
ACCORDING = frozenset({("according", "to"), ("as", "per")})


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
        cue_lemma=f"{tok.lower_} {to.lower_}",
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


#: nouns of a claim that may take their holder as a modifier before them ("the army claim that ...")
_CLAIM_NOUNS = frozenset({"claim", "allegation", "assertion", "accusation", "statement", "denial"})


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
        elif child.pos_ in ("PROPN", "NOUN") and (child.dep_ == "poss" or any(
                c.dep_ == "case" for c in child.children)):  # "X's claim" (X may be parsed nsubj or nmod)
            source_tok = child
        if source_tok is not None:
            break
    whole = None
    if source_tok is None and noun.lemma_.lower() in _CLAIM_NOUNS and noun.i > 0 \
            and sdoc[noun.i - 1].dep_ == "compound" and sdoc[noun.i - 1].head.i == noun.i \
            and sdoc[noun.i - 1].pos_ in ("NOUN", "PROPN"):
        source_tok = sdoc[noun.i - 1]  # "the Israeli army claim that ...": the holder named before the noun
        whole = (noun.left_edge.idx, source_tok.idx + len(source_tok.text))
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
    return _noun_cued(text, quotes, noun, (noun.idx, noun.idx + len(noun.text)), frag, source_tok, "noun-cue", 0.6,
                      whole)


def _noun_cued(text: str, quotes: list[Frag], noun: Any, cue: Frag, frag: Frag, source_tok: Any, rule: str,
               confidence: float, source: Frag | None = None) -> RawAttribution:
    """The attribution a noun of speech cues: ``frag`` said by ``source_tok``'s phrase (or ``source``)."""
    return RawAttribution(cue=cue, content=(frag,), source=source or _noun_phrase(source_tok), rule=rule,
                          confidence=confidence, cue_lemma=noun.lemma_.lower(), source_head=source_tok.i,
                          cue_token=noun.i, kind=_kind(text, [frag], quotes))


#: nouns for what a party holds or says, which report their holder's words as the subject of "is that ...": "the
#: UK government's position is that ...", "the ministry's view was that ..."
COPULAR_NOUNS = frozenset("""position view stance line claim contention argument assessment conclusion belief
understanding assertion allegation accusation answer response message verdict""".split())


def _copular_noun(sdoc: Any, sent: Any, noun: Any, quotes: list[Frag]) -> RawAttribution | None:
    """"X's position is that ...": a noun of ``COPULAR_NOUNS``, subject of a form of "be" whose complement is a
    "that"-clause, and its holder named as its possessor ("the UK government's") or after "of" ("the position of
    the ministry"); the cue is the noun with the verb. None for another shape, or no holder named."""
    head = noun.head
    if noun.dep_ != "nsubj" or head.lemma_ != "be" or noun.lemma_.lower() not in COPULAR_NOUNS:
        return None
    frag = _that_clause(sdoc, head)
    if frag is None:
        return None
    source_tok = next((c for c in noun.children if c.i < noun.i and c.pos_ in ("PROPN", "NOUN") and (
        c.dep_ == "poss" or any(x.dep_ == "case" for x in c.children))), None)  # "’s" is sometimes nmod + case
    if source_tok is None:
        of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" and c.i > noun.i), None)
        source_tok = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if source_tok is None:
        return None
    cue = (noun.idx, head.idx + len(head.text)) if head.i == noun.i + 1 else (noun.idx, noun.idx + len(noun.text))
    return _noun_cued(doc_text(sdoc), quotes, noun, cue, frag, source_tok, "copular-noun", 0.7)


def _that_clause(sdoc: Any, head: Any) -> Frag | None:
    """The "that"-clause ``head`` governs after it, as a content (at least 8 characters), or None."""
    clause = next((c for c in head.children if c.dep_ == "ccomp" and c.i > head.i
                   and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
    if clause is None:
        return None
    end = clause.right_edge
    frag = _trim(doc_text(sdoc), (sdoc[min(t.i for t in clause.subtree)].idx, end.idx + len(end.text)))
    return frag if frag[1] - frag[0] >= 8 else None


#: adjectives of a held certainty that report what follows them: "the UK is confident that ...", "Vell was adamant
#: that ..."
STANCE_ADJECTIVES = frozenset("confident certain convinced sure adamant".split())


def _stance_adjective(sdoc: Any, sent: Any, adj: Any, quotes: list[Frag]) -> RawAttribution | None:
    """"X is confident that ...": an adjective of ``STANCE_ADJECTIVES``, complement of a form of "be" whose subject
    can speak, with a "that"-clause of its own (the parse hangs it on the adjective); the cue is the verb with the
    adjective (its quote marks inside: 'is "confident"'). None for another shape ("a confident team")."""
    head = adj.head
    if adj.dep_ != "acomp" or head.lemma_ != "be" or adj.lemma_.lower() not in STANCE_ADJECTIVES:
        return None
    frag = _that_clause(sdoc, adj)
    subject = next((c for c in head.children if c.dep_ == "nsubj" and c.i < head.i), None)
    if frag is None or subject is None or not (
            subject.pos_ in ("PROPN", "PRON") or subject.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")):
        return None
    text = doc_text(sdoc)
    close = adj.i + 1 if adj.i + 1 < len(sdoc) and sdoc[adj.i + 1].is_quote else adj.i
    cue = (head.idx, sdoc[close].idx + len(sdoc[close].text))
    return RawAttribution(cue=cue, content=(frag,), source=_noun_phrase(subject), rule="stance-adjective",
                          confidence=0.7, cue_lemma=adj.lemma_.lower(), source_head=subject.i, cue_token=adj.i,
                          kind=_kind(text, [frag], quotes))


#: what evidence does, when a party is said to hold it: "evidence it said *showed* ...", "documents he says *prove*"
_EVIDENTIAL_VERBS = frozenset("show prove indicate demonstrate confirm suggest reveal establish".split())
#: nouns of evidence a party puts forward "as proof that ..."
_PROOF_NOUNS = frozenset({"proof", "evidence"})
#: verbs whose subject holds what the evidence is said to show ("evidence it said showed ...")
_HOLDING_LEMMAS = frozenset({"say", "claim", "allege", "believe", "argue", "insist"})


def _clause_to_end(sdoc: Any, sent: Any, first: int) -> Frag | None:
    """From token ``first`` to the end of the sentence, its closing punctuation left out."""
    last = sent.end - 1
    while last >= first and (sdoc[last].is_punct or sdoc[last].is_space):
        last -= 1
    if last < first:
        return None
    frag = _trim(doc_text(sdoc), (sdoc[first].idx, sdoc[last].idx + len(sdoc[last].text)))
    return frag if frag[1] - frag[0] >= 8 else None


def _evidence_report(sdoc: Any, sent: Any, tok: Any, quotes: list[Frag]) -> RawAttribution | None:
    """What a party says its evidence shows: "(released) evidence *it said* showed the blast was caused by ..."
    (``tok`` the holding verb, followed at once by the evidential verb: the content is what that verb shows), or
    "(the army) used the live feed *as proof* that one of the rockets ... was responsible" (``tok`` the "as": the
    source is the subject of the verb it hangs from). None for another shape; see :func:`without_restated` for
    the one a cue's own statement already holds ("cited the report as evidence that ...")."""
    text = doc_text(sdoc)
    nxt = sdoc[tok.i + 1] if tok.i + 1 < sent.end else None
    if nxt is None:
        return None
    if tok.lower_ == "as":
        that = sdoc[tok.i + 2] if tok.i + 2 < sent.end else None
        if nxt.lower_ not in _PROOF_NOUNS or that is None or that.lower_ != "that":
            return None
        verb = tok.head
        while verb.head.i != verb.i and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            verb = verb.head
        subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < tok.i), None)
        content = _clause_to_end(sdoc, sent, that.i + 1)
        if subject is None or content is None:
            return None
        cue: Frag = (tok.idx, nxt.idx + len(nxt.text))
        lemma, rule = nxt.lemma_.lower(), "evidence-as"
    else:
        if tok.lemma_.lower() not in _HOLDING_LEMMAS or nxt.lemma_.lower() not in _EVIDENTIAL_VERBS \
                or nxt.tag_ not in ("VBD", "VBZ", "VBP", "VB", "VBN") \
                or any(c.dep_ in ("ccomp", "dobj") for c in tok.children if c.i < nxt.i):
            return None
        subject = next((c for c in tok.children if c.dep_ == "nsubj" and c.i < tok.i), None)
        clause = next((c for c in nxt.children if c.dep_ == "ccomp" and c.i > nxt.i), None)
        if subject is None:
            return None
        if clause is not None:
            end = clause.right_edge
            content = _trim(text, (min(t.idx for t in clause.subtree), end.idx + len(end.text)))
        else:
            content = _clause_to_end(sdoc, sent, nxt.i + 1)
        if content is None or content[1] - content[0] < 8:
            return None
        cue = (tok.idx, tok.idx + len(tok.text))
        lemma, rule = tok.lemma_.lower(), "evidence-said"
    return RawAttribution(cue=cue, content=(content,), source=_noun_phrase(subject), rule=rule,
                          confidence=0.6, cue_lemma=lemma, source_head=subject.i, cue_token=tok.i,
                          kind=_kind(text, [content], quotes))


def without_restated(atts: list[RawAttribution]) -> list[RawAttribution]:
    """``atts`` without the evidence put forward "as proof" (:func:`_evidence_report`) whose content lies inside
    another attribution's: "the ministry cited the report as evidence that ..." is the statement of "cited". (What
    a party "said showed" stays, nested in the statement that holds it.)"""
    def inside(a: RawAttribution, b: RawAttribution) -> bool:
        return any(bs <= s and e <= be for s, e in a.content for bs, be in b.content)
    return [a for a in atts if a.rule != "evidence-as" or not any(b is not a and inside(a, b) for b in atts)]


_WH_WORDS = frozenset("what why how when where which who whose".split())
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
                                                    "read", "source", "sources", "credit", "tags", "updated",
                                                    "background", "context", "details", "bottom line", "the latest",
                                                    "the big picture", "state of play", "zoom in", "go deeper",
                                                    "quote", "quotes", "reminder", "summary", "recap", "key quote"}:
                continue
            if m.group("name").split()[0].lower() in _WH_WORDS:
                continue  # a subheading ("Why It Matters:", "What Happened:"), not a speaker
            name_span = (m.start("name"), m.end("name"))
            colon = text.index(":", name_span[1])
            if any(name_span[0] <= t < colon + 1 for t in taken):
                continue
            if seg == line_start and match_dateline(text[line_start:para.end()]) is not None:
                continue  # "WASHINGTON: Officials said ...": a dateline, not a speaker
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
