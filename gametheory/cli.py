"""``enforcement-lab solve`` and ``enforcement-lab sweep``."""

from __future__ import annotations

import typer

from enforcement_lab._cli_support import PASSTHROUGH, not_built


def register(app: typer.Typer) -> None:
    """Add the game-theory commands to the top-level CLI."""
    app.command("solve", context_settings=PASSTHROUGH, help="[not built yet: issue #3]")(
        not_built("solve", 3)
    )
    app.command("sweep", context_settings=PASSTHROUGH, help="[not built yet: issue #3]")(
        not_built("sweep", 3)
    )
