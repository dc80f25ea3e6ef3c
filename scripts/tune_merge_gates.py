#!/usr/bin/env python3
"""Tune the gates of ``quotes.tagger.v1`` (``MergeGates`` in ``crossnews.extract.tagger``) or, with ``--spans``,
of ``quotes.tagger.v2`` (``SpanGates`` in ``crossnews.extract.spans``) on a PolNeAR split.

Each article is parsed, run through the rules and tagged once (with ``--spans``, also merged at the shipped merge
gates and read by the span model once); then the merge (or the span setting) is scored (whole-attribution exact
F1, then content exact F1, over the statements as stored: outermost only) at each gate in ``--values`` for one role
at a time, the other roles held, for ``--rounds`` rounds of coordinate ascent. A gate above 1 means never.
Prints one line per setting and the best gates with their scores.

Usage: .venv/bin/python scripts/tune_merge_gates.py ../shared/evaldata/polnear/dev [--spans]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from crossnews.core.nlp import PIPE_BATCH, load_nlp  # noqa: E402
from crossnews.eval.attribution import _Backends, _statement_pred, load_split, score  # noqa: E402
from crossnews.extract import spans as sp  # noqa: E402
from crossnews.extract import tagger as tg  # noqa: E402

ROLES = ("content", "cue", "source", "add")
SPAN_ROLES = ("content", "cue", "source")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("split", help="a PolNeAR split folder (text/ and attributions/)")
    parser.add_argument("--values", default="0.5,0.6,0.7,0.8,0.9,0.95,1.01")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--spans", action="store_true", help="tune the span model's gates (quotes.tagger.v2)")
    args = parser.parse_args()
    values = [float(v) for v in args.values.split(",")]
    docs = load_split(args.split)
    backends = _Backends()
    if backends.tagger is None or (args.spans and backends.span_model is None):
        print("tune_merge_gates: no tagger or span model weights installed (data/)", file=sys.stderr)
        return 2
    texts: dict[str, str] = {}
    for d in docs:
        texts.setdefault(d.text_name, d.text)
    started = time.perf_counter()
    prepared: dict[str, tuple[Any, ...]] = {}
    for name, sdoc in zip(texts, load_nlp().pipe(list(texts.values()), batch_size=PIPE_BATCH), strict=True):
        doc, statements, refs, sentences, chunks = backends.prepared(name, texts[name], sdoc)
        prepared[name] = (doc, sdoc, statements, refs, sentences, chunks)
        if args.spans:
            merged = tg.merge(*prepared[name])[0]
            prepared[name] = (texts[name], merged, *sp.tag_statements(backends.span_model, texts[name], merged), sdoc)
    print(f"prepared {len(prepared)} articles in {time.perf_counter() - started:.0f} s", file=sys.stderr)

    def run(gates: Any) -> tuple[tuple[float, float], dict[str, Any]]:
        if args.spans:
            preds = {name: [_statement_pred(s) for s in sp.set_spans(*p[:4], gates=gates, sdoc=p[4])
                            if s.nested_in is None] for name, p in prepared.items()}
        else:
            preds = {name: [_statement_pred(s) for s in tg.merge(*p, gates=gates)[0] if s.nested_in is None]
                     for name, p in prepared.items()}
        result = score([(d.attributions, preds[d.text_name]) for d in docs])
        return (result["attribution"]["exact"]["f1"], result["content"]["exact"]["f1"]), result

    if args.spans:
        return _tune(run, sp.SpanGates, sp.GATES, SPAN_ROLES, values, args.rounds)
    return _tune(run, tg.MergeGates, tg.GATES, ROLES, values, args.rounds)


def _tune(run: Any, kind: Any, shipped: Any, roles: tuple[str, ...], values: list[float], rounds: int) -> int:
    never = {role: tg.NEVER for role in roles}
    print("none", run(kind(**never))[0], flush=True)
    print("shipped", shipped, run(shipped)[0], flush=True)
    current = dict(never)
    for round_ in range(rounds):
        for role in roles:
            tried = []
            for v in values:
                key, _ = run(kind(**{**current, role: v}))
                print(round_, role, v, key, flush=True)
                tried.append((key, v))
            current[role] = max(tried)[1]
    key, result = run(kind(**current))
    print(json.dumps({"gates": dataclasses.asdict(kind(**current)), "exact_f1": key[0],
                      "content_exact_f1": key[1], "scores": result}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
