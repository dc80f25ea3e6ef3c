"""Framing: each outlet's words for the same referent (extract/naming.py, align/framing.py), on fictional texts
written for this test, through the pipeline into the export and the dossier."""

from __future__ import annotations

import json

import pytest

from crossnews.align.framing import build_framing
from crossnews.core.nlp import parse
from crossnews.core.records import Document, Span, Story
from crossnews.extract.naming import markers_of, naming_terms, normalise_form

# Two invented outlets tell one invented story; every name is made up for this test.
LEDGER = (
    "Tarnel rejects Vesh vote\n\n"
    "The so-called referendum in the occupied region of Vesh was a sham, Tarnel Foreign Minister Ada Corrin said on "
    "Monday. Corrin said the Pelk-backed militia had escorted voters to the polls. Pelk state television described "
    "the vote as a \"historic homecoming\" for the people of Vesh.\n"
)
BEACON = (
    "Vesh celebrates historic referendum\n\n"
    "Residents of Vesh voted on Sunday in a historic referendum on joining Pelk, officials said. Ada Corrin, the "
    "Tarnel foreign minister, called the referendum illegal. Pelk's volunteers guarded the polling stations, and "
    "the vote passed peacefully.\n"
)


def _terms(text: str) -> list[dict]:
    sdoc = next(iter(parse([text])))
    mentions = [{"entity": f"e:{e.text}", "start": e.start_char, "end": e.end_char, "type": e.label_}
                for e in sdoc.ents]
    return naming_terms(sdoc, mentions)


def test_markers_come_from_the_lexicons():
    assert markers_of(["so-called", "referendum"]) == ["distancing:so-called"]
    assert markers_of(["Pelk-backed", "militia"]) == ["affiliation:pelk-backed"]
    assert markers_of(["sham", "vote"]) == ["delegitimising:sham"]
    assert markers_of(["the", "referendum"]) == []
    assert normalise_form("“historic  homecoming”") == '"historic homecoming"'


def test_naming_terms_of_one_text():
    terms = _terms(LEDGER)
    for t in terms:  # offsets point into the text, and the form is the text there, normalised
        assert normalise_form(LEDGER[t["start"]:t["end"]]) == t["form"]
    by_form = {t["form"]: t for t in terms}
    assert by_form["so-called referendum"]["referent"] == "concept:vote"
    assert "distancing:so-called" in by_form["so-called referendum"]["markers"]
    homecoming = by_form['"historic homecoming"']
    assert homecoming["referent"] == "concept:vote"  # "described the vote as ...": a naming of the vote
    assert {"scare-quotes", "named-as", "legitimising:historic"} <= set(homecoming["markers"])
    militia = by_form["Pelk-backed militia"]
    assert militia["referent"] == "concept:armed group" and "affiliation:pelk-backed" in militia["markers"]
    # "the people of Vesh" is not an epithet of Vesh; "the occupied region of Vesh" is
    assert any(t["form"] == "occupied region of Vesh" and "delegitimising:occupied" in t["markers"] for t in terms)
    assert "people of Vesh" not in by_form


def test_appositive_and_named_as():
    terms = _terms(BEACON)
    forms = {t["form"]: t for t in terms}
    assert "appositive" in forms["Tarnel foreign minister"]["markers"]
    assert forms["illegal"]["referent"] == "concept:vote"
    assert "delegitimising:illegal" in forms["illegal"]["markers"]
    assert "legitimising:historic" in forms["historic referendum"]["markers"]


def _doc(doc_id: str, outlet: str, text: str) -> Document:
    return Document(id=doc_id, source=f"{doc_id}.txt", format="text", text=text, content_hash=doc_id,
                    body=Span(0, len(text)), outlet=outlet, published="2031-04-07", language="en")


def test_build_framing_groups_by_story_referent_and_outlet():
    docs = [_doc("a", "The Harbour Ledger", LEDGER), _doc("b", "Vesh Beacon", BEACON)]
    terms = [(d.id, t) for d in docs for t in _terms(d.text)]
    story = Story("story-1", "Vesh", ("a", "b"))
    framing = build_framing(docs, [story], terms, {})
    vote = next(f for f in framing if f.referent == "concept:vote")
    assert vote.kind == "concept" and vote.label == "vote" and vote.story == "story-1"
    assert [o.outlet for o in vote.outlets] == ["The Harbour Ledger", "Vesh Beacon"]
    ledger = {x.form: x for x in vote.outlets[0].forms}
    assert ledger["so-called referendum"].count == 1
    assert all(s.doc == "a" for x in vote.outlets[0].forms for s in x.spans)
    beacon = {x.form for x in vote.outlets[1].forms}
    assert "historic referendum" in beacon and "so-called referendum" not in beacon
    # the most differently named referent comes first; a story of one outlet has no table
    assert framing[0].referent == "concept:vote"
    assert build_framing(docs[:1], [Story("s", "x", ("a",))], terms, {}) == []
    # deterministic: the same input, the same output
    assert build_framing(docs, [story], terms, {}) == framing


def test_framing_through_the_pipeline(tmp_path):
    from crossnews import analyze
    from crossnews.pipeline import AnalyzeOptions
    from crossnews.report.dossier import render_dossier
    from crossnews.report.export import to_json, validate
    from crossnews.store.sqlite import open_store

    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": i, "outlet": o, "published": "2031-04-07", "title": t.split("\n")[0],
                                        "text": t}) + "\n"
                            for i, o, t in (("ledger-1", "The Harbour Ledger", LEDGER),
                                            ("beacon-1", "Vesh Beacon", BEACON))), encoding="utf-8")
    with open_store(str(tmp_path / "t.db")) as store:
        summary = analyze([str(feed)], store, AnalyzeOptions(relations=False))
        assert summary.analysed == 2
        analysis = store.analysis()
    if len(analysis.stories) != 1:
        pytest.skip("the two texts were not grouped into one story")
    payload = json.loads(json.dumps(to_json(analysis), ensure_ascii=False))
    validate(payload)
    vote = next(f for f in payload["framing"] if f["referent"] == "concept:vote")
    forms = {(o["outlet"], x["form"]): x for o in vote["outlets"] for x in o["forms"]}
    assert "distancing:so-called" in forms[("The Harbour Ledger", "so-called referendum")]["markers"]
    html = render_dossier(analysis)
    assert 'class="naming-table"' in html and "so-called referendum" in html


def test_alternative_spellings_are_one_referent(tmp_path):
    """Kiev and Kyiv are one place (the gazetteer merges them): one row, each outlet's spelling in its column."""
    from crossnews import analyze
    from crossnews.pipeline import AnalyzeOptions
    from crossnews.store.sqlite import open_store

    gazette = ("Talks in Kiev stall\n\nOfficials in Kiev said on Monday that the talks on the grain corridor had "
               "stalled. The plan was rejected in Kiev, the officials said.\n")
    daily = ("Kyiv rejects plan\n\nOfficials in Kyiv said on Monday that the grain corridor talks had stalled and "
             "that the plan was rejected by Kyiv.\n")
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": i, "outlet": o, "published": "2031-05-05", "text": t}) + "\n"
                            for i, o, t in (("g", "The Ferry Gazette", gazette), ("d", "Harbour Daily", daily))),
                    encoding="utf-8")
    with open_store(str(tmp_path / "k.db")) as store:
        analyze([str(feed)], store, AnalyzeOptions(relations=False))
        analysis = store.analysis()
    if len(analysis.stories) != 1:
        pytest.skip("the two texts were not grouped into one story")
    rows = [f for f in analysis.framing if f.kind == "entity" and {o.outlet for o in f.outlets} ==
            {"The Ferry Gazette", "Harbour Daily"}]
    spellings = {o.outlet: {x.form for x in o.forms} for f in rows for o in f.outlets if f.label in ("Kyiv", "Kiev")}
    assert spellings == {"The Ferry Gazette": {"Kiev"}, "Harbour Daily": {"Kyiv"}}
