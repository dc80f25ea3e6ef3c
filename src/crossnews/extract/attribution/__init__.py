"""Attributed statements by rules over the spaCy dependency parse (backend ``quotes.rules.v2``).

For each reporting cue (a verb whose lemma the PolNeAR-derived lexicon knows as a cue, "according to", a colon
before a quote) the rules find:

* the **content**: the clausal complement ("said *that ...*"), a fronted clause or quote ("*"...",* he said"), a
  quote introduced by a colon, the object and infinitive of "urged X *to ...*", the main clause around
  "according to X", the sentence around a reporting clause the parse left unlinked ("..., as police have
  said", "..., the ministry said on Monday", "..., reported local authorities"); a quote split around the cue is
  one statement with two parts, a quote that runs over several sentences or paragraphs is taken whole (quote
  marks are paired first, tolerating stray marks), and a quote opening the next sentence, or making up the next
  paragraph, with no cue of its own continues the statement;
* the **source**: the cue's subject (its whole noun phrase, with a relative pronoun replaced by its antecedent),
  the agent of a passive, the subject inherited by "..., adding/saying" and by coordinated cues, or the object
  of "according to".

Spans follow the PARC/PolNeAR conventions: content keeps "that" and quote marks and drops the sentence's final
punctuation outside quotes. The functions here work on a spaCy ``Doc`` and return character offsets; resolving
speakers, nesting and channels is :mod:`crossnews.extract.statements`' job.

The package's modules, each importing only from those before it: :mod:`~.base` (shared types, vocabulary and
span helpers), :mod:`~.marks` (quote marks), :mod:`~.sources` (who speaks), :mod:`~.phrases` (cues other than
verbs), :mod:`~.rules` (verb cues: the ordered table of content rules), :mod:`~.resolve` (what happens to the
rules' attributions before they are returned); :func:`find_attributions` runs them.
"""

from __future__ import annotations

from typing import Any

from crossnews.core.nlp import doc_text
from crossnews.extract.accept import load_accept_model
from crossnews.extract.attribution.base import (
    ACCEPT_GATES,
    ANONYMITY,
    ANONYMOUS_HEADS,
    LEARNED_GATES,
    LEXICON_GATES,
    Frag,
    Gates,
    RawAttribution,
    _in_quote,
    cue_lexicon,
)
from crossnews.extract.attribution.base import _trim as _trim
from crossnews.extract.attribution.marks import find_quotes, find_single_quotes
from crossnews.extract.attribution.phrases import (
    ACCORDING,
    _according_to,
    _colon_and_dash,
    _copular_noun,
    _evidence_report,
    _in_words,
    _noun_attribution,
    _stance_adjective,
    without_restated,
)
from crossnews.extract.attribution.resolve import (
    _accepted,
    _commented,
    _continue_quotes,
    _countered,
    _dangling,
    _disjoint,
    _in_content,
    _own_participle,
    _refined,
    _untangled,
    fences,
)
from crossnews.extract.attribution.resolve import _cue_head as _cue_head
from crossnews.extract.attribution.rules import _quoted_as_saying, _verb_attribution
from crossnews.extract.attribution.sources import _source_of as _source_of
from crossnews.extract.boundaries import load_boundary_model
from crossnews.extract.cues import cue_features, is_candidate, load_cue_model

__all__ = [
    "ACCEPT_GATES",
    "ANONYMITY",
    "ANONYMOUS_HEADS",
    "LEARNED_GATES",
    "LEXICON_GATES",
    "Frag",
    "Gates",
    "RawAttribution",
    "cue_lexicon",
    "fences",
    "find_attributions",
    "find_quotes",
    "find_single_quotes",
]


def _reported_later(tok: Any, rates: dict[str, float]) -> bool:
    """Whether ``tok`` (or the verb it is coordinated with) is the clause of a reporting verb later in the sentence
    ("X denied that ... and said that ..., Reuters reported")."""
    while tok.dep_ == "conj" and tok.head.i < tok.i:
        tok = tok.head
    return bool(tok.dep_ == "ccomp" and tok.head.i > tok.i and rates.get(tok.head.lemma_.lower(), 0.0) >= 0.5)


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
        # "according to X" first: a cue its content holds is a nested report ("'...,' Zelensky said, according to
        # Ukrainian media"), which the learned cue model, trained on PolNeAR's outermost statements, would refuse
        for tok in sent:
            if tok.i + 1 < len(sdoc) and (tok.lower_, sdoc[tok.i + 1].lower_) in ACCORDING:
                att = _according_to(sdoc, sent, tok, quotes)
                if att:
                    found[tok.i] = att
        for tok in sent:
            if tok.i + 1 < len(sdoc) and (tok.lower_, sdoc[tok.i + 1].lower_) in ACCORDING:
                continue
            if tok.lower_ == "words" and tok.dep_ == "pobj" and tok.head.lower_ == "in":
                att = _in_words(sdoc, sent, tok, quotes)
                if att:
                    found[tok.i] = att
                continue
            if tok.lower_ == "as" or tok.dep_ == "relcl":
                att = _evidence_report(sdoc, sent, tok, quotes)  # "evidence it said showed ...", "as proof that"
                if att:
                    found[tok.i] = att
                    continue
            if tok.pos_ == "ADJ" and tok.dep_ == "acomp":
                att = _stance_adjective(sdoc, sent, tok, quotes)  # "the UK is confident that ..."
                if att:
                    found[tok.i] = att
                    continue
            if tok.pos_ == "NOUN" and tok.dep_ == "nsubj" and tok.head.lemma_ == "be":
                att = _copular_noun(sdoc, sent, tok, quotes)  # "the UK government's position is that ..."
                if att:
                    found[tok.i] = att
                    continue
            if not is_candidate(tok):
                continue
            lemma = tok.lemma_.lower()
            if lemma == "blame" and tok.dep_ == "xcomp" and tok.head.lemma_ == "be" and any(
                    c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
                continue  # "Russia was ultimately to blame for ...": who is at fault, not anyone blaming
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
                nested = _in_quote(quotes, tok.idx) or _in_content(found.values(), tok.idx) or (
                    # "Iran categorically rejected claims ..., reported BBC": the report whose content it is
                    # closes the sentence, after it
                    _reported_later(tok, rates))
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
            if lemma in _DEPICTING and not any(c.dep_ == "ccomp" for c in tok.children) and any(
                    c.dep_ in ("nsubj", "nsubjpass") and any(w.lemma_.lower() in _PICTURES for w in (c, *c.lefts))
                    for c in tok.children):
                continue  # "This handout satellite image shows an overview of the dam": a caption, not speech
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
    # (a content must run forwards: a rule that met a parse it did not foresee must not bring the document down)
    atts = [a for a in atts if all(start < end for start, end in a.content)]
    # nor be a whole quotation holding its own cue ('"And we say to Kamila: ..."' is not what "say" reports)
    atts = [a for a in atts if not _quote_holds_cue(text, a)]
    boundaries = load_boundary_model() if learned and refine else None
    if boundaries is not None:
        atts = [_refined(sdoc, a, boundaries, quotes, fences(a, atts, quotes)) for a in atts]
    atts = [d for d in (_disjoint(sdoc, a, quotes) for a in atts) if d is not None and _says_something(sdoc, d)]
    if checker is not None:
        atts = _accepted(sdoc, atts, checker, quotes)
    atts = _commented(sdoc, _countered(sdoc, without_restated(atts), quotes), quotes)
    atts = _untangled(sdoc, _own_participle(sdoc, _dangling(sdoc, atts, quotes), quotes), quotes)
    # last, what reports no saying goes, once it has fenced the others' contents as a cue does
    return [a for a in atts if _asserts(sdoc, a)]


def _quote_holds_cue(text: str, att: RawAttribution) -> bool:
    """Whether a content is a whole quotation that holds the attribution's own cue: '"And we say to Kamila: don't
    hide ..."' is not what "say" reports (a content that is a clause fronted before its cue, "what he says he will
    do", holds its cue too, and stays)."""
    return any(start <= att.cue[0] < end and text[start:start + 1] in _OPENING_QUOTES for start, end in att.content)


_OPENING_QUOTES = frozenset("\"“‘«'")


#: what a picture does, and pictures: "the image shows an overview of ..." is a caption, not anyone's statement;
#: "video shows that ..." (a clause) stays, as PolNeAR annotates it, and so does a report of what footage showed
_DEPICTING = frozenset("show depict capture feature illustrate".split())
_PICTURES = frozenset("""image photo photograph picture video footage clip map chart graph graphic screenshot
screengrab handout still screen monitor billboard poster""".split())

#: a content of these words alone says nothing: "That said, ...", "Having said that, ...", "he said so"
_EMPTY_CONTENT = frozenset("that this so it which what these those".split())


#: verbs that refuse or fail to say: "declined to say whether ...", "refused to confirm if ..."
_WITHHOLDING = frozenset("decline refuse fail".split())
#: verbs of putting out a document, which report only with a clause or a quote ("issued a statement saying ...");
#: with a noun phrase they name an act ("released its report", "issued a statement about the inquiry")
_PUBLISHING = frozenset("release issue publish post file submit circulate present unveil tweet retweet share upload "
                        "refuse".split())  # (and refusing: "refused to provide the data", "refusing his requests")
#: a cue in a clause of these is a supposition, not a report: "If the court finds for Twitter, ..."
_SUPPOSING = frozenset("if unless".split())


#: passives that tell what happened or is due, not what anyone said, when no one is named: "were found
#: unconscious", "has been listed among the passengers", "is widely seen as sailing through" ("is expected to" stays:
#: PolNeAR marks it, 0.1 points of its F1)
_HAPPENING = frozenset("find list add approve schedule set plan see".split())


def _asserts(sdoc: Any, att: RawAttribution) -> bool:
    """Whether an attribution reports something held, not an act, a silence or a supposition: a cue in an
    if-clause ("If the court finds for Twitter, ..."), a duty or plan to say ("its obligations to disclose ..."),
    "known for"; a speaker who did not say, or declined to say, whether something is so ("did not say whether the
    mayor had seen it"); a document put out, or a refusal, unless a clause or a quote gives what it says
    ("released its report", "issued a statement about the inquiry", "refused to provide the data")."""
    if att.cue_token < 0 or not att.content:
        return True
    cue = sdoc[att.cue_token]
    lemma = cue.lemma_.lower()
    text = doc_text(sdoc)
    if cue.pos_ == "VERB" and any(c.dep_ == "mark" and c.lower_ in _SUPPOSING for c in cue.children):
        return False  # "if the court finds that ...": a supposition
    if cue.dep_ == "acl" and cue.head.pos_ == "NOUN" and any(c.dep_ == "aux" and c.lower_ == "to"
                                                              for c in cue.children):
        return False  # "its obligations to disclose how many ...": a duty or a plan to say, no saying
    if lemma == "know" and any(c.dep_ == "auxpass" or c.dep_ == "prep" and c.lower_ in ("for", "as")
                               for c in cue.children):
        return False  # "a firm known for its mergers", "is known as"
    if lemma == "name" and cue.tag_ == "VBN" and any(c.dep_ == "prep" and c.lower_ in ("for", "after")
                                                      for c in cue.children):
        return False  # "Named for the Cuban city where ...": where a name comes from
    first = text[att.content[0][0]:att.content[0][1]].split(maxsplit=1)
    if att.source is None and cue.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in cue.children):
        return False  # "to suspend use of the plane" (urged airlines to tell ...), "to defend against": no one says
    if att.source is None and cue.dep_ in ("csubj", "csubjpass") and cue.tag_ == "VBG":
        return False  # "accusing a country of being at fault ... was a complex process": the act talked about
    if att.source is None and att.rule.startswith("quote-adjacent") and cue.dep_ == "acl" and cue.tag_ == "VBN":
        return False  # 'a "monstrous forgery" aimed at denigrating the army': a participle of the quoted noun
    if att.source is None and lemma in _HAPPENING and any(c.dep_ == "auxpass" for c in cue.children) \
            and not any(c.dep_ == "agent" for c in cue.children):
        return False  # "they were found collapsed on a bench": no one says it
    if first and first[0].lower() in ("whether", "if") and (
            _negated(cue) or lemma in _WITHHOLDING
            or cue.dep_ == "xcomp" and (cue.head.lemma_.lower() in _WITHHOLDING or _negated(cue.head))):
        return False
    if lemma in _PUBLISHING:
        span = sdoc.char_span(att.content[0][0], att.content[-1][1], alignment_mode="expand")
        quoted = any(ch in text[att.content[0][0]:att.content[-1][1]] for ch in "\"“”«»")
        # a clause heads the content (a verb at its root, or a clause it holds as the cue's complement); a finite
        # verb inside a noun phrase's relative clause does not ("tweeted a still ... that suggested ..."), nor, for
        # refusing, an infinitive (refusing to act is no saying)
        infinitive = ("xcomp",) if lemma != "refuse" else ()
        not_clauses = ("relcl", "acl") if infinitive else ("relcl", "acl", "xcomp")
        clause = span is not None and (span.root.pos_ in ("VERB", "AUX") and span.root.dep_ not in not_clauses
                                       or any(t.dep_ in ("ccomp", *infinitive) and t.head.i == cue.i for t in span))
        if not quoted and not clause:
            return False
        before = text[:att.content[0][0]].rstrip().rsplit(maxsplit=1)
        if before and before[-1].lower() in ("about", "on", "over", "regarding", "concerning"):
            return False  # the statement's topic, not what it says
    return True


def _negated(tok: Any) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def _says_something(sdoc: Any, att: RawAttribution) -> bool:
    """Whether a speakerless attribution is more than a pronoun standing for something said elsewhere (a discourse
    marker such as "Having said that" is no statement; "he said that" keeps its speaker and stays)."""
    if att.source is not None:
        return True
    words = [w for start, end in att.content for w in doc_text(sdoc)[start:end].split()]
    return not (len(words) == 1 and words[0].strip("\"'“”‘’,.").lower() in _EMPTY_CONTENT)
