"""quotes.tagger.v2: the span model's windows around a cue, its training examples, its run without torch, and how
its spans replace the rules' (never a speaker, never a nested report left outside, never roles that clash)."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from crossnews.core.records import Cue, Document, Span, Speaker, Statement
from crossnews.extract import spans as sp

needs_weights = pytest.mark.skipif(not sp.span_weights_available(),
                                   reason="no span model weights (data/spans_minilm_int8.onnx): run `make train-spans`")

TEXT = 'Harbour officials said on Monday that the ferry would stop in May, and Ada Brook told reporters "no one asked."'


def test_the_window_fences_the_cue_and_keeps_its_budget():
    starts = list(range(0, 300, 3))  # 100 tokens of 3 characters
    ids = list(range(1000, 1100))
    settings = sp.SpanSettings(max_len=24, before=5, max_cue=4)
    w = sp.cue_window(starts, ids, (150, 156), settings)  # tokens 50 and 51
    assert len(w.ids) == 24 and w.ids[0] == sp.CLS and w.ids[-1] == sp.SEP
    assert w.ids[1:7] == (1045, 1046, 1047, 1048, 1049, sp.OPEN)
    assert w.ids[7:10] == (1050, 1051, sp.CLOSE)
    assert (w.lo, w.hi) == (45, 65)
    assert [t for t in w.tokens if t >= 0] == list(range(45, 65))
    assert [w.ids[j] - 1000 for j, t in enumerate(w.tokens) if t >= 0] == list(range(45, 65))
    # at the text's start the window gives the room it cannot use before the cue to what follows
    w0 = sp.cue_window(starts, ids, (0, 3), settings)
    assert (w0.lo, w0.hi) == (0, 20) and w0.ids[1] == sp.OPEN
    # a cue that begins inside a token fences that token
    assert sp.cue_window(starts, ids, (151, 153), settings).ids[6:9] == (sp.OPEN, 1050, sp.CLOSE)


def test_a_window_leans_back_over_a_content_before_its_cue():
    starts = list(range(0, 300, 3))
    ids = list(range(1000, 1100))
    leaning = sp.SpanSettings(max_len=24, before=5, max_cue=4, lean=3)
    # '"...," she said': the content before the cue gets the room but three tokens after it
    w = sp.cue_window(starts, ids, (150, 156), leaning, content_before=True)
    assert (w.lo, w.hi) == (35, 55) and len(w.ids) == 24
    # a content after its cue, or settings that do not lean, keep the usual window
    assert (sp.cue_window(starts, ids, (150, 156), leaning).lo, sp.cue_window(starts, ids, (150, 156), leaning).hi) \
        == (45, 65)
    plain = sp.SpanSettings(max_len=24, before=5, max_cue=4)
    assert sp.cue_window(starts, ids, (150, 156), plain, content_before=True).lo == 45


def test_runs_are_consecutive_tokens_of_one_label():
    offsets = [(i * 4, i * 4 + 3) for i in range(8)]
    labels = {0: 3, 1: 3, 2: 0, 3: 1, 4: 3, 5: 3, 7: 3}
    assert sp.runs(labels, 3, offsets) == [(0, 7), (16, 23), (28, 31)]
    assert sp.runs(labels, 1, offsets) == [(12, 15)]


def _statement(text: str, cue: str, content: tuple[int, int], source: str | None,
               st_id: str = "st-1") -> Statement:
    c = text.index(cue)
    span = Span(text.index(source), text.index(source) + len(source)) if source else None
    return Statement(id=st_id, doc="d1", speaker=Speaker(span=span, entity="e-harbour"), cue=Cue(Span(c, c + len(cue)),
                     cue), content=Span(*content), kind="indirect", confidence=0.9)


def _cue(st: Statement) -> tuple[int, int]:
    assert st.cue is not None
    return st.cue.span.start, st.cue.span.end


def _tagging(text: str, offsets: list[tuple[int, int]], roles: dict[str, str], lo: int = 0,
             hi: int | None = None, prob: float = 0.9) -> sp.Tagging:
    """The model's tags: each role's words given as a substring of ``text``."""
    labels = {t: 0 for t in range(len(offsets))}
    for role, words in roles.items():
        a = text.index(words)
        for t, (s, e) in enumerate(offsets):
            if a <= s and e <= a + len(words):
                labels[t] = sp.ROLE_LABEL[role]
    return sp.Tagging(labels, {t: prob for t in labels}, lo, len(offsets) if hi is None else hi)


def _offsets(text: str) -> list[tuple[int, int]]:
    import re

    return [(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", text)]


def test_the_models_content_replaces_the_rules_when_sure_and_whole():
    text = TEXT
    offsets = _offsets(text)
    rules_end = text.index(", and Ada")
    st = _statement(text, "said", (text.index("on Monday"), rules_end), "Harbour officials")
    model = _tagging(text, offsets, {"source": "Harbour officials", "cue": "said",
                                     "content": "the ferry would stop in May"})
    (got,) = sp.set_spans(text, [st], offsets, {_cue(st): model})
    assert text[got.content.start:got.content.end] == "the ferry would stop in May"
    assert got.speaker.entity == "e-harbour" and text[got.cue.span.start:got.cue.span.end] == "said"
    # not sure enough: the rules' content stays
    (kept,) = sp.set_spans(text, [st], offsets, {_cue(st): model}, sp.SpanGates(content=0.95))
    assert (kept.content.start, kept.content.end) == (st.content.start, st.content.end)
    # a content that runs to the window's edge may run on beyond it: the rules' content stays
    edge = _tagging(text, offsets, {"content": "the ferry would stop in May"}, hi=offsets.index(
        next(o for o in offsets if text[o[0]:o[1]] == "May")) + 1)
    (kept,) = sp.set_spans(text, [st], offsets, {_cue(st): edge})
    assert (kept.content.start, kept.content.end) == (st.content.start, st.content.end)
    # a content elsewhere (another attribution's) does not replace the rules'
    other = _tagging(text, offsets, {"content": "no one asked"})
    (kept,) = sp.set_spans(text, [st], offsets, {_cue(st): other})
    assert (kept.content.start, kept.content.end) == (st.content.start, st.content.end)


def test_clashing_roles_and_nested_reports_keep_the_rules_spans():
    text = TEXT
    offsets = _offsets(text)
    st = _statement(text, "said", (text.index("that the"), text.index('"no one') - 1), "Harbour officials")
    # a content over the cue clashes
    clash = _tagging(text, offsets, {"content": "officials said on Monday that the ferry"})
    (kept,) = sp.set_spans(text, [st], offsets, {_cue(st): clash})
    assert kept == st
    # a statement nested in the rules' content whose cue the model's content would leave outside
    told = text.index("told")
    inner = Statement(id="st-2", doc="d1", speaker=Speaker(span=None), cue=Cue(Span(told, told + 4), "tell"),
                      content=Span(text.index('"no'), len(text)), kind="direct", confidence=0.9, nested_in=st.id)
    short = _tagging(text, offsets, {"content": "the ferry would stop in May"})
    got, got_inner = sp.set_spans(text, [st, inner], offsets, {_cue(st): short})
    assert (got.content.start, got.content.end) == (st.content.start, st.content.end)
    assert got_inner == inner


def test_training_examples_tag_one_attribution_given_its_fenced_cue():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from train_spans import prepare

    from crossnews.eval.brat import AnnotatedDoc, Attribution
    from crossnews.extract.tagger import _packaged_tokenizer

    text = 'Ada Brook said the ferry will stop. Jon Vell told the council "we object."'
    said, told = text.index("said"), text.index("told")
    atts = (Attribution(((0, 9),), ((said, said + 4),), ((said + 5, text.index("."),),)),
            Attribution(((text.index("Jon"), told - 1),), ((told, told + 4),), ((text.index('"we'), len(text)),)))
    doc = AnnotatedDoc("a", "a", text, atts)
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(_packaged_tokenizer())
    tok.no_truncation()
    tok.no_padding()
    first, second = prepare([doc], tok, sp.SpanSettings(), 0.0, random.Random(1))
    for ex, cue, content in ((first, "said", "the ferry will stop"), (second, "told", '"we object."')):
        ids = ex["ids"]
        open_at, close_at = ids.index(sp.OPEN), ids.index(sp.CLOSE)
        assert tok.decode(ids[open_at + 1:close_at]) == cue
        con = [tok.id_to_token(i) for i, lab in zip(ids, ex["labels"], strict=True) if lab == sp.ROLE_LABEL["content"]]
        assert tok.decode([tok.token_to_id(t) for t in con]).replace(" ", "") == content.replace(" ", "").lower()
        assert ex["labels"][open_at] == ex["labels"][close_at] == -100
    # each example tags its own attribution only: the first knows nothing of Jon Vell's
    assert sp.ROLE_LABEL["source"] in first["labels"] and first["labels"].count(sp.ROLE_LABEL["cue"]) == 1
    # with a leaning window, a content before its cue is in the window whole (here: all but one token after it)
    text = '"We object to the plan for the new pier," Jon Vell told the council on Monday evening.'
    told = text.index("told")
    att = Attribution(((text.index("Jon"), told - 1),), ((told, told + 4),), ((0, text.index("Jon") - 1),))
    settings = sp.SpanSettings(max_len=16, before=2, max_cue=4, lean=1)
    (lean,) = prepare([AnnotatedDoc("b", "b", text, (att,))], tok, settings, 0.0, random.Random(1))
    (plain,) = prepare([AnnotatedDoc("b", "b", text, (att,))], tok, sp.SpanSettings(16, 2, 4), 0.0, random.Random(1))
    assert lean["labels"].count(sp.ROLE_LABEL["content"]) > 2 * plain["labels"].count(sp.ROLE_LABEL["content"])
    assert len(lean["ids"]) == 16 and lean["ids"][lean["ids"].index(sp.CLOSE) + 2] == sp.SEP


@needs_weights
def test_the_span_model_sets_a_quotes_content():
    from crossnews.core.nlp import load_nlp
    from crossnews.extract.statements import extract_statements as rules_statements

    text = '"We will not back down," Mayor Ilse Varga said on Tuesday, before the council met in Dorvask.'
    doc = Document(id="d1", source="d1.txt", format="text", text=text, content_hash="d1d1", body=Span(0, len(text)),
                   language="en")
    sdoc = load_nlp()(text)
    before, refs = rules_statements(doc, sdoc)
    after, after_refs = sp.extract_statements(doc, sdoc)
    assert [s.id for s in after] == [s.id for s in before] and after_refs == refs
    (st,) = [s for s in after if s.cue and text[s.cue.span.start:s.cue.span.end] == "said"]
    assert text[st.content.start:st.content.end].startswith('"We will not back down')
    assert st.speaker.entity == next(s for s in before if s.id == st.id).speaker.entity


@pytest.mark.slow
@needs_weights
def test_span_backend_runs_without_torch():
    script = textwrap.dedent(f"""
        import sys
        sys.modules["torch"] = None  # any import of torch now fails
        from crossnews.core.registry import resolve
        from crossnews.core.nlp import load_nlp
        from crossnews.core.records import Document, Span
        text = {TEXT!r}
        doc = Document(id="d", source="d", format="text", text=text, content_hash="dddd", body=Span(0, len(text)),
                       language="en")
        for name in ("quotes.spans.v1", "quotes.tagger.v2"):
            statements, _ = resolve("quotes", name).factory(doc, load_nlp()(text))
            assert any(s.cue and text[s.cue.span.start:s.cue.span.end] == "said" for s in statements), statements
        print("ok")
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip().endswith("ok")


def test_an_edge_does_not_move_over_punctuation_or_quote_marks_alone():
    text = 'Ada Brook criticised the report on "the harbour works, especially the north pier," the council said.'
    offsets = _offsets(text)
    start = text.index("the report")
    end = text.index(" the council")
    st = _statement(text, "criticised", (start, end), "Ada Brook")
    # the model's content stops before the closing quote mark: only a mark between the two ends
    model = _tagging(text, offsets, {"content": 'the report on "the harbour works, especially the north pier'})
    (got,) = sp.set_spans(text, [st], offsets, {_cue(st): model})
    assert (got.content.start, got.content.end) == (start, end)
    # a word more is a move
    shorter = _tagging(text, offsets, {"content": 'the report on "the harbour works'})
    (got,) = sp.set_spans(text, [st], offsets, {_cue(st): shorter})
    assert text[got.content.start:got.content.end] == 'the report on "the harbour works'


def test_an_edge_does_not_move_across_a_line():
    text = "Harbour closure may help smugglers\n\nThe harbour closure may help smugglers, the union said on Monday."
    offsets = _offsets(text)
    start, end = text.index("The harbour"), text.index(", the union")
    st = _statement(text, "said", (start, end), "the union")
    # the model reads the headline above as the start of the content, one run with it
    model = _tagging(text, offsets, {"content": text[:end]})
    (got,) = sp.set_spans(text, [st], offsets, {_cue(st): model})
    assert (got.content.start, got.content.end) == (start, end)


def test_a_moved_content_still_reads_as_a_clause():
    from crossnews.core.nlp import load_nlp

    text = ('The report says port engineers concluded that "no pier was at risk." Ada Brook said that "Harbour 4" - '
            "the oldest pier in Dorvask - was never inspected.")
    sdoc = load_nlp()(text)
    offsets = _offsets(text)
    # the start moved past the subject of a verb the content keeps: "concluded that ..." alone
    first = _statement(text, "says", (text.index("port engineers"), text.index(" Ada") - 1), "The report")
    model = _tagging(text, offsets, {"content": 'concluded that "no pier was at risk'})
    (got,) = sp.set_spans(text, [first], offsets, {_cue(first): model}, sdoc=sdoc)
    assert (got.content.start, got.content.end) == (first.content.start, first.content.end)
    (loose,) = sp.set_spans(text, [first], offsets, {_cue(first): model})  # without the parse the move is made
    assert text[loose.content.start:].startswith("concluded")
    # the end moved back to leave no verb: "that "Harbour 4"" alone
    second = _statement(text, "said", (text.index('that "Harbour'), len(text) - 1), "Ada Brook")
    model = _tagging(text, offsets, {"content": 'that "Harbour 4'})
    (got,) = sp.set_spans(text, [second], offsets, {_cue(second): model}, sdoc=sdoc)
    assert (got.content.start, got.content.end) == (second.content.start, second.content.end)
    (loose,) = sp.set_spans(text, [second], offsets, {_cue(second): model})
    assert loose.content.end < second.content.end


def test_a_quote_taken_in_makes_the_report_mixed():
    text = 'Ada Brook said the pier is safe and "nobody was hurt in the storm" before the council met.'
    offsets = _offsets(text)
    st = _statement(text, "said", (text.index("the pier"), text.index(" and")), "Ada Brook")
    assert st.kind == "indirect"
    model = _tagging(text, offsets, {"content": 'the pier is safe and "nobody was hurt in the storm"'})
    (got,) = sp.set_spans(text, [st], offsets, {_cue(st): model})
    assert text[got.content.start:got.content.end] == 'the pier is safe and "nobody was hurt in the storm"'
    assert got.kind == "mixed"
