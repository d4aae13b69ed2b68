"""``gametheory.report``: the report of one solved game, against the functions it gathers."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from gametheory import selection
from gametheory.games import bimatrix, stag_hunt
from gametheory.instruments import Sanction
from gametheory.report import game_report
from gametheory.solve import equilibria
from gametheory.thresholds import compliance_thresholds


@pytest.mark.parametrize("seed", range(40))
def test_report_of_a_random_2x2_game_equals_the_functions_it_gathers(seed: int) -> None:
    rng = np.random.default_rng(seed)
    game = bimatrix(rng.integers(-3, 4, (2, 2)), rng.integers(-3, 4, (2, 2)))
    sanction = Sanction(probability=float(rng.uniform()), size=float(rng.uniform(0, 3)))
    r = game_report(game, [sanction])
    adjusted = game.adjust(sanction)
    assert r.game == adjusted and r.instruments == (sanction,)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a degenerate game: the report carries the note
        eq = equilibria(adjusted)
    assert r.equilibria.degenerate == eq.degenerate and r.equilibria.note == eq.note
    assert len(r.equilibria) == len(eq)
    for (x, y), (u, v) in zip(r.equilibria, eq, strict=True):
        assert np.array_equal(x, u) and np.array_equal(y, v)
    assert r.classification == selection.classify(adjusted)
    assert r.phase == selection.phase(adjusted)
    assert r.risk_dominant == selection.risk_dominant(adjusted)
    assert r.payoff_dominant == selection.payoff_dominant(adjusted)
    assert r.q_star == (
        selection.mixed_threshold(adjusted, "row"),
        selection.mixed_threshold(adjusted, "column"),
    )
    assert r.thresholds == compliance_thresholds(adjusted)
    assert r.thresholds_before_instruments == compliance_thresholds(game)
    d = r.to_dict()
    assert d["basin_of_compliance"] == [
        selection.basin_of_compliance(adjusted, "row"),
        selection.basin_of_compliance(adjusted, "column"),
    ]
    json.dumps(d, allow_nan=True)  # plain values only


def test_stag_hunt_report_text_names_the_known_results() -> None:
    text = game_report(stag_hunt()).to_text("stag_hunt")
    assert text.splitlines()[0].startswith("game: stag_hunt  [001_")
    assert "equilibria (support): 3" in text
    assert "  row (stag 0.75, hare 0.25) | column (stag 0.75, hare 0.25)" in text
    assert "risk dominant: hare/hare" in text and "payoff dominant: stag/stag" in text
    assert "equilibrium -1, risk-dominant 1, dominant 3" in text
    assert "before the instruments" not in text


def test_larger_game_has_equilibria_only() -> None:
    game = bimatrix([[0, 1, 2], [0, 0, 0]], [[0, 0.5, -0.5], [0, -0.5, 0.5]])
    r = game_report(game)
    assert r.classification is None and r.q_star is None
    assert "class" not in r.to_dict() and r.to_dict()["degenerate"] is True
    assert "class:" not in r.to_text("g")
