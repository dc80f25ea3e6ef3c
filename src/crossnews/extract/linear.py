"""Learned weights shipped as plain numbers: a logistic model over binary features, read from ``crossnews/data``.

The training scripts (``scripts/train_*.py``) fit their models with scikit-learn and save only the weights, so
using them needs no machine-learning library: a score is the sum of the weights of the features present.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources
from typing import Any

__all__ = ["LinearModel", "packaged_weights", "load_linear_model"]


@dataclass(frozen=True)
class LinearModel:
    weights: dict[str, float]
    threshold: float
    meta: dict[str, Any]

    def probability(self, feats: list[str]) -> float:
        z = sum(self.weights.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def packaged_weights(name: str) -> dict[str, Any] | None:
    """The JSON file ``crossnews/data/<name>``, or ``None`` when it is not installed."""
    path = resources.files("crossnews").joinpath(f"data/{name}")
    try:
        with path.open(encoding="utf-8") as fh:
            data: dict[str, Any] = json.load(fh)
    except FileNotFoundError:
        return None
    return data


def load_linear_model(name: str) -> LinearModel | None:
    data = packaged_weights(name)
    if data is None:
        return None
    return LinearModel(weights=data["weights"], threshold=data["threshold"], meta=data.get("meta", {}))
