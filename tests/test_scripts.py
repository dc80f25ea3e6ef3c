"""The scripts that rebuild the shipped statistics and weights run, on a few PolNeAR files."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

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


def test_content_and_accept_models_can_be_rebuilt(tmp_path):
    train = need_shared(EVALDATA / "polnear" / "train")
    dev = EVALDATA / "polnear" / "dev"
    content = tmp_path / "content.json"
    run("scripts/train_content_model.py", str(train), "--dev", str(dev), "--limit", "4", "--out", str(content))
    data = json.loads(content.read_text())
    assert data["end_weights"] and data["start_weights"]
    # the rule's own boundary is the strongest single cue, and the model knows it
    assert data["end_weights"].get("rule_end", 0) > 0 and data["start_weights"].get("rule_start", 0) > 0
    assert 0.0 < data["meta"]["dev_end_accuracy"] <= 1.0
    accept = tmp_path / "accept.json"
    run("scripts/train_accept_model.py", str(train), "--dev", str(dev), "--limit", "4", "--out", str(accept))
    data = json.loads(accept.read_text())
    assert data["weights"] and data["threshold"] == 0.55
    assert "0.50" in data["meta"]["dev_sweep"]


def test_a_parse_cache_gives_the_weights_a_fresh_parse_gives(tmp_path):
    """``scripts/parse_split.py`` writes the parses in the order the training scripts read a cache: a model
    trained from the cache is the one trained from fresh parses (misordered parses would pair texts with another
    article's annotations)."""
    train = need_shared(EVALDATA / "polnear" / "train")
    cache = tmp_path / "train.spacy"
    run("scripts/parse_split.py", str(train), str(cache), "--limit", "6")
    fresh, cached = tmp_path / "fresh.json", tmp_path / "cached.json"
    run("scripts/train_cue_model.py", str(train), "--limit", "6", "--out", str(fresh))
    run("scripts/train_cue_model.py", str(train), "--limit", "6", "--train-cache", str(cache), "--out", str(cached))
    assert json.loads(fresh.read_text())["weights"] == json.loads(cached.read_text())["weights"]


def test_a_parse_cache_is_not_written_into_the_repository(tmp_path):
    train = need_shared(EVALDATA / "polnear" / "train")
    result = subprocess.run([sys.executable, "scripts/parse_split.py", str(train), "parses.spacy", "--limit", "1"],
                            capture_output=True, text=True, timeout=600, cwd=REPO)
    assert result.returncode != 0 and "outside the repository" in result.stderr
    assert not (REPO / "parses.spacy").exists()


@pytest.mark.parametrize(("script", "options"), [
    ("scripts/train_tagger.py", ("--ckpt", "--resume", "--save-every", "--export-only", "--export-from", "--before")),
    ("scripts/train_techniques.py", ("--ckpt", "--resume", "--save-every", "--export-only", "--data", "--context")),
])
def test_the_tagger_training_scripts_import_their_shared_helpers_and_print_help(script, options):
    """The two MiniLM training scripts share scripts/_training.py: each still imports (no torch needed) and takes
    its options."""
    result = subprocess.run([sys.executable, script, "--help"], capture_output=True, text=True, timeout=120,
                            cwd=REPO)
    assert result.returncode == 0, result.stderr[-2000:]
    assert all(option in result.stdout for option in options), result.stdout
