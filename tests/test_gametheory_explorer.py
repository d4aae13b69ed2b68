"""The interactive explorer: driven through its widgets, checked against sweep()."""

from __future__ import annotations

import numpy as np
import pytest

from enforcement_lab.errors import InvalidGameError
from gametheory import Sanction, designs, stag_hunt
from gametheory.explorer import STATIC_ENV, explore
from gametheory.sweep import sweep


@pytest.mark.parametrize("name", sorted(designs.DESIGNS))
def test_every_design_explores_and_its_widgets_drive_it(name):
    ex = explore(name, resolution=12)
    view = ex.widget
    sliders = ex._parts["sliders"]
    assert set(sliders) == set(designs.get(name).defaults)
    before_png, before_game = ex._parts["figure"].value, ex._parts["game"].value
    x = ex.axes[0]
    s = ex.sliders[x]
    sliders[x].value = s.low + 0.73 * (s.high - s.low)  # as a user dragging the slider
    assert ex.values[x] == pytest.approx(sliders[x].value)
    assert ex._parts["figure"].value != before_png  # the marker moved
    assert ex.last_redraw_seconds > 0
    other = next(k for k in sliders if k not in ex.axes)
    sliders[other].value = ex.sliders[other].low
    game = designs.get(name).game(**ex.values)
    np.testing.assert_allclose(ex.game().A, game.A)
    np.testing.assert_allclose(ex.game().B, game.B)
    assert ex._parts["game"].value != before_game or np.allclose(game.A, designs.get(name).game().A)
    assert view.children  # a real ipywidgets container


@pytest.mark.parametrize("name", ["us_gsp_taking_steps", "peru_fta_existing", "ilo_supervision"])
def test_phase_grid_equals_sweep(name):
    ex = explore(name, resolution=15)
    xs, ys = ex.grid()
    fixed = {k: v for k, v in ex.values.items() if k not in ex.axes}
    frame = sweep(name, {ex.axes[0]: xs, ex.axes[1]: ys}, fixed=fixed)
    expected = (
        frame.pivot_table(index=ex.axes[1], columns=ex.axes[0], values="phase_code")
        .reindex(index=ys, columns=xs)
        .to_numpy()
    )
    np.testing.assert_array_equal(ex.phase_grid(), expected)


def test_instruments_become_parameters_and_match_adjust():
    ex = explore(
        "stag_hunt",
        instruments=[Sanction(probability=0.5, size=4)],
        grid={"sanction.probability": (0, 1), "sanction.size": (0, 8)},
        resolution=10,
    )
    ex.update(**{"sanction.probability": 0.25, "sanction.size": 6.0, "stag": 5.0})
    expected = stag_hunt(stag=5, hare=3, sucker=0).adjust(Sanction(probability=0.25, size=6))
    np.testing.assert_allclose(ex.game().A, expected.A)
    xs, ys = ex.grid()
    frame = sweep(
        "stag_hunt",
        {"sanction.probability": xs, "sanction.size": ys},
        fixed={"stag": 5.0},
        instruments=[Sanction(probability=0.5, size=4)],
    )
    got = ex.phase_grid()
    want = (
        frame.pivot_table(
            index="sanction.size", columns="sanction.probability", values="phase_code"
        )
        .reindex(index=ys, columns=xs)
        .to_numpy()
    )
    np.testing.assert_array_equal(got, want)


def test_user_factory():
    def factory(stag: float = 4.0, hare: float = 3.0):
        return stag_hunt(stag=stag, hare=hare, sucker=0.0)

    ex = explore(factory, grid=("stag", "hare"), resolution=8)
    assert ex.phase_grid().shape == (8, 8)
    ex.update(stag=6.0)
    assert ex.game().A[0, 0] == 6.0


def test_static_without_a_live_kernel(monkeypatch):
    monkeypatch.setenv(STATIC_ENV, "1")
    bundle = explore("ilo_supervision", resolution=8)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" not in bundle
    html = bundle["text/html"]
    assert "live Jupyter kernel" in html and "data:image/png;base64," in html
    assert 'class="el-game"' in html


def test_live_bundle_is_a_widget(monkeypatch):
    monkeypatch.delenv(STATIC_ENV, raising=False)
    bundle = explore("ilo_supervision", resolution=8)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"grid": {"nope": (0, 1)}}, "not a parameter"),
        ({"grid": ("s", "s")}, "must differ"),
        ({"grid": {"s": (3, 1)}}, "low < high"),
        ({"resolution": 1}, "resolution"),
        ({"nope": 1.0}, "unknown parameter"),
    ],
)
def test_bad_requests_are_named(kwargs, message):
    with pytest.raises(InvalidGameError, match=message):
        explore("ilo_supervision", **kwargs)


def test_blitted_redraw_equals_a_full_draw():
    """Restoring the background and drawing only what moves gives the picture of a full
    draw (up to anti-aliasing where the right panel's tick marks meet its image)."""
    ex = explore("usmca_rapid_response", resolution=40)
    x = ex.axes[0]
    other = next(k for k in ex.sliders if k not in ex.axes)
    s, o = ex.sliders[x], ex.sliders[other]
    for k in range(4):
        ex.update(**{x: s.low + (s.high - s.low) * k / 4})
        ex.update(**{other: o.low + (o.high - o.low) * (k + 1) / 5})
    fig = ex.figure()
    blitted = np.asarray(fig.canvas.buffer_rgba()).astype(int)
    fig.canvas.draw()
    full = np.asarray(fig.canvas.buffer_rgba()).astype(int)
    differs = np.any(blitted != full, axis=-1)
    assert differs.mean() < 1e-4
    assert np.abs(blitted - full).max() <= 16
    assert ex.png()[:4] == b"\x89PNG"
