"""``judge.nli.v1``: any transformers sequence-classification NLI model as a judge.

The model is given by local directory or hub name (``model=``). Claim A is the premise, claim B the hypothesis. The
model's labels (its ``config.id2label``) are mapped to :data:`~crossnews.judges.LABELS` by ``label_map``; the default
map knows the usual names (``entailment`` → ``agrees``, ``contradiction`` → ``contradicts``, ``neutral`` →
``unrelated``, case-insensitively). Models whose labels are ``LABEL_0``, ``LABEL_1``… need an explicit map, since
the order differs between models.

The judgement's label is the mapped label with the highest probability (probabilities of model labels that map to
the same judge label are added); its score is that probability. With ``bidirectional=True`` the pair is also run
the other way round (B as premise): entailment both ways is ``agrees``, one way only is ``adds`` (the entailing
claim says more), neither way is ``contradicts`` when either direction says so, else the forward direction's label.
A direction "entails" when its label is ``agrees`` or ``same``.

torch and transformers are imported when the judge is built, not when crossnews is imported. Loading works
offline with a local directory, or with a hub name already in the Hugging Face cache (``local_files_only=True``
never tries the network).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from crossnews.align.judges import LABELS, Claim, Judgement
from crossnews.core.errors import CrossnewsError
from crossnews.core.registry import register

__all__ = ["NLIError", "NLIJudge", "DEFAULT_LABEL_MAP", "nli_judge"]

NAME = "judge.nli.v1"

DEFAULT_LABEL_MAP: dict[str, str] = {
    "entailment": "agrees",
    "contradiction": "contradicts",
    "neutral": "unrelated",
}

_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")
_ENTAILING = ("agrees", "same")


class NLIError(CrossnewsError):
    """The NLI model cannot be loaded (E043), its labels are not covered by the label map (E044), or an option is
    invalid (E045)."""


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def _resolve_label_map(id2label: Mapping[int, str], label_map: Mapping[str, str] | None, model: str) -> list[str]:
    """The judge label of each model class, in class order. Keys match exactly, then case-insensitively."""
    given = dict(label_map) if label_map is not None else DEFAULT_LABEL_MAP
    bad = {k: v for k, v in given.items() if v not in LABELS}
    if bad:
        raise NLIError(f"E044: label_map for {model!r} maps to {bad}, which are not judge labels; use {LABELS}")
    folded = {k.casefold(): v for k, v in given.items()}
    out: list[str] = []
    missing: list[str] = []
    for i in range(len(id2label)):
        name = str(id2label[i])
        mapped = given.get(name, folded.get(name.casefold()))
        if mapped is None:
            missing.append(name)
        else:
            out.append(mapped)
    if missing:
        hint = ("" if label_map is not None else
                "; give label_map={model label: judge label} (models with LABEL_0.. names need one)")
        raise NLIError(
            f"E044: the NLI model {model!r} has labels {missing} that the label map does not cover "
            f"(map keys: {sorted(given)}; model labels: {[str(id2label[i]) for i in range(len(id2label))]}){hint}")
    return out


class NLIJudge:
    """A loaded NLI model. Build it with ``get_judge("judge.nli.v1", model=...)``."""

    name = NAME

    def __init__(self, model: str, tokenizer: Any, network: Any, model_labels: list[str], labels: list[str], *,
                 batch_size: int, device: str, max_length: int, bidirectional: bool) -> None:
        self.model = model
        self._tokenizer = tokenizer
        self._network = network
        self._model_labels = model_labels  # the model's label names, in class order
        self._labels = labels  # judge label per model class
        self.batch_size = batch_size
        self.device = device
        self.max_length = max_length
        self.bidirectional = bidirectional

    def __repr__(self) -> str:
        return f"NLIJudge(model={self.model!r}, device={self.device!r}, bidirectional={self.bidirectional})"

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> list[list[float]]:
        """Class probabilities (model class order) for each (premise, hypothesis), in batches."""
        import torch

        out: list[list[float]] = []
        for i in range(0, len(pairs), self.batch_size):
            chunk = pairs[i:i + self.batch_size]
            enc = self._tokenizer([p for p, _ in chunk], [h for _, h in chunk], padding=True, truncation=True,
                                  max_length=self.max_length, return_tensors="pt")
            enc = {k: v.to(self.device) for k, v in enc.items()}
            with torch.no_grad():
                logits = self._network(**enc).logits
            out.extend(torch.softmax(logits.float(), dim=-1).cpu().tolist())
        return out

    def _direction(self, probs: list[float]) -> tuple[str, float, dict[str, float]]:
        by_label: dict[str, float] = {}
        for judge_label, p in zip(self._labels, probs, strict=True):
            by_label[judge_label] = by_label.get(judge_label, 0.0) + p
        label = max(by_label, key=lambda k: by_label[k])
        return label, by_label[label], by_label

    def _raw(self, probs: list[float]) -> dict[str, float]:
        return {name: round(p, 6) for name, p in zip(self._model_labels, probs, strict=True)}

    def judge(self, pairs: Sequence[tuple[Claim, Claim]]) -> list[Judgement]:
        texts = [(a.text, b.text) for a, b in pairs]
        forward = self.probabilities(texts)
        backward = self.probabilities([(b, a) for a, b in texts]) if self.bidirectional else []
        out: list[Judgement] = []
        for k, (a, b) in enumerate(pairs):
            label, score, by_label = self._direction(forward[k])
            evidence: dict[str, Any] = {
                "model": self.model,
                "probabilities": self._raw(forward[k]),
                "label_probabilities": {lab: round(p, 6) for lab, p in by_label.items()},
                "premise": a.text,
                "hypothesis": b.text,
            }
            if self.bidirectional:
                back_label, back_score, back_by = self._direction(backward[k])
                evidence["backward"] = {"premise": b.text, "hypothesis": a.text,
                                        "probabilities": self._raw(backward[k]), "label": back_label}
                ab, ba = label in _ENTAILING, back_label in _ENTAILING
                if ab and ba:
                    label, score = "agrees", min(score, back_score)
                    evidence["entailment"] = "both"
                elif ab or ba:
                    score = score if ab else back_score
                    label = "adds"
                    evidence["entailment"] = "a_entails_b" if ab else "b_entails_a"
                    evidence["says_more"] = "a" if ab else "b"
                else:
                    evidence["entailment"] = "none"
                    if "contradicts" in (label, back_label):
                        label = "contradicts"
                        score = max(by_label.get("contradicts", 0.0), back_by.get("contradicts", 0.0))
            out.append(Judgement(label, round(float(score), 6), NAME, evidence))
        return out


def _load(model: str, local_files_only: bool) -> tuple[Any, Any]:
    path = Path(model).expanduser()
    local = path.exists()
    if local and not path.is_dir():
        raise NLIError(f"E043: cannot load the NLI model {model!r}: it is a file, not a model directory")
    if not local and (not _HUB_ID.match(model) or model.startswith((".", "~"))):
        raise NLIError(f"E043: cannot load the NLI model {model!r}: no such directory (and not a hub name)")
    source = str(path) if local else model
    try:
        from transformers import AutoModelForSequenceClassification, AutoTokenizer
    except ImportError as exc:  # pragma: no cover - transformers is a dependency
        raise NLIError(f"E043: cannot load the NLI model {model!r}: transformers is not installed ({exc})") from exc

    def attempt(offline: bool) -> tuple[Any, Any]:
        tok = AutoTokenizer.from_pretrained(source, local_files_only=offline)
        net = AutoModelForSequenceClassification.from_pretrained(source, local_files_only=offline)
        return tok, net

    try:
        if local or local_files_only:
            return attempt(True)
        try:  # a hub name already in the cache loads without touching the network
            return attempt(True)
        except OSError:
            return attempt(False)
    except Exception as exc:  # transformers raises many kinds; all mean "cannot load"
        if local:
            where = "local directory"
        elif local_files_only:
            where = "hub name, not in the local Hugging Face cache; local_files_only=True forbids downloading"
        else:
            where = "hub name, not in the local Hugging Face cache, and downloading failed (offline? give a local " \
                    "directory instead)"
        raise NLIError(f"E043: cannot load the NLI model {model!r} ({where}): {_first_line(exc)}") from exc


@register(NAME, description="any transformers NLI model (local path or hub name) as a judge; offline with a local "
                            "path", offline=False)
def nli_judge(model: str | None = None, *, label_map: Mapping[str, str] | None = None, batch_size: int = 16,
              device: str = "cpu", max_length: int = 256, bidirectional: bool = False,
              local_files_only: bool = False) -> NLIJudge:
    """Load ``model`` (a local directory or a hub name) as a judge. See the module docstring for the options."""
    if not model:
        raise NLIError("E045: judge.nli.v1 needs model=<local directory or hub name of an NLI model>")
    if batch_size < 1 or max_length < 8:
        raise NLIError(f"E045: judge.nli.v1 needs batch_size >= 1 and max_length >= 8 "
                       f"(got {batch_size}, {max_length})")
    tokenizer, network = _load(model, local_files_only)
    id2label = {int(k): str(v) for k, v in (network.config.id2label or {}).items()}
    if sorted(id2label) != list(range(network.config.num_labels)):
        raise NLIError(f"E044: the NLI model {model!r} does not name its {network.config.num_labels} labels "
                       f"(config.id2label = {id2label})")
    labels = _resolve_label_map(id2label, label_map, model)
    try:
        network.to(device)
    except Exception as exc:  # torch raises RuntimeError/AssertionError for unknown devices
        raise NLIError(f"E045: cannot move the NLI model {model!r} to device {device!r}: {_first_line(exc)}") from exc
    network.eval()
    model_labels = [id2label[i] for i in range(len(id2label))]
    return NLIJudge(model, tokenizer, network, model_labels, labels, batch_size=batch_size, device=device,
                    max_length=max_length, bidirectional=bidirectional)
