"""``judge.rules.v1`` — the default judge: offline, fast and explainable.

Each decision names the words that carry it:

* **same**: one claim's words are the other's, possibly trimmed (quote reuse);
* **contradicts**, from any of
  - opposite polarity on one stance scale about a shared topic (legal / illegal, recognise / will not recognise,
    sincere / sham; a negation or "refuse to" flips a word);
  - numbers that differ for the same thing ("96.7% of voters" / "83% of voters");
  - dates that differ for the same thing ("on March 16" / "on March 17");
  - one source stating as fact what the other's speaker denies;
* **adds**: one claim holds the other's words and says more;
* **agrees**: a paraphrase (enough shared content words);
* **unrelated**: otherwise.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from crossnews.align.judges import Claim, Judgement
from crossnews.align.judges.evidence import (
    DENIAL_CUES,
    FAKE_WORDS,
    SCALES,
    TOLL_WORDS,
    Cause,
    Comparison,
    Mark,
    Reading,
    affiliated,
    compare,
    compatible_acts,
    crowd_near,
    dates_of,
    evidence_of,
    gives_toll,
    held_for_act,
    inflated_toll,
    numbers_of,
    own_acts,
    own_causes,
    read,
    rebuttal,
    stance_marks,
    stem,
    such_denial,
    words_around,
)
from crossnews.align.words import (
    STOP,
    WORD,
    content_sequence,
    content_words,
    countries,
    fold_word,
    quoted_phrases,
    words_of,
)
from crossnews.core.registry import register

# stance_marks and SCALES live in crossnews.align.judges.evidence; content_words in crossnews.align.words
__all__ = ["RulesJudge", "stance_marks", "content_words", "SCALES"]

NAME = "judge.rules.v1"
#: scales that describe what happened ("a failed rocket launch", "prices rose") rather than take a position: two
#: speakers sharing such a word do not hold one position by it
_EVENT_SCALES = frozenset({"outcome", "change"})
#: the scales of a position towards a party of the story (help it or not, blame it or not), not a verdict on a
#: thing: one speaker's two positions on them are about the story whatever else the claims share ("willing to help
#: with the investigation" / "refused to cooperate with Ostria"); on the others (what is true, legal, supported,
#: won, changed, safe) two claims must share what they judge
_TOWARDS_A_PARTY = frozenset({"cooperation", "responsibility"})
#: the stance scales on which two different speakers' opposite positions contradict each other
CROSS_SPEAKER_SCALES = ("responsibility", "extent")

_Pair = tuple[tuple[Mark, ...], tuple[Mark, ...]]  # the stance marks of claims a and b
_stem = stem


def _one_phrase(text: str, stems: frozenset[str]) -> bool:
    """Whether ``stems`` stand next to each other in ``text``, counting its content words only ("pock [the tax
    code]": one phrase), each once."""
    at = [i for i, w in enumerate(content_sequence(text)) if _stem(w) in stems]
    return bool(at) and len(at) == len(stems) and at[-1] - at[0] == len(at) - 1


@lru_cache(maxsize=65536)
def _stems(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in content_words(text))


@lru_cache(maxsize=65536)
def _marks(text: str) -> tuple[Mark, ...]:
    return tuple(stance_marks(text))


_numbers = numbers_of
_dates = dates_of


@lru_cache(maxsize=65536)
def _folded(text: str) -> str:
    return " ".join(text.lower().split())


@lru_cache(maxsize=65536)
def _same_words(na: str, nb: str) -> tuple[float, float]:
    """Whole and partial similarity ratios (0-100) of two folded texts, or (0, 0) when neither can make the two
    the same words (whole under 95, and partial under 96 or the shorter text under 0.6 of the longer): the same
    text pairs recur across copies of a story, and the partial ratio is the judge's costliest step, so it is
    first asked only whether it passes its cutoff."""
    short, long_ = (na, nb) if len(na) <= len(nb) else (nb, na)
    if fuzz.ratio(na, nb, score_cutoff=95) or (
            len(short) >= 0.6 * len(long_) and fuzz.partial_ratio(short, long_, score_cutoff=96)):
        return fuzz.ratio(na, nb), fuzz.partial_ratio(short, long_)
    return 0.0, 0.0


def _same_toll_told(ta: str, tb: str) -> bool:
    """Whether two texts both give a toll of one kind ("471 people were killed" / "500 killed and injured")."""
    na, nb = numbers_of(ta), numbers_of(tb)
    return any(_same_toll(ta, sa, ea, tb, sb, eb) for _, sa, ea in na.values() for _, sb, eb in nb.values())


def _toll_drift(a: Claim, b: Claim, cmp: Comparison) -> list[str]:
    """The tolls of one kind whose counts differ between two tellings of one side, taken out of ``cmp``'s number
    conflicts, as "500 → 471"."""
    tolls = [x for x in cmp.number_conflicts if _same_toll(a.text, x[1][1], x[1][2], b.text, x[2][1], x[2][2])]
    cmp.number_conflicts = [x for x in cmp.number_conflicts if x not in tolls]
    return [f"{a.text[s1:e1]} → {b.text[s2:e2]}" for _, (_, s1, e1), (_, s2, e2) in tolls]


def _country_rivals(cmp: Comparison) -> list[tuple[Any, Any]]:
    """The rival causes of two claims whose agents are different countries on each side; a party held responsible
    by a stance word counts as a cause when the claim names no act of its own ("the Zionist enemy is trying hard to
    evade its responsibility" / "the most likely cause ... was a Palestinian rocket")."""
    out = [(ca, cb) for ca, cb in cmp.rival_causes
           if countries(ca.agents) and countries(cb.agents) and not countries(ca.agents) & countries(cb.agents)]
    if out:
        return out
    asserted = [[c for c in (r.causes or _held(r)) if not (c.negated or c.supposed or c.beside)]
                for r in (cmp.a, cmp.b)]
    return [(ca, cb) for ca in asserted[0] for cb in asserted[1]
            if countries(ca.agents) and countries(cb.agents) and not countries(ca.agents) & countries(cb.agents)
            and (not cmp.a.causes or not cmp.b.causes) and not compatible_acts(ca, cb)]


def _same_cause(cmp: Comparison) -> tuple[Cause, Cause] | None:
    """Two claims that put one act on the same party ("an Israeli air strike for the killings" / "the attack was
    the result of an Israeli airstrike"), or clear the same party ("Israel is not responsible" / "Israel did not
    bomb the hospital"), and do not each name a different thing it was done to; None otherwise."""
    if cmp.distinct_objects or cmp.hedge_one_side or cmp.doubt_one_side:  # "might have been behind" is
        return None  # a suspicion, "was behind" an accusation
    for ca in cmp.a.causes:
        for cb in cmp.b.causes:
            # the parties as named: "Putin ordered it" is another claim than "Russia was responsible", though
            # it contradicts "Moscow was not responsible" (see _blamed_and_cleared)
            if ca.negated == cb.negated and not (ca.supposed or cb.supposed or ca.beside or cb.beside) \
                    and _one_party(ca.agents - ca.via, cb.agents - cb.via):
                return ca, cb
    return None


def _blamed_and_cleared(cmp: Comparison) -> tuple[Cause, Cause] | None:
    """A party one claim puts the act on and the other says did not do it ("Putin ordered the attack" / "Moscow
    was not responsible for the poisoning"; "an Israeli airstrike" / "denied launching the strike"), when the two
    do not each name a different thing the act was done to; None otherwise."""
    if cmp.distinct_objects:
        return None
    for ca in (*cmp.a.causes, *_held(cmp.a)):
        for cb in (*cmp.b.causes, *_held(cmp.b)):
            if ca.negated != cb.negated and not (ca.supposed or cb.supposed or ca.beside or cb.beside) \
                    and _one_party(ca.agents, cb.agents) and not compatible_acts(ca, cb):
                return ca, cb
    return None


def _rebutted(a: Claim, b: Claim, ra: Reading, rb: Reading) -> tuple[str, int, int] | None:
    """One claim rejects a report of the other's speaker, whom it names (:attr:`Claim.rejects`: "HRW hasn't come
    up with any evidence to support their findings" / HRW: "evidence suggested a misfired rocket was the likely
    cause"), or of the other's side, not its own (:attr:`Claim.rejects_sides`: "Israeli statements seem to have
    misinterpreted the evidence"), and the other is that report's account of the event: it puts the act on someone
    or clears someone (not only supposes it), or shares a content word with the rejection other than its speaker's
    name ("without conclusive evidence" / "evidence suggested"). Which claim rejects ("a" or "b") and the span of
    its words that do; None if neither."""
    for by, of, r_of, tag in ((b, a, ra, "b"), (a, b, rb, "a")):
        named = of.speaker_entity is not None and of.speaker_entity in by.rejects
        if not named and not (of.side & by.rejects_sides and not of.side & by.side):
            continue
        if by.answers and len((_stems(by.answers) - _stems(of.speaker or "")) & _stems(of.text)) >= 2:
            # a denial that points back ("no such report") meets what it answers told again elsewhere
            such = such_denial(by.text)
            if such is not None:
                return tag, such[0], such[1]
        span = rebuttal(by.text, by.cue or "")
        if span is not None and (any(not c.supposed for c in (*r_of.causes, *_held(r_of))) or (
                (_stems(by.text) - _stems(of.speaker or "")) & _stems(of.text) and not _potential(r_of))):
            return tag, span[0], span[1]
    return None


#: nouns that name people of any body ("officials", "sources"): two speakers sharing one are not one body
_ANYONE = frozenset("""official officials source sources spokesman spokeswoman spokesperson spokespeople people
person media analyst analysts expert experts witness witnesses resident residents member members leader leaders
report reports statement group groups""".split())


def _faked(a: Claim, b: Claim) -> tuple[str, str, int, int] | None:
    """One claim calls a kind of evidence fake and the other draws on that kind ("the recording was 'fabricated'"
    / "conversations in Arabic that indicate the strike was done by Islamic Jihad"): which claim calls it fake ("a"
    or "b"), the kind, and the span of the word that does; None if neither, or if both call it fake."""
    (da, fa), (db, fb) = evidence_of(a.text), evidence_of(b.text)
    da, db = da | a.rests_on, db | b.rests_on
    for tag, by, faked, drawn, own in (("a", a, fa, db, fb), ("b", b, fb, da, fa)):
        kinds = sorted(faked & drawn - own)
        if kinds:
            m = next((m for m in WORD.finditer(by.text) if m.group(0).lower() in FAKE_WORDS), None)
            return tag, kinds[0], (m.start() if m else 0), (m.end() if m else 0)
    return None


def _inflated(a: Claim, b: Claim) -> tuple[str, int, int] | None:
    """One claim says a toll was inflated ("they went as far as to inflate the number of casualties") and the other,
    of another side, gives a toll as fact ("500 people were killed and injured"): which claim says it ("a" or "b")
    and the span of its inflating word; None otherwise."""
    if not (a.side and b.side) or a.side & b.side:
        return None
    for tag, by, of in (("a", a, b), ("b", b, a)):
        span = inflated_toll(by.text)
        # (a hedged estimate, "likely 100 to 300 people killed", is not the figure an inflation charge is about)
        if span is not None and inflated_toll(of.text) is None and gives_toll(of.text) and not read(of.text).hedges:
            return tag, span[0], span[1]
    return None


def _rival_denials(a: Claim, b: Claim, cmp: Comparison) -> tuple[Cause, Cause] | None:
    """Two rival sides each clearing itself of the act ("the strike did not originate from the IDF" / "Islamic
    Jihad denied it was responsible"): one of them did it, so the two accounts cannot both be true; None otherwise,
    or when they name different things the act was done to, or when either also puts the act on its own side."""
    if not (a.side and b.side) or a.side & b.side or cmp.distinct_objects:
        return None
    found = []
    for claim, r in ((a, cmp.a), (b, cmp.b)):
        own = [c for c in r.causes if not (c.supposed or c.beside) and countries(c.agents) & claim.side]
        if not own or not all(c.negated for c in own):
            return None
        found.append(own[0])
    return found[0], found[1]


def _one_body(a: Claim, b: Claim) -> bool:
    """Whether two speakers no entity resolves are one body named in other words ("an international team of
    investigators" / "A Dutch-led team" / "the criminal investigation team"): descriptions, not people, of no
    rival sides, that share a noun other than a country's or one any body has ("officials", "sources")."""
    if not (a.speaker and b.speaker) or a.speaker_entity == b.speaker_entity:
        return False
    if any(e is not None and e.startswith("person:") for e in (a.speaker_entity, b.speaker_entity)):
        return False
    if a.side and b.side and not a.side & b.side:
        return False
    words = [{w.lower() for w in WORD.findall(x)} - STOP - _ANYONE for x in (a.speaker, b.speaker)]
    shared = {w for w in words[0] & words[1] if len(w) > 3 and not countries({w}) and not w.endswith("-led")}
    return bool(shared)


def _plainly_holds(r: Reading) -> bool:
    """Whether a claim holds what it says with no negation, denial, doubt, charge of falsehood or report of others'
    words in it, nor under an accusation ("a lab leak is the most likely explanation"; not "dismissed claims that a
    lab leak ...", nor "accused [Wray of backing the lab leak theory]")."""
    return not (r.negators or r.deniers or r.cue_denies or r.false_words or r.doubters or r.supposed
                or any(w in r.cue.lower().split() for w in ("accused", "accuses", "accuse", "blamed", "blames")))


_MODALS = frozenset("could would might may can".split())


def _potential(r: Reading) -> bool:
    """Whether a claim tells only what could be done ("blowing up the dam could be done as a 'last resort'"): a
    modal with a passive ("could be done", "might be used"), and no act put on anyone; a report it shares words
    with is not this claim."""
    lows = [t.low for t in r.tokens]
    return any(lows[i] in _MODALS and lows[i + 1] == "be" and (lows[i + 2].endswith(("ed", "en")) or lows[i + 2] in (
        "done", "made", "used", "built", "put", "set")) for i in range(len(lows) - 2))


def _one_account(a: Claim, b: Claim, ra: Reading, rb: Reading, cmp: Comparison) -> tuple[Cause, Cause] | None:
    """Two claims of one side that tell one account of the act from its two ends: one clears the side itself
    ("Israel denied it was involved", "the strike did not originate from the IDF"), the other puts the act on
    another country ("a rocket misfired by Islamic Jihad"), and neither says otherwise (puts it on the side, or
    clears the other); None otherwise, or when they name different things the act was done to. The clearing and
    the blaming cause, in the order (a's, b's)."""
    own = a.side | b.side
    if not own or cmp.distinct_objects:
        return None
    stances = []
    for claim, r in ((a, ra), (b, rb)):
        found = [c for c in (*r.causes, *_held(r), *own_causes(r, claim.side)) if not (c.supposed or c.beside)]
        if any(not c.negated and countries(c.agents) & own for c in found):
            return None  # it puts the act on its own side too (or reports who does)
        stances.append(found)
    cleared = [[c for c in found if c.negated and countries(c.agents) & own] for found in stances]
    # the other party by an act ("a rocket fired by ..."), not a stance word: "Britain is to blame for worsening
    # relations" is another matter than "Russia is not guilty"
    blamed = [[c for c in r.causes if not (c.negated or c.supposed or c.beside) and countries(c.agents)
               and not countries(c.agents) & own] for r in (ra, rb)]
    others = [frozenset(k for c in found if c.negated for k in countries(c.agents)) - own for found in stances]
    for x, y in ((0, 1), (1, 0)):
        if cleared[x] and blamed[y] and not any(countries(c.agents) & others[x] for c in blamed[y]):
            pair = (cleared[x][0], blamed[y][0])
            return pair if x == 0 else (pair[1], pair[0])
    return None


#: one known speaker's two claims that part on a negated word contradict only when they are otherwise much the same
#: ("did not enter Russian waters" / "entered Russian waters"); two that share a word or two ("one assertion that
#: would be systemic fraud" / "they are not systemic allegations") are two things said. Two bare texts given as a
#: pair (claim-pair data, no speaker) are set side by side as one matter, and keep the looser test
_SELF_NEGATION_OVERLAP = 0.4
#: the stems of words that name a report, not what it says: a denial must share more than "the claims"
_REPORT_STEMS = frozenset(fold_word(_stem(w)) for w in """claim claims report reports statement statements allegation
allegations accusation accusations lie lies analysis footage recording conclusion conclusions""".split())


def _denial_unmet(cmp: Comparison) -> bool:
    """Whether one claim only says a party did not do the act and the other does not put the act on that party
    ("ruled out that the missile was launched from Russia" / "a Ukrainian air defence missile", or / "we do not
    know who launched the missile"): one account from its two ends, or no account at all, whoever tells them; the
    act's words denied on one side only ("missile", "launched") then make no contradiction."""
    for x, y in ((cmp.a, cmp.b), (cmp.b, cmp.a)):
        cx = [c for c in (*x.causes, *_held(x)) if not (c.supposed or c.beside)]
        if not cx or not all(c.negated for c in cx):
            continue
        cy = [c for c in (*y.causes, *_held(y)) if not (c.negated or c.supposed or c.beside)]
        if not any(_one_party(c.agents, d.agents) for c in cx for d in cy):
            return True
    return False


def _denies_held(cmp: Comparison) -> bool:
    """Whether one claim denies a word (other than the name of a report: "the claims") that the other holds
    plainly, neither denied nor doubted there ("denied that Vell had been killed" / "Vell has been killed"; not
    against "the theory 'extremely unlikely'", which doubts it too)."""
    for k in set(cmp.denied_shared) - _REPORT_STEMS:
        ia, ib = cmp.a.keys(False).get(k, []), cmp.b.keys(False).get(k, [])
        (r, idx), (d, di) = ((cmp.b, ib), (cmp.a, ia)) if any(i in cmp.a.denied for i in ia) else \
            ((cmp.a, ia), (cmp.b, ib))
        if not idx or not di or not any(r.tokens[i].low.endswith("ed") for i in idx):
            continue  # what is denied is what was done ("killed", "involved"), not only the event's noun
        if any(d.tokens[j].key in _REPORT_STEMS for j in range(di[0]) if j in d.denied):
            continue  # "rejects the US claim with regard to the tanker incidents": a claim about them denied
        if not any(i in r.doubted or i in r.denied or i in r.negated or i in r.supposed for i in idx) \
                and not (r.cue_doubts or r.cue_denies):
            return True
    return False


@lru_cache(maxsize=65536)
def _reading(text: str, cue: str, affiliations: tuple[tuple[str, str], ...], side: frozenset[str]) -> Reading:
    """A claim's reading as the judge weighs it, once per claim (a claim meets many others): the people it names
    read as their countries (:func:`affiliated`), with the acts its speaker puts on its own side, or denies,
    without naming it (:func:`own_acts`: "his military did not fire the missile")."""
    r = affiliated(read(text, cue), affiliations)
    own = (*own_acts(r, side), *own_causes(r, side))
    return dataclasses.replace(r, causes=(*r.causes, *own)) if own else r


def _words_of(claim: Claim, cause: Cause) -> str:
    """A cause's words in its claim, quoted, or its cue when the cue alone names it ("accused")."""
    return f"'{claim.text[cause.start:cause.end]}'" if cause.end > cause.start else f"cue: {cause.word}"


def _reused(a: Claim, b: Claim, base: dict[str, Any]) -> Judgement | None:
    """"same" when one claim's words are the other's, possibly trimmed (quote reuse); None otherwise."""
    na, nb = _folded(a.text), _folded(b.text)
    short, long_ = (na, nb) if len(na) <= len(nb) else (nb, na)
    if len(short.split()) >= 5:
        whole, part = _same_words(na, nb)
        if whole >= 95 or (part >= 96 and len(short) >= 0.6 * len(long_)):  # trimmed, not half the story
            kind = "verbatim" if whole >= 99 else "trimmed" if whole < 95 else "near-verbatim"
            return Judgement("same", round(max(whole, part) / 100, 3), NAME,
                             {**base, "reasons": [f"the same words ({kind}: ratio {whole:.0f}, "
                                                  f"partial {part:.0f})"], "fidelity": kind})
    return None


def same_quoted(a: str, b: str) -> str | None:
    """Words one text puts in quotation marks, two content words or more, that the other holds too (quoted or as
    a quotation of its own: "a ‘circus show’" / "This is a circus show in Britain’s parliament"); None if none."""
    for x, y in ((a, b), (b, a)):
        within = f" {words_of(y)} "
        for phrase in sorted(quoted_phrases(x)):
            if len(content_words(phrase)) >= 2 and f" {phrase} " in within:
                return phrase
    return None


def _one_thing(cmp: Comparison, scale: str, xa: Mark, xb: Mark) -> bool:
    """Whether two stance words on ``scale`` may be about one thing: on a scale towards a party, always; on the
    others, when the claims share what they judge (:meth:`Comparison.about_one_thing`)."""
    return scale in _TOWARDS_A_PARTY or cmp.about_one_thing(xa, xb)


def _bare(a: Claim, b: Claim) -> bool:
    """Two bare texts, with no speaker at all (claim-pair data): read as one source's, whose one shared word
    negated on one side is enough (two statements of unknown speakers in articles need the overlap one speaker's
    do: "it was not expected to be the calmest of votes" / "what happened to the rural vote")."""
    return all(c.speaker is None and c.speaker_entity is None and c.doc is None for c in (a, b))


def _one_party(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two causes' agents name one party: a shared name, or a shared country ("Israeli" / "IDF")."""
    return bool(a & b or countries(a) & countries(b))


def _held(r: Reading) -> list[Cause]:
    """The parties a claim holds responsible or clears by a stance word ("Russia has nothing to do with it",
    "Israel's responsibility"), as causes."""
    return [Cause(m.start, m.end, m.word, frozenset({m.target}), m.polarity < 0) for m in r.marks
            if m.scale == "responsibility" and m.target and held_for_act(r, m)]


def _one_act(cmp: Comparison) -> bool:
    """Whether two claims that share no subject may still tell one act: they put it on rival countries, and do
    not each name a different place or thing it was done to ("the Varn clinic" / "the Oskel depot")."""
    return bool(_country_rivals(cmp)) and not cmp.distinct_objects


def _same_toll(ta: str, s1: int, e1: int, tb: str, s2: int, e2: int) -> bool:
    """Whether two numbers are tolls of one kind: a toll word stands near both ("500 people were *killed*" /
    "100 to 300 people *killed* in the strike"), or both count a crowd ("two million *protesters*" / "338,000
    people *turned* out")."""
    return bool(words_around(ta, s1, e1) & words_around(tb, s2, e2) & TOLL_WORDS) or (
        crowd_near(ta, s1, e1) and crowd_near(tb, s2, e2))


def _span(claim: Claim, start: int, end: int) -> dict[str, Any]:
    """A span of the claim's text, with absolute document offsets when the claim has them."""
    out: dict[str, Any] = {"text": claim.text[start:end]}
    if claim.start is not None:
        out["start"], out["end"] = claim.start + start, claim.start + end
    else:
        out["start"], out["end"] = start, end
    if claim.doc is not None:
        out["doc"] = claim.doc
    return out


class RulesJudge:
    """The default judge. ``agree_at`` is the share of content words (Dice) from which two claims agree."""

    name = NAME

    def __init__(self, agree_at: float = 0.45) -> None:
        self.agree_at = agree_at

    def judge(self, pairs: Sequence[tuple[Claim, Claim]]) -> list[Judgement]:
        return [self._one(a, b) for a, b in pairs]

    def _one(self, a: Claim, b: Claim) -> Judgement:
        sa, sb = _stems(a.text), _stems(b.text)
        shared = sa & sb
        dice = 2 * len(shared) / (len(sa) + len(sb)) if sa and sb else 0.0
        shared_entities = set(a.entities) & set(b.entities)
        same_speaker = a.speaker_entity is not None and a.speaker_entity == b.speaker_entity
        topic = sorted(shared)
        ra = _reading(a.text, a.cue or "", tuple(a.affiliations), frozenset(a.side))
        rb = _reading(b.text, b.cue or "", tuple(b.affiliations), frozenset(b.side))
        cmp = compare(ra, rb, same_speaker=same_speaker, shared_entities=sorted(shared_entities))
        silent = next((r.cue for r in (ra, rb) if r.tokens and len(r.supposed) == len(r.tokens)), None)
        if silent is not None:  # "isn't saying which ...", "none of their intelligence indicates ...": nothing held
            return Judgement("unrelated", 0.5, NAME, {"shared_words": sorted(shared)[:20], "overlap": round(dice, 3),
                                                      "reasons": [f"one claim asserts nothing (cue: {silent})"]})
        # one side's toll told again with a new count ("500 killed" / "471 killed", the health ministry then
        # officials in Gaza) is that claim retold with drift, not a contradiction
        one_side = same_speaker or (bool(a.side) and a.side == b.side) or _one_body(a, b)
        drift = _toll_drift(a, b, cmp) if one_side else []
        # two speakers' claims that share no word may still be about one act: they put it on rival countries, or
        # one blames a party the other clears ("Putin ordered the attack" / "Russia has nothing to do with this")
        across = a.attributed and b.attributed and not same_speaker
        # or one rejects a report of the other's speaker, whom it names ("HRW hasn't come up with any evidence")
        rebut = _rebutted(a, b, ra, rb) if across else None
        # or one calls fake a piece of evidence the other's account draws on (not two of one side)
        fake = _faked(a, b) if across and not (a.side and a.side & b.side) else None
        # or one says the toll the other (of another side) gives was inflated
        inflated = _inflated(a, b) if across else None
        on_topic = bool(shared_entities) or len(shared) >= 2 or (same_speaker and len(shared) >= 1) \
            or bool(cmp.subject) or rebut is not None or fake is not None or inflated is not None \
            or (across and (_one_act(cmp) or _blamed_and_cleared(cmp) is not None))
        base: dict[str, Any] = {"shared_words": topic[:20], "overlap": round(dice, 3)}
        if drift:
            base["drift"] = {"numbers": drift}
        marks = (ra.marks, rb.marks) if on_topic else ((), ())
        if shared_entities:
            base["shared_entities"] = sorted(shared_entities)
        # one side's speaker quoted with the same words twice is one utterance told again, however the rest is
        # paraphrased or introduced ("dismissed Mrs May's claim as a “circus show”" / "This is a circus show"): the
        # cue's denial is of the claim the words judge, not of the words
        quoted = same_quoted(a.text, b.text) if one_side else None
        if quoted is not None:
            return _reused(a, b, base) or Judgement("agrees", 0.6, NAME, {**base, "quoted_words": quoted, "reasons": [
                f"the same words quoted: '{quoted}'"]})
        # one side clearing itself and putting the act on another country tells one account from both ends,
        # whatever words the two share ("denied launching the strike" / "a misfiring Palestinian rocket launch")
        account = _one_account(a, b, ra, rb, cmp) if one_side else None
        if account is not None:
            ca, cb = account
            said = {id(ca): _words_of(a, ca), id(cb): _words_of(b, cb)}
            cleared, blamed = (ca, cb) if ca.negated else (cb, ca)
            return Judgement("agrees", 0.6, NAME, {**base, "account": True, "reasons": [
                f"one account: {', '.join(sorted(countries(cleared.agents)))} cleared ({said[id(cleared)]}), "
                f"{', '.join(sorted(countries(blamed.agents)))} blamed ({said[id(blamed)]})"],
                "spans": {"a": [_span(a, ca.start, ca.end)] if ca.end > ca.start else [],
                          "b": [_span(b, cb.start, cb.end)] if cb.end > cb.start else []}})
        if on_topic:
            found = self._contradiction(a, b, same_speaker, marks, cmp, rebut, fake, inflated)
            if found is not None:
                score, reasons, spans_a, spans_b = found
                return Judgement("contradicts", score, NAME,
                                 {**base, "reasons": reasons, "spans": {"a": spans_a, "b": spans_b}})
        # the two claims part on negation, denial, stance, cause, numbers or dates, or one doubts what the other
        # asserts: whatever else they share, they do not agree (and the policy above kept it from a contradiction)
        parting = cmp.conflicts() + cmp.modality()
        if parting and (on_topic or cmp.same_proposition):
            return Judgement("unrelated", 0.5, NAME, {**base, "parts": parting, "reasons": [
                "not an agreement: they part on " + "; ".join(parting)]})
        # two accounts that put the act on the same party (or clear the same party) tell one claim, whoever
        # tells it: "blaming Israel for Tuesday's explosion" / "the attack was the result of an Israeli airstrike"
        cause = _same_cause(cmp) if one_side else None
        if cause is not None:
            ca, cb = cause
            how = "cleared" if ca.negated else "blamed"
            return Judgement("agrees", 0.6, NAME, {**base, "same_party": how, "reasons": [
                f"the same party {how}: {', '.join(sorted(ca.agents))} ({_words_of(a, ca)}) ~ "
                f"{', '.join(sorted(cb.agents))} ({_words_of(b, cb)})"],
                "spans": {"a": [_span(a, ca.start, ca.end)] if ca.end > ca.start else [],
                          "b": [_span(b, cb.start, cb.end)] if cb.end > cb.start else []}})
        if one_side and (drift or _same_toll_told(a.text, b.text)):
            return Judgement("agrees", 0.6, NAME, {**base, "reasons": [
                "one side's toll told again" + (f" ({'; '.join(drift)})" if drift else "")]})
        reused = _reused(a, b, base)
        if reused is not None:
            return reused
        if on_topic:
            same = self._same_position(a, b, marks, cmp, one_side and len(shared) >= 2)
            if same is not None:
                return Judgement("agrees", 0.6, NAME, {**base, **same})
        contained = len(shared) / min(len(sa), len(sb)) if sa and sb else 0.0
        # two speakers who share two words ("the tax code") most often say two things about one topic; so does one
        # speaker whose two claims share one phrase of two words and nothing else ("the special-interest provisions
        # that pock the tax code" / "using the tax code")
        few = (len(shared) < 3 or len(cmp.shared_stems) < 2) and a.attributed and b.attributed and (
            (not same_speaker and (a.speaker_entity is not None or b.speaker_entity is not None))
            or (same_speaker and len(shared) == 2 and _one_phrase(a.text, shared) and _one_phrase(b.text, shared)))
        if not few and (dice >= self.agree_at or (on_topic and contained >= 0.7 and min(len(sa), len(sb)) >= 3)):
            longer = "b" if len(sb) > len(sa) else "a"
            if contained >= 0.8 and abs(len(sa) - len(sb)) >= 4:
                extra = sorted((sb - sa) if longer == "b" else (sa - sb))
                return Judgement("adds", round(contained, 3), NAME,
                                 {**base, "reasons": [f"claim {longer} holds the other's words and adds: "
                                                      + ", ".join(extra[:12])], "adds": longer})
            reason = f"{len(shared)} content words shared (overlap {dice:.2f})"
            return Judgement("agrees", round(max(dice, contained * 0.8), 3), NAME, {**base, "reasons": [reason]})
        return Judgement("unrelated", round(1 - dice, 3), NAME,
                         {**base, "reasons": [f"too few shared content words (overlap {dice:.2f})"]})

    def _same_position(self, a: Claim, b: Claim, marks: _Pair, cmp: Comparison,
                       side_words: bool = False) -> dict[str, Any] | None:
        """Both claims take the same side on one stance scale, for one speaker (or as fact): a paraphrase of one
        position ("conceded that the result reflected the genuine will" ~ "acknowledged that it was legitimate").
        With ``side_words`` (two speakers of one side sharing two content words or more), also when the stance
        word itself is shared ("in violation of ... crossed the state border" / "of violating its maritime
        borders")."""
        same_word = False
        if a.speaker_entity is None or a.speaker_entity != b.speaker_entity:
            if not side_words and (a.attributed or b.attributed):
                return None
            same_word = side_words and (a.attributed or b.attributed)
        ma, mb = marks
        for scale in SCALES:
            pa = [m for m in ma if m.scale == scale]
            pb = [m for m in mb if m.scale == scale]
            net_a, net_b = sum(m.polarity for m in pa), sum(m.polarity for m in pb)
            if net_a * net_b > 0:
                xa = max(pa, key=lambda m: m.polarity * net_a)
                xb = max(pb, key=lambda m: m.polarity * net_b)
                if same_word and (scale in _EVENT_SCALES or not (
                        {_stem(m.word.lower()) for m in pa} & {_stem(m.word.lower()) for m in pb})):
                    continue
                if not _one_thing(cmp, scale, xa, xb):
                    continue  # "can win the northern primary" / "when you win, it's beautiful": two things
                side = "positive" if net_a > 0 else "negative"
                said_a = f"'{a.text[xa.start:xa.end]}'" if xa.end > xa.start else f"(cue: {xa.word})"
                said_b = f"'{b.text[xb.start:xb.end]}'" if xb.end > xb.start else f"(cue: {xb.word})"
                return {"stance": scale, "reasons": [f"the same {side} {scale}: {said_a} ~ {said_b}"],
                        "spans": {"a": [_span(a, xa.start, xa.end)] if xa.end > xa.start else [],
                                  "b": [_span(b, xb.start, xb.end)] if xb.end > xb.start else []}}
        return None

    def _contradiction(self, a: Claim, b: Claim, same_speaker: bool, marks: _Pair, cmp: Comparison,
                       rebut: tuple[str, int, int] | None = None, fake: tuple[str, str, int, int] | None = None,
                       inflated: tuple[str, int, int] | None = None
                       ) -> tuple[float, list[str], list[dict[str, Any]], list[dict[str, Any]]] | None:
        reasons: list[str] = []
        spans_a: list[dict[str, Any]] = []
        spans_b: list[dict[str, Any]] = []
        score = 0.0
        ma, mb = marks
        # two claims both attributed, and not known to be one speaker's (an unresolved speaker may be anyone; two
        # bare texts with no speaker at all, as claim-pair data gives them, are read as one source's)
        others = (a.attributed and b.attributed and not same_speaker
                  and (a.speaker_entity is not None or b.speaker_entity is not None))
        # two speakers holding opposite positions on most scales is a disagreement the sources report, not a
        # contradiction between the sources: stance counts for one speaker, or for claims stated as fact. Blame is
        # the exception: two accounts that put the responsibility for one event on different sides cannot both be
        # true, whoever tells them
        for scale in CROSS_SPEAKER_SCALES if others else tuple(SCALES):
            pa = [m for m in ma if m.scale == scale]
            pb = [m for m in mb if m.scale == scale]
            if others and scale == "extent":  # "a complete lifting of sanctions" / "only partial sanctions
                # relief": how much of one thing, beside the same word
                pa, pb = ([m for m in pa if any(cmp.near_same(m, y) for y in pb)],
                          [m for m in pb if any(cmp.near_same(x, m) for x in pa)])
            elif others:  # across speakers, blame must fall on one party: "Israel is not responsible" / "Israel's
                # responsibility" contradict; "Islamic Jihad was responsible" / "Israel is not" do not
                common = {m.target for m in pa} & {m.target for m in pb} - {None}
                pa = [m for m in pa if m.target in common]
                pb = [m for m in pb if m.target in common]
            if not pa or not pb:
                continue
            net_a = sum(m.polarity for m in pa)
            net_b = sum(m.polarity for m in pb)
            if net_a * net_b >= 0:
                continue
            xa = max(pa, key=lambda m: m.polarity * net_a)
            xb = max(pb, key=lambda m: m.polarity * net_b)
            if not others and not _one_thing(cmp, scale, xa, xb):
                continue  # one speaker's "win" and "lose" about two contests
            if xa.end > xa.start:
                spans_a.append(_span(a, xa.start, xa.end))
            if xb.end > xb.start:
                spans_b.append(_span(b, xb.start, xb.end))
            who = ""
            if same_speaker:
                who = f"; the same speaker ({a.speaker or a.speaker_entity}) is credited with both"
            wa = f"'{a.text[xa.start:xa.end]}'" if xa.end > xa.start else f"(cue: {xa.word})"
            wb = f"'{b.text[xb.start:xb.end]}'" if xb.end > xb.start else f"(cue: {xb.word})"
            reasons.append(f"opposite {scale}: {wa} vs {wb}{who}")
            score = max(score, 0.8 if same_speaker else 0.7)
        # across speakers, a denial of what the other asserts: "denied that Vell had been killed at the mission" /
        # "Vell has been killed at the consulate"
        denies_other = others and _denies_held(cmp)
        if (not others or denies_other) and cmp.same_proposition and (cmp.negated_shared or cmp.denied_shared) \
                and (cmp.dice >= _SELF_NEGATION_OVERLAP or _bare(a, b) or denies_other) and not _denial_unmet(cmp):
            # "did not enter Russian waters" / "entered Russian waters"; "denied that it bombed" / "bombed"
            sa, sb = cmp.spans()
            for keys, how in ((cmp.negated_shared, "negated"), (cmp.denied_shared, "denied")):
                if keys:
                    reasons.append(f"{how} on one side only: {', '.join(keys[:6])}")
            spans_a += [_span(a, s, e) for s, e in sa if (s, e) not in {(x["start"], x["end"]) for x in spans_a}]
            spans_b += [_span(b, s, e) for s, e in sb if (s, e) not in {(x["start"], x["end"]) for x in spans_b}]
            score = max(score, 0.7)
        winners = cmp.rival_winners
        if winners is not None and not reasons:
            # one contest, two winners, or a winner the other says did not win: whoever tells them
            wa, wb = winners
            reasons.append(f"rival winners: {wa} vs {wb}" if wa != wb else f"one says {wa} won, the other not")
            score = max(score, 0.7)
        places = cmp.rival_places if not reasons and (cmp.subject or cmp.shared_stems) else None
        if places is not None:
            # one thing in two spaces: "shot down ... over Iranian airspace" / "in international airspace"
            x, y = places
            spans_a.append(_span(a, x[3], x[4]))
            spans_b.append(_span(b, y[3], y[4]))
            reasons.append(f"rival places: '{a.text[x[3]:x[4]]}'{' (denied)' if x[2] else ''} vs "
                           f"'{b.text[y[3]:y[4]]}'{' (denied)' if y[2] else ''}")
            score = max(score, 0.7)
        if cmp.subject or cmp.shared_stems or (others and _one_act(cmp)):
            # "an Israeli airstrike" / "a rocket misfired by Islamic Jihad"; across speakers only when the causes
            # name different countries ("an Israeli strike" / "a misfired Palestinian rocket"): "Islamic Jihad" /
            # "a Gaza rocket" or "Russia" / "Putin" may be one side named twice. Two accounts of one story that
            # put an act on rival countries are about one act even when they share no word ("accused Russia of
            # aggression" / "the provocation was conducted under the order of Ukraine's authorities")
            rivals = [] if cmp.two_weapons else cmp.rival_causes if not others else _country_rivals(cmp)
            if same_speaker:  # one speaker accusing two parties ("accused Republicans of ..." / "accused Clinton of
                # ..."): two charges, unless one of them names the act
                rivals = [(ca, cb) for ca, cb in rivals if ca.end > ca.start or cb.end > cb.start]
            for ca, cb in rivals[:1]:
                if ca.end > ca.start:
                    spans_a.append(_span(a, ca.start, ca.end))
                if cb.end > cb.start:
                    spans_b.append(_span(b, cb.start, cb.end))
                reasons.append(f"rival causes: {', '.join(sorted(ca.agents))} vs {', '.join(sorted(cb.agents))}")
                score = max(score, 0.7)
        # one calls unlikely what the other holds most likely ("the lab leak theory 'extremely unlikely'" / "a
        # lab leak is the most likely explanation"): two words of the claim, doubted on one side only, whoever says
        # it; the doubt is the claim's own (not a doubt cue: "questioned whether ..." asks, it does not hold)
        if not reasons and len(cmp.doubted_shared) >= 2 and not (cmp.a.cue_doubts or cmp.b.cue_doubts) \
                and cmp.same_proposition and any(_plainly_holds(x) for x in (cmp.a, cmp.b) if not x.doubted):
            reasons.append(f"one doubts what the other holds: {', '.join(cmp.doubted_shared[:6])}")
            score = max(score, 0.65)
        both = _blamed_and_cleared(cmp) if not reasons else None
        if both is not None:
            ca, cb = both
            for c, claim, spans in ((ca, a, spans_a), (cb, b, spans_b)):
                if c.end > c.start:
                    spans.append(_span(claim, c.start, c.end))
            blamed, cleared = (ca, cb) if cb.negated else (cb, ca)
            reasons.append(f"one puts it on {', '.join(sorted(countries(blamed.agents) or blamed.agents))}, the "
                           f"other says {', '.join(sorted(countries(cleared.agents) or cleared.agents))} did not do it")
            score = max(score, 0.7)
        denials = _rival_denials(a, b, cmp) if others and not reasons else None
        if denials is not None:
            ca, cb = denials
            for c, claim, spans in ((ca, a, spans_a), (cb, b, spans_b)):
                if c.end > c.start:
                    spans.append(_span(claim, c.start, c.end))
            reasons.append(f"rival sides each say they did not do it: {', '.join(sorted(countries(ca.agents)))} vs "
                           f"{', '.join(sorted(countries(cb.agents)))}")
            score = max(score, 0.65)
        if rebut is not None and not reasons:
            tag, s, e = rebut
            by, of, spans = (b, a, spans_b) if tag == "b" else (a, b, spans_a)
            if e > s:
                spans.append(_span(by, s, e))
            said = f"'{by.text[s:e]}'" if e > s else f"(cue: {by.cue})"
            reasons.append(f"{by.speaker} rejects what {of.speaker} reported: {said}")
            score = max(score, 0.65)
        if fake is not None and not reasons:
            tag, kind, s, e = fake
            by, of, spans = (b, a, spans_b) if tag == "b" else (a, b, spans_a)
            if e > s:
                spans.append(_span(by, s, e))
            said = f"'{by.text[s:e]}'" if e > s else "fake"
            reasons.append(f"{by.speaker} calls the {kind} evidence {said}; {of.speaker}'s account draws on it")
            score = max(score, 0.65)
        if inflated is not None and not reasons:
            tag, s, e = inflated
            by, of, spans = (b, a, spans_b) if tag == "b" else (a, b, spans_a)
            spans.append(_span(by, s, e))
            reasons.append(f"{by.speaker} says the toll was {by.text[s:e]!r}; {of.speaker} gives it")
            score = max(score, 0.65)
        # ranges that cannot meet ("at least 300" ~ "471"), for one speaker; two speakers' numbers are most often
        # two quantities ("$214.9 billion offshore" / "$8.8 billion in debt"), so across speakers only tolls of one
        # kind ("500 people were killed" / "100 to 300 people killed")
        for _, (_, s1, e1), (_, s2, e2) in cmp.number_conflicts:
            if not (same_speaker or _bare(a, b)) and not _same_toll(a.text, s1, e1, b.text, s2, e2):
                continue  # "1,237 delegates needed" / "81 delegates won": unresolved speakers' two quantities
            spans_a.append(_span(a, s1, e1))
            spans_b.append(_span(b, s2, e2))
            reasons.append(f"numbers differ: '{a.text[s1:e1]}' vs '{b.text[s2:e2]}'")
            score = max(score, 0.75)
        # dates that differ, for one speaker: two speakers' dates are most often two moments ("the November 25
        # seizure" / "Putin said on November 28"), as their numbers are two quantities
        da, db = _dates(a.text), _dates(b.text)
        if not others and da and db and not ({d[0] for d in da} & {d[0] for d in db}):
            (_, _, s1, e1), (_, _, s2, e2) = da[0], db[0]
            spans_a.append(_span(a, s1, e1))
            spans_b.append(_span(b, s2, e2))
            reasons.append(f"dates differ: '{a.text[s1:e1]}' vs '{b.text[s2:e2]}'")
            score = max(score, 0.7)
        for fact, other, spans_o, tag in ((a, b, spans_b, "b"), (b, a, spans_a, "a")):
            if fact.attributed:
                continue
            words = list(WORD.finditer(other.text))
            denial = next((m for m in words if m.group(0).lower() in DENIAL_CUES), None)
            if denial is not None:
                spans_o.append(_span(other, denial.start(), denial.end()))
                reasons.append(f"one source states it as fact; in the other ({tag}) the speaker denies it")
                score = max(score, 0.7)
        if not reasons:
            return None
        return round(score, 3), reasons, spans_a, spans_b


@register(NAME, description="rules: same words, stance polarity on shared topics, numbers, dates, fact vs denial")
def rules_judge(**options: Any) -> RulesJudge:
    return RulesJudge(**options)
