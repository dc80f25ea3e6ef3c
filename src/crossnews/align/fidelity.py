"""Primary source and quote fidelity: quoted words that appear (nearly) verbatim in an earlier document.

For each quotation of six words or more (the text between a pair of quote marks inside a statement), documents
that share word 5-grams with it are found through an index that holds only the 5-grams quotations have (so memory
follows the quotations, not the corpus). The earliest such document published before the quoting one is the
primary source; when the dates do not tell which came first (a date missing, or the same day), the words are linked
all the same and the evidence says the order is unknown (``direction``), rather than inventing one. The quotation is
aligned to the source's text word by word (difflib) and compared:

* ``verbatim`` — the same words;
* ``trimmed`` — the same words, but the source's sentence or quotation goes on: what was left out is listed;
* ``changed`` — words replaced, added or dropped (each listed).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from crossnews.align.order import direction, moment
from crossnews.core.records import Analysis, Document, Relation, Statement

__all__ = ["quote_relations", "quotations", "compare"]

MIN_WORDS = 6
SHINGLE = 5
MIN_RATIO = 0.75
_QUOTE = re.compile(r"[\"“”«»]([^\"“”«»]{20,}?)[\"“”«»]")
_WORDS = re.compile(r"[\w’'-]+")
_SENT_END = re.compile(r"[.!?][\"'”’]?(?=\s)|\n")


def quotations(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Quoted stretches (without the marks) inside ``text[start:end]`` with at least :data:`MIN_WORDS` words; the
    whole span when it is itself a quotation whose marks lie just outside it."""
    out = []
    for m in _QUOTE.finditer(text, max(0, start - 1), min(len(text), end + 1)):
        if len(_WORDS.findall(m.group(1))) >= MIN_WORDS:
            out.append((m.start(1), m.end(1)))
    return out


def _shingles(words: list[str]) -> set[str]:
    return {" ".join(words[i:i + SHINGLE]) for i in range(max(0, len(words) - SHINGLE + 1))}


def _norm_words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORDS.findall(text)]


def compare(quote: str, source: str, context: str = "") -> dict[str, Any]:
    """How faithfully ``quote`` renders ``source``: the kind, words changed, added and dropped, and what of the
    source's ``context`` (its sentence or quotation) the quote leaves out."""
    qw, sw = _WORDS.findall(quote), _WORDS.findall(source)
    sm = difflib.SequenceMatcher(a=[w.lower() for w in sw], b=[w.lower() for w in qw], autojunk=False)
    changed: list[list[str]] = []
    added: list[str] = []
    dropped: list[str] = []
    for op, a1, a2, b1, b2 in sm.get_opcodes():
        if op == "replace":
            changed.append([" ".join(sw[a1:a2]), " ".join(qw[b1:b2])])
        elif op == "insert":
            added.append(" ".join(qw[b1:b2]))
        elif op == "delete":
            dropped.append(" ".join(sw[a1:a2]))
    left_out: list[str] = []
    if context:
        i = context.find(source)
        if i >= 0:
            for piece in (context[:i], context[i + len(source):]):
                piece = piece.strip(" ,;:.\"“”'’\n")
                if len(_WORDS.findall(piece)) >= 2:
                    left_out.append(piece)
    kind = "changed" if changed or added or dropped else "trimmed" if left_out else "verbatim"
    return {"kind": kind, "changed": changed, "added": added, "dropped": dropped, "left_out": left_out}


def _context(doc: Document, start: int, end: int) -> tuple[int, int]:
    """The quotation or sentence(s) of ``doc`` around ``[start, end)``."""
    text = doc.text
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    for m in _QUOTE.finditer(text, line_start, line_end):
        if m.start(1) <= start and end <= m.end(1):
            return m.start(1), m.end(1)
    s = line_start
    for m in _SENT_END.finditer(text, line_start, start):
        s = m.end()
    e = _SENT_END.search(text, end)
    return s, (e.end() if e and e.start() <= line_end else line_end)


def _pub(doc: Document) -> str | None:
    """The publication day, when the document has a full one."""
    p = doc.published or ""
    return p[:10] if re.match(r"^\d{4}-\d{2}-\d{2}", p) else None


def quote_relations(analysis: Analysis, contexts: dict[str, dict[str, Any]] | None = None,
                    stories: dict[str, str] | None = None) -> list[Relation]:
    """``quotes`` relations: quotation in a later document → the earliest document that has its words (of the same
    story, when ``stories`` maps documents to stories)."""
    docs = {d.id: d for d in analysis.documents}
    by_doc: dict[str, list[Statement]] = defaultdict(list)
    for st in analysis.statements:
        by_doc[st.doc].append(st)
    quotes: list[tuple[Statement, int, int, list[str]]] = []
    for st in analysis.statements:
        doc = docs.get(st.doc)
        if doc is None or st.kind == "indirect":
            continue
        for qs, qe in quotations(doc.text, st.content.start, st.content.end):
            words = _norm_words(doc.text[qs:qe])
            quotes.append((st, qs, qe, words))
    wanted: dict[str, list[int]] = defaultdict(list)
    for qi, (_, _, _, words) in enumerate(quotes):
        for sh in _shingles(words):
            wanted[sh].append(qi)
    hits: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    story = (lambda d: stories.get(d, d)) if stories is not None else (lambda d: "")
    for doc in analysis.documents:
        words = _norm_words(doc.text[doc.body.start:doc.body.end])
        for sh in _shingles(words) & wanted.keys():
            for qi in wanted[sh]:
                if quotes[qi][0].doc != doc.id and story(quotes[qi][0].doc) == story(doc.id):
                    hits[qi][doc.id] += 1
    out: list[Relation] = []
    unknown: dict[tuple[str, str], list[tuple[int, int, int, int]]] = defaultdict(list)  # order unknown
    for qi, per_doc in sorted(hits.items()):
        st, qs, qe, words = quotes[qi]
        quoting = docs[st.doc]
        when = moment(quoting.published)
        found_docs = sorted(d for d, n in per_doc.items() if n >= 2)
        # the earliest document published before the quoting one; else one whose order is unknown (no date, or
        # the same day): it is linked, and the evidence says which came first is not known
        order = {d: direction((moment(docs[d].published), None), (when, None))[0] for d in found_docs}
        earlier = sorted((d for d in found_docs if order[d]), key=lambda d: (moment(docs[d].published) or "", d))
        unordered = [d for d in found_docs if order[d] is None]
        for src_id in (earlier or unordered)[:1]:
            src = docs[src_id]
            quote = quoting.text[qs:qe]
            found = _align(words, src)
            if found is None:
                continue
            s_start, s_end, ratio = found
            c_start, c_end = _context(src, s_start, s_end)
            fidelity = compare(quote, src.text[s_start:s_end], src.text[c_start:c_end])
            a_ctx = (contexts or {}).get(st.id) or {"doc": st.doc}
            outlet = src.outlet or src.republisher or src.source
            first, how = direction((moment(src.published), None), (when, None))
            how = {**how, "a": how["b"], "b": how["a"]} if "a" in how else how  # a: the quoting side
            if first:
                reason = f"{fidelity['kind']} quotation of words first published by {outlet} ({_pub(src)})"
            else:
                reason = (f"{fidelity['kind']} quotation of words {outlet} also has; {how.get('note', '')}")
                unknown[(st.doc, src_id)].append((qs, qe, s_start, s_end))
            for b_id, b_start, b_end in _targets(by_doc[src_id], src_id, s_start, s_end):
                evidence = {
                    "a": {**a_ctx, "start": qs, "end": qe, "text": quote},
                    "b": {"doc": src_id, "start": b_start, "end": b_end, "text": src.text[b_start:b_end],
                          "outlet": outlet, "reported": _pub(src)},
                    "fidelity": fidelity,
                    "score": round(ratio, 3),
                    "primary": bool(first),
                    "direction": {**how, "source": "b" if first else None},
                    "reasons": [reason],
                }
                rid = "rel-" + hashlib.sha1(f"quotes:{st.id}:{qs}:{b_id}".encode()).hexdigest()[:12]
                out.append(Relation(rid, "quotes", st.id, b_id, tuple(evidence.items()), "fidelity.v1",
                                    round(ratio, 3)))
    return [r for r in out if not _mirrored(r, unknown)]


def _targets(statements: Sequence[Statement], doc_id: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """What the words ``[start, end)`` of a source document reproduce: the statement that holds them; else each
    outermost statement at least half inside them (one quotation may join two of the source's, '"...," the FSB
    said. "..."'), with the part inside; else the document itself."""
    holder = next((s for s in statements if s.content.start <= start and end <= s.content.end + 1), None)
    if holder is not None:
        return [(holder.id, start, end)]
    inside = [s for s in statements
              if 2 * (min(end, s.content.end) - max(start, s.content.start)) >= s.content.end - s.content.start > 0]
    ids = {s.id for s in inside}
    outer = [s for s in inside if s.nested_in not in ids]
    if not outer:
        return [(doc_id, start, end)]
    return [(s.id, max(start, s.content.start), min(end, s.content.end)) for s in outer]


def _mirrored(rel: Relation, unknown: dict[tuple[str, str], list[tuple[int, int, int, int]]]) -> bool:
    """True for the second of two links between the same words of two documents whose order is unknown (each
    document's quotation found in the other): one link is kept, from the document whose id sorts last."""
    ev = dict(rel.evidence)
    a, b = ev["a"], ev["b"]
    if ev["direction"].get("known") or a["doc"] > b["doc"]:
        return False
    for qs, qe, s_start, s_end in unknown.get((b["doc"], a["doc"]), ()):
        if min(qe, b["end"]) > max(qs, b["start"]) or min(s_end, a["end"]) > max(s_start, a["start"]):
            return True
    return False


def _align(words: list[str], src: Document) -> tuple[int, int, float] | None:
    """Where in ``src`` the quotation's ``words`` are: word-level matching around the 5-grams they share, so that
    words added or dropped do not hide a reuse. Returns the source's character span and the match ratio."""
    body = list(_WORDS.finditer(src.text, src.body.start, src.body.end))
    sw = [m.group(0).lower().replace("’", "'") for m in body]
    grams = _shingles(words)
    hits = [i for i in range(max(0, len(sw) - SHINGLE + 1)) if " ".join(sw[i:i + SHINGLE]) in grams]
    if not hits:
        return None
    lo = max(0, hits[0] - len(words))
    hi = min(len(sw), hits[-1] + SHINGLE + len(words))
    sm = difflib.SequenceMatcher(a=sw[lo:hi], b=words, autojunk=False)
    blocks = [b for b in sm.get_matching_blocks() if b.size >= 2]
    if not blocks:
        return None
    a1, a2 = lo + blocks[0].a, lo + blocks[-1].a + blocks[-1].size
    matched = sum(b.size for b in blocks)
    ratio = 2 * matched / (len(words) + (a2 - a1))
    if ratio < MIN_RATIO or matched < max(MIN_WORDS, 0.8 * len(words)):  # most of the quotation, not a phrase
        return None
    return body[a1].start(), body[a2 - 1].end(), ratio
