"""The same multiverse on a dask LocalCluster and on local processes gives identical files."""

from __future__ import annotations

import numpy as np
import pytest
import tomli_w

from econometrics.robustness.runner import run_robustness
from enforcement_lab.data.synthetic import twfe_panel

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

TABLE = {
    "controls": "all-subsets",
    "estimators": ["entity", "twoway"],
    "samples": ["all", "years:1992-1997"],
    "cov": ["clustered", "driscoll-kraay"],
    "placebo": 10,
    "bootstrap": 0,
}


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("exec")
    df = twfe_panel(20, 9, seed=3, gamma=(0.3, -0.2, 0.1))
    df = df[np.random.default_rng(3).random(len(df)) > 0.1]
    doc = {
        "data": {"source": "unused.csv"},
        "model": {
            "outcome": "y",
            "regressors": ["treatment", "x1", "x2", "x3"],
            "effects": ["entity", "time"],
        },
        "robustness": TABLE,
    }
    spec = tmp / "spec.toml"
    spec.write_text(tomli_w.dumps(doc))
    ref = run_robustness(spec, tmp / "serial", frame=df, chunk_size=8, progress=False, figure=False)
    return tmp, df, spec, ref


def test_dask_local_cluster_equals_local(setup) -> None:
    distributed = pytest.importorskip("distributed")
    tmp, df, spec, ref = setup
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        res = run_robustness(
            spec,
            tmp / "dask",
            frame=df,
            chunk_size=8,
            executor="dask",
            scheduler=cluster.scheduler_address,
            progress=False,
            figure=False,
        )
    assert res.n_fitted_this_run == len(ref.results) == 64
    assert (tmp / "dask" / "specifications.csv").read_bytes() == (
        tmp / "serial" / "specifications.csv"
    ).read_bytes()


def test_local_processes_equal_serial(setup) -> None:
    tmp, df, spec, _ = setup
    run_robustness(
        spec, tmp / "procs", frame=df, chunk_size=8, workers=2, progress=False, figure=False
    )
    assert (tmp / "procs" / "specifications.csv").read_bytes() == (
        tmp / "serial" / "specifications.csv"
    ).read_bytes()
