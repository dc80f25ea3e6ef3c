"""Hard-wrapped text (wire copy broken at a fixed width) is joined for analysis; the text and offsets stay as given."""

from __future__ import annotations

import textwrap
from pathlib import Path

from crossnews.core.records import unwrap, wrap_width

PARAGRAPHS = [
    "VELGRAD, March 3 (Coastline Wire) - The harbour minister of Velgrad said on Tuesday that President Amsel Korv "
    "is ready to meet the delegation from Dorvask next week, but only if the toll on grain barges is dropped first.",
    '"We will not sign anything that raises the price of bread for our families," Korv told reporters outside the '
    "port authority building in the old town, where dockers had gathered since dawn.",
    "The Dorvask delegation said in a statement that the toll was a matter for the joint commission and that it "
    "expected the minister to keep the promise he made in January to put all tariffs before the commission.",
]


def wrapped(width: int = 72) -> str:
    return "Harbour talks stall as Velgrad rejects toll plan\n\n" + "\n\n".join(
        textwrap.fill(p, width) for p in PARAGRAPHS) + "\n"


def test_wrapped_prose_is_joined_with_the_same_length() -> None:
    text = wrapped()
    assert wrap_width(text) is not None
    joined = unwrap(text)
    assert len(joined) == len(text)
    assert joined.rstrip("\n").split("\n\n")[1:] == [textwrap.fill(p, 72).replace("\n", " ") for p in PARAGRAPHS]
    assert all(a == b or (a == "\n" and b == " ") for a, b in zip(text, joined, strict=True))


def test_paragraph_text_short_lines_and_lists_are_left_alone() -> None:
    plain = "Title\n\n" + "\n".join(PARAGRAPHS) + "\n"
    assert wrap_width(plain) is None and unwrap(plain) == plain
    listing = wrapped() + "\nIn brief:\n- the toll stays until the commission meets in the spring of next year\n"
    assert "In brief:\n- the toll" in unwrap(listing)
    # a line that ends its paragraph before the width is not joined to a capitalised next line
    short = textwrap.fill(PARAGRAPHS[0], 72) + "\nKorv spoke last.\n" + textwrap.fill(PARAGRAPHS[2], 72) + "\n"
    assert "first.\nKorv spoke last.\nThe Dorvask" in unwrap(short)


def test_a_statement_across_wrapped_lines_is_found_whole(tmp_path: Path) -> None:
    from crossnews.core.settings import Settings
    from crossnews.pipeline import AnalyzeOptions, analyze
    from crossnews.store.sqlite import open_store

    (tmp_path / "wire.txt").write_text(wrapped(), encoding="utf-8")
    with open_store(tmp_path / "x.db") as store:
        analyze([str(tmp_path / "wire.txt")], store, AnalyzeOptions(settings=Settings(), relations=False))
        analysis = store.analysis()
    doc = analysis.documents[0]
    assert doc.text == wrapped()  # the document text is the file, line breaks and all
    contents = [doc.text[s.content.start:s.content.end] for s in analysis.statements]
    said = next(c for c in contents if c.startswith("that President Amsel Korv"))
    assert said.replace("\n", " ").endswith("the toll on grain barges is dropped first")
    assert any(c.startswith("that the toll was a matter") and "in January" in c for c in contents)
