"""Parse a PolNeAR split once and save the parses as a spaCy DocBin, for the training scripts' caches.

Every training script takes ``--train-cache`` and ``--dev-cache``: a DocBin of the split's article texts, one
parse per text, in the order :func:`crossnews.evaluate.brat.load_parsed_split` reads them. Without one, each script
parses the split itself (about ten minutes for train on two cores), so rebuilding the cue, content and acceptance
models in turn parses it three times. This script writes that DocBin once, parsed as crossnews parses:

    .venv/bin/python scripts/parse_split.py ../shared/evaldata/polnear/train /tmp/polnear_train.spacy
    .venv/bin/python scripts/train_cue_model.py ../shared/evaldata/polnear/train --train-cache /tmp/polnear_train.spacy

The DocBin holds the article texts (PolNeAR's, not crossnews'): keep it outside the repository.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from crossnews.eval.brat import load_parsed_split  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("split", help="a PolNeAR split folder (text/ and attributions/)")
    ap.add_argument("out", help="the DocBin file to write (e.g. /tmp/polnear_train.spacy)")
    ap.add_argument("--limit", type=int, help="only the first N annotation files (as the training scripts' --limit)")
    args = ap.parse_args()
    from spacy.tokens import DocBin

    out = Path(args.out)
    if out.resolve().is_relative_to(REPO):
        ap.error(f"{out}: the parses hold the corpus's article text; write them outside the repository")
    started = time.perf_counter()
    _, texts = load_parsed_split(args.split, None, limit=args.limit)
    bin_ = DocBin(store_user_data=False)
    for _, _, sdoc in texts:
        bin_.add(sdoc)
    out.parent.mkdir(parents=True, exist_ok=True)
    bin_.to_disk(out)
    print(f"{len(texts)} texts parsed, written to {out} in {time.perf_counter() - started:.0f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
