"""Stage 4c — across outlets: which statements and events in different documents are about the same thing, and
how they relate (same words, agrees, adds, contradicts, retold, quoted from an earlier source, left out).

Entry function: :func:`relate`. It works on a whole :class:`~crossnews.records.Analysis` (every document in the
store) and returns :class:`~crossnews.records.Relation` records:

* **candidates** are never all pairs. Statements are put in blocks by the entities they involve (speaker and the
  entities named in what was said; a block too big for one pass is split by year, then cut into slices), and
  each statement meets only its ``k`` nearest neighbours by sentence embedding in its blocks, from other
  documents. Work grows with the number of statements times the block size cap, not with its square.
* **judgement**: every candidate pair goes to the judge (``judge.rules.v1`` by default); each relation keeps the
  judge's name, score and evidence, the spans on both sides and their attribution context: who said it, through
  whom (the chain from the outlet down to the speaker), when, in which channel, first- or second-hand, in public
  or in private. The same speaker agreeing with himself at another time is a ``retells`` (claim genealogy).
* **quotes** and **omits** come from :mod:`crossnews.align.fidelity` and :func:`omissions`; event agreement and
  date conflicts come from the timeline.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import re
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

import numpy as np

from crossnews.align.embed import Embedder, get_embedder
from crossnews.align.fidelity import quote_relations
from crossnews.align.judges import Claim, Judge, Judgement, get_judge
from crossnews.align.judges.evidence import (
    blame_keys,
    evidence_of,
    gives_toll,
    inflated_toll,
    read,
    rejected,
    report_owners,
    such_denial,
)
from crossnews.align.order import direction, moment
from crossnews.align.stories import build_stories, story_of
from crossnews.align.timeline import said_label, statement_date
from crossnews.align.words import content_words, countries, fold_name, quoted_phrases, words_of
from crossnews.core.records import Analysis, Document, Entity, Relation, Statement, TimeExpr
from crossnews.core.unionfind import UnionFind

__all__ = ["relate", "relate_iter", "relate_parts", "story_parts", "RelateOptions", "VectorCache", "VectorDict",
           "statement_context", "omissions", "texts_to_embed", "vector_key"]

PRIVATE = re.compile(r"\b(?:private|privately|closed[- ]door|behind closed doors|confidential|off the record|"
                     r"telephone|phone|call|bilateral talks|negotiations)\b", re.I)
PUBLIC = re.compile(r"\b(?:interview|statement|press conference|briefing|speech|address|television|broadcast|"
                    r"told reporters|programme|program|channel|tweet|post|news conference)\b", re.I)


#: a source that is no one ("none of their intelligence", "no evidence", "nothing"): what it reports is not asserted
_NOBODY = re.compile(r"(?:none|no one|nobody|nothing|neither|no)\b", re.I)


#: where a speaker's description goes on to the channel or the relay, which is not the side it speaks for
_RELAYED = re.compile(r"\b(?:in an? (?:statement|interview|post|message|briefing)|followed by|quoted by|cited by|"
                      r"carried by|reported by|according to|told|seen by|who|which|that)\b", re.I)


class VectorCache(Protocol):
    def get_vectors(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]: ...

    def put_vectors(self, model: str, items: dict[str, np.ndarray]) -> None: ...


@dataclass(frozen=True, slots=True)
class RelateOptions:
    k: int = 8  # nearest neighbours per statement and block
    per_document: int = 2  # and nearest per other document of the block
    min_similarity: float = 0.35  # cosine below which a pair is not judged
    block_cap: int = 2000  # statements per block slice
    min_words: int = 3  # statements shorter than this are not aligned
    per_rebuttal: int = 12  # claims of the party a statement rejects, nearest first, judged against it
    per_speaker: int = 16  # statements of one speaker in a story judged against each other however far apart
    keep_unrelated: bool = False
    max_event_sources: int = 50  # a timeline entry told by more documents links them as one group, not pairwise
    omission_share: float = 1 / 3  # omissions of an item are listed when its tellers are this share of its story
    paraphrase_similarity: float = 0.72  # cosine from which pairs the judge found unrelated still agree
    embed_group: int = 512  # statements of consecutive stories whose texts are embedded in one call


@dataclass
class _Unit:
    st: Statement
    doc: Document
    text: str
    claim: Claim
    date: str | None
    reported: str | None
    entities: frozenset[str]
    story: str
    names_report: bool = False  # its content only names another speaker's report (see _names_report)


#: the cue of a report named as a noun phrase: a report noun ("the Israeli army claim that ...", "May's claim") or
#: a participle after its teller ("an initial Hamas statement blaming Israel", "a recording of an official telling")
_NAMED_REPORT_CUE = re.compile(r"(?:claims?|statements?|reports?|allegations?|accusations?|assertions?|charges?|"
                               r"accounts?|version|narrative|suggestions?|remarks|comments|denials?|[a-z]+ing)",
                               re.IGNORECASE)


def _names_report(st: Statement, inner: Sequence[Statement], text: str) -> bool:
    """Whether ``st``'s content is only another speaker's report named as a noun phrase, told inside it
    ("Al Jazeera has disputed [the Israeli army claim that the explosion resulted from a failed rocket launch]",
    "Media outlets reported [an initial Hamas statement blaming Israel]"): what the content asserts is that
    speaker's, whose own statement stands for it; the outer speaker's stance on it (disputing, reporting) is told
    in its document."""
    for c in inner:
        if c.speaker.span is None or c.cue is None or c.speaker.span.start != st.content.start:
            continue
        if not c.speaker.entity or c.speaker.entity.startswith("desc:"):
            continue  # a party's report, not a thing the outer speaker issued ("a notification saying ...")
        if c.content.end < st.content.end - 2 or c.speaker.entity == st.speaker.entity:
            continue
        if not (0 <= c.cue.span.start - c.speaker.span.end <= 2 and 0 <= c.content.start - c.cue.span.end <= 20):
            continue  # the teller, its report and what it holds in one phrase, not a clause's subject far before
        words = c.cue.span.text_of(text).split()
        if words and _NAMED_REPORT_CUE.fullmatch(words[-1]):
            return True
    return False


def _day(value: str | None) -> str | None:
    if not value or value.startswith("--") or not value[:4].isdigit():
        return None
    return value.split("T", 1)[0]


def statement_context(st: Statement, docs: dict[str, Document], by_id: dict[str, Statement],
                      names: dict[str, str], date: str | None = None) -> dict[str, Any]:
    """Who said it, through whom, when, where: the attribution context a reader needs to weigh a statement."""
    doc = docs[st.doc]
    chain: list[str] = []
    cur: Statement | None = st
    seen: set[str] = set()
    channel = st.channel  # the statement's own; a reporter's interview is not the setting of what he reports
    while cur is not None and cur.id not in seen:
        seen.add(cur.id)
        chain.append(_speaker_name(cur, doc, names))
        cur = by_id.get(cur.nested_in) if cur.nested_in else None
    outlet = doc.outlet or doc.republisher or doc.source
    chain.append(outlet)
    chain.reverse()
    public: bool | None = None
    setting: dict[str, Any] | None = None
    if channel:
        public = False if PRIVATE.search(channel) else True if PUBLIC.search(channel) else None
    elif st.nested_in and st.nested_in in by_id and st.cue is not None:
        # "We held bilateral talks with Kerry and during these lengthy negotiations he said ...": the setting of
        # a reported statement is told in the reporting speaker's words before it
        outer = by_id[st.nested_in]
        lo = max(outer.content.start, st.cue.span.start - 300)
        window = doc.text[lo:st.cue.span.start]
        found = [(m, False) for m in PRIVATE.finditer(window)] + [(m, True) for m in PUBLIC.finditer(window)]
        if found:
            m, is_public = max(found, key=lambda x: x[0].end())
            public = is_public
            setting = {"text": m.group(0), "start": lo + m.start(), "end": lo + m.end()}
    return {
        "doc": st.doc,
        "start": st.content.start,
        "end": st.content.end,
        "text": st.content.text_of(doc.text),
        "speaker": chain[-1],
        "speaker_entity": st.speaker.entity,
        "chain": chain,
        "date": date,
        "reported": _day(doc.published),
        "channel": channel,
        "hand": "first" if st.nested_in is None else "second",
        "public": public,
        "setting": setting,
        "outlet": outlet,
    }


def speaker_side(*names: str | None) -> frozenset[str]:
    """The countries a speaker's name or title names, folded ("Gaza health ministry" and "local authorities in
    Gaza": palestine; "Russian Foreign Minister Sergey Lavrov": russia): the side a speaker speaks for, when it
    says so. Empty when it does not (a person's name alone says nothing)."""
    heads = [_RELAYED.split(n, 1)[0] for n in names if n]  # "a ministry spokesman in a statement followed by the
    words = [w for n in heads for w in re.findall(r"[A-Za-z][A-Za-z.'’-]*", n)]  # Iraqi News Agency": no Iraqi
    keys = {fold_name(w.rstrip(".")) for w in words}
    keys |= {fold_name(f"{x} {y}") for x, y in zip(words, words[1:], strict=False)}
    return countries(keys)


#: where the words just before a name stop being its title ("Russian President", "Israel's military spokesman")
_ABBREVIATION = re.compile(r"\b([A-Z][a-z]{0,3})\.")
_TITLE_STOP = re.compile(r"[.!?](?:\s|$)|[,;:()\"“”\n\d]|\b(?:and|with|to|by|from|said|told|met)\b")


def person_sides(analysis: Analysis) -> dict[str, tuple[tuple[str, ...], str]]:
    """For each person whose titles in the story name one country ("Russian President Vladimir Putin", "UK
    Foreign Secretary Boris Johnson"), the name keys a claim may call them by (the surname, folded) and that
    country. A person whose titles name no country, or two about as often, is left out: a name alone says
    nothing."""
    texts = {d.id: d.text for d in analysis.documents}
    out: dict[str, tuple[tuple[str, ...], str]] = {}
    for e in analysis.entities:
        if e.type != "PERSON":
            continue
        seen: Counter[str] = Counter()
        for m in e.mentions:
            text = texts.get(m.doc, "")
            window = _ABBREVIATION.sub(r"\1", text[max(0, m.start - 60):m.start])  # "Rear Adm.", "U.S."
            title = " ".join(_TITLE_STOP.split(window)[-1].split()[-4:])
            for country in speaker_side(title):
                seen[country] += 1
        ranked = seen.most_common(2)  # most titles, by a wide margin ("UK Prime Minister Theresa May" eight
        if not ranked or (len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]):  # times, "the Russian
            continue  # Foreign Ministry dismissed Theresa May" once)
        keys = {fold_name(n.split()[-1]) for n in (e.name, *e.aliases) if n.split()}
        keys -= countries(keys)
        if keys:
            out[e.id] = (tuple(sorted(keys)), ranked[0][0])
    return out


def _earlier(doc: Document, st: Statement, mentions: list[tuple[int, int, str]], reach: int = 400
             ) -> tuple[str, list[tuple[int, int, str]]]:
    """The text of ``doc`` up to ``reach`` characters before the statement's content, with the entity mentions in
    it at offsets into that text (what "this report" may refer back to)."""
    lo = max(0, st.content.start - reach)
    i = bisect.bisect_left(mentions, (lo, -1, ""))
    j = bisect.bisect_left(mentions, (st.content.start, -1, ""))
    return doc.text[lo:st.content.start], [(s - lo, e - lo, k) for s, e, k in mentions[i:j] if e <= st.content.start]


def _answered(st: Statement, doc: Document, told: Sequence[Statement], reach: int = 300) -> Statement | None:
    """The statement a denial that points back answers (:func:`such_denial`): the one whose content ends last
    before ``st``'s content starts, at most ``reach`` characters before it, said by another speaker, in one
    paragraph ("Ukraine's navy said it had informed Russia in advance ... but Russia said it had received no such
    report"); None when there is none."""
    ends = [s.content.end for s in told]
    for k in range(bisect.bisect_right(ends, st.content.start) - 1, -1, -1):
        prior = told[k]
        if prior.content.end < st.content.start - reach or "\n" in doc.text[prior.content.end:st.content.start]:
            return None
        if prior.id != st.id and prior.speaker.entity != st.speaker.entity and st.nested_in != prior.id:
            return prior
    return None


#: a speaker of the place the story happens in ("local authorities", "local health officials")
_LOCAL = re.compile(r"(?:the\s+)?local\b", re.IGNORECASE)
#: the services that speak where the event happened, whoever runs them ("the Hamas-run health ministry", "health
#: officials", "civil defence", "emergency services"): local speakers too when their name says no country
_SCENE_SERVICES = re.compile(r"\b(?:health\s+(?:ministry|officials?|authorities|authority|department)|civil\s+"
                             r"defen[cs]e|emergency\s+services|rescuers|paramedics|medics|hospital\s+"
                             r"(?:officials?|director|staff))\b", re.IGNORECASE)


def _local_side(named: list[tuple[int, int, str]], place_country: dict[str, frozenset[str]],
                home: frozenset[str]) -> frozenset[str]:
    """The side of a local speaker: the country of the places its claim names ("a hospital in Gaza"), else of the
    document's scene."""
    said = frozenset(c for _, _, e in named for c in place_country.get(e, ()))
    return said if len(said) == 1 else home


def _speaker_name(st: Statement, doc: Document, names: dict[str, str]) -> str:
    if st.speaker.entity and st.speaker.entity in names:
        return names[st.speaker.entity]
    if st.speaker.description:
        return st.speaker.description
    if st.speaker.span is not None:
        return st.speaker.span.text_of(doc.text)
    return "unnamed source"


def _units(analysis: Analysis, opts: RelateOptions, stories: dict[str, str]
           ) -> tuple[list[_Unit], dict[str, dict[str, Any]]]:
    docs = {d.id: d for d in analysis.documents}
    by_id = {s.id: s for s in analysis.statements}
    names = {e.id: e.name for e in analysis.entities}
    mentions: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for e in analysis.entities:
        for m in e.mentions:
            mentions[m.doc].append((m.start, m.end, e.id))
    for lst in mentions.values():
        lst.sort()
    times: dict[str, list[TimeExpr]] = defaultdict(list)
    for t in analysis.times:
        times[t.doc].append(t)
    units: list[_Unit] = []
    contexts: dict[str, dict[str, Any]] = {}
    sides = person_sides(analysis)
    # a country's report is rarely what a rejection names it for ("Russia does not give a credible response")
    places = {e.id for e in analysis.entities if e.type in ("GPE", "LOC")}
    # a country, or its people, owning a report ("Israeli statements", "the Israel army's accusations"); not one
    # that is the subject of a rejection ("Russia had failed to provide any credible explanation")
    country_of = {e.id: countries({fold_name(e.name)}) for e in analysis.entities if e.type in ("GPE", "LOC", "NORP")}
    place_country = {k: v for k, v in country_of.items() if k in places}
    # each document's scene: the country of the town or region it names most ("Gaza": palestine), not of the
    # countries it names (a story of an Israeli strike names Israel as often as the place struck)
    local = {e.id for e in analysis.entities if e.id in places and place_country[e.id]
             and fold_name(e.name) != e.name.lower()}
    home: dict[str, frozenset[str]] = {}
    for doc_id, lst in mentions.items():
        counts = Counter(c for _, _, e in lst if e in local for c in place_country[e])
        home[doc_id] = frozenset(c for c, _ in counts.most_common(1))
    answering: dict[int, str] = {}  # unit -> the statement its denial that points back answers
    told: dict[str, list[Statement]] = defaultdict(list)  # each document's statements, by where their content ends
    inner: dict[str, list[Statement]] = defaultdict(list)  # the statements told inside each statement
    for st in analysis.statements:
        told[st.doc].append(st)
        if st.nested_in:
            inner[st.nested_in].append(st)
    for lst_ in told.values():
        lst_.sort(key=lambda s: s.content.end)
    for st in analysis.statements:
        doc = docs.get(st.doc)
        if doc is None:
            continue
        text = st.content.text_of(doc.text)
        if len(text.split()) < opts.min_words:
            continue
        date = statement_date(st, doc, times.get(st.doc, [])) if st.nested_in is None else None
        ctx = statement_context(st, docs, by_id, names, date)
        contexts[st.id] = ctx
        lst = mentions.get(st.doc, [])
        i = bisect.bisect_left(lst, (st.content.start, -1, ""))
        ents = set()
        named: list[tuple[int, int, str]] = []  # the entity mentions in the content, at offsets into ``text``
        while i < len(lst) and lst[i][0] < st.content.end:
            ents.add(lst[i][2])
            named.append((lst[i][0] - st.content.start, lst[i][1] - st.content.start, lst[i][2]))
            i += 1
        cue = st.cue.span.text_of(doc.text) if st.cue else None
        rejects = rejected(text, cue or "", named, partial(_earlier, doc, st, lst))
        answered = _answered(st, doc, told.get(st.doc, ())) if such_denial(text) else None
        if answered is not None and answered.speaker.entity:
            rejects = rejects | {answered.speaker.entity}
        written = st.speaker.span.text_of(doc.text) if st.speaker.span is not None else ""
        nobody = _NOBODY.match(written)
        if nobody and cue:  # "none of their intelligence indicates [an Israeli strike was involved]": the cue
            cue = f"{nobody.group(0).lower()} {cue}"  # is negated, so nobody asserts what it reports
        claim = Claim(text=text, doc=st.doc, start=st.content.start, end=st.content.end, speaker=ctx["speaker"],
                      speaker_entity=st.speaker.entity, chain=tuple(ctx["chain"]), date=date,
                      channel=ctx["channel"], attributed=True, entities=tuple(sorted(ents)), cue=cue,
                      affiliations=tuple(sorted((k, sides[e][1]) for e in ents if e in sides for k in sides[e][0])),
                      side=speaker_side(ctx["speaker"], st.speaker.description, written) or frozenset(
                          (sides[st.speaker.entity][1],) if st.speaker.entity in sides else ()) or (
                          _local_side(named, place_country, home.get(st.doc, frozenset()))
                          if _LOCAL.match(who := ctx["speaker"] or written) or _SCENE_SERVICES.search(who)
                          else frozenset()),
                      rejects=tuple(sorted(rejects - places - {st.speaker.entity})),
                      answers=answered.content.text_of(doc.text) if answered is not None else "",
                      rests_on=_told_inside(st, docs, by_id),
                      rejects_sides=frozenset(c for e in (rejects & report_owners(text, named) if rejects else ())
                                              for c in country_of.get(e, ())))
        units.append(_Unit(st, doc, text, claim, date, ctx["reported"], frozenset(ents), stories.get(st.doc, st.doc),
                           _names_report(st, inner.get(st.id, ()), doc.text)))
        if answered is not None:
            answering[len(units) - 1] = answered.id
    # a denial that points back rejects the report of the side it answers too ("Peru's navy" / "the Peruvian navy")
    side_of = {u.st.id: u.claim.side for u in units} if answering else {}
    for i, sid in answering.items():
        claim = units[i].claim
        if sides_ := side_of.get(sid, frozenset()) - claim.side:
            units[i].claim = dataclasses.replace(claim, rejects_sides=claim.rejects_sides | sides_)
    return units, contexts


class _Recent:
    """The vectors of the texts met in the last stories, in front of ``inner`` (the store's cache, if any): a text
    told in several stories (a wire copy, a statement quoted again) is encoded once per run. At most ``size``
    vectors are kept; the oldest go first."""

    def __init__(self, inner: VectorCache | None, size: int = 50_000) -> None:
        self.inner, self.size = inner, size
        self.kept: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()

    def get_vectors(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        out = {k: v for k in keys if (v := self.kept.get((model, k))) is not None}
        rest = [k for k in keys if k not in out]
        if rest and self.inner is not None:
            found = self.inner.get_vectors(model, rest)
            self._keep(model, found)
            out.update(found)
        return out

    def put_vectors(self, model: str, items: dict[str, np.ndarray]) -> None:
        self._keep(model, items)
        if self.inner is not None:
            self.inner.put_vectors(model, items)

    def _keep(self, model: str, items: dict[str, np.ndarray]) -> None:
        for k, v in items.items():
            self.kept[(model, k)] = v
            self.kept.move_to_end((model, k))
        while len(self.kept) > self.size:
            self.kept.popitem(last=False)


class VectorDict:
    """Vectors held in memory, one model's (a :class:`VectorCache`): those an engine embedded before relating."""

    def __init__(self, model: str, vectors: dict[str, np.ndarray] | None = None) -> None:
        self.model, self.vectors = model, dict(vectors or {})

    def get_vectors(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        if model != self.model:
            return {}
        return {k: v for k in keys if (v := self.vectors.get(k)) is not None}

    def put_vectors(self, model: str, items: dict[str, np.ndarray]) -> None:
        if model == self.model:
            self.vectors.update(items)


def vector_key(text: str) -> str:
    """The key of a text's vector in a :class:`VectorCache`."""
    return hashlib.sha1(text.encode()).hexdigest()


def texts_to_embed(part: Analysis, options: RelateOptions | None = None) -> list[str]:
    """The distinct texts :func:`relate_parts` may embed for a story's ``part``: its statements' contents long
    enough to be aligned (a superset of those it embeds, which can meet another document's statement)."""
    opts = options or RelateOptions()
    docs = {d.id: d for d in part.documents}
    texts = (st.content.text_of(docs[st.doc].text) for st in part.statements if st.doc in docs)
    return list(dict.fromkeys(t for t in texts if len(t.split()) >= opts.min_words))


def _vectors(texts: list[str], embedder: Embedder, cache: VectorCache | None) -> np.ndarray:
    keys = [vector_key(t) for t in texts]
    found = cache.get_vectors(embedder.name, sorted(set(keys))) if cache is not None else {}
    missing: dict[str, str] = {}  # each distinct text is encoded once
    for k, t in zip(keys, texts, strict=True):
        if k not in found:
            missing.setdefault(k, t)
    if missing:
        fresh = embedder.encode(list(missing.values()))
        new = {k: fresh[row] for row, k in enumerate(missing)}
        if cache is not None:
            cache.put_vectors(embedder.name, new)
        found = {**found, **new}
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    for i, k in enumerate(keys):
        out[i] = found[k]
    return out


def _blocks(units: list[_Unit], cap: int) -> Iterable[list[int]]:
    """Index lists of units of one story: its units that share an entity (a block over ``cap`` split by year, then
    sliced), and the whole story when it has at most ``cap`` units (a retelling by someone else may name no one)."""
    by_story: dict[str, list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        by_story[u.story].append(i)
    for members in by_story.values():
        if len(members) < 2:
            continue
        yield from _entity_blocks(units, members, cap)
        if len(members) <= cap:
            yield members


def _entity_blocks(units: list[_Unit], members: list[int], cap: int) -> Iterable[list[int]]:
    keyed: dict[str, list[int]] = defaultdict(list)
    for i in members:
        u = units[i]
        keys = set(u.entities)
        if u.st.speaker.entity:
            keys.add(u.st.speaker.entity)
        if not keys:
            keys.add(f"month:{(u.date or u.reported or '')[:7]}")
        for k in keys:
            keyed[k].append(i)
    for block in keyed.values():
        if len(block) < 2:
            continue
        if len(block) <= cap:
            yield block
            continue
        by_year: dict[str, list[int]] = defaultdict(list)
        for i in block:
            by_year[(units[i].date or units[i].reported or "")[:4]].append(i)
        for part in by_year.values():
            for s in range(0, len(part), cap):
                piece = part[s:s + cap]
                if len(piece) >= 2:
                    yield piece


def _can_match(units: list[_Unit], cap: int) -> list[int]:
    """The units of some candidate block that holds another document's unit too: only these can be related, so
    only these are embedded (a story of one document, an entity no other document names, cost nothing)."""
    needed: set[int] = set()
    for block in _blocks(units, cap):
        if len({units[i].st.doc for i in block}) > 1:
            needed.update(block)
    return sorted(needed)


def _told_inside(st: Statement, docs: dict[str, Document], by_id: dict[str, Statement]) -> frozenset[str]:
    """The kinds of evidence a nested statement is told inside: what its outer statement draws on ("Hagari reads
    out a transcript of an intercepted call ..., in which [they talk about the failed rocket]": audio)."""
    outer = by_id.get(st.nested_in) if st.nested_in else None
    doc = docs.get(st.doc)
    if outer is None or doc is None:
        return frozenset()
    return evidence_of(outer.content.text_of(doc.text))[0]


def _candidates(units: list[_Unit], vecs: np.ndarray, opts: RelateOptions) -> dict[tuple[int, int], float]:
    """Pairs of units from different documents of one block: each unit's ``k`` nearest neighbours, and its
    ``per_document`` nearest in each other document of the block (a claim retold many times would otherwise fill
    its ``k`` with its own retellings, and the claims that answer or deny it in other documents never meet it)."""
    pairs: dict[tuple[int, int], float] = {}
    doc_index: dict[str, int] = {}
    doc_of = np.array([doc_index.setdefault(u.st.doc, len(doc_index)) for u in units])  # exact, no hash collisions

    def add(a: int, b: int, sim: float) -> None:
        if sim < opts.min_similarity:
            return
        key = (a, b) if a < b else (b, a)
        if sim > pairs.get(key, -1.0):
            pairs[key] = sim

    for block in _blocks(units, opts.block_cap):
        idx = np.array(block)
        sims = vecs[idx] @ vecs[idx].T
        docs_in = doc_of[idx]
        same_doc = docs_in[:, None] == docs_in[None, :]
        sims[same_doc] = -1.0
        k = min(opts.k, len(block) - 1)
        if k <= 0:
            continue
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        for row in range(len(block)):
            for col in top[row]:
                add(int(idx[row]), int(idx[col]), float(sims[row, col]))
        if opts.per_document <= 0:
            continue
        for d in np.unique(docs_in):
            cols = np.flatnonzero(docs_in == d)
            m = min(opts.per_document, len(cols))
            sub = sims[:, cols]
            best = np.argpartition(-sub, m - 1, axis=1)[:, :m]
            for row in range(len(block)):
                for c in best[row]:
                    add(int(idx[row]), int(idx[cols[c]]), float(sub[row, c]))
    return pairs


def _blame_pairs(units: list[_Unit], cap: int) -> list[tuple[int, int]]:
    """Pairs ``(a, b)``, ``a < b``, of units of one story from different documents that blame or clear the same
    party, or that both name a country as the cause (at most ``cap`` such units per story)."""
    # per unit: who it blames or clears, the countries its causes name, and the countries of both
    keys: dict[int, tuple[frozenset[str], frozenset[str], frozenset[str]]] = {}
    by_story: dict[str, list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        targets, named = blame_keys(u.text, u.claim.cue or "", u.claim.affiliations, u.claim.side)
        if targets or named:
            keys[i] = (targets, named, countries(targets) | named)
            if len(by_story[u.story]) < cap:
                by_story[u.story].append(i)
    out = []
    for members in by_story.values():
        for x, a in enumerate(members):
            for b in members[x + 1:]:
                if units[a].st.doc == units[b].st.doc:
                    continue
                (ta, na, xa), (tb, nb, xb) = keys[a], keys[b]  # one party blamed or cleared on both sides (by a
                if (ta | na) & (tb | nb) or (na and nb and na != nb):  # mark or a cause), or causes on rival
                    out.append((a, b))  # countries
                    continue
                # a country held responsible by a stance word on one side, the act put on another by the other
                # ("the Zionist enemy is trying to evade its responsibility" / "a Palestinian rocket")
                if xa and xb and not xa & xb and (bool(ta) != bool(tb) or bool(na) != bool(nb)):
                    out.append((a, b))
    return out


#: what the judge finds in a pair that is not near in meaning and still tells one claim again: one side's account
#: from both ends, the same words quoted, one speaker's same stance
_TOLD_AGAIN = ("account", "quoted_words", "stance")


def _speaker_pairs(units: list[_Unit], most: int) -> list[tuple[int, int]]:
    """Pairs ``(a, b)``, ``a < b``, of one speaker's units from different documents of one story that take a
    position on one stance scale other than blame (the first ``most`` of each speaker that take any): one
    speaker's position told in other words ("Russia is willing to help with the investigation" / "it was ready to
    cooperate with London") is judged however far apart the two are in meaning; the caller keeps only the same
    position found again."""
    by_speaker: dict[str, list[int]] = defaultdict(list)
    scales: dict[int, frozenset[str]] = {}
    for i, u in enumerate(units):
        if u.claim.speaker_entity and len(by_speaker[u.claim.speaker_entity]) < most:
            # a position on a scale other than blame (which names an act: see the caller) is what can meet
            scales[i] = frozenset(m.scale for m in read(u.text, u.claim.cue or "").marks) - {"responsibility"}
            if scales[i]:
                by_speaker[u.claim.speaker_entity].append(i)
    return [(a, b) for members in by_speaker.values() for x, a in enumerate(members) for b in members[x + 1:]
            if units[a].st.doc != units[b].st.doc and scales[a] & scales[b]]


def _quoted_pairs(units: list[_Unit]) -> list[tuple[int, int]]:
    """Pairs ``(a, b)``, ``a < b``, of units from different documents of one speaker (or one side) where one holds
    words the other puts in quotation marks ("dismissed Mrs May's claim as a “circus show”" / "This is a circus
    show in Britain’s parliament"): one utterance told twice, however far apart in meaning the rest is."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        if u.claim.speaker_entity:
            groups["e:" + u.claim.speaker_entity].append(i)
        if u.claim.side:
            groups["s:" + ",".join(sorted(u.claim.side))].append(i)
    out: set[tuple[int, int]] = set()
    for members in groups.values():
        quoting = [(a, p) for a in members for p in quoted_phrases(units[a].text) if len(content_words(p)) >= 2]
        if not quoting:
            continue
        for b in members:
            within = f" {words_of(units[b].text)} "
            for a, phrase in quoting:
                if a != b and units[a].st.doc != units[b].st.doc and f" {phrase} " in within:
                    out.add((min(a, b), max(a, b)))
    return sorted(out)


def _nearest(b: int, theirs: list[int], vecs: np.ndarray, most: int) -> list[tuple[int, int]]:
    """The pairs ``(min, max)`` of unit ``b`` with the ``most`` of ``theirs`` nearest to it in meaning."""
    return [(min(a, b), max(a, b)) for a in sorted(theirs, key=lambda a: -float(vecs[a] @ vecs[b]))[:most]]


def _rebuttal_pairs(units: list[_Unit], vecs: np.ndarray, most: int) -> list[tuple[int, int]]:
    """Pairs ``(a, b)``, ``a < b``, of units of one story from different documents where one rejects a report of
    a party it names ("HRW hasn't come up with any evidence") and the other is that party's (its speaker is the
    entity named), or of a country's side ("Israeli statements ...": a speaker of that side, the rejecting one of
    another): the ``most`` nearest of the party's claims for each rejection."""
    by_speaker: dict[str, list[int]] = defaultdict(list)
    by_side: dict[str, list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        if u.claim.speaker_entity:
            by_speaker[u.claim.speaker_entity].append(i)
        for c in u.claim.side:
            by_side[c].append(i)
    out: set[tuple[int, int]] = set()
    for b, u in enumerate(units):
        theirs = [a for e in u.claim.rejects for a in by_speaker.get(e, ()) if units[a].st.doc != u.st.doc]
        theirs += [a for c in u.claim.rejects_sides - u.claim.side for a in by_side.get(c, ())
                   if units[a].st.doc != u.st.doc]
        theirs = list(dict.fromkeys(theirs))
        out.update(_nearest(b, theirs, vecs, most))
    return sorted(out)


def _evidence_pairs(units: list[_Unit], vecs: np.ndarray, most: int) -> list[tuple[int, int]]:
    """Pairs ``(a, b)``, ``a < b``, of units of one story from different documents where one calls a kind of
    evidence fake ("the recording was 'fabricated'") and the other draws on that kind ("conversations that indicate
    ..."): the ``most`` nearest of those for each claim of fakery."""
    drawn: dict[str, list[int]] = defaultdict(list)
    faked: list[tuple[int, frozenset[str]]] = []
    for i, u in enumerate(units):
        uses, fakes = evidence_of(u.text)
        for kind in uses | u.claim.rests_on:
            drawn[kind].append(i)
        if fakes:
            faked.append((i, fakes))
    out: set[tuple[int, int]] = set()
    for b, fakes in faked:
        theirs = list(dict.fromkeys(a for k in sorted(fakes) for a in drawn.get(k, ())
                                    if units[a].st.doc != units[b].st.doc))
        out.update(_nearest(b, theirs, vecs, most))
    return sorted(out)


def _toll_pairs(units: list[_Unit], vecs: np.ndarray, most: int) -> list[tuple[int, int]]:
    """Pairs ``(a, b)``, ``a < b``, of units of one story from different documents where one says a toll was
    inflated and the other, of another side, gives a toll: the ``most`` nearest tolls for each such claim."""
    disputes = [i for i, u in enumerate(units) if u.claim.side and inflated_toll(u.text) is not None]
    if not disputes:
        return []
    tolls = [i for i, u in enumerate(units) if u.claim.side and gives_toll(u.text)]
    out: set[tuple[int, int]] = set()
    for b in disputes:
        theirs = [a for a in tolls if units[a].st.doc != units[b].st.doc
                  and not units[a].claim.side & units[b].claim.side]
        out.update(_nearest(b, theirs, vecs, most))
    return sorted(out)


def _order(ua: _Unit, ub: _Unit) -> tuple[bool, dict[str, Any]]:
    """True when ``ua`` comes first (see :func:`direction`; unknown: by document, then position), and the
    evidence, whose ``a`` and ``b`` follow that order."""
    first, ev = direction((moment(ua.doc.published), ua.date), (moment(ub.doc.published), ub.date))
    if first is None:
        first = (ua.doc.id, ua.st.content.start) <= (ub.doc.id, ub.st.content.start)
    if not first:
        ev = {**ev, "a": ev["b"], "b": ev["a"]}
    return first, ev


def _rel_id(kind: str, a: str, b: str) -> str:
    return "rel-" + hashlib.sha1(f"{kind}:{a}:{b}".encode()).hexdigest()[:12]


def relate(analysis: Analysis, *, judge: Judge | None = None, embedder: Embedder | None = None,
           cache: VectorCache | None = None, options: RelateOptions | None = None) -> list[Relation]:
    """Relations across the documents of ``analysis`` (see the module docstring), story by story."""
    return list(relate_iter(analysis, judge=judge, embedder=embedder, cache=cache, options=options))


def relate_iter(analysis: Analysis, *, judge: Judge | None = None, embedder: Embedder | None = None,
                cache: VectorCache | None = None, options: RelateOptions | None = None) -> Iterator[Relation]:
    """The relations of :func:`relate`, one story at a time: every relation lies within one story, so a story's
    statements, vectors and relations are all that is held at once (an archive of 100,000 documents is related in
    the memory its largest story needs, beside the analysis itself)."""
    opts = options or RelateOptions()
    judge = judge or get_judge()
    embedder = embedder or get_embedder()
    stories = story_of(analysis.stories or build_stories(analysis))
    yield from relate_parts(story_parts(analysis, stories), stories, judge=judge, embedder=embedder, cache=cache,
                            options=opts)


def relate_parts(parts: Iterable[Analysis], stories: dict[str, str], *, judge: Judge, embedder: Embedder,
                 cache: VectorCache | None = None, options: RelateOptions | None = None) -> Iterator[Relation]:
    """The relations within each of ``parts`` (one story each, as :func:`story_parts` makes them; ``stories`` maps
    their documents to their stories): what :func:`relate_iter` does after cutting the analysis, and what an
    engine runs on the parts it was given (a story is never split)."""
    opts = options or RelateOptions()
    recent = _Recent(cache)
    group: list[tuple[Analysis, list[_Unit], dict[str, dict[str, Any]]]] = []
    held = 0
    for part in parts:
        units, contexts = _units(part, opts, stories)
        group.append((part, units, contexts))
        held += len(units)
        if held >= opts.embed_group:
            yield from _relate_group(group, stories, judge, embedder, recent, opts)
            group, held = [], 0
    yield from _relate_group(group, stories, judge, embedder, recent, opts)


def _relate_group(group: list[tuple[Analysis, list[_Unit], dict[str, dict[str, Any]]]], stories: dict[str, str],
                  judge: Judge, embedder: Embedder, recent: _Recent, opts: RelateOptions) -> Iterator[Relation]:
    """The relations of a few stories: the texts of all of them that can meet another document's are embedded in
    one call first (the embedder's sessions work in parallel over a batch), then each story is related alone."""
    texts = [units[i].text for _, units, _ in group for i in _can_match(units, opts.block_cap)]
    if texts:
        _vectors(texts, embedder, recent)
    for part, units, contexts in group:
        yield from _relate_story(part, units, contexts, stories, judge, embedder, recent, opts)


def story_parts(analysis: Analysis, stories: dict[str, str]) -> Iterator[Analysis]:
    """The analysis of each story of two documents or more (``stories``: document -> story), in the order of its
    first document: its documents, statements, times, timeline entries told in it, and entities with the
    mentions in it. One pass over each kind of record, so the parts cost what the analysis costs."""
    def key(doc: str) -> str:
        return stories.get(doc, doc)

    docs: dict[str, list[Document]] = defaultdict(list)
    for d in analysis.documents:
        docs[key(d.id)].append(d)
    wanted = {k for k, ds in docs.items() if len(ds) >= 2}
    statements: dict[str, list[Statement]] = defaultdict(list)
    for st in analysis.statements:
        if (k := key(st.doc)) in wanted:
            statements[k].append(st)
    times: dict[str, list[TimeExpr]] = defaultdict(list)
    for t in analysis.times:
        if (k := key(t.doc)) in wanted:
            times[k].append(t)
    timeline: dict[str, list[Any]] = defaultdict(list)
    for entry in analysis.timeline:
        for k in dict.fromkeys(key(s.doc) for s in entry.sources):
            if k in wanted:
                timeline[k].append(entry)
    speaks_in: dict[str, set[str]] = defaultdict(set)  # a speaker may be named in a story only through others'
    for k, sts in statements.items():  # mentions ("he", a title): the entity comes along for its name
        for st in sts:
            if st.speaker.entity:
                speaks_in[st.speaker.entity].add(k)
    entities: dict[str, list[Entity]] = defaultdict(list)
    for e in analysis.entities:
        by_story: dict[str, list[Any]] = {k: [] for k in sorted(speaks_in.get(e.id, ()))}
        for m in e.mentions:
            if (k := key(m.doc)) in wanted:
                by_story.setdefault(k, []).append(m)
        for k, ms in by_story.items():
            entities[k].append(dataclasses.replace(e, mentions=tuple(ms)))
    for k, ds in docs.items():
        if k in wanted:
            yield Analysis(documents=tuple(ds), entities=tuple(entities.pop(k, ())),
                           statements=tuple(statements.pop(k, ())), times=tuple(times.pop(k, ())),
                           timeline=tuple(timeline.pop(k, ())))


def _relate_story(part: Analysis, units: list[_Unit], contexts: dict[str, dict[str, Any]], stories: dict[str, str],
                  judge: Judge, embedder: Embedder, cache: VectorCache | None, opts: RelateOptions
                  ) -> Iterator[Relation]:
    """The relations within one story's ``part`` (see :func:`story_parts`), whose ``units`` and ``contexts``
    :func:`_units` made."""
    relations: list[Relation] = []
    if len(units) >= 2:
        vecs = np.zeros((len(units), embedder.dim), dtype=np.float32)
        needed = _can_match(units, opts.block_cap)  # embed only what can meet a unit of another document
        if needed:
            vecs[needed] = _vectors([units[i].text for i in needed], embedder, cache)
        pairs = sorted(_candidates(units, vecs, opts).items())
        near = {p for p, _ in pairs}
        # accounts that blame or clear one party, or name rival countries as the cause, are judged whether or not
        # they are near in meaning ("Israel is not responsible" and "the Israeli occupation army was behind the
        # attack" share few words); only the contradictions found among them are kept, and one side's two ends of
        # one account ("Israel denied it was involved" / "a rocket misfired by Islamic Jihad": see the judge)
        # so are a claim and a rejection of its speaker's report that names them, an account and a claim that the
        # evidence it draws on is fake ("conversations that indicate ..." / "the recording was 'fabricated'"), and
        # one speaker's (or side's) claims that quote the same words (kept when the judge finds them told again:
        # see _TOLD_AGAIN)
        extra = dict.fromkeys(_blame_pairs(units, opts.block_cap) + _rebuttal_pairs(units, vecs, opts.per_rebuttal)
                              + _evidence_pairs(units, vecs, opts.per_rebuttal)
                              + _toll_pairs(units, vecs, opts.per_rebuttal) + _quoted_pairs(units))
        # one speaker's far-apart claims only for a position told again in other words, not for a contradiction
        # or a blame (two accusations of one party are most often two acts: "plotting with the West" / "making
        # noises to boost his popularity")
        own = set(_speaker_pairs(units, opts.per_speaker)) - set(extra) - near
        extra.update(dict.fromkeys(sorted(own)))
        blame = [((a, b), float(vecs[a] @ vecs[b])) for a, b in extra if (a, b) not in near]
        ordered = []
        for (a, b), sim in pairs + blame:
            first, how = _order(units[a], units[b])
            ordered.append((a, b, sim, how) if first else (b, a, sim, how))
        judgements = judge.judge([(units[a].claim, units[b].claim) for a, b, _, _ in ordered])
        for k, ((a, b, sim, how), j) in enumerate(zip(ordered, judgements, strict=True)):
            if k >= len(pairs) and j.label != "contradicts" and not any(j.evidence.get(x) for x in _TOLD_AGAIN):
                continue
            if (min(a, b), max(a, b)) in own and j.evidence.get("stance") in (None, "responsibility"):
                continue
            if j.label == "contradicts" and (units[a].names_report or units[b].names_report):
                continue  # the report it names is the one its words assert, by its own speaker
            rel = _relation(units[a], units[b], sim, j, contexts, embedder.name, opts, how)
            if rel is not None:
                relations.append(rel)
    quoted = quote_relations(part, contexts, stories)
    pairs_quoted = {frozenset((r.a, r.b)) for r in quoted}
    # a pair the quote finder links by the words one reproduces is that relation, not also an agreement
    relations = [r for r in relations if r.type not in ("agrees", "adds")
                 or frozenset((r.a, r.b)) not in pairs_quoted]
    relations += quoted
    relations += event_relations(part, stories)
    relations += omissions(part, relations, opts, stories)
    seen: set[str] = set()
    for r in relations:
        if r.id not in seen:
            seen.add(r.id)
            yield r


def _relation(ua: _Unit, ub: _Unit, sim: float, j: Judgement, contexts: dict[str, dict[str, Any]],
              embedder: str, opts: RelateOptions, how: dict[str, Any] | None = None) -> Relation | None:
    same_speaker = ua.st.speaker.entity is not None and ua.st.speaker.entity == ub.st.speaker.entity
    same_side = bool(ua.claim.side) and ua.claim.side == ub.claim.side  # their names or titles say one country
    if j.label == "unrelated" and sim >= opts.paraphrase_similarity and (same_speaker or same_side) \
            and not j.evidence.get("parts"):
        # few shared words, close meaning: one speaker's paraphrase the rules cannot see. Closeness alone is no
        # evidence that both are about one proposition: the embedder decides only with an anchor, and says which.
        # Two speakers close in meaning are most often two claims on one topic, not one claim (on the dev
        # stories 10 of 131 such pairs were one claim), so the embedder does not overrule the judge for them; nor
        # where the judge found where the two part (negation, stance, cause, numbers: "illegal" / "legitimate").
        # Two speakers of one side (the health ministry in Gaza, officials in Gaza) are read as one
        anchor = _anchor(ua, ub, same_speaker) or (f"one side ({', '.join(sorted(ua.claim.side))})"
                                                  if same_side else None)
        if anchor is not None:
            j = Judgement("agrees", round(sim, 3), embedder,
                          {"reasons": [f"close in meaning (cosine {sim:.2f}) though few words are shared; {anchor}"],
                           "overruled": {"judge": j.judge, "label": j.label}})
    if j.label == "unrelated" and not opts.keep_unrelated:
        return None
    kind = j.label
    when_a, when_b = ua.date or ua.reported, ub.date or ub.reported
    known = bool(how and how.get("known"))
    if kind in ("same", "agrees", "adds") and (same_speaker or same_side) and known:
        kind = "retells"  # the same speaker's (or side's) claim told again, in a known order
    evidence: dict[str, Any] = {"a": contexts[ua.st.id], "b": contexts[ub.st.id], "similarity": round(sim, 3),
                                "embedder": embedder, "judge_label": j.label, **j.evidence}
    if how is not None:
        evidence["direction"] = how
    if kind == "retells":
        wa, wb = content_words(ua.text), content_words(ub.text)
        evidence["changes"] = {"dropped": sorted(wa - wb)[:20], "added": sorted(wb - wa)[:20],
                               "from": when_a, "to": when_b}
    if kind == "contradicts":
        evidence["time_context"] = _time_context(contexts[ua.st.id], contexts[ub.st.id])
    return Relation(_rel_id(kind, ua.st.id, ub.st.id), kind, ua.st.id, ub.st.id, tuple(evidence.items()),
                    j.judge, float(j.score))


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _anchor(ua: _Unit, ub: _Unit, same_speaker: bool) -> str | None:
    """What ties two claims to one proposition besides closeness of meaning: the same speaker, or a name or a
    number both name together with another content word; None when nothing does."""
    if same_speaker:
        return "the same speaker"
    words = content_words(ua.text) & content_words(ub.text)
    names = ua.entities & ub.entities
    numbers = set(_NUMBER.findall(ua.text)) & set(_NUMBER.findall(ub.text))
    if (names or numbers) and len(words) >= 2:
        return "both name " + ", ".join(sorted(words)[:4])
    return None


def _time_context(a: dict[str, Any], b: dict[str, Any]) -> str:
    """A sentence that keeps a contradiction in its context: who told whom, when, public or private."""

    def side(c: dict[str, Any]) -> str:
        chain = " ← ".join(c["chain"])
        when = c["date"] or (f"reported {c['reported']}" if c["reported"] else "date unknown")
        setting = {True: "in public", False: "in private", None: "setting not stated"}[c["public"]]
        hand = "first-hand" if c["hand"] == "first" else "second-hand"
        return f"{chain} ({when}; {hand}; {setting}{'; ' + c['channel'] if c['channel'] else ''})"

    return f"{side(a)} vs {side(b)}"


def event_relations(analysis: Analysis, stories: dict[str, str] | None = None) -> list[Relation]:
    """Timeline entries told by several documents of one story agree on their date; entries that conflict
    disagree. ``stories``: document → story (every document its own story when absent from it). Only the tellers
    among ``analysis``'s documents count: a story's part holds an entry told in other stories too, whose tellers
    there are that story's to relate."""
    out: list[Relation] = []
    docs = {d.id: d for d in analysis.documents}
    by_id = {t.id: t for t in analysis.timeline}

    def story(doc: str) -> str:
        return "" if stories is None else stories.get(doc, doc)

    for t in analysis.timeline:
        per_story: dict[str, dict[str, Any]] = defaultdict(dict)
        for s in t.sources:
            if s.doc in docs:
                per_story[story(s.doc)].setdefault(s.doc, s)
        for firsts in per_story.values():
            if len(firsts) < 2:
                continue
            items = list(firsts.values())
            head = items[0]
            for other in items[1:]:
                a, b = f"{t.id}:{head.doc}", f"{t.id}:{other.doc}"
                ev = {"a": _event_side(head, docs, t.date), "b": _event_side(other, docs, t.date),
                      "reasons": [f"both date '{t.label}' to {t.date}"], "date": t.date, "label": t.label}
                out.append(Relation(_rel_id("agrees", a, b), "agrees", a, b, tuple(ev.items()), "timeline.v1", 1.0))
        for cid in t.conflicts:
            other_entry = by_id.get(cid)
            if other_entry is None or t.id > cid:
                continue
            pairs = [(x, y) for x in t.sources for y in other_entry.sources
                     if x.doc in docs and y.doc in docs and story(x.doc) == story(y.doc)]
            if not pairs:
                continue  # told in different stories: not the same event
            sa, sb = pairs[0]
            a, b = f"{t.id}:{sa.doc}", f"{cid}:{sb.doc}"
            ev = {"a": _event_side(sa, docs, t.date), "b": _event_side(sb, docs, other_entry.date),
                  "reasons": [f"dates differ for the same event: {t.date} vs {other_entry.date}"],
                  "label": t.label}
            out.append(Relation(_rel_id("contradicts", a, b), "contradicts", a, b, tuple(ev.items()),
                                "timeline.v1", 0.7))
    return out


def _event_side(src: Any, docs: dict[str, Document], date: str) -> dict[str, Any]:
    doc = docs.get(src.doc)
    text = doc.text[src.start:src.end] if doc else ""
    return {"doc": src.doc, "start": src.start, "end": src.end, "text": text, "date": date,
            "outlet": (doc.outlet or doc.republisher or doc.source) if doc else None,
            "reported": _day(doc.published) if doc else None}


def omissions(analysis: Analysis, relations: Sequence[Relation], opts: RelateOptions | None = None,
              stories: dict[str, str] | None = None) -> list[Relation]:
    """For an event or statement that several sources of one story report, the documents of that story, published
    after it, that leave it out.

    An item is a timeline entry with sources in two or more documents, or statements linked as the same, agreeing,
    adding, retold or quoted across documents. Two documents are linked when a relation joins their statements or
    they tell the same timeline entry. A document covers an item's story when it is in the same story
    (``stories``: document → story) and linked to at least half of the documents telling the item; it omits the item
    when it was published after it (after the event's date and the first telling; a document or an item without a
    date is never said to omit anything: which came first is unknown), has no source of it and its text lacks most
    of the words the item's sources share (so a paraphrase the aligner missed does not count as an omission). The
    test is local to each item's documents and their links, so it holds in an archive where chains of relations join
    thousands of documents."""
    opts = opts or RelateOptions()
    docs = {d.id: d for d in analysis.documents}
    st_doc = {s.id: s.doc for s in analysis.statements}
    groups = UnionFind()
    links: dict[str, set[str]] = defaultdict(set)

    def story(doc: str) -> str:
        return "" if stories is None else stories.get(doc, doc)

    def doc_of(unit: str) -> str | None:
        return st_doc.get(unit) or (unit.rsplit(":", 1)[1] if ":" in unit else None)

    def link(group: Sequence[str]) -> None:
        for d in group:
            links[d].update(group)

    published = {d.id: _day(d.published) for d in analysis.documents}
    # id, label, docs, sources, words, the day it was first told (or happened)
    items: list[tuple[str, str, set[str], list[dict[str, Any]], frozenset[str], str | None]] = []

    for r in relations:
        da, db = doc_of(r.a), doc_of(r.b)
        if da and db and da != db and r.type != "unrelated" and story(da) == story(db):
            link((da, db))
        if r.type in ("same", "agrees", "adds", "retells", "quotes") and r.a in st_doc and r.b in st_doc:
            groups.union(r.a, r.b)
    for t in analysis.timeline:
        per_story: dict[str, set[str]] = defaultdict(set)
        for src in t.sources:
            per_story[story(src.doc)].add(src.doc)
        for tdocs in per_story.values():
            if 2 <= len(tdocs) <= opts.max_event_sources:
                link(sorted(tdocs))
            if len(tdocs) >= 2:
                told = sorted(day for d in tdocs if (day := published.get(d)))
                event_day = _day(t.date.split("/", 1)[0]) if len(t.date) >= 10 else None
                first = event_day or (told[0] if told else None)  # from when a document could tell it
                items.append((t.id, t.label, tdocs,
                              [{"doc": s.doc, "start": s.start, "end": s.end} for s in t.sources if s.doc in tdocs],
                              content_words(t.label), first))
    clusters = groups.groups()
    stmts = {s.id: s for s in analysis.statements}
    names = {e.id: e.name for e in analysis.entities}
    for members in clusters.values():
        mdocs = {st_doc[m] for m in members}
        if len(mdocs) < 2:
            continue
        members.sort()
        first_st = stmts[members[0]]
        first_text = docs[first_st.doc].text
        # who said it and how: "Moscow denied: involvement in ..." (the content alone would read as the charge)
        label = said_label(_speaker_name(first_st, docs[first_st.doc], names),
                           first_st.cue.span.text_of(first_text) if first_st.cue else None,
                           first_st.content.text_of(first_text))
        words = frozenset.intersection(*(content_words(" ".join(
            stmts[m].content.text_of(docs[d].text) for m in members if st_doc[m] == d)) for d in mdocs))
        told = sorted(day for d in mdocs if (day := published.get(d)))
        items.append((members[0], label, mdocs, [{"doc": stmts[m].doc, "start": stmts[m].content.start,
                                                  "end": stmts[m].content.end} for m in members], words,
                       told[0] if told else None))
    out: list[Relation] = []
    body_words: dict[str, frozenset[str]] = {}
    for item_id, label, idocs, sources, shared, first in items:
        home = Counter(story(d) for d in idocs).most_common(1)[0][0]
        linked = Counter(n for d in idocs for n in links.get(d, ()) if n not in idocs and n in docs)
        covering = sorted(d for d, n in linked.items() if 2 * n >= len(idocs) and story(d) == home)
        share = len(idocs) / (len(idocs) + len(covering)) if covering else 1.0
        if share < opts.omission_share - 1e-9:
            continue  # a detail a few of the story's documents add, not something the others leave out
        for d in covering:
            when = published.get(d)
            if first is None or when is None or when < first:
                continue  # published before the item was told (or the order is unknown): nothing left out
            if d not in body_words:
                body_words[d] = content_words(docs[d].text[docs[d].body.start:docs[d].body.end])
            present = body_words[d]
            if not shared or len(shared & present) / len(shared) >= 0.6:
                continue  # the document tells it in words the aligner did not link (or its tellings share no
                # word whose absence would show it left out)
            ev = {"present_in": sorted(idocs), "missing_from": d, "label": label[:200], "sources": sources,
                  "missing_words": sorted(shared - present)[:20], "first_told": first, "published": when,
                  "reasons": [f"told by {len(idocs)} documents of this story from {first}; not by "
                              f"{docs[d].outlet or d} (published {when}), which shares other statements or "
                              f"events with {linked[d]} of them"]}
            out.append(Relation(_rel_id("omits", item_id, d), "omits", item_id, d, tuple(ev.items()),
                                "omission.v3", round(share, 3)))
    return out
