"""judge.learned.v1 and the evidence both judges weigh: hand-made pairs whose labels must mean what they say, the
packaged weights (they load, give the labels they gave at training, stay small and hold no third-party text), clear
errors for bad weights, and the held-out ClaimDiff measurement against the lexical baseline."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from crossnews.align.judges import Claim, Judgement, get_judge
from crossnews.align.judges.evidence import compare, number_interval, read
from crossnews.align.judges.learned import CLASSES, LearnedJudge, LearnedJudgeError, load_weights
from crossnews.cli import main
from crossnews.core.registry import register
from crossnews.eval.claimpairs import evaluate_claimpairs

from .conftest import EVALDATA, REPO, need_shared

WEIGHTS = REPO / "src" / "crossnews" / "data" / "judge_model.json"
STRENGTHEN = ("same", "agrees", "adds")

# (a, b, what the label must be: a label, or "not <label>", or "strengthen")
HAND_MADE = [
    ("The commission declared the referendum invalid.", "The vote was undoubtedly sincere.", "contradicts"),
    ("The referendum was legal.", "The referendum was illegal and illegitimate.", "contradicts"),
    ("Kerry is unlikely to admit he ever recognized the referendum.", "Kerry recognized the referendum.",
     "not agreement"),
    ("The ships did not enter Russian waters.", "The ships entered Russian waters.", "contradicts"),
    ("Israel denied that it bombed the hospital.", "Israel bombed the hospital.", "contradicts"),
    ("It is highly likely that Russia is responsible for the poisoning.",
     "Russia is not responsible for the poisoning.", "contradicts"),
    ("Russia has nothing to do with the poisoning.", "Moscow was behind the poisoning.", "contradicts"),
    ("An Israeli airstrike hit the hospital.", "The hospital was hit by a rocket misfired by Islamic Jihad.",
     "contradicts"),
    ("At least 300 people were killed in the blast.", "Only 20 people were killed in the blast.", "contradicts"),
    ("The harbour strike ended on Friday.", "Wheat prices in the north fell sharply.", "unrelated"),
    ("The minister said the bridge will reopen next spring after the repairs.",
     "The bridge will reopen next spring after the repairs, the minister said.", "strengthen"),
]


def _check(label: str, want: str, where: str) -> None:
    if want == "strengthen":
        assert label in STRENGTHEN, where
    elif want == "not agreement":
        assert label not in STRENGTHEN, where
    else:
        assert label == want, where


# ------------------------------------------------------------------------------------------------ evidence


def test_evidence_in_words() -> None:
    c = compare("Kerry is unlikely to admit he ever recognized the referendum", "Kerry recognized the referendum")
    assert not c.conflicts() and c.modality() and "recognized" in c.modality()[0]
    c = compare("Israel denied that it bombed the hospital", "Israel bombed the hospital")
    assert any(r.startswith("denied on one side only") for r in c.conflicts())
    c = compare(read("that the strike came from the army", "have denied"), read("the army struck the hospital"))
    assert c.denied_shared, "a denial cue puts the whole claim under denial"
    c = compare("Trump does not think Kim is responsible for the death", "The regime is responsible for his death")
    assert any("opposite responsibility" in r for r in c.conflicts())  # negation raising
    c = compare("There is no alternative conclusion other than that Russia was responsible",
                "Russia was responsible for the attack")
    assert not c.conflicts()  # "no ... other than" asserts
    assert number_interval("at least 300 people", "300", 9) == (300.0, float("inf"))
    assert not compare("At least 300 people were killed", "The blast killed 471 people").number_conflicts
    assert compare("At least 300 people were killed", "Only 20 people were killed").number_conflicts
    assert not compare("a failed rocket launch hit the hospital", "a rocket hit the hospital").negated_shared


# ------------------------------------------------------------------------------------------------ the judges


@pytest.mark.parametrize("a,b,want", HAND_MADE)
def test_rules_judge_on_hand_made_pairs(a: str, b: str, want: str) -> None:
    j = get_judge("judge.rules.v1").judge([(Claim(a), Claim(b))])[0]
    _check(j.label, want, f"rules: {j.label} {j.evidence.get('reasons')}")


@pytest.fixture(scope="module")
def plain() -> LearnedJudge:
    return LearnedJudge(embedder="none")


@pytest.mark.parametrize("a,b,want", HAND_MADE)
def test_learned_judge_on_hand_made_pairs(plain: LearnedJudge, a: str, b: str, want: str) -> None:
    j = plain.judge([(Claim(a), Claim(b))])[0]
    _check(j.label, want, f"learned: {j.label} {j.evidence}")


def test_a_judgement_explains_itself(plain: LearnedJudge) -> None:
    a = Claim("The ships did not enter Russian waters.", doc="d1", start=100, end=139)
    b = Claim("The ships entered Russian waters.", doc="d2", start=7, end=40)
    j = plain.judge([(a, b)])[0]
    assert j.judge == "judge.learned.v1" and j.label == "contradicts" and 0.0 <= j.score <= 1.0
    ev = j.evidence
    assert set(ev["model"]["probabilities"]) == set(CLASSES)
    assert ev["features"] and all({"feature", "value", "push"} <= set(f) for f in ev["features"])
    # the features it lists (the strongest pushes) name the negation that parts the two
    assert any(f["feature"] in ("negated_shared", "dice_x_parity") and f["push"] > 0 for f in ev["features"])
    assert any("negated on one side only" in r for r in ev["reasons"]) and ev["subject"] and ev["conflicts"]
    for side, claim in (("a", a), ("b", b)):  # spans index the documents
        for s in ev["spans"][side]:
            assert s["doc"] == claim.doc and claim.text[s["start"] - claim.start:s["end"] - claim.start] == s["text"]
    json.dumps(ev)  # exportable as it is


def test_similarity_alone_neither_agrees_nor_contradicts() -> None:
    """Close in meaning, but no shared subject or predicate in words: the gates keep it unrelated whatever the
    model says (a cosine of 0.9 is given to the judge)."""
    judge = LearnedJudge(embedder="none")
    judge.embedder_name = "test"  # feed a cosine without loading an embedder
    judge.model = LearnedJudge().model
    a, b = "The president praised the new law.", "Their leader welcomed that legislation."
    judge.prime([a, b], np.array([[1.0, 0.0], [0.9, np.sqrt(1 - 0.81)]], dtype=np.float32))
    j = judge.judge([(Claim(a), Claim(b))])[0]
    assert j.evidence["cosine"] == pytest.approx(0.9, abs=1e-3)
    assert j.label == "unrelated", j.evidence


def test_vectors_of_another_embedder_are_not_taken() -> None:
    judge = LearnedJudge(embedder="embed.minilm.v1")  # the same model as the weights' embed.minilm.v2, in fp32
    vec = np.ones((1, 384), dtype=np.float32) / np.sqrt(384)
    assert not judge.prime(["a text"], vec, embedder="embed.hashing.v1")
    assert judge.prime(["a text"], vec, embedder="embed.minilm.v2")
    assert not LearnedJudge(embedder="none").prime(["a text"], vec)


def test_empty_input_and_registry() -> None:
    from crossnews.core.registry import backends

    assert "judge.learned.v1" in {b.name for b in backends("judge")}
    judge = get_judge("judge.learned.v1", embedder="none")
    assert judge.name == "judge.learned.v1" and judge.judge([]) == []


# ------------------------------------------------------------------------------------------------ the weights


def test_weights_file_is_small_records_its_training_and_holds_no_data_text() -> None:
    assert WEIGHTS.stat().st_size < 1_000_000
    data, _ = load_weights()
    assert data["meta"]["seed"] == 13 and data["meta"]["source_weights"] and data["meta"]["command"]
    held = data["heldout"]["claimdiff"]
    assert held["split"] == "train" and held["by"] == "topic" and len(held["pair_ids"]) > 300
    assert data["heldout"]["story"]
    text = WEIGHTS.read_text(encoding="utf-8")
    claimdiff = EVALDATA / "claimdiff-train" / "ClaimDiff-weak-train.json"
    if claimdiff.is_file():
        items = json.loads(claimdiff.read_text(encoding="utf-8"))["data"]
        assert not any(i["claim_a"][:60] in text or i["claim_b"][:60] in text for i in items[:400])
        assert held["pair_ids"][0] in {i["pair_id"] for i in items}


def _probes(judge: LearnedJudge, variant: str) -> None:
    probes = load_weights()[0]["probes"][variant]
    pairs = [(Claim(p["a"]), Claim(p["b"])) for p in probes]
    probs = judge.probabilities(pairs)
    labels = [j.label for j in judge.judge(pairs)]
    for p, got, label in zip(probes, probs, labels, strict=True):
        assert label == p["label"], (p["a"], p["b"])
        assert np.allclose(got, p["probabilities"], atol=2e-5), (p["a"], got, p["probabilities"])


def test_weights_give_the_labels_they_gave_at_training_plain(plain: LearnedJudge) -> None:
    _probes(plain, "plain")


@pytest.mark.slow
def test_weights_give_the_labels_they_gave_at_training_with_embeddings() -> None:
    _probes(LearnedJudge(), "embedding")


def test_unknown_or_bad_weights_are_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(LearnedJudgeError, match=f"E053.*{missing.name}"):
        get_judge("judge.learned.v1", weights=str(missing))
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    with pytest.raises(LearnedJudgeError, match="E053.*not a learned judge"):
        LearnedJudge(weights=bad)
    broken = tmp_path / "broken.json"
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    data["models"]["plain"]["coef"] = [[1.0]]
    broken.write_text(json.dumps(data))
    with pytest.raises(LearnedJudgeError, match="E053.*do not match"):
        LearnedJudge(weights=broken, embedder="none")
    with pytest.raises(LearnedJudgeError, match="E054"):
        LearnedJudge(embedder="embed.hashing.v1")
    folder = tmp_path / "cd"
    _write_claimdiff(folder, [("a b c", "a b c d", 0, 1, "p0")])
    result = CliRunner().invoke(main, ["eval", "claimpairs", str(folder), "--judge", "judge.learned.v1", "-o",
                                       f"weights={missing}"])
    assert result.exit_code == 2 and "E053" in result.output and "nope.json" in result.output


# ------------------------------------------------------------------------------------------------ evaluation


def _write_claimdiff(folder: Path, rows: list[tuple[str, str, int, int, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for kind, col in (("weak", 2), ("strength", 3)):
        data = [{"topic": "t", "pair_id": r[4], "claim_a": r[0], "claim_b": r[1], "relation": r[col]} for r in rows]
        (folder / f"ClaimDiff-{kind}-train.json").write_text(json.dumps({"data": data}))
    return folder


class _HeldOutJudge:
    """Says "agrees" to everything and declares two pairs held out of its training."""

    name = "judge.testheldout.v1"
    heldout_pairs = frozenset({"p1", "p2"})
    heldout_split = "train"

    def judge(self, pairs: Sequence[tuple[Claim, Claim]]) -> list[Judgement]:
        return [Judgement("agrees", 1.0, self.name) for _ in pairs]


@register("judge.testheldout.v1", description="test only: declares held-out pairs")
def _held_out_judge(**options: Any) -> _HeldOutJudge:
    return _HeldOutJudge()


def test_eval_scores_only_the_held_out_pairs_of_a_trained_judge(tmp_path: Path) -> None:
    folder = _write_claimdiff(tmp_path / "cd", [(f"claim {i} about taxes", f"claim {i} on taxes again", 0, 1, f"p{i}")
                                                for i in range(5)])
    result = evaluate_claimpairs(folder, "judge.testheldout.v1")
    assert result["pairs"] == {"weak": 2, "strength": 2, "distinct": 2}
    assert "not trained on" in result["scored_on"]
    assert result["strengthen"]["judge"]["tp"] == 2 and result["strengthen"]["rules"]["support"] == 2
    everything = evaluate_claimpairs(folder, "judge.testheldout.v1", pairs="all")
    assert everything["pairs"]["distinct"] == 5 and "not a measure" in everything["scored_on"]
    with pytest.raises(ValueError, match="no held-out pairs"):
        evaluate_claimpairs(folder, "judge.rules.v1", pairs="heldout")
    assert "rules" not in evaluate_claimpairs(folder)["weaken"]  # the rules judge is not compared with itself


@pytest.fixture(scope="module")
def heldout_result() -> dict[str, Any]:
    return evaluate_claimpairs(need_shared(EVALDATA / "claimdiff-train"), "judge.learned.v1")


@pytest.mark.slow
def test_learned_judge_beats_the_lexical_baseline_on_held_out_claimdiff(heldout_result: dict[str, Any]) -> None:
    r = heldout_result
    held = load_weights()[0]["heldout"]["claimdiff"]["pair_ids"]
    assert r["pairs"]["distinct"] == len(held) and "not trained on" in r["scored_on"]
    floors = json.loads((REPO / "tests" / "floors.json").read_text())["claimpairs"]
    for task in ("weaken", "strengthen"):
        assert r[task]["judge"]["f1"] > r[task]["lexical"]["f1"], (task, r[task])
        assert r[task]["judge"]["f1"] >= floors[f"learned.heldout.{task}.f1"], (task, r[task]["judge"])


@pytest.mark.slow
def test_training_is_deterministic(tmp_path: Path) -> None:
    """Two small runs of the training script (the same seed, a shared embedding cache) write the same weights."""
    need_shared(EVALDATA / "claimdiff-train")
    outs = []
    for k in range(2):
        out = tmp_path / f"m{k}.json"
        result = subprocess.run([sys.executable, "scripts/train_judge.py", "--limit", "60", "--c", "0.3",
                                 "--repeats", "1", "--per-kind", "10", "--out", str(out), "--cache",
                                 str(tmp_path / "cache")], capture_output=True, text=True, timeout=900, cwd=REPO)
        assert result.returncode == 0, result.stderr[-3000:]
        data = json.loads(out.read_text())
        data["meta"].pop("seconds")
        assert data["meta"].pop("command").endswith(f"--out {out} --cache {tmp_path / 'cache'}")
        outs.append(data)
    assert outs[0] == outs[1]
    assert outs[0]["format"] == "crossnews.judge.learned/1" and outs[0]["meta"]["seed"] == 13
