"""Judges: given two claims from different sources, say how they relate, with evidence.

A judge is a registered backend (``judge.rules.v1`` is the default: offline and explainable; ``judge.learned.v1``
weighs the same evidence with weights learned on CPU (:mod:`crossnews.align.judges.learned`); ``judge.nli.v1`` runs
any transformers NLI model; ``judge.llm.v1`` asks an OpenAI-compatible chat endpoint). Every judge takes
:class:`Claim` pairs and returns one :class:`Judgement` per pair, whose ``label`` is one of :data:`LABELS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from crossnews.core.registry import resolve
from crossnews.core.settings import DEFAULTS

__all__ = ["LABELS", "Claim", "Judgement", "Judge", "get_judge"]

LABELS = ("same", "agrees", "adds", "contradicts", "unrelated")


@dataclass(frozen=True, slots=True)
class Claim:
    """One side of a pair: what was said (``text``) and what a reader needs to weigh it.

    ``start``/``end`` index ``text`` into its document ``doc`` when the claim comes from one. ``chain`` is the
    attribution chain from the outlet down to the speaker (``("Press TV", "a senior US State Department official",
    "John Kerry")``); ``attributed`` is False when the outlet states the claim as fact.
    """

    text: str
    doc: str | None = None
    start: int | None = None
    end: int | None = None
    speaker: str | None = None
    speaker_entity: str | None = None
    chain: tuple[str, ...] = ()
    date: str | None = None
    channel: str | None = None
    attributed: bool = True
    entities: tuple[str, ...] = ()
    context: str = ""  # the sentence around the claim, for judges that read it
    cue: str | None = None  # the reporting verb ("denied", "rejected the notion"): a denial cue negates the text
    side: frozenset[str] = frozenset()  # the countries the speaker's name or title names ("Gaza health ministry")
    #: the people the claim names, as name keys, with the country the story's titles give each ("Russian President
    #: Vladimir Putin": ("putin", "russia")): "Putin ordered it" and "Moscow was not behind it" name one party
    affiliations: tuple[tuple[str, str], ...] = ()
    #: the entities whose report the claim says is untrue, named as its owner or as the subject of the rejection
    #: ("HRW's report is full of lies", "unfounded" a report by HRW, "HRW hasn't come up with any evidence"); see
    #: :func:`crossnews.align.judges.evidence.rejected`
    rejects: tuple[str, ...] = ()
    #: the countries whose side's report the claim says is untrue ("Israeli statements seem to have misinterpreted
    #: the evidence", "the Israel army's accusations" rejected as lies): claims of speakers of that side
    rejects_sides: frozenset[str] = frozenset()
    #: the kinds of evidence the claim is told inside ("audio": "a transcript of an intercepted call ..., in which
    #: [they talk about the failed rocket]"); what the claim's own words draw on the judge reads itself
    rests_on: frozenset[str] = frozenset()
    #: what a denial that points back answers: the words of the claim just before it in its document ("Ukraine's
    #: navy said [it had informed Russia in advance] but Russia said it had received no such report"); see
    #: :func:`crossnews.align.judges.evidence.such_denial`
    answers: str = ""


@dataclass(frozen=True, slots=True)
class Judgement:
    label: str
    score: float
    judge: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.label not in LABELS:
            raise ValueError(f"E040: judge {self.judge!r} gave the label {self.label!r}; expected one of {LABELS}")


@runtime_checkable
class Judge(Protocol):
    name: str

    def judge(self, pairs: Sequence[tuple[Claim, Claim]]) -> list[Judgement]:
        """One judgement per pair, in order."""
        ...


def get_judge(name: str = DEFAULTS.judge, **options: Any) -> Judge:
    """The judge registered as ``name`` (``judge.rules.v1``, ``judge.nli.v1``, ``judge.llm.v1``, or a plugin's)."""
    judge = resolve("judge", name).factory(**options)
    if not isinstance(judge, Judge):
        raise TypeError(f"E042: backend {name!r} did not build a judge")
    return judge


def pairs_of(items: Iterable[tuple[str, str]]) -> list[tuple[Claim, Claim]]:
    """Bare text pairs as claims (for evaluations that have no documents)."""
    return [(Claim(a), Claim(b)) for a, b in items]
