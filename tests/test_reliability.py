"""No lost work: output-folder locks, workers that die with their parent, the paper
build's swap-in, file modes, stale outputs of an earlier run."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import tomli_w
from typer.testing import CliRunner

from enforcement_lab.cli import app
from enforcement_lab.data.synthetic import twfe_panel
from enforcement_lab.errors import EnforcementLabError
from enforcement_lab.io import LOCK_NAME, atomic_write_text, locked_folder
from enforcement_lab.paper import STAGE_ENV, PaperOutputs, swap_in

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
runner = CliRunner()
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


@pytest.fixture
def umask022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting to be reaped counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


# ---------------------------------------------------------------------------- modes
def test_atomic_writes_have_the_umask_mode_and_keep_an_existing_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        new = atomic_write_text(tmp_path / "new.csv", "a\n")
        assert new.stat().st_mode & 0o777 == 0o644
        private = tmp_path / "private.csv"
        private.write_text("x")
        private.chmod(0o600)
        atomic_write_text(private, "y")
        assert private.stat().st_mode & 0o777 == 0o600 and private.read_text() == "y"
        os.umask(0o027)
        assert atomic_write_text(tmp_path / "group.csv", "a").stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)


# ---------------------------------------------------------------------------- locks
def test_a_second_run_into_a_locked_folder_refuses_with_the_holders_pid(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with locked_folder(out, "first"):
        assert f"{os.getpid()} first" in (out / LOCK_NAME).read_text()
        with pytest.raises(
            EnforcementLabError, match=f"in use by another run \\(PID {os.getpid()}\\)"
        ):
            with locked_folder(out, "second"):
                pass
        result = runner.invoke(
            app, ["sweep", "stag_hunt", "--grid", "stag=3:5:3", "--out", str(out)]
        )
        assert result.exit_code == 2 and f"PID {os.getpid()}" in result.stderr
        assert not (out / "sweep.csv").exists()
    assert not (out / LOCK_NAME).exists()
    assert not out.exists()  # created by the lock, left empty: removed


def test_concurrent_process_is_refused_and_a_stale_lock_is_taken_over(tmp_path: Path) -> None:
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from enforcement_lab.io import locked_folder\n"
            "with locked_folder(sys.argv[1], 'holder'):\n"
            "    print('locked', flush=True)\n"
            "    time.sleep(120)\n",
            str(out),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        args = ["sweep", "stag_hunt", "--grid", "stag=3:5:3", "--out", str(out)]
        refused = runner.invoke(app, args)
        assert refused.exit_code == 2
        assert f"in use by another run (PID {holder.pid})" in refused.stderr
        holder.send_signal(signal.SIGKILL)  # the lock file stays, naming a dead process
        holder.wait()
        assert (out / LOCK_NAME).exists()
        taken = runner.invoke(app, args)
        assert taken.exit_code == 0, taken.output
        assert (out / "sweep.csv").exists() and not (out / LOCK_NAME).exists()
    finally:
        holder.kill()
        holder.wait()


# ---------------------------------------------------------------------------- workers
WORKERS = textwrap.dedent(
    """
    import os, sys, time
    from concurrent.futures import ProcessPoolExecutor
    from econometrics.robustness.runner import _init_worker

    def task(i):
        open(os.path.join(sys.argv[1], str(os.getpid())), "w").close()
        time.sleep(120)

    if __name__ == "__main__":
        pool = ProcessPoolExecutor(2, initializer=_init_worker, initargs=(None, None, os.getpid()))
        futures = [pool.submit(task, i) for i in range(2)]
        time.sleep(120)
    """
)


def test_sigkill_of_the_parent_leaves_no_worker(tmp_path: Path) -> None:
    script = tmp_path / "pool.py"
    script.write_text(WORKERS)
    pids = tmp_path / "pids"
    pids.mkdir()
    parent = subprocess.Popen([sys.executable, str(script), str(pids)], env=ENV)
    try:
        deadline = time.monotonic() + 60
        while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = [int(p.name) for p in pids.iterdir()]
        assert len(workers) == 2 and all(_alive(w) for w in workers)
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(w) for w in workers)
    finally:
        parent.kill()
        parent.wait()


# ---------------------------------------------------------------------------- paper swap
def _manifest(folder: Path, notebook: str, files: list[str]) -> None:
    (folder / "manifest").mkdir(parents=True, exist_ok=True)
    with (folder / "manifest" / f"{notebook}.csv").open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["kind", "name", "files"])
        w.writeheader()
        for f in files:
            w.writerow({"kind": "table", "name": Path(f).stem, "files": f})


def _paper(tmp_path: Path) -> tuple[Path, Path]:
    paper = tmp_path / "paper"
    for name, text in (("tables/a.md", "old a"), ("tables/gone.md", "old gone")):
        (paper / name).parent.mkdir(parents=True, exist_ok=True)
        (paper / name).write_text(text)
    _manifest(paper, "nb", ["tables/a.md", "tables/gone.md"])
    stage = paper / ".staging" / "nb"
    for name, text in (("tables/a.md", "new a"), ("tables/b.md", "new b")):
        (stage / name).parent.mkdir(parents=True, exist_ok=True)
        (stage / name).write_text(text)
    _manifest(stage, "nb", ["tables/a.md", "tables/b.md"])
    return paper, stage


def test_swap_in_replaces_old_outputs_only_when_the_notebook_has_finished(tmp_path) -> None:
    paper, stage = _paper(tmp_path)
    # a build killed while the notebook ran never reached swap_in: the old outputs stand
    assert (paper / "tables" / "a.md").read_text() == "old a"
    assert (paper / "tables" / "gone.md").exists()
    removed = swap_in(paper, stage, "nb")
    assert removed == ["tables/gone.md"]
    assert (paper / "tables" / "a.md").read_text() == "new a"
    assert (paper / "tables" / "b.md").read_text() == "new b"
    assert "tables/b.md" in (paper / "manifest" / "nb.csv").read_text()


def test_a_swap_killed_midway_leaves_every_previous_output(tmp_path, monkeypatch) -> None:
    paper, stage = _paper(tmp_path)
    real = os.replace
    calls = []

    def dying_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt  # killed between two moves
        real(src, dst)

    monkeypatch.setattr(os, "replace", dying_replace)
    with pytest.raises(KeyboardInterrupt):
        swap_in(paper, stage, "nb")
    for name in ("tables/a.md", "tables/gone.md"):
        assert (paper / name).exists()
    assert "gone.md" in (paper / "manifest" / "nb.csv").read_text()  # old manifest still


def test_a_manifest_never_reaches_outside_the_paper(tmp_path: Path) -> None:
    paper, stage = _paper(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    _manifest(paper, "nb", ["tables/a.md", "../victim.txt", str(victim), "tables/../../victim.txt"])
    swap_in(paper, stage, "nb")
    assert victim.read_text() == "keep me"
    # a staged manifest naming an outside path is refused before anything moves
    paper2, stage2 = _paper(tmp_path / "two")
    _manifest(stage2, "nb", ["tables/a.md", "../../victim.txt"])
    with pytest.raises(EnforcementLabError, match="outside"):
        swap_in(paper2, stage2, "nb")
    assert (paper2 / "tables" / "a.md").read_text() == "old a"
    # and a notebook run by hand does not follow such a row either
    _manifest(paper2, "nb", ["../../victim.txt"])
    PaperOutputs("nb", root=paper2)
    assert victim.read_text() == "keep me"


def test_paper_outputs_write_into_the_stage_during_a_build(tmp_path, monkeypatch, umask022):
    import pandas as pd

    paper, stage = tmp_path / "paper", tmp_path / "paper" / ".staging" / "nb"
    (paper / "tables").mkdir(parents=True)
    (paper / "tables" / "t.md").write_text("old")
    _manifest(paper, "nb", ["tables/t.md"])
    monkeypatch.setenv(STAGE_ENV, str(stage))
    out = PaperOutputs("nb", root=paper)
    out.table("t", pd.DataFrame({"x": [1]}), "T", data="none")
    assert (paper / "tables" / "t.md").read_text() == "old"
    assert (stage / "tables" / "t.md").exists()
    swap_in(paper, stage, "nb")
    assert (paper / "tables" / "t.md").read_text() != "old"
    assert (paper / "tables" / "t.md").stat().st_mode & 0o777 == 0o644


# ---------------------------------------------------------------------------- robustness
def test_robustness_announces_its_size_and_drops_outputs_of_an_earlier_run(tmp_path, umask022):
    data = tmp_path / "panel.csv"
    twfe_panel(15, 8, seed=2).reset_index().to_csv(data, index=False)
    doc = {
        "data": {"source": str(data)},
        "model": {"outcome": "y", "regressors": ["treatment", "x1"], "effects": ["entity", "time"]},
        "robustness": {"controls": "all-subsets", "placebo": 20, "bootstrap": 0},
    }
    spec = tmp_path / "spec.toml"
    spec.write_text(tomli_w.dumps(doc))
    out = tmp_path / "out"
    first = runner.invoke(app, ["robustness", str(spec), "--out", str(out), "--no-progress"])
    assert first.exit_code == 0, first.output
    assert "2 specifications to run" in first.stderr
    assert (out / "placebo.csv").exists()
    assert (out / "specifications.csv").stat().st_mode & 0o777 == 0o644
    doc["robustness"]["placebo"] = 0
    spec.write_text(tomli_w.dumps(doc))
    second = runner.invoke(app, ["robustness", str(spec), "--out", str(out), "--no-progress"])
    assert second.exit_code == 0, second.output
    assert not (out / "placebo.csv").exists() and not (out / LOCK_NAME).exists()
    too_big = runner.invoke(
        app,
        ["robustness", str(spec), "--out", str(tmp_path / "o2"), "--memory-limit", "0.000001"],
    )
    assert too_big.exit_code == 2 and "--memory-limit" in too_big.stderr
    assert not (tmp_path / "o2").exists()


# ---------------------------------------------------------------------------- figures
def test_figures_do_not_depend_on_the_last_bits_of_their_data(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from enforcement_lab.paper import deterministic_matplotlib

    files = []
    for run, ulps in (("a", 0), ("b", 3)):
        deterministic_matplotlib()
        y = np.array([0.1234567891234, -2.2, 3.3e-7])
        y = y + ulps * np.spacing(y)  # what another BLAS or thread count changes
        fig, ax = plt.subplots()
        ax.plot([0, 1, 2], y)
        ax.scatter([0, 1, 2], y)
        ax.bar([0, 1, 2], y)
        ax.fill_between([0, 1, 2], y, y + 1)
        ax.errorbar([0, 1, 2], y, yerr=np.abs(y))
        PaperOutputs("n", root=tmp_path / run).figure(fig, "f", "F", data="none")
        plt.close(fig)
        files.append((tmp_path / run / "figures" / "f.pdf").read_bytes())
    assert files[0] == files[1]
