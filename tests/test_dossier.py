"""The dossier: highlighted texts, the findings first (both claims on each card), the views (glance, cast, side by
side, timeline) and their links, several stories, untrusted text."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from html import unescape
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from crossnews.core.records import (
    Analysis,
    Chain,
    ChainLink,
    Cue,
    Document,
    Entity,
    Mention,
    Relation,
    RemovedSpan,
    Role,
    SourceRef,
    Span,
    Speaker,
    Statement,
    Story,
    TimeExpr,
    TimelineEntry,
)
from crossnews.report.dossier import Mark, highlight, render_dossier


class _Tags(HTMLParser):
    """Ids, hrefs, srcs and the tag stack of a page (checks that tags nest)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.id_count: Counter[str] = Counter()
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.tags: list[str] = []
        self.stack: list[str] = []
        self.bad_nesting = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if "id" in a:
            self.ids.add(a["id"])
            self.id_count[a["id"]] += 1
        if "href" in a:
            self.hrefs.append(a["href"])
        if "src" in a:
            self.srcs.append(a["src"])
        if tag == "span":
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "span":
            if not self.stack:
                self.bad_nesting += 1
            else:
                self.stack.pop()


def _parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    return p


# -- highlight: the tokens of a text --------------------------------------------------------------------------------

def _check_tokens(text, tokens):
    assert "".join(t.text for t in tokens if t.kind == "text") == text
    depth = 0
    for t in tokens:
        depth += {"open": 1, "close": -1}.get(t.kind, 0)
        assert depth >= 0
    assert depth == 0


def test_crossing_marks_split_and_keep_one_anchor():
    text = "Lavrov said that Kerry agreed."
    marks = [Mark(0, 16, "a", "first"), Mark(7, 22, "b", "second"), Mark(12, 30, "c", "third")]
    tokens = highlight(text, marks)
    _check_tokens(text, tokens)
    anchors = [t.anchor for t in tokens if t.kind == "open" and t.anchor]
    assert sorted(anchors) == ["first", "second", "third"]  # each mark's anchor once, on its first piece
    opens_b = [t for t in tokens if t.kind == "open" and t.cls == "b"]
    assert len(opens_b) == 2 and opens_b[0].start == 7 and opens_b[1].start == 16  # reopened after 'a' closes


def test_marks_outside_the_text_are_dropped():
    tokens = highlight("short", [Mark(2, 99, "x", "bad"), Mark(3, 2, "y", "reversed"), Mark(1, 3, "z", "ok")])
    assert [t.anchor for t in tokens if t.kind == "open"] == ["ok"]


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=0, max_size=40),
       st.lists(st.tuples(st.integers(0, 45), st.integers(0, 45), st.sampled_from(["a", "b", "c"])), max_size=12))
def test_highlight_covers_the_text_exactly_and_nests(text, raw):
    marks = [Mark(a, b, cls, f"m{i}") for i, (a, b, cls) in enumerate(raw)]
    tokens = highlight(text, marks)
    _check_tokens(text, tokens)
    valid = {m.anchor for m in marks if 0 <= m.start < m.end <= len(text)}
    assert {t.anchor for t in tokens if t.kind == "open" and t.anchor} == valid


# -- a hand-made story: two outlets, a chain, a contradiction, an omission -----------------------------------------

PTV = ("Kerry urges Russia\n\nUS Secretary of State John Kerry spoke on Sunday. According to a senior US State "
       "Department official, Kerry reiterated that the US considers the referendum illegal under Ukrainian law.\n")
TASS = ("Lavrov recalls talks\n\nLavrov said that Kerry told him the choice of the people of Crimea was undoubtedly "
        "sincere. The referendum was held on March 16, 2014.\n")


def _find(text, phrase):
    i = text.index(phrase)
    return Span(i, i + len(phrase))


def _doc(doc_id, text, outlet, published, title):
    return Document(id=doc_id, source=f"{doc_id}.txt", format="text", text=text, content_hash=doc_id * 4,
                    body=Span(text.index("\n\n") + 2, len(text)), removed=(RemovedSpan(0, text.index("\n"),
                                                                                          "metadata:headline"),),
                    title=title, outlet=outlet, published=published, language="en")


def story(evidence=None, extra_relations=()):
    ptv = _doc("ptv", PTV, "Press TV", "2014-03-16", "Kerry urges Russia")
    tass = _doc("tass", TASS, "TASS", "2022-12-28", "Lavrov recalls talks")
    official = Statement("st-off", "ptv", Speaker(_find(PTV, "a senior US State Department official"),
                                                  "anon:ptv:1", True, "a senior US State Department official"),
                         Cue(_find(PTV, "According to"), "according to"),
                         _find(PTV, "Kerry reiterated that the US considers the referendum illegal under Ukrainian "
                                    "law"), "indirect")
    k = PTV.index("Kerry reiterated")
    kerry_ptv = Statement("st-kp", "ptv", Speaker(Span(k, k + 5), "person:kerry"),
                          Cue(_find(PTV, "reiterated"), "reiterate"),
                          _find(PTV, "that the US considers the referendum illegal under Ukrainian law"), "indirect",
                          nested_in="st-off")
    lavrov = Statement("st-lav", "tass", Speaker(Span(TASS.index("Lavrov said"), TASS.index("Lavrov said") + 6),
                                                 "person:lavrov"),
                       Cue(_find(TASS, "said"), "say"),
                       _find(TASS, "that Kerry told him the choice of the people of Crimea was undoubtedly sincere"),
                       "indirect")
    kerry_tass = Statement("st-kt", "tass", Speaker(Span(TASS.index("Kerry told"), TASS.index("Kerry told") + 5),
                                                    "person:kerry"),
                           Cue(_find(TASS, "told"), "tell"),
                           _find(TASS, "the choice of the people of Crimea was undoubtedly sincere"), "indirect",
                           nested_in="st-lav")
    kerry_i = PTV.index("John Kerry")
    entities = (
        Entity("person:kerry", "John Kerry", "PERSON", ("Kerry",), (Mention("ptv", kerry_i, kerry_i + 10),
                                                                    Mention("tass", TASS.index("Kerry"),
                                                                            TASS.index("Kerry") + 5))),
        Entity("person:lavrov", "Sergey Lavrov", "PERSON", ("Lavrov",), (Mention("tass", 22, 28),)),
        Entity("anon:ptv:1", "a senior US State Department official", "ANONYMOUS"),
        Entity("org:osce", "OSCE", "ORG"),
    )
    date = _find(TASS, "March 16, 2014")
    timeline = (
        TimelineEntry("tl-ref", "2014-03-16", "The referendum was held",
                      (SourceRef("tass", date.start, date.end), SourceRef("ptv", PTV.index("Sunday"),
                                                                           PTV.index("Sunday") + 6))),
        TimelineEntry("tl-talks", "2022-12-28", "Lavrov said that Kerry told him ...", (SourceRef("tass", 22, 40),),
                      ("st-lav",)),
    )
    spans = {"a": [{"start": PTV.index("illegal"), "end": PTV.index("illegal") + 27,
                    "text": "illegal under Ukrainian law"}],
             "b": [{"start": TASS.index("undoubtedly"), "end": TASS.index("undoubtedly") + 19,
                    "text": "undoubtedly sincere"}]}
    ev = evidence if evidence is not None else {
        "a": {"doc": "ptv", "speaker": "John Kerry", "chain": ["Press TV", "a senior US State Department official",
                                                              "John Kerry"], "hand": "second", "public": None},
        "b": {"doc": "tass", "speaker": "John Kerry", "chain": ["TASS", "Sergey Lavrov", "John Kerry"],
              "hand": "second", "public": False, "setting": {"text": "talks"}},
        "spans": spans,
        "reasons": ["opposite legitimacy: 'illegal under Ukrainian law' vs 'undoubtedly sincere'"],
    }
    relations = (
        Relation("rel-c", "contradicts", "st-kp", "st-kt", tuple(ev.items()), "judge.rules.v1", 0.8),
        Relation("rel-o", "omits", "st-lav", "ptv", (("present_in", ["tass"]), ("missing_from", "ptv"),
                                                     ("reasons", ["Press TV does not report the talks"])),
                 "align.omits", 0.5),
        Relation("rel-e", "agrees", "tl-ref:tass", "tl-ref:ptv", (("reasons", ["both date it 2014-03-16"]),),
                 "timeline.v1", 1.0),
        *extra_relations,
    )
    times = (TimeExpr("tass", date.start, date.end, "DATE", "2014-03-16"),)
    return Analysis(documents=(ptv, tass), entities=entities, statements=(official, kerry_ptv, lavrov, kerry_tass),
                    times=times, timeline=timeline, relations=relations)


def test_views_render_the_story():
    html = render_dossier(story())
    tags = _parse(html)
    assert tags.bad_nesting == 0 and not tags.stack
    # at a glance: outlets with country and ownership from the gazetteer, and the contradiction count
    glance = html[html.index('id="glance"'):html.index('id="cast"')]
    assert "Press TV" in glance and "IR" in glance and "RU" in glance and "state-owned" in glance
    assert re.search(r'id="glance-contradictions"><b>1</b>contradictions found', glance)
    # the cast: Kerry, with both reports, second-hand, and their chains drawn out
    cast = html[html.index('id="cast"'):html.index('id="side-by-side"')]
    kerry = next(card for card in cast.split('class="card person"') if 'data-entity="person:kerry"' in card)
    assert kerry.count("second-hand") >= 2
    chain_text = re.sub(r"<[^>]+>", "", kerry)
    assert "Press TV←a senior US State Department official←John Kerry" in chain_text
    assert "TASS←Sergey Lavrov←John Kerry" in chain_text
    # side by side: one column per outlet, the contradiction and the omission highlighted, evidence linked
    sbs = html[html.index('id="side-by-side"'):html.index('id="timeline"')]
    assert sbs.count('class="sbs-head"') == 2
    assert "has-contradiction" in sbs and 'class="cell contradicts"' in sbs
    assert 'class="cell omits"' in sbs and "not reported here" in sbs
    assert "illegal under Ukrainian law" in sbs and "undoubtedly sincere" in sbs
    assert "opposite legitimacy" in sbs
    # the timeline is drawn: SVG, one group per event, each dot linked to its source span
    tl = html[html.index('id="timeline"'):html.index('id="statements"')]
    assert "<svg" in tl and tl.count('class="tl-event"') == 2
    assert "<table" not in tl
    # every in-page link lands on an element of the page
    local = [h[1:] for h in tags.hrefs if h.startswith("#")]
    missing = {h for h in local if h not in tags.ids}
    assert not missing, sorted(missing)[:10]
    for anchor in ("ev-rel-c-a-", "ev-rel-c-b-", "st-st-kp", "st-text-st-kt", "st-spk-st-lav", "st-cue-st-off",
                   "tx-", "mn-", "src-"):
        assert any(i.startswith(anchor) for i in tags.ids), anchor
        assert any(h.startswith("#" + anchor) for h in tags.hrefs) or anchor in ("st-spk-st-lav", "st-cue-st-off",
                                                                                  "tx-"), anchor


def test_evidence_span_highlights_the_exact_words():
    html = render_dossier(story())
    m = re.search(r'<span class="evidence ev-contradicts" id="ev-rel-c-a-(\d+)-(\d+)"[^>]*>([^<]*)', html)
    assert m is not None
    start, end = int(m.group(1)), int(m.group(2))
    assert PTV[start:end] == "illegal under Ukrainian law" == m.group(3)


def test_odd_evidence_does_not_break_the_dossier():
    junk = {"a": 5, "b": {"doc": "nowhere", "chain": "not a list"}, "spans": {"a": "junk", "b": [{"start": -3,
            "end": 9999}, {"start": "x"}, 7]}, "reasons": "a single reason", "fidelity": {"kind": "changed",
            "changed": "bad", "left_out": [1, 2]}, "nested": {"deep": [1, {"x": 2}]}}
    odd = (Relation("rel-x", "quotes", "st-lav", "st-missing", (), "", 0.0),
           Relation("rel-y", "unheard-of", "doc-gone", "tl-nothing:ptv", (("a", None),), "j", 0.1))
    html = render_dossier(story(evidence=junk, extra_relations=odd))
    assert "a single reason" in html
    assert 'id="ev-rel-c-' not in html  # no evidence span could be placed
    assert _parse(html).bad_nesting == 0


def test_a_story_without_relations_says_so():
    a = story()
    html = render_dossier(Analysis(documents=a.documents, statements=a.statements, entities=a.entities))
    assert 'id="no-relations"' in html and 'class="sbs-grid"' not in html


XSS = ('<script>window.__xss=1</script> <a href="javascript:alert(1)">click</a> <img src=x onerror="alert(1)"> '
       '" onmouseover="alert(2)')


def test_untrusted_text_and_metadata_are_escaped():
    a = story()
    text = f"{XSS}\n\nThe mayor said that {XSS} was fine.\n"
    doc = Document(id='x"><script>alert(3)</script>', source=XSS, format="text", text=text, content_hash="h",
                   body=Span(len(XSS) + 2, len(text)), title=XSS, outlet=XSS, republisher=XSS, dateline=XSS,
                   author=XSS, published="2024-01-01")
    st_ = Statement("st-x", doc.id, Speaker(_find(text, "The mayor"), None, False, XSS), Cue(_find(text, "said"), XSS),
                    Span(text.index("that "), len(text) - 2), "indirect")
    rel = Relation("rel-x", "contradicts", "st-x", "st-kt", (("reasons", [XSS]), ("a", {"doc": doc.id, "chain": [XSS]}),
                                                             ("fidelity", {"kind": XSS, "changed": [[XSS, XSS]]})),
                   XSS, 0.3)
    analysis = Analysis(documents=(*a.documents, doc), entities=(*a.entities, Entity("e", XSS, "PERSON")),
                        statements=(*a.statements, st_), timeline=(TimelineEntry("tl-x", "2024", XSS, (SourceRef(
                            doc.id, 0, 5),)),), relations=(*a.relations, rel))
    html = render_dossier(analysis)
    tags = _parse(html)
    assert "script" not in tags.tags and "img" not in tags.tags
    assert not any(h.lower().startswith("javascript:") for h in tags.hrefs)
    assert "onerror=" not in html.replace("onerror=&#34;", "").replace("onerror=&quot;", "")
    assert "onmouseover=" not in html.replace("onmouseover=&#34;", "").replace("onmouseover=&quot;", "")
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert 'content="default-src \'none\'' in html  # the CSP forbids scripts and remote resources


def test_demo_dossier_links_resolve_and_requests_nothing(demo_export):
    export, out = demo_export
    html = (out / "dossier.html").read_text(encoding="utf-8")
    tags = _parse(html)
    assert tags.bad_nesting == 0
    local = [h[1:] for h in tags.hrefs if h.startswith("#")]
    assert len(local) > 100
    assert not {h for h in local if h not in tags.ids}
    assert not tags.srcs  # no images, scripts or frames to load
    assert not [h for h in tags.hrefs if not h.startswith("#")]
    assert "<link" not in html and "@import" not in html and "url(" not in html
    assert "@media print" in html
    # every statement, time expression and mention of the export is a highlighted span with an anchor
    assert sum(1 for i in tags.ids if i.startswith("st-text-")) == len(export["statements"])
    assert sum(1 for i in tags.ids if i.startswith("tx-")) == len({(t["doc"], t["start"], t["end"])
                                                                   for t in export["times"]})
    mentions = {(m["doc"], m["start"], m["end"]) for e in export["entities"] for m in e["mentions"]}
    assert sum(1 for i in tags.ids if i.startswith("mn-")) == len(mentions)
    assert html.count('class="tl-event"') == len(export["timeline"])


# -- findings first -------------------------------------------------------------------------------------------------


def _section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    return html[start:html.index("</section>", start)]


def _text(fragment: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment)))


def test_findings_come_first_and_show_both_claims():
    html = render_dossier(story())
    tags = _parse(html)
    assert not [i for i, n in tags.id_count.items() if n > 1]
    main = html[html.index("<main>"):]
    assert main.index("<section") == main.index('<section id="findings"')  # the first thing under the header
    header = _text(html[html.index('<header class="top">'):html.index("</header>")])
    assert "Kerry urges Russia" in header  # no stories named: the earliest headline labels the story
    assert "2 documents from 2 outlets: Press TV, TASS" in header and "2014-03-16 – 2022-12-28" in header
    findings = _section(html, "findings")
    card = findings[findings.index('class="finding contradicts"'):]
    card = card[:card.index("</article>")]
    text = _text(card)
    # both claims' words, with the words the judge rests on marked and linked to the text
    assert "that the US considers the referendum illegal under Ukrainian law" in text
    assert "the choice of the people of Crimea was undoubtedly sincere" in text
    marks = re.findall(r'<a href="#(ev-rel-c-[ab]-\d+-\d+)"><mark class="ev">([^<]+)</mark></a>', card)
    assert sorted(m[1] for m in marks) == ["illegal under Ukrainian law", "undoubtedly sincere"]
    # who, where, when: resolved speakers, outlets, dates
    assert re.findall(r'<strong class="said-by">([^<]+)</strong>', card) == ["John Kerry", "John Kerry"]
    assert "Press TV · published 2014-03-16" in text and "TASS · published 2022-12-28" in text
    assert "TASS ← Sergey Lavrov ← John Kerry" in text.replace("←", " ← ").replace("  ", " ")
    # why, in words, and a link to each claim's place in its document's text
    assert "Why: opposite legitimacy: 'illegal under Ukrainian law' vs 'undoubtedly sincere'" in text
    assert 'href="#st-st-kp"' in card and 'href="#st-st-kt"' in card
    for anchor in ["st-st-kp", "st-st-kt"] + [m[0] for m in marks]:
        assert anchor in tags.ids
    # agrees are folded away, omissions counted; the long sections and every text folded
    folded = findings[findings.index('<details class="folded"'):]
    assert "1 agrees" in _text(folded[:folded.index("</summary>")]) and "both date it 2014-03-16" in folded
    assert "1 omission (" in _text(findings)
    for section in ("side-by-side", "timeline", "statements"):
        assert '<details class="section">' in _section(html, section)
    assert html.count('<details class="doc" id="doc-') == 2


def test_a_quote_chain_starts_from_its_source():
    quote = Relation("rel-q", "quotes", "st-kt", "st-kp", (
        ("a", {"doc": "tass", "start": TASS.index("the choice"), "end": TASS.index(" The referendum") - 1}),
        ("b", {"doc": "ptv", "start": PTV.index("that the US"), "end": PTV.index(" law") + 4}),
        ("fidelity", {"kind": "changed", "changed": [["illegal", "sincere"]], "added": ["undoubtedly"]}),
        ("reasons", ["changed quotation of words first published by Press TV (2014-03-16)"])), "fidelity.v1", 0.9)
    html = render_dossier(story(extra_relations=(quote,)))
    findings = _section(html, "findings")
    card = findings[findings.index('class="finding quotes"'):]
    card = card[:card.index("</article>")]
    text = _text(card)
    assert text.index("Press TV · published") < text.index("TASS · published")  # the source first
    assert "changed quotation of words first published by Press TV" in text
    assert "changed: “illegal” → “sincere”" in text and "words added: “undoubtedly”" in text
    assert "1 quote chain" in _text(findings) and "1 contradiction " in _text(findings)
    assert _parse(html).bad_nesting == 0


def test_the_cast_lists_each_role_once_with_its_count():
    a = story()
    kerry = a.entities[0]
    roles = (Role("Secretary of State", "ptv", "2014-03-16"), Role("secretary of  State", "tass", "2022-12-28"),
             Role("Secretary of State", "ptv", "2014-03-16"), Role("Senator", "tass", None))
    a = dataclasses.replace(a, entities=(dataclasses.replace(kerry, roles=roles), *a.entities[1:]))
    html = render_dossier(a)
    cast = _section(html, "cast")
    card = _text(cast[cast.index('data-entity="person:kerry"'):cast.index('data-entity="person:lavrov"')])
    assert card.count("Secretary of State") == 1 and card.count("Senator") == 1
    assert "Secretary of State (3× · Press TV, TASS · 2014-03-16 – 2022-12-28)" in card
    assert "Senator (1× · TASS)" in card
    assert "named 2 times in 2 documents: Press TV 2014-03-16 (1), TASS 2022-12-28 (1)" in card


FERRY = "Ferry service resumes\n\nThe harbour master said that the ferry would resume within days.\n"


def _with_stories(a: Analysis, stories: list[tuple[str, str, tuple[str, ...]]]) -> Analysis:
    return dataclasses.replace(a, stories=tuple(Story(i, label, docs) for i, label, docs in stories))


def test_several_stories_are_the_top_level_grouping():
    a = story()
    ferry = _doc("ferry", FERRY, "Harbour Gazette", "2024-06-05", "Ferry service resumes")
    said = Statement("st-ferry", "ferry", Speaker(_find(FERRY, "The harbour master"), None, False,
                                                  "the harbour master"),
                     Cue(_find(FERRY, "said"), "say"), _find(FERRY, "that the ferry would resume within days"),
                     "indirect")
    across = Relation("rel-x", "agrees", "st-ferry", "st-lav", (("reasons", ["a resemblance"]),), "judge", 0.4)
    a = dataclasses.replace(a, documents=(*a.documents, ferry), statements=(*a.statements, said),
                            relations=(*a.relations, across))
    html = render_dossier(_with_stories(a, [("story-kerry", "Kerry and the referendum", ("ptv", "tass")),
                                            ("story-ferry", "Ferry <service>", ("ferry",))]))
    tags = _parse(html)
    assert tags.bad_nesting == 0
    assert not [i for i, n in tags.id_count.items() if n > 1]  # each story's views have ids of their own
    assert not {h[1:] for h in tags.hrefs if h.startswith("#")} - tags.ids
    header = _text(html[html.index('<header class="top">'):html.index("</header>")])
    assert "2 stories in 3 documents" in header
    assert header.index("Kerry and the referendum") < header.index("Ferry <service>")
    assert "Ferry &lt;service&gt;" in html
    main = html[html.index("<main>"):]
    assert main.index('<section class="story" id="s1"') < main.index('id="s1-findings"') < main.index(
        'id="s1-glance"') < main.index('<section class="story" id="s2"') < main.index('id="s2-findings"')
    first = _section(html, "s1-findings")
    assert "undoubtedly sincere" in first and "illegal under Ukrainian law" in first
    second = main[main.index('id="s2-findings"'):main.index('id="s2-glance"')]
    assert 'id="s2-no-findings"' in second and "undoubtedly sincere" not in second
    # a relation across stories is not a finding of either; it is listed apart
    assert "a resemblance" not in first and "a resemblance" not in second
    assert "1 relation links documents of different stories" in _text(_section(html, "between-stories"))
    texts = html[html.index('<section id="texts"'):]
    assert texts.index('id="texts-s1"') < texts.index('id="doc-ptv"') < texts.index('id="texts-s2"') < texts.index(
        'id="doc-ferry"')


def test_claim_chains_are_folded_with_what_drifted():
    drift = (("words", {"changed": [["illegal", "sincere"]], "added": [], "dropped": ["under Ukrainian law"],
                        "kind": "reworded"}),
             ("numbers", {"before": [], "after": ["16"]}),
             ("credited", {"before": "John Kerry", "after": "John Kerry",
                           "chain_before": ["Press TV", "a senior US State Department official", "John Kerry"],
                           "chain_after": ["TASS", "Sergey Lavrov", "John Kerry"]}))
    chain = Chain("chain-k", "that the US considers the referendum illegal", ("st-kp", "st-kt"),
                  (ChainLink("st-kp", "st-kt", None, False, drift, "2014-03-16", None),))
    html = render_dossier(dataclasses.replace(story(), chains=(chain,)))
    findings = _section(html, "findings")
    folded = findings[findings.index('<details class="folded chains"'):]
    assert "1 claim chain: one claim told across documents" in _text(folded[:folded.index("</summary>")])
    text = _text(folded[:folded.index("</article>")])
    assert "“that the US considers the referendum illegal” — told 2 times in Press TV, TASS" in text
    assert text.index("Press TV · published 2014-03-16") < text.index("TASS · published 2022-12-28")
    assert "How it drifted: 1 → 2 related through the other tellings" in text
    assert "changed: “illegal” → “sincere”" in text and "words dropped: “under Ukrainian law”" in text
    assert "numbers: none → 16" in text
    assert ("credited: Press TV ← a senior US State Department official ← John Kerry → TASS ← Sergey Lavrov ← "
            "John Kerry") in text
    assert "which was told first is not known from the dates (2014-03-16)" in text
    assert _parse(html).bad_nesting == 0

