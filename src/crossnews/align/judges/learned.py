"""``judge.learned.v1``: the evidence of :mod:`crossnews.align.judges.evidence` weighed by a logistic regression
learned on CPU (``scripts/train_judge.py``), with the same evidence rules as gates.

For each pair the judge computes named features (:func:`pair_features`): lexical overlap and surface similarity,
shared names and words, negation, denial, doubt and hedges on one side only, opposite stance, rival causes, numbers
and dates, the rules judge's own label, and the cosine of the two claims' sentence embeddings (``embed.minilm.v2``,
all-MiniLM-L6-v2 as int8 ONNX: no torch; the weights file names the embedder it was trained with and the ones it
accepts, ``embed.minilm.v1`` being the same model in fp32). A multinomial logistic regression, stored as
plain numbers in ``data/judge_model.json`` and evaluated with numpy (no torch for the model itself), gives the
probabilities of ``agrees``, ``contradicts`` and ``unrelated``. Then the labels are made to mean what they say:

* ``contradicts`` needs a subject both claims are about (shared names, entities or speaker, shared words, or
  close meaning *together with* a conflict) and a conflict or a difference of polarity (negation or denial on one
  side, opposite stance, rival causes, numbers or dates) — similarity alone never contradicts;
* ``agrees`` needs the same proposition (subject and predicate from words, names, entities or speaker), told
  closely (on top of the shared subject and predicate, 30% of the words shared (Dice) and a cosine of at least
  0.5), and no conflict nor difference of modality ("unlikely to admit he ever recognized" does not agree with
  "recognized");
* ``same`` is the same words (possibly trimmed), ``adds`` an agreement where one claim holds the other and says
  more; a pair that fails its gate is ``unrelated``, and the evidence says which gate stopped it.

The gates come first; the model's probability of the label must then reach a threshold chosen in cross-validation
(:func:`decide`).

Each judgement's evidence lists the probabilities, the features that fired with their contributions to the
chosen label, the subject, predicate, conflicts and modality in words, and the spans that carry the conflicts.

The weights file also records the seed and settings of training, and the ClaimDiff pairs held out from training
(:attr:`LearnedJudge.heldout_pairs`), so that ``crossnews eval claimpairs --judge judge.learned.v1`` scores the
judge only on pairs it was not trained on.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from crossnews.align.judges import Claim, Judgement
from crossnews.align.judges.evidence import Comparison, compare, read
from crossnews.align.judges.rules import RulesJudge
from crossnews.core.errors import CrossnewsError
from crossnews.core.registry import register

__all__ = ["NAME", "FORMAT", "CLASSES", "LearnedJudge", "LearnedJudgeError", "LinearModel", "pair_features",
           "load_weights", "learned_judge", "DEFAULT_WEIGHTS", "GateFacts", "gate_facts", "decide", "compare_claims",
           "SOFT_CONFLICTS", "SOFT_CONFLICTS_ALL"]

NAME = "judge.learned.v1"
FORMAT = "crossnews.judge.learned/1"
CLASSES = ("agrees", "contradicts", "unrelated")
DEFAULT_WEIGHTS = "judge_model.json"

# soft differences of polarity that may carry a contradiction when the model finds one (hard conflicts always may)
SOFT_CONFLICTS = ("denial_one_side", "negation_parity")
AGREE_DICE = 0.3  # share of words (Dice) from which the same proposition is told closely enough to agree ...
AGREE_COSINE = 0.5  # ... with a cosine of at least this (never the cosine alone)
SOFT_CONFLICTS_ALL = ("denial_one_side", "negation_parity", "doubt_one_side", "hedge_one_side")


class LearnedJudgeError(CrossnewsError):
    """The weights file is missing or not a learned judge's weights (E053), or an option is invalid (E054)."""


@dataclass(frozen=True)
class LinearModel:
    """A multinomial logistic regression over standardised features: ``softmax(((x - mean) / scale) @ coef.T +
    intercept)``."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray  # (classes, features)
    intercept: np.ndarray  # (classes,)
    thresholds: np.ndarray  # the least P(agrees) and P(contradicts) for those labels (chosen in cross-validation)

    @classmethod
    def from_json(cls, data: dict[str, Any], where: str) -> LinearModel:
        try:
            features = tuple(str(f) for f in data["features"])
            model = cls(features, np.asarray(data["mean"], dtype=np.float64),
                        np.asarray(data["scale"], dtype=np.float64), np.asarray(data["coef"], dtype=np.float64),
                        np.asarray(data["intercept"], dtype=np.float64),
                        np.asarray(data.get("thresholds", [0.5, 0.5]), dtype=np.float64))
        except (KeyError, TypeError, ValueError) as exc:
            raise LearnedJudgeError(f"E053: {where}: not a learned judge model ({exc})") from exc
        n = len(features)
        if model.mean.shape != (n,) or model.scale.shape != (n,) or model.coef.shape != (len(CLASSES), n) \
                or model.intercept.shape != (len(CLASSES),) or model.thresholds.shape != (2,):
            raise LearnedJudgeError(f"E053: {where}: the model's arrays do not match its {n} features and "
                                    f"{len(CLASSES)} classes")
        return model

    def matrix(self, rows: Sequence[dict[str, float]]) -> np.ndarray:
        return np.array([[row.get(f, 0.0) for f in self.features] for row in rows], dtype=np.float64)

    def logits(self, x: np.ndarray) -> np.ndarray:
        z = (x - self.mean) / self.scale
        out: np.ndarray = z @ self.coef.T + self.intercept
        return out

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        logits = self.logits(x)
        logits = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        out: np.ndarray = e / e.sum(axis=1, keepdims=True)
        return out

    def contributions(self, x: np.ndarray, cls: int) -> np.ndarray:
        """Each feature's push towards class ``cls`` against the mean of the classes, for one row ``x``."""
        z = (x - self.mean) / self.scale
        w = self.coef[cls] - self.coef.mean(axis=0)
        out: np.ndarray = z * w
        return out


def load_weights(path: str | Path | None = None) -> tuple[dict[str, Any], str]:
    """(weights, where) from ``path`` or the packaged ``data/judge_model.json``; E053 when missing or invalid."""
    if path is None:
        where = f"crossnews/data/{DEFAULT_WEIGHTS}"
        try:
            text = resources.files("crossnews").joinpath(f"data/{DEFAULT_WEIGHTS}").read_text(encoding="utf-8")
        except (OSError, FileNotFoundError) as exc:
            raise LearnedJudgeError(f"E053: the packaged weights {where} are missing; build them with "
                                    "'.venv/bin/python scripts/train_judge.py' or give weights=PATH") from exc
    else:
        where = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise LearnedJudgeError(f"E053: cannot read the learned judge's weights {where!r} ({exc.strerror or exc}); "
                                    "build them with 'scripts/train_judge.py --out PATH' or leave weights unset "
                                    "for the packaged ones") from exc
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise LearnedJudgeError(f"E053: {where}: not JSON ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise LearnedJudgeError(f"E053: {where}: not a learned judge's weights (expected format {FORMAT!r})")
    return data, where


# ------------------------------------------------------------------------------------------------ features


@lru_cache(maxsize=65536)
def _surface(na: str, nb: str) -> tuple[float, float]:
    short, long_ = (na, nb) if len(na) <= len(nb) else (nb, na)
    return fuzz.ratio(na, nb) / 100, fuzz.partial_ratio(short, long_) / 100


def _folded(text: str) -> str:
    return " ".join(text.lower().split())


def pair_features(a: Claim, b: Claim, cos: float | None, comparison: Comparison,
                  rules_label: str) -> dict[str, float]:
    """The named features of one pair (the weights file keys its numbers by these names)."""
    c = comparison
    sa, sb = c.a.keys(False), c.b.keys(False)
    wa = len(sa) + len(c.a.keys(True))
    wb = len(sb) + len(c.b.keys(True))
    shared = len(c.shared_stems) + len(c.shared_names)
    ratio, partial = _surface(_folded(a.text), _folded(b.text))
    f = c.features()
    f.update({
        "dice": 2 * shared / (wa + wb) if wa + wb else 0.0,
        "containment": shared / min(wa, wb) if min(wa, wb) else 0.0,
        "length_ratio": min(wa, wb) / max(wa, wb) if max(wa, wb) else 0.0,
        "log_words": math.log1p(wa + wb),
        "ratio": ratio,
        "partial_ratio": partial,
        "rules_contradicts": 1.0 if rules_label == "contradicts" else 0.0,
        "rules_agrees": 1.0 if rules_label in ("agrees", "adds") else 0.0,
        "rules_same": 1.0 if rules_label == "same" else 0.0,
    })
    if cos is not None:
        f["cosine"] = cos
        f["cosine_sq"] = cos * cos
        f["cosine_x_conflict"] = cos * f["conflict"]
        f["cosine_x_negation"] = cos * max(f["negated_shared"], f["denied_shared"])
        f["cosine_x_rival"] = cos * f["rival_causes"]
        f["cosine_x_denial"] = cos * f["denial_one_side"]
    f["dice_x_no_conflict"] = f["dice"] * (1.0 - f["conflict"])  # much in common and nothing that parts them
    if cos is not None:
        f["cosine_x_no_conflict"] = cos * (1.0 - f["conflict"])
    f["subject_x_conflict"] = f["subject"] * f["conflict"]
    f["dice_x_parity"] = f["dice"] * f["negation_parity"]
    f["dice_x_doubt"] = f["dice"] * f["doubted_shared"]
    return f


def compare_claims(a: Claim, b: Claim) -> Comparison:
    """:func:`compare` on two claims, with their cues, speakers and entities."""
    same_speaker = a.speaker_entity is not None and a.speaker_entity == b.speaker_entity
    return compare(read(a.text, a.cue or ""), read(b.text, b.cue or ""), same_speaker=same_speaker,
                   shared_entities=sorted(set(a.entities) & set(b.entities)))


def _span(claim: Claim, start: int, end: int) -> dict[str, Any]:
    out: dict[str, Any] = {"text": claim.text[start:end]}
    offset = claim.start if claim.start is not None else 0
    out["start"], out["end"] = offset + start, offset + end
    if claim.doc is not None:
        out["doc"] = claim.doc
    return out


# ------------------------------------------------------------------------------------------------ the judge


class LearnedJudge:
    """``judge.learned.v1`` (see the module docstring). ``weights``: a weights file (default: the packaged one);
    ``embedder``: the embedder (a name or an object) to compute cosines with (default: the one the weights were
    trained with; ``"none"`` uses the weights' model without the cosine and needs no embedder at all)."""

    name = NAME

    def __init__(self, weights: str | Path | None = None, embedder: Any = None, cache_size: int = 50000) -> None:
        self.weights, self.where = load_weights(weights)
        models = self.weights.get("models")
        if not isinstance(models, dict) or "embedding" not in models or "plain" not in models:
            raise LearnedJudgeError(f"E053: {self.where}: expected models 'embedding' and 'plain'")
        trained_with = str(self.weights.get("embedder", "embed.minilm.v2"))
        self.accepts = {trained_with, *(str(e) for e in self.weights.get("compatible_embedders", ()))}
        self._embedder: Any = None
        if embedder in ("none", False):
            self.model = LinearModel.from_json(models["plain"], self.where)
            self.embedder_name: str | None = None
        else:
            self.model = LinearModel.from_json(models["embedding"], self.where)
            if embedder is None or isinstance(embedder, str):
                self.embedder_name = embedder or trained_with
            else:
                self._embedder = embedder
                self.embedder_name = str(getattr(embedder, "name", "custom"))
            if self.embedder_name not in self.accepts:
                raise LearnedJudgeError(f"E054: {self.where} was trained with the embedder {trained_with!r}, not "
                                        f"{self.embedder_name!r}; use it (or one of {sorted(self.accepts)}), or "
                                        "embedder='none' for the model without the cosine")
        gates = self.weights.get("gates", {})
        if self.embedder_name is None:
            gates = gates.get("plain", gates)
        self.gate_cosine = float(gates.get("cosine", 0.5))
        self.soft_conflicts = tuple(str(k) for k in gates.get("soft_conflicts", SOFT_CONFLICTS))
        self.thresholds = tuple(float(t) for t in self.model.thresholds)
        self._rules = RulesJudge()
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size

    def __repr__(self) -> str:
        return f"LearnedJudge({self.where!r}, embedder={self.embedder_name!r})"

    @property
    def heldout_pairs(self) -> frozenset[str]:
        """ClaimDiff ``pair_id``s held out from training (scored by ``crossnews eval claimpairs``)."""
        held = self.weights.get("heldout", {}).get("claimdiff", {})
        return frozenset(str(x) for x in held.get("pair_ids", ()))

    @property
    def heldout_split(self) -> str | None:
        held = self.weights.get("heldout", {}).get("claimdiff", {})
        split = held.get("split")
        return str(split) if split else None

    # -------------------------------------------------------------------------------------------- embeddings

    def prime(self, texts: Sequence[str], vectors: np.ndarray, embedder: str | None = None) -> bool:
        """Give the judge vectors already computed (an aligner has them), so that it does not encode those texts
        again. With ``embedder`` (the vectors' embedder name), vectors of an embedder the weights do not accept are
        ignored. True when the vectors were taken."""
        if self.embedder_name is None or (embedder is not None and embedder not in self.accepts):
            return False
        for t, v in zip(texts, vectors, strict=True):
            self._remember(t, np.asarray(v, dtype=np.float32))
        return True

    def _remember(self, text: str, vector: np.ndarray) -> None:
        key = hashlib.sha1(text.encode()).hexdigest()
        self._vectors[key] = vector
        self._vectors.move_to_end(key)
        while len(self._vectors) > self._cache_size:
            self._vectors.popitem(last=False)

    def _cosines(self, pairs: Sequence[tuple[Claim, Claim]]) -> list[float | None]:
        if self.embedder_name is None:
            return [None] * len(pairs)
        texts = list(dict.fromkeys(t for a, b in pairs for t in (a.text, b.text)))
        keys = {t: hashlib.sha1(t.encode()).hexdigest() for t in texts}
        found = {k: self._vectors[k] for k in keys.values() if k in self._vectors}  # this call's, whatever the LRU
        missing = [t for t in texts if keys[t] not in found]
        if missing:
            if self._embedder is None:
                from crossnews.align.embed import get_embedder

                self._embedder = get_embedder(self.embedder_name)
            for t, v in zip(missing, self._embedder.encode(missing), strict=True):
                found[keys[t]] = np.asarray(v, dtype=np.float32)
                self._remember(t, found[keys[t]])
        out: list[float | None] = []
        for a, b in pairs:
            va, vb = found[keys[a.text]], found[keys[b.text]]
            out.append(float(np.clip(float(va @ vb), -1.0, 1.0)))
        return out

    # -------------------------------------------------------------------------------------------- judging

    def features(self, pairs: Sequence[tuple[Claim, Claim]]) -> tuple[list[dict[str, float]], list[Comparison]]:
        """The feature rows and comparisons of ``pairs`` (as the training script computes them)."""
        cos = self._cosines(pairs)
        rules = self._rules.judge(pairs)
        comparisons = [compare_claims(a, b) for a, b in pairs]
        rows = [pair_features(a, b, c, cmp, r.label)
                for (a, b), c, cmp, r in zip(pairs, cos, comparisons, rules, strict=True)]
        return rows, comparisons

    def probabilities(self, pairs: Sequence[tuple[Claim, Claim]]) -> np.ndarray:
        """Class probabilities (rows: pairs; columns: :data:`CLASSES`), before the thresholds and gates."""
        if not pairs:
            return np.zeros((0, len(CLASSES)))
        rows, _ = self.features(pairs)
        return self.model.probabilities(self.model.matrix(rows))

    def judge(self, pairs: Sequence[tuple[Claim, Claim]]) -> list[Judgement]:
        if not pairs:
            return []
        rows, comparisons = self.features(pairs)
        x = self.model.matrix(rows)
        probs = self.model.probabilities(x)
        return [self._decide(a, b, x[i], rows[i], comparisons[i], probs[i]) for i, (a, b) in enumerate(pairs)]

    def _decide(self, a: Claim, b: Claim, x: np.ndarray, row: dict[str, float], c: Comparison,
                probs: np.ndarray) -> Judgement:
        label, model_label, gate = decide(gate_facts(row, c), probs, thresholds=self.thresholds,
                                          gate_cosine=self.gate_cosine, soft_conflicts=self.soft_conflicts)
        cls = CLASSES.index(label if label in CLASSES else "agrees")
        contrib = self.model.contributions(x, cls)
        fired = sorted(((self.model.features[k], float(contrib[k])) for k in range(len(contrib))
                        if row.get(self.model.features[k], 0.0) != 0.0), key=lambda t: -abs(t[1]))
        evidence: dict[str, Any] = {
            "model": {"label": model_label,
                      "probabilities": {k: round(float(p), 3) for k, p in zip(CLASSES, probs, strict=True)}},
            "features": [{"feature": name, "value": round(row[name], 3), "push": round(w, 3)}
                         for name, w in fired[:8]],
            **c.as_evidence(),
        }
        if "cosine" in row:
            evidence["cosine"] = round(row["cosine"], 3)
        if gate:
            evidence["gate"] = gate
        reasons = []
        if label == "contradicts":
            reasons = c.conflicts() or [f"{k.replace('_', ' ')}" for k in self.soft_conflicts if row.get(k)]
        elif label == "same":
            reasons = [f"the same words (ratio {row['ratio']:.2f}, partial {row['partial_ratio']:.2f})"]
        elif label in ("agrees", "adds"):
            reasons = c.subject + c.predicate
        elif gate:
            reasons = [gate]
        top = ", ".join(f"{name} {w:+.2f}" for name, w in fired[:4])
        reasons.append(f"learned: P({CLASSES[cls]}) = {float(probs[cls]):.2f} ({top})")
        evidence["reasons"] = reasons
        sa, sb = c.spans()
        if sa or sb:
            evidence["spans"] = {"a": [_span(a, s, e) for s, e in sa], "b": [_span(b, s, e) for s, e in sb]}
        score = float(probs[cls]) if label != "same" else max(row["ratio"], row["partial_ratio"])
        return Judgement(label, round(score, 3), NAME, evidence)


@dataclass(frozen=True, slots=True)
class GateFacts:
    """What the gates of :func:`decide` look at, computed once per pair."""

    subject: bool  # a subject from names, entities, speaker or words
    conflict: bool  # a hard conflict (negation or denial of a shared word, stance, cause, numbers, dates)
    soft: frozenset[str]  # soft differences of polarity present (names from SOFT_CONFLICTS_ALL)
    modality: bool  # a shared word doubted on one side only
    same_proposition: bool
    same_words: bool
    adds: bool  # one claim holds the other's words and says more
    cosine: float


def gate_facts(row: dict[str, float], c: Comparison) -> GateFacts:
    same_words = (row.get("ratio", 0.0) >= 0.95 or (row.get("partial_ratio", 0.0) >= 0.96
                                                     and row.get("length_ratio", 0.0) >= 0.6)) \
        and min(len(c.a.tokens), len(c.b.tokens)) >= 5
    # the same proposition, told closely: on top of the shared subject and predicate, a good share of the words and
    # (when the cosine is known) close meaning
    close = row.get("dice", 0.0) >= AGREE_DICE and row.get("cosine", 1.0) >= AGREE_COSINE
    return GateFacts(bool(c.subject), bool(c.conflicts()), frozenset(k for k in SOFT_CONFLICTS_ALL if row.get(k)),
                     bool(c.modality()), c.same_proposition and close, same_words,
                     row.get("containment", 0.0) >= 0.8 and row.get("length_ratio", 1.0) <= 0.6,
                     row.get("cosine", 0.0))


def decide(facts: GateFacts, probs: np.ndarray, *, thresholds: Sequence[float], gate_cosine: float,
           soft_conflicts: Sequence[str]) -> tuple[str, str, str | None]:
    """(label, the model's own label, why the evidence or a threshold kept the model's label, or None) for one
    pair. ``probs`` are the model's probabilities of :data:`CLASSES`; ``thresholds`` the least probability of
    "agrees" and of "contradicts" (chosen in cross-validation). In order:

    * the same words (and no conflict nor difference of modality) → ``same``;
    * a subject both claims are about, a conflict (or a soft difference of polarity), and P(contradicts) at
      least its threshold → ``contradicts``;
    * the same proposition told closely, no conflict nor difference of modality, and P(agrees) at least its
      threshold → ``agrees`` (``adds`` when one claim holds the other and says more);
    * otherwise ``unrelated``."""
    model_label = CLASSES[int(np.argmax(probs))]
    t_agree, t_contra = thresholds[0], thresholds[1]
    soft = bool(facts.soft & set(soft_conflicts))
    subject = facts.subject or (facts.conflict and facts.cosine >= gate_cosine)
    if not facts.conflict and not facts.modality and facts.same_words:
        return "same", model_label, None
    contra_ok = subject and (facts.conflict or soft)
    if contra_ok and probs[1] >= t_contra:
        return "contradicts", model_label, None
    agree_ok = facts.same_proposition and not facts.conflict and not facts.modality
    if agree_ok and probs[0] >= t_agree:
        return ("adds" if facts.adds else "agrees"), model_label, None
    if model_label == "contradicts":
        if not subject:
            return "unrelated", model_label, "no subject both claims are about (names, entities, speaker, words)"
        if not contra_ok:
            return "unrelated", model_label, "no conflict found: no negation, denial, opposite stance, rival " \
                                             "cause, numbers or dates that differ"
        return "unrelated", model_label, f"P(contradicts) {probs[1]:.2f} is under {t_contra:.2f}"
    if model_label == "agrees":
        if not facts.same_proposition:
            return "unrelated", model_label, "not the same proposition told closely (shared subject and " \
                                             "predicate, 30% of the words and close meaning)"
        if facts.conflict:
            return "unrelated", model_label, "they part on a conflict (see conflicts)"
        if facts.modality:
            return "unrelated", model_label, "modality differs (see modality)"
        return "unrelated", model_label, f"P(agrees) {probs[0]:.2f} is under {t_agree:.2f}"
    return "unrelated", model_label, None


@register(NAME, description="learned: logistic regression over the judges' evidence and embedding cosine, "
                            "with evidence gates (weights in data/judge_model.json)")
def learned_judge(**options: Any) -> LearnedJudge:
    return LearnedJudge(**options)
