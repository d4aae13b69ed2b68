"""``enforcement-lab robustness SPEC.toml``."""

from __future__ import annotations

import typer

from enforcement_lab._cli_support import PASSTHROUGH, not_built


def register(app: typer.Typer) -> None:
    """Add ``robustness`` to the top-level CLI."""
    app.command("robustness", context_settings=PASSTHROUGH, help="[not built yet: issue #7]")(
        not_built("robustness", 7)
    )
