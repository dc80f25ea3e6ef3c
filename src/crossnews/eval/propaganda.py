"""Score the technique tagger on the Propaganda Techniques Corpus (PTC v2, SemEval-2020 task 11).

A PTC folder holds ``articles/article<ID>.txt`` (title, blank line, one sentence per line), ``train-task2-TC.labels``
(``id  technique  start  end``, tab-separated, character offsets, end exclusive) and optionally
``train-task1-SI.labels`` (``id  start  end``: the technique-agnostic spans, overlaps merged). Any ``*-task2-TC.labels``
and ``*-task1-SI.labels`` file is read, so a dev or test folder in the same format is scored the same way.

**Held-out articles.** The shipped tagger was trained on part of PTC train (``scripts/train_techniques.py``). The
articles it never saw are chosen by a fixed rule (:func:`split_of`: a hash of the article id) and listed in its
settings file (``data/techniques_model.json``, ``heldout``). ``articles="auto"`` (the default) scores only those when
the folder holds them, and every article otherwise (a folder kept out of ``../shared``); ``result["scored_on"]`` says
which.

Two measures, as the task defines them:

* **SI** (span identification): the official partial-overlap precision, recall and F1. Per article, the predicted
  spans (overlaps merged) and the gold SI spans are sets of character positions; precision is the sum over pairs of a
  predicted span ``s`` and a gold span ``t`` of ``|s ∩ t| / |s|``, divided by the number of predicted spans; recall
  the sum of ``|s ∩ t| / |t|`` divided by the number of gold spans.
* **TC** (technique classification): each gold span of the TC file gets the technique the tagger ranks best over it
  (a span listed with k techniques gets the k best, as the task's template lists it k times); micro-F1 of the
  labels, matched as multisets per span.

A majority baseline (every span ``Loaded_Language``) is scored for TC in the same run.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["PtcArticle", "load_ptc", "split_of", "merge_spans", "score_si", "score_tc", "evaluate_propaganda"]


@dataclass(frozen=True, slots=True)
class PtcArticle:
    """One PTC article: its id, text, gold technique spans ``(technique, start, end)`` and SI spans."""

    id: str
    text: str
    spans: tuple[tuple[str, int, int], ...]
    si: tuple[tuple[int, int], ...]


def _read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def load_ptc(folder: str | Path) -> list[PtcArticle]:
    """The articles of a PTC folder, sorted by id, with their gold spans (SI spans from the SI file, or merged from
    the technique spans when there is none)."""
    root = Path(folder)
    art_dir = root / "articles" if (root / "articles").is_dir() else root
    texts = {p.stem.removeprefix("article"): p for p in sorted(art_dir.glob("article*.txt"))}
    if not texts:
        raise FileNotFoundError(f"no article*.txt files in {art_dir}")
    tc: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    si: dict[str, list[tuple[int, int]]] = defaultdict(list)
    have_si = False
    for f in sorted(root.glob("*-task2-TC.labels")):
        for line in f.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) == 4 and parts[2].isdigit():
                tc[parts[0]].append((parts[1], int(parts[2]), int(parts[3])))
    for f in sorted(root.glob("*-task1-SI.labels")):
        have_si = True
        for line in f.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) == 3 and parts[1].isdigit():
                si[parts[0]].append((int(parts[1]), int(parts[2])))
    out = []
    for aid, path in texts.items():
        spans = tuple(sorted(tc.get(aid, []), key=lambda x: (x[1], x[2], x[0])))
        gold_si = si.get(aid, []) if have_si else merge_spans((s, e) for _, s, e in spans)
        out.append(PtcArticle(aid, _read_text(path), spans, tuple(sorted(gold_si))))
    return sorted(out, key=lambda a: a.id)


def split_of(article_id: str) -> str:
    """``heldout`` (about 20 % of the articles), ``dev`` (about 10 %: thresholds and early stopping) or ``train``,
    by a hash of the article id: fixed, whatever else the folder holds."""
    bucket = int(hashlib.sha1(f"ptc-split:{article_id}".encode()).hexdigest()[:8], 16) % 100
    return "heldout" if bucket < 20 else "dev" if bucket < 30 else "train"


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching spans merged."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def score_si(pred: Mapping[str, Sequence[tuple[int, int]]],
             gold: Mapping[str, Sequence[tuple[int, int]]]) -> dict[str, Any]:
    """The official SI partial-overlap precision, recall and F1 over the articles of ``gold``."""
    p_num = r_num = 0.0
    n_pred = n_gold = 0
    for aid, g in gold.items():
        ps = merge_spans(pred.get(aid, ()))
        n_pred += len(ps)
        n_gold += len(g)
        for s0, s1 in ps:
            for t0, t1 in g:
                inter = min(s1, t1) - max(s0, t0)
                if inter > 0:
                    p_num += inter / (s1 - s0)
                    r_num += inter / (t1 - t0)
    p = p_num / n_pred if n_pred else 0.0
    r = r_num / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "predicted": n_pred, "gold": n_gold}


def score_tc(pred: dict[tuple[str, int, int], list[str]],
             gold: dict[tuple[str, int, int], list[str]]) -> dict[str, Any]:
    """Micro precision, recall and F1 of technique labels on spans, matched as multisets per span; per technique
    too."""
    tp = n_pred = n_gold = 0
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for key, labels in gold.items():
        g = Counter(labels)
        p = Counter(pred.get(key, []))
        hit = g & p
        tp += sum(hit.values())
        n_pred += sum(p.values())
        n_gold += sum(g.values())
        for lab, c in g.items():
            per[lab][2] += c
        for lab, c in p.items():
            per[lab][1] += c
        for lab, c in hit.items():
            per[lab][0] += c

    def prf(t: int, npred: int, ngold: int) -> dict[str, Any]:
        p = t / npred if npred else 0.0
        r = t / ngold if ngold else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
                "support": ngold}

    return {"micro": prf(tp, n_pred, n_gold), "per_technique": {k: prf(*v) for k, v in sorted(per.items())}}


def tc_gold(articles: Sequence[PtcArticle]) -> dict[tuple[str, int, int], list[str]]:
    out: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for a in articles:
        for tech, s, e in a.spans:
            out[(a.id, s, e)].append(tech)
    return dict(out)


def evaluate_propaganda(path: str | Path, *, articles: str = "auto", limit: int | None = None) -> dict[str, Any]:
    """SI and TC scores of the packaged technique tagger on a PTC folder (``articles``: ``auto``, ``heldout`` or
    ``all``)."""
    from crossnews.extract.techniques import classify, decode_spans, load_settings, load_technique_tagger

    docs = load_ptc(path)
    tagger = load_technique_tagger()
    if tagger is None:
        raise FileNotFoundError("the technique tagger's weights are not installed (data/techniques_minilm_int8.onnx)")
    meta = load_settings()
    heldout = set(meta.get("heldout", []))
    ids = {a.id for a in docs}
    if articles == "heldout" or (articles == "auto" and heldout and heldout <= ids):
        docs = [a for a in docs if a.id in heldout]
        scored_on = f"held-out articles of the shipped tagger ({len(docs)}; split rule: {meta.get('split_rule')})"
    else:
        trained = {a.id for a in docs if split_of(a.id) != "heldout"} if heldout and heldout <= ids else set()
        scored_on = f"every article of the folder ({len(docs)})" + (
            f"; {len(trained)} of them were used in training or tuning: not a measure" if trained else "")
    if limit:
        docs = docs[:limit]
    t0 = time.monotonic()
    pred_si: dict[str, list[tuple[int, int]]] = {}
    pred_tc: dict[tuple[str, int, int], list[str]] = {}
    gold = tc_gold(docs)
    for a in docs:
        probs, offsets = tagger.probabilities(a.text)
        pred_si[a.id] = [(s.start, s.end) for s in decode_spans(a.text, probs, offsets, tagger.threshold,
                                                                tagger.min_score, tagger.prior, tagger.repeat,
                                                                tagger.head)]
        keys = sorted({(s, e) for _, s, e in a.spans})
        ranked = classify(probs, offsets, keys, tagger.prior, a.text, tagger.repeat, tagger.head)
        for (s, e), order in zip(keys, ranked, strict=True):
            k = len(gold[(a.id, s, e)])
            pred_tc[(a.id, s, e)] = order[:k]
    seconds = time.monotonic() - t0
    si = score_si(pred_si, {a.id: list(a.si) for a in docs})
    tc = score_tc(pred_tc, gold)
    majority = score_tc({k: ["Loaded_Language"] * len(v) for k, v in gold.items()}, gold)
    return {"data": str(path), "scored_on": scored_on, "articles": len(docs),
            "gold_spans": sum(len(a.spans) for a in docs),
            "si": si, "tc": tc, "baselines": {"tc_majority_loaded_language": majority["micro"]},
            "tagger": {"weights": meta.get("weights"), "threshold": tagger.threshold,
                       "windows": meta.get("windows"), "tc": "learned head" if tagger.head else "class weights"},
            "seconds": round(seconds, 1)}
