"""A learned content-boundary model: where an attribution's content starts and ends, given its cue.

The rules of :mod:`crossnews.extract.quotes` find each statement's content from the parse (the cue's clausal
complement, a fronted quote, an object and infinitive...). Where exactly PolNeAR-style content begins and ends
is a finer matter: a trailing participle ("..., contradicting the police") or a time adjunct is left out, a second
coordinated clause is kept, a directive's object is left out of the content while its infinitive is kept. This
model moves the two outer boundaries of a rule's content: among the token boundaries around the rule's own
(within the sentence, never across the cue or the source, never into another fragment) it picks the one a
logistic regression scores highest. The features describe the boundary's tokens and their neighbours, their
relations in the parse, what lies between the boundary and the rule's choice, and the rule that found the content.

Trained by ``scripts/train_content_model.py`` on PolNeAR's train split; its weights (``data/content_model.json``)
are plain numbers, so inference needs no machine-learning library. Without the weights file the rules' spans are
kept as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..nlp import sentence_index, sentence_of
from .linear import packaged_weights

__all__ = ["BoundaryModel", "end_candidates", "start_candidates", "end_features", "start_features",
           "load_boundary_model", "refine_content", "content_setting",
           "cue_setting", "refine_cue", "source_setting", "refine_source"]

Frag = tuple[int, int]

_QUOTE_CHARS = set("\"'“”‘’«»„‟")
_WORDS = {
    "and", "but", "or", "while", "although", "though", "as", "because", "after", "before", "when", "which", "who",
    "that", "if", "since", "until", "where", "so", "than", "to", "in", "on", "at", "for", "with", "by", "of",
    "from", "saying", "adding", "according", "even", "not", "also", "then", "the", "a", "an", "it", "he", "she",
    "they", "we", "i", "you", "this", "there", "said", "says", "told", "including", "despite", "during", "amid",
}
_MARKS = {",": "comma", ";": "semi", ":": "colon", "—": "dash", "–": "dash", "-": "hyphen", "--": "dash",
          "(": "lparen", ")": "rparen", ".": "period", "?": "qmark", "!": "bang", "...": "ellipsis", "…": "ellipsis"}


def _word(tok: Any) -> str:
    low = str(tok.lower_)
    if low in _MARKS:
        return _MARKS[low]
    if low and all(c in _QUOTE_CHARS for c in low):
        return "quote"
    if low in _WORDS:
        return low
    return f"<{tok.pos_}>"


def _bucket(d: int) -> str:
    if d == 0:
        return "0"
    sign = "+" if d > 0 else "-"
    a = abs(d)
    if a <= 2:
        return f"{sign}{a}"
    if a <= 5:
        return f"{sign}3-5"
    if a <= 12:
        return f"{sign}6-12"
    return f"{sign}13+"


class _Table:
    """The token attributes the boundary features read, as plain lists indexed by token, built once per document
    (going through spaCy's ``Doc[i]`` for each of the thousands of candidates of a document is what was slow)."""

    __slots__ = ("word", "dep", "head", "left", "right", "newline", "sent_start", "punct", "sent_first", "sent_end")

    def __init__(self, doc: Any) -> None:
        size = len(doc)
        self.word, self.dep, self.head, self.newline, self.sent_start, self.punct = [], [], [], [], [], []
        for t in doc:  # one pass, one Token object per token
            self.word.append(_word(t))
            self.dep.append(str(t.dep_))
            self.head.append(t.head.i)
            self.newline.append("\n" in t.text_with_ws)
            self.sent_start.append(bool(t.is_sent_start))
            self.punct.append(bool(t.is_punct))
        # subtree edges from the heads: children are folded into their heads, deepest first
        head = self.head
        depth = [0] * size
        for k in range(size):
            h, d = k, 0
            while head[h] != h and d <= size:
                h, d = head[h], d + 1
            depth[k] = d
        self.left, self.right = list(range(size)), list(range(size))
        for k in sorted(range(size), key=depth.__getitem__, reverse=True):
            h = head[k]
            if h != k:
                self.left[h] = min(self.left[h], self.left[k])
                self.right[h] = max(self.right[h], self.right[k])
        sents, index = sentence_index(doc)
        starts, ends = [s.start for s in sents], [s.end for s in sents]
        self.sent_first = [starts[n] for n in index]
        self.sent_end = [ends[n] for n in index]


def _table(doc: Any) -> _Table:
    table = doc.user_data.get("crossnews_boundary_table")
    if table is None or len(table.word) != len(doc):
        table = _Table(doc)
        doc.user_data["crossnews_boundary_table"] = table
    return table  # type: ignore[no-any-return]


_CROSSED = {"comma", "semi", "colon", "dash", "lparen", "rparen", "period", "quote", "and", "but", "while", "which",
            "who", "saying", "adding", "according", "as", "because", "after", "when", "including"}


def _between(doc: Any, a: int, b: int) -> list[str]:
    """Marks and words crossed between token indices a and b (exclusive of a, inclusive of b)."""
    tb = _table(doc)
    lo, hi = (a + 1, b + 1) if b > a else (b + 1, a + 1)
    feats = set()
    for k in range(max(lo, 0), min(hi, len(tb.word))):
        w = tb.word[k]
        if w in _CROSSED:
            feats.add(f"x_{w}")
        if tb.sent_start[k] and k != lo:
            feats.add("x_sent")
        if tb.newline[k]:
            feats.add("x_newline")
    return sorted(feats)


def _hanging(doc: Any, lo: int, hi: int) -> Iterator[int]:
    """The tokens of [lo, hi] whose head lies outside the range (or that are a sentence's root)."""
    head = _table(doc).head
    return (k for k in range(lo, hi + 1) if not lo <= head[k] <= hi or head[k] == k)


def _root(doc: Any, lo: int, hi: int) -> Any | None:
    """The first token of [lo, hi] whose head lies outside the range."""
    k = next(_hanging(doc, lo, hi), None)
    return None if k is None else doc[k]


def _openness(doc: Any, lo: int, hi: int) -> str:
    """How many tokens of [lo, hi] hang from outside it: 1 when the range is one constituent of the parse."""
    return str(min(sum(1 for _ in _hanging(doc, lo, hi)), 3))


def _common(att_rule: str, cue: Any) -> list[str]:
    rule = att_rule.split("+")[0]
    return [f"rule={rule}", f"cue={cue.lemma_.lower()}", f"cue_dep={cue.dep_}"]


def end_features(doc: Any, j: int, rule_end: int, lo: int, cue: Any, att_rule: str, rule_root: Any | None) -> list[str]:
    """Features of the content ending after token ``j`` (the rule ends after ``rule_end``; the content's last
    fragment starts at token ``lo``)."""
    tb = _table(doc)
    size = len(tb.word)
    n = j + 1 if j + 1 < size else None
    d = _bucket(j - rule_end)
    tw, nw = tb.word[j], (tb.word[n] if n is not None else "</d>")
    feats = ["bias", f"d={d}", f"t={tw}", f"t_dep={tb.dep[j]}", f"n={nw}", f"t_n={tw}|{nw}"]
    if j == rule_end:
        feats.append("rule_end")
    sent_end = tb.sent_end[j]
    if n is not None:
        n_in = lo <= tb.head[n] <= j
        feats += [f"n_dep={tb.dep[n]}", f"n_head_in={n_in}", f"n_dep_in={tb.dep[n]}|{n_in}"]
        if tb.sent_start[n] or n == sent_end:
            feats.append("n_sent_start")
        if tb.newline[j]:
            feats.append("t_newline")
        if j + 2 < size:
            feats.append(f"n_nn={nw}|{tb.word[j + 2]}")
    else:
        feats.append("doc_end")
    if j == sent_end - 1 or (n is not None and tb.punct[n] and n == sent_end - 1):
        feats.append("sent_last")
    if rule_root is not None:
        r = rule_root.i
        if j == tb.right[r]:
            feats.append("root_right_edge")
        if tb.head[j] == r:
            feats.append(f"t_child_of_root={tb.dep[j]}")
        if n is not None and tb.head[n] == r:
            feats.append(f"n_child_of_root={tb.dep[n]}")
    if tb.head[j] == j or tb.right[j] == j:
        feats.append("t_subtree_end")
    roots = _openness(doc, lo, j)
    feats += [f"open={roots}", f"open_n={roots}|{nw}", f"t_n_dep={tb.dep[j]}|{tb.dep[n] if n is not None else '</d>'}"]
    for x in _between(doc, rule_end, j):
        feats.append(f"{x}|{'out' if j > rule_end else 'in'}")
    feats += _common(att_rule, cue)
    rule = att_rule.split("+")[0]
    feats += [f"{rule}|d={d}", f"{rule}|n={nw}", f"{rule}|t={tw}"]
    if j > rule_end:
        feats.append(f"{rule}|grow")
    elif j < rule_end:
        feats.append(f"{rule}|shrink")
    return feats


def start_features(doc: Any, j: int, rule_start: int, hi: int, cue: Any, att_rule: str,
                   rule_root: Any | None) -> list[str]:
    """Features of the content starting at token ``j`` (the rule starts at ``rule_start``; the content's first
    fragment ends at token ``hi``)."""
    tb = _table(doc)
    p = j - 1 if j > 0 else None
    d = _bucket(j - rule_start)
    tw, pw = tb.word[j], (tb.word[p] if p is not None else "<d>")
    feats = ["bias", f"d={d}", f"t={tw}", f"t_dep={tb.dep[j]}", f"p={pw}", f"p_t={pw}|{tw}"]
    if j == rule_start:
        feats.append("rule_start")
    if tb.sent_start[j] or j == tb.sent_first[j]:
        feats.append("t_sent_start")
    if p is not None:
        feats += [f"p_dep={tb.dep[p]}", f"t_head_in={j <= tb.head[j] <= hi}"]
        if tb.newline[p]:
            feats.append("p_newline")
        if j >= 2:
            feats.append(f"pp_p={tb.word[j - 2]}|{pw}")
    if tb.head[j] == cue.i:
        feats.append(f"t_child_of_cue={tb.dep[j]}")
    if rule_root is not None:
        r = rule_root.i
        if j == tb.left[r]:
            feats.append("root_left_edge")
        if tb.head[j] == r:
            feats.append(f"t_child_of_root={tb.dep[j]}")
        if j == r:
            feats.append("t_is_root")
    if tb.left[j] == j:
        feats.append("t_subtree_start")
    roots = _openness(doc, j, hi)
    feats += [f"open={roots}", f"open_p={roots}|{pw}", f"p_t_dep={tb.dep[p] if p is not None else '<d>'}|{tb.dep[j]}"]
    if j > cue.i:
        feats.append("after_cue")
    for x in _between(doc, rule_start - 1, j - 1):
        feats.append(f"{x}|{'out' if j < rule_start else 'in'}")
    feats += _common(att_rule, cue)
    rule = att_rule.split("+")[0]
    feats += [f"{rule}|d={d}", f"{rule}|p={pw}", f"{rule}|t={tw}", f"{rule}|tdep={tb.dep[j]}"]
    if j < rule_start:
        feats.append(f"{rule}|grow")
    elif j > rule_start:
        feats.append(f"{rule}|shrink")
    return feats


def _blocked(cue_span: Frag, source: Frag | None, other: Iterable[Frag]) -> list[Frag]:
    spans = [cue_span, *other]
    if source is not None:
        spans.append(source)
    return spans


def _hits(t: Any, spans: list[Frag]) -> bool:
    a, b = t.idx, t.idx + len(t.text)
    return any(a < s1 and s0 < b for s0, s1 in spans)


def end_candidates(doc: Any, lo: int, rule_end: int, blocked: list[Frag]) -> list[int]:
    """Token indices the content may end after: from its last fragment's first token to the end of the
    sentence (or the next sentence of the paragraph), never entering the cue, the source or another fragment."""
    sent = sentence_of(doc[rule_end])
    limit = sent.end
    if limit < len(doc) and "\n" not in doc[limit - 1].text_with_ws:
        limit = sentence_of(doc[limit]).end
    out = []
    for j in range(lo, max(limit, rule_end + 1)):
        if j > rule_end and _hits(doc[j], blocked):
            break
        if j > rule_end and "\n" in doc[j - 1].text_with_ws:
            break
        if not doc[j].is_space:
            out.append(j)
    return out


def start_candidates(doc: Any, hi: int, rule_start: int, blocked: list[Frag]) -> list[int]:
    """Token indices the content may start at: from the sentence's start (or the previous sentence's, in the same
    paragraph) to its first fragment's last token, never entering the cue, the source or another fragment."""
    sent = sentence_of(doc[rule_start])
    limit = sent.start
    if limit > 0 and "\n" not in doc[limit - 1].text_with_ws:
        limit = sentence_of(doc[limit - 1]).start
    out = []
    for j in range(hi, min(limit, rule_start) - 1, -1):
        if j < rule_start and (_hits(doc[j], blocked) or "\n" in doc[j].text_with_ws):
            break
        if not doc[j].is_space:
            out.append(j)
    return out


@dataclass(frozen=True)
class BoundaryModel:
    end_weights: dict[str, float]
    start_weights: dict[str, float]
    meta: dict[str, Any]
    cue_start_weights: dict[str, float] = field(default_factory=dict)
    cue_end_weights: dict[str, float] = field(default_factory=dict)
    source_start_weights: dict[str, float] = field(default_factory=dict)
    source_end_weights: dict[str, float] = field(default_factory=dict)

    @staticmethod
    def _score(weights: dict[str, float], feats: list[str]) -> float:
        return sum(weights.get(f, 0.0) for f in feats)

    @staticmethod
    def best(weights: dict[str, float], cands: list[tuple[int, list[str]]]) -> int:
        return max(cands, key=lambda c: BoundaryModel._score(weights, c[1]))[0]



def _tok_range(doc: Any, frag: Frag) -> tuple[int, int] | None:
    span = doc.char_span(frag[0], frag[1], alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.start, span.end - 1


class _Setting:
    """What both boundaries of one content are chosen against (``first``, ``last``: the token ranges of its first
    and last fragments)."""

    def __init__(self, doc: Any, content: tuple[Frag, ...], cue: Any, cue_span: Frag, source: Frag | None,
                 rule: str, fences: tuple[Frag, ...], first: tuple[int, int], last: tuple[int, int]) -> None:
        self.doc, self.content, self.cue, self.rule = doc, content, cue, rule
        self.lo, self.rule_end = last
        self.rule_start, self.hi = first
        multi = len(content) > 1
        self.root = _root(doc, self.lo if multi else self.rule_start, self.rule_end)
        blocked = _blocked(cue_span, source, (*content[1:-1], *fences))
        self.end_block = blocked + [content[0]] if multi else blocked
        self.start_block = blocked + [content[-1]] if multi else blocked

    def ends(self) -> list[tuple[int, list[str]]]:
        return [(j, end_features(self.doc, j, self.rule_end, self.lo, self.cue, self.rule, self.root))
                for j in end_candidates(self.doc, self.lo, self.rule_end, self.end_block)]

    def starts(self, end: int) -> list[tuple[int, list[str]]]:
        hi = self.hi if len(self.content) > 1 else end
        return [(j, start_features(self.doc, j, self.rule_start, hi, self.cue, self.rule, self.root))
                for j in start_candidates(self.doc, hi, self.rule_start, self.start_block)]


def content_setting(doc: Any, content: tuple[Frag, ...], cue: Any, cue_span: Frag, source: Frag | None,
                    rule: str, fences: tuple[Frag, ...] = ()) -> _Setting | None:
    """The candidates of both boundaries of a rule's content (``None`` when its spans do not map onto tokens).
    ``fences`` are spans no boundary may cross: the other statements' cues, the marks of a quote the cue stands
    in."""
    first = _tok_range(doc, content[0])
    last = _tok_range(doc, content[-1])
    if first is None or last is None:
        return None
    return _Setting(doc, content, cue, cue_span, source, rule, fences, first, last)


def refine_content(doc: Any, content: tuple[Frag, ...], cue: Any, cue_span: Frag, source: Frag | None, rule: str,
                   model: BoundaryModel, fences: tuple[Frag, ...] = ()) -> tuple[Frag, ...]:
    """The content with its outer boundaries moved where the model puts them (inner ones are kept)."""
    setting = content_setting(doc, content, cue, cue_span, source, rule, fences)
    if setting is None:
        return content
    ends = setting.ends()
    new_end = model.best(model.end_weights, ends) if ends else setting.rule_end
    starts = setting.starts(new_end)
    new_start = model.best(model.start_weights, starts) if starts else setting.rule_start
    end_char = doc[new_end].idx + len(doc[new_end].text)
    start_char = doc[new_start].idx
    frags = list(content)
    if len(frags) == 1:
        return ((start_char, end_char),) if start_char < end_char else content
    if end_char > frags[-1][0]:
        frags[-1] = (frags[-1][0], end_char)
    if start_char < frags[0][1]:
        frags[0] = (start_char, frags[0][1])
    return tuple(frags)


# --- the cue's own extent ("has repeatedly cited ... as", "said Thursday morning", "continued to call for") ---------

_CUE_REACH = 6


def _relation(tok: Any, cue: Any) -> str:
    if tok.i == cue.i:
        return "cue"
    if tok.head.i == cue.i:
        return f"child:{tok.dep_}"
    if cue.head.i == tok.i:
        return f"parent:{cue.dep_}"
    if tok.head.i == cue.head.i and cue.head.i != cue.i:
        return f"sibling:{tok.dep_}"
    if any(a.i == cue.i for a in tok.ancestors):
        return "below"
    return "other"


def extent_start_features(doc: Any, j: int, rule_start: int, cue: Any, lemma: str) -> list[str]:
    """Features of a cue's (or a source's) extent starting at token ``j``; ``cue`` is its head."""
    t = doc[j]
    p = doc[j - 1] if j > 0 else None
    d = _bucket(j - rule_start)
    rel = _relation(t, cue)
    tw = _word(t)
    feats = ["bias", f"d={d}", f"t={tw}", f"t_pos={t.pos_}", f"rel={rel}", f"rel_pos={rel}|{t.pos_}",
             f"p={_word(p) if p is not None else '<d>'}", f"lemma_d={lemma}|{d}"]
    if j == rule_start:
        feats.append("rule_start")
    if t.pos_ == "ADV":
        feats.append(f"adv={t.lower_}")
    for k in range(min(j, rule_start), max(j, rule_start)):
        feats.append(f"x_rel={_relation(doc[k], cue)}|{'out' if j < rule_start else 'in'}")
    return sorted(set(feats))


def extent_end_features(doc: Any, j: int, rule_end: int, cue: Any, lemma: str, content_start: int) -> list[str]:
    """Features of an extent ending after token ``j``; ``content_start`` is the token the next role starts at."""
    t = doc[j]
    n = doc[j + 1] if j + 1 < len(doc) else None
    d = _bucket(j - rule_end)
    rel = _relation(t, cue)
    tw, nw = _word(t), (_word(n) if n is not None else "</d>")
    feats = ["bias", f"d={d}", f"t={tw}", f"t_pos={t.pos_}", f"rel={rel}", f"rel_pos={rel}|{t.pos_}", f"n={nw}",
             f"lemma_d={lemma}|{d}", f"lemma_t={lemma}|{tw}"]
    if j == rule_end:
        feats.append("rule_end")
    if t.ent_type_:
        feats.append(f"t_ent={t.ent_type_}")
    if n is not None and n.i == content_start:
        feats.append("n_is_content")
    if t.right_edge.i == j:
        feats.append("t_subtree_end")
    for k in range(min(j, rule_end) + 1, max(j, rule_end) + 1):
        feats.append(f"x_rel={_relation(doc[k], cue)}|{'out' if j > rule_end else 'in'}")
        if doc[k].ent_type_ in ("DATE", "TIME"):
            feats.append("x_time")
    return sorted(set(feats))


def extent_candidates(doc: Any, span: Frag, head: Any, blocked: list[Frag], left: int = _CUE_REACH,
                      right: int = _CUE_REACH) -> tuple[int, int, list[int], list[int]]:
    """(rule start token, rule end token, start candidates, end candidates) of a cue's or a source's extent: up to
    ``left`` tokens before it and ``right`` after it within the sentence, never entering the other roles, and
    never losing the head."""
    rng = _tok_range(doc, span)
    if rng is None:
        return head.i, head.i, [], []
    lo, hi = rng
    sent = sentence_of(head)
    starts = [lo]
    for j in range(lo - 1, max(sent.start, lo - left) - 1, -1):
        if _hits(doc[j], blocked) or "\n" in doc[j].text_with_ws or doc[j].text in ".;\"“”":
            break
        starts.append(j)
    starts += range(lo + 1, min(hi, head.i) + 1)
    ends = [hi]
    for j in range(hi + 1, min(sent.end, hi + 1 + right)):
        if _hits(doc[j], blocked) or "\n" in doc[j - 1].text_with_ws or doc[j].text in ".;\"“”":
            break
        ends.append(j)
    ends += range(max(lo, head.i), hi)
    return lo, hi, [j for j in starts if not doc[j].is_space], [j for j in ends if not doc[j].is_space]


Featured = list[tuple[int, list[str]]]


def extent_setting(doc: Any, span: Frag, head: Any, lemma: str, blocked: list[Frag], next_start: int,
                   right: int = _CUE_REACH) -> tuple[Featured, Featured]:
    """The featured candidates of an extent's start and end."""
    lo, hi, starts, ends = extent_candidates(doc, span, head, blocked, right=right)
    return ([(j, extent_start_features(doc, j, lo, head, lemma)) for j in starts],
            [(j, extent_end_features(doc, j, hi, head, lemma, next_start)) for j in ends])


def _start_token(doc: Any, frag: Frag) -> int:
    rng = _tok_range(doc, frag)
    return rng[0] if rng is not None else -1


def cue_setting(doc: Any, cue_span: Frag, cue: Any, lemma: str, content: tuple[Frag, ...], source: Frag | None,
                fences: tuple[Frag, ...] = ()) -> tuple[Featured, Featured]:
    """The featured candidates of a cue's start and end."""
    blocked = [*content, *fences] + ([source] if source is not None else [])
    return extent_setting(doc, cue_span, cue, lemma, blocked, _start_token(doc, content[0]))


#: a source may run on over an appositive or a relative clause ("Scott Pruitt, the attorney general of Oklahoma,")
_SOURCE_REACH = 20


def source_setting(doc: Any, source: Frag, head: Any, lemma: str, cue_span: Frag, content: tuple[Frag, ...],
                   fences: tuple[Frag, ...] = ()) -> tuple[Featured, Featured]:
    """The featured candidates of a source's start and end."""
    return extent_setting(doc, source, head, lemma, [cue_span, *content, *fences], _start_token(doc, cue_span),
                          right=_SOURCE_REACH)


def _choose(doc: Any, span: Frag, head: Any, starts: Featured, ends: Featured, w_start: dict[str, float],
            w_end: dict[str, float]) -> Frag:
    if not w_start or not w_end or not starts or not ends:
        return span
    a = BoundaryModel.best(w_start, starts)
    b = BoundaryModel.best(w_end, ends)
    if a > head.i or b < head.i:
        return span
    return doc[a].idx, doc[b].idx + len(doc[b].text)


def refine_cue(doc: Any, cue_span: Frag, cue: Any, lemma: str, content: tuple[Frag, ...], source: Frag | None,
               model: BoundaryModel, fences: tuple[Frag, ...] = ()) -> Frag:
    """The cue's extent where the model puts it (the head always stays inside)."""
    starts, ends = cue_setting(doc, cue_span, cue, lemma, content, source, fences)
    return _choose(doc, cue_span, cue, starts, ends, model.cue_start_weights, model.cue_end_weights)


def refine_source(doc: Any, source: Frag, head: Any, lemma: str, cue_span: Frag, content: tuple[Frag, ...],
                  model: BoundaryModel, fences: tuple[Frag, ...] = ()) -> Frag:
    """The source's extent where the model puts it (its head always stays inside)."""
    starts, ends = source_setting(doc, source, head, lemma, cue_span, content, fences)
    return _choose(doc, source, head, starts, ends, model.source_start_weights, model.source_end_weights)


@lru_cache(maxsize=1)
def load_boundary_model() -> BoundaryModel | None:
    """The packaged model (``data/content_model.json``), or ``None`` when it is absent."""
    data = packaged_weights("content_model.json")
    if data is None:
        return None
    return BoundaryModel(end_weights=data["end_weights"], start_weights=data["start_weights"],
                         meta=data.get("meta", {}), cue_start_weights=data.get("cue_start_weights", {}),
                         cue_end_weights=data.get("cue_end_weights", {}),
                         source_start_weights=data.get("source_start_weights", {}),
                         source_end_weights=data.get("source_end_weights", {}))
