"""The `corpusforge` command: dispatch, honest refusal of subcommands that have not landed."""
from __future__ import annotations

import subprocess
import sys

import pytest

from corpusforge import cli


def test_unknown_subcommand_exits_2(capsys):
    assert cli.main(["frobnicate"]) == 2
    assert "unknown subcommand 'frobnicate'" in capsys.readouterr().err


def test_no_arguments_prints_usage_and_fails(capsys):
    assert cli.main([]) == 2
    out = capsys.readouterr().out
    for name in cli.SUBCOMMANDS:
        assert name in out


def test_help_succeeds(capsys):
    assert cli.main(["--help"]) == 0
    assert "usage: corpusforge" in capsys.readouterr().out


def test_missing_module_is_reported_not_pretended(monkeypatch, capsys):
    monkeypatch.setitem(cli.SUBCOMMANDS, "train",
                        cli.Subcommand("training.no_such_module_yet", "main", "train"))
    assert not cli.is_available("train")
    assert cli.main(["train", "--data", "x"]) == 2
    err = capsys.readouterr().err
    assert "not available yet" in err and "training.no_such_module_yet" in err


def test_available_subcommand_dispatches_with_its_arguments(monkeypatch):
    seen = {}

    def fake_entry(argv):
        seen["argv"] = argv
        return 0

    import corpusforge.demo
    monkeypatch.setattr(corpusforge.demo, "main", fake_entry)
    assert cli.main(["demo", "--x", "1"]) == 0
    assert seen["argv"] == ["--x", "1"]


@pytest.mark.parametrize("name", sorted(cli.SUBCOMMANDS))
def test_every_subcommand_either_runs_or_says_not_available(name):
    proc = subprocess.run([sys.executable, "-m", "corpusforge", name, "--help"],
                          capture_output=True, text=True, timeout=120)
    if cli.is_available(name):
        assert proc.returncode == 0, proc.stderr
        assert "usage" in proc.stdout.lower()
    else:
        assert proc.returncode == 2
        assert "not available yet" in proc.stderr
