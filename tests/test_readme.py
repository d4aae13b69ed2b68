"""The README's notebook example runs and prints what the README says it prints."""

from __future__ import annotations

import re
import subprocess
import sys


def test_readme_example_runs(repo_root, mirror_dir, tmp_path):
    text = (repo_root / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "README has no python example"
    script = tmp_path / "example.py"
    script.write_text(blocks[0])
    out = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"ENFORCEMENT_LAB_DATA_MIRROR": str(mirror_dir), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "(1, 1) Thresholds(equilibrium=-1.0, risk_dominant=1.0, dominant=3.0)"
    assert lines[1] == "3 (0, 0)"
    assert "CIRI_WORKER" in out.stdout and "polity2" in out.stdout
    assert "Fixed effects: entity, time" in out.stdout


def test_readme_counts_match_the_shipped_data(repo_root):
    from enforcement_lab.data import load_shipped

    text = " ".join((repo_root / "README.md").read_text().split())
    gsp = load_shipped("gsp_worker_rights_reviews")
    coded = gsp["elliott_success"].dropna()
    assert (
        f"`gsp_worker_rights_reviews`: {len(gsp)} US GSP worker-rights cases" in text
        and f"{len(coded)} carry an Elliott-style success code ({int(coded.sum())} successes)"
        in text
    )
    for name, noun in [
        ("trade_agreement_labor_cases", "cases"),
        ("ilo_supervisory_events", "events"),
        ("published_benchmarks", "published figures"),
    ]:
        assert f"`{name}`: {len(load_shipped(name))} {noun}" in text, name
