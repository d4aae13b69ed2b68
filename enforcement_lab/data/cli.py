"""``enforcement-lab data list|fetch|verify``."""

from __future__ import annotations

import typer

from enforcement_lab._cli_support import PASSTHROUGH, not_built

data_app = typer.Typer(
    help="Shipped and external data sets: list, fetch, verify.", no_args_is_help=True
)

for _name in ("list", "fetch", "verify"):
    data_app.command(_name, context_settings=PASSTHROUGH)(not_built(f"data {_name}", 5))


def register(app: typer.Typer) -> None:
    """Add the ``data`` group to the top-level CLI."""
    app.add_typer(data_app, name="data")
