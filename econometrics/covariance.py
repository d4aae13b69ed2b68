"""Covariance estimators: one vocabulary, one value object, one table of support.

A :class:`Covariance` names everything that decides a standard error: the kind
(``unadjusted``, ``robust``, ``clustered``, ``driscoll-kraay``, ``pcse``), the cluster
dimension, the Driscoll-Kraay bandwidth and the rule that chose it, and the small-sample
convention (``ssc``). It translates itself into the arguments of linearmodels and
statsmodels, labels itself for tables, and, for the conventions those libraries do not
offer (the presets of R plm, Stata and fixest, and Beck-Katz panel-corrected errors),
computes the sandwich itself from the design and the residuals (:func:`sandwich`).

The formulas, with the R and Stata calls each equals, are in the reference page
``docs/reference/covariance.md``. In short, every covariance is

.. math:: V = c \\, (X'X)^{-1} M (X'X)^{-1}

with ``X`` the design after the fixed effects are absorbed, ``e`` the residuals, and

* robust: :math:`M = \\sum_i x_i x_i' e_i^2` (White 1980);
* clustered: :math:`M = \\sum_g s_g s_g'`, :math:`s_g = \\sum_{i \\in g} x_i e_i`; two-way
  :math:`M_{entity} + M_{time} - M_{entity \\cap time}` (Cameron, Gelbach and Miller 2011);
* Driscoll-Kraay (1998): :math:`M = \\Gamma_0 + \\sum_{l=1}^{L} (1 - l/(L+1))
  (\\Gamma_l + \\Gamma_l')` with :math:`\\Gamma_l = \\sum_t h_t h_{t-l}'` and
  :math:`h_t = \\sum_{i \\in t} x_i e_i` (Bartlett kernel, bandwidth ``L``);
* panel-corrected (Beck and Katz 1995): :math:`M = \\sum_t X_t' \\hat\\Sigma X_t` with the
  contemporaneous covariance of the units :math:`\\hat\\Sigma_{ij} = \\sum_{t \\in T_{ij}}
  e_{it} e_{jt} / |T_{ij}|`;

and ``c`` the small-sample factor of the chosen convention (:data:`SSC`), where ``n`` is
the number of observations, ``k`` the number of reported coefficients, ``k_fe`` the
degrees of freedom of the absorbed effects, ``K`` Stata's count (``k``, the constant it
reports, and the effects not nested in a cluster dimension) and ``G`` the number of
clusters (the smaller dimension when two-way).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from enforcement_lab.errors import SpecError

#: Covariance kinds (``Spec.cov``).
KINDS = ("unadjusted", "robust", "clustered", "driscoll-kraay", "pcse")
#: Cluster dimensions (``Spec.cluster``); ``none`` only for kinds that do not cluster.
CLUSTERS = ("entity", "time", "twoway", "none")
#: Clustered dimensions.
CLUSTER_DIMS = ("entity", "time", "twoway")
#: PCSE variants: how the contemporaneous covariance is estimated on an unbalanced panel.
PCSE_VARIANTS = ("pairwise", "balanced")
#: Serial correlation within units under PCSE (Stata ``xtpcse, correlation()``):
#: none (OLS), one AR(1) coefficient for all units, or one per unit; the AR(1) forms are
#: Prais-Winsten regressions (:mod:`econometrics.praiswinsten`).
CORRELATIONS = ("independent", "ar1", "psar1")

#: Driscoll-Kraay bandwidth rules, as functions of the number of periods ``T``.
#: Newey and West (1994) is linearmodels' default; plm is R ``plm::vcovSCC``'s default
#: ``maxlag``, with ``T`` the most periods any unit is observed.
BANDWIDTH_RULES: dict[str, str] = {
    "newey-west": "floor(4 (T/100)^(2/9))",
    "plm": "floor(T^(1/4))",
}

#: Small-sample conventions: the factor ``c`` for clustered errors and what it equals.
SSC: dict[str, str] = {
    "linearmodels": "c = n/(n - k - k_fe) (linearmodels debiased=True)",
    "stata": "c = G/(G-1) (n-1)/(n-K) clustered, n/(n-K) robust "
    "(Stata xtreg, fe vce(cluster) and reghdfe; xtpcse: c = 1)",
    "fixest": "c = G/(G-1) (n-1)/(n-K) clustered, n/(n-K) robust "
    "(fixest ssc() defaults: adj, fixef.K='nested', cluster.adj, cluster.df='min')",
    "plm-hc0": "c = 1 (R plm vcovHC/vcovBK/vcovSCC type='HC0')",
    "plm-hc1": "c = n/(n - k) (R plm type='HC1')",
    "plm-sss": "c = G/(G-1) (n-1)/(n - k) (R plm type='sss')",
    "statsmodels": "statsmodels' defaults: HC0 robust, G/(G-1) (n-1)/(n-k) clustered",
}

_LINEAR_ALL = frozenset(KINDS)
_NO_PCSE = frozenset(KINDS) - {"pcse"}
_STATSMODELS = frozenset(("unadjusted", "robust", "clustered", "driscoll-kraay"))

#: Which estimator supports which covariance kind (as linearmodels' ``CovarianceManager``).
SUPPORTED_KINDS: dict[str, frozenset[str]] = {
    "pooled_ols": _LINEAR_ALL,
    "panel_ols": _LINEAR_ALL,
    "lpm": _LINEAR_ALL,
    "random_effects": _NO_PCSE,
    "first_difference": _NO_PCSE,
    "between_ols": frozenset(("unadjusted", "robust", "clustered")),
    "logit": _STATSMODELS,
    "probit": _STATSMODELS,
    "ordered_logit": _STATSMODELS,
    "ordered_probit": _STATSMODELS,
    "poisson": _STATSMODELS,
    "negative_binomial": _STATSMODELS,
    "cox": frozenset(("unadjusted", "clustered")),
    "discrete_hazard": frozenset(("robust", "clustered")),
    "event_study": _NO_PCSE,
    # the fast engine of the robustness multiverse (econometrics.robustness.engine)
    "multiverse": _NO_PCSE,
}

#: Cluster dimensions each estimator can cluster by.
SUPPORTED_CLUSTERS: dict[str, tuple[str, ...]] = {
    **{est: CLUSTER_DIMS for est in SUPPORTED_KINDS},
    "between_ols": ("entity",),
    "first_difference": ("entity",),
    "cox": ("entity",),
    "discrete_hazard": ("entity",),
}

_OWN = ("linearmodels", "stata", "fixest", "plm-hc0", "plm-hc1", "plm-sss")
#: Small-sample conventions each estimator offers; the first is its default.
SUPPORTED_SSC: dict[str, tuple[str, ...]] = {
    **{est: ("linearmodels",) for est in SUPPORTED_KINDS},
    "pooled_ols": _OWN,
    "panel_ols": _OWN,
    "lpm": _OWN,
    **{
        est: ("statsmodels",)
        for est in (
            "logit",
            "probit",
            "ordered_logit",
            "ordered_probit",
            "poisson",
            "negative_binomial",
            "cox",
            "discrete_hazard",
        )
    },
}

#: Conventions that are not defined (or not verified) for a kind: refused, not guessed.
_SSC_NOT_FOR: dict[str, frozenset[str]] = {
    "driscoll-kraay": frozenset(("stata", "fixest")),
    "pcse": frozenset(("fixest", "plm-sss")),  # plm::vcovBK has no sss type
}


def bandwidth_from_rule(rule: str, n_periods: int, max_ti: int | None = None) -> int:
    """The Driscoll-Kraay bandwidth of a named rule for ``n_periods`` periods.

    Newey and West's rule counts the periods of the panel; plm's counts the most
    periods any unit is observed (``max_ti``, equal to ``n_periods`` when balanced).

    Examples
    --------
    >>> bandwidth_from_rule("newey-west", 30), bandwidth_from_rule("plm", 30)
    (3, 2)
    >>> bandwidth_from_rule("newey-west", 200), bandwidth_from_rule("plm", 200)
    (4, 3)
    """
    if rule == "newey-west":
        return int(np.floor(4 * (n_periods / 100) ** (2 / 9)))
    if rule == "plm":
        return int(np.floor((n_periods if max_ti is None else max_ti) ** 0.25))
    raise SpecError(
        f"Driscoll-Kraay bandwidth rule {rule!r} is unknown; choose one of "
        f"{', '.join(BANDWIDTH_RULES)}"
    )


@dataclass(frozen=True)
class Covariance:
    """A covariance estimator: kind, cluster, bandwidth and small-sample convention.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    cluster : str
        ``entity``, ``time`` or ``twoway`` for ``clustered``; ignored (stored as
        ``none``) for the other kinds.
    bandwidth : float or None
        Driscoll-Kraay bandwidth (lags of the Bartlett kernel); ``None`` applies
        :attr:`bandwidth_rule` to the number of periods.
    group_debias : bool
        linearmodels' ``group_debias``: each cluster meat times ``G/(G-1) (n-1)/n``.
    debiased : bool
        linearmodels' ``debiased`` (its default, ``True``).
    bandwidth_rule : str
        One of :data:`BANDWIDTH_RULES` (used when ``bandwidth`` is ``None``).
    ssc : str
        One of :data:`SSC`.
    pcse : str
        One of :data:`PCSE_VARIANTS` (used when ``kind == "pcse"``).
    correlation : str
        One of :data:`CORRELATIONS` (``kind == "pcse"`` only): ``ar1``/``psar1`` turn
        the fit into a Prais-Winsten regression (:mod:`econometrics.praiswinsten`).
    np1 : bool
        Weight the units' autocorrelations by ``T_i`` instead of ``T_i - 1`` when
        averaging them into the common one (Stata's ``np1``; ``correlation = "ar1"``).

    Examples
    --------
    >>> Covariance("clustered", "twoway").linearmodels_kwargs()
    {'debiased': True, 'cov_type': 'clustered', 'cluster_entity': True, 'cluster_time': True}
    >>> Covariance("driscoll-kraay", bandwidth_rule="plm", ssc="plm-hc0").label
    'Driscoll-Kraay (Bartlett, bandwidth floor(T^(1/4))) [ssc: plm-hc0]'
    """

    kind: str = "clustered"
    cluster: str = "entity"
    bandwidth: float | None = None
    group_debias: bool = False
    debiased: bool = True
    bandwidth_rule: str = "newey-west"
    ssc: str = "linearmodels"
    pcse: str = "pairwise"
    correlation: str = "independent"
    np1: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise SpecError(f"model.cov {self.kind!r} is unknown; choose one of {', '.join(KINDS)}")
        if self.cluster not in CLUSTERS:
            raise SpecError(
                f"model.cluster {self.cluster!r} is unknown; choose one of {', '.join(CLUSTERS)}"
            )
        if self.kind == "clustered" and self.cluster not in CLUSTER_DIMS:
            raise SpecError(
                "model.cov 'clustered' needs model.cluster entity, time or twoway "
                f"(got {self.cluster!r}); for no clustering use cov = 'unadjusted' or 'robust'"
            )
        if self.kind != "clustered":
            object.__setattr__(self, "cluster", "none")
        if self.bandwidth_rule not in BANDWIDTH_RULES:
            raise SpecError(
                f"options.bandwidth rule {self.bandwidth_rule!r} is unknown; choose one of "
                f"{', '.join(BANDWIDTH_RULES)} or give a number"
            )
        if self.bandwidth is not None and (
            isinstance(self.bandwidth, bool)
            or not isinstance(self.bandwidth, int | float)
            or not self.bandwidth >= 0
        ):
            raise SpecError(
                f"options.bandwidth must be a non-negative number, not {self.bandwidth!r}"
            )
        if self.ssc not in SSC:
            raise SpecError(f"model.ssc {self.ssc!r} is unknown; choose one of {', '.join(SSC)}")
        if self.pcse not in PCSE_VARIANTS:
            raise SpecError(
                f"options.pcse {self.pcse!r} is unknown; choose one of {', '.join(PCSE_VARIANTS)}"
            )
        if self.correlation not in CORRELATIONS:
            raise SpecError(
                f"options.correlation {self.correlation!r} is unknown; choose one of "
                f"{', '.join(CORRELATIONS)}"
            )
        if self.correlation != "independent" and self.kind != "pcse":
            raise SpecError(f"options.correlation applies to cov = 'pcse' only, not {self.kind!r}")
        if self.np1 and self.correlation != "ar1":
            raise SpecError("options.np1 applies to correlation = 'ar1' only")
        if self.ssc in _SSC_NOT_FOR.get(self.kind, ()):
            raise SpecError(f"model.ssc {self.ssc!r} is not defined for cov = {self.kind!r}")

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_spec(
        cls,
        spec: Any,
        *,
        default_ssc: str = "linearmodels",
        kinds: tuple[str, ...] | None = None,
    ) -> Covariance:
        """The covariance a :class:`~econometrics.spec.Spec` asks for.

        ``cluster`` must be the default (``entity``) or ``none`` unless ``cov`` is
        ``clustered``: a cluster dimension with another covariance would be ignored,
        so it is refused. Options read: ``bandwidth`` (a number or a rule name),
        ``group_debias``, ``pcse``, ``correlation``, ``np1``; each is refused unless one of ``kinds`` (default:
        the spec's ``cov``; the multiverse passes every covariance it fits) uses it.
        """
        opts = dict(spec.options)
        kinds = (spec.cov,) if kinds is None else tuple(kinds)
        if spec.cov != "clustered" and spec.cluster not in ("entity", "none"):
            raise SpecError(
                f"model.cluster {spec.cluster!r} applies to cov = 'clustered' only "
                f"(model.cov is {spec.cov!r})"
            )
        for key, kind in (
            ("bandwidth", "driscoll-kraay"),
            ("pcse", "pcse"),
            ("correlation", "pcse"),
            ("np1", "pcse"),
            ("group_debias", "clustered"),
        ):
            if key in opts and kind not in kinds:
                raise SpecError(
                    f"options.{key} applies to cov = {kind!r} only (model.cov is {spec.cov!r})"
                )
        bw = opts.get("bandwidth")
        rule = "newey-west"
        if isinstance(bw, str):
            rule, bw = bw, None
        gd = opts.get("group_debias", False)
        if not isinstance(gd, bool):
            raise SpecError(f"options.group_debias must be true or false, not {gd!r}")
        np1 = opts.get("np1", False)
        if not isinstance(np1, bool):
            raise SpecError(f"options.np1 must be true or false, not {np1!r}")
        ssc = getattr(spec, "ssc", None) or default_ssc
        return cls(
            kind=spec.cov,
            cluster=spec.cluster,
            bandwidth=bw,
            group_debias=gd,
            bandwidth_rule=rule,
            ssc=ssc,
            pcse=str(opts.get("pcse", "pairwise")),
            correlation=str(opts.get("correlation", "independent")),
            np1=np1,
        )

    def check_supported(self, estimator: str) -> None:
        """Refuse a covariance ``estimator`` does not offer, naming what it does offer."""
        kinds = SUPPORTED_KINDS.get(estimator, frozenset())
        if self.kind not in kinds:
            raise SpecError(
                f"model.cov {self.kind!r} is not available for {estimator}; "
                f"it offers {', '.join(k for k in KINDS if k in kinds)}"
            )
        clusters = SUPPORTED_CLUSTERS.get(estimator, CLUSTER_DIMS)
        if self.kind == "clustered" and self.cluster not in clusters:
            raise SpecError(
                f"{estimator} clusters by {' or '.join(clusters)} only, not {self.cluster!r}"
            )
        sscs = SUPPORTED_SSC.get(estimator, ("linearmodels",))
        if self.ssc not in sscs:
            raise SpecError(
                f"model.ssc {self.ssc!r} is not available for {estimator}; it offers "
                f"{', '.join(sscs)}"
            )
        if self.group_debias and self.ssc != "linearmodels":
            raise SpecError(
                "options.group_debias is linearmodels' option: use it with ssc 'linearmodels'"
            )

    # ------------------------------------------------------------------ labels
    @property
    def cluster_label(self) -> str | None:
        """The clustering as a table row shows it (``entity+time`` for two-way)."""
        if self.kind == "clustered":
            return "entity+time" if self.cluster == "twoway" else self.cluster
        if self.kind == "driscoll-kraay":
            return "Driscoll-Kraay"
        if self.kind == "pcse":
            return "PCSE"
        return None

    @property
    def bandwidth_label(self) -> str:
        """The bandwidth, or the rule that chooses it."""
        if self.bandwidth is not None:
            return f"bandwidth {self.bandwidth:g}"
        return f"bandwidth {BANDWIDTH_RULES[self.bandwidth_rule]}"

    @property
    def label(self) -> str:
        """Kind, cluster or bandwidth, and the small-sample convention, for tables."""
        if self.kind == "clustered":
            head = f"clustered by {self.cluster_label}"
            if self.group_debias:
                head += " (group-debiased)"
        elif self.kind == "driscoll-kraay":
            head = f"Driscoll-Kraay (Bartlett, {self.bandwidth_label})"
        elif self.kind == "pcse":
            head = f"PCSE (Beck-Katz, {self.pcse})"
            if self.correlation != "independent":
                rho = "common rho" if self.correlation == "ar1" else "rho by unit"
                head = f"Prais-Winsten AR(1), {rho}{', np1' if self.np1 else ''}; {head}"
        else:
            head = self.kind
        return f"{head} [ssc: {self.ssc}]"

    # ------------------------------------------------------------------ translations
    def bandwidth_for(self, n_periods: int, max_ti: int | None = None) -> float:
        """The bandwidth used on ``n_periods`` periods (the given one, else the rule's)."""
        if self.bandwidth is not None:
            return float(self.bandwidth)
        return float(bandwidth_from_rule(self.bandwidth_rule, n_periods, max_ti))

    def linearmodels_kwargs(
        self, n_periods: int | None = None, max_ti: int | None = None
    ) -> dict[str, Any]:
        """The ``fit`` keywords of linearmodels' panel models that give this covariance.

        ``n_periods`` (and ``max_ti``, the most periods of a unit) are needed only to
        apply a bandwidth rule other than Newey-West's (linearmodels' own default).
        """
        if self.kind == "pcse" or self.ssc != "linearmodels":
            raise SpecError(f"{self.label} is not a linearmodels covariance")
        kw: dict[str, Any] = {"debiased": self.debiased}
        if self.kind == "clustered":
            kw["cov_type"] = "clustered"
            if self.cluster in ("entity", "twoway"):
                kw["cluster_entity"] = True
            if self.cluster in ("time", "twoway"):
                kw["cluster_time"] = True
            if self.group_debias:
                kw["group_debias"] = True
        elif self.kind == "driscoll-kraay":
            kw["cov_type"] = "kernel"
            kw["kernel"] = "bartlett"
            if self.bandwidth is not None:
                kw["bandwidth"] = float(self.bandwidth)
            elif self.bandwidth_rule != "newey-west":
                if n_periods is None:
                    raise ValueError("n_periods is needed for the bandwidth rule")
                kw["bandwidth"] = self.bandwidth_for(n_periods, max_ti)
        else:
            kw["cov_type"] = self.kind
        return kw

    def statsmodels_kwargs(self, entity: np.ndarray, time: np.ndarray) -> dict[str, Any]:
        """statsmodels ``fit(cov_type=..., cov_kwds=...)`` for integer entity/time codes.

        Robust is ``HC0``; clusters use statsmodels' default correction
        ``G/(G-1) (n-1)/(n-k)``; Driscoll-Kraay is ``hac-groupsum`` over time.
        """
        if self.kind == "unadjusted":
            return {"cov_type": "nonrobust"}
        if self.kind == "robust":
            return {"cov_type": "HC0"}
        if self.kind == "driscoll-kraay":
            bw = self.bandwidth_for(len(np.unique(time)))
            return {"cov_type": "hac-groupsum", "cov_kwds": {"time": time, "maxlags": int(bw)}}
        if self.kind == "clustered":
            groups = {
                "entity": entity,
                "time": time,
                "twoway": np.column_stack([entity, time]),
            }[self.cluster]
            return {"cov_type": "cluster", "cov_kwds": {"groups": groups}}
        raise SpecError(f"{self.label} is not a statsmodels covariance")


# ---------------------------------------------------------------------------- sandwiches
def _group_sums(u: np.ndarray, codes: np.ndarray) -> np.ndarray:
    _, inv = np.unique(codes, return_inverse=True)
    out = np.zeros((inv.max() + 1, u.shape[1]))
    np.add.at(out, inv, u)
    return out


def _n_groups(codes: np.ndarray) -> int:
    return len(np.unique(codes))


def pcse_sigma(resid: np.ndarray, entity: np.ndarray, time: np.ndarray, variant: str) -> np.ndarray:
    """Contemporaneous covariance of the units' residuals (Beck and Katz 1995).

    ``pairwise``: :math:`\\hat\\Sigma_{ij}` averages :math:`e_{it} e_{jt}` over the periods
    in which both units are observed (R ``plm::vcovBK`` and Stata ``xtpcse, pairwise``);
    ``balanced``: over the periods in which every unit is observed (Stata ``xtpcse``'s
    default, casewise). On a balanced panel both are :math:`E'E/T`.
    """
    _, ei = np.unique(entity, return_inverse=True)
    _, ti = np.unique(time, return_inverse=True)
    n_e, n_t = ei.max() + 1, ti.max() + 1
    e = np.zeros((n_t, n_e))
    seen = np.zeros((n_t, n_e))
    e[ti, ei] = resid
    seen[ti, ei] = 1.0
    if variant == "balanced":
        full = seen.all(axis=1)
        if not full.any():
            raise SpecError(
                "options.pcse 'balanced' needs at least one period in which every unit is "
                "observed; use pcse = 'pairwise'"
            )
        return e[full].T @ e[full] / full.sum()
    if variant != "pairwise":
        raise SpecError(f"options.pcse {variant!r} is unknown; choose one of {PCSE_VARIANTS}")
    counts = seen.T @ seen
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, (e.T @ e) / np.maximum(counts, 1), 0.0)


def meat(
    x: np.ndarray, resid: np.ndarray, cov: Covariance, entity: np.ndarray, time: np.ndarray
) -> tuple[np.ndarray, int]:
    """The middle matrix ``M`` of the sandwich and the number of clusters ``G``.

    ``G`` is the number of clusters (the smaller dimension when two-way), of periods for
    Driscoll-Kraay and PCSE, and ``n`` otherwise.
    """
    n = x.shape[0]
    u = x * resid[:, None]
    if cov.kind in ("unadjusted", "robust"):
        return u.T @ u, n
    if cov.kind == "clustered":
        if cov.cluster in ("entity", "time"):
            codes = entity if cov.cluster == "entity" else time
            s = _group_sums(u, codes)
            return s.T @ s, _n_groups(codes)
        se, st = _group_sums(u, entity), _group_sums(u, time)
        return se.T @ se + st.T @ st - u.T @ u, min(_n_groups(entity), _n_groups(time))
    if cov.kind == "driscoll-kraay":
        h = _group_sums(u, time)  # one row per period, in sorted time order
        n_t = h.shape[0]
        max_ti = int(np.unique(entity, return_counts=True)[1].max())
        bw = int(cov.bandwidth_for(n_t, max_ti))
        if bw >= n_t:
            raise SpecError(f"Driscoll-Kraay bandwidth {bw} must be below the {n_t} periods")
        m = h.T @ h
        for lag in range(1, bw + 1):
            g = h[lag:].T @ h[:-lag]
            m = m + (1 - lag / (bw + 1)) * (g + g.T)
        return m, n_t
    if cov.kind == "pcse":
        sigma = pcse_sigma(resid, entity, time, cov.pcse)
        _, ei = np.unique(entity, return_inverse=True)
        _, ti = np.unique(time, return_inverse=True)
        xt = np.zeros((ti.max() + 1, ei.max() + 1, x.shape[1]))
        xt[ti, ei] = x
        return np.einsum("tik,ij,tjl->kl", xt, sigma, xt), int(ti.max() + 1)
    raise AssertionError(cov.kind)


@dataclass(frozen=True)
class Dof:
    """Counts that enter a small-sample factor.

    ``k``: reported coefficients; ``k_fe``: degrees of freedom of the absorbed effects
    (``N`` for entity effects without a constant, ``N + T - 1`` two-way);
    ``fe_levels``: levels of each absorbed effect, e.g. ``{"entity": N, "time": T}``.
    """

    n: int
    k: int
    k_fe: int = 0
    fe_levels: Mapping[str, int] | None = None

    def stata_k(self, cov: Covariance) -> int:
        """Stata's ``K`` (reghdfe): the coefficients, the constant it reports when effects
        are absorbed, and the degrees of freedom of every effect not nested in a cluster
        dimension (an entity effect is nested in entity clusters, a time effect in time
        clusters; both in two-way clusters)."""
        levels = dict(self.fe_levels or {})
        if not levels:
            return self.k
        nested = set()
        if cov.kind == "clustered":
            nested = {"entity", "time"} if cov.cluster == "twoway" else {cov.cluster}
        return self.k + 1 + sum(g - 1 for d, g in levels.items() if d not in nested)


def ssc_factor(cov: Covariance, dof: Dof, n_clusters: int) -> float:
    """The small-sample factor ``c`` of :data:`SSC` for ``cov``.

    Unadjusted errors use :math:`s^2 = e'e / (n - k - k_{fe})` under every convention
    (plm, Stata, fixest and linearmodels agree), so ``c = n / (n - k - k_fe)`` with the
    meat :math:`\\sigma^2 X'X`, :math:`\\sigma^2 = e'e/n`.
    """
    n, k, g = dof.n, dof.k, n_clusters
    if cov.kind == "unadjusted":
        return n / (n - k - dof.k_fe)
    ssc = cov.ssc
    if ssc == "linearmodels":
        return n / (n - k - dof.k_fe)
    if ssc == "plm-hc0":
        return 1.0
    if ssc == "plm-hc1":
        return n / (n - k)
    if ssc == "plm-sss":
        return g / (g - 1) * (n - 1) / (n - k)
    if ssc in ("stata", "fixest"):
        if cov.kind == "pcse":  # xtpcse: no small-sample factor
            return 1.0
        if cov.kind == "robust":  # K counts every absorbed effect: none is nested
            return n / (n - k - dof.k_fe)
        return g / (g - 1) * (n - 1) / (n - dof.stata_k(cov))
    raise SpecError(f"model.ssc {ssc!r} is not defined for {cov.kind}")


def sandwich(
    x: np.ndarray,
    resid: np.ndarray,
    cov: Covariance,
    entity: np.ndarray,
    time: np.ndarray,
    dof: Dof,
) -> tuple[np.ndarray, int]:
    """The covariance ``c (X'X)^-1 M (X'X)^-1`` and the number of clusters.

    Parameters
    ----------
    x : ndarray, shape (n, k)
        The design after absorbing the fixed effects.
    resid : ndarray, shape (n,)
        The residuals.
    cov : Covariance
    entity, time : ndarray, shape (n,)
        Panel labels of the rows.
    dof : Dof
        The counts of the small-sample factor.
    """
    x = np.asarray(x, dtype=float)
    resid = np.asarray(resid, dtype=float)
    entity, time = np.asarray(entity), np.asarray(time)
    ainv = np.linalg.inv(x.T @ x)
    if cov.kind == "clustered" and cov.cluster == "twoway" and cov.ssc == "plm-sss":
        # plm::vcovDC: each of V_entity + V_time - V_white with its own sss factor
        parts = (
            replace(cov, cluster="entity"),
            replace(cov, cluster="time"),
            replace(cov, kind="robust"),
        )
        v = np.zeros_like(ainv)
        for sign, part in zip((1, 1, -1), parts, strict=True):
            m, g = meat(x, resid, part, entity, time)
            v = v + sign * ssc_factor(part, dof, g) * (ainv @ m @ ainv)
        g = min(_n_groups(entity), _n_groups(time))
        return (v + v.T) / 2, g
    if cov.kind == "unadjusted":
        v = (resid @ resid) / dof.n * ainv
        g = dof.n
    else:
        m, g = meat(x, resid, cov, np.asarray(entity), np.asarray(time))
        v = ainv @ m @ ainv
    v = ssc_factor(cov, dof, g) * v
    return (v + v.T) / 2, g


def inference_df(cov: Covariance, df_resid: float, n_clusters: int) -> float:
    """Degrees of freedom of the t distribution for p-values and intervals.

    Stata and fixest use ``t(G - 1)`` with clustered errors (fixest ``t.df = "min"``);
    every other convention the residual degrees of freedom of the model.
    """
    if cov.kind == "clustered" and cov.ssc in ("stata", "fixest"):
        return float(n_clusters - 1)
    return float(df_resid)


__all__ = [
    "BANDWIDTH_RULES",
    "CLUSTERS",
    "CLUSTER_DIMS",
    "CORRELATIONS",
    "KINDS",
    "PCSE_VARIANTS",
    "SSC",
    "SUPPORTED_CLUSTERS",
    "SUPPORTED_KINDS",
    "SUPPORTED_SSC",
    "Covariance",
    "Dof",
    "bandwidth_from_rule",
    "inference_df",
    "meat",
    "pcse_sigma",
    "sandwich",
    "ssc_factor",
]
