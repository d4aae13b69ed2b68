"""The ``enforcement-lab`` command line.

Each command group is a module of this package and registers itself here:
``solve`` (:mod:`enforcement_lab.cli.solve`), ``sweep`` (:mod:`enforcement_lab.cli.sweep`),
``fit`` (:mod:`enforcement_lab.cli.fit`), ``robustness``
(:mod:`enforcement_lab.cli.robustness`), ``data`` (:mod:`enforcement_lab.cli.data`) and
``paper`` (:mod:`enforcement_lab.cli.paper`).

Every user mistake ends in one line on stderr, ``error: ...``, and exit status 2, never
a traceback: the project's own errors
(:class:`~enforcement_lab.errors.EnforcementLabError`), usage errors of the command line
(a missing argument, ``--chunk-size 0``, an option pointing at the wrong kind of path),
and the foreseeable failures of the environment (a file that cannot be read or written,
a file that is not UTF-8 text, an unreadable CSV, a missing Parquet engine, a singular
design matrix, running out of memory). Anything else is a bug: its traceback is printed
with a line asking to report it, and the exit status is 1.
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from enforcement_lab._version import __version__
from enforcement_lab.errors import EnforcementLabError

#: Printed under the traceback of an exception that is not a user mistake.
REPORT = (
    "this is a bug in enforcement-lab {version}, not a mistake of yours: please report it "
    "to the maintainers with the command line and the traceback above"
)


def explain(exc: BaseException) -> str | None:
    """The one-line message for an exception a user can cause, or None for a bug.

    Parameters
    ----------
    exc : BaseException
        An exception that escaped a command.

    Returns
    -------
    str or None
        The message printed after ``error: `` (naming the file, column or option the
        exception carries), or None if the exception is not a foreseeable user mistake.
    """
    if isinstance(exc, EnforcementLabError):
        return str(exc)
    if isinstance(exc, TyperException):  # click's usage errors, as vendored by typer
        return " ".join(exc.format_message().split())
    if isinstance(exc, UnicodeDecodeError):
        return (
            f"a file is not UTF-8 text ({exc.reason} at byte {exc.start}); "
            "save it as UTF-8 (spec files, CSVs and notebooks are read as UTF-8)"
        )
    if isinstance(exc, MemoryError):
        return (
            "out of memory; ask for less (a smaller grid, fewer specifications, "
            "placebo permutations or bootstrap replications)"
        )
    if isinstance(exc, OSError):
        names = [str(n) for n in (exc.filename, exc.filename2) if n is not None]
        what = exc.strerror or str(exc) or type(exc).__name__
        return f"{' -> '.join(names)}: {what}" if names else what
    import numpy as np

    if isinstance(exc, np.linalg.LinAlgError):
        return (
            f"the model cannot be estimated ({exc}): a regressor is constant or collinear "
            "with others on this sample"
        )
    import pandas as pd

    if isinstance(exc, pd.errors.EmptyDataError | pd.errors.ParserError):
        return f"cannot read the data file: {' '.join(str(exc).split())}"
    if isinstance(exc, ImportError) and "engine" in str(exc).lower():
        return " ".join(str(exc).split())
    return None


class _UserErrorsExitTwo(TyperGroup):
    """Run the CLI so that a user mistake anywhere below it is ``error: ...`` and exit 2."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except typer.Exit as exc:
            code = exc.exit_code
        except TyperException as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # bare command: show its help
                typer.echo(exc.format_message(), err=True)
                code = 2
            else:
                code = _report(exc)
        except typer.Abort:
            typer.echo("error: aborted", err=True)
            code = 1
        except KeyboardInterrupt:
            code = 130
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # output piped into head: not an error
                code = 1
            else:
                code = _report(exc)
        except Exception as exc:
            code = _report(exc)
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


def _report(exc: Exception) -> int:
    """Print ``error: ...`` for a user mistake (status 2), else the traceback and
    :data:`REPORT` (status 1)."""
    message = explain(exc)
    if message is None:
        import traceback

        traceback.print_exception(exc)
        typer.echo(REPORT.format(version=__version__), err=True)
        return 1
    typer.echo("error: " + " ".join(message.split()), err=True)  # always one line
    return 2


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
    from enforcement_lab.cli import data, fit, paper, robustness, solve, sweep

    solve.register(app)
    sweep.register(app)
    fit.register(app)
    robustness.register(app)
    data.register(app)
    paper.register(app)


_register_all()


def main() -> None:
    """Console-script entry point."""
    app()
