"""Backend ``quotes.tagger.v1``: a learned BIO tagger for sources, cues and contents, merged with the rules.

The tagger is the MiniLM-L6 encoder (all-MiniLM-L6-v2) fine-tuned as a token classifier on PolNeAR train
(``scripts/train_tagger.py``), exported to ONNX and quantised to int8 (``data/tagger_minilm_int8.onnx``, with its
settings in ``data/tagger_model.json``). At run time it needs onnxruntime and the WordPiece tokenizer.json that the
default embedder uses, never torch.

It reads one sentence at a time, with the sentence before it and the one after it as context
(:func:`build_windows`), and only the sentences that hold a candidate cue (a lemma the cue lexicon counts as a cue
often enough) or a quote mark, plus those of the rules' cues (:func:`candidate_sentences`). Its tags become
chunks (:func:`decode`), grouped into attributions around each tagged cue (:func:`tagged_attributions`).

The merge (:func:`extract_statements`) keeps the rules' statements, with what the rules do well: nesting,
anonymous sources, channels, speakers resolved to entities. The tagger then:

* sets the spans of a rules statement whose cue it also tags: the content becomes the tagged content chunks that
  overlap it, the cue and source the tagged chunks over the rules' cue and source head (the speaker stays the
  entity the rules resolved; only the span changes when the tagged source overlaps the rules' source);
* adds recall: a tagged cue with a tagged content that no rules statement covers becomes a statement of its own,
  with the tagged source resolved to a speaker by the rules' speaker resolution.

Without the weights file the backend is the rules alone (and says so once in the log).
"""

from __future__ import annotations

import bisect
import json
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["LABELS", "ROLES", "Window", "TaggerSettings", "build_windows", "candidate_sentence", "decode",
           "tagged_attributions", "weights_available"]

log = logging.getLogger(__name__)

#: the tag set, in the order of the classifier's outputs
LABELS = ("O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON")
ROLES = ("source", "cue", "content")
_ROLE_OF_TAG = {"SRC": "source", "CUE": "cue", "CON": "content"}
_TAG_OF_ROLE = {v: k for k, v in _ROLE_OF_TAG.items()}
#: quote marks that make a sentence worth tagging (not the right single quote: it is also the apostrophe)
QUOTE_MARKS = "\"“”«»„‘"
#: lemmas counted as cues at least this share of the times they occur in PolNeAR train (data/cue_lexicon.json)
CUE_RATE = 0.05
#: ... and at least this many times
CUE_COUNT = 2

WEIGHTS = "tagger_minilm_int8.onnx"
SETTINGS = "tagger_model.json"
CLS, SEP, PAD = 101, 102, 0


@dataclass(frozen=True, slots=True)
class TaggerSettings:
    """How windows are cut: the most tokens in a window, and of the context before and after the sentence."""

    max_len: int = 128
    before: int = 32
    after: int = 16

    @property
    def target(self) -> int:
        """The most tokens of the sentence itself in one window (longer sentences are cut in pieces)."""
        return self.max_len - self.before - self.after - 3


@dataclass(frozen=True, slots=True)
class Window:
    """One input: ``[CLS] before [SEP] sentence piece [SEP] after``; ``first`` is the position of the piece's
    first token in ``ids`` and ``tokens`` the piece's token indices in the document's encoding."""

    ids: tuple[int, ...]
    first: int
    tokens: tuple[int, ...]


@lru_cache(maxsize=1)
def cue_lemmas() -> frozenset[str]:
    """Lemmas counted as cues often enough in PolNeAR train to make a sentence a candidate."""
    raw = json.loads(resources.files("crossnews").joinpath("data/cue_lexicon.json").read_text(encoding="utf-8"))
    out = set()
    for lemma, counts in raw["lemmas"].items():
        if counts["cue"] >= CUE_COUNT and counts["cue"] / max(counts["total"], 1) >= CUE_RATE:
            out.add(lemma.lower())
    return frozenset(out)


def candidate_sentence(sent: Any) -> bool:
    """Whether a spaCy sentence holds a candidate cue (by lemma) or a quote mark."""
    lemmas = cue_lemmas()
    if any(c in sent.text for c in QUOTE_MARKS):
        return True
    if "according to" in sent.text.lower():
        return True
    return any(t.lemma_.lower() in lemmas for t in sent if not t.is_punct)


def build_windows(offsets: Sequence[tuple[int, int]], ids: Sequence[int], sentences: Sequence[tuple[int, int]],
                  which: Iterable[int], settings: TaggerSettings) -> list[Window]:
    """Windows over the sentences ``which`` (indices into ``sentences``, character ranges) of a document whose
    whole text was encoded once into token ``ids`` with character ``offsets``."""
    starts = [o[0] for o in offsets]
    bounds = []
    for s, e in sentences:
        a = bisect.bisect_left(starts, s)
        b = bisect.bisect_left(starts, e)
        bounds.append((a, b))
    out = []
    for k in which:
        a, b = bounds[k]
        lo_prev = bounds[k - 1][0] if k > 0 else a
        hi_next = bounds[k + 1][1] if k + 1 < len(bounds) else b
        for p in range(a, b, settings.target):
            q = min(p + settings.target, b)
            before = list(range(max(lo_prev, p - settings.before, 0), p))
            after = list(range(q, min(max(hi_next, b), q + settings.after)))
            piece = list(range(p, q))
            seq = [CLS, *(ids[i] for i in before), SEP, *(ids[i] for i in piece), SEP, *(ids[i] for i in after)]
            out.append(Window(tuple(seq), len(before) + 2, tuple(piece)))
    return out


def decode(labels: Sequence[int], offsets: Sequence[tuple[int, int]],
           tagged: Sequence[int]) -> list[tuple[str, int, int]]:
    """Chunks ``(role, start, end)`` (character offsets) from the labels of the tagged tokens ``tagged`` (token
    indices, in order; ``labels`` aligned with them). A chunk starts at B-X, or at I-X after another tag, and ends
    where the role changes or the tagged tokens stop being consecutive."""
    chunks: list[tuple[str, int, int]] = []
    role: str | None = None
    start = end = 0
    prev = -2
    for tok, lab in zip(tagged, labels, strict=True):
        tag = LABELS[lab]
        r = None if tag == "O" else _ROLE_OF_TAG[tag[2:]]
        contiguous = tok == prev + 1
        if role is not None and (r != role or tag.startswith("B-") or not contiguous):
            chunks.append((role, start, end))
            role = None
        if r is not None:
            if role is None:
                role, start = r, offsets[tok][0]
            end = offsets[tok][1]
        prev = tok
    if role is not None:
        chunks.append((role, start, end))
    return chunks


@dataclass(frozen=True, slots=True)
class Tagged:
    """An attribution the tagger proposes: its cue and source (or none) and content fragments."""

    cue: tuple[int, int]
    source: tuple[int, int] | None
    content: tuple[tuple[int, int], ...]


def tagged_attributions(chunks: Sequence[tuple[str, int, int]], sentences: Sequence[tuple[int, int]]) -> list[Tagged]:
    """Attributions from chunks: each cue takes the nearest source and the content chunks nearest to it (each
    chunk goes to the nearest cue in its sentence, or the one before or after it for a content chunk that
    runs on from a neighbouring sentence)."""
    cues = [(s, e) for r, s, e in chunks if r == "cue"]
    if not cues:
        return []
    sent_starts = [s for s, _ in sentences]

    def sent_of(pos: int) -> int:
        return max(bisect.bisect_right(sent_starts, pos) - 1, 0)

    def distance(a: tuple[int, int], b: tuple[int, int]) -> int:
        return max(a[0] - b[1], b[0] - a[1], 0)

    sources: dict[int, list[tuple[int, tuple[int, int]]]] = {i: [] for i in range(len(cues))}
    contents: dict[int, list[tuple[int, int]]] = {i: [] for i in range(len(cues))}
    for r, s, e in chunks:
        if r == "cue":
            continue
        span = (s, e)
        k = sent_of(s)
        near = [i for i, c in enumerate(cues) if abs(sent_of(c[0]) - k) <= (0 if r == "source" else 1)]
        if not near:
            continue
        same = [i for i in near if sent_of(cues[i][0]) == k] or near
        best = min(same, key=lambda i: distance(cues[i], span))
        if r == "source":
            sources[best].append((distance(cues[best], span), span))
        else:
            contents[best].append(span)
    out = []
    for i, cue in enumerate(cues):
        if not contents[i]:
            continue
        src = min(sources[i])[1] if sources[i] else None
        out.append(Tagged(cue, src, tuple(sorted(contents[i]))))
    return out


def weights_path() -> str:
    return str(resources.files("crossnews").joinpath("data", WEIGHTS))


def weights_available() -> bool:
    return os.path.exists(weights_path())
