"""Stage 4a — align entities: one entity per real-world referent across documents.

Entry function: :func:`merge_entities` takes the document-level entity keys (with the names and types they were
written with) and returns, for each key, the id of the merged entity:

* places already share gazetteer ids ("Kiev" and "Kyiv" are one geonames id);
* names fold to transliteration-tolerant skeletons ("Sergey Lavrov" = "Sergei Lavrov", "Lugansk" = "Luhansk")
  and merge within a type; different people who share a first name keep different skeletons ("Sergey Lavrov" is
  not "Sergey Shoigu");
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

from crossnews.extract.names import name_tokens, skeleton

__all__ = ["KeyInfo", "merge_entities", "resolve_meantime"]

_PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers", "himself", "herself"}
_THING_PRONOUNS = {"it", "its", "itself"}
_ORG_NOUNS = ("company|firm|automaker|carmaker|manufacturer|maker|airline|carrier|group|bank|corporation|"
              "conglomerate|giant|business|retailer|chain|exchange|agency|organization|organisation")
_TYPE_GROUP = {"PERSON": "PERSON", "ORG": "ORG", "NORP": "NORP", "GPE": "PLACE", "LOC": "PLACE", "DESC": "DESC"}


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
    surnames: dict[tuple[str, str], set[str]] = defaultdict(set)
    for key, info in infos.items():
        if key.startswith("anon:"):
            continue
        group = _TYPE_GROUP.get(info.type, info.type)
        name = max(info.names, key=lambda n: (len(n.split()), info.names[n]))
        sk = skeleton(name)
        if not sk:
            continue
        blocks[(group, sk)].append(key)
        if group == "PERSON" and len(sk.split()) > 1:
            surnames[(group, sk.split()[-1])].add(sk)
    for keys in blocks.values():
        for other in keys[1:]:
            union(keys[0], other)
    # a surname alone joins the one full name with that surname
    for (group, sk), keys in blocks.items():
        if group != "PERSON" or len(sk.split()) != 1:
            continue
        fulls = surnames.get((group, sk), set())
        if len(fulls) == 1:
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


def resolve_meantime(docs: list[Any]) -> list[set[tuple[str, int, int]]]:
    """Cross-document coreference for ``crossnews eval coref``: cluster MEANTIME's gold mention spans by the
    same name keys the pipeline uses (the spaCy model gives each span a type; spans it does not tag keep theirs)."""
    from crossnews.core.nlp import PIPE_BATCH, load_nlp
    from crossnews.extract.entities import entity_key

    nlp = load_nlp()
    items: list[tuple[str, str, str]] = []
    mention_key: dict[tuple[str, int, int], str] = {}
    for doc, sdoc in zip(docs, nlp.pipe((d.text for d in docs), batch_size=PIPE_BATCH), strict=True):
        last: dict[str, str] = {}  # the latest named person / organisation, for pronouns
        for m in sorted(doc.entity_mentions, key=lambda m: m.start):
            span = sdoc.char_span(m.start, m.end, alignment_mode="expand")
            label = next((t.ent_type_ for t in span if t.ent_type_), "") if span is not None else ""
            text = doc.text[m.start:m.end]
            type_ = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "NORP": "NORP",
                     "FAC": "LOC", "PRODUCT": "ORG"}.get(label, "")
            tokens = name_tokens(text)
            pronoun = text.lower()
            if pronoun in _PERSON_PRONOUNS and "PERSON" in last:
                key = last["PERSON"]
            elif pronoun in _THING_PRONOUNS and "ORG" in last:
                key = last["ORG"]
            elif "ORG" in last and re.fullmatch(r"the\s+(?:\w+\s+)?(?:" + _ORG_NOUNS + r")", pronoun):
                key = last["ORG"]  # "the company", "the carmaker": the organisation last named
            elif not type_ or not tokens:
                # common nouns and pronouns: the same words refer alike within a topic ("the company")
                key = "text:" + " ".join(text.lower().split())
            else:
                key = entity_key(text, type_)
            if type_ in ("PERSON", "ORG"):
                last[type_] = key
            items.append((key, text, type_ or "X"))
            mention_key[(doc.name, m.start, m.end)] = key
    merged = merge_entities(items)
    clusters: dict[str, set[tuple[str, int, int]]] = defaultdict(set)
    for mkey, key in mention_key.items():
        clusters[merged[key]].add(mkey)
    return list(clusters.values())
