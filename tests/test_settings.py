"""One settings object (defaults, a TOML file, the command line) and the registry that resolves backends by name."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from crossnews.cli import main
from crossnews.core.errors import CrossnewsError
from crossnews.core.registry import backends, get, resolve
from crossnews.core.settings import BACKEND_KINDS, DEFAULTS, Settings, load_settings


def test_every_default_backend_is_declared_offline_and_of_its_kind() -> None:
    for key, kind in BACKEND_KINDS.items():
        backend = resolve(kind, getattr(DEFAULTS, key))
        assert backend.offline and backend.default, backend
    assert {b.kind for b in backends()} >= set(BACKEND_KINDS.values())


def test_unknown_and_mistyped_backends_are_named() -> None:
    with pytest.raises(KeyError, match="E012: no backend named 'judge.none.v1'; known backends: .*judge.rules.v1"):
        get("judge.none.v1")
    with pytest.raises(KeyError, match="E014: backend 'store.sqlite.v1' is a store, not a judge"):
        resolve("judge", "store.sqlite.v1")


def test_a_toml_file_overrides_only_the_keys_it_sets_and_overrides_win(tmp_path: Path) -> None:
    path = tmp_path / "crossnews.toml"
    path.write_text('[crossnews]\nembedder = "embed.hashing.v1"\nmax_bytes = 1000\ntimeout = 3\n')
    settings = load_settings(path, max_bytes=2000, judge=None)
    assert settings == Settings(embedder="embed.hashing.v1", max_bytes=2000, timeout=3.0)
    assert load_settings() == DEFAULTS


@pytest.mark.parametrize(("text", "message"), [
    ('[crossnews]\nmax_bytes = "big"\n', "max_bytes must be a int"),
    ('[crossnews]\nembeder = "x"\n', "unknown setting.s. embeder"),
    ('[other]\nx = 1\n', "one \\[crossnews\\] table"),
    ("[crossnews\n", "not valid TOML"),
])
def test_bad_settings_files_are_clear_errors_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(CrossnewsError, match=message) as err:
        load_settings(path)
    assert str(path) in str(err.value)
    with pytest.raises(CrossnewsError, match="cannot read settings"):
        load_settings(tmp_path / "missing.toml")


def test_the_cli_reads_the_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "crossnews.toml"
    path.write_text('[crossnews]\njudge = "judge.llm.v1"\n')
    out = CliRunner().invoke(main, ["--config", str(path), "backends", "--kind", "judge"]).output
    assert "judge.llm.v1 (default)" in out and "judge.rules.v1 (default)" not in out
    bad = CliRunner().invoke(main, ["--config", str(tmp_path / "nope.toml"), "backends"])
    assert bad.exit_code == 2 and "nope.toml: cannot read settings" in bad.output


def test_analyze_refuses_an_unknown_backend_from_the_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "crossnews.toml"
    path.write_text('[crossnews]\nquotes = "quotes.none.v1"\n')
    (tmp_path / "a.txt").write_text("The mayor said the bridge would reopen on Monday.\n")
    result = CliRunner().invoke(main, ["--config", str(path), "analyze", str(tmp_path / "a.txt"), "--db",
                                       str(tmp_path / "x.db"), "-q"])
    assert result.exit_code == 2 and "no backend named 'quotes.none.v1'" in result.output
    assert not (tmp_path / "x.db").exists()
