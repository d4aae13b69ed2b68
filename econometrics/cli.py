"""``enforcement-lab fit`` and ``enforcement-lab robustness``.

Each command lives in its own module (:mod:`econometrics.cli_fit`,
:mod:`econometrics.cli_robustness`); this module only registers them.
"""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the econometrics commands to the top-level CLI."""
    from econometrics import cli_fit, cli_robustness

    cli_fit.register(app)
    cli_robustness.register(app)
