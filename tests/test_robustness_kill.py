"""A run killed with SIGKILL mid-way loses nothing: --resume writes the uninterrupted file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import tomli_w
from typer.testing import CliRunner

from enforcement_lab.cli import app
from enforcement_lab.data.synthetic import twfe_panel

pytestmark = [
    pytest.mark.filterwarnings("ignore::RuntimeWarning"),
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL"),
]


def test_sigkill_then_resume(tmp_path) -> None:
    data = tmp_path / "panel.csv"
    twfe_panel(10, 8, seed=5, gamma=(0.3, -0.2)).reset_index().to_csv(data, index=False)
    doc = {
        "data": {"source": str(data)},
        "model": {
            "outcome": "y",
            "regressors": ["treatment", "x1", "x2"],
            "effects": ["entity", "time"],
        },
        "robustness": {
            "controls": "all-subsets",
            "estimators": ["random", "twoway"],  # random effects: one linearmodels fit each
            "samples": ["all", "leave-one-out:iso3"],
            "cov": ["clustered"],
            "placebo": 0,
            "bootstrap": 0,
        },
    }
    spec = tmp_path / "spec.toml"
    spec.write_text(tomli_w.dumps(doc))
    args = ["robustness", str(spec), "--chunk-size", "4", "--no-progress"]

    killed = tmp_path / "killed"
    proc = subprocess.Popen(
        [sys.executable, "-m", "enforcement_lab.cli", *args, "--out", str(killed)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    parts = killed / ".robustness" / "parts.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if parts.exists() and parts.read_text().count("\n") >= 12:
            break
        time.sleep(0.02)
    if proc.poll() is not None:
        pytest.skip("the run finished before it could be killed")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    n_saved = parts.read_text().count("\n")
    assert 12 <= n_saved < 88
    assert not (killed / "specifications.csv").exists()

    runner = CliRunner()
    resumed = runner.invoke(app, [*args, "--out", str(killed), "--resume"])
    assert resumed.exit_code == 0, resumed.output
    fitted_now = int(resumed.output.split("(")[1].split(" fitted")[0])
    assert fitted_now <= 88 - (n_saved // 4) * 4
    clean = runner.invoke(app, [*args, "--out", str(tmp_path / "clean")])
    assert clean.exit_code == 0, clean.output
    assert (killed / "specifications.csv").read_bytes() == (
        tmp_path / "clean" / "specifications.csv"
    ).read_bytes()
