"""quotes.tagger.v1: the learned tagger's windows and decoding, its run without torch, and the merge with the rules
(which must never lose a rules statement or its speaker)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from crossnews.core.records import Document, Span
from crossnews.extract import tagger as tg

needs_weights = pytest.mark.skipif(not tg.weights_available(),
                                   reason="no tagger weights (data/tagger_minilm_int8.onnx): run `make train-tagger`")

TEXTS = [
    '"We will not back down," Mayor Ilse Varga said on Tuesday. The council, she added, would vote next week.',
    "A senior official, who asked not to be named, said the talks had stalled. The official told reporters that "
    "a deal was still possible.",
    "According to the Harbour Gazette, the ferry will stop running in May. Critics argued the plan was rushed.",
    'Oskar Lind, the port director, said in an interview with Radio Nord that "nobody was told." He denied that '
    "the decision had been made in secret.",
]


def _doc(text: str, doc_id: str = "d1") -> Document:
    return Document(id=doc_id, source=f"{doc_id}.txt", format="text", text=text, content_hash=doc_id * 4,
                    body=Span(0, len(text)), language="en")


def test_decode_chunks_bio_tags():
    lab = {t: i for i, t in enumerate(tg.LABELS)}
    tags = ["B-CON", "I-CON", "O", "B-SRC", "B-CUE", "I-CON", "B-CON", "I-CON"]
    offsets = [(i * 2, i * 2 + 1) for i in range(len(tags))]
    chunks = tg.decode([lab[t] for t in tags], offsets, list(range(len(tags))))
    assert chunks == [("content", 0, 3), ("source", 6, 7), ("cue", 8, 9), ("content", 10, 11), ("content", 12, 15)]
    # a gap in the tagged tokens (an untagged sentence) ends a chunk
    assert tg.decode([lab["B-CON"], lab["I-CON"]], offsets, [0, 3]) == [("content", 0, 1), ("content", 6, 7)]


def test_windows_hold_the_sentence_with_its_context():
    offsets = [(i, i + 1) for i in range(30)]
    ids = list(range(1000, 1030))
    sentences = [(0, 10), (10, 20), (20, 30)]
    settings = tg.TaggerSettings(max_len=20, before=4, after=3)  # 10 tokens of the sentence at most
    (w,) = tg.build_windows(offsets, ids, sentences, [1], settings)
    assert w.tokens == tuple(range(10, 20))
    assert w.ids[:6] == (tg.CLS, 1006, 1007, 1008, 1009, tg.SEP)
    assert w.ids[w.first:w.first + 10] == tuple(range(1010, 1020))
    assert w.ids[w.first + 10:] == (tg.SEP, 1020, 1021, 1022)
    long = tg.build_windows(offsets, ids, [(0, 30)], [0], settings)
    assert [x.tokens[0] for x in long] == [0, 10, 20] and sum(len(x.tokens) for x in long) == 30


def test_tagged_attributions_group_roles_around_each_cue():
    chunks = [("content", 0, 20), ("source", 22, 30), ("cue", 31, 35), ("source", 50, 55), ("cue", 56, 60),
              ("content", 61, 90)]
    atts = tg.tagged_attributions(chunks, [(0, 40), (41, 95)])
    assert [(a.cue, a.source, a.content) for a in atts] == [((31, 35), (22, 30), ((0, 20),)),
                                                            ((56, 60), (50, 55), ((61, 90),))]


def test_merge_keeps_rules_statements_and_speakers_with_clashing_tags():
    from crossnews.core.nlp import load_nlp
    from crossnews.extract.statements import extract_statements

    text = TEXTS[1]
    doc, sdoc = _doc(text), load_nlp()(text)
    rules, refs = extract_statements(doc, sdoc)
    assert rules
    sentences = [(s.start_char, s.end_char) for s in sdoc.sents]
    # tags that clash with everything: a content over the cue, a cue inside the content
    said = text.index("said")
    chunks = [("cue", said, said + 4, 0.9), ("content", 0, len(text), 0.9), ("source", said, said + 4, 0.9)]
    merged, merged_refs = tg.merge(doc, sdoc, rules, refs, sentences, chunks)
    by_id = {s.id: (s, r) for s, r in zip(merged, merged_refs, strict=True)}
    for st, ref in zip(rules, refs, strict=True):
        assert st.id in by_id
        got, got_ref = by_id[st.id]
        assert got.speaker.entity == st.speaker.entity and got.speaker.anonymous == st.speaker.anonymous
        assert got_ref == ref


@needs_weights
def test_tagger_tags_a_quote():
    from crossnews.core.nlp import load_nlp

    text = TEXTS[0]
    sdoc = load_nlp()(text)
    tagger = tg.load_tagger()
    assert tagger is not None
    _, chunks = tg.tag_document(sdoc, tagger)
    roles = {(r, text[s:e]) for r, s, e, _ in chunks}
    assert ("cue", "said") in roles
    assert any(r == "content" and "We will not back down" in t for r, t in roles)


@needs_weights
@pytest.mark.parametrize("text", TEXTS)
def test_merge_never_loses_a_rules_statement_or_its_speaker(text):
    from crossnews.core.nlp import load_nlp
    from crossnews.extract.statements import extract_statements

    doc, sdoc = _doc(text), load_nlp()(text)
    rules, refs = extract_statements(doc, sdoc)
    merged, merged_refs = tg.extract_statements(doc, sdoc)
    by_id = {s.id: (s, r) for s, r in zip(merged, merged_refs, strict=True)}
    for st, ref in zip(rules, refs, strict=True):
        got, got_ref = by_id[st.id]
        assert (got.speaker.entity, got.speaker.anonymous, got.speaker.description) == \
            (st.speaker.entity, st.speaker.anonymous, st.speaker.description)
        assert got_ref == ref and got.nested_in == st.nested_in and got.channel == st.channel
        if st.speaker.span is not None:
            assert got.speaker.span is not None
        spans = [got.content, *([got.cue.span] if got.cue else []), *([got.speaker.span] if got.speaker.span else [])]
        assert all(a.end <= b.start or b.end <= a.start for i, a in enumerate(spans) for b in spans[i + 1:]
                   if not (a is got.content and got.parts))


@pytest.mark.slow
@needs_weights
def test_backend_loads_and_tags_without_torch():
    script = textwrap.dedent(f"""
        import sys
        sys.modules["torch"] = None  # any import of torch now fails
        from crossnews.core.registry import resolve
        from crossnews.core.nlp import load_nlp
        from crossnews.core.records import Document, Span
        text = {TEXTS[0]!r}
        doc = Document(id="d", source="d", format="text", text=text, content_hash="dddd", body=Span(0, len(text)),
                       language="en")
        statements, _ = resolve("quotes", "quotes.tagger.v1").factory(doc, load_nlp()(text))
        assert any(s.cue and text[s.cue.span.start:s.cue.span.end] == "said" for s in statements), statements
        print("ok")
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip().endswith("ok")


def test_content_chunks_of_one_content_are_joined_but_not_across_the_cue():
    text = 'Ada Brook said the harbour will reopen. Ships wait outside, she added. "We wait," Brook said, "for news."'
    said = text.index("said")
    first = (text.index("the harbour"), text.index(" will"))
    rest = (text.index("reopen"), text.index(". Ships"))
    after = (text.index("Ships"), text.index(", she"))
    # a chunk restarted mid-content, a hole of one word ("will"), and the next sentence's content: one content
    chunks = [("source", 0, 9), ("cue", said, said + 4), ("content", *first), ("content", *rest), ("content", *after)]
    (att,) = tg.tagged_attributions(chunks, [(0, 39), (40, 70), (71, len(text))], text)
    assert att.content == ((first[0], after[1]),)
    assert tg.tagged_attributions(chunks, [(0, 39), (40, 70), (71, len(text))])[0].content == (first, rest, after)
    # the cue and source stand between two quoted parts: two fragments stay two
    q1 = (text.index('"We'), text.index(' Brook said,'))
    q2 = (text.index('"for'), len(text))
    cue2 = text.index("said,")
    chunks = [("content", *q1), ("source", text.index("Brook said,"), cue2 - 1), ("cue", cue2, cue2 + 4),
              ("content", *q2)]
    assert tg.tagged_attributions(chunks, [(71, len(text))], text)[0].content == (q1, q2)
