"""Train the learned cue detector of ``quotes.rules.v2`` on PolNeAR train; writes ``data/cue_model.json``.

Every candidate token (a verb, or a noun of speech) of the train articles, parsed with crossnews' spaCy model, is
labelled by whether it heads an annotated cue (the last verb of the cue span, its noun, or "according"). A
logistic regression (scikit-learn, a development dependency) is fitted on binary features
(:func:`crossnews.extract.cues.cue_features`), and its weights are saved as plain numbers, so crossnews needs no
machine-learning library to use them. Only weights are saved: no article text.

    .venv/bin/python scripts/train_cue_model.py ../shared/evaldata/polnear/train --dev ../shared/evaldata/polnear/dev
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _training import fit_logistic, training_parser  # noqa: E402

from crossnews.eval.brat import load_parsed_split  # noqa: E402
from crossnews.extract.attribution import cue_lexicon, find_quotes, find_single_quotes  # noqa: E402
from crossnews.extract.cues import cue_features, is_candidate  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "src/crossnews/data/cue_model.json"


def cue_heads(sdoc: Any, spans: set[tuple[int, int]]) -> set[int]:
    heads = set()
    for start, end in spans:
        span = sdoc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        verbs = [t for t in span if t.pos_ == "VERB"] or [t for t in span if t.pos_ in ("AUX", "NOUN")]
        if verbs:
            heads.add(verbs[-1].i)
    return heads


def examples(split: str, cache: str | None, limit: int | None = None) -> tuple[list[list[str]], list[int]]:
    _, texts = load_parsed_split(split, cache, limit=limit)
    rates = cue_lexicon()
    X: list[list[str]] = []
    y: list[int] = []
    for _, annotated, sdoc in texts:
        spans = {c for d in annotated for a in d.attributions for c in a.cue}
        heads = cue_heads(sdoc, spans)
        quotes = sorted(find_quotes(sdoc.text) + find_single_quotes(sdoc.text))
        for tok in sdoc:
            if is_candidate(tok):
                X.append(cue_features(tok, quotes, rates.get(tok.lemma_.lower(), 0.0)))
                y.append(int(tok.i in heads))
    return X, y


def main() -> None:
    ap = training_parser(__doc__, OUT, 0.5)
    args = ap.parse_args()
    started = time.perf_counter()
    X, y = examples(args.train, args.train_cache, args.limit)
    print(f"train: {len(y)} candidates, {sum(y)} cues", file=sys.stderr)
    weights, probability = fit_logistic(X, y, args.c, max_iter=2000)
    threshold = 0.5
    meta: dict[str, Any] = {"trained_on": "PolNeAR train", "candidates": len(y), "cues": sum(y), "C": args.c,
                            "features": len(weights)}
    if args.dev:
        Xd, yd = examples(args.dev, args.dev_cache, args.limit)
        probs = probability(Xd)
        best = (0.0, 0.5)
        for t in [x / 100 for x in range(20, 71, 5)]:
            tp = sum(1 for p, g in zip(probs, yd, strict=True) if p >= t and g)
            fp = sum(1 for p, g in zip(probs, yd, strict=True) if p >= t and not g)
            fn = sum(1 for p, g in zip(probs, yd, strict=True) if p < t and g)
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            print(f"dev threshold {t:.2f}: cue-head F1 {f1:.4f} (tp {tp}, fp {fp}, fn {fn})", file=sys.stderr)
            best = max(best, (f1, t))
        meta["dev_cue_head_f1"] = round(best[0], 4)
        threshold = best[1]
    Path(args.out).write_text(json.dumps({"version": 1, "threshold": threshold, "meta": meta,
                                          "weights": weights}, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(weights)} weights, threshold {threshold}, written to {args.out} "
          f"in {time.perf_counter() - started:.0f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
