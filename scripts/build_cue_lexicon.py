"""Build the reporting-cue lexicon of ``quotes.rules.v2`` from PolNeAR's train split.

For every verb (and every "according to") in the train articles, parsed with the same spaCy model crossnews uses,
count how often it heads an annotated attribution cue. The output ``src/crossnews/data/cue_lexicon.json`` holds
only counts per lemma (no article text): ``{"lemma": {"cue": n, "total": m}}``.

    .venv/bin/python scripts/build_cue_lexicon.py ../shared/evaldata/polnear/train
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from crossnews.core.nlp import load_nlp  # noqa: E402
from crossnews.eval.brat import load_split  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("train", help="PolNeAR train split folder (text/ and attributions/)")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "src/crossnews/data/cue_lexicon.json"))
    ap.add_argument("--min-cue", type=int, default=3, help="keep lemmas heading at least this many cues")
    ap.add_argument("--limit", type=int, help="only the first N annotation files (smoke tests)")
    ap.add_argument("--cache", help="a spaCy DocBin of the texts, in load_split order (optional)")
    args = ap.parse_args()
    docs = load_split(args.train, limit=args.limit)
    # one parse per article text (several annotators may annotate the same text)
    by_text: dict[str, list] = {}
    for d in docs:
        by_text.setdefault(d.text_name, []).append(d)
    nlp = load_nlp()
    cue_counts: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    names = list(by_text)
    if args.cache and Path(args.cache).exists():
        from spacy.tokens import DocBin

        parsed = DocBin().from_disk(args.cache).get_docs(nlp.vocab)
    else:
        parsed = nlp.pipe((by_text[n][0].text for n in names), batch_size=8)
    for i, sdoc in enumerate(parsed):
        annotated = by_text[names[i]]
        cue_spans: set[tuple[int, int]] = set()
        for d in annotated:
            for a in d.attributions:
                cue_spans.update(a.cue)
        seen_lemmas: Counter[str] = Counter()
        for tok in sdoc:
            if tok.pos_ in ("VERB", "AUX") or tok.lower_ == "according":
                seen_lemmas["according to" if tok.lower_ == "according" else tok.lemma_.lower()] += 1
        for start, end in cue_spans:  # counted once per text, by the cue's head (its last verb)
            span = sdoc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            if span[0].lower_ == "according":
                cue_counts["according to"] += 1
                continue
            verbs = [t for t in span if t.pos_ == "VERB"] or [t for t in span if t.pos_ == "AUX"]
            if verbs:
                cue_counts[verbs[-1].lemma_.lower()] += 1
        totals.update(seen_lemmas)
        if i % 100 == 0:
            print(f"{i}/{len(names)} articles", file=sys.stderr)
    lexicon = {
        lemma: {"cue": int(n), "total": int(totals[lemma])}
        for lemma, n in sorted(cue_counts.items(), key=lambda x: -x[1])
        if n >= args.min_cue
    }
    Path(args.out).write_text(json.dumps({"_source": "PolNeAR train split, counts only", "lemmas": lexicon},
                                         indent=1) + "\n", encoding="utf-8")
    print(f"{len(lexicon)} cue lemmas written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
