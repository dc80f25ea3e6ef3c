"""HTML cleaning against the trafilatura evaluation corpus (English subset, in ../shared/evaldata).

The full evaluation runs in ``make test`` (about 15 s); the floors live in ``tests/floors.json`` under
``"extraction"``. Tests that need the shared data skip with a message when it is absent.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from crossnews.eval.extraction import decode_html, evaluate_extraction, normalise_ws

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / ".." / "shared" / "evaldata" / "trafilatura-eval-en"
FLOORS = Path(__file__).resolve().parent / "floors.json"


def _need_data() -> Path:
    if not (DATA / "evaldata_en.json").is_file():
        pytest.skip(f"extraction evaluation data absent: {DATA.resolve()} (the shared trafilatura-eval-en corpus)")
    return DATA


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return evaluate_extraction(_need_data())


def test_extraction_meets_floors(result: dict[str, Any]) -> None:
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["extraction"]
    summary = {k: result[k] for k in ("pages", "must_contain_recall", "must_not_contain_precision",
                                      "must_not_contain_absent", "f1", "title_accuracy", "date_accuracy")}
    failures = [f"{f['file']}: {f['reason']}" for f in result["failures"]]
    below = {k: (result[k], floor) for k, floor in floors.items() if result[k] is None or result[k] < floor}
    assert not below, f"below floor (measured, floor): {below}; all figures: {summary}; failed pages: {failures}"


def test_evaluation_covers_the_dataset(result: dict[str, Any]) -> None:
    gold = json.loads((DATA / "evaldata_en.json").read_text(encoding="utf-8"))
    assert result["pages"] == len(gold)
    assert result["title_pages"] == sum(1 for v in gold.values() if (v.get("title") or "").strip())
    assert result["date_pages"] == sum(1 for v in gold.values() if (v.get("date") or "").strip())
    assert "whitespace" in result["notes"]
    for failure in result["failures"]:
        assert failure["reason"] and failure["file"]


def test_limit_scores_only_the_first_pages() -> None:
    small = evaluate_extraction(_need_data(), limit=3)
    assert small["pages"] == 3
    assert 0.0 <= small["must_contain_recall"] <= 1.0


def test_missing_dataset_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="evaluation data not found"):
        evaluate_extraction(tmp_path / "nowhere")


def test_unknown_baseline_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown baseline"):
        evaluate_extraction(tmp_path, baseline="boilerpipe")


def test_decode_html_uses_an_evident_charset() -> None:
    page = '<html><head><meta charset="windows-1252"></head><body><p>caf\u00e9 \u201cquoted\u201d</p></body></html>'
    text, encoding = decode_html(page.encode("cp1252"))
    assert "caf\u00e9 \u201cquoted\u201d" in text and encoding == "cp1252"
    # Declared Latin-1 but really UTF-8: read as UTF-8.
    mislabelled = page.replace("windows-1252", "iso-8859-1").encode("utf-8")
    assert "caf\u00e9" in decode_html(mislabelled)[0]
    # No charset, invalid UTF-8 byte: replaced, not an error.
    assert "\ufffd" in decode_html(b"<p>bad \xff byte</p>")[0]
    assert decode_html(gzip.decompress(gzip.compress(b"\xef\xbb\xbf<p>bom</p>")))[0] == "<p>bom</p>"


def test_normalise_ws() -> None:
    assert normalise_ws("  a\n\tb   c ") == "a b c"
