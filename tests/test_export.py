"""The export contract and the public API surface."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crossnews
from crossnews.core.codec import document_from_json, document_to_json
from crossnews.core.records import RemovedSpan, Span, blank_outside
from crossnews.report.export import load_schema, validate


def test_schema_defines_every_section():
    schema = load_schema()
    assert schema["properties"]["schema"] == {"const": "crossnews/1"}
    for key in ("documents", "entities", "statements", "times", "timeline", "relations", "rejected"):
        assert key in schema["required"]
    for definition in ("document", "entity", "statement", "time", "timelineEntry", "relation", "rejected"):
        assert definition in schema["$defs"]


def test_schema_file_in_repo_is_the_packaged_one():
    from .conftest import REPO

    on_disk = json.loads((REPO / "src" / "crossnews" / "schema" / "crossnews-1.schema.json").read_text())
    assert on_disk == load_schema()


def test_validate_rejects_a_span_that_lies(demo_export):
    export, _ = demo_export
    broken = json.loads(json.dumps(export))
    doc = broken["documents"][0]
    doc["removed"][0]["text"] = "not the text at these offsets"
    with pytest.raises(ValueError, match="E004"):
        validate(broken)
    doc["removed"][0]["end"] = len(doc["text"]) + 5
    with pytest.raises(ValueError, match="E003"):
        validate(broken)


def test_every_exported_span_indexes_its_document(demo_export):
    export, _ = demo_export
    for d in export["documents"]:
        for r in d["removed"]:
            assert d["text"][r["start"]:r["end"]] == r["text"]
        assert 0 <= d["body"]["start"] <= d["body"]["end"] <= len(d["text"])


def test_document_json_round_trip(demo_export):
    export, _ = demo_export
    for d in export["documents"]:
        assert document_to_json(document_from_json(d)) == d


def test_public_api_is_explicit():
    for name in crossnews.__all__:
        assert hasattr(crossnews, name), name
    assert "analyze" in crossnews.__all__ and "Document" in crossnews.__all__


def test_spans_refuse_negative_or_reversed_offsets():
    with pytest.raises(ValueError):
        Span(5, 2)
    with pytest.raises(ValueError):
        Span(-1, 2)
    with pytest.raises(ValueError, match="E002"):
        Span(0, 10).to_json("short")


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=200), st.data())
def test_analysis_text_keeps_offsets(text, data):
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    c = data.draw(st.integers(a, b))
    d = data.draw(st.integers(c, b))
    out = blank_outside(text, Span(a, b), (RemovedSpan(c, d, "furniture:test"),))
    assert len(out) == len(text)
    for i, ch in enumerate(text):
        if a <= i < b and not c <= i < d:
            assert out[i] == ch
        elif ch not in "\r\n":
            assert out[i] == " "
