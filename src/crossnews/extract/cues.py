"""A learned reporting-cue detector: how likely a token is the head of an attribution cue, in its context.

A logistic regression over sparse features of the token and its parse (lemma, dependency relations, subject type,
quote marks nearby, whether the sentence is a headline...). Trained by ``scripts/train_cue_model.py`` on
PolNeAR's train split; the weights (``data/cue_model.json``) are plain numbers, so inference needs no
machine-learning library. Without the weights file the rules fall back to the lemma lexicon.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from crossnews.core.nlp import doc_text, sentence_of
from crossnews.extract.linear import LinearModel, load_linear_model

__all__ = ["CueModel", "cue_features", "is_candidate", "is_headline", "load_cue_model", "NOUN_CUES"]

NOUN_CUES = {
    "statement", "response", "remark", "remarks", "comment", "comments", "claim", "assertion", "warning",
    "announcement", "suggestion", "admission", "denial", "assurance", "promise", "pledge", "message", "demand",
    "insistence", "argument", "allegation", "accusation", "declaration", "acknowledgment", "acknowledgement",
    "complaint", "threat", "vow", "answer", "reply", "proposal", "recommendation", "testimony", "tweet",
}


def is_candidate(tok: Any) -> bool:
    """Tokens that may head a cue: verbs (not auxiliaries of another verb) and the nouns of speech."""
    if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
        return True
    return tok.pos_ == "NOUN" and tok.lemma_.lower() in NOUN_CUES


def _in(quotes: list[tuple[int, int]], pos: int) -> bool:
    return any(q[0] <= pos < q[1] for q in quotes)


def cue_features(tok: Any, quotes: list[tuple[int, int]], rate: float) -> list[str]:
    """Binary features of a candidate cue token."""
    lemma = tok.lemma_.lower()
    feats = [
        "bias", f"lemma={lemma}", f"dep={tok.dep_}", f"tag={tok.tag_}", f"lemma_dep={lemma}|{tok.dep_}",
        f"rate={min(int(rate * 10), 9)}", f"head_dep={tok.head.dep_}", f"head_lemma={tok.head.lemma_.lower()}",
    ]
    doc = tok.doc
    child_deps = set()
    for c in tok.children:
        child_deps.add(c.dep_)
        if c.dep_ == "prep":
            feats.append(f"prep={c.lower_}")
            feats.append(f"lemma_prep={lemma}|{c.lower_}")
        if c.dep_ in ("nsubj", "nsubjpass"):
            feats.append(f"subj_ent={c.ent_type_ or 'none'}")
            feats.append(f"subj_pos={c.pos_}")
            if c.pos_ == "PRON":
                feats.append(f"subj_pron={c.lower_}")
            feats.append(f"subj_side={'before' if c.i < tok.i else 'after'}")
        if c.dep_ == "ccomp":
            if any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
                feats.append("ccomp_that")
            feats.append(f"ccomp_side={'before' if c.i < tok.i else 'after'}")
    feats += [f"child={d}" for d in sorted(child_deps)]
    feats += [f"lemma_child={lemma}|{d}" for d in sorted(child_deps) if d in ("ccomp", "dobj", "xcomp", "nsubj")]
    prev_tok = doc[tok.i - 1] if tok.i > 0 else None
    next_tok = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    feats.append(f"prev={prev_tok.lower_ if prev_tok is not None else '<s>'}")
    feats.append(f"next={next_tok.lower_ if next_tok is not None else '</s>'}")
    if _in(quotes, tok.idx):
        feats.append("in_quote")
    before = [q for q in quotes if q[1] <= tok.idx and tok.idx - q[1] < 40]
    after = [q for q in quotes if q[0] >= tok.idx and q[0] - tok.idx < 40]
    if before:
        feats.append("quote_before")
    if after:
        feats.append("quote_after")
    sent = sentence_of(tok)
    if any(sent.start_char <= q[0] < sent.end_char for q in quotes):
        feats.append("sent_quote")
    if is_headline(sent):
        feats.append("headline")
    return feats


def is_headline(sent: Any) -> bool:
    """A sentence that does not end with a stop (quote marks aside): a headline, a label, a dateline."""
    text = doc_text(sent.doc)[sent.start_char:sent.end_char]  # Span.text joins its tokens on every call
    return not text.rstrip().rstrip("\"'”’").endswith((".", "?", "!"))


#: the cue detector's weights and threshold
CueModel = LinearModel


@lru_cache(maxsize=1)
def load_cue_model() -> CueModel | None:
    """The packaged model (``data/cue_model.json``), or ``None`` when it is absent."""
    return load_linear_model("cue_model.json")
