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


SLOW_CLI = """
import sys, time
import econometrics.robustness.runner as runner
fit = runner.fit_specifications
def slow(*args, **kwargs):
    time.sleep(0.1)
    return fit(*args, **kwargs)
runner.fit_specifications = slow
from enforcement_lab.cli import main
sys.argv[0] = "enforcement-lab"
main()
"""


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
            "estimators": ["random", "twoway"],
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
    # the engine fits these 88 specifications in well under a second, so the child sleeps
    # before each chunk: the kill lands mid-run on any machine (the fits are unchanged)
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_CLI, *args, "--out", str(killed)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    parts = killed / ".robustness" / "parts.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if parts.exists() and parts.read_text().count("\n") >= 12:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be killed"
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
