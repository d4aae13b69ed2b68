"""Spec files for the strategic models (``estimator = "strategic"`` or ``"qre"``).

The layout extends the usual ``[data]`` / ``[model]`` spec file (:mod:`econometrics.spec`)::

    [data]
    source = "gsp_cases.csv"            # registry name, shipped data set, CSV/Parquet path

    [model]
    estimator = "strategic"
    outcome = "outcome"                 # codes 1/3/4, or ["moved_on", "sanctioned"]
    link = "probit"                     # probit | logit
    errors = "agent"                    # agent | private
    cov = "observed"                    # observed | robust | clustered
    cluster = "iso3"                    # with cov = "clustered"

    game = "egame12"                    # egame12 | egame122 | egame123
    scale = ["1", "0"]                  # optional: log-scale formula, one or one per player

    [model.utilities]                   # or the same keys in [model.options]
    u11 = "0"
    u14 = "1"
    u24 = "1 + petition"

    [model.fixed]                       # optional: utilities held at numbers
    u13 = 1.0

for a logit QRE of one game (no data needed)::

    [model]
    estimator = "qre"
    A = [[4, 0], [3, 3]]                # row player's payoffs
    B = [[4, 3], [0, 3]]                # column player's payoffs
    counts = [[30, 12], [26, 16]]       # each player's action counts

and for a logit QRE whose payoffs depend on covariates (numbers are fixed payoffs,
strings formulas)::

    [data]
    source = "plays.csv"

    [model]
    estimator = "qre"
    actions = ["state", "enforcer"]     # each player's action column
    labels = [["comply", "violate"], ["acquiesce", "sanction"]]
    A = [[0, 0], ["1 + x", -1]]
    B = [[0, -0.5], [0, "1"]]
    lam = 1.0                           # optional: fix lambda

Everything in the file is data: formulas are parsed by formulaic's grammar, never run.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from enforcement_lab.errors import SpecError

__all__ = ["ESTIMATORS", "fit_strategic_mapping", "strategic_estimator"]

ESTIMATORS = ("strategic", "qre")
_STRATEGIC_KEYS = {
    "estimator",
    "outcome",
    "link",
    "errors",
    "cov",
    "cluster",
    "utilities",
    "options",
    "game",
    "fixed",
    "scale",
}
_QRE_KEYS = {"estimator", "A", "B", "counts", "options"}
_QRE_DATA_KEYS = {"estimator", "A", "B", "actions", "labels", "lam", "cov", "cluster"}
_OPTION_KEYS = {"u11", "u13", "u14", "u24", "link", "errors", "cov", "cluster"}


def _read(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    if not path.exists():
        raise SpecError(f"spec file {path} does not exist")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"spec file is not valid TOML: {exc}") from None


def strategic_estimator(path: str | Path) -> str | None:
    """``"strategic"`` or ``"qre"`` if the spec file asks for one of them, else ``None``."""
    model = _read(path).get("model", {})
    est = model.get("estimator") if isinstance(model, Mapping) else None
    return est if est in ESTIMATORS else None


def _strategic_kwargs(model: Mapping[str, Any]) -> dict[str, Any]:
    extra = set(model) - _STRATEGIC_KEYS
    if extra:
        raise SpecError(
            f"unknown key(s) in [model] for estimator 'strategic': {sorted(extra)}; "
            f"allowed: {sorted(_STRATEGIC_KEYS)}"
        )
    options = dict(model.get("options", {}))
    bad = set(options) - _OPTION_KEYS
    if bad:
        raise SpecError(
            f"unknown key(s) in [model.options]: {sorted(bad)}; allowed: {sorted(_OPTION_KEYS)}"
        )
    utilities = dict(model.get("utilities", {}))
    for k in ("u11", "u13", "u14", "u24"):
        if k in options:
            if k in utilities:
                raise SpecError(
                    f"utility {k} is given both in [model.utilities] and [model.options]"
                )
            utilities[k] = options.pop(k)
    fixed = model.get("fixed", {})
    if not isinstance(fixed, Mapping) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in fixed.values()
    ):
        raise SpecError("[model.fixed] must map utilities to numbers, e.g. u13 = 1.0")
    if not utilities and not fixed:
        raise SpecError(
            "estimator 'strategic' needs [model.utilities] (u11, u13, u14, u24 formulas) "
            "or [model.fixed]"
        )
    scale = model.get("scale")
    if scale is not None and not (
        isinstance(scale, str)
        or (isinstance(scale, list) and all(isinstance(x, str) for x in scale))
    ):
        raise SpecError('model.scale must be a formula ("1") or a list of formulas, one per player')
    for k, v in utilities.items():
        if not isinstance(v, str | int):
            raise SpecError(f'model.utilities.{k} must be a formula string such as "1 + x"')
    merged = {
        **options,
        **{k: model[k] for k in ("link", "errors", "cov", "cluster") if k in model},
    }
    if "outcome" not in model:
        raise SpecError("[model] has no 'outcome' (a column of codes 1/3/4 or a pair of columns)")
    outcome = model["outcome"]
    if not (isinstance(outcome, str) or (isinstance(outcome, list) and len(outcome) == 2)):
        raise SpecError("model.outcome must be a column name or a list of two column names")
    return {
        "outcome": outcome if isinstance(outcome, str) else tuple(outcome),
        "utilities": {k: str(v) for k, v in utilities.items()},
        "link": merged.get("link", "probit"),
        "errors": merged.get("errors", "agent"),
        "cov": merged.get("cov", "observed"),
        "cluster": merged.get("cluster"),
        "game": str(model.get("game", "egame12")),
        "fixed": {k: float(v) for k, v in fixed.items()},
        "scale": scale,
    }


def fit_strategic_mapping(mapping: Mapping[str, Any], data: Any = None):
    """Fit the model a parsed spec file describes (``data`` for ``"strategic"`` only)."""
    model = dict(mapping.get("model", {}))
    est = model.get("estimator")
    if est == "strategic":
        from econometrics.strategic.sequential import fit_sequential

        kw = _strategic_kwargs(model)
        if data is None:
            raise SpecError("estimator 'strategic' needs [data] source")
        return fit_sequential(
            data,
            kw["outcome"],
            kw["utilities"],
            kw["link"],
            kw["errors"],
            cov=kw["cov"],
            cluster=kw["cluster"],
            game=kw["game"],
            fixed=kw["fixed"],
            scale=kw["scale"],
        )
    if est == "qre" and "actions" in model:
        from econometrics.strategic.qre_covariates import fit_qre_covariates

        extra = set(model) - _QRE_DATA_KEYS
        if extra:
            raise SpecError(
                f"unknown key(s) in [model] for estimator 'qre' with actions: {sorted(extra)}; "
                f"allowed: {sorted(_QRE_DATA_KEYS)}"
            )
        missing = [k for k in ("A", "B") if k not in model]
        if missing:
            raise SpecError(f"estimator 'qre' needs {', '.join(missing)} in [model]")
        if data is None:
            raise SpecError("estimator 'qre' with actions needs [data] source")
        lam = model.get("lam")
        return fit_qre_covariates(
            data,
            tuple(model["actions"]),
            {"A": model["A"], "B": model["B"]},
            lam=None if lam is None else float(lam),
            labels=model.get("labels"),
            cov=str(model.get("cov", "observed")),
            cluster=model.get("cluster"),
        )
    if est == "qre":
        from econometrics.strategic.qre import fit_qre

        extra = set(model) - _QRE_KEYS
        if extra:
            raise SpecError(
                f"unknown key(s) in [model] for estimator 'qre': {sorted(extra)}; "
                f"allowed: {sorted(_QRE_KEYS)}"
            )
        missing = [k for k in ("A", "B", "counts") if k not in model]
        if missing:
            raise SpecError(f"estimator 'qre' needs {', '.join(missing)} in [model]")
        return fit_qre((model["A"], model["B"]), model["counts"])
    raise SpecError(f"estimator {est!r} is not a strategic model ({', '.join(ESTIMATORS)})")


def read_and_fit(path: str | Path, mirror: str | Path | None = None):
    """Read a strategic spec file, load its data (sources relative to the file) and fit.

    Returns
    -------
    (results, data or None, name, caption)
    """
    path = Path(path)
    mapping = _read(path)
    unknown = set(mapping) - {"data", "model"}
    if unknown:
        raise SpecError(f"unknown top-level table(s) {sorted(unknown)}; allowed: ['data', 'model']")
    est = mapping["model"]["estimator"]
    data = None
    if est == "strategic" or (est == "qre" and "actions" in mapping["model"]):
        from enforcement_lab.data import load_source
        from enforcement_lab.data.registry import resolve_source

        source = str(mapping.get("data", {}).get("source", ""))
        if not source:
            raise SpecError(f"{path}: [data] has no 'source' (a registry name or a file path)")
        extra = set(mapping.get("data", {})) - {"source"}
        if extra:
            raise SpecError(
                f"unknown key(s) in [data] for estimator {est!r}: {sorted(extra)}; allowed: ['source']"
            )
        data = load_source(resolve_source(source, path), mirror=mirror)
    res = fit_strategic_mapping(mapping, data)
    name = res.outcome if est == "strategic" or "actions" in mapping["model"] else "lambda"
    caption = f"{res.estimator}: {name}"
    return res, data, name, caption
