"""Sweeps: grid evaluation (vectorised and per-cell paths agree), routing, resolver, phase diagrams."""

from __future__ import annotations

import sys
import types
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest

from enforcement_lab.errors import InvalidGameError
from gametheory.designs import DESIGNS
from gametheory.games import FAMILIES, stag_hunt
from gametheory.instruments import ConditionalBenefit, Sanction
from gametheory.selection import PHASES, phase
from gametheory.sweep import known_names, phase_diagram, resolve, sweep


def test_frame_layout_and_values() -> None:
    frame = sweep(
        "stag_hunt",
        {"probability": [0.0, 0.5, 1.0], "size": [0.0, 4.0]},
        instruments=[Sanction()],
    )
    assert len(frame) == 6
    assert list(frame.columns[:2]) == ["probability", "size"]
    for col in (
        "n_equilibria",
        "degenerate",
        "continuum",
        "game_class",
        "risk_dominant",
        "q_star_row",
        "phase",
    ):
        assert col in frame.columns
    row = frame[(frame.probability == 1.0) & (frame["size"] == 4.0)].iloc[0]
    assert row.phase == "compliance dominant" and row.n_equilibria == 1
    base = frame[(frame.probability == 0.0)].iloc[0]
    assert base.game_class == "stag_hunt" and base.risk_dominant == "defect"
    assert base.q_star_row == 0.75 and base.basin_row == 0.25
    mid = frame[(frame.probability == 0.5) & (frame["size"] == 4.0)].iloc[0]  # p*s = 2
    assert mid.phase == "compliance risk-dominant" and mid.risk_dominant == "comply"
    assert frame.attrs["target"] == "stag_hunt" and "001_" in frame.attrs["citation"]


def test_vectorised_and_per_cell_paths_agree() -> None:
    grid = {
        "hare": np.linspace(1, 5, 9),
        "sucker": np.linspace(-2, 3, 11),
        "probability": [0.2, 0.9],
        "value": [0.0, 1.5],
    }
    instruments = [Sanction(size=2.0), ConditionalBenefit(players="row")]
    fast = sweep(FAMILIES["stag_hunt"], grid, fixed={"stag": 4.0}, instruments=instruments)

    def factory(**params):  # a plain callable: built and adjusted one cell at a time
        return stag_hunt(**params)

    slow = sweep(factory, grid, fixed={"stag": 4.0}, instruments=instruments)
    cols = [c for c in fast.columns]
    pd.testing.assert_frame_equal(
        fast[cols].reset_index(drop=True), slow[cols].reset_index(drop=True)
    )


def test_grid_routing_errors() -> None:
    with pytest.raises(InvalidGameError, match="neither a game parameter nor an instrument field"):
        sweep("stag_hunt", {"severity": [1.0]}, instruments=[Sanction()])
    with pytest.raises(InvalidGameError, match="matches several instruments"):
        sweep(
            "stag_hunt", {"probability": [1.0]}, instruments=[Sanction(), Sanction(players="row")]
        )
    frame = sweep(
        "stag_hunt",
        {"sanction.size": [0.0, 5.0]},
        instruments=[Sanction(probability=1.0), ConditionalBenefit(value=0.0)],
    )
    assert frame["phase"].tolist() == ["coordination", "compliance dominant"]
    with pytest.raises(InvalidGameError, match="empty"):
        sweep("stag_hunt", {})
    with pytest.raises(InvalidGameError, match="not all finite"):
        sweep("stag_hunt", {"hare": [1.0, np.nan]})
    with pytest.raises(InvalidGameError, match="more than the limit"):
        sweep("stag_hunt", {"hare": np.zeros(3000), "stag": np.zeros(3000)})
    with pytest.raises(InvalidGameError, match=r"must be <= 1\.0"):
        sweep("stag_hunt", {"probability": [0.5, 1.5]}, instruments=[Sanction(size=1.0)])


def test_large_sweep_is_vectorised() -> None:
    frame = sweep(
        "stag_hunt",
        {"probability": np.linspace(0, 1, 1000), "size": np.linspace(0, 6, 400)},
        instruments=[Sanction()],
    )
    assert len(frame) == 400_000
    ps = frame["probability"] * frame["size"]
    share_dominant = (frame["phase_code"] == 3).mean()
    assert share_dominant == pytest.approx((ps > 3).mean(), abs=2e-3)


# -- resolver with fake registries -------------------------------------------------------


class FakeDesign:
    defaults: ClassVar[dict] = {"bonus": 1.0}
    ranges: ClassVar[dict] = {"bonus": (0.0, 4.0)}
    citation = "fake design"

    def game(self, bonus: float = 1.0):
        return stag_hunt().adjust(ConditionalBenefit(bonus))


class FakeModel:
    defaults: ClassVar[dict] = {"x": 1.0}
    citation = "fake model"

    def evaluate(self, x: float = 1.0) -> dict[str, float]:
        return {"double": 2 * x, "square": x * x}


@pytest.fixture
def fake_registries(monkeypatch):
    designs = types.ModuleType("gametheory.designs")
    designs.DESIGNS = {
        "cambodia_like": FakeDesign(),
        "stag_hunt": FakeDesign(),
        "both": FakeDesign(),
    }
    models = types.ModuleType("gametheory.models")
    models.MODELS = {"doubler": FakeModel(), "both": FakeModel()}
    monkeypatch.setitem(sys.modules, "gametheory.designs", designs)
    monkeypatch.setitem(sys.modules, "gametheory.models", models)
    return designs, models


def test_resolver_order(fake_registries) -> None:
    assert resolve("stag_hunt") is FAMILIES["stag_hunt"]  # families first
    assert isinstance(resolve("cambodia_like"), FakeDesign)
    assert isinstance(resolve("both"), FakeDesign)  # designs before models
    assert isinstance(resolve("doubler"), FakeModel)
    with pytest.raises(
        InvalidGameError,
        match=r"unknown game, design or model 'nope'; known: .*cambodia_like.*doubler",
    ):
        resolve("nope")


def test_resolver_skips_missing_modules(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "gametheory.designs", None)  # import fails: not built yet
    monkeypatch.setitem(sys.modules, "gametheory.models", None)
    assert known_names() == {name: "family" for name in FAMILIES}
    with pytest.raises(InvalidGameError, match="known: assurance, prisoners_dilemma"):
        resolve("cambodia_like")


def test_sweep_design_and_model(fake_registries) -> None:
    frame = sweep("cambodia_like", {"bonus": [0.0, 2.0, 4.0]})
    assert frame["phase"].tolist() == [
        "coordination",
        "compliance risk-dominant",
        "compliance dominant",
    ]
    model = sweep("doubler", {"x": [1.0, 3.0]})
    assert model["double"].tolist() == [2.0, 6.0] and model.attrs["kind"] == "model"


# -- phase diagram ----------------------------------------------------------------------------


def test_phase_diagram_figure() -> None:
    frame = sweep(
        "stag_hunt",
        {"probability": np.linspace(0, 1, 21), "size": np.linspace(0, 6, 31)},
        instruments=[Sanction()],
    )
    fig = phase_diagram(frame)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "probability" and ax.get_ylabel() == "size"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [p for p in PHASES if p in set(frame["phase"])]
    one_d = sweep("stag_hunt", {"size": np.linspace(0, 6, 13)}, instruments=[Sanction()])
    assert phase_diagram(one_d).axes[0].get_xlabel() == "size"
    three = sweep(
        "stag_hunt",
        {"probability": [0.5, 1], "size": [1, 2], "hare": [2, 3]},
        instruments=[Sanction()],
    )
    with pytest.raises(InvalidGameError, match="vary too"):
        phase_diagram(three)
    assert phase_diagram(three[three.hare == 2], "probability", "size").axes


@pytest.mark.parametrize("side", [37, 200, 700])
def test_phase_diagram_image_holds_the_codes_and_colours_them_exactly(side: int) -> None:
    # the image resamples the phase codes and colours the pixels afterwards, by
    # arithmetic; that must draw the picture of the obvious way (each cell coloured by
    # the bin its code falls in, then the colours resampled), whether the grid is up- or
    # down-sampled, and with cells missing (left blank)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import BoundaryNorm

    grid = {"probability": np.linspace(0, 1, side), "size": np.linspace(0, 6, side)}
    frame = sweep("stag_hunt", grid, instruments=[Sanction()])
    z = frame["phase_code"].to_numpy().reshape(side, side).T  # size up, probability across
    assert np.array_equal(phase_diagram(frame).axes[0].images[0].get_array(), z)
    holes = frame.drop(index=frame.index[::11])  # 11 divides no side: no value left out
    for data in (frame, holes):
        pictures = []
        for obvious in (False, True):
            fig = phase_diagram(data)
            if obvious:
                image = fig.axes[0].images[0]
                image.set_norm(BoundaryNorm(np.arange(-0.5, len(PHASES) + 0.5), len(PHASES)))
                image.set_interpolation_stage("rgba")
            canvas = FigureCanvasAgg(fig)
            canvas.draw()
            pictures.append(np.asarray(canvas.buffer_rgba()))
        assert np.array_equal(pictures[0], pictures[1])
    blank = np.ma.getmaskarray(phase_diagram(holes).axes[0].images[0].get_array())
    assert blank.sum() == len(frame) - len(holes)


def test_names_shared_by_the_game_and_an_instrument_must_be_qualified() -> None:
    # race_to_the_bottom has a parameter "value", and so does a conditional benefit
    with pytest.raises(
        InvalidGameError,
        match=r"'value' is both a game parameter and a field of benefit; "
        r"write 'game.value' or 'benefit.value'",
    ):
        sweep("race_to_the_bottom", {"value": [1.0, 5.0]}, instruments=[ConditionalBenefit(2.0)])
    # the game's value: (comply, comply) pays value - cost, an equilibrium once it beats gain 3
    game = sweep(
        "race_to_the_bottom",
        {"game.value": [1.0, 5.0]},
        instruments=[ConditionalBenefit(0.5)],
    )
    assert game["comply_equilibrium"].tolist() == [False, True]
    # the benefit's value: shift 2.5 >= 1, the (comply, comply) deficit of the default game
    benefit = sweep(
        "race_to_the_bottom",
        {"benefit.value": [0.5, 2.5]},
        instruments=[ConditionalBenefit()],
    )
    assert benefit["comply_equilibrium"].tolist() == [False, True]
    assert list(benefit.columns[:1]) == ["benefit.value"]
    with pytest.raises(InvalidGameError, match="the game has no parameter 'bonus'"):
        sweep("race_to_the_bottom", {"game.bonus": [1.0]})

    def factory(**params):  # a plain callable: "game." forces a game parameter
        return FAMILIES["race_to_the_bottom"].game(**params)

    slow = sweep(factory, {"game.value": [1.0, 5.0]}, instruments=[ConditionalBenefit(0.5)])
    assert slow["comply_equilibrium"].tolist() == [False, True]


@pytest.mark.parametrize("name", sorted(DESIGNS))
def test_design_sweep_is_vectorised_and_equals_each_cells_game(name):
    """A design's cells are built by its broadcasting ``arrays`` (not one game per cell)
    and give exactly the payoffs of ``design.game`` at every cell."""
    design = DESIGNS[name]
    keys = [design.lever, "s"] if design.lever and design.lever != "s" else ["s", "h"]
    lo = {k: design.ranges.get(k, (0.0, 2.0 * design.defaults[k] + 1.0)) for k in keys}
    grid = {k: np.linspace(lo[k][0], lo[k][1], 7) for k in keys}
    frame = sweep(name, grid)
    for _, row in frame.sample(12, random_state=0).iterrows():
        game = design.game(**{k: float(row[k]) for k in keys})
        assert row["phase"] == phase(game), (name, dict(row[keys]))


def test_model_diagram_draws_one_result_column() -> None:
    from gametheory.models import MODELS
    from gametheory.sweep import model_diagram

    model = MODELS["facility_sanctions"]
    key = next(k for k, v in model.defaults.items() if isinstance(v, float))
    line = sweep(model, {key: [0.0, 1.0, 2.0]})
    fig = model_diagram(line)
    (ax,) = fig.axes
    column = ax.get_ylabel()
    assert ax.get_xlabel() == key and column in line.columns
    assert ax.lines[0].get_ydata().tolist() == line.sort_values(key)[column].astype(float).tolist()
    with pytest.raises(InvalidGameError, match="no numeric result column to plot"):
        model_diagram(line, column="nope")
