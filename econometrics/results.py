"""One results type for every estimator in :mod:`econometrics`.

:class:`EstimationResults` is a thin, immutable view over the fitted object of the wrapped
library (linearmodels, statsmodels or lifelines-compatible PHReg): it copies the
coefficient vector, standard errors, test statistics and covariance into pandas objects
with one index, records the estimator, covariance type, fixed effects and clustering as
labels for tables, and keeps the library's own object in :attr:`EstimationResults.raw`
for anything not exposed here.

Examples
--------
>>> import pandas as pd
>>> r = EstimationResults(
...     params=pd.Series({"x": 2.0}), std_errors=pd.Series({"x": 0.5}),
...     nobs=100, estimator="pooled_ols", cov_type="robust")
>>> float(r.tstats["x"]), round(float(r.pvalues["x"]), 6)
(4.0, 6.3e-05)
>>> r.conf_int(0.95).round(3).values.tolist()
[[1.02, 2.98]]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats


@dataclass(frozen=True, eq=False)
class EstimationResults:
    """Coefficients and inference from any estimator, in one shape.

    Parameters
    ----------
    params, std_errors : Series
        Estimates and standard errors, indexed by term.
    nobs : int
        Observations used.
    estimator : str
        Name of the estimator (one of :data:`econometrics.spec.ESTIMATORS` or a descriptive name).
    cov_type : str
        Covariance label (e.g. ``"clustered"``, ``"robust"``, ``"driscoll-kraay"``).
    pvalues, tstats : Series, optional
        Taken from the library when given; otherwise computed from ``params / std_errors``
        with the normal distribution (or Student t with ``df_resid``).
    cov : DataFrame, optional
        Parameter covariance matrix.
    df_resid : float, optional
        Residual degrees of freedom for t-based intervals; ``None`` means normal.
    outcome : str
        Dependent variable name.
    effects : tuple of str
        Absorbed fixed effects, for table rows (e.g. ``("entity", "time")``).
    cluster : str or None
        Clustering label for table rows (e.g. ``"entity"``).
    extra : dict
        Extra statistics to show (e.g. ``{"R2 (within)": 0.12}``).
    raw : object
        The wrapped library's results object.
    absorbed : tuple of str
        Terms that are fixed-effect dummies (e.g. ``time_1995`` in a logit with year
        effects): kept in ``params`` and :meth:`to_frame`, left out of regression tables,
        which show a "Time FE: Yes" row instead.
    cov_label : str or None
        The covariance with its cluster or bandwidth and its small-sample convention
        (:attr:`econometrics.covariance.Covariance.label`), for tables and summaries.
    notes : tuple of str
        What the estimator did to the model that a reader must know, e.g. regressors
        dropped because the fixed effects absorb them (shown by :meth:`summary` and in
        the notes line of regression tables).
    """

    params: pd.Series
    std_errors: pd.Series
    nobs: int
    estimator: str
    cov_type: str
    pvalues: pd.Series | None = None
    tstats: pd.Series | None = None
    cov: pd.DataFrame | None = None
    df_resid: float | None = None
    outcome: str = ""
    effects: tuple[str, ...] = ()
    cluster: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    raw: Any = None
    absorbed: tuple[str, ...] = ()
    cov_label: str | None = None
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        params = pd.Series(self.params, dtype=float)
        se = pd.Series(self.std_errors, dtype=float)
        if not se.index.equals(params.index):
            se = se.reindex(params.index)
        object.__setattr__(self, "params", params)
        object.__setattr__(self, "std_errors", se)
        if self.tstats is None:  # se is on params' index: the quotient needs no alignment
            t = pd.Series(params.to_numpy() / se.to_numpy(), index=params.index)
        else:
            t = pd.Series(self.tstats, dtype=float).reindex(params.index)
        object.__setattr__(self, "tstats", t)
        if self.pvalues is None:
            tabs = np.abs(t.to_numpy())
            if self.df_resid is None:
                sf = stats.norm.sf(tabs)
            elif self.df_resid > 0:  # what stats.t.sf computes, without its argument checks
                sf = special.stdtr(self.df_resid, -tabs)
            else:
                sf = stats.t.sf(tabs, self.df_resid)
            p = pd.Series(2 * sf, index=params.index)
        else:
            p = pd.Series(self.pvalues, dtype=float).reindex(params.index)
        object.__setattr__(self, "pvalues", p)
        object.__setattr__(self, "nobs", int(self.nobs))
        object.__setattr__(self, "effects", tuple(self.effects))
        object.__setattr__(self, "absorbed", tuple(self.absorbed))
        object.__setattr__(self, "notes", tuple(self.notes))

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_linearmodels(
        cls, res: Any, *, estimator: str, cov_type: str | None = None, **labels: Any
    ) -> EstimationResults:
        """Results of a linearmodels panel (or IV) fit, with its own inference.

        Copies ``params``, ``std_errors``, ``tstats``, ``pvalues``, ``cov`` and ``nobs``;
        ``df_resid`` is kept, since linearmodels' ``debiased=True`` (its default) takes
        p-values from ``t(df_resid)``. ``extra`` starts with ``R2`` (and ``R2 (within)``
        where the model has one). ``cov_type`` defaults to linearmodels' own name in
        lower case; ``labels`` are the other fields (``outcome``, ``effects``,
        ``cluster``, ``extra``, ``absorbed``, ``cov_label``, ``notes``).
        """
        extra: dict[str, Any] = {}
        if hasattr(res, "rsquared"):
            extra["R2"] = float(res.rsquared)
        if hasattr(res, "rsquared_within"):
            extra["R2 (within)"] = float(res.rsquared_within)
        extra.update(labels.pop("extra", None) or {})
        return cls(
            params=res.params,
            std_errors=res.std_errors,
            pvalues=res.pvalues,
            tstats=res.tstats,
            cov=res.cov,
            nobs=int(res.nobs),
            df_resid=float(res.df_resid),
            estimator=estimator,
            # linearmodels keeps the name (e.g. "Clustered") without a public attribute
            cov_type=cov_type or str(getattr(res, "_cov_type", "")).lower(),
            extra=extra,
            raw=res,
            **labels,
        )

    @classmethod
    def from_statsmodels(
        cls, res: Any, *, estimator: str, cov_type: str | None = None, **labels: Any
    ) -> EstimationResults:
        """Results of a statsmodels fit (OLS, GLM, discrete, ordinal ...), with its inference.

        Copies ``params``, ``bse``, ``tvalues``, ``pvalues``, ``cov_params()`` and
        ``nobs``; the p-values are statsmodels' (normal or t as the model uses).
        ``cov_type`` defaults to statsmodels' ``cov_type``; ``labels`` are the other
        fields (``outcome``, ``effects``, ``cluster``, ``extra``, ``absorbed``, ``cov_label``,
        ``notes``).
        """
        params = pd.Series(res.params)
        return cls(
            params=params,
            std_errors=pd.Series(res.bse, index=params.index),
            pvalues=pd.Series(res.pvalues, index=params.index),
            tstats=pd.Series(res.tvalues, index=params.index),
            cov=pd.DataFrame(res.cov_params(), index=params.index, columns=params.index),
            nobs=int(res.nobs),
            estimator=estimator,
            cov_type=cov_type or str(getattr(res, "cov_type", "")),
            raw=res,
            **labels,
        )

    # ------------------------------------------------------------------ inference
    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Confidence intervals ``estimate -/+ q * se`` (normal, or t with ``df_resid``)."""
        if not 0.0 < level < 1.0:
            raise ValueError(f"level must be in (0, 1), got {level}")
        dist = stats.norm if self.df_resid is None else stats.t(self.df_resid)
        q = float(dist.ppf(0.5 + level / 2))
        return pd.DataFrame(
            {"lower": self.params - q * self.std_errors, "upper": self.params + q * self.std_errors}
        )

    # ------------------------------------------------------------------ views
    def to_frame(self, level: float = 0.95) -> pd.DataFrame:
        """One row per term: ``estimate, std_error, t_stat, p_value, lower, upper, nobs``."""
        ci = self.conf_int(level)
        out = pd.DataFrame(
            {
                "estimate": self.params,
                "std_error": self.std_errors,
                "t_stat": self.tstats,
                "p_value": self.pvalues,
                "lower": ci["lower"],
                "upper": ci["upper"],
            }
        )
        out["nobs"] = self.nobs
        out.index.name = "term"
        return out

    def summary(self) -> str:
        """A plain-text summary: header lines and the coefficient table."""
        head = [
            f"Estimator: {self.estimator}",
            f"Outcome: {self.outcome or '-'}",
            f"Observations: {self.nobs}",
            f"Covariance: {self.cov_label}"
            if self.cov_label
            else f"Covariance: {self.cov_type}"
            + (f" (cluster: {self.cluster})" if self.cluster else ""),
            f"Fixed effects: {', '.join(self.effects) if self.effects else 'none'}",
        ]
        head += [
            f"{k}: {v:.4g}" if isinstance(v, float) else f"{k}: {v}" for k, v in self.extra.items()
        ]
        body = self.to_frame().drop(columns="nobs").to_string(float_format=lambda v: f"{v:.4f}")
        notes = "".join(f"\nNote: {n}" for n in self.notes)
        return "\n".join(head) + "\n\n" + body + ("\n" + notes if notes else "")

    def _repr_html_(self) -> str:
        """The summary as HTML for Jupyter: header rows (covariance named), then the
        coefficient table (pandas' escaped HTML of :meth:`to_frame`) and the notes."""
        import html

        cov = self.cov_label or (
            self.cov_type + (f" (cluster: {self.cluster})" if self.cluster else "")
        )
        head = [
            ("Estimator", self.estimator),
            ("Outcome", self.outcome or "-"),
            ("Observations", self.nobs),
            ("Covariance", cov),
            ("Fixed effects", ", ".join(self.effects) if self.effects else "none"),
            *((k, f"{v:.4g}" if isinstance(v, float) else v) for k, v in self.extra.items()),
        ]
        rows = "".join(
            f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
            for k, v in head
        )
        body = self.to_frame().drop(columns="nobs").to_html(float_format=lambda v: f"{v:.4f}")
        notes = "".join(f"<p><small>Note: {html.escape(n)}</small></p>" for n in self.notes)
        return (
            f'<div class="el-results"><table class="el-results-header">{rows}</table>'
            f"{body}{notes}</div>"
        )

    def __repr__(self) -> str:
        return (
            f"EstimationResults(estimator={self.estimator!r}, outcome={self.outcome!r}, "
            f"nobs={self.nobs}, terms={list(self.params.index)})"
        )


__all__ = ["EstimationResults"]
