"""crossnews eval claimpairs: exact counts on a hand-made ClaimDiff folder with a fake judge, internal consistency
on the shared ClaimDiff train split (with the default rules judge), and the command line."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crossnews.align.judges import LABELS, Claim, Judgement
from crossnews.cli import main
from crossnews.core.registry import register
from crossnews.eval.claimpairs import evaluate_claimpairs, jaccard, load_claimdiff, score_binary

from .conftest import EVALDATA, need_shared

CLAIMDIFF = EVALDATA / "claimdiff-train"


class _KeywordJudge:
    """Labels a pair by a keyword in claim B ('contradicts', 'agrees', ...); 'unrelated' otherwise."""

    name = "judge.testkeyword.v1"

    def __init__(self) -> None:
        self.calls: list[int] = []

    def judge(self, pairs: Sequence[tuple[Claim, Claim]]) -> list[Judgement]:
        self.calls.append(len(pairs))
        out = []
        for _, b in pairs:
            label = next((w for w in LABELS if w in b.text.split()), "unrelated")
            out.append(Judgement(label, 1.0, self.name))
        return out


_LAST: list[_KeywordJudge] = []


@register("judge.testkeyword.v1", description="test only: the label is a keyword in claim B")
def _keyword_judge(**options: Any) -> _KeywordJudge:
    judge = _KeywordJudge()
    _LAST.append(judge)
    return judge


# (claim_a, claim_b, weak relation, strength relation)
SYNTHETIC = [
    ("tax cuts help growth", "tax cuts help growth contradicts", 1, 0),   # judge weaken, gold weaken      -> tp
    ("rain fell today", "rain fell today contradicts", 0, 1),              # judge weaken, gold strengthen   -> fp
    ("voters liked the plan", "nobody unrelated", 1, 0),                   # judge neither, gold weaken      -> fn
    ("markets rose", "markets rose sharply adds", 0, 1),                   # judge strengthen, gold strength -> tp
    ("the bridge opened", "the bridge opened agrees", 0, 1),               # judge strengthen, gold strength -> tp
    ("prices are high", "prices are high same", 1, 0),                     # judge strengthen, gold weaken   -> fp, fn
    ("a quiet day", "something unrelated else", 0, 0),                     # judge neither, gold neither     -> tn
]


def _write(folder: Path, rows: list[tuple[str, str, int, int]], split: str = "train") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for kind, col in (("weak", 2), ("strength", 3)):
        data = [{"topic": "t", "date": "2020-01-01", "pair_id": f"p{i}", "claim_a": r[0], "claim_b": r[1],
                 "article_a": "A", "article_b": "B", "relation": r[col], "rationale": []}
                for i, r in enumerate(rows)]
        (folder / f"ClaimDiff-{kind}-{split}.json").write_text(json.dumps({"data": data, "ver": 1.0}))
    return folder


def test_exact_counts_on_synthetic_data(tmp_path: Path) -> None:
    folder = _write(tmp_path / "cd", SYNTHETIC)
    result = evaluate_claimpairs(folder, "judge.testkeyword.v1")
    assert _LAST[-1].calls == [7]  # both files hold the same pairs: each is judged once
    assert result["split"] == "train" and result["judge"] == "judge.testkeyword.v1"
    assert result["pairs"] == {"weak": 7, "strength": 7, "distinct": 7}
    assert result["labels"] == {"same": 1, "agrees": 1, "adds": 1, "contradicts": 2, "unrelated": 2}
    weaken = result["weaken"]
    assert weaken["support"] == 3
    assert {k: weaken["judge"][k] for k in ("tp", "fp", "fn", "tn")} == {"tp": 1, "fp": 1, "fn": 2, "tn": 3}
    assert weaken["judge"]["precision"] == 0.5 and weaken["judge"]["recall"] == round(1 / 3, 4)
    assert weaken["judge"]["f1"] == 0.4
    strengthen = result["strengthen"]
    assert strengthen["support"] == 3
    assert {k: strengthen["judge"][k] for k in ("tp", "fp", "fn", "tn")} == {"tp": 2, "fp": 1, "fn": 1, "tn": 3}
    assert strengthen["judge"]["f1"] == round(2 / 3, 4)
    # majority: 4 of 7 are not weaken, 4 of 7 are not strengthen -> never predicts the relation
    for task in (weaken, strengthen):
        assert task["majority"]["predicted"] == 0 and task["majority"]["precision"] == 0.0
        assert task["majority"]["f1"] == 0.0 and task["majority"]["tn"] == 4
    # lexical: Jaccard of content words; "tax cuts help growth" vs the same + "contradicts" = 4/5 -> strengthen
    overlaps = [jaccard(a, b) for a, b, *_ in SYNTHETIC]
    assert overlaps[0] == pytest.approx(4 / 5)
    assert strengthen["lexical"]["predicted"] == sum(j >= 0.2 for j in overlaps)
    assert weaken["lexical"]["predicted"] == sum(0.1 <= j < 0.3 for j in overlaps)
    assert result["seconds"] >= result["judge_seconds"] >= 0


def test_majority_predicts_the_majority(tmp_path: Path) -> None:
    rows = [("a b", "a b same", 0, 1)] * 3 + [("c d", "e f contradicts", 1, 0)]
    result = evaluate_claimpairs(_write(tmp_path / "cd", rows), "judge.testkeyword.v1")
    assert result["pairs"]["distinct"] == 2
    assert result["strengthen"]["majority"] == {"precision": 0.75, "recall": 1.0, "f1": round(1.5 / 1.75, 4),
                                                "support": 3, "predicted": 4, "tp": 3, "fp": 1, "fn": 0, "tn": 0,
                                                "predicts": "strengthen"}
    assert result["weaken"]["majority"]["predicts"] == "not weaken"
    assert result["weaken"]["judge"]["f1"] == 1.0 and result["strengthen"]["judge"]["f1"] == 1.0


def test_score_binary() -> None:
    assert score_binary([True, True, False, False], [True, False, True, False]) == {
        "precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2, "predicted": 2, "tp": 1, "fp": 1, "fn": 1, "tn": 1}
    assert score_binary([False], [False])["f1"] == 0.0
    with pytest.raises(ValueError):
        score_binary([True], [])


def test_missing_files_are_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="E049.*ClaimDiff-weak-<split>.json"):
        load_claimdiff(tmp_path)
    (tmp_path / "ClaimDiff-weak-train.json").write_text('{"data": []}')
    with pytest.raises(FileNotFoundError, match="E049"):
        load_claimdiff(tmp_path)  # the strength file is missing
    _write(tmp_path / "two", SYNTHETIC[:2], "test")
    assert load_claimdiff(tmp_path / "two")[0] == "test"
    with pytest.raises(FileNotFoundError, match="E049.*splits found: \\['test'\\]"):
        load_claimdiff(tmp_path / "two", "train")
    result = CliRunner().invoke(main, ["eval", "claimpairs", str(tmp_path)])
    assert result.exit_code == 2 and "E049" in result.output and str(tmp_path) in result.output


def test_cli_prints_json(tmp_path: Path) -> None:
    folder = _write(tmp_path / "cd", SYNTHETIC)
    runner = CliRunner()
    result = runner.invoke(main, ["eval", "claimpairs", str(folder), "--judge", "judge.testkeyword.v1"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["weaken"]["judge"]["tp"] == 1
    bad = runner.invoke(main, ["eval", "claimpairs", str(folder), "--judge", "judge.nosuch.v1"])
    assert bad.exit_code == 2 and "E012" in bad.output
    opt = runner.invoke(main, ["eval", "claimpairs", str(folder), "--judge", "judge.nli.v1", "-o",
                               f"model={tmp_path / 'no-model'}"])
    assert opt.exit_code == 2 and "E043" in opt.output and "no-model" in opt.output


# ------------------------------------------------------------------------------------------------ shared data

def _consistent(m: dict[str, Any], pairs: int) -> None:
    assert m["tp"] + m["fp"] + m["fn"] + m["tn"] == pairs
    assert m["support"] == m["tp"] + m["fn"] and m["predicted"] == m["tp"] + m["fp"]
    p = m["tp"] / (m["tp"] + m["fp"]) if m["tp"] + m["fp"] else 0.0
    r = m["tp"] / (m["tp"] + m["fn"]) if m["tp"] + m["fn"] else 0.0
    assert m["precision"] == pytest.approx(p, abs=1e-4) and m["recall"] == pytest.approx(r, abs=1e-4)
    assert m["f1"] == pytest.approx(2 * p * r / (p + r) if p + r else 0.0, abs=1e-4)
    assert all(0.0 <= m[k] <= 1.0 for k in ("precision", "recall", "f1"))


@pytest.fixture(scope="module")
def rules_result() -> dict[str, Any]:
    return evaluate_claimpairs(need_shared(CLAIMDIFF))


def test_claimdiff_train_is_consistent(rules_result: dict[str, Any]) -> None:
    r = rules_result
    assert r["judge"] == "judge.rules.v1" and r["split"] == "train"
    assert r["pairs"] == {"weak": 1857, "strength": 1857, "distinct": 1857}
    assert r["weaken"]["support"] == 197 and r["strengthen"]["support"] == 1287  # 10.61% and 69.31%, as published
    assert sum(r["labels"].values()) == 1857 and set(r["labels"]) == set(LABELS)
    for task in ("weaken", "strengthen"):
        for system in ("judge", "majority", "lexical"):
            _consistent(r[task][system], 1857)
    assert r["weaken"]["judge"]["predicted"] == r["labels"]["contradicts"]
    assert r["strengthen"]["judge"]["predicted"] == r["labels"]["same"] + r["labels"]["agrees"] + r["labels"]["adds"]
    assert r["strengthen"]["majority"]["predicts"] == "strengthen"
    assert r["strengthen"]["majority"]["precision"] == round(1287 / 1857, 4)

