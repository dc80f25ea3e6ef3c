"""Attributed statements: the seeds' attribution chains, and robustness on arbitrary text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crossnews.clean import clean
from crossnews.extract import extract
from crossnews.extract.quotes import find_attributions, find_quotes, find_single_quotes
from crossnews.ingest import RawInput
from crossnews.nlp import load_nlp


@pytest.fixture(scope="module")
def seed_statements(seed_docs):
    out = {}
    for outlet, doc in seed_docs.items():
        (ex,) = extract([doc])
        refs = {m["start"]: m for m in ex.mentions}
        out[outlet] = (doc, ex.statements, refs)
    return out


def find(statements, doc, *, cue=None, content=None, speaker=None):
    hits = []
    for s in statements:
        text = doc.text
        if cue and text[s.cue.span.start:s.cue.span.end] != cue:
            continue
        if content and content not in text[s.content.start:s.content.end]:
            continue
        if speaker and (s.speaker.span is None or text[s.speaker.span.start:s.speaker.span.end] != speaker):
            continue
        hits.append(s)
    assert len(hits) == 1, f"expected one statement for cue={cue!r} content~{content!r}, got {len(hits)}"
    return hits[0]


def by_id(statements, sid):
    return next(s for s in statements if s.id == sid)


def test_tass_lavrov_interview_and_the_anonymous_pentagon_representative(seed_statements):
    doc, sts, _ = seed_statements["TASS"]
    outer = find(sts, doc, cue="said", content="There was a response from an anonymous Pentagon")
    assert outer.speaker.entity == "person:sergey-lavrov"
    assert outer.kind == "direct"
    assert "interview" in outer.channel and "Channel One" in outer.channel
    inner = find(sts, doc, cue="response")
    assert inner.speaker.anonymous
    assert inner.speaker.description == "an anonymous Pentagon representative"
    assert inner.nested_in == outer.id
    assert "we cannot prohibit the Ukrainian armed forces" in doc.text[inner.content.start:inner.content.end]


def test_tass_lavrov_reports_what_kerry_said_in_private_talks(seed_statements):
    doc, sts, _ = seed_statements["TASS"]
    outer = find(sts, doc, cue="said", content="We held bilateral talks")
    assert outer.speaker.entity == "person:sergey-lavrov" and outer.kind == "direct"
    kerry = find(sts, doc, speaker="he", content="undoubtedly sincere")
    assert kerry.speaker.entity == "person:john-kerry"
    assert kerry.nested_in == outer.id
    content = doc.text[kerry.content.start:kerry.content.end]
    assert content.startswith("that they understood perfectly")
    assert "hold another referendum" in content  # the suggestion is part of what Kerry is said to have said
    assert kerry.kind == "mixed"


def test_tass_according_to_lavrov(seed_statements):
    doc, sts, _ = seed_statements["TASS"]
    st_ = find(sts, doc, cue="According to", content="previously acknowledged the choice")
    assert st_.speaker.entity == "person:sergey-lavrov"
    assert st_.cue.lemma == "according to"
    assert st_.kind == "indirect"


def test_tass_opening_statement_nests_the_pentagon_official(seed_statements):
    doc, sts, _ = seed_statements["TASS"]
    outer = find(sts, doc, speaker="Russian Foreign Minister Sergey Lavrov")
    assert doc.text[outer.content.start:].startswith("An earlier statement made by a Pentagon official")
    inner = find(sts, doc, cue="statement")
    assert inner.speaker.anonymous and inner.nested_in == outer.id


def test_press_tv_kerry_call_on_russia_with_channel(seed_statements):
    doc, sts, _ = seed_statements["Press TV"]
    st_ = find(sts, doc, cue="has called on", content="Russia to withdraw its forces")
    assert st_.speaker.entity == "person:john-kerry"
    assert "telephone call" in st_.channel


def test_press_tv_anonymous_official_chain(seed_statements):
    doc, sts, _ = seed_statements["Press TV"]
    official = find(sts, doc, speaker="a senior US State Department official")
    assert official.speaker.anonymous
    assert official.speaker.description == "a senior US State Department official"
    assert official.kind == "direct"
    secretary = find(sts, doc, cue="made clear")
    assert secretary.speaker.entity == "person:john-kerry"  # "the secretary" is the Secretary of State
    assert secretary.nested_in == official.id
    according = find(sts, doc, cue="According to")
    assert according.speaker.entity == official.speaker.entity  # "the official" is the same source
    assert according.speaker.anonymous
    reiterated = find(sts, doc, cue="reiterated")
    assert reiterated.speaker.entity == "person:john-kerry"
    assert reiterated.nested_in == according.id
    assert "illegal under Ukrainian law" in doc.text[reiterated.content.start:reiterated.content.end]
    urged_said = find(sts, doc, speaker="the official", cue="said")
    assert urged_said.speaker.entity == official.speaker.entity
    urged = find(sts, doc, speaker="He", cue="urged")
    assert urged.speaker.entity == "person:john-kerry" and urged.nested_in == urged_said.id


def test_press_tv_ministry_statement_and_russia_argues(seed_statements):
    doc, sts, mentions = seed_statements["Press TV"]
    ministry = find(sts, doc, speaker="Russian foreign ministry")
    assert ministry.channel == "in a statement"
    assert mentions[ministry.speaker.span.start]["type"] == "ORG"
    lavrov = find(sts, doc, speaker="Lavrov", cue="urged")
    assert lavrov.speaker.entity == "person:sergei-lavrov"
    assert lavrov.nested_in == ministry.id
    assert lavrov.kind == "mixed"
    russia = find(sts, doc, speaker="Russia", cue="argues")
    assert mentions[russia.speaker.span.start]["type"] == "GPE"


def test_statement_offsets_lie_in_the_document(seed_statements):
    for doc, sts, _ in seed_statements.values():
        for s in sts:
            for span in (s.content, s.cue.span, s.speaker.span, *s.parts):
                if span is not None:
                    assert 0 <= span.start < span.end <= len(doc.text)
                    assert doc.body.start <= span.start and span.end <= doc.body.end
            if s.nested_in:
                assert any(o.id == s.nested_in for o in sts)


def test_split_and_continued_quotes():
    nlp = load_nlp()
    text = ('"We will not accept this," the minister said, "and we will say so at the council." '
            '"Nobody should doubt it."\n')
    atts = find_attributions(nlp(text))
    (att,) = [a for a in atts if text[a.cue[0]:a.cue[1]] == "said"]
    parts = [text[s:e] for s, e in att.content]
    assert parts == ['"We will not accept this,"', '"and we will say so at the council."', '"Nobody should doubt it."']
    assert att.kind == "direct"


def test_quotes_over_several_paragraphs_and_stray_marks():
    text = '“First paragraph of the quote.\n“Second paragraph,” she said.\nA stray ” mark and “ another.\n'
    spans = [text[s:e] for s, e in find_quotes(text)]
    assert spans == ['“First paragraph of the quote.\n“Second paragraph,”']
    assert find_single_quotes("Russia’s view: ‘we cannot’ and don’t.") == [(15, 26)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(['"', "“", "”", "‘", "’", "'", "''", " said ", "He ", "that ", "the minister",
                                 ", ", ". ", "\n", "according to ", "Kerry", ": ", "—", "we will", "X"]),
                min_size=1, max_size=40))
def test_unbalanced_quotes_never_crash_and_offsets_stay_inside(pieces):
    text = "".join(pieces)
    doc = clean(RawInput("h.txt", text + "\nThe minister said that the talks would go on for a long time yet.",
                         "text", "file")) if text.strip() else None
    if doc is None:
        return
    (ex,) = extract([doc])
    for s in ex.statements:
        assert 0 <= s.content.start < s.content.end <= len(doc.text)
        assert s.cue is not None and 0 <= s.cue.span.start < s.cue.span.end <= len(doc.text)
