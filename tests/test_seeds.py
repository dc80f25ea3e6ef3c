"""The two founding pages: metadata, body boundaries and removed furniture."""

from __future__ import annotations

from crossnews.clean import body_text

from .conftest import SEEDS, need_shared


def removed_by_reason(doc):
    return {doc.text[r.start:r.end]: r.reason for r in doc.removed}


def test_plain_text_document_text_is_the_file_exactly(seed_docs):
    need_shared(SEEDS)
    for doc in seed_docs.values():
        with open(doc.source, encoding="utf-8") as fh:
            assert doc.text == fh.read()


def test_tass_metadata(seed_docs):
    doc = seed_docs["TASS"]
    assert doc.title == "US appears to shift stance after hinting at strikes against Crimea, says Lavrov"
    assert doc.dateline == "MOSCOW"
    assert doc.republisher is None
    assert doc.language == "en"
    # The year is not printed. "said on Wednesday" fits December 28 in 2022 and 2016: the most recent is chosen,
    # marked tentative, and the other candidates stay recorded.
    assert doc.published == "2022-12-28"
    ev = doc.published_evidence
    assert ev.choice == 2022 and ev.tentative
    assert ev.raw == "December 28"
    assert doc.text[ev.span.start:ev.span.end] == "December 28"
    years = {c.year: c for c in ev.candidates}
    assert 2022 in years and 2016 in years
    assert years[2022].score == 1.0
    assert any("Wednesday" in r for r in years[2022].reasons)
    assert any("2014" in r for r in years[2022].reasons)  # latest year referred to bounds the candidates
    assert all(y >= 2014 for y in years)
    assert "not printed" in ev.reason and "tentatively" in ev.reason
    assert years[2016].score == 1.0  # the alternative is kept, not hidden


def test_tass_lede_and_body(seed_docs):
    doc = seed_docs["TASS"]
    lede = doc.text[doc.lede.start:doc.lede.end]
    assert lede.startswith("According to Sergey Lavrov, the US authorities, in private talks")
    assert doc.text[doc.body.start:].startswith("MOSCOW, December 28. /TASS/. An earlier statement")
    assert doc.text[:doc.body.end].endswith("constitutional laws on the accession of the four regions to Russia.")
    removed = removed_by_reason(doc)
    assert removed["All news"].startswith("furniture:")
    assert removed["Updated at:"] == "furniture:timestamp-label"
    assert removed["MOSCOW, December 28. /TASS/."] == "metadata:dateline"
    assert removed[doc.title] == "metadata:title"
    body = body_text(doc)
    assert body.startswith("An earlier statement made by a Pentagon official")
    assert "Russia’s special military operation" in body  # a subheading inside the article is kept
    assert "All news" not in body and "Updated at" not in body and "/TASS/" not in body


def test_press_tv_metadata(seed_docs):
    doc = seed_docs["Press TV"]
    assert doc.title == "Kerry calls on Russia to send forces back to their bases in Crimea"
    assert doc.republisher == "GlobalSecurity.org"
    assert doc.published == "2014-03-16T17:47Z"
    assert doc.published_evidence.raw == "Sun Mar 16, 2014 5:47PM GMT"
    assert doc.dateline is None
    assert doc.lede is None


def test_press_tv_body_and_furniture(seed_docs):
    doc = seed_docs["Press TV"]
    assert doc.text[doc.body.start:].startswith("US Secretary of State John Kerry has called on Russia")
    assert doc.text[:doc.body.end].endswith("the right to exercise their right to self-determination.")
    removed = removed_by_reason(doc)
    assert removed["UNITED24 - Make a charitable donation in support of Ukraine!"] == "furniture:call-to-action"
    assert removed["Weapons of Mass Destruction (WMD)"] == "furniture:section-label"
    assert removed["Iran Press TV"] == "metadata:outlet"
    assert removed["Sun Mar 16, 2014 5:47PM GMT"] == "metadata:published"
    assert removed["GJH/DDB"] == "furniture:editor-initials"
    assert removed["NEWSLETTER"].startswith("furniture:")
    assert removed["Join the GlobalSecurity.org mailing list"] == "furniture:call-to-action"
    body = body_text(doc)
    for furniture in ("UNITED24", "NEWSLETTER", "GJH/DDB", "mailing list", "Weapons of Mass Destruction"):
        assert furniture not in body
    # every paragraph of the article is in the body
    assert "Later on Saturday, the Russian Foreign Ministry condemned" in body
    assert '"He urged Russia to support efforts by Ukrainians' in body


def test_every_removed_span_has_a_reason_and_lies_in_the_text(seed_docs):
    for doc in seed_docs.values():
        last_end = 0
        for r in doc.removed:
            assert 0 <= r.start < r.end <= len(doc.text)
            assert r.start >= last_end, "removed spans do not overlap"
            assert r.reason.split(":")[0] in {"furniture", "metadata"}
            last_end = r.end
        assert 0 <= doc.body.start < doc.body.end <= len(doc.text)


def test_every_line_is_body_or_removed(seed_docs):
    """Nothing is silently dropped: each non-blank line outside the body is recorded as removed."""
    from crossnews.clean import split_lines

    for doc in seed_docs.values():
        covered = [(r.start, r.end) for r in doc.removed]
        for line in split_lines(doc.text):
            inside_body = doc.body.start <= line.start and line.end <= doc.body.end
            if not inside_body:
                assert (line.start, line.end) in covered, line.text


def test_metadata_evidence_points_into_the_text(seed_docs):
    tass = seed_docs["TASS"]
    outlet = next(e for e in tass.evidence if e.field == "outlet")
    assert tass.text[outlet.span.start:outlet.span.end] == "/TASS/"
    press = seed_docs["Press TV"]
    outlet = next(e for e in press.evidence if e.field == "outlet")
    assert press.text[outlet.span.start:outlet.span.end] == "Iran Press TV"
