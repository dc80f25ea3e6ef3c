"""Train the content-boundary model of ``quotes.rules.v2`` on PolNeAR train; writes ``data/content_model.json``.

The rules (with the learned cue model and the permissive ``ACCEPT_GATES``, without the boundary and acceptance
models) are run over every train article parsed with crossnews' spaCy model; train the cue model before this one,
and the acceptance model (``train_accept_model.py``) after it. Each rule attribution whose cue overlaps an
annotated cue is paired with that annotation (the one whose content overlaps most). For the content's end, every
candidate token boundary (:func:`crossnews.extract.boundaries.end_candidates`) is an example, labelled by whether
the annotated content ends there; the same for its start, the annotated end given, and for the cue's and the
source's extents. Each boundary's weights are those of a conditional logit over its candidates (fitted with
SciPy, a development dependency, and saved as plain numbers): it learns to rank one choice's candidates against
each other, as they are used (on PolNeAR dev it picks the annotated boundary slightly more often than a
per-candidate logistic regression did: content end 0.883 against 0.880, start 0.920 against 0.915). Since
pipeline 0.5.4 the features also say where the token beyond the boundary hangs in the parse (from the cue, inside
the rule's content, elsewhere) and pair the cue's lemma with that token and with the move's direction, so that
"cited it as an example" and "accused her of lying" can learn their verbs' habits: on dev, with the 0.5.18
rules, the end is right 0.893 of the time (0.870 the rules alone) and the start 0.931 (0.914); without them, on
the 0.5.3 rules, 0.889 and 0.917. Only weights are saved: no article text.

    .venv/bin/python scripts/train_content_model.py ../shared/evaldata/polnear/train

``--train-cache`` takes a spaCy DocBin of the train texts in ``load_split`` order (optional; parsing takes about
ten minutes on two cores). With ``--dev``, the boundary accuracy on the dev split is printed.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _training import fit_ranking, training_parser  # noqa: E402

from crossnews.eval.brat import load_parsed_split  # noqa: E402
from crossnews.extract.attribution import (
    ACCEPT_GATES,
    _cue_head,
    fences,
    find_attributions,
    find_quotes,
    find_single_quotes,
)
from crossnews.extract.boundaries import content_setting, cue_setting, source_setting  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "src/crossnews/data/content_model.json"

Example = tuple[list[list[str]], int]  # candidates' features, index of the right one


def _overlap(a: Any, b: Any) -> int:
    return sum(max(0, min(x1, y1) - max(x0, y0)) for x0, x1 in a for y0, y1 in b)


Examples = dict[str, list[Example]]


def _label(cands: list[tuple[int, list[str]]], doc: Any, char: int, side: str, out: list[Example]) -> None:
    """Add the candidates as an example when exactly one starts (``side="start"``) or ends at ``char``."""
    at = (lambda j: doc[j].idx) if side == "start" else (lambda j: doc[j].idx + len(doc[j].text))
    hit = [k for k, (j, _) in enumerate(cands) if at(j) == char]
    if len(hit) == 1:
        out.append(([f for _, f in cands], hit[0]))


def examples(split: str, cache: str | None, limit: int | None = None) -> tuple[Examples, int]:
    """(examples of each boundary: end, start, cue_start, cue_end; rule attributions paired with an annotation)."""
    _, texts = load_parsed_split(split, cache, limit=limit)
    ends: list[Example] = []
    starts: list[Example] = []
    cue_starts: list[Example] = []
    cue_ends: list[Example] = []
    source_starts: list[Example] = []
    source_ends: list[Example] = []
    paired = 0
    for _, annotated, sdoc in texts:
        atts = find_attributions(sdoc, inside_quotes=False, refine=False, accept=False, gates=ACCEPT_GATES)
        quotes = sorted(find_quotes(sdoc.text) + find_single_quotes(sdoc.text))
        for d in annotated:
            for att in atts:
                golds = [g for g in d.attributions if g.content and _overlap([att.cue], g.cue)]
                if not golds:
                    continue
                gold = max(golds, key=lambda g: _overlap(att.content, g.content))
                cue = _cue_head(sdoc, att)
                if cue is None:
                    continue
                fenced = fences(att, atts, quotes)
                setting = content_setting(sdoc, att.content, cue, att.cue, att.source, att.rule, fenced)
                if setting is None:
                    continue
                paired += 1
                g_content = sorted(gold.content)
                g_start, g_end = g_content[0][0], g_content[-1][1]
                cands = setting.ends()
                hit = [k for k, (j, _) in enumerate(cands) if sdoc[j].idx + len(sdoc[j].text) == g_end]
                end_tok = setting.rule_end
                if len(hit) == 1:
                    ends.append(([f for _, f in cands], hit[0]))
                    end_tok = cands[hit[0]][0]
                cands = setting.starts(end_tok)
                hit = [k for k, (j, _) in enumerate(cands) if sdoc[j].idx == g_start]
                if len(hit) == 1:
                    starts.append(([f for _, f in cands], hit[0]))
                if att.cue_token < 0 or att.rule == "according-to" or len(gold.cue) != 1:
                    continue
                c_starts, c_ends = cue_setting(sdoc, att.cue, cue, att.cue_lemma, att.content, att.source, fenced)
                if att.source is not None and att.source_head is not None and len(gold.source) == 1:
                    s_starts, s_ends = source_setting(sdoc, att.source, sdoc[att.source_head], att.cue_lemma,
                                                      att.cue, att.content, fenced)
                    _label(s_starts, sdoc, gold.source[0][0], "start", source_starts)
                    _label(s_ends, sdoc, gold.source[0][1], "end", source_ends)
                _label(c_starts, sdoc, gold.cue[0][0], "start", cue_starts)
                _label(c_ends, sdoc, gold.cue[0][1], "end", cue_ends)
    return {"end": ends, "start": starts, "cue_start": cue_starts, "cue_end": cue_ends,
            "source_start": source_starts, "source_end": source_ends}, paired


def accuracy(exs: list[Example], weights: dict[str, float]) -> float:
    right = 0
    for cands, gold in exs:
        scores = [sum(weights.get(f, 0.0) for f in feats) for feats in cands]
        right += int(max(range(len(cands)), key=scores.__getitem__) == gold)
    return round(right / len(exs), 4) if exs else 0.0


def baseline(exs: list[Example], marker: str) -> float:
    """How often the rule's own boundary is the right one."""
    return round(sum(1 for cands, gold in exs if marker in cands[gold]) / len(exs), 4) if exs else 0.0


MARKERS = {"end": "rule_end", "start": "rule_start", "cue_start": "rule_start", "cue_end": "rule_end",
           "source_start": "rule_start", "source_end": "rule_end"}


def main() -> None:
    ap = training_parser(__doc__, OUT, 0.3)
    args = ap.parse_args()
    started = time.perf_counter()
    train, paired = examples(args.train, args.train_cache, args.limit)
    print(f"train: {paired} paired attributions; examples: " + ", ".join(f"{k} {len(v)}" for k, v in train.items()),
          file=sys.stderr)
    weights = {k: fit_ranking(v, args.c) for k, v in train.items()}
    meta: dict[str, Any] = {"trained_on": "PolNeAR train", "paired_attributions": paired, "C": args.c}
    for k, v in train.items():
        meta[f"{k}_examples"] = len(v)
        meta[f"{k}_features"] = len(weights[k])
        meta[f"train_{k}_accuracy"] = accuracy(v, weights[k])
    if args.dev:
        dev, _ = examples(args.dev, args.dev_cache, args.limit)
        for k, v in dev.items():
            meta[f"dev_{k}_accuracy"] = accuracy(v, weights[k])
            meta[f"dev_{k}_rules"] = baseline(v, MARKERS[k])
    print(json.dumps(meta, indent=1), file=sys.stderr)
    data = {"version": 2, "meta": meta, **{f"{k}_weights": w for k, w in weights.items()}}
    Path(args.out).write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{sum(len(w) for w in weights.values())} weights written to {args.out} in "
          f"{time.perf_counter() - started:.0f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
