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
from itertools import repeat
from typing import Any

from crossnews.core.nlp import sentence_index
from crossnews.extract.linear import packaged_weights

__all__ = ["BoundaryModel", "end_candidates", "start_candidates", "end_features", "start_features",
           "load_boundary_model", "refine_content", "content_setting",
           "cue_setting", "refine_cue", "source_setting", "refine_source"]

Frag = tuple[int, int]

_QUOTE_CHARS = set("\"'“”‘’«»„‟")
#: typographic marks that only open (a content never ends on one) or only close (it never starts on one)
_OPENING = {"“", "‘", "«", "„", "‟"}
_CLOSING = {"”", "’", "»"}
_WORDS = {
    "and", "but", "or", "while", "although", "though", "as", "because", "after", "before", "when", "which", "who",
    "that", "if", "since", "until", "where", "so", "than", "to", "in", "on", "at", "for", "with", "by", "of",
    "from", "saying", "adding", "according", "even", "not", "also", "then", "the", "a", "an", "it", "he", "she",
    "they", "we", "i", "you", "this", "there", "said", "says", "told", "including", "despite", "during", "amid",
}
_MARKS = {",": "comma", ";": "semi", ":": "colon", "—": "dash", "–": "dash", "―": "dash", "-": "hyphen", "--": "dash",
          "(": "lparen", ")": "rparen", ".": "period", "?": "qmark", "!": "bang", "...": "ellipsis", "…": "ellipsis"}


def _word_of(low: str, pos: str) -> str:
    if low in _MARKS:
        return _MARKS[low]
    if low and all(c in _QUOTE_CHARS for c in low):
        return "quote"
    if low in _WORDS:
        return low
    return f"<{pos}>"


def _word(tok: Any) -> str:
    return _word_of(str(tok.lower_), str(tok.pos_))


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


#: the token attributes the table reads with one ``Doc.to_array`` call
_COLUMNS = ["LOWER", "POS", "DEP", "HEAD", "IS_PUNCT", "IS_SPACE", "SENT_START", "IDX", "LENGTH", "ORTH", "ENT_TYPE"]


class _Table:
    """The token attributes the boundary features read, as plain lists indexed by token, built once per document
    from one ``Doc.to_array`` call (going through spaCy's ``Doc[i]`` for each of the thousands of candidates of a
    document is what was slow)."""

    __slots__ = ("word", "lower", "pos", "dep", "head", "kids", "left", "right", "newline", "sent_start", "punct",
                 "space", "start", "end", "text", "ent", "sent_first", "sent_end")

    def __init__(self, doc: Any) -> None:
        size = len(doc)
        strings = doc.vocab.strings
        cols: list[list[int]] = [[] for _ in _COLUMNS]
        rel_head: list[int] = []
        if size:
            array = doc.to_array(_COLUMNS)  # unsigned: string hashes, and the heads' offsets wrapped
            cols = array.T.tolist()
            rel_head = array[:, _COLUMNS.index("HEAD")].astype("int64").tolist()
        low, pos, dep, _, punct, space, sent_start, idx, length, orth, ent = cols
        self.lower = [str(strings[h]) for h in low]
        self.pos = [str(strings[p]) for p in pos]
        self.word = [_word_of(w, p) for w, p in zip(self.lower, self.pos, strict=True)]
        self.dep = [str(strings[h]) for h in dep]
        self.head = [k + r for k, r in enumerate(rel_head)]
        self.text = [str(strings[h]) for h in orth]
        self.ent = [str(strings[h]) for h in ent]
        self.newline = ["\n" in t for t in self.text]  # a token's trailing whitespace is at most one space
        self.sent_start = [s == 1 for s in sent_start]
        self.punct = [bool(p) for p in punct]
        self.space = [bool(s) for s in space]
        self.start = idx
        self.end = [i + n for i, n in zip(idx, length, strict=True)]
        # subtree edges from the heads: children are folded into their heads, deepest first
        head = self.head
        self.kids: list[list[int]] = [[] for _ in range(size)]
        depth = [0] * size
        for k in range(size):
            if head[k] != k:
                self.kids[head[k]].append(k)
            h, d = k, 0
            while head[h] != h and d <= size:
                h, d = head[h], d + 1
            depth[k] = d
        self.left, self.right = list(range(size)), list(range(size))
        sents, index = sentence_index(doc)
        blanked = {s.start for s in sents if s.end - s.start > 1 and _blank(self.text[s.start])}
        for k in sorted(range(size), key=depth.__getitem__, reverse=True):
            h = head[k]
            if h != k and k not in blanked:  # a blanked dateline opening the sentence is no word's phrase
                self.left[h] = min(self.left[h], self.left[k])
                self.right[h] = max(self.right[h], self.right[k])
        starts, ends = [s.start for s in sents], [s.end for s in sents]
        for n, (a, b) in enumerate(zip(starts, ends, strict=True)):
            k = a
            while k + 1 < b and _blank(self.text[k]):  # a blanked dateline before the sentence
                k += 1
            if k != a:
                starts[n] = k
                self.sent_start[k] = True
        self.sent_first = [starts[n] for n in index]
        self.sent_end = [ends[n] for n in index]

    def hits(self, k: int, spans: list[Frag]) -> bool:
        """Whether token ``k`` overlaps one of the character spans."""
        a, b = self.start[k], self.end[k]
        return any(a < s1 and s0 < b for s0, s1 in spans)


def _blank(text: str) -> bool:
    """Whether a token is the run of spaces that cleaning leaves where it blanked a dateline ("MOSCOW, August 19.
    /TASS/."): spaces only, no line break (a paragraph's "\n\n" token is the model's to weigh as trained)."""
    return len(text) > 1 and not text.strip(" ")


def _table(doc: Any) -> _Table:
    table = doc.user_data.get("crossnews_boundary_table")
    if table is None or len(table.word) != len(doc):
        table = _Table(doc)
        doc.user_data["crossnews_boundary_table"] = table
    return table  # type: ignore[no-any-return]


_CROSSED = {"comma", "semi", "colon", "dash", "lparen", "rparen", "period", "quote", "and", "but", "while", "which",
            "who", "saying", "adding", "according", "as", "because", "after", "when", "including"}


def _crossing(tb: _Table, k: int, first: bool) -> list[str]:
    """What crossing token ``k`` adds to :func:`_between`'s marks (``first``: ``k`` is the first token crossed,
    whose starting a sentence does not count)."""
    out = []
    w = tb.word[k]
    if w in _CROSSED:
        out.append(f"x_{w}")
    if tb.sent_start[k] and not first:
        out.append("x_sent")
    if tb.newline[k]:
        out.append("x_newline")
    return out


def _between(doc: Any, a: int, b: int) -> list[str]:
    """Marks and words crossed between token indices a and b (exclusive of a, inclusive of b)."""
    tb = _table(doc)
    lo, hi = (a + 1, b + 1) if b > a else (b + 1, a + 1)
    feats: set[str] = set()
    for k in range(max(lo, 0), min(hi, len(tb.word))):
        feats.update(_crossing(tb, k, k == lo))
    return sorted(feats)


def _betweens(tb: _Table, a: int, targets: list[int]) -> dict[int, list[str]]:
    """``_between(doc, a, b)`` for every ``b`` of ``targets``, each token crossed looked at once (sweeping out
    from ``a`` both ways)."""
    out: dict[int, list[str]] = {}
    above = sorted(b for b in targets if b > a)
    below = sorted((b for b in targets if b < a), reverse=True)
    if a in targets:
        out[a] = []
    feats: set[str] = set()  # grows with b: the tokens a+1 .. b
    k = a + 1
    for b in above:
        while k <= b:
            feats.update(_crossing(tb, k, k == a + 1))
            k += 1
        out[b] = sorted(feats)
    feats = set()  # the tokens b+2 .. a, none of them first; b+1 is added as the first
    k = a
    for b in below:
        while k > b + 1:
            feats.update(_crossing(tb, k, False))
            k -= 1
        out[b] = sorted(feats.union(_crossing(tb, b + 1, True)))
    return out


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
    return _open(sum(1 for _ in _hanging(doc, lo, hi)))


def _open(hanging: int) -> str:
    return str(min(hanging, 3))


def _openness_right(tb: _Table, lo: int, targets: list[int]) -> dict[int, str]:
    """``_openness(doc, lo, j)`` for every ``j`` of ``targets`` (none below ``lo``), growing the range rightwards:
    token j hangs when its head is outside [lo, j] or itself; j's children in the range stop hanging."""
    out: dict[int, str] = {}
    head, kids = tb.head, tb.kids
    count = 0
    j = lo
    for target in sorted(targets):
        while j <= target:
            if head[j] < lo or head[j] >= j:
                count += 1
            count -= sum(1 for k in kids[j] if lo <= k < j)
            j += 1
        out[target] = _open(count)
    return out


def _openness_left(tb: _Table, hi: int, targets: list[int]) -> dict[int, str]:
    """``_openness(doc, j, hi)`` for every ``j`` of ``targets`` (none above ``hi``), growing the range leftwards."""
    out: dict[int, str] = {}
    head, kids = tb.head, tb.kids
    count = 0
    j = hi
    for target in sorted(targets, reverse=True):
        while j >= target:
            if head[j] <= j or head[j] > hi:
                count += 1
            count -= sum(1 for k in kids[j] if j < k <= hi)
            j -= 1
        out[target] = _open(count)
    return out


def _common(att_rule: str, cue: Any) -> list[str]:
    """What all candidates of one choice share: the rule, the cue's lemma (``common[1]``, which the features pair
    with what varies) and its dependency."""
    rule = att_rule.split("+")[0]
    return [f"rule={rule}", f"cue={cue.lemma_.lower()}", f"cue_dep={cue.dep_}"]


def end_features(doc: Any, j: int, rule_end: int, lo: int, cue: Any, att_rule: str, rule_root: Any | None) -> list[str]:
    """Features of the content ending after token ``j`` (the rule ends after ``rule_end``; the content's last
    fragment starts at token ``lo``)."""
    return _end_features(_table(doc), j, rule_end, lo, cue.i, _common(att_rule, cue), att_rule.split("+")[0],
                         None if rule_root is None else rule_root.i, _openness(doc, lo, j), _between(doc, rule_end, j))


def _attached(tb: _Table, k: int, c: int, r: int | None) -> str:
    """Where token ``k`` hangs: from the cue itself, inside the rule root's subtree, or elsewhere."""
    if tb.head[k] == c:
        return f"cue:{tb.dep[k]}"
    if r is not None and tb.left[r] <= k <= tb.right[r]:
        return "root"
    return "other"


def _end_features(tb: _Table, j: int, rule_end: int, lo: int, c: int, common: list[str], rule: str, r: int | None,
                  roots: str, crossed: list[str]) -> list[str]:
    """:func:`end_features` given what the candidates of one content share (``common``, the ``rule``, the rule
    root's index ``r``) and the candidate's ``_openness`` and ``_between`` marks."""
    word, dep, head = tb.word, tb.dep, tb.head
    size = len(word)
    n = j + 1 if j + 1 < size else None
    d = _bucket(j - rule_end)
    tw, nw = word[j], (word[n] if n is not None else "</d>")
    feats = ["bias", f"d={d}", f"t={tw}", f"t_dep={dep[j]}", f"n={nw}", f"t_n={tw}|{nw}"]
    if j == rule_end:
        feats.append("rule_end")
    sent_end = tb.sent_end[j]
    if n is not None:
        n_in = lo <= head[n] <= j
        feats += [f"n_dep={dep[n]}", f"n_head_in={n_in}", f"n_dep_in={dep[n]}|{n_in}"]
        n_at = _attached(tb, n, c, r)
        feats += [f"n_at={n_at}", f"n_at_w={n_at}|{nw}", f"{rule}|n_at={n_at}", f"{common[1]}|n={nw}"]
        if tb.sent_start[n] or n == sent_end:
            feats.append("n_sent_start")
        if tb.newline[j]:
            feats.append("t_newline")
        if j + 2 < size:
            feats.append(f"n_nn={nw}|{word[j + 2]}")
    else:
        feats.append("doc_end")
    if j == sent_end - 1 or (n is not None and tb.punct[n] and n == sent_end - 1):
        feats.append("sent_last")
    if r is not None:
        if j == tb.right[r]:
            feats.append("root_right_edge")
        if head[j] == r:
            feats.append(f"t_child_of_root={dep[j]}")
        if n is not None and head[n] == r:
            feats.append(f"n_child_of_root={dep[n]}")
    if head[j] == j or tb.right[j] == j:
        feats.append("t_subtree_end")
    feats += [f"open={roots}", f"open_n={roots}|{nw}", f"t_n_dep={dep[j]}|{dep[n] if n is not None else '</d>'}"]
    side = "out" if j > rule_end else "in"
    feats += [f"{x}|{side}" for x in crossed]
    feats += common
    feats += [f"{rule}|d={d}", f"{rule}|n={nw}", f"{rule}|t={tw}"]
    if j > rule_end:
        feats += [f"{rule}|grow", f"{common[1]}|grow"]
    elif j < rule_end:
        feats += [f"{rule}|shrink", f"{common[1]}|shrink"]
    return feats


def start_features(doc: Any, j: int, rule_start: int, hi: int, cue: Any, att_rule: str,
                   rule_root: Any | None) -> list[str]:
    """Features of the content starting at token ``j`` (the rule starts at ``rule_start``; the content's first
    fragment ends at token ``hi``)."""
    return _start_features(_table(doc), j, rule_start, hi, cue.i, _common(att_rule, cue), att_rule.split("+")[0],
                           None if rule_root is None else rule_root.i, _openness(doc, j, hi),
                           _between(doc, rule_start - 1, j - 1))


def _start_features(tb: _Table, j: int, rule_start: int, hi: int, c: int, common: list[str], rule: str,
                    r: int | None, roots: str, crossed: list[str]) -> list[str]:
    """:func:`start_features` given what the candidates of one content share (the cue's index ``c``, ``common``,
    the ``rule``, the rule root's index ``r``) and the candidate's ``_openness`` and ``_between`` marks."""
    word, dep, head = tb.word, tb.dep, tb.head
    p = j - 1 if j > 0 and not (_blank(tb.text[j - 1]) and j == tb.sent_first[j]) else None  # a blanked dateline
    d = _bucket(j - rule_start)
    tw, pw = word[j], (word[p] if p is not None else "<d>")
    feats = ["bias", f"d={d}", f"t={tw}", f"t_dep={dep[j]}", f"p={pw}", f"p_t={pw}|{tw}"]
    if j == rule_start:
        feats.append("rule_start")
    if tb.sent_start[j] or j == tb.sent_first[j]:
        feats.append("t_sent_start")
    if p is not None:
        feats += [f"p_dep={dep[p]}", f"t_head_in={j <= head[j] <= hi}"]
        if tb.newline[p]:
            feats.append("p_newline")
        if j >= 2:
            feats.append(f"pp_p={word[j - 2]}|{pw}")
        p_at = _attached(tb, p, c, r)
        feats += [f"p_at={p_at}", f"p_at_w={p_at}|{pw}", f"{rule}|p_at={p_at}", f"{common[1]}|p={pw}"]
    if head[j] == c:
        feats.append(f"t_child_of_cue={dep[j]}")
    if r is not None:
        if j == tb.left[r]:
            feats.append("root_left_edge")
        if head[j] == r:
            feats.append(f"t_child_of_root={dep[j]}")
        if j == r:
            feats.append("t_is_root")
    if tb.left[j] == j:
        feats.append("t_subtree_start")
    feats += [f"open={roots}", f"open_p={roots}|{pw}", f"p_t_dep={dep[p] if p is not None else '<d>'}|{dep[j]}"]
    if j > c:
        feats.append("after_cue")
    side = "out" if j < rule_start else "in"
    feats += [f"{x}|{side}" for x in crossed]
    feats += common
    feats += [f"{rule}|d={d}", f"{rule}|p={pw}", f"{rule}|t={tw}", f"{rule}|tdep={dep[j]}"]
    if j < rule_start:
        feats += [f"{rule}|grow", f"{common[1]}|grow"]
    elif j > rule_start:
        feats += [f"{rule}|shrink", f"{common[1]}|shrink"]
    return feats


def _blocked(cue_span: Frag, source: Frag | None, other: Iterable[Frag]) -> list[Frag]:
    spans = [cue_span, *other]
    if source is not None:
        spans.append(source)
    return spans


def end_candidates(doc: Any, lo: int, rule_end: int, blocked: list[Frag]) -> list[int]:
    """Token indices the content may end after: from its last fragment's first token to the end of the
    sentence (or the next sentence of the paragraph), never entering the cue, the source or another fragment."""
    tb = _table(doc)
    limit = tb.sent_end[rule_end]
    if limit < len(tb.word) and not tb.newline[limit - 1]:
        limit = tb.sent_end[limit]
    out = []
    for j in range(lo, max(limit, rule_end + 1)):
        if j > rule_end and (tb.hits(j, blocked) or tb.newline[j - 1]):
            break
        if not tb.space[j] and (tb.text[j] not in _OPENING or j == rule_end):
            out.append(j)
    return out


def start_candidates(doc: Any, hi: int, rule_start: int, blocked: list[Frag]) -> list[int]:
    """Token indices the content may start at: from the sentence's start (or the previous sentence's, in the same
    paragraph) to its first fragment's last token, never entering the cue, the source or another fragment."""
    tb = _table(doc)
    limit = tb.sent_first[rule_start]
    if limit > 0 and not tb.newline[limit - 1]:
        limit = tb.sent_first[limit - 1]
    out = []
    for j in range(hi, min(limit, rule_start) - 1, -1):
        if j < rule_start and (tb.hits(j, blocked) or tb.newline[j]):
            break
        if not tb.space[j] and (tb.text[j] not in _CLOSING or j == rule_start):
            out.append(j)
    return out


Featured = list[tuple[int, list[str]]]


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
        return sum(map(weights.get, feats, repeat(0.0)))  # the weights in the features' order

    @staticmethod
    def best(weights: dict[str, float], cands: Featured) -> int:
        """The candidate scored highest (the first of equals)."""
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
        self.common = _common(rule, cue)
        self.rule_name = rule.split("+")[0]
        self.root_i = None if self.root is None else self.root.i

    def ends(self) -> Featured:
        tb = _table(self.doc)
        cands = end_candidates(self.doc, self.lo, self.rule_end, self.end_block)
        roots = _openness_right(tb, self.lo, cands)
        crossed = _betweens(tb, self.rule_end, cands)
        return [(j, _end_features(tb, j, self.rule_end, self.lo, self.cue.i, self.common, self.rule_name, self.root_i,
                                  roots[j], crossed[j])) for j in cands]

    def starts(self, end: int) -> Featured:
        tb = _table(self.doc)
        hi = self.hi if len(self.content) > 1 else end
        cands = start_candidates(self.doc, hi, self.rule_start, self.start_block)
        roots = _openness_left(tb, hi, cands)
        crossed = _betweens(tb, self.rule_start - 1, [j - 1 for j in cands])
        return [(j, _start_features(tb, j, self.rule_start, hi, self.cue.i, self.common, self.rule_name, self.root_i,
                                    roots[j], crossed[j - 1])) for j in cands]


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
#: a token in these stops a cue's or a source's extent (as a substring: the empty token text too)
_EXTENT_STOPS = ".;\"“”"


class _Relations:
    """Each token's relation in the parse to an extent's head (``cue``), worked out once per token."""

    def __init__(self, tb: _Table, cue: int) -> None:
        self.tb, self.cue = tb, cue
        self.memo: dict[int, str] = {}

    def __call__(self, k: int) -> str:
        rel = self.memo.get(k)
        if rel is None:
            rel = self.memo[k] = self._relation(k)
        return rel

    def _relation(self, k: int) -> str:
        head, dep, c = self.tb.head, self.tb.dep, self.cue
        if k == c:
            return "cue"
        if head[k] == c:
            return f"child:{dep[k]}"
        if head[c] == k:
            return f"parent:{dep[c]}"
        if head[k] == head[c] and head[c] != c:
            return f"sibling:{dep[k]}"
        a = k
        for _ in range(len(head)):  # the ancestors, as spaCy's Token.ancestors walks them
            if head[a] == a:
                break
            a = head[a]
            if a == c:
                return "below"
        return "other"


def extent_start_features(doc: Any, j: int, rule_start: int, cue: Any, lemma: str) -> list[str]:
    """Features of a cue's (or a source's) extent starting at token ``j``; ``cue`` is its head."""
    tb = _table(doc)
    return _extent_start_features(tb, j, rule_start, _Relations(tb, cue.i), lemma)


def _extent_start_features(tb: _Table, j: int, rule_start: int, relation: _Relations, lemma: str) -> list[str]:
    p = j - 1 if j > 0 and not (_blank(tb.text[j - 1]) and j == tb.sent_first[j]) else None
    d = _bucket(j - rule_start)
    rel = relation(j)
    tw, pos = tb.word[j], tb.pos[j]
    feats = ["bias", f"d={d}", f"t={tw}", f"t_pos={pos}", f"rel={rel}", f"rel_pos={rel}|{pos}",
             f"p={tb.word[p] if p is not None else '<d>'}", f"lemma_d={lemma}|{d}"]
    if j == rule_start:
        feats.append("rule_start")
    if pos == "ADV":
        feats.append(f"adv={tb.lower[j]}")
    side = "out" if j < rule_start else "in"
    for k in range(min(j, rule_start), max(j, rule_start)):
        feats.append(f"x_rel={relation(k)}|{side}")
    return sorted(set(feats))


def extent_end_features(doc: Any, j: int, rule_end: int, cue: Any, lemma: str, content_start: int) -> list[str]:
    """Features of an extent ending after token ``j``; ``content_start`` is the token the next role starts at."""
    tb = _table(doc)
    return _extent_end_features(doc, tb, j, rule_end, _Relations(tb, cue.i), lemma, content_start)


def _extent_end_features(doc: Any, tb: _Table, j: int, rule_end: int, relation: _Relations, lemma: str,
                         content_start: int) -> list[str]:
    n = j + 1 if j + 1 < len(tb.word) else None
    d = _bucket(j - rule_end)
    rel = relation(j)
    tw, nw, pos = tb.word[j], (tb.word[n] if n is not None else "</d>"), tb.pos[j]
    feats = ["bias", f"d={d}", f"t={tw}", f"t_pos={pos}", f"rel={rel}", f"rel_pos={rel}|{pos}", f"n={nw}",
             f"lemma_d={lemma}|{d}", f"lemma_t={lemma}|{tw}"]
    if j == rule_end:
        feats.append("rule_end")
    if tb.ent[j]:
        feats.append(f"t_ent={tb.ent[j]}")
    if n is not None and n == content_start:
        feats.append("n_is_content")
    if doc[j].right_edge.i == j:  # spaCy's own edge (the table's, from the heads, serves the content features)
        feats.append("t_subtree_end")
    side = "out" if j > rule_end else "in"
    for k in range(min(j, rule_end) + 1, max(j, rule_end) + 1):
        feats.append(f"x_rel={relation(k)}|{side}")
        if tb.ent[k] in ("DATE", "TIME"):
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
    tb = _table(doc)
    starts = [lo]
    for j in range(lo - 1, max(tb.sent_first[head.i], lo - left) - 1, -1):
        if tb.hits(j, blocked) or tb.newline[j] or tb.text[j] in _EXTENT_STOPS:
            break
        starts.append(j)
    starts += range(lo + 1, min(hi, head.i) + 1)
    ends = [hi]
    for j in range(hi + 1, min(tb.sent_end[head.i], hi + 1 + right)):
        if tb.hits(j, blocked) or tb.newline[j - 1] or tb.text[j] in _EXTENT_STOPS:
            break
        ends.append(j)
    ends += range(max(lo, head.i), hi)
    return lo, hi, [j for j in starts if not tb.space[j]], [j for j in ends if not tb.space[j]]


def extent_setting(doc: Any, span: Frag, head: Any, lemma: str, blocked: list[Frag], next_start: int,
                   right: int = _CUE_REACH) -> tuple[Featured, Featured]:
    """The featured candidates of an extent's start and end."""
    lo, hi, starts, ends = extent_candidates(doc, span, head, blocked, right=right)
    tb = _table(doc)
    relation = _Relations(tb, head.i)
    return ([(j, _extent_start_features(tb, j, lo, relation, lemma)) for j in starts],
            [(j, _extent_end_features(doc, tb, j, hi, relation, lemma, next_start)) for j in ends])


def _start_token(doc: Any, frag: Frag) -> int:
    rng = _tok_range(doc, frag)
    return rng[0] if rng is not None else -1


def cue_setting(doc: Any, cue_span: Frag, cue: Any, lemma: str, content: tuple[Frag, ...], source: Frag | None,
                fences: tuple[Frag, ...] = ()) -> tuple[Featured, Featured]:
    """The featured candidates of a cue's start and end."""
    blocked = [*content, *fences] + ([source] if source is not None else [])
    return extent_setting(doc, cue_span, cue, lemma, blocked, _start_token(doc, content[0]))


#: a source may run on over an appositive or a relative clause ("Ilse Varn, the attorney general of Tarnov,")
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
