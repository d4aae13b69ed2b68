"""Strategic choice models: the two-player, three-outcome game estimated from outcomes.

Player 1 (in the enforcement setting, the target state) ends the game at outcome 1
(it complies) or moves on; player 2 (the enforcer) then chooses outcome 3 (acquiesce)
or outcome 4 (sanction). Player 1's utilities ``u11``, ``u13``, ``u14`` and player 2's
``u24`` are linear indices of covariates, each with its own formula; player 2's
utilities of outcomes 1 and 3 are normalised to zero (Signorino 2003, Political
Analysis 11(4), identification section). This is the ``egame12`` model of Kenkel and
Signorino's R package ``games`` (Journal of Statistical Software 56(8), 2014), with
the same scale conventions, so its log-likelihood at given parameters is the package's:

- **agent error** (Signorino 1999): each action at each node has an independent error
  of unit scale, so a difference of two has scale sqrt(2):
  ``p4 = F(u24 / sqrt 2)`` and ``P(move on) = F((EU - u11) / sqrt 2)`` with
  ``EU = p4 u14 + (1 - p4) u13`` and ``F`` the normal (probit) or logistic (logit) CDF;
- **private information** (Lewis and Schultz 2003; probit only): player 1 knows its own
  payoff shocks but only the distribution of player 2's, and moving on is a lottery over
  outcomes 3 and 4, so its shock has variance ``p4**2 + (1 - p4)**2``:
  ``P(move on) = Phi((EU - u11) / sqrt(1 + p4**2 + (1 - p4)**2))``.

The log-likelihood and its gradient are written out by the chain rule through ``p4``
into player 1's choice probability and evaluated with log-CDF functions
(``scipy.special.log_ndtr``), so the fit stays finite where ``p4`` is near 0 or 1. The
maximum is found by BFGS from zero and polished by Newton steps on the Hessian obtained
by central differences of the analytic gradient; the same Hessian gives the observed
information.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(1)
>>> df = pd.DataFrame({"x": rng.normal(size=2000), "z": rng.normal(size=2000)})
>>> U = {"u11": 0.0 * df.x, "u13": 0.5 + 0 * df.x, "u14": -1.0 + 0 * df.x,
...      "u24": 0.3 + df.x}
>>> df["y"] = simulate_sequential(U, rng=rng)
>>> res = fit_sequential(df, "y", {"u11": "0", "u13": "1", "u14": "1", "u24": "x"})
>>> list(res.params.index)
['u13:Intercept', 'u14:Intercept', 'u24:Intercept', 'u24:x']
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import optimize, special

from enforcement_lab.errors import DataError, SpecError

__all__ = [
    "ERRORS",
    "LINKS",
    "UTILITIES",
    "ConvergenceWarning",
    "SequentialModel",
    "StrategicWarning",
    "fit_sequential",
    "outcome_probabilities",
    "simulate_sequential",
]

LINKS = ("probit", "logit")
ERRORS = ("agent", "private")
UTILITIES = ("u11", "u13", "u14", "u24")
OUTCOMES = (1, 3, 4)
COVARIANCES = ("observed", "robust", "clustered")
_SQRT2 = math.sqrt(2.0)
_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)


class StrategicWarning(UserWarning):
    """A fit that ran but whose answer deserves a second look."""


class ConvergenceWarning(StrategicWarning):
    """The optimiser stopped before the gradient vanished or the information was definite."""


# ---------------------------------------------------------------------- link functions
def _log_cdf(z: NDArray, link: str) -> NDArray:
    if link == "probit":
        return special.log_ndtr(z)
    return -np.logaddexp(0.0, -z)


def _pdf_over_cdf(z: NDArray, link: str, log_cdf: NDArray | None = None) -> NDArray:
    """f(z) / F(z), computed in logs for probit (inverse Mills ratio); ``log_cdf`` is
    ``log F(z)`` when the caller already has it."""
    if link == "probit":
        if log_cdf is None:
            log_cdf = special.log_ndtr(z)
        return np.exp(-0.5 * z * z - _LOG_SQRT_2PI - log_cdf)
    return special.expit(-z)


def _cdf(z: NDArray, link: str) -> NDArray:
    return special.ndtr(z) if link == "probit" else special.expit(z)


def _pdf(z: NDArray, link: str) -> NDArray:
    if link == "probit":
        return np.exp(-0.5 * z * z - _LOG_SQRT_2PI)
    return special.expit(z) * special.expit(-z)


# ---------------------------------------------------------------------- the game's algebra
def _indices(
    u11: NDArray, u13: NDArray, u14: NDArray, u24: NDArray, link: str, errors: str
) -> dict[str, NDArray]:
    """The two choice indices and the intermediate quantities their derivatives need."""
    z2 = u24 / _SQRT2
    p4 = _cdf(z2, link)
    eu = p4 * u14 + (1.0 - p4) * u13
    d = eu - u11
    if errors == "agent":
        sigma = np.full_like(d, _SQRT2)
        dsigma = np.zeros_like(d)
    else:
        sigma = np.sqrt(1.0 + p4 * p4 + (1.0 - p4) ** 2)
        dsigma = (2.0 * p4 - 1.0) / sigma
    return {"z1": d / sigma, "z2": z2, "p4": p4, "d": d, "sigma": sigma, "dsigma": dsigma}


def outcome_probabilities(
    u11: NDArray,
    u13: NDArray,
    u14: NDArray,
    u24: NDArray,
    link: str = "probit",
    errors: str = "agent",
) -> NDArray[np.float64]:
    """Probabilities of outcomes 1, 3 and 4 (columns) given the four utilities.

    >>> outcome_probabilities(np.zeros(1), np.zeros(1), np.zeros(1), np.zeros(1)).round(3)
    array([[0.5 , 0.25, 0.25]])
    """
    u = [np.asarray(v, dtype=float) for v in (u11, u13, u14, u24)]
    q = _indices(u[0], u[1], u[2], u[3], link, errors)
    p_r = _cdf(q["z1"], link)
    return np.column_stack([1.0 - p_r, p_r * (1.0 - q["p4"]), p_r * q["p4"]])


def simulate_sequential(
    utilities: Mapping[str, Any],
    link: str = "probit",
    errors: str = "agent",
    rng: np.random.Generator | int | None = None,
) -> NDArray[np.int64]:
    """Draw outcomes (1, 3 or 4) of the game from the model's outcome probabilities.

    Parameters
    ----------
    utilities : mapping
        ``u11``, ``u13``, ``u14``, ``u24``: arrays (or scalars) of utilities per observation.
    link, errors : str
        As in :func:`fit_sequential`.
    rng : Generator or int, optional
        Random generator or seed.
    """
    _check_model(link, errors)
    rng = np.random.default_rng(rng)
    u = np.broadcast_arrays(*(np.asarray(utilities[k], dtype=float) for k in UTILITIES))
    probs = outcome_probabilities(u[0], u[1], u[2], u[3], link=link, errors=errors)
    draw = rng.random(len(probs))
    cum = np.cumsum(probs, axis=1)
    return np.array(OUTCOMES)[(draw[:, None] > cum[:, :2]).sum(axis=1)]


def _check_model(link: str, errors: str) -> None:
    if link not in LINKS:
        raise SpecError(f"link {link!r} is unknown; choose one of {', '.join(LINKS)}")
    if errors not in ERRORS:
        raise SpecError(f"errors {errors!r} is unknown; choose one of {', '.join(ERRORS)}")
    if errors == "private" and link != "probit":
        raise SpecError("the private-information model is defined with the probit link only")


# ---------------------------------------------------------------------- the model
@dataclass(frozen=True, eq=False)
class SequentialModel:
    """The numerical model: one design matrix per utility, outcome codes, link and errors.

    Parameters are stacked in the order of :data:`UTILITIES`, each utility's block in the
    order of its design's columns. :func:`fit_sequential` builds it from a data frame.
    """

    designs: tuple[NDArray[np.float64], ...]
    y: NDArray[np.int64]
    link: str
    errors: str
    names: tuple[str, ...]

    @property
    def slices(self) -> tuple[slice, ...]:
        """Where each utility's coefficients sit in the parameter vector."""
        out, start = [], 0
        for X in self.designs:
            out.append(slice(start, start + X.shape[1]))
            start += X.shape[1]
        return tuple(out)

    @property
    def n_params(self) -> int:
        """Number of estimated coefficients."""
        return sum(X.shape[1] for X in self.designs)

    def utilities(self, theta: NDArray, designs: Sequence[NDArray] | None = None) -> list[NDArray]:
        """The four utilities per observation at parameters ``theta``."""
        designs = self.designs if designs is None else designs
        return [X @ theta[s] for X, s in zip(designs, self.slices, strict=True)]

    def loglik_obs(self, theta: NDArray) -> tuple[NDArray, NDArray]:
        """Log-likelihood per observation and its derivative with respect to each utility.

        Returns
        -------
        ll : ndarray, shape (n,)
        dll_du : ndarray, shape (n, 4)
            d ll_i / d u_k for u11, u13, u14, u24.
        """
        u11, u13, u14, u24 = self.utilities(theta)
        link, y = self.link, self.y
        q = _indices(u11, u13, u14, u24, link, self.errors)
        z1, z2, p4, sigma = q["z1"], q["z2"], q["p4"], q["sigma"]
        one, four = y == 1, y == 4
        # log-likelihood: log(1 - pR) for outcome 1, log pR + log(1 - p4 or p4) otherwise
        sign1 = np.where(one, -1.0, 1.0)
        sign2 = np.where(four, 1.0, -1.0)
        moved = ~one
        log1 = _log_cdf(sign1 * z1, link)
        log2 = _log_cdf(sign2 * z2, link)
        ll = log1 + np.where(moved, log2, 0.0)
        # derivatives of ll with respect to the two indices (symmetric F: 1 - F(z) = F(-z))
        g1 = sign1 * _pdf_over_cdf(sign1 * z1, link, log1)
        g2 = np.where(moved, sign2 * _pdf_over_cdf(sign2 * z2, link, log2), 0.0)
        dz1_dp4 = (u14 - u13) / sigma - q["d"] * q["dsigma"] / (sigma * sigma)
        dp4_du24 = _pdf(z2, link) / _SQRT2
        dll = np.column_stack(
            [
                -g1 / sigma,
                g1 * (1.0 - p4) / sigma,
                g1 * p4 / sigma,
                g2 / _SQRT2 + g1 * dz1_dp4 * dp4_du24,
            ]
        )
        return ll, dll

    def loglik(self, theta: NDArray) -> float:
        """The log-likelihood at ``theta``."""
        return float(self.loglik_obs(theta)[0].sum())

    def loglik_and_grad(self, theta: NDArray) -> tuple[float, NDArray]:
        """The log-likelihood and its analytic gradient."""
        ll, dll = self.loglik_obs(theta)
        grad = np.concatenate([X.T @ dll[:, k] for k, X in enumerate(self.designs)])
        return float(ll.sum()), grad

    def scores(self, theta: NDArray) -> NDArray:
        """Per-observation scores, shape (n, n_params) (for sandwich covariances)."""
        _, dll = self.loglik_obs(theta)
        return np.column_stack([X * dll[:, [k]] for k, X in enumerate(self.designs)])

    def hessian(self, theta: NDArray) -> NDArray:
        """Hessian by central differences of the analytic gradient, symmetrised."""
        p = theta.size
        H = np.empty((p, p))
        for j in range(p):
            h = 1e-5 * max(1.0, abs(theta[j]))
            e = np.zeros(p)
            e[j] = h
            H[:, j] = (self.loglik_and_grad(theta + e)[1] - self.loglik_and_grad(theta - e)[1]) / (
                2 * h
            )
        return 0.5 * (H + H.T)

    def probabilities(self, theta: NDArray, designs: Sequence[NDArray] | None = None) -> NDArray:
        """Outcome probabilities (columns 1, 3, 4) at ``theta``."""
        u = self.utilities(theta, designs)
        return outcome_probabilities(u[0], u[1], u[2], u[3], link=self.link, errors=self.errors)

    # ------------------------------------------------------------------ maximisation
    def maximise(
        self, start: NDArray | None = None, *, fixed: Mapping[int, float] | None = None
    ) -> tuple[NDArray, dict[str, Any]]:
        """Maximise the log-likelihood (BFGS, then Newton polish); ``fixed`` holds some
        parameters at given values (for profile likelihoods)."""
        fixed = dict(fixed or {})
        free = np.array([j for j in range(self.n_params) if j not in fixed], dtype=int)
        full = np.zeros(self.n_params) if start is None else np.array(start, dtype=float)
        for j, v in fixed.items():
            full[j] = v

        def expand(t: NDArray) -> NDArray:
            out = full.copy()
            out[free] = t
            return out

        def negative(t: NDArray) -> tuple[float, NDArray]:
            ll, g = self.loglik_and_grad(expand(t))
            if not np.isfinite(ll):
                return 1e300, np.zeros_like(t)
            return -ll, -g[free]

        opt = optimize.minimize(
            negative, full[free], jac=True, method="BFGS", options={"gtol": 1e-6, "maxiter": 2000}
        )
        t = opt.x
        converged = False
        decrement = np.inf
        ll, g = self.loglik_and_grad(expand(t))
        H = self.hessian(expand(t))[np.ix_(free, free)]
        fresh = True
        for _ in range(25):
            try:
                step = np.linalg.solve(H, g[free])
            except np.linalg.LinAlgError:
                break
            decrement = float(-g[free] @ step)
            if not np.isfinite(decrement) or decrement < 0:  # H not negative definite
                if fresh:
                    break
                H, fresh = self.hessian(expand(t))[np.ix_(free, free)], True
                continue
            if decrement < 1e-12:
                converged = True
                break
            for scale in (1.0, 0.5, 0.25, 0.125, 0.0625):
                cand = t - scale * step
                if self.loglik(expand(cand)) >= ll - 1e-12:
                    t = cand
                    break
            else:
                break
            ll, g = self.loglik_and_grad(expand(t))
            # near the maximum the Hessian barely changes: refresh it only after a big step
            fresh = decrement > 1e-6
            if fresh:
                H = self.hessian(expand(t))[np.ix_(free, free)]
        return expand(t), {
            "converged": converged,
            "bfgs_iterations": int(opt.nit),
            "newton_decrement": decrement,
        }


# ---------------------------------------------------------------------- data handling
def _design(formula: str, utility: str, data: pd.DataFrame) -> tuple[pd.DataFrame, Any]:
    import formulaic

    text = str(formula).strip()
    if text in ("0", "-1", "0 - 1"):
        return pd.DataFrame(index=data.index), None
    try:
        mm = formulaic.model_matrix(text, data, na_action="ignore")
    except Exception as exc:  # formulaic raises several types for unknown names and bad syntax
        raise SpecError(f"utility {utility}: formula {text!r} cannot be built: {exc}") from None
    return pd.DataFrame(mm, index=data.index), mm.model_spec


def _outcome_codes(data: pd.DataFrame, outcome: str | Sequence[str]) -> pd.Series:
    """Outcome 1/3/4 per row (NaN where missing) from one column or a decision pair."""
    if isinstance(outcome, str):
        if outcome not in data.columns:
            raise DataError(f"outcome column {outcome!r} is not in the data")
        y = pd.to_numeric(data[outcome], errors="coerce")
        bad = data[outcome][y.notna() & ~y.isin(OUTCOMES) | data[outcome].notna() & y.isna()]
        if len(bad):
            raise DataError(
                f"outcome column {outcome!r} has values outside the game's outcomes 1, 3, 4: "
                f"{sorted(map(str, bad.unique()))[:5]}"
            )
        return y
    pair = list(outcome)
    if len(pair) != 2:
        raise SpecError(
            "outcome must be one column of codes 1/3/4 or a pair of binary decision columns "
            f"(player 1 moved on, player 2 chose outcome 4); got {pair}"
        )
    for col in pair:
        if col not in data.columns:
            raise DataError(f"decision column {col!r} is not in the data")
        vals = pd.to_numeric(data[col], errors="coerce")
        if ((vals.notna() & ~vals.isin([0, 1])) | (data[col].notna() & vals.isna())).any():
            raise DataError(f"decision column {col!r} must hold 0 or 1 (or be missing)")
    moved = pd.to_numeric(data[pair[0]], errors="coerce")
    chose4 = pd.to_numeric(data[pair[1]], errors="coerce")
    impossible = (moved == 0) & (chose4 == 1)
    if impossible.any():
        rows = list(data.index[impossible][:5])
        raise DataError(
            f"{int(impossible.sum())} row(s) have {pair[0]} = 0 (player 1 ended the game) but "
            f"{pair[1]} = 1 (player 2 chose outcome 4), which the game tree cannot produce; "
            f"first rows: {rows}"
        )
    y = pd.Series(np.nan, index=data.index)
    y[moved == 0] = 1
    y[(moved == 1) & (chose4 == 0)] = 3
    y[(moved == 1) & (chose4 == 1)] = 4
    return y


def _check_outcomes(y: NDArray) -> None:
    counts = {k: int((y == k).sum()) for k in OUTCOMES}
    if sum(v > 0 for v in counts.values()) <= 1:
        only = next(k for k, v in counts.items() if v) if len(y) else None
        raise DataError(f"every observation has outcome {only}: nothing identifies the utilities")
    if counts[1] == 0:
        raise DataError(
            "no observation ends at outcome 1 (player 1 always moved on): player 1's choice has "
            "no variation, so its utilities are not identified"
        )
    if counts[3] == 0 or counts[4] == 0:
        never = 3 if counts[3] == 0 else 4
        raise DataError(
            f"player 2 never chose outcome {never}: its utility u24 is not identified "
            "(perfect separation of player 2's choice)"
        )


def _check_ranks(frames: Mapping[str, pd.DataFrame]) -> None:
    for name, frame in frames.items():
        X = frame.to_numpy(dtype=float)
        if X.shape[1] == 0:
            continue
        for j, col in enumerate(frame.columns):
            if np.ptp(X[:, j]) == 0 and col != "Intercept" and X.shape[1] > 1:
                raise DataError(
                    f"utility {name}: term {col!r} has no variation in the estimation sample "
                    "(it duplicates the intercept or is constant)"
                )
        rank = np.linalg.matrix_rank(X)
        if rank < X.shape[1]:
            raise DataError(
                f"utility {name}: its terms {list(frame.columns)} are collinear "
                f"(rank {rank} of {X.shape[1]})"
            )


def _check_identified(model: SequentialModel) -> None:
    """Local identification: the Jacobian of both choice indices at a generic point."""
    rng = np.random.default_rng(0)
    theta = rng.normal(scale=0.3, size=model.n_params)
    u = model.utilities(theta)
    q = _indices(u[0], u[1], u[2], u[3], model.link, model.errors)
    dz1_dp4 = (u[2] - u[1]) / q["sigma"] - q["d"] * q["dsigma"] / q["sigma"] ** 2
    dp4 = _pdf(q["z2"], model.link) / _SQRT2
    cols1 = [-1 / q["sigma"], (1 - q["p4"]) / q["sigma"], q["p4"] / q["sigma"], dz1_dp4 * dp4]
    cols2 = [0 * dp4, 0 * dp4, 0 * dp4, 1 / _SQRT2 + 0 * dp4]
    J1 = np.column_stack([X * c[:, None] for X, c in zip(model.designs, cols1, strict=True)])
    J2 = np.column_stack([X * c[:, None] for X, c in zip(model.designs, cols2, strict=True)])
    G = J1.T @ J1 + J2.T @ J2
    scale = 1.0 / np.sqrt(np.maximum(np.diag(G), 1e-300))
    eig, vecs = np.linalg.eigh(G * np.outer(scale, scale))
    if eig[0] < 1e-14 * eig[-1]:
        null = vecs[:, 0]
        involved = [model.names[j] for j in np.argsort(-np.abs(null)) if abs(null[j]) > 0.1]
        raise DataError(
            "the utilities are not identified: the data cannot separate "
            f"{', '.join(involved)} (a utility with no variation beyond what another "
            "utility's terms already explain; fix one of them at 0)"
        )


def _check_separation_player2(X: NDArray, chose4: NDArray, names: Sequence[str]) -> None:
    """Quasi-complete separation of player 2's binary choice, by a linear program
    (a direction b with x_i b >= 0 when outcome 4 and <= 0 when 3, not all zero)."""
    if X.shape[1] == 0:
        return
    s = np.where(chose4, 1.0, -1.0)
    A = s[:, None] * X
    # maximise sum(A b) subject to A b >= 0, -1 <= b <= 1; positive optimum = separation
    res = optimize.linprog(
        -A.sum(axis=0),
        A_ub=-A,
        b_ub=np.zeros(len(A)),
        bounds=[(-1, 1)] * X.shape[1],
        method="highs",
    )
    if res.status == 0 and -res.fun > 1e-7 * max(1.0, np.abs(A).sum()):
        raise DataError(
            "perfect separation in player 2's choice: a combination of "
            f"{', '.join(names)} predicts outcome 3 versus 4 exactly, so u24 has no finite "
            "maximum-likelihood estimate"
        )


# ---------------------------------------------------------------------- the fit
def fit_sequential(
    data: pd.DataFrame,
    outcome: str | Sequence[str],
    utilities: Mapping[str, str],
    link: str = "probit",
    errors: str = "agent",
    *,
    cov: str = "observed",
    cluster: str | None = None,
    start: Sequence[float] | None = None,
):
    """Fit the two-player, three-outcome strategic choice model (``egame12``).

    Parameters
    ----------
    data : DataFrame
        One row per play of the game.
    outcome : str or (str, str)
        One column of outcome codes 1, 3, 4; or a pair of binary columns (player 1
        moved on; player 2 chose outcome 4), the second empty or 0 where the first is 0.
    utilities : mapping
        ``u11``, ``u13``, ``u14``, ``u24`` to right-hand-side formulas (formulaic
        grammar): ``"0"`` fixes the utility at zero, ``"1"`` is an intercept only,
        ``"x1 + x2 - 1"`` has no intercept. Missing keys are ``"0"``.
    link : {"probit", "logit"}
    errors : {"agent", "private"}
        Agent error (Signorino 1999) or private information (Lewis and Schultz 2003;
        probit only).
    cov : {"observed", "robust", "clustered"}
        Inverse observed information (the R package's default); the HC0 sandwich
        ``H^-1 (S'S) H^-1`` (R ``sandwich::sandwich``); or the cluster-robust sandwich
        with the ``G / (G - 1)`` adjustment (R ``sandwich::vcovCL(type = "HC0")``).
    cluster : str, optional
        Column of cluster labels, for ``cov="clustered"``.
    start : sequence of float, optional
        Starting values (default zero).

    Returns
    -------
    StrategicResults
        Parameters named ``"<utility>:<term>"``.

    Raises
    ------
    DataError
        Outcome codes outside the tree, impossible decision pairs, one outcome only,
        player 2's choice perfectly separated, a utility with no variation or
        collinear terms, parameters the data cannot separate, or a singular information
        matrix at the maximum.
    SpecError
        An unknown link, error model, covariance or utility name, or a bad formula.
    """
    from econometrics.strategic.results import StrategicResults

    _check_model(link, errors)
    if cov not in COVARIANCES:
        raise SpecError(f"cov {cov!r} is unknown; choose one of {', '.join(COVARIANCES)}")
    if cov == "clustered" and (cluster is None or cluster not in data.columns):
        raise SpecError("cov='clustered' needs cluster= naming a column of the data")
    unknown = set(utilities) - set(UTILITIES)
    if unknown:
        raise SpecError(f"unknown utilities {sorted(unknown)}; the game has {', '.join(UTILITIES)}")
    formulas = {k: str(utilities.get(k, "0")) for k in UTILITIES}
    y_all = _outcome_codes(data, outcome)
    built = {k: _design(formulas[k], k, data) for k in UTILITIES}
    frames = {k: built[k][0] for k in UTILITIES}
    keep = y_all.notna().to_numpy()
    for frame in frames.values():
        keep &= ~frame.isna().any(axis=1).to_numpy()
    if cluster is not None:
        keep &= data[cluster].notna().to_numpy()
    if not keep.any():
        raise DataError("no complete observations (outcome and every utility's covariates)")
    frames = {k: f.loc[keep] for k, f in frames.items()}
    y = y_all.to_numpy()[keep].astype(np.int64)
    _check_outcomes(y)
    _check_ranks(frames)
    names = tuple(f"{k}:{c}" for k in UTILITIES for c in frames[k].columns)
    if not names:
        raise SpecError("every utility is fixed at 0: there is nothing to estimate")
    designs = tuple(np.ascontiguousarray(frames[k].to_numpy(dtype=float)) for k in UTILITIES)
    model = SequentialModel(designs=designs, y=y, link=link, errors=errors, names=names)
    _check_identified(model)
    moved = y != 1
    _check_separation_player2(
        designs[3][moved], y[moved] == 4, [f"u24:{c}" for c in frames["u24"].columns]
    )

    theta, info = model.maximise(None if start is None else np.asarray(start, dtype=float))
    probs = model.probabilities(theta)
    fitted = probs[np.arange(len(y)), np.searchsorted(OUTCOMES, y)]
    if np.all(fitted > 1 - 1e-8):
        raise DataError("perfect separation: the fitted model predicts every outcome exactly")
    H = model.hessian(theta)
    eig = np.linalg.eigvalsh(-H)
    if eig.min() <= 1e-10 * max(eig.max(), 1e-300):
        raise DataError(
            "the information matrix is singular at the maximum: some utilities are not "
            "identified by these data (perfect separation of player 1's choice, or a "
            "utility with no variation)"
        )
    if not info["converged"]:
        warnings.warn(
            f"the strategic model did not converge (Newton decrement {info['newton_decrement']:.3g} "
            "after BFGS and Newton steps); estimates may be unreliable",
            ConvergenceWarning,
            stacklevel=2,
        )
    bread = np.linalg.inv(-H)
    groups = None
    if cov == "observed":
        vcov = bread
    else:
        S = model.scores(theta)
        if cov == "clustered":
            labels = data[cluster].to_numpy()[keep]
            codes, uniq = pd.factorize(labels)
            groups = len(uniq)
            if groups < 2:
                raise DataError(f"cluster column {cluster!r} has fewer than 2 clusters")
            S = np.vstack(
                [np.bincount(codes, weights=S[:, j], minlength=groups) for j in range(S.shape[1])]
            ).T * math.sqrt(groups / (groups - 1))
        vcov = bread @ (S.T @ S) @ bread
    se = np.sqrt(np.clip(np.diag(vcov), 0.0, None))
    ll = model.loglik(theta)
    label = {
        "observed": "observed information",
        "robust": "robust (HC0 sandwich)",
        "clustered": "clustered (sandwich, G/(G-1))",
    }[cov]
    extra = {
        "Model": f"egame12, {'agent error' if errors == 'agent' else 'private information'}, "
        f"{link}",
        "Log-likelihood": ll,
        "AIC": 2 * len(names) - 2 * ll,
        "Outcomes 1/3/4": "/".join(str(int((y == k).sum())) for k in OUTCOMES),
        "Converged": bool(info["converged"]),
    }
    if groups is not None:
        extra["Clusters"] = groups
    specs = {k: built[k][1] for k in UTILITIES}
    return StrategicResults(
        params=pd.Series(theta, index=list(names)),
        std_errors=pd.Series(se, index=list(names)),
        nobs=len(y),
        estimator=f"strategic ({link}, {errors})",
        cov_type=label,
        cov=pd.DataFrame(vcov, index=list(names), columns=list(names)),
        outcome=outcome if isinstance(outcome, str) else " / ".join(outcome),
        cluster=cluster if cov == "clustered" else None,
        extra=extra,
        model=model,
        formulas=formulas,
        model_specs=specs,
        columns={k: tuple(frames[k].columns) for k in UTILITIES},
        loglik=ll,
        optimizer=info,
    )
