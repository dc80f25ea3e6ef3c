"""Propaganda technique spans: a learned token tagger over the whole text of a document.

The tagger is the MiniLM-L6 encoder (all-MiniLM-L6-v2) fine-tuned on the PTC train split (SemEval-2020 task 11)
by ``scripts/train_techniques.py``, exported to ONNX and quantised to int8 (``data/techniques_minilm_int8.onnx``,
its settings, held-out articles and thresholds in ``data/techniques_model.json``). At run time it needs
onnxruntime and the WordPiece tokenizer.json the default embedder uses, never torch.

Each token gets 15 probabilities: the first (a sigmoid) says whether the token lies inside any propaganda span, the
other 14 (a softmax) which technique it is, given that it is inside one (:data:`TECHNIQUES`). The text is
read in overlapping windows of tokens (:func:`token_windows`); each token takes the prediction of the window where it
has the most context. A span (:func:`decode_spans`) is a run of tokens whose "any" probability passes the threshold
(gaps of one token are bridged); its technique is the one with the highest mean probability over the span (weighted
per technique, and Repetition favoured for words that occur more than once, as tuned on dev), and its score the mean
"any" probability. :func:`classify` labels given spans (the technique classification task).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from crossnews.extract.linear import packaged_weights
from crossnews.extract.onnx import data_path, run_padded

__all__ = ["TECHNIQUES", "HEAD_FEATURES", "span_features",
           "TechniqueSpan", "WindowSettings", "TokenWindow", "token_windows", "decode_spans",
           "span_scores", "classify", "TechniqueTagger", "load_technique_tagger", "tag_techniques",
           "weights_available"]

log = logging.getLogger(__name__)

#: the 14 technique labels of PTC v2, as the corpus spells them, in the order of outputs 1..14
TECHNIQUES = (
    "Loaded_Language", "Name_Calling,Labeling", "Repetition", "Doubt", "Exaggeration,Minimisation",
    "Appeal_to_fear-prejudice", "Flag-Waving", "Causal_Oversimplification", "Appeal_to_Authority", "Slogans",
    "Whataboutism,Straw_Men,Red_Herring", "Black-and-White_Fallacy", "Thought-terminating_Cliches",
    "Bandwagon,Reductio_ad_hitlerum",
)
N_OUT = len(TECHNIQUES) + 1
WEIGHTS = "techniques_minilm_int8.onnx"
SETTINGS = "techniques_model.json"
CLS, SEP, PAD = 101, 102, 0
#: windows per encoder call. One thread: the pipeline runs the tagger beside the parse (extract/__init__.py), each on
#: a core of its own. Four windows a call ran 15% faster than 16 on 2 cores, and since int8 activations are
#: quantised per call, fewer windows a call also keep a window's scale its own (dev SI F1 0.433 vs 0.428)
BATCH = 4
#: characters trimmed off a span's edges (as PTC v2 trims its gold spans)
_TRIM = " \n\t.,:;"


@dataclass(frozen=True, slots=True)
class TechniqueSpan:
    """A span ``[start, end)`` of a document's text tagged with a technique; ``score`` is the tagger's mean
    probability that its tokens are propaganda."""

    start: int
    end: int
    technique: str
    score: float


@dataclass(frozen=True, slots=True)
class WindowSettings:
    """How the token windows are cut: at most ``max_len`` ids with [CLS] and [SEP], ``context`` tokens of context on
    each side of the window's own tokens."""

    max_len: int = 128
    context: int = 16

    @property
    def core(self) -> int:
        return self.max_len - 2 - 2 * self.context


@dataclass(frozen=True, slots=True)
class TokenWindow:
    """``[CLS] context own context [SEP]``: ``first`` is the position of the first own token in ``ids``, ``tokens``
    the own tokens' indices in the document's encoding."""

    ids: tuple[int, ...]
    first: int
    tokens: tuple[int, ...]


def token_windows(ids: Sequence[int], settings: WindowSettings) -> list[TokenWindow]:
    """Windows that cover every token of a text encoded once into ``ids``, each own token exactly once."""
    out = []
    n = len(ids)
    for p in range(0, n, settings.core):
        q = min(p + settings.core, n)
        lo, hi = max(p - settings.context, 0), min(q + settings.context, n)
        out.append(TokenWindow((CLS, *ids[lo:hi], SEP), 1 + p - lo, tuple(range(p, q))))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` widened to whole words (a word's first word piece alone is never a span), then trimmed of
    spaces and punctuation at its edges."""
    while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while 0 < end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def span_scores(probs: Any, offsets: Sequence[tuple[int, int]], start: int, end: int) -> Any:
    """The mean of the tokens' probabilities (an array of ``N_OUT``) over the tokens inside ``[start, end)``."""
    import numpy as np

    rows = [i for i, (a, b) in enumerate(offsets) if a < end and b > start and b > a]
    if not rows:
        return np.zeros(probs.shape[1])
    return probs[rows].mean(axis=0)


#: the span features of the technique head (:func:`span_features`), in order
HEAD_FEATURES = tuple(f"logp:{t}" for t in TECHNIQUES) + (
    "log_tokens", "repeated", "log_count", "in_title", "quoted", "exclaims", "capitals", "bias")


def span_features(mean: Any, text: str, start: int, end: int, tokens: int) -> list[float]:
    """The features of a span for the technique head: the log mean probability of each technique over its tokens,
    its length, whether its words occur elsewhere in the text (and how often), whether it lies in the title (the
    first line), holds quote marks or an exclamation mark, and its share of capitalised words."""
    import math

    words = text[start:end].strip()
    count = text.lower().count(words.lower()) if len(words) >= 3 else 1
    first_line = text.find("\n")
    ws = words.split()
    caps = sum(1 for w in ws if w[:1].isupper()) / max(len(ws), 1)
    return [math.log(float(x) + 1e-6) for x in mean] + [
        math.log1p(tokens), float(count > 1), math.log1p(max(count - 1, 0)),
        float(first_line < 0 or start < first_line), float(any(q in words for q in "\"“”«»")), float("!" in words),
        caps, 1.0]


def _ranked(mean: Any, text: str, start: int, end: int, prior: Sequence[float] | None,
            repeat: float, head: Sequence[Sequence[float]] | None = None, tokens: int = 1) -> list[int]:
    """Technique indices, best first, for a span with mean probabilities ``mean`` (the 14 technique outputs): times
    ``prior``, and the Repetition output times ``repeat`` when the span's words occur more than once in the text."""
    if head is not None:  # the learned head: a multinomial logistic model over span_features
        f = span_features(mean, text, start, end, tokens)
        scores = [sum(w * x for w, x in zip(row, f, strict=True)) for row in head]
        return sorted(range(len(TECHNIQUES)), key=lambda i: -scores[i])
    m = [float(x) for x in mean]
    if prior is not None:
        m = [x * float(p) for x, p in zip(m, prior, strict=True)]
    if repeat != 1.0 and end - start >= 3:
        words = text[start:end].strip().lower()
        if words and text.lower().count(words) > 1:
            k = TECHNIQUES.index("Repetition")
            m[k] *= repeat
    return sorted(range(len(TECHNIQUES)), key=lambda i: -m[i])


def decode_spans(text: str, probs: Any, offsets: Sequence[tuple[int, int]], threshold: float,
                 min_score: float = 0.0, prior: Sequence[float] | None = None,
                 repeat: float = 1.0, head: Sequence[Sequence[float]] | None = None) -> list[TechniqueSpan]:
    """Spans from per-token probabilities (``probs``: tokens × ``N_OUT``): runs of tokens whose "any" probability is
    at least ``threshold``, a gap of one token bridged; each with its best technique (:func:`classify`'s ranking) and
    mean "any" score."""
    out: list[TechniqueSpan] = []
    on = [i for i in range(len(offsets)) if probs[i, 0] >= threshold and offsets[i][1] > offsets[i][0]]
    runs: list[list[int]] = []
    for i in on:
        if runs and i - runs[-1][-1] <= 2 and "\n" not in text[offsets[runs[-1][-1]][1]:offsets[i][0]]:
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        s, e = _trim(text, offsets[run[0]][0], offsets[run[-1]][1])
        if e <= s:
            continue
        rows = list(range(run[0], run[-1] + 1))
        mean = probs[rows].mean(axis=0)
        score = float(mean[0])
        if score < min_score:
            continue
        best = _ranked(mean[1:], text, s, e, prior, repeat, head, len(rows))[0]
        out.append(TechniqueSpan(s, e, TECHNIQUES[best], round(score, 4)))
    return out


def classify(probs: Any, offsets: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int]],
             prior: Sequence[float] | None = None, text: str = "", repeat: float = 1.0,
             head: Sequence[Sequence[float]] | None = None) -> list[list[str]]:
    """For each given span, the techniques ranked best first: by the learned ``head`` over :func:`span_features`
    when given, else the mean probability over its tokens, times ``prior``, and Repetition times ``repeat`` when the
    span's words occur more than once in ``text``."""
    out = []
    for s, e in spans:
        rows = [i for i, (a, b) in enumerate(offsets) if a < e and b > s and b > a]
        m = span_scores(probs, offsets, s, e)[1:]
        out.append([TECHNIQUES[i] for i in _ranked(m, text, s, e, prior, repeat, head, len(rows))])
    return out


def weights_path() -> str:
    return data_path(WEIGHTS)


def weights_available() -> bool:
    return os.path.exists(weights_path())


def load_settings() -> dict[str, Any]:
    return packaged_weights(SETTINGS) or {}


class TechniqueTagger:
    """The int8 ONNX technique tagger on onnxruntime with its WordPiece tokenizer; no torch."""

    def __init__(self, model: str, tokenizer: str, settings: WindowSettings, threshold: float = 0.5,
                 min_score: float = 0.0, threads: int = 1, batch_size: int = BATCH,
                 prior: Sequence[float] | None = None, repeat: float = 1.0,
                 head: Sequence[Sequence[float]] | None = None) -> None:
        from crossnews.extract.onnx import load_encoder

        self.session, self.tokenizer = load_encoder(model, tokenizer, threads)
        self.settings = settings
        self.threshold = threshold
        self.min_score = min_score
        self.batch_size = batch_size
        self.prior = list(prior) if prior is not None else None
        self.repeat = repeat
        self.head = [list(r) for r in head] if head is not None else None

    def probabilities(self, text: str) -> tuple[Any, list[tuple[int, int]]]:
        """(tokens × ``N_OUT`` probabilities, the tokens' character offsets) of ``text``."""
        import numpy as np

        enc = self.tokenizer.encode(text, add_special_tokens=False)
        offsets = [(int(a), int(b)) for a, b in enc.offsets]
        probs = np.zeros((len(offsets), N_OUT), dtype=np.float32)
        windows = token_windows(enc.ids, self.settings)
        for b in range(0, len(windows), self.batch_size):
            rows = windows[b:b + self.batch_size]
            logits = run_padded(self.session, [w.ids for w in rows])
            p = np.empty_like(logits, dtype=np.float32)
            p[..., 0] = 1.0 / (1.0 + np.exp(-logits[..., 0]))
            z = logits[..., 1:] - logits[..., 1:].max(-1, keepdims=True)
            e = np.exp(z)
            p[..., 1:] = e / e.sum(-1, keepdims=True)
            for r, w in enumerate(rows):
                probs[list(w.tokens)] = p[r, w.first:w.first + len(w.tokens)]
        return probs, offsets

    def spans(self, text: str) -> list[TechniqueSpan]:
        probs, offsets = self.probabilities(text)
        return decode_spans(text, probs, offsets, self.threshold, self.min_score, self.prior, self.repeat, self.head)


@lru_cache(maxsize=1)
def load_technique_tagger() -> TechniqueTagger | None:
    """The packaged technique tagger, or ``None`` (logged once) when its weights are not installed."""
    if not weights_available():
        log.warning("techniques: no tagger weights (data/%s); no technique spans", WEIGHTS)
        return None
    from crossnews.extract.tagger import _packaged_tokenizer

    meta = load_settings()
    w = meta.get("windows", {})
    settings = WindowSettings(w.get("max_len", 128), w.get("context", 16))
    return TechniqueTagger(weights_path(), _packaged_tokenizer(), settings, float(meta.get("threshold", 0.5)),
                           float(meta.get("min_score", 0.0)), threads=1,
                           prior=meta.get("tc_prior"), repeat=float(meta.get("tc_repeat", 1.0)),
                           head=meta.get("tc_head"))


def tag_techniques(text: str, body: tuple[int, int] | None = None) -> list[TechniqueSpan]:
    """The technique spans of ``text`` (only of ``text[body[0]:body[1]]`` when given, in the text's offsets)."""
    tagger = load_technique_tagger()
    if tagger is None:
        return []
    lo, hi = body if body is not None else (0, len(text))
    part = text[lo:hi]
    if not part.strip():
        return []
    return [TechniqueSpan(s.start + lo, s.end + lo, s.technique, s.score) for s in tagger.spans(part)]
