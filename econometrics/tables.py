"""Side-by-side regression tables: coefficients, SEs in parentheses, stars, N, FE, clustering.

The layout is that of stargazer and fixest's ``etable``: one column per model; a
coefficient row with significance stars and a standard-error row per term (a factor
shows one row per level, ``C(region)[T.ECS]``); then the outcome, N, R² (overall and
within), the fixed-effects rows, the covariance with its small-sample convention, the
clustering, the estimator, any extra rows (as pyfixest's ``custom_model_stats``); then a
notes line with the significance legend and every model's notes (regressors dropped
because the fixed effects absorb them).

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
...                       "clustered", outcome="y", effects=("entity",), cluster="entity",
...                       extra={"R2 (within)": 0.125}, notes=("z dropped: absorbed",))
>>> t = compare(a, names=["(1)"])
>>> print(t.to_markdown())
| term | (1) |
|---|---|
| x | 1.000*** |
|  | (0.250) |
| Outcome | y |
| N | 50 |
| R² (within) | 0.125 |
| Entity FE | Yes |
| Time FE | No |
| Std. errors | clustered |
| Cluster | entity |
| Estimator | panel_ols |
<BLANKLINE>
Standard errors in parentheses. * p<0.10, ** p<0.05, *** p<0.01.
<BLANKLINE>
- (1): z dropped: absorbed
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from econometrics.results import EstimationResults
from enforcement_lab.tableformat import html_table, latex_table, markdown_table, tex_escape

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
    notes: tuple[str, ...] = ()

    @property
    def legend(self) -> str:
        """The notes line: what the parentheses and the stars mean."""
        stars = ", ".join(f"{m} p<{lv:.2f}" for lv, m in reversed(STAR_LEVELS))
        return f"Standard errors in parentheses. {stars}."

    def _rows(self) -> list[tuple[str, list[str]]]:
        return [
            (str(i), [str(v) for v in row])
            for i, row in zip(self.frame.index, self.frame.values, strict=True)
        ]

    def _header(self) -> list[str]:
        return ["", *map(str, self.frame.columns)]

    def to_markdown(self) -> str:
        """The table as a GitHub-flavoured Markdown table (:mod:`enforcement_lab.tableformat`)."""
        rows = [[k, *v] for k, v in self._rows()]
        notes = [self.legend, *(("", *(f"- {n}" for n in self.notes)) if self.notes else ())]
        return markdown_table(["term", *self._header()[1:]], rows, notes=notes)

    def to_latex(self, caption: str | None = None) -> str:
        """The table as a LaTeX ``table`` float ruled in the booktabs style, with
        significance stars as superscripts and the legend and notes below it."""

        def esc(s: str) -> str:
            return re.sub(r"(\*{1,3})$", r"$^{\1}$", tex_escape(s))

        legend = r"Standard errors in parentheses; $^{*}$ p<0.10, $^{**}$ p<0.05, $^{***}$ p<0.01."
        return latex_table(
            [esc(h) for h in self._header()],
            [[esc(k), *(esc(x) for x in v)] for k, v in self._rows()],
            colspec="l" + "c" * len(self.frame.columns),
            caption=caption,
            notes=[r" \\ ".join([legend, *(tex_escape(n) for n in self.notes)])],
            midrules=[self.n_coef_rows],
            escape=False,
        )

    def to_html(self) -> str:
        """The table as an HTML ``<table>`` (shown by Jupyter through ``_repr_html_``)."""
        return html_table(
            self._header(),
            [[k, *v] for k, v in self._rows()],
            notes=[self.legend, *self.notes],
            midrules=[self.n_coef_rows],
            css_class="regression-table",
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        return self.frame.to_string()


#: The rows below the coefficients, in order (rows no model has are left out).
STATS = (
    "Outcome",
    "N",
    "R²",
    "R² (within)",
    "Entity FE",
    "Time FE",
    "Std. errors",
    "Cluster",
    "Estimator",
)
_EXTRA_KEYS = {"R²": "R2", "R² (within)": "R2 (within)"}


def _covariance(r: EstimationResults) -> str:
    """The covariance with its small-sample convention when the results carry one."""
    return r.cov_label or r.cov_type


def compare(
    *results: EstimationResults | Sequence[EstimationResults] | Mapping[str, EstimationResults],
    stars: bool = True,
    names: Sequence[str] | None = None,
    digits: int = 3,
    terms: Sequence[str] | None = None,
    stats: Sequence[str] = STATS,
    extra_rows: Mapping[str, Sequence[object]] | None = None,
) -> ComparisonTable:
    """Lay out several :class:`EstimationResults` side by side.

    Parameters
    ----------
    *results : EstimationResults, or one list or dict of them
        Models, one column each; a dict's keys are the column headers (as
        ``linearmodels.panel.compare`` takes them).
    stars : bool
        Append ``*``/``**``/``***`` for p < 0.10/0.05/0.01.
    names : sequence of str, optional
        Column headers; default the dict's keys, else ``(1), (2), ...``.
    digits : int
        Decimals for estimates, SEs and R².
    terms : sequence of str, optional
        Terms to show, in order; default: every term in order of first appearance, except
        fixed-effect dummies (:attr:`EstimationResults.absorbed`), which the FE rows report.
    stats : sequence of str
        Rows below the coefficients, a selection of :data:`STATS` in any order; R² rows
        are left out when no model has the statistic.
    extra_rows : mapping of str to sequence, optional
        More rows, one value per model (pyfixest's ``custom_model_stats``), e.g.
        ``{"Countries": [120, 98]}``.

    Returns
    -------
    ComparisonTable
    """
    if len(results) == 1 and isinstance(results[0], Mapping):
        mapping = results[0]
        names = list(mapping) if names is None else names
        models: list[EstimationResults] = list(mapping.values())
    elif len(results) == 1 and isinstance(results[0], list | tuple):
        models = list(results[0])
    else:
        models = list(results)  # type: ignore[arg-type]
    if not models:
        raise ValueError("compare() needs at least one result")
    if not all(isinstance(r, EstimationResults) for r in models):
        raise TypeError("compare() takes EstimationResults (or one list or dict of them)")
    if names is None:
        names = [f"({i + 1})" for i in range(len(models))]
    if len(names) != len(models):
        raise ValueError(f"{len(names)} names for {len(models)} results")
    unknown = [s for s in stats if s not in STATS]
    if unknown:
        raise ValueError(f"unknown stats {unknown}; choose from {list(STATS)}")
    if terms is None:
        terms = list(
            dict.fromkeys(t for r in models for t in r.params.index if t not in r.absorbed)
        )
    rows: dict[str, list[str]] = {}
    fmt = f"{{:.{digits}f}}"
    for term in terms:
        coef, se = [], []
        for r in models:
            if term in r.params.index:
                assert r.pvalues is not None  # EstimationResults fills it on construction
                mark = _stars(float(r.pvalues[term])) if stars else ""
                coef.append(fmt.format(r.params[term]) + mark)
                se.append("(" + fmt.format(r.std_errors[term]) + ")")
            else:
                coef.append("")
                se.append("")
        rows[str(term)] = coef
        rows[f"__se__{term}"] = se
    n_coef = len(rows)
    for stat in stats:
        if stat in _EXTRA_KEYS:
            key = _EXTRA_KEYS[stat]
            if any(key in r.extra for r in models):
                rows[stat] = [fmt.format(r.extra[key]) if key in r.extra else "" for r in models]
        elif stat == "Outcome":
            rows[stat] = [r.outcome or "-" for r in models]
        elif stat == "N":
            rows[stat] = [str(r.nobs) for r in models]
        elif stat in ("Entity FE", "Time FE"):
            which = stat.split()[0].lower()
            rows[stat] = ["Yes" if which in r.effects else "No" for r in models]
        elif stat == "Std. errors":
            rows[stat] = [_covariance(r) for r in models]
        elif stat == "Cluster":
            rows[stat] = [r.cluster or "-" for r in models]
        else:
            rows[stat] = [r.estimator for r in models]
    for label, values in (extra_rows or {}).items():
        values = list(values)
        if len(values) != len(models):
            raise ValueError(
                f"extra row {label!r} has {len(values)} values for {len(models)} models"
            )
        rows[str(label)] = [str(v) for v in values]
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=list(names))
    frame.index = ["" if str(i).startswith("__se__") else i for i in frame.index]
    notes = tuple(
        f"{name}: {note}" if len(models) > 1 or names[0] else note
        for name, r in zip(names, models, strict=True)
        for note in r.notes
    )
    return ComparisonTable(frame=frame, n_coef_rows=n_coef, notes=notes)


__all__ = ["STAR_LEVELS", "STATS", "ComparisonTable", "compare"]
