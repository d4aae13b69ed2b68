"""A fast engine for many linear panel regressions on one sample: absorb once, solve many.

Why this exists
---------------
A specification curve fits hundreds or thousands of regressions that differ only in
their control set, outcome and covariance. A loop of :class:`linearmodels.PanelOLS`
demeans the data, builds the design and computes the covariance from scratch for each
one. This module does the shared work once and vectorises the rest:

1. **Absorb the fixed effects once** per estimation sample (the rows that are complete
   for a group of specifications) for every variable any of them uses. One-way effects
   use the within transformation; two-way effects use an *exact* two-way demeaning that
   works on balanced and unbalanced panels: demean by the larger dimension, then project
   out the (demeaned) dummies of the smaller dimension by solving their small normal
   equations (the same projection linearmodels computes with ``lstsq`` in
   ``PanelData._demean_both``, without building the dummy matrix).
2. **Reuse the cross-products**: the Gram matrix ``Z'Z`` of all absorbed variables is
   computed once; each specification's ``X'X`` and ``X'y`` are sub-blocks of it, and the
   coefficient vectors of all specifications with the same number of regressors are
   found by one batched solve.
3. **Vectorise the covariances**: the influence of each observation on a coefficient,
   ``u_i = (X'X)^{-1}_{j.} x_i e_i``, is computed for all specifications at once
   (an ``n x m`` matrix), and every covariance is a reduction of it: sums of squares
   (robust), squared cluster sums (one- and two-way clustered), kernel-weighted
   autocovariances of period sums (Driscoll-Kraay).

Conventions are exactly linearmodels' (7.1) defaults, so the numbers agree to machine
precision (the tests check 1e-8 on many random specifications):

* a constant is included (``x`` demeaned plus its grand mean, as ``PanelOLS`` does);
* the effects counted in the degrees of freedom are ``(N-1) + (T-1)`` for present
  entities ``N`` and periods ``T``; they are not counted when the model has a single
  effect nested in every cluster variable (``auto_df=True``);
* ``debiased=True``: covariances are scaled by ``n / (n - extra_df - k)`` where ``k``
  counts the constant; p-values and intervals use ``t(n - k - effects)``;
* two-way clustering is ``V_entity + V_time - V_intersection``; ``group_debias`` is
  off unless asked for;
* Driscoll-Kraay uses the Bartlett kernel with bandwidth ``floor(4 (T/100)^(2/9))``
  over the periods present, lagged by position.

Random effects (:class:`RandomEffectsPanel`) re-estimate their variance components for
every specification. The quasi-demeaning ``z - theta_i zbar_i`` depends on a model only
through them, so the variance components of all models of a sample are computed at once
(linearmodels' within and between regressions as sub-blocks of the sample's within and
entity-mean cross-products) and each model's quasi-demeaned cross-products follow from
the sample's own by a rank update over entities; models that are not well conditioned
take linearmodels' least-squares route one at a time.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> ent, tim = np.repeat(np.arange(20), 5), np.tile(np.arange(5), 20)
>>> x = rng.normal(size=(100, 2)); y = x @ [1.0, -0.5] + rng.normal(size=100)
>>> panel = AbsorbedPanel(np.c_[y, x], ["y", "x1", "x2"], ent, tim, ("entity", "time"))
>>> res = panel.fit([FitRequest("y", ("x1", "x2"), "x1", CovSpec("clustered", "entity"))])
>>> bool(abs(res.params[0] - 1.0) < 0.3), int(res.nobs[0]), int(res.df_resid[0])
(True, 100, 74)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import linalg, sparse, stats

from econometrics.covariance import CLUSTER_DIMS, Covariance, bandwidth_from_rule

EFFECT_SETS = {
    "pooled": (),
    "entity": ("entity",),
    "time": ("time",),
    "twoway": ("entity", "time"),
}
CLUSTER_KINDS = CLUSTER_DIMS
#: The covariance request of a fit (:class:`econometrics.covariance.Covariance`).
CovSpec = Covariance


@dataclass(frozen=True)
class FitRequest:
    """One regression on an :class:`AbsorbedPanel`: outcome, regressors, coefficient, covariance."""

    outcome: str
    regressors: tuple[str, ...]
    treatment: str
    cov: CovSpec = field(default_factory=CovSpec)

    def __post_init__(self) -> None:
        self.cov.check_supported("multiverse")  # no PCSE, linearmodels' convention only


@dataclass
class FitBatch:
    """Results of :meth:`AbsorbedPanel.fit`, one entry per request (in request order).

    ``params``/``std_errors`` hold the treatment coefficient; with ``all_coefs=True``,
    ``all_params``/``all_std_errors`` hold every coefficient (``const`` first, then the
    regressors in request order). ``status`` is ``"ok"`` or why the model was not
    estimable (``"absorbed: x"``, ``"collinear"``, ``"no residual df"``).
    """

    params: np.ndarray
    std_errors: np.ndarray
    nobs: np.ndarray
    df_resid: np.ndarray
    nclusters: np.ndarray
    status: list[str]
    debiased: np.ndarray
    all_params: list[np.ndarray] | None = None
    all_std_errors: list[np.ndarray] | None = None

    @classmethod
    def empty(cls, requests: Sequence[FitRequest], nobs: int, *, all_coefs: bool) -> FitBatch:
        """Unestimated results for ``requests`` (NaN estimates, status ``"ok"``), filled in
        place by the ``fit`` methods."""
        m = len(requests)
        return cls(
            params=np.full(m, np.nan),
            std_errors=np.full(m, np.nan),
            nobs=np.full(m, nobs, dtype=np.int64),
            df_resid=np.zeros(m, dtype=np.int64),
            nclusters=np.zeros(m, dtype=np.int64),
            status=["ok"] * m,
            debiased=np.array([r.cov.debiased for r in requests], dtype=bool),
            all_params=[np.empty(0)] * m if all_coefs else None,
            all_std_errors=[np.empty(0)] * m if all_coefs else None,
        )

    def pvalues(self) -> np.ndarray:
        """Two-sided p-values: ``t(df_resid)`` when debiased (linearmodels' rule)."""
        t = np.abs(self.params / self.std_errors)
        return np.where(self.debiased, 2 * stats.t.sf(t, self.df_resid), 2 * stats.norm.sf(t))

    def conf_int(self, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper bounds of the ``level`` confidence interval."""
        q = 1 - (1 - level) / 2
        crit = np.where(self.debiased, stats.t.ppf(q, self.df_resid), stats.norm.ppf(q))
        return self.params - crit * self.std_errors, self.params + crit * self.std_errors


@dataclass(frozen=True)
class FullFit:
    """One regression of :meth:`AbsorbedPanel.fit_full`: coefficients and their covariance."""

    names: list[str]
    params: np.ndarray
    cov: np.ndarray
    nobs: int
    df_resid: int
    nclusters: int
    debiased: bool


def _codes(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Codes ``0..G-1`` in the sort order of the values (O(n) for non-negative integers)."""
    if values.dtype.kind in "iu" and len(values) and values.min() >= 0:
        present = np.bincount(values) > 0
        remap = np.cumsum(present) - 1
        return remap[values].astype(np.int64), int(present.sum())
    if values.dtype.kind == "O":  # labels: hashing, then the levels sorted, as np.unique
        codes, levels = pd.factorize(values, sort=True)
        if len(codes) and codes.min() >= 0:
            return codes.astype(np.int64), len(levels)
    uniq, inv = np.unique(values, return_inverse=True)
    return inv.astype(np.int64), len(uniq)


def _indicator(codes: np.ndarray, n_groups: int) -> sparse.csr_matrix:
    n = codes.shape[0]
    return sparse.csr_matrix((np.ones(n), (codes, np.arange(n))), shape=(n_groups, n))


def group_sums(codes: np.ndarray, n_groups: int, z: np.ndarray) -> np.ndarray:
    """The sums of the rows of ``z`` (n, p) by group code: ``G x p``.

    The same additions in the same (row) order as the product with the sparse indicator
    matrix, so the same bits: a ``bincount`` per column for a few columns (no sparse
    matrix to build), the sparse product for many.
    """
    if z.shape[1] <= 8:
        out = np.empty((n_groups, z.shape[1]))
        for j in range(z.shape[1]):
            out[:, j] = np.bincount(codes, weights=z[:, j], minlength=n_groups)
        return out
    return np.asarray(_indicator(codes, n_groups) @ z)


def _demean_oneway(z: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    counts = np.bincount(codes, minlength=n_groups)
    means = group_sums(codes, n_groups, z) / counts[:, None]
    return z - means.take(codes, axis=0)  # take: the same rows as means[codes], faster


def absorb(
    z: np.ndarray,
    entity: np.ndarray,
    time: np.ndarray,
    effects: Sequence[str],
) -> np.ndarray:
    """Remove entity and/or time fixed effects from every column of ``z`` (exactly).

    Parameters
    ----------
    z : ndarray, shape (n, p)
    entity, time : ndarray of int, shape (n,)
        Codes ``0..N-1`` and ``0..T-1`` of the panel dimensions (each pair unique).
    effects : sequence of str
        Subset of ``("entity", "time")``.

    Returns
    -------
    ndarray
        The residuals of ``z`` on the effect dummies (no constant added back).

    Examples
    --------
    >>> e, t = np.array([0, 0, 1, 1, 1]), np.array([0, 1, 0, 1, 2])
    >>> z = np.array([[1.0], [2.0], [3.0], [5.0], [4.0]])
    >>> np.round(absorb(z, e, t, ("entity",)).ravel(), 6)
    array([-0.5,  0.5, -1. ,  1. ,  0. ])
    """
    z = np.asarray(z, dtype=float)
    effects = tuple(effects)
    if not effects:
        return z.copy()
    if effects == ("entity",):
        return _demean_oneway(z, entity, int(entity.max()) + 1)
    if effects == ("time",):
        return _demean_oneway(z, time, int(time.max()) + 1)
    return TwoWay(entity, time).absorb(z)


#: A Cholesky pivot of ``Q'Q`` below this share of the largest: least squares instead.
FACTOR_TOL = 1e-9


class TwoWay:
    """The exact two-way within transformation of one sample's rows.

    Demean by the larger dimension ``g`` (entity or time), then project out the
    ``g``-demeaned dummies ``Q = M_g H`` of the smaller dimension ``h`` by solving their
    normal equations ``Q'Q tau = Q'z`` (``Q'Q`` is ``a``, ``h``'s first level dropped):
    ``M z = M_g z - Q tau``. ``Q'Q`` and ``Q'z`` need only the ``g x h`` cell counts and
    group sums, never the dummies.

    Parameters
    ----------
    entity, time : ndarray of int, shape (n,)
        Codes ``0..N-1`` and ``0..T-1`` (each pair unique).
    factor : bool
        Solve through ``(Q'Q)^-1``, formed once from a Cholesky factor, instead of by least
        squares per call (equal to rounding; far cheaper for a sample solved several
        times). A ``Q'Q`` that is singular or nearly so (a panel whose dimensions do not
        connect) keeps least squares. The multiverse keeps least squares per call: its
        estimates, and the figures drawn from them, are those bits.
    """

    def __init__(self, entity: np.ndarray, time: np.ndarray, *, factor: bool = False) -> None:
        n_e, n_t = int(entity.max()) + 1, int(time.max()) + 1
        if n_e >= n_t:
            self.g, self.ng, self.h, self.nh = entity, n_e, time, n_t
        else:
            self.g, self.ng, self.h, self.nh = time, n_t, entity, n_e
        ng_, nh = self.ng, self.nh
        counts = np.bincount(self.g * nh + self.h, minlength=ng_ * nh).reshape(ng_, nh)
        #: rows per (g, h) cell, per g group, and ``Q'Q``
        self.counts = counts.astype(float)
        self.n_g = self.counts.sum(axis=1)
        self.a = np.diag(self.counts.sum(axis=0)) - self.counts.T @ (
            self.counts / self.n_g[:, None]
        )
        self._inverse: np.ndarray | None = None
        if factor and nh > 1:
            c, lower = linalg.cho_factor(self.a[1:, 1:], check_finite=False)
            pivots = np.diag(c) ** 2
            if pivots.min() > FACTOR_TOL * pivots.max():  # else singular, or nearly
                eye = np.eye(nh - 1)
                self._inverse = linalg.cho_solve((c, lower), eye, check_finite=False)

    def solve(self, b: np.ndarray) -> np.ndarray:
        """``tau`` of ``Q'Q tau = b`` with the first level of ``h`` at zero (least squares,
        minimum norm: a panel whose dimensions do not connect leaves ``Q'Q`` singular)."""
        tau = np.zeros_like(b)
        if self._inverse is not None:
            tau[1:] = self._inverse @ b[1:]
        else:
            tau[1:] = np.linalg.lstsq(self.a[1:, 1:], b[1:], rcond=None)[0]
        return tau

    def absorb(self, z: np.ndarray) -> np.ndarray:
        """``M z``: the residuals of every column of ``z`` on both sets of dummies."""
        zt = _demean_oneway(z, self.g, self.ng)
        if self.nh <= 1:
            return zt
        return self.remove(zt, self.solve(group_sums(self.h, self.nh, zt)))

    def remove(self, zt: np.ndarray, tau: np.ndarray) -> np.ndarray:
        """``zt - Q tau`` for ``zt`` demeaned by ``g`` and ``tau`` (``h x p``) the solution
        of the projection on ``Q`` (:meth:`solve`): the second step of :meth:`absorb`."""
        shift = (self.counts @ tau) / self.n_g[:, None]
        correction = tau.take(self.h, axis=0) - shift.take(self.g, axis=0)
        return zt - correction


#: A column whose norm after absorbing the effects is below this share of its norm is gone.
ABSORBED_TOL = 1e-8


def negligible(values: np.ndarray, absorbed: np.ndarray) -> np.ndarray:
    """Columns with (almost) nothing left after absorption: the one rule for dropping
    regressors that fixed effects, or the constant, absorb.

    ``absorbed`` is ``values`` with the effects removed (:func:`absorb`), or demeaned when
    the model has only a constant. A column is gone when the norm of what is left is at
    most :data:`ABSORBED_TOL` times the norm of the column itself (uncentred, so that a
    constant column counts as absorbed under any effects, as in R plm and fixest).
    """
    values = np.asarray(values, dtype=float)
    scale = np.sqrt((values**2).sum(0))
    resid = np.sqrt((np.asarray(absorbed, dtype=float) ** 2).sum(0))
    return resid <= ABSORBED_TOL * np.maximum(scale, 1e-300)


def absorbed_reason(effects: Sequence[str], *, constant: bool = True, flat: bool = False) -> str:
    """Why :func:`negligible` drops a column: it is constant in the sample (``flat``), the
    effects absorb it, or the intercept does."""
    if flat and (effects or not constant):
        return "constant in the estimation sample"
    if effects:
        return f"absorbed by the {' and '.join(effects)} fixed effects"
    return "constant (absorbed by the intercept)" if constant else "zero"


def redundant_columns(
    values: np.ndarray,
    names: Sequence[str],
    entity: np.ndarray,
    time: np.ndarray,
    effects: Sequence[str],
    *,
    constant: bool = True,
) -> dict[str, str]:
    """Regressors a model cannot estimate, each with the reason, in column order.

    First the columns the fixed effects absorb (time-invariant variables under entity
    effects; a column constant in the sample, such as the dummy of a level the sample
    lacks, is reported as constant) or, without effects, constant columns (the
    intercept absorbs them); then, in order, every column that is a linear combination
    of the earlier kept ones after absorption ("collinear"), as fixest drops them.
    ``constant=False`` (first differences) tests the absorbed columns without demeaning.

    Examples
    --------
    >>> e, t = np.repeat([0, 1, 2], 3), np.tile([0, 1, 2], 3)
    >>> x = np.c_[np.arange(9.0) ** 2, np.repeat([1.0, 2, 5], 3), np.ones(9), 2 * np.arange(9.0) ** 2]
    >>> redundant_columns(x, ["x", "g", "one", "x2"], e, t, ("entity",))
    {'g': 'absorbed by the entity fixed effects', 'one': 'constant in the estimation sample', 'x2': 'collinear with x'}
    """
    values = np.asarray(values, dtype=float)
    effects = tuple(effects)
    if effects:
        ent, _ = _codes(np.asarray(entity))
        tim, _ = _codes(np.asarray(time))
        z = absorb(values, ent, tim, effects)
    else:
        z = values - values.mean(0) if constant else values
    gone = negligible(values, z)
    flat = np.ptp(values, axis=0) == 0 if len(values) else np.ones(values.shape[1], bool)
    out: dict[str, str] = {}
    for j, name in enumerate(names):
        if gone[j]:
            out[name] = absorbed_reason(effects, constant=constant, flat=bool(flat[j]))
    rest = [j for j in range(len(names)) if not gone[j]]
    collinear = collinear_columns(z[:, rest].T @ z[:, rest])
    for pos, earlier in collinear.items():
        out[names[rest[pos]]] = "collinear with " + ", ".join(names[rest[i]] for i in earlier)
    return {name: out[name] for name in names if name in out}


#: A column whose part not explained by the earlier kept columns has a norm below this
#: share of its own norm is collinear with them.
COLLINEAR_TOL = 1e-7


def collinear_columns(gram: np.ndarray) -> dict[int, list[int]]:
    """Columns that are linear combinations of earlier kept ones, from their Gram matrix.

    ``gram`` is ``Z'Z`` of the absorbed (or demeaned) columns, in order. Each column is
    tested against the columns kept before it (fixest's order: the later one is dropped):
    its squared residual norm ``G_jj - G_jK G_KK^-1 G_Kj`` at most ``COLLINEAR_TOL**2``
    times ``G_jj`` makes it collinear. Returns column position -> the kept positions.

    Examples
    --------
    >>> z = np.c_[[1.0, -1, 0, 0], [0.0, 0, 1, -1], [2.0, -2, 3, -3]]
    >>> collinear_columns(z.T @ z)
    {2: [0, 1]}
    """
    diag = np.diag(gram).astype(float)
    scale = np.sqrt(np.where(diag > 0, diag, 1.0))
    corr = gram / np.outer(scale, scale)  # unit diagonal: the test is scale-free
    kept: list[int] = []
    out: dict[int, list[int]] = {}
    for j in range(corr.shape[0]):
        left = 1.0 if diag[j] > 0 else 0.0
        if kept and left > 0:
            ck = corr[np.ix_(kept, kept)]
            ckj = corr[kept, j]
            left = 1.0 - float(ckj @ np.linalg.lstsq(ck, ckj, rcond=None)[0])
        if left <= COLLINEAR_TOL**2:
            out[j] = list(kept)
            continue
        kept.append(j)
    return out


def _is_nested(effect: np.ndarray, cluster: np.ndarray) -> bool:
    """Each group of ``effect`` lies in one group of ``cluster``."""
    pairs = np.unique(np.c_[effect, cluster], axis=0)
    return len(np.unique(pairs[:, 0])) == len(pairs)


def bartlett_bandwidth(n_periods: int) -> float:
    """linearmodels' default Driscoll-Kraay bandwidth ``floor(4 (T/100)^(2/9))``."""
    return float(bandwidth_from_rule("newey-west", n_periods))


class AbsorbedPanel:
    """Variables of one estimation sample with the fixed effects absorbed once.

    Parameters
    ----------
    values : ndarray, shape (n, p)
        The variables (no missing values: select complete rows first).
    names : sequence of str
        Column names of ``values``.
    entity, time : array_like, shape (n,)
        Panel labels of the rows (any sortable values; each pair unique).
    effects : sequence of str
        Absorbed effects, a subset of ``("entity", "time")``.
    constant : bool
        Include a constant (linearmodels: ``x`` demeaned plus its grand mean).
    """

    def __init__(
        self,
        values: np.ndarray,
        names: Sequence[str],
        entity: np.ndarray,
        time: np.ndarray,
        effects: Sequence[str] = ("entity", "time"),
        *,
        constant: bool = True,
    ) -> None:
        values = np.asarray(values, dtype=float)
        if values.ndim != 2 or values.shape[1] != len(names):
            raise ValueError("values must be (n, len(names))")
        if not np.isfinite(values).all():
            raise ValueError("values has missing or infinite entries; select complete rows")
        self.names = list(names)
        self.col = {name: j + 1 for j, name in enumerate(self.names)}  # column 0: const
        self.effects = tuple(effects)
        self.entity, self.n_entity = _codes(np.asarray(entity))
        self.time, self.n_time = _codes(np.asarray(time))
        self.nobs = values.shape[0]
        absorbed = absorb(values, self.entity, self.time, self.effects)
        # a variable the effects (or, without effects, the constant) absorb
        gone = negligible(values, absorbed if self.effects else values - values.mean(0))
        self.absorbed_vars = {name for name, g in zip(self.names, gone, strict=True) if g}
        flat = np.ptp(values, axis=0) == 0 if self.nobs else np.ones(len(self.names), bool)
        self.constant_vars = {name for name, f in zip(self.names, flat, strict=True) if f}
        if constant:
            absorbed = absorbed + values.mean(0) if self.effects else values
            self.z = np.c_[np.ones(self.nobs), absorbed]
        else:
            self.z = np.c_[np.zeros(self.nobs), absorbed]
        self.constant = constant
        self.gram = self.z.T @ self.z
        drop_first = constant
        neff = 0
        if "entity" in self.effects:
            neff += self.n_entity - drop_first
            drop_first = True
        if "time" in self.effects:
            neff += self.n_time - drop_first
        self.neffects = neff
        self._cluster_ind: dict[str, tuple[sparse.csr_matrix, int]] = {}
        self._time_ind: sparse.csr_matrix | None = None

    # ------------------------------------------------------------------ helpers
    def _cluster_codes(self, which: str) -> np.ndarray:
        return self.entity if which == "entity" else self.time

    def _cluster_sums(self, which: str, u: np.ndarray) -> tuple[np.ndarray, int]:
        if which not in self._cluster_ind:
            codes = self._cluster_codes(which)
            ng = int(codes.max()) + 1
            self._cluster_ind[which] = (_indicator(codes, ng), ng)
        ind, ng = self._cluster_ind[which]
        return np.asarray(ind @ u), ng

    def _extra_df(self, cov: CovSpec) -> int:
        if cov.kind != "clustered" or not self.effects:
            return self.neffects
        if len(self.effects) != 1:
            return self.neffects
        eff = self.entity if self.effects[0] == "entity" else self.time
        dims = ["entity", "time"] if cov.cluster == "twoway" else [cov.cluster]
        nested = all(_is_nested(eff, self._cluster_codes(d)) for d in dims)
        return 0 if nested else self.neffects

    def _meat(self, u: np.ndarray, cov: CovSpec, *, full: bool = False) -> tuple[np.ndarray, int]:
        """Sum of squared scores for each column of ``u`` (shape (n, m)); and #clusters.

        With ``full``, the whole ``m x m`` matrix of summed score cross-products (the
        meat of a sandwich covariance of ``m`` coefficients) instead of its diagonal.
        """
        n = self.nobs

        def gd(g: int) -> float:
            return (g / (g - 1)) * ((n - 1) / n) if cov.group_debias else 1.0

        def sq(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            return a.T @ b if full else (a * b).sum(0)

        if cov.kind == "robust":
            return sq(u, u), n
        if cov.kind == "clustered":
            if cov.cluster in ("entity", "time"):
                s, g = self._cluster_sums(cov.cluster, u)
                return sq(s, s) * gd(g), g
            se, ge = self._cluster_sums("entity", u)
            st, gt = self._cluster_sums("time", u)
            inter = sq(u, u) * gd(n)
            return sq(se, se) * gd(ge) + sq(st, st) * gd(gt) - inter, min(ge, gt)
        if cov.kind == "driscoll-kraay":
            st, nt = self._cluster_sums("time", u)  # time codes are sorted periods
            bw = cov.bandwidth_for(nt)
            if bw >= nt:
                raise ValueError(f"Driscoll-Kraay bandwidth {bw:g} must be below {nt} periods")
            w = 1 - np.arange(int(bw) + 1) / (int(bw) + 1)
            meat = sq(st, st)
            for lag in range(1, len(w)):
                cross = sq(st[lag:], st[:-lag])
                meat = meat + w[lag] * (cross + cross.T if full else 2 * cross)
            return meat, nt
        raise AssertionError(cov.kind)

    def fit_full(
        self, outcome: str, regressors: Sequence[str], cov: CovSpec | None = None
    ) -> FullFit:
        """One regression with every coefficient and the full covariance matrix.

        The same estimator and conventions as :meth:`fit` (which reports one coefficient
        per request for many requests at once); this is for a model whose coefficients
        are combined afterwards, as the cohort effects of an event study are.

        Raises
        ------
        ValueError
            A regressor the effects absorb, collinear regressors, or no residual df.
        """
        cov = cov or CovSpec()
        regressors = tuple(regressors)
        bad = sorted(self.absorbed_vars.intersection(regressors))
        if bad:
            raise ValueError(f"absorbed by the fixed effects: {', '.join(bad)}")
        cols = [0] * int(self.constant) + [self.col[v] for v in regressors]
        names = ["const"] * int(self.constant) + list(regressors)
        k = len(cols)
        xtx = self.gram[np.ix_(cols, cols)]
        eig = np.linalg.eigvalsh(xtx)  # X'X is symmetric: its condition number, without an SVD
        if not (eig[0] > 0 and eig[-1] / eig[0] < 1e13):
            raise ValueError("the regressors are collinear (given the fixed effects)")
        extra = self._extra_df(cov)
        df_resid = self.nobs - k - self.neffects
        n_eff = self.nobs - extra - (k if cov.debiased else 0)
        if n_eff <= 0 or df_resid <= 0:
            raise ValueError("no residual degrees of freedom")
        ainv = np.linalg.inv(xtx)
        beta = ainv @ self.gram[cols, self.col[outcome]]
        x = self.z[:, cols]
        resid = self.z[:, self.col[outcome]] - x @ beta
        scale = self.nobs / n_eff
        if cov.kind == "unadjusted":
            vcov = scale * float(resid @ resid) / self.nobs * ainv
            g = 0
        else:
            meat, g = self._meat(x * resid[:, None], cov, full=True)
            vcov = scale * (ainv @ meat @ ainv)
        return FullFit(names, beta, vcov, self.nobs, df_resid, g, cov.debiased)

    # ------------------------------------------------------------------ fitting
    def fit(self, requests: Sequence[FitRequest], *, all_coefs: bool = False) -> FitBatch:
        """Fit every request; results in request order.

        Requests with the same outcome and regressors share their coefficients and
        scores; requests with the same number of regressors are solved in one batch.
        """
        batch = FitBatch.empty(requests, self.nobs, all_coefs=all_coefs)
        params, ses, df_resid, ncl = batch.params, batch.std_errors, batch.df_resid, batch.nclusters
        status, all_p, all_s = batch.status, batch.all_params, batch.all_std_errors

        # unique models (outcome, regressors) -> requests
        models: dict[tuple[str, tuple[str, ...], str], list[int]] = {}
        for i, r in enumerate(requests):
            if r.treatment not in r.regressors:
                raise ValueError(f"treatment {r.treatment!r} is not among the regressors")
            bad = self.absorbed_vars.intersection(r.regressors)
            if bad:
                status[i] = "absorbed: " + ",".join(sorted(bad))
                continue
            models.setdefault((r.outcome, tuple(r.regressors), r.treatment), []).append(i)
        by_k: dict[int, list[tuple[str, tuple[str, ...], str]]] = {}
        for key in models:
            by_k.setdefault(len(key[1]) + 1, []).append(key)

        for k, keys in by_k.items():
            cols = np.array([[0, *(self.col[v] for v in regs)] for _, regs, _ in keys])
            ycols = np.array([self.col[y] for y, _, _ in keys])
            xtx = self.gram[cols[:, :, None], cols[:, None, :]]
            xty = self.gram[cols, ycols[:, None]]
            if not self.constant:
                xtx = xtx[:, 1:, 1:]
                xty = xty[:, 1:]
                cols = cols[:, 1:]
                k = k - 1
            cond = np.linalg.cond(xtx)
            ok = np.isfinite(cond) & (cond < 1e13)
            xtx_ok = np.where(ok[:, None, None], xtx, np.eye(k))
            ainv = np.linalg.inv(xtx_ok)
            beta = np.einsum("mij,mj->mi", ainv, xty)
            nm = len(keys)
            bfull = np.zeros((self.z.shape[1], nm))
            np.add.at(bfull, (cols, np.arange(nm)[:, None]), beta)
            resid = self.z[:, ycols] - self.z @ bfull  # (n, nm)
            positions: list[int] = list(range(k)) if all_coefs else []
            tpos = np.array([regs.index(treat) + int(self.constant) for _, regs, treat in keys])
            # influence of every observation on the coefficients of interest
            infl: dict[object, np.ndarray] = {}

            def influence(pos: np.ndarray, cols=cols, ainv=ainv, resid=resid, nm=nm) -> np.ndarray:
                afull = np.zeros((self.z.shape[1], nm))
                np.add.at(afull, (cols, np.arange(nm)[:, None]), ainv[np.arange(nm), pos, :])
                return (self.z @ afull) * resid

            infl["t"] = influence(tpos)
            for j in positions:
                infl[j] = influence(np.full(nm, j))
            ssr = (resid**2).sum(0)
            # group requests of this k by covariance
            for mi, key in enumerate(keys):
                for i in models[key]:
                    r = requests[i]
                    if not ok[mi]:
                        status[i] = "collinear"
                        continue
                    extra = self._extra_df(r.cov)
                    n_eff = self.nobs - extra - (k if r.cov.debiased else 0)
                    df_resid[i] = self.nobs - k - self.neffects
                    if n_eff <= 0 or df_resid[i] <= 0:
                        status[i] = "no residual df"
                        continue
                    params[i] = beta[mi, tpos[mi]]
            # vectorised variances, one covariance spec at a time
            covs: dict[CovSpec, list[tuple[int, int]]] = {}
            for mi, key in enumerate(keys):
                for i in models[key]:
                    if status[i] == "ok":
                        covs.setdefault(requests[i].cov, []).append((mi, i))
            for cov, pairs in covs.items():
                mis = np.array([p[0] for p in pairs])
                idx = np.array([p[1] for p in pairs])
                extra = self._extra_df(cov)
                scale = self.nobs / (self.nobs - extra - (k if cov.debiased else 0))
                targets: list[object] = ["t", *positions]
                out: dict[object, np.ndarray] = {}
                try:
                    for tgt in targets:
                        if cov.kind == "unadjusted":
                            pos = tpos[mis] if tgt == "t" else np.full(len(mis), tgt)
                            s2 = scale * ssr[mis] / self.nobs
                            out[tgt] = np.sqrt(s2 * ainv[mis, pos, pos])
                            g = 0
                        else:
                            meat, g = self._meat(infl[tgt][:, mis], cov)
                            # a two-way clustered variance can be negative: NaN, as linearmodels
                            with np.errstate(invalid="ignore"):
                                out[tgt] = np.sqrt(scale * meat)
                except ValueError as exc:  # a Driscoll-Kraay bandwidth above the periods
                    # only this covariance fails, not the other requests of the batch
                    params[idx] = np.nan
                    for i in idx:
                        status[i] = f"failed: {exc}"
                    continue
                ses[idx] = out["t"]
                ncl[idx] = g if cov.kind in ("clustered", "driscoll-kraay") else 0
                if all_coefs:
                    assert all_p is not None and all_s is not None
                    for row, (mi, i) in enumerate(pairs):
                        all_p[i] = beta[mi].copy()
                        all_s[i] = np.array([out[j][row] for j in positions])
        return batch


def _lstsq(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, int]:
    """Least squares and rank as linearmodels computes them (``gelsy``, ``max(n, k) eps``)."""
    cond = float(max(x.shape) * np.finfo(np.float64).eps)
    beta, _, rank, _ = linalg.lstsq(x, y, cond=cond, lapack_driver="gelsy")
    return beta, int(rank)


#: Random-effects models whose residuals and scores are computed together (n x models
#: arrays small enough to stay in the processor's cache).
RE_CHUNK = 16


def _sumsq(a: np.ndarray) -> np.ndarray:
    """Sum of squares of each column."""
    return np.einsum("ij,ij->j", a, a)


class RandomEffectsPanel:
    """Variables of one estimation sample for many random-effects regressions.

    linearmodels' ``RandomEffects`` (7.1, ``small_sample=False``) runs three regressions
    per model: the within regression (entity-demeaned data plus the grand means) for the
    idiosyncratic variance, the between regression (entity means) for the variance of
    the effects, and OLS on the quasi-demeaned data ``z - theta_i zbar_i``. Its
    covariances are those of that last regression with no absorbed effects. This class
    computes the entity means, the demeaned data and the counts once per sample and
    then runs the three regressions of each request on plain arrays (the same ``gelsy``
    least squares and rank rule as linearmodels, no pandas), so it gives
    linearmodels' numbers at a small fraction of the cost of a ``RandomEffects`` fit.

    Unlike the fixed-effects engine, time-invariant regressors are estimable (they
    have no within variation and no within rank, as in linearmodels).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> ent, tim = np.repeat(np.arange(30), 6), np.tile(np.arange(6), 30)
    >>> x = rng.normal(size=(180, 1))
    >>> y = 0.5 * x[:, 0] + rng.normal(size=30)[ent] + rng.normal(size=180)
    >>> panel = RandomEffectsPanel(np.c_[y, x], ["y", "x"], ent, tim)
    >>> res = panel.fit([FitRequest("y", ("x",), "x", CovSpec("clustered", "entity"))])
    >>> res.status[0], bool(abs(res.params[0] - 0.5) < 0.3), int(res.df_resid[0])
    ('ok', True, 178)
    """

    def __init__(
        self,
        values: np.ndarray,
        names: Sequence[str],
        entity: np.ndarray,
        time: np.ndarray,
    ) -> None:
        # the pooled panel holds the codes and computes the cluster/kernel meat
        self.scores = AbsorbedPanel(values, names, entity, time, ())
        self.values = np.asarray(values, dtype=float)
        self.names = list(names)
        self.col = {name: j for j, name in enumerate(self.names)}
        self.nobs = self.values.shape[0]
        codes, n_ent = self.scores.entity, self.scores.n_entity
        self.entity = codes
        ind = _indicator(codes, n_ent)
        self.counts = np.asarray(ind.sum(axis=1)).ravel()
        self.means = (ind @ self.values) / self.counts[:, None]
        self.within = self.values - self.means[codes]
        self.grand = self.values.mean(0)

    def transformed(self, request: FitRequest) -> tuple[np.ndarray, np.ndarray, str]:
        """The quasi-demeaned outcome and design (``const`` first) of one request.

        OLS of the first on the second gives the random-effects coefficients; the
        status is ``"ok"`` or why the variance components cannot be estimated.
        """
        y = self.col[request.outcome]
        regs = [self.col[r] for r in request.regressors]
        n, n_ent = self.nobs, len(self.counts)
        ones = np.ones((n, 1))
        x = np.c_[ones, self.values[:, regs]]
        # within regression: rank of the demeaned regressors in their original units
        xw = np.c_[np.zeros((n, 1)), self.within[:, regs]]
        norm = np.sqrt((x**2).sum(0))
        norm[norm == 0.0] = 1.0
        yw = self.within[:, y]
        _, rank_within = _lstsq(xw / norm, yw)
        xw = xw + np.r_[1.0, self.grand[regs]]
        yw = yw + self.grand[y]
        weps = yw - xw @ _lstsq(xw, yw)[0]
        # between regression on the entity means
        xb = np.c_[np.ones((n_ent, 1)), self.means[:, regs]]
        yb = self.means[:, y]
        beta_b, rank_between = _lstsq(xb, yb)
        wu = yb - xb @ beta_b
        df_within = n - n_ent - rank_within
        df_between = n_ent - rank_between
        if df_within <= 0:
            return yw, xw, "failed: no within residual df"
        if df_between <= 0:
            return yw, xw, "failed: no between residual df"
        sigma2_e = float(weps @ weps) / df_within
        t_bar = n_ent / (1.0 / self.counts).sum()
        sigma2_u = max(0.0, float(wu @ wu) / df_between - sigma2_e / t_bar)
        with np.errstate(invalid="ignore", divide="ignore"):
            theta = 1.0 - np.sqrt(sigma2_e / (self.counts * sigma2_u + sigma2_e))
        if not np.isfinite(theta).all():
            return yw, xw, "failed: undefined variance components"
        th = theta[self.entity]
        wy = self.values[:, y] - th * yb[self.entity]
        wx = x - th[:, None] * xb[self.entity]
        return wy, wx, "ok"

    def fit(self, requests: Sequence[FitRequest], *, all_coefs: bool = False) -> FitBatch:
        """Fit every request (random effects); results in request order.

        Models whose three regressions are well conditioned are estimated together
        (:meth:`_fit_batched`); the others (time-invariant regressors, near-collinear
        designs, no residual df) one at a time with linearmodels' least squares and
        rank rules (:meth:`_fit_one`).
        """
        batch = FitBatch.empty(requests, self.nobs, all_coefs=all_coefs)
        for r in requests:
            if r.treatment not in r.regressors:
                raise ValueError(f"treatment {r.treatment!r} is not among the regressors")
        done = self._fit_batched(requests, batch, all_coefs=all_coefs)
        for i, r in enumerate(requests):
            if i not in done:
                self._fit_one(i, r, batch, all_coefs=all_coefs)
        return batch

    def _fit_batched(
        self, requests: Sequence[FitRequest], batch: FitBatch, *, all_coefs: bool
    ) -> set[int]:
        """Fit the well-conditioned models of ``requests`` together; the indices done.

        The quasi-demeaning ``z - theta_i zbar_i`` depends on a model only through its
        variance components, so every model's cross-products follow from the sample's
        own: ``sum (z - theta_i zbar_i)(z - theta_i zbar_i)' = Z'Z - sum_i c_i zbar_i
        zbar_i'`` with ``c_i = (2 theta_i - theta_i^2) T_i``. The within and between
        regressions are sub-blocks of the within and entity-mean cross-products, the
        residuals and scores of all models of one size are a few matrix products.
        Normal equations are used only where every system is well conditioned
        (condition number below 1e6), so they agree with linearmodels' least squares to
        about 1e-10; other models are left to :meth:`_fit_one`.
        """
        if not hasattr(self, "_gram"):
            zc = np.c_[np.ones(self.nobs), self.values]
            mc = np.c_[np.ones(len(self.counts)), self.means]
            self._zc, self._mc = zc, mc
            self._gram, self._gram_means = zc.T @ zc, mc.T @ mc
            self._gram_within = self.within.T @ self.within
            self._sumsq = (zc**2).sum(0)  # squared column norms (const first)
        zc, mc, ent, counts = self._zc, self._mc, self.entity, self.counts
        n, n_ent = self.nobs, len(counts)
        t_bar = n_ent / (1.0 / counts).sum()
        models: dict[tuple[str, tuple[str, ...]], list[int]] = {}
        for i, r in enumerate(requests):
            models.setdefault((r.outcome, tuple(r.regressors)), []).append(i)
        by_k: dict[int, list[tuple[str, tuple[str, ...]]]] = {}
        for key in models:
            by_k.setdefault(len(key[1]) + 1, []).append(key)
        done: set[int] = set()

        def well(gram: np.ndarray, limit: float) -> np.ndarray:
            eig = np.linalg.eigvalsh(gram)
            with np.errstate(divide="ignore", invalid="ignore"):
                return (eig[:, 0] > 0) & (eig[:, -1] / eig[:, 0] < limit)

        for k, keys in by_k.items():
            if n - n_ent - (k - 1) <= 0 or n_ent - k <= 0 or n - k <= 0:
                continue
            regs = np.array([[1 + self.col[v] for v in key[1]] for key in keys])  # in zc
            cols = np.c_[np.zeros(len(keys), dtype=int), regs]
            ycol = np.array([1 + self.col[key[0]] for key in keys])
            # within regression (slopes of the entity-demeaned data); its rank on
            # columns scaled by their norms in the data, as linearmodels measures it
            gw = self._gram_within[(regs - 1)[:, :, None], (regs - 1)[:, None, :]]
            norm = np.sqrt(self._sumsq[regs])
            ok = well(gw / (norm[:, :, None] * norm[:, None, :]), 1e8)
            # between regression on the entity means, with a constant
            gb = self._gram_means[cols[:, :, None], cols[:, None, :]]
            bnorm = np.sqrt(gb[:, np.arange(k), np.arange(k)])
            ok &= well(gb / (bnorm[:, :, None] * bnorm[:, None, :]), 1e8) & well(gb, 1e16)
            if not ok.any():
                continue
            keys = [key for key, good in zip(keys, ok, strict=True) if good]
            regs, cols, ycol, gw, gb = regs[ok], cols[ok], ycol[ok], gw[ok], gb[ok]
            nm = len(keys)
            m_idx = np.arange(nm)
            bw = np.linalg.solve(gw, self._gram_within[regs - 1, (ycol - 1)[:, None]][..., None])
            # within residuals y - X b of every model: within @ (e_y - b), by chunks
            gfull = np.zeros((self.values.shape[1], nm))
            np.add.at(gfull, (regs - 1, m_idx[:, None]), -bw[..., 0])
            gfull[ycol - 1, m_idx] = 1.0
            ssr_within = np.concatenate(
                [
                    _sumsq(self.within @ gfull[:, lo : lo + RE_CHUNK])
                    for lo in range(0, nm, RE_CHUNK)
                ]
            )
            bb = np.linalg.solve(gb, self._gram_means[cols, ycol[:, None]][..., None])[..., 0]
            bfull = np.zeros((mc.shape[1], nm))
            np.add.at(bfull, (cols, m_idx[:, None]), bb)
            eb = mc[:, ycol] - mc @ bfull
            sigma2_e = ssr_within / (n - n_ent - (k - 1))
            sigma2_u = np.maximum(0.0, (eb**2).sum(0) / (n_ent - k) - sigma2_e / t_bar)
            with np.errstate(invalid="ignore", divide="ignore"):
                theta = 1.0 - np.sqrt(
                    sigma2_e[:, None] / (counts * sigma2_u[:, None] + sigma2_e[:, None])
                )
            ok = np.isfinite(theta).all(axis=1)
            # cross-products of the quasi-demeaned data from the sample's own
            c = (2.0 * theta - theta**2) * counts  # (nm, n_ent)
            mx = np.moveaxis(mc[:, cols], 0, 1)  # (nm, n_ent, k)
            xtx = self._gram[cols[:, :, None], cols[:, None, :]] - np.einsum(
                "mi,mij,mil->mjl", c, mx, mx
            )
            xty = self._gram[cols, ycol[:, None]] - np.einsum("mi,mij,mi->mj", c, mx, mc[:, ycol].T)
            ok &= well(np.where(ok[:, None, None], xtx, np.eye(k)), 1e6)
            if not ok.any():
                continue
            xtx = np.where(ok[:, None, None], xtx, np.eye(k))
            ainv = np.linalg.inv(xtx)
            beta = np.einsum("mij,mj->mi", ainv, xty)
            positions = list(range(k)) if all_coefs else []
            for mi, key in enumerate(keys):
                if not ok[mi]:
                    continue
                for i in models[key]:
                    done.add(i)
                    batch.df_resid[i] = n - k
            tpos = np.array([1 + key[1].index(requests[models[key][0]].treatment) for key in keys])
            # requests of one model may name different treatments: fit those one by one
            for mi, key in enumerate(keys):
                for i in models[key]:
                    if 1 + key[1].index(requests[i].treatment) != tpos[mi]:
                        done.discard(i)
            covs: dict[CovSpec, list[tuple[int, int]]] = {}
            for mi, key in enumerate(keys):
                for i in models[key]:
                    if i in done:
                        covs.setdefault(requests[i].cov, []).append((mi, i))
            failed: dict[CovSpec, str] = {}
            # the n x models arrays (residuals, scores) a chunk of models at a time, so
            # that they stay in the processor's cache
            for lo in range(0, nm, RE_CHUNK):
                sel = m_idx[lo : lo + RE_CHUNK]
                th_e = theta[sel].T  # (n_ent, chunk)

                def quasi(full: np.ndarray, th_e: np.ndarray = th_e) -> np.ndarray:
                    """``(z - theta_i zbar_i) @ full`` for each model's column of ``full``."""
                    return zc @ full - (th_e * (mc @ full)).take(ent, axis=0)

                def spread(
                    coef: np.ndarray, sel: np.ndarray = sel, cols: np.ndarray = cols
                ) -> np.ndarray:
                    """Each model's coefficients (chunk x k) at its columns of ``zc``."""
                    full = np.zeros((zc.shape[1], len(sel)))
                    np.add.at(full, (cols[sel], np.arange(len(sel))[:, None]), coef)
                    return full

                resid = spread(-beta[sel])
                resid[ycol[sel], np.arange(len(sel))] = 1.0
                eps = quasi(resid)  # y - X b of the quasi-demeaned data
                ssr = _sumsq(eps)
                scores: dict[object, np.ndarray] = {
                    "t": quasi(spread(ainv[sel, tpos[sel], :])) * eps
                }
                for j in positions:
                    scores[j] = quasi(spread(ainv[sel, j, :])) * eps
                for cov, all_pairs in covs.items():
                    pairs = [(mi - lo, i) for mi, i in all_pairs if lo <= mi < lo + len(sel)]
                    if not pairs:
                        continue
                    at = np.array([p[0] for p in pairs])  # within the chunk
                    mis = sel[at]
                    idx = np.array([p[1] for p in pairs])
                    if cov in failed:
                        for i in idx:
                            batch.status[i] = failed[cov]
                        continue
                    scale = n / (n - (k if cov.debiased else 0))
                    out: dict[object, np.ndarray] = {}
                    g = 0
                    try:
                        for tgt in ["t", *positions]:
                            if cov.kind == "unadjusted":
                                pos = tpos[mis] if tgt == "t" else np.full(len(mis), tgt)
                                out[tgt] = np.sqrt(scale * ssr[at] / n * ainv[mis, pos, pos])
                            else:
                                meat, g = self.scores._meat(scores[tgt][:, at], cov)
                                with np.errstate(invalid="ignore"):
                                    out[tgt] = np.sqrt(scale * meat)
                    except ValueError as exc:  # a Driscoll-Kraay bandwidth above the periods
                        failed[cov] = f"failed: {exc}"
                        for i in idx:
                            batch.status[i] = failed[cov]
                        continue
                    batch.params[idx] = beta[mis, tpos[mis]]
                    batch.std_errors[idx] = out["t"]
                    batch.nclusters[idx] = g if cov.kind in ("clustered", "driscoll-kraay") else 0
                    if all_coefs:
                        assert batch.all_params is not None and batch.all_std_errors is not None
                        for row, (mi, i) in enumerate(pairs):
                            batch.all_params[i] = beta[sel[mi]].copy()
                            batch.all_std_errors[i] = np.array([out[j][row] for j in positions])
        return done

    def _fit_one(self, i: int, r: FitRequest, batch: FitBatch, *, all_coefs: bool) -> None:
        """Fit request ``i`` alone with linearmodels' least squares and rank rules."""
        params, ses, df_resid, ncl = batch.params, batch.std_errors, batch.df_resid, batch.nclusters
        status, all_p, all_s = batch.status, batch.all_params, batch.all_std_errors
        n = self.nobs
        wy, wx, status[i] = self.transformed(r)
        if status[i] != "ok":
            return
        k = wx.shape[1]
        df_resid[i] = n - k
        xtx = wx.T @ wx
        if not np.linalg.cond(xtx) < 1e13:
            status[i] = "collinear"
            return
        if n - (k if r.cov.debiased else 0) <= 0 or df_resid[i] <= 0:
            status[i] = "no residual df"
            return
        beta = _lstsq(wx, wy)[0]
        eps = wy - wx @ beta
        ainv = np.linalg.inv(xtx)
        scale = n / (n - (k if r.cov.debiased else 0))
        pos = list(range(k)) if all_coefs else [1 + r.regressors.index(r.treatment)]
        if r.cov.kind == "unadjusted":
            se = np.sqrt(scale * float(eps @ eps) / n * ainv[pos, pos])
            g = 0
        else:
            try:
                meat, g = self.scores._meat((wx @ ainv[:, pos]) * eps[:, None], r.cov)
            except ValueError as exc:  # a Driscoll-Kraay bandwidth above the periods
                status[i] = f"failed: {exc}"
                return
            with np.errstate(invalid="ignore"):
                se = np.sqrt(scale * meat)
        t = 1 + r.regressors.index(r.treatment)
        params[i] = beta[t]
        ses[i] = se[t] if all_coefs else se[0]
        ncl[i] = g if r.cov.kind in ("clustered", "driscoll-kraay") else 0
        if all_coefs:
            assert all_p is not None and all_s is not None
            all_p[i], all_s[i] = beta, se


__all__ = [
    "CLUSTER_KINDS",
    "EFFECT_SETS",
    "AbsorbedPanel",
    "CovSpec",
    "FitBatch",
    "FitRequest",
    "FullFit",
    "RandomEffectsPanel",
    "TwoWay",
    "absorb",
    "absorbed_reason",
    "bartlett_bandwidth",
    "collinear_columns",
    "group_sums",
    "negligible",
    "redundant_columns",
]
