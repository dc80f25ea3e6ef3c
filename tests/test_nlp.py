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


def _sentences(text: str, k: int) -> str:
    return (f"Ada Brook said on Monday that the harbour {k} would reopen. "
            f"The council wants more figures.\n\nJon Vell disagreed with her about ferry {k}.")


def test_parse_in_worker_processes_gives_the_same_parses(monkeypatch):
    from crossnews.core import nlp
    from crossnews.core.nlp import PARSE_FORK_MIN

    monkeypatch.setattr(nlp.threading, "active_count", lambda: 1)  # (threads other tests left behind)
    monkeypatch.setattr(nlp.os, "cpu_count", lambda: 2)
    texts = [_sentences("", k) for k in range(PARSE_FORK_MIN + 2)]
    here = list(parse(texts))
    forked = list(parse(texts, processes=2))
    assert [[(t.text, t.tag_, t.dep_, t.head.i, t.ent_type_, t.is_sent_start) for t in d] for d in forked] == \
        [[(t.text, t.tag_, t.dep_, t.head.i, t.ent_type_, t.is_sent_start) for t in d] for d in here]
    assert all(doc_text(d) == t for d, t in zip(forked, texts, strict=True))


def test_parse_forks_only_for_a_batch_in_a_process_with_no_other_thread(monkeypatch):

    from crossnews.core import nlp

    model = nlp.load_nlp()
    real_pipe = type(model).pipe
    asked: list[int] = []

    class Recording(type(model)):  # type: ignore[misc]
        def pipe(self, texts, **kw):  # type: ignore[no-untyped-def]
            asked.append(kw.get("n_process", 1))
            yield from real_pipe(self, texts, **{**kw, "n_process": 1})

    monkeypatch.setattr(model, "__class__", Recording)
    monkeypatch.setattr(nlp.os, "cpu_count", lambda: 2)
    threads = [1]
    monkeypatch.setattr(nlp.threading, "active_count", lambda: threads[0])
    many = [_sentences("", k) for k in range(nlp.PARSE_FORK_MIN)]
    list(parse(many, processes=2))
    list(parse(many[:3], processes=2))  # a few texts: here
    threads[0] = 2
    list(parse(many, processes=2))  # another thread runs (the web app's): here
    assert asked == [2, 1, 1]


def test_extraction_is_the_same_with_one_or_two_parse_processes(monkeypatch):
    from crossnews.clean import clean
    from crossnews.core import nlp
    from crossnews.core.nlp import PARSE_FORK_MIN
    from crossnews.core.settings import DEFAULTS
    from crossnews.extract import extract
    from crossnews.ingest import RawInput

    monkeypatch.setattr(nlp.threading, "active_count", lambda: 1)
    monkeypatch.setattr(nlp.os, "cpu_count", lambda: 2)
    docs = [clean(RawInput(f"d{k}.txt", "Harbour vote delayed\n\n" + _sentences("", k) + "\n", "text", "file", {}))
            for k in range(PARSE_FORK_MIN + 1)]
    one = extract(docs, DEFAULTS.replace(parse_processes=1))
    two = extract(docs, DEFAULTS.replace(parse_processes=2))
    assert one == two and all(x.statements for x in one)
