"""The span model: given a statement's cue, where its source, cue and content begin and end (learned, no torch).

The rules find attributions well (their content overlaps PolNeAR's in 0.81 F1) but cut their edges less well
(exact 0.61): where a content ends, whether a lead-in belongs to it, how far a cue runs. This model reads one
attribution at a time: a window of the text around the cue, with the cue fenced by two marker tokens
(``[unused0]`` before it, ``[unused1]`` after it), and tags each word source, cue, content or none *of that
attribution*. Being told which cue it reads for, it can tell two attributions in one sentence apart, which the
sentence tagger (:mod:`crossnews.extract.tagger`) cannot.

It is MiniLM-L6 (all-MiniLM-L6-v2) fine-tuned on PolNeAR train's attributions by ``scripts/train_spans.py``, exported
to int8 ONNX (``data/spans_minilm_int8.onnx``, settings in ``data/spans_model.json``); at run time onnxruntime and
the WordPiece tokenizer the embedder uses. :func:`cue_window` cuts the windows for both.
"""

from __future__ import annotations

import bisect
import dataclasses
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from crossnews.core.nlp import doc_text
from crossnews.core.records import Cue, Document, Span, Statement
from crossnews.core.registry import register
from crossnews.extract.linear import packaged_weights
from crossnews.extract.onnx import data_path
from crossnews.extract.statements import SpeakerRef

__all__ = ["LABELS", "SpanSettings", "SpanWindow", "cue_window", "runs", "SpanModel", "load_span_model",
           "span_weights_available", "SpanGates", "moved_edges", "keeps_its_clause", "set_spans", "tag_statements",
           "with_spans", "extract_statements", "extract_merged_statements"]

log = logging.getLogger(__name__)

#: the tags, in the order of the classifier's outputs (inside/outside: an attribution's role is a set of words)
LABELS = ("O", "SRC", "CUE", "CON")
ROLE_LABEL = {"source": 1, "cue": 2, "content": 3}
CLS, SEP, OPEN, CLOSE = 101, 102, 1, 2  # [CLS], [SEP], [unused0], [unused1] of the uncased WordPiece vocabulary
WEIGHTS = "spans_minilm_int8.onnx"
SETTINGS = "spans_model.json"


@dataclass(frozen=True, slots=True)
class SpanSettings:
    """The most tokens in a window, and the most of them before the cue (the rest go after it); with ``lean``, a
    window whose content lies before its cue ("'...,' she said") keeps only ``lean`` tokens after the cue and gives
    the rest to what comes before it."""

    max_len: int = 128
    before: int = 40
    max_cue: int = 16
    lean: int = 0


@dataclass(frozen=True, slots=True)
class SpanWindow:
    """One input: ``[CLS] before [unused0] cue [unused1] after [SEP]``; ``tokens[j]`` is the document token at
    position ``j`` of ``ids``, or -1 for a special or marker token. ``lo`` and ``hi`` are the first document
    token and one past the last: a role that reaches ``lo`` (when ``lo`` > 0) or ``hi`` (before the text's end)
    may run on beyond the window."""

    ids: tuple[int, ...]
    tokens: tuple[int, ...]
    lo: int
    hi: int


def cue_window(starts: Sequence[int], ids: Sequence[int], cue: tuple[int, int],
               settings: SpanSettings, content_before: bool = False) -> SpanWindow:
    """The window around the cue at characters ``cue`` of a text encoded once into ``ids`` whose tokens start at
    the characters ``starts`` (sorted); ``content_before``: the content lies before the cue (the window leans back
    when the settings say so)."""
    n = len(ids)
    a = min(bisect.bisect_left(starts, cue[0]), max(n - 1, 0))
    if a > 0 and starts[a] > cue[0]:
        a -= 1  # the cue begins inside a token
    b = max(bisect.bisect_left(starts, cue[1]), a + 1)
    b = min(b, a + settings.max_cue, n)
    room = settings.max_len - 4 - (b - a)
    before = max(settings.before, room - settings.lean) if settings.lean and content_before else settings.before
    lo = max(0, a - min(before, room))
    hi = min(n, b + room - (a - lo))
    seq = [CLS, *ids[lo:a], OPEN, *ids[a:b], CLOSE, *ids[b:hi], SEP]
    toks = [-1, *range(lo, a), -1, *range(a, b), -1, *range(b, hi), -1]
    return SpanWindow(tuple(seq), tuple(toks), lo, hi)


def runs(labels: dict[int, int], label: int, offsets: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character spans of the runs of consecutive tokens tagged ``label`` (``labels``: token index -> label)."""
    out: list[tuple[int, int]] = []
    prev = -2
    for tok in sorted(t for t, lab in labels.items() if lab == label):
        if tok == prev + 1 and out:
            out[-1] = (out[-1][0], offsets[tok][1])
        else:
            out.append(offsets[tok])
        prev = tok
    return out


def weights_path() -> str:
    return data_path(WEIGHTS)


def span_weights_available() -> bool:
    return os.path.exists(weights_path())


@dataclass(frozen=True, slots=True)
class Tagging:
    """What the model says of one cue: each document token's label and that label's probability, and the window's
    document token range ``[lo, hi)``."""

    labels: dict[int, int]
    probs: dict[int, float]
    lo: int
    hi: int


class SpanModel:
    """The int8 ONNX span model on onnxruntime, with its WordPiece tokenizer; no torch."""

    def __init__(self, model: str, tokenizer: str, settings: SpanSettings, threads: int = 1,
                 batch_size: int = 32) -> None:
        from crossnews.extract.onnx import load_encoder

        self.session, self.tokenizer = load_encoder(model, tokenizer, threads)
        self.settings = settings
        self.batch_size = batch_size

    def encode(self, text: str) -> tuple[list[tuple[int, int]], list[int]]:
        """Token character offsets and ids of ``text``."""
        enc = self.tokenizer.encode(text, add_special_tokens=False)
        return [(int(a), int(b)) for a, b in enc.offsets], list(enc.ids)

    def tag(self, offsets: Sequence[tuple[int, int]], ids: Sequence[int], cues: Sequence[tuple[int, int]],
            before: Sequence[bool] = ()) -> list[Tagging]:
        """One :class:`Tagging` per cue (character spans) of a text encoded into ``offsets`` and ``ids``;
        ``before[i]``: the content of cue ``i`` lies before it (see :class:`SpanSettings`)."""
        import numpy as np

        from crossnews.extract.onnx import run_padded

        if not cues or not ids:
            return [Tagging({}, {}, 0, 0) for _ in cues]
        starts = [o[0] for o in offsets]
        leans = list(before) or [False] * len(cues)
        windows = [cue_window(starts, ids, c, self.settings, b) for c, b in zip(cues, leans, strict=True)]
        out: list[Tagging | None] = [None] * len(windows)
        order = sorted(range(len(windows)), key=lambda i: len(windows[i].ids))
        for b in range(0, len(order), self.batch_size):
            rows = order[b:b + self.batch_size]
            logits = run_padded(self.session, [windows[i].ids for i in rows])
            logits = logits - logits.max(-1, keepdims=True)
            p = np.exp(logits)
            p /= p.sum(-1, keepdims=True)
            best = p.argmax(-1)
            for r, i in enumerate(rows):
                w = windows[i]
                labels: dict[int, int] = {}
                probs: dict[int, float] = {}
                for j, tok in enumerate(w.tokens):
                    if tok >= 0:
                        labels[tok] = int(best[r, j])
                        probs[tok] = float(p[r, j, best[r, j]])
                out[i] = Tagging(labels, probs, w.lo, w.hi)
        return [t for t in out if t is not None]


def load_settings() -> dict[str, Any]:
    return packaged_weights(SETTINGS) or {}


@lru_cache(maxsize=1)
def load_span_model() -> SpanModel | None:
    """The packaged span model, or ``None`` when its weights are not installed."""
    if not span_weights_available():
        return None
    from crossnews.extract.tagger import _packaged_tokenizer

    w = load_settings().get("windows", {})
    settings = SpanSettings(w.get("max_len", 128), w.get("before", 40), w.get("max_cue", 16), w.get("lean", 0))
    return SpanModel(weights_path(), _packaged_tokenizer(), settings, threads=min(2, os.cpu_count() or 1))


#: never: a gate no probability reaches
NEVER = 1.01


@dataclass(frozen=True, slots=True)
class SpanGates:
    """How sure the model must be (the mean probability of a role's tokens) before its span replaces the rules'."""

    content: float = 0.5
    cue: float = 0.5
    source: float = 0.5


#: tuned on PolNeAR dev (scripts/tune_merge_gates.py --spans, over quotes.tagger.v1's statements): moving a content's
#: edges helps from 0.6 on and most at 0.8 (whole-attribution exact F1 0.5451 -> 0.5675, content exact 0.6080 ->
#: 0.6319, with the rules on moves of 0.22.0); the model's cues change nothing measurable (+0.0004 at any gate) and
#: its sources lose at every gate below 0.95 (their edges follow the annotators' noun phrases less well than the
#: rules' do), so neither is taken
GATES = SpanGates(content=0.8, cue=NEVER, source=NEVER)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _sure(t: Tagging, label: int, gate: float) -> bool:
    probs = [t.probs[tok] for tok, lab in t.labels.items() if lab == label]
    return bool(probs) and sum(probs) / len(probs) >= gate


def _inside(t: Tagging, label: int, n_tokens: int) -> bool:
    """The role's tokens stop short of the window's edges (or the edge is the text's): the role is whole."""
    toks = [tok for tok, lab in t.labels.items() if lab == label]
    return bool(toks) and (t.lo == 0 or min(toks) > t.lo) and (t.hi >= n_tokens or max(toks) < t.hi - 1)


#: what an edge may move over without the move counting: PolNeAR's habits with a closing stop, a lead-in comma or a
#: quote mark are the rules' (their boundary model learned them, and they keep a quotation's marks), not the model's
_NOT_A_MOVE = " \t\n\r\xa0.,;:\"“”«»„‘’'"


def _tokens_between(offsets: Sequence[tuple[int, int]], a: int, b: int) -> list[int]:
    lo = bisect.bisect_left(offsets, (a, -1))  # offsets are sorted: no list of starts built per call
    out = []
    for tok in range(lo, len(offsets)):
        if offsets[tok][0] >= b:
            break
        out.append(tok)
    return out


def moved_edges(rules: list[tuple[int, int]], tagged: list[tuple[int, int]], t: Tagging,
                offsets: Sequence[tuple[int, int]], text: str, gate: float) -> list[tuple[int, int]]:
    """The rules' content fragments ``rules`` with their outer edges moved to the model's (``tagged``: its content
    fragments) where the model is sure of the words the move adds or drops: each of them tagged content (added) or
    not (dropped), their mean probability at least ``gate``. Moves over spaces and punctuation alone, and moves
    across a line break, are not made; the fragments inside stay the rules'."""
    rs, re_ = rules[0][0], rules[-1][1]
    mine = [f for f in tagged if _overlaps(f, (rs, re_))]
    if not mine:
        return rules

    def sure(a: int, b: int, adds: bool) -> bool:
        if not text[a:b].strip(_NOT_A_MOVE) or "\n" in text[a:b]:
            return False  # over punctuation alone, or across a line: a headline, the next paragraph
        toks = [tok for tok in _tokens_between(offsets, a, b) if tok in t.labels]
        if not toks or any((t.labels[tok] == ROLE_LABEL["content"]) != adds for tok in toks):
            return False
        return sum(t.probs[tok] for tok in toks) / len(toks) >= gate

    ms, me = mine[0][0], mine[-1][1]
    start = ms if ms != rs and sure(min(ms, rs), max(ms, rs), ms < rs) else rs
    end = me if me != re_ and sure(min(me, re_), max(me, re_), me > re_) else re_
    out = list(rules)
    out[0] = (start, out[0][1])
    out[-1] = (out[-1][0], end)
    if any(a >= b for a, b in out):
        return rules
    return out


def keeps_its_clause(sdoc: Any, old: Sequence[tuple[int, int]], new: Sequence[tuple[int, int]]) -> bool:
    """Whether a content moved from ``old`` to ``new`` (character fragments of the parse ``sdoc``) still reads as
    a clause: it keeps a verb if it had one, and drops no subject of a verb it keeps ("intelligence agencies
    concluded that ..." is not cut to "concluded that ...")."""
    def tokens(frags: Sequence[tuple[int, int]]) -> set[int]:
        out: set[int] = set()
        for a, b in frags:
            span = sdoc.char_span(a, b, alignment_mode="contract")
            if span is not None:
                out.update(t.i for t in span)
        return out

    before, after = tokens(old), tokens(new)
    if any(sdoc[i].pos_ in ("VERB", "AUX") for i in before) and not any(sdoc[i].pos_ in ("VERB", "AUX") for i in after):
        return False
    return not any(sdoc[i].dep_ in ("nsubj", "nsubjpass") and sdoc[i].head.i in after for i in before - after)


def set_spans(text: str, statements: Sequence[Statement], offsets: Sequence[tuple[int, int]],
              taggings: dict[tuple[int, int], Tagging], gates: SpanGates = GATES, sdoc: Any = None) -> list[Statement]:
    """``statements`` with the span model's spans (``taggings``: a cue's span -> the model's tags for it) where
    the model is sure enough, its role overlaps the rules' and lies whole in the window, and the roles do not clash;
    the speaker stays the entity the rules resolved, a nested report stays inside its new content. With the parse
    ``sdoc``, a moved content must still read as a clause (:func:`keeps_its_clause`)."""
    from crossnews.extract.attribution.base import _kind
    from crossnews.extract.attribution.marks import find_quotes
    from crossnews.extract.tagger import join_fragments

    n = len(offsets)
    out = []
    quotes: list[tuple[int, int]] | None = None
    for st in statements:
        t = None if st.cue is None else taggings.get((st.cue.span.start, st.cue.span.end))
        if t is None or st.cue is None:
            out.append(st)
            continue
        cue = (st.cue.span.start, st.cue.span.end)
        cue_runs = runs(t.labels, ROLE_LABEL["cue"], offsets)
        src_runs = runs(t.labels, ROLE_LABEL["source"], offsets)
        new_cue = cue
        if len(cue_runs) == 1 and _overlaps(cue_runs[0], cue) and _sure(t, ROLE_LABEL["cue"], gates.cue):
            new_cue = cue_runs[0]
        source = st.speaker.span
        new_source = None if source is None else (source.start, source.end)
        if source is not None and len(src_runs) == 1 and _overlaps(src_runs[0], new_source or (0, 0)) \
                and _sure(t, ROLE_LABEL["source"], gates.source) and _inside(t, ROLE_LABEL["source"], n):
            new_source = src_runs[0]
        rules_content = [(p.start, p.end) for p in st.parts] or [(st.content.start, st.content.end)]
        content = rules_content
        if _inside(t, ROLE_LABEL["content"], n):
            tagged = join_fragments(runs(t.labels, ROLE_LABEL["content"], offsets), text,
                                    [new_cue, *([new_source] if new_source else [])])
            content = moved_edges(rules_content, tagged, t, offsets, text, gates.content)
            if sdoc is not None and content != rules_content and not keeps_its_clause(sdoc, rules_content, content):
                content = rules_content
        roles = [*content, new_cue, *([new_source] if new_source else [])]
        if any(_overlaps(a, b) for j, a in enumerate(roles) for b in roles[j + 1:]):
            out.append(st)  # the model's spans clash: keep the rules'
            continue
        inner = [o for o in statements if o.nested_in == st.id and o.cue is not None]
        if any(not any(f[0] <= o.cue.span.start and o.cue.span.end <= f[1] for f in content)  # type: ignore[union-attr]
               for o in inner):
            content = rules_content
        speaker = st.speaker if new_source is None else dataclasses.replace(st.speaker, span=Span(*new_source))
        kind = st.kind
        if content != rules_content:  # a quote taken in or left out changes how direct the report is
            if quotes is None:
                quotes = find_quotes(text)
            kind = _kind(text, content, quotes)  # type: ignore[assignment]
        out.append(dataclasses.replace(st, speaker=speaker, cue=Cue(Span(*new_cue), st.cue.lemma),
                                       content=Span(content[0][0], content[-1][1]), kind=kind,
                                       parts=tuple(Span(*f) for f in content) if len(content) > 1 else ()))
    return out


def tag_statements(model: SpanModel, text: str, statements: Sequence[Statement],
                   known: dict[tuple[int, int], Tagging] | None = None) -> tuple[
        list[tuple[int, int]], dict[tuple[int, int], Tagging]]:
    """(token offsets of ``text``, the model's tags for the cue of each outermost statement, by the cue's span);
    the cues in ``known`` are not read again."""
    offsets, ids = model.encode(text)
    before = {(s.cue.span.start, s.cue.span.end): s.content.start < s.cue.span.start
              for s in statements if s.cue is not None and s.nested_in is None}
    cues = sorted(set(before) - set(known or {}))
    tags = model.tag(offsets, ids, cues, [before[c] for c in cues])
    return offsets, {**(known or {}), **dict(zip(cues, tags, strict=True))}


def with_spans(doc: Document, sdoc: Any, statements: list[Statement], refs: list[SpeakerRef | None],
               backend: str) -> tuple[list[Statement], list[SpeakerRef | None]]:
    """``statements`` with the span model's spans (unchanged, logged once, without its weights)."""
    model = load_span_model()
    if model is None:
        _warn_once(backend)
        return statements, refs
    text = doc_text(sdoc)
    offsets, taggings = tag_statements(model, text, statements)
    return set_spans(text, statements, offsets, taggings, sdoc=sdoc), refs


@cache
def _warn_once(backend: str) -> None:
    log.warning("%s: no span model weights (data/%s); the spans stay the rules'", backend, WEIGHTS)


@register("quotes.spans.v1", description="the rules (quotes.rules.v2) with a learned span model setting the edges "
          "of each outermost statement's content where it is sure (MiniLM-L6 fine-tuned on PolNeAR train to tag one "
          "attribution's source, cue and content given its cue; int8 ONNX on onnxruntime, no torch); speakers, "
          "nesting and channels stay the rules'")
def extract_statements(doc: Document, sdoc: Any) -> tuple[list[Statement], list[SpeakerRef | None]]:
    """Statements of one document (``sdoc`` parses ``doc.analysis_text()``) and their resolved speakers."""
    from crossnews.extract.statements import extract_statements as rules_statements

    statements, refs = rules_statements(doc, sdoc)
    return with_spans(doc, sdoc, statements, refs, "quotes.spans.v1")


@register("quotes.tagger.v2", description="quotes.tagger.v1 (the rules merged with the learned sentence tagger's "
          "additions), then the span model of quotes.spans.v1 sets the edges of each outermost statement's content "
          "where it is sure")
def extract_merged_statements(doc: Document, sdoc: Any) -> tuple[list[Statement], list[SpeakerRef | None]]:
    """Statements of one document (``sdoc`` parses ``doc.analysis_text()``) and their resolved speakers."""
    from crossnews.extract.tagger import extract_statements as merged_statements

    statements, refs = merged_statements(doc, sdoc)
    return with_spans(doc, sdoc, statements, refs, "quotes.tagger.v2")
