"""Stage 3a — statements: who said what, according to whom, in one document.

Entry function: :func:`extract_statements` turns a cleaned :class:`~crossnews.records.Document` and the spaCy parse
of its analysis text (same offsets as the document text) into :class:`~crossnews.records.Statement` records:

* attributions come from the ``quotes.rules.v2`` backend (:mod:`crossnews.extract.quotes`);
* the speaker span is resolved as a reader resolves it: pronouns to the most salient referent that agrees in
  gender and number (recent, a subject or a speaker rather than a name inside another phrase or quote: after
  Lappin and Leass), surnames and titles to the full name met earlier ("Lavrov" → "Sergey Lavrov", "the
  secretary" → "John Kerry", "the diplomat" → the one in foreign affairs), "the broadcaster" or "the movement"
  to the organisation met before; anonymous sources ("a senior US State Department official") become
  first-class speakers that a later "the official" refers back to; countries and institutions can speak;
  documents do not: "an FSB statement", "HRW's report", "the statement" speak for their author;
* ``nested_in`` points to the statement whose content holds this statement's cue (chains can be deeper), or to
  the report that relays it beyond the sentence (:func:`relays`, :func:`relayed_by`: "X, Putin said, TASS
  reports"; "citing B"; "in remarks carried by X"; a standfirst "The following is attributable to ..."; "told
  the New York Times"; "Kerry told me" in a quote is the narrator's);
* ``channel`` is read from the cue's sentence ("in a telephone call", "in an interview with ... on Channel One").
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from crossnews.clean.metadata import find_outlet
from crossnews.core.nlp import doc_text, sentence_of
from crossnews.core.records import Cue, Document, Span, Speaker, Statement
from crossnews.extract.attribution import (
    ANONYMITY,
    ANONYMOUS_HEADS,
    RawAttribution,
    find_attributions,
    find_quotes,
    find_single_quotes,
)
from crossnews.extract.attribution.base import _trim
from crossnews.extract.entities import NOT_PERSON_WORDS, TITLE_PREFIX, entity_key
from crossnews.extract.names import full_given_name, is_place, name_gender, skeleton

__all__ = ["extract_statements", "SpeakerRef", "resolve_speakers", "enclosing", "relays", "relayed_by",
           "CHANNEL_PATTERN"]

#: common nouns for a person, who may own the "his" or "her" that follows them
_PERSON_NOUNS = frozenset("""man woman boy girl child son daughter father mother husband wife brother sister friend
deputy officer driver passenger victim suspect soldier worker patient player student teacher doctor nurse pilot
sergeant detective agent guard prisoner""".split())
PRONOUNS = {"he", "she", "him", "her", "his", "they", "them", "their", "i", "my", "we", "our", "it", "its", "you"}
PERSONAL = {"he", "she", "him", "her", "his"}  # possessives speak in "in his words"
#: the heads of anonymous sources that are one person ("he said" can refer back to them; "they", to the others)
_ONE_PERSON = {h for h in ANONYMOUS_HEADS if not h.endswith("s") and h != "people"} | {"source"}
_HEAD_GENDER = {"spokesman": "m", "spokeswoman": "f"}
ROLE_NOUNS = {
    "secretary", "minister", "president", "premier", "chancellor", "spokesman", "spokeswoman", "spokesperson",
    "ambassador", "senator", "governor", "mayor", "chairman", "chairwoman", "chair", "director", "general",
    "commander", "envoy", "diplomat", "leader", "king", "queen", "prince", "chief", "head", "prosecutor", "judge",
    "candidate", "nominee", "congressman", "congresswoman", "lawmaker", "representative", "official",
    "councillor", "councilor", "councilman", "councilwoman", "alderman",
}
#: plural nouns for groups of people that "they" can refer back to ("a number of Arab journalists ... they say")
GROUP_NOUNS = {
    "official", "source", "journalist", "reporter", "expert", "analyst", "diplomat", "resident", "witness",
    "lawmaker", "legislator", "leader", "activist", "investigator", "researcher", "scientist", "doctor", "critic",
    "protester", "protestor", "member", "observer", "employee", "worker", "operative", "militant", "fighter",
    "soldier", "minister", "colleague", "partner", "prosecutor", "judge", "voter", "citizen", "survivor", "relative",
    "victim", "lawyer", "attorney", "economist", "aide", "adviser", "advisor", "spokesman", "spokeswoman",
    "spokesperson", "representative", "negotiator", "authority", "campaigner", "organiser", "organizer",
}
_WEEKDAY = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
#: documents and recordings: never speakers themselves; their author is, when the text names one
DOCUMENT_NOUNS = {
    "statement", "release", "communique", "communiqué", "readout", "report", "document", "memo", "memorandum",
    "letter", "analysis", "assessment", "investigation", "study", "survey", "recording", "transcript", "excerpt",
    "summary", "note", "post", "tweet", "video", "footage", "review", "filing", "declaration", "message", "email",
    "bulletin", "notice", "dossier", "estimate", "account", "accounts", "version", "headline", "article", "editorial",
    "op-ed", "column", "cable", "briefing", "paper", "findings", "evaluation", "audit", "probe", "inquiry",
}
#: documents whose "of" names their author ("a statement of the ministry", "excerpts of a document"), unlike "an
#: analysis of the recording"
_OF_AUTHOR = {"statement", "recording", "transcript", "excerpt", "video", "footage", "account", "accounts", "version",
              "message", "letter", "remarks", "declaration", "communique", "communiqué", "readout", "tweet", "post"}
_DOCUMENT_CHANNEL = re.compile(r"\b(?:in|through|via|with)\s+(?:an?|the|its|his|her|their)\s+(?:[\w-]+\s+){0,2}?"
                               r"(?:statement|press\s+release|release|communiqu[eé]|readout|letter|memo|post|tweet|"
                               r"report|document|message|email|notice|declaration|bulletin)\b", re.I)
#: verbs that make their agent a document's author ("the summary released by the OPCW")
AUTHORING_VERBS = {"release", "issue", "publish", "conduct", "carry", "prepare", "write", "produce", "compile", "sign",
                   "post", "make", "draft", "commission", "put", "send", "deliver", "read"}
#: words that make a name a body's ("Jamal Foundation"), besides those of NOT_PERSON_WORDS
_BODY_WORDS = frozenset("""foundation institute group university college school association center centre company
corp corporation inc ltd bank fund trust times news post press network media club league team""".split())

#: nouns a report uses for a person it has named, to avoid repeating the name ("the billionaire said")
PERSON_EPITHETS = frozenset("""billionaire magnate tycoon mogul founder co-founder entrepreneur businessman
businesswoman star actor actress singer rapper skater athlete gymnast footballer teenager""".split())
_AGED = re.compile(r"\b\d{1,3}-year-old\b")

#: nouns for an organisation that "the <noun>" refers back to ("the broadcaster", "the movement", "the tribunal")
ORG_ROLE_NOUNS = {
    "broadcaster", "network", "channel", "station", "publication", "newspaper", "paper", "outlet", "daily", "agency",
    "movement", "group", "organisation", "organization", "tribunal", "court", "watchdog", "ministry", "department",
    "embassy", "alliance", "company", "body", "army", "military", "navy", "party", "government", "service",
    "committee", "council", "office", "bureau", "commission", "union", "bloc", "coalition", "authority", "board",
}
#: what a media word may name: any news outlet the gazetteer knows
_MEDIA_WORDS = {"broadcaster", "network", "channel", "station", "publication", "newspaper", "paper", "outlet", "daily",
                "agency"}
#: how many sentences back a pronoun may still find what it refers to by salience
SALIENCE_WINDOW = 6
#: a role noun that refers back to a person titled otherwise: "the diplomat" after "Foreign Minister Marov"
ROLE_FAMILIES = {"diplomat": {"diplomat", "ambassador", "envoy"}}
#: a title in foreign affairs makes its holder "the diplomat" ("Foreign Minister", "Foreign Ministry Spokeswoman",
#: "Secretary of State"; not "Prime Minister")
_DIPLOMATIC = re.compile(r"\b(?:foreign|secretary\s+of\s+state|state\s+department|embassy|diplomatic)\b", re.I)
#: an organisation's press service or office speaks as the organisation ("the press service of the Ukrainian Navy")
_PRESS_OFFICE = re.compile(r"^(?:the\s+)?press\s+(?:service|office|centre|center|department)\s+of\s+", re.I)
INSTITUTION_HEADS = {
    "ministry", "department", "government", "office", "council", "committee", "agency", "administration",
    "commission", "party", "campaign", "company", "parliament", "court", "army", "military", "embassy", "kremlin",
    "cabinet", "senate", "house", "congress", "duma", "union", "alliance", "organization", "organisation",
    "service", "bureau", "authorities", "police", "newspaper", "network", "channel", "institute",
}
CHANNEL_PATTERN = re.compile(
    r"\bby\s+(?:tele)?phone\b|\bby\s+e-?mail\b|\bby\s+text\s+message\b|\bby\s+video\s+link\b|"
    r"\b(?:in|during|at|on|via|through)\s+(?:an?|the|his|her|their|its|a\s+joint|private|closed-door)?\s*"
    r"(?:(?!(?:that|which|who)\b)[\w’'-]+\s+){0,3}?"
    r"(?:interview|telephone\s+call|phone\s+call|call|statement|press\s+conference|news\s+conference|briefing|"
    r"speech|address|letter|post|tweet|talks|meeting|negotiations|op-ed|article|memo|communiqu[eé]|readout|"
    r"podcast|broadcast|programme|program|hearing|testimony|email|message|video|television|radio|twitter|"
    r"facebook|telegram|x|channel|account|page|website|blog|feed|show|column|newsletter|livestream|social\s+media)\b"
    r"(?:\s+(?:with|to|on|at|for|in)\s+[^,.;]{1,80}?)?(?=[,.;]|\s+(?:that|on\s+(?:monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday))\b|$)",
    re.I,
)


@dataclass
class SpeakerRef:
    """A resolved speaker within a document: an entity key and what names it."""

    key: str
    name: str
    type: str
    anonymous: bool = False
    description: str | None = None
    head: str = ""
    titles: set[str] = field(default_factory=set)


def _key(name: str, type_: str) -> str:
    return entity_key(name, type_)


@dataclass
class _Mention:
    start: int
    end: int
    ref: SpeakerRef
    subject: bool = False  # the mention is its clause's subject ("Vostal spoke to Dalenko")
    role: int = 0  # the salience of its grammatical role: subject 80, object 50, oblique 40, other 0
    embedded: bool = False  # inside another noun phrase ("comments of Theresa May", "May's spokesman")
    plural: bool = False


def _grammar(tok: Any) -> tuple[int, bool]:
    """The salience weight of a mention's grammatical role (subject 80, object 50, oblique 40, else 0) and whether
    it is embedded in another noun phrase, read from its head token (names, titles and appositions climb to the
    phrase they belong to: "The spokeswoman, Maria Zakharova, said")."""
    t = tok
    for _ in range(8):
        if t.dep_ in ("compound", "appos", "flat", "conj", "nmod") and t.head.i != t.i \
                and t.head.pos_ in ("NOUN", "PROPN"):
            t = t.head
        else:
            break
    dep = t.dep_
    if dep in ("nsubj", "nsubjpass", "csubj"):
        return 80, False
    if dep in ("dobj", "dative", "attr", "oprd"):
        return 50, False
    if dep == "pobj":
        if t.head.dep_ == "agent":  # "was told by Kerry": the subject in meaning
            return 80, False
        return 40, t.head.head.pos_ in ("NOUN", "PROPN", "PRON", "NUM")
    if dep == "poss":
        return 0, True
    return 0, False


FEMININE = {"she", "her", "hers", "herself"}
MASCULINE = {"he", "him", "his", "himself"}
_GENDERED_WORDS = {"mrs": "f", "ms": "f", "miss": "f", "madam": "f", "spokeswoman": "f", "chairwoman": "f",
                   "congresswoman": "f", "businesswoman": "f", "mr": "m", "spokesman": "m", "chairman": "m",
                   "congressman": "m", "businessman": "m"}


class _Context:
    """Mentions of people, organisations and anonymous sources met so far, in text order."""

    def __init__(self, sdoc: Any, doc_id: str) -> None:
        self.sdoc = sdoc
        self.doc_id = doc_id
        self.people: list[_Mention] = []
        self.by_surname: dict[str, SpeakerRef] = {}
        self.anonymous: list[_Mention] = []
        self.orgs: list[_Mention] = []
        self.anon_count = 0
        text = doc_text(sdoc)
        self.quotes = sorted(find_quotes(text) + find_single_quotes(text))
        self.sent_starts = [sent.start_char for sent in sdoc.sents]
        self.contents: list[tuple[int, int]] = []  # the contents of the statements found, set by the caller
        self.sources: list[tuple[int, int]] = []  # and their sources
        self.documents: list[tuple[int, SpeakerRef | None]] = []  # documents met: where, and their author
        self.groups: list[_Mention] = []  # plural groups of people named by a common noun ("Arab journalists")
        for ent in sdoc.ents:
            if (ent.label_ == "PERSON" and len(ent.text.split()) >= 1) or _named_role(ent) or _honoured(ent) or (
                    len(ent) >= 2 and all(t.pos_ == "PROPN" for t in ent) and name_gender(ent.text) is not None):
                # (a full name with a common given name, whatever the small model tagged it: "María Corina
                # Machado" as ORG)
                self.add_person(ent)
            elif ent.label_ in ("ORG", "GPE", "NORP"):
                role, embedded = _grammar(ent.root)
                self.orgs.append(_Mention(ent.start_char, ent.end_char, self._org_ref(ent),
                                          role >= 80, role, embedded,
                                          ent.root.tag_ in ("NNS", "NNPS") and ent.label_ != "GPE"))
        for chunk in sdoc.noun_chunks:
            root = chunk.root
            if root.tag_ == "NNS" and root.lemma_.lower() in GROUP_NOUNS and not root.ent_type_:
                role, embedded = _grammar(root)
                words = [t for t in chunk if t.dep_ not in ("det", "poss") and not t.is_punct]
                if words:
                    # with what follows the noun: "leaders of the United States, France and Germany"
                    skip = {t.i for c in root.children if c.dep_ in ("acl", "relcl", "appos") for t in c.subtree}
                    tail = [t for t in root.subtree if t.i > root.i and t.i not in skip]
                    end = tail[-1].idx + len(tail[-1].text) if tail and not tail[-1].is_punct else \
                        root.idx + len(root.text)
                    if end - words[0].idx > 80:
                        end = root.idx + len(root.text)
                    name = doc_text(sdoc)[words[0].idx:end]
                    ref = SpeakerRef(_key(name, "DESC"), name, "DESC", description=name, head=root.lower_)
                    self.groups.append(_Mention(chunk.start_char, chunk.end_char, ref, role >= 80, role, embedded,
                                                True))
        # a bare surname of a person named elsewhere in full is that person, whatever the small model tagged it
        # ("Vostal spoke to ..." tagged ORG)
        for ent in sdoc.ents:
            if ent.label_ in ("ORG", "GPE", "NORP") and len(ent) == 1:
                bare = self.by_surname.get(ent.text.lower())  # (never a first word: "Russian" is no "Russian Duma")
                if bare is not None and len(bare.name.split()) > 1:
                    ref = bare
                    role, embedded = _grammar(ent.root)
                    self.people.append(_Mention(ent.start_char, ent.end_char, ref,
                                                ent.root.dep_ in ("nsubj", "nsubjpass"), role, embedded))
                    self.orgs = [o for o in self.orgs if o.start != ent.start_char]
        self.people.sort(key=lambda m: m.start)
        self.gender = self._genders()

    def _genders(self) -> dict[str, str]:
        """Each person's grammatical gender as the document shows it: a sentence that names one person only and
        refers back with "she"/"her" (or "he"/"his"), or "Ms"/"spokeswoman" next to the name. Unknown: absent."""
        votes: dict[str, list[int]] = {}
        text = doc_text(self.sdoc)
        for ref in {m.ref.key: m.ref for m in self.people}.values():
            by_name = name_gender(ref.name)
            if by_name is not None:
                votes.setdefault(ref.key, [0, 0])[0 if by_name == "f" else 1] += 3
        for m in self.people:
            before = text[max(0, m.start - 15):m.start].lower().split()
            word = before[-1].strip(".,") if before else ""
            if word in _GENDERED_WORDS:
                votes.setdefault(m.ref.key, [0, 0])[0 if _GENDERED_WORDS[word] == "f" else 1] += 2
        for sent in self.sdoc.sents:
            refs = {m.ref.key for m in self.people if sent.start_char <= m.start < sent.end_char}
            if len(refs) != 1:
                continue
            first = min(m.end for m in self.people if sent.start_char <= m.start < sent.end_char)
            # (a possessive after a person named by a common noun may be theirs: "Cheek said the deputy was near the
            # end of his shift")
            other = min((t.idx for t in sent if t.idx >= first and t.pos_ == "NOUN" and t.lemma_.lower() in
                         _PERSON_NOUNS), default=sent.end_char)
            words = {t.lower_ for t in sent if t.idx >= first and (t.dep_ != "poss" or t.idx < other)}
            f, m_ = bool(words & FEMININE), bool(words & MASCULINE)
            if f != m_:
                votes.setdefault(next(iter(refs)), [0, 0])[0 if f else 1] += 1
        return {k: ("f" if v[0] > v[1] else "m") for k, v in votes.items() if v[0] != v[1]}

    def gender_of(self, ref: SpeakerRef) -> str | None:
        return self.gender.get(ref.key) or _HEAD_GENDER.get(ref.head) or (
            name_gender(ref.name) if ref.type == "PERSON" else None)

    def sentence_at(self, pos: int) -> int:
        return bisect.bisect_right(self.sent_starts, pos) - 1

    def quote_at(self, pos: int) -> tuple[int, int] | None:
        return next((q for q in self.quotes if q[0] <= pos < q[1]), None)

    def salience(self, start: int, role: int, embedded: bool, pos: int, *, speaker: bool = False) -> float:
        """How present a mention at ``start`` still is to a reader at ``pos`` (after Lappin and Leass): recency,
        its grammatical role, whether it stands alone or inside another phrase, whether it was a speaker; halved
        inside a quote that ``pos`` is not in and for every sentence since. Nothing past a few sentences."""
        distance = self.sentence_at(pos) - self.sentence_at(start)
        if distance < 0 or distance > SALIENCE_WINDOW:
            return 0.0
        score = 100.0 + role + (0 if embedded else 80) + (60 if speaker else 0)
        quote = self.quote_at(start)
        if quote is not None and not quote[0] <= pos < quote[1]:
            score /= 2
        elif any(a <= start < b and not a <= pos < b for a, b in self.contents) and not speaker:
            score /= 2  # named in what someone else said: what was said about, not who speaks (unless speaking
            # there: "According to their information, Machado said, ...")
        return score * 0.5 ** distance

    def occasion(self, pos: int) -> set[str]:
        """The weekdays named in the sentence at ``pos`` ("said in a statement Wednesday")."""
        i = self.sentence_at(pos)
        start = self.sent_starts[i] if i >= 0 else 0
        end = self.sent_starts[i + 1] if i + 1 < len(self.sent_starts) else len(doc_text(self.sdoc))
        return {m.group(0).lower() for m in _WEEKDAY.finditer(doc_text(self.sdoc), start, end)}

    def _org_ref(self, ent: Any) -> SpeakerRef:
        # (without an acronym's bracket the parser took in: "the UK Civil Aviation Authority (CAA")
        name = re.sub(r"\s*\([A-Z]{2,6}\)?$", "", re.sub(r"^(?:the|The)\s+", "", ent.text))
        type_ = "ORG" if ent.label_ in ("ORG", "NORP") else "GPE"
        return SpeakerRef(_key(name, type_), name, type_)

    def named_in_full(self, first: str) -> list[SpeakerRef]:
        """The people this text names in full whose first word is ``first`` (lower-cased), each once."""
        found = {r.key: r for r in self.by_surname.values()
                 if len(r.name.split()) > 1 and r.name.split()[0].lower() == first}
        return list(found.values())

    def looks_personal(self, name: str) -> bool:
        """Whether a name of two or three capitalised words is a person's by its first word, the given name of a
        person this text names in full ("Jamal Elshayyal" beside "Jamal Khashoggi"), and no word of a body."""
        words = name.split()
        return 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) \
            and not any(w.lower() in NOT_PERSON_WORDS | _BODY_WORDS for w in words) \
            and any(r.name != name for r in self.named_in_full(words[0].lower()))

    def named(self, word: str) -> SpeakerRef | None:
        """The person a single name stands for: the one with that surname, else the one person named in full who
        has it first (a family name written first: "Wang Wenbin" ... "Wang said")."""
        word = word.lower()
        ref = self.by_surname.get(word)
        if ref is None and not is_place(word):  # ("Jordan" beside "Jordan Bardella" is the country)
            firsts = self.named_in_full(word)
            if len(firsts) == 1:
                ref = self.by_surname[word] = firsts[0]
        return ref

    def add_person(self, ent: Any) -> SpeakerRef | None:
        """Register a person's mention (a tagged name, or a titled name the small model did not tag as a person,
        "Councillor Mira Quist", found as a source), with the titles printed before it, so that "the councillor"
        and "she" later in the text find them; the person, or ``None`` for a name that is no person's."""
        title = TITLE_PREFIX.match(ent.text)
        name = ent.text[title.end():] if title else ent.text
        name = re.sub(r"\s*[’']s?$", "", name.strip())  # a possessive: "Lavrov's", "Harris'" (not the s of "Vos")
        if not name or any(w.lower() in NOT_PERSON_WORDS for w in name.split()) or re.search(r"[’']s\s", name):
            # "Putin's Kremlin" is a thing the person has, not the person
            return None  # the small model sometimes tags places and bodies as people
        parts = name.split()
        surname = parts[-1].lower()
        ref = self.named(surname) if len(parts) == 1 else self.by_surname.get(surname)
        if ref is not None and len(parts) == 2 and _other_given_name(parts[0], ref.name):
            ref = None  # "Arunendra Kumar" after "Madhuresh Kumar": another person; a bare "Kumar" is the latest
        if ref is None or (len(parts) > 1 and len(ref.name.split()) == 1):
            if ref is not None:  # a full name after an earlier bare surname: upgrade it
                ref.name = name
                ref.key = _key(name, "PERSON")
            else:
                ref = SpeakerRef(_key(name, "PERSON"), name, "PERSON")
            self.by_surname[surname] = ref
        # titles printed before the name in the same phrase ("Secretary of State John Kerry")
        left = self.sdoc[max(0, ent.start - 6) : ent.start]
        for tok in [*left, *(t for t in ent if title and t.idx < ent.start_char + title.end())]:
            if tok.lower_ in ROLE_NOUNS:
                ref.titles.add(tok.lower_)
        if left and ref.titles and _DIPLOMATIC.search(doc_text(self.sdoc)[left.start_char:ent.start_char]):
            ref.titles.add("diplomat")
        subject = ent.root.dep_ in ("nsubj", "nsubjpass") or (ent.root.dep_ == "compound"
                                                             and ent.root.head.dep_ in ("nsubj", "nsubjpass"))
        role, embedded = _grammar(ent.root)
        bisect.insort(self.people, _Mention(ent.start_char, ent.end_char, ref, subject, role, embedded),
                      key=lambda m: m.start)
        return ref

    def person_before(self, pos: int, *, title: str | None = None) -> SpeakerRef | None:
        """The person last named before ``pos`` (with ``title``, when given). For a title, a person named as the
        subject of a clause in the last 400 characters wins over one named later as an object ("Vostal spoke to
        Foreign Minister Dalenko ... the minister said" is Vostal's)."""
        family = ROLE_FAMILIES.get(title, {title}) if title is not None else set()
        found = [m for m in self.people if m.end <= pos and (title is None or family & m.ref.titles)]
        if not found:
            return None
        if title is not None:
            recent_subjects = [m for m in found if m.subject and pos - m.end <= 400]
            if recent_subjects and recent_subjects[-1].ref is not found[-1].ref:
                return recent_subjects[-1].ref
        return found[-1].ref

    def person_titled(self, title: str) -> SpeakerRef | None:
        """The one person of the text who holds ``title`` (as printed before a name: "Foreign Minister Sergei
        Lavrov"), or None when none or several do."""
        family = ROLE_FAMILIES.get(title, {title})
        found = {m.ref.key: m.ref for m in self.people if family & m.ref.titles}
        return next(iter(found.values())) if len(found) == 1 else None

    def bracketed(self, pos: int) -> bool:
        """Whether ``pos`` lies inside brackets opened in its sentence."""
        i = self.sentence_at(pos)
        before = doc_text(self.sdoc)[self.sent_starts[i] if i >= 0 else 0:pos]
        return before.count("(") > before.count(")")

    def person_in(self, start: int, end: int, skip: Sequence[tuple[int, int]] = ()) -> SpeakerRef | None:
        """The first person named within ``[start, end)``, outside the ``skip`` ranges and outside brackets ("Arunendra
        Kumar, chairman of the Railway Board (and not related to Madhuresh Kumar),")."""
        text = doc_text(self.sdoc)
        for m in self.people:
            if start <= m.start and m.end <= end and not any(a <= m.start < b for a, b in skip):
                before = text[start:m.start]
                if before.count("(") > before.count(")"):
                    continue
                return m.ref
        return None

    def org_at(self, pos: int, end: int | None = None) -> SpeakerRef | None:
        """The organisation, country or people named at ``pos``; when the name runs past ``end`` (the small model
        took a following word in: "Palestinians Say"), only its part before ``end``."""
        for m in self.orgs:
            if m.start <= pos < m.end:
                if end is not None and m.end > end > m.start:
                    name = re.sub(r"^(?:the|The)\s+", "", doc_text(self.sdoc)[m.start:end].strip(" ,"))
                    if name:
                        return SpeakerRef(_key(name, m.ref.type), name, m.ref.type)
                return m.ref
        return None

    def org_described(self, words: list[str]) -> SpeakerRef | None:
        """The one organisation of the text whose full name (three words or more) holds every word of a
        description ("An international tribunal ... the International Tribunal for the Law of the Sea"), or None
        when none does or more than one does."""
        if not words:
            return None
        text = doc_text(self.sdoc)
        found = {m.ref.key: m.ref for m in self.orgs if m.ref.type == "ORG" and len(m.ref.name.split()) >= 3
                 and set(words) <= {w.lower() for w in re.findall(r"[\w-]+", text[m.start:m.end])}}
        return next(iter(found.values())) if len(found) == 1 else None

    def new_anonymous(self, description: str, head: str, pos: int) -> SpeakerRef:
        """A new anonymous source, unless the same phrase already introduced one (it told and then added)."""
        same = next((m.ref for m in self.anonymous if m.start == pos), None)
        if same is not None:
            return same
        self.anon_count += 1
        ref = SpeakerRef(f"anon:{self.doc_id}:{self.anon_count}", description, "ANONYMOUS", anonymous=True,
                         description=description, head=head)
        self.anonymous.append(_Mention(pos, pos, ref))
        return ref

    def anonymous_before(self, pos: int, head: str) -> SpeakerRef | None:
        for m in reversed(self.anonymous):
            if m.start <= pos and (m.ref.head == head or m.ref.head.rstrip("s") == head.rstrip("s")):
                return m.ref
        return None


def _named_role(ent: Any) -> bool:
    """A full name the small model tagged otherwise, set beside a person's role: "its minister, Janek Holt"."""
    root = ent.root
    return ent.label_ in ("ORG", "GPE", "NORP") and len(ent) >= 2 and all(t.pos_ == "PROPN" for t in ent) \
        and root.dep_ == "appos" and root.head.lower_ in ROLE_NOUNS | ANONYMOUS_HEADS


#: a courtesy title printed before a name: whoever bears it is a person
_HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame"}


def _honoured(ent: Any) -> bool:
    """A name the small model tagged a body or a place, printed after a courtesy title: "Mr Blok said"."""
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    return ent.label_ in ("ORG", "GPE", "NORP") and before is not None and before.lower_.rstrip(".") in _HONORIFICS \
        and all(t.pos_ == "PROPN" for t in ent)


def _source_tokens(sdoc: Any, frag: tuple[int, int]) -> list[Any]:
    span = sdoc.char_span(frag[0], frag[1], alignment_mode="expand")
    return list(span) if span is not None else []


def _resolve(ctx: _Context, sdoc: Any, att: RawAttribution, previous: list[tuple[RawAttribution, SpeakerRef | None]],
             enclosing: SpeakerRef | None, outer_cue: int | None = None) -> SpeakerRef | None:
    """The speaker of ``att``; ``enclosing`` is the speaker of the statement reporting it, whose cue ends at
    ``outer_cue``."""
    if att.source is None:
        return None
    s, e = att.source
    if "source_text" in att.extras:  # a standfirst, which cleaning may have blanked out of the parse
        return _named_source(ctx, sdoc, str(att.extras["source_text"]), s)
    text = doc_text(sdoc)[s:e]
    toks = _source_tokens(sdoc, att.source)
    if not toks:
        return None
    head = sdoc[att.source_head] if att.source_head is not None else toks[-1]
    subject = next((c for c in head.children if c.dep_ == "nsubj"), None) if head.pos_ in ("VERB", "AUX") else None
    if subject is not None and s <= subject.idx < e:
        # a clause for a source ("The statement went on | to claim ..."): its subject speaks
        return _resolve(ctx, sdoc, dataclasses.replace(att, source=_phrase(subject), source_head=subject.i),
                        previous, enclosing, outer_cue)
    if head.tag_ in ("WP", "WDT") and head.head.dep_ == "relcl":
        # "the official, who said ...": the source is the relative pronoun; the speaker is its antecedent
        antecedent = head.head.head
        left = antecedent.left_edge
        phrase = (left.idx, antecedent.idx + len(antecedent.text))
        return _resolve(ctx, sdoc, dataclasses.replace(att, source=phrase, source_head=antecedent.i), previous,
                        enclosing, outer_cue)
    low = text.lower().strip()
    # pronouns
    if low in PRONOUNS:
        if low in ("i", "we", "my", "our") and enclosing is not None:
            return enclosing
        clash = "m" if low in FEMININE else "f" if low in MASCULINE else None
        if low in PERSONAL and enclosing is not None and enclosing.type == "PERSON" \
                and ctx.gender_of(enclosing) != clash and outer_cue is not None and outer_cue <= s \
                and not re.search(r"[\"“”«»\n]", doc_text(sdoc)[outer_cue:s]) \
                and not any(m.subject and outer_cue <= m.start < s for m in ctx.people):
            # "Pell told the Gazette he expected a vote": in indirect speech after the cue, with no one else as a
            # subject in between, the one reporting speaks of himself
            return enclosing
        if low in PERSONAL:
            # inside a quote, the one quoted speaks of himself as "I": "he" is someone else
            narrator = enclosing if enclosing is not None and ctx.quote_at(s) is not None else None
            return _person_antecedent(ctx, att, previous, clash, narrator)
        if low in ("they", "it", "their", "its", "them"):
            return _thing_antecedent(ctx, sdoc, att, previous, plural=low in ("they", "their", "them"))
        if low in ("i", "we", "my", "our") and (ctx.quote_at(s) is not None or _opens_quote(doc_text(sdoc), s)):
            # a quote with no reporting clause of its own continues the last quoted speaker
            text_ = doc_text(sdoc)
            quoted = [r for p, r in previous if r is not None and (
                p.kind in ("direct", "mixed") or text_[p.content_span[0]:p.content_span[0] + 1] in _OPEN_QUOTES)]
            return quoted[-1] if quoted else None
        return None
    # "Whitlow's spokesman, Ian Creel": the possessor is not the speaker
    owners = [(k.left_edge.idx, k.right_edge.idx + len(k.right_edge.text)) for k in head.children if k.dep_ == "poss"]
    clauses = [(k.left_edge.idx, k.right_edge.idx + len(k.right_edge.text)) for k in head.children
               if k.dep_ in ("acl", "relcl")]
    words = [t for t in toks if t.pos_ != "PUNCT" and not t.is_space
             and not any(a <= t.idx < b for a, b in (*owners, *clauses))]
    head_word = head.lower_
    if head.lemma_.lower() in DOCUMENT_NOUNS and head.pos_ == "NOUN" and head.ent_type_ not in ("ORG", "PERSON"):
        # a document speaks for its author: "an FSB statement", "HRW's report", "an investigation by Channel 4",
        # "the statement" (the last document met); with no author named, it stays a description
        author = _author(ctx, sdoc, att, head, previous, enclosing, outer_cue)
        if author is not None:
            ctx.documents.append((s, author))
            return author
        if words and words[0].lower_ in ("a", "an"):
            ctx.documents.append((s, None))
    # the head names a person met before ("Lavrov", "Secretary Kerry") or an organisation or country
    if head.pos_ == "PROPN" or (head.tag_ == "MD" and head.text[:1].isupper()):  # "May said": a name
        known = ctx.named(head.lower_)
        ent = next((e for e in sdoc.ents if e.start <= head.i < e.end and e.label_ == "PERSON"), None)
        given = [t.lower_ for t in ent if t.i < head.i and t.is_alpha] if ent is not None else []
        if known is not None and all(g in known.name.lower().split() for g in given):
            return known  # (not "Arunendra Kumar" for the "Madhuresh Kumar" met before)
    # "the Orvan envoy, Kasim Tell": the name set beside the head, not a modifier the small model took for a name;
    # and never a name inside a clause about the head ("documents seen by the Gazette", "the aide who met Kerry")
    appos = [c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
    # of "the army and the prime minister", the first named speaks
    conjuncts = [(k.left_edge.idx, k.right_edge.idx + len(k.right_edge.text)) for k in head.children
                 if k.dep_ == "conj"]
    beside = next((p for c in appos if (p := ctx.person_in(c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text)))
                   is not None), None)
    if beside is not None and head.lower_ in ROLE_NOUNS | ANONYMOUS_HEADS:
        return beside  # "A spokesman for the IOC, Mark Adams,": named, so not anonymous
    # "The Mayor of Leeds", "the Senator for Queensland": the place a role is held for names no one (the small
    # model takes a place after "Mayor of" for a person)
    held_for = [(k.left_edge.idx, k.right_edge.idx + len(k.right_edge.text)) for k in head.children
                if k.dep_ == "prep" and k.lower_ in ("of", "for")
                and head.lower_ in ROLE_NOUNS | ANONYMOUS_HEADS | {"mp"}]
    person = beside or ctx.person_in(s, e, [*owners, *clauses, *conjuncts, *held_for])
    if person is not None and (head.ent_type_ == "PERSON" or head.pos_ == "PROPN"):
        return person
    for named in (head, *appos):  # "The developer, Halberg Group,": the organisation named beside the head
        org = ctx.org_at(named.idx, e) if named.ent_type_ in ("ORG", "GPE", "NORP") else None
        if org is not None and org.type == "ORG" and ctx.looks_personal(org.name):
            # "Al Jazeera's Jamal Elshayyal", tagged a body, has the given name of a person of this text
            return SpeakerRef(_key(org.name, "PERSON"), org.name, "PERSON")
        if org is not None:
            return org
    determiner = words[0].lower_ if words else ""
    has_proper = any(t.pos_ == "PROPN" for t in words)
    # anonymous and descriptive sources
    if head_word in ANONYMOUS_HEADS and (determiner in ("a", "an", "one", "two", "three", "several", "some")
                                        or not has_proper or head_word in ("source", "sources")):
        if determiner in ("the", "that", "this", "these", "those"):
            earlier = ctx.anonymous_before(s, head_word)
            if earlier is not None:
                return earlier
        if determiner in ("a", "an", "one", "two", "three", "several", "some", "") or head_word.startswith("source"):
            description = _description(sdoc, att.source)
            return ctx.new_anonymous(description, head_word, s)
    # role nouns: "the secretary", "the Foreign Minister"
    if determiner == "the" and head_word in ROLE_NOUNS and not has_proper:
        ref = ctx.person_before(s, title=head_word)
        if ref is not None:
            return ref
    # a country's role, often in the opening line before the name: "Russia's foreign minister has alleged ...",
    # then "Sergei Lavrov said": the one person of the text with that title
    if owners and head_word in ROLE_NOUNS and not has_proper and all(
            t.ent_type_ in ("GPE", "NORP") or t.pos_ in ("PART", "PUNCT", "DET") for t in toks if t.idx < owners[0][1]):
        ref = ctx.person_titled(head_word)
        if ref is not None:
            return ref
    # an epithet for someone the text is about, read as "he" or "she" would be: "the 51-year-old business
    # magnate", "the Tesla founder", "the billionaire" (a name inside it may only be a body's: "Tesla")
    if determiner == "the" and (head_word in PERSON_EPITHETS or _AGED.search(text)) and not any(
            t.pos_ == "PROPN" and t.ent_type_ not in ("ORG", "GPE", "NORP", "PRODUCT") for t in words):
        ref = _person_antecedent(ctx, att, previous, None, None, named=True)
        if ref is not None:
            return ref
    # "the broadcaster", "the movement": the organisation met before that the noun fits
    if determiner == "the" and head_word in ORG_ROLE_NOUNS and not has_proper and all(
            t.is_lower and not t.ent_type_ for t in words[1:]):
        ref = _org_antecedent(ctx, sdoc, s, head_word, previous)
        if ref is not None:
            return ref
    if head_word in INSTITUTION_HEADS:
        own = text[:conjuncts[0][0] - s].rstrip() if conjuncts and conjuncts[0][0] > head.idx else text
        own = re.sub(r"\s*,?\s+(?:and|or)$", "", own)  # "the army and the prime minister": the army
        name = re.sub(r"^(?:the|The)\s+", "", _PRESS_OFFICE.sub("", own))  # "the press service of the Navy": the Navy
        return SpeakerRef(_key(name, "ORG"), name, "ORG")
    if person is not None:
        return person
    title = TITLE_PREFIX.match(text)
    if title and head.pos_ == "PROPN" and all(t.pos_ == "PROPN" for t in words[1:]):
        # "Councillor Mira Quist", a titled name the small model did not tag as a person
        name = sdoc.char_span(s, s + len(text.rstrip(" ,")), alignment_mode="contract")
        titled = ctx.add_person(name) if name is not None and len(name) else None
        if titled is not None:
            return titled
    if has_proper and not (head.pos_ == "NOUN" and head_word in ROLE_NOUNS
                           and not any(t.ent_type_ == "PERSON" for t in words)):
        # (a role whose only names are places or bodies is a person described: "the top U.S. envoy to the U.N.")
        name = re.sub(r"^(?:the|The)\s+", "", text)
        type_ = "ORG" if any(t.ent_type_ in ("ORG", "NORP") for t in words) or head.pos_ != "PROPN" or (
            name.isupper() and len(name) >= 2) else "PERSON"  # an acronym ("The ITLOS urged") is a body
        proper = [t.text for t in words if t.pos_ == "PROPN"]
        if type_ == "ORG" and head.pos_ == "PROPN" and (name_gender(" ".join(proper)) is not None
                                                         or ctx.looks_personal(" ".join(proper))):
            # "Opposition leader María Corina Machado", whose given name the model took for a body; "Al
            # Jazeera's Jamal Elshayyal", whose given name a person of this text has ("Jamal Khashoggi")
            type_ = "PERSON"
        # "Vladimir Putin's spokesman": one person, whom a later "he" may mean (see _one_person)
        return SpeakerRef(_key(name, type_), name, type_, head=head_word if head.pos_ == "NOUN" else "")
    if head.pos_ in ("NOUN", "PROPN"):
        if ANONYMITY.search(sentence_of(head).text):  # "two engineers, speaking on condition of anonymity, said"
            return ctx.new_anonymous(_description(sdoc, att.source), head_word, s)
        # "An international tribunal on Saturday urged ...": the body the text names in full elsewhere
        if determiner in ("a", "an", "the") and head.pos_ == "NOUN":
            described = ctx.org_described([t.lower_ for t in words[1:] if t.i <= head.i and t.is_alpha])
            if described is not None:
                return described
        # a description keeps its indefinite article ("a British-Palestinian surgeon"), and ends before an aside
        # set off by a dash or a bracket after its head
        cut = head.idx + len(head.text) - s
        core = text[:cut] + re.split(r"\s+(?:--|—|–)\s+|\s*\(", text[cut:])[0]
        name = re.sub(r"^(?:the|The)\s+", "", core.strip(" ,;:"))
        return SpeakerRef(_key(name, "DESC"), name, "DESC", description=core.strip(" ,;:"), head=head_word)
    return None


def _named_source(ctx: _Context, sdoc: Any, phrase: str, pos: int) -> SpeakerRef | None:
    """The speaker a standfirst names, read from its words alone: an unnamed source ("a Senior State Department
    Official"), the author of a document ("a statement from the Kremlin"), a person met in the text, or a body."""
    phrase = re.sub(r"\s+", " ", phrase).strip(" ,.")
    author = re.match(r"(?:an?|the)\s+(?:[\w-]+\s+){0,2}?(?:statement|readout|release|transcript|communiqu[eé])\s+"
                      r"(?:from|by|of)\s+(.+)$", phrase, re.I)
    if author:
        phrase = author.group(1)
    words = phrase.split()
    if not words:
        return None
    head = words[-1].lower()
    if words[0].lower() in ("a", "an", "one", "two", "several", "some") and (
            head in ANONYMOUS_HEADS or head.rstrip("s") in ANONYMOUS_HEADS):
        return ctx.new_anonymous(phrase, head, pos)
    known = ctx.named(head)
    if known is not None:
        return known
    name = re.sub(r"^(?:the|The)\s+", "", phrase)
    return SpeakerRef(_key(name, "ORG"), name, "ORG")


def _can_speak(tok: Any) -> bool:
    """Whether a noun phrase's head can name a speaker: a name, a pronoun, a person, a group or a body."""
    lemma = tok.lemma_.lower()
    return tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or tok.pos_ in ("PRON", "PROPN") or lemma in GROUP_NOUNS \
        or lemma in ROLE_NOUNS or tok.lower_ in ANONYMOUS_HEADS or lemma in INSTITUTION_HEADS or lemma in ORG_ROLE_NOUNS


def _phrase(tok: Any) -> tuple[int, int]:
    """A noun phrase's span without its relative clauses and participles ("a document seen by AFP")."""
    skip = {t.i for c in tok.children if c.dep_ in ("acl", "relcl", "appos") for t in c.subtree}
    toks = [t for t in tok.subtree if t.i not in skip and not t.is_punct] or [tok]
    if toks[-1].tag_ == "POS" and len(toks) > 1:  # "HRW's"
        toks = toks[:-1]
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _author(ctx: _Context, sdoc: Any, att: RawAttribution, head: Any,
            previous: list[tuple[RawAttribution, SpeakerRef | None]], enclosing: SpeakerRef | None,
            outer_cue: int | None, depth: int = 0) -> SpeakerRef | None:
    """The author of a document named as a source: its possessor ("HRW's report", "their joint statement"), the
    one it is by, from or of ("an investigation by Channel 4 News", "a statement from the Kremlin", "a recording of
    one Hamas official"), the one who released it ("the summary released by the OPCW"), a name before it ("an FSB
    statement", "the Ukrainian navy statement", "a US intelligence assessment"); for "the statement", "the
    document", the author of the last document the text named or the speaker who last spoke in one."""

    def speaker_of(tok: Any) -> SpeakerRef | None:
        if tok.lemma_.lower() in DOCUMENT_NOUNS and tok.pos_ == "NOUN" and depth < 2:
            return _author(ctx, sdoc, att, tok, previous, enclosing, outer_cue, depth + 1)
        if not (_can_speak(tok) or (tok.pos_ == "NOUN" and tok.head.lower_ in ("by", "from"))):
            return None  # "by"/"from" name the author, whatever noun it is ("a report by a sound laboratory")
        sub = dataclasses.replace(att, source=_phrase(tok), source_head=tok.i)
        return _resolve(ctx, sdoc, sub, previous, enclosing, outer_cue)

    for k in head.children:
        if k.dep_ == "poss":
            return speaker_of(k)
    of = [c for k in head.children if k.dep_ == "prep" and k.lower_ == "of" for c in k.children if c.dep_ == "pobj"]
    for k in [*head.children, *(c for o in of for c in o.children if c.dep_ == "prep" and c.lower_ == "by")]:
        # "of" names the one recorded or quoted ("a recording of one official"), but what an analysis is about
        if k.dep_ == "prep" and (k.lower_ in ("by", "from")
                                 or (k.lower_ == "of" and head.lemma_.lower() in _OF_AUTHOR)):
            obj = next((c for c in k.children if c.dep_ == "pobj"), None)
            ref = speaker_of(obj) if obj is not None else None
            if ref is not None:
                return ref
        if k.dep_ == "acl" and k.lemma_.lower() in AUTHORING_VERBS:
            agent = next((c for c in k.children if c.dep_ == "agent"), None)
            obj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            ref = speaker_of(obj) if obj is not None else None
            if ref is not None:
                return ref
    # the name before the head: from its first proper word to the head ("Ukrainian navy", "US intelligence")
    lefts = [t for t in head.subtree if t.i < head.i]
    first = next((t for t in lefts if t.pos_ == "PROPN" or t.ent_type_ in ("ORG", "GPE", "NORP")), None)
    if first is not None and all(t.dep_ in ("compound", "amod", "nmod", "punct") or t.pos_ == "PROPN"
                                 for t in sdoc[first.i:head.i]) and first.tag_ != "POS":
        run = sdoc[first.i:head.i]
        text = run.text.strip()
        org = ctx.org_at(first.idx, run.end_char)
        if org is not None and org.name == text.removeprefix("the ").removeprefix("The "):
            return org
        known = ctx.named(text) if len(run) == 1 else None
        if known is not None:
            return known
        return SpeakerRef(_key(text, "ORG"), text, "ORG")
    if head.i > 0 and sdoc[head.i - 1].lower_ in ("the", "this", "that") or any(
            c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children):
        s = att.source[0] if att.source is not None else head.idx
        met = [(pos, ref) for pos, ref in ctx.documents if pos < s]
        for p, r in previous:  # "Pompeo said in an official press release ... The press release reinforced"
            if r is not None and p.source is not None and p.cue[0] < s and p.cue_token >= 0:
                sent = sentence_of(sdoc[p.cue_token])
                for m in _DOCUMENT_CHANNEL.finditer(doc_text(sdoc), sent.start_char, sent.end_char):
                    if not any(f[0] <= m.start() < f[1] for f in p.content):
                        met.append((p.cue[0], r))
        if met:
            return max(met, key=lambda x: x[0])[1]
    return None


def _org_antecedent(ctx: _Context, sdoc: Any, s: int, noun: str,
                    previous: list[tuple[RawAttribution, SpeakerRef | None]]) -> SpeakerRef | None:
    """The organisation "the <noun>" refers back to: the most salient one before ``s`` whose own phrase holds the
    noun ("the Hamas movement" for "the movement", "the news network Al Jazeera" for "the broadcaster"'s network),
    or, for a media noun, a news outlet the gazetteer knows."""
    text = doc_text(sdoc)
    scores: dict[str, list[Any]] = {}

    def consider(ref: SpeakerRef, phrase: str, pos: int, value: float) -> None:
        words = set(re.findall(r"[\w-]+", phrase.lower()))
        fits = noun in words or (noun in _MEDIA_WORDS and (words & _MEDIA_WORDS or find_outlet(ref.name)))
        if fits and ref.type in ("ORG", "GPE"):
            _credit(ctx, scores.setdefault(ref.key, [0.0, -1, ref, {}]), pos, value)

    for p, r in previous:
        if r is not None and p.source is not None and p.source[0] < s:
            consider(r, text[p.source[0]:p.source[1]], p.source[0], ctx.salience(p.source[0], 80, False, s,
                                                                                  speaker=True))
    for m in ctx.orgs:
        if m.end <= s:
            tok = sdoc.char_span(m.start, m.end, alignment_mode="expand")
            root = tok.root if tok is not None else None
            phrase = text[m.start:m.end]
            if root is not None and root.dep_ in ("appos", "compound") and root.head.pos_ in ("NOUN", "PROPN"):
                phrase = text[root.head.left_edge.idx:root.head.idx + len(root.head.text)] + " " + phrase
            elif tok is not None:  # "the Qatar-based news network Harbour Vision", however parsed
                i = tok.start
                while i > 0 and tok.start - i < 6 and (sdoc[i - 1].pos_ in ("NOUN", "ADJ", "PROPN", "DET", "NUM")
                                                       or sdoc[i - 1].tag_ in ("HYPH", "VBN")):
                    i -= 1
                phrase = text[sdoc[i].idx:m.end]
            consider(m.ref, phrase, m.start, ctx.salience(m.start, m.role, m.embedded, s))
    return _best(scores)


_OPEN_QUOTES = {'"', "“", "‘", "'", "«"}


def _opens_quote(text: str, pos: int) -> bool:
    """Whether ``pos`` lies in a paragraph that opens with a quote mark not closed before ``pos``."""
    line = text.rfind("\n", 0, pos) + 1
    before = text[line:pos].lstrip()
    return bool(before) and before[0] in "\"“‘'«" and not re.search(r"[”’»]|\"", before[1:])


def _one_person(ref: SpeakerRef) -> bool:
    """Whether a speaker is one person: a named one, or one named by a singular role ("a spokesman", "Vladimir
    Putin's spokesman")."""
    return ref.type == "PERSON" or ref.head in _ONE_PERSON


def _credit(ctx: _Context, entry: list[Any], pos: int, value: float) -> None:
    """Add a mention's salience to its referent's: within one sentence the best mention counts, not their sum (a
    name repeated in one sentence is no more present than once); across sentences they add up."""
    per_sentence: dict[int, float] = entry[3]
    sentence = ctx.sentence_at(pos)
    best = max(per_sentence.get(sentence, 0.0), value)
    entry[0] += best - per_sentence.get(sentence, 0.0)
    per_sentence[sentence] = best
    entry[1] = max(entry[1], pos)


def _best(scores: dict[str, list[Any]]) -> SpeakerRef | None:
    """The candidate with the highest salience (the latest mentioned on a tie); when every candidate lies beyond
    the salience window, the latest mentioned."""
    if not scores:
        return None
    top = max(scores.values(), key=lambda v: (v[0], v[1]))
    if top[0] <= 0:
        top = max(scores.values(), key=lambda v: v[1])
    return top[2]  # type: ignore[no-any-return]


def _person_antecedent(ctx: _Context, att: RawAttribution, previous: list[tuple[RawAttribution, SpeakerRef | None]],
                       clash: str | None, narrator: SpeakerRef | None = None, *, named: bool = False
                       ) -> SpeakerRef | None:
    """The person a "he"/"she" speaker refers back to, as a reader takes it: the most salient person before it
    (recent, a subject or a speaker rather than someone named inside another phrase or someone else's quote)
    whose gender does not clash; never someone named only inside the statement's own content. ``named``: only
    people named in full (a one-word "person" may be a body the small model took for one: "Musk and Twitter")."""
    assert att.source is not None
    s = att.source[0]

    def own(pos: int) -> bool:  # in the statement's own quoted words ("'... Putin ...,' he said")
        return ctx.quote_at(pos) is not None and any(f[0] <= pos < f[1] for f in att.content)

    scores: dict[str, list[Any]] = {}

    def add(ref: SpeakerRef, pos: int, value: float) -> None:
        if (clash is not None and ctx.gender_of(ref) == clash) or (narrator is not None and ref.key == narrator.key) \
                or (named and len(ref.name.split()) < 2):
            return
        entry = scores.setdefault(ref.key, [0.0, -1, ref, {}])
        _credit(ctx, entry, pos, value)

    spoken: list[tuple[tuple[int, int], SpeakerRef]] = []
    days = ctx.occasion(att.cue[0])
    for p, r in previous:
        if r is not None and p.source is not None and p.source[0] < s and _one_person(r) and not own(p.source[0]):
            spoken.append((p.source, r))
            same_day = bool(days & ctx.occasion(p.cue[0]))  # "said Wednesday" ... "said in a statement Wednesday"
            add(r, p.source[0], ctx.salience(p.source[0], 80, False, s, speaker=True) + (100 if same_day else 0))
    for m in ctx.people:
        if m.end > s or own(m.start):
            continue
        if any(a <= m.start < b and r.key == m.ref.key for (a, b), r in spoken):
            continue  # counted as the speaker
        # the source of a statement nested in another, whose speaker is resolved after the outer ones, still spoke;
        # a name in brackets in it did not ("Arunendra Kumar, chairman of the Railway Board (and not related to
        # Madhuresh Kumar), told reporters")
        aside = ctx.bracketed(m.start)
        speaker = not aside and any(a <= m.start < b for a, b in ctx.sources if b <= s)
        add(m.ref, m.start, ctx.salience(m.start, m.role, m.embedded or aside, s, speaker=speaker))
    return _best(scores)


def _thing_antecedent(ctx: _Context, sdoc: Any, att: RawAttribution,
                      previous: list[tuple[RawAttribution, SpeakerRef | None]], *, plural: bool) -> SpeakerRef | None:
    """The organisation, country or group an "it"/"they" speaker refers back to: the most salient one before it
    that agrees in number ("it" is never "Sanad's analysts"; "they" prefers a group, and takes an organisation or
    a country at half weight)."""
    assert att.source is not None
    s = att.source[0]

    def own(pos: int) -> bool:  # in the statement's own quoted words ("'... Putin ...,' he said")
        return ctx.quote_at(pos) is not None and any(f[0] <= pos < f[1] for f in att.content)

    scores: dict[str, list[Any]] = {}

    def add(ref: SpeakerRef, pos: int, value: float, is_plural: bool) -> None:
        named = ref.type in ("ORG", "GPE", "NORP")
        if ref.type == "PERSON" or (ref.anonymous and ref.head in _ONE_PERSON) or (not plural and ref.anonymous):
            return
        if is_plural != plural:
            if not named:
                return
            value /= 2
        entry = scores.setdefault(ref.key, [0.0, -1, ref, {}])
        _credit(ctx, entry, pos, value)

    spoken: list[tuple[tuple[int, int], SpeakerRef]] = []
    days = ctx.occasion(att.cue[0])
    for p, r in previous:
        if r is None or p.source is None or p.source[0] >= s or own(p.source[0]):
            continue
        if r.type == "DESC" and (r.head in ROLE_NOUNS or r.head in ANONYMOUS_HEADS):
            continue
        head = sdoc[p.source_head] if p.source_head is not None else None
        is_plural = head is not None and head.tag_ in ("NNS", "NNPS") and r.type != "GPE"
        spoken.append((p.source, r))
        same_day = bool(days & ctx.occasion(p.cue[0]))
        add(r, p.source[0], ctx.salience(p.source[0], 80, False, s, speaker=True) + (100 if same_day else 0),
            is_plural)
    for m in [*ctx.orgs, *ctx.groups]:
        if m.end > s or own(m.start) or any(a <= m.start < b for (a, b), _ in spoken):
            continue
        if m.ref.type == "NORP" and (not plural or m.role == 0):
            continue  # "Israeli" in "Israeli air strikes" is no one; "it" is never a people
        add(m.ref, m.start, ctx.salience(m.start, m.role, m.embedded, s), m.plural)
    return _best(scores)


def _other_given_name(given: str, name: str) -> bool:
    """Whether a full name's first word ``given`` names someone else than the full ``name`` with the same surname:
    another given name, not a spelling of it ("Sergey" / "Sergei") nor its initial ("J." / "John")."""
    words = name.split()
    if len(words) != 2 or not given[:1].isupper() or not words[0][:1].isupper():
        return False  # (titles, particles and middle names left to the surname: "bin Salman", "Duma Deputy Yuri X")
    first = words[0]
    if given.rstrip(".").lower() == first.rstrip(".").lower() or skeleton(full_given_name(given)) == skeleton(
            full_given_name(first)):
        return False  # (a spelling, or a short form: "Mike" / "Michael")
    if (given.endswith(".") or len(given) == 1 or first.endswith(".") or len(first) == 1) \
            and given[:1].lower() == first[:1].lower():
        return False
    return True


def _description(sdoc: Any, frag: tuple[int, int]) -> str:
    """An anonymous source's description: its phrase, with "who spoke on condition of anonymity" and the like."""
    text = doc_text(sdoc)
    desc = text[frag[0]:frag[1]]
    tail = text[frag[1]:frag[1] + 120]
    m = re.match(r",\s*(who [^,.]{3,80})", tail)
    if m:
        desc = f"{desc}, {m.group(1)}"
    return re.sub(r"\s+", " ", desc).strip(" ,;:")


def _channel(sdoc: Any, att: RawAttribution, within: tuple[int, int] | None = None) -> str | None:
    """A channel named in the cue's sentence outside the content, nearest to the cue; for a statement reported
    inside another one, only within the outer statement's content."""
    sent = sentence_of(sdoc[att.cue_token]) if att.cue_token >= 0 else None
    if sent is None:
        return None
    text = doc_text(sdoc)
    lo, hi = sent.start_char, sent.end_char
    if within is not None:
        lo, hi = max(lo, within[0]), min(hi, within[1])
    best: tuple[int, str] | None = None
    cue = sdoc[att.cue_token]
    # the verb whose clause the channel must hang in: the cue's, or for "..., adding that" / "and added" the verb
    # it continues ("said in a post on X ..., adding that ...")
    owner = cue.head if cue.tag_ == "VBG" or cue.dep_ == "conj" else cue
    for m in CHANNEL_PATTERN.finditer(text, lo, hi):
        if any(m.start() < f[1] and f[0] < m.end() for f in att.content):
            continue  # inside (or running into) what was said
        tok = sdoc.char_span(m.start(), m.start() + 1, alignment_mode="expand")
        if tok is not None and owner.dep_ != "ROOT" and owner not in tok[0].ancestors and tok[0] != owner:
            continue  # another clause's ("Zelensky's comments, delivered in an evening address, came hours after
            # an official said ..."): not how the cue's speaker said it
        dist = abs(m.start() - att.cue[0])
        phrase = re.sub(r"\s+", " ", m.group(0)).strip(" ,")
        if best is None or dist < best[0]:
            best = (dist, phrase)
    return best[1] if best else None


_ANAPHOR = re.compile(r"\b(?:made|issued|delivered|repeated|voiced|expressed)\s+(?:the|his|her|their|this|these)\s+"
                      r"(?:demand|remarks?|comments?|statement|call|appeal|request|point|case|warning|pledge|offer)s?\b",
                      re.I)


def _follow_up_channel(sdoc: Any, att: RawAttribution, ref: SpeakerRef | None) -> str | None:
    """'Kerry called on Russia to ... . Kerry made the demand in a telephone call with ...': the next sentence of
    the paragraph names the channel of the statement before it."""
    if ref is None or att.cue_token < 0:
        return None
    sent = sentence_of(sdoc[att.cue_token])
    if sent.end >= len(sdoc):
        return None
    nxt = sentence_of(sdoc[sent.end])
    if "\n" in doc_text(sdoc)[sent.end_char:nxt.start_char]:
        return None
    first_words = nxt.text.split()[:4]
    names = {ref.name.split()[-1].lower(), "he", "she", "they"} if ref.type == "PERSON" else {ref.name.lower()}
    if not any(w.strip(",").lower() in names for w in first_words) or not _ANAPHOR.search(nxt.text):
        return None
    m = CHANNEL_PATTERN.search(nxt.text)
    return re.sub(r"\s+", " ", m.group(0)).strip(" ,") if m else None


def _statement_id(doc_id: str, att: RawAttribution) -> str:
    digest = hashlib.sha1(f"{doc_id}:{att.cue[0]}:{att.cue[1]}".encode()).hexdigest()[:10]
    return f"st-{digest}"


def resolve_speakers(doc: Document, sdoc: Any, atts: list[RawAttribution],
                     outers: list[list[int]] | None = None) -> list[SpeakerRef | None]:
    """The speaker of each attribution, in order (``None`` where the text names none); ``outers`` gives
    :func:`enclosing` for each attribution when the caller has it already."""
    ctx = _Context(sdoc, doc.id)
    ctx.contents = [f for a in atts for f in a.content]
    ctx.sources = [a.source for a in atts if a.source is not None]
    # outer statements first, so a nested "I"/"we" can take the enclosing speaker
    if outers is None:
        outers = [enclosing(atts, i) for i in range(len(atts))]
    order = sorted(range(len(atts)), key=lambda i: (len(outers[i]), atts[i].cue[0]))
    refs: dict[int, SpeakerRef | None] = {}
    for i in order:
        outer = outers[i]
        reporter = refs.get(outer[-1]) if outer else None
        previous = sorted(((atts[j], refs[j]) for j in refs), key=lambda x: x[0].cue[0])
        previous = [p for p in previous if p[0].cue[0] < atts[i].cue[0]]
        refs[i] = _resolve(ctx, sdoc, atts[i], previous, reporter, atts[outer[-1]].cue[1] if outer else None)
    for i, att in enumerate(atts):
        if refs[i] is None and att.source is None:
            # "Asked about it, Peskov said ...": a second cue of the same words with no source of its own has the
            # speaker of the one that has one
            same = next((refs[j] for j, other in enumerate(atts) if j != i and refs[j] is not None
                         and other.content_span == att.content_span), None)
            refs[i] = same
    return [refs[i] for i in range(len(atts))]


def enclosing(atts: list[RawAttribution], i: int) -> list[int]:
    """Indices of the attributions whose content holds attribution ``i``'s cue, or which report it ("X was quoted
    by the paper as saying ..."), outermost first."""
    cue, token = atts[i].cue, atts[i].cue_token
    holders = [j for j, a in enumerate(atts) if j != i and (
        any(f[0] <= cue[0] and cue[1] <= f[1] for f in a.content) or (token >= 0 and a.extras.get("reports") == token))]
    return sorted(holders, key=lambda j: -(atts[j].content_span[1] - atts[j].content_span[0]))


#: verbs that report what someone said, for reports the rules left inside another's content or unlinked
_RELAY_LEMMAS = {"say", "report", "tell", "state", "add", "write", "claim", "announce", "insist", "confirm"}
#: a paragraph that attributes all that follows it: "The following is attributable to a Senior State Department
#: Official:", "According to a statement from the Kremlin:"
_STANDFIRST = re.compile(
    r"^[ \t]*(?P<cue>(?:The\s+following\s+(?:is|was|are)\s+(?:attributable|attributed)\s+to|According\s+to|"
    r"Below\s+is\s+(?:a|the)\s+(?:statement|readout|transcript)\s+(?:from|by|of)|Following\s+is\s+(?:a|the)\s+"
    r"(?:statement|readout|transcript)\s+(?:from|by|of)|(?:The\s+)?(?:full\s+)?(?:text|readout)\s+of\s+(?:a|the)\s+"
    r"statement\s+(?:from|by|of)))\s+(?P<source>[^\n:]{3,120}?)\s*:[ \t]*$", re.M)
_CARRIERS = {"carry", "quote", "publish", "report", "air", "broadcast", "cite", "relay", "share", "release",
             "provide", "post", "circulate", "leak"}
_REMARK_NOUNS = {"remark", "remarks", "comment", "comments", "statement", "interview", "words", "quote", "quotes",
                 "speech", "briefing", "discussion", "conversation", "call", "audio", "tape", "clip"} | DOCUMENT_NOUNS
#: what a quote before "read" can be: '"...," read the headline'
_READ_NOUNS = {"headline", "statement", "sign", "caption", "banner", "tweet", "post", "message", "note", "letter",
               "placard", "slogan", "poster", "notice", "text", "title", "chyron", "inscription", "email"}
_CONDITIONAL = re.compile(r"(?:that\s+)?(?:if|when|unless|once|as\s+soon\s+as)\b", re.I)


#: the press as a whole, which reports as an outlet does ("..., officials said, local media reported"); spaCy
#: lemmatises "media" as "medium"
_PRESS_WORDS = {"media", "press"}


def _speaks(tok: Any) -> bool:
    return tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or tok.pos_ in ("PROPN", "PRON") \
        or tok.lemma_.lower() in GROUP_NOUNS or tok.lower_ in ANONYMOUS_HEADS or tok.lemma_.lower() in ROLE_NOUNS \
        or tok.lemma_.lower() in INSTITUTION_HEADS or tok.lemma_.lower() in ORG_ROLE_NOUNS \
        or (tok.lower_ in _PRESS_WORDS and tok.pos_ == "NOUN")


def _np(tok: Any) -> tuple[int, int]:
    toks = [t for t in tok.subtree if not t.is_punct or t.i not in (tok.left_edge.i, tok.right_edge.i)]
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def relays(sdoc: Any, atts: list[RawAttribution], original: str | None = None) -> list[RawAttribution]:
    """The attributions with the reports a reader sees around them that the rules did not give:

    * a reporting clause after a comma whose own content is what comes before it ("X, Putin said ..., TASS
      reports"; "A Hamas official has said X, the New York Times reported on Sunday"), so that the reports it
      holds nest in it;
    * "A reported that X, citing B": B's statement X, inside A's report (``extras["via_cue"]``);
    * "X said in remarks carried by the news agencies that ...": the carrier's report holding X's statement;
    * a standfirst ("The following is attributable to a senior official:") attributing all that follows it,
      looked for in ``original`` (the document's own text: cleaning may have set the standfirst apart as a lede).
    """
    text = doc_text(sdoc)
    cue_tokens = {a.cue_token for a in atts}
    cue_starts = {a.cue[0] for a in atts}
    out = list(atts)
    added: list[RawAttribution] = []
    for tok in sdoc:
        if tok.lemma_.lower() not in _RELAY_LEMMAS or tok.tag_ not in ("VBD", "VBZ", "VBP", "VBN") \
                or tok.i in cue_tokens or tok.idx in cue_starts:
            continue
        subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subject is None or not _speaks(subject) or subject.i > tok.i or subject.tag_ in ("WP", "WDT"):
            continue
        comma = subject.left_edge.i - 1
        sent = sentence_of(tok)
        if comma <= sent.start or sdoc[comma].text != ",":
            continue
        after = [c for c in tok.children if c.i > tok.i and not c.is_punct]
        if any(c.dep_ not in ("prep", "npadvmod", "advmod", "agent") and c.i not in cue_tokens for c in after):
            continue  # the clause reports something of its own after the verb
        clause = next((c for c in tok.children if c.dep_ == "ccomp" and c.i < tok.i), None)
        start = clause.left_edge.idx if clause is not None and clause.left_edge.i >= sent.start else sent.start_char
        content = _trim(text, (start, sdoc[comma].idx))
        if len(text[content[0]:content[1]].split()) < 4:
            continue
        end = tok.idx + len(tok.text)
        quoted = any(c in text[content[0]:content[1]] for c in "\"“”«»")
        added.append(RawAttribution((tok.idx, end), (content,), _np(subject), "relay-trailing", 0.7,
                                    tok.lemma_.lower(), subject.i, tok.i, "mixed" if quoted else "indirect"))
    for att in atts:
        if att.cue_token < 0 or att.source is None:
            continue
        sent = sentence_of(sdoc[att.cue_token])
        for tok in sent:
            inside = any(f[0] <= tok.idx < f[1] for f in att.content)
            if tok.lemma_.lower() == "cite" and tok.tag_ == "VBG" and not inside and tok.i > att.cue_token:
                obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
                if obj is not None and _speaks(obj):
                    cited = att.content_span
                    lead = re.match(r"that\s+", text[cited[0]:cited[1]])
                    body = (cited[0] + (lead.end() if lead else 0), cited[1])
                    out = [a for a in out if a.cue_token != tok.i]
                    added.append(RawAttribution((tok.idx, tok.idx + len(tok.text)), (body,), _np(obj),
                                                "relay-citing", 0.7, "cite", obj.i, tok.i, att.kind,
                                                {"via_cue": att.cue[0]}))
            if tok.lemma_.lower() in _CARRIERS and tok.dep_ == "acl" and not inside \
                    and tok.head.lemma_.lower() in _REMARK_NOUNS and tok.i not in cue_tokens:
                agent = next((c for c in tok.children if c.dep_ == "agent"), None)
                obj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
                if obj is not None and _speaks(obj):
                    whole = (min(att.source[0], att.cue[0]), max(att.content_span[1], att.cue[1]))
                    added.append(RawAttribution((tok.idx, tok.idx + len(tok.text)), (whole,), _np(obj),
                                                "relay-carried", 0.7, tok.lemma_.lower(), obj.i, tok.i, att.kind))
    quotes = sorted(find_quotes(text) + find_single_quotes(text))
    for tok in sdoc:  # '"Strike Kills Hundreds," read the initial Times headline.'
        if tok.lower_ in ("read", "reads") and tok.i not in cue_tokens and tok.idx not in cue_starts:
            doc_noun = next((c for c in tok.children if c.dep_ in ("dobj", "nsubj") and c.i > tok.i
                             and c.lemma_.lower() in _READ_NOUNS), None)
            quote = next((q for q in quotes if q[1] <= tok.idx and not text[q[1]:tok.idx].strip(" ,")), None)
            if doc_noun is not None and quote is not None:
                added.append(RawAttribution((tok.idx, tok.idx + len(tok.text)), (quote,), _np(doc_noun),
                                            "relay-read", 0.7, "read", doc_noun.i, tok.i, "direct"))
    page = original if original is not None and len(original) == len(text) else text
    for m in _STANDFIRST.finditer(page):
        rest = text[m.end():].strip()
        if not rest or len(rest.split()) < 5:
            continue
        begin = m.end() + (len(text[m.end():]) - len(text[m.end():].lstrip()))
        finish = len(text.rstrip())
        nxt = _STANDFIRST.search(page, m.end())
        if nxt is not None:
            finish = len(text[:nxt.start()].rstrip())
        source = (m.start("source"), m.end("source"))
        added.append(RawAttribution((m.start("cue"), m.end("cue")), ((begin, finish),), source, "relay-standfirst",
                                    0.9, "attribute", None, -1, "direct", {"source_text": m.group("source")}))
    out = [_whole_conditional(sdoc, a) for a in out]
    if not added and out == atts:
        return atts
    return sorted([*out, *added], key=lambda a: a.cue[0])


def _whole_conditional(sdoc: Any, att: RawAttribution) -> RawAttribution:
    """A content that stops after a condition ("that if this was done by Russia") runs on to the consequence
    the clause has ("..., then the response will be such that ..."): a condition alone is not what was said."""
    text = doc_text(sdoc)
    if len(att.content) != 1:
        return att
    start, end = att.content[0]
    if not _CONDITIONAL.match(text[start:end]) or not text[end:end + 3].lstrip().startswith(","):
        return att
    first = sdoc.char_span(start, end, alignment_mode="expand")
    if first is None:
        return att
    clause = first[0].head if first[0].lower_ == "that" else first[0].head.head
    if clause.right_edge.idx + len(clause.right_edge.text) <= end or clause.sent != first[0].sent:
        return att
    stop = _trim(text, (start, clause.right_edge.idx + len(clause.right_edge.text)))[1]
    return dataclasses.replace(att, content=((start, stop),)) if stop > end else att


def relayed_by(sdoc: Any, atts: list[RawAttribution], outers: list[list[int]],
               speakers: list[SpeakerRef | None]) -> list[list[int]]:
    """``outers`` with the relays a reader infers beyond the sentence (each a one-element list where there was
    none): a statement told to a news outlet whose report this text carries ("Hamad told the New York Times ...")
    is in that report; a news outlet's report in the first paragraph that holds someone's statement relays that
    speaker's later statements too ("... Putin said, TASS reports. '...,' Putin said."); a first-person account
    in a quote with no reporting clause ("Kerry told me that ...") is the last quoted speaker's."""
    text = doc_text(sdoc)
    out = [list(o) for o in outers]
    outlets = {i for i, r in enumerate(speakers) if r is not None and r.type in ("ORG", "PERSON") and (
        find_outlet(r.name) is not None or re.search(r"\b(?:news|agency|times|post|press|tv|radio)\b", r.name, re.I)
        or atts[i].cue_lemma.split()[0] == "report"
        or bool(set(re.findall(r"\w+", text[slice(*(atts[i].source or (0, 0)))].lower())) & _MEDIA_WORDS))}
    first_para = text.find("\n\n", next((a.cue[0] for a in atts), 0))
    quotes = sorted(find_quotes(text) + find_single_quotes(text))
    for i, att in enumerate(atts):
        if out[i] or att.cue_token < 0:
            continue
        sent = sentence_of(sdoc[att.cue_token])
        # told to an outlet: "told the New York Times", "in a text message to the publication"
        heard = [c for c in sdoc[att.cue_token].children if c.dep_ in ("dative", "dobj")]
        heard += [c for t in sent if t.lower_ == "to" and not any(q[0] <= t.idx < q[1] for q in quotes)
                  for c in t.children if c.dep_ == "pobj"]
        for tok in heard:
            phrase = text[tok.left_edge.idx:tok.right_edge.idx + len(tok.right_edge.text)].lower()
            noun = tok.lemma_.lower()
            # (an outlet named is its report wherever the text gives it: "told the Reuters news agency on Saturday.
            # ... , Reuters reported"; "the agency" is the one met before)
            told = [j for j in sorted(outlets) if j != i and speakers[j] is not None
                    and ((speakers[j].name.lower().removeprefix("the ") in phrase  # type: ignore[union-attr]
                          and not _outer_of(outers, j, i))
                         or (noun in _MEDIA_WORDS and atts[j].cue[0] < att.cue[0]))]
            # "the channel": the outlet whose name says channel, else the one that reported first
            named = [j for j in told if noun in speakers[j].name.lower()]  # type: ignore[union-attr]
            if told:
                out[i] = [(named or told)[0]]
                break
        if out[i]:
            continue
        # the lede's outlet relays the speaker it reported
        ref = speakers[i]
        for j in sorted(outlets):
            if ref is None or atts[j].cue[0] > first_para or atts[j].cue[0] >= att.cue[0]:
                continue
            held = [k for k, o in enumerate(outers) if o and o[-1] == j]
            if any(speakers[k] is not None and speakers[k].key == ref.key for k in held):  # type: ignore[union-attr]
                out[i] = [j]
                break
        if out[i]:
            continue
        # a first-person account in an unattributed quote: the narrator's
        me = any(t.lower_ in ("me", "us") and t.head.i == att.cue_token for t in sent)
        quote = next((q for q in quotes if q[0] <= att.cue[0] < q[1]), None)
        if me and (quote is not None or _opens_quote(text, att.cue[0])):
            narrated = [j for j in range(i) if not out[j] and speakers[j] is not None and atts[j].cue[0] < att.cue[0]
                        and (atts[j].kind in ("direct", "mixed")
                             or text[atts[j].content_span[0]:atts[j].content_span[0] + 1] in _OPEN_QUOTES)]
            if narrated:
                out[i] = [narrated[-1]]
    return out


def _outer_of(outers: list[list[int]], j: int, i: int) -> bool:
    """Whether statement ``j`` is nested (at any depth) in statement ``i``."""
    seen = set()
    while outers[j] and j not in seen:
        seen.add(j)
        j = outers[j][-1]
        if j == i:
            return True
    return False


_SHORT_VERB = re.compile(r"[^aeiou]*[aeiou][^aeiouwxy]")


def reported_lemma(sdoc: Any, att: RawAttribution) -> str:
    """The cue's lemma as a reader should see it. The parser's lemma of "hoping", "hoped" and "hopes" is "hop": a
    short verb that keeps one consonant before "-ing" or "-ed" ends in a silent e (hop → hopping, hope → hoping),
    and so does one whose "-s" is "-es" (hops, hopes), so it gets its e back. A particle or preposition the lemma
    took in but that the cue's final extent left out ("wrote", not "write to") is dropped. The models keep reading
    the parser's lemma: they were trained on it."""
    head, *extra = att.cue_lemma.split()
    if att.cue_token >= 0 and _SHORT_VERB.fullmatch(head):
        form = sdoc[att.cue_token].lower_
        if form in (head + "ing", head + "ed") or (form == head + "es" and head[-1] not in "sz"):
            head += "e"
    words = re.findall(r"\w+", doc_text(sdoc)[att.cue[0]:att.cue[1]].lower())
    return " ".join([head, *(w for w in extra if w in words)])


#: nouns that name an account without giving it: a verbless content headed by one says nothing checkable ("a
#: different take", "Trump's explanation for the collapse", "no further details")
_DISCOURSE_NOUNS = frozenset("""take explanation account version detail reason briefing conference""".split())
#: words that stand for something said before rather than say anything ("denied this", "disputes that")
_ANAPHORS = {"this", "that", "these", "those", "it", "them", "each", "other", "one", "another", "so"}


def reports_a_claim(sdoc: Any, att: RawAttribution) -> bool:
    """Whether an attribution reports something said, not only a reaction to a thing named: an indirect
    content of one or two words with no verb ("condemned the attack", "urged restraint", "denied responsibility",
    "discuss the crisis"), a content that only points back ("denied this shortly afterwards") and a content that
    is only a time ("said on Monday") name no claim a reader could check or another outlet could contradict.
    Quoted words, clauses and longer phrases are kept ("accused Russia of military aggression")."""
    if att.kind != "indirect" or len(att.content) != 1:
        return True
    start, end = att.content[0]
    toks = [t for t in sdoc.char_span(start, end, alignment_mode="expand") or () if not (t.is_punct or t.is_space)]
    if not toks:
        return False
    if any(t.pos_ in ("VERB", "AUX") or t.is_quote for t in toks):
        return True
    words = [t for t in toks if t.is_alpha or t.like_num]
    if all(t.ent_type_ in ("DATE", "TIME") for t in words):
        return False
    if len(words) <= 2:
        return False
    root = next((t for t in toks if t.head.i == t.i or not (start <= t.head.idx < end)), toks[-1])
    if root.lemma_.lower() in _DISCOURSE_NOUNS and not any(t.lower_ == "as" for t in toks):
        return False  # "offered a different take", "rejected Trump's explanation of the summit's collapse" (not
        # "described the explanation as absurd": a verdict on it)
    return not (len(words) <= 3 and words[0].lower_ in _ANAPHORS)


def _without_cycles(outers: list[list[int]]) -> list[list[int]]:
    """The nesting (each attribution's enclosing ones, innermost last) with every cycle cut: a chain of reports
    that comes back to where it started ('" said " said ": " said "', a relay read both ways) loses the link that
    closes it, so that statement is told first-hand."""
    out = [list(o) for o in outers]
    for i in range(len(out)):
        seen, j = {i}, i
        while out[j]:
            k = out[j][-1]
            if k in seen:
                out[j] = []
                break
            seen.add(k)
            j = k
    return out


#: a bare demonstrative as a source: the writer's own reading of what went before ("That contradicts the ship's
#: owner", "This seems to contradict the account", "All of this has raised fears that ...")
_DEMONSTRATIVE_SOURCE = re.compile(r"(?:all\s+(?:of\s+)?)?(?:this|that|these|those)", re.I)


def _demonstrative_source(sdoc: Any, att: RawAttribution) -> bool:
    """Whether the source is a bare demonstrative pronoun (not a relative "that": "intelligence that indicates")."""
    if att.source is None or att.source_head is None or sdoc[att.source_head].tag_ in ("WDT", "WP", "IN"):
        return False
    return bool(_DEMONSTRATIVE_SOURCE.fullmatch(doc_text(sdoc)[att.source[0]:att.source[1]].strip()))


#: cues by which a writer hedges what it tells ("appeared to misfire", "seems to have vanished")
_HEDGING_CUES = frozenset({"seem", "appear"})


def extract_statements(doc: Document, sdoc: Any) -> tuple[list[Statement], list[SpeakerRef | None]]:
    """Statements of one document (``sdoc`` parses ``doc.analysis_text()``), and their resolved speakers."""
    if len(doc_text(sdoc)) != len(doc.text):
        raise ValueError("E030: the parse must cover the analysis text, whose offsets are the document's")
    atts = [a for a in relays(sdoc, find_attributions(sdoc), doc.text) if reports_a_claim(sdoc, a)
            and not _demonstrative_source(sdoc, a)]
    # "a Soviet-era missile appeared to misfire": the writer's own hedge, no one's statement (PolNeAR annotates it
    # with the author as source; a reader of who said what does not); inside another's words it stays theirs
    atts = [a for i, a in enumerate(atts)
            if not (a.source is None and a.cue_lemma in _HEDGING_CUES) or enclosing(atts, i)]
    outers = [enclosing(atts, i) for i in range(len(atts))]
    cues = {a.cue[0]: j for j, a in enumerate(atts)}
    for i, att in enumerate(atts):  # "Interfax reported that ..., citing a port authority": the report holds it
        if not outers[i] and att.extras.get("via_cue") in cues:
            outers[i] = [cues[att.extras["via_cue"]]]
    speakers = resolve_speakers(doc, sdoc, atts, outers)
    outers = _without_cycles(relayed_by(sdoc, atts, outers, speakers))
    ids = [_statement_id(doc.id, a) for a in atts]
    statements: list[Statement] = []
    for i, (att, ref, outer) in enumerate(zip(atts, speakers, outers, strict=True)):
        speaker = Speaker(
            span=Span(*att.source) if att.source else None,
            entity=ref.key if ref else None,
            anonymous=bool(ref and ref.anonymous),
            description=ref.description if ref and (ref.anonymous or ref.type == "DESC") else None,
        )
        start, end = att.content_span
        if outer and len(att.content) == 1:
            start = _after_complementizer(sdoc, start, end)
        statements.append(Statement(
            id=ids[i],
            doc=doc.id,
            speaker=speaker,
            cue=Cue(Span(*att.cue), reported_lemma(sdoc, att)),
            content=Span(start, end),
            kind=att.kind,  # type: ignore[arg-type]
            nested_in=ids[outer[-1]] if outer else None,
            channel=_channel(sdoc, att, atts[outer[-1]].content_span if outer else None)
            or (None if outer else _follow_up_channel(sdoc, att, ref)),
            confidence=att.confidence,
            parts=tuple(Span(*f) for f in att.content) if len(att.content) > 1 else (),
        ))
    return _by_paragraph(doc, statements, speakers)


def _after_complementizer(sdoc: Any, start: int, end: int) -> int:
    """Where a relayed claim's words begin: after its complementizer ("confirmed [that] the army was behind the
    attack"). The outermost statement keeps it, as PolNeAR marks content; a nested one is what its speaker is
    reported to hold, and read with the "that" it is a piece of the clause around it."""
    span = sdoc.char_span(start, end, alignment_mode="contract")
    if span is None or len(span) < 3 or span[0].lower_ != "that" or span[0].dep_ != "mark":
        return start
    return int(span[1].idx)


def _by_paragraph(doc: Document, statements: list[Statement], speakers: list[SpeakerRef | None]
                  ) -> tuple[list[Statement], list[SpeakerRef | None]]:
    """A statement continued by quotes that make up the next paragraphs ('"A," Johnson said.' / '"B."') is one
    statement per paragraph, each with the speaker and cue: each paragraph's quote is a claim of its own, which
    another outlet may retell, quote or contradict alone. Statements nested in a later paragraph's quote are
    nested in that paragraph's statement."""
    out: list[Statement] = []
    refs: list[SpeakerRef | None] = []
    moved: dict[str, list[tuple[int, int, str]]] = {}
    for st, ref in zip(statements, speakers, strict=True):
        groups: list[list[Span]] = []
        for part in st.parts:
            if groups and "\n" not in doc.text[groups[-1][-1].end:part.start]:
                groups[-1].append(part)
            else:
                groups.append([part])
        if len(groups) < 2:
            out.append(st)
            refs.append(ref)
            continue
        for k, group in enumerate(groups):
            sid = st.id if k == 0 else f"st-{hashlib.sha1(f'{st.id}:{group[0].start}'.encode()).hexdigest()[:10]}"
            if k:
                moved.setdefault(st.id, []).append((group[0].start, group[-1].end, sid))
            out.append(dataclasses.replace(st, id=sid, content=Span(group[0].start, group[-1].end),
                                           parts=tuple(group) if len(group) > 1 else ()))
            refs.append(ref)
    if moved:
        out = [dataclasses.replace(st, nested_in=next(
            (sid for a, b, sid in moved.get(st.nested_in or "", ()) if a <= st.content.start < b), st.nested_in))
            for st in out]
    return out, refs
