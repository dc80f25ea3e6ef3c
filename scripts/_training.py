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


def fit_ranking(groups: list[tuple[list[list[str]], int]], c: float, *, max_iter: int = 500) -> dict[str, float]:
    """Weights of a conditional logit: for each group of candidates (their feature lists) and the index of the
    right one, the probability of the right one is the softmax of the candidates' summed weights. Fitted by
    L-BFGS with an L2 penalty of ``1 / (2c)``; unlike a per-candidate logistic regression it learns to rank the
    candidates of one choice against each other, which is how the weights are used."""
    import numpy as np
    from scipy.optimize import minimize
    from scipy.sparse import csr_matrix

    index: dict[str, int] = {}
    rows, cols = [], []
    offsets = [0]
    gold = []
    n = 0
    for cands, right in groups:
        for feats in cands:
            for f in set(feats):
                rows.append(n)
                cols.append(index.setdefault(f, len(index)))
            n += 1
        gold.append(offsets[-1] + right)
        offsets.append(n)
    x = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(index)))
    starts = np.array(offsets[:-1])
    group_of = np.repeat(np.arange(len(groups)), np.diff(offsets))
    gold_idx = np.array(gold)

    def loss(w: Any) -> tuple[float, Any]:
        s = x @ w
        peak = np.maximum.reduceat(s, starts)
        e = np.exp(s - peak[group_of])
        z = np.add.reduceat(e, starts)
        p = e / z[group_of]
        nll = float(np.sum(np.log(z) + peak - s[gold_idx]))
        p[gold_idx] -= 1.0
        return nll + float(w @ w) / (2 * c), x.T @ p + w / c

    res = minimize(loss, np.zeros(len(index)), jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    names = sorted(index, key=index.__getitem__)
    return {f: round(float(v), 4) for f, v in zip(names, res.x, strict=True) if abs(v) >= 0.005}
