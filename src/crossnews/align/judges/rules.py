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

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from crossnews.align.judges import Claim, Judgement
from crossnews.align.words import STOP, WORD, content_words
from crossnews.core.registry import register

__all__ = ["RulesJudge", "stance_marks", "content_words"]  # content_words: from crossnews.align.words

NAME = "judge.rules.v1"

# Stance scales: words that take a position on one dimension, + or -.
SCALES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "legitimacy": (
        frozenset("""legal legally lawful legitimate legitimacy valid sincere sincerely genuine genuinely fair free
        democratic constitutional recognize recognise recognized recognised recognizes recognises recognizing
        recognising recognition acknowledge acknowledged acknowledges accept accepted accepts endorse endorsed
        endorses approve approved welcome welcomed honest transparent credible binding""".split()),
        frozenset("""illegal illegally unlawful illegitimate invalid sham fake rigged fraudulent bogus farce
        unconstitutional void null reject rejected rejects rejecting condemn condemned condemns denounce
        denounced denounces dishonest staged coerced""".split()),
    ),
    "truth": (
        frozenset("true truth correct accurate confirmed confirm confirms fact factual real proven".split()),
        frozenset("""false untrue incorrect inaccurate wrong lie lies lied deny denied denies denial fabricated
        baseless unfounded fiction hoax misleading disinformation propaganda""".split()),
    ),
    "support": (
        frozenset("support supports supported supporting back backs backed favor favour agree agreed agrees".split()),
        frozenset("""oppose opposes opposed opposing against disagree disagreed disagrees object objected
        objects""".split()),
    ),
    "change": (
        frozenset("rise rose risen rising increase increased increases grow grew grown growth up higher gain".split()),
        frozenset("""fall fell fallen falling decrease decreased decreases drop dropped shrink shrank decline
        declined down lower loss""".split()),
    ),
    "outcome": (
        frozenset("win won wins victory succeed succeeded success passed".split()),
        frozenset("lose lost loses defeat failed fail fails failure".split()),
    ),
    "safety": (
        frozenset("safe secure calm peaceful stable".split()),
        frozenset("dangerous unsafe threat violent unstable chaotic".split()),
    ),
}
# "a resolution that would have declared the vote void": the stance belongs to the resolution, not the speaker
OWNER_NOUNS = frozenset("""resolution resolutions motion draft bill law laws statement report text decree document
measure measures petition declaration treaty ruling verdict proposal proposals""".split())
NEGATORS = frozenset("""not no never n't cannot neither nor without refuse refused refuses refusing fail failed
fails unable""".split())
INTENSIFIERS = frozenset("""undoubtedly clearly absolutely completely totally entirely perfectly fully truly really
very highly deeply utterly certainly definitely obviously plainly""".split())
DENIAL_CUES = frozenset("deny denied denies denial reject rejected rejects dismiss dismissed dismisses refute "
                        "refuted refutes".split())
_NUMBER = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)*)\s*(%|percent|per cent)?\s+(?:of\s+)?(?:the\s+)?([a-z][a-z-]+)",
                     re.IGNORECASE)
_MONTHS = ("january february march april may june july august september october november december").split()
_DATE = re.compile(r"\b(" + "|".join(m.title() for m in _MONTHS) + r")\s+(\d{1,2})(?:,\s*(\d{4}))?\b")
_LAW_PHRASE = re.compile(r"\s+(?:under|by|according to|in breach of|in violation of)\s+(?:[\w’'-]+\s+){0,3}?"
                         r"(?:law|laws|constitution|charter|rules|treaty|norms)\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:.!?]")
_NUMBERWORDS = frozenset("year years day days percent per cent".split())


def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s", "ed", "ing"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True, slots=True)
class Mark:
    scale: str
    polarity: int  # +1 or -1
    start: int  # in the claim's text
    end: int
    word: str
    negated: bool


_Pair = tuple[tuple[Mark, ...], tuple[Mark, ...]]  # the stance marks of claims a and b


def stance_marks(text: str) -> list[Mark]:
    """The stance words of ``text`` with their polarity after negation, and a span that takes in an intensifier
    before the word ("undoubtedly sincere") and a legal frame after it ("illegal under Ukrainian law")."""
    words = list(WORD.finditer(text))
    marks: list[Mark] = []
    for i, m in enumerate(words):
        w = m.group(0).lower().replace("’", "'")
        for scale, (pos, neg) in SCALES.items():
            polarity = 1 if w in pos else -1 if w in neg else 0
            if not polarity:
                continue
            before = [x.group(0).lower() for x in words[max(0, i - 12):i]]
            rel = max((j for j, x in enumerate(before) if x in ("that", "which")), default=-1)
            if rel > 0 and OWNER_NOUNS & set(before[max(0, rel - 6):rel]):
                continue
            first = i
            while first > max(0, i - 4) \
                    and not _CLAUSE_BREAK.search(text, words[first - 1].end(), words[first].start()) \
                    and words[first - 1].group(0).lower() not in ("and", "but", "or", "while", "whereas"):
                first -= 1  # negation reaches back to the clause's start, at most four words
            window = [x.group(0).lower().replace("’", "'") for x in words[first:i]]
            neg_at = [k for k, x in enumerate(window) if x in NEGATORS or x.endswith("n't")]
            negated = bool(neg_at)
            start = m.start()
            if negated and len(window) - neg_at[-1] <= 2:  # "no legal force", "will not recognize": keep the "no"
                start = words[i - (len(window) - neg_at[-1])].start()
            if i > 0 and words[i - 1].group(0).lower() in INTENSIFIERS and m.start() - words[i - 1].end() <= 1:
                start = words[i - 1].start()
            end = m.end()
            law = _LAW_PHRASE.match(text, end)
            if law:
                end = law.end()
            marks.append(Mark(scale, -polarity if negated else polarity, start, end, w, negated))
    return marks


@lru_cache(maxsize=65536)
def _stems(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in content_words(text))


@lru_cache(maxsize=65536)
def _marks(text: str) -> tuple[Mark, ...]:
    return tuple(stance_marks(text))


@lru_cache(maxsize=65536)
def _numbers(text: str) -> dict[str, tuple[str, int, int]]:
    """Noun → (number, start, end) for "96.7% of Crimeans", "12 soldiers"; years and bare counts of time left out.
    (Cached: callers must not change the dict.)"""
    out: dict[str, tuple[str, int, int]] = {}
    for m in _NUMBER.finditer(text):
        noun = _stem(m.group(3).lower())
        if noun in _NUMBERWORDS or noun in STOP or (len(m.group(1)) == 4 and not m.group(2)):
            continue
        value = m.group(1).replace(",", "") + ("%" if m.group(2) else "")
        out.setdefault(noun, (value, m.start(), m.end()))
    return out


@lru_cache(maxsize=65536)
def _dates(text: str) -> tuple[tuple[str, str | None, int, int], ...]:
    return tuple((f"{m.group(1).lower()} {int(m.group(2))}", m.group(3), m.start(), m.end())
                 for m in _DATE.finditer(text))


@lru_cache(maxsize=65536)
def _folded(text: str) -> str:
    return " ".join(text.lower().split())


@lru_cache(maxsize=65536)
def _same_words(na: str, nb: str) -> tuple[float, float]:
    """Whole and partial similarity ratios (0-100) of two folded texts; the same text pairs recur across copies
    of a story, and the partial ratio is the judge's costliest step."""
    short, long_ = (na, nb) if len(na) <= len(nb) else (nb, na)
    return fuzz.ratio(na, nb), fuzz.partial_ratio(short, long_)


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
        on_topic = bool(shared_entities) or len(shared) >= 2 or (same_speaker and len(shared) >= 1)
        base: dict[str, Any] = {"shared_words": topic[:20], "overlap": round(dice, 3)}
        marks = (_marks(a.text), _marks(b.text)) if on_topic else ((), ())
        if shared_entities:
            base["shared_entities"] = sorted(shared_entities)
        if on_topic:
            found = self._contradiction(a, b, same_speaker, marks)
            if found is not None:
                score, reasons, spans_a, spans_b = found
                return Judgement("contradicts", score, NAME,
                                 {**base, "reasons": reasons, "spans": {"a": spans_a, "b": spans_b}})
        # same words, possibly trimmed: quote reuse
        na, nb = _folded(a.text), _folded(b.text)
        short, long_ = (na, nb) if len(na) <= len(nb) else (nb, na)
        if len(short.split()) >= 5:
            whole, part = _same_words(na, nb)
            if whole >= 95 or (part >= 96 and len(short) >= 0.6 * len(long_)):  # trimmed, not half the story
                kind = "verbatim" if whole >= 99 else "trimmed" if whole < 95 else "near-verbatim"
                return Judgement("same", round(max(whole, part) / 100, 3), NAME,
                                 {**base, "reasons": [f"the same words ({kind}: ratio {whole:.0f}, "
                                                      f"partial {part:.0f})"], "fidelity": kind})
        if on_topic:
            same = self._same_position(a, b, marks)
            if same is not None:
                return Judgement("agrees", 0.6, NAME, {**base, **same})
        contained = len(shared) / min(len(sa), len(sb)) if sa and sb else 0.0
        if dice >= self.agree_at or (on_topic and contained >= 0.7 and min(len(sa), len(sb)) >= 3):
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

    def _same_position(self, a: Claim, b: Claim, marks: _Pair) -> dict[str, Any] | None:
        """Both claims take the same side on one stance scale, for one speaker (or as fact): a paraphrase of one
        position ("conceded that the result reflected the genuine will" ~ "acknowledged that it was legitimate")."""
        if a.speaker_entity is None or a.speaker_entity != b.speaker_entity:
            if a.attributed or b.attributed:
                return None
        ma, mb = marks
        for scale in SCALES:
            pa = [m for m in ma if m.scale == scale]
            pb = [m for m in mb if m.scale == scale]
            net_a, net_b = sum(m.polarity for m in pa), sum(m.polarity for m in pb)
            if net_a * net_b > 0:
                xa = max(pa, key=lambda m: m.polarity * net_a)
                xb = max(pb, key=lambda m: m.polarity * net_b)
                side = "positive" if net_a > 0 else "negative"
                return {"reasons": [f"the same {side} {scale}: '{a.text[xa.start:xa.end]}' ~ "
                                    f"'{b.text[xb.start:xb.end]}'"],
                        "spans": {"a": [_span(a, xa.start, xa.end)], "b": [_span(b, xb.start, xb.end)]}}
        return None

    def _contradiction(self, a: Claim, b: Claim, same_speaker: bool, marks: _Pair
                       ) -> tuple[float, list[str], list[dict[str, Any]], list[dict[str, Any]]] | None:
        reasons: list[str] = []
        spans_a: list[dict[str, Any]] = []
        spans_b: list[dict[str, Any]] = []
        score = 0.0
        ma, mb = marks
        others = (a.attributed and b.attributed and a.speaker_entity is not None and b.speaker_entity is not None
                  and a.speaker_entity != b.speaker_entity)
        # two speakers holding opposite positions is a disagreement the sources report, not a contradiction
        # between the sources: stance counts for one speaker, or for claims stated as fact
        for scale in () if others else tuple(SCALES):
            pa = [m for m in ma if m.scale == scale]
            pb = [m for m in mb if m.scale == scale]
            if not pa or not pb:
                continue
            net_a = sum(m.polarity for m in pa)
            net_b = sum(m.polarity for m in pb)
            if net_a * net_b >= 0:
                continue
            xa = max(pa, key=lambda m: m.polarity * net_a)
            xb = max(pb, key=lambda m: m.polarity * net_b)
            spans_a.append(_span(a, xa.start, xa.end))
            spans_b.append(_span(b, xb.start, xb.end))
            who = ""
            if same_speaker:
                who = f"; the same speaker ({a.speaker or a.speaker_entity}) is credited with both"
            reasons.append(f"opposite {scale}: '{a.text[xa.start:xa.end]}' vs '{b.text[xb.start:xb.end]}'{who}")
            score = max(score, 0.8 if same_speaker else 0.7)
        na, nb = _numbers(a.text), _numbers(b.text)
        for noun in sorted(set(na) & set(nb)):
            (va, s1, e1), (vb, s2, e2) = na[noun], nb[noun]
            if va != vb:
                spans_a.append(_span(a, s1, e1))
                spans_b.append(_span(b, s2, e2))
                reasons.append(f"numbers differ: '{a.text[s1:e1]}' vs '{b.text[s2:e2]}'")
                score = max(score, 0.75)
        da, db = _dates(a.text), _dates(b.text)
        if da and db and not ({d[0] for d in da} & {d[0] for d in db}):
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
