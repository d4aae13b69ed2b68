"""The inferential specification curve (Simonsohn, Simmons and Nelson 2020), the in-memory
``Multiverse.fit`` and the summary by outcome."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from linearmodels import PanelOLS
from scipy import stats

from econometrics.robustness.figure import specification_curve_figure
from econometrics.robustness.inference import CURVE_STATISTICS, draw_units
from econometrics.robustness.multiverse import Multiverse
from econometrics.robustness.runner import run_robustness
from econometrics.spec import Spec
from enforcement_lab.data.synthetic import twfe_panel

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

BASE = Spec("y", ("treatment", "x1"), effects=("entity", "time"), cluster="entity")
TABLE = {
    "controls": [[], ["x1"]],
    "estimators": ["entity", "twoway"],
    "cov": ["clustered"],
    "placebo": 0,
    "bootstrap": 0,
}


def by_hand(frame: pd.DataFrame, draw: int, seed: int, estimates: dict) -> np.ndarray:
    """The tested statistics of one null draw, from scratch: each specification's effect
    removed from y (``y - b_k treatment``), the drawn units stacked as new units, PanelOLS
    with its own clustered covariance, then the three statistics in the dominant sign."""
    d = frame.reset_index().sort_values(["iso3", "year"])
    units = sorted(d["iso3"].unique())
    picks = draw_units(len(units), draw, seed)
    parts = [d[d["iso3"] == units[u]].assign(unit=pos) for pos, u in enumerate(picks)]
    data = pd.concat(parts).set_index(["unit", "year"])
    est, pv = [], []
    for (controls, effects), b in estimates.items():
        regs = ["treatment", *controls]
        x = data[regs].copy()
        x.insert(0, "const", 1.0)
        y = data["y"] - b * data["treatment"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = PanelOLS(y, x, entity_effects=True, time_effects=effects == "twoway").fit(
                cov_type="clustered", cluster_entity=True
            )
        est.append(res.params["treatment"])
        pv.append(res.pvalues["treatment"])
    est, pv = np.array(est), np.array(pv)
    sign = 1.0 if (est > 0).sum() >= (est < 0).sum() else -1.0
    z = np.sign(est) * stats.norm.ppf(1 - pv / 2)
    return np.array(
        [
            sign * np.median(est),
            np.mean((pv < 0.05) & (np.sign(est) == sign)),
            sign * z.sum() / np.sqrt(len(z)),
        ]
    )


@pytest.mark.parametrize(("beta", "seed"), [(0.0, 3), (0.4, 4)])
def test_curve_test_equals_a_hand_computation(beta, seed) -> None:
    frame = twfe_panel(9, 6, beta=beta, seed=seed, gamma=(0.3,))
    mv = Multiverse.from_table(BASE, {**TABLE, "curve_test": 4, "seed": seed})
    res = mv.fit(frame)
    table = res.table()
    estimates = {
        (tuple(() if r.controls == "(none)" else r.controls.split("+")), r.estimator): r.estimate
        for r in table.itertuples()
    }
    curve = res.curve_test
    assert curve is not None and list(curve.null) == ["y"]
    for d in range(4):
        np.testing.assert_allclose(
            curve.null["y"][d], by_hand(frame, d, seed, estimates), rtol=1e-7
        )
    # the observed statistics, by hand from the table
    est, pv = table["estimate"].to_numpy(), table["pvalue"].to_numpy()
    sign = 1.0 if (est > 0).sum() >= (est < 0).sum() else -1.0
    observed = res.statistics["curve_test"]["by_outcome"]["y"]
    assert observed["median_estimate"] == pytest.approx(np.median(est))
    assert observed["share_significant_dominant"] == pytest.approx(
        np.mean((pv < 0.05) & (np.sign(est) == sign))
    )
    z = np.sign(est) * stats.norm.ppf(1 - pv / 2)
    assert observed["stouffer_z"] == pytest.approx(z.sum() / 2)
    tested = [sign * np.median(est), observed["share_significant_dominant"], sign * z.sum() / 2]
    for j, name in enumerate(CURVE_STATISTICS):
        expect = (1 + np.sum(curve.null["y"][:, j] >= tested[j])) / 5
        assert observed[f"pvalue_{name}"] == pytest.approx(expect)


@pytest.mark.slow
def test_curve_test_pvalues_are_uniform_under_the_null_and_small_under_an_effect() -> None:
    mv = Multiverse.from_table(BASE, {**TABLE, "curve_test": 19, "seed": 1})
    null = []
    for seed in range(30):
        res = mv.fit(twfe_panel(24, 6, beta=0.0, seed=100 + seed, gamma=(0.3,)))
        null.append(res.statistics["curve_test"]["by_outcome"]["y"]["pvalue_stouffer_z"])
    null = np.array(null)
    # p-values on the grid k/20: about uniform (a KS test against U(0,1), and the tails)
    assert stats.kstest(null, "uniform").pvalue > 0.01
    assert 0.0 <= np.mean(null <= 0.1) <= 0.3 and np.mean(null > 0.5) >= 0.3
    for seed in range(3):
        res = mv.fit(twfe_panel(24, 6, beta=0.5, seed=200 + seed, gamma=(0.3,)))
        got = res.statistics["curve_test"]["by_outcome"]["y"]
        assert got["pvalue_median_estimate"] == pytest.approx(1 / 20)
        assert got["pvalue_stouffer_z"] == pytest.approx(1 / 20)


def test_fit_in_memory_writes_what_the_runner_writes(tmp_path) -> None:
    import tomli_w

    frame = twfe_panel(12, 7, seed=5, gamma=(0.3, -0.2))
    frame["y_scaled"] = 20 * frame["y"]  # a second outcome on another scale
    table = {
        **TABLE,
        "controls": "all-subsets",
        "outcomes": ["y", "y_scaled"],
        "samples": ["all", "leave-one-out:iso3"],
        "placebo": 9,
        "curve_test": 3,
    }
    doc = {
        "data": {"source": "unused.csv"},
        "model": {
            "outcome": "y",
            "regressors": ["treatment", "x1", "x2"],
            "effects": ["entity", "time"],
        },
        "robustness": table,
    }
    spec = tmp_path / "spec.toml"
    spec.write_text(tomli_w.dumps(doc))
    run_robustness(spec, tmp_path / "run", frame=frame, progress=False, chunk_size=7)
    mv = Multiverse.from_table(
        Spec("y", ("treatment", "x1", "x2"), effects=("entity", "time")), table
    )
    res = mv.fit(frame, chunk_size=7)  # the same chunks: the same sums, to the last bit
    res.write(tmp_path / "mem")
    for name in (
        "specifications.csv",
        "summary.json",
        "summary.md",
        "influential_units.csv",
        "placebo.csv",
    ):
        assert (tmp_path / "run" / name).read_bytes() == (tmp_path / "mem" / name).read_bytes(), (
            name
        )
    assert (tmp_path / "mem" / "specification_curve.png").stat().st_size > 5000
    # the summary never pools the two outcomes' estimates
    s = json.loads((tmp_path / "mem" / "summary.json").read_text())
    ok = res.table()[res.table()["status"] == "ok"]
    for outcome in ("y", "y_scaled"):
        mine = ok[ok["outcome"] == outcome]["estimate"]
        assert s["by_outcome"][outcome]["median_estimate"] == pytest.approx(mine.median())
        assert s["curve_test"]["by_outcome"][outcome]["median_estimate"] == pytest.approx(
            mine.median()
        )
    assert s["outcome"] == "y" and s["median_estimate"] == s["by_outcome"]["y"]["median_estimate"]
    assert "y_scaled: " in res.summary() and "--" not in res.summary()
    fig = specification_curve_figure(res)
    assert len(fig.axes) == 4  # a curve and a dashboard per outcome
    assert [ax.get_title().split(":")[0] for ax in fig.axes[:2]] == ["y", "y_scaled"]


def test_in_memory_messages_name_python_parameters() -> None:
    from enforcement_lab.limits import ResourceLimitError

    mv = Multiverse.from_table(BASE, {**TABLE, "placebo": 10**9})
    with pytest.raises(ResourceLimitError) as err:
        mv.fit(twfe_panel(8, 5, seed=1, gamma=(0.3,)), memory_limit_gb=0.001)
    assert "memory_limit_gb" in str(err.value) and "--" not in str(err.value)
