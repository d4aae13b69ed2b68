"""The wheel carries datasets/ and the import packages; it works outside the repository."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from enforcement_lab.data import datasets_dir, list_shipped, load_shipped


def test_shipped_folder_is_repo_datasets_in_a_checkout(repo_root: Path) -> None:
    assert datasets_dir() == repo_root / "datasets"
    assert "ilo_conventions" in list_shipped()


def test_datasets_is_not_an_import_package(repo_root: Path) -> None:
    assert not (repo_root / "datasets" / "__init__.py").exists()


def test_load_shipped_types_and_attrs() -> None:
    frame = load_shipped("ilo_conventions")
    assert len(frame) == 11
    assert str(frame["adopted"].dtype) == "Int64"
    assert frame.attrs["synthetic"] is False
    assert frame["source"].notna().all()


@pytest.mark.slow
def test_wheel_installs_in_clean_venv_and_loads_data(repo_root: Path, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    command = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)]
    built = subprocess.run([*command, str(repo_root)], check=False, capture_output=True, text=True)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    (wheel,) = dist.glob("enforcement_lab-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    # The wheel goes into the clean venv; its (large, already verified) dependencies are
    # borrowed from the test environment through a .pth file rather than re-downloaded.
    site = Path(
        subprocess.run(
            [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    code = (
        "import gametheory, econometrics, enforcement_lab.data as d;"
        "print(d.datasets_dir().name, len(d.load_shipped('ilo_conventions')))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(
        [str(py), "-c", code], cwd=outside, capture_output=True, text=True, env=env, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["_datasets", "11"]
