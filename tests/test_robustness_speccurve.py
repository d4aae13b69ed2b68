"""The specification-curve figure and its choice indicators."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from econometrics.robustness.figure import (
    MAX_MARKERS,
    _every,
    choice_indicators,
    plot_specification_curve,
)


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


@pytest.mark.parametrize("sample", [None, 500])
def test_dense_curve_bins_are_exact_about_their_specifications(monkeypatch, sample) -> None:
    """Above MAX_MARKERS the curve is drawn from bins: every specification in one bin,
    bins ordered by estimate, the band covering each interval, the baseline at its rank."""
    from econometrics.robustness import figure
    from econometrics.robustness.figure import _Bins, _Layout

    if sample:  # edges from a systematic sample of the estimates
        monkeypatch.setattr(figure, "EDGE_SAMPLE", sample)
    r = fake_results(MAX_MARKERS * 3)
    r["estimate"] = r["estimate"].round(2)  # ties
    r["ci_lower"], r["ci_upper"] = r["estimate"] - 0.1, r["estimate"] + 0.1
    layout = _Layout()
    layout.update(r)
    ind = layout.indicators(r)
    step = max(1, -(-len(r) // figure.EDGE_SAMPLE))
    bins = _Bins(r["estimate"].to_numpy()[::step], len(r), len(ind.columns))
    base = (3, float(r.loc[3, "estimate"]))
    for start in range(0, len(r), 1000):  # in blocks, as a stored multiverse is read
        part = r.iloc[start : start + 1000]
        bins.add(part, ind.iloc[start : start + 1000], 0.95, base)
    assert bins.count.sum() == len(r) and (np.diff(bins.edges) > 0).all()
    order = np.lexsort((r["spec_id"].to_numpy(), r["estimate"].to_numpy()))
    assert bins.baseline_rank == int(np.flatnonzero(order == 3)[0])
    which = np.clip(np.searchsorted(bins.edges, r["estimate"], side="right") - 1, 0, None)
    assert (bins.low[which] <= r["ci_lower"].to_numpy()).all()
    assert (bins.high[which] >= r["ci_upper"].to_numpy()).all()
    assert (bins.est_max[:-1] < bins.est_min[1:]).all()  # bins follow the sorted curve
    share = bins.uses / bins.count
    for j, col in enumerate(ind.columns):
        want = pd.Series(ind[col].to_numpy(float)).groupby(which).mean()
        np.testing.assert_allclose(share[j, want.index], want.to_numpy(), rtol=1e-12)


def test_edge_sample_takes_every_kth_of_the_stream_and_holds_no_block():
    stream = np.arange(23.0)
    blocks = [stream[:7], stream[7:15], stream[15:]]
    before, parts = 0, []
    for b in blocks:
        parts.append(_every(b, before, 4))
        before += len(b)
    np.testing.assert_array_equal(np.concatenate(parts), stream[::4])
    # a view would keep its block alive until the figure is drawn: memory growing with
    # the number of specifications (170 MiB at 12.6 million)
    assert all(p.base is None for p in parts)
