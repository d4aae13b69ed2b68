"""The catalogue of models by name: values against the closed forms, and the real CLI.

``tests/test_cli_solve_sweep.py`` checks the CLI's name resolution with fake registries;
here every real design of :data:`gametheory.designs.DESIGNS` and every real model of
:data:`gametheory.models.MODELS` goes through ``enforcement-lab solve`` and ``sweep``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from enforcement_lab.cli import app
from enforcement_lab.errors import InvalidGameError
from gametheory import sequential
from gametheory.designs import DESIGNS
from gametheory.models import MODELS
from gametheory.nplayer import banks_tipping_share
from gametheory.sweep import sweep_model

RNG = np.random.default_rng(17)
runner = CliRunner()


def _sweep_key(name: str) -> tuple[str, str]:
    """A float parameter of model ``name`` and two grid values for it."""
    defaults = MODELS[name].defaults
    key = next(k for k, v in defaults.items() if isinstance(v, float))
    v = float(defaults[key])
    return key, f"{v:g},{v * 0.9 + 0.05:g}"


# --- every design and model by name through the CLI --------------------------------------


@pytest.mark.parametrize("name", sorted(DESIGNS))
def test_cli_solves_and_sweeps_every_design(name: str, tmp_path: Path) -> None:
    r = runner.invoke(app, ["solve", name, "--json"])
    assert r.exit_code == 0, r.output
    report = json.loads(r.output)
    np.testing.assert_allclose(report["A"], DESIGNS[name].game().A)
    d = DESIGNS[name]
    lo, hi = d.ranges[d.lever]
    r = runner.invoke(
        app, ["sweep", name, "--grid", f"{d.lever}={lo}:{hi}:3", "--out", str(tmp_path)]
    )
    assert r.exit_code == 0, r.output
    frame = pd.read_csv(tmp_path / "sweep.csv")
    assert len(frame) == 3 and "phase" in frame.columns
    assert (tmp_path / "phase_diagram.png").stat().st_size > 0


@pytest.mark.parametrize("name", sorted(MODELS))
def test_cli_solves_and_sweeps_every_model(name: str, tmp_path: Path) -> None:
    r = runner.invoke(app, ["solve", name, "--json"])
    assert r.exit_code == 0, r.output
    printed = json.loads(r.output)
    expected = MODELS[name].evaluate()
    assert set(printed) == set(expected)
    for k, v in expected.items():
        if isinstance(v, float) and not np.isfinite(v):
            continue
        assert printed[k] == (pytest.approx(v) if isinstance(v, float) else v), (name, k)
    key, values = _sweep_key(name)
    r = runner.invoke(app, ["sweep", name, "--grid", f"{key}={values}", "--out", str(tmp_path)])
    assert r.exit_code == 0, (name, r.output)
    frame = pd.read_csv(tmp_path / "sweep.csv")
    assert len(frame) == 2 and set(expected) <= set(frame.columns)
    assert (tmp_path / "sweep_plot.png").stat().st_size > 0


def test_model_results_do_not_shadow_parameters():
    """A sweep puts parameters and results side by side; equal names would collide."""
    for name, m in MODELS.items():
        assert not set(m.evaluate()) & set(m.defaults), name


# --- model values ------------------------------------------------------------------------


def test_threshold_defaults_to_unanimity_so_group_size_can_be_swept():
    frame = sweep_model(MODELS["n_player_threshold"], {"N": np.arange(2, 13)})
    assert frame["threshold_M"].tolist() == list(range(2, 13))
    closed = [banks_tipping_share(n, 4.0, 4.0, 3.0) for n in range(2, 13)]
    np.testing.assert_allclose(frame["lowest_interior_rest_point"], closed, atol=1e-9)
    np.testing.assert_allclose(frame["compliance_basin"], 1 - np.array(closed), atol=1e-9)
    assert MODELS["n_player_threshold"].evaluate(N=5, M=3)["threshold_M"] == 3
    with pytest.raises(InvalidGameError, match="M must"):
        MODELS["n_player_threshold"].evaluate(N=3, M=4)
    moran = sweep_model(MODELS["moran"], {"N": [2, 3, 4]}, fixed={"Z": 12})
    assert moran["fixation_C"].notna().all()


def test_taking_steps_sanction_thresholds_are_the_switch_points():
    model = MODELS["taking_steps"]
    for _ in range(300):
        cr = float(RNG.uniform(0.1, 5))
        cc = float(RNG.uniform(0, 1.2 * cr))
        p = float(RNG.uniform(0.05, 1))
        psi = float(RNG.choice([RNG.uniform(0, 0.95), 1.0]))
        out = model.evaluate(cost_real=cr, cost_cosmetic=cc, review_probability=p, steps_credit=psi)
        for rule, credit in (("steps", psi), ("actual", 0.0)):
            s_star = out[f"sanction_needed_{rule}_rule"]

            def real(s, rule=rule, credit=credit, cr=cr, cc=cc, p=p):
                kw = {"cost_real": cr, "cost_cosmetic": cc, "review_probability": p}
                choice = sequential.taking_steps(sanction=s, steps_credit=credit, rule=rule, **kw)
                return choice["choice"] == "real"

            if np.isinf(s_star):
                assert rule == "steps" and psi == 1.0 and cc < cr
                assert not real(1e12)
            else:
                assert real(s_star * (1 + 1e-9)) and not real(s_star * (1 - 1e-6))
        assert out["sanction_needed_actual_rule"] == pytest.approx(cr / p)
        assert out["sanction_needed_steps_rule"] >= out["sanction_needed_actual_rule"]
    # the costs are those of sequential.taking_steps
    out = model.evaluate()
    r = sequential.taking_steps(cost_real=3.0, cost_cosmetic=0.2, sanction=5.0)
    assert out["expected_cost_cosmetic_steps_rule"] == r["cost_cosmetic"]
    assert out["expected_cost_none"] == r["cost_none"]


def test_evolutionary_dynamics_tip_at_the_mixed_equilibrium():
    model = MODELS["evolutionary_dynamics"]
    for _ in range(8):
        s, h = RNG.uniform(2, 6), RNG.uniform(1, 4)
        l_ = RNG.uniform(0.5, 5)
        if not (s > h + 0.2 and h > s - l_ + 0.2):
            continue
        q = (h - s + l_) / l_
        for x0, expected in ((q - 0.05, 0.0), (q + 0.05, 1.0)):
            if not 0 < x0 < 1:
                continue
            out = model.evaluate(s=s, h=h, l=l_, x0=x0, y0=x0, t_max=80.0)
            assert out["q_star"] == pytest.approx(q)
            for rule in ("replicator", "best_response"):
                assert out[f"{rule}_x"] == pytest.approx(expected, abs=1e-6), (rule, x0, q)
                assert out[f"{rule}_y"] == pytest.approx(out[f"{rule}_x"])
            # the logit end state is a logit quantal-response equilibrium
            beta = 5.0
            x = out["logit_x"]
            d = (s - h) * x + (s - l_ - h) * (1 - x)
            assert x == pytest.approx(1 / (1 + np.exp(-beta * d)), abs=1e-6)
    with pytest.raises(InvalidGameError, match="x0"):
        model.evaluate(x0=1.5)


def test_peer_contagion_spreads_iff_compliance_is_risk_dominant():
    model = MODELS["peer_contagion"]
    seen = set()
    for _ in range(40):
        s, h = RNG.uniform(2, 6), RNG.uniform(1, 4)
        l_, g = RNG.uniform(0.5, 5), RNG.uniform(0, 0.4)
        if not (s > h + g + 0.1 and h > s - l_ + 0.1 and l_ > g):
            continue
        q = (h - s + l_) / (l_ - g)
        if abs(q - 0.5) < 1e-6:
            continue
        out = model.evaluate(s=s, h=h, l=l_, g=g, n=60, k=2, seed_size=3)
        assert out["q_star"] == pytest.approx(q)
        assert out["spreads"] == (q < 0.5)  # Morris (2000): the ring's threshold is 1/2
        seen.add(out["spreads"])
    assert seen == {True, False}
    with pytest.raises(InvalidGameError, match="l > g"):
        model.evaluate(l=1.0, g=2.0)
