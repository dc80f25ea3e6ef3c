"""Claim genealogy: one chain per claim across documents and years, each link with what drifted.

Entry function: :func:`build_chains`. It takes the analysis and its relations. Statements joined by ``quotes``,
``same``, ``retells``, ``agrees`` or ``adds`` relations (never ``contradicts``) are one claim told several times;
a claim told in two or more documents is a :class:`~crossnews.core.records.Chain`:

``agrees`` and ``adds`` join a chain only when the judge is sure of them (a loose resemblance would chain different
claims together), and relations between events (the timeline's) make no chain.

* its **members** (the relation ends: statements, or a document's span where no statement holds quoted words)
  in the order they were told: by publication date (and time), then by the date said (:mod:`crossnews.align.order`);
  members whose order is unknown come last, by document;
* its **links**: each member after the first is linked from the earlier member it is related to most strongly
  (else from the one told just before it), and each link says what drifted from the earlier telling to the later:
  the words (replaced, added, dropped: :func:`crossnews.align.fidelity.compare`), the numbers, the dates, and who
  is credited (the speaker, and the chain of attribution from the outlet down to the speaker), with both dates and
  whether their order is known.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from crossnews.align.fidelity import compare
from crossnews.align.order import direction, moment
from crossnews.core.records import Analysis, Chain, ChainLink, Relation
from crossnews.core.unionfind import UnionFind

__all__ = ["build_chains", "CHAIN_TYPES"]

CHAIN_TYPES = ("quotes", "same", "retells", "agrees", "adds")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:\s?(?:%|percent|per cent|million|billion|thousand))?")
MAX_WORDS = 400  # longer texts are not compared word by word


def _numbers(text: str) -> list[str]:
    return [m.group(0) for m in _NUMBER.finditer(text)]


def _side(ev: dict[str, Any], key: str) -> dict[str, Any]:
    side = ev.get(key)
    return side if isinstance(side, dict) else {}


def build_chains(analysis: Analysis, relations: Sequence[Relation], min_score: float = 0.7) -> list[Chain]:
    """The chains of ``relations`` over ``analysis`` (see the module docstring), longest first. ``agrees`` and
    ``adds`` join a chain only from the judge score ``min_score``."""
    docs = {d.id: d for d in analysis.documents}
    times: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for t in analysis.times:
        if t.type in ("DATE", "TIME"):
            times[t.doc].append((t.start, t.end, t.value))
    info: dict[str, dict[str, Any]] = {}  # member -> its context (doc, span, text, speaker, chain, dates)
    edges: dict[str, list[tuple[float, str, Relation]]] = defaultdict(list)
    uf = UnionFind()
    statements = {s.id for s in analysis.statements}
    for r in relations:
        if r.type not in CHAIN_TYPES or r.a not in statements or (r.b not in statements and r.type != "quotes"):
            continue  # events agreeing on a date are no claim told again
        if r.type in ("agrees", "adds") and r.score < min_score:
            continue  # a loose resemblance would chain different claims together
        ev = dict(r.evidence)
        a, b = _side(ev, "a"), _side(ev, "b")
        if a.get("doc") not in docs or b.get("doc") not in docs or a["doc"] == b["doc"]:
            continue
        for ref, side in ((r.a, a), (r.b, b)):
            if ref not in info or ("chain" in side and "chain" not in info[ref]):
                info[ref] = side
        uf.union(r.a, r.b)
        edges[r.a].append((r.score, r.b, r))
        edges[r.b].append((r.score, r.a, r))
    chains: list[Chain] = []
    for members in uf.groups().values():
        if len({info[m]["doc"] for m in members}) < 2:
            continue
        chains.append(_chain(members, info, edges, docs, times))
    chains.sort(key=lambda c: (-len(c.members), c.id))
    return chains


def _when(side: dict[str, Any], docs: dict[str, Any]) -> tuple[str | None, str | None]:
    doc = docs.get(str(side.get("doc")))
    return moment(doc.published if doc is not None else None), side.get("date")


def _chain(members: list[str], info: dict[str, dict[str, Any]], edges: dict[str, list[tuple[float, str, Relation]]],
           docs: dict[str, Any], times: dict[str, list[tuple[int, int, str]]]) -> Chain:
    def key(m: str) -> tuple[int, str, str, str, int]:
        pub, said = _when(info[m], docs)
        when = pub or said
        return (when is None, when or "", said or "", info[m]["doc"], int(info[m].get("start") or 0))

    ordered = sorted(members, key=key)
    rank = {m: i for i, m in enumerate(ordered)}
    links = []
    for m in ordered[1:]:
        earlier = [(score, other, r) for score, other, r in edges[m] if rank[other] < rank[m]]
        if earlier:
            _, parent, rel = max(earlier, key=lambda x: (x[0], -rank[x[1]]))
            rel_id: str | None = rel.id
        else:
            parent, rel_id = ordered[rank[m] - 1], None
        links.append(_link(parent, m, rel_id, info, docs, times))
    first = info[ordered[0]]
    label = " ".join(str(first.get("text", "")).split())
    label = label if len(label) <= 160 else label[:159].rsplit(" ", 1)[0] + " …"
    digest = hashlib.sha1("\n".join(sorted(members)).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return Chain(f"chain-{digest}", label, tuple(ordered), tuple(links))


def _dates_in(side: dict[str, Any], times: dict[str, list[tuple[int, int, str]]]) -> list[str]:
    start, end = side.get("start"), side.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        return []
    return sorted({v for s, _, v in times.get(side.get("doc", ""), []) if start <= s < end})


def _credited(side: dict[str, Any], docs: dict[str, Any]) -> tuple[str | None, list[str]]:
    chain = [str(x) for x in side.get("chain") or ()]
    if chain:
        return chain[-1], chain
    doc = docs.get(str(side.get("doc")))
    outlet = side.get("outlet") or (doc.outlet if doc is not None else None)
    return side.get("speaker"), [outlet] if outlet else []


def _link(a: str, b: str, rel: str | None, info: dict[str, dict[str, Any]], docs: dict[str, Any],
          times: dict[str, list[tuple[int, int, str]]]) -> ChainLink:
    sa, sb = info[a], info[b]
    ta, tb = str(sa.get("text", "")), str(sb.get("text", ""))
    drift: dict[str, Any] = {}
    if len(ta.split()) <= MAX_WORDS and len(tb.split()) <= MAX_WORDS:
        words = compare(tb, ta)
        drift["words"] = {k: words[k] for k in ("changed", "added", "dropped")}
        drift["words"]["kind"] = "same words" if not any(words[k] for k in ("changed", "added", "dropped")) \
            else "reworded"
    na, nb = _numbers(ta), _numbers(tb)
    if na != nb:
        drift["numbers"] = {"before": na, "after": nb}
    da, db = _dates_in(sa, times), _dates_in(sb, times)
    if da != db:
        drift["dates"] = {"before": da, "after": db}
    who_a, chain_a = _credited(sa, docs)
    who_b, chain_b = _credited(sb, docs)
    if who_a != who_b or chain_a[1:] != chain_b[1:]:
        drift["credited"] = {"before": who_a, "after": who_b, "chain_before": chain_a, "chain_after": chain_b}
    first, how = direction(_when(sa, docs), _when(sb, docs))
    return ChainLink(a, b, rel, first is True, tuple(drift.items()), how.get("a"), how.get("b"))
