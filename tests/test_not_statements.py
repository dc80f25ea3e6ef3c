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
])
def test_acts_with_an_object_are_no_statements(text: str) -> None:
    assert _attributions(text) == []


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
