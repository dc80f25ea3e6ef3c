"""Speakers as a reader resolves them: pronouns and role nouns across sentences, documents and their authors,
relays and the sources that attribute a whole text. Every text here is made up for the rule it checks."""

from __future__ import annotations

import pytest

from crossnews.clean import clean
from crossnews.extract import extract
from crossnews.extract.names import name_gender
from crossnews.ingest import RawInput


def analyse(name, text):
    doc = clean(RawInput(name, text, "text", "file"))
    (ex,) = extract([doc])
    names = {m["entity"]: m["name"] for m in ex.mentions}
    return doc, ex.statements, names


def statement(doc, statements, content):
    hits = [s for s in statements if content in doc.text[s.content.start:s.content.end]]
    assert hits, f"no statement holds {content!r}"
    return min(hits, key=lambda s: s.content.end - s.content.start)


def speaker(doc, statements, names, content):
    st = statement(doc, statements, content)
    return names.get(st.speaker.entity) if st.speaker.entity else None


def test_given_names_and_slavic_surnames_tell_a_gender():
    assert name_gender("Maria Zakharova") == "f" and name_gender("Zakharova") == "f"
    assert name_gender("Helena Lind") == "f" and name_gender("Tomas Berg") is None
    assert name_gender("Sergey Lavrov") == "m" and name_gender("Kim Jong Un") is None
    assert name_gender("Ivanov") is None


def test_she_is_the_speaker_before_not_a_woman_named_inside_what_she_criticised():
    text = ("Port deal row\n\nVELGRAD, March 12. Foreign Ministry spokeswoman Anna Virtanen has dismissed as "
            "\"theatre\" the remarks of Prime Minister Helga Lind on the port deal and its financing.\n\n"
            "\"This is theatre in the parliament of Orvania,\" she stressed. \"The conclusion is obvious,\" Virtanen "
            "added.\n")
    doc, sts, names = analyse("velgrad.txt", text)
    assert speaker(doc, sts, names, "This is theatre") == "Anna Virtanen"


def test_he_is_the_speaker_not_a_man_named_in_his_own_report():
    text = ("Access demanded\n\nDALMIR, May 3. Minister Tomas Berg has stated that the court should give Dalmir "
            "access to Jan Holm, the engineer held since March, and to the file on Jan Holm.\n\n"
            "\"We asked for access weeks ago and nobody answered,\" he said.\n")
    doc, sts, names = analyse("dalmir.txt", text)
    assert speaker(doc, sts, names, "We asked for access") == "Tomas Berg"


def test_the_diplomat_is_the_one_in_foreign_affairs():
    text = ("Port deal row\n\nVELGRAD, March 12. Foreign Ministry spokeswoman Anna Virtanen said the remarks of "
            "Prime Minister Helga Lind were theatre.\n\nEarlier, Helga Lind said the port deal was illegal.\n\n"
            "\"Let somebody in Orvania tell us how the last deal ended,\" the diplomat said.\n")
    doc, sts, names = analyse("velgrad.txt", text)
    assert speaker(doc, sts, names, "Let somebody in Orvania") == "Anna Virtanen"


def test_may_before_a_reporting_verb_is_a_name_not_a_modal():
    text = ("Statement to parliament\n\nPrime Minister Ellen May spoke to parliament on Monday.\n\n"
            "\"It is now clear that the harbour was closed on purpose,\" May said.\n\n"
            "May later claimed that the two men were officers of the coast guard.\n")
    doc, sts, names = analyse("may.txt", text)
    assert speaker(doc, sts, names, "It is now clear") == "Ellen May"
    assert speaker(doc, sts, names, "the two men were officers") == "Ellen May"


def test_it_agrees_in_number_and_is_never_a_nationality():
    text = ("Footage disputed\n\nThe broadcaster Harbour Vision said its analysts had reviewed the Orvan footage. "
            "The analysts concluded that the flash was a drone.\n\nAccording to Orvan officials, three Orvan strikes "
            "hit the port.\n\nIt added that at 6.59pm a rocket was fired from the coast.\n")
    doc, sts, names = analyse("footage.txt", text)
    assert speaker(doc, sts, names, "a rocket was fired from the coast") == "Harbour Vision"


def test_they_refers_to_a_group_of_people_named_before():
    text = ("Recording doubted\n\nThe analysis bolstered an earlier claim by a number of local journalists that "
            "the recording was \"fabricated\" because the accent and the tone, they say, are not credible.\n")
    doc, sts, names = analyse("recording.txt", text)
    st = statement(doc, sts, "the recording was")
    assert names.get(st.speaker.entity, "").endswith("journalists")


def test_a_quote_opening_a_paragraph_continues_the_last_quoted_speaker():
    text = ("Expulsions\n\nIn a statement the Orvan embassy said: \u2018On March 14 the ambassador was summoned to "
            "the ministry.\n\nA video about the harbour festival is shown here\n\n\u2018We consider this hostile "
            "action totally unacceptable and short-sighted.\n")
    doc, sts, names = analyse("embassy.txt", text)
    assert speaker(doc, sts, names, "this hostile action") == "Orvan embassy"


def test_the_same_day_names_the_same_occasion():
    text = ("Hospital blast\n\nThe militant group Red Harbour Brigade on Wednesday described as lies the army's "
            "claims that it was responsible for the blast.\n\nThe health ministry claimed that the army was behind "
            "the attack, but the army blamed a rocket fired by the Red Harbour Brigade.\n\n\"The enemy is trying to "
            "evade its responsibility,\" it said in a statement Wednesday.\n")
    doc, sts, names = analyse("blast.txt", text)
    assert speaker(doc, sts, names, "The enemy is trying") == "Red Harbour Brigade"


def test_he_inside_a_quote_is_not_the_one_quoted():
    text = ("Bridge call\n\nMayor Jon Pell spoke to Governor Ivo Brandt by phone on Sunday.\n\n\"He made clear that "
            "the bridge must reopen,\" said a senior city official.\n\nAccording to the official, Pell also asked for "
            "money.\n\n\"He urged the state to pay for the repairs,\" said the official.\n")
    doc, sts, names = analyse("bridge.txt", text)
    assert speaker(doc, sts, names, "the bridge must reopen") == "Jon Pell"
    assert speaker(doc, sts, names, "to pay for the repairs") == "Jon Pell"


def test_a_document_speaks_for_its_author():
    text = ("Ships rammed\n\nKESTRA - An Orvan coast guard vessel rammed a tugboat, the Dalmir navy said Sunday.\n\n"
            "\"Orvan vessels carried out aggressive actions,\" the Dalmir navy statement said. The statement added "
            "that Orvania had been told about the transit in advance.\n\n"
            "\"Their goal is clear,\" an FSB statement said, \"to create a conflict.\"\n\n"
            "An investigation by Channel 9 News has cast doubt on the date of the recording. Harbour Watch's report "
            "found that the rocket came from the coast.\n")
    doc, sts, names = analyse("ships.txt", text)
    assert speaker(doc, sts, names, "aggressive actions") == "Dalmir navy"
    assert speaker(doc, sts, names, "that Orvania had been told") == "Dalmir navy"
    assert speaker(doc, sts, names, "Their goal is clear") == "FSB"
    assert speaker(doc, sts, names, "the rocket came from the coast") == "Harbour Watch"
    assert speaker(doc, sts, names, "the date of the recording") == "Channel 9 News"


def test_the_press_release_is_by_the_one_who_spoke_in_it():
    text = ("Ships seized\n\nWASHINGTON - \"We call on Orvania to return the vessels,\" Secretary of State Mark Dunn "
            "said in an official press release.\n\nSpokeswoman Ida Vos later said that Dunn had called the Dalmir "
            "president.\n\nThe press release added that \"the United States supports Dalmir's sovereignty.\"\n")
    doc, sts, names = analyse("release.txt", text)
    st = statement(doc, sts, "supports Dalmir's sovereignty")
    assert names.get(st.speaker.entity) == "Mark Dunn"


def test_an_analysis_of_something_is_not_by_that_thing_and_an_unnamed_author_stays_a_description():
    text = ("Recording doubted\n\nAn analysis of the recording by a sound laboratory said that the voices had "
            "been edited together.\n\nA medical assessment said they were poisoned -- the first such finding.\n")
    doc, sts, names = analyse("analysis.txt", text)
    assert speaker(doc, sts, names, "the voices had been edited") == "a sound laboratory"
    st = statement(doc, sts, "they were poisoned")
    assert names.get(st.speaker.entity) == "A medical assessment"  # the article stays; the aside after the dash goes


def test_the_broadcaster_and_the_movement_are_the_organisations_met_before():
    text = ("Footage disputed\n\nThe Qatar-based news network Harbour Vision has disputed the army's account of "
            "the blast.\n\nThe broadcaster said its analysts had reviewed the footage.\n\nThe Red Harbour Movement "
            "said the blast was a crime. The movement called on the world to intervene.\n")
    doc, sts, names = analyse("broadcaster.txt", text)
    assert speaker(doc, sts, names, "its analysts had reviewed") == "Harbour Vision"
    assert speaker(doc, sts, names, "the world to intervene") == "Red Harbour Movement"


def test_of_two_coordinated_sources_the_first_speaks_and_a_possessive_is_no_persons_name():
    text = ("Blast denied\n\nThe Orvan Defence Forces and President Dana Holt denied that the strike came from "
            "the ODF. The Orvan army and Prime Minister Dana Holt have denied that the strike was theirs.\n\n"
            "\"Our quarrel is with Marov's Kremlin,\" Holt said.\n\nThe Kremlin has "
            "described the comments as shocking.\n")
    doc, sts, names = analyse("blastdenied.txt", text)
    assert speaker(doc, sts, names, "the strike came from the ODF").startswith("Orvan Defence Forces")
    assert speaker(doc, sts, names, "the strike was theirs") == "Orvan army"
    st = statement(doc, sts, "the comments as shocking")
    assert names.get(st.speaker.entity) == "Kremlin" and not st.speaker.entity.startswith("person:")


def nested_speaker(doc, statements, names, content):
    st = statement(doc, statements, content)
    outer = next((s for s in statements if s.id == st.nested_in), None)
    return names.get(outer.speaker.entity) if outer is not None and outer.speaker.entity else None


def test_a_trailing_report_holds_the_report_before_it_and_the_outlet_relays_what_it_was_told():
    text = ("Missile gone\n\nA Harbour Front official has said \u201cnothing is left\u201d of the missile that struck "
            "the hospital, the Daily Courier reported on Sunday.\n\n\u201cThe missile has dissolved like salt in "
            "water,\u201d Omar Tell, a senior Harbour Front official, told the Daily Courier in a phone interview.\n"
            "\nMeanwhile, Ida Sorn, the head of the media office, said in a text message to the publication: "
            "\u201cWho says we must present the evidence?\u201d\n")
    doc, sts, names = analyse("missile.txt", text)
    assert speaker(doc, sts, names, "A Harbour Front official has said") == "Daily Courier"
    assert nested_speaker(doc, sts, names, "nothing is left") == "Daily Courier"
    assert nested_speaker(doc, sts, names, "The missile has dissolved") == "Daily Courier"
    assert nested_speaker(doc, sts, names, "Who says we must") == "Daily Courier"


def test_a_wire_report_in_the_lede_relays_its_speaker_later_on():
    text = ("Provocation\n\nKESTRA, November 28. The incident in the strait is a provocation organized ahead of the "
            "election in Dalmir, President Ivan Vell said during an investment forum on November 28, TASS reports."
            "\n\n\u201cAs for the incident, certainly, it is a provocation\u201d, Vell said.\n")
    doc, sts, names = analyse("provocation.txt", text)
    assert speaker(doc, sts, names, "The incident in the strait is a provocation") == "Ivan Vell"
    assert nested_speaker(doc, sts, names, "The incident in the strait is a provocation") == "TASS"
    assert nested_speaker(doc, sts, names, "As for the incident") == "TASS"


def test_citing_and_carried_by_make_relays():
    text = ("Strait closed\n\nThe Interfax news agency reported later that Orvania has since closed the passage to "
            "civilian traffic, citing a local port authority, due to security concerns.\n\nThe spokeswoman, Anna "
            "Virtanen, said in remarks carried by Orvan news agencies that the accusations were a provocation.\n")
    doc, sts, names = analyse("strait.txt", text)
    cited = min((s for s in sts if "Orvania has since closed" in doc.text[s.content.start:s.content.end]),
                key=lambda s: s.content.end - s.content.start)
    assert names.get(cited.speaker.entity) == "a local port authority" or cited.speaker.anonymous
    assert nested_speaker(doc, sts, names, "Orvania has since closed") == "Interfax news agency"
    assert speaker(doc, sts, names, "the accusations were a provocation") == "Anna Virtanen"
    assert nested_speaker(doc, sts, names, "the accusations were a provocation") == "Orvan news agencies"


def test_a_quoted_headline_is_by_the_paper_that_printed_it():
    text = ("Editors' note\n\nThe Daily Courier first reported the blast on Oct. 17.\n\n\u201cStrike Kills Hundreds "
            "in Hospital, Officials Say,\u201d read the initial Courier headline.\n")
    doc, sts, names = analyse("headline.txt", text)
    st = next(s for s in sts if doc.text[s.cue.span.start:s.cue.span.end] == "read")
    assert names.get(st.speaker.entity) == "Courier"
    assert doc.text[st.content.start:st.content.end].startswith("\u201cStrike Kills")


def test_a_standfirst_relays_all_that_follows_it():
    text = ("Secretary's call with Foreign Minister Marov\n\nThe following is attributable to a Senior State "
            "Department Official:\n\nSecretary Mark Dunn spoke with Foreign Minister Oleg Marov today. He made clear "
            "that the vote would not be recognized and that Orvania must pull its forces back to base.\n\nThe "
            "Secretary also urged Orvania to support a constitutional reform process.\n")
    doc, sts, names = analyse("readout.txt", text)
    made = statement(doc, sts, "the vote would not be recognized")
    assert names.get(made.speaker.entity) == "Mark Dunn"
    relay = next(s for s in sts if s.id == made.nested_in)
    assert relay.speaker.anonymous and "State Department Official" in relay.speaker.description
    assert nested_speaker(doc, sts, names, "to support a constitutional reform process") is None \
        or statement(doc, sts, "to support a constitutional reform process").nested_in == relay.id


def test_a_first_person_account_is_the_narrators_not_first_hand():
    text = ("Talks recalled\n\n\u201cWe held bilateral talks with the Dalmir side,\u201d Minister Oleg Marov said.\n\n"
            "\u201cDunn told me that everyone understands the vote was sincere.\u201d\n")
    doc, sts, names = analyse("recalled.txt", text)
    told = statement(doc, sts, "everyone understands the vote was sincere")
    assert names.get(told.speaker.entity) == "Dunn"
    assert nested_speaker(doc, sts, names, "everyone understands the vote was sincere") == "Oleg Marov"


def test_a_condition_alone_is_not_what_was_said():
    text = ("Warning\n\n\"We only watch reports on TV where our colleagues say with serious faces that if this was "
            "done by Orvania, then the response will be such that Orvania will remember it forever,\" Marov said.\n")
    doc, sts, names = analyse("warning.txt", text)
    st = statement(doc, sts, "if this was done by Orvania")
    assert "will remember it forever" in doc.text[st.content.start:st.content.end]


def test_a_reaction_to_a_thing_named_is_not_a_statement():
    text = ("Harbour blast\n\nKESTRA - The Dalmir navy condemned the attack. Orvania denied responsibility, and the "
            "ministry disputes this figure. The council met on Monday to discuss the crisis.\n\n"
            "Orvania denied that its vessels had fired on the harbour, the navy said on Monday.\n")
    doc, sts, _ = analyse("blast.txt", text)
    said = [doc.text[s.content.start:s.content.end] for s in sts]
    for reaction in ("the attack", "responsibility", "this figure", "the crisis", "Monday"):
        assert reaction not in said, (reaction, said)
    statement(doc, sts, "its vessels had fired on the harbour")


def test_a_body_described_before_its_full_name_is_that_body():
    doc, sts, names = analyse("tribunal.txt", (
        "An international tribunal on Saturday urged Dorvask to release the harbour crews. \"Free them now,\" said "
        "Judge Ada Brook at the International Tribunal for the Law of the Sea, which sits in Hamburg. The ITLOS "
        "urged both sides to refrain from any action."))
    assert speaker(doc, sts, names, "to release the harbour crews") == "International Tribunal for the Law of the Sea"
    # an acronym that speaks is a body, and one the text spells out in brackets is that body
    assert speaker(doc, sts, names, "to refrain from any action") in ("ITLOS",
                                                                       "International Tribunal for the Law of the Sea")
    st = statement(doc, sts, "to refrain from any action")
    assert st.speaker.entity.startswith("org:")


def test_an_acronym_the_parser_took_into_the_name_s_bracket_still_spells_it_out():
    doc = clean(RawInput("acronym.txt", "Harbour News\n\nNATO cited the verdict of the International Tribunal for "
                         "the Law of the Sea (ITLOS). On Saturday, the ITLOS ruled that Dorvask must release the "
                         "crews.", "text", "file"))
    (ex,) = extract([doc])
    by_text = {doc.text[m["start"]:m["end"]]: m["name"] for m in ex.mentions}
    full = "International Tribunal for the Law of the Sea"
    assert by_text.get("ITLOS") == full and by_text.get(full) == full


def test_quoted_as_saying_after_the_quote_relays_the_quote():
    doc, sts, names = analyse("relay.txt", (
        "Dam breach\n\nThe Varn dam broke on Tuesday. \"We are talking about a deliberate sabotage by the other "
        "side,\" Harbour Today quoted Kremlin spokesman Jon Vell as saying. \"The change is small,\" Reuters "
        "reported her as saying."))
    inner = next(s for s in sts if "deliberate sabotage" in doc.text[s.content.start:s.content.end] and s.nested_in)
    outer = next(s for s in sts if s.id == inner.nested_in)
    assert names.get(inner.speaker.entity) == "Jon Vell" and names.get(outer.speaker.entity) == "Harbour Today"
    assert doc.text[outer.content.start:outer.content.end].startswith('"We are talking')
    # the same order with a pronoun for the one quoted: the outlet's statement holds the quote, not "her as saying"
    assert any(doc.text[s.content.start:s.content.end] == '"The change is small,"' and names.get(s.speaker.entity)
               == "Reuters" for s in sts)


def test_quoted_as_saying_with_no_one_quoting_is_one_statement_of_the_one_quoted():
    doc, sts, names = analyse("quoted.txt", (
        "Harbour news\n\nMayor Ada Brook was quoted as saying: \"We have nothing to hide.\" The council met on "
        "Monday."))
    hits = [s for s in sts if "nothing to hide" in doc.text[s.content.start:s.content.end]]
    assert len(hits) == 1 and names.get(hits[0].speaker.entity) == "Ada Brook" and hits[0].nested_in is None


def test_a_spokesman_named_beside_his_title_is_that_person_not_an_anonymous_source():
    text = ("Harbour vote delayed\n\nA spokesman for the Harbour Board, Jon Vell, said the bridge would reopen in "
            "May. An aide to the mayor, who asked not to be named, said the vote would wait.\n")
    doc, statements, names = analyse("a.txt", text)
    vell = statement(doc, statements, "the bridge would reopen")
    assert names.get(vell.speaker.entity) == "Jon Vell" and not vell.speaker.anonymous
    assert statement(doc, statements, "the vote would wait").speaker.anonymous


def test_a_saying_inside_a_quote_does_not_report_the_whole_quote():
    text = ("Harbour vote\n\n\"And we say to the council: do not delay the vote again,\" Ada Brook added on "
            "Tuesday.\n")
    doc, statements, names = analyse("a.txt", text)
    quote = text[text.index("\"And"):text.index("again,\"") + 7]
    assert [(s.cue.lemma, doc.text[s.content.start:s.content.end]) for s in statements] == [("add", quote)]


@pytest.mark.parametrize("text,expected,unexpected", [
    pytest.param(
        "Harbour deal off\n\nThe developer Jon Vell has pulled out of the harbour deal. The 51-year-old property "
        "magnate said the council had failed to provide the figures. Vell and Harbourco have been bracing for a fight "
        "since the billionaire said on Friday he was backing off.\n",
        {"the council had failed": "Jon Vell", "he was backing off": "Jon Vell"}, {},
        id="an epithet is the person the text is about"),
    pytest.param(
        "Harbour row\n\nForeign Ministry spokesperson Lin Haotian said the plan was a gamble. Lin said Varn must bear "
        "the responsibility. Jordan Vell met officials of Jordan. Jordan said the talks were useful.\n",
        {"Varn must bear the responsibility": "Lin Haotian"},
        {"the talks were useful": "Jordan Vell"},  # a place is no one's first name
        id="a family name written first is the person named in full"),
    pytest.param(  # the small model tags "Jamal Vell" a body; "Jamal" is Jamal Brook's given name
        "Harbour row\n\nThe council leader Jamal Brook left the chamber on Monday. Harbour TV's Jamal Vell, reporting "
        "from the port, said the vote had been postponed.\n\n\"We expect a decision within days,\" he said.\n",
        {"the vote had been postponed": "Jamal Vell", "We expect a decision": "Jamal Vell"}, {},
        id="a name with a given name of the text is a person whatever its tag"),
    pytest.param(
        "Harbour row\n\nVell told a news conference in Lima after Britain and Canada both said a catastrophic error "
        "had sunk the ferry. Vell told reporters after the meeting and said the pier was safe.\n",
        {"a catastrophic error had sunk": "Britain"}, {"the pier was safe": "Britain"},
        id="those who spoke after a preposition are the source, not the main clause's subject"),
    pytest.param(
        "Harbour blast\n\nChile's foreign minister has alleged that the blast was staged with foreign help.\n\n"
        "Chilean Foreign Minister Jon Vell said experts had inspected the pier. Defence chief Ada Brook said "
        "nothing.\n",
        {"the blast was staged": "Jon Vell"}, {},
        id="a country's role before the name is the one person with that title"),
    pytest.param(
        "Harbour row\n\nThe Harbour Board claimed in a statement posted to Telegram on Sunday that the photos were "
        "staged.\n\nThe statement went on to claim that everything was fake, a staged production put on by "
        "officials.\n",
        {"everything was fake": "Harbour Board"}, {},
        id="a clause's subject speaks when the parse makes the clause the source (the statement went on to claim)"),
    pytest.param(
        "Talks fail\n\nNorway's Foreign Minister Jon Vell met the envoy on Monday. Norway\u2018s foreign minister has "
        "alleged that the talks failed because of Harbour.\n",
        {"the talks failed": "Jon Vell"}, {},
        id="an apostrophe typed as an opening quote is still a possessive"),
])
def test_the_speaker_a_reader_names(text, expected, unexpected):
    doc, statements, names = analyse("a.txt", text)
    for content, name in expected.items():
        assert speaker(doc, statements, names, content) == name, content
    for content, name in unexpected.items():
        assert speaker(doc, statements, names, content) != name, content


def test_across_documents_a_family_name_alone_joins_the_one_full_name_it_opens():
    from crossnews.align.entities import merge_entities

    merge = merge_entities([("person:lin-haotian", "Lin Haotian", "PERSON"), ("person:lin", "Lin", "PERSON"),
                            ("person:jordan-vell", "Jordan Vell", "PERSON"), ("person:jordan", "Jordan", "PERSON")])
    assert merge["person:lin"] == merge["person:lin-haotian"]
    assert merge["person:jordan"] != merge["person:jordan-vell"]  # a country's name


def test_a_role_named_by_places_and_bodies_is_a_person_described_not_a_body():
    text = ("Harbour vote\n\nThe top Norwegian envoy to the U.N. said the vote was a mistake. The Dorvask Harbour "
            "Board chairman said the pier was safe. The Harbour Board said the ferry would run.\n")
    doc, statements, _ = analyse("a.txt", text)
    for content in ("the vote was a mistake", "the pier was safe"):
        assert statement(doc, statements, content).speaker.entity.startswith("desc:"), content
    assert statement(doc, statements, "the ferry would run").speaker.entity.startswith("org:")


def test_a_name_after_a_courtesy_title_is_a_person_whatever_the_model_tagged_it():
    # the small model tags each "Blok" and "Vell" here a body (it does the same to real surnames of this shape)
    for text, content in (("Mr Blok said the talks would resume.", "the talks would resume"),
                          ("Dr Vell said the pier was safe. Mr Blok said it was not.", "the pier was safe")):
        doc, statements, _ = analyse("a.txt", f"Harbour News\n\n{text}\n")
        assert statement(doc, statements, content).speaker.entity.startswith("person:"), text


def test_a_coordinated_subject_the_parser_took_for_an_object_reports_its_own_request():
    # the small parser reads "added [the Netherlands and Australia]" as an object and "have asked" as his second act
    for name in ("Mr Vell", "Ada Brook"):
        text = f"Harbour News\n\n{name} added the Netherlands and Australia have asked Varn to explain the launch.\n"
        doc, statements, _ = analyse("a.txt", text)
        outer = statement(doc, statements, "Australia have asked Varn")
        assert outer.speaker.entity.startswith("person:"), name
        inner = statement(doc, statements, "to explain the launch")
        assert inner.nested_in == outer.id and inner.speaker.entity.startswith("place:"), name


def test_a_his_after_a_person_named_by_a_common_noun_is_not_the_speakers():
    # "Cheek said the deputy was near the end of his shift": "his" is the deputy's, so Sgt. Quist stays "she"
    text = ("Harbour crash\n\nA deputy was hurt in a crash on Quay Road on Tuesday night, the sheriff's office said."
            "\n\nSgt. Dorsa Quist said the deputy was near the end of his shift and was heading to the station.\n\n"
            "Shortly before 3 a.m., Sheriff Ed Vell said the deputy was being released.\n\nQuist said there were no "
            "clear signs of intoxication.\n\n“We don’t have any kind of open containers in the car. Nothing to "
            "suggest that,” she said.\n")
    doc, statements, names = analyse("crash.txt", text)
    assert speaker(doc, statements, names, "open containers") == "Dorsa Quist"
    assert name_gender("Sheriff Ed Vell") == "m" and name_gender("Al Jazeera") is None  # a rank is no given name


def test_a_nickname_quoted_inside_a_name_is_no_part_of_its_key():
    from crossnews.align.entities import build_entities
    from crossnews.extract.names import name_tokens

    assert name_tokens("Press Secretary Jon “Ace” Vell")[-2:] == ["jon", "vell"]
    (entity,) = build_entities([("person:jon-vell", "a", 0, 18, "Jon “Ace” Vell", "PERSON", None)],
                               {}, {"a": None})
    assert "Jon Vell" in (entity.name, *entity.aliases)


def test_two_full_names_sharing_a_surname_are_two_people_and_a_bracketed_name_does_not_speak():
    # "Arunendra Kumar, chairman of the Railway Board (and not related to Madhuresh Kumar), told reporters ..."
    text = ("Ferry crash\n\nHarbour chief Madra Kell said the ferry was running late on Monday.\n\nBut Arno Kell, head "
            "of the port board (and not related to Madra Kell), told reporters that the passengers were at fault for "
            "crossing the quay.\n\nSeveral passengers were hurt in the crash, he added.\n")
    doc, statements, names = analyse("ferry.txt", text)
    assert speaker(doc, statements, names, "running late") == "Madra Kell"
    assert speaker(doc, statements, names, "passengers were at fault") == "Arno Kell"
    assert speaker(doc, statements, names, "Several passengers were hurt") == "Arno Kell"


def test_a_role_held_for_a_place_names_its_holder_not_the_place():
    # the small model reads a place after "Mayor of" as a person ("The Mayor of Leeds" -> "Leeds")
    from crossnews.extract.names import name_tokens

    text = ("Dam row\n\nThe dam above the valley was closed on Monday after a crack was found.\n\n"
            "The Mayor of Leeds said the city would help pay for the repairs.\n\n"
            "The Senator for Queensland told reporters the federal government had ignored the warnings.\n\n"
            "The spokesman for Ada Brook said the campaign would go on.\n")
    doc, statements, names = analyse("dam.txt", text)
    assert speaker(doc, statements, names, "help pay for the repairs") == "Mayor of Leeds"
    assert speaker(doc, statements, names, "ignored the warnings") == "Senator for Queensland"
    assert speaker(doc, statements, names, "campaign would go on") != "Ada Brook"
    assert name_tokens("Secretary of State Jon Vell") == ["jon", "vell"]
    assert name_tokens("Mayor of Leeds") == ["mayor", "of", "leeds"]


def test_a_short_given_name_is_the_same_person_across_documents():
    from crossnews.align.entities import merge_entities
    from crossnews.extract.names import skeleton

    assert skeleton("Mike Vell") == skeleton("Michael Vell") and skeleton("Bill Quist") == skeleton("William Quist")
    merged = merge_entities([("person:mike-vell", "Mike Vell", "PERSON"), ("person:michael-vell", "Michael Vell",
                                                                          "PERSON")])
    assert merged["person:mike-vell"] == merged["person:michael-vell"]
    assert skeleton("Don") != skeleton("Donald")  # a word alone (a ship, a river) stays itself
    # and within one text, "Mike Vell" after "Michael Vell" is the same man, not another Vell
    from crossnews.extract.statements import _other_given_name

    assert not _other_given_name("Mike", "Michael Vell") and _other_given_name("Ada", "Michael Vell")


def test_an_accusation_coordinated_inside_what_was_said_is_the_reporters():
    # "X said that Varn is to blame for ... and accused ...": the parse hangs "accused" on "blame"
    text = ("Row over the death\n\nDorvask said on Thursday that Varn is to blame for the death of Jon Vell and "
            "accused the Varn government of demonstrating an unfriendly attitude.\n")
    doc, statements, names = analyse("row.txt", text)
    assert speaker(doc, statements, names, "demonstrating an unfriendly attitude") == "Dorvask"
    said = statement(doc, statements, "is to blame")
    assert "accused" not in doc.text[said.content.start:said.content.end]
