"""Spec values: hashable, TOML round trip, validation errors name the problem."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from econometrics.spec import Spec, read_spec_file
from enforcement_lab.errors import SpecError

BASE = dict(outcome="y", regressors=("x", "z"), source="panel.csv", effects=("entity", "time"))


def panel(n_entities: int = 12, n_years: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    idx = pd.MultiIndex.from_product(
        [[f"C{i:02d}" for i in range(n_entities)], range(2000, 2000 + n_years)],
        names=["iso3", "year"],
    )
    return pd.DataFrame(
        {
            "y": rng.normal(size=len(idx)),
            "x": rng.normal(size=len(idx)),
            "z": rng.normal(size=len(idx)),
        },
        index=idx,
    )


def test_hashable_and_round_trip() -> None:
    spec = Spec(**BASE, options={"bandwidth": 3})
    assert hash(spec) == hash(Spec(**BASE, options={"bandwidth": 3}))
    again = Spec.from_toml(spec.to_toml())
    assert again == spec
    assert spec.treatment_name == "x" and spec.controls == ("z",)


def test_read_spec_file_keeps_robustness(tmp_path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        '[data]\nsource="a.csv"\n[model]\noutcome="y"\nregressors=["x"]\n[robustness]\ncov=["robust"]\n'
    )
    parsed = read_spec_file(path)
    assert parsed.spec.outcome == "y" and parsed.robustness == {"cov": ["robust"]}


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('[model]\noutcome="y"\nregressors=["x"]\nestimatr="ols"', "estimatr"),
        ('[model]\noutcome="y"\nregressors=["x"]\nestimator="magic"', "magic"),
        ('[model]\noutcome="y"\nregressors=["x"]\neffects=["country"]', "effects"),
        ('[modle]\noutcome="y"', "modle"),
        ('[model]\nregressors=["x"]', "outcome"),
        ('[model]\noutcome="y"\nregressors="x"', "list"),
        ("[model", "TOML"),
    ],
)
def test_bad_spec_text_names_the_key(text: str, needle: str) -> None:
    with pytest.raises(SpecError, match=needle):
        Spec.from_toml(text)


def test_validate_against_data() -> None:
    df = panel()
    Spec(**BASE).validate(df)
    with pytest.raises(SpecError, match="unknown column"):
        Spec(**{**BASE, "regressors": ("x", "w")}).validate(df)
    const = df.assign(x=df.index.get_level_values("iso3").str[1:].astype(float))
    with pytest.raises(SpecError, match="constant within every entity"):
        Spec(**BASE).validate(const)
    with pytest.raises(SpecError, match="clusters"):
        Spec(**BASE).validate(panel(n_entities=5))


def test_list_options_hashable_and_round_trip() -> None:
    spec = Spec(**BASE, options={"strata": ["convention", "region"], "bandwidth": 2})
    assert spec.option_dict["strata"] == ("convention", "region")
    assert hash(spec) == hash(
        Spec(**BASE, options=[("bandwidth", 2), ("strata", ("convention", "region"))])
    )
    again = Spec.from_toml(spec.to_toml())
    assert again == spec and hash(again) == hash(spec)
    assert 'strata = [\n    "convention",' in spec.to_toml()
    with pytest.raises(SpecError, match=r"options\.nested"):
        Spec(**BASE, options={"nested": {"a": 1}})


def test_checks_run_on_the_estimation_sample() -> None:
    """A sample filter that leaves too few clusters, or a treatment that varies only outside
    the sample, is refused by fit(), not passed on to the library."""
    from econometrics.estimators import fit

    df = panel(n_entities=20, n_years=6)
    few = Spec(**{**BASE, "sample": "iso3 < 'C05'"})
    few.validate(df)  # the full data has 20 clusters
    with pytest.raises(SpecError, match="only 5 clusters in 'iso3'"):
        fit(few, df)
    year = df.index.get_level_values("year")
    varies_early = df.assign(x=np.where(year < 2003, df["x"], 1.0))
    late = Spec(**{**BASE, "sample": "year >= 2003"})
    late.validate(varies_early)
    with pytest.raises(SpecError, match="constant within every entity; entity effects"):
        fit(late, varies_early)
    # first differences remove a time-invariant treatment too
    const = df.assign(x=df.index.get_level_values("iso3").str[1:].astype(float))
    with pytest.raises(SpecError, match="first differences remove it"):
        Spec(**{**BASE, "effects": (), "estimator": "first_difference"}).validate(const)
    # lags: the estimation sample loses the first year; still 20 clusters, fit runs
    res = fit(Spec(**{**BASE, "lags": 1}), df)
    assert res.nobs == 20 * 5
