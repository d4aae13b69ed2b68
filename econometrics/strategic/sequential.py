"""Strategic choice models: sequential games estimated from their outcomes.

The default game (``egame12``): player 1 (in the enforcement setting, the target state)
ends the game at outcome 1 (it complies) or moves on; player 2 (the enforcer) then
chooses outcome 3 (acquiesce) or outcome 4 (sanction). Player 1's utilities ``u11``,
``u13``, ``u14`` and player 2's ``u24`` are linear indices of covariates, each with its
own formula, or fixed numbers; player 2's utilities of outcomes 1 and 3 are normalised
to zero (Signorino 2003, Political Analysis 11(4), identification section). This is the
``egame12`` model of Kenkel and Signorino's R package ``games`` (Journal of Statistical
Software 56(8), 2014), with the same scale conventions, so its log-likelihood at given
parameters is the package's:

- **agent error** (Signorino 1999): each action at each node has an independent error
  of scale ``sigma``, so a difference of two has scale ``sqrt(2) sigma``:
  ``p4 = F(u24 / (sqrt 2 sigma))`` and ``P(move on) = F((EU - u11) / (sqrt 2 sigma))``
  with ``EU = p4 u14 + (1 - p4) u13`` and ``F`` the normal (probit) or logistic (logit) CDF;
- **private information** (Lewis and Schultz 2003; probit only): player 1 knows its own
  payoff shocks but only the distribution of player 2's, and moving on is a lottery over
  outcomes 3 and 4, so its shock has variance ``p4**2 + (1 - p4)**2`` (times ``sigma**2``):
  ``P(move on) = Phi((EU - u11) / (sigma sqrt(1 + p4**2 + (1 - p4)**2)))``.

``sigma`` is 1 unless a scale is estimated: ``scale="1"`` estimates one ``log sigma``
for all players, ``scale=["1", "1"]`` one per player (the package's ``sdByPlayer``), and
a scale formula may have covariates, ``sigma = exp(Z gamma)``. Only utilities relative
to the scale are identified, so a scale with an intercept needs some of its players'
utilities fixed at non-zero values (``fixed=``, the package's ``fixedUtils``), and a
scale with covariates and estimated utilities must leave the intercept out (``"x - 1"``).

The other games of the package, ``egame122`` (both players move twice: four outcomes)
and ``egame123`` (three players), use the same code through their trees
(:mod:`econometrics.strategic.trees`). The log-likelihood is evaluated with log-CDF
functions (``scipy.special.log_ndtr``), so the fit stays finite where a choice
probability is near 0 or 1; its gradient is analytic (one backward sweep over the tree).

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

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import optimize

from econometrics.strategic.mle import LikelihoodModel, check_cov, covariance, unidentified
from econometrics.strategic.trees import (
    EGAME12,
    GameTree,
    game_tree,
    log_cdf,
    pdf_over_cdf,
)
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
UTILITIES = EGAME12.utilities
OUTCOMES = EGAME12.outcomes


class StrategicWarning(UserWarning):
    """A fit that ran but whose answer deserves a second look."""


class ConvergenceWarning(StrategicWarning):
    """The optimiser stopped before the gradient vanished or the information was definite."""


def outcome_probabilities(
    u11: NDArray,
    u13: NDArray,
    u14: NDArray,
    u24: NDArray,
    link: str = "probit",
    errors: str = "agent",
) -> NDArray[np.float64]:
    """Probabilities of the ``egame12`` outcomes 1, 3 and 4 (columns) given the utilities.

    >>> outcome_probabilities(np.zeros(1), np.zeros(1), np.zeros(1), np.zeros(1)).round(3)
    array([[0.5 , 0.25, 0.25]])
    """
    u = dict(zip(UTILITIES, (u11, u13, u14, u24), strict=True))
    return EGAME12.probabilities(u, link, errors)


def simulate_sequential(
    utilities: Mapping[str, Any],
    link: str = "probit",
    errors: str = "agent",
    rng: np.random.Generator | int | None = None,
    *,
    game: str | GameTree = "egame12",
    scale: Any = 1.0,
) -> NDArray[np.int64]:
    """Draw outcomes of the game from the model's outcome probabilities.

    Parameters
    ----------
    utilities : mapping
        The game's utilities (``u11``, ``u13``, ``u14``, ``u24`` for ``egame12``): arrays
        (or scalars) per observation; missing ones are zero.
    link, errors : str
        As in :func:`fit_sequential`.
    rng : Generator or int, optional
        Random generator or seed.
    game : str
        ``"egame12"``, ``"egame122"`` or ``"egame123"``.
    scale : float, array or sequence
        The error scale ``sigma``: one for all players or one per player.

    Returns
    -------
    ndarray of int
        Outcome codes (1, 3, 4 for ``egame12``; 1-4 for ``egame122``; 1, 3, 5, 6 for
        ``egame123``).
    """
    tree = game_tree(game)
    _check_model(link, errors, tree)
    rng = np.random.default_rng(rng)
    probs = tree.probabilities(utilities, link, errors, scale)
    draw: NDArray[np.float64] = np.asarray(rng.random(probs.shape[0]), dtype=float)
    cum = np.cumsum(probs, axis=1)
    codes: NDArray[np.int64] = np.array(tree.outcomes)
    return codes[(draw[:, None] > cum[:, :-1]).sum(axis=1)]


def _check_model(link: str, errors: str, tree: GameTree = EGAME12) -> None:
    if link not in LINKS:
        raise SpecError(f"link {link!r} is unknown; choose one of {', '.join(LINKS)}")
    if errors not in ERRORS:
        raise SpecError(f"errors {errors!r} is unknown; choose one of {', '.join(ERRORS)}")
    if errors == "private":
        if link != "probit":
            raise SpecError("the private-information model is defined with the probit link only")
        tree.check_private()


# ---------------------------------------------------------------------- the model
@dataclass(frozen=True, eq=False)
class SequentialModel(LikelihoodModel):
    """The numerical model: one design matrix per block, outcome codes, link and errors.

    The blocks are the tree's utilities (in the order of ``tree.utilities``; a fixed or
    zero utility has no columns) followed by the scale equations (none; ``log_sigma``
    for all players; or ``log_sigma1``, ``log_sigma2``, ... one per player). Parameters
    are stacked block by block. :func:`fit_sequential` builds it from a data frame.
    """

    designs: tuple[NDArray[np.float64], ...]
    y: NDArray[np.int64]
    link: str
    errors: str
    names: tuple[str, ...]
    tree: GameTree = EGAME12
    offsets: tuple[float, ...] = ()
    scale: str = "none"

    @property
    def blocks(self) -> tuple[str, ...]:
        """Names of the design blocks."""
        if self.scale == "common":
            extra: tuple[str, ...] = ("log_sigma",)
        elif self.scale == "player":
            extra = tuple(f"log_sigma{p}" for p in self.tree.players)
        else:
            extra = ()
        return self.tree.utilities + extra

    @cached_property
    def _sides(self) -> NDArray[np.float64]:
        """(n_nodes, n): the move each observation's outcome records at each node
        (-1 left, +1 right, 0 off its path)."""
        return np.ascontiguousarray(
            self.tree.paths()[np.searchsorted(self.tree.outcomes, self.y)].T.astype(float)
        )

    def utilities(self, theta: NDArray, designs: Sequence[NDArray] | None = None) -> list[NDArray]:
        """The utilities (in the order of ``tree.utilities``) per observation at ``theta``."""
        designs = self.designs if designs is None else designs
        offsets = self.offsets or (0.0,) * len(self.tree.utilities)
        return [X @ theta[s] + c for X, s, c in zip(designs, self.slices, offsets, strict=False)]

    def sigmas(self, theta: NDArray, designs: Sequence[NDArray] | None = None) -> NDArray:
        """(n_players, n) error scales at ``theta``."""
        designs = self.designs if designs is None else designs
        k = len(self.tree.utilities)
        n = designs[0].shape[0]
        P = len(self.tree.players)
        if self.scale == "none":
            return np.ones((P, n))
        logs = [designs[k + b] @ theta[self.slices[k + b]] for b in range(len(designs) - k)]
        if self.scale == "common":
            return np.vstack([np.exp(logs[0])] * P)
        return np.exp(np.vstack(logs))

    def _state(self, theta: NDArray, designs: Sequence[NDArray] | None = None):
        designs = self.designs if designs is None else designs
        n = designs[0].shape[0]
        U = self.tree.utility_array(
            dict(zip(self.tree.utilities, self.utilities(theta, designs), strict=True)), n
        )
        sigma = self.sigmas(theta, designs)
        return U, sigma, self.tree.forward(U, sigma, self.link, self.errors)

    def _block_derivatives(self, dU: NDArray, dlogsig: NDArray) -> list[NDArray]:
        tree = self.tree
        out = []
        for name in tree.utilities:
            p, o = tree.split(name)
            out.append(dU[tree.players.index(p), tree.outcomes.index(o)])
        if self.scale == "common":
            out.append(dlogsig.sum(axis=0))
        elif self.scale == "player":
            out.extend(dlogsig)
        return out

    def loglik_obs(self, theta: NDArray) -> tuple[NDArray, list[NDArray]]:
        """Log-likelihood per observation and its derivative with respect to each
        block's linear index (a utility, or a log-scale).

        Returns
        -------
        ll : ndarray, shape (n,)
        derivatives : list of ndarray, shape (n,) each, one per block
        """
        U, sigma, fwd = self._state(theta)
        sides = self._sides
        ll = np.zeros(len(self.y))
        seeds = np.zeros((len(fwd), len(self.y)))
        for k, f in enumerate(fwd):
            s = sides[k]
            lf = log_cdf(s * f["z"], self.link)
            ll += np.where(s != 0, lf, 0.0)
            seeds[k] = s * pdf_over_cdf(s * f["z"], self.link, lf)
        dU, dlogsig = self.tree.backward(fwd, seeds, U, sigma, self.link, self.errors)
        return ll, self._block_derivatives(dU, dlogsig)

    def loglik_and_grad(self, theta: NDArray) -> tuple[float, NDArray]:
        """The log-likelihood and its analytic gradient."""
        ll, d = self.loglik_obs(theta)
        grad = np.concatenate([X.T @ g for X, g in zip(self.designs, d, strict=True)])
        return float(ll.sum()), grad

    def loglik(self, theta: NDArray) -> float:
        """The log-likelihood at ``theta``."""
        return float(self.loglik_obs(theta)[0].sum())

    def scores(self, theta: NDArray) -> NDArray:
        """Per-observation scores, shape (n, n_params) (for sandwich covariances)."""
        _, d = self.loglik_obs(theta)
        return np.column_stack([X * g[:, None] for X, g in zip(self.designs, d, strict=True)])

    def index_jacobians(self, theta: NDArray) -> list[NDArray]:
        """For each decision node, d z_k / d theta per observation (n, n_params)."""
        U, sigma, fwd = self._state(theta)
        out = []
        for k in range(len(fwd)):
            seeds = np.zeros((len(fwd), len(self.y)))
            seeds[k] = 1.0
            dU, dlogsig = self.tree.backward(fwd, seeds, U, sigma, self.link, self.errors)
            d = self._block_derivatives(dU, dlogsig)
            out.append(
                np.column_stack([X * g[:, None] for X, g in zip(self.designs, d, strict=True)])
            )
        return out

    def probabilities(self, theta: NDArray, designs: Sequence[NDArray] | None = None) -> NDArray:
        """Outcome probabilities (columns in the order of ``tree.outcomes``) at ``theta``."""
        fwd = self._state(theta, designs)[2]
        return self.tree.reach_matrix(fwd[0]["pi"], len(fwd[0]["z"]))


# ---------------------------------------------------------------------- data handling
def _design(formula: str, block: str, data: pd.DataFrame) -> tuple[pd.DataFrame, Any]:
    import formulaic

    text = str(formula).strip()
    if text in ("0", "-1", "0 - 1"):
        return pd.DataFrame(index=data.index), None
    try:
        mm = formulaic.model_matrix(text, data, na_action="ignore")
    except Exception as exc:  # formulaic raises several types for unknown names and bad syntax
        raise SpecError(f"{block}: formula {text!r} cannot be built: {exc}") from None
    return pd.DataFrame(mm, index=data.index), mm.model_spec


def _outcome_codes(
    data: pd.DataFrame, outcome: str | Sequence[str], tree: GameTree = EGAME12
) -> pd.Series:
    """Outcome code per row (NaN where missing) from one column or one binary column
    per move (1 = the mover went right, i.e. moved on)."""
    codes = ", ".join(map(str, tree.outcomes))
    if isinstance(outcome, str):
        if outcome not in data.columns:
            raise DataError(f"outcome column {outcome!r} is not in the data")
        y = pd.to_numeric(data[outcome], errors="coerce")
        bad = data[outcome][y.notna() & ~y.isin(tree.outcomes) | data[outcome].notna() & y.isna()]
        if len(bad):
            raise DataError(
                f"outcome column {outcome!r} has values outside the game's outcomes {codes}: "
                f"{sorted(map(str, bad.unique()))[:5]}"
            )
        return y
    cols = list(outcome)
    if len(cols) != tree.depth:
        raise SpecError(
            f"outcome must be one column of codes {codes} or {tree.depth} binary decision "
            f"columns, one per move of the {tree.name} tree (1 = moved on / right); got {cols}"
        )
    moves = []
    for col in cols:
        if col not in data.columns:
            raise DataError(f"decision column {col!r} is not in the data")
        vals = pd.to_numeric(data[col], errors="coerce")
        if ((vals.notna() & ~vals.isin([0, 1])) | (data[col].notna() & vals.isna())).any():
            raise DataError(f"decision column {col!r} must hold 0 or 1 (or be missing)")
        moves.append(vals.to_numpy())
    y = np.full(len(data), np.nan)
    impossible = np.zeros(len(data), dtype=bool)

    def walk(node, d: int, rows: NDArray) -> None:
        from econometrics.strategic.trees import Node

        if not isinstance(node, Node):
            y[rows] = node
            for later in moves[d:]:  # a decision recorded after the game ended
                impossible[rows & (later == 1)] = True
            return
        walk(node.left, d + 1, rows & (moves[d] == 0))
        walk(node.right, d + 1, rows & (moves[d] == 1))

    walk(tree.root, 0, np.ones(len(data), dtype=bool))
    if impossible.any():
        rows = list(data.index[impossible][:5])
        raise DataError(
            f"{int(impossible.sum())} row(s) record a move (1) in a decision column after "
            f"the game had ended, which the game tree cannot produce; first rows: {rows}"
        )
    return pd.Series(y, index=data.index)


def _describe(tree: GameTree, child: Any) -> str:
    from econometrics.strategic.trees import Node

    if isinstance(child, Node):
        reach = []

        def walk(n: Any) -> None:
            if isinstance(n, Node):
                walk(n.left)
                walk(n.right)
            else:
                reach.append(str(n))

        walk(child)
        return f"to move on (towards outcomes {', '.join(reach)})"
    return f"outcome {child}"


def _check_outcomes(y: NDArray, tree: GameTree = EGAME12) -> None:
    counts = {k: int((y == k).sum()) for k in tree.outcomes}
    if sum(v > 0 for v in counts.values()) <= 1:
        only = next(k for k, v in counts.items() if v) if len(y) else None
        raise DataError(f"every observation has outcome {only}: nothing identifies the utilities")
    sides = tree.paths()[np.searchsorted(tree.outcomes, y)]
    for k, node in enumerate(tree.nodes):
        for side, child in ((-1, node.left), (1, node.right)):
            if not (sides[:, k] == side).any():
                raise DataError(
                    f"player {node.player} never chose {_describe(tree, child)}: its choice "
                    "there has no variation (perfect separation), so the utilities behind it "
                    "are not identified"
                )


def _check_ranks(frames: Mapping[str, pd.DataFrame]) -> None:
    for name, frame in frames.items():
        X = frame.to_numpy(dtype=float)
        if X.shape[1] == 0:
            continue
        for j, col in enumerate(frame.columns):
            if np.ptp(X[:, j]) == 0 and col != "Intercept" and X.shape[1] > 1:
                raise DataError(
                    f"{name}: term {col!r} has no variation in the estimation sample "
                    "(it duplicates the intercept or is constant)"
                )
        rank = np.linalg.matrix_rank(X)
        if rank < X.shape[1]:
            raise DataError(
                f"{name}: its terms {list(frame.columns)} are collinear "
                f"(rank {rank} of {X.shape[1]})"
            )


def _check_identified(model: SequentialModel) -> None:
    """Local identification: the Jacobian of every choice index at a generic point."""
    rng = np.random.default_rng(0)
    theta = rng.normal(scale=0.3, size=model.n_params)
    G = sum(np.einsum("ij,ik->jk", J, J) for J in model.index_jacobians(theta))
    involved = unidentified(G, model.names, 1e-12)
    if involved:
        raise DataError(
            "the utilities are not identified: the data cannot separate "
            f"{', '.join(involved)} (a utility with no variation beyond what another "
            "utility's terms already explain, or a scale that moves with every utility of "
            "its player; fix one of them)"
        )


def _check_separation(model: SequentialModel, frames: Mapping[str, pd.DataFrame]) -> None:
    """Quasi-complete separation at the nodes whose moves both end the game, by a linear
    program (a direction b with x_i b >= 0 when the mover went right and <= 0 when left,
    not all zero)."""
    tree = model.tree
    sides = model._sides
    offsets = dict(zip(tree.utilities, model.offsets or (0.0,) * len(tree.utilities), strict=True))
    for k, node in enumerate(tree.nodes):
        if not all(isinstance(c, int) for c in (node.left, node.right)):
            continue
        cols: list[NDArray] = []
        names: list[str] = []
        for sign, o in ((1.0, node.right), (-1.0, node.left)):
            u = f"u{node.player}{o}"
            if u in offsets and offsets[u] != 0:
                cols = []
                break
            if u in frames and frames[u].shape[1]:
                cols.append(sign * frames[u].to_numpy(dtype=float))
                names += [f"{u}:{c}" for c in frames[u].columns]
        if not cols:
            continue
        on = sides[k] != 0
        X = np.hstack(cols)[on]
        A = sides[k, on][:, None] * X
        res = optimize.linprog(
            -A.sum(axis=0),
            A_ub=-A,
            b_ub=np.zeros(len(A)),
            bounds=[(-1, 1)] * X.shape[1],
            method="highs",
        )
        if res.status == 0 and -res.fun > 1e-7 * max(1.0, np.abs(A).sum()):
            raise DataError(
                f"perfect separation in player {node.player}'s choice: a combination of "
                f"{', '.join(names)} predicts its move exactly, so these utilities have no "
                "finite maximum-likelihood estimate"
            )


def _scale_blocks(scale: Any, tree: GameTree) -> tuple[str, dict[str, str]]:
    if scale is None:
        return "none", {}
    if isinstance(scale, str | int):
        return "common", {"log_sigma": str(scale)}
    forms = list(scale)
    if len(forms) != len(tree.players):
        raise SpecError(
            f"scale by player needs one formula per player ({len(tree.players)} in "
            f"{tree.name}); got {len(forms)}"
        )
    return "player", {f"log_sigma{p}": str(f) for p, f in zip(tree.players, forms, strict=True)}


def _check_scale_intercepts(
    kind: str, frames: Mapping[str, pd.DataFrame], fixed: Mapping[str, float], tree: GameTree
) -> None:
    """An intercept in a scale equation moves the scale of all of a player's utilities
    at once, so it is identified only against a utility fixed at a non-zero value."""
    anchored = {tree.split(u)[0] for u, v in fixed.items() if v != 0}
    for block, frame in frames.items():
        if "Intercept" not in frame.columns:
            continue
        players = tree.players if kind == "common" else (int(block[len("log_sigma") :]),)
        if not anchored.intersection(players):
            who = "any player" if kind == "common" else f"player {players[0]}"
            raise SpecError(
                f"{block} has an intercept, but no utility of {who} is fixed at a non-zero "
                "value: only utilities relative to the scale are identified; fix a utility "
                '(fixed=) or drop the intercept from the scale formula ("x - 1")'
            )


# ---------------------------------------------------------------------- the fit
def fit_sequential(
    data: pd.DataFrame,
    outcome: str | Sequence[str],
    utilities: Mapping[str, str] | None = None,
    link: str = "probit",
    errors: str = "agent",
    *,
    game: str | GameTree = "egame12",
    fixed: Mapping[str, float] | None = None,
    scale: str | Sequence[str] | None = None,
    cov: str = "observed",
    cluster: str | None = None,
    start: Sequence[float] | None = None,
):
    """Fit a strategic choice model (``egame12``, ``egame122`` or ``egame123``).

    Parameters
    ----------
    data : DataFrame
        One row per play of the game.
    outcome : str or sequence of str
        One column of outcome codes (1, 3, 4 for ``egame12``; 1, 2, 3, 4 for
        ``egame122``; 1, 3, 5, 6 for ``egame123``); or one binary column per move
        (``egame12``: player 1 moved on, player 2 chose outcome 4; ``egame122``: player 1
        moved right, player 2 moved right; ``egame123``: player 1 moved on, player 2
        moved on, player 3 chose outcome 6), empty or 0 after the game has ended.
    utilities : mapping
        Utility names (``u11``, ``u13``, ``u14``, ``u24`` for ``egame12``) to right-hand-side
        formulas (formulaic grammar): ``"0"`` fixes the utility at zero, ``"1"`` is an
        intercept only, ``"x1 + x2 - 1"`` has no intercept. Missing keys are ``"0"``.
    link : {"probit", "logit"}
    errors : {"agent", "private"}
        Agent error (Signorino 1999) or private information (Lewis and Schultz 2003;
        probit only).
    game : {"egame12", "egame122", "egame123"}
        The game tree (see :mod:`econometrics.strategic.trees`).
    fixed : mapping, optional
        Utilities held at given numbers (the R package's ``fixedUtils``), e.g.
        ``{"u13": 1.0, "u14": -1.0}``; a utility is either fixed or has a formula.
    scale : str or sequence of str, optional
        Formula of ``log sigma``, the scale of the errors: one for all players (``"1"``)
        or one per player (``["1", "1"]``, the package's ``sdByPlayer``). Default: unit
        scale, or ``"1"`` when every utility is fixed (only the scale is estimated).
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
        Parameters named ``"<utility>:<term>"`` and ``"log_sigma:<term>"`` (or
        ``"log_sigma1:<term>"``, ... by player).

    Raises
    ------
    DataError
        Outcome codes outside the tree, impossible decision columns, one outcome only,
        a player's choice that never varies or is perfectly separated, a term with no
        variation or collinear terms, parameters the data cannot separate, or a
        singular information matrix at the maximum.
    SpecError
        An unknown game, link, error model, covariance or utility name, a bad formula,
        or a scale intercept with no fixed utility to anchor it.
    """
    from econometrics.strategic.results import StrategicResults

    tree = game_tree(game)
    _check_model(link, errors, tree)
    check_cov(cov, cluster, data)
    utilities = dict(utilities or {})
    fixed = {k: float(v) for k, v in dict(fixed or {}).items()}
    unknown = (set(utilities) | set(fixed)) - set(tree.utilities)
    if unknown:
        raise SpecError(
            f"unknown utilities {sorted(unknown)}; {tree.name} has {', '.join(tree.utilities)}"
        )
    both = sorted(set(utilities) & set(fixed))
    if both:
        raise SpecError(f"utilities {both} have both a formula and a fixed value")
    formulas = {k: "0" if k in fixed else str(utilities.get(k, "0")) for k in tree.utilities}
    zero = ("0", "-1", "0 - 1")
    if scale is None and fixed and all(formulas[k] in zero for k in tree.utilities):
        scale = "1"  # every utility fixed: estimate the scale only, as the R package does
    kind, scale_formulas = _scale_blocks(scale, tree)
    formulas.update(scale_formulas)
    y_all = _outcome_codes(data, outcome, tree)
    built = {k: _design(f, k, data) for k, f in formulas.items()}
    frames = {k: built[k][0] for k in formulas}
    keep = y_all.notna().to_numpy()
    for frame in frames.values():
        keep &= ~frame.isna().any(axis=1).to_numpy()
    if cluster is not None:
        keep &= data[cluster].notna().to_numpy()
    if not keep.any():
        raise DataError("no complete observations (outcome and every utility's covariates)")
    frames = {k: f.loc[keep] for k, f in frames.items()}
    y = y_all.to_numpy()[keep].astype(np.int64)
    _check_outcomes(y, tree)
    _check_ranks(frames)
    _check_scale_intercepts(kind, {k: frames[k] for k in scale_formulas}, fixed, tree)
    names = tuple(f"{k}:{c}" for k in formulas for c in frames[k].columns)
    if not names:
        raise SpecError("every utility is fixed at 0: there is nothing to estimate")
    designs = tuple(np.ascontiguousarray(frames[k].to_numpy(dtype=float)) for k in formulas)
    model = SequentialModel(
        designs=designs,
        y=y,
        link=link,
        errors=errors,
        names=names,
        tree=tree,
        offsets=tuple(fixed.get(k, 0.0) for k in tree.utilities),
        scale=kind,
    )
    _check_identified(model)
    _check_separation(model, frames)

    theta, info = model.maximise(None if start is None else np.asarray(start, dtype=float))
    probs = model.probabilities(theta)
    fitted = probs[np.arange(len(y)), [tree.outcomes.index(v) for v in y]]
    if np.all(fitted > 1 - 1e-8):
        raise DataError("perfect separation: the fitted model predicts every outcome exactly")
    labels = data[cluster].to_numpy()[keep] if cov == "clustered" else None
    vcov, label, groups, _ = covariance(model, theta, cov, labels)
    if not info["converged"]:
        warnings.warn(
            f"the strategic model did not converge (Newton decrement {info['newton_decrement']:.3g} "
            "after BFGS and Newton steps); estimates may be unreliable",
            ConvergenceWarning,
            stacklevel=2,
        )
    se = np.sqrt(np.clip(np.diag(vcov), 0.0, None))
    ll = model.loglik(theta)
    scale_text = {"none": "", "common": ", scale estimated", "player": ", scale by player"}[kind]
    extra = {
        "Model": f"{tree.name}, {'agent error' if errors == 'agent' else 'private information'}, "
        f"{link}{scale_text}",
        "Log-likelihood": ll,
        "AIC": 2 * len(names) - 2 * ll,
        "Outcomes " + "/".join(map(str, tree.outcomes)): "/".join(
            str(int((y == k).sum())) for k in tree.outcomes
        ),
        "Converged": bool(info["converged"]),
    }
    if fixed:
        extra["Fixed utilities"] = ", ".join(f"{k} = {v:g}" for k, v in fixed.items())
    if groups is not None:
        extra["Clusters"] = groups
    return StrategicResults(
        params=pd.Series(theta, index=list(names)),
        std_errors=pd.Series(se, index=list(names)),
        nobs=len(y),
        estimator=f"strategic ({link}, {errors})"
        if tree is EGAME12
        else f"strategic {tree.name} ({link}, {errors})",
        cov_type=label,
        cov=pd.DataFrame(vcov, index=list(names), columns=list(names)),
        outcome=outcome if isinstance(outcome, str) else " / ".join(outcome),
        cluster=cluster if cov == "clustered" else None,
        extra=extra,
        model=model,
        formulas=formulas,
        model_specs={k: built[k][1] for k in formulas},
        columns={k: tuple(frames[k].columns) for k in formulas},
        loglik=ll,
        optimizer=info,
    )
