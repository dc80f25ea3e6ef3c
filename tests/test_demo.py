"""The bundled demo corpus: metadata against its ground truth (demo/expected.json)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from crossnews.report.export import validate

from .conftest import DEMO

EXPECTED = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))
DOC_KEYS = [k for k in EXPECTED if k != "facts"]


def _doc_for(export, key):
    for d in export["documents"]:
        if "#" in key:
            if d["id"] == key.split("#", 1)[1]:
                return d
        elif d["source"].endswith(key):
            return d
    raise AssertionError(f"no document for {key}")


def _same_instant(a: str, b: str) -> bool:
    if a == b:
        return True
    try:
        return dt.datetime.fromisoformat(a) == dt.datetime.fromisoformat(b)
    except ValueError:
        return False


def test_demo_export_is_valid(demo_export):
    export, _ = demo_export
    validate(export)
    assert len(export["documents"]) == len(DOC_KEYS)
    assert export["rejected"] == []


@pytest.mark.parametrize("key", DOC_KEYS)
def test_demo_metadata(demo_export, key):
    export, _ = demo_export
    want = EXPECTED[key]
    doc = _doc_for(export, key)
    assert doc["title"] == want["title"]
    assert doc["outlet"] in {want["outlet"], want.get("outlet_abbrev")}
    assert doc["republisher"] == want["republisher"]
    assert doc["dateline"] == want["dateline"]
    published = want.get("published_resolved", want["published"])
    assert _same_instant(doc["published"], published), (doc["published"], published)
    if "published_year_candidates_include" in want:
        years = {c["year"] for c in doc["published_evidence"]["candidates"]}
        assert set(want["published_year_candidates_include"]) <= years
        assert doc["published_evidence"]["choice"] is not None  # the evidence leaves one year
    if want.get("author"):
        assert doc["author"] == want["author"]


def test_demo_dossier_lists_documents(demo_export):
    export, out = demo_export
    html = (out / "dossier.html").read_text(encoding="utf-8")
    for d in export["documents"]:
        assert f'id="doc-{d["id"]}"' in html
    assert "<script" not in html  # the dossier runs no scripts


def test_demo_dossier_links_every_statement_to_its_words(demo_export):
    import re

    export, out = demo_export
    html = (out / "dossier.html").read_text(encoding="utf-8")
    links = re.findall(r'href="#(st-text-[^"]+)"', html)
    targets = set(re.findall(r'id="(st-text-[^"]+)"', html))
    assert len(links) == len(export["statements"]) > 10
    assert set(links) <= targets


def test_demo_statements_have_speakers_and_nesting(demo_export):
    export, _ = demo_export
    statements = export["statements"]
    assert any(s["speaker"]["anonymous"] for s in statements)
    assert any(s["nested_in"] for s in statements)
    assert {s["kind"] for s in statements} >= {"direct", "indirect"}
    assert any(s["channel"] for s in statements)
    entity_ids = {e["id"] for e in export["entities"]}
    assert all(s["speaker"]["entity"] in entity_ids for s in statements if s["speaker"]["entity"])
