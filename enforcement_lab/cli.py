"""The ``enforcement-lab`` command line.

Each command group lives beside the code it drives and registers itself here:
``solve``/``sweep`` in :mod:`gametheory.cli`, ``fit``/``robustness`` in
:mod:`econometrics.cli`, ``data`` in :mod:`enforcement_lab.data.cli` and ``paper`` in
:mod:`enforcement_lab.paper`. Errors caused by user input
(:class:`~enforcement_lab.errors.EnforcementLabError`) become a one-line message on
stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

from typing import Annotated

import typer
from typer.core import TyperGroup

from enforcement_lab._version import __version__
from enforcement_lab.errors import EnforcementLabError


class _UserErrorsExitTwo(TyperGroup):
    """Turn :class:`EnforcementLabError` anywhere below this group into ``error: ...`` and exit 2."""

    def invoke(self, ctx: typer.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except EnforcementLabError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    name="enforcement-lab",
    cls=_UserErrorsExitTwo,
    help="Game theory and panel econometrics of international labor-standards enforcement.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"enforcement-lab {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Game theory and panel econometrics of international labor-standards enforcement."""


def _register_all() -> None:
    from econometrics.cli import register as register_econometrics
    from enforcement_lab.data.cli import register as register_data
    from enforcement_lab.paper import register as register_paper
    from gametheory.cli import register as register_gametheory

    register_gametheory(app)
    register_econometrics(app)
    register_data(app)
    register_paper(app)


_register_all()


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
