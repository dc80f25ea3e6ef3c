"""crossnews eval propaganda: the SI and TC scorers on hand-made spans, the PTC reader on a hand-made folder, the
held-out split, the technique tagger's plumbing, and the measured figures on PTC train's held-out articles
(``../shared``) against their floors (tests/floors.json, ``propaganda``)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from crossnews.cli import main
from crossnews.core.records import Analysis, Document, Span, Technique
from crossnews.eval.propaganda import load_ptc, merge_spans, score_si, score_tc, split_of
from crossnews.extract.techniques import (
    N_OUT,
    TECHNIQUES,
    WindowSettings,
    classify,
    decode_spans,
    load_settings,
    token_windows,
    weights_available,
)
from crossnews.report.export import to_json, validate

from .conftest import EVALDATA, need_shared

PTC = EVALDATA / "semeval2020-task11-ptc-train"
FLOORS = json.loads((Path(__file__).parent / "floors.json").read_text())["propaganda"]


def test_si_partial_overlap_as_the_task_defines_it():
    gold = {"a": [(0, 10), (20, 30)]}
    # one prediction covering half of the first gold span, one outside every gold span
    pred = {"a": [(5, 10), (40, 50)]}
    r = score_si(pred, gold)
    assert r["precision"] == pytest.approx((5 / 5 + 0) / 2)
    assert r["recall"] == pytest.approx((5 / 10 + 0) / 2)
    assert r["f1"] == pytest.approx(2 * 0.5 * 0.25 / 0.75, abs=1e-4)
    # overlapping predictions are merged before scoring; nothing predicted scores 0
    assert score_si({"a": [(0, 6), (4, 10)]}, gold)["predicted"] == 1
    assert score_si({}, gold)["f1"] == 0.0
    assert merge_spans([(4, 8), (0, 5), (9, 9), (10, 12)]) == [(0, 8), (10, 12)]


def test_tc_micro_f1_matches_labels_as_multisets():
    gold = {("a", 0, 5): ["Doubt", "Slogans"], ("a", 9, 12): ["Loaded_Language"]}
    pred = {("a", 0, 5): ["Doubt", "Repetition"], ("a", 9, 12): ["Loaded_Language"]}
    r = score_tc(pred, gold)
    assert r["micro"]["f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert r["per_technique"]["Doubt"]["f1"] == 1.0 and r["per_technique"]["Slogans"]["recall"] == 0.0


def test_reader_and_split(tmp_path):
    (tmp_path / "articles").mkdir()
    text = "A made-up title\n\nThe brave heroes of Quellon will never surrender.\nIt was a disaster.\n"
    (tmp_path / "articles" / "article42.txt").write_text(text, encoding="utf-8")
    (tmp_path / "articles" / "article43.txt").write_text("Calm title\n\nNothing here.\n", encoding="utf-8")
    s = text.index("brave heroes")
    (tmp_path / "x-task2-TC.labels").write_text(f"42\tLoaded_Language\t{s}\t{s + 12}\n42\tFlag-Waving\t{s}\t"
                                                f"{s + 27}\n", encoding="utf-8")
    arts = load_ptc(tmp_path)
    assert [a.id for a in arts] == ["42", "43"]
    assert arts[0].spans[0] == ("Loaded_Language", s, s + 12) and arts[0].si == ((s, s + 27),)
    assert arts[1].spans == () and arts[1].si == ()
    # the split is a fixed function of the id, about 20 % held out and 10 % dev
    ids = [str(111111111 + i) for i in range(2000)]
    parts = [split_of(i) for i in ids]
    assert parts == [split_of(i) for i in ids]
    assert 0.17 < parts.count("heldout") / 2000 < 0.23 and 0.07 < parts.count("dev") / 2000 < 0.13


def test_windows_cover_every_token_once_and_spans_decode():
    settings = WindowSettings(max_len=12, context=2)
    ids = list(range(1000, 1030))
    wins = token_windows(ids, settings)
    own = [t for w in wins for t in w.tokens]
    assert own == list(range(30))
    for w in wins:
        assert len(w.ids) <= 12 and w.ids[0] == 101 and w.ids[-1] == 102
        assert [w.ids[w.first + k] for k in range(len(w.tokens))] == [ids[t] for t in w.tokens]
    text = "They are evil traitors, all of them."
    offsets = [(0, 4), (5, 8), (9, 13), (14, 22), (22, 23), (24, 27), (28, 30), (31, 35), (35, 36)]
    probs = np.zeros((len(offsets), N_OUT))
    probs[2:4, 0] = 0.9
    probs[2:4, 1 + TECHNIQUES.index("Name_Calling,Labeling")] = 0.8
    spans = decode_spans(text, probs, offsets, 0.5)
    assert [(text[s.start:s.end], s.technique) for s in spans] == [("evil traitors", "Name_Calling,Labeling")]
    assert classify(probs, offsets, [(9, 22)])[0][0] == "Name_Calling,Labeling"


def test_technique_spans_in_the_export_schema():
    text = "They are evil traitors."
    doc = Document(id="d", source="d.txt", format="text", text=text, content_hash="0" * 64, body=Span(0, len(text)))
    payload = json.loads(json.dumps(to_json(Analysis(documents=(doc,), techniques=(
        Technique("d", 9, 22, "Name_Calling,Labeling", 0.81),)))))
    assert payload["techniques"] == [{"doc": "d", "text": "evil traitors", "start": 9, "end": 22,
                                      "technique": "Name_Calling,Labeling", "score": 0.81}]
    validate(payload)
    payload["techniques"][0]["technique"] = "Not_A_Technique"
    with pytest.raises(Exception, match="Not_A_Technique"):
        validate(payload)


def test_shipped_settings_record_the_held_out_articles():
    if not weights_available():
        pytest.skip("the technique tagger's weights are not installed (data/techniques_minilm_int8.onnx)")
    meta = load_settings()
    assert meta["heldout"] and all(split_of(i) == "heldout" for i in meta["heldout"])
    assert set(meta["heldout"]).isdisjoint(meta["dev"])
    assert meta["techniques"] == list(TECHNIQUES)


@pytest.mark.slow
def test_propaganda_floors_on_held_out_articles():
    path = need_shared(PTC)
    if not weights_available():
        pytest.skip("the technique tagger's weights are not installed (data/techniques_minilm_int8.onnx)")
    result = CliRunner().invoke(main, ["eval", "propaganda", str(path)])
    assert result.exit_code == 0, result.output
    r = json.loads(result.output)
    print(f"\npropaganda (held-out PTC train articles): SI {r['si']}, TC micro {r['tc']['micro']}")
    assert r["scored_on"].startswith("held-out")
    assert r["articles"] == len(load_settings()["heldout"])
    assert r["si"]["f1"] >= FLOORS["si.f1"]
    assert r["tc"]["micro"]["f1"] >= FLOORS["tc.micro_f1"]


def test_eval_skips_without_the_data(tmp_path):
    result = CliRunner().invoke(main, ["eval", "propaganda", str(tmp_path)])
    assert result.exit_code != 0
    assert "article" in result.output
