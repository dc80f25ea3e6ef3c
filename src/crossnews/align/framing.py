"""Stage 4b'' — framing: the words each outlet of a story uses for the same referent, side by side.

Entry function: :func:`build_framing`. Its input is each document's naming terms (found per document by
:mod:`crossnews.extract.naming`: the naming phrase of each entity mention and of each noun of a contested kind, with
its markers: qualifiers such as "so-called" or "illegal", scare quotes, affiliation affixes, appositives), the
stories and the entity merge. For each story told by two or more outlets it gives one
:class:`~crossnews.core.records.Framing` per referent that two or more outlets name, not all with the same words:

* a **referent** is a merged entity (Kiev and Kyiv are one place, Yuri and Yuriy Dalenko one person) or a
  **concept** (:data:`crossnews.extract.naming.CONCEPTS`: "referendum", "vote" and "plebiscite" name the vote;
  "annexation", "reunification" and "occupation" the takeover);
* per outlet (documents of the same outlet together), its **forms**: the distinct wordings (case folded to the most
  frequent spelling), each with its count, the markers found in it and every ``[start, end)`` where it stands.

Referents are ordered by how differently the outlets name them (markers and wordings that not every outlet uses
first), then by how often they are named; at most :data:`PER_STORY` per story.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from crossnews.core.records import (
    Document,
    Entity,
    Framing,
    FramingForm,
    FramingOutlet,
    SourceRef,
    Story,
    merged_id,
)

__all__ = ["build_framing", "PER_STORY"]

#: the most referents kept per story (the most differently named first)
PER_STORY = 40


def _outlet(doc: Document) -> str:
    return doc.outlet or doc.id


def build_framing(documents: Sequence[Document], stories: Sequence[Story],
                  terms: Iterable[tuple[str, dict[str, Any]]], merge: Mapping[str, str],
                  entities: Sequence[Entity] = ()) -> list[Framing]:
    """The framing table of every story told by two or more outlets. ``terms``: ``(doc id, naming term)`` pairs;
    ``merge``: document-level entity key → merged entity id (keys absent stand for themselves)."""
    docs = {d.id: d for d in documents}
    names = {e.id: e.name for e in entities}
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for doc_id, term in terms:
        if doc_id in docs:
            by_doc[doc_id].append(term)
    out: list[Framing] = []
    for story in stories:
        members = [docs[d] for d in story.documents if d in docs]
        if len({_outlet(d) for d in members}) < 2:
            continue
        # referent -> outlet -> folded form -> [(doc, start, end, form, markers)]
        table: dict[str, dict[str, dict[str, list[tuple[str, int, int, str, tuple[str, ...]]]]]] = \
            defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
        kinds: dict[str, str] = {}
        for d in members:
            for t in by_doc.get(d.id, ()):
                ref = t["referent"] if t["kind"] == "concept" else merged_id(merge, t["referent"], d.id)
                kinds[ref] = t["kind"]
                table[ref][_outlet(d)][t["form"].casefold()].append(
                    (d.id, t["start"], t["end"], t["form"], tuple(t["markers"])))
        found = []
        for ref, outlets in table.items():
            if len(outlets) < 2:
                continue
            if not _divergence(outlets):  # every outlet names it with the same words: nothing to compare
                continue
            found.append((_divergence(outlets), sum(len(v) for o in outlets.values() for v in o.values()), ref))
        found.sort(key=lambda x: (-x[0], -x[1], x[2]))
        for _, _, ref in found[:PER_STORY]:
            outlets = table[ref]
            rows = []
            for outlet in sorted(outlets):
                forms = []
                for items in outlets[outlet].values():
                    spelling = Counter(x[3] for x in items).most_common()
                    shown = min(s for s, c in spelling if c == spelling[0][1])
                    markers: list[str] = []
                    for x in items:
                        markers.extend(m for m in x[4] if m not in markers)
                    spans = tuple(SourceRef(doc, s, e) for doc, s, e, _, _ in sorted(items))
                    forms.append(FramingForm(shown, len(items), tuple(markers), spans))
                forms.sort(key=lambda f: (-f.count, f.form))
                rows.append(FramingOutlet(outlet, tuple(sorted({x[0] for v in outlets[outlet].values() for x in v})),
                                          tuple(forms)))
            kind = kinds[ref]
            label = ref.removeprefix("concept:") if kind == "concept" else names.get(ref) or _common_form(outlets)
            fid = "fr-" + hashlib.sha1(f"{story.id}|{ref}".encode()).hexdigest()[:10]
            out.append(Framing(fid, story.id, ref, kind, label, tuple(rows)))
    return out


def _common_form(outlets: Mapping[str, Mapping[str, list[Any]]]) -> str:
    counts: Counter[str] = Counter(str(x[3]) for o in outlets.values() for v in o.values() for x in v)
    best = max(counts.values())
    return min(f for f, c in counts.items() if c == best)


def _divergence(outlets: Mapping[str, Mapping[str, list[Any]]]) -> int:
    """How differently the outlets name a referent: markers and folded forms that not every outlet uses."""
    form_sets = [set(o) for o in outlets.values()]
    marker_sets = [{m for v in o.values() for x in v for m in x[4]} for o in outlets.values()]
    forms_all = set.union(*form_sets)
    forms_shared = set.intersection(*form_sets)
    markers_all = set.union(*marker_sets)
    markers_shared = set.intersection(*marker_sets)
    return 3 * len(markers_all - markers_shared) + len(forms_all - forms_shared)
