"""Score the whole system on real multi-outlet stories (``crossnews eval stories PATH``).

A story folder holds ``docs.jsonl`` (``id``, ``url``, ``text`` per page) and a hand-made ``gold.json``; the format
and the scoring rules are in the data's ``GUIDE.md``. PATH is one story folder or a folder of story folders. Each
story is analysed on its own, in a temporary store (:func:`crossnews.pipeline.analyze`, relations on, default
settings), and scored as the guide says:

* **metadata**: outlet accuracy (the page's site name or the outlet printed; the system's ``republisher`` -- the
  site that carries a wire copy -- and its ``outlet`` are both accepted; a bare host such as ``upi.com`` never
  counts), published-date accuracy (the exact day, ``published[:10]``, over pages whose gold date is not null) and
  title accuracy over every page (a gold ``null`` title is matched only by no title). Outlets, titles and speaker
  names are compared normalised: NFKC, case folded, every quote mark as ``'``, every dash as ``-``, whitespace
  collapsed; outlets and names also lose surrounding punctuation and a leading "the".
* **statements**: gold content is located by exact substring in the page text (every occurrence). A system
  statement's characters are its content span, or its ``parts`` when a quote is split around its cue. A gold
  statement is *found* when a system statement in the same document overlaps it by at least half of the gold's
  characters; the found statement is the one with the largest overlap (ties: the shorter system statement, then
  the earlier). Speaker accuracy over found statements: the system speaker's resolved entity name or aliases (an
  unresolved speaker: its description or the words written) match the gold speaker's name or aliases; a bare
  pronoun never matches. ``via`` accuracy over found statements with a gold ``via``: the statement the found one
  is nested in (``Statement.nested_in``) has that speaker. Precision: system statements in gold documents that
  overlap (by one character or more) some gold statement, over all system statements there, leaving out those with
  most of their characters inside an occurrence of the printed (gold) title.
* **relations**, over claim groups: gold statements joined by gold ``quotes``/``retells`` form groups (a gold
  relation end is the gold statement it overlaps most in its document). A system statement *stands for* the gold
  statement it overlaps most (ties: the shorter gold statement, then the earlier). System relation types are
  mapped to the gold's:

  ======================  ===============  =====================================================================
  system type             gold type        why
  ======================  ===============  =====================================================================
  ``quotes``              ``quotes``       fidelity.v1: a quotation found nearly verbatim in an earlier page
  ``same``                ``quotes``       the judge's "same words" (quote reuse, possibly trimmed)
  ``retells``             ``retells``      the same speaker's claim again at another date ("retold")
  ``agrees``, ``adds``    ``retells``      the same claim told again (paraphrased, or with more words)
  ``contradicts``         ``contradicts``  cannot both be true
  ``omits``, others       --               not scored (an omission is not a relation between two statements)
  ======================  ===============  =====================================================================

  Relations whose ends are not statements (the timeline's event relations, ``tl-...:doc``) are not scored and are
  counted under ``counts.relations_not_statements``; a ``quotes`` relation whose source end is a document (no
  statement holds the quoted words) is scored through the quoted span its evidence gives.

  - quotes / retells: a gold pair of that type is recalled when the two gold statements are joined through any
    path of system relations mapped to quotes or retells (through the system statements standing for them);
    a system relation mapped to the type is right when both its ends stand for statements of one gold group.
  - contradicts: over pairs of gold groups; a system contradiction is right when its ends' groups are a gold
    contradicting pair; recall is the share of gold contradicting group pairs some system contradiction links.

Every figure is ``{"value", "num", "den"}`` (``value`` is ``None`` when ``den`` is 0). The mean over stories is
the mean of the stories' values (stories with a value), with the summed numerators and denominators and their
ratio (``micro``). The result holds no timing: the same inputs give the same JSON.
"""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crossnews.core.unionfind import UnionFind

if TYPE_CHECKING:
    from crossnews.core.records import Analysis
    from crossnews.pipeline import AnalyzeOptions

__all__ = [
    "RELATION_MAP", "Story", "GoldStatement", "SysDocument", "SysStatement", "SysEnd", "SysRelation", "SystemOutput",
    "load_story", "find_stories", "norm_text", "norm_name", "is_bare_host", "speaker_matches", "overlap",
    "gold_statements", "metadata_scores", "statement_scores", "relation_scores", "score_story", "system_output",
    "analyse_story", "evaluate_stories",
]

Span = tuple[int, int]

TYPES = ("contradicts", "quotes", "retells")
RELATION_MAP: dict[str, str] = {
    "quotes": "quotes", "same": "quotes",
    "retells": "retells", "agrees": "retells", "adds": "retells",
    "contradicts": "contradicts",
}
PRONOUNS = frozenset("""i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his
himself she her hers herself it its itself they them their theirs themselves one this that these those who whom
whose""".split())
_QUOTES = str.maketrans({c: "'" for c in "\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a"
                                         "\"`\u00b4\u2032\u2033"})
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})
_HOST = re.compile(r"^(?:www\.)?(?:[a-z0-9-]+\.)+[a-z]{2,}$", re.I)
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CLIP = 200  # characters of text shown per item in the error lists


# -- normalisation -----------------------------------------------------------------------------------------------
def norm_text(text: str) -> str:
    """NFKC, case folded, quotes as ``'``, dashes as ``-``, whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES).translate(_DASHES).casefold()
    return " ".join(folded.split())


def norm_name(text: str) -> str:
    """:func:`norm_text`, without surrounding punctuation and a leading "the"."""
    out = norm_text(text).strip(" .,;:'-()[]")
    return out[4:] if out.startswith("the ") else out


def is_bare_host(value: str) -> bool:
    return bool(_HOST.match(value.strip()))


def _names(values: Iterable[str]) -> set[str]:
    out = {norm_name(v) for v in values if v}
    return {n for n in out if n and n not in PRONOUNS}


def speaker_matches(system: Iterable[str], gold: Iterable[str]) -> bool:
    """True when a system name matches a gold name (normalised); pronouns match nothing."""
    return bool(_names(system) & _names(gold))


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= CLIP else text[: CLIP - 1] + "\u2026"


def _figure(num: int, den: int) -> dict[str, Any]:
    return {"value": round(num / den, 4) if den else None, "num": num, "den": den}


# -- the data ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Story:
    name: str
    path: Path
    texts: dict[str, str]  # gold document id -> page text
    gold: dict[str, Any]


def load_story(path: str | Path) -> Story:
    folder = Path(path)
    texts: dict[str, str] = {}
    with (folder / "docs.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                record = json.loads(line)
                texts[str(record["id"])] = str(record["text"])
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    return Story(folder.name, folder, texts, gold)


def _is_story(path: Path) -> bool:
    return (path / "docs.jsonl").is_file() and (path / "gold.json").is_file()


def find_stories(path: str | Path, names: Sequence[str] = ()) -> list[Path]:
    """The story folders under ``path`` (itself, or its subfolders, by name), limited to ``names`` when given.
    Raises FileNotFoundError when ``path`` is absent or holds no story, KeyError for an unknown name."""
    root = Path(path)
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: no such folder (give a story folder or a folder of story folders)")
    found = [root] if _is_story(root) else sorted(p for p in root.iterdir() if p.is_dir() and _is_story(p))
    if not found:
        raise FileNotFoundError(f"{root}: no story here (a story folder holds docs.jsonl and gold.json)")
    if names:
        by_name = {p.name: p for p in found}
        unknown = [n for n in names if n not in by_name]
        if unknown:
            raise KeyError(f"no story named {', '.join(unknown)} in {root} (there: {', '.join(sorted(by_name))})")
        found = [by_name[n] for n in sorted(set(names))]
    return found


@dataclass(frozen=True, slots=True)
class GoldStatement:
    index: int
    doc: str
    speaker: str
    content: str
    via: str | None
    spans: tuple[Span, ...]  # every occurrence of ``content`` in the page text


def _occurrences(text: str, needle: str) -> tuple[Span, ...]:
    out: list[Span] = []
    if not needle:
        return ()
    i = text.find(needle)
    while i >= 0:
        out.append((i, i + len(needle)))
        i = text.find(needle, i + 1)
    return tuple(out)


def gold_statements(story: Story) -> list[GoldStatement]:
    return [GoldStatement(i, s["doc"], s["speaker"], s["content"], s.get("via"),
                          _occurrences(story.texts.get(s["doc"], ""), s["content"]))
            for i, s in enumerate(story.gold.get("statements", []))]


@dataclass(frozen=True, slots=True)
class SysDocument:
    outlet: str | None = None
    republisher: str | None = None
    published: str | None = None
    title: str | None = None
    date_method: str = ""
    date_raw: str = ""


@dataclass(frozen=True, slots=True)
class SysStatement:
    id: str
    doc: str  # the gold document id
    spans: tuple[Span, ...]  # the content span, or its parts
    speaker: tuple[str, ...] = ()  # resolved entity name and aliases, else the description or the words written
    written: str = ""  # the speaker as written
    nested_in: str | None = None


@dataclass(frozen=True, slots=True)
class SysEnd:
    """One end of a system relation: a statement, or a span of a document (gold id), or neither (an event)."""

    statement: str | None = None
    doc: str | None = None
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class SysRelation:
    id: str
    type: str  # the system's type (see RELATION_MAP)
    a: SysEnd
    b: SysEnd


@dataclass(frozen=True, slots=True)
class SystemOutput:
    documents: Mapping[str, SysDocument]  # gold document id -> what the system found (absent: rejected)
    statements: tuple[SysStatement, ...] = ()
    relations: tuple[SysRelation, ...] = ()


# -- overlap -----------------------------------------------------------------------------------------------------
def overlap(spans: Sequence[Span], targets: Sequence[Span]) -> int:
    """Characters ``spans`` share with the best of ``targets``."""
    best = 0
    for ts, te in targets:
        n = sum(max(0, min(e, te) - max(s, ts)) for s, e in spans)
        best = max(best, n)
    return best


def _length(spans: Sequence[Span]) -> int:
    return sum(e - s for s, e in spans)


def _span_text(text: str, spans: Sequence[Span]) -> str:
    return " \u2026 ".join(text[s:e] for s, e in spans)


def _stands_for(spans: Sequence[Span], golds: Sequence[GoldStatement]) -> GoldStatement | None:
    scored = [(overlap(spans, g.spans), g) for g in golds]
    scored = [(n, g) for n, g in scored if n > 0]
    if not scored:
        return None
    return min(scored, key=lambda x: (-x[0], len(x[1].content), x[1].index))[1]


# -- metadata ----------------------------------------------------------------------------------------------------
def metadata_scores(gold_docs: Mapping[str, Mapping[str, Any]], system: Mapping[str, SysDocument]
                    ) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    outlet = [0, 0]
    date = [0, 0]
    title = [0, 0]
    errors: dict[str, list[dict[str, Any]]] = {"outlet": [], "date": [], "title": []}
    for doc_id in sorted(gold_docs):
        g = gold_docs[doc_id]
        s = system.get(doc_id)
        if g.get("outlet"):
            outlet[1] += 1
            found = [v for v in ((s.republisher, s.outlet) if s else ()) if v and not is_bare_host(v)]
            if norm_name(g["outlet"]) in {norm_name(v) for v in found}:
                outlet[0] += 1
            else:
                errors["outlet"].append({"doc": doc_id, "gold": g["outlet"], "outlet": s.outlet if s else None,
                                         "republisher": s.republisher if s else None})
        if g.get("published"):
            date[1] += 1
            published = (s.published or "") if s else ""
            day = published[:10]
            if _DAY.match(day) and day == g["published"]:
                date[0] += 1
            else:
                errors["date"].append({"doc": doc_id, "gold": g["published"],
                                       "printed": g.get("published_evidence"), "system": published or None,
                                       "method": s.date_method if s else None, "raw": s.date_raw if s else None})
        title[1] += 1
        gold_title = norm_text(g.get("title") or "")
        sys_title = norm_text((s.title or "") if s else "")
        if gold_title == sys_title:
            title[0] += 1
        else:
            errors["title"].append({"doc": doc_id, "gold": g.get("title"), "system": s.title if s else None})
    figures = {"outlet_accuracy": _figure(*outlet), "date_accuracy": _figure(*date),
               "title_accuracy": _figure(*title)}
    return figures, errors


# -- statements --------------------------------------------------------------------------------------------------
def _title_spans(text: str, title: str | None) -> tuple[Span, ...]:
    if not title:
        return ()
    found = _occurrences(text, title)
    if found:
        return found
    # the same characters up to case, quote and dash styles (one character for one, so offsets hold)
    def fold(s: str) -> str:
        return "".join(c.lower() if len(c.lower()) == 1 else c for c in s.translate(_QUOTES).translate(_DASHES))

    return _occurrences(fold(text), fold(title))


def _entity_names(gold: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    return {e["name"]: (e["name"], *e.get("aliases", ())) for e in gold.get("entities", [])}


def statement_scores(story: Story, system: SystemOutput
                     ) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """Recall, precision, speaker and via accuracy; the error lists; counts."""
    golds = gold_statements(story)
    names = _entity_names(story.gold)
    gold_docs = set(story.gold.get("documents", {})) | {g.doc for g in golds}
    golds_in: dict[str, list[GoldStatement]] = defaultdict(list)
    for g in golds:
        golds_in[g.doc].append(g)
    sys_in: dict[str, list[SysStatement]] = defaultdict(list)
    for st in system.statements:
        if st.doc in gold_docs:
            sys_in[st.doc].append(st)
    by_id = {st.id: st for st in system.statements}
    errors: dict[str, list[dict[str, Any]]] = {"not_found": [], "speaker": [], "via": [], "spurious": []}
    found = speaker_ok = via_ok = via_den = 0
    for g in golds:
        text = story.texts.get(g.doc, "")
        candidates = sorted(((overlap(st.spans, g.spans), st) for st in sys_in.get(g.doc, [])),
                            key=lambda x: (-x[0], _length(x[1].spans), x[1].spans[:1], x[1].id))
        best = candidates[0] if candidates and candidates[0][0] > 0 else None
        if best is None or 2 * best[0] < len(g.content):
            errors["not_found"].append({
                "doc": g.doc, "speaker": g.speaker, "content": _clip(g.content),
                "best": None if best is None else {"text": _clip(_span_text(text, best[1].spans)),
                                                   "share": round(best[0] / len(g.content), 2)},
                **({} if g.spans else {"note": "gold content is not in the page text"}),
            })
            continue
        found += 1
        st = best[1]
        gold_names = names.get(g.speaker, (g.speaker,))
        if speaker_matches(st.speaker, gold_names):
            speaker_ok += 1
        else:
            errors["speaker"].append({"doc": g.doc, "content": _clip(g.content), "gold": g.speaker,
                                      "system": list(st.speaker[:6]), "written": st.written})
        if g.via:
            via_den += 1
            outer = by_id.get(st.nested_in) if st.nested_in else None
            if outer is not None and speaker_matches(outer.speaker, names.get(g.via, (g.via,))):
                via_ok += 1
            else:
                errors["via"].append({"doc": g.doc, "content": _clip(g.content), "gold": g.via,
                                      "system": list(outer.speaker[:6]) if outer else None,
                                      "nested": outer is not None})
    right = counted = in_titles = 0
    for doc_id in sorted(sys_in):
        text = story.texts.get(doc_id, "")
        titles = _title_spans(text, (story.gold.get("documents", {}).get(doc_id) or {}).get("title"))
        for st in sorted(sys_in[doc_id], key=lambda s: (s.spans[:1], s.id)):
            if titles and 2 * overlap(st.spans, titles) > _length(st.spans):
                in_titles += 1
                continue
            counted += 1
            if any(overlap(st.spans, g.spans) > 0 for g in golds_in.get(doc_id, [])):
                right += 1
            else:
                errors["spurious"].append({"doc": doc_id, "text": _clip(_span_text(text, st.spans)),
                                           "speaker": st.speaker[0] if st.speaker else st.written or None})
    figures = {"recall": _figure(found, len(golds)), "precision": _figure(right, counted),
               "speaker_accuracy": _figure(speaker_ok, found), "via_accuracy": _figure(via_ok, via_den)}
    counts = {"gold_statements": len(golds), "system_statements": sum(len(v) for v in sys_in.values()),
              "system_statements_in_titles": in_titles}
    return figures, errors, counts


# -- relations ---------------------------------------------------------------------------------------------------
def _gold_end(story: Story, end: Mapping[str, Any], golds_in: Mapping[str, list[GoldStatement]]
              ) -> GoldStatement | None:
    spans = _occurrences(story.texts.get(end["doc"], ""), end["text"])
    scored = [(max((overlap([s], g.spans) for s in spans), default=0), g) for g in golds_in.get(end["doc"], [])]
    scored = [(n, g) for n, g in scored if n > 0]
    if not scored:
        return None
    return min(scored, key=lambda x: (-x[0], x[1].content != end["text"], len(x[1].content), x[1].index))[1]


def relation_scores(story: Story, system: SystemOutput
                    ) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Per gold type: recall and precision over claim groups; the error lists; counts."""
    golds = gold_statements(story)
    golds_in: dict[str, list[GoldStatement]] = defaultdict(list)
    for g in golds:
        golds_in[g.doc].append(g)
    texts = story.texts

    # gold groups and pairs
    groups = UnionFind(f"g{g.index}" for g in golds)
    gold_rel: list[tuple[str, GoldStatement, GoldStatement]] = []
    unmapped = 0
    for rel in story.gold.get("relations", []):
        ga, gb = _gold_end(story, rel["a"], golds_in), _gold_end(story, rel["b"], golds_in)
        if ga is None or gb is None or ga.index == gb.index:
            unmapped += 1
            continue
        gold_rel.append((rel["type"], ga, gb))
        if rel["type"] in ("quotes", "retells"):
            groups.union(f"g{ga.index}", f"g{gb.index}")

    def group(g: GoldStatement) -> str:
        return groups.find(f"g{g.index}")

    pairs: dict[str, set[tuple[int, int]]] = {"quotes": set(), "retells": set()}
    contra: set[frozenset[str]] = set()
    contra_same_group = 0
    for kind, ga, gb in gold_rel:
        if kind in pairs:
            pairs[kind].add((min(ga.index, gb.index), max(ga.index, gb.index)))
        elif kind == "contradicts":
            if group(ga) == group(gb):
                contra_same_group += 1
            else:
                contra.add(frozenset((group(ga), group(gb))))

    # system statements and relation ends -> gold statements
    by_id = {st.id: st for st in system.statements}
    stands: dict[str, GoldStatement | None] = {st.id: _stands_for(st.spans, golds_in.get(st.doc, []))
                                               for st in system.statements}

    def resolve(end: SysEnd) -> tuple[bool, GoldStatement | None, str, str]:
        """(resolvable, gold statement, doc, text) of one end."""
        if end.statement is not None and end.statement in by_id:
            st = by_id[end.statement]
            return True, stands[st.id], st.doc, _span_text(texts.get(st.doc, ""), st.spans)
        if end.doc is not None and end.span is not None:
            return (True, _stands_for([end.span], golds_in.get(end.doc, [])), end.doc,
                    texts.get(end.doc, "")[end.span[0]:end.span[1]])
        return False, None, "", ""

    joined = UnionFind()
    for sid, stood in sorted(stands.items(), key=lambda x: x[0]):
        if stood is not None:
            joined.union(f"s{sid}", f"g{stood.index}")
    mapped: list[tuple[str, SysRelation, tuple[GoldStatement | None, str, str], tuple[GoldStatement | None, str, str]]]
    mapped = []
    by_type: Counter[str] = Counter()
    not_statements = 0
    for rel in sorted(system.relations, key=lambda r: r.id):
        by_type[rel.type] += 1
        mapped_type = RELATION_MAP.get(rel.type)
        if mapped_type is None:
            continue
        ok_a, ga, da, ta = resolve(rel.a)
        ok_b, gb, db, tb = resolve(rel.b)
        if not (ok_a and ok_b):
            not_statements += 1
            continue
        mapped.append((mapped_type, rel, (ga, da, ta), (gb, db, tb)))
        if mapped_type in ("quotes", "retells"):
            na = f"s{rel.a.statement}" if rel.a.statement else f"x{rel.id}:a"
            nb = f"s{rel.b.statement}" if rel.b.statement else f"x{rel.id}:b"
            for node, end_gold in ((na, ga), (nb, gb)):
                if end_gold is not None:
                    joined.union(node, f"g{end_gold.index}")
            joined.union(na, nb)

    def show(g: GoldStatement) -> dict[str, Any]:
        return {"doc": g.doc, "speaker": g.speaker, "text": _clip(g.content)}

    def show_end(end: tuple[GoldStatement | None, str, str]) -> dict[str, Any]:
        g, doc, text = end
        return {"doc": doc, "text": _clip(text), "gold": None if g is None else _clip(g.content)}

    by_index = {g.index: g for g in golds}
    figures: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for kind in ("quotes", "retells"):
        missed = [(i, j) for i, j in sorted(pairs[kind]) if joined.find(f"g{i}") != joined.find(f"g{j}")]
        rels = [m for m in mapped if m[0] == kind]
        wrong = [m for m in rels if m[2][0] is None or m[3][0] is None or group(m[2][0]) != group(m[3][0])]
        figures[kind] = {"recall": _figure(len(pairs[kind]) - len(missed), len(pairs[kind])),
                         "precision": _figure(len(rels) - len(wrong), len(rels))}
        errors[kind] = {"missed": [{"a": show(by_index[i]), "b": show(by_index[j])} for i, j in missed],
                        "wrong": [{"type": m[1].type, "a": show_end(m[2]), "b": show_end(m[3])} for m in wrong]}
    first: dict[str, GoldStatement] = {}  # group -> its first gold statement, to show a group
    for g in golds:
        first.setdefault(group(g), g)
    rels = [m for m in mapped if m[0] == "contradicts"]
    linked: set[frozenset[str]] = set()
    wrong_c = []
    for m in rels:
        ga, gb = m[2][0], m[3][0]
        pair = frozenset((group(ga), group(gb))) if ga is not None and gb is not None else None
        if pair is not None and pair in contra:
            linked.add(pair)
        else:
            wrong_c.append(m)
    ordered = sorted(contra, key=lambda p: sorted(first[x].index for x in p))
    missed_c = [p for p in ordered if p not in linked]
    figures["contradicts"] = {"recall": _figure(len(contra) - len(missed_c), len(contra)),
                              "precision": _figure(len(rels) - len(wrong_c), len(rels))}
    errors["contradicts"] = {
        "missed": [dict(zip(("a", "b"), (show(first[x]) for x in sorted(p, key=lambda x: first[x].index)),
                            strict=True)) for p in missed_c],
        "wrong": [{"type": m[1].type, "a": show_end(m[2]), "b": show_end(m[3])} for m in wrong_c],
    }
    counts = {
        "gold_groups": len({group(g) for g in golds}),
        "gold_pairs": {"quotes": len(pairs["quotes"]), "retells": len(pairs["retells"]),
                       "contradicts": len(contra)},
        "gold_relations_unmapped": unmapped,
        "gold_contradictions_within_a_group": contra_same_group,
        "system_relations": dict(sorted(by_type.items())),
        "relations_not_statements": not_statements,
    }
    return figures, errors, counts


# -- one story ---------------------------------------------------------------------------------------------------
def score_story(story: Story, system: SystemOutput, *, errors: bool = False) -> dict[str, Any]:
    meta, meta_errors = metadata_scores(story.gold.get("documents", {}), system.documents)
    stmts, stmt_errors, stmt_counts = statement_scores(story, system)
    rels, rel_errors, rel_counts = relation_scores(story, system)
    out: dict[str, Any] = {
        "documents": len(story.gold.get("documents", {})),
        "documents_analysed": sum(1 for d in story.gold.get("documents", {}) if d in system.documents),
        "metadata": meta,
        "statements": stmts,
        "relations": rels,
        "counts": {**stmt_counts, **rel_counts},
    }
    if errors:
        out["errors"] = {"metadata": meta_errors, "statements": stmt_errors, "relations": rel_errors}
    return out


def system_output(analysis: Analysis, doc_ids: Mapping[str, str]) -> SystemOutput:
    """What the system made of a story, keyed by gold document id (``doc_ids``: gold id -> system document id)."""
    docs = {d.id: d for d in analysis.documents}
    entities = {e.id: e for e in analysis.entities}
    gold_of: dict[str, list[str]] = defaultdict(list)  # system document -> gold ids (copies share one document)
    for gid, doc_id in sorted(doc_ids.items()):
        if doc_id in docs:
            gold_of[doc_id].append(gid)
    documents: dict[str, SysDocument] = {}
    for sid, gids in gold_of.items():
        d = docs[sid]
        pe = d.published_evidence
        for gid in gids:
            documents[gid] = SysDocument(d.outlet, d.republisher, d.published, d.title, pe.method, pe.raw)
    statements: list[SysStatement] = []
    first_id: dict[str, str] = {}
    for st in analysis.statements:
        doc = docs.get(st.doc)
        if doc is None:
            continue
        written = (st.speaker.span.text_of(doc.text) if st.speaker.span is not None
                   else st.speaker.description or "")
        entity = entities.get(st.speaker.entity) if st.speaker.entity else None
        if entity is not None:
            speaker: tuple[str, ...] = (entity.name, *entity.aliases)
        else:
            speaker = tuple(v for v in (st.speaker.description, written) if v)
        spans = tuple((p.start, p.end) for p in st.parts) or ((st.content.start, st.content.end),)
        for k, gid in enumerate(gold_of.get(st.doc, [])):
            sid = st.id if k == 0 else f"{st.id}@{gid}"
            first_id.setdefault(st.id, sid)
            nested = st.nested_in if k == 0 or st.nested_in is None else f"{st.nested_in}@{gid}"
            statements.append(SysStatement(sid, gid, spans, speaker, written, nested))

    def end(ref: str, evidence: Any) -> SysEnd:
        if ref in first_id:
            return SysEnd(statement=first_id[ref])
        if ref in gold_of and isinstance(evidence, dict) and isinstance(evidence.get("start"), int):
            return SysEnd(doc=gold_of[ref][0], span=(evidence["start"], evidence["end"]))
        return SysEnd()

    relations = []
    for r in analysis.relations:
        ev = dict(r.evidence)
        relations.append(SysRelation(r.id, r.type, end(r.a, ev.get("a")), end(r.b, ev.get("b"))))
    return SystemOutput(documents, tuple(statements), tuple(relations))


def analyse_story(story: Story, options: AnalyzeOptions | None = None) -> SystemOutput:
    """Analyse the story's ``docs.jsonl`` in a temporary store, relations on."""
    from crossnews.pipeline import AnalyzeOptions, Event, analyze
    from crossnews.store.sqlite import open_store

    doc_ids: dict[str, str] = {}

    def on_event(event: Event) -> None:
        if event.doc_id is not None and "#" in event.source:
            doc_ids[event.source.rsplit("#", 1)[1]] = event.doc_id

    with tempfile.TemporaryDirectory(prefix="crossnews-stories-") as tmp, \
            open_store(Path(tmp) / "story.db") as store:
        analyze([str(story.path / "docs.jsonl")], store, options or AnalyzeOptions(), on_event=on_event)
        analysis = store.analysis()
    for gid in story.texts:  # ids given in the JSONL are the document ids
        if gid not in doc_ids and any(d.id == gid for d in analysis.documents):
            doc_ids[gid] = gid
    return system_output(analysis, doc_ids)


# -- many stories ------------------------------------------------------------------------------------------------
def _mean(results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    def walk(nodes: list[Any]) -> Any:
        head = nodes[0]
        if isinstance(head, dict) and "num" in head and "den" in head:
            values = [n["value"] for n in nodes if n["value"] is not None]
            num, den = sum(n["num"] for n in nodes), sum(n["den"] for n in nodes)
            return {"value": round(sum(values) / len(values), 4) if values else None, "num": num, "den": den,
                    "micro": round(num / den, 4) if den else None, "stories": len(values)}
        return {k: walk([n[k] for n in nodes]) for k in head}

    return {part: walk([r[part] for r in results]) for part in ("metadata", "statements", "relations")}


def evaluate_stories(path: str | Path, *, stories: Sequence[str] = (), errors: bool = False,
                     options: AnalyzeOptions | None = None,
                     on_story: Callable[[str, float], None] | None = None) -> dict[str, Any]:
    """Analyse and score every story under ``path`` (see the module docstring). A story the pipeline fails on gets
    ``{"error": message}`` and is left out of the mean. ``on_story`` is called with each story's name and the
    seconds its analysis and scoring took."""
    import time

    from crossnews.core.errors import CrossnewsError

    results: dict[str, Any] = {}
    for folder in find_stories(path, stories):
        started = time.perf_counter()
        story = load_story(folder)
        try:
            results[story.name] = score_story(story, analyse_story(story, options), errors=errors)
        except CrossnewsError as exc:  # one story the pipeline fails on is reported; the others are scored
            results[story.name] = {"error": str(exc)}
        if on_story is not None:
            on_story(story.name, time.perf_counter() - started)
    scored = [r for r in results.values() if "error" not in r]
    return {"stories": results, "mean": _mean(scored) if scored else None,
            "notes": "Rules: GUIDE.md beside the data; details and the relation type mapping: crossnews.eval.stories"}
