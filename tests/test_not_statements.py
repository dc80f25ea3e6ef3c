"""Statements only where someone says something: acts, discourse markers and datelines are no statements."""

from __future__ import annotations

import pytest

from crossnews.core.nlp import parse
from crossnews.extract.attribution import find_attributions


def _attributions(text: str) -> list[tuple[str, str | None, list[str]]]:
    sdoc = next(iter(parse([text])))
    return [(text[a.cue[0]:a.cue[1]], a.source and text[a.source[0]:a.source[1]],
             [text[s:e] for s, e in a.content]) for a in find_attributions(sdoc)]


@pytest.mark.parametrize("text", [
    "Dorvask vetoed the joint resolution on Monday after a night of talks.",
    "The court convicted the former harbour master of fraud and stripped him of his pension.",
    "The navy seized three grain barges near the northern quay on Sunday.",
    "The council imposed a toll of two crowns on every barge entering the harbour.",
    "Velgrad expelled two Dorvask diplomats and launched an inquiry into the leak.",
    "The Dorvask parliament passed a draft law authorising the navy to expand its patrols by twelve miles.",
    "President Vell declared thirty days of martial law in the border regions on Monday.",
    "Federal authorities issued an extraordinary emergency decree for nineteen harbour towns.",
    "The harbour minister answered questions from reporters for an hour on Tuesday.",
])
def test_acts_with_an_object_are_no_statements(text: str) -> None:
    assert _attributions(text) == []


def test_declaring_or_announcing_words_is_still_a_statement() -> None:
    found = _attributions("President Vell declared that the vote was illegal and announced his resignation.")
    assert {cue for cue, _, _ in found} >= {"declared"}


def test_an_act_verb_with_a_clause_or_quote_still_reports() -> None:
    found = _attributions('The envoy provided assurances that the barges would sail, and Holm said: "We will see."')
    assert any(content == ['"We will see."'] for _, _, content in found)


@pytest.mark.parametrize("marker", ["That said,", "Having said that,", "That being said,"])
def test_discourse_markers_are_no_statements(marker: str) -> None:
    found = _attributions(f"{marker} the port director warned that delays were likely.")
    assert found == [("warned", "the port director", ["that delays were likely"])]


def test_a_dateline_is_no_speaker() -> None:
    found = _attributions("WASHINGTON: Officials in Velgrad said on Tuesday that the talks would resume in spring.")
    assert [(cue, source) for cue, source, _ in found] == [("said", "Officials in Velgrad")]


@pytest.mark.parametrize("text", [
    "The council's statement did not say whether or not the mayor had seen the report.",
    "The minister declined to say whether the harbour would reopen.",
    "Ada Brook would not say if the vote was delayed.",
])
def test_withholding_whether_something_is_so_is_no_statement(text: str) -> None:
    assert _attributions(text) == []


def test_asking_or_saying_whether_still_reports() -> None:
    assert [c for _, _, c in _attributions("Ada Brook asked whether the harbour would reopen.")] == \
        [["whether the harbour would reopen"]]
    found = _attributions("The mayor said whether or not the vote passes, the harbour will reopen.")
    assert found and found[0][0] == "said"


@pytest.mark.parametrize("text", [
    "The council released its long-awaited report today.",
    "The mayor has issued a statement about the council's inquiry into the harbour contracts.",
])
def test_putting_out_a_document_is_an_act_unless_what_it_says_is_given(text: str) -> None:
    assert _attributions(text) == []


def test_a_document_put_out_with_its_words_reports() -> None:
    found = _attributions('The ministry released a statement: "The harbour is closed."')
    assert ['"The harbour is closed."'] in [c for _, _, c in found]


@pytest.mark.parametrize("text", [
    "If the court finds for the council, the harbour must reopen.",  # a supposition
    "Ada Brook tweeted a photo of the harbour that suggested she was ready to fight.",  # an act, then a picture's
    "The council refused to provide the data.",  # refusing to act
    "The firm is known for its focus on mergers.",
    "Why It Matters: the harbour is the town's main employer.",  # a subheading, no speaker
    'Quote: "The harbour is the main employer of the town."',  # a page's label for what follows
])
def test_suppositions_acts_and_subheadings_are_no_statements(text: str) -> None:
    assert [cue for cue, _, _ in _attributions(text) if cue not in ("suggested",)] == []


def test_tweeting_or_refusing_with_a_clause_still_reports() -> None:
    assert _attributions("Ada Brook tweeted that the harbour was closed.")[0][2] == ["that the harbour was closed"]
    assert _attributions("The council refused to accept that the harbour was closed.")


@pytest.mark.parametrize("text", [
    "Ada Brook and her daughter were found unconscious on a bench in Harbour Square.",
    "Jon Vell has been listed as one of the ten passengers on the ferry.",
    "The harbour bill is widely seen as sailing through the council.",
])
def test_a_passive_of_what_happened_with_no_one_named_is_no_statement(text: str) -> None:
    assert _attributions(text) == []


def test_the_same_passives_with_their_source_still_report() -> None:
    found = _attributions("The harbour bill is widely seen by the council's advisers as sailing through.")
    assert any(source and "advisers" in source for _, source, _ in found)


def test_a_participle_of_a_quoted_noun_is_no_statement() -> None:
    found = _attributions('The Kremlin said on Tuesday that allegations Dorvask forces committed war crimes by '
                          'executing civilians in the Varn town of Ostel were a "monstrous forgery" aimed at '
                          'denigrating the Dorvask army.')
    assert [cue for cue, _, _ in found] == ["said"]


def test_an_infinitive_with_no_one_to_say_it_is_no_statement() -> None:
    # ("Asked if he will quit, ..." stays: the question is a statement whose asker is not named, see
    # test_statements.py)
    text = ("Jon Vell said it was likely the shell was fired by Varn guns to defend against a barrage of Dorvask "
            "strikes.")
    assert not any(source is None for _, source, _ in _attributions(text))


def test_a_saying_that_is_the_subject_of_a_clause_is_no_statement() -> None:
    text = ("The Varn government said accusing a country of being at fault for the harbour disaster was a complex "
            "process.")
    assert [cue for cue, _, _ in _attributions(text)] == ["said"]


def test_where_a_name_comes_from_is_no_statement() -> None:
    text = ("The Varn senator accused the agencies of rushing to a conclusion.\n\nNamed for the Cuban city where "
            "some 40 embassy guards first reported cases in 2016, Varn syndrome has since afflicted hundreds of "
            "officials at embassies around the world, with symptoms including headaches.")
    assert "Named for" not in [cue for cue, _, _ in _attributions(text)]


def test_being_to_blame_is_no_one_blaming():
    from crossnews.clean import clean
    from crossnews.extract import extract
    from crossnews.ingest import RawInput

    text = ("Harbour blast\n\nThe harbour board said on Wednesday that Varn was ultimately to blame for a missile "
            "striking the pier, even though the missile was likely Dorvask's.\n")
    doc = clean(RawInput("a.txt", text, "text", "file"))
    (ex,) = extract([doc])
    assert [s.cue.lemma for s in ex.statements if s.cue] == ["say"]


@pytest.mark.parametrize("text", [
    "Thank you, Holborn and St Pancras, for putting your trust in me again.",
    "Thank you Harbour News for all that you do!",
    "Expect Vell to file a legal response to the council in the meantime.",
])
def test_a_command_that_opens_its_sentence_is_no_statement(text: str) -> None:
    assert _attributions(text) == []


def test_a_command_inside_a_quote_is_what_the_speaker_said() -> None:
    found = _attributions('"Thank you, Holborn, for your trust," Vell said.')
    assert [(cue, source) for cue, source, _ in found] == [("said", "Vell")]


def test_a_speakers_verb_and_a_colon_before_a_quote_report_it_whatever_the_verb() -> None:
    # "He also apologised to the party's candidates and campaigners: “I'm sorry that we could not deliver ...”"
    found = _attributions("Vell said the party now needed to rebuild. He also apologised to the party’s candidates "
                          "and campaigners: “I’m sorry that we could not deliver what your efforts deserved.”")
    assert any(cue.endswith("apologised") and content[0].startswith("“I’m sorry") for cue, _, content in found)
