"""The scripts that rebuild the shipped statistics and weights run, on a few PolNeAR files."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import EVALDATA, REPO, need_shared


def run(*args: str) -> None:
    result = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=600, cwd=REPO)
    assert result.returncode == 0, result.stderr[-2000:]


def test_cue_lexicon_and_cue_model_can_be_rebuilt(tmp_path):
    train = need_shared(EVALDATA / "polnear" / "train")
    dev = EVALDATA / "polnear" / "dev"
    lexicon = tmp_path / "lexicon.json"
    run("scripts/build_cue_lexicon.py", str(train), "--limit", "4", "--min-cue", "1", "--out", str(lexicon))
    lemmas = json.loads(lexicon.read_text())["lemmas"]
    assert lemmas["say"]["cue"] >= 1 and lemmas["say"]["total"] >= lemmas["say"]["cue"]
    model = tmp_path / "model.json"
    run("scripts/train_cue_model.py", str(train), "--dev", str(dev), "--limit", "4", "--out", str(model))
    data = json.loads(model.read_text())
    assert data["weights"] and 0.2 <= data["threshold"] <= 0.7
    assert "lemma=say" in data["weights"]
