"""What the learned taggers of this stage share: an int8 ONNX encoder on onnxruntime and its WordPiece tokenizer,
loaded without torch (:mod:`crossnews.extract.tagger`, :mod:`crossnews.extract.techniques`)."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from typing import Any

import numpy as np

__all__ = ["data_path", "open_session", "load_encoder", "run_padded"]


def data_path(name: str) -> str:
    """The path of the packaged file ``crossnews/data/<name>`` (weights of a learned model), whether or not it is
    installed."""
    return str(resources.files("crossnews").joinpath("data", name))


def open_session(model: str, threads: int = 1) -> Any:
    """The onnxruntime CPU session of ``model`` with ``threads`` intra-op threads and no memory arena (a batch's
    buffers are given back: the peak is the largest batch, not the sum); the embedder's too."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.enable_cpu_mem_arena = False
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def load_encoder(model: str, tokenizer: str, threads: int = 1) -> tuple[Any, Any]:
    """The session of ``model`` (:func:`open_session`) and the tokenizer of ``tokenizer`` (a ``tokenizer.json``),
    set to neither truncate nor pad: the caller cuts its own windows."""
    from tokenizers import Tokenizer

    session = open_session(model, threads)
    tok = Tokenizer.from_file(tokenizer)
    tok.no_truncation()
    tok.no_padding()
    return session, tok


def run_padded(session: Any, rows: Sequence[Sequence[int]]) -> np.ndarray:
    """The encoder's first output for ``rows`` of token ids, padded with 0 to the longest row and masked."""
    width = max(len(r) for r in rows)
    ids = np.zeros((len(rows), width), dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for i, r in enumerate(rows):
        ids[i, :len(r)] = r
        mask[i, :len(r)] = 1
    out: np.ndarray = session.run(None, {"input_ids": ids, "attention_mask": mask,
                                         "token_type_ids": np.zeros_like(ids)})[0]
    return out
