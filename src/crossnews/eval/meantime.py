"""Score time expressions (TempEval-3 style) and cross-document entity coreference on NewsReader MEANTIME.

The English MEANTIME corpus (Minard et al., LREC 2016) holds 120 Wikinews articles in CAT XML: ``<token t_id
sentence number>`` tokens, ``<Markables>`` (``TIMEX3``, ``ENTITY_MENTION`` anchored to tokens, non-anchored
``ENTITY`` instances carrying a corpus-wide ``instance_id``) and ``<Relations>`` (``REFERS_TO`` from mentions to
instances). A shared ``instance_id`` across documents is cross-document coreference.

Conventions (see also the ``notes`` each evaluation returns):

* **Text.** Tokens are joined by one space within a sentence, sentences by ``"\\n"``: line 1 is the title, line 2
  the date line ("March 06 , 2008").
* **DCT.** 118 documents mark the date line's TIMEX3 ``functionInDocument="CREATION_TIME"`` (always anchored to the
  whole date line); two (``78496_...``, ``8951_...``) annotate the date line with ``functionInDocument="NONE"`` and
  have no CREATION_TIME, so a timex covering exactly the whole date line is taken as their DCT. DCT timexes are kept
  with ``is_dct=True`` (their ``value`` as annotated) and, as in TempEval-3 (where the DCT is given as input), are
  not scored: gold DCTs are left out and predictions overlapping a gold DCT span are ignored. ``MeantimeDoc.dct``
  is the annotated value, except where it disagrees with the date line it annotates (2 documents: ``03-02-2009``
  written day first, and ``2008-10-20`` for "October 10 , 2008" where the document's own "the start of the day"
  is 2008-10-10): there the date line's date is used.
* **Annotated region.** Document-level annotation (all TIMEX3, all entity mentions) covers sentences 0-5 only:
  title, date line and the first four body sentences (``MeantimeDoc.annotated_end``). Past it, only mentions of
  entities that occur in several documents were annotated (the corpus-level CROMER layer: 1,048 of 1,052 later
  mentions belong to cross-document instances), and no TIMEX3 at all. Timex predictions past the region are
  therefore ignored.
* **Unanchored TIMEX3** (37 in the corpus: implicit begin/end points of durations, with only a ``TAG_DESCRIPTOR``)
  have no text and are left out.
* **Entity mentions** carry the ``instance_id`` of the ``ENTITY`` they refer to. 65 ``ENTITY`` elements have no
  ``instance_id`` (document-level entities not linked at corpus level): their mentions get a document-local id
  ``"<doc name>#<m_id>"``. 52 mentions have no ``REFERS_TO`` at all: they get ``instance_id=None`` and are left out
  of coreference scoring (a prediction on their span is ignored, neither right nor wrong). A mention that refers to
  two entities (2 cases) takes the first one that has an ``instance_id``. Mentions annotated twice with the same
  span (8 cases: a CROMER copy of a CAT mention) are kept once. A discontinuous mention spans min start .. max end.
* **Coreference metrics** follow the CoNLL reference scorer (Pradhan et al., 2014) when system mentions differ
  from gold mentions: the original MUC, B-cubed and CEAF-e formulas are applied to the key and response as given.
  A gold mention the response lacks (or a response mention gold lacks) earns nothing: for MUC it is its own part
  of the partition; for B-cubed and CEAF-e it adds to the denominators only (no singletons are invented on the
  other side, which would give free credit -- the Cai & Strube 2010 variant that Pradhan et al. argue against).
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crossnews.align.entities import _ORG_NOUNS, _PERSON_PRONOUNS, _THING_PRONOUNS, merge_entities
from crossnews.core.nlp import PIPE_BATCH, load_nlp
from crossnews.extract.entities import entity_key
from crossnews.extract.names import name_tokens
from crossnews.extract.time import tag_times

__all__ = [
    "GoldTimex",
    "GoldMention",
    "MeantimeDoc",
    "load_meantime",
    "score_timexes",
    "evaluate_time",
    "score_coref",
    "gold_coref_clusters",
    "evaluate_coref",
]

PredTimex = tuple[int, int, str, str]  # start, end, type, value
MentionKey = tuple[str, int, int]  # doc name, start, end
Tagger = Callable[[str, str], Sequence[PredTimex]]
Resolver = Callable[[list["MeantimeDoc"]], Iterable[set[MentionKey]]]


@dataclass(frozen=True, slots=True)
class GoldTimex:
    start: int
    end: int
    type: str  # DATE, TIME, DURATION, SET
    value: str  # TIMEX3 value as annotated: "2009-05-14", "P1Y", "2009-Q3", "PRESENT_REF", ...
    m_id: str
    is_dct: bool = False


@dataclass(frozen=True, slots=True)
class GoldMention:
    start: int
    end: int
    instance_id: str | None  # corpus-level id; "<doc>#<m_id>" for doc-local entities; None when unlinked
    ent_type: str | None  # PER, ORG, LOC, PRO, FIN, MIX
    m_id: str
    syntactic_type: str = ""  # NAM, NOM, PRO, PTV, PRE.NAM, ... ("" when not annotated)


@dataclass(frozen=True, slots=True)
class MeantimeDoc:
    name: str
    corpus: str
    text: str
    token_spans: dict[str, tuple[int, int]]
    dct: str  # ISO date of creation, e.g. "2009-05-14"
    timexes: list[GoldTimex]
    entity_mentions: list[GoldMention]
    doc_id: str = ""
    url: str = ""
    title: str = field(default="")
    annotated_end: int = 0  # end of sentence 5 (title, date line, 4 body sentences): TIMEX3 are annotated up to here


# --------------------------------------------------------------------------------------------------- loading

def _find_root(path: Path) -> Path:
    sub = path / "intra_cross-doc_annotation"
    return sub if sub.is_dir() else path


_ANNOTATED_SENTENCES = 6  # sentences 0-5 carry the full document-level annotation (TIMEX3, all entity mentions)
_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
     "december"], 1)}
_DATE_LINE = re.compile(r"([A-Za-z]+) (\d{1,2}) , (\d{4})")


def _parse_date_line(line: str) -> str:
    m = _DATE_LINE.fullmatch(line.strip())
    if not m or m.group(1).lower() not in _MONTHS:
        return ""
    return f"{int(m.group(3)):04d}-{_MONTHS[m.group(1).lower()]:02d}-{int(m.group(2)):02d}"


def _load_file(path: Path, corpus: str) -> MeantimeDoc:
    root = ET.parse(path).getroot()
    tokens = list(root.iter("token"))
    tokens.sort(key=lambda t: int(t.get("number", "0")))
    parts: list[str] = []
    spans: dict[str, tuple[int, int]] = {}
    sentence_of: dict[str, str] = {}
    sentences: dict[str, list[str]] = defaultdict(list)
    pos = 0
    prev_sent: str | None = None
    for tok in tokens:
        sent = tok.get("sentence", "0")
        word = tok.text or ""
        if prev_sent is not None:
            sep = " " if sent == prev_sent else "\n"
            parts.append(sep)
            pos += 1
        t_id = tok.get("t_id", "")
        spans[t_id] = (pos, pos + len(word))
        sentence_of[t_id] = sent
        sentences[sent].append(t_id)
        parts.append(word)
        pos += len(word)
        prev_sent = sent
    text = "".join(parts)
    name = root.get("doc_name") or path.stem

    def span_of(elem: ET.Element) -> tuple[int, int] | None:
        ids = [a.get("t_id", "") for a in elem.findall("token_anchor")]
        ids = [i for i in ids if i in spans]
        if not ids:
            return None
        return min(spans[i][0] for i in ids), max(spans[i][1] for i in ids)

    markables = root.find("Markables")
    relations = root.find("Relations")
    elems = list(markables) if markables is not None else []
    by_id = {e.get("m_id", ""): e for e in elems}

    # date line = sentence following the title (sentence ids sorted numerically)
    sent_ids = sorted(sentences, key=int)
    date_line: tuple[int, int] | None = None
    if len(sent_ids) > 1:
        ids = sentences[sent_ids[1]]
        date_line = (spans[ids[0]][0], spans[ids[-1]][1])

    timexes: list[GoldTimex] = []
    dct = ""
    raw_timexes = [e for e in elems if e.tag == "TIMEX3"]
    has_creation = any(e.get("functionInDocument") == "CREATION_TIME" for e in raw_timexes)
    for e in raw_timexes:
        sp = span_of(e)
        is_dct = e.get("functionInDocument") == "CREATION_TIME" or (not has_creation and sp is not None
                                                                     and sp == date_line)
        if is_dct and not dct:
            dct = e.get("value", "")
        if sp is None:
            continue  # unanchored (implicit) timex, or a DCT without tokens: nothing to find in the text
        timexes.append(GoldTimex(sp[0], sp[1], e.get("type", ""), e.get("value", ""), e.get("m_id", ""), is_dct))
    timexes.sort(key=lambda t: (t.start, t.end))
    if date_line is not None:
        shown = _parse_date_line(text[date_line[0]:date_line[1]])
        if shown and shown != dct:  # 2 documents: "03-02-2009" (day first) and 2008-10-20 for "October 10 , 2008"
            dct = shown

    refers: dict[str, list[str]] = defaultdict(list)
    if relations is not None:
        for rel in relations.iter("REFERS_TO"):
            tgt = rel.find("target")
            if tgt is None:
                continue
            for src in rel.findall("source"):
                refers[src.get("m_id", "")].append(tgt.get("m_id", ""))

    mentions: list[GoldMention] = []
    seen: set[tuple[int, int]] = set()
    for e in elems:
        if e.tag != "ENTITY_MENTION":
            continue
        sp = span_of(e)
        if sp is None or sp in seen:
            continue
        seen.add(sp)
        targets = [by_id[t] for t in refers.get(e.get("m_id", ""), []) if t in by_id and by_id[t].tag == "ENTITY"]
        targets.sort(key=lambda x: not x.get("instance_id"))  # stable: first with an instance_id
        instance: str | None = None
        ent_type: str | None = None
        if targets:
            ent = targets[0]
            instance = ent.get("instance_id") or f"{name}#{ent.get('m_id')}"
            ent_type = ent.get("ent_type") or None
        mentions.append(GoldMention(sp[0], sp[1], instance, ent_type, e.get("m_id", ""),
                                    e.get("syntactic_type") or ""))
    mentions.sort(key=lambda m: (m.start, m.end))
    title = text.split("\n", 1)[0]
    last = sent_ids[min(_ANNOTATED_SENTENCES, len(sent_ids)) - 1] if sent_ids else None
    annotated_end = spans[sentences[last][-1]][1] if last is not None else 0
    return MeantimeDoc(name=name, corpus=corpus, text=text, token_spans=spans, dct=dct, timexes=timexes,
                       entity_mentions=mentions, doc_id=root.get("doc_id", ""), url=root.get("url", ""),
                       title=title, annotated_end=annotated_end)


def load_meantime(path: str | Path, *, limit: int | None = None) -> list[MeantimeDoc]:
    """All documents under ``path`` (the dataset folder or its ``intra_cross-doc_annotation``), sorted by path."""
    base = _find_root(Path(path))
    files = sorted(base.glob("**/*.xml"))
    if not files:
        raise FileNotFoundError(f"no MEANTIME XML files under {base}")
    if limit is not None:
        files = files[:limit]
    return [_load_file(f, f.parent.name) for f in files]


# ------------------------------------------------------------------------------------------------- timexes

def _prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> dict[str, float]:
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


@dataclass
class _DocMatch:
    gold: list[GoldTimex]
    pred: list[PredTimex]
    strict: int
    pairs: list[tuple[GoldTimex, PredTimex]]  # relaxed one-to-one matches
    misses: list[GoldTimex]
    false_pos: list[PredTimex]


def _match_doc(gold: Sequence[GoldTimex], pred: Sequence[PredTimex], scored_end: int | None = None) -> _DocMatch:
    dcts = [g for g in gold if g.is_dct]
    scored_gold = [g for g in gold if not g.is_dct]
    preds: list[PredTimex] = [(int(p[0]), int(p[1]), str(p[2]), str(p[3])) for p in pred
                              if not any(_overlap(d.start, d.end, p[0], p[1]) for d in dcts)
                              and (scored_end is None or p[0] < scored_end)]
    # strict: exact spans, one-to-one
    pool: dict[tuple[int, int], int] = defaultdict(int)
    for p in preds:
        pool[(p[0], p[1])] += 1
    strict = 0
    for g in scored_gold:
        if pool.get((g.start, g.end), 0) > 0:
            pool[(g.start, g.end)] -= 1
            strict += 1
    # relaxed: exact spans first, then the largest overlap, gold in text order; one-to-one
    used = [False] * len(preds)
    match_of: dict[int, int] = {}
    for gi, g in enumerate(scored_gold):
        for pj, p in enumerate(preds):
            if not used[pj] and (p[0], p[1]) == (g.start, g.end):
                used[pj] = True
                match_of[gi] = pj
                break
    for gi, g in enumerate(scored_gold):
        if gi in match_of:
            continue
        best, best_ov = -1, 0
        for pj, p in enumerate(preds):
            if used[pj]:
                continue
            ov = _overlap(g.start, g.end, p[0], p[1])
            if ov > best_ov:
                best, best_ov = pj, ov
        if best >= 0:
            used[best] = True
            match_of[gi] = best
    pairs = [(scored_gold[gi], preds[pj]) for gi, pj in sorted(match_of.items())]
    misses = [g for gi, g in enumerate(scored_gold) if gi not in match_of]
    false_pos = [p for pj, p in enumerate(preds) if not used[pj]]
    return _DocMatch(scored_gold, preds, strict, pairs, misses, false_pos)


def _aggregate(matches: Sequence[_DocMatch]) -> dict[str, Any]:
    n_gold = sum(len(m.gold) for m in matches)
    n_pred = sum(len(m.pred) for m in matches)
    strict = sum(m.strict for m in matches)
    relaxed = sum(len(m.pairs) for m in matches)
    value_ok = sum(1 for m in matches for g, p in m.pairs if g.value == p[3])
    type_ok = sum(1 for m in matches for g, p in m.pairs if g.type == p[2])
    rel = _prf(relaxed, n_pred, relaxed, n_gold)
    value_acc = value_ok / relaxed if relaxed else 0.0
    type_acc = type_ok / relaxed if relaxed else 0.0
    return {
        "gold_timexes": n_gold,
        "predicted": n_pred,
        "strict": _prf(strict, n_pred, strict, n_gold),
        "relaxed": rel,
        "value_accuracy": round(value_acc, 4),
        "value_f1": round(rel["f1"] * value_acc, 4),
        "type_accuracy": round(type_acc, 4),
        "type_f1": round(rel["f1"] * type_acc, 4),
        "counts": {"strict_matches": strict, "relaxed_matches": relaxed, "value_correct": value_ok,
                   "type_correct": type_ok},
    }


def score_timexes(pairs: Sequence[tuple[Sequence[GoldTimex], Sequence[PredTimex]]
                                  | tuple[Sequence[GoldTimex], Sequence[PredTimex], int | None]]) -> dict[str, Any]:
    """TempEval-3 timex scores over (gold timexes of a document, predicted (start, end, type, value)) pairs.

    A pair may carry a third element, the character offset where the annotated region ends
    (``MeantimeDoc.annotated_end``): predictions starting there or later are ignored, since MEANTIME annotates
    TIMEX3 only in the title, the date line and the first four body sentences.

    strict = identical character spans; relaxed = overlapping spans, matched one-to-one (exact spans first, then
    the largest overlap, gold in text order). Value and type accuracy are over relaxed matches; value F1 = relaxed
    F1 x value accuracy (TempEval-3's attribute F1). Gold timexes with ``is_dct`` are not scored, and predictions
    overlapping them are ignored.
    """
    return _aggregate([_match_doc(*pair) for pair in pairs])


def _context(text: str, start: int, end: int, width: int = 60) -> str:
    left = text[max(0, start - width):start].replace("\n", " / ")
    right = text[end:end + width].replace("\n", " / ")
    return f"{left}[[{text[start:end]}]]{right}"


def _default_tagger(text: str, dct: str) -> list[PredTimex]:

    return [(t.start, t.end, t.type, t.value) for t in tag_times(text, dct)]


def evaluate_time(path: str | Path, tagger: Tagger | None = None, *, limit: int | None = None) -> dict[str, Any]:
    """Run ``tagger(text, dct)`` on every document and score it against the gold TIMEX3 (TempEval-3 style)."""
    started = time.perf_counter()
    docs = load_meantime(path, limit=limit)
    fn: Tagger = tagger if tagger is not None else _default_tagger
    matches: list[_DocMatch] = []
    outside = 0
    errors: dict[str, list[dict[str, Any]]] = {"miss": [], "false_positive": [], "wrong_value": [],
                                                "wrong_type": []}
    for doc in docs:
        pred = list(fn(doc.text, doc.dct))
        outside += sum(1 for p in pred if p[0] >= doc.annotated_end)
        m = _match_doc(doc.timexes, pred, doc.annotated_end)
        matches.append(m)
        for g in m.misses:
            errors["miss"].append({"doc": doc.name, "kind": "miss", "text": doc.text[g.start:g.end],
                                   "gold_type": g.type, "gold_value": g.value, "span": [g.start, g.end],
                                   "context": _context(doc.text, g.start, g.end), "dct": doc.dct})
        for p in m.false_pos:
            errors["false_positive"].append({"doc": doc.name, "kind": "false_positive", "text": doc.text[p[0]:p[1]],
                                             "pred_type": p[2], "pred_value": p[3], "span": [p[0], p[1]],
                                             "context": _context(doc.text, p[0], p[1]), "dct": doc.dct})
        for g, p in m.pairs:
            for kind, ok in (("wrong_value", g.value == p[3]), ("wrong_type", g.type == p[2])):
                if not ok:
                    errors[kind].append({"doc": doc.name, "kind": kind, "gold_text": doc.text[g.start:g.end],
                                         "pred_text": doc.text[p[0]:p[1]], "gold_type": g.type, "pred_type": p[2],
                                         "gold_value": g.value, "pred_value": p[3],
                                         "context": _context(doc.text, g.start, g.end), "dct": doc.dct})
    # up to 40 examples, round-robin over the kinds so each kind is represented
    examples: list[dict[str, Any]] = []
    queues = [list(v) for v in errors.values()]
    while len(examples) < 40 and any(queues):
        for q in queues:
            if q and len(examples) < 40:
                examples.append(q.pop(0))
    result: dict[str, Any] = {"dataset": str(path), "documents": len(docs)}
    result.update(_aggregate(matches))
    result["predicted_outside_annotated_region"] = outside
    result["error_counts"] = {k: len(v) for k, v in errors.items()}
    result["errors"] = examples
    result["seconds"] = round(time.perf_counter() - started, 2)
    result["notes"] = (
        "TempEval-3 style: strict = exact character span, relaxed = any overlap (one-to-one; exact spans first, "
        "then largest overlap); value/type accuracy over relaxed matches; value_f1 = relaxed F1 x value accuracy. "
        "Text = tokens joined by spaces, sentences by newlines (line 1 title, line 2 date line). MEANTIME "
        "annotates TIMEX3 only in lines 1-6 (title, date line, first four body sentences), so predictions "
        "starting after line 6 are ignored (counted in predicted_outside_annotated_region). The document creation "
        "time (the date line's TIMEX3; 2 documents lack functionInDocument=CREATION_TIME and their whole-date-line "
        "timex is used; 2 malformed DCT values are replaced by the date line's date) is passed to the tagger and "
        "not scored: predictions overlapping it are ignored. 37 unanchored gold TIMEX3 (implicit points) are not "
        "scored. Values are compared as exact strings.")
    return result


# ------------------------------------------------------------------------------------------------ coreference

def _clusters(clusters: Iterable[Iterable[Any]]) -> list[frozenset[Any]]:
    out = [frozenset(c) for c in clusters]
    return [c for c in out if c]


def _muc(key: list[frozenset[Any]], response: list[frozenset[Any]]) -> tuple[float, float, float, float]:
    def side(a: list[frozenset[Any]], b: list[frozenset[Any]]) -> tuple[float, float]:
        where = {m: i for i, c in enumerate(b) for m in c}
        num = den = 0.0
        for c in a:
            parts = {where.get(m, ("missing", m)) for m in c}  # a mention b lacks is its own part
            num += len(c) - len(parts)
            den += len(c) - 1
        return num, den

    rn, rd = side(key, response)
    pn, pd = side(response, key)
    return rn, rd, pn, pd


def _b3(key: list[frozenset[Any]], response: list[frozenset[Any]]) -> tuple[float, float, float, float]:
    def side(a: list[frozenset[Any]], b: list[frozenset[Any]]) -> tuple[float, float]:
        where = {m: i for i, c in enumerate(b) for m in c}
        num = 0.0
        den = 0.0
        for c in a:
            counts: dict[int, int] = defaultdict(int)
            for m in c:
                if m in where:
                    counts[where[m]] += 1
            num += sum(n * n for n in counts.values()) / len(c)
            den += len(c)
        return num, den

    rn, rd = side(key, response)
    pn, pd = side(response, key)
    return rn, rd, pn, pd


def _assignment_max(weights: list[list[float]]) -> float:
    """Maximum total weight of a one-to-one assignment of rows to columns (rectangular allowed)."""
    if not weights or not weights[0]:
        return 0.0
    try:
        import numpy as np
        from scipy.optimize import linear_sum_assignment
    except ImportError:  # pragma: no cover - scipy ships with the dev extras
        return _hungarian_max(weights)
    w = np.asarray(weights, dtype=float)
    rows, cols = linear_sum_assignment(w, maximize=True)
    return float(w[rows, cols].sum())


def _hungarian_max(weights: list[list[float]]) -> float:
    """Kuhn-Munkres (O(n^2 m), potentials form) maximising; used when scipy is absent."""
    n, m = len(weights), len(weights[0])
    transposed = n > m
    if transposed:
        weights = [list(col) for col in zip(*weights, strict=True)]
        n, m = m, n
    inf = float("inf")
    cost = [[-x for x in row] for row in weights]  # minimise the negated weights
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    p = [0] * (m + 1)  # p[j] = row (1-based) assigned to column j
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = p[j0]
            delta = inf
            j1 = 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j] = cur
                        way[j] = j0
                    if minv[j] < delta:
                        delta = minv[j]
                        j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    return sum(weights[p[j] - 1][j - 1] for j in range(1, m + 1) if p[j])


def _ceafe(key: list[frozenset[Any]], response: list[frozenset[Any]]) -> tuple[float, float, float, float]:
    """CEAF-e with phi4(K, R) = 2|K & R| / (|K| + |R|); the optimal alignment is found per connected component."""
    where: dict[Any, list[int]] = defaultdict(list)
    for j, r in enumerate(response):
        for m in r:
            where[m].append(j)
    # connected components of the bipartite "shares a mention" graph
    parent = list(range(len(key) + len(response)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, k in enumerate(key):
        for m in k:
            for j in where.get(m, ()):
                a, b = find(i), find(len(key) + j)
                if a != b:
                    parent[a] = b
    comps: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i in range(len(key)):
        comps[find(i)][0].append(i)
    for j in range(len(response)):
        comps[find(len(key) + j)][1].append(j)
    total = 0.0
    for ks, rs in comps.values():
        if not ks or not rs:
            continue
        w = [[2 * len(key[i] & response[j]) / (len(key[i]) + len(response[j])) for j in rs] for i in ks]
        total += _assignment_max(w)
    return total, float(len(key)), total, float(len(response))


def _f(rn: float, rd: float, pn: float, pd: float) -> dict[str, float]:
    r = rn / rd if rd else 0.0
    p = pn / pd if pd else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def score_coref(gold_clusters: Iterable[Iterable[Any]], pred_clusters: Iterable[Iterable[Any]]) -> dict[str, Any]:
    """MUC, B-cubed, CEAF-e and CoNLL F1 (their mean) of ``pred_clusters`` against ``gold_clusters``.

    Clusters are collections of hashable mention keys, e.g. ``(doc_name, start, end)``; singletons count (as in
    the CoNLL reference scorer's default). Mentions in one side only are twinless: they earn nothing but count in
    that side's denominators (reference-scorer behaviour, Pradhan et al. 2014). Each mention should be in at most
    one cluster per side.
    """
    key = _clusters(gold_clusters)
    response = _clusters(pred_clusters)
    muc = _f(*_muc(key, response))
    b3 = _f(*_b3(key, response))
    ceafe = _f(*_ceafe(key, response))
    conll = (muc["f1"] + b3["f1"] + ceafe["f1"]) / 3
    return {"muc": muc, "b3": b3, "ceafe": ceafe, "conll_f1": round(conll, 4)}


def _mention_key(doc: MeantimeDoc, m: GoldMention) -> MentionKey:
    return (doc.name, m.start, m.end)


def gold_coref_clusters(docs: Sequence[MeantimeDoc]) -> list[set[MentionKey]]:
    """Gold entity clusters across all ``docs``: mentions grouped by ``instance_id`` (unlinked mentions left out)."""
    groups: dict[str, set[MentionKey]] = {}
    for doc in docs:
        for m in doc.entity_mentions:
            if m.instance_id is not None:
                groups.setdefault(m.instance_id, set()).add(_mention_key(doc, m))
    return list(groups.values())


def resolve_meantime(docs: Sequence[MeantimeDoc]) -> list[set[tuple[str, int, int]]]:
    """Cross-document coreference for ``crossnews eval coref``: cluster MEANTIME's gold mention spans by the
    same name keys the pipeline uses (the spaCy model gives each span a type; spans it does not tag keep theirs)."""
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


def _default_resolver(docs: list[MeantimeDoc]) -> Iterable[set[MentionKey]]:
    return resolve_meantime(docs)


_NORM = re.compile(r"[^a-z0-9]+")


def _same_text_baseline(docs: Sequence[MeantimeDoc]) -> list[set[MentionKey]]:
    groups: dict[str, set[MentionKey]] = {}
    for doc in docs:
        for m in doc.entity_mentions:
            if m.instance_id is None:
                continue
            norm = _NORM.sub(" ", doc.text[m.start:m.end].lower()).strip()
            groups.setdefault(norm or f"{doc.name}:{m.start}", set()).add(_mention_key(doc, m))
    return list(groups.values())


def evaluate_coref(path: str | Path, resolver: Resolver | None = None, *,
                   limit: int | None = None) -> dict[str, Any]:
    """Score ``resolver(docs)`` (clusters of ``(doc_name, start, end)``) against MEANTIME's entity coreference."""
    started = time.perf_counter()
    docs = load_meantime(path, limit=limit)
    gold = gold_coref_clusters(docs)
    gold_keys = {k for c in gold for k in c}
    ignored_keys = {_mention_key(d, m) for d in docs for m in d.entity_mentions if m.instance_id is None}
    fn: Resolver = resolver if resolver is not None else _default_resolver
    raw = [set(c) for c in fn(docs)]
    pred: list[set[MentionKey]] = []
    seen: set[MentionKey] = set()
    duplicates = 0
    for c in raw:
        kept = set()
        for k in c:
            key = (str(k[0]), int(k[1]), int(k[2]))
            if key in ignored_keys:
                continue
            if key in seen:
                duplicates += 1  # a mention in two predicted clusters: the first one wins
                continue
            seen.add(key)
            kept.add(key)
        if kept:
            pred.append(kept)
    pred_keys = {k for c in pred for k in c}
    doc_of_instance: dict[str, set[str]] = defaultdict(set)
    for d in docs:
        for m in d.entity_mentions:
            if m.instance_id is not None:
                doc_of_instance[m.instance_id].add(d.name)
    result: dict[str, Any] = {
        "dataset": str(path),
        "documents": len(docs),
        "gold_mentions": len(gold_keys),
        "gold_clusters": len(gold),
        "gold_cross_doc_clusters": sum(1 for docs_ in doc_of_instance.values() if len(docs_) > 1),
        "predicted_mentions": len(pred_keys),
        "predicted_clusters": len(pred),
        "predicted_cross_doc_clusters": sum(1 for c in pred if len({k[0] for k in c}) > 1),
        "predicted_not_in_gold": len(pred_keys - gold_keys),
        "gold_not_predicted": len(gold_keys - pred_keys),
        "predicted_in_two_clusters": duplicates,
    }
    result.update(score_coref(gold, pred))
    result["baselines"] = {
        "singletons": score_coref(gold, [{k} for k in sorted(gold_keys)])["conll_f1"],
        "same_text": score_coref(gold, _same_text_baseline(docs))["conll_f1"],
    }
    result["seconds"] = round(time.perf_counter() - started, 2)
    result["notes"] = (
        "Entity mentions only, clustered by MEANTIME instance_id across documents (doc-local ids for 65 entities "
        "without one). Mentions without any REFERS_TO are left out of gold, and predictions on their spans are "
        "ignored. MUC / B-cubed / CEAF-e (phi4) / CoNLL F1 as in the CoNLL reference scorer with system mentions "
        "differing from gold: twinless mentions earn nothing and count in their side's denominators; singletons "
        "are scored. Baselines (CoNLL F1 on gold mentions): every mention alone; mentions with the same "
        "normalised text together across documents.")
    return result
