"""The content-boundary model's fast paths give what the plain definitions give: the per-document token table
against spaCy's own attributes, the swept ``_between`` marks and ``_openness`` counts against the direct ones, and
each candidate's features against :func:`end_features` / :func:`start_features` one candidate at a time."""

from __future__ import annotations

import pytest

from crossnews.core.nlp import doc_text, load_nlp
from crossnews.extract import boundaries as b
from crossnews.extract.attribution import _trim, fences, find_attributions, find_quotes, find_single_quotes

from .conftest import DEMO


@pytest.fixture(scope="module")
def sdocs():
    nlp = load_nlp()
    texts = [p.read_text(encoding="utf-8") for p in sorted((DEMO / "pages").iterdir()) if p.suffix == ".txt"]
    texts.append("He said: \"Yes.\"\n\n  \nShe added that it was fine, as police have said.")
    return list(nlp.pipe(texts))


def test_the_table_reads_what_spacy_gives(sdocs):
    for doc in sdocs:
        tb = b._table(doc)
        assert len(tb.word) == len(doc)
        for t in doc:
            i = t.i
            assert tb.lower[i] == t.lower_ and tb.pos[i] == t.pos_ and tb.dep[i] == t.dep_ and tb.text[i] == t.text
            assert tb.word[i] == b._word(t) and tb.ent[i] == t.ent_type_ and tb.head[i] == t.head.i
            assert tb.newline[i] == ("\n" in t.text_with_ws) and tb.sent_start[i] == bool(t.is_sent_start)
            assert tb.punct[i] == t.is_punct and tb.space[i] == t.is_space
            assert (tb.start[i], tb.end[i]) == (t.idx, t.idx + len(t.text))
            assert sorted(tb.kids[i]) == sorted(c.i for c in t.children)


def test_swept_marks_and_openness_equal_the_direct_ones(sdocs):
    for doc in sdocs:
        tb = b._table(doc)
        for sent in doc.sents:
            lo, hi = sent.start, sent.end - 1
            targets = list(range(lo - 1, hi + 1))
            for a in (lo - 1, lo, (lo + hi) // 2, hi):
                swept = b._betweens(tb, a, targets)
                assert swept == {t: b._between(doc, a, t) for t in targets}
            ends = list(range(lo, hi + 1))
            assert b._openness_right(tb, lo, ends) == {j: b._openness(doc, lo, j) for j in ends}
            assert b._openness_left(tb, hi, ends) == {j: b._openness(doc, j, hi) for j in ends}


def test_each_settings_features_equal_one_candidate_at_a_time(sdocs):
    checked = 0
    for doc in sdocs:
        text = doc_text(doc)
        quotes = sorted(find_quotes(text) + find_single_quotes(text))
        atts = find_attributions(doc, refine=False, accept=False)
        for att in atts:
            if att.cue_token < 0:
                continue
            cue = doc[att.cue_token]
            setting = b.content_setting(doc, att.content, cue, att.cue, att.source, att.rule,
                                        fences(att, atts, quotes))
            if setting is None:
                continue
            ends = setting.ends()
            assert ends == [(j, b.end_features(doc, j, setting.rule_end, setting.lo, cue, att.rule, setting.root))
                            for j, _ in ends]
            hi = setting.hi if len(att.content) > 1 else setting.rule_end
            starts = setting.starts(setting.rule_end)
            assert starts == [(j, b.start_features(doc, j, setting.rule_start, hi, cue, att.rule, setting.root))
                              for j, _ in starts]
            checked += len(ends) + len(starts)
    assert checked > 100


def test_contents_never_end_on_an_opening_mark_nor_start_on_a_closing_one():
    nlp = load_nlp()
    text = ("An earlier statement made by a harbour official that the port cannot stop the ferries signals ‘a "
            "serious shift in the [city’s] stance,’ the minister said on Friday. She called it “a surrender” and "
            "‘a mistake’ of the council.\n")
    doc = nlp(text)
    quotes = sorted(find_quotes(text) + find_single_quotes(text))
    atts = find_attributions(doc, refine=False, accept=False)
    checked = 0
    for att in atts:
        setting = b.content_setting(doc, att.content, doc[att.cue_token], att.cue, att.source, att.rule,
                                    fences(att, atts, quotes))
        ends = [j for j, _ in setting.ends()]
        starts = [j for j, _ in setting.starts(setting.rule_end)]
        assert all(doc[j].text not in "“‘«„" for j in ends if j != setting.rule_end)
        assert all(doc[j].text not in "”’»" for j in starts if j != setting.rule_start)
        checked += len(ends) + len(starts)
    assert checked > 50
    for att in find_attributions(doc):
        assert text[att.content[-1][1] - 1] not in "“‘«„" and text[att.content[0][0]] not in "”’»"


def test_a_horizontal_bar_is_a_dash_like_the_em_dash():
    # U+2015 sets off asides and signatures in some outlets ("... “a con artist” ― just as he did in 2012")
    nlp = load_nlp()
    doc = nlp("The mayor called the plan “a trap” ― as she did in May ― and — again — left.")
    tb = b._table(doc)
    marks = {doc[i].text: tb.word[i] for i in range(len(doc)) if doc[i].text in "―—"}
    assert marks == {"―": "dash", "—": "dash"}
    bar = next(t.i for t in doc if t.text == "―")
    assert "x_dash" in b._between(doc, bar - 1, bar + 2)
    text = "the plan is a trap ―\n"
    assert _trim(text, (0, len(text))) == (0, len("the plan is a trap"))
