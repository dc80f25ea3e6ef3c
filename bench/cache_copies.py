#!/usr/bin/env python3
"""The cache test: the seeds and the demo pages copied until about 200 articles, through bench/throughput.py.

Every copy after the first hits crossnews's caches (sentence vectors by text, unchanged content by hash), so this
measures them, not throughput on a real batch (bench/throughput.py's default, distinct articles, does that).

Usage: .venv/bin/python bench/cache_copies.py [--json]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import REPO, main  # noqa: E402

INPUTS = [REPO / ".." / "shared" / "seeds", REPO / "src" / "crossnews" / "demo" / "pages"]

if __name__ == "__main__":
    raise SystemExit(main(["--inputs", *map(str, INPUTS), "--repeat", "34", "--limit", "0", *sys.argv[1:]]))
