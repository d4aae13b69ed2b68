"""The specification-curve figure and its choice indicators."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from econometrics.robustness.figure import MAX_MARKERS, choice_indicators, plot_specification_curve


def fake_results(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    est = rng.normal(0.3, 0.2, n)
    se = rng.uniform(0.05, 0.2, n)
    controls = rng.choice(["(none)", "a", "a+b", "b"], n)
    return pd.DataFrame(
        {
            "spec_id": np.arange(n),
            "controls": controls,
            "estimator": rng.choice(["pooled", "twoway"], n),
            "cov": "clustered",
            "sample": rng.choice(["all", "leave-one-out:iso3=AAA", "leave-one-out:iso3=BBB"], n),
            "lags": 0,
            "estimate": est,
            "ci_lower": est - 1.96 * se,
            "ci_upper": est + 1.96 * se,
            "pvalue": rng.uniform(0, 0.2, n),
            "is_baseline": np.arange(n) == 3,
            "status": "ok",
        }
    )


def test_choice_indicators_mark_each_specification() -> None:
    r = fake_results(200)
    ind = choice_indicators(r)
    assert "cov: clustered" not in ind  # a single value is not a choice
    assert list(ind.columns[:2]) == ["controls: a", "controls: b"]
    np.testing.assert_array_equal(ind["controls: a"], r["controls"].str.contains("a"))
    assert (
        "sample: leave-one-out:iso3" in ind and ind.filter(like="sample:").sum(axis=1).eq(1).all()
    )
    assert ind.filter(like="estimator:").sum(axis=1).eq(1).all()


@pytest.mark.parametrize(
    ("n", "suffix"), [(300, ".png"), (MAX_MARKERS + 500, ".png"), (50, ".pdf")]
)
def test_figure_is_written(tmp_path, n, suffix) -> None:
    r = fake_results(n)
    r.loc[5, "status"] = "collinear"
    path = plot_specification_curve(r, tmp_path / f"curve{suffix}", synthetic=True)
    data = path.read_bytes()
    assert data[:4] in (b"\x89PNG", b"%PDF") and len(data) > 5000
    assert not list(tmp_path.glob(".*.part"))
