"""The default embedder: int8 ONNX MiniLM, no torch, within cosine 0.99 of the fp32 model's vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from crossnews.align.embed import get_embedder
from crossnews.core.settings import DEFAULTS

REFERENCE = Path(__file__).parent / "data" / "minilm_fp32_reference.npz"


def test_onnx_vectors_match_the_fp32_reference() -> None:
    """``scripts/check_embedder.py --write-reference`` wrote these fp32 vectors of the demo's own sentences."""
    ref = np.load(REFERENCE)
    vectors = get_embedder("embed.minilm.v2").encode([str(s) for s in ref["sentences"]])
    cosine = (vectors * ref["vectors"].astype(np.float32)).sum(axis=1)
    assert len(cosine) >= 40 and cosine.min() >= 0.99


def test_integer_embedder_stays_near_the_fp32_reference() -> None:
    """embed.minilm.v3 (integer products) is the default: on the demo's sentences its vectors stay within cosine
    0.99 of the fp32 model's on average and 0.98 each (scripts/build_embedder.py measured mean 0.995 on 728)."""
    ref = np.load(REFERENCE)
    vectors = get_embedder("embed.minilm.v3").encode([str(s) for s in ref["sentences"]])
    cosine = (vectors * ref["vectors"].astype(np.float32)).sum(axis=1)
    assert len(cosine) >= 40 and cosine.mean() >= 0.99 and cosine.min() >= 0.98


def test_default_embedder_is_normalised_batched_by_length_and_empty_safe() -> None:
    embedder = get_embedder(DEFAULTS.embedder)
    assert embedder.name == "embed.minilm.v3"
    texts = ["The vote was illegal.", "", "x " * 600, "The referendum was declared invalid by the council."]
    vectors = embedder.encode(texts)
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[[0, 2, 3]], axis=1), 1.0, atol=1e-5)
    alone = embedder.encode([texts[3]])[0]
    assert float(alone @ vectors[3]) > 0.9999  # padding in a batch does not change a text's vector
    assert embedder.encode([]).shape == (0, 384)
    assert float(vectors[0] @ vectors[3]) > float(vectors[0] @ vectors[2])


def test_the_default_run_imports_no_torch() -> None:
    import subprocess
    import sys

    code = ("import sys; from crossnews.align.embed import get_embedder; "
            "get_embedder('embed.minilm.v3').encode(['a short sentence here']); "
            "import crossnews.pipeline, crossnews.cli; print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
