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

import click
import pytest
import typer
import typer.main

from enforcement_lab.cli import app
from enforcement_lab.paper import find_notebooks, notebook_parameters

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


def _resolve(words: list[str]) -> tuple[click.Command, str, list[str]]:
    """Walk the command groups along ``words``; return the command and its own arguments."""
    command: click.Command = typer.main.get_command(app)
    name, rest = words[0], list(words[1:])
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        sub = command.get_command(click.Context(command), rest[0])
        assert sub is not None, f"no command {rest[0]!r} under {name!r}"
        command, name, rest = sub, rest[0], rest[1:]
    return command, name, rest


def _check_paper_parameters(rest: list[str]) -> None:
    papers, only, params = ROOT / "papers", [], []
    it = iter(rest)
    for word in it:
        if word == "--paper":
            papers = papers / next(it)
        elif word == "--only":
            only.append(next(it))
        elif word in ("-p", "--param"):
            params.append(next(it).partition("=")[0])
    paper = papers.name if papers != ROOT / "papers" else None
    notebooks = [
        nb
        for nb in find_notebooks(ROOT / "papers", paper)
        if not only or any(nb.name.startswith(o) for o in only)
    ]
    assert notebooks, "the command selects no notebook"
    declared = {p for nb in notebooks for p in notebook_parameters(nb)}
    assert set(params) <= declared, f"undeclared notebook parameters {set(params) - declared}"


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
        command.make_context(name, list(rest))
    except (click.exceptions.Exit, typer.Exit):  # --help / --version
        pass
    except click.UsageError as exc:
        pytest.fail(f"{where}: {exc.format_message()}")
    if words[1:3] == ["paper", "build"]:
        _check_paper_parameters(rest)
