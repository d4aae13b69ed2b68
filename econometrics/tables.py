"""Side-by-side regression tables: coefficients, SEs in parentheses, stars, N, FE, clustering.

Why a small formatter instead of ``linearmodels.panel.compare``: that function accepts only
linearmodels results, while a table here mixes panel OLS with statsmodels ordered logit,
GLM and PHReg models; and it renders text/LaTeX through statsmodels' ``Summary`` without
Markdown or fixed-effect/clustering rows. Our formatter only lays out numbers that the wrapped
libraries computed (it does no estimation), so there is nothing to re-implement.

Examples
--------
>>> import pandas as pd
>>> from econometrics.results import EstimationResults
>>> a = EstimationResults(pd.Series({"x": 1.0}), pd.Series({"x": 0.25}), 50, "panel_ols",
...                       "clustered", effects=("entity",), cluster="entity")
>>> t = compare(a, names=["(1)"])
>>> print(t.to_markdown())
| term | (1) |
|---|---|
| x | 1.000*** |
|  | (0.250) |
| N | 50 |
| Entity FE | Yes |
| Time FE | No |
| Cluster | entity |
| Std. errors | clustered |
| Estimator | panel_ols |
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from econometrics.results import EstimationResults

#: LaTeX's special characters and their escapes (replaced in one pass).
_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "_": r"\_",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}

#: p-value thresholds and their stars.
STAR_LEVELS = ((0.01, "***"), (0.05, "**"), (0.10, "*"))


def _stars(p: float) -> str:
    for level, mark in STAR_LEVELS:
        if p < level:
            return mark
    return ""


@dataclass(frozen=True)
class ComparisonTable:
    """A formatted regression table (cells as strings) with exporters.

    Attributes
    ----------
    frame : DataFrame
        Rows: a coefficient row and an SE row per term, then ``N``, fixed effects,
        ``Cluster`` and ``Estimator``; columns: one per model.
    n_coef_rows : int
        Number of rows holding coefficients and SEs (for the rule before the footer).
    """

    frame: pd.DataFrame
    n_coef_rows: int

    def _rows(self) -> list[tuple[str, list[str]]]:
        return [
            (str(i), [str(v) for v in row])
            for i, row in zip(self.frame.index, self.frame.values, strict=True)
        ]

    def to_markdown(self) -> str:
        """The table as a GitHub-flavoured Markdown table."""
        cols = ["term", *map(str, self.frame.columns)]
        lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        lines += ["| " + " | ".join([k, *v]) + " |" for k, v in self._rows()]
        return "\n".join(lines)

    def to_latex(self, caption: str | None = None) -> str:
        """The table as a LaTeX ``table`` float with significance stars and a footnote."""

        def esc(s: str) -> str:
            s = re.sub(r"[\\_%&#${}~^]", lambda m: _LATEX_SPECIAL[m.group()], s)
            return re.sub(r"(\*{1,3})$", r"$^{\1}$", s)

        ncol = len(self.frame.columns)
        out = [r"\begin{table}[htbp]", r"\centering"]
        if caption:
            out.append(rf"\caption{{{esc(caption)}}}")
        out += [
            rf"\begin{{tabular}}{{l{'c' * ncol}}}",
            r"\hline",
            " & ".join(["", *(esc(str(c)) for c in self.frame.columns)]) + r" \\",
            r"\hline",
        ]
        for i, (k, v) in enumerate(self._rows()):
            if i == self.n_coef_rows:
                out.append(r"\hline")
            out.append(" & ".join([esc(k), *(esc(x) for x in v)]) + r" \\")
        out += [
            r"\hline",
            rf"\multicolumn{{{ncol + 1}}}{{l}}{{\footnotesize Standard errors in parentheses; "
            r"$^{*}$ p<0.10, $^{**}$ p<0.05, $^{***}$ p<0.01.}} \\",
            r"\end{tabular}",
            r"\end{table}",
        ]
        return "\n".join(out)

    def to_html(self) -> str:
        """The table as an HTML ``<table>`` (shown by Jupyter through ``_repr_html_``)."""
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in ["", *self.frame.columns])
        body = []
        for i, (k, v) in enumerate(self._rows()):
            style = ' style="border-top:1px solid"' if i == self.n_coef_rows else ""
            cells = "".join(f"<td>{html.escape(x)}</td>" for x in [k, *v])
            body.append(f"<tr{style}>{cells}</tr>")
        return (
            '<table class="regression-table">\n<thead><tr>'
            + head
            + "</tr></thead>\n<tbody>\n"
            + "\n".join(body)
            + "\n</tbody>\n</table>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        return self.frame.to_string()


def compare(
    *results: EstimationResults,
    stars: bool = True,
    names: Sequence[str] | None = None,
    digits: int = 3,
    terms: Sequence[str] | None = None,
) -> ComparisonTable:
    """Lay out several :class:`EstimationResults` side by side.

    Parameters
    ----------
    *results : EstimationResults
        Models, one column each.
    stars : bool
        Append ``*``/``**``/``***`` for p < 0.10/0.05/0.01.
    names : sequence of str, optional
        Column headers; default ``(1), (2), ...``.
    digits : int
        Decimals for estimates and SEs.
    terms : sequence of str, optional
        Terms to show, in order; default: every term in order of first appearance, except
        fixed-effect dummies (:attr:`EstimationResults.absorbed`), which the FE rows report.

    Returns
    -------
    ComparisonTable
    """
    if not results:
        raise ValueError("compare() needs at least one result")
    if names is None:
        names = [f"({i + 1})" for i in range(len(results))]
    if len(names) != len(results):
        raise ValueError(f"{len(names)} names for {len(results)} results")
    if terms is None:
        terms = list(
            dict.fromkeys(t for r in results for t in r.params.index if t not in r.absorbed)
        )
    rows: dict[str, list[str]] = {}
    fmt = f"{{:.{digits}f}}"
    for term in terms:
        coef, se = [], []
        for r in results:
            if term in r.params.index:
                mark = _stars(float(r.pvalues[term])) if stars else ""
                coef.append(fmt.format(r.params[term]) + mark)
                se.append("(" + fmt.format(r.std_errors[term]) + ")")
            else:
                coef.append("")
                se.append("")
        rows[str(term)] = coef
        rows[f"__se__{term}"] = se
    n_coef = len(rows)
    rows["N"] = [str(r.nobs) for r in results]
    rows["Entity FE"] = ["Yes" if "entity" in r.effects else "No" for r in results]
    rows["Time FE"] = ["Yes" if "time" in r.effects else "No" for r in results]
    rows["Cluster"] = [r.cluster or "-" for r in results]
    rows["Std. errors"] = [r.cov_label or r.cov_type for r in results]
    rows["Estimator"] = [r.estimator for r in results]
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=list(names))
    frame.index = ["" if str(i).startswith("__se__") else i for i in frame.index]
    return ComparisonTable(frame=frame, n_coef_rows=n_coef)


__all__ = ["STAR_LEVELS", "ComparisonTable", "compare"]
