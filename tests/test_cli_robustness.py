"""``enforcement-lab robustness``: bad spec files exit 2 naming the key; a run writes its outputs."""

from __future__ import annotations

import json

import pytest
import tomli_w
from typer.testing import CliRunner

from enforcement_lab.cli import app
from enforcement_lab.data.synthetic import twfe_panel

runner = CliRunner()
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


@pytest.fixture(scope="module")
def data_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "panel.csv"
    twfe_panel(15, 8, seed=2, gamma=(0.3, -0.2)).reset_index().to_csv(path, index=False)
    return path


def spec_file(tmp_path, data_csv, robustness=None, **model_changes) -> str:
    model = {
        "outcome": "y",
        "regressors": ["treatment", "x1", "x2"],
        "effects": ["entity", "time"],
        **model_changes,
    }
    doc = {"data": {"source": str(data_csv)}, "model": model}
    if robustness is not None:
        doc["robustness"] = robustness
    path = tmp_path / "spec.toml"
    path.write_text(tomli_w.dumps(doc))
    return str(path)


@pytest.mark.parametrize(
    ("robustness", "needle"),
    [
        ({"contrls": "all-subsets"}, "unknown key(s) in [robustness]: ['contrls']"),
        ({"outcomes": ["y", "nope"]}, "robustness.outcomes: unknown column(s) ['nope']"),
        ({"controls": [["x1", "ghost"]]}, "robustness.controls: unknown column(s) ['ghost']"),
        ({"treatment": "ghost"}, "robustness.treatment: unknown column(s) ['ghost']"),
        (
            {"controls": [["x1", "region"]]},
            "robustness.controls: column(s) ['region'] are not numeric",
        ),
        ({"estimators": []}, "robustness.estimators is empty"),
        ({"cov": []}, "robustness.cov is empty"),
        ({"controls": []}, "robustness.controls is empty"),
        ({"estimators": ["ols"]}, "robustness.estimators: unknown ['ols']"),
        (
            {"samples": ["drop:region=Atlantis"]},
            "robustness.samples: 'drop:region=Atlantis' drops nothing",
        ),
        ({"samples": ["years:2050-2060"]}, "robustness.samples: 'years:2050-2060' keeps no rows"),
        (
            {"samples": ["years:2000-1990"]},
            "robustness.samples: 'years:2000-1990' ends before it starts",
        ),
        (
            {"samples": ["leave-one-out:ghost"]},
            "robustness.samples: 'leave-one-out:ghost' names unknown column",
        ),
        ({"samples": ["every other year"]}, "robustness.samples: 'every other year' is not"),
        ({"lags": [-1]}, "robustness.lags must be an integer >= 0"),
        ({"common_sample": "yes"}, "robustness.common_sample must be true or false"),
        ({"bootstrap_weights": "mammen"}, "robustness.bootstrap_weights"),
        (
            {"cov": ["robust"], "cluster": ["twoway"]},
            "robustness.cluster is set but robustness.cov ['robust'] has no 'clustered'",
        ),
    ],
)
def test_bad_spec_files_exit_two_naming_the_key(tmp_path, data_csv, robustness, needle) -> None:
    result = runner.invoke(
        app, ["robustness", spec_file(tmp_path, data_csv, robustness), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: ")
    assert needle in result.output
    assert "Traceback" not in result.output


def test_bad_model_and_options_exit_two(tmp_path, data_csv) -> None:
    spec = spec_file(tmp_path, data_csv, {}, estimator="ordered_logit")
    result = runner.invoke(app, ["robustness", spec, "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "model.estimator 'ordered_logit'" in result.output
    spec = spec_file(tmp_path, data_csv, {})
    result = runner.invoke(
        app, ["robustness", spec, "--out", str(tmp_path / "o"), "--executor", "spark"]
    )
    assert result.exit_code == 2 and "--executor 'spark'" in result.output
    result = runner.invoke(
        app, ["robustness", spec, "--out", str(tmp_path / "o"), "--scheduler", "tcp://x:1"]
    )
    assert result.exit_code == 2 and "--scheduler needs --executor dask" in result.output
    result = runner.invoke(
        app, ["robustness", str(tmp_path / "missing.toml"), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2 and "does not exist" in result.output


def test_cli_run_writes_every_output(tmp_path, data_csv) -> None:
    spec = spec_file(
        tmp_path,
        data_csv,
        {
            "controls": "all-subsets",
            "estimators": ["pooled", "twoway"],
            "samples": ["all", "leave-one-out:iso3"],
            "cov": ["clustered", "driscoll-kraay"],
            "placebo": 20,
            "bootstrap": 99,
        },
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["robustness", spec, "--out", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    n = 4 * 2 * 16 * 2  # subsets x estimators x samples x covariances
    assert f"{n} specifications" in result.output
    for name in (
        "specifications.csv",
        "summary.json",
        "summary.md",
        "influential_units.csv",
        "placebo.csv",
        "specification_curve.png",
    ):
        assert (out / name).exists(), name
    summary = json.loads((out / "summary.json").read_text())
    assert summary["n_specifications"] == n and summary["inference"]["bootstrap_reps"] == 99
    again = runner.invoke(app, ["robustness", spec, "--out", str(out), "--resume", "--no-progress"])
    assert again.exit_code == 0 and "(0 fitted now)" in again.output
