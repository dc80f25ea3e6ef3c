"""A learned check of each rule attribution: how likely it is a real attribution, as an annotator would mark it.

The rules of :mod:`crossnews.extract.quotes` are run with permissive gates, so that fewer statements are missed;
this model then scores every attribution they propose from its whole shape (the rule that found it, the cue's
learned probability and lemma, whether a source was found and what it is, the content's length, kind and first
words, whether the cue stands in a headline or a quote...), and those scoring under the threshold are dropped.
The score becomes the statement's ``confidence``.

Trained by ``scripts/train_accept_model.py`` on PolNeAR's train split (an attribution is right when its cue
overlaps an annotated cue); its weights (``data/accept_model.json``) are plain numbers, so inference needs no
machine-learning library. Without the weights file the rules keep their stricter gates and their own confidence.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from crossnews.core.nlp import doc_text, sentence_of
from crossnews.extract.cues import is_headline
from crossnews.extract.linear import LinearModel, load_linear_model

__all__ = ["AcceptModel", "accept_features", "load_accept_model"]


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for e in edges:
        if n <= e:
            return f"<={e}"
    return f">{edges[-1]}"


def accept_features(sdoc: Any, att: Any, cue: Any | None) -> list[str]:
    """Binary features of one rule attribution (``cue`` is its head token; ``att.extras["p_cue"]`` the cue's
    probability when the rule used one)."""
    p_cue = att.extras.get("p_cue")
    text = doc_text(sdoc)
    rule = att.rule.split("+")[0]
    lemma = att.cue_lemma.lower()
    feats = ["bias", f"rule={rule}", f"lemma={lemma}", f"kind={att.kind}", f"rule_kind={rule}|{att.kind}",
             f"continued={'+continued' in att.rule}", f"frags={min(len(att.content), 3)}"]
    if p_cue is not None:
        b = min(int(p_cue * 10), 9)
        feats += [f"p={b}", f"rule_p={rule}|{b}"]
    else:
        feats.append("p=none")
    if att.source is None:
        feats += ["no_source", f"rule_nosrc={rule}"]
    else:
        src = sdoc.char_span(att.source[0], att.source[1], alignment_mode="expand")
        if src is not None and len(src):
            head = src.root
            feats += [f"src_pos={head.pos_}", f"src_ent={head.ent_type_ or 'none'}",
                      f"src_len={_bucket(len(src), (1, 2, 4, 8))}"]
            if head.pos_ == "PRON":
                feats.append(f"src_pron={head.lower_}")
            elif head.ent_type_ not in ("PERSON", "ORG", "NORP", "GPE"):
                feats.append(f"src_lemma={head.lemma_.lower()}")
        feats.append(f"src_side={'before' if att.source[0] < att.cue[0] else 'after'}")
    first = att.content[0]
    ctext = text[first[0]:first[1]]
    span = sdoc.char_span(att.content[0][0], att.content[-1][1], alignment_mode="expand")
    n = len(span) if span is not None else 0
    feats.append(f"len={_bucket(n, (1, 2, 4, 8, 16, 32, 64))}")
    feats.append(f"rule_len={rule}|{_bucket(n, (2, 6, 16, 40))}")
    words = ctext.split()
    if words:
        w0 = words[0].lower().strip("\"'“”‘’")
        feats.append(f"first={w0 if w0 in _FIRST else ('Cap' if words[0][:1].isupper() else 'low')}")
        if ctext[:1] in "\"'“‘«":
            feats.append("opens_quote")
    if span is not None:
        if any(t.pos_ in ("VERB", "AUX") for t in span):
            feats.append("has_verb")
        if any(t.dep_ in ("nsubj", "nsubjpass") for t in span):
            feats.append("has_subject")
    feats.append(f"content_side={'before' if first[0] < att.cue[0] else 'after'}")
    if cue is not None:
        sent = sentence_of(cue)
        feats += [f"cue_dep={cue.dep_}", f"cue_tag={cue.tag_}", f"lemma_dep={lemma}|{cue.dep_}"]
        if is_headline(sent):
            feats.append("headline")
        if any(c.dep_ == "neg" for c in cue.children):
            feats.append("negated")
        if any(c.dep_ == "aux" and c.lower_ in ("will", "would", "could", "might", "may", "should", "can")
               for c in cue.children):
            feats.append("modal")
    return feats


_FIRST = {"that", "to", "the", "a", "an", "he", "she", "they", "it", "we", "i", "you", "there", "this", "if",
          "whether", "what", "how", "why", "his", "her", "their", "its", "in", "on", "for", "about", "as", "no", "not"}


#: the acceptance model's weights and threshold
AcceptModel = LinearModel


@lru_cache(maxsize=1)
def load_accept_model() -> AcceptModel | None:
    """The packaged model (``data/accept_model.json``), or ``None`` when it is absent."""
    return load_linear_model("accept_model.json")
