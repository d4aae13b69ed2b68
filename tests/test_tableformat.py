"""The one table writer: the same escaping, numbers and rules in every exported table."""

from __future__ import annotations

import re

import pandas as pd

from econometrics.results import EstimationResults
from econometrics.tables import compare
from enforcement_lab.tableformat import (
    format_value,
    frame_to_html,
    frame_to_latex,
    frame_to_markdown,
    tex_escape,
)


def test_format_value_fixed_and_missing() -> None:
    import numpy as np

    assert format_value(np.float64(1 / 3)) == "0.333"
    assert format_value(1 / 3, 5) == "0.33333"
    assert format_value(np.int64(7)) == "7"
    assert format_value(-1e-9) == "0.000"  # no negative zero
    assert format_value(pd.NA) == "" and format_value(float("nan")) == ""
    assert format_value(np.bool_(True)) == "yes"


def test_markdown_and_latex_tables() -> None:
    frame = pd.DataFrame({"design": ["GSP", "ILO_x"], "share": [0.5, 0.125], "n": [3, 4]})
    md = frame_to_markdown(frame, "Cap", ["note 1"], digits={"share": 2})
    assert md.splitlines()[2:6] == [
        "| design | share | n |",
        "|:---|---:|---:|",
        "| GSP | 0.50 | 3 |",
        "| ILO_x | 0.12 | 4 |",
    ]
    tex = frame_to_latex(frame, "Cap & more", "t1", ["50% of"])
    assert r"\caption{Cap \& more}" in tex and r"\label{tab:t1}" in tex
    assert r"ILO\_x & 0.125 & 4 \\" in tex and r"50\% of" in tex
    assert r"\begin{tabular}{lrr}" in tex


def _result(term: str) -> EstimationResults:
    return EstimationResults(
        pd.Series({term: 1.0}),
        pd.Series({term: 0.25}),
        50,
        "panel_ols",
        "clustered",
        outcome="y|z",
        notes=("a_b | c",),
    )


def test_regression_and_frame_tables_escape_alike() -> None:
    """A term with ``|``, ``_``, ``&``, ``%`` comes out the same in a regression table
    and a frame table, in Markdown and in LaTeX; both LaTeX tables are booktabs."""
    term = "a|b_c & 5%"
    reg = compare(_result(term), names=["m|1"])
    frame = pd.DataFrame({"m|1": [term]})
    md_reg, md_frame = reg.to_markdown(), frame_to_markdown(frame, "T")
    assert r"| a\|b_c & 5% | 1.000*** |" in md_reg and r"| a\|b_c & 5% |" in md_frame
    assert r"| term | m\|1 |" in md_reg and r"| m\|1 |" in md_frame  # headers escaped too
    assert r"| Outcome | y\|z |" in md_reg and "- m|1: a_b | c" in md_reg  # notes: prose
    tex_reg, tex_frame = reg.to_latex(caption="C_1"), frame_to_latex(frame, "C_1", "t")
    escaped = tex_escape(term)
    assert escaped == r"a|b\_c \& 5\%"
    assert escaped + r" & 1.000$^{***}$ \\" in tex_reg and escaped + r" \\" in tex_frame
    for tex in (tex_reg, tex_frame):
        assert r"\caption{C\_1}" in tex and r"\hline" not in tex
        rules = re.findall(r"\\(toprule|midrule|bottomrule)", tex)
        assert rules[0] == "toprule" and rules[-1] == "bottomrule"
    # the regression table's rule between coefficients and statistics, and its notes
    assert re.findall(r"\\(toprule|midrule|bottomrule)", tex_reg) == [
        "toprule",
        "midrule",
        "midrule",
        "bottomrule",
    ]
    assert r"a\_b | c" in tex_reg and r"$^{***}$ p<0.01" in tex_reg


def test_html_cells_are_escaped() -> None:
    htm = frame_to_html(pd.DataFrame({"<a>": ["x & y"]}), caption="T", notes=["n<1"])
    assert "<th>&lt;a&gt;</th>" in htm and "<td>x &amp; y</td>" in htm
    assert "<caption>T</caption>" in htm and "n&lt;1" in htm
    reg = compare(_result("<t>")).to_html()
    assert "<td>&lt;t&gt;</td>" in reg and reg.startswith('<table class="regression-table">')
