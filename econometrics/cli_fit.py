"""``enforcement-lab fit SPEC.toml``."""

from __future__ import annotations

import typer

from enforcement_lab._cli_support import PASSTHROUGH, not_built


def register(app: typer.Typer) -> None:
    """Add ``fit`` to the top-level CLI."""
    app.command("fit", context_settings=PASSTHROUGH, help="[not built yet: issue #6]")(
        not_built("fit", 6)
    )
