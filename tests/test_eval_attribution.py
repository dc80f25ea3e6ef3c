"""PolNeAR dev: attribution scores keep their floors (tests/floors.json); the scorer itself is checked on
hand-made cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crossnews.eval.attribution import evaluate_attribution, score
from crossnews.eval.brat import Attribution

from .conftest import EVALDATA, need_shared

FLOORS = json.loads((Path(__file__).parent / "floors.json").read_text())["attribution"]


@pytest.fixture(scope="module")
def dev_result():
    return evaluate_attribution(need_shared(EVALDATA / "polnear" / "dev"))


def test_polnear_dev_meets_floors(dev_result):
    ours = dev_result["crossnews"]
    below = {}
    for key, floor in FLOORS.items():
        role, crit, metric = key.split(".")
        value = ours[role][crit][metric]
        if value < floor:
            below[key] = (value, floor)
    assert not below, f"below floor (measured, floor): {below}"
    assert dev_result["gold_attributions"] > 2000


def test_scorer_exact_and_overlap():
    gold = [Attribution(((0, 5),), ((6, 10),), ((11, 30),)), Attribution((), ((40, 44),), ((45, 60), (70, 80)))]
    exact = [(((0, 5),), ((6, 10),), ((11, 30),)), ((), ((40, 44),), ((45, 60), (70, 80)))]
    assert score([(gold, exact)])["attribution"]["exact"]["f1"] == 1.0
    loose = [(((0, 4),), ((6, 10),), ((12, 30),)), (((30, 35),), ((40, 44),), ((46, 60),))]
    s = score([(gold, loose)])
    assert s["attribution"]["exact"]["f1"] == 0.0
    assert s["attribution"]["overlap"]["recall"] == 0.5  # the second has a source where gold has none
    assert s["content"]["overlap"]["f1"] == 1.0
    assert s["source"]["exact"]["precision"] == 0.0


def test_scored_system_keeps_the_outermost_statements_as_polnear_marks_them():
    from crossnews.core.nlp import load_nlp
    from crossnews.eval.attribution import _ours, _ours_all

    text = ("The Chronicle reported on Sunday that two diplomats had said the envoy, Kasim Tell, told his counterpart "
            "that there would be consequences.\n")
    sdoc = load_nlp()(text)
    cues = lambda preds: sorted(text[c[0][0]:c[0][1]] for _, c, _ in preds)  # noqa: E731
    assert cues(_ours(sdoc)) == ["reported"]
    assert {"reported", "told"} <= set(cues(_ours_all(sdoc)))


def test_the_span_model_moves_content_edges_for_the_better(dev_result):
    """quotes.spans.v1 and quotes.tagger.v2 keep their floors, and each beats the statements it starts from."""
    from crossnews.extract.spans import span_weights_available

    if not span_weights_available():
        pytest.skip("no span model weights (data/spans_minilm_int8.onnx): run `make train-spans`")
    floors = json.loads((Path(__file__).parent / "floors.json").read_text())["attribution_backends"]
    below = {}
    for key, floor in floors.items():
        system, role, crit, metric = key.split(".")
        value = dev_result[system][role][crit][metric]
        if value < floor:
            below[key] = (value, floor)
    assert not below, f"below floor (measured, floor): {below}"
    for moved, base in (("spans", "rules_statements"), ("merge_spans", "merge")):
        for role in ("content", "attribution"):
            assert dev_result[moved][role]["exact"]["f1"] > dev_result[base][role]["exact"]["f1"]
        assert dev_result[moved]["predicted"] == dev_result[base]["predicted"]
