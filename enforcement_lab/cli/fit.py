"""``enforcement-lab fit SPEC.toml --out DIR``: estimate the models of a spec file and export
one table.

Loads the data named by ``[data] source`` (a registry name such as
``labour_rights_controls_panel``, a shipped data set, or a CSV/Parquet path) with
:func:`enforcement_lab.data.load_source`, estimates every model of the file (one
``[model]``, an array of ``[[model]]`` tables, and formulas with ``sw()``/``csw()``
shorthands) with :func:`econometrics.estimators.fit`, prints the regression table (one
column per model) and writes, atomically, ``table.md``, ``table.tex``, ``table.html`` and
``coefficients.csv`` (columns ``term, estimate, std_error, p_value, nobs``, preceded by
``model`` when the file has several models) to ``--out``.
Spec files with ``estimator = "strategic"`` or ``"qre"`` are read and fitted by
:mod:`econometrics.strategic.spec` (their layout is documented there).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

COEF_COLUMNS = ["term", "estimate", "std_error", "p_value", "nobs"]


def fit_command(
    spec_file: Annotated[Path, typer.Argument(help=r"Spec file (TOML with \[data] and \[model]).")],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for table.md, table.tex, table.html, coefficients.csv."),
    ] = None,
    mirror: Annotated[
        Path | None,
        typer.Option(
            "--mirror",
            file_okay=False,
            help="Local data mirror (default $ENFORCEMENT_LAB_DATA_MIRROR).",
        ),
    ] = None,
) -> None:
    """Estimate the models in SPEC_FILE, print one table and write it to --out."""
    import pandas as pd

    from econometrics.estimators import fit
    from econometrics.spec import read_spec_file
    from econometrics.strategic.spec import read_and_fit, strategic_estimator
    from econometrics.tables import compare
    from enforcement_lab.data import load_source
    from enforcement_lab.data.registry import resolve_source
    from enforcement_lab.errors import SpecError
    from enforcement_lab.io import atomic_path, atomic_write_text, locked_folder

    if strategic_estimator(spec_file) is not None:  # strategic choice model or logit QRE
        res, data, name, caption = read_and_fit(spec_file, mirror=mirror)
        names, results = [name], [res]
    else:
        spec_data = read_spec_file(spec_file)
        spec = spec_data.spec
        if not spec.source:
            raise SpecError(f"{spec_file}: [data] has no 'source' (a registry name or a file path)")
        data = load_source(resolve_source(spec.source, spec_file), mirror=mirror)
        models = spec_data.models or (spec,)
        results = [fit(m, data) for m in models]
        if len(models) == 1:
            names = [spec.label or spec.outcome]
            caption = f"{spec.estimator}: {spec.outcome} ({spec.source})"
        else:
            names = [m.label or f"({i + 1})" for i, m in enumerate(models)]
            caption = f"{len(models)} models ({spec.source})"
        if len(set(names)) != len(names):
            raise SpecError(f"{spec_file}: model labels must differ, got {names}")
    table = compare(dict(zip(names, results, strict=True)))
    typer.echo(table.to_markdown())
    if data is not None and data.attrs.get("synthetic"):
        typer.echo("(synthetic data)")
    if out is None:
        return
    latex = table.to_latex(caption=caption) + "\n"  # everything rendered before writing
    frames = []
    for name, res in zip(names, results, strict=True):
        frame = res.to_frame().reset_index()[COEF_COLUMNS]
        frames.append(
            frame.assign(model=name)[["model", *COEF_COLUMNS]] if len(results) > 1 else frame
        )
    coefficients = pd.concat(frames)
    with locked_folder(out, "enforcement-lab fit"):
        atomic_write_text(out / "table.md", table.to_markdown() + "\n")
        atomic_write_text(out / "table.tex", latex)
        atomic_write_text(out / "table.html", table.to_html() + "\n")
        with atomic_path(out / "coefficients.csv") as tmp:
            # shortest round-trip floats (repr): full precision
            coefficients.to_csv(tmp, index=False)
    typer.echo(
        f"wrote {out / 'table.md'}, {out / 'table.tex'}, {out / 'table.html'}, "
        f"{out / 'coefficients.csv'}"
    )


def register(app: typer.Typer) -> None:
    """Add ``fit`` to the top-level CLI."""
    app.command(
        "fit", help="Estimate the models of a spec (TOML) and export one regression table."
    )(fit_command)
