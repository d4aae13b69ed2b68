"""The paper runner and the enforcement paper: parameters, deterministic outputs, notebooks run.

The slow tests execute every notebook of ``papers/enforcement`` in a temporary copy with
``QUICK=True`` (coarse grids, few specifications), check that each table and figure the
notebook's manifest lists exists and is non-empty, and run the notebooks twice to check
that every table and figure is byte-identical across runs.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from enforcement_lab.cli import app
from enforcement_lab.errors import EnforcementLabError, SpecError
from enforcement_lab.paper import (
    PaperOutputs,
    compare_outputs,
    find_notebooks,
    inject_parameters,
    notebook_parameters,
    parse_params,
    resolve_mirror,
    write_outputs_index,
)

ROOT = Path(__file__).resolve().parent.parent
PAPER = ROOT / "papers" / "enforcement"
runner = CliRunner()

HEADER = """# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---
"""


# ------------------------------------------------------------------ parameters and discovery


def test_parse_params_literals_and_strings() -> None:
    got = parse_params(["QUICK=True", "GRID_N=11", "DATA_MIRROR=/x/y", "W=0.5", "L=[1,2]"])
    assert got == {"QUICK": True, "GRID_N": 11, "DATA_MIRROR": "/x/y", "W": 0.5, "L": [1, 2]}


@pytest.mark.parametrize("bad", ["QUICK", "=3", "1x=3", "a-b=2"])
def test_parse_params_rejects_malformed(bad: str) -> None:
    with pytest.raises(SpecError, match="NAME=VALUE"):
        parse_params([bad])


def test_inject_parameters_goes_after_tagged_cell() -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import os"),
        nbformat.v4.new_code_cell("N = 3", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("print(N)"),
    ]
    inject_parameters(nb, {"N": 5, "S": "a"})
    assert nb.cells[2].metadata["tags"] == ["injected-parameters"]
    assert "N = 5" in nb.cells[2].source and "S = 'a'" in nb.cells[2].source
    assert nb.cells[3].source == "print(N)"


def test_find_notebooks_only_percent_format(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "02_b.py").write_text(HEADER + "# %%\nx = 1\n")
    (tmp_path / "p" / "01_a.py").write_text(HEADER + "# %%\nx = 1\n")
    (tmp_path / "p" / "helper.py").write_text("x = 1\n")
    assert [p.name for p in find_notebooks(tmp_path)] == ["01_a.py", "02_b.py"]
    assert find_notebooks(tmp_path, "nope") == []


def test_paper_notebooks_are_found() -> None:
    names = [p.name for p in find_notebooks(ROOT / "papers", "enforcement")]
    assert names == sorted(names) and len(names) >= 4


def test_resolve_mirror(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ENFORCEMENT_LAB_DATA_MIRROR", raising=False)
    assert resolve_mirror("none") is None
    assert resolve_mirror(tmp_path / "missing") is None
    got = resolve_mirror(str(tmp_path))
    assert got == tmp_path.resolve()
    import os

    assert "ENFORCEMENT_LAB_DATA_MIRROR" not in os.environ  # no side effect


# ------------------------------------------------------------------ outputs and manifest


def test_paper_outputs_write_manifest_and_label_synthetic(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    from enforcement_lab.paper import deterministic_matplotlib

    deterministic_matplotlib()
    out = PaperOutputs("01_x", root=tmp_path)
    out.table("t_b", pd.DataFrame({"x": [2, 1]}), "Real", data="shipped", sort=True)
    out.table("t_a", pd.DataFrame({"x": [1.0]}), "Fake", data="generated", synthetic=True)
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    out.figure(fig, "f", "Fig", data="none")
    out.figure(fig, "t_b", "The figure of table t_b", data="shipped")  # same name as a table
    plt.close(fig)
    md = (tmp_path / "tables" / "t_b.md").read_text()
    assert md.index("| 1 |") < md.index("| 2 |")  # sorted
    assert "(synthetic data)" in (tmp_path / "tables" / "t_a.md").read_text()
    for f in ("figures/f.png", "figures/f.pdf", "tables/t_a.tex"):
        assert (tmp_path / f).stat().st_size > 0
    pdf = (tmp_path / "figures" / "f.pdf").read_bytes()
    assert b"CreationDate" not in pdf
    with (tmp_path / "manifest" / "01_x.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["kind"], r["name"], r["synthetic"]) for r in rows] == [
        ("figure", "f", "no"),
        ("figure", "t_b", "no"),
        ("table", "t_a", "yes"),
        ("table", "t_b", "no"),
    ]
    index = write_outputs_index(tmp_path)
    assert index is not None and "| t_a |" in index.read_text()
    # a re-run removes what the previous run of the same notebook wrote
    PaperOutputs("01_x", root=tmp_path)
    assert not (tmp_path / "tables" / "t_a.md").exists()


def test_figures_are_byte_identical_across_saves(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    from enforcement_lab.paper import deterministic_matplotlib

    digests = []
    for run in ("a", "b"):
        deterministic_matplotlib()
        out = PaperOutputs("n", root=tmp_path / run)
        fig, ax = plt.subplots()
        ax.plot([0, 1, 2], [1, 0, 2], label="line")
        ax.legend()
        out.figure(fig, "f", "Fig", data="none")
        plt.close(fig)
        digests.append(
            (
                (tmp_path / run / "figures" / "f.png").read_bytes(),
                (tmp_path / run / "figures" / "f.pdf").read_bytes(),
            )
        )
    assert digests[0] == digests[1]
    assert compare_outputs(tmp_path / "a", tmp_path / "b") == []


# ------------------------------------------------------------------ command line


def test_build_errors_exit_two(tmp_path: Path) -> None:
    result = runner.invoke(app, ["paper", "build", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "does not exist" in result.output
    result = runner.invoke(app, ["paper", "build", str(tmp_path), "--param", "oops"])
    assert result.exit_code == 2 and "NAME=VALUE" in result.output


def test_unknown_notebook_parameter_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    nb = tmp_path / "p" / "01_a.py"
    nb.write_text(HEADER + '# %% tags=["parameters"]\nGRID_N = 3\n\n# %%\nprint(GRID_N)\n')
    assert notebook_parameters(nb) == ["GRID_N"]
    result = runner.invoke(app, ["paper", "build", str(tmp_path), "-p", "GRID_NN=4"])
    assert result.exit_code == 2, result.output
    assert "GRID_NN" in result.output and "declared: GRID_N" in result.output
    assert not (tmp_path / "p" / "executed").exists()  # rejected before anything ran


def test_paper_notebooks_declare_the_common_parameters() -> None:
    for nb in find_notebooks(ROOT / "papers", "enforcement"):
        assert {"QUICK", "DATA_MIRROR"} <= set(notebook_parameters(nb)), nb.name


def test_build_without_notebooks_says_so(tmp_path: Path) -> None:
    result = runner.invoke(app, ["paper", "build", str(tmp_path)])
    assert result.exit_code == 0 and "Nothing was generated" in result.output


def test_build_without_its_data_keeps_the_last_outputs(tmp_path: Path) -> None:
    """A notebook that skips outputs for want of external data does not delete them: the
    last complete build's outputs, manifest and claims stay, and the build says so."""
    paper = tmp_path / "p"
    paper.mkdir()
    (paper / "01_nb.py").write_text(
        HEADER
        + '# %% tags=["parameters"]\nHAVE_DATA = True\n\n# %%\n'
        + "import pandas as pd\nfrom enforcement_lab.paper import PaperOutputs\n"
        + 'out = PaperOutputs("01_nb")\n'
        + 'out.table("a", pd.DataFrame({"x": [1 + HAVE_DATA]}), "A", data="none")\n'
        + "if HAVE_DATA:\n"
        + '    out.table("b", pd.DataFrame({"x": [2]}), "B", data="external")\n'
        + "else:\n"
        + '    out.data_unavailable("table b is skipped: no data")\n'
    )

    def build(*extra: str) -> object:
        return runner.invoke(app, ["paper", "build", str(tmp_path), *extra])

    first = build("-p", "HAVE_DATA=False")  # no build before: the partial one is swapped in
    assert first.exit_code == 0, first.output
    assert (paper / "tables" / "a.md").exists() and not (paper / "tables" / "b.md").exists()
    full = build()
    assert full.exit_code == 0 and "NOT REGENERATED" not in full.output
    before = {p.name: p.read_bytes() for p in (paper / "tables").iterdir()}
    manifest = (paper / "manifest" / "01_nb.csv").read_bytes()
    partial = build("-p", "HAVE_DATA=False")
    assert partial.exit_code == 0, partial.output
    assert "NOT REGENERATED" in partial.output and "table b is skipped" in partial.output
    assert {p.name: p.read_bytes() for p in (paper / "tables").iterdir()} == before
    assert (paper / "manifest" / "01_nb.csv").read_bytes() == manifest
    assert not list(paper.rglob("*.unavailable.txt"))
    check = build("-p", "HAVE_DATA=False", "--check")
    assert check.exit_code == 1 and "not checked" in check.output, check.output


# ------------------------------------------------------------------ the enforcement paper


def _copy_paper(dest: Path) -> Path:
    target = dest / "papers" / "enforcement"
    shutil.copytree(
        PAPER,
        target,
        ignore=shutil.ignore_patterns("executed", "tables", "figures", "manifest", "__pycache__"),
    )
    return target


def _mirror() -> str:
    import os

    env = os.environ.get("ENFORCEMENT_LAB_DATA_MIRROR")
    path = Path(env) if env else ROOT.parent / "shared" / "data" / "external"
    return str(path) if (path / "MANIFEST.csv").exists() else "none"


def _run_quick(dest: Path, only: tuple[str, ...] = ()) -> Path:
    paper = _copy_paper(dest)
    args = ["paper", "build", str(paper.parent), "--param", "QUICK=True"]
    args += ["--param", f"DATA_MIRROR={_mirror()}"]
    for prefix in only:
        args += ["--only", prefix]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return paper


def _listed_files(paper: Path) -> dict[str, list[dict[str, str]]]:
    listed = {}
    for m in sorted((paper / "manifest").glob("*.csv")):
        if m.name.endswith(".claims.csv"):
            continue
        with m.open() as fh:
            listed[m.stem] = list(csv.DictReader(fh))
    return listed


@pytest.mark.slow
def test_notebooks_run_quick_write_outputs_and_rerun_identically(tmp_path: Path) -> None:
    """Every notebook twice with QUICK=True, in two fresh copies; outputs compared byte for byte.

    One test rather than two so that pytest-xdist never runs the notebooks twice.
    """
    first = _run_quick(tmp_path / "one")
    listed = _listed_files(first)
    notebooks = sorted(p.stem for p in find_notebooks(first.parent, "enforcement"))
    assert sorted(listed) == notebooks
    n_files = 0
    for rows in listed.values():
        for row in rows:
            for name in row["files"].split(";"):
                assert (first / name).stat().st_size > 0, name
                n_files += 1
            if row["synthetic"] == "yes":
                assert "synthetic" in row["caption"].lower()
    assert n_files >= 40
    for nb in notebooks:
        assert (first / "executed" / f"{nb}.html").stat().st_size > 0
    assert "| phase_sanction |" in (first / "OUTPUTS.md").read_text()
    assert "<!-- outputs:end -->" in (first / "README.md").read_text()
    _assert_every_output_listed(first)
    _assert_cells_are_prompts(first)

    # every notebook again, in a fresh copy: each table and figure byte for byte
    again = _run_quick(tmp_path / "two")
    compared = 0
    for rows in _listed_files(again).values():
        for row in rows:
            for name in row["files"].split(";"):
                assert (again / name).read_bytes() == (first / name).read_bytes(), name
                compared += 1
    assert compared == n_files
    assert compare_outputs(first, again) == []


def test_committed_outputs_match_their_manifests() -> None:
    manifests = [m for m in sorted((PAPER / "manifest").glob("*.csv")) if ".claims" not in m.name]
    if not manifests:
        pytest.skip("no committed outputs yet")
    for m in manifests:
        with m.open() as fh:
            for row in csv.DictReader(fh):
                for name in row["files"].split(";"):
                    path = PAPER / name
                    assert path.exists() and path.stat().st_size < 2_000_000, name
    _assert_every_output_listed(PAPER)


def _assert_every_output_listed(paper: Path) -> None:
    """Every file in tables/ and figures/ is in a manifest, so OUTPUTS.md maps it to a cell."""
    listed = {
        name
        for rows in _listed_files(paper).values()
        for row in rows
        for name in row["files"].split(";")
    }
    on_disk = {
        f"{sub}/{p.name}" for sub in ("tables", "figures") for p in (paper / sub).glob("*.*")
    }
    assert on_disk - listed == set(), "outputs missing from the manifests"
    index = (paper / "OUTPUTS.md").read_text(encoding="utf-8")
    for name in sorted(listed):
        assert f"`{name}`" in index, f"{name} missing from OUTPUTS.md"


def _executed_cells(html: str) -> dict[int, str]:
    """The source text of every executed cell of a nbconvert HTML page, by its prompt."""
    import html as html_lib
    import re

    parts = re.split(r'jp-InputPrompt jp-InputArea-prompt">In\xa0?\s?\[(\d+)\]:<', html)
    cells = {}
    for number, body in zip(parts[1::2], parts[2::2], strict=True):
        source = body.split("jp-OutputArea", 1)[0]
        cells[int(number)] = html_lib.unescape(re.sub(r"<[^>]+>", "", source))
    return cells


def test_output_map_cells_are_the_executed_prompts() -> None:
    """OUTPUTS.md's ``cell`` is the ``In [n]`` of the cell that wrote the output (here on the
    committed outputs when the executed pages are present; always in the notebook run test)."""
    if not list((PAPER / "executed").glob("*.html")):
        pytest.skip("no executed notebooks (built by make paper)")
    _assert_cells_are_prompts(PAPER)


def _assert_cells_are_prompts(paper: Path) -> None:
    checked = 0
    for notebook, rows in _listed_files(paper).items():
        page = paper / "executed" / f"{notebook}.html"
        cells = _executed_cells(page.read_text(encoding="utf-8"))
        source = (paper / f"{notebook}.py").read_text(encoding="utf-8")
        for row in rows:
            cell = cells[int(row["cell"])]
            call = "out.table(" if row["kind"] == "table" else "out.figure("
            assert call in cell, (notebook, row["name"], row["cell"])
            if f'"{row["name"]}"' in source:  # a literal name: it is in the writing cell
                assert f'"{row["name"]}"' in cell, (notebook, row["name"], row["cell"])
                checked += 1
    assert checked > 20


def test_claims_become_the_results_section(tmp_path: Path) -> None:
    from enforcement_lab.paper import read_claims, write_results

    out = PaperOutputs("01_x", root=tmp_path)
    out.table("t", pd.DataFrame({"x": [1]}), "Cap", data="model only")
    with pytest.raises(EnforcementLabError, match="verdict 'maybe'"):
        out.claim(
            "c", seed="s.txt", lines="L1", claim="A", evidence="E", result="R", verdict="maybe"
        )
    with pytest.raises(EnforcementLabError, match=r"outputs \['nope'\]"):
        out.claim(
            "c",
            seed="s.txt",
            lines="L1",
            claim="A",
            evidence="E",
            result="R",
            verdict="reproduced",
            outputs=["nope"],
        )
    out.claim(
        "six",
        seed="001.txt",
        lines="L2458-2460",
        claim="Cooperation fails above six | players",
        evidence="N-state stag hunt",
        result="basin 0.25 at N = 2, no kink at 6",
        verdict="not reproduced",
        assumptions="Banks-Hyde payoffs",
        outputs=["t"],
    )
    other = PaperOutputs("02_y", root=tmp_path)
    other.claim(
        "diversion",
        seed="003.txt",
        lines="L540",
        claim="Sanctions divert trade",
        evidence="no trade data",
        result="none",
        verdict="not testable with these data",
    )
    assert [c["id"] for c in read_claims(tmp_path)] == ["six", "diversion"]
    text = write_results(tmp_path).read_text()  # type: ignore[union-attr]
    assert "| [Cooperation fails above six \\| players](#six) | `001.txt` L2458-2460 |" in text
    assert "- **Verdict:** not reproduced" in text and "`t`" in text
    assert text.index("## `01_x.py`") < text.index("## `02_y.py`")
    # an id stated by two notebooks is an error naming both
    PaperOutputs("03_z", root=tmp_path).claim(
        "six", seed="s", lines="L1", claim="A", evidence="E", result="R", verdict="reproduced"
    )
    with pytest.raises(EnforcementLabError, match="01_x and 03_z"):
        read_claims(tmp_path)
