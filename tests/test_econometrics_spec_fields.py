"""Every Spec field, for every estimator, is honoured or refused by name.

For each estimator of :data:`econometrics.spec.ESTIMATORS` and each field of
:class:`econometrics.spec.Spec`, the test changes the field from a working base spec and
requires one of two outcomes: ``fit`` raises a :class:`SpecError` whose message names the
field, or the change shows in the result (other coefficients, standard errors, sample,
terms or covariance label; for the panel keys, the same numbers read from renamed
columns and an error for a column that does not exist). Nothing is silently ignored.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest

from econometrics.estimators import fit
from econometrics.spec import ESTIMATORS, Spec
from enforcement_lab.data import synthetic
from enforcement_lab.errors import SpecError

#: Fields the caller reads, not the estimator: the data source (read by the CLI and
#: load_source), the table column label, and the coefficient the robustness tools
#: follow. Changing them must leave every number unchanged.
CALLER_FIELDS = ("source", "label", "treatment")


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    d = synthetic.staggered_panel(n_entities=30, n_years=12, seed=2).reset_index()
    n = len(d)
    d["x1"] = rng.normal(size=n)
    d["x2"] = rng.normal(size=n)
    eta = 0.8 * d["x1"] - 0.5 * d["x2"] + 0.3 * (d["year"] - d["year"].mean()) / 4
    d["y"] = d["y"] + eta + rng.normal(size=n)
    d["yb"] = (eta + rng.logistic(size=n) > 0).astype(float)
    d["yo"] = np.digitize(eta + rng.logistic(size=n), [-0.7, 0.7]).astype(float)
    d["yc"] = rng.poisson(np.exp(0.5 + 0.4 * eta)).astype(float)
    for col in ("y", "yb", "yo", "yc"):  # another outcome of the same kind
        d[f"{col}2"] = d[col].sample(frac=1.0, random_state=1).to_numpy()
    return d


@pytest.fixture(scope="module")
def spells() -> pd.DataFrame:
    return synthetic.ratification_spells(n_countries=60, seed=3)


BASES = {
    "pooled_ols": ("y", {}),
    "panel_ols": ("y", {"effects": ("entity",)}),
    "random_effects": ("y", {}),
    "first_difference": ("y", {}),
    "between_ols": ("y", {}),
    "lpm": ("yb", {}),
    "logit": ("yb", {}),
    "probit": ("yb", {}),
    "ordered_logit": ("yo", {}),
    "ordered_probit": ("yo", {}),
    "poisson": ("yc", {}),
    "negative_binomial": ("yc", {}),
    "cox": ("event", {}),
    "discrete_hazard": ("event", {}),
    "event_study": ("y", {"options": {"method": "twfe", "leads": 2, "lags": 2}}),
}
HAZARDS = ("cox", "discrete_hazard")


def _base(est: str) -> Spec:
    outcome, extra = BASES[est]
    regs = ("logGDPpc",) if est in HAZARDS else ("x1",)
    return Spec(outcome, regs, estimator=est, **extra)


def _data(est: str, panel: pd.DataFrame, spells: pd.DataFrame) -> pd.DataFrame:
    return spells if est in HAZARDS else panel


def _changes(est: str) -> dict[str, dict]:
    """One change per field (the panel keys are handled in their own test)."""
    base = _base(est)
    add = "left_gov" if est in HAZARDS else "x2"
    sample = "logGDPpc > 7" if est in HAZARDS else "year >= 1993"
    return {
        "outcome": {"outcome": "left_gov" if est in HAZARDS else f"{base.outcome}2"},
        "regressors": {"regressors": (*base.regressors, add)},
        "effects": {"effects": ("time",)},
        "cov": {"cov": "robust" if base.cov != "robust" else "unadjusted"},
        "cluster": {"cluster": "time"},
        "sample": {"sample": sample},
        "lags": {"lags": 1},
        "options": {"options": {**base.option_dict, "bandwith": 1}},
        "formula": {
            "formula": f"{base.outcome} ~ {' + '.join((*base.regressors, add))}",
            "regressors": (*base.regressors, add),
        },
        "ssc": {"ssc": "stata"},
    }


def _differs(a, b) -> bool:
    if list(a.params.index) != list(b.params.index) or a.nobs != b.nobs:
        return True
    if a.cov_label != b.cov_label or a.outcome != b.outcome or a.estimator != b.estimator:
        return True
    return not (
        np.allclose(a.params, b.params, rtol=1e-12, atol=1e-14)
        and np.allclose(a.std_errors, b.std_errors, rtol=1e-12, atol=1e-14)
    )


def _fit(spec: Spec, data: pd.DataFrame):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit(spec, data)


def _changed(base: Spec, change: dict) -> Spec:
    if "formula" in change:
        return Spec.from_formula(
            change["formula"],
            estimator=base.estimator,
            options=base.options,
            cov=base.cov,
            cluster=base.cluster,
        )
    return dataclasses.replace(base, **change)


FIELDS = [f.name for f in dataclasses.fields(Spec)]
CHANGED = (
    "outcome",
    "regressors",
    "effects",
    "cov",
    "cluster",
    "sample",
    "lags",
    "options",
    "formula",
    "ssc",
)


def test_the_table_covers_every_field():
    """``estimator`` is the row of the table: every estimator is a parameter below."""
    assert set(FIELDS) == {*CHANGED, *CALLER_FIELDS, "entity", "time", "estimator"}


@pytest.mark.parametrize("est", ESTIMATORS)
@pytest.mark.parametrize("field", CHANGED)
def test_field_is_honoured_or_refused_by_name(est, field, panel, spells):
    data = _data(est, panel, spells)
    base = _base(est)
    ref = _fit(base, data)
    change = _changes(est)[field]
    try:
        spec = _changed(base, change)
        got = _fit(spec, data)
    except SpecError as exc:
        words = {field, *(k for k in change if k != "regressors")}
        if field == "options":
            words.add("bandwith")
        assert any(w in str(exc) for w in words), f"{est}/{field}: {exc}"
        return
    assert _differs(ref, got), f"{est}: changing {field} changed nothing"


@pytest.mark.parametrize("est", ESTIMATORS)
@pytest.mark.parametrize("field", CALLER_FIELDS)
def test_caller_fields_change_no_number(est, field, panel, spells):
    data = _data(est, panel, spells)
    base = _base(est)
    value = {"source": "elsewhere.csv", "label": "M1", "treatment": base.regressors[0]}[field]
    a, b = _fit(base, data), _fit(dataclasses.replace(base, **{field: value}), data)
    assert not _differs(a, b)


@pytest.mark.parametrize("est", ESTIMATORS)
@pytest.mark.parametrize("key", ["entity", "time"])
def test_panel_keys_are_read_or_refused(est, key, panel, spells):
    """Renamed columns give the same numbers; a key naming no column is an error naming
    it (or, where the estimator has no use for the key, an error naming the key)."""
    data = _data(est, panel, spells)
    base = _base(est)
    old = getattr(base, key)
    a = _fit(base, data)
    if old in data.columns:
        renamed = data.rename(columns={old: f"{old}_renamed"})
        b = _fit(dataclasses.replace(base, **{key: f"{old}_renamed"}), renamed)
        assert not _differs(a, b)
    with pytest.raises(SpecError, match=rf"nope|{key}"):
        _fit(dataclasses.replace(base, **{key: "nope"}), data)
