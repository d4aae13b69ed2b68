"""Small helpers the command modules share (kept apart from ``cli`` to avoid import cycles)."""

from __future__ import annotations

from collections.abc import Callable

import typer

from enforcement_lab.errors import NotBuiltError

#: Accept any arguments, so a placeholder can report itself instead of a usage error.
PASSTHROUGH = {"allow_extra_args": True, "ignore_unknown_options": True}


def not_built(name: str, issue: int) -> Callable[..., None]:
    """Return a command body that says ``name`` is not built yet and exits with status 2."""

    def command(ctx: typer.Context) -> None:
        raise NotBuiltError(
            f"'{name}' is not built yet (tracked in issue #{issue}); nothing was run"
        )

    command.__doc__ = f"[not built yet: issue #{issue}]"
    return command
