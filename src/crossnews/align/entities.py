"""Stage 4a — align entities: one entity per real-world referent across documents.

Entry function: :func:`merge_entities` takes the document-level entity keys (with the names and types they were
written with) and returns, for each key, the id of the merged entity:

* places already share gazetteer ids ("Kiev" and "Kyiv" are one geonames id);
* names fold to transliteration-tolerant skeletons ("Sergey Lavrov" = "Sergei Lavrov", "Lugansk" = "Luhansk")
  and merge within a type; different people who share a first name keep different skeletons ("Sergey Lavrov" is
  not "Sergey Shoigu");
* a full name that ends with another is that person ("Spokeswoman Maria Zakharova" / "Maria Zakharova");
* a person known by surname only joins the one person in the corpus with that surname, and stays apart when
  several people share it.

Anonymous sources never merge across documents: "a senior official" in one article is not known to be the one in
another.

Blocking is by skeleton, so the work grows with the number of distinct names, not with pairs of documents.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from crossnews.align.words import countries, fold_name
from crossnews.core.records import Entity, Mention, Role, merged_id
from crossnews.extract.names import is_place, skeleton, without_nickname

__all__ = ["KeyInfo", "merge_entities", "build_entities", "title_holders", "acronym_merges", "with_acronyms"]

_PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers", "himself", "herself"}
_THING_PRONOUNS = {"it", "its", "itself"}
_ORG_NOUNS = ("company|firm|automaker|carmaker|manufacturer|maker|airline|carrier|group|bank|corporation|"
              "conglomerate|giant|business|retailer|chain|exchange|agency|organization|organisation")
_TYPE_GROUP = {"PERSON": "PERSON", "ORG": "ORG", "NORP": "NORP", "GPE": "PLACE", "LOC": "PLACE", "DESC": "DESC"}


#: words of a body any country has ("Defence Ministry", "Armed Forces"): a name of them with a country before it is
#: not the same body as the name without one
_INSTITUTION_WORDS = frozenset("""ministry ministries defence defense foreign interior affairs army armed forces force
navy air military police government parliament council office department service services intelligence security
guard guards border state health embassy agency committee court party""".split())


@dataclass
class KeyInfo:
    key: str
    type: str
    names: Counter[str] = field(default_factory=Counter)


def _representative(infos: list[KeyInfo]) -> KeyInfo:
    def weight(info: KeyInfo) -> tuple[int, int, str]:
        longest = max(info.names, key=lambda n: (len(n.split()), info.names[n]))
        return (len(longest.split()) > 1, sum(info.names.values()), info.key)

    return max(infos, key=weight)


def merge_entities(items: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """``items`` are (key, name as written, type) triples; returns key → merged entity id (a representative key)."""
    infos: dict[str, KeyInfo] = {}
    for key, name, type_ in items:
        info = infos.setdefault(key, KeyInfo(key, type_))
        info.names[name] += 1
    parent = {k: k for k in infos}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    blocks: dict[tuple[str, str], list[str]] = defaultdict(list)
    org_names: dict[str, str] = {}
    surnames: dict[tuple[str, str], set[str]] = defaultdict(set)
    firsts: dict[tuple[str, str], set[str]] = defaultdict(set)  # full names by their first word
    for key, info in infos.items():
        if key.startswith("anon:"):
            continue
        group = _TYPE_GROUP.get(info.type, info.type)
        name = max(info.names, key=lambda n: (len(n.split()), info.names[n]))
        sk = skeleton(name)
        if not sk:
            continue
        blocks[(group, sk)].append(key)
        if group == "ORG":
            org_names[key] = name
        if group == "PERSON" and len(sk.split()) > 1:
            surnames[(group, sk.split()[-1])].add(sk)
            firsts[(group, sk.split()[0])].add(sk)
    for keys in blocks.values():
        for other in keys[1:]:
            union(keys[0], other)
    # a full name that ends with another full name is that person with a word more before it, most often a title
    # the name was read with ("Spokeswoman Maria Zakharova" / "Maria Zakharova")
    for (group, _), fulls in surnames.items():
        for short in fulls:
            for long_ in fulls:
                if long_ != short and long_.endswith(" " + short):
                    union(blocks[(group, short)][0], blocks[(group, long_)][0])
    # a body's name with a country before it is that body ("Palestinian Islamic Jihad" / "Islamic Jihad"), when
    # the corpus writes it with one country only and the rest is a name of two words or more that is no body any
    # country has ("Russian Defence Ministry" / "Defence Ministry" are not one)
    orgs = {sk: keys[0] for (group, sk), keys in blocks.items() if group == "ORG"}
    prefixed: dict[str, list[tuple[frozenset[str], str]]] = defaultdict(list)
    for sk, key in orgs.items():
        parts, written = sk.split(), org_names[key].split()
        if len(parts) >= 3 and len(written) == len(parts) and (country := countries({fold_name(written[0])})) \
                and not {w.lower() for w in written[1:]} & _INSTITUTION_WORDS:
            prefixed[" ".join(parts[1:])].append((country, key))
    for short_sk, longer in prefixed.items():
        short_key = orgs.get(short_sk)
        if short_key is not None and len({c for c, _ in longer}) == 1:
            for _, key in longer:
                union(short_key, key)
    # a surname alone joins the one full name with that surname
    for (group, sk), keys in blocks.items():
        if group != "PERSON" or len(sk.split()) != 1:
            continue
        # (or, when no full name ends with it, the one that starts with it: a family name written first, "Wang
        # Wenbin" ... "Wang said")
        fulls = surnames.get((group, sk), set()) or (
            firsts.get((group, sk), set()) if not any(is_place(n) for k in keys for n in infos[k].names) else set())
        if len({find(blocks[(group, f)][0]) for f in fulls}) == 1:
            target = blocks[(group, next(iter(fulls)))][0]
            for k in keys:
                union(target, k)
    clusters: dict[str, list[KeyInfo]] = defaultdict(list)
    for key, info in infos.items():
        clusters[find(key)].append(info)
    out: dict[str, str] = {}
    for members in clusters.values():
        rep = _representative(members).key
        for info in members:
            out[info.key] = rep
    return out


def build_entities(rows: Iterable[tuple[str, str, int, int, str, str, str | None]], merge: dict[str, str],
                   dates: dict[str, str | None]) -> list[Entity]:
    """One entity per merged id (``merge``: key → merged id, from :func:`merge_entities`), with every mention,
    alias and dated role; ``dates``: each document's publication date, for the roles. ``rows`` in (doc, start)
    order."""
    groups: dict[str, dict[str, Any]] = {}
    for entity_id, doc_id, start, end, name, type_, title in rows:
        eid = merged_id(merge, entity_id, doc_id)
        g = groups.setdefault(eid, {"names": Counter(), "types": Counter(), "mentions": [], "roles": {}})
        g["names"][name] += 1
        g["types"][type_] += 1
        g["mentions"].append(Mention(doc_id, start, end))
        if title:
            g["roles"].setdefault((title, doc_id), Role(title, doc_id, dates.get(doc_id)))
    out = []
    for eid, g in sorted(groups.items()):
        names = g["names"]
        type_ = g["types"].most_common(1)[0][0]
        if type_ == "PERSON":  # a person's full name over a surname
            canonical = max(names, key=lambda n: (len(n.split()) > 1, names[n], len(n), n))
        else:  # a place or body by the name most often written ("Russia" over "Russian Federation")
            canonical = max(names, key=lambda n: (names[n], -len(n), n))
        roles = tuple(sorted(g["roles"].values(), key=lambda r: (r.date or "", r.title)))
        mentions = tuple(sorted(set(g["mentions"]), key=lambda m: (m.doc, m.start, m.end)))
        aliases = set(names) | ({without_nickname(n) for n in names} if type_ == "PERSON" else set())
        out.append(Entity(eid, canonical, type_, tuple(sorted(aliases - {canonical})), mentions, roles))
    return out


_THE = re.compile(r"^(?:the|The|THE)\s+")


def title_holders(rows: Iterable[tuple[str, str, int, int, str, str, str | None]], merge: dict[str, str]
                  ) -> dict[str, str]:
    """Where a document names someone by a title alone ("The Chancellor told MPs ...") and names, elsewhere in it,
    exactly one person who holds that title in some document of the store ("Chancellor Kwasi Kwarteng"), the
    title is that person there: ``key@doc`` → the person's merged id, to add to ``merge``. A title that two people
    the document names hold (a president and a former one) stays as written. ``rows`` as :func:`build_entities`
    takes them."""
    rows = list(rows)
    titles: dict[str, set[str]] = defaultdict(set)  # merged person -> titles held (folded)
    for key, _, _, _, _, type_, title in rows:
        if title and type_ == "PERSON":
            titles[merge.get(key, key)].add(_title_key(title))
    known = set().union(*titles.values()) if titles else set()
    if not known:
        return {}
    written: dict[str, set[str]] = defaultdict(set)
    for key, _, _, _, name, type_, _ in rows:
        if type_ in ("PERSON", "DESC"):
            written[key].add(_title_key(_THE.sub("", name)))
    bare = {key: next(iter(names)) for key, names in written.items() if len(names) == 1 and names <= known}
    named: dict[str, set[str]] = defaultdict(set)  # document -> merged persons it names (not by a bare title)
    for key, doc, _, _, _, type_, _ in rows:
        if type_ == "PERSON" and key not in bare:
            named[doc].add(merge.get(key, key))
    out: dict[str, str] = {}
    for key, doc, _, _, _, _, _ in rows:
        if key in bare and f"{key}@{doc}" not in out:
            holders = [p for p in named.get(doc, ()) if bare[key] in titles.get(p, ())]
            if len(holders) == 1:
                out[f"{key}@{doc}"] = holders[0]
    return out


def _title_key(title: str) -> str:
    """A title folded, its country written either way ("Turkish President" / "Turkey's president": "turkey
    president")."""
    words = fold_name(title).split()
    if words and countries({first := fold_name(words[0])}):
        words[0] = first
    return " ".join(words)


#: words an acronym leaves out ("Organisation for the Prohibition of Chemical Weapons": OPCW)
_ACRONYM_SKIPS = frozenset("the a an for and of on in to at by de la du des der".split())


def _initials(name: str) -> set[str]:
    """The acronyms a body's name makes: its capitalised words' initials ("OPCW"), with "of" as a lower-case "o"
    ("BoE") or as a capital ("ITLOS": International Tribunal for the Law Of the Sea)."""
    words = re.findall(r"[^\W\d_][\w'’-]*", name)
    if len(words) < 2:
        return set()
    plain = "".join(w[0].upper() for w in words if w.lower() not in _ACRONYM_SKIPS)
    small_of = "".join("o" if w.lower() == "of" else w[0].upper() for w in words
                       if w.lower() == "of" or w.lower() not in _ACRONYM_SKIPS)
    big_of = small_of.replace("o", "O")
    return {plain, small_of, big_of}


def acronym_merges(rows: Iterable[tuple[str, str, int, int, str, str, str | None]], merge: dict[str, str]
                   ) -> dict[str, str]:
    """A body written as an acronym of three letters or more ("BoE", "OPCW") is the one body of the store whose
    name makes that acronym, when some document writes both (an article spells a name out, then abbreviates it,
    without brackets): the merged ids whose keys should now point to the full name's. Two bodies whose names make
    the same acronym leave it alone."""
    rows = list(rows)
    names: dict[str, Counter[str]] = defaultdict(Counter)  # merged id -> names written
    types: dict[str, Counter[str]] = defaultdict(Counter)
    docs: dict[str, set[str]] = defaultdict(set)
    for key, doc, _, _, name, type_, _ in rows:
        root = merge.get(key, key)
        names[root][name] += 1
        types[root][type_] += 1
        docs[root].add(doc)
    by_acronym: dict[str, set[str]] = defaultdict(set)  # acronym -> bodies whose name makes it
    for root, written in names.items():
        if types[root].most_common(1)[0][0] != "ORG":
            continue
        for name in written:
            for acronym in _initials(name):
                if len(acronym) >= 3:
                    by_acronym[acronym].add(root)
    out: dict[str, str] = {}
    for root, written in names.items():
        if len(written) != 1:
            continue
        acronym = next(iter(written))
        if not (3 <= len(acronym) <= 8 and acronym.isalpha() and sum(c.isupper() for c in acronym) >= 2
                and types[root].most_common(1)[0][0] in ("ORG", "PERSON")):
            continue
        bodies = by_acronym.get(acronym, set()) - {root}
        if len(bodies) == 1 and docs[root] & docs[(body := next(iter(bodies)))]:
            out[root] = body
    return out


def with_acronyms(merge: dict[str, str], acronyms: dict[str, str]) -> dict[str, str]:
    """``merge`` with every key of an acronym's entity pointing to the body :func:`acronym_merges` found for it."""
    if not acronyms:
        return merge
    out = {k: acronyms.get(v, v) for k, v in merge.items()}
    for root, body in acronyms.items():
        out.setdefault(root, body)
    return out
