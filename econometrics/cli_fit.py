"""``enforcement-lab fit SPEC.toml --out DIR``: estimate one spec file and export its table.

:func:`estimate` is the single entry point from a :class:`~econometrics.spec.Spec` to a
result: linear panels, binary, ordered and count models through
:func:`econometrics.estimators.fit`; ``cox`` and ``discrete_hazard`` through
:mod:`econometrics.hazard`; ``event_study`` through :mod:`econometrics.did`. Heavy
libraries are imported inside the functions so ``enforcement-lab --help`` stays fast.

Spec options (``[model] options = {...}``) read here:

* ``cox``: ``stop`` (default ``"stop"``), ``start`` (``"start"``; ``""`` for none),
  ``strata``; the outcome is the 0/1 event column; ``cluster = "entity"`` clusters by
  ``data.entity``.
* ``discrete_hazard``: ``link`` (``cloglog``/``logit``), ``duration`` (``log``, ``cubic``,
  ``dummies``, ``none``), ``period`` (default ``"period"``), ``strata``; spell data with a
  ``stop`` column (and no ``period``) are expanded to person-periods first.
* ``event_study``: ``cohort`` (default ``"cohort"``), ``leads`` (4), ``lags`` (5),
  ``method`` (``sun_abraham`` or ``twfe``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from enforcement_lab.errors import SpecError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from econometrics.results import EstimationResults
    from econometrics.spec import Spec, SpecFile

#: Columns of the coefficient CSV, in this order.
CSV_COLUMNS = ("term", "estimate", "std_error", "p_value", "nobs")


def _cluster_col(spec: Spec) -> str | None:
    if spec.cov != "clustered" or spec.cluster == "none":
        return None
    if spec.cluster == "entity":
        return spec.entity
    if spec.cluster == "time":
        return spec.time
    raise SpecError(f"model.cluster {spec.cluster!r} is not supported by {spec.estimator}")


def estimate(spec: Spec, data: pd.DataFrame) -> EstimationResults:
    """Estimate ``spec`` on ``data`` with the estimator it names.

    Examples
    --------
    >>> from econometrics.spec import Spec
    >>> from enforcement_lab.data.synthetic import twfe_panel
    >>> res = estimate(Spec(outcome="y", regressors=("treatment",), effects=("entity",)),
    ...                twfe_panel(n_entities=20, n_years=6, seed=1))
    >>> res.estimator, res.nobs
    ('panel_ols', 120)
    """
    import pandas as pd

    opts = spec.option_dict
    frame = data.reset_index() if isinstance(data.index, pd.MultiIndex) else data
    if spec.sample:
        try:
            frame = frame.query(spec.sample)
        except Exception as exc:  # pandas raises many types for a bad expression
            raise SpecError(f"data.sample {spec.sample!r} cannot be evaluated: {exc}") from None
    if spec.estimator == "cox":
        from econometrics.hazard import cox

        start = opts.get("start", "start")
        return cox(
            frame,
            spec.regressors,
            stop=opts.get("stop", "stop"),
            event=spec.outcome,
            start=start or None,
            strata=opts.get("strata"),
            cluster=_cluster_col(spec),
        )
    if spec.estimator == "discrete_hazard":
        from econometrics.hazard import discrete_hazard, expand_spells

        period = opts.get("period", "period")
        if period not in frame.columns and opts.get("stop", "stop") in frame.columns:
            start = opts.get("start", "start")
            frame = expand_spells(
                frame,
                start=start if start in frame.columns else None,
                stop=opts.get("stop", "stop"),
                event=spec.outcome,
            )
            period = "period"
        return discrete_hazard(
            frame,
            spec.regressors,
            link=opts.get("link", "cloglog"),
            duration=opts.get("duration", "log"),
            event=spec.outcome,
            period=period,
            strata=opts.get("strata"),
            cluster=_cluster_col(spec),
        )
    if spec.estimator == "event_study":
        from econometrics.did import event_study

        return event_study(
            frame,
            spec.outcome,
            cohort=opts.get("cohort", "cohort"),
            entity=spec.entity,
            time=spec.time,
            leads=int(opts.get("leads", 4)),
            lags=int(opts.get("lags", 5)),
            method=opts.get("method", "sun_abraham"),
        ).results
    from econometrics.estimators import fit

    return fit(spec, data)


def coefficient_frame(result: EstimationResults) -> pd.DataFrame:
    """The coefficient CSV table: columns exactly :data:`CSV_COLUMNS`."""
    frame = result.to_frame().reset_index()
    frame = frame.rename(columns={"index": "term"})
    return frame[list(CSV_COLUMNS)]


def load_frame(spec_file: SpecFile) -> pd.DataFrame:
    """``data.source`` through the data registry (a relative path is relative to the spec)."""
    from enforcement_lab.data.registry import load_source

    source = spec_file.spec.source
    if not source:
        raise SpecError("data.source is empty: name a registry data set or a CSV/Parquet file")
    path = Path(source)
    if not path.is_absolute() and spec_file.path is not None:
        candidate = spec_file.path.parent / path
        if candidate.exists():
            source = str(candidate)
    return load_source(source)


def fit_file(
    spec_path: str | Path, out_dir: str | Path | None = None, *, data: Any = None
) -> tuple[EstimationResults, str, dict[str, Path]]:
    """Fit a spec file; write ``table.md``, ``table.tex`` and ``coefficients.csv`` to ``out_dir``.

    Returns the result, the Markdown table and the paths written (each written atomically).
    """
    from econometrics.spec import read_spec_file
    from econometrics.tables import compare
    from enforcement_lab.io import atomic_path, atomic_write_text

    spec_file = read_spec_file(spec_path)
    frame = load_frame(spec_file) if data is None else data
    result = estimate(spec_file.spec, frame)
    synthetic = bool(getattr(frame, "attrs", {}).get("synthetic", False))
    name = Path(spec_path).stem + (" (synthetic data)" if synthetic else "")
    table = compare(result, names=[name])
    markdown = table.to_markdown()
    written: dict[str, Path] = {}
    if out_dir is not None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written["markdown"] = atomic_write_text(out / "table.md", markdown + "\n")
        written["latex"] = atomic_write_text(out / "table.tex", table.to_latex(caption=name) + "\n")
        with atomic_path(out / "coefficients.csv") as tmp:
            coefficient_frame(result).to_csv(tmp, index=False)
        written["csv"] = out / "coefficients.csv"
    return result, markdown, written


def fit_command(
    spec: Annotated[Path, typer.Argument(help="Spec file (TOML with [data] and [model]).")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder for table.md, table.tex, coefficients.csv.")
    ] = None,
) -> None:
    """Estimate the model of a spec file, print its regression table and write it to --out."""
    _, markdown, written = fit_file(spec, out)
    typer.echo(markdown)
    for kind, path in written.items():
        typer.echo(f"wrote {kind}: {path}")


def register(app: typer.Typer) -> None:
    """Add ``fit`` to the top-level CLI."""
    app.command("fit")(fit_command)


__all__ = ["CSV_COLUMNS", "coefficient_frame", "estimate", "fit_file", "load_frame", "register"]
