"""``enforcement-lab solve`` and ``enforcement-lab sweep`` (:mod:`enforcement_lab.cli.solve`, :mod:`enforcement_lab.cli.sweep`)."""

from __future__ import annotations

import importlib.util
import json
import sys
import types
from pathlib import Path
from typing import ClassVar

import pandas as pd
import pytest
from typer.testing import CliRunner

from enforcement_lab.cli import app
from gametheory.games import stag_hunt
from gametheory.instruments import ConditionalBenefit

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_solve_stag_hunt_prints_the_known_results() -> None:
    r = run("solve", "stag_hunt")
    assert r.exit_code == 0, r.output
    out = r.output
    assert "equilibria (support): 3" in out
    assert "row stag | column stag" in out and "row hare | column hare" in out
    assert "(stag 0.75, hare 0.25)" in out
    assert "class: stag_hunt" in out and "risk dominant: hare/hare" in out
    assert "payoff dominant: stag/stag" in out
    assert "q* (row, column): 0.75, 0.75" in out
    assert "equilibrium -1, risk-dominant 1, dominant 3" in out


def test_solve_with_parameters_and_instruments() -> None:
    r = run(
        "solve", "stag_hunt", "--set", "hare=2", "--instrument", "sanction:probability=0.5,size=5"
    )
    assert r.exit_code == 0, r.output
    assert "phase: compliance dominant" in r.output  # stag 4 > 2 - 2.5, sucker 0 > 2 - 2.5
    data = json.loads(run("solve", "prisoners_dilemma", "--instrument", "fine", "--json").output)
    assert data["class"] == "prisoners_dilemma" and data["phase"] == "no compliance"
    assert data["A"] == [[3.0, 0.0], [4.0, 0.5]]
    assert data["thresholds"]["dominant"] == 1.0


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_solve_from_file(tmp_path: Path, suffix: str) -> None:
    if suffix == ".toml":
        text = 'A = [[4, 0], [3, 3]]\nB = [[4, 3], [0, 3]]\nrow_labels = ["S", "H"]\ncol_labels = ["S", "H"]\n'
        text += '[[instruments]]\ntype = "sanction"\nprobability = 1.0\nsize = 5\n'
    else:
        text = json.dumps(
            {
                "family": "stag_hunt",
                "params": {"stag": 4},
                "instruments": [{"type": "sanction", "probability": 1.0, "size": 5}],
            }
        )
    path = tmp_path / f"game{suffix}"
    path.write_text(text)
    r = run("solve", "--file", str(path), "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["phase"] == "compliance dominant"
    assert len(data["equilibria"]) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["solve", "nope"], "error: unknown game, design or model 'nope'; known: assurance"),
        (["solve", "stag_hunt", "--set", "stag"], "error: --set 'stag' must be key=value"),
        (["solve", "stag_hunt", "--set", "stagg=1"], "error: stag_hunt has no parameter 'stagg'"),
        (["solve", "stag_hunt", "--set", "stag=x"], "error: --set stag is not a number: 'x'"),
        (["solve", "stag_hunt", "--instrument", "bribe"], "error: unknown instrument 'bribe'"),
        (
            ["solve", "stag_hunt", "--instrument", "sanction:probability=2"],
            "error: Sanction.probability must be <= 1.0",
        ),
        (
            ["solve", "stag_hunt", "--instrument", "sanction:severity=2"],
            "error: sanction has no field 'severity'",
        ),
        (["solve"], "error: give a game name"),
        (["sweep", "stag_hunt", "--out", "x"], "error: give at least one --grid"),
        (
            ["sweep", "stag_hunt", "--grid", "stag=1:2", "--out", "x"],
            "error: --grid 'stag=1:2' must be key=lo:hi:n",
        ),
        (
            ["sweep", "stag_hunt", "--grid", "stag=1:2:x", "--out", "x"],
            "error: --grid stag: n must be an integer",
        ),
    ],
)
def test_errors_are_one_line_exit_two(args: list[str], message: str) -> None:
    r = run(*args)
    assert r.exit_code == 2
    assert r.output.strip().startswith(message), r.output
    assert len(r.output.strip().splitlines()) == 1
    assert "Traceback" not in r.output


def test_nan_payoff_in_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"A": [[1, 0], [NaN, 1]], "B": [[1, 0], [0, 1]]}')
    r = run("solve", "--file", str(path))
    assert r.exit_code == 2 and r.output.strip() == "error: A[1, 0] is nan"


def test_sweep_writes_csv_and_figures(tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = run(
        "sweep", "stag_hunt",
        "--grid", "probability=0:1:11", "--grid", "size=0:6:13",
        "--instrument", "sanction", "--out", str(out),
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "143 cells" in r.output
    frame = pd.read_csv(out / "sweep.csv")
    assert len(frame) == 143
    hit = frame[(frame.probability == 1.0) & (frame["size"] == 4.0)]
    assert hit.phase.tolist() == ["compliance dominant"]
    assert (out / "phase_diagram.png").read_bytes()[:4] == b"\x89PNG"
    assert (out / "phase_diagram.pdf").read_bytes()[:4] == b"%PDF"
    has_arrow = importlib.util.find_spec("pyarrow") is not None
    assert (out / "sweep.parquet").exists() == has_arrow
    assert not list(out.glob("*.part"))  # atomic writes leave no temporaries


class _Design:
    defaults: ClassVar[dict] = {"bonus": 1.0}
    ranges: ClassVar[dict] = {"bonus": (0.0, 4.0)}
    citation = "fake"

    def game(self, bonus: float = 1.0):
        return stag_hunt().adjust(ConditionalBenefit(bonus))


class _Model:
    defaults: ClassVar[dict] = {"x": 1.0}
    citation = "fake model"

    def evaluate(self, x: float = 1.0) -> dict[str, float]:
        return {"double": 2 * x}


@pytest.fixture
def fakes(monkeypatch):
    designs = types.ModuleType("gametheory.designs")
    designs.DESIGNS = {"fake_design": _Design()}
    models = types.ModuleType("gametheory.models")
    models.MODELS = {"fake_model": _Model()}
    monkeypatch.setitem(sys.modules, "gametheory.designs", designs)
    monkeypatch.setitem(sys.modules, "gametheory.models", models)


def test_cli_resolves_designs_and_models(fakes, tmp_path: Path) -> None:
    r = run("solve", "fake_design", "--set", "bonus=4")
    assert r.exit_code == 0 and "phase: compliance dominant" in r.output
    r = run("solve", "fake_model", "--set", "x=3")
    assert r.exit_code == 0 and "double: 6.0" in r.output
    r = run("solve", "fake_model", "--instrument", "sanction")
    assert r.exit_code == 2 and "is a model" in r.output
    r = run("sweep", "fake_model", "--grid", "x=0:1:5", "--out", str(tmp_path))
    assert r.exit_code == 0, r.output
    assert pd.read_csv(tmp_path / "sweep.csv")["double"].tolist() == [0, 0.5, 1, 1.5, 2]
    assert (tmp_path / "sweep_plot.png").exists()
    r = run("sweep", "fake_design", "--grid", "bonus=0:4:3", "--out", str(tmp_path / "d"))
    assert r.exit_code == 0, r.output
    assert pd.read_csv(tmp_path / "d" / "sweep.csv")["phase"].iloc[-1] == "compliance dominant"


def test_cli_without_optional_registries(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "gametheory.designs", None)
    monkeypatch.setitem(sys.modules, "gametheory.models", None)
    r = run("solve", "fake_design")
    assert r.exit_code == 2
    assert r.output.strip() == (
        "error: unknown game, design or model 'fake_design'; known: assurance, "
        "prisoners_dilemma, race_to_the_bottom, stag_hunt"
    )


@pytest.mark.parametrize(
    "instruments", ['{"type": "sanction"}', '["sanction"]', "[1, 2]", '"sanction"']
)
def test_instruments_in_a_file_must_be_tables(tmp_path: Path, instruments: str) -> None:
    path = tmp_path / "game.json"
    path.write_text(f'{{"family": "stag_hunt", "instruments": {instruments}}}')
    r = run("solve", "--file", str(path))
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert r.output.strip() == (
        f"error: {path}: instruments must be a list of tables, each with a type "
        '(e.g. [[instruments]] type = "sanction")'
    )


def test_solve_degenerate_larger_game_lists_every_isolated_equilibrium(tmp_path: Path) -> None:
    path = tmp_path / "game.json"
    path.write_text(
        json.dumps({"A": [[0, 1, 2], [0, 0, 0]], "B": [[0, 0.5, -0.5], [0, -0.5, 0.5]]})
    )
    r = run("solve", "--file", str(path), "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["degenerate"] is True and "every support pair checked" in data["note"]
    assert data["equilibria"] == [
        {"row": [1.0, 0.0], "col": [0.0, 1.0, 0.0]},
        {"row": [0.5, 0.5], "col": [1.0, 0.0, 0.0]},
    ]


def test_solve_reports_equilibria_nashpy_missed(tmp_path: Path) -> None:
    path = tmp_path / "g34.toml"
    path.write_text(
        "A = [[-1, -1, -1, 0], [0, -1, 0, -1], [1, 0, -1, -1]]\n"
        "B = [[0, 0, 1, 0], [-1, 0, -1, 1], [0, 1, 0, -1]]\n"
    )
    r = run("solve", "--file", str(path))
    assert r.exit_code == 0, r.output
    assert "equilibria (support): 3" in r.output
    assert "(comply 0.5, defect1 0.3333, defect2 0.1667)" in r.output
    assert "note: nashpy missed 1 equilibrium (rounding)" in r.output


# -- models: string parameters, JSON, boolean results, invalid cells --------------------


def test_solve_model_takes_string_parameters() -> None:
    from gametheory.models import MODELS

    r = run("solve", "moran", "--set", "rule=moran", "--set", "Z=30", "--json")
    assert r.exit_code == 0, r.output
    got = json.loads(r.output)
    want = MODELS["moran"].evaluate(rule="moran", Z=30)
    assert got["fixation_C"] == pytest.approx(want["fixation_C"], rel=1e-12)
    assert got["fixation_D"] == pytest.approx(want["fixation_D"], rel=1e-12)
    assert got["fixation_D"] != pytest.approx(MODELS["moran"].evaluate()["fixation_D"])


def test_solve_model_bad_string_parameter_is_one_line() -> None:
    r = run("solve", "moran", "--set", "Z=many")
    assert r.exit_code == 2
    assert r.output.strip().startswith("error:") and "'Z'" in r.output


def test_solve_game_parameter_still_must_be_a_number() -> None:
    r = run("solve", "stag_hunt", "--set", "stag=high")
    assert r.exit_code == 2 and "not a number" in r.output


def test_jsonable_writes_nan_as_null() -> None:
    import numpy as np

    from enforcement_lab.cli.solve import _jsonable

    text = json.dumps(_jsonable({"a": float("nan"), "b": np.float64("nan"), "c": np.inf}))
    assert json.loads(text) == {"a": None, "b": None, "c": "inf"}


def test_sweep_model_with_boolean_result_plots(tmp_path: Path) -> None:
    from gametheory.models import MODELS

    out = MODELS["facility_sanctions"].evaluate()
    flag = next(k for k, v in out.items() if isinstance(v, bool))
    key = next(k for k, v in MODELS["facility_sanctions"].defaults.items() if isinstance(v, float))
    r = run("sweep", "facility_sanctions", "--grid", f"{key}=0:2:3", "--plot", flag,
            "--out", str(tmp_path))  # fmt: skip
    assert r.exit_code == 0, r.output
    assert (tmp_path / "sweep_plot.png").stat().st_size > 0


def test_sweep_model_records_invalid_cells(tmp_path: Path) -> None:
    r = run("sweep", "n_player_threshold", "--grid", "N=2,4,8", "--grid", "M=3,6",
            "--out", str(tmp_path))  # fmt: skip
    assert r.exit_code == 0, r.output
    frame = pd.read_csv(tmp_path / "sweep.csv")
    bad = frame["M"] > frame["N"]
    assert bad.sum() == 3
    assert frame.loc[bad, "invalid"].str.contains("M must be").all()
    assert frame.loc[~bad, "invalid"].isna().all()
    assert frame.loc[~bad, "threshold_M"].tolist() == frame.loc[~bad, "M"].tolist()


def test_sweep_model_every_cell_invalid_is_an_error(tmp_path: Path) -> None:
    r = run("sweep", "n_player_threshold", "--grid", "N=2,3", "--grid", "M=6",
            "--out", str(tmp_path))  # fmt: skip
    assert r.exit_code == 2
    assert "every cell of the grid is invalid" in r.output
