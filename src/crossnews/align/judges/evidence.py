"""What two claims say about one proposition: the evidence both judges weigh, each piece with its words.

A claim is read once (:func:`read`, cached by text) into its tokens and what governs them:

* **names** (capitalised words, folded by :func:`crossnews.align.words.fold_name`: "Russian" and "Moscow" are one
  party) and **content stems** (the other content words, crudely stemmed);
* **negation** ("not", "no", "never", "nothing", "refused to" ...) over the words after it in its clause;
* **doubt**: negative modality ("unlikely to admit he ever recognized", "doubts that") over the words after it; a
  doubted word is not asserted;
* **denial**: a reported denial ("denied that X", "rejected claims that X") over the rest of its sentence, and
  words that call something false ("lies", "baseless", "nonsense");
* **hedges** ("may", "probably", "reportedly") and **certainty** ("undoubtedly", "highly likely");
* **stance marks** on scales (legal / illegal, sincere / rigged, responsible / not responsible ...: see
  :data:`SCALES`), with their polarity after negation and denial;
* **numbers** for a noun ("96.7% of voters"), **dates** ("March 16"), and **causes**: who is said to have fired,
  struck or be behind something ("an Israeli airstrike", "a rocket misfired by Islamic Jihad").

:func:`compare` sets two readings side by side and returns a :class:`Comparison`: the shared subject and
predicate, and each conflict (negation of a shared word on one side only, opposite stance, rival causes, denial,
numbers or dates that differ) or difference of modality, with the words that show it. "Agrees" and "contradicts"
need :attr:`Comparison.same_proposition`; "contradicts" needs a conflict too; similarity alone is neither.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from crossnews.align.words import STOP, WORD, content_words, countries, fold_name, fold_word, known_name, plain

__all__ = ["SCALES", "Mark", "stance_marks", "stem", "numbers_of", "crowd_near", "words_around", "TOLL_WORDS",
           "dates_of", "Reading", "read", "affiliated", "Comparison", "compare", "NEGATORS", "INTENSIFIERS",
           "OWNER_NOUNS", "DENIAL_CUES", "compatible_acts", "rebuttal", "rejected", "such_denial", "report_owners",
           "own_causes", "own_acts", "held_for_act", "evidence_of", "EVIDENCE_KINDS", "FAKE_WORDS", "inflated_toll",
           "gives_toll"]

# Stance scales: words that take a position on one dimension, + or -.
SCALES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "legitimacy": (
        frozenset("""legal legally lawful legitimate legitimacy valid sincere sincerely genuine genuinely fair free
        democratic constitutional recognize recognise recognized recognised recognizes recognises recognizing
        recognising recognition acknowledge acknowledged acknowledges accept accepted accepts endorse endorsed
        endorses approve approved welcome welcomed honest transparent credible binding""".split()),
        frozenset("""illegal illegally unlawful illegitimate invalid sham fake rigged fraudulent bogus farce
        unconstitutional void null reject rejected rejects rejecting condemn condemned condemns denounce
        denounced denounces dishonest staged coerced violate violated violates violating violation violations
        breach breached breaches""".split()),
    ),
    "truth": (
        frozenset("true truth correct accurate confirmed confirm confirms fact factual real proven".split()),
        frozenset("""false untrue incorrect inaccurate wrong lie lies lied deny denied denies denial fabricated
        baseless unfounded fiction hoax misleading disinformation propaganda""".split()),
    ),
    "support": (
        frozenset("support supports supported supporting backs backed favor favour agree agreed agrees".split()),
        frozenset("""oppose opposes opposed opposing disagree disagreed disagrees object objected
        objects""".split()),
    ),
    "change": (
        frozenset("rise rose risen rising increase increased increases grow grew grown growth gain".split()),
        frozenset("""fall fell fallen falling decrease decreased decreases drop dropped shrink shrank decline
        declined loss""".split()),
    ),
    "outcome": (
        frozenset("win won wins victory succeed succeeded success passed".split()),
        frozenset("lose lost loses defeat failed fail fails failure".split()),
    ),
    "safety": (
        frozenset("safe secure calm peaceful stable".split()),
        frozenset("dangerous unsafe threat violent unstable chaotic".split()),
    ),
    "cooperation": (  # an offer to help or a refusal ("ready to cooperate with London" / "willing to help with
        # the investigation"; "refused to cooperate" is the offer negated)
        frozenset("""cooperate cooperates cooperated cooperating cooperation cooperative co-operate co-operation
        help assist assistance""".split()),
        frozenset("uncooperative obstruct obstructs obstructed obstructing stonewall stonewalled stonewalling".split()),
    ),
    "extent": (  # how much of a thing: "a complete lifting of sanctions" / "only partial sanctions relief"
        frozenset("all full fully complete completely entire entirety total totally whole wholesale".split()),
        frozenset("partial partially limited some".split()),
    ),
    "responsibility": (
        frozenset("""responsible responsibility culpable guilty culprit culprits perpetrator perpetrators behind
        blame blamed blames blaming accuse accused accuses accusing orchestrated orchestrating involved involvement
        complicit implicated""".split()),
        frozenset("innocent uninvolved exonerated blameless".split()),
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

# negation that reaches the words after it in its clause (a wider set than the stance marks' NEGATORS)
_NEGATION = NEGATORS | frozenset("""none nothing nobody nowhere non""".split())
# "no doubt", "not only", "never before": not a negation of what follows
_NOT_NEGATION = {("no", "doubt"), ("not", "only"), ("without", "doubt"), ("no", "longer"), ("not", "just")}
_DOUBT = frozenset("""unlikely doubt doubts doubted doubtful doubting improbable implausible questionable
questioned unproven unconfirmed unclear unsubstantiated impossible""".split())
_DENY_VERBS = frozenset("""deny denied denies denying dismiss dismissed dismisses dismissing refute
refuted refutes refuting rebuff rebuffed rebuffs dispute disputed disputes disputing contest contested contests
rejected rejects rejecting""".split())
#: doubt words that judge what comes before them when they end the clause ("the theory is extremely unlikely")
_DOUBT_AFTER = frozenset("""unlikely improbable implausible questionable doubtful unproven unconfirmed
impossible""".split())
#: "no evidence that ...", "no sign of ...": what none points to is neither asserted nor denied
_EVIDENCE_NOUNS = frozenset("evidence proof proofs indication indications sign signs grounds reason".split())
#: what one knows or not: not knowing who did it (or having no evidence of it) is no denial of what one knows
_KNOWING = frozenset("know knew known knows sure certain aware evidence proof".split())
#: "ruled out that ...", "rules out a Russian attack": a denial with "out"
_RULE = frozenset("rule rules ruled ruling".split())
_FALSE_WORDS = frozenset("""lie lies lying false untrue baseless groundless unfounded nonsense fabricated
fabrication fabrications hoax absurd fiction slander propaganda disinformation forgery forgeries""".split())
_HEDGES = frozenset("""may might could possibly perhaps probably likely apparently reportedly allegedly alleged
appears appear appeared seems seem seemed suggest suggests suggested suggesting believe believes believed think
thinks thought assess assessed assesses indicates indicate indicated plausible potential potentially presumably
supposedly purportedly suspected suspect suspects""".split())
_CERTAIN = frozenset("""undoubtedly clearly certainly definitely surely absolutely confirmed proven overwhelmingly
undeniably indisputably""".split())
#: what makes a responsibility word only a possibility ("the personnel potentially involved")
#: nouns of a case considered, not asserted: "the possibility that ...", "the prospect of ..."
_SUPPOSITIONS = frozenset("possibility prospect hypothesis scenario".split())
_MAYBE = frozenset("potentially possibly allegedly reportedly presumably supposedly".split())
_STRONG = frozenset("highly overwhelmingly very most extremely".split())  # "highly likely": confident, not a hedge
_MONTHS = ("january february march april may june july august september october november december").split()
_CALENDAR = frozenset(_MONTHS) | frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
# common words that start sentences with a capital without being names
_STARTERS = frozenset("""officials official police according however meanwhile earlier later today yesterday
tomorrow last next first many several some most few both another people experts analysts critics sources
authorities witnesses residents reports report investigators government military army troops forces soldiers
protesters lawmakers president minister ministry spokesman spokeswoman prime foreign secretary state local
despite although though since until unless whether instead rather therefore thus still yet even already once
asked speaking addressing responding writing citing following during amid""".split())
#: what puts an act beside its place rather than on it ("air strikes targeting areas near the hospital")
_BESIDE = frozenset({"near", "nearby", "around", "outside", "beside"})
#: the words that may stand between such an act and "near" ("strikes [targeting areas] near")
_AIMED = frozenset({"targeting", "targeted", "aimed", "at", "on", "in", "the", "areas", "area", "targets", "sites",
                    "positions", "buildings"})
#: acts done to people, not by a weapon: a name before one is its doer only when it is a country's ("a Russian
#: massacre"; not "the Bucha massacre", a place)
_ATROCITIES = frozenset("""massacre massacres atrocity atrocities killing killings genocide execution executions crime
crimes""".split())
_CAUSE_NOUNS = frozenset("""strike strikes airstrike airstrikes air-strike bomb bombs bombing bombings rocket rockets
missile missiles shell shells shelling barrage drone drones mortar mortars projectile projectiles munition
munitions explosive explosives explosion explosions blast blasts sabotage bombardment""".split()) | _ATROCITIES
_AGENT_VERBS = frozenset("""bombed bombing shelled struck attacked fired launched targeted poisoned orchestrated rammed
behind responsible ordered perpetrated blew blown destroyed downed sabotaged mined detonated fire launch bomb shell
target killed murdered assassinated slaughtered massacred executed guilty""".split())
#: participles of the passive that do not end in "-ed" ("was blown up by", "was struck by")
_IRREGULAR_PASSIVE = frozenset("struck blown shot brought taken".split())
#: verbs that are an act with "down": "shot down the plane", "the missile that brought down the jet"
_DOWN = frozenset("shot shoot shoots brought bring brings took take takes taken gunned".split())
#: weapons whose owner follows "of" ("a missile of the Russian armed forces"; not "the bombing of the hospital")
_WEAPONS = frozenset("""bomb bombs rocket rockets missile missiles shell shells drone drones mortar mortars
projectile projectiles munition munitions""".split())
#: words of a flight before "from": where an aircraft or drone came from, not who launched it
_FLEW = frozenset("off departed flew flying flown took".split())
#: words between a weapon and the "from" that names who fired it ("a rocket fired from Gaza")
_LAUNCHED = frozenset("""fired launched shot sent dropped released that which was were had been allegedly
reportedly apparently""".split())
#: verbs of knowing after "no way to": "no way to conclude that ...", "no way to know who ..."
_CONCLUDE = frozenset("conclude know tell say determine confirm verify prove establish ascertain".split())
#: what is shot down: "the drone shot down over the Gulf" is a passive, whoever is named before it
_CRAFT = _WEAPONS | frozenset("plane planes aircraft jet jets airliner airliners helicopter helicopters".split())
#: acts a weapon suffers as their object ("shot down the American drone", "intercepted two rockets"): a target,
#: whoever owns it, not a cause
_TARGETING = frozenset("""down downed downing intercepted intercepting intercept intercepts striking struck hit
hitting destroyed destroying""".split())
#: where a weapon is said to come from names whose it was ("came from a Russia-based unit", "belonged to")
_CAME = frozenset("came come comes originated originate originates belonged belongs belonging".split())
#: a verb that names its subject as the doer when what it does is an attack: "the army was not conducting air
#: operations", "carried out strikes", "had caused an explosion", "committed war crimes" (not "conducted an
#: investigation", "committed aggressive actions")
_CONDUCT = frozenset("""conduct conducts conducting conducted carry carries carrying carried cause caused causes
causing commit commits committing committed""".split())
_CONDUCTED = _CAUSE_NOUNS | frozenset("operations operation raid raids attack attacks".split())
#: a verb that names its doer when what is used is a weapon: "Syria used chemical weapons", "chemical weapons were
#: used by the regime" (not "used the word")
_USE = frozenset("use uses used using".split())
_USED = _WEAPONS | frozenset("weapon weapons gas gases sarin chlorine".split())
#: verbs whose doer follows in the passive ("carried out by", "staged by", "conducted under the order of")
_PASSIVE_AGENT = frozenset("""carried conducted committed staged organized organised orchestrated ordered
perpetrated planned masterminded instigated directed approved authorised authorized sanctioned""".split())
#: of those, verbs that approve: an act only when what they approve is one ("the attack was approved at senior
#: level", "the operation was sanctioned by ...")
_APPROVED = frozenset("approved authorised authorized sanctioned".split())
#: words an act's doer is not looked for beyond, backwards: a clause's start or who reports it ("France has proof
#: that Syria used", "Israel says Hamas fired")
_BACK_STOP = frozenset("""that which who whom whether say says said claim claims claimed tell tells told insist insists
insisted add adds added believe believes believed think thinks thought""".split())
#: acts of violence named by a verb: done by no one named, still an act a side may deny ("denied that Khashoggi
#: had been killed at the mission")
_VIOLENT = frozenset("""bombed shelled struck attacked fired launched targeted poisoned rammed destroyed downed
sabotaged detonated killed murdered assassinated slaughtered massacred executed""".split())
#: a provocation: an act that invites the other side's, so that both may be told truly ("Ukraine's provocation" /
#: "a Russian ship rammed the tug"), unlike two accounts of who struck
_PROVOCATION = frozenset("""provocation provocations provoke provoked provokes provoking provocative provocateur
provocateurs""".split())
#: the violent acts an accusation may name ("accused Russia of shelling the town")
_VIOLENCE = _CONDUCTED | _VIOLENT | (_AGENT_VERBS - frozenset(
    "behind responsible ordered orchestrated perpetrated guilty".split())) | frozenset("""attacking ramming firing
shelling bombing striking shooting killing poisoning assassinating seizing seized capturing captured blowing
sabotaging mining detonating destroying""".split())
#: what is fired from somewhere: where it was fired from names whose it was
_LAUNCHED = frozenset("fired launched".split())
#: a name that says who holds a place, not what the act was done to ("the Russian-held facility")
_HELD_SUFFIXES = ("-held", "-controlled", "-occupied", "-backed", "-led", "-run")
#: who made a weapon is not who fired it ("a missile made by Russia in the 1970s")
_MADE_SUFFIXES = ("-made", "-built", "-designed", "-produced", "-era", "-supplied")  # "a Russian-made rocket"
_MADE = frozenset("made produced manufactured built developed designed supplied delivered sold".split())
#: an act that recurs is not the one event a story tells ("the daily bombardment", "constant shelling")
_RECURRING = frozenset("""daily nightly weekly constant continual continuous ongoing repeated regular routine
relentless incessant barrage barrages""".split())
_SCOPE_STOP = frozenset("other except but than unless".split())
_FILLERS = frozenset("way longer one single any ever".split())  # "in no way involved", "never ever"
#: what evidence does to a claim ("no evidence shows [...]": what no evidence points to is not asserted)
_EVIDENCE_NOW = frozenset("indicate indicates suggest suggests show shows".split())
#: speech verbs that, negated in a cue, report silence ("did not say", "isn't discussing"), not a denial
_SILENT_VERBS = frozenset("""say says said saying tell tells told telling discuss discussed discussing comment
commented commenting mention mentioned specify specified disclose disclosed reveal revealed elaborate
elaborated""".split())
_EVIDENTIAL = _EVIDENCE_NOW | frozenset("""indicated showed suggested proves prove proved points pointed supports
support supported""".split())
# "does not think [Kim is responsible]": a negated belief negates what is believed (negation raising)
_BELIEF = frozenset("""think thinks thought believe believes believed expect expects expected suppose feel feels
consider considers say says""".split()) | _EVIDENCE_NOW
_NEEDS_TO = frozenset("refuse refused refuses refusing fail failed fails unable".split())
#: nouns that report what someone else holds ("rumours that it was made in Russia", "London's allegations of
#: Putin's involvement"): what follows them is not asserted by the claim's speaker
_REPORT_NOUNS = frozenset("""allegation allegations accusation accusations rumor rumors rumour rumours notion
speculation suggestion suggestions assertion assertions""".split())
#: what a claim may call false ("claims of Putin's involvement are absolute lies")
_CHARGES = frozenset("""allegation allegations accusation accusations claim claims charge charges report reports
rumor rumors rumour rumours statement statements suggestion suggestions speculation""".split())
_REPORT_LINKS = frozenset("that of about against".split())
_DETERMINERS = frozenset("the a an this that these those his her its their our your such any".split())
_CONTRAST = frozenset("but however despite although though yet nevertheless nonetheless whereas instead".split())
_ACCUSE = frozenset("accuse accused accuses accusing blame blamed blames blaming".split())
_BREAK_WORDS = frozenset("but while whereas although though however yet".split())
_CLAUSE_PUNCT = re.compile(r"[,;:.!?()\[\]—–]|\s-\s")
_SENTENCE_PUNCT = re.compile(r"[.!?;]")

_NUMBER = re.compile(r"(?<![\w.:])(\d+(?:[.,]\d+)*)\s*(%|percent|per cent)?\s+(?:of\s+)?(?:the\s+)?([a-z][a-z-]+)",
                     re.IGNORECASE)
_DATE = re.compile(r"\b(" + "|".join(m.title() for m in _MONTHS) + r")\s+(\d{1,2})(?:,\s*(\d{4}))?\b")
_LAW_PHRASE = re.compile(r"\s+(?:under|by|according to|in breach of|in violation of)\s+(?:[\w’'-]+\s+){0,3}?"
                         r"(?:law|laws|constitution|charter|rules|treaty|norms)\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:.!?]")
_NUMBERWORDS = frozenset("year years day days percent per cent".split())
_CLOCK = re.compile(r"\d{1,2}[.:]\d{2}")
_CLOCK_WORDS = frozenset("am pm a.m p.m hours hrs time local gmt utc".split())


def stem(word: str) -> str:
    """A crude stem: "recognized" and "recognizes" meet; short words are left alone."""
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
    target: str | None = None  # on the responsibility scale: the name key of who is (not) held responsible


#: scales whose words go with anything ("all", "some"): two marks judge one thing only beside the same word
_LOCAL_SCALES = frozenset({"extent"})
#: verbs that clear a party "of" a charge ("exonerate the regime of any responsibility", "absolved Moscow of blame")
_CLEARING = frozenset("""exonerate exonerates exonerated exonerating absolve absolves absolved absolving acquit
acquits acquitted acquitting clear clears cleared clearing""".split())


#: verbs of a purpose: what a report "aims to" do is the report's, not its critic's, stance
_PURPOSE = frozenset("aims aimed aim seeks sought seek designed meant intended intends attempts attempted".split())


def _cleared_of(before: Sequence[str]) -> bool:
    """Whether the words before a responsibility word clear a party of it: a clearing verb, then "of" right before
    the charge or its determiner ("exonerate the Israeli regime of any responsibility")."""
    k = len(before) - 1
    while k >= 0 and before[k] in ("any", "all", "the", "its", "their", "his", "her", "criminal", "direct"):
        k -= 1
    if k < 0 or before[k] != "of":
        return False
    return any(w in _CLEARING for w in before[max(0, k - 7):k])


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
            if m.group(0)[0].isupper() and i > 0 and not _SENTENCE_PUNCT.search(text, words[i - 1].end(), m.start()):
                break  # "the Democratic nomination", "Free Press": a capital inside a sentence names, it judges not
            if w == "legal" and i + 1 < len(words) and words[i + 1].group(0).lower() in _LAW_WORK:
                break  # "legal action", "a legal response": the law's work, not a verdict on lawfulness
            if w == "innocent" and i + 1 < len(words) and words[i + 1].group(0).lower() not in (
                    "of", "and", "or", "but") and not _CLAUSE_BREAK.search(text, m.end(), words[i + 1].start()):
                break  # "slaughtered innocent Ukrainians", "innocent civilians": who suffered, not a verdict
            before = [x.group(0).lower() for x in words[max(0, i - 12):i]]
            rel = max((j for j, x in enumerate(before) if x in ("that", "which")), default=-1)
            if rel > 0 and OWNER_NOUNS & set(before[max(0, rel - 6):rel]):
                continue
            aim = max((j for j, x in enumerate(before) if x in _PURPOSE), default=-1)
            if aim > 0 and OWNER_NOUNS & set(before[max(0, aim - 3):aim]):
                continue  # "its report aims to exonerate the regime of any responsibility": the report's aim
            first = i
            while first > max(0, i - 4) \
                    and not _CLAUSE_BREAK.search(text, words[first - 1].end(), words[first].start()) \
                    and words[first - 1].group(0).lower() not in ("and", "but", "or", "while", "whereas"):
                first -= 1  # negation reaches back to the clause's start, at most four words
            window = [x.group(0).lower().replace("’", "'") for x in words[first:i]]
            neg_at = [k for k, x in enumerate(window) if x in NEGATORS or x.endswith("n't")]
            negated = bool(neg_at)
            if scale == "responsibility" and polarity > 0 and _cleared_of(before):
                negated = not negated  # "to exonerate the Israeli occupation regime of any responsibility"
            start = m.start()
            if neg_at and len(window) - neg_at[-1] <= 2:  # "no legal force", "will not recognize": keep the "no"
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
def numbers_of(text: str) -> dict[str, tuple[str, int, int]]:
    """Noun → (number, start, end) for "96.7% of Crimeans", "12 soldiers"; years and bare counts of time left out.
    (Cached: callers must not change the dict.)"""
    out: dict[str, tuple[str, int, int]] = {}
    for m in _NUMBER.finditer(text):
        noun = stem(m.group(3).lower())
        if noun in _NUMBERWORDS or noun in STOP or (len(m.group(1)) == 4 and not m.group(2)):
            continue
        if _CLOCK.fullmatch(m.group(1)) and (m.group(3)[0].isupper() or noun in _CLOCK_WORDS):
            continue  # "at 07.00 Moscow time", "at 6.59 pm": a time of day, not a count
        value = m.group(1).replace(",", "") + ("%" if m.group(2) else "")
        out.setdefault(noun, (value, m.start(), m.end()))
    for m in _SCALED.finditer(text):  # "2 million", "two million people", "338,000 protesters", "800,000 had"
        if m.group("count"):
            x = float(m.group("count").replace(",", "")) * _SCALES_OF.get((m.group("scale") or "").lower(), 1)
        else:
            x = float(_SPELLED[m.group("word").lower()]) * _SCALES_OF[m.group("wscale").lower()]
        if x >= 1000 and crowd_near(text, m.start(), m.end()):
            out.setdefault(CROWD_KEY, (f"{x:.0f}", m.start(), m.end()))
    return out


#: a count of people a crowd is told by ("two million protesters", "the crowd at almost 2 million", "338,000
#: people turned out"): organisers and police give their own; two such counts of one event are one quantity
CROWD_KEY = "crowd"
CROWD_WORDS = frozenset("""protester protesters demonstrator demonstrators marcher marchers crowd crowds turnout
turned march marched marching rally rallied demonstration demonstrations protest protests participants joined
attended streets""".split())
_SPELLED = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten".split())} | {
    "a": 1, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100}
_SCALES_OF = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SCALED = re.compile(r"(?<![\w.:])(?:(?P<count>\d+(?:[.,]\d+)*)(?:\s+(?P<scale>thousand|million|billion))?"
                     r"|(?P<word>" + "|".join(_SPELLED) + r")\s+(?P<wscale>thousand|million|billion))(?![\w%])",
                     re.IGNORECASE)


def crowd_near(text: str, start: int, end: int) -> bool:
    """Whether a crowd word stands within four words before the number or five after it, and no toll word (a toll
    is counted as its own kind: "500 people were killed at the protest")."""
    near = words_around(text, start, end)
    return bool(near & CROWD_WORDS) and not near & TOLL_WORDS


_DIGITS = frozenset("0123456789")


def words_around(text: str, start: int, end: int) -> frozenset[str]:
    """The content words of the four words before a number and the five after it, digits left out."""
    before = text[:start].split()[-4:]
    after = text[end:].split()[:5]
    return frozenset(w for w in content_words(" ".join(before + after)) if not _DIGITS & set(w))


#: what a toll counts: people killed, hurt, missing, held or driven out. Two speakers' tolls of one event cannot
#: both be right; their other numbers are most often two quantities ("$214.9 billion offshore" / "in debt")
TOLL_WORDS = frozenset("""killed dead died deaths death killing injured wounded hurt casualties victims missing
arrested detained displaced evacuated fatalities""".split())


@lru_cache(maxsize=65536)
def dates_of(text: str) -> tuple[tuple[str, str | None, int, int], ...]:
    """("march 16", year or None, start, end) for each month-day date in ``text``."""
    return tuple((f"{m.group(1).lower()} {int(m.group(2))}", m.group(3), m.start(), m.end())
                 for m in _DATE.finditer(text))


# ------------------------------------------------------------------------------------------------ one claim


@dataclass(frozen=True, slots=True)
class Tok:
    low: str
    start: int
    end: int
    key: str  # a name's folded key, or a content word's stem, or "" for a function word
    name: bool


@dataclass(frozen=True, slots=True)
class Cause:
    """Who is said to have done something: the cause word ("airstrike", "behind") and its agents' keys."""

    start: int
    end: int
    word: str
    agents: frozenset[str]
    negated: bool  # not asserted: negated, denied or only supposed
    supposed: bool = False  # only supposed ("had it been an Israeli airstrike", "either ... or"): not denied either
    via: frozenset[str] = frozenset()  # agents read in through the people named ("Putin": russia), not named
    beside: bool = False  # aimed near the thing, not at it ("strikes targeting areas near the hospital")
    kind: str = ""  # what the act is: "violence" (a strike, "rammed"), "provocation", or "" (any act: "behind")


@dataclass(frozen=True)
class Reading:
    text: str
    tokens: tuple[Tok, ...]
    negators: tuple[int, ...]
    negated: frozenset[int]
    doubters: tuple[int, ...]
    doubted: frozenset[int]
    deniers: tuple[int, ...]
    denied: frozenset[int]
    false_words: tuple[int, ...]
    hedges: tuple[int, ...]
    certain: tuple[int, ...]
    marks: tuple[Mark, ...]
    causes: tuple[Cause, ...]
    cue: str = ""
    cue_denies: bool = False
    cue_doubts: bool = False
    contrast: tuple[int, ...] = ()  # "but", "despite", "however": a counterpoint inside the claim
    clause_of: tuple[int, ...] = ()  # each token's clause number
    supposed: frozenset[int] = frozenset()  # tokens only supposed ("had it been", "no evidence that", reported)
    acts: tuple[int, ...] = ()  # act words that name no doer ("chemical weapons were used", "an attack took place")

    def clause_keys(self, char: int) -> set[str]:
        """The keys (names and stems) of the clause holding the character offset ``char``."""
        at = next((i for i, t in enumerate(self.tokens) if t.end > char), len(self.tokens) - 1)
        if not self.clause_of or at < 0:
            return set()
        clause = self.clause_of[at]
        return {t.key for i, t in enumerate(self.tokens) if self.clause_of[i] == clause and t.key}

    def keys(self, names: bool) -> dict[str, list[int]]:
        """Token indices of each name key (``names``) or content stem (computed once per reading: a reading is
        compared with many others; the caller must not change it)."""
        return self._name_keys if names else self._stem_keys

    @cached_property
    def title_case(self) -> bool:
        """Whether the claim is written in title case ("Israeli Strike Kills Hundreds in Hospital"): its capitals
        are then no names."""
        words = [t for t in self.tokens if t.low.isalpha() and len(t.low) > 3]
        return len(words) >= 3 and sum(t.name for t in words) >= 0.8 * len(words)

    @cached_property
    def things(self) -> frozenset[str]:
        """The names the claim gives that are no country (places, things, people); none in title case."""
        if self.title_case:
            return frozenset()
        names = self.keys(True)
        lows = [t.low for t in self.tokens]

        def party(i: int) -> bool:  # "accusations by Ukraine and the West": who acts or tells, not what it was done to
            back = [w for w in lows[max(0, i - 4):i] if w not in _DETERMINERS]
            return "by" in back[-3:] or lows[i].endswith(_HELD_SUFFIXES)

        return frozenset(k for k, at in names.items() if not all(party(i) for i in at)) - countries(names)

    @cached_property
    def weapon_class(self) -> str | None:
        """"chemical" when the claim names a chemical or toxic agent ("use of chemical weapons", "a nerve agent"),
        else "conventional" when it names a strike, missile, rocket, bomb or shelling, else None."""
        lows = {t.low for t in self.tokens}
        return "chemical" if lows & _CHEMICAL else "conventional" if lows & _CONVENTIONAL else None

    @cached_property
    def winners(self) -> tuple[tuple[str, bool], ...]:
        """Who the claim says won (name key, and whether that is negated or doubted): "Maduro had won 51% of the
        vote", "declared Maduro the winner", "a landslide victory for Mr Gonzalez", "Maduro's win was
        'impossible'"; a contest has one winner, so two claims naming different ones cannot both hold."""
        lows = [t.low for t in self.tokens]
        n = len(lows)
        out: list[tuple[str, bool]] = []
        for i, w in enumerate(lows):
            if w not in _WIN_WORDS or i in self.supposed:
                continue
            found: list[int] = []
            if w in ("won", "wins", "win") and not (i + 1 < n and lows[i + 1] in ("over", "against")) and (
                    i == 0 or lows[i - 1] not in ("a", "the")):
                back = [k for k in range(i - 1, max(-1, i - 4), -1) if self.tokens[k].name]
                if back and not any(lows[j] in _BACK_STOP for j in range(back[0], i)):
                    found = back[:1]
            if not found and i > 0 and lows[i - 1].endswith("'s") and self.tokens[i - 1].name:
                found = [i - 1]  # "Maduro's win", "González's victory"
            if not found and w in ("victory", "win", "triumph"):
                k = next((j for j in range(i + 1, min(n, i + 4)) if lows[j] == "for"), None)
                if k is not None:  # "a landslide victory for Mr Gonzalez": the last of the names after "for"
                    run = [j for j in range(k + 1, min(n, k + 5)) if self.tokens[j].name]
                    found = [max(j for j in run if all(x in run for x in range(run[0], j + 1)))] if run else []
            if not found and w in ("winner", "victor"):
                d = next((j for j in range(i - 1, max(-1, i - 6), -1) if lows[j] in _NAMING), None)
                if d is None and any(x in _NAMING for x in self.cue.lower().split()):
                    d = -1  # "(declared) President Nicolás Maduro the winner"
                if d is not None:
                    run = [j for j in range(d + 1, i) if self.tokens[j].name]
                    found = run[-1:]
            for k in found:
                out.append((self.tokens[k].key, i in self.negated or i in self.doubted or i in self.denied))
        return tuple(out)

    @cached_property
    def places(self) -> tuple[tuple[str, str, bool, int, int], ...]:
        """Whose space the claim puts something in: (owner, medium, negated, start, end) for "Iranian airspace",
        "Russia's territorial waters", "international waters", "the high seas" (owner "international"); the medium
        is "air", "sea" or "" (territory, soil: either). A thing is in one space at a time, so two claims that put
        it in different ones cannot both hold ("violated Iranian airspace" / "in international airspace")."""
        lows = [t.low for t in self.tokens]
        out: list[tuple[str, str, bool, int, int]] = []
        for i, w in enumerate(lows):
            medium = _PLACE_MEDIA.get(w)
            if medium is None or i in self.supposed:
                continue
            j = i - 1
            while j >= 0 and lows[j] in _PLACE_QUALIFIERS:
                j -= 1
            if j < 0 or _GENERAL_RIGHT & set(lows[max(0, j - 8):j]):
                continue  # "the right of its vessels to traverse international waters": a right, not a place
            if w == "seas" and lows[j] == "high":
                owner = "international"
            elif lows[j] in ("international", "neutral"):
                owner = "international"
            elif self.tokens[j].name and countries({self.tokens[j].key}) and not self.title_case:
                owner = self.tokens[j].key
            else:
                continue
            # "the US is lying about international waters": the space is the one called false
            lied = any(lows[k] == "about" and k > 0 and lows[k - 1] in _FALSE_WORDS for k in range(max(0, j - 3), j))
            negated = i in self.negated or i in self.doubted or i in self.denied or lied
            out.append((owner, medium, negated, self.tokens[j].start, self.tokens[i].end))
        return tuple(out)

    @cached_property
    def doers(self) -> frozenset[str]:
        """The name keys of the claim but those named only right after where an act is aimed ("launched from
        within Gaza towards Israel": gaza), computed once per reading."""
        lows = [t.low for t in self.tokens]

        def aimed(i: int) -> bool:
            return i > 0 and (lows[i - 1] in _TOWARDS or (i > 1 and lows[i - 1] in _DETERMINERS
                                                            and lows[i - 2] in _TOWARDS))

        return frozenset(key for key, at in self.keys(True).items() if not all(aimed(i) for i in at))

    @cached_property
    def _name_keys(self) -> dict[str, list[int]]:
        return self._keys(True)

    @cached_property
    def _stem_keys(self) -> dict[str, list[int]]:
        return self._keys(False)

    def _keys(self, names: bool) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for i, t in enumerate(self.tokens):
            if t.key and t.name == names:
                out.setdefault(t.key, []).append(i)
        return out


def _clause_ends(text: str, toks: list[Tok], sentence: bool) -> list[bool]:
    """For each token, whether a clause (or, with ``sentence``, a sentence) ends right after it."""
    pattern = _SENTENCE_PUNCT if sentence else _CLAUSE_PUNCT
    out = []
    for i, t in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is None:
            out.append(True)
            continue
        gap = text[t.end:nxt.start]
        out.append(bool(pattern.search(gap)) or (not sentence and nxt.low in _BREAK_WORDS))
    return out


def _scope(starts: list[int], ends: list[bool], reach: int, n: int, toks: list[Tok] | None = None,
           heads: int = 0) -> frozenset[int]:
    """The tokens after each start, up to ``reach`` tokens within the clause; with ``heads``, only the first
    ``heads`` content words ("did not enter Russian waters": enter, russia), which carry what is negated."""
    out: set[int] = set()
    for i in starts:
        j, found = i, 0
        while j + 1 < n and j - i < reach and not ends[j]:
            j += 1
            if toks is not None:
                if toks[j].low in _SCOPE_STOP or (found and toks[j].low in ("and", "or")):
                    break  # "no such report and the ships ignored ...": the negation ends with its clause's head
                if not toks[j].key or toks[j].low in _FILLERS or toks[j].name:
                    out.add(j)  # names are in the scope but are not the predicate's head words
                    continue
                found += 1
                if heads and found > heads:
                    break
            out.add(j)
    return frozenset(out)


#: verbs whose object is who is blamed ("blamed Israel", "accused Russia of ..."); after "is"/"was" the subject is
_BLAME_VERBS = frozenset("blame blames blamed blaming accuse accuses accused accusing".split())
_BE = frozenset("is was are were be been being".split())


def _reported_blame(lows: Sequence[str], i: int) -> bool:
    """Whether the blaming verb at ``i`` reports someone else's accusation ("Kiev began to accuse Moscow", "Hamas
    blamed Israel"): not "is to blame" (the speaker's own charge) nor one whose subject is "we" or "I"."""
    if lows[i] not in _BLAME_VERBS:
        return False
    if lows[i] == "blame" and i > 1 and lows[i - 1] == "to":  # "is (not) to blame", "being to blame"
        k = i - 2
        while k > 0 and (lows[k] in _NEGATION or lows[k].endswith("n't") or lows[k] in _FILLERS):
            k -= 1
        return lows[k] not in _BE
    return not any(lows[k] in ("we", "i") for k in range(max(0, i - 4), i))


def _blamed_on(toks: Sequence[Tok], sentence_end: Sequence[bool], cue: str) -> set[str]:
    """Who a "blamed" cue puts the act on when its content names the act first ("blamed [the destruction of the
    dam on Ukrainian forces]"): the names after the first "on" of the content's first sentence that is not the
    act's own ("the attack on ex-spy Sergei Skripal")."""
    if not cue.startswith("blam"):
        return set()
    for k, t in enumerate(toks[:-1]):
        if sentence_end[k]:
            break
        if t.low == "on" and (k == 0 or toks[k - 1].low not in _CONDUCTED):  # not "[the attack on] Skripal"
            return _names_in(toks, sentence_end, k + 1, k + 5)
    return set()


def _names_in(toks: Sequence[Tok], ends: Sequence[bool], start: int, stop: int) -> set[str]:
    """The name keys of the tokens from ``start`` up to ``stop``, ending with the first that ends its clause."""
    names = set()
    for j in range(start, min(len(toks), stop)):
        if toks[j].name:
            names.add(toks[j].key)
        if ends[j]:
            break
    return names


#: what a party is held responsible for when that is the story's act, not another matter ("responsibility for the
#: brutal massacre", "responsible for the poisoning", "to blame for it"; not "to blame for worsening relations")
_ACT_OBJECTS = _CONDUCTED | _VIOLENT | frozenset("""act acts incident incidents poisoning poisonings murder murders
death deaths downing crash it this that what bombing shelling firing launching targeting""".split())


#: what makes a party's responsibility another than for the act itself ("ultimate responsibility", "moral blame")
_INDIRECT = frozenset("ultimate ultimately overall indirect indirectly moral morally political politically".split())


def held_for_act(r: Reading, m: Mark) -> bool:
    """Whether a responsibility mark holds (or clears) its party of an act: it says for what, and that names an act
    ("evade its responsibility for the brutal massacre"), or it says for nothing ("Russia is responsible"); not
    "Britain is to blame for worsening relations", which takes a position on another matter than the act."""
    toks = r.tokens
    at = next((k for k, t in enumerate(toks) if t.start >= m.start), None)
    if at is not None and at > 0 and toks[at - 1].low in _INDIRECT:
        return False  # "Russia bears ultimate responsibility": for the war around the act, not the act
    i = next((k for k, t in enumerate(toks) if t.start >= m.end), None)
    if i is None or m.end <= m.start:
        return True
    clause = r.clause_of[i] if i < len(r.clause_of) else None
    if toks[i].low not in ("for", "over"):
        return True
    words = [t.low for k, t in enumerate(toks[i + 1:i + 9], i + 1) if clause is None or r.clause_of[k] == clause]
    return any(w in _ACT_OBJECTS for w in words)


def _blamed(toks: list[Tok], sentence_end: list[bool], mark: Mark) -> str | None:
    """Who a responsibility mark holds (or clears of) responsibility: the name key of the object of an active
    "blamed"/"accused" ("Hamas blamed Israel"; "was blamed on Israel"), else of the subject or possessor before the
    mark in its sentence ("Moscow was not responsible", "Israel's responsibility", "Russia has nothing to do
    with"), else of the first name after it ("the responsibility lies with London"). ``None`` when no name is
    near (a pronoun, "the enemy"): such a mark is not compared across speakers."""
    n = len(toks)
    if mark.end <= mark.start:  # the reporting verb's mark ("accused [Russia of ...]"): the claim opens with them,
        return next((t.key for t in toks[:4] if t.name), None) or next(  # or "blamed [the attack on Russia]"
            iter(sorted(_blamed_on(toks, sentence_end, mark.word))), None)
    i = next((k for k, t in enumerate(toks) if t.start >= mark.start and t.low.split("'")[0] == mark.word
              .split()[0]), None)
    if i is None:
        i = next((k for k, t in enumerate(toks) if t.start >= mark.start), None)
        if i is None:
            return None

    def after(k: int, reach: int = 6) -> str | None:
        j = k
        while j + 1 < n and j - k < reach and not sentence_end[j]:
            j += 1
            if toks[j].low == "for":
                return None  # "responsible for a strike on a Gaza hospital": what for, not who
            if toks[j].name:
                return toks[j].key
        return None

    def before(k: int, reach: int = 10) -> str | None:
        j = k - 1
        while j >= 0 and k - j <= reach and not sentence_end[j]:
            if toks[j].name:
                return toks[j].key
            j -= 1
        return None

    w = toks[i].low
    prev = toks[i - 1].low if i > 0 else ""
    nxt = toks[i + 1].low if i + 1 < n else ""
    if w in _BLAME_VERBS and (nxt == "on" or prev not in _BE | {"to"} or (prev == "to" and w.startswith("accus"))):
        return after(i)
    if nxt == "of" and w in _OWN_ROLE:  # "evidence pointing to the involvement of the Ukrainian crews"
        return after(i, 4) or before(i)
    return before(i) or after(i)


@lru_cache(maxsize=65536)
def read(text: str, cue: str = "") -> Reading:
    """The reading of one claim's text (see the module docstring), with its reporting verb ``cue`` when known: a
    denial cue ("denied", "rejected the notion") puts the whole text under denial, a doubt cue ("doubted") under
    doubt, and an accusation ("accused", "blamed") names who is held responsible. Cached by text and cue."""
    toks: list[Tok] = []
    matches = list(WORD.finditer(text))
    for i, m in enumerate(matches):
        raw = m.group(0)
        low = raw.lower().replace("’", "'")
        sentence_start = i == 0 or bool(re.search(r"[.!?]\s*[\"“”'‘]?\s*$", text[matches[i - 1].end():m.start()]))
        bare = low.removesuffix("'s")
        # "We're", "I'm", "They've": a pronoun with its verb is no name, whatever starts the sentence
        name = raw[0].isupper() and len(raw) > 1 and bare not in _CALENDAR and (
            bare.split("'", 1)[0] not in STOP or (raw.isupper() and known_name(bare)))  # "US", not "us"
        if name and sentence_start and fold_name(low) == bare and (bare in _STARTERS or bare.endswith("ly")):
            name = False  # "However, ...", "Officials said": a capital that only starts the sentence
        if name:
            key = fold_name(low.removesuffix("-based"))  # "a Russia-based unit": russia
        elif low in STOP or len(low) < 2 or low.endswith("n't"):
            key = ""
        else:
            key = fold_word(stem(low.removesuffix("'s")))
        toks.append(Tok(low, m.start(), m.end(), key, name))
    # names of two or three words that fold ("White House", "Russian Federation", "United States", "United Arab
    # Emirates"): one key for all their words
    for size in (3, 2):
        for i in range(len(toks) - size + 1):
            run = toks[i:i + size]
            words = " ".join(t.low.removesuffix("'s") for t in run)
            if all(t.name for t in run) and (fold_name(words) != plain(words) or known_name(words)) \
                    and not (size == 2 and toks[i].key != fold_name(toks[i].low)):
                key = fold_name(words)
                for j, t in enumerate(run, i):
                    toks[j] = Tok(t.low, t.start, t.end, key, True)
    n = len(toks)
    clause_end = _clause_ends(text, toks, sentence=False)
    sentence_end = _clause_ends(text, toks, sentence=True)
    lows = [t.low for t in toks]

    def following(i: int) -> str:
        return lows[i + 1] if i + 1 < n else ""

    negators = [i for i, w in enumerate(lows)
                if (w in _NEGATION or w.endswith("n't")) and (w, following(i)) not in _NOT_NEGATION
                and (w not in _NEEDS_TO or following(i) == "to")  # "failed to stop" but not "a failed rocket"
                # "isn't the only candidate ready to close the mines", "not the first time": it holds of them too
                and not (following(i) == "the" and i + 2 < n and lows[i + 2] in ("only", "first"))
                and not _preceded(lows, clause_end, i, _IF)]  # "if he doesn't do well": a condition, not asserted
    doubters = [i for i, w in enumerate(lows) if w in _DOUBT and not (w == "doubt" and i > 0
                                                                       and lows[i - 1] in ("no", "without"))]
    deniers = [i for i, w in enumerate(lows) if w in _DENY_VERBS or (w in _RULE and following(i) == "out")]
    false_words = [i for i, w in enumerate(lows) if w in _FALSE_WORDS or (  # or "nothing to do with reality"
        w == "nothing" and lows[i + 1:i + 4] == ["to", "do", "with"]
        and next((x for x in lows[i + 4:i + 6] if x not in _DETERMINERS), "") in _REALITY)]
    hedges = [i for i, w in enumerate(lows) if w in _HEDGES and not (w == "likely" and i > 0
                                                                      and lows[i - 1] in _STRONG)]
    certain = [i for i, w in enumerate(lows) if w in _CERTAIN or (w == "likely" and i > 0 and lows[i - 1] in _STRONG)
               or (w == "doubt" and i > 0 and lows[i - 1] in ("no", "without"))]
    negated = _scope(negators, clause_end, 6, n, toks, heads=1)
    # "had it been an Israeli airstrike", "if it were a rocket": a supposition asserts no cause
    supposed = _scope([i for i in range(n - 2) if (lows[i] == "had" and lows[i + 2] == "been") or (
        lows[i] in ("if", "were") and lows[i + 1] in ("it", "this", "that") and lows[i + 2] in ("had", "were", "was"))],
        clause_end, n, n)
    # "the rumours that ...", "the Israeli army claim that ...": reported, not held; "either Russia ordered it or
    # it lost control": neither is asserted. Both to the sentence's end
    reported = [i for i in range(n) if _reports(toks, lows, clause_end, i) or _hypothetical_saying(lows, i)]
    either = [i for i, w in enumerate(lows) if w == "either" and lows[next(
        (j for j in range(i + 1, n) if lows[j] == "or" or sentence_end[j - 1]), i)] == "or"]
    # "speculation has mounted about whether a bomb was planted and whether the Kremlin was behind it": a question
    # asserts nothing
    whether = [i for i, w in enumerate(lows) if w == "whether" or (i == 0 and w == "if")  # "(asked) if he ...
               # "the possibility that the missile was not a Russian one changes very little": a case considered
               or (w in _SUPPOSITIONS and i + 1 < n and lows[i + 1] in ("that", "of"))]
    considered = _scope(whether, sentence_end, n, n)  # neither held nor denied, negated or not
    supposed = supposed | _scope(reported + either, sentence_end, n, n) | considered
    for i in negators:  # negation raising: the belief's clause is what is negated
        k = next((j for j in range(i + 1, min(n, i + 3)) if toks[j].key), None)
        if k is not None and lows[k] in _BELIEF:
            negated = negated | _scope([k], clause_end, 12, n, toks, heads=2)
        # "none of their intelligence indicates [an Israeli strike was involved]", "no evidence shows [...]": what
        # no evidence points to is not asserted, nor denied either (no evidence of a strike is not "no strike")
        v = next((j for j in range(i + 1, min(n, i + 6)) if lows[j] in _EVIDENTIAL or (
            lows[j] in _EVIDENCE_NOUNS and j + 1 < n and lows[j + 1] in ("that", "of", "to")) or (
            lows[j] == "way" and lows[j + 1:j + 2] == ["to"] and lows[j + 2:j + 3] and lows[j + 2] in _CONCLUDE)),
            None)  # "no way to conclude [Iran was behind the attacks]": as "no evidence that"; "no
        # evidence that", "no grounds to believe that ..., or that the rocket was launched by the Russian side": all
        # that the sentence goes on to say is what there is no ground for
        if lows[i] in ("no", "none") and v is not None and not any(clause_end[x] for x in range(i, v)):
            supposed = supposed | _scope([v], clause_end, 12, n, toks, heads=2)
            if lows[v] in _EVIDENCE_NOUNS:
                supposed = supposed | _scope([v], sentence_end, 40, n)
    # "possible but unproven similarities between the crash that killed 157 people and ...": the doubt is of the
    # similarities, not of what the relative clause says
    doubted = frozenset(k for k in _scope(doubters, clause_end, 8, n) if not any(
        lows[j] in _RELATIVE and j - 1 not in doubters and any(d < j - 1 for d in doubters) and j <= k
        for j in range(max(0, k - 8), k + 1)))
    for i in doubters:  # "called the lab leak theory 'extremely unlikely'": a doubt that ends its clause holds what
        end = next((x for x in range(i, n) if clause_end[x]), n)  # comes before it
        if lows[i] in _DOUBT_AFTER and not any(toks[j].key for j in range(i + 1, min(n, end + 1))):
            k = i - 1
            while k >= 0 and not clause_end[k] and i - k <= 8:
                k -= 1
            doubted = doubted | frozenset(range(k + 1, i))
    denied = _scope(deniers, sentence_end, 20, n)
    cue_words = [w.lower().replace("’", "'") for w in WORD.findall(cue or "")]
    # "none of their intelligence indicates [that an Israeli strike was involved]": no evidence points to it, which
    # neither asserts it nor denies it
    unsupported = any(w in ("no", "none") for w in cue_words) and any(w in _EVIDENTIAL for w in cue_words)
    # "isn't saying which other taxes she would support", "would never say he's going to close the mines": a
    # speaker who does not say something neither holds it nor denies it
    unsaid = any(w in _SILENT_VERBS for w in cue_words) and any(
        w in _NEGATION or w.endswith("n't") for w in cue_words) and not any(w in _DENY_VERBS for w in cue_words)
    unsupported = unsupported or unsaid
    if unsupported:
        supposed = frozenset(range(n))
    cue_denies = not unsupported and (any(w in _DENY_VERBS for w in cue_words) or (
        "out" in cue_words and any(w in _RULE for w in cue_words)) or (  # "ruled out"
        any(w in _NEGATION or w.endswith("n't") for w in cue_words)))  # "did not say"
    cue_doubts = any(w in _DOUBT for w in cue_words)
    cue_accuses = next((w for w in cue_words if w in _ACCUSE), None)
    if cue_denies:
        denied = frozenset(range(n))
    elif n and (lows[0] in _CHARGES or (lows[0] in _DETERMINERS and n > 1 and lows[1] in _CHARGES)):
        # "claims of Putin's involvement in Wednesday's crash are 'absolute lies'": what the charges say is denied
        be = next((i for i in range(1, n) if (lows[i] in _BE and any(
            lows[k] in _FALSE_WORDS for k in range(i + 1, min(n, i + 4)))) or (  # or "have nothing to do with reality"
            lows[i] in ("have", "has", "had") and i + 1 in false_words)), None)
        if be is not None:
            denied = denied | frozenset(range(be))
    if cue_doubts:
        doubted = frozenset(range(n))

    # stance marks: polarity after negation (stance_marks), then flipped under a reported denial; doubted ones out
    marks: list[Mark] = []
    for mk in stance_marks(text):
        word_i = next((k for k, t in enumerate(toks) if t.start >= mk.start and t.low == mk.word), None)
        if word_i is None or word_i in doubted or (word_i in supposed and word_i not in denied):
            continue  # doubted, or only supposed ("London's allegations of Putin's involvement")
        if mk.word in _PASSIVE_AGENT and word_i > 0 and lows[word_i - 1] in _BE:
            continue  # "the attack was approved at senior level": who did it, not whether it is lawful
        if mk.scale == "responsibility" and _reported_blame(lows, word_i):
            continue  # "the Kiev authorities are using all possibilities to accuse Moscow": theirs, not held
        if mk.scale == "responsibility" and _attempted(lows, clause_end, word_i):
            continue  # "attempts to hold Russia responsible ... would be a different process": not yet held
        if mk.scale == "responsibility" and word_i > 0 and lows[word_i - 1] in _MAYBE:
            continue  # "information about the personnel potentially involved in the strike": no one held
        if mk.scale == "responsibility" and _duty(lows, word_i):
            continue  # "responsible for the safety of all its citizens": a duty, not a blame
        if mk.word in ("all", "some") and _counts_people(toks, word_i):
            continue  # "all of you watching", "some average Americans": how many people, not how much of a thing
        polarity = mk.polarity
        start = mk.start
        if word_i in negated and not mk.negated:  # negation further back than stance_marks looks
            polarity = -polarity
            start = toks[max((k for k in negators if k < word_i), default=word_i)].start
        if word_i in denied and mk.word not in DENIAL_CUES and mk.word not in _FALSE_WORDS \
                and not (mk.scale in _LOCAL_SCALES and _asked_for(lows, word_i)):
            # (not "could not agree to [the North's request for a complete lifting]": refused, the request is
            # still for all; but "did not request [a full removal]" asked for less)
            polarity = -polarity  # ("denying these baseless allegations", "rejected allegations as 'absolute lie'":
            # the one denying calls them false)
        marks.append(Mark(mk.scale, polarity, start, mk.end, mk.word, mk.negated or word_i in negated))
    for i in range(n - 3):  # "had nothing to do with": not responsible
        if lows[i] in ("nothing", "anything") and lows[i + 1:i + 4] == ["to", "do", "with"]:
            back = range(i - 1, max(-1, i - 16), -1)
            before = [k for k in back if not any(sentence_end[x] for x in range(k, i))]
            if lows[i] == "anything" and i not in denied and not any(
                    lows[k] in _NEGATION or lows[k].endswith("n't") for k in before):
                continue  # "asked whether Russia had anything to do with it": no position taken
            if next((w for w in lows[i + 4:i + 6] if w not in _DETERMINERS), "") in _REALITY:
                continue  # "statements about the Kremlin's involvement have nothing to do with reality": untrue
            polarity = -1
            marks.append(Mark("responsibility", polarity, toks[i].start, toks[i + 3].end,
                              f"{lows[i]} to do with", True))

    if cue_accuses and n:  # "accused [Russia of orchestrating the attack]": Russia held responsible
        marks.append(Mark("responsibility", -1 if cue_denies else 1, 0, 0, cue_accuses, False))
    causes: list[Cause] = []
    acts: list[int] = []
    if cue_accuses:
        agents = _accused(toks) or _blamed_on(toks, sentence_end, cue_accuses)
        if agents:
            causes.append(Cause(0, 0, cue_accuses, frozenset(agents), cue_denies, kind=_charged(lows, clause_end)))
    for i, w in enumerate(lows):
        attack = w in _CONDUCT and (not w.startswith("carr") or following(i) == "out") and any(
            lows[k] in _CONDUCTED for k in range(i + 1, min(n, i + 4)))  # ("a truck carrying rockets": no act)
        if w in _USE:  # what is used follows, or in the passive comes before ("chemical weapons were used by")
            attack = any(lows[k] in _USED for k in range(i + 1, min(n, i + 4))) or (
                i > 1 and lows[i - 1] in _BE and any(lows[k] in _USED for k in range(max(0, i - 4), i - 1)))
        if w in _WEAPONS and _targeted(toks, lows, clause_end, i):
            continue
        if w in _CAUSE_NOUNS:
            agents = {toks[k].key for k in range(max(0, i - 3), i) if toks[k].name and not any(
                clause_end[j] or lows[j] in _BACK_STOP for j in range(k, i))  # not "Kyiv believed the killing"
                and not toks[k].low.endswith(_MADE_SUFFIXES)
                and (w not in _ATROCITIES or countries({toks[k].key}))
                and not (k > 0 and lows[k - 1] in _PLACE_PREPS)}  # "the summit in Indonesia whether the missile"
            for k in range(i + 1, min(n, i + 6)):
                if clause_end[k - 1]:
                    break
                if lows[k] in _MADE:
                    break  # "a missile made by Russia": who made it, not who fired it
                if lows[k] == "by" and k + 1 < n and lows[k + 1].endswith("ing"):
                    break  # "the massacre he committed by bombing the ... Hospital": how, not who
                if lows[k] == "from" and (lows[k - 1] in _FLEW or not all(
                        lows[x] in _LAUNCHED for x in range(i + 1, k))):
                    break  # "the drone took off from the UAE", "the drone violated the airspace from the UAE":
                    # where it flew from, not who fired it ("a rocket fired from Gaza", "a missile from Syria")
                if lows[k] in ("by", "from") or (lows[k] == "of" and w in _WEAPONS and k == i + 1):  # "a missile
                    # of the army" (not "traced the rocket to an area of Ukraine": where, not whose)
                    for j in range(k + 1, min(n, k + 6)):
                        if any(clause_end[x] for x in range(k, j)) or lows[j] in _TOWARDS:
                            break  # "a missile launched from within Gaza [towards Israel]"
                        if toks[j].name:
                            agents.add(toks[j].key)
                    break
            # "the Buk missile that brought down the plane ... came from a Russia-based unit"
            agents |= _came_from(toks, lows, sentence_end, clause_end, i)
        # "(was not) conducting air operations", "shot down the plane"
        elif w in _AGENT_VERBS or w in _PASSIVE_AGENT or attack or (w in _DOWN and following(i) == "down"):
            if _duty(lows, i):
                continue  # "was responsible for the safety of its citizens"
            if following(i) == "to" or (w == "carried" and following(i) != "out"):  # "ordered to evacuate by
                continue  # Israel", "remarks carried by news agencies": no act
            agents = set()
            # "was poisoned by a substance": the doer follows "by" ("was behind the attack" is no passive)
            passive = i > 0 and lows[i - 1] in _BE and (w.endswith("ed") or w in _IRREGULAR_PASSIVE) or (
                w in _DOWN | _TARGETING and i > 0 and lows[i - 1] in _CRAFT)  # "the US drone shot down by Iran"
            for k in range(i - 1, max(-1, i - 6), -1) if (w in _AGENT_VERBS or w in _DOWN or attack) \
                    and not passive else ():
                if clause_end[k] or lows[k] in _BACK_STOP:  # "Israel says [Hamas fired]": not Israel
                    break
                if toks[k].name and not (k > 0 and (lows[k - 1] in _PLACE_PREPS or (
                        lows[k - 1] in _DETERMINERS and k > 1 and lows[k - 2] in _PLACE_PREPS))):
                    agents.add(toks[k].key)  # (not "missiles had crossed into [Polish] territory and killed")
            if not agents:  # "carried out by X", "conducted under the direct order of X's authorities"
                agents = _passive_agents(toks, lows, clause_end, i)
        else:
            if w in ("attack", "attacks") and (i not in supposed or i in denied):
                acts.append(i)
            continue
        if not agents and (w in _CAUSE_NOUNS or attack or w in _VIOLENT) and (i not in supposed or i in denied):
            acts.append(i)
        if agents:
            # "the alleged impact of 'Russian' rockets": what is only alleged is reported, not held; and "it was
            # 'unlikely' the missile was fired from Russia": what is doubted is not held either
            held = i in supposed or i in doubted or (w in _CAUSE_NOUNS and _preceded(lows, clause_end, i, _ALLEGED)) \
                or _attempted(lows, clause_end, i) or _for_to(toks, lows, i)
            denied_here = i in negated or i in denied or (w in _CAUSE_NOUNS and _none_of(lows, clause_end, i)) \
                or (w not in _CAUSE_NOUNS and following(i) == "no")  # "has launched no strikes at the area"
            # "fired to defend Ukrainian territory against Russian cruise missile attacks": the threat around the
            # event, not the event
            beside = w in _CAUSE_NOUNS and (_aimed_beside(lows, clause_end, i) or _recurring(lows, clause_end, i)
                                            or _preceded(lows, clause_end, i, _AGAINST))
            kind = "violence" if attack or w in _VIOLENCE or w in _USE or w in _DOWN else _act_before(
                lows, clause_end, i) if w in _PASSIVE_AGENT else ""
            if w in _APPROVED and not kind:
                continue  # "the schedule approved by the captain", "the plan approved by Japan's government"
            causes.append(Cause(toks[i].start, toks[i].end, w, frozenset(agents), denied_here or held,
                                (held and not denied_here) or i in considered, beside=beside, kind=kind))
    marks = [dataclasses.replace(m, target=_blamed(toks, sentence_end, m)) if m.scale == "responsibility" else m
             for m in marks]
    for i, w in enumerate(lows):  # "Iran categorically rejects US accusations over the attacks": Iran cleared
        if w in _BLAME_CHARGES:
            hit = _rejected_charge(toks, lows, clause_end, i)
            if hit is not None and hit[0] not in supposed:
                k, party = hit
                marks.append(Mark("responsibility", -1, toks[k].start, toks[i].end, f"{lows[k]} {w}", True, party))
    return Reading(text, tuple(toks), tuple(negators), negated, tuple(doubters), doubted, tuple(deniers), denied,
                   tuple(false_words), tuple(hedges), tuple(certain), tuple(marks), tuple(causes), cue or "",
                   cue_denies, cue_doubts, tuple(i for i, w in enumerate(lows) if w in _CONTRAST),
                   tuple(sum(clause_end[:i]) for i in range(n)), frozenset(supposed), tuple(acts))


def _targeted(toks: Sequence[Tok], lows: Sequence[str], clause_end: Sequence[bool], i: int) -> bool:
    """Whether the weapon at ``i`` is the object of an act done to it (:data:`_TARGETING`), with only determiners,
    names and modifiers between ("shot down the American drone", "striking the US surveillance drone")."""
    for k in range(i - 1, max(-1, i - 5), -1):
        if clause_end[k]:
            break
        if lows[k] in _TARGETING:
            return True
        if not (lows[k] in _DETERMINERS or toks[k].name or toks[k].key):
            break  # "was hit by a drone": the drone struck
    # "the US military drone shot down earlier that day", "a drone downed by Iran"
    after = lows[i + 1:i + 3]
    return bool(after) and (after[0] in ("downed", "intercepted", "destroyed")
                            or (after[0] in ("shot", "brought") and after[1:] == ["down"]))


#: what a party rejects when it rejects being blamed: "rejects US accusations over the attacks"
_BLAME_CHARGES = frozenset("accusation accusations allegation allegations charge charges blame claims".split())
#: adverbs between a party and its denial ("Iran categorically rejects")
_DENIAL_ADVERBS = frozenset("""categorically strongly flatly firmly vehemently angrily swiftly again also has have had
already emphatically""".split())


def _rejected_charge(toks: Sequence[Tok], lows: Sequence[str], clause_end: Sequence[bool],
                     i: int) -> tuple[int, str] | None:
    """For the charge word at ``i``: the index of the denial verb before it and the key of the party that denies
    it, named right before that verb ("Iran categorically rejects [US] accusations"); None when the charge is not
    rejected by a named party."""
    k = i - 1
    while k >= 0 and i - k <= 5 and not clause_end[k] and lows[k] not in _DENY_VERBS:
        if not (lows[k] in _DETERMINERS or toks[k].name or lows[k].endswith("'s") or toks[k].key):
            return None
        k -= 1
    if k < 0 or lows[k] not in _DENY_VERBS or (k > 0 and clause_end[k - 1]):
        return None
    j = k - 1
    while j >= 0 and lows[j] in _DENIAL_ADVERBS:
        j -= 1
    if j < 0 or not toks[j].name or clause_end[j]:
        return None
    return k, toks[j].key


#: nouns for people that "all" or "some" may count
_PEOPLE = frozenset("""people persons officials members residents voters citizens workers experts analysts
leaders countries nations states parties sides""".split())


def _counts_people(toks: Sequence[Tok], i: int) -> bool:
    """Whether "all"/"some" at ``i`` counts people or parties ("all of them", "some average Americans", "all
    sides"): a pronoun or "of" after it, or a name or a noun of people within two words."""
    after = toks[i + 1:i + 3]
    if not after or not after[0].key or after[0].low in _PEOPLE:
        return True  # "all of them", "all the ...", "some officials"
    if len(after) > 1 and after[1].key and not after[1].name:
        return after[1].low in _PEOPLE  # "some US sanctions", "all economic sanctions"; "some local residents"
    return after[0].name or (len(after) > 1 and after[1].name)  # "some Americans", "some average Americans"


#: nouns of what one side asks or offers: an extent after them is theirs, whatever the reporting cue denies
_ASKING_NOUNS = frozenset("request requests demand demands offer offers proposal proposals call calls".split())


def _asked_for(lows: Sequence[str], i: int) -> bool:
    """Whether the word at ``i`` is in what a request, demand or offer named before it asks for ("the North's
    request for a complete lifting")."""
    return any(w in _ASKING_NOUNS for w in lows[max(0, i - 6):i])


def _kind_of(words: Sequence[str]) -> str:
    """What an act named by ``words`` is: "provocation", "violence" or "" (neither named)."""
    if any(w in _PROVOCATION for w in words):
        return "provocation"
    return "violence" if any(w in _VIOLENCE for w in words) else ""


def _charge_at(lows: Sequence[str]) -> int | None:
    """Where an accusation's charge begins, after whom it accuses: its "of" or "for" among the first twelve words
    ("accused [Russia] of ..."), or None."""
    return next((i for i, w in enumerate(lows[:12]) if w in ("of", "for")), None)


def _charged(lows: Sequence[str], clause_end: Sequence[bool]) -> str:
    """The kind of act an accusation charges (:func:`_kind_of` of the words after its "of" or "for", in that
    clause: "accused [Ukraine] of plotting with the West to provoke a crisis": a provocation)."""
    stop = _charge_at(lows)
    if stop is None:
        return ""
    end = next((k + 1 for k in range(stop, min(len(lows), stop + 10)) if clause_end[k]), min(len(lows), stop + 10))
    return _kind_of(lows[stop + 1:end])


def _act_before(lows: Sequence[str], clause_end: Sequence[bool], i: int) -> str:
    """The kind of act a passive verb at ``i`` tells the doer of, from the words before it in its clause ("The
    November 25 provocation in the Kerch Strait was apparently conducted under the order of ...")."""
    start = i
    while start > 0 and i - start < 16 and not clause_end[start - 1]:
        start -= 1
    return _kind_of(lows[start:i])


def compatible_acts(ca: Cause, cb: Cause) -> bool:
    """Whether two causes may both be true of rival parties: one is a provocation, the other a violent act (the
    answer a provocation invites: "the provocation was ordered by Kyiv" / "a Russian ship rammed our tug")."""
    return {ca.kind, cb.kind} == {"provocation", "violence"}


def _accused(toks: Sequence[Tok]) -> set[str]:
    """Who an accusation's object names, before "of" or "for" ("accused [Russia] of ..."): a possessor only when
    what it owns is its forces ("Russia's military"), not another body ("Syria's civil defence volunteers known as
    the White Helmets": the White Helmets)."""
    stop = _charge_at([t.low for t in toks[:12]])
    names = [i for i, t in enumerate(toks[:4] if stop is None else toks[:stop]) if toks[i].name]
    out = set()
    for i in names:
        owner = toks[i].low.endswith("'s") and i + 1 < len(toks) and not toks[i + 1].name
        if not owner or toks[i + 1].low in _FORCES:
            out.add(toks[i].key)
    return out


_DUTIES = frozenset("""safety security well-being wellbeing welfare protection care defence defense""".split())


def _duty(lows: Sequence[str], i: int) -> bool:
    """Whether "responsible" at ``i`` names a duty ("responsible for the safety and well-being of all its citizens"),
    not a blame."""
    if lows[i] not in ("responsible", "responsibility") or i + 2 >= len(lows) or lows[i + 1] != "for":
        return False
    k = i + 3 if lows[i + 2] in _DETERMINERS else i + 2
    return k < len(lows) and lows[k] in _DUTIES


def _recurring(lows: Sequence[str], clause_end: Sequence[bool], i: int) -> bool:
    """Whether the act named at ``i`` is one that recurs, not the one event ("the daily bombardment of Russian
    cruise missiles", "the missile attack lasted all day"): a word of recurrence in its clause, up to six words
    before it or eight after."""
    lo = i
    while lo > max(0, i - 6) and not clause_end[lo - 1]:
        lo -= 1
    hi = i
    while hi < min(len(lows) - 1, i + 8) and not clause_end[hi]:
        hi += 1
    return any(lows[k] in _RECURRING or (lows[k] in ("all", "every", "each") and k + 1 < len(lows)
                                         and lows[k + 1] in ("day", "night", "week", "days", "nights"))
               for k in range(lo, hi + 1))


def _none_of(lows: Sequence[str], clause_end: Sequence[bool], i: int) -> bool:
    """Whether the weapon or act at ``i`` is "not a single" or "not one" of them ("Not a single anti-aircraft
    missile of the Russian armed forces has ever crossed the border"), within four words before it."""
    for k in range(i - 1, max(-1, i - 5), -1):
        if clause_end[k]:
            return False
        if (lows[k] in ("single", "one") and k > 1 and lows[k - 1] == "a" and lows[k - 2] == "not") or (
                lows[k] == "one" and k > 0 and lows[k - 1] == "not"):
            return True
    return False


def _came_from(toks: Sequence[Tok], lows: Sequence[str], sentence_end: Sequence[bool], clause_end: Sequence[bool],
               i: int) -> set[str]:
    """The names after "came from" / "belonged to" within the sentence of the weapon at ``i``, up to sixteen
    words on ("the missile that brought down the plane over eastern Ukraine came from a Russia-based unit")."""
    if lows[i] not in _WEAPONS:
        return set()
    for k in range(i + 1, min(len(lows) - 1, i + 16)):
        if sentence_end[k - 1]:
            break
        if lows[k] in _CAME and lows[k + 1] in ("from", "to"):
            return _names_in(toks, clause_end, k + 2, k + 8)
    return set()


def _for_to(toks: Sequence[Tok], lows: Sequence[str], i: int) -> bool:
    """Whether the act at ``i`` is one someone is wanted, warned or called on to do ("it would be unwise for Syria to
    launch chemical attacks", "called for Russia to stop the strikes"): "for" NAME "to" before it, not done."""
    k = i - 1
    while k > 0 and lows[k] != "to" and i - k <= 3:
        k -= 1
    return k >= 2 and lows[k] == "to" and toks[k - 1].name and lows[k - 2] == "for"


def _attempted(lows: Sequence[str], clause_end: Sequence[bool], i: int) -> bool:
    """Whether the word at ``i`` is only tried ("attempts to hold Russia responsible", "efforts to blame"), in its
    clause, up to five words before it."""
    return any(lows[k] in _ATTEMPTS and lows[k + 1] == "to" and not any(clause_end[k:i])
               and not (k + 2 < i and lows[k + 2] in _EVADE)  # "trying to evade its responsibility": it is held
               for k in range(max(0, i - 5), i - 1))


#: what one tries to do with a responsibility one has: "trying to evade its responsibility" holds it
_EVADE = frozenset("evade escape avoid dodge shirk hide".split())


def _preceded(lows: Sequence[str], clause_end: Sequence[bool], i: int, words: frozenset[str], reach: int = 4) -> bool:
    """Whether one of ``words`` stands in the clause of the word at ``i``, up to ``reach`` words before it."""
    return any(lows[k] in words and not any(clause_end[k:i]) for k in range(max(0, i - reach), i))


def _aimed_beside(lows: Sequence[str], clause_end: Sequence[bool], i: int) -> bool:
    """Whether the act named at ``i`` is aimed near a place, not at it: "a strike near the hospital", "air strikes
    targeting areas near the hospital" (not "an airstrike hit the hospital near the centre")."""
    for k in range(i + 1, min(len(lows), i + 5)):
        if clause_end[k - 1]:
            return False
        if lows[k] in _BESIDE:
            return True
        if lows[k] not in _AIMED:
            return False
    return False


#: speech verbs whose gerund after "by", "for", "of" reports what another party says ("accused Hamas of misleading
#: the media by claiming [...]", "criticised him for saying [...]")
_SPEECH_GERUNDS = frozenset("""claiming alleging asserting insisting saying suggesting stating arguing""".split())


def _reports(toks: Sequence[Tok], lows: Sequence[str], clause_end: Sequence[bool], i: int) -> bool:
    """Whether the word at ``i`` is a noun that reports what someone else holds, followed in its clause by what
    ("rumours arose that", "London's allegations of", "the army claim that"; not the verb "Russia claims that")."""
    w = lows[i]
    if w in _SPEECH_GERUNDS and i > 0 and lows[i - 1] in ("by", "for", "of", "after", "while"):
        return True  # "misleading the media by claiming [it was an Israeli airstrike]": their claim, not held
    if w in _REPORT_NOUNS:
        # "the allegations being levied on the Russian troops of committing ...", "accusations made against X that"
        after = lows[i + 1] if i + 1 < len(lows) else ""
        if after and toks[i + 1].name and not clause_end[i] and (w.endswith("s") or lows[i - 1:i] == ["the"]):
            return True  # "allegations Russian forces committed war crimes": "that" left out
        reach = 9 if after == "being" or after == "made" or after.endswith("ed") else 3
    elif w in ("claim", "claims") and i > 0 and (lows[i - 1] in _DETERMINERS | _FALSE_WORDS  # "unfounded claims"
                                                 or lows[i - 1].endswith("'s") or (
            w == "claim" and not toks[i - 1].name and lows[i - 1] not in STOP)):
        reach = 2
    else:
        return False
    link = next((j for j in range(i + 1, min(len(lows), i + reach)) if lows[j] in _REPORT_LINKS), None)
    if link is not None and not any(clause_end[x] for x in range(i, link)):
        return True
    if clause_end[i]:  # an aside between the noun and what it reports: "the rumors, fed by the British leadership,
        end = next((j for j in range(i + 1, min(len(lows), i + 9)) if clause_end[j]), None)  # about the fact that"
        return end is not None and end + 1 < len(lows) and lows[end + 1] in _REPORT_LINKS
    return False


_SAY = frozenset("say says said claim claims allege alleges".split())
_WOULD = frozenset("would could might should must to you".split())


def _hypothetical_saying(lows: Sequence[str], i: int) -> bool:
    """Whether the word at ``i`` is a saying that no one makes: "you just have to say that [Russia uses chemical
    weapons]", "one could say that ...": what follows is no one's claim."""
    if lows[i] not in _SAY or i + 1 >= len(lows) or lows[i + 1] != "that":
        return False
    back = [w for w in lows[max(0, i - 3):i] if w not in ("just", "only", "simply", "even", "also")]
    return bool(back) and back[-1] in _WOULD


def _passive_agents(toks: Sequence[Tok], lows: Sequence[str], clause_end: Sequence[bool], i: int) -> set[str]:
    """The names after "by" (or "order(s) of", "level of") within six words of the verb at ``i``, in its clause, up
    to where the act is aimed ("launched from within Gaza [towards Israel]"); none after "by" and a gerund ("the
    massacre he committed by bombing the Baptist hospital": the means, not the doer)."""
    n = len(toks)
    for k in range(i + 1, min(n, i + 7)):
        if clause_end[k - 1]:
            break
        if lows[k] == "by" or (lows[k] == "of" and lows[k - 1] in ("order", "orders", "behest", "instruction",
                                                                     "instructions", "command", "level", "levels")) or (
                lows[k] == "from" and lows[i] in _LAUNCHED):  # "a missile launched from within Gaza"
            if lows[k] == "by" and k + 1 < n and lows[k + 1].endswith("ing"):
                return set()
            agents = set()
            for j in range(k + 1, min(n, k + 6)):
                if any(clause_end[x] for x in range(k, j)) or lows[j] in _TOWARDS:
                    break
                if toks[j].name:
                    agents.add(toks[j].key)
            return agents
    return set()


#: where an act is aimed, after where it came from ("launched from within Gaza towards Israel")
_TOWARDS = frozenset("towards toward into against at".split())


# ------------------------------------------------------------------------------------------------ two claims


@dataclass
class Comparison:
    """What two readings share and where they part (see :func:`compare`). Spans are (start, end) in each text."""

    a: Reading
    b: Reading
    shared_names: list[str] = field(default_factory=list)
    shared_stems: list[str] = field(default_factory=list)
    dice: float = 0.0
    same_speaker: bool = False
    shared_entities: list[str] = field(default_factory=list)
    negated_shared: list[str] = field(default_factory=list)  # shared words negated on one side only
    doubted_shared: list[str] = field(default_factory=list)  # shared words under doubt on one side only
    denied_shared: list[str] = field(default_factory=list)  # shared words inside a denial on one side only
    negation_parity: bool = False  # an odd number of negations on one side, even on the other
    denial_one_side: bool = False  # a denial or "false"/"lies" on one side only
    doubt_one_side: bool = False
    hedge_one_side: bool = False
    contrast: bool = False  # a counterpoint ("but", "despite") in either claim
    certainty_one_side: bool = False
    stance_opposite: list[tuple[str, Mark, Mark]] = field(default_factory=list)
    stance_same: list[tuple[str, Mark, Mark]] = field(default_factory=list)
    rival_causes: list[tuple[Cause, Cause]] = field(default_factory=list)
    same_causes: list[tuple[Cause, Cause]] = field(default_factory=list)
    number_conflicts: list[tuple[str, tuple[str, int, int], tuple[str, int, int]]] = field(default_factory=list)
    number_matches: list[str] = field(default_factory=list)
    date_conflict: tuple[tuple[int, int], tuple[int, int]] | None = None
    date_match: bool = False

    @cached_property
    def rival_winners(self) -> tuple[str, str] | None:
        """Two claims that give one contest different winners ("Maduro secured 51% of the vote" / "a landslide
        victory for Mr Gonzalez"), or one gives a winner the other says did not win ("Maduro's win was
        'impossible'"): the two names' keys; None otherwise."""
        wa, wb = self.a.winners, self.b.winners
        held_a = {k for k, neg in wa if not neg}
        held_b = {k for k, neg in wb if not neg}
        if held_a and held_b and not held_a & held_b:
            return min(held_a), min(held_b)
        for held, other in ((held_a, wb), (held_b, wa)):
            denied = {k for k, neg in other if neg}
            if held & denied:
                k = min(held & denied)
                return (k, k)
        return None

    @cached_property
    def rival_places(self) -> tuple[tuple[str, str, bool, int, int], tuple[str, str, bool, int, int]] | None:
        """Two claims that put the thing in different spaces of one medium ("over Iranian airspace" / "in
        international airspace"), or one in a space the other says it was not in: the two places; None
        otherwise."""
        pa, pb = self.a.places, self.b.places
        for x in pa:
            for y in pb:
                if x[1] and y[1] and x[1] != y[1]:
                    continue  # airspace and waters: two things
                if not x[2] and not y[2] and x[0] != y[0] and not (
                        {x[0]} & {p[0] for p in pb if not p[2]} or {y[0]} & {p[0] for p in pa if not p[2]}):
                    return x, y
                if x[0] == y[0] and x[2] != y[2]:
                    return x, y
        return None

    @property
    def two_weapons(self) -> bool:
        """Whether one claim tells of a chemical attack and the other of a strike with no chemical agent ("blamed
        Washington for the strike" / "the regime's continued use of chemical weapons"): two acts of one story (a
        later strike answering a chemical attack), whoever each puts them on."""
        return {self.a.weapon_class, self.b.weapon_class} == {"chemical", "conventional"}

    @cached_property
    def distinct_objects(self) -> bool:
        """Whether each claim names a place or thing the act was done to and none is shared ("the Varn clinic" /
        "the Oskel depot"): two acts, whoever did them (computed once: the judge asks it up to three times)."""
        agents = {k for c in (*self.a.causes, *self.b.causes) for k in c.agents}
        objects_a, objects_b = self.a.things - agents, self.b.things - agents
        if not (objects_a and objects_b) or objects_a & objects_b:
            return False
        return not set(self.shared_names) - agents - countries(self.shared_names)  # "Hospital" / "hospital" too

    def about_one_thing(self, xa: Mark, xb: Mark) -> bool:
        """Whether two stance words may judge one thing: the two claims share a name or word other than the stance
        words themselves ("the choice of the people of Crimea was undoubtedly sincere, ... another referendum" /
        "the referendum illegal under Ukrainian law"; not "Ferris is not clever enough to win" / "she had won the
        most districts", whose one shared word is the verdict)."""
        if xa.scale in _LOCAL_SCALES:
            return self.near_same(xa, xb)
        own = {t.key for r, x in ((self.a, xa), (self.b, xb)) for t in r.tokens
               if x.end > x.start and t.start < x.end and t.end > x.start}
        shared = (set(self.a.keys(True)) & set(self.b.keys(True)) | set(self.a.keys(False)) & set(self.b.keys(False))
                  | set(self.shared_names)) - own
        return bool(shared)

    def near_same(self, xa: Mark, xb: Mark, reach: int = 3) -> bool:
        """Whether two stance words stand next to the same word in their claims (within ``reach`` words): "a
        complete lifting of sanctions" / "only partial sanctions relief" (sanctions); the test of one thing for
        the scales whose words go with anything ("all", "some")."""
        def near(r: Reading, x: Mark) -> set[str]:
            at = [i for i, t in enumerate(r.tokens) if t.start < x.end and t.end > x.start]
            if not at:
                return set()
            lo, hi = max(0, at[0] - reach), min(len(r.tokens), at[-1] + reach + 1)
            return {r.tokens[i].key for i in range(lo, hi) if i not in at and r.tokens[i].key}
        return bool(near(self.a, xa) & near(self.b, xb))

    @property
    def subject(self) -> list[str]:
        """Why the two claims are about the same subject: shared names, entities, the same speaker; or, for claims
        without names, at least two shared content words."""
        out = [f"same name: {', '.join(self.shared_names[:4])}"] if self.shared_names else []
        if self.shared_entities:
            out.append(f"same entity: {', '.join(self.shared_entities[:4])}")
        if self.same_speaker:
            out.append("same speaker")
        if not out and (len(self.shared_stems) >= 2 or (self.shared_stems and not (
                self._names(self.a) and self._names(self.b)))):
            out.append(f"same words: {', '.join(self.shared_stems[:6])}")
        return out

    @property
    def predicate(self) -> list[str]:
        """Why the two claims say something about the same matter: shared content words, a position on one stance
        scale, a cause, numbers for one noun, dates."""
        out = [f"shared words: {', '.join(self.shared_stems[:6])}"] if self.shared_stems else []
        scales = sorted({s for s, _, _ in self.stance_opposite + self.stance_same})
        if scales:
            out.append(f"both take a position on {', '.join(scales)}")
        if self.rival_causes or self.same_causes:
            out.append("both name who caused it")
        if self.number_conflicts or self.number_matches:
            out.append("numbers for the same thing")
        if self.date_conflict or self.date_match:
            out.append("dates on both sides")
        return out

    @property
    def same_proposition(self) -> bool:
        return bool(self.subject) and bool(self.predicate)

    def conflicts(self) -> list[str]:
        """The reasons the two claims cannot both hold, in words (empty when none is found)."""
        a, b = self.a.text, self.b.text
        out = []
        if self.negated_shared:
            out.append(f"negated on one side only: {self._words(self.negated_shared)}")
        for scale, x, y in self.stance_opposite:
            out.append(f"opposite {scale}: {_quote(a, x.start, x.end, x.word)} vs {_quote(b, y.start, y.end, y.word)}")
        for ca, cb in self.rival_causes:
            out.append(f"rival causes: {_quote(a, ca.start, ca.end, ca.word)} by {', '.join(sorted(ca.agents))} vs "
                       f"{_quote(b, cb.start, cb.end, cb.word)} by {', '.join(sorted(cb.agents))}")
        if self.denied_shared:
            cue = next((f" ('{r.cue}')" for r in (self.a, self.b) if r.cue_denies), "")
            out.append(f"denied on one side only{cue}: {self._words(self.denied_shared)}")
        for _, (_, s1, e1), (_, s2, e2) in self.number_conflicts:
            out.append(f"numbers differ: '{a[s1:e1]}' vs '{b[s2:e2]}'")
        if self.date_conflict:
            (s1, e1), (s2, e2) = self.date_conflict
            out.append(f"dates differ: '{a[s1:e1]}' vs '{b[s2:e2]}'")
        return out

    def modality(self) -> list[str]:
        """Differences of modality that keep two claims from agreeing (a doubted word asserted on the other side)."""
        out = []
        if self.doubted_shared:
            out.append(f"doubted on one side only: {self._words(self.doubted_shared)}")
        return out

    def spans(self) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """The words that carry the conflicts, in each text."""
        sa: list[tuple[int, int]] = []
        sb: list[tuple[int, int]] = []
        for _, x, y in self.stance_opposite:
            sa.append((x.start, x.end))
            sb.append((y.start, y.end))
        for cx, cy in self.rival_causes:
            sa.append((cx.start, cx.end))
            sb.append((cy.start, cy.end))
        sa = [s for s in sa if s[1] > s[0]]
        sb = [s for s in sb if s[1] > s[0]]
        for _, (_, s1, e1), (_, s2, e2) in self.number_conflicts:
            sa.append((s1, e1))
            sb.append((s2, e2))
        if self.date_conflict:
            sa.append(self.date_conflict[0])
            sb.append(self.date_conflict[1])
        for words, tag in ((self.negated_shared, "neg"), (self.denied_shared, "deny")):
            for w in words[:3]:
                for r, out in ((self.a, sa), (self.b, sb)):
                    scope = r.negated if tag == "neg" else r.denied
                    idx = [i for i, t in enumerate(r.tokens) if t.key == w and i in scope]
                    if idx:
                        cue = r.negators if tag == "neg" else r.deniers
                        first = max((c for c in cue if c < idx[0]), default=idx[0])
                        out.append((r.tokens[first].start, r.tokens[idx[0]].end))
        return sorted(set(sa)), sorted(set(sb))

    def features(self) -> dict[str, float]:
        """Numeric signals for a learned judge (names are stable: they key its weights)."""
        one = 1.0
        return {
            "shared_names": min(len(self.shared_names), 3) / 3,
            "no_shared_name": one if (not self.shared_names and self._names(self.a) and self._names(self.b)) else 0.0,
            "shared_stems": min(len(self.shared_stems), 6) / 6,
            "subject": one if self.subject else 0.0,
            "predicate": one if self.predicate else 0.0,
            "same_proposition": one if self.same_proposition else 0.0,
            "negated_shared": one if self.negated_shared else 0.0,
            "negation_parity": one if self.negation_parity else 0.0,
            "doubted_shared": one if self.doubted_shared else 0.0,
            "doubt_one_side": one if self.doubt_one_side else 0.0,
            "denied_shared": one if self.denied_shared else 0.0,
            "denial_one_side": one if self.denial_one_side else 0.0,
            "hedge_one_side": one if self.hedge_one_side else 0.0,
            "contrast": one if self.contrast else 0.0,
            "certainty_one_side": one if self.certainty_one_side else 0.0,
            "stance_opposite": one if self.stance_opposite else 0.0,
            "stance_same": one if self.stance_same else 0.0,
            "rival_causes": one if self.rival_causes else 0.0,
            "same_causes": one if self.same_causes else 0.0,
            "number_conflict": one if self.number_conflicts else 0.0,
            "number_match": one if self.number_matches else 0.0,
            "date_conflict": one if self.date_conflict else 0.0,
            "date_match": one if self.date_match else 0.0,
            "conflict": one if self.conflicts() else 0.0,
        }

    def _words(self, keys: list[str], limit: int = 6) -> str:
        """The words of claim a (else b) behind stems or name keys, as written: "recognized, referendum"."""
        out = []
        for k in keys[:limit]:
            tok = next((t for r in (self.a, self.b) for t in r.tokens if t.key == k), None)
            out.append(tok.low if tok is not None else k)
        return ", ".join(out)

    @staticmethod
    def _names(r: Reading) -> bool:
        return any(t.name for t in r.tokens)

    def as_evidence(self) -> dict[str, Any]:
        """The comparison in words, for a judgement's evidence."""
        out: dict[str, Any] = {"subject": self.subject, "predicate": self.predicate}
        if self.conflicts():
            out["conflicts"] = self.conflicts()
        if self.modality():
            out["modality"] = self.modality()
        return out


_LOWER_BOUND = re.compile(r"\b(?:at least|(?<!no )(?<!not )more than|over|upwards of|in excess of|no fewer than|"
                          r"no less than|as many as|exceeding)\s*$", re.I)
_UPPER_BOUND = re.compile(r"\b(?:up to|fewer than|less than|under|at most|no more than|as few as)\s*$", re.I)
_ROUGHLY = re.compile(r"\b(?:about|around|nearly|almost|some|roughly|approximately|close to|an estimated|"
                      r"estimated|perhaps|maybe|circa)\s*$", re.I)


def number_interval(text: str, value: str, start: int) -> tuple[float, float]:
    """The range a number stands for, from the words before it: "at least 300" → [300, inf), "nearly 500" →
    [425, 500], "471" → [471, 471]."""
    x = float(value.rstrip("%").replace(",", ""))
    before = text[max(0, start - 24):start]
    if _LOWER_BOUND.search(before):
        return x, float("inf")
    if _UPPER_BOUND.search(before):
        return 0.0, x
    if _ROUGHLY.search(before):
        return x * 0.85, x * 1.15
    return x, x


def _quote(text: str, start: int, end: int, word: str) -> str:
    """The words of a span in quotes; a mark taken from the reporting verb shows as "(cue: accused)"."""
    return f"'{text[start:end]}'" if end > start else f"(cue: {word})"


def _after_negator(r: Reading, i: int) -> bool:
    """Whether the token at ``i`` follows a negator of its clause, up to six words before it, past the words the
    negation's scope holds ("did not find any trace": trace)."""
    clause = r.clause_of
    return bool(clause) and any(0 < i - k <= 6 and clause[k] == clause[i] for k in r.negators)


def _status(r: Reading, idx: list[int], scope: frozenset[int]) -> int:
    """+1 when no occurrence is in ``scope``, -1 when all are, 0 when mixed."""
    inside = sum(i in scope for i in idx)
    return 1 if inside == 0 else -1 if inside == len(idx) else 0


def compare(a: str | Reading, b: str | Reading, *, same_speaker: bool = False,
            shared_entities: tuple[str, ...] | list[str] = ()) -> Comparison:
    """Set two claims side by side (see the module docstring and :class:`Comparison`); give :func:`read`
    readings to take the claims' cues into account."""
    ra = a if isinstance(a, Reading) else read(a)
    rb = b if isinstance(b, Reading) else read(b)
    na, nb = ra.keys(True), rb.keys(True)
    sa, sb = ra.keys(False), rb.keys(False)
    c = Comparison(ra, rb, same_speaker=same_speaker, shared_entities=sorted(shared_entities))
    # a name one outlet writes in lower case ("Al-Ahli Hospital" / "al-Ahli hospital") is still that name
    c.shared_names = sorted(set(na) & (set(nb) | set(sb)) | set(sa) & set(nb))
    c.shared_stems = sorted(set(sa) & set(sb))
    c.dice = 2 * len(c.shared_stems) / (len(sa) + len(sb)) if sa and sb else 0.0
    not_a, not_b = ra.negated | ra.denied, rb.negated | rb.denied  # negated or denied: not asserted either way
    # a shared word parts the two only when one side's scope holds it: most pairs have no scope at all
    scoped = bool(not_a or not_b or ra.doubted or rb.doubted)
    for keys_a, keys_b in ((na, nb), (sa, sb)) if scoped else ():
        for k in sorted(set(keys_a) & set(keys_b)):
            ia, ib = keys_a[k], keys_b[k]
            if ra.tokens[ia[0]].low in _KNOWING:  # "did not know who fired it" denies nothing "we know" holds
                continue
            if _status(ra, ia, not_a) * _status(rb, ib, not_b) == -1:
                denied = (_status(ra, ia, ra.denied) == -1) or (_status(rb, ib, rb.denied) == -1)
                held_r, held_i = (rb, ib) if _status(ra, ia, not_a) == -1 else (ra, ia)
                if not denied and all(_after_negator(held_r, i) for i in held_i):
                    continue  # "found no trace" / "did not find any trace": the negation reaches it too
                if keys_a is sa:  # what is negated or denied is a predicate: a name in the scope is its object
                    (c.denied_shared if denied else c.negated_shared).append(k)
            if _status(ra, ia, ra.doubted) * _status(rb, ib, rb.doubted) == -1:
                c.doubted_shared.append(k)
    c.negation_parity = (len(ra.negators) % 2) != (len(rb.negators) % 2)
    c.denial_one_side = bool(ra.deniers or ra.false_words or ra.cue_denies) != bool(
        rb.deniers or rb.false_words or rb.cue_denies)
    c.doubt_one_side = bool(ra.doubters or ra.cue_doubts) != bool(rb.doubters or rb.cue_doubts)
    c.hedge_one_side = bool(ra.hedges) != bool(rb.hedges)
    c.contrast = bool(ra.contrast or rb.contrast)
    c.certainty_one_side = bool(ra.certain) != bool(rb.certain)
    for scale in SCALES if ra.marks and rb.marks else ():
        pa = [m for m in ra.marks if m.scale == scale]
        pb = [m for m in rb.marks if m.scale == scale]
        if not pa or not pb:
            continue
        net_a, net_b = sum(m.polarity for m in pa), sum(m.polarity for m in pb)
        if net_a * net_b == 0:
            continue
        xa = max(pa, key=lambda m: m.polarity * net_a)
        xb = max(pb, key=lambda m: m.polarity * net_b)
        if len(ra.tokens) > 12 or len(rb.tokens) > 12:
            # in a long claim a stance word must stand in a clause about what the other claim is about
            shared = set(na) & set(nb) | set(sa) & set(sb)
            near_a = ra.clause_keys(xa.end - 1) if xa.end > xa.start else shared
            near_b = rb.clause_keys(xb.end - 1) if xb.end > xb.start else shared
            if not (near_a & shared and near_b & shared):
                continue
        (c.stance_opposite if net_a * net_b < 0 else c.stance_same).append((scale, xa, xb))
    # a name the other claim gives only as where an act was aimed ("launched from within Gaza towards Israel") is
    # not named as a doer (Reading.doers)
    for ca in ra.causes:
        for cb in rb.causes:
            if ca.negated or cb.negated:
                continue
            if ca.agents & cb.agents:
                c.same_causes.append((ca, cb))
            elif not (ca.agents & rb.doers) and not (cb.agents & ra.doers) and not (ca.beside or cb.beside) \
                    and not compatible_acts(ca, cb):
                c.rival_causes.append((ca, cb))  # neither side names the other's agent at all; an act aimed near
                # the place is another act than one on it
    if c.same_causes:
        c.rival_causes = []  # one side names two causes, one of them the other's: not a rival account
    numa, numb = numbers_of(ra.text), numbers_of(rb.text)
    for noun in sorted(set(numa) & set(numb)):
        lo_a, hi_a = number_interval(ra.text, numa[noun][0], numa[noun][1])
        lo_b, hi_b = number_interval(rb.text, numb[noun][0], numb[noun][1])
        if numa[noun][0].endswith("%") != numb[noun][0].endswith("%") or hi_a < lo_b or hi_b < lo_a:
            c.number_conflicts.append((noun, numa[noun], numb[noun]))
        else:
            c.number_matches.append(noun)
    da, db = dates_of(ra.text), dates_of(rb.text)
    if da and db:
        if {d[0] for d in da} & {d[0] for d in db}:
            c.date_match = True
        else:
            c.date_conflict = ((da[0][2], da[0][3]), (db[0][2], db[0][3]))
    return c


def affiliated(r: Reading, affiliations: Sequence[tuple[str, str]]) -> Reading:
    """``r`` with the people it names read as the country they speak for (``affiliations``: name key, country):
    a cause's agents gain the country, a responsibility mark's target becomes it ("Putin ordered the attack" /
    "Moscow was not responsible": one party)."""
    sides = dict(affiliations)
    if not sides or not any(t.key in sides for t in r.tokens):
        return r
    causes = []
    for c in r.causes:
        added = frozenset(sides[k] for k in c.agents if k in sides) - c.agents
        causes.append(dataclasses.replace(c, agents=c.agents | added, via=added) if added else c)
    marks = tuple(dataclasses.replace(m, target=sides.get(m.target, m.target)) if m.target else m for m in r.marks)
    return dataclasses.replace(r, causes=tuple(causes), marks=marks)


def blame_keys(text: str, cue: str = "", affiliations: Sequence[tuple[str, str]] = (),
               side: frozenset[str] = frozenset()) -> tuple[frozenset[str], frozenset[str]]:
    """Who a claim blames or clears (the name keys of its responsibility marks' targets), and the countries its
    causes name ("an Israeli airstrike": israel), its speaker's ``side`` among them when it speaks of itself
    ("we are not responsible": see :func:`own_causes`): claims that share the first or both have the second may
    contradict each other whatever their wording, or tell one account (see ``judge.rules.v1``)."""
    r = affiliated(read(text, cue), affiliations)
    targets = frozenset(m.target for m in r.marks if m.scale == "responsibility" and m.target and held_for_act(r, m))
    named = frozenset(k for c in (*r.causes, *own_causes(r, side), *own_acts(r, side)) for k in countries(c.agents))
    return targets, named


#: subjects by which a speaker speaks of itself ("we are not responsible"); after a denying cue also those by which
#: the report speaks of the speaker ("Israel denied it was involved")
_SELF_SUBJECTS = frozenset({"we", "i"})
_SELF_DENIED = _SELF_SUBJECTS | {"it", "they"}
#: acts a speaker denies having done, when its denial names no doer ("denied launching the strike")
_ACT_GERUNDS = frozenset("""bombing shelling striking attacking firing launching targeting poisoning killing
orchestrating ordering staging conducting carrying""".split())


#: what a speaker calls its own: "our missile"; in a report of its words (not inside its quote) also "his military"
_OWN_FIRST = frozenset("our we i".split())
_OWN_REPORTED = frozenset("his her its their".split())
#: who acts for a side ("his military did not fire the missile")
_FORCES = frozenset("""military forces army troops soldiers navy government country side defence defense air
force""".split())


def own_acts(r: Reading, side: frozenset[str]) -> tuple[Cause, ...]:
    """The acts a speaker of ``side`` puts on its own side, or denies, without naming it: a weapon or strike it
    calls its own ("it was not our missile"), or an act whose subject is "we" or its own forces ("his military did
    not fire the missile"); "his", "her", "its" and "their" only outside a quote (in a quote they are someone
    else's). As causes whose agents are the side, negated when denied; none where the act is named with its doer
    already, or only supposed."""
    if not side:
        return ()
    quoted = r.text.lstrip()[:1] in "\"“'‘«"
    own = _OWN_FIRST if quoted else _OWN_FIRST | _OWN_REPORTED
    named = {c.start for c in r.causes}
    lows = [t.low for t in r.tokens]
    clause = r.clause_of or tuple(0 for _ in lows)
    out: list[Cause] = []
    for i, t in enumerate(r.tokens):
        if t.start in named or (i in r.supposed and i not in r.denied):  # "rejected claims that its army ...":
            continue  # a report its speaker denies
        back = [k for k in range(i - 1, max(-1, i - 5), -1) if clause[k] == clause[i]]
        passive = i > 0 and lows[i - 1] in _BE and (t.low.endswith("ed") or t.low in _IRREGULAR_PASSIVE)
        if t.low in _CAUSE_NOUNS and t.low not in _ATROCITIES:  # "their crimes" are those of whom it accuses
            mine = any(lows[k] in own and lows[k] not in ("we", "i") for k in back[:3])
        elif (t.low in _AGENT_VERBS or (t.low in _DOWN and i + 1 < len(lows) and lows[i + 1] == "down")) \
                and not passive:  # "its army was behind", "its military shot down"; not "was bombed"
            mine = any(lows[k] in ("we", "i") or (lows[k] in _FORCES and k > 0 and lows[k - 1] in own
                                                  and not (k > 1 and lows[k - 2] in _PLACE_PREPS))
                       for k in back)  # not "the missile that landed in his country and killed two people"
        else:
            continue
        if mine:
            negated = i in r.negated or i in r.denied
            if not negated and out and out[-1].negated and any(
                    lows[k] in ("or", "nor") and clause[k] == clause[i] for k in back):
                negated = True  # "not our missile or our missile strike": neither
            out.append(Cause(t.start, t.end, t.low, side, negated))
    return tuple(out)


#: what a denial with no subject denies of its speaker ("(Moscow continues to deny) involvement in the downing")
_OWN_ROLE = frozenset("involvement role part responsibility complicity".split())


def own_causes(r: Reading, side: frozenset[str]) -> tuple[Cause, ...]:
    """What a speaker of ``side`` (its countries) says of its own side without naming it: a responsibility word
    with a pronoun for subject ("we are not responsible", "(Israel denied) it was involved"), or a denied act with
    no subject at all ("(Israel had denied) launching the strike"); as causes whose agents are the side."""
    if not side:
        return ()
    out = []
    subjects = _SELF_DENIED if r.cue_denies else _SELF_SUBJECTS
    for m in r.marks:
        if m.scale != "responsibility" or m.target or m.end <= m.start:
            continue
        before = [t for t in r.tokens if t.end <= m.start]
        clause = r.clause_of[len(before)] if r.clause_of and len(before) < len(r.clause_of) else None
        if any(t.low in subjects for k, t in enumerate(before) if clause is None or r.clause_of[k] == clause):
            out.append(Cause(m.start, m.end, m.word, side, m.polarity < 0))
    lows = [t.low for t in r.tokens]
    k = 1 if lows[:1] in (["any"], ["all"], ["the"]) and len(lows) > 1 else 0
    first = r.tokens[k] if r.tokens else None
    if r.cue_denies and not out and not r.causes and first is not None:
        if first.low in _ACT_GERUNDS or first.low in _OWN_ROLE:  # "(Moscow has always denied) any involvement"
            out.append(Cause(first.start, first.end, r.text[first.start:first.end], side, True))
        elif r.acts and not _party_named(r, r.acts[0], side) and not _object_of_another(r, r.acts[0]):
            # "(denied) that chemical weapons were used in Douma", "(deny) a chemical attack took place", "(disputed)
            # all allegations of brutal civilian killings": an act no one is named for, denied by the side it would
            # be laid at
            act = r.tokens[r.acts[0]]
            out.append(Cause(act.start, act.end, act.low, side, True))
    if not out and not r.causes and not r.cue_denies:
        # "(he was certain that) the plane was not hit by a missile": an act no one is named for, negated by a
        # speaker of the side it would be laid at
        def negated(i: int) -> bool:  # "not hit by a missile": a negation before it in its clause; not "could not
            # be certain who launched the missile" (not knowing who did it denies nothing)
            return i in r.negated or any(
                0 < i - k <= 5 and (not r.clause_of or r.clause_of[k] == r.clause_of[i])
                and not any(w in _KNOWING or w in ("who", "whether", "what") for w in lows[k:i]) for k in r.negators)

        quoted = r.text.lstrip()[:1] in "\"“'‘«"

        def pronoun_before(i: int) -> bool:  # "“his military did not fire ...”": in a quote, someone else's
            return quoted and any(lows[k] in _THIRD_PERSON and (not r.clause_of or r.clause_of[k] == r.clause_of[i])
                                  for k in range(i))

        act_i = next((i for i in r.acts if negated(i) and not _party_named(r, i, side)
                      and not _object_of_another(r, i) and not pronoun_before(i)), None)
        if act_i is not None:
            act = r.tokens[act_i]
            out.append(Cause(act.start, act.end, act.low, side, True))
    if not out and not r.causes and not r.cue_denies:
        out.extend(_provoked(r, side))
    return tuple(out)


def _provoked(r: Reading, side: frozenset[str]) -> tuple[Cause, ...]:
    """A speaker of ``side`` calling the event a provocation and naming no one in that clause ("As for the Black
    Sea incident, certainly, it's a provocation"): its side answered, it did not start it; as a cause clearing the
    side. Only a provocation named as such ("a", "the", "this" before it), asserted: not "will not respond to
    provocations"."""
    lows = [t.low for t in r.tokens]
    for i, t in enumerate(r.tokens):
        if t.low not in _PROVOCATION or i in r.negated or i in r.supposed or i in r.doubted:
            continue
        if not any(lows[k] in ("a", "an", "the", "this", "that") for k in range(max(0, i - 2), i)):
            continue
        clause = r.clause_of[i] if r.clause_of else 0
        if any(x.name for k, x in enumerate(r.tokens) if not r.clause_of or r.clause_of[k] == clause):
            continue
        return (Cause(t.start, t.end, t.low, side, True, kind="provocation"),)
    return ()


def _object_of_another(r: Reading, act: int) -> bool:
    """Whether the act word at ``act`` is what another verb of its clause is done to ("(denied) investigating the
    blast": the investigation is denied, not the blast): a participle before it ("having", "being" aside)."""
    clause = r.clause_of[act] if r.clause_of else 0
    return any(t.low.endswith(("ing", "ed")) and t.low not in ("having", "being", "alleged") and t.key
               and (not r.clause_of or r.clause_of[i] == clause) for i, t in enumerate(r.tokens[:act]))


#: the spaces a state owns, by medium ("" for either): "Iranian airspace", "territorial waters", "Russian territory"
_PLACE_MEDIA = {"airspace": "air", "waters": "sea", "territory": "", "soil": "", "seas": "sea"}
#: a general right or freedom over a space says where no one was ("freedom of navigation in international waters")
_GENERAL_RIGHT = frozenset({"right", "rights", "freedom"})
#: words between an owner and its space ("Russia's own territorial waters")
_PLACE_QUALIFIERS = frozenset({"territorial", "sovereign", "own", "national"})
#: the words of a contest's outcome (see :attr:`Reading.winners`)
_WIN_WORDS = frozenset("won wins win winner victor victory triumph".split())
_NAMING = frozenset("declared declares named names proclaimed proclaims".split())
_THIRD_PERSON = frozenset("he she they his her their".split())
#: prepositions of a place a name may follow before a verb without being its subject
_PLACE_PREPS = frozenset("into in across over near through towards toward onto".split())
#: what a claim that has "nothing to do with" it is untrue to
_REALITY = frozenset("reality truth facts fact".split())
#: what is only tried, not done ("attempts to hold Russia responsible")
_ATTEMPTS = frozenset("attempt attempts attempted effort efforts bid bids seek seeks seeking try tries trying".split())
#: what "legal" before it names as the law's work, not as lawful ("legal action", "the legal team")
_LAW_WORK = frozenset("""action actions team teams response challenge challenges battle battles fight proceedings
advice adviser advisers counsel case cases costs fees process system experts expert analyst analysts filing
filings dispute disputes bid move moves step steps options obligations representatives scholars""".split())
#: a chemical or toxic agent, and the weapons of a strike without one: two classes of act (Reading.weapon_class)
_CHEMICAL = frozenset("""chemical chemicals chlorine sarin mustard toxic toxin nerve novichok poison poisoned
poisoning""".split())
_CONVENTIONAL = frozenset("""strike strikes airstrike airstrikes missile missiles rocket rockets bomb bombs bombing
bombings shelling""".split())
#: what makes the act after it only reported ("the alleged impact of Russian rockets")
_ALLEGED = frozenset("alleged allegedly purported supposed so-called".split())
_IF = frozenset({"if"})
_RELATIVE = frozenset("that which who whom whose".split())
_AGAINST = frozenset({"against"})
_LOCATIVE = frozenset("in at near on outside inside around across".split())


def _party_named(r: Reading, act: int, side: frozenset[str]) -> bool:
    """Whether a claim names a party other than ``side`` who may have done the act at token ``act``: a name before
    it that is not a place ("in Gaza"), or one after "by" or "from" after it."""
    lows = [t.low for t in r.tokens]
    passive = act > 0 and lows[act - 1] in _BE  # "Khashoggi had been killed": who it was done to, before it
    for i, t in enumerate(r.tokens):
        if not t.name or t.key in side:
            continue
        place = i > 0 and (lows[i - 1] in _LOCATIVE or (lows[i - 1] in _DETERMINERS and i > 1
                                                        and lows[i - 2] in _LOCATIVE))
        if i < act and not passive and not place:
            return True
        if i > act and i > 0 and lows[i - 1] in ("by", "from"):
            return True
    return False


#: the cues of a speaker who says what another reported is untrue ("rejected the army's accusations", "disputed
#: HRW's findings"); not those that only judge its worth ("slammed HRW's report", "dismissed May's claim as a circus
#: show"): those contradict nothing unless they call it false ("denounced as unfounded")
_REBUT_CUES = frozenset("""deny denied denies denying reject rejected rejects rejecting refute refuted refutes
refuting dispute disputed disputes disputing rebut rebutted rebuts contest contested contests debunk debunked
debunks""".split())
#: cues that condemn what they name: a rejection when what they name is a report ("slammed HRW's report")
_CRITIC_CUES = frozenset("""condemn condemned condemns condemning criticize criticized criticizes criticizing
criticise criticised criticises criticising slam slammed slams slamming denounce denounced denounces denouncing blast
blasted lambast lambasted lambasts decry decried decries""".split())
#: what one says of a report one rejects: false, or biased, or made up, or misreading its evidence
_FLAW_WORDS = _FALSE_WORDS | frozenset("""biased unreliable misinterpreted misinterpreting misrepresented
misrepresenting misread distorted flawed misleading inaccurate ignored ignores one-sided""".split())
#: a report's grounds said to be missing ("hasn't come up with any evidence", "did not visit the hospital", "not a
#: reliable source", "without a genuine investigation")
_LACKING = re.compile(r"\b(?:not|no|never|neither|nor|without|failed|failure|\w+n['’]t)\b(?:\W+[\w’'-]+){0,7}?\W+"
                      r"(?:evidence|proof|witness(?:es)?|eyewitness(?:es)?|testimon(?:y|ies)|investigation|"
                      r"reliable|credible|decisive|conclusive|visit(?:ed)?|talk(?:ed)?|contact(?:ed)?|"
                      r"communicated|verif(?:y|ied))\b", re.IGNORECASE)


#: a report's credibility said to be lost ("has undermined the credibility of the report", "lacks credibility")
_DISCREDITED = re.compile(r"\b(?:undermin\w*|damag\w*|destroy\w*|lack\w*|los[te]s?|no|zero)\s+(?:the\s+|its\s+|any\s+"
                          r"|all\s+|their\s+)?credibility\b", re.IGNORECASE)
#: the words _LACKING ends on: a claim without one of them names no missing ground
_LACK_WORDS = frozenset("""evidence proof witness witnesses eyewitness eyewitnesses testimony testimonies
investigation reliable credible decisive conclusive visit visited talk talked contact contacted communicated verify
verified""".split())

#: what makes a flaw a fear or a forecast, not a charge ("we are concerned that Trump may lie")
_FORESEEING = frozenset("may might could would will should can if unless concerned worried fear fears feared "
                        "afraid".split())


def _foreseen(before: Sequence[re.Match[str]]) -> bool:
    """Whether the words just before a flaw make it a fear or a forecast."""
    return any(w.group(0).lower() in _FORESEEING for w in before)


@lru_cache(maxsize=65536)
def rebuttal(text: str, cue: str = "") -> tuple[int, int] | None:
    """Where a claim says what someone reported is untrue: by what it says of the report or its author ("full of
    lies", "hasn't come up with any evidence", "biased towards Israel", "misinterpreted the evidence"), not as a
    fear or forecast ("may lie"), or by its cue ("rejected", "disputed"): the span of the words that do (an empty
    span at 0 for the cue); None when it does not. Whose report it rejects: :func:`rejected`."""
    low = text.lower()  # most claims have neither a flaw word nor a missing ground's word: they stop here
    flawed = not _FLAW_WORDS.isdisjoint(re.findall(r"[\w’'-]+", low))
    lacking = not _LACK_WORDS.isdisjoint(re.findall(r"\w+", low))
    words = list(re.finditer(r"[\w’'-]+", text)) if flawed or lacking else []
    for i, m in enumerate(words if flawed else ()):
        if m.group(0).lower() in _FLAW_WORDS and not _foreseen(words[max(0, i - 3):i]):
            return m.start(), m.end()
    for lack in _LACKING.finditer(text) if lacking else ():
        if not _foreseen([w for w in words if lack.start() - 40 <= w.start() < lack.start()][-3:]):
            return lack.start(), lack.end()
    for lost in _DISCREDITED.finditer(text) if "credib" in low else ():
        before = [w for w in re.finditer(r"[\w’'-]+", text[max(0, lost.start() - 40):lost.start()])]
        if not _foreseen(before[-3:]):
            return lost.start(), lost.end()
    cues = re.findall(r"[a-z]+", cue.lower())
    if any(w in _REBUT_CUES for w in cues):
        return 0, 0
    # "criticized [HRW's initial report regarding ...]", "slammed [HRW's report on the attack]": a report condemned
    if any(w in _CRITIC_CUES for w in cues) and _OPENS_WITH_REPORT.match(text):
        return 0, 0
    return None


#: what a party's report is called ("HRW's report", "May's claim", "a report by HRW", "the army's accusations")
_REPORT = (r"(report|reports|claim|claims|accusation|accusations|allegation|allegations|statement|statements|"
           r"findings|investigation|analysis|conclusion|conclusions|version|account|assertion|assertions|narrative|"
           r"assessment|story)")
#: a name's own report after it ("HRW's initial report", "Israeli statements"); no preposition between: what a report
#: is about does not own it ("Malaysia over its investigation")
_OWNS_REPORT = re.compile(r"(?:\s*['’]s?)?\s+(?:(?!(?:over|about|into|against|on|of|for|with|in|at|by|from|to|and|"
                          r"or)\b)[\w-]+(?:['’]s)?\s+){0,2}?" + _REPORT + r"\b", re.IGNORECASE)
_RESTATED = re.compile(r"\s+(?:that|of)\b", re.IGNORECASE)
#: where a name stands as the subject of its clause: the claim's start, or after "that", a quote mark or a comma
_CLAUSE_START = re.compile(r"(?:^|\bthat|[,;:“\"(])\s*(?:the\s+)?$", re.IGNORECASE)
_REPORT_BY = re.compile(_REPORT + r"\s+(?:[\w-]+\s+){0,3}?(?:by|of|from)\s+(?:the\s+)?$", re.IGNORECASE)


def rejected(text: str, cue: str, mentions: Sequence[tuple[int, int, str]],
             earlier: Callable[[], tuple[str, Sequence[tuple[int, int, str]]]] | None = None) -> frozenset[str]:
    """The parties (of ``mentions``: start, end, key, in ``text``) whose report a claim rejects (see
    :func:`rebuttal`): named as the report's owner ("HRW's report", "the HRW report", "a report by HRW") or as
    the subject of what the rejection says ("HRW hasn't come up with any evidence", "HRW is not a reliable
    source"). A claim that rejects "this report" with no owner of its own rejects the report whose owner the text
    just before it names (``earlier()``: that text and its mentions, asked for only then; "PFLP also slammed HRW's
    report. 'This report is full of lies'"). Empty when the claim rejects nothing."""
    if rebuttal(text, cue) is None:
        return frozenset()
    out = report_owners(text, mentions)
    this = _THIS_REPORT.search(text) if not out and earlier is not None else None
    if this is not None and earlier is not None:
        before, named = earlier()
        noun = this.group(1).lower().rstrip("s")  # "this report": an owner of a report, not of a narrative
        owners = [(start, key) for start, end, key in named if (_owns(before, start, end) or "").rstrip("s") == noun]
        if owners:
            return frozenset({max(owners)[1]})  # the nearest
    for start, end, key in mentions:
        if key in out or not _CLAUSE_START.search(text[:start]):
            continue
        after = text[end:end + 120]  # "HRW [is] not a reliable source", "HRW [did] not bother", "HRW [has] ignored"
        words = list(re.finditer(r"[\w’'-]+", after))[:3]
        words = words[:next((i for i, w in enumerate(words) if w.group(0).lower() in _BREAK_WORDS | {"and"}
                             or _foreseen([w])), len(words))]
        lack = _LACKING.search(after)
        if (lack is not None and any(lack.start() == w.start() for w in words)) \
                or any(w.group(0).lower() in _FLAW_WORDS for w in words):
            out.add(key)
    return frozenset(out)


#: a denial that points back to what was just said: "received no such report", "there was no such agreement",
#: "had not seen any such request"
_SUCH = re.compile(r"\b(?:no|(?:not|never)\s+(?:[a-z]+\s+){0,2}any)\s+such\s+[a-z]+", re.IGNORECASE)


def such_denial(text: str) -> tuple[int, int] | None:
    """The span of the words by which a claim denies what was said just before it without repeating it ("it had
    received [no such report]"), or None."""
    m = _SUCH.search(text)
    return (m.start(), m.end()) if m else None


def _owns(text: str, start: int, end: int) -> str | None:
    """The report noun the name at ``start:end`` of ``text`` owns ("HRW's report", "a report by HRW": report),
    None when it owns none or the text restates its claim ("May's claim that ...")."""
    owns = _OWNS_REPORT.match(text, end)
    if owns and _RESTATED.match(text, owns.end()):
        return None
    by = _REPORT_BY.search(text[:start]) if owns is None else None
    found = owns or by
    if found is not None and _SPEAKS.match(text, owns.end() if owns else end):
        return None  # "a statement released by the Saudi Press Agency cited an officer as denying ...": the report
        # is who speaks, not what is rejected
    return found.group(1).lower() if found is not None else None


#: a report noun followed by its verb of speech ("HRW's report said ...", "a statement by SPA (...) cited ...")
_SPEAKS = re.compile(r"\s*(?:\([^)]{0,40}\)\s*|\)\s*)?,?\s*(?:\w+ly\s+)?(?:said|says|cited|cites|quoted|quotes|"
                     r"stated|states|denied|denies|called|calls|described|describes|added|adds|noted|notes|reported|reports|"
                     r"dismissed|dismisses|rejected|rejects|accused|accuses|blamed|blames)\b", re.IGNORECASE)


def report_owners(text: str, mentions: Sequence[tuple[int, int, str]]) -> set[str]:
    """The keys of ``mentions`` (start, end, key, in ``text``) that own a report the text names ("Israeli
    statements", "the Israel army's accusations", "a report by HRW")."""
    return {key for start, end, key in mentions if _owns(text, start, end) is not None}


#: a text whose first words name a report ("HRW's initial report regarding ...", "a recent report released by")
_OPENS_WITH_REPORT = re.compile(r"\W*(?:[\w’'-]+\W+){0,5}?" + _REPORT + r"\b", re.IGNORECASE)
#: a report named without its owner ("this report", "the accusations")
_THIS_REPORT = re.compile(r"\b(?:this|that|the|these|those|such)\s+(?:[\w-]+\s+)?" + _REPORT + r"\b",
                          re.IGNORECASE)


#: kinds of evidence a claim may rest on, by the nouns that name them
EVIDENCE_KINDS: dict[str, frozenset[str]] = {
    "audio": frozenset("""recording recordings audio tape tapes intercept intercepts transcript transcripts
    conversation conversations dialogue voices""".split()),
    "video": frozenset("video videos footage clip clips".split()),
    "photo": frozenset("photo photos photograph photographs image images picture pictures".split()),
    "document": frozenset("document documents letter letters memo memos".split()),
}
#: "call" is a recording only after these ("an intercepted call", "a phone call")
_CALL_KINDS = frozenset("intercepted phone telephone recorded".split())
#: what says a piece of evidence is not what it seems
FAKE_WORDS = frozenset("""fake fakes faked fabricated fabrication forged forgery doctored manipulated manipulation
staged hoax inauthentic""".split())
#: how a claim draws on a piece of evidence it names: "conversations that indicate ...", "a call in which ..."
_SHOWING = frozenset("""indicate indicates indicated show shows showed shown reveal reveals revealed prove proves
proved confirm confirms confirmed suggest suggests suggested telling tells capture captures captured""".split())


#: words that set a piece of evidence against what the claim says
_AGAINST_EVIDENCE = frozenset("despite notwithstanding contrary against".split())


@lru_cache(maxsize=65536)
def evidence_of(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The kinds of evidence a claim draws on (it names one and says what it shows, or what is said in it: "the
    army would provide conversations in Arabic that indicate the strike was done by Islamic Jihad", "a transcript of
    an intercepted call ..., in which they talk about ..."), and those it calls fake in the same sentence ("the
    recording was 'fabricated'", "the level of manipulation required to edit these two voices together"; not
    "not fake")."""
    spans = list(WORD.finditer(text))
    words = [m.group(0).lower().replace("’", "'") for m in spans]
    sentence = 0
    sentences: list[int] = []
    for i, m in enumerate(spans):
        if i and _SENTENCE_PUNCT.search(text, spans[i - 1].end(), m.start()):
            sentence += 1
        sentences.append(sentence)
    named: dict[int, set[str]] = {}  # sentence -> kinds named in it
    at: list[tuple[int, str]] = []
    for i, w in enumerate(words):
        for kind, nouns in EVIDENCE_KINDS.items():
            if w in nouns or (kind == "audio" and w in ("call", "calls") and i and words[i - 1] in _CALL_KINDS):
                named.setdefault(sentences[i], set()).add(kind)
                at.append((i, kind))
    faked = {kind for i, w in enumerate(words) if w in FAKE_WORDS
             and not any(x in NEGATORS or x.endswith("n't") for x in words[max(0, i - 3):i])
             for kind in named.get(sentences[i], ())}
    # "despite photo evidence released by prosecutors seeming to suggest otherwise": evidence set against the claim
    drawn = {kind for i, kind in at if kind not in faked and not any(
        x in _AGAINST_EVIDENCE for x in words[max(0, i - 3):i]) and any(
        x in _SHOWING or (x == "which" and words[k - 1] in ("in", "on"))
        for k, x in enumerate(words[i + 1:i + 8], i + 1) if sentences[k] == sentences[i])}
    return frozenset(drawn), frozenset(faked)


#: what says a count was made larger than it is ("inflate the number of casualties", "an exaggerated death toll")
_INFLATING = frozenset("""inflate inflated inflates inflating exaggerate exaggerated exaggerates exaggerating
overstate overstated overstates overstating""".split())
_COUNT_NOUNS = frozenset("number numbers toll tolls figure figures count counts tally".split())


@lru_cache(maxsize=65536)
def inflated_toll(text: str) -> tuple[int, int] | None:
    """Where a claim says a toll was inflated: an inflating word with a count of the dead or hurt right after it
    ("They went as far as to inflate the number of casualties", "an exaggerated death toll"), neither negated nor
    feared ("may exaggerate"); the span of the inflating word, or None."""
    words = list(WORD.finditer(text))
    lows = [m.group(0).lower() for m in words]
    for i, w in enumerate(lows):
        if w not in _INFLATING:
            continue
        before = lows[max(0, i - 3):i]
        if any(x in NEGATORS or x.endswith("n't") or x in _FORESEEING for x in before):
            continue
        after = lows[i + 1:i + 8]
        counted = any(x in _COUNT_NOUNS for x in after[:4])
        if counted and any(x in TOLL_WORDS or x in ("toll", "tolls") for x in after):
            return words[i].start(), words[i].end()
    return None


def gives_toll(text: str) -> bool:
    """Whether a claim gives a count of the dead or hurt ("500 people were killed and injured")."""
    return any(words_around(text, start, end) & TOLL_WORDS for _, start, end in numbers_of(text).values())

