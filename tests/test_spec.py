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
