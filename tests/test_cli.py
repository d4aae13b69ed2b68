"""The command line: version, help, user errors exit 2 with one line, unbuilt commands say so."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from enforcement_lab import __version__
from enforcement_lab.cli import app
from enforcement_lab.errors import DataError, EnforcementLabError, InvalidGameError, SpecError

runner = CliRunner()
GROUPS = ("solve", "sweep", "fit", "robustness", "data", "paper")


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"enforcement-lab {__version__}"


def test_help_lists_every_group() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for group in GROUPS:
        assert group in result.output


def test_console_script_runs_as_module() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "enforcement_lab.cli", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "robustness" in proc.stdout


def test_user_error_is_one_line_and_exit_two() -> None:
    import typer

    from enforcement_lab.cli import _UserErrorsExitTwo

    probe = typer.Typer(cls=_UserErrorsExitTwo)

    @probe.command()
    def boom() -> None:
        raise SpecError("model.outcome 'x' is not a column")

    @probe.command()
    def other() -> None:  # a second command keeps typer from collapsing the group
        pass

    result = CliRunner().invoke(probe, ["boom"])
    assert result.exit_code == 2
    assert result.output.strip() == "error: model.outcome 'x' is not a column"
    assert "Traceback" not in result.output


@pytest.mark.parametrize("cls", [InvalidGameError, DataError, SpecError])
def test_error_hierarchy(cls: type[Exception]) -> None:
    assert issubclass(cls, EnforcementLabError)
    assert issubclass(cls, ValueError)
    assert cls("x").exit_code == 2
