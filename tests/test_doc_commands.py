"""Every shell command shown in the README, the paper READMEs and the docs is a real one.

The Python examples of the docs run on every docs build (``tests/test_docs.py``) and the
docstring examples under ``--doctest-modules``; the shell examples cannot all run here
(``make paper`` rebuilds the whole paper, a Dask scheduler address is an example), so each fenced
``bash`` line is checked instead: an ``enforcement-lab`` command must parse against the
typer application (command names, options, argument counts), every ``-p NAME=VALUE`` of
``paper build`` must name a parameter that a selected notebook declares, and a ``make``
target must exist in the Makefile.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main
from typer.exceptions import TyperException

from enforcement_lab.cli import app
from enforcement_lab.paper import find_notebooks, notebook_parameters, parse_params

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^\s*```(?:bash|sh|shell|console)\s*\n(.*?)^\s*```", re.S | re.M)


def _documents() -> list[Path]:
    docs = [p for p in (ROOT / "docs").rglob("*.md") if "_build" not in p.parts]
    return sorted([ROOT / "README.md", *ROOT.glob("papers/**/README.md"), *docs])


def _command_lines() -> list[tuple[str, list[str]]]:
    found = []
    for doc in _documents():
        for block in FENCE.findall(doc.read_text(encoding="utf-8")):
            for line in re.sub(r"\\\n\s*", " ", block).splitlines():
                words = shlex.split(line, comments=True)
                if words and words[0].startswith("$"):
                    words = words[1:]
                if words and words[0] in ("enforcement-lab", "make"):
                    found.append((f"{doc.relative_to(ROOT)}: {line.strip()}", words))
    return found


COMMANDS = _command_lines()


def _resolve(words: list[str]) -> tuple[Any, str, list[str]]:
    """Walk the command groups along ``words``; return the command and its own arguments.

    Typer carries its own copy of click, so groups are recognised by their
    ``get_command`` rather than by ``isinstance`` against the installed click.
    """
    command = typer.main.get_command(app)
    name, rest = words[0], list(words[1:])
    while hasattr(command, "get_command") and rest and not rest[0].startswith("-"):
        sub = command.get_command(typer.Context(command), rest[0])
        assert sub is not None, f"no command {rest[0]!r} under {name!r}"
        command, name, rest = sub, rest[0], rest[1:]
    return command, name, rest


def _check_paper_parameters(params: dict[str, object]) -> None:
    """The notebook parameters of a parsed ``paper build`` are declared by its notebooks."""
    papers = ROOT / "papers"
    notebooks = find_notebooks(papers, params["paper"], params["only"] or ())
    assert notebooks, "the command selects no notebook"
    declared = {p for nb in notebooks for p in notebook_parameters(nb)}
    names = set(parse_params(params["param"] or []))
    assert names <= declared, f"undeclared notebook parameters {names - declared}"


def test_the_documents_show_commands() -> None:
    assert len([c for c in COMMANDS if c[1][0] == "enforcement-lab"]) >= 8
    assert any(c[1][:2] == ["make", "paper"] for c in COMMANDS)


@pytest.mark.parametrize(("where", "words"), COMMANDS, ids=[c[0] for c in COMMANDS])
def test_documented_command_parses(where: str, words: list[str]) -> None:
    if words[0] == "make":
        makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
        for target in words[1:]:
            if "=" not in target:
                assert re.search(rf"^{re.escape(target)}:", makefile, re.M), target
        return
    command, name, rest = _resolve(words)
    try:
        ctx = command.make_context(name, list(rest))
    except typer.Exit:  # --help / --version
        return
    except TyperException as exc:  # a usage error: unknown option, missing argument, ...
        pytest.fail(f"{where}: {exc}")
    if words[1:3] == ["paper", "build"]:
        _check_paper_parameters(ctx.params)


def test_cli_reference_examples_of_solve_and_sweep_run(tmp_path, monkeypatch) -> None:
    """The worked ``solve``/``sweep`` lines of the CLI reference run and succeed (the
    ``--yes`` sweep, minutes of work, is only parsed above)."""
    from typer.testing import CliRunner

    monkeypatch.chdir(tmp_path)
    lines = [
        words
        for where, words in COMMANDS
        if where.startswith("docs/reference/cli.md")
        and words[1] in ("solve", "sweep")
        and "--yes" not in words
    ]
    assert len(lines) >= 3
    for words in lines:
        result = CliRunner().invoke(app, words[1:])
        assert result.exit_code == 0, (words, result.output)
    assert (tmp_path / "sweep-out" / "sweep.csv").exists()
