#!/usr/bin/env python3
"""Time per character of one very long text against that of ordinary ones, in one process.

Usage (from the repository root)::

    .venv/bin/python bench/long_text.py [--big-chars 1050000] [--small-chars 20000] [--json]

Real articles, never copies: the PolNeAR dev and train texts in ``../shared/evaldata/polnear`` are read in name
order; the first ones are joined (a blank line between two) into three texts of about ``--small-chars`` characters
each, and the next ones, all distinct from those, into one text of about ``--big-chars`` (over spaCy's
1,000,000-character limit, so crossnews analyses it in windows). One child process (``python -c``) loads the model
on a short text, extracts the small texts, the big one, and the small ones again (before and after, so that a busy
machine slows both alike), and reports each one's seconds; the small texts' per-character time is the median of
the six. The budget: the big text's per-character time at most twice the small ones'. Exit status: 0 within
budget, 1 over it, 2 when the inputs are missing or the child fails.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import DEFAULT_INPUTS, POLNEAR, read_articles  # noqa: E402 - bench/throughput.py beside this script

BUDGET = 2.0  # big text's seconds per character / the small texts'

CHILD = r"""
import json, sys, time
from crossnews.clean import clean
from crossnews.extract import extract
from crossnews.ingest import RawInput

def run(text, name):
    began = time.perf_counter()
    (ex,) = extract([clean(RawInput(source=name, text=text, kind="text", origin="file"))])
    return {"chars": len(text), "seconds": time.perf_counter() - began, "statements": len(ex.statements),
            "error": ex.error}

texts = json.load(sys.stdin)
run(texts["warm"], "warm.txt")  # loads the model
small = [run(t, f"small{i}.txt") for i, t in enumerate(texts["small"])]
big = run(texts["big"], "big.txt")
small += [run(t, f"small{i}.txt") for i, t in enumerate(texts["small"])]
print(json.dumps({"small": small, "big": big}))
"""


def joined(texts: list[str], start: int, chars: int) -> tuple[str, int]:
    """Texts from ``start`` joined until about ``chars`` characters: (the text, the index after the last used)."""
    parts, size, i = [], 0, start
    while size < chars and i < len(texts):
        parts.append(texts[i].strip())
        size += len(parts[-1]) + 2
        i += 1
    return "\n\n".join(parts), i


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--big-chars", type=int, default=1_050_000)
    parser.add_argument("--small-chars", type=int, default=20_000)
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    args = parser.parse_args()
    texts = [content for _, _, content in read_articles(DEFAULT_INPUTS)]
    if not texts:
        print(f"bench: no PolNeAR texts under {POLNEAR}", file=sys.stderr)
        return 2
    warm, i = joined(texts, 0, 3_000)
    small = []
    for _ in range(3):
        text, i = joined(texts, i, args.small_chars)
        small.append(text)
    big, end = joined(texts, i, args.big_chars)
    if len(big) < args.big_chars * 0.95:
        print(f"bench: only {len(big)} characters of distinct articles left for the big text", file=sys.stderr)
        return 2
    payload = json.dumps({"warm": "Harbour row\n\n" + warm, "small": ["Harbour row\n\n" + t for t in small],
                          "big": "Harbour row\n\n" + big})
    done = subprocess.run([sys.executable, "-c", CHILD], input=payload, capture_output=True, text=True,
                          timeout=3600)
    if done.returncode != 0:
        print(done.stderr[-4000:], file=sys.stderr)
        return 2
    result = json.loads(done.stdout.strip().splitlines()[-1])
    per_small = sorted(r["seconds"] / r["chars"] for r in result["small"])[len(result["small"]) // 2]
    per_big = result["big"]["seconds"] / result["big"]["chars"]
    summary = {"articles": end, "big_chars": result["big"]["chars"], "big_seconds": round(result["big"]["seconds"], 1),
               "big_statements": result["big"]["statements"], "us_per_char_small": round(per_small * 1e6, 1),
               "us_per_char_big": round(per_big * 1e6, 1), "ratio": round(per_big / per_small, 2),
               "budget": BUDGET, "within_budget": per_big <= BUDGET * per_small}
    if args.json:
        print(json.dumps({**summary, "runs": result}, indent=1))
    else:
        print(json.dumps(summary))
    return 0 if summary["within_budget"] else 1


if __name__ == "__main__":
    sys.exit(main())
