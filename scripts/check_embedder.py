#!/usr/bin/env python3
"""Check the int8 ONNX embedder (embed.minilm.v2) against the fp32 model it was exported from (embed.minilm.v1).

Needs the ``train`` extra (torch, sentence-transformers) for the fp32 side. Sentences: the (fictional) demo corpus,
split at sentence ends, and 400 more from the PolNeAR dev texts when ``../shared`` is beside the checkout;
prints the number of sentences, the minimum and mean cosine between the two models' vectors and each model's
seconds. ``--write-reference`` also writes the fp32 vectors of the first 48 sentences (fp16) with
the sentences to ``tests/data/minilm_fp32_reference.npz``, which a test compares the ONNX embedder with on every CI
run (CI has no torch).

Usage: .venv-train/bin/python scripts/check_embedder.py [--write-reference]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from crossnews.align.embed import get_embedder  # noqa: E402

DEMO = REPO / "src" / "crossnews" / "demo"
REFERENCE = REPO / "tests" / "data" / "minilm_fp32_reference.npz"


def demo_sentences() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((DEMO / "pages").iterdir())]
    for line in (DEMO / "feed.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        texts.append(record.get("text") or record.get("html") or "")
    out: list[str] = []
    for text in texts:
        plain = re.sub(r"<[^>]+>", " ", text)
        for sentence in re.split(r"(?<=[.!?”\"])\s+", plain):
            sentence = " ".join(sentence.split())
            if 5 <= len(sentence.split()) <= 80 and sentence not in out:
                out.append(sentence)
    return out


def shared_sentences(limit: int = 400) -> list[str]:
    out: list[str] = []
    for path in sorted((REPO / ".." / "shared" / "evaldata" / "polnear" / "dev" / "text").glob("*.txt")):
        for sentence in re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8")):
            sentence = " ".join(sentence.split())
            if 5 <= len(sentence.split()) <= 80 and len(out) < limit:
                out.append(sentence)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write-reference", action="store_true")
    args = parser.parse_args()
    sentences = demo_sentences()
    ours = len(sentences)
    sentences += shared_sentences()
    start = time.perf_counter()
    onnx = get_embedder("embed.minilm.v2").encode(sentences)
    onnx_s = time.perf_counter() - start
    start = time.perf_counter()
    fp32 = get_embedder("embed.minilm.v1").encode(sentences)
    fp32_s = time.perf_counter() - start
    cos = (onnx * fp32).sum(axis=1)
    print(json.dumps({"sentences": len(sentences), "cosine_min": round(float(cos.min()), 5),
                      "cosine_mean": round(float(cos.mean()), 5), "onnx_seconds": round(onnx_s, 2),
                      "fp32_seconds": round(fp32_s, 2)}))
    if args.write_reference:
        REFERENCE.parent.mkdir(parents=True, exist_ok=True)
        keep = min(48, ours)  # the demo's own sentences only: third-party text stays out of the repository
        np.savez_compressed(REFERENCE, sentences=np.array(sentences[:keep]), vectors=fp32[:keep].astype(np.float16))
        print(f"wrote {REFERENCE.relative_to(REPO)}")
    return 0 if cos.min() >= 0.99 else 1


if __name__ == "__main__":
    sys.exit(main())
