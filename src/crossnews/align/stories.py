"""Stage 4b' — stories: which documents tell one story, before anything is related across documents.

Entry function: :func:`build_stories`. It works on a whole :class:`~crossnews.core.records.Analysis` (merged
entities, times) and returns :class:`~crossnews.core.records.Story` records, each document in exactly one story.
Relations are then sought only between documents of one story (:mod:`crossnews.align.relations`).

* **profile**: each document is a sparse vector of the merged entities it names (people, organisations, places,
  nationalities; by mention count) and the content words of its title and body, weighted by how rare each is in
  the corpus. The rarity is smoothed by a background of :data:`BACKGROUND` documents that name none of them, so
  that in a small corpus telling one story its own names still count ("Kerch Strait" in all 15 documents), and in
  a large one names in every other document count little ("Trump" in 2016 politics).
* **candidates** are never all pairs: documents are blocked by their most salient features, and a feature held by
  more than :attr:`StoryOptions.block_cap` documents blocks nothing. Work grows with the documents times the cap.
* **linking**: a candidate pair links when its profiles are close (cosine) and it shares at least one name.
  Documents published far apart in time need a closer match, unless one tells an event of the month the other was
  published in. Pairs are merged strongest first (Kruskal), and two groups merge only when their summed profiles
  are close too, so that a chain of weak resemblances does not make one story of a whole archive.
* **label**: the names (else words) most of the story's documents share.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from crossnews.core.records import Analysis, Document, Story

__all__ = ["build_stories", "StoryOptions", "story_of"]

#: pseudo-documents that hold none of the corpus's features: the rarity prior (see the module docstring)
BACKGROUND = 40
_NAMED = {"PERSON", "ORG", "GPE", "LOC", "NORP"}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"^\d{4}-\d{2}")
_STOP = frozenset("""a an the of to in on at for from by with and or but as is are was were be been being has have
had that this these those it its their his her they he she we you i our us them him me my your said says say
told also after before than then there which who whom whose what when where while into over under about against
between during would will could should may might can not no more most other some such only own same so very just
one two three four five six seven eight nine ten because if do does did done how all any each both out up down
off again further once here why now new year years day days week weeks month months time times last first next
monday tuesday wednesday thursday friday saturday sunday january february march april june july august september
october november december am pm mr mrs ms dr people according added adding saying statement news report reported
reports reporting per cent percent like get got make made many much well even still back way told tells telling
going take took see seen know known want wanted including include includes around another among since until
every without within while yet ago via read more share click""".split())


@dataclass(frozen=True, slots=True)
class StoryOptions:
    min_similarity: float = 0.08  # profile cosine from which two documents published close together link
    join_similarity: float = 0.15  # cosine of a document's profile and a group's summed profile for it to join
    group_similarity: float = 0.22  # cosine of two groups' summed profiles for them to merge
    window_days: int = 21  # publication dates this close need no closer match
    far_penalty: float = 0.06  # added to ``min_similarity`` for each doubling of the gap beyond the window
    max_gap_days: int = 730  # documents further apart are linked only through others (or a shared event)
    top_features: int = 300  # features per document kept in its profile (the most salient)
    block_features: int = 40  # of which the most salient block candidates
    block_cap: int = 200  # a feature held by more documents blocks nothing


@dataclass
class _Profile:
    doc: Document
    vec: dict[str, float]
    day: dt.date | None
    months: frozenset[str]  # months of the dated events it tells
    names: dict[str, str]  # entity feature -> name


def _day(doc: Document) -> dt.date | None:
    p = doc.published or ""
    if not _DAY.match(p) or doc.published_evidence.tentative:
        return None
    try:
        return dt.date.fromisoformat(p[:10])
    except ValueError:
        return None


def _site(doc: Document) -> str:
    if doc.url:
        host = re.sub(r"^[a-z]+://(?:www\.)?", "", doc.url.lower()).split("/", 1)[0]
        if host:
            return host
    return (doc.republisher or doc.outlet or "").lower() or f"doc:{doc.id}"


def _words(text: str) -> Counter[str]:
    out: Counter[str] = Counter()
    for m in _WORD.finditer(text):
        w = m.group(0).lower().replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        w = w.strip("'-")
        if len(w) > 2 and w not in _STOP:
            out[w] += 1
    return out


def _norm(vec: Mapping[str, float]) -> dict[str, float]:
    n = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / n for k, v in vec.items()} if n else {}


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[k] for k, v in a.items() if k in b)


def _profiles(analysis: Analysis, opts: StoryOptions) -> list[_Profile]:
    docs = [d for d in analysis.documents]
    raw: dict[str, Counter[str]] = {d.id: Counter() for d in docs}
    names: dict[str, dict[str, str]] = defaultdict(dict)
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for e in analysis.entities:
        if e.type not in _NAMED or e.name == e.name.lower():  # "chevron", "filtericon": page furniture, no name
            continue
        feature = f"{'n' if e.type == 'NORP' else 'e'}:{e.id}"  # a nationality is no name of a story
        for m in e.mentions:
            if m.doc in raw:
                raw[m.doc][feature] += 1
                names[m.doc][feature] = e.name
                spans[m.doc].append((m.start, m.end))
    months: dict[str, set[str]] = defaultdict(set)
    for t in analysis.times:
        if t.type in ("DATE", "TIME") and _MONTH.match(t.value):
            months[t.doc].add(t.value[:7])
    for d in docs:
        body = d.analysis_text()
        if spans.get(d.id):  # a name counts once, as its entity, not again as words
            chars = list(body)
            for start, end in spans[d.id]:
                chars[start:end] = " " * (end - start)
            body = "".join(chars)
        words = _words(body)
        for w, n in _words(d.title or "").items():
            words[w] += 2 * n  # the headline says what the story is
        raw[d.id].update({f"w:{w}": n for w, n in words.items()})
    df: Counter[str] = Counter()
    sites_of: dict[str, set[str]] = defaultdict(set)
    site = {d.id: _site(d) for d in docs}
    for d_id, feats in raw.items():
        df.update(feats.keys())
        for f in feats:
            sites_of[f].add(site[d_id])
    several_sites = len(set(site.values())) > 1
    n_docs = len(docs)
    out = []
    for d in docs:
        weights = {}
        for f, n in raw[d.id].items():
            if several_sites and df[f] > 1 and len(sites_of[f]) == 1:
                continue  # words only one site's pages share are its furniture ("chevron", "sign up")
            idf = math.log((n_docs + BACKGROUND) / (df[f] + 1))
            scale = 1.0 if f.startswith("w:") else 1.5  # a name says more about a story than a word
            weights[f] = scale * (1 + math.log(n)) * idf
        top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:opts.top_features]
        out.append(_Profile(d, _norm(dict(top)), _day(d), frozenset(months.get(d.id, ())), names.get(d.id, {})))
    return out


def _gap(days_a: Sequence[dt.date], months_a: frozenset[str] | set[str], days_b: Sequence[dt.date],
         months_b: frozenset[str] | set[str]) -> float:
    """Days between two sets of publication days (sorted) that count against a link: the smallest gap between
    them, 0 when either has no date or when one side tells an event of a month the other side was published in."""
    if not days_a or not days_b:
        return 0.0
    if any(d.isoformat()[:7] in months_b for d in days_a) or any(d.isoformat()[:7] in months_a for d in days_b):
        return 0.0
    best = math.inf
    for d in days_a:
        k = bisect.bisect_left(days_b, d)
        for m in (k - 1, k):
            if 0 <= m < len(days_b):
                best = min(best, abs((days_b[m] - d).days))
    return float(best)


def _gap_ok(a: _Profile, b: _Profile) -> float:
    return _gap([a.day] if a.day else [], a.months, [b.day] if b.day else [], b.months)


def _threshold(gap: float, opts: StoryOptions, base: float | None = None) -> float:
    """The similarity two documents (or groups) ``gap`` days apart need: ``base`` within the window, more for each
    doubling of the gap beyond it, and never beyond ``max_gap_days``."""
    base = opts.min_similarity if base is None else base
    if gap <= opts.window_days:
        return base
    if gap > opts.max_gap_days:
        return 2.0  # never directly
    return base + opts.far_penalty * math.log2(gap / opts.window_days)


def _postings(profiles: Sequence[_Profile], opts: StoryOptions) -> list[np.ndarray]:
    """The blocks: for each feature among some document's most salient ones, the documents that hold it there,
    when they are at least two and at most ``block_cap``."""
    postings: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(profiles):
        for f, _ in sorted(p.vec.items(), key=lambda kv: (-kv[1], kv[0]))[:opts.block_features]:
            postings[f].append(i)
    return [np.asarray(m) for m in postings.values() if 2 <= len(m) <= opts.block_cap]


def _links(profiles: Sequence[_Profile], opts: StoryOptions) -> dict[int, set[int]]:
    """The candidate pairs that link: they share a name of a person, body or place, and their profiles are close
    enough for their time gap. A large archive has tens of thousands of blocks and tens of millions of pairs in
    them, of which one in twenty shares a name: the names are matched first, a few hundred documents' blocks at a
    time in one sparse product, and only those pairs' cosines are computed. A cosine within rounding of its
    threshold is computed again as the profiles give it, so the links never depend on the product's rounding."""
    from scipy import sparse  # only to link documents: the rest of the package does without it

    columns: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for i, p in enumerate(profiles):
        for f, v in p.vec.items():
            rows.append(i)
            cols.append(columns.setdefault(f, len(columns)))
            vals.append(v)
    shape = (len(profiles), max(len(columns), 1))
    vectors = sparse.csr_matrix((np.asarray(vals, dtype=np.float64), (rows, cols)), shape=shape)
    is_name = np.zeros(shape[1], dtype=bool)
    is_name[[c for f, c in columns.items() if f.startswith("e:")]] = True
    named = is_name[np.asarray(cols, dtype=np.int64)]  # which entries are names
    names = sparse.csr_matrix((np.ones(int(named.sum())), (np.asarray(rows)[named], np.asarray(cols)[named])),
                              shape=shape)
    found: list[np.ndarray] = []
    for batch in _batches(_postings(profiles, opts), 512):
        idx = np.concatenate(batch)
        block = names[idx]
        shared = (block @ block.T).toarray() > 0
        at = 0
        for members in batch:
            x, y = np.triu_indices(len(members), 1)
            hit = shared[at + x, at + y]
            found.append(members[x[hit]] * len(profiles) + members[y[hit]])
            at += len(members)
    pairs = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    first, second = pairs // max(len(profiles), 1), pairs % max(len(profiles), 1)
    sims = np.zeros(len(pairs))
    for k in range(0, len(pairs), 100_000):
        part = slice(k, k + 100_000)
        sims[part] = np.asarray(vectors[first[part]].multiply(vectors[second[part]]).sum(axis=1)).ravel()
    keep = sims >= opts.min_similarity - 1e-9  # no threshold is lower
    links: dict[int, set[int]] = defaultdict(set)
    for i, j, sim in zip(first[keep].tolist(), second[keep].tolist(), sims[keep].tolist(), strict=True):
        a, b = profiles[i], profiles[j]
        need = _threshold(_gap_ok(a, b), opts)
        if abs(sim - need) < 1e-9:
            sim = _cosine(a.vec, b.vec)
        if sim >= need:
            links[i].add(j)
            links[j].add(i)
    return links


def _batches(blocks: Sequence[np.ndarray], rows: int) -> Iterator[list[np.ndarray]]:
    """Consecutive blocks, as many as hold ``rows`` documents together (a block larger than that alone)."""
    batch: list[np.ndarray] = []
    held = 0
    for members in blocks:
        if batch and held + len(members) > rows:
            yield batch
            batch, held = [], 0
        batch.append(members)
        held += len(members)
    if batch:
        yield batch


def build_stories(analysis: Analysis, options: StoryOptions | None = None) -> list[Story]:
    """The stories of ``analysis``: every document in one, largest first (see the module docstring)."""
    opts = options or StoryOptions()
    profiles = _profiles(analysis, opts)
    groups = _agglomerate(profiles, _links(profiles, opts), opts)
    stories = [_story([profiles[i] for i in idx]) for idx in groups]
    stories.sort(key=lambda s: (-len(s.documents), s.first or "~", s.id))
    return stories


def _agglomerate(profiles: Sequence[_Profile], links: Mapping[int, set[int]], opts: StoryOptions) -> list[list[int]]:
    """Centroid linkage over the linked pairs only: the two linked groups whose summed profiles are closest (for
    their time gap) merge first, until none are close enough: ``join_similarity`` for a document joining a group,
    ``group_similarity`` for two groups (their summed profiles have lost each document's own words, so two parts of
    one story are closer than that). A document that resembles two stories joins the one it is closest to as a
    whole, and two stories that share one document's resemblance stay apart."""
    members: dict[int, list[int]] = {i: [i] for i in range(len(profiles))}
    summed: dict[int, dict[str, float]] = {i: dict(p.vec) for i, p in enumerate(profiles)}
    unit: dict[int, dict[str, float]] = {i: p.vec for i, p in enumerate(profiles)}
    neighbours: dict[int, set[int]] = {i: set(links.get(i, ())) for i in range(len(profiles))}
    days: dict[int, list[dt.date]] = {i: [p.day] if p.day else [] for i, p in enumerate(profiles)}
    months: dict[int, set[str]] = {i: set(p.months) for i, p in enumerate(profiles)}
    version = dict.fromkeys(members, 0)
    heap: list[tuple[float, int, int, int, int]] = []

    def push(a: int, b: int) -> None:
        a, b = (a, b) if a < b else (b, a)
        sim = _cosine(unit[a], unit[b])
        base = opts.join_similarity if min(len(members[a]), len(members[b])) == 1 else opts.group_similarity
        need = _threshold(_gap(days[a], months[a], days[b], months[b]), opts, base)
        if sim >= need:
            heapq.heappush(heap, (-(sim - need), a, b, version[a], version[b]))

    for i, near in neighbours.items():
        for j in near:
            if i < j:
                push(i, j)
    while heap:
        _, i, j, vi, vj = heapq.heappop(heap)
        if i not in members or j not in members or version[i] != vi or version[j] != vj:
            continue  # stale: one of them has merged since
        if len(summed[i]) < len(summed[j]):
            i, j = j, i
        for k, v in summed.pop(j).items():
            summed[i][k] = summed[i].get(k, 0.0) + v
        unit.pop(j)
        unit[i] = _norm(summed[i])
        members[i] += members.pop(j)
        days[i] = sorted(days[i] + days.pop(j))
        months[i] |= months.pop(j)
        near = (neighbours[i] | neighbours.pop(j)) - {i, j}
        neighbours[i] = near
        version[i] += 1
        for other in near:
            neighbours[other].discard(j)
            neighbours[other].add(i)
            push(i, other)
    return [sorted(m) for m in members.values()]


def _story(profiles: Sequence[_Profile]) -> Story:
    ordered = sorted(profiles, key=lambda p: (p.doc.published or "~", p.doc.id))
    ids = tuple(p.doc.id for p in ordered)
    names: dict[str, str] = {}
    held: Counter[str] = Counter()
    weight: dict[str, float] = defaultdict(float)
    for p in profiles:
        names.update(p.names)
        for f, v in p.vec.items():
            held[f] += 1
            weight[f] += v
    need = max(1, math.ceil(len(profiles) / 2))
    common = [f for f in weight if held[f] >= need]
    ents = sorted((f for f in common if not f.startswith("w:")), key=lambda f: (-weight[f], f))
    words = sorted((f for f in common if f.startswith("w:")), key=lambda f: (-weight[f], f))
    # a label names what is particular to the story: people, bodies, places before countries and nationalities
    named = sorted((f for f in ents if f.startswith("e:")), key=lambda f: (_broad(f), -weight[f], f))
    parts: list[str] = []
    for f in named:
        last = names[f].split()[-1].lower() if names[f].split() else ""
        if len(parts) < 3 and not any(p.split()[-1].lower() == last for p in parts):  # "Obama" after "Barack Obama"
            parts.append(names[f])
    for f in words:
        if len(parts) >= 3:
            break
        if not any(f[2:] in part.lower() for part in parts):
            parts.append(f[2:])
    head = ordered[0].doc
    if len(profiles) == 1 and head.title:
        parts = [head.title if len(head.title) <= 80 else head.title[:79].rsplit(" ", 1)[0] + " …"]
    if not parts:
        parts = [head.title or head.id]
    dates = sorted(p.doc.published[:10] for p in profiles if p.doc.published and _DAY.match(p.doc.published))
    digest = hashlib.sha1("\n".join(sorted(ids)).encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return Story(id=f"story-{digest}", label=" · ".join(parts), documents=ids,
                 entities=tuple(f[2:] for f in ents[:10]), first=dates[0] if dates else None,
                 last=dates[-1] if dates else None)


def _broad(feature: str) -> bool:
    """A country (a gazetteer's country id) says little about which story it is."""
    return feature.startswith("e:place:country:")


def story_of(stories: Iterable[Story]) -> dict[str, str]:
    """Document id → the id of its story."""
    return {doc: s.id for s in stories for doc in s.documents}
