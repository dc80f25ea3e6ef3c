"""What happens to the rules' attributions before they are returned: a quote continued in the next sentence or
paragraph, boundaries moved by the learned model, roles made disjoint, the acceptance model's verdict, two cues
of one statement made one, two statements holding each other's cue untangled, and a content cut where another
party's report is set against it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from crossnews.core.nlp import doc_text, sentence_of
from crossnews.extract.accept import AcceptModel, accept_features
from crossnews.extract.attribution.base import (
    LEARNED_GATES,
    QUOTE_START,
    RAISING_LEMMAS,
    SPEECH_LEMMAS,
    Frag,
    RawAttribution,
    _comma_participle,
    _in_quote,
    _kind,
    _trim,
)
from crossnews.extract.attribution.sources import _noun_phrase
from crossnews.extract.boundaries import BoundaryModel, refine_content, refine_cue, refine_source


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
        after_cue = last[1] > a.cue[0] and len(a.content) == 1 and last[0] > a.cue[0]
        if cue_tok is None or (after_cue and _in_quote(quotes, a.cue[0])):
            out.append(a)  # (a report inside another's quote: the quote that follows is that speaker's)
            continue
        sent_end = sentence_of(cue_tok).end_char
        while sent_end > last[1] and text[sent_end - 1] in QUOTE_START + " \n":
            sent_end -= 1  # the parse may hang the next quote's opening mark on this sentence
        nxt = next((q for q in quotes if q[0] >= max(sent_end, last[1])), None)
        if nxt is None or nxt in a.content:
            out.append(a)
            continue
        gap = text[max(sent_end, last[1]):nxt[0]]
        # the next paragraph, when it is that quote and nothing else, goes on with the statement (the lines of page
        # furniture cleaning took out between them, an advertisement or a newsletter pitch, are blank here)
        whole_paragraph = gap.count("\n") <= 8 and text[nxt[1]:nxt[1] + 1] in ("\n", "")
        if gap.strip() or ("\n" in gap and not whole_paragraph) or (after_cue and "\n" not in gap):
            # (a quote after its cue goes on only into a next paragraph that is a quote and nothing else: 'X said:
            # "A." / "B."'; in its own paragraph a next sentence's quote may be another's)
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
    left: list[tuple[RawAttribution, float]] = []
    text = doc_text(sdoc)
    for att in atts:
        p = checker.probability(accept_features(sdoc, att, _cue_head(sdoc, att)))
        nested_ok = _in_quote(quotes, att.cue[0]) is not None and att.extras.get("p_cue", 0.0) >= LEARNED_GATES.cue
        chained = _chained(att) and _in_content(out, att.cue[0])  # "rebuffed May's claim that ..." too
        # "X denied that ..., claiming that ...": a second speech verb of a kept statement's speaker
        sequel = _chained(att) and att.rule == "ccomp" and _comma_participle(sdoc[att.cue_token]) \
            and any(o.source == att.source and o.cue[1] <= att.cue[0] for o in out)
        # "The navy said it had informed Russia ..., while Russia said it had received no such report": an account
        # set against the one before, which the parse hung inside it
        contrast = _chained(att) and att.cue_token >= 0 and any(
            c.dep_ == "mark" and c.lower_ in ("while", "whereas") for c in sdoc[att.cue_token].children)
        # 'He also apologised to the party's candidates: "I'm sorry that ..."': a speaker's verb and a colon before a
        # quote, whatever the verb
        colon_quote = att.source is not None and len(att.content) == 1 and att.content[0][0] > att.cue[1] \
            and text[att.content[0][0]:att.content[0][0] + 1] in QUOTE_START \
            and re.search(r":\s*$", text[att.cue[1]:att.content[0][0]]) is not None \
            and "\n" not in text[att.cue[1]:att.content[0][0]]
        if p >= checker.threshold or nested_ok or chained or sequel or contrast or att.cue_token in reported \
                or colon_quote \
                or att.rule in ("in-words", "copular-noun", "evidence-as", "evidence-said"):
            out.append(replace(att, confidence=round(p, 3)))
            if "reports" in att.extras:
                reported.add(att.extras["reports"])
        else:
            left.append((att, p))
    # "A Saudi source denied that ..., Reuters reported": the report that holds it comes after it in the text
    later = [replace(att, confidence=round(p, 3)) for att, p in left if _chained(att) and _in_content(out, att.cue[0])]
    return _one_per_statement(sdoc, sorted(out + later, key=lambda a: a.cue[0]) if later else out)


def _chained(att: RawAttribution) -> bool:
    """Whether an attribution may be a report inside another one's content: a speech verb's clause, or a noun of
    speech, with its source."""
    speech = att.rule == "ccomp" and att.cue_lemma in SPEECH_LEMMAS
    return (speech or att.rule == "noun-cue") and att.source is not None


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


#: a coordinator that sets a second party's report against the first's: "... claimed that X but the army blamed Y"
_COUNTER = re.compile(r"[\s,;]+(?:but|while|whereas|although|though)\s+$", re.IGNORECASE)


def _countered(sdoc: Any, atts: list[RawAttribution], quotes: list[Frag]) -> list[RawAttribution]:
    """Contents that end where another party's report is set against them: "the ministry claimed that Israel was
    behind the attack but Israel's military blamed a malfunctioning rocket": the parse hangs the second report
    inside the first one's clause when no comma parts them, and the ministry would report the military. The
    content ends before the coordinator when the other statement's source follows it at once, outside quote
    marks."""
    text = doc_text(sdoc)
    out = []
    for a in atts:
        content = a.content
        for b in atts:
            if b is a or b.source is None or _in_quote(quotes, b.cue[0]) is not None or b.cue[0] < b.source[0]:
                continue
            cut = []
            for start, end in content:
                m = _COUNTER.search(text, start, b.source[0]) if start < b.source[0] < end else None
                cut.append((start, m.start()) if m is not None and m.end() == b.source[0] else (start, end))
            content = tuple(_trim(text, f) for f in cut if f[1] - f[0] > 0)
        if content != a.content and content and all(e - s >= 8 for s, e in content):
            a = replace(a, content=content, kind=_kind(text, content, quotes))
        out.append(a)
    return out


def _ended(text: str, att: RawAttribution, at: int, quotes: list[Frag]) -> RawAttribution:
    """``att`` with its last content fragment ending at ``at`` (trimmed)."""
    content = (*att.content[:-1], _trim(text, (att.content[-1][0], at)))
    return replace(att, content=content, kind=_kind(text, content, quotes))


#: the writer's word on the claim just reported, after a comma outside quote marks: "said the virus most likely
#: came from a lab incident in Wuhan, China, contradicting scientific claims that it emerged naturally"
_COMMENTARY = re.compile(r",\s+(?:contradicting|echoing|reversing|undercutting|undermining|rebutting|countering)\b",
                         re.IGNORECASE)


def _commented(sdoc: Any, atts: list[RawAttribution], quotes: list[Frag]) -> list[RawAttribution]:
    """Contents that end where the writer comments on them: a participle that sets the claim against (or beside)
    others' ("..., contradicting scientific claims that ...", "..., echoing Beijing's line") is the writer's, not
    the speaker's, when it stands outside quote marks."""
    text = doc_text(sdoc)
    out = []
    for a in atts:
        start, end = a.content[-1]
        m = _COMMENTARY.search(text, start, end)
        if m is not None and _in_quote(quotes, m.start()) is None and m.start() - start >= 8:
            a = _ended(text, a, m.start(), quotes)
        out.append(a)
    return out


def _own_participle(sdoc: Any, atts: list[RawAttribution], quotes: list[Frag]) -> list[RawAttribution]:
    """Contents that end where their own speaker's next act begins: "The Kremlin rejected accusations that Russian
    forces were responsible, suggesting the images were fakes": the participle after the comma is a statement of
    the same source (see ``sources._inherited_source``), not part of what was rejected. Outside quote marks."""
    text = doc_text(sdoc)
    out = []
    for a in atts:
        start, end = a.content[-1]
        for b in atts:
            if b is a or b.source is None or b.source != a.source or not start < b.cue[0] < end:
                continue
            comma = text.rfind(",", start, b.cue[0])
            if comma >= 0 and not text[comma + 1:b.cue[0]].strip() and _in_quote(quotes, comma) is None \
                    and comma - start >= 8:
                a = _ended(text, a, comma, quotes)
                break
        out.append(a)
    return out


#: a content's last words when they are "and" and a name: "Russia is guilty of genocide and US President Joe Biden"
_AND_NAME = re.compile(r"\s*,?\s+and\s+(?:[A-Z][\w.'’-]*\s+){0,4}[A-Z][\w.'’-]*\s*$")
#: what may stand between that name and its own verb: "... Joe Biden on Monday accused ..."
_BEFORE_VERB = frozenset({"ADP", "ADV", "PROPN", "NOUN", "PUNCT", "DET"})


def _dangling(sdoc: Any, atts: list[RawAttribution], quotes: list[Frag]) -> list[RawAttribution]:
    """Contents that end on "and" and a name that is the subject of the next clause: "Ukraine says Russia is guilty
    of genocide and US President Joe Biden on Monday accused Putin of war crimes": the parse takes "genocide and
    US President Joe Biden" for one phrase and leaves "accused" with no subject (or takes the name for its
    subject but leaves it in the content); the name begins another report, and the content ends before "and".
    Only outside quote marks, when the verb after the name (past a time or place of a few words) has no subject
    but that name."""
    text = doc_text(sdoc)
    out = []
    for a in atts:
        start, end = a.content[-1]
        m = _AND_NAME.search(text, start, end)
        if m is not None and m.start() - start >= 8 and _in_quote(quotes, m.start()) is None:
            span = sdoc.char_span(start, end, alignment_mode="expand")
            after = sdoc[span.end:span.end + 6] if span is not None else ()
            verb = next((t for t in after if t.pos_ == "VERB" or t.pos_ not in _BEFORE_VERB), None)
            subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")] if verb is not None else []
            if verb is not None and verb.pos_ == "VERB" and verb.tag_ in ("VBD", "VBZ", "VBP") and all(
                    m.start() <= c.idx < end for c in subjects) and verb.dep_ != "relcl":
                a = _ended(text, a, m.start(), quotes)
        out.append(a)
    return out


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
