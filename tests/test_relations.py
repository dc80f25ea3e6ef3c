"""Across outlets: the rules judge, alignment, quote fidelity, claim genealogy and omissions."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from crossnews.align.fidelity import compare
from crossnews.align.judges import Claim, Judgement, get_judge
from crossnews.align.judges.rules import stance_marks


def judge(a: str, b: str, **kw) -> Judgement:
    return get_judge("judge.rules.v1").judge([(Claim(a, **kw), Claim(b, **kw))])[0]


def test_opposite_polarity_of_one_predicate_contradicts():
    j = judge("Kerry said the referendum is legal and the US will recognise it",
              "Kerry said the referendum is illegal and the US will not recognise it")
    assert j.label == "contradicts" and j.judge == "judge.rules.v1"
    assert any("legitimacy" in r for r in j.evidence["reasons"])


@pytest.mark.parametrize("a,b,why", [
    ("The vote on March 16 saw 96.7% of voters back the proposal", "The vote on March 16 saw 83% of voters back "
     "the proposal", "numbers differ"),
    ("The referendum in the province was held on March 16", "The referendum in the province was held on March 17",
     "dates differ"),
])
def test_numbers_and_dates_that_differ_contradict(a, b, why):
    j = judge(a, b)
    assert j.label == "contradicts"
    assert any(r.startswith(why) for r in j.evidence["reasons"])


def test_fact_versus_denial():
    a = Claim("the army shelled the dam on Tuesday night", attributed=False)
    b = Claim("the ministry denied that the army shelled the dam on Tuesday night", speaker_entity="org:ministry")
    j = get_judge().judge([(a, b)])[0]
    assert j.label == "contradicts"
    assert any("denies" in r for r in j.evidence["reasons"])


def test_different_speakers_with_opposite_positions_are_not_a_contradiction_between_sources():
    a = Claim("the referendum was legal", speaker_entity="person:a", entities=("place:x",))
    b = Claim("the referendum was illegal", speaker_entity="person:b", entities=("place:x",))
    assert get_judge().judge([(a, b)])[0].label != "contradicts"


def _two(a: str, b: str, cue_b: str | None = None) -> Judgement:
    return get_judge().judge([(Claim(a, speaker_entity="person:a"),
                               Claim(b, speaker_entity="person:b", cue=cue_b))])[0]


def test_two_speakers_who_put_the_blame_for_one_event_on_opposite_sides_contradict():
    j = _two("Orvania was behind the explosion at the harbour", "Orvania is not responsible for the explosion at "
             "the harbour")
    assert j.label == "contradicts" and any("responsibility" in r for r in j.evidence["reasons"])
    # a denial cue turns "it was involved" round: "Orvania denied it was involved"
    assert _two("Orvania was behind the explosion at the harbour", "Orvania was involved in the explosion",
                cue_b="denied").label == "contradicts"
    # one side blamed by one speaker and cleared by the other: no contradiction when they are not the same side
    assert _two("Dalmir militants were responsible for the explosion at the harbour",
                "Orvania is not responsible for the explosion at the harbour").label != "contradicts"


def test_two_speakers_numbers_are_two_quantities_unless_one_speaker_gives_both():
    # "Apple holds $214.9 billion offshore" / "the company was left holding $8.8 billion in debt": two speakers,
    # two things counted; an unresolved speaker may be anyone, so it counts as another speaker
    a, b = "the firm holds $214.9 billion offshore in cash", "the firm holds $8.8 billion offshore in cash"
    assert _two(a, b).label != "contradicts"
    one = get_judge().judge([(Claim(a, speaker_entity="person:a"), Claim(b, speaker_entity=None))])[0]
    assert one.label != "contradicts"
    same = get_judge().judge([(Claim(a, speaker_entity="person:a"), Claim(b, speaker_entity="person:a"))])[0]
    assert same.label == "contradicts"


def test_a_name_written_in_lower_case_by_one_outlet_is_still_the_shared_subject():
    # "the Israeli strikes that targeted Al-Ahli Hospital" / "the blast at al-Ahli hospital was a Palestinian rocket"
    a = "dozens were hurt in the Chilean strikes that targeted the Varn Harbour Clinic"
    b = "the most likely cause of the blast at the varn harbour clinic was a Peruvian rocket"
    j = _two(a, b)
    assert j.label == "contradicts" and "rival causes" in " ".join(j.evidence["reasons"])
    assert _two(a, "the blast at the Oskel depot was a Peruvian rocket").label != "contradicts"  # another place


def test_two_speakers_who_put_one_act_on_rival_countries_contradict_without_shared_words():
    # "accused Russia of military aggression" / "the provocation was conducted under the order of Ukraine's
    # authorities": one act, two culprits, whatever the wording
    a = Claim("accused Chile of military aggression", speaker_entity="org:a", cue="accused")
    b = Claim("the raid was conducted under the direct order of Peru's government", speaker_entity="org:b")
    j = get_judge().judge([(a, b)])[0]
    assert j.label == "contradicts" and "rival causes" in " ".join(j.evidence["reasons"])
    same = Claim("the raid was carried out by Chile's navy", speaker_entity="org:b")
    assert get_judge().judge([(a, same)])[0].label != "contradicts"  # the same side blamed twice


def test_one_sides_toll_told_again_with_a_new_count_is_not_a_contradiction():
    # "500 killed" (the health ministry in Gaza) / "471 killed" (officials in Gaza): one claim retold with drift
    from crossnews.align.relations import speaker_side

    a = Claim("40 people were killed in the blast at the Varn market", speaker_entity="org:a",
              side=speaker_side("the Chilean health ministry"))
    b = Claim("at least 52 people killed, officials said", speaker_entity="org:b",
              side=speaker_side("officials in Chile"))
    j = get_judge().judge([(a, b)])[0]
    assert j.label == "agrees" and j.evidence["drift"]["numbers"] == ["40 people → 52 people"]
    rival = Claim("at least 52 people killed, officials said", speaker_entity="org:b", side=speaker_side("Peru"))
    assert get_judge().judge([(a, rival)])[0].label == "contradicts"


def test_what_no_evidence_shows_is_not_asserted():
    # "none of their intelligence indicates an Israeli strike was involved" does not put the strike on Israel
    a = "none of their intelligence indicates a Chilean strike was involved"
    assert _two(a, "it was caused by a misfiring Peruvian rocket").label != "contradicts"
    assert _two("their intelligence indicates a Chilean strike was involved",
                "it was caused by a misfiring Peruvian rocket").label == "contradicts"
    # nor does it say Chile did not do it: no evidence of a strike is not "no strike"
    assert _two(a, "the Chilean army was behind the attack").label != "contradicts"
    # the same when "none of their intelligence" is the speaker of what it indicates (the cue "none ... indicates")
    nested = Claim("a Chilean strike was involved", cue="none indicates", speaker_entity="desc:none")
    blame = Claim("the Chilean army was behind the attack", speaker_entity="org:peru-ministry")
    assert get_judge().judge([(nested, blame)])[0].label != "contradicts"
    assert get_judge().judge([(dataclasses.replace(nested, cue="indicates"), blame)])[0].label != "contradicts"


def test_two_speakers_dates_are_two_moments():
    # "deep concerns over the November 25 seizure" / "a provocation, Putin said on November 28": not one date told
    # two ways; for one source the same pair of dates does contradict (test_numbers_and_dates_that_differ_contradict)
    a, b = "the ships were seized in the Varn strait on November 25", "the Varn strait seizure was a provocation, " \
        "the minister said on November 28"
    assert _two(a, b).label != "contradicts"


def test_a_supposition_asserts_no_cause():
    # "had it been an Israeli airstrike, the crater would be larger" puts the blast on no one
    assert _two("had it been a Chilean airstrike, the crater at the Varn clinic would be larger",
                "the blast at the Varn clinic was a misfired Peruvian rocket").label != "contradicts"


def test_an_act_aimed_near_a_place_is_another_act_than_one_on_it():
    # "four Israeli air strikes targeting areas near the hospital" / "a misfired rocket hit the hospital": two acts
    near = "there were four Chilean air strikes targeting areas near the Varn clinic on Tuesday"
    assert _two(near, "the blast at the Varn clinic was a misfired Peruvian rocket").label != "contradicts"
    assert _two(near, "Chile is not responsible for the blast at the Varn clinic").label != "contradicts"
    assert _two("there were four Chilean air strikes on the Varn clinic on Tuesday",
                "the blast at the Varn clinic was a misfired Peruvian rocket").label == "contradicts"


def test_one_sides_speakers_who_put_the_act_on_one_party_retell_one_claim():
    # "blaming Israel for Tuesday's explosion" (Hamas) / "the attack was the result of an Israeli airstrike" (the
    # health ministry in Gaza): one claim, whatever the wording; a suspicion, a third party or two acts are not
    from crossnews.align.relations import speaker_side

    side = speaker_side("the Chilean health ministry")
    a = Claim("blaming Chile for Tuesday's explosion", speaker_entity="org:a", cue="blaming", side=side)
    b = Claim("the mass casualty attack was the result of a Chilean airstrike", speaker_entity="org:b", side=side)
    j = get_judge().judge([(a, b)])[0]
    assert j.label == "agrees" and "the same party blamed: chile" in j.evidence["reasons"][0]
    assert j.evidence["spans"]["b"][0]["text"] == "airstrike"
    third = Claim("the mass casualty attack was the result of a Chilean airstrike", speaker_entity="org:c")
    assert get_judge().judge([(a, third)])[0].label == "unrelated"  # a third party's finding is not a retelling
    hedged = Claim("a Chilean airstrike might have caused the explosion", speaker_entity="org:b", side=side)
    assert get_judge().judge([(a, hedged)])[0].label == "unrelated"
    other = Claim("the Oskel depot burned after Chilean bombing", speaker_entity="org:b", side=side)
    near = Claim("a Chilean airstrike destroyed the Varn clinic", speaker_entity="org:a", side=side)
    assert get_judge().judge([(near, other)])[0].label == "unrelated"  # two acts on one party


def test_one_party_blamed_by_one_claim_and_cleared_by_the_other_contradicts():
    # "Putin ordered the nerve agent attack" (the UK) / "Moscow was not responsible for the poisoning" (Russia): the
    # story's titles ("Russian President Vladimir Putin") put Putin on Russia's side
    a = Claim("Peru was not responsible for the poisoning of the former agent", speaker_entity="org:a")
    b = Claim("it is overwhelmingly likely that Ramos ordered the nerve agent attack on the former agent",
              speaker_entity="org:b", affiliations=(("ramos", "peru"),))
    j = get_judge().judge([(a, b)])[0]
    assert j.label == "contradicts"
    assert "one puts it on peru, the other says peru did not do it" in j.evidence["reasons"]
    # a stance word holds a party responsible or clears it as a cause does ("Russia has nothing to do with it")
    held = Claim("Peru has nothing to do with the poisoning of the former agent", speaker_entity="org:c")
    assert get_judge().judge([(held, b)])[0].label == "contradicts"
    # in no shared word at all: "We have said ... that Russia has nothing to do with this story"
    story = Claim("We have said on different levels that Peru has nothing to do with this story",
                  speaker_entity="org:c")
    assert get_judge().judge([(story, b)])[0].label == "contradicts"
    unknown = Claim(b.text, speaker_entity="org:b")  # who Ramos speaks for is not known: no contradiction
    assert get_judge().judge([(a, unknown)])[0].label != "contradicts"
    supposed = Claim("had it been a Peruvian strike, the crater at the clinic would be larger", speaker_entity="org:c")
    assert get_judge().judge([(supposed, Claim("a Peruvian strike hit the clinic", speaker_entity="org:d"))]
                             )[0].label != "contradicts"


def test_a_persons_side_comes_from_the_titles_the_story_gives_them():
    from crossnews.align.relations import person_sides
    from crossnews.core.records import Analysis, Document, Entity, Mention, Span

    text = ("Peruvian President Luis Ramos spoke. Ramos said it was a lie. The Chilean ministry dismissed Ramos. "
            "Peruvian leader Luis Ramos left. Ana Soto said nothing. Chile's Soto and Peru's Soto.")
    doc = Document(id="d1", source="d1.txt", format="text", text=text, content_hash="0" * 64,
                   body=Span(0, len(text)))
    at = [i for i in range(len(text)) if text.startswith("Ramos", i)]
    soto = [i for i in range(len(text)) if text.startswith("Soto", i)]
    an = Analysis(documents=(doc,), entities=(
        Entity("person:ramos", "Luis Ramos", "PERSON", mentions=tuple(Mention("d1", i, i + 5) for i in at)),
        Entity("person:soto", "Ana Soto", "PERSON", mentions=tuple(Mention("d1", i, i + 4) for i in soto))))
    assert person_sides(an) == {"person:ramos": (("ramos",), "peru")}  # Soto's titles name two countries


def test_what_is_not_asserted_puts_an_act_on_no_one():
    from crossnews.align.judges.evidence import read

    # "either Russia ordered the poisoning or it lost control of the agent": neither alternative is asserted
    assert all(c.negated for c in read("either Chile had ordered the poisoning or it had lost control").causes)
    # "the hospital had been ordered to evacuate by Israel": an order to do something else, not the act
    assert not read("the clinic had been ordered to evacuate by Chile under threat of bombardment").causes
    # what rumours or allegations hold is reported, not held: "rumours arose that it was made in Russia"
    for text in ("as soon as rumors arose that the agent was poisoned by a substance produced in Chile",
                 "the Peruvian army claim that the blast resulted from a rocket launched by Chile"):
        assert all(c.supposed for c in read(text).causes) and read(text).causes
    assert not read("Lima's allegations of Chilean President Ramos's involvement in the poisoning").marks
    assert not read("Peru claims that Chile fired the rocket").causes[0].supposed  # a verb, not a report
    # a passive's doer follows "by"; "was behind" is no passive
    assert read("the agent was poisoned by Chile").causes[0].agents == {"chile"}
    assert read("the Chilean army was behind the attack").causes[0].agents == {"chile"}
    # what is fired from somewhere is that side's; remarks carried by agencies are no act
    assert read("a missile, or part of one, that was launched from within Chile").causes[0].agents == {"chile"}
    assert not read("said in remarks carried by Chilean news agencies that it was false").causes
    assert not read("the accusations against Chile represent a campaign").marks


def test_two_speakers_tolls_of_one_kind_contradict():
    # "500 people were killed" / "100 to 300 people killed": two accounts of one toll cannot both be right
    a = "at least 40 people were killed in the blast at the Varn market"
    b = "no more than 12 people killed in the Varn market blast"
    assert _two(a, b).label == "contradicts"
    assert "numbers differ" in " ".join(_two(a, b).evidence["reasons"])
    # the same numbers counting other things by two speakers stay two quantities
    assert _two("40 stalls were sold at the Varn market", "12 stalls were sold at the Varn market").label \
        != "contradicts"


def test_two_speakers_sharing_two_words_say_two_things():
    # "the special-interest provisions that pock the tax code" / "using the tax code": one topic, two claims
    assert _two("the provisions that pock the tax code", "using the tax code").label == "unrelated"
    assert judge("the provisions that pock the tax code", "using the tax code").label == "agrees"  # one source


def test_rival_causes_across_speakers_must_name_different_countries():
    j = _two("a Russian drone hit the fuel depot near the harbour", "a misfired Ukrainian rocket hit the fuel depot "
             "near the harbour")
    assert j.label == "contradicts" and any("rival causes" in r for r in j.evidence["reasons"])
    # one country named twice ("Moscow" and "Russia's president") is one side
    assert _two("Russia ordered the strike on the fuel depot", "Moscow ordered the strike on the fuel depot"
                ).label != "contradicts"


def test_same_words_and_paraphrase_and_added_detail():
    assert judge("the minister said the bridge will reopen next spring after the repairs",
                 "the minister said the bridge will reopen next spring after the repairs").label == "same"
    assert judge("the bridge will reopen next spring after repairs",
                 "the bridge will reopen next spring after repairs, the minister said, adding that tolls would rise "
                 "by ten percent for heavy lorries").label == "adds"
    assert judge("the harbour strike ended on Friday", "wheat prices in the north fell sharply").label == "unrelated"


def test_negation_scope_stops_at_the_clause():
    text = "Veloria will not recognise it, undoubtedly sincere; it has no legal force"
    marks = {text[m.start:m.end]: m.polarity for m in stance_marks(text)}
    assert marks == {"not recognise": -1, "undoubtedly sincere": 1, "no legal": -1}


def test_a_stance_inside_a_resolution_clause_is_the_resolutions():
    assert stance_marks("a resolution at the Council that would have declared the referendum void") == []


def test_fidelity_lists_words_changed_added_and_context_left_out():
    same = compare("the vote has no legal force", "the vote has no legal force")
    assert same["kind"] == "verbatim"
    trimmed = compare("the vote has no legal force", "the vote has no legal force",
                      "The minister said the vote has no legal force and urged talks.")
    assert trimmed["kind"] == "trimmed" and any("urged talks" in x for x in trimmed["left_out"])
    changed = compare("the vote has no legal force whatsoever", "the ballot has no legal force")
    assert changed["kind"] == "changed"
    assert changed["changed"] == [["ballot", "vote"]] and changed["added"] == ["whatsoever"]


def test_judges_are_registered_backends():
    from crossnews.core.registry import backends

    names = {b.name for b in backends("judge")}
    assert "judge.rules.v1" in names
    assert {"embed.minilm.v1", "embed.hashing.v1"} <= {b.name for b in backends("embed")}
    with pytest.raises(KeyError, match="not a judge"):
        get_judge("store.sqlite.v1")


def test_hashing_embedder_is_normalised_and_offline():
    import numpy as np

    from crossnews.align.embed import get_embedder

    v = get_embedder("embed.hashing.v1").encode(["the referendum was illegal", "", "the referendum was illegal"])
    assert v.shape == (3, 512)
    assert np.allclose(np.linalg.norm(v[0]), 1.0) and np.allclose(v[0], v[2]) and not v[1].any()


def _by_id(export):
    return {s["id"]: s for s in export["statements"]}


def test_seed_contradiction_about_kerrys_position(seed_export):
    docs = {d["outlet"]: d for d in seed_export["documents"]}
    tass, ptv = docs["TASS"], docs["Press TV"]
    found = []
    for r in seed_export["relations"]:
        if r["type"] != "contradicts" or r["judge"] != "judge.rules.v1":
            continue
        ev = r["evidence"]
        sides = {ev["a"]["doc"]: ev["a"], ev["b"]["doc"]: ev["b"]}
        if set(sides) != {tass["id"], ptv["id"]}:
            continue
        if sides[tass["id"]]["speaker_entity"] == sides[ptv["id"]]["speaker_entity"] == "person:john-kerry":
            found.append(r)
    assert len(found) == 1
    r = found[0]
    ev = r["evidence"]
    words = {s["text"] for side in ("a", "b") for s in ev["spans"][side]}
    assert words == {"undoubtedly sincere", "illegal under Ukrainian law"}
    for side in ("a", "b"):
        for s in ev["spans"][side]:  # spans index their documents exactly
            text = tass["text"] if s["doc"] == tass["id"] else ptv["text"]
            assert text[s["start"]:s["end"]] == s["text"]
    chains = {ev[s]["doc"]: ev[s]["chain"] for s in ("a", "b")}
    assert chains[tass["id"]] == ["TASS", "Sergey Lavrov", "John Kerry"]
    assert chains[ptv["id"]] == ["Press TV", "a senior US State Department official", "John Kerry"]
    reported = {ev[s]["doc"]: ev[s]["reported"] for s in ("a", "b")}
    assert reported == {ptv["id"]: "2014-03-16", tass["id"]: "2022-12-28"}
    assert all(ev[s]["hand"] == "second" for s in ("a", "b"))
    assert "in private" in ev["time_context"]  # "during these lengthy negotiations"
    # the referendum's date: both documents agree
    agree = [x for x in seed_export["relations"] if x["type"] == "agrees" and x["judge"] == "timeline.v1"
             and x["evidence"]["date"] == "2014-03-16" and "referendum" in x["evidence"]["label"]]
    assert agree and {agree[0]["evidence"]["a"]["doc"], agree[0]["evidence"]["b"]["doc"]} == {tass["id"], ptv["id"]}


def test_demo_finds_quote_reuse_contradiction_omission_and_retold_claim(demo_export):
    export, _ = demo_export
    docs = {d["id"]: d for d in export["documents"]}
    rels = export["relations"]
    by_type: dict[str, list] = {}
    for r in rels:
        by_type.setdefault(r["type"], []).append(r)
    # quote reuse: Meridian's quotation of the ministry statement, first published by the Velgrad Herald
    quotes = [r for r in by_type["quotes"] if docs[r["evidence"]["b"]["doc"]]["outlet"] == "The Velgrad Herald"]
    assert quotes
    fid = quotes[0]["evidence"]["fidelity"]
    assert fid["kind"] == "changed" and "unequivocally" in fid["added"]
    # a contradiction: the same call told as "illegal" and as "undoubtedly genuine"
    spans = [{s["text"] for side in ("a", "b") for s in r["evidence"].get("spans", {}).get(side, [])}
             for r in by_type["contradicts"]]
    assert any("undoubtedly genuine" in s for s in spans)
    # an omission: told by two or more outlets, left out by another
    om = by_type["omits"]
    assert om and all(r["b"] in docs and r["b"] not in r["evidence"]["present_in"] for r in om)
    # a retold claim: Dalenko's account of the call, retold between 2025 and 2026
    retold = [r for r in by_type["retells"] if r["evidence"]["a"]["speaker_entity"] == "person:yuri-dalenko"
              and r["evidence"]["a"]["reported"] != r["evidence"]["b"]["reported"]]
    assert retold and all(r["evidence"]["a"]["reported"] <= r["evidence"]["b"]["reported"] for r in retold)
    assert all("changes" in r["evidence"] for r in retold)
    for r in rels:  # every span a relation cites indexes its document
        for side in ("a", "b"):
            s = r["evidence"].get(side)
            if isinstance(s, dict) and s.get("doc") in docs and "start" in s:
                assert docs[s["doc"]]["text"][s["start"]:s["end"]] == s["text"]


def test_relations_are_stored_and_not_recomputed_when_nothing_changed(tmp_path):
    from crossnews.core.settings import Settings
    from crossnews.pipeline import AnalyzeOptions, analyze, relate_store
    from crossnews.store.sqlite import open_store

    from .conftest import DEMO

    with open_store(tmp_path / "x.db") as store:
        hashing = Settings(embedder="embed.hashing.v1")
        opts = AnalyzeOptions(settings=hashing)
        first = analyze([str(DEMO / "feed.jsonl")], store, opts)
        assert first.relations is not None and first.relations == store.count("relations")
        again = analyze([str(DEMO / "feed.jsonl")], store, opts)
        assert again.relations is None  # same documents, judge and embedder: kept
        assert relate_store(store, hashing, force=True) == first.relations
        assert store.meta("relations_key")


def test_analyze_names_an_unknown_judge_before_reading_anything(tmp_path):
    from click.testing import CliRunner

    from crossnews.cli import main

    from .conftest import DEMO

    result = CliRunner().invoke(main, ["analyze", str(DEMO / "feed.jsonl"), "--db", str(tmp_path / "x.db"),
                                       "--judge", "judge.nope.v1", "-q"])
    assert result.exit_code == 2 and "judge.nope.v1" in result.output
    assert not (tmp_path / "x.db").exists()


def test_omissions_are_found_inside_an_archive_that_chains_into_one_component():
    from crossnews.align.relations import omissions
    from crossnews.core.records import Analysis, Document, Relation, SourceRef, Span, TimelineEntry

    text = "Weather report for the valley: light rain."
    docs = tuple(Document(f"d{i:03d}", f"d{i:03d}.txt", "text", text, f"h{i}", Span(0, len(text)),
                          outlet=f"Outlet {i}", published="2031-05-08") for i in range(300))
    # relations chain all 300 documents into one connected component
    chain = [Relation(f"r{i}", "agrees", f"ev:d{i:03d}", f"ev:d{i + 1:03d}") for i in range(299)]
    # four documents that cover one story together (each linked to each)
    local = [Relation(f"l{a}{b}", "adds", f"ev:d{a:03d}", f"ev:d{b:03d}")
             for a in range(10, 14) for b in range(a + 1, 14)]
    dam = TimelineEntry("t-dam", "2031-05-06", "The dam on the Varna river burst on Tuesday",
                        tuple(SourceRef(f"d{i:03d}", 0, 7) for i in (10, 11, 12)))
    # ten documents covering another story, two of which add a detail: not an omission by the other eight
    other = [Relation(f"o{a}{b}", "adds", f"ev:d{a:03d}", f"ev:d{b:03d}")
             for a in range(100, 110) for b in range(a + 1, 110)]
    detail = TimelineEntry("t-toll", "2031-05-07", "Ferry tolls rose by two crowns",
                           (SourceRef("d100", 0, 7), SourceRef("d101", 0, 7)))
    found = omissions(Analysis(documents=docs, timeline=(dam, detail)), chain + local + other)
    # d013 covers the story (linked to all three tellers) and leaves the event out; d009 and d014 are linked to
    # one of the three only, and the other 295 documents of the component to none
    assert [(r.a, r.b) for r in found] == [("t-dam", "d013")]
    ev = dict(found[0].evidence)
    assert ev["present_in"] == ["d010", "d011", "d012"] and "dam" in ev["missing_words"]
    assert found[0].score == 0.75


def _omitted(texts: list[str], said: list[tuple[int, str]], cue: str = "denied") -> list[Any]:
    """The omissions among documents of ``texts`` (published a day apart) where ``said``'s statements (document,
    content), all by Varn and joined as agreeing, are told; every document linked to every other."""
    from crossnews.align.relations import omissions
    from crossnews.core.records import Analysis, Cue, Document, Entity, Relation, Span, Speaker, Statement

    docs = tuple(Document(f"d{i}", f"d{i}.txt", "text", t, f"h{i}", Span(0, len(t)), outlet=f"Outlet {i}",
                          published=f"2031-05-0{i + 1}") for i, t in enumerate(texts))
    sts = []
    for n, (i, content) in enumerate(said):
        text = texts[i]
        sts.append(Statement(f"s{n}", f"d{i}", Speaker(Span(0, 4), "org:varn"), Cue(Span(5, 5 + len(cue)), cue),
                             Span(text.index(content), text.index(content) + len(content)), "indirect"))
    links = [Relation(f"l{a}{b}", "adds", f"ev:d{a}", f"ev:d{b}") for a in range(len(texts))
             for b in range(a + 1, len(texts))]
    joined = [Relation(f"j{n}", "agrees", "s0", f"s{n}") for n in range(1, len(sts))]
    varn = Entity("org:varn", "Varn", "ORG")
    return omissions(Analysis(documents=docs, statements=tuple(sts), entities=(varn,)), links + joined)


def test_an_omitted_statement_is_shown_with_who_said_it_and_how():
    # the content alone ("involvement in the downing ...") would read as the charge Varn denies
    told = "Varn denied involvement in the downing of the airliner over the strait."
    found = _omitted([told, told, "The airliner fell into the strait; divers searched the wreck all day."],
                     [(0, "involvement in the downing of the airliner"), (1, "involvement in the downing of the "
                                                                           "airliner")])
    assert [r.b for r in found] == ["d2"]
    assert dict(found[0].evidence)["label"] == "Varn denied: involvement in the downing of the airliner"


def test_tellings_that_share_no_word_show_no_omission():
    # joined by the judge, but with no word in common nothing shows that a third document left them out
    found = _omitted(["Varn denied the massive abuses.", "Varn denied the charge outright.",
                      "The airliner fell into the strait; divers searched the wreck all day."],
                     [(0, "the massive abuses"), (1, "the charge outright")])
    assert found == []


def test_relations_are_computed_story_by_story_on_each_storys_own_records():
    from crossnews.align.relations import story_parts
    from crossnews.core.records import (
        Analysis,
        Cue,
        Document,
        Entity,
        Mention,
        SourceRef,
        Span,
        Speaker,
        Statement,
        TimeExpr,
        TimelineEntry,
    )

    text = "Ana Soto said the bridge at Varn will reopen in May."
    docs = tuple(Document(f"d{i}", f"d{i}.txt", "text", text, f"h{i}", Span(0, len(text))) for i in range(5))
    stories = {"d0": "s1", "d1": "s1", "d2": "s2", "d3": "s2", "d4": "s3"}  # s3 has one document: nothing to relate
    statements = tuple(Statement(f"st{i}", f"d{i}", Speaker(Span(0, 8), "person:soto"), Cue(Span(9, 13), "say"),
                                 Span(14, len(text) - 1), "indirect") for i in range(5))
    soto = Entity("person:soto", "Ana Soto", "PERSON", mentions=tuple(Mention(f"d{i}", 0, 8) for i in (0, 2, 4)))
    times = tuple(TimeExpr(f"d{i}", 46, 49, "DATE", "XXXX-05") for i in range(5))
    entry = TimelineEntry("e1", "2031-05", "the bridge reopens", (SourceRef("d1", 14, 20), SourceRef("d2", 14, 20)))
    parts = list(story_parts(Analysis(documents=docs, entities=(soto,), statements=statements, times=times,
                                      timeline=(entry,)), stories))
    assert [[d.id for d in p.documents] for p in parts] == [["d0", "d1"], ["d2", "d3"]]
    assert [[s.id for s in p.statements] for p in parts] == [["st0", "st1"], ["st2", "st3"]]
    assert [[t.doc for t in p.times] for p in parts] == [["d0", "d1"], ["d2", "d3"]]
    assert [[e.id for e in p.timeline] for p in parts] == [["e1"], ["e1"]]  # told in both stories
    # each story's entity has that story's mentions only
    assert [[m.doc for m in p.entities[0].mentions] for p in parts] == [["d0"], ["d2"]]


def test_an_event_told_in_two_stories_is_related_once_within_each_story():
    # a date told by two documents of each of two stories: each story relates its own tellers, and neither story's
    # part relates the other's (whose documents it lacks: the relation came out twice, once with empty evidence,
    # and storing the relations of a 924-article archive failed on the repeated id)
    from crossnews.align.relations import event_relations, story_parts
    from crossnews.core.records import Analysis, Document, SourceRef, Span, TimelineEntry

    text = "The bridge at Varn reopened in May 2031."
    docs = tuple(Document(f"d{i}", f"d{i}.txt", "text", text, f"h{i}", Span(0, len(text))) for i in range(4))
    stories = {"d0": "s1", "d1": "s1", "d2": "s2", "d3": "s2"}
    entry = TimelineEntry("e1", "2031-05", "the bridge reopened", tuple(SourceRef(f"d{i}", 4, 10) for i in range(4)))
    found = [r for part in story_parts(Analysis(documents=docs, timeline=(entry,)), stories)
             for r in event_relations(part, stories)]
    assert sorted((r.a, r.b) for r in found) == [("e1:d0", "e1:d1"), ("e1:d2", "e1:d3")]
    assert all(side["text"] == "bridge" for r in found for k, side in r.evidence if k in ("a", "b"))


def test_a_date_that_is_not_when_it_was_said_is_not_the_statements_date():
    from crossnews.align.timeline import statement_date
    from crossnews.core.records import Cue, Document, Span, Speaker, Statement, TimeExpr

    def date_of(text: str, times: list[tuple[str, str]]) -> str | None:
        cue, said = text.index("said"), text.index("the vote")
        st = Statement("s", "d", Speaker(None), Cue(Span(cue, cue + 4), "say"), Span(said, len(text) - 1),
                       "indirect")
        doc = Document("d", "d", "text", text, "h", Span(0, len(text)), published="2031-03-17")
        return statement_date(st, doc, [TimeExpr("d", text.index(w), text.index(w) + len(w), "DATE", v)
                                        for w, v in times])

    assert date_of("Quist, in office since 2024, said the vote was void.", [("2024", "2024")]) == "2031-03-17"
    assert date_of("Quist, in office since March 2024, said the vote was void.", [("March 2024", "2024-03")]) \
        == "2031-03-17"
    assert date_of("Quist, who met Vell on March 3, said the vote was void.", [("March 3", "2031-03-03")]) \
        == "2031-03-17"
    assert date_of("Quist said on Wednesday the vote was void.", [("Wednesday", "2031-03-12")]) == "2031-03-12"
    assert date_of("On Wednesday, Quist said the vote was void.", [("Wednesday", "2031-03-12")]) == "2031-03-12"


def test_direction_by_publication_then_date_said_and_unknown_is_said():
    from crossnews.align.order import direction, moment

    assert moment("2031-03-17T18:40+03:00") == "2031-03-17T15:40" and moment("--03-17") is None
    first, ev = direction((moment("2031-03-17T16:12Z"), None), (moment("2031-03-17T18:40+03:00"), None))
    assert first is False and ev["known"] and ev["basis"] == "publication dates"
    assert direction(("2031-03-17", "2031-03-01"), ("2031-03-17", "2031-03-05"))[0] is True  # then the date said
    first, ev = direction((None, None), ("2031-03-17", None))
    assert first is None and not ev["known"] and "unknown" in ev["note"] and "no publication date for a" in ev["note"]


def test_quotes_whose_order_is_unknown_are_linked_once_and_say_so():
    from crossnews.align.fidelity import quote_relations
    from crossnews.core.records import Analysis, Cue, Document, Span, Speaker, Statement

    words = "the harbour will stay closed until the storm has passed over the islands"
    texts = {"x": f'The mayor said: "{words}." Ferries were cancelled.',
             "y": f'Boats stayed in port. "{words}," the mayor said.'}
    docs = tuple(Document(i, i, "text", t, f"h{i}", Span(0, len(t))) for i, t in texts.items())
    sts = []
    for i, t in texts.items():
        q = t.index(words) - 1
        c = t.index("said")
        sts.append(Statement(f"st-{i}", i, Speaker(None), Cue(Span(c, c + 4), "say"),
                             Span(q, q + len(words) + 3), "direct"))
    rels = quote_relations(Analysis(documents=docs, statements=tuple(sts)))
    assert len(rels) == 1
    ev = dict(rels[0].evidence)
    assert ev["direction"]["known"] is False and ev["primary"] is False
    assert "unknown" in ev["reasons"][0]
    dated = tuple(Document(d.id, d.source, d.format, d.text, d.content_hash, d.body,
                           published="2031-03-17" if d.id == "y" else "2031-03-18") for d in docs)
    rels = quote_relations(Analysis(documents=dated, statements=tuple(sts)))
    assert [(r.a, r.b) for r in rels] == [("st-x", "st-y")]  # x quotes y, published the day before
    assert dict(rels[0].evidence)["direction"]["known"] is True


def test_claim_chain_orders_tellings_and_says_what_drifted():
    from crossnews.align.chains import build_chains
    from crossnews.core.records import Analysis, Cue, Document, Relation, Span, Speaker, Statement

    texts = {"x": "Quist said the ferry will stop on 3 June.",
             "y": "Vell said the ferry will stop on 5 June for repairs.",
             "z": "The ferry will stop, officials said."}
    published = {"x": "2031-05-01", "y": "2032-05-01", "z": None}
    docs = tuple(Document(i, i, "text", t, f"h{i}", Span(0, len(t)), outlet=f"Out{i}", published=published[i])
                 for i, t in texts.items())

    def st(i: str, said: str) -> Statement:
        k = texts[i].index(said)
        return Statement(f"st-{i}", i, Speaker(None), Cue(Span(0, 1), "say"), Span(k, k + len(said)), "indirect")

    sts = (st("x", "the ferry will stop on 3 June"), st("y", "the ferry will stop on 5 June for repairs"),
           st("z", "The ferry will stop"))

    def side(s: Statement, speaker: str) -> dict:
        return {"doc": s.doc, "start": s.content.start, "end": s.content.end,
                "text": texts[s.doc][s.content.start:s.content.end], "speaker": speaker,
                "chain": [f"Out{s.doc}", speaker], "date": published[s.doc]}

    rels = [Relation("r1", "adds", "st-x", "st-y", (("a", side(sts[0], "Quist")), ("b", side(sts[1], "Vell"))),
                     "judge.rules.v1", 0.9),
            Relation("r2", "agrees", "st-y", "st-z", (("a", side(sts[1], "Vell")), ("b", side(sts[2], "officials"))),
                     "judge.rules.v1", 0.8),
            Relation("r3", "agrees", "st-x", "st-z", (("a", side(sts[0], "Quist")), ("b", side(sts[2], "officials"))),
                     "judge.rules.v1", 0.3)]  # too loose to chain on its own
    chains = build_chains(Analysis(documents=docs, statements=sts), rels)
    assert len(chains) == 1
    chain = chains[0]
    assert chain.members == ("st-x", "st-y", "st-z")  # in the order told; the undated one last
    first, second = chain.links
    assert (first.a, first.b, first.relation, first.known) == ("st-x", "st-y", "r1", True)
    drift = dict(first.drift)
    assert drift["numbers"] == {"before": ["3"], "after": ["5"]}
    assert drift["credited"]["before"] == "Quist" and drift["credited"]["after"] == "Vell"
    assert ["3", "5"] in drift["words"]["changed"] and "for repairs" in drift["words"]["added"]
    assert (second.a, second.b, second.relation, second.known) == ("st-y", "st-z", "r2", False)


def test_demonyms_fold_to_their_country_by_regular_endings():
    from crossnews.align.words import fold_name

    assert [fold_name(w) for w in ("Chilean", "Peruvian", "Ukrainian", "Sudanese", "Kuwaiti", "Russian")] == \
        ["chile", "peru", "ukraine", "sudan", "kuwait", "russia"]
    assert [fold_name(w) for w in ("Roman", "Christian", "Guardian", "Texan")] == \
        ["roman", "christian", "guardian", "texan"]


def test_a_time_of_day_is_no_count():
    from crossnews.align.judges.evidence import numbers_of

    # "at around 07.00 Moscow time" / "at about 07:00 Moscow Time": one moment, not "07.00" against "00"
    assert numbers_of("at about 07:00 Moscow Time, three ships crossed") == {}
    assert numbers_of("at 6.59 pm, 12 soldiers crossed") == {"soldier": ("12", 12, 23)}


def test_a_quotation_that_joins_two_of_the_sources_statements_reproduces_both():
    from crossnews.align.fidelity import _targets
    from crossnews.core.records import Cue, Span, Speaker, Statement

    def st(sid: str, start: int, end: int, nested: str | None = None) -> Statement:
        return Statement(sid, "d", Speaker(None), Cue(Span(0, 1), "say"), Span(start, end), "direct",
                         nested_in=nested)

    source = [st("s1", 10, 60), st("s2", 80, 140), st("s3", 90, 120, nested="s2"), st("s4", 200, 260)]
    # '"...," the service said. "..."': the later page quotes both as one
    assert _targets(source, "d", 12, 138) == [("s1", 12, 60), ("s2", 80, 138)]
    assert _targets(source, "d", 20, 50) == [("s1", 20, 50)]  # inside one statement
    assert _targets(source, "d", 150, 190) == [("d", 150, 190)]  # no statement: the document


def _names(text: str, *names: str) -> list[tuple[int, int, str]]:
    import re

    return [(m.start(), m.end(), n) for n in names for m in re.finditer(re.escape(n), text)]


@pytest.mark.parametrize(("text", "cue", "names", "expected"), [
    ("the Varn Institute hasn't come up with any evidence for its findings", "said", ("Varn Institute",),
     {"Varn Institute"}),
    ("that the VI report was biased towards Oskel and was not decisive", "added", ("VI", "Oskel"), {"VI"}),
    ("\u201cunfounded\u201d a report by the Varn Institute on the strike", "denounced as", ("Varn Institute",),
     {"Varn Institute"}),
    ("the Varn Institute's claims", "rejected", ("Varn Institute",), {"Varn Institute"}),
    ("it was published without a genuine investigation, and that Varn is not a reliable source", "saying",
     ("Varn",), {"Varn"}),
    # the rejection restates the claim: that claim is the owner's own (nested) statement, not a rejected report
    ("Mayor Quist's claim that the dam was shelled by Oskel", "rejected", ("Quist",), set()),
    # a report condemned ("slammed", "criticized") is rejected: the dev stories' gold pairs "criticized HRW's
    # initial report" with HRW's finding
    ("the Varn Institute's report on the strike", "slammed", ("Varn Institute",), {"Varn Institute"}),
    # judging a report's worth is not calling it untrue; a party named elsewhere in the clause is not its subject
    ("that Oskel received questions from Varn two weeks ago", "added", ("Oskel", "Varn"), set()),
    ("that the VI report was late and Oskel was not decisive", "added", ("Oskel",), set()),
    # a fear or a forecast is no charge
    ("we are concerned that Mayor Quist may lie about the dam", "said", ("Quist",), set()),
])
def test_a_rejection_names_the_party_whose_report_it_says_is_untrue(text, cue, names, expected):
    from crossnews.align.judges.evidence import rejected

    assert rejected(text, cue, _names(text, *names)) == expected


def test_a_claim_and_a_rejection_of_its_speakers_report_contradict():
    finding = Claim("evidence suggested a misfired rocket was the likely cause of the blast at the clinic",
                    speaker="Varn Institute", speaker_entity="org:varn")
    rejection = Claim("the Varn Institute hasn't come up with any evidence to support its findings",
                      speaker="Oskel Front", speaker_entity="org:oskel", entities=("org:varn",), cue="said",
                      rejects=("org:varn",))
    j = get_judge().judge([(finding, rejection)])[0]
    assert j.label == "contradicts"
    assert "rejects what Varn Institute reported" in j.evidence["reasons"][0]
    assert j.evidence["spans"]["b"][0]["text"].startswith("hasn't come up with any evidence")
    # the same words about a party that did not make the claim contradict nothing
    other = Claim(finding.text, speaker="Mira Quist", speaker_entity="person:mira-quist")
    assert get_judge().judge([(other, rejection)])[0].label != "contradicts"


def _sides_of_speakers(tmp_path, text: str, *names: str) -> list[frozenset[str]]:
    """The sides of the claims of one analysed page whose speaker holds one of ``names`` (any case)."""
    from crossnews.align import relations as R
    from crossnews.pipeline import AnalyzeOptions, analyze
    from crossnews.store.sqlite import open_store

    page = tmp_path / "page.txt"
    page.write_text(text, encoding="utf-8")
    with open_store(tmp_path / "x.db") as store:
        analyze([str(page)], store, AnalyzeOptions(relations=False))
        an = store.analysis()
    units, _ = R._units(an, R.RelateOptions(), {})
    return [u.claim.side for u in units if any(n in (u.claim.speaker or "").lower() for n in names)]


def test_a_local_speaker_speaks_for_the_country_of_the_scene(tmp_path):
    # the scene is a town (Tehran: Iran), though the article names the country it blames as often
    sides = _sides_of_speakers(tmp_path, "Blast at Tehran plant\n\nA blast hit a plant in Tehran on Monday. Iraq "
                               "denied any role. Iraq said its forces were not near Tehran.\n\nAt least 20 people "
                               "were killed in the blast at the plant, local officials said on Monday.\n", "local")
    assert sides and all(side == {"iran"} for side in sides)


def test_the_services_of_the_scene_speak_for_its_country(tmp_path):
    sides = _sides_of_speakers(tmp_path, "Blast at Tehran plant\n\nA blast hit a plant in Tehran on Monday. Iraq "
                               "denied any role.\n\nThe Guard-run health ministry said that at least 20 people were "
                               "killed in the blast at the plant. Civil defence officials said the fire was out.\n",
                               "health ministry", "civil defence")
    assert len(sides) == 2 and all(side == {"iran"} for side in sides)


def test_where_an_act_is_aimed_and_the_means_are_no_doers():
    from crossnews.align.judges.evidence import read

    launched = read("the blast was likely caused by a missile that was launched from within Peru towards Chile")
    assert [c.agents for c in launched.causes if c.word == "launched"] == [{"peru"}]
    # "by" and a gerund gives the means of the act, not who did it
    assert not [c for c in read("the massacre he committed by bombing the Varn Clinic").causes if c.agents]
    # a claim that names Chile only as the target still rivals one that puts the act on Chile
    a = Claim("20 people were killed during the Chilean strikes that targeted the Varn clinic",
              speaker_entity="org:a", side=frozenset({"peru"}))
    b = Claim("the blast was likely caused by a missile that was launched from within Peru towards Chile",
              speaker_entity="person:b")
    assert get_judge().judge([(a, b)])[0].label == "contradicts"


def test_this_report_is_the_report_the_text_just_before_names():
    from crossnews.align.judges.evidence import rejected

    before = "The Front slammed the Varn Institute's report, calling it biased in favour of the Oskel narrative. "
    named = _names(before, "Varn Institute", "Oskel")
    assert rejected("This report is full of lies", "said", [], lambda: (before, named)) == {"Varn Institute"}
    # a claim with no rejection, or one that names its own owner, takes nothing from before
    assert rejected("This report came out on Monday", "said", [], lambda: (before, named)) == frozenset()
    text = "the Quist report is full of lies"
    assert rejected(text, "said", _names(text, "Quist"), lambda: (before, named)) == {"Quist"}


def test_a_rejection_of_a_countrys_statements_contradicts_that_sides_claims():
    from crossnews.align.judges.evidence import report_owners

    text = "Chilean statements seem to have misinterpreted the evidence"
    assert report_owners(text, _names(text, "Chilean")) == {"Chilean"}
    # the subject of a rejection is not the owner of a report: "Peru failed to provide any credible explanation"
    text = "Peru had failed to provide any credible explanation of events"
    assert report_owners(text, _names(text, "Peru")) == set()
    finding = Claim("the blast was caused by a rocket misfired by the Oskel Front", speaker_entity="org:army",
                    speaker="Chilean army", side=frozenset({"chile"}))
    rejection = Claim("Chilean statements seem to have misinterpreted the evidence", speaker_entity="org:aj",
                      speaker="Varn News", rejects_sides=frozenset({"chile"}))
    assert get_judge().judge([(finding, rejection)])[0].label == "contradicts"
    same_side = dataclasses.replace(rejection, side=frozenset({"chile"}))
    assert get_judge().judge([(finding, same_side)])[0].label != "contradicts"


def test_a_rumour_with_an_aside_before_what_it_says_is_reported_not_held():
    from crossnews.align.judges.evidence import read

    text = ("As soon as the rumors, fed by the Peruvian leadership, about the fact that the substance made in Chile "
            "was involved in the poisoning appeared, we asked for access to it")
    assert not [m for m in read(text).marks if m.scale == "responsibility"]
    held = Claim("Chile is not guilty", speaker_entity="person:a")
    assert get_judge().judge([(Claim(text, speaker_entity="person:a"), held)])[0].label != "contradicts"


def test_one_side_clearing_itself_and_blaming_another_country_is_one_account():
    from crossnews.align.judges.evidence import own_causes, read

    chile = frozenset({"chile"})
    # a speaker speaks of itself by a pronoun, or (after a denial) by none at all
    assert [(c.word, c.negated) for c in own_causes(read("it was involved", "denied"), chile)] == [("involved", True)]
    assert [c.agents for c in own_causes(read("we are not responsible for this", "said"), chile)] == [chile]
    assert [c.word for c in own_causes(read("launching the strike", "denied"), chile)] == ["launching"]
    assert not own_causes(read("it was involved", "said"), chile)  # "it" may be anything without the denial
    assert not own_causes(read("investigating the blast", "denied"), chile)  # no act denied
    assert not own_causes(read("it was involved", "denied"), frozenset())  # no side: no one to clear

    def claim(text: str, cue: str, who: str) -> Claim:
        return Claim(text, cue=cue, speaker_entity=who, speaker=who, side=chile)

    denial = claim("launching the strike", "denied", "org:chile")
    blame = claim("the blast was caused by a rocket misfired by a Peruvian militia", "said", "org:army")
    j = get_judge().judge([(denial, blame)])[0]
    assert j.label == "agrees" and j.evidence["account"] and j.evidence["reasons"][0].startswith("one account")
    # another matter: a stance word on another country is not the act ("to blame for worsening relations")
    other = claim("Peru is to blame for worsening relations", "said", "org:army")
    assert not get_judge().judge([(claim("Chile is not guilty", "said", "org:chile"), other)])[0].evidence.get(
        "account")
    # a claim that also puts the act on its own side tells no such account
    both = claim("a Chilean strike and a Peruvian rocket hit the depot", "said", "org:army")
    assert not get_judge().judge([(denial, both)])[0].evidence.get("account")


def test_one_speakers_claims_quoting_the_same_words_tell_one_utterance():
    from crossnews.align.judges.rules import same_quoted
    from crossnews.align.words import quoted_phrases

    assert quoted_phrases("dismissed Mrs Vale’s claim as a “circus show”") == {"circus show"}
    assert quoted_phrases("the ‘circus show’ of Chile’s parliament") == {"circus show"}  # ’s is no closing mark
    assert not quoted_phrases("a “sham” vote")  # one word is no phrase
    assert same_quoted("dismissed the claim as a 'circus show'", "\"This is a circus show in Peru's senate\"") == (
        "circus show")
    a = Claim("Mrs Vale’s claim as a “circus show”", cue="dismissed", speaker_entity="person:z", speaker="Zara")
    b = Claim("\"This is a circus show in Peru's senate,\"", cue="said", speaker_entity="person:z", speaker="Zara")
    j = get_judge().judge([(a, b)])[0]
    assert j.label == "agrees" and j.evidence["quoted_words"] == "circus show"
    # two speakers of no known side quoting the same words are not one utterance
    other = dataclasses.replace(b, speaker_entity="person:y", speaker="Yan")
    assert not get_judge().judge([(a, other)])[0].evidence.get("quoted_words")
    # the same words at length stay a reuse of the words ("same"), not only an agreement
    c = Claim("“This is a circus show in Peru's senate, and nothing else,”", speaker_entity="person:z")
    d = Claim("\"This is a circus show in Peru's senate, and nothing else\"", speaker_entity="person:z")
    assert get_judge().judge([(c, d)])[0].label == "same"


def test_one_speakers_offer_told_in_other_words_is_found_however_far_apart(tmp_path):

    from crossnews.align import relations as R
    from crossnews.pipeline import AnalyzeOptions, analyze
    from crossnews.store.sqlite import open_store

    # the judge: one speaker's same position on one scale, in other words
    a = Claim("Velgrad is willing to help with the investigation into the blast", speaker_entity="person:marov")
    b = Claim("it was ready to cooperate with Ostria", speaker_entity="person:marov")
    j = get_judge().judge([(a, b)])[0]
    assert j.label == "agrees" and j.evidence["stance"] == "cooperation"
    assert get_judge().judge([(a, dataclasses.replace(b, text="it refused to cooperate with Ostria"))])[0].label \
        == "contradicts"
    # relating: the two are far apart in meaning, yet judged as one speaker's claims of one story
    pages = {"a.txt": ("Blast at Velgrad harbour\n\nVELGRAD, March 2, 2024. Foreign Minister Oleg Marov said on "
                       "Friday that Velgrad is willing to help with the investigation into the harbour blast.\n"),
             "b.txt": ("Velgrad answers Ostria on harbour blast\n\nVELGRAD, March 4, 2024. Foreign Minister Oleg "
                       "Marov said on Sunday that it was ready to cooperate with Ostria on the harbour blast.\n")}
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with open_store(tmp_path / "x.db") as store:
        analyze([str(tmp_path / n) for n in pages], store, AnalyzeOptions(relations=False))
        an = store.analysis()
    far = R.RelateOptions(min_similarity=0.99)  # no pair is near enough in meaning to be judged for that

    def offers(options: R.RelateOptions) -> list[Any]:
        return [r for r in R.relate(an, options=options) if dict(r.evidence).get("stance") == "cooperation"]

    assert [r.type for r in offers(far)] == ["retells"]
    assert not offers(dataclasses.replace(far, per_speaker=0))


def test_ramming_puts_the_act_on_the_ship_s_country():
    from crossnews.align.judges.evidence import read

    assert [(c.word, sorted(c.agents)) for c in read("a Chilean ship rammed into the tug boat", "said").causes] == [
        ("rammed", ["chile"])]
    told = [Claim("a Chilean ship rammed into the tug boat Yana belonging to the Peruvian navy", speaker_entity="o:n"),
            Claim("A Chilean coast guard vessel rammed a Peruvian navy tugboat near the strait",
                  speaker_entity="o:n")]
    j = get_judge().judge([tuple(told)])[0]
    assert j.label == "agrees" and j.evidence.get("same_party") == "blamed"


def test_conducting_an_attack_names_its_doer_an_investigation_does_not():
    from crossnews.align.judges.evidence import read

    def causes(text: str) -> list[tuple[str, list[str], bool]]:
        return [(c.word, sorted(c.agents), c.negated) for c in read(text, "said").causes]

    assert causes("the Chilean army was not conducting air operations near the depot") == [
        ("conducting", ["chile"], True)]
    assert causes("Chilean investigators conducted an investigation into the blast") == []
    assert causes("the provocation was conducted under the order of Peru") == [("conducted", ["peru"], False)]


def test_two_speakers_of_one_side_with_the_same_stance_word_take_one_position():
    chile = frozenset({"chile"})
    a = Claim("three Peruvian ships, violating the convention, crossed the maritime border", speaker_entity="o:fsb",
              speaker="FSB", side=chile)
    b = Claim("the sailors of violating its maritime borders", cue="accused", speaker_entity="c:cl", speaker="Chile",
              side=chile)
    j = get_judge().judge([(a, b)])[0]
    assert j.label == "agrees" and j.evidence["stance"] == "legitimacy"
    # other words on the same scale are two positions of two speakers, not one told again
    c = dataclasses.replace(b, text="the sailors of illegally crossing its maritime borders")
    assert get_judge().judge([(a, c)])[0].evidence.get("stance") is None
    # and two sides' speakers never
    assert get_judge().judge([(a, dataclasses.replace(b, side=frozenset({"peru"})))])[0].evidence.get("stance") is None
    # a word that tells what happened is no position ("a failed rocket launch")
    d = dataclasses.replace(a, text="the blast came from a failed rocket launch near the maritime border")
    e = dataclasses.replace(b, text="a failed rocket launch by the militia hit the maritime border post")
    assert get_judge().judge([(d, e)])[0].evidence.get("stance") is None


def test_what_a_party_is_accused_of_claiming_is_not_held():
    from crossnews.align.judges.evidence import read

    r = read("the Oskel Front of misleading the media by claiming it was a Chilean airstrike", "accuses")
    assert [(c.word, c.supposed) for c in r.causes if c.word == "airstrike"] == [("airstrike", True)]
    held = read("the Oskel Front of misleading the media after a Chilean airstrike", "accuses")
    assert [(c.word, c.supposed) for c in held.causes if c.word == "airstrike"] == [("airstrike", False)]


def test_a_party_held_responsible_by_a_stance_word_rivals_another_countrys_act():
    held = Claim("the Chilean enemy is trying hard to evade its responsibility for the massacre",
                 speaker_entity="org:front", speaker="Oskel Front")
    act = Claim("the most likely cause of the explosion was a Peruvian rocket", speaker_entity="anon:x:1",
                speaker="a senior official")
    j = get_judge().judge([(held, act)])[0]
    assert j.label == "contradicts" and any(r.startswith("rival causes") for r in j.evidence["reasons"])
    # the same country on both sides is no rival
    same = dataclasses.replace(act, text="the most likely cause of the explosion was a Chilean rocket")
    assert get_judge().judge([(held, same)])[0].label != "contradicts"


def test_acts_beyond_strikes_name_their_doers_and_makers_are_no_doers():
    from crossnews.align.judges.evidence import read

    def causes(text: str, cue: str = "said") -> list[tuple[str, list[str]]]:
        return [(c.word, sorted(c.agents)) for c in read(text, cue).causes if not (c.negated or c.beside)]

    assert causes("Chilean forces had caused an explosion at the dam") == [("caused", ["chile"])]
    assert causes("this was deliberate sabotage by the Peruvian side") == [("sabotage", ["peru"])]
    assert causes("the dam was blown up by Chilean troops") == [("blown", ["chile"])]
    assert causes("the attack was approved at senior level of the Chilean state") == [("approved", ["chile"])]
    # who made a weapon is not who fired it
    assert causes("a missile made by Peru in the 1970s fell on the farm") == []
    assert causes("most likely it was a Peruvian-made rocket") == []
    # "blamed [the act on a party]", not on the act's own object
    assert causes("the destruction of the dam on Peruvian forces", "blamed") == [("blamed", ["peru"])]
    assert causes("the nerve agent attack on ex-minister Juan Soto", "blamed") == []
    # the approval of an act is who did it, not whether it was lawful
    assert not [m for m in read("the attack was approved at senior level of the Chilean state", "said").marks
                if m.scale == "legitimacy"]


def test_atrocities_name_their_doers_and_are_denied_by_the_side_they_are_laid_at():
    from crossnews.align.judges.evidence import own_acts, own_causes, read

    def causes(text: str, cue: str = "said") -> list[tuple[str, list[str], bool]]:
        return [(c.word, sorted(c.agents), c.negated) for c in read(text, cue).causes if not c.supposed]

    assert causes("Chile is guilty of genocide") == [("guilty", ["chile"], False)]
    assert causes("the footage is evidence of a massacre by the Chilean army") == [("massacre", ["chile"], False)]
    assert causes("Chilean forces committed war crimes in the valley") == [("committed", ["chile"], False)]
    assert causes("Chile has carried out air strikes on the port") == [("carried", ["chile"], False)]
    assert causes("Chile has carried out war crimes", "denied") == [("carried", ["chile"], True)]
    # a place before a massacre is where, not who; "by bombing" is how, not who
    assert causes("the Arica massacre shocked the region") == []
    assert causes("the massacre he committed by bombing the Santa Rosa Hospital") == []
    # "committed aggressive actions" is no named act; an allegation is not held
    assert causes("several Chilean boats committed aggressive actions") == []
    assert causes("the allegations being levied on the Chilean troops of committing war crimes", "called") == []
    chile = frozenset({"chile"})
    # the accused side denies an act it is not named for: "its army", or allegations of an act with no doer
    r = read("claims that its army was behind atrocities against civilians", "has rejected")
    assert [(c.word, c.negated) for c in own_acts(r, chile)] == [("behind", True)]
    r = read("all allegations of brutal civilian killings in the town", "disputed")
    assert [(c.word, c.negated) for c in own_causes(r, chile)] == [("killings", True)]
    # "their crimes" in a report of a speaker's words are those it accuses, not its side's
    assert own_acts(read("those responsible should answer for their crimes", "saying"), chile) == ()


def test_weapons_used_name_their_users_and_a_side_denies_an_act_no_one_is_named_for():
    from crossnews.align.judges.evidence import own_acts, own_causes, read

    def causes(text: str, cue: str = "said") -> list[tuple[str, list[str]]]:
        return [(c.word, sorted(c.agents)) for c in read(text, cue).causes if not (c.negated or c.supposed)]

    assert causes("chemical weapons were used by the Chilean army on the town") == [("used", ["chile"])]
    assert causes("Lima has proof that Chile used chemical weapons") == [("used", ["chile"])]
    assert causes("Peru used the word animal") == []
    # who reports an act is not its doer
    assert causes("Peru says Chile fired the rocket") == [("fired", ["chile"]), ("rocket", ["chile"])]
    # "you just have to say that ...": no one's claim
    assert causes("you just have to say that Chile uses chemical weapons everywhere") == []
    # an accusation's object: the body a country's name owns is not the country, its forces are
    assert causes('Chile\'s rescue volunteers known as the "Blue Caps" of staging the attack', "accused") == [
        ("accused", ["blue", "caps"])]
    assert causes("Chile's military of shelling the port", "accused") == [("accused", ["chile"]),
                                                                           ("shelling", ["chile"])]
    chile = frozenset({"chile"})
    for text, cue in (("that chemical weapons were used in Arica", "denied"),
                      ("a chemical attack took place", "deny")):
        assert [c.negated for c in own_causes(read(text, cue), chile)] == [True], text
    # not when another party is named for it, nor when the act is what something else was done to
    assert not own_causes(read("that Peru used chemical weapons in Arica", "denied"), chile)
    assert not own_causes(read("investigating the blast", "denied"), chile)
    # a violent act with no doer named, done to someone named before it, is still the denying side's to deny
    assert [c.negated for c in own_causes(read("that the reporter had been killed at the mission", "denied"),
                                          chile)] == [True]
    # a duty is no blame; a denial's own "baseless" stays baseless
    assert not read("that Chile was responsible for the safety and well-being of all its citizens", "said").causes
    assert [m.polarity for m in read("an officer as denying these baseless allegations", "cited").marks] == [-1]
    # "claims of X's involvement are lies" clears X; a rejection's "lie" is the rejecter's own word on the charges
    r = read("claims of Tomas Vell's involvement in the crash are \"absolute lies.\"", "said")
    assert [(m.word, m.polarity) for m in r.marks if m.scale == "responsibility"] == [("involvement", -1)]
    r = read("allegations as “absolute lie” that the Kremlin was behind the crash", "rejected")
    assert [(m.word, m.polarity) for m in r.marks if m.scale == "truth"] == [("lie", -1)]
    # a side's own forces shooting down, a side's speaker negating an act no one is named for, but not one who is
    # not certain who did it; a name after "into" before the verb is no doer
    assert [(c.word, c.negated) for c in own_acts(read("its military unintentionally shot down the jet", "says"),
                                                   chile)] == [("shot", False)]
    assert [c.negated for c in own_causes(read("he was certain that the plane was not hit by a missile", "said"),
                                          chile)] == [True]
    assert not own_causes(read("his country could not be certain who launched the missile", "told"), chile)
    assert [sorted(c.agents) for c in read("Peruvian missiles had crossed into Chilean territory and killed two "
                                           "people", "said").causes] == [["peru"]]
    # who is only possibly involved is held by no one
    assert not read("Chilean officials to provide information about the personnel potentially involved in the strike",
                    "called on").marks


def test_one_contest_has_one_winner_and_accented_names_are_one_name():
    from crossnews.align.judges.evidence import compare, read
    from crossnews.align.words import WORD, fold_name

    assert WORD.findall("Nicolás Maduro, don’t") == ["Nicolás", "Maduro", "don’t"]
    assert fold_name("González") == fold_name("Gonzalez") == "gonzalez"
    cne = read("that Vell had won 51% of the vote, beating opposition candidate Quist, who got 44%", "announced")
    assert cne.winners == (("vell", False),)
    assert read("what they saw as a landslide victory for Mr Quist", "said").winners == (("quist", False),)
    assert read("President Tomás Vell the winner of the election", "declared").winners == (("vell", False),)
    assert read("Vell’s win was “impossible.”", "said").winners == (("vell", True),)
    assert compare(cne, read("Quist won twice as many votes as Vell", "said")).rival_winners == ("vell", "quist")
    assert compare(cne, read("Vell’s win was “impossible.”", "said")).rival_winners == ("vell", "vell")
    assert compare(cne, read("President Tomás Vell the winner of the election", "declared")).rival_winners is None
    a = Claim("that Vell had won 51% of the vote", cue="announced", speaker_entity="org:council", speaker="council")
    b = Claim("Vell’s win was “impossible.”", cue="said", speaker_entity="person:quist", speaker="Quist")
    assert judge_pair(a, b).label == "contradicts"


def test_two_counts_of_one_crowd_contradict_whoever_gives_them():
    from crossnews.align.judges.evidence import numbers_of

    assert numbers_of("About two million protesters choked the streets")["crowd"][0] == "2000000"
    assert numbers_of("the crowd at almost 2 million, twice that of the previous Sunday")["crowd"][0] == "2000000"
    assert numbers_of("338,000 people turned out at the peak")["crowd"][0] == "338000"
    assert "crowd" not in numbers_of("500 people were killed at the protest")  # a toll is its own kind
    assert "crowd" not in numbers_of("the city of 7.3 million")
    organisers = Claim("About two million protesters choked the streets of Arica", cue="said",
                       speaker_entity="org:front", speaker="organisers")
    police = Claim("338,000 people turned out in Arica at the demonstration's peak", cue="said",
                   speaker_entity="org:police", speaker="Police")
    assert judge_pair(organisers, police).label == "contradicts"


def test_a_recurring_act_is_not_the_one_event():
    from crossnews.align.judges.evidence import read

    for text in ("Lima needs weapons to defend itself from the daily bombardment of Chilean missiles",
                 "the Chilean missile attack against Peru lasted practically all day"):
        assert all(c.beside for c in read(text, "said").causes), text
    assert not any(c.beside for c in read("a Chilean missile hit the farm on Tuesday", "said").causes)


def test_ruling_out_denies_and_no_evidence_neither_asserts_nor_denies():
    from crossnews.align.judges.evidence import read

    assert read("that the missile was launched from Chile", "ruled out").cue_denies
    r = read("there is no evidence that the projectile was fired by Chile", "says")
    assert r.causes and all(c.supposed for c in r.causes)


def test_clearing_one_party_and_blaming_another_is_one_account_for_one_speaker():
    duda = dict(speaker_entity="person:duda", speaker="Duda")
    cleared = Claim("that the missile was launched from Chile", cue="ruled out", **duda)
    blamed = Claim("there is a high probability that it was a Peruvian air defence missile", **duda)
    assert judge_pair(cleared, blamed).label != "contradicts"
    # not knowing who fired it is no denial of what one knows
    knew = Claim("we know well that the missile attack lasted all day, but we do not know who launched the "
                 "missile", **duda)
    unsure = Claim("officials did not know for sure who fired it", **duda)
    assert judge_pair(knew, unsure).label != "contradicts"
    # clearing a party and blaming that same party still contradict
    same = dataclasses.replace(blamed, text="there is a high probability that it was a Chilean missile")
    assert judge_pair(cleared, same).label == "contradicts"


def test_a_speaker_clearing_its_own_forces_without_naming_them_contradicts_blame():
    peru = frozenset({"peru"})
    denial = Claim("his military did not fire the missile that killed two farmers", cue="insisted",
                   speaker_entity="person:ortiz", speaker="Ortiz", side=peru)
    blame = Claim("there is a high probability that it was a Peruvian air defence missile",
                  speaker_entity="person:duda", speaker="Duda", side=frozenset({"bolivia"}))
    j = judge_pair(denial, blame)
    assert j.label == "contradicts"
    quoted = dataclasses.replace(denial, text="“I have no doubt that it was not our missile or our missile strike”")
    assert judge_pair(quoted, blame).label == "contradicts"
    # inside a quote, "his" is someone else's
    other = dataclasses.replace(denial, text="“his military did not fire the missile that killed two farmers”")
    assert judge_pair(other, blame).label != "contradicts"


def test_an_accusation_the_claim_reports_is_not_held_by_its_speaker():
    from crossnews.align.judges.evidence import read

    def held(text: str) -> list[tuple[str | None, int]]:
        return [(m.target, m.polarity) for m in read(text, "said").marks if m.scale == "responsibility"]

    assert held("the Lima authorities are using every chance to accuse Santiago") == []
    assert held("Santiago is not to blame for the poisoning") == [("santiago", -1)]
    assert held("we blame Santiago for the poisoning") == [("santiago", 1)]


def judge_pair(a: Claim, b: Claim) -> Judgement:
    return get_judge().judge([(a, b)])[0]


def test_where_a_weapon_came_from_and_who_shot_down_a_plane_name_the_doer():
    from crossnews.align.judges.evidence import own_causes, read

    def causes(text: str, cue: str = "said") -> list[tuple[str, list[str], bool]]:
        return [(c.word, sorted(c.agents), c.negated) for c in read(text, cue).causes]

    assert ("missile", ["chile", "vulcan"], False) in causes(
        "the Vulcan missile that brought down the plane over the northern coast came from a Chile-based unit")
    assert ("shot", ["peru"], False) in causes("the airliner was shot down by a Peruvian fighter jet")
    assert causes("Not a single missile of the Chilean armed forces has ever crossed the border") == [
        ("missile", ["chile"], True)]
    # the owner of a weapon follows "of", the target of a bombing does not name its doer
    assert causes("the bombing of the hospital") == []
    # a denial with no subject denies the speaker's own involvement
    denial = read("any involvement in the downing of Flight 22", "continues to deny")
    assert [(c.word, c.negated) for c in own_causes(denial, frozenset({"chile"}))] == [("involvement", True)]
    # "the involvement of X" holds X, not the subject before it
    r = read("Chile has provided evidence pointing to the involvement of the Peruvian crews", "said")
    assert [m.target for m in r.marks if m.scale == "responsibility"] == ["peru"]


def test_a_dismissed_allegation_of_killing_contradicts_the_blame():
    dismissal = Claim("her allegations that Mr Ortega had killed the country's opposition leader as “unfounded”",
                      cue="dismissed", speaker_entity="anon:spokesman", speaker="his spokesman")
    blame = Claim("Make no mistake: Ortega is responsible for Silva's death", speaker_entity="person:biden",
                  speaker="Joe Biden")
    assert judge_pair(dismissal, blame).label == "contradicts"


def test_what_could_be_done_is_not_the_report_a_denial_rejects():
    peru = frozenset({"peru"})
    plan = Claim("that blowing up the dam could be done as a last resort to halt Chilean advances",
                 speaker_entity="person:general", speaker="General Soto", side=peru)
    denial = Claim("accusations by Peru that Chilean forces had blown up the dam", cue="denied",
                   speaker_entity="person:ruiz", speaker="Ruiz", side=frozenset({"chile"}), rejects_sides=peru)
    assert judge_pair(plan, denial).label != "contradicts"
    told = dataclasses.replace(plan, text="that Chilean forces had blown up the dam at night")
    assert judge_pair(told, denial).label == "contradicts"


def test_two_speakers_sharing_only_names_do_not_agree():
    a = Claim("Chilean President Ana Ortega did not see the video in which Silva's widow spoke",
              speaker_entity="anon:spokesman", speaker="his spokesman")
    b = Claim("there was no doubt that Chilean President Ana Ortega was responsible for Silva's death",
              speaker_entity="person:biden", speaker="Joe Biden")
    assert judge_pair(a, b).label != "agrees"


def test_one_calling_unlikely_what_the_other_holds_most_likely_contradicts():
    doubt = Claim("the lab leak theory “extremely unlikely”", cue="called", speaker_entity="org:mission",
                  speaker="the joint mission")
    held = Claim("a lab leak is the most likely explanation of the outbreak", speaker_entity="org:bureau",
                 speaker="the bureau")
    j = judge_pair(doubt, held)
    assert j.label == "contradicts" and any(r.startswith("one doubts") for r in j.evidence["reasons"])
    # a dismissal of the same claim agrees with the doubt, it does not hold the claim
    dismissed = dataclasses.replace(held, cue="dismissed", text="claims that a lab leak is the most likely "
                                    "explanation of the outbreak")
    assert judge_pair(doubt, dismissed).label != "contradicts"


def test_a_closing_single_quote_is_no_part_of_the_word():
    from crossnews.align.words import WORD

    assert WORD.findall("any ‘credible’ explanation, the players' union") == [
        "any", "credible", "explanation", "the", "players", "union"]


def test_one_body_named_in_other_words_retells_its_finding():
    a = Claim("the missile had come from a unit based in northern Chile", speaker="A Lima-led team",
              speaker_entity="desc:lima-led-team")
    b = Claim("the Vulcan missile that brought down the plane came from a Chile-based military unit",
              speaker="an international team of investigators", speaker_entity="desc:team-of-investigators")
    j = judge_pair(a, b)
    assert j.label == "agrees" and j.evidence.get("same_party") == "blamed"
    # "officials" of two bodies are not one body
    c = dataclasses.replace(a, speaker="Chilean officials", speaker_entity="desc:chilean-officials")
    d = dataclasses.replace(b, speaker="Peruvian officials", speaker_entity="desc:peruvian-officials")
    assert judge_pair(c, d).evidence.get("same_party") is None


def test_one_speakers_two_things_said_on_one_topic_do_not_contradict_on_a_word():
    barr = dict(speaker_entity="person:barr", speaker="William Barr")
    a = Claim("There's been one assertion that would be systemic fraud and that would be the claim that machines "
              "were programmed to skew the results", **barr)
    b = Claim("Most claims of fraud are very particularized to a set of circumstances. They are not systemic "
              "allegations", **barr)
    assert judge_pair(a, b).label != "contradicts"
    # the same claim negated still contradicts
    c = Claim("the ships entered Chilean territorial waters on Sunday", **barr)
    d = Claim("the ships did not enter Chilean territorial waters on Sunday", **barr)
    assert judge_pair(c, d).label == "contradicts"


def test_one_speakers_verdicts_on_two_things_do_not_contradict():
    # one candidate's "win" and "not win" about two contests: the only shared word is the verdict
    dorn = dict(speaker_entity="person:dorn", speaker="Ada Dorn")
    a = Claim("Ferris is not clever enough to win", **dorn)
    b = Claim("she had won the most districts and the most ballots", **dorn)
    assert judge_pair(a, b).label != "contradicts"
    c = Claim("she backs the new canal tax", **dorn)
    d = Claim("she opposes school uniforms", **dorn)
    assert judge_pair(c, d).label != "contradicts"
    # one verdict on one thing, in other words around it, still contradicts
    e = Claim("the vote in Ostria was undoubtedly sincere", **dorn)
    f = Claim("the vote was illegal under Velgrad law", **dorn)
    j = judge_pair(e, f)
    assert j.label == "contradicts" and "opposite legitimacy" in j.evidence["reasons"][0]


def test_unresolved_speakers_share_more_than_one_negated_word_to_contradict():
    # two statements of speakers the extraction could not resolve, in two articles: one shared word negated on one
    # side is two remarks about a vote, not one claim and its negation
    a = Claim("it was not expected to be the calmest of votes", doc="d1", speaker="it")
    b = Claim("what happened to the rural vote", doc="d2", speaker="they")
    assert judge_pair(a, b).label != "contradicts"
    # bare texts with no speaker at all (claim-pair data) are read as one source's, as before
    assert judge_pair(Claim("the vote was calm"), Claim("the vote was not calm")).label == "contradicts"


def test_a_pronoun_with_its_verb_is_no_name():
    from crossnews.align.judges.evidence import read

    r = read("“We’re going to win this election,” Dorn told reporters")
    assert not r.tokens[0].name
    a = Claim("“We’re going to win this election,” Dorn told reporters", speaker_entity="person:dorn")
    b = Claim("Dorn's victory in the northern primary was narrow", speaker_entity="org:gazette")
    assert judge_pair(a, b).label != "contradicts"


def test_what_is_not_the_only_case_or_only_supposed_is_not_negated():
    from crossnews.align.judges.evidence import read

    assert not read("Ferris isn't the only candidate ready to close the mines").negators
    assert not read("he may leave the race if he doesn't do well in the northern primary").negators
    assert read("he doesn't do well in the northern primary").negators


def test_a_speaker_who_is_not_saying_asserts_nothing():
    dorn = dict(speaker_entity="person:dorn", speaker="Ada Dorn")
    a = Claim("which other taxes she would support", cue="isn't saying", **dorn)
    b = Claim("her support of the canal tax and other taxes", cue="was defending", **dorn)
    j = judge_pair(a, b)
    assert j.label == "unrelated" and "asserts nothing" in j.evidence["reasons"][0]
    # a denial is not silence
    c = Claim("she would support the canal tax", cue="denied", **dorn)
    assert not any("asserts nothing" in r for r in judge_pair(c, b).evidence["reasons"])


def test_one_speakers_same_verdict_on_two_things_is_no_agreement():
    dorn = dict(speaker_entity="person:dorn", speaker="Ada Dorn")
    a = Claim("she can win the northern primary", **dorn)
    b = Claim("when you win, it feels wonderful", **dorn)
    assert judge_pair(a, b).label != "agrees"
    # a capital inside a sentence names a party, it takes no position
    from crossnews.align.judges.evidence import stance_marks

    assert not stance_marks("she is moving closer to the Democratic nomination")
    assert [m.scale for m in stance_marks("Democratic rule was restored.")] == ["legitimacy"]


def test_unresolved_speakers_numbers_are_two_quantities_unless_tolls():
    a = Claim("she was expected to pass the 1,300 delegates needed for the nomination", doc="d1", speaker="she")
    b = Claim("so far he has won 85 delegates in the early states", doc="d2", speaker="we")
    assert judge_pair(a, b).label != "contradicts"
    # two counts of the dead stay one quantity whoever gives them
    c = Claim("at least 40 people were killed in the blast", doc="d1", speaker="it")
    d = Claim("12 people were killed in the blast", doc="d2", speaker="they")
    assert judge_pair(c, d).label == "contradicts"


def test_who_did_an_act_is_not_where_it_was_said_or_what_it_was_done_against():
    from crossnews.align.judges.rules import _reading

    def causes(text: str, cue: str = "said", side: frozenset[str] = frozenset()) -> list[tuple[str, list[str], bool]]:
        return [(c.word, sorted(c.agents), c.negated or c.supposed or c.beside)
                for c in _reading(text, cue, (), side).causes]

    # a place after "in" is no doer; "landed in his country" is no act of the speaker's own side
    assert not causes("when asked at the summit in Peru whether the missile came from Chile")[:1] == [
        ("missile", ["peru"], False)]
    assert not causes("the rocket that landed in his country and killed two farmers was an accident",
                      side=frozenset({"chile"}))
    # only alleged, only doubted, defended against or a barrage: not the act the claim puts on anyone
    assert all(x[2] for x in causes("they spread reports of the alleged impact of Peruvian rockets"))
    assert all(x[2] for x in causes("it was “unlikely” the missile was fired from Peru"))
    defended = causes("the rocket was fired by Chilean air defence to defend against Peruvian missile attacks")
    assert {x[2] for x in defended if x[1] == ["peru"]} == {True}
    assert {x[2] for x in defended if x[1] == ["chile"]} == {False}
    assert all(x[2] for x in causes("Peruvian firepower has launched no strikes at the border area"))
    # what there are no grounds to believe is not held, however far the sentence goes on
    assert all(x[2] for x in causes("There were no grounds to believe it was an intentional attack, she said, or that "
                                    "the rocket was launched by the Peruvian side"))
    # a plain account still names its doer
    assert ("launched", ["peru"], False) in causes("the rocket was launched by the Peruvian side")


def test_where_a_weapon_was_traced_and_what_is_only_attempted_blame_no_one():
    from crossnews.align.judges.evidence import read

    traced = read("an analysis of its parts traced the rocket to an area of Peru held by Chilean-backed rebels")
    assert not [c for c in traced.causes if "peru" in c.agents]
    assert [sorted(c.agents) for c in read("the missile of the Kursk brigade hit the plane").causes] == [["kursk"]]
    tried = read("attempts to hold Peru responsible for the downing would be a separate process")
    assert not [c for c in tried.causes if not c.supposed] and not [m for m in tried.marks if m.target]
    assert any(m.target == "peru" for m in read("the two countries hold Peru responsible for the downing").marks)


def test_one_speakers_two_charges_against_two_parties_do_not_contradict():
    dorn = dict(speaker_entity="person:dorn", speaker="Ada Dorn")
    a = Claim("Ferris of putting the interests of the mine owners ahead of farmers", cue="accused", **dorn)
    b = Claim("the Liberal Party of being swayed by interest groups", cue="has accused", **dorn)
    assert judge_pair(a, b).label != "contradicts"


def test_a_question_asserts_nothing_and_nothing_to_do_with_reality_is_untrue():
    from crossnews.align.judges.evidence import read

    asked = read("whether a bomb was planted on board and whether Peru was behind the attack", "has mounted about")
    assert all(c.supposed for c in asked.causes) and not [m for m in asked.marks if m.target]
    untrue = read("Statements about Peru's involvement in the crash have nothing to do with reality", "said")
    assert [(m.polarity, m.target) for m in untrue.marks if m.target] == [(-1, "peru")]
    # "had nothing to do with it" is still no responsibility
    assert [(m.polarity, m.target) for m in read("Peru had nothing to do with the crash").marks if m.target] == [
        (-1, "peru")]
    a = Claim("Statements about Peru's involvement in the crash have nothing to do with reality",
              speaker_entity="org:peru-ministry", side=frozenset({"peru"}))
    b = Claim("the reports of Peru's involvement in the crash were an absolute lie",
              speaker_entity="person:peru-spokesman", side=frozenset({"peru"}))
    assert judge_pair(a, b).label != "contradicts"


def test_a_word_after_a_negation_is_not_held_against_its_negation():
    from crossnews.align.judges.evidence import compare

    c = compare("inspectors visited the site and found no trace of chemical weapons",
                "inspectors visited the site and did not find any trace of chemical weapons", same_speaker=True)
    assert not c.negated_shared
    assert compare("the ships did not enter Chilean waters", "the ships entered Chilean waters",
                   same_speaker=True).negated_shared == ["enter"]


def test_a_strike_and_a_chemical_attack_are_two_acts():
    a = Claim("Peru for the strike on the airbase", cue="initially blamed", speaker_entity="org:chile-government",
              side=frozenset({"chile"}))
    b = Claim("Bolivia was covering for the Chilean regime's continued use of chemical weapons",
              speaker_entity="person:envoy", side=frozenset({"peru"}))
    assert judge_pair(a, b).label != "contradicts"
    # two accounts of the one strike still contradict
    c = Claim("a Peruvian airstrike hit the Varn clinic", speaker_entity="person:a")
    d = Claim("a Chilean rocket that misfired hit the Varn clinic", speaker_entity="person:b")
    assert judge_pair(c, d).label == "contradicts"


def test_an_act_someone_is_warned_or_called_on_to_do_is_not_done():
    from crossnews.align.judges.evidence import read

    assert all(c.supposed for c in read("it would be unwise for Peru to launch chemical attacks", "warned").causes)
    assert [c.supposed for c in read("Peru launched chemical attacks").causes] == [False]


def test_legal_action_is_no_verdict_and_a_doubt_stops_at_a_relative_clause():
    from crossnews.align.judges.evidence import read, stance_marks

    assert not stance_marks("the board plans to pursue legal action to enforce the agreement")
    assert [m.word for m in stance_marks("the vote was legal")] == ["legal"]
    r = read("data shows possible but unproven links between the crash that killed 90 people and an earlier one")
    assert "killed" not in {r.tokens[k].low for k in r.doubted} and "links" in {r.tokens[k].low for k in r.doubted}
    assert "fired" in {t.low for k, t in enumerate(read("they doubted that Peru fired the rocket").tokens)
                       if k in read("they doubted that Peru fired the rocket").doubted}


def _contradictions_far_apart(tmp_path, pages: dict[str, str]) -> list:
    """The contradictions between ``pages`` (file name: text) when no pair is near enough in meaning to be judged
    for that: only the pairs the relater seeks out for their own sake are judged."""
    from crossnews.align import relations as R
    from crossnews.pipeline import AnalyzeOptions, analyze
    from crossnews.store.sqlite import open_store

    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with open_store(tmp_path / "x.db") as store:
        analyze([str(tmp_path / n) for n in pages], store, AnalyzeOptions(relations=False))
        an = store.analysis()
    return [r for r in R.relate(an, options=R.RelateOptions(min_similarity=0.99)) if r.type == "contradicts"]


def test_a_party_held_responsible_by_a_stance_word_meets_a_rival_cause_however_far_apart(tmp_path):
    pages = {"a.txt": ("Blast at Varn clinic\n\nVARN, March 2, 2024. The Varn Front said on Friday: \"The Chilean "
                       "enemy is trying hard to evade its responsibility for the brutal massacre at the Varn clinic."
                       "\"\n"),
             "b.txt": ("Varn clinic blast\n\nPARIS, March 4, 2024. An assessment by French military intelligence "
                       "indicates the most likely cause of the blast at the Varn clinic was a Peruvian rocket, a "
                       "senior French official said on Sunday. The Varn Front has blamed Chile.\n")}
    found = _contradictions_far_apart(tmp_path, pages)
    # (the French assessment is read twice: as the official's words and as the assessment's)
    assert found and all(any("rival causes" in x for x in dict(r.evidence)["reasons"]) for r in found)


@pytest.mark.parametrize("text,held", [
    ("Chile is to blame for worsening relations between the two countries", False),  # another matter
    ("Chile bears ultimate responsibility as it continues its war", False),  # not for the act itself
    ("Chile is responsible for the poisoning of the defector", True),
    ("the Chilean enemy is trying to evade its responsibility for the brutal massacre", True),
    ("Chile is responsible", True),
])
def test_a_responsibility_for_another_matter_than_the_act_blames_no_one_for_it(text, held):
    from crossnews.align.judges.evidence import blame_keys

    assert (blame_keys(text, "said")[0] == frozenset({"chile"})) is held


def test_who_is_responsible_is_not_the_place_the_act_was_done_to():
    from crossnews.align.judges.evidence import read

    r = read("that it was responsible for a strike on an Chilean hospital", "said")
    assert [m.target for m in r.marks if m.scale == "responsibility"] == [None]


def test_clearing_a_party_of_responsibility_and_a_reports_aim_are_read_as_such():
    from crossnews.align.judges.evidence import read

    cleared = read("the court absolved Chile of any responsibility for the blast", "said")
    assert [(m.polarity, m.target) for m in cleared.marks] == [(-1, "chile")]
    # what a report aims at is the report's stance, not its critic's
    assert not read("its report aims to exonerate the Chilean regime of any responsibility for the massacre",
                    "said").marks


def test_who_suffered_and_who_believes_are_not_who_did_it():
    from crossnews.align.judges.evidence import read

    # "innocent" before a noun names victims, it clears no one
    denial = read("that Chilean troops slaughtered innocent villagers", "denied")
    assert not denial.marks and [(c.word, sorted(c.agents), c.negated) for c in denial.causes] == [
        ("slaughtered", ["chile"], True)]
    # the believer before a killing did not do it
    assert not read("Velgrad believed the killing of civilians was deliberate", "said").causes
    # allegations with "that" left out are reported, not held; a "forgery" is a charge of falsehood
    forged = read("that allegations Chilean forces committed war crimes were a monstrous forgery", "said")
    assert forged.false_words and all(c.supposed or c.negated for c in forged.causes)
    # a question asserts nothing
    assert all(c.supposed for c in read("if he thought Marov was committing genocide", "asked").causes)


def test_calling_fake_the_evidence_an_account_draws_on_contradicts_it():
    from crossnews.align.judges.evidence import evidence_of

    relied = "the army would provide conversations in Arabic that indicate the strike was done by the Varn Front"
    fake = "the recording was \"fabricated\" because the accent and the syntax are not credible"
    assert evidence_of(relied) == (frozenset({"audio"}), frozenset())
    assert evidence_of(fake) == (frozenset(), frozenset({"audio"}))
    assert evidence_of("the video is not fake") == (frozenset(), frozenset())
    assert evidence_of("no launcher moved, despite photo evidence seeming to suggest otherwise")[0] == frozenset()
    a = Claim(relied, speaker_entity="person:holm", speaker="Holm", side=frozenset({"chile"}))
    b = Claim(fake, speaker_entity="org:journalists", speaker="journalists consulted by the channel")
    j = judge_pair(a, b)
    assert j.label == "contradicts" and "calls the audio evidence 'fabricated'" in j.evidence["reasons"][0]
    # what is said inside the recording draws on it too ("a call ..., in which [they talk about the rocket]")
    told = Claim("the failed Varn Front rocket that hit the clinic", speaker_entity="anon:officials",
                 speaker="two officials", rests_on=frozenset({"audio"}))
    assert judge_pair(told, b).label == "contradicts"
    # two who both call it fake agree on that; a video is not the recording
    assert judge_pair(dataclasses.replace(a, text="the recording was doctored"), b).label != "contradicts"
    assert judge_pair(dataclasses.replace(a, text="the video footage shows the strike was done by the Varn Front"),
                      b).label != "contradicts"


def test_a_claim_of_fakery_meets_the_accounts_drawing_on_that_evidence_however_far_apart(tmp_path):
    pages = {"a.txt": ("Blast at Varn clinic\n\nVARN, March 2, 2024. Army spokesman Jon Vell said on Friday that the "
                       "army would provide conversations in Arabic that indicate the blast at the Varn clinic was "
                       "done by the Varn Front.\n"),
             "b.txt": ("Varn clinic blast: doubts over audio\n\nLONDON, March 4, 2024. Journalists consulted by the "
                       "Harbour Gazette said the recording of the Varn Front officials was fabricated. The Varn "
                       "clinic was hit on Tuesday.\n")}
    found = _contradictions_far_apart(tmp_path, pages)
    assert found and all("calls the audio evidence" in dict(r.evidence)["reasons"][0] for r in found)


def test_condemning_a_named_report_rejects_it():
    from crossnews.align.judges.evidence import rebuttal, rejected

    text = "the Harbour Watch report on the blast at the Varn clinic"
    mentions = [(4, 17, "org:harbour-watch")]
    assert rebuttal(text, "slammed") == (0, 0) and rejected(text, "slammed", mentions) == {"org:harbour-watch"}
    assert rebuttal("a recent report released by Harbour Watch on the blast", "have condemned") == (0, 0)
    # condemning an act is no rejection of anyone's report
    assert rebuttal("the attack on the Varn clinic", "condemned") is None


def test_a_report_said_to_have_lost_its_credibility_is_rejected():
    from crossnews.align.judges.evidence import rebuttal

    assert rebuttal("the failure to visit the scene has undermined the credibility of the report", "said") is not None
    assert rebuttal("the Harbour Watch report lacks credibility", "said") is not None
    # a fear is no charge, and credibility held is none lost
    assert rebuttal("the leak may damage the credibility of the report", "said") is None
    assert rebuttal("the report has credibility", "said") is None


def test_saying_a_rival_inflated_the_toll_contradicts_the_toll_it_gives():
    from crossnews.align.judges.evidence import inflated_toll

    assert inflated_toll("They went as far as to inflate the number of casualties") is not None
    assert inflated_toll("the ministry did not inflate the number of the dead") is None
    assert inflated_toll("prices were inflated by the harbour tax") is None
    charge = Claim("They went as far as to inflate the number of casualties", speaker_entity="person:vell",
                   speaker="Jon Vell", side=frozenset({"chile"}))
    toll = Claim("500 people were killed and injured in the strike on the Varn clinic",
                 speaker_entity="org:ministry", speaker="the health ministry", side=frozenset({"peru"}))
    j = judge_pair(charge, toll)
    assert j.label == "contradicts" and "says the toll was 'inflate'" in j.evidence["reasons"][0]
    # a hedged estimate is not the figure charged; nor is a toll of the charging side's own
    hedged = dataclasses.replace(toll, text="there were likely 100 to 300 people killed in the strike")
    assert judge_pair(charge, hedged).label != "contradicts"
    assert judge_pair(charge, dataclasses.replace(toll, side=frozenset({"chile"}))).label != "contradicts"


def test_rival_sides_each_clearing_itself_contradict():
    chile = Claim("that the missile that fell on the Varn clinic was fired by the Chilean army", cue="denied",
                  speaker_entity="org:chilean-army", speaker="the Chilean army", side=frozenset({"chile"}))
    peru = Claim("that it was not a Peruvian missile that fell on the Varn clinic", speaker_entity="person:holm",
                 speaker="President Holm", side=frozenset({"peru"}))
    j = judge_pair(chile, peru)
    assert j.label == "contradicts" and j.evidence["reasons"][0].startswith("rival sides each say")
    # one side clearing itself twice is one account; a side that also puts the act on itself clears nothing
    assert judge_pair(chile, dataclasses.replace(peru, side=frozenset({"chile"}))).label != "contradicts"


def test_a_case_considered_is_neither_held_nor_denied():
    # "the possibility that it was not a Chilean missile" weighs a case; it does not say Chile did not fire it
    considered = _two("it is a Chilean missile", "The possibility that the missile falling on Peru was not a "
                      "Chilean missile but a Bolivian one changes very little")
    assert considered.label != "contradicts"
    assert _two("it is a Chilean missile", "it was not a Chilean missile").label == "contradicts"


def test_a_provocation_and_the_violent_act_it_answers_may_both_be_true():
    # "the provocation was conducted under the order of Ukraine's authorities" / "the Russian ship Don rammed into
    # our tug": a provocation by one side and the other's act against it are two acts, not two culprits of one
    provocation = Claim("the provocation in the strait was conducted under the direct order of Peru's government",
                        speaker_entity="org:a", side=frozenset({"chile"}))
    rammed = Claim("the Chilean patrol ship Varn rammed into our tug boat", speaker_entity="org:b",
                   side=frozenset({"peru"}))
    assert get_judge().judge([(provocation, rammed)])[0].label != "contradicts"
    # two culprits of one act still contradict: "the raid was ordered by Peru" / "accused Chile of the raid"
    raid = Claim("the raid was conducted under the direct order of Peru's government", speaker_entity="org:a")
    assert get_judge().judge([(raid, rammed)])[0].label == "contradicts"


def test_a_side_that_calls_the_event_a_provocation_clears_itself():
    from crossnews.align.judges.evidence import own_causes, read

    # "As for the Black Sea incident, certainly, it's a provocation" (Putin) / "accused Russia of military
    # aggression": who started it, told from both sides
    said = Claim("As for the incident in the strait, certainly, it's a provocation", speaker_entity="person:a",
                 side=frozenset({"chile"}), cue="said")
    accused = Claim("Chile of military aggression", speaker_entity="org:b", cue="has accused",
                    side=frozenset({"peru"}))
    j = get_judge().judge([(said, accused)])[0]
    assert j.label == "contradicts" and "says chile did not do it" in " ".join(j.evidence["reasons"])
    side = frozenset({"chile"})
    assert [c.agents for c in own_causes(read(said.text, "said"), side)] == [side]
    for text in ("we will not respond to provocations", "this was not a provocation", "it was Peru's provocation"):
        assert not own_causes(read(text, "said"), side), text
    # nor does it answer the act the other side puts on it ("rammed into our tug"): a provocation invites one
    rammed = Claim("the Chilean patrol ship Varn rammed into our tug boat", speaker_entity="org:b",
                   side=frozenset({"peru"}))
    assert get_judge().judge([(said, rammed)])[0].label != "contradicts"


def test_approving_a_plan_is_no_act():
    from crossnews.align.judges.evidence import read

    assert not read("the plan has been approved by Chile's government").causes
    assert not read("the schedule of traffic approved by the captain of the Chilean seaport").causes
    assert [set(c.agents) for c in read("the attack on the defector was approved by Chile's government").causes] \
        == [{"chile"}]


def test_a_denial_that_points_back_meets_what_it_answers_told_elsewhere(tmp_path):
    # "Ukraine's navy said it had informed Russia in advance ... but Russia said it had received no such report" /
    # (another outlet) "the navy said Russia had been informed in advance about the planned transit"
    pages = {"a.txt": ("Strait standoff\n\nLIMA, March 2, 2024. Peru's navy said that it had informed Chile in "
                       "advance of the passage of its vessels through the strait, but Chile said it had received no "
                       "such report.\n"),
             "b.txt": ("Ships seized in the strait\n\nPARIS, March 3, 2024. The Peruvian navy said that Chile had "
                       "been informed in advance about the planned transit of the three boats.\n")}
    found = _contradictions_far_apart(tmp_path, pages)
    assert len(found) == 1 and "rejects what" in dict(found[0].evidence)["reasons"][0]
    spans = dict(found[0].evidence)["spans"]
    assert any(s["text"] == "no such report" for side in spans.values() for s in side)


def test_one_speakers_two_claims_sharing_only_a_two_word_phrase_say_two_things():
    # one speaker, one topic ("the tax code"), two claims: attacking its provisions / using it
    said = {"speaker_entity": "person:a", "cue": "said"}
    a = Claim("the special-interest provisions that pock the tax code", **said)
    assert get_judge().judge([(a, Claim("using the tax code", **said))])[0].label == "unrelated"
    # the same words apart, or more of them, are still one claim told again
    again = Claim("workers find the tax code unfair, the provisions pocking it", **said)
    assert get_judge().judge([(Claim("the tax code is unfair to workers", **said), again)])[0].label == "agrees"


def test_a_claim_named_by_its_critic_is_its_speakers_not_a_contradiction_of_the_critic(tmp_path):
    # "Peskov rebuffed UK Prime Minister Theresa May's claim that the attack ... was approved at senior level" /
    # (another outlet) "May said it was highly likely that Russia was responsible": the critic's words there are May's
    # claim, May's statement inside them stands for it; the critic's own denial contradicts
    pages = {"a.txt": ("Clinic blast\n\nLIMA, March 2, 2024. Chile's foreign ministry has rejected Peruvian President "
                       "Ada Brook's claim that the blast at the Varn clinic was ordered by the Chilean government. "
                       "\"Chile had nothing to do with the blast at the Varn clinic,\" the ministry said.\n"),
             "b.txt": ("Blast at Varn clinic\n\nPARIS, March 3, 2024. Peru's government said it was highly likely that "
                       "Chile was responsible for the blast at the Varn clinic.\n")}
    found = _contradictions_far_apart(tmp_path, pages)
    texts = [dict(r.evidence)[end]["text"] for r in found for end in "ab"]
    assert any("Chile had nothing to do" in t for t in texts), texts
    assert not any("Brook's claim" in t for t in texts), texts


def test_one_thing_in_two_spaces_contradicts_across_speakers():
    # a downed aircraft or a seized ship is in one space at a time: "Iranian airspace" / "international airspace"
    j = _two("the guards shot down the American drone over Iranian airspace near the coast",
             "the drone was flying in international airspace when it was shot down near the coast")
    assert j.label == "contradicts"
    assert any(r.startswith("rival places") for r in j.evidence["reasons"])
    # the one who says the other lies about a space denies it
    j = _two("the drone was flying over international waters near the coast",
             "the Americans are lying about international waters and the drone near the coast")
    assert j.label == "contradicts"
    # one side's two accounts of the same space, or a general right over a space, are no rival places
    assert _two("the drone violated Iranian airspace near the coast",
                "the guards shot down the drone over Iranian airspace near the coast").label != "contradicts"
    assert _two("the ships violated Russian territorial waters near the strait", "we support the right of ships "
                "near the strait to traverse international waters").label != "contradicts"


def test_a_weapon_shot_down_is_a_target_not_a_cause_and_a_country_of_many_words_is_one_name():
    from crossnews.align.judges.evidence import read

    assert not read("the guards shot down the American drone over the strait").causes
    assert read("the car was hit by an Israeli drone").causes
    keys = {t.key for t in read("the United Arab Emirates and the United States").tokens if t.name}
    assert keys == {"united arab emirates", "united states"}


def test_a_party_rejecting_accusations_is_cleared_and_no_way_to_conclude_is_no_blame():
    j = _two("Orvania categorically rejects US accusations over the attacks on two tankers in the strait",
             "Orvania is responsible for the attacks on two oil tankers in the strait")
    assert j.label == "contradicts" and any("rejects US accusations" in r for r in j.evidence["reasons"])
    # "no way to conclude X was behind" asserts no blame (as "no evidence that"): not against the one who denies
    j = _two("Orvania categorically rejects US accusations over the attacks on two tankers in the strait",
             "there was no way to conclude Orvania was behind the attacks on the tankers in the strait")
    assert j.label != "contradicts"


def test_a_drone_shot_down_is_no_cause_of_its_owner_and_flying_from_names_no_launcher():
    from crossnews.align.judges.evidence import read

    assert [sorted(c.agents) for c in read("the US military drone shot down by Iran over the strait").causes] == \
        [["iran"]]
    assert all("united arab emirates" not in c.agents
               for c in read("the US drone violated the airspace from the United Arab Emirates").causes)
    assert read("a rocket fired from Gaza hit the car park").causes


def test_a_denial_of_what_another_speaker_asserts_contradicts_it_but_not_over_the_word_claims():
    j = _two("The initial assessment of the harbour police is that Jon Vell has been killed at the consulate",
             "Jon Vell had been killed at the mission", cue_b="denied that")
    assert j.label == "contradicts" and any(r.startswith("denied on one side only") for r in j.evidence["reasons"])
    # sharing only the report ("the claims") is no denial of what it says
    assert _two("the agency had analysed the harbour claims and other footage from several sources",
                "those claims could not immediately be verified").label != "contradicts"
    # a denial of a claim about the event is no denial of the event; an event's noun alone is no predicate
    assert _two("attacks on two tankers off the coast occurred while the minister was in Varn",
                "Varn categorically rejects the Kestrel claim with regard to the tanker attacks off the coast"
                ).label != "contradicts"


def test_all_against_part_of_one_thing_contradicts_and_two_wholes_agree():
    j = _two("Dorvask asked for only partial sanctions relief at the summit",
             "Dorvask demanded full sanctions relief at the summit")
    assert j.label == "contradicts" and any(r.startswith("opposite extent") for r in j.evidence["reasons"])
    same = get_judge().judge([(Claim("he could not agree to the request for a complete lifting of sanctions",
                                     speaker_entity="person:a"),
                               Claim("the impediment to a deal was the requirement that Varn lift all economic "
                                     "sanctions", speaker_entity="person:a"))])[0]
    assert same.label == "agrees"
    # "all" and "some" counting people take no position on how much of a thing
    assert _two("Vell does not want the Varn people, all of you watching tonight, to know about his taxes",
                "Some average Varn people would see their taxes go up under the plan").label != "contradicts"
    # "all" and "some" beside different things judge nothing in common
    assert _two("some officials left the summit early on Friday",
                "all sanctions stayed in place after the summit on Friday").label != "contradicts"


def test_a_refused_request_keeps_its_extent_and_a_request_not_made_has_the_other():
    from crossnews.align.judges.evidence import read

    refused = read("the request of Varn for a complete lifting of sanctions", "could not agree to")
    assert [m.polarity for m in refused.marks if m.scale == "extent"] == [1]
    not_asked = read("a full removal of sanctions", "did not request")
    assert [m.polarity for m in not_asked.marks if m.scale == "extent"] == [-1]
    assert {t.key for t in read("the DPRK and Pyongyang").tokens if t.name} == {"north korea"}


def test_what_a_rejected_report_is_about_does_not_own_it():
    from crossnews.align.judges.evidence import _owns

    text = "The Dorvask ambassador's allegations against Varn over its investigation into the death were baseless"
    at = text.find("Varn")
    assert _owns(text, at, at + 4) is None
    text = "Varn's initial report was full of lies"
    assert _owns(text, 0, 4) == "report"
