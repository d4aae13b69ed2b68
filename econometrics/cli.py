"""``enforcement-lab fit`` and ``enforcement-lab robustness``."""

from __future__ import annotations

import typer

from enforcement_lab._cli_support import PASSTHROUGH, not_built


def register(app: typer.Typer) -> None:
    """Add the econometrics commands to the top-level CLI."""
    app.command("fit", context_settings=PASSTHROUGH, help="[not built yet: issue #6]")(
        not_built("fit", 6)
    )
    app.command("robustness", context_settings=PASSTHROUGH, help="[not built yet: issue #7]")(
        not_built("robustness", 7)
    )
