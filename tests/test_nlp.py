"""The parse helpers: a parse from ``nlp.parse`` keeps the text it was given, which is the text its tokens join to."""

from __future__ import annotations

from crossnews.core.nlp import doc_text, parse

TEXTS = [
    "",
    "  leading and trailing  spaces  ",
    "Lines\r\nwith CRLF,\ttabs\tand\n\n\nblank lines.\n",
    "Accents: café, naïve, e\u0301 (combining), emoji 🙂, \u00a0no-break space, \u2028line separator.",
    '"Quoted," he said. \u201cCurly\u201d \u2014 dashes \u2013 and more...',
]


def test_parse_keeps_the_text_its_tokens_join_to():
    docs = list(parse(TEXTS, batch_size=2))
    assert len(docs) == len(TEXTS)
    for text, doc in zip(TEXTS, docs, strict=True):
        assert doc_text(doc) == text == doc.text
