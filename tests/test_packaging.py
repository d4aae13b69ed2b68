"""The wheel carries datasets/ and the import packages; it works outside the repository."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
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
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        entry_points = next(zf.read(n).decode() for n in names if n.endswith("entry_points.txt"))
    # PEP 561: type checkers read the packages' hints only when py.typed ships with them
    assert {"gametheory/py.typed", "econometrics/py.typed", "enforcement_lab/py.typed"} <= names
    assert "enforcement-lab = enforcement_lab.cli:main" in entry_points
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
    script = subprocess.run(
        [str(py), "-c", "import sys; from enforcement_lab.cli import main; sys.argv[1:] = ['--version']; main()"],
        cwd=outside, capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert script.returncode == 0 and script.stdout.startswith("enforcement-lab "), script.stderr


def _declared(extra: str | None) -> set[str]:
    """Distribution names (normalised) of the core dependencies, or of one extra."""
    import re
    import tomllib

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return {re.split(r"[\s\[<>=!~;]", r, maxsplit=1)[0].lower().replace("_", "-") for r in reqs}


# Modules that come only with an extra (or with a tool), never with the core dependencies.
_NOT_CORE = (
    "click",  # typer carries its own copy; the installed click comes only with dask/deptry
    "jupytext",
    "nbclient",
    "nbformat",
    "nbconvert",
    "IPython",
    "ipykernel",
    "lifelines",
    "distributed",
    "dask",
    "sphinx",
    "pygambit",
    "egttools",
    "pytest",
)


def test_cli_runs_with_core_dependencies_only(repo_root: Path) -> None:
    """`enforcement-lab --help` and every group's --help never import an extra's module.

    The paper's environment installs only [notebooks] and a user may install no extra at
    all; a module the CLI imports must then be a core dependency. The subprocess refuses
    to import any module of `_NOT_CORE` (CI also proves it in fresh environments).
    """
    blocker = (
        "import sys\n"
        "class _Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        f"        if name.split('.')[0] in {_NOT_CORE!r}:\n"
        "            raise ImportError(f'{name} is not a core dependency')\n"
        "sys.meta_path.insert(0, _Block())\n"
        "from typer.testing import CliRunner\n"
        "from enforcement_lab.cli import app\n"
        "for group in ([], ['solve'], ['sweep'], ['fit'], ['robustness'], ['data'], ['paper']):\n"
        "    result = CliRunner().invoke(app, [*group, '--help'])\n"
        "    assert result.exit_code == 0, (group, result.output, result.exception)\n"
        "print('ok')\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", blocker], cwd=repo_root, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr[-3000:]


def test_not_core_modules_are_not_core_dependencies() -> None:
    """The blocked list above stays honest: none of it is a core dependency."""
    core = _declared(None)
    assert not {m.lower() for m in _NOT_CORE} & core
    assert {"jupytext", "nbclient", "ipython", "lifelines"} <= _declared("notebooks")
    assert {"distributed"} <= _declared("distributed")
