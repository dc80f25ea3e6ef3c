"""Score a judge on ClaimDiff (Ko et al., 2023): does it find claim pairs where one claim weakens or strengthens the
other?

A ClaimDiff folder holds ``ClaimDiff-weak-<split>.json`` and ``ClaimDiff-strength-<split>.json``, each
``{"data": [...], "ver": ...}`` with items ``{claim_a, claim_b, relation (0/1), topic, pair_id, ...}``. Both files
list the same pairs; ``relation == 1`` in the weak file marks "weaken", in the strength file "strengthen" (a pair
is at most one of them; ClaimDiff's "weaken" is broader than strict contradiction). Each distinct pair is judged
once, as bare text (:func:`crossnews.judges.pairs_of`).

The judge's labels count as: ``contradicts`` → weaken; ``same``/``agrees``/``adds`` → strengthen; ``unrelated`` →
neither.

**Held-out pairs.** A judge trained on part of this data (``judge.learned.v1``) declares the pairs it was not trained
on (its ``heldout_pairs``: ClaimDiff ``pair_id``s recorded in its weights file, with ``heldout_split``). When the
folder's split is that split, only those pairs are scored (``pairs="auto"``, the default; ``result["scored_on"]``
says so), so that ``crossnews eval claimpairs ../shared/evaldata/claimdiff-train --judge judge.learned.v1`` measures
the judge on pairs it never saw; ``pairs="all"`` scores every pair anyway (train pairs included: not a measure).
The baselines, and the rules judge (``judge.rules.v1``, as ``result[task]["rules"]``) when another judge is
scored, are computed on the same pairs in the same run.

Detection of each relation is scored on its own file: precision, recall, F1, support (gold positives) and the
confusion counts. Precision is 0 when nothing is predicted (scikit-learn's ``zero_division=0``).

Two baselines are scored in the same run:

* **majority**: per file, always predict that file's majority relation (computed on the same file);
* **lexical**: token Jaccard of content words (lower-cased ``[a-z0-9]+`` tokens, minus spaCy's English stop
  words). Strengthen when Jaccard >= 0.2; weaken when 0.1 <= Jaccard < 0.3 (the pair shares some content words,
  so it is about the same matter, without restating it). Both thresholds were fixed before the first run and
  were not tuned on this data.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from crossnews.align.judges import LABELS, get_judge, pairs_of
from crossnews.core.settings import DEFAULTS

__all__ = ["load_claimdiff", "score_binary", "jaccard", "lexical_predictions", "evaluate_claimpairs",
           "WEAKEN_LABELS", "STRENGTHEN_LABELS", "LEXICAL_STRENGTHEN_AT", "LEXICAL_WEAKEN_BAND"]

WEAKEN_LABELS = frozenset({"contradicts"})
STRENGTHEN_LABELS = frozenset({"same", "agrees", "adds"})
LEXICAL_STRENGTHEN_AT = 0.2
LEXICAL_WEAKEN_BAND = (0.1, 0.3)  # lower bound included, upper excluded
TASKS = (("weaken", "weak"), ("strengthen", "strength"))

Item = dict[str, Any]


def _splits(folder: Path) -> list[str]:
    found = []
    for weak in sorted(folder.glob("ClaimDiff-weak-*.json")):
        split = weak.name[len("ClaimDiff-weak-"):-len(".json")]
        if (folder / f"ClaimDiff-strength-{split}.json").is_file():
            found.append(split)
    return found


def load_claimdiff(path: str | Path, split: str | None = None) -> tuple[str, dict[str, list[Item]]]:
    """``(split, {"weak": items, "strength": items})`` from a ClaimDiff folder.

    ``split`` (``train``, ``test``...) defaults to the only split in the folder, or ``train`` when there are
    several. Raises :class:`FileNotFoundError` (E049) naming what is missing."""
    folder = Path(path)
    splits = _splits(folder) if folder.is_dir() else []
    if split is None:
        if not splits:
            raise FileNotFoundError(
                f"E049: {folder}: expected a ClaimDiff folder holding ClaimDiff-weak-<split>.json and "
                f"ClaimDiff-strength-<split>.json (e.g. ../shared/evaldata/claimdiff-train)")
        split = splits[0] if len(splits) == 1 else ("train" if "train" in splits else None)
        if split is None:
            raise FileNotFoundError(f"E049: {folder} holds several ClaimDiff splits {splits}; choose one")
    elif split not in splits:
        raise FileNotFoundError(f"E049: {folder}: no ClaimDiff-weak-{split}.json and ClaimDiff-strength-{split}.json "
                                f"pair (splits found: {splits or 'none'})")
    data: dict[str, list[Item]] = {}
    for kind in ("weak", "strength"):
        file = folder / f"ClaimDiff-{kind}-{split}.json"
        try:
            raw = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise FileNotFoundError(f"E049: {file}: cannot read it as JSON ({exc})") from exc
        items = raw.get("data") if isinstance(raw, dict) else raw
        if not isinstance(items, list) or not all(
                isinstance(i, dict) and {"claim_a", "claim_b", "relation"} <= i.keys() for i in items):
            raise FileNotFoundError(f"E049: {file}: not ClaimDiff data (expected {{'data': [{{claim_a, claim_b, "
                                    f"relation, ...}}]}})")
        data[kind] = items
    return split, data


def score_binary(gold: Sequence[bool], pred: Sequence[bool]) -> dict[str, Any]:
    """Precision, recall, F1 of the positive class, with the confusion counts (zero_division = 0)."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels, {len(pred)} predictions")
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    tn = len(gold) - tp - fp - fn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "support": tp + fn, "predicted": tp + fp, "tp": tp, "fp": fp, "fn": fn, "tn": tn}


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(w.lower() for w in STOP_WORDS)


def _content(text: str) -> set[str]:
    stop = _stop_words()
    return {t for t in re.findall(r"[a-z0-9]+", text.lower()) if t not in stop}


def jaccard(a: str, b: str) -> float:
    """Token Jaccard of the two texts' content words (0 when both have none)."""
    x, y = _content(a), _content(b)
    return len(x & y) / len(x | y) if x | y else 0.0


def lexical_predictions(overlap: Sequence[float]) -> dict[str, list[bool]]:
    """The lexical baseline's predictions for each relation, from the pairs' Jaccard overlaps."""
    low, high = LEXICAL_WEAKEN_BAND
    return {"weaken": [low <= j < high for j in overlap],
            "strengthen": [j >= LEXICAL_STRENGTHEN_AT for j in overlap]}


def _safe_options(options: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in options.items():
        out[k] = "<hidden>" if "key" in k.lower() or "token" in k.lower() else (
            v if isinstance(v, (str, int, float, bool, type(None))) else repr(v))
    return out


def _heldout(judge_obj: Any, split: str, pairs: str) -> tuple[frozenset[str] | None, str]:
    """The pair ids to score (None: all) and a note on what is scored."""
    if pairs not in ("auto", "all", "heldout"):
        raise ValueError(f"pairs must be 'auto', 'all' or 'heldout', not {pairs!r}")
    held = getattr(judge_obj, "heldout_pairs", None)
    held_split = getattr(judge_obj, "heldout_split", None)
    name = getattr(judge_obj, "name", "the judge")
    if pairs == "all" or (pairs == "auto" and not held):
        note = "all pairs" if not held else (f"all pairs, including those {name} was trained on (pairs='all'): "
                                             "not a measure of the judge")
        return None, note
    if not held:
        raise ValueError(f"{name} declares no held-out pairs; use pairs='all'")
    if held_split is not None and held_split != split:
        if pairs == "heldout":
            raise ValueError(f"{name} holds out pairs of the {held_split!r} split, not of {split!r}")
        return None, f"all pairs (split {split!r}; {name} was trained on split {held_split!r} only)"
    return frozenset(held), (f"the {len(held)} pairs {name} was not trained on (held out by topic; ids recorded "
                             "in its weights file)")


def evaluate_claimpairs(path: str | Path, judge: str = DEFAULTS.judge, *, split: str | None = None,
                        limit: int | None = None, pairs: str = "auto", **judge_options: Any) -> dict[str, Any]:
    """Judge every ClaimDiff pair in ``path`` with the registered judge ``judge`` (built with ``judge_options``)
    and score weaken and strengthen detection next to the majority and lexical baselines (and the rules judge,
    when another judge is scored).

    ``limit`` keeps the first N pairs of each file (quick checks). ``pairs``: ``"auto"`` scores only the pairs a
    trained judge declares held out from its training when there are any (see the module docstring), ``"all"``
    every pair, ``"heldout"`` the held-out pairs or an error."""
    started = time.perf_counter()
    split, data = load_claimdiff(path, split)
    judge_obj = get_judge(judge, **judge_options)
    only, scored_on = _heldout(judge_obj, split, pairs)
    if only is not None:
        data = {k: [i for i in v if str(i.get("pair_id")) in only] for k, v in data.items()}
    if limit is not None:
        data = {k: v[:limit] for k, v in data.items()}
    keys = list(dict.fromkeys((str(i["claim_a"]), str(i["claim_b"])) for items in data.values() for i in items))
    judge_started = time.perf_counter()
    judgements = judge_obj.judge(pairs_of(keys)) if keys else []
    judge_seconds = time.perf_counter() - judge_started
    if len(judgements) != len(keys):
        raise RuntimeError(f"judge {judge!r} gave {len(judgements)} judgements for {len(keys)} pairs")
    label_of = {k: j.label for k, j in zip(keys, judgements, strict=True)}
    overlap_of = {k: jaccard(*k) for k in keys}
    rules_of: dict[tuple[str, str], str] | None = None
    if getattr(judge_obj, "name", judge) != "judge.rules.v1" and keys:
        rules = get_judge("judge.rules.v1").judge(pairs_of(keys))
        rules_of = {k: j.label for k, j in zip(keys, rules, strict=True)}

    result: dict[str, Any] = {
        "dataset": str(path), "split": split, "judge": getattr(judge_obj, "name", judge),
        "judge_options": _safe_options(judge_options),
        "pairs": {kind: len(items) for kind, items in data.items()} | {"distinct": len(keys)},
        "scored_on": scored_on,
    }
    for task, kind in TASKS:
        items = data[kind]
        gold = [int(i["relation"]) == 1 for i in items]
        pair_keys = [(str(i["claim_a"]), str(i["claim_b"])) for i in items]
        positive = WEAKEN_LABELS if task == "weaken" else STRENGTHEN_LABELS
        judged = [label_of[k] in positive for k in pair_keys]
        majority = sum(gold) * 2 > len(gold)
        lexical = lexical_predictions([overlap_of[k] for k in pair_keys])[task]
        result[task] = {
            "file": f"ClaimDiff-{kind}-{split}.json", "pairs": len(items), "support": sum(gold),
            "judge": score_binary(gold, judged),
            "majority": score_binary(gold, [majority] * len(gold)) | {"predicts": task if majority else "not " + task},
            "lexical": score_binary(gold, lexical),
        }
        if rules_of is not None:
            result[task]["rules"] = score_binary(gold, [rules_of[k] in positive for k in pair_keys])
    counts = Counter(label_of.values())
    result["labels"] = {label: counts.get(label, 0) for label in LABELS}
    result["seconds"] = round(time.perf_counter() - started, 2)
    result["judge_seconds"] = round(judge_seconds, 2)
    result["notes"] = (
        "Judge labels: contradicts -> weaken; same/agrees/adds -> strengthen; unrelated -> neither. Weaken is "
        "scored on the weak file (relation 1 = weaken), strengthen on the strength file (relation 1 = strengthen); "
        "both files hold the same pairs, each judged once as bare text. Precision is 0 when nothing is predicted. "
        "Baselines: majority = always the file's majority relation; lexical = token Jaccard of content words "
        "(lower-cased [a-z0-9]+ tokens minus spaCy English stop words): strengthen when >= "
        f"{LEXICAL_STRENGTHEN_AT}, weaken when {LEXICAL_WEAKEN_BAND[0]} <= J < {LEXICAL_WEAKEN_BAND[1]}; thresholds "
        "fixed before the first run, not tuned on this data. 'labels' counts the judge's labels over distinct pairs. "
        "'scored_on' says which pairs are scored: a judge trained on part of this split is scored only on the pairs "
        "it was not trained on; 'rules' is judge.rules.v1 on the same pairs.")
    return result
