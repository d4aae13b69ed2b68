"""HTML displays of games, equilibria, designs and instruments, checked on parsed HTML."""

from __future__ import annotations

from html.parser import HTMLParser

import numpy as np
import pytest

from gametheory import Sanction, designs, equilibria, equilibria_2x2, stag_hunt
from gametheory.games import bimatrix


class _Tables(HTMLParser):
    """Collects every table as a list of rows of cell texts, plus captions and classes."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"class": dict(attrs).get("class"), "rows": [], "caption": ""})
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "caption":
            self._caption = True

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["rows"][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "caption":
            self._caption = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption:
            self.tables[-1]["caption"] += data


def parse(html: str) -> list[dict]:
    p = _Tables()
    p.feed(html)
    p.close()
    return p.tables


def test_game_marks_equilibria_and_risk_dominance():
    g = stag_hunt(stag=4, hare=3, sucker=0)  # Banks-Hyde: (hare, hare) risk dominant
    (t,) = parse(g._repr_html_())
    assert t["class"] == "el-game"
    header, row_stag, row_hare = t["rows"]
    assert header == ["", "stag", "hare"]
    assert row_stag == ["stag", "4, 4 ★ PD", "0, 3"]
    assert row_hare == ["hare", "3, 0", "3, 3 ★ RD"]
    assert "stag = 4" in t["caption"] and "None" not in t["caption"]


def test_game_with_sanction_moves_risk_dominance():
    g = stag_hunt(stag=4, hare=3, sucker=0).adjust(Sanction(probability=0.5, size=4))
    rows = parse(g._repr_html_())[0]["rows"]
    assert rows[1][1].endswith("★ RD PD")  # (comply, comply) now risk and payoff dominant


def test_user_text_is_escaped():
    g = bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]], row_labels=("<b>", "y"), col_labels=("a", "b"))
    html = g._repr_html_()
    assert "<b><b></b>" not in html and "&lt;b&gt;" in html


def test_larger_game_marks_pure_equilibria_by_best_responses():
    rng = np.random.default_rng(3)
    for _ in range(50):
        A, B = rng.integers(0, 4, (3, 4)), rng.integers(0, 4, (3, 4))
        g = bimatrix(A, B)
        rows = parse(g._repr_html_())[0]["rows"][1:]
        marked = {(i, j) for i, r in enumerate(rows) for j, c in enumerate(r[1:]) if "★" in c}
        brute = {
            (i, j)
            for i in range(3)
            for j in range(4)
            if A[i, j] == A[:, j].max() and B[i, j] == B[i, :].max()
        }
        assert marked == brute


def test_equilibrium_set_table_lists_each_equilibrium():
    eqs = equilibria(stag_hunt(stag=4, hare=3, sucker=0))
    (t,) = parse(eqs._repr_html_())
    body = t["rows"][1:]
    assert len(body) == len(eqs) == 3
    assert sorted(r[-1] for r in body) == ["mixed", "pure", "pure"]
    assert t["caption"].startswith("3 equilibria")
    assert "EquilibriumSet(3 equilibria" in repr(eqs) and len(repr(eqs)) < 200


def test_equilibria_2x2_stack_is_summarised():
    rng = np.random.default_rng(0)
    res = equilibria_2x2(rng.normal(size=(100, 2, 2)), rng.normal(size=(100, 2, 2)))
    (t,) = parse(res._repr_html_())
    assert len(t["rows"]) == 1 + 20  # header + first 20 games
    assert [int(r[1]) for r in t["rows"][1:]] == res.count[:20].tolist()
    assert "100 games (first 20 shown)" in t["caption"]
    assert len(repr(res)) < 200


@pytest.mark.parametrize("name", sorted(designs.DESIGNS))
def test_every_design_has_a_display(name):
    d = designs.get(name)
    tables = parse(d._repr_html_())
    (params,) = tables
    assert [r[0] for r in params["rows"][1:]] == list(d.defaults)
    assert d.citation.split(";")[0].split(":")[0] in d._repr_html_()
    assert repr(d).startswith("Design(") and len(repr(d)) < 400


def test_instrument_display_shows_fields_and_shift():
    (t,) = parse(Sanction(probability=0.5, size=4)._repr_html_())
    cells = dict(t["rows"][1:])
    assert cells["probability"] == "0.5" and cells["size"] == "4"
    assert cells["net shift on compliance"] == "2"


def test_sweep_frame_summarises_grid_phases_and_draws_a_phase_map():
    import base64
    import io
    import re

    import matplotlib.image as mpimg
    from matplotlib.colors import to_rgb

    from gametheory.kernel2x2 import PHASES
    from gametheory.sweep import PHASE_COLORS, SweepFrame, sweep

    xs, ys = np.linspace(0, 1, 30), np.linspace(0, 8, 20)
    frame = sweep("usmca_rapid_response", {"rrm_probability": xs, "s": ys}, fixed={"h": 2.5})
    assert isinstance(frame, SweepFrame)
    html = frame._repr_html_()
    tables = {t["class"]: t for t in parse(html)}
    grid = tables["el-sweep-grid"]["rows"]
    assert grid[1:] == [["rrm_probability", "30", "0", "1"], ["s", "20", "0", "8"]]
    phases = tables["el-sweep-phases"]["rows"][1:]
    counts = frame["phase"].value_counts()
    assert [r[0] for r in phases] == list(PHASES)
    assert [int(r[1]) for r in phases] == [int(counts[p]) for p in PHASES]
    assert [r[2] for r in phases] == [f"{100 * counts[p] / 600:.1f}%" for p in PHASES]
    assert sum(int(r[1]) for r in phases) == 600 and len({r[1] for r in phases}) > 1
    assert "usmca_rapid_response" in html and "h = 2.5" in html
    assert "dataframe" in tables  # pandas' own table, folded under <details>
    # the thumbnail: one pixel per cell, x across and y up, in the phase colours
    png = base64.b64decode(re.search(r'class="el-sweep-map"[^>]*base64,([^"]+)', html)[1])
    rgb = mpimg.imread(io.BytesIO(png))[..., :3]
    assert rgb.shape == (20, 30, 3)
    codes = frame.pivot_table(index="s", columns="rrm_probability", values="phase_code")
    want = np.array([to_rgb(c) for c in PHASE_COLORS])[codes.to_numpy()[::-1].astype(int)]
    np.testing.assert_allclose(rgb, want, atol=1 / 255)
    # a slice summarises what it holds; without the phase codes, pandas' own table
    part = frame[frame.s <= 4]
    assert isinstance(part, SweepFrame)
    rows = {t["class"]: t for t in parse(part._repr_html_())}["el-sweep-phases"]["rows"][1:]
    assert sum(int(r[1]) for r in rows) == len(part) < 600
    plain = frame[["s", "phase"]]._repr_html_()
    assert "el-sweep" not in plain and 'class="dataframe"' in plain


def test_sweep_frame_display_escapes_and_handles_three_axes():
    from gametheory.sweep import sweep

    def factory(stag: float = 4.0, hare: float = 3.0, sucker: float = 0.0):
        return stag_hunt(stag=stag, hare=hare, sucker=sucker)

    factory.__name__ = "<mine>"
    frame = sweep(factory, {"stag": [3.0, 5.0], "hare": [2.0, 4.0], "sucker": [-1.0, 0.0]})
    html = frame._repr_html_()
    assert "&lt;mine&gt;" in html and "<mine>" not in html
    assert "el-sweep-map" not in html  # three varying axes: no thumbnail
    rows = {t["class"]: t for t in parse(html)}["el-sweep-phases"]["rows"][1:]
    assert sum(int(r[1]) for r in rows) == 8
