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
