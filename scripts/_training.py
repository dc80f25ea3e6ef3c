"""What the training scripts share: fitting a logistic regression on binary features and keeping its weights as
plain numbers (scikit-learn is a development dependency; crossnews itself only adds the weights up)."""

from __future__ import annotations

import argparse
from typing import Any


def fit_logistic(rows: list[list[str]], y: list[int], c: float, *,
                 max_iter: int = 3000) -> tuple[dict[str, float], Any]:
    """(weights over 0.005 in magnitude, a function giving the positive class's probability for feature lists)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    model = LogisticRegression(C=c, max_iter=max_iter, fit_intercept=False)
    model.fit(vec.fit_transform([{f: 1 for f in feats} for feats in rows]), y)
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 4) for n, w in zip(names, model.coef_[0], strict=True) if abs(w) >= 0.005}

    def probability(feature_lists: list[list[str]]) -> list[float]:
        matrix = vec.transform([{f: 1 for f in fs} for fs in feature_lists])
        return [float(p) for p in model.predict_proba(matrix)[:, 1]]

    return weights, probability


def training_parser(doc: str | None, out: object, c: float) -> argparse.ArgumentParser:
    """The arguments every training script takes: the train split, ``--dev``, DocBin caches of both, ``--c``,
    ``--out`` and ``--limit``."""
    ap = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    ap.add_argument("train")
    ap.add_argument("--dev")
    ap.add_argument("--train-cache", help="a spaCy DocBin of the train texts, in load_split order (optional)")
    ap.add_argument("--dev-cache")
    ap.add_argument("--c", type=float, default=c, help="inverse regularisation strength")
    ap.add_argument("--out", default=str(out))
    ap.add_argument("--limit", type=int, help="only the first N annotation files of each split (smoke tests)")
    return ap
