"""Score attribution extraction on PolNeAR (brat standoff), the PARC/Citron way.

For each role (source, cue, content) and for whole attributions, precision, recall and F1 are computed under two
criteria:

* **exact**: the spans are the same (a discontinuous gold span must be matched fragment for fragment);
* **overlap**: the spans share at least one character.

A whole attribution matches when each of its roles matches its gold role under the criterion (a missing source
matches only a missing source). Matching is one-to-one and greedy, in text order. An article annotated by several
annotators is scored once per annotation file, as the corpus gives them. PolNeAR marks no statement reported
inside another, so ``crossnews`` is scored on its outermost statements and ``crossnews_with_nested`` on all.

``baseline="textacy"`` also scores textacy's ``direct_quotations`` on the same parses in the same run.

With ``tagger=True`` (the default) the same run scores, side by side, the backends' statements as the pipeline
stores them (outermost only): ``rules_statements`` (``quotes.rules.v2``), ``tagger`` (the learned tagger's own
attributions, without the rules), ``merge`` (``quotes.tagger.v1``: the rules with the tagger's spans and
additions), ``spans`` (``quotes.spans.v1``: the rules' statements with the span model's edges,
:mod:`crossnews.extract.spans`) and ``merge_spans`` (``quotes.tagger.v2``: the merge with them). Without the
tagger's weights ``tagger_available`` is ``false`` and only the rules are scored; without the span model's,
``span_model_available`` is ``false`` and neither ``spans`` nor ``merge_spans`` is.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from crossnews.eval.brat import AnnotatedDoc, Attribution, Fragment, load_split

__all__ = ["evaluate_attribution", "score"]

Frags = tuple[Fragment, ...]
Pred = tuple[Frags, Frags, Frags]  # source, cue, content


def _norm(frags: Frags) -> Frags:
    return tuple(sorted(frags))


def _exact(a: Frags, b: Frags) -> bool:
    return _norm(a) == _norm(b)


def _overlap(a: Frags, b: Frags) -> bool:
    if not a or not b:
        return not a and not b
    return any(x0 < y1 and y0 < x1 for x0, x1 in a for y0, y1 in b)


def _prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> dict[str, float]:
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _match(gold: Sequence[Any], pred: Sequence[Any], same: Callable[[Any, Any], bool]) -> int:
    used = [False] * len(pred)
    hits = 0
    for g in gold:
        for j, p in enumerate(pred):
            if not used[j] and same(g, p):
                used[j] = True
                hits += 1
                break
    return hits


def score(pairs: Sequence[tuple[Sequence[Attribution], Sequence[Pred]]]) -> dict[str, Any]:
    """Scores for (gold attributions, predictions) pairs, one pair per annotation file."""
    out: dict[str, Any] = {}
    for crit_name, crit in (("exact", _exact), ("overlap", _overlap)):
        for role, idx in (("source", 0), ("cue", 1), ("content", 2)):
            tp = n_pred = n_gold = 0
            for gold, pred in pairs:
                g = [getattr(a, role) for a in gold if getattr(a, role)]
                p = [x[idx] for x in pred if x[idx]]
                tp += _match(g, p, crit)
                n_pred += len(p)
                n_gold += len(g)
            out.setdefault(role, {})[crit_name] = _prf(tp, n_pred, tp, n_gold)
        def whole(a: Pred, b: Pred, c: Callable[[Frags, Frags], bool] = crit) -> bool:
            return all((not x and not y) or (bool(x) and bool(y) and c(x, y)) for x, y in zip(a, b, strict=True))

        tp = n_pred = n_gold = 0
        for gold, pred in pairs:
            g = [(a.source, a.cue, a.content) for a in gold]
            tp += _match(g, list(pred), whole)
            n_pred += len(pred)
            n_gold += len(g)
        out.setdefault("attribution", {})[crit_name] = _prf(tp, n_pred, tp, n_gold)
    return out


def _pred(att: Any) -> Pred:
    return ((att.source,) if att.source else (), (att.cue,), att.content)


def _ours(sdoc: Any) -> list[Pred]:
    """The outermost statements only, as PolNeAR annotates: none of its 22,457 train cues (nor 2,319 dev cues)
    lies inside another attribution's content or inside a quote's marks (13 exceptions there)."""
    from crossnews.extract.attribution import find_attributions
    from crossnews.extract.statements import enclosing

    atts = find_attributions(sdoc, inside_quotes=False)
    return [_pred(a) for i, a in enumerate(atts) if not enclosing(atts, i)]  # what `nested_in` leaves empty


def _outermost(statements: Sequence[Any]) -> list[Any]:
    """The statements whose cue lies in no other statement's content, as PolNeAR annotates (see :func:`_ours`): a
    statement the pipeline nests in a report across sentences ("a Turkish official told Reuters ..." / "...,
    Reuters reported") is outermost here."""
    spans = [(s.id, s.content.start, s.content.end) for s in statements]
    return [s for s in statements if s.nested_in is None or s.cue is None or not any(
        i != s.id and a <= s.cue.span.start < b for i, a, b in spans)]


def _ours_all(sdoc: Any) -> list[Pred]:
    from crossnews.extract.attribution import find_attributions

    return [_pred(a) for a in find_attributions(sdoc, inside_quotes=True)]


_TEXTACY_REFUSED: list[int] = []


def _textacy(sdoc: Any) -> list[Pred]:
    from textacy.extract.triples import direct_quotations

    preds: list[Pred] = []
    try:
        triples = list(direct_quotations(sdoc))
    except ValueError:  # textacy refuses texts with unbalanced quote marks ("safest to bail out")
        _TEXTACY_REFUSED.append(1)
        return preds
    for dq in triples:
        def span(tokens: Any) -> Frags:
            toks = list(tokens)
            if not toks:
                return ()
            return ((min(t.idx for t in toks), max(t.idx + len(t.text) for t in toks)),)

        content = dq.content
        preds.append((span(dq.speaker), span(dq.cue), ((content.start_char, content.end_char),)))
    return preds


def _statement_pred(st: Any) -> Pred:
    source = ((st.speaker.span.start, st.speaker.span.end),) if st.speaker.span is not None else ()
    content = tuple((p.start, p.end) for p in st.parts) or ((st.content.start, st.content.end),)
    return source, ((st.cue.span.start, st.cue.span.end),) if st.cue is not None else (), content


class _Backends:
    """``quotes.rules.v2``, the tagger alone and ``quotes.tagger.v1`` over one parse, sharing the rules' run and
    the tagger's tags; the seconds each part took are summed in ``seconds``."""

    def __init__(self) -> None:
        from crossnews.extract import spans, tagger

        self.tagger_module = tagger
        self.tagger = tagger.load_tagger()
        self.spans_module = spans
        self.span_model = spans.load_span_model()
        self.seconds = {"rules": 0.0, "tagger": 0.0, "merge": 0.0, "spans": 0.0}

    def prepared(self, name: str, text: str, sdoc: Any) -> tuple[Any, list[Any], list[Any], Any, Any]:
        """What the merge takes for one article: (document, the rules' statements and speaker references, the
        tagger's sentences and chunks; both ``None`` without tagger weights). ``scripts/tune_merge_gates.py``
        merges these at many gates."""
        from crossnews.core.records import Document, Span
        from crossnews.extract.statements import extract_statements

        doc = Document(id=name, source=name, format="text", text=text, content_hash=name, body=Span(0, len(text)),
                       language="en")
        t0 = time.perf_counter()
        statements, refs = extract_statements(doc, sdoc)
        t1 = time.perf_counter()
        self.seconds["rules"] += t1 - t0
        if self.tagger is None:
            return doc, statements, refs, None, None
        positions = [s.cue.span.start for s in _outermost(statements) if s.cue is not None]
        sentences, chunks = self.tagger_module.tag_document(sdoc, self.tagger, positions)
        self.seconds["tagger"] += time.perf_counter() - t1
        return doc, statements, refs, sentences, chunks

    def __call__(self, name: str, text: str, sdoc: Any) -> dict[str, list[Pred]]:
        doc, statements, refs, sentences, chunks = self.prepared(name, text, sdoc)
        out = {"rules_statements": [_statement_pred(s) for s in _outermost(statements)]}
        if self.tagger is None:
            return out
        tg = self.tagger_module
        t2 = time.perf_counter()
        alone = tg.tagged_attributions([(r, s, e) for r, s, e, _ in chunks], sentences, text)
        out["tagger"] = [(((t.source,) if t.source else ()), (t.cue,), t.content) for t in alone]
        merged, _ = tg.merge(doc, sdoc, statements, refs, sentences, chunks)
        out["merge"] = [_statement_pred(s) for s in _outermost(merged)]
        t3 = time.perf_counter()
        self.seconds["merge"] += t3 - t2
        if self.span_model is not None:
            sp = self.spans_module
            offsets, taggings = sp.tag_statements(self.span_model, text, statements)
            spanned = sp.set_spans(text, statements, offsets, taggings, sdoc=sdoc)
            out["spans"] = [_statement_pred(s) for s in _outermost(spanned)]
            _, taggings = sp.tag_statements(self.span_model, text, merged, taggings)
            spanned = sp.set_spans(text, merged, offsets, taggings, sdoc=sdoc)
            out["merge_spans"] = [_statement_pred(s) for s in _outermost(spanned)]
            self.seconds["spans"] += time.perf_counter() - t3
        return out


def evaluate_attribution(path: str | Path, *, baseline: str | None = None, limit: int | None = None,
                         tagger: bool = True) -> dict[str, Any]:
    """Evaluate ``quotes.rules.v2`` (and optionally a baseline) on a PolNeAR split folder; with ``tagger``, also
    the rules' statements, the tagger alone and ``quotes.tagger.v1`` (the merge), side by side."""
    from crossnews.core.nlp import PIPE_BATCH, load_nlp

    started = time.perf_counter()
    docs: list[AnnotatedDoc] = load_split(path, limit=limit)
    nlp = load_nlp()
    texts: dict[str, str] = {}
    for d in docs:
        texts.setdefault(d.text_name, d.text)
    systems: dict[str, Callable[[Any], list[Pred]]] = {"crossnews": _ours, "crossnews_with_nested": _ours_all}
    if baseline == "textacy":
        systems["baseline_textacy"] = _textacy
    elif baseline not in (None, "none"):
        raise ValueError(f"unknown baseline {baseline!r}; known: textacy")
    preds: dict[str, dict[str, list[Pred]]] = {name: {} for name in systems}
    backends = _Backends() if tagger else None
    if backends is not None:
        for sys_name in ("rules_statements", "tagger", "merge") if backends.tagger else ("rules_statements",):
            preds[sys_name] = {}
        if backends.tagger is not None and backends.span_model is not None:
            preds["spans"] = {}
            preds["merge_spans"] = {}
    names = list(texts)
    for name, sdoc in zip(names, nlp.pipe((texts[n] for n in names), batch_size=PIPE_BATCH), strict=True):
        for sys_name, fn in systems.items():
            preds[sys_name][name] = fn(sdoc)
        if backends is not None:
            for sys_name, found in backends(name, texts[name], sdoc).items():
                preds[sys_name][name] = found
    result: dict[str, Any] = {
        "dataset": str(path),
        "annotation_files": len(docs),
        "articles": len(texts),
        "gold_attributions": sum(len(d.attributions) for d in docs),
        "backend": "quotes.rules.v2",
    }
    if backends is not None:
        result["tagger_available"] = backends.tagger is not None
        if backends.tagger is None:
            result["tagger_note"] = ("no tagger weights (data/tagger_minilm_int8.onnx): 'tagger' and 'merge' not "
                                     "scored; train them with `make train-tagger`")
        result["span_model_available"] = backends.span_model is not None
        if backends.span_model is None:
            result["span_model_note"] = ("no span model weights (data/spans_minilm_int8.onnx): 'spans' and "
                                         "'merge_spans' not scored; train them with `make train-spans`")
        result["backend_seconds"] = {k: round(v, 1) for k, v in backends.seconds.items()}
    for sys_name in preds:
        pairs = [(d.attributions, preds[sys_name][d.text_name]) for d in docs]
        result[sys_name] = {"predicted": sum(len(p) for _, p in pairs), **score(pairs)}
    if "baseline_textacy" in result:
        result["baseline_textacy"]["articles_refused"] = len(_TEXTACY_REFUSED)
        _TEXTACY_REFUSED.clear()
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["notes"] = ("PARC/Citron scoring: exact = identical spans (fragment for fragment), overlap = at least "
                       "one shared character; a whole attribution needs every role to match (no source matches "
                       "only no source); one-to-one greedy matching; each annotation file scored separately. "
                       "'crossnews' follows PolNeAR's convention of annotating no statement reported inside "
                       "another (none of its 22,457 train cues lies inside another attribution's content; 13 lie "
                       "inside quote marks), so it scores the outermost statements only; 'crossnews_with_nested' "
                       "scores everything the pipeline extracts, nested reports included. 'rules_statements' "
                       "(quotes.rules.v2), 'tagger' (the learned tagger alone), 'merge' (quotes.tagger.v1), "
                       "'spans' (quotes.spans.v1: the rules' statements with the span model's edges) and "
                       "'merge_spans' (quotes.tagger.v2: the merge with them) score the outermost statements the "
                       "backends give the pipeline.")
    return result
