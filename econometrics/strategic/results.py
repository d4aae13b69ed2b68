"""Results of a strategic choice model: the usual table, plus the game behind it.

:class:`StrategicResults` is an :class:`econometrics.results.EstimationResults` (so
``summary()``, ``to_frame()``, ``conf_int()`` and :func:`econometrics.tables.compare`
work unchanged) that also keeps the fitted model, so it can predict outcome
probabilities with delta-method intervals, profile the likelihood, and hand back the
game at a covariate profile as a :class:`gametheory.games.EnforcementGame`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import special, stats

from econometrics.results import EstimationResults
from enforcement_lab.errors import DataError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from econometrics.tables import ComparisonTable
    from gametheory.games import EnforcementGame

__all__ = ["MLResults", "StrategicResults", "delta_method_frame", "strategic_form"]


def delta_method_frame(
    probabilities: Any,
    theta: np.ndarray,
    V: np.ndarray,
    names: Sequence[str],
    index: Any = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Probabilities ``probabilities(theta)`` (n, k) with delta-method standard errors
    (central-difference Jacobian) and intervals computed on the logit scale."""
    P = probabilities(theta)
    J = np.empty((*P.shape, theta.size))
    for j in range(theta.size):
        h = 1e-6 * max(1.0, abs(theta[j]))
        e = np.zeros_like(theta)
        e[j] = h
        J[:, :, j] = (probabilities(theta + e) - probabilities(theta - e)) / (2 * h)
    var = np.einsum("nkp,pq,nkq->nk", J, V, J)
    se = np.sqrt(np.clip(var, 0.0, None))
    q = float(stats.norm.ppf(0.5 + level / 2))
    Pc = np.clip(P, 1e-300, 1 - 1e-16)
    eta = special.logit(Pc)
    se_eta = se / (Pc * (1 - Pc))
    out = {}
    for k, name in enumerate(names):
        out[name] = P[:, k]
    for k, name in enumerate(names):
        out[f"se_{name}"] = se[:, k]
    for k, name in enumerate(names):
        out[f"lower_{name}"] = special.expit(eta[:, k] - q * se_eta[:, k])
        out[f"upper_{name}"] = special.expit(eta[:, k] + q * se_eta[:, k])
    return pd.DataFrame(out, index=index)


def strategic_form(tree: Any, values: Mapping[str, float]):
    """The bimatrix of a two-player game tree: a pure strategy names a move at each of
    the player's nodes; payoffs are the utilities of the outcome the pair reaches.

    Returns
    -------
    (A, B, row labels, column labels)
    """
    import itertools

    from econometrics.strategic.trees import Node

    own = {p: [k for k, n in enumerate(tree.nodes) if n.player == p] for p in tree.players}
    plans = {p: list(itertools.product("LR", repeat=len(own[p]))) for p in tree.players}

    def outcome(plan: dict[int, str]) -> int:
        node: Node | int = tree.root
        while isinstance(node, Node):
            node = node.right if plan[tree.nodes.index(node)] == "R" else node.left
        return int(node)

    p1, p2 = tree.players
    A = np.zeros((len(plans[p1]), len(plans[p2])))
    B = np.zeros_like(A)
    for i, a in enumerate(plans[p1]):
        for j, b in enumerate(plans[p2]):
            plan = dict(zip(own[p1], a, strict=True)) | dict(zip(own[p2], b, strict=True))
            o = outcome(plan)
            A[i, j] = values.get(f"u{p1}{o}", 0.0)
            B[i, j] = values.get(f"u{p2}{o}", 0.0)
    labels = [tuple("/".join(x) for x in plans[p]) for p in (p1, p2)]
    return A, B, labels[0], labels[1]


@dataclass(frozen=True, eq=False)
class MLResults(EstimationResults):
    """Maximum-likelihood estimates of a model whose parameters come in blocks, one
    design matrix per block (a utility, a scale equation, a payoff cell).

    Besides the fields of :class:`~econometrics.results.EstimationResults`:

    Attributes
    ----------
    model : SequentialModel or QREModel
        The numerical model (designs, outcomes, likelihood).
    formulas : dict
        The formula of each block.
    model_specs : dict
        formulaic model specs (``None`` for a block without terms), to build designs
        for new data.
    columns : dict
        The design's column names for each block.
    loglik : float
        Maximised log-likelihood.
    optimizer : dict
        Convergence diagnostics (``converged``, ``bfgs_iterations``, ``newton_decrement``).
    """

    model: Any = None
    formulas: Mapping[str, str] = field(default_factory=dict)
    model_specs: Mapping[str, Any] = field(default_factory=dict)
    columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    loglik: float = float("nan")
    optimizer: Mapping[str, Any] = field(default_factory=dict)

    def _cov_matrix(self) -> np.ndarray:
        if self.cov is None:
            raise DataError("these results carry no covariance matrix for standard errors")
        return self.cov.to_numpy()

    @property
    def aic(self) -> float:
        """Akaike's information criterion, ``2k - 2 loglik``."""
        return 2 * len(self.params) - 2 * self.loglik

    # ------------------------------------------------------------------ designs
    def _designs(self, data: pd.DataFrame) -> list[np.ndarray]:
        out = []
        for k in self.model.blocks:
            spec = self.model_specs.get(k)
            if spec is None:
                out.append(np.zeros((len(data), 0)))
                continue
            try:
                mm = spec.get_model_matrix(data, na_action="ignore")
            except Exception as exc:  # formulaic: unknown columns, unseen levels
                raise DataError(f"{k}: cannot build its terms from the data: {exc}") from None
            out.append(pd.DataFrame(mm)[list(self.columns[k])].to_numpy(dtype=float))
        return out

    @staticmethod
    def _frame(profile: Mapping[str, Any] | pd.DataFrame) -> pd.DataFrame:
        if isinstance(profile, pd.DataFrame):
            return profile
        if isinstance(profile, pd.Series):
            return profile.to_frame().T
        return pd.DataFrame({k: [v] for k, v in dict(profile).items()}, index=[0])

    # ------------------------------------------------------------------ profile likelihood
    def profile(
        self, term: str, values: Sequence[float] | None = None, n: int = 21
    ) -> pd.DataFrame:
        """The profile log-likelihood of one parameter (the others re-maximised).

        Parameters
        ----------
        term : str
            A parameter name such as ``"u24:x1"``.
        values : sequence of float, optional
            Grid of values; default ``n`` points over estimate +/- 3 standard errors.

        Returns
        -------
        DataFrame
            ``value, loglik, lr`` with ``lr = 2 (max loglik - loglik)``, to compare with
            the chi-squared(1) quantile (3.84 for 95%).
        """
        if term not in self.params.index:
            raise KeyError(f"{term!r} is not a parameter; parameters: {list(self.params.index)}")
        j = int(self.params.index.get_loc(term))
        est, se = float(self.params[term]), float(self.std_errors[term])
        grid = np.linspace(est - 3 * se, est + 3 * se, n) if values is None else values
        theta = self.params.to_numpy()
        rows = []
        for v in grid:
            opt, _ = self.model.maximise(theta, fixed={j: float(v)})
            rows.append((float(v), self.model.loglik(opt)))
        frame = pd.DataFrame(rows, columns=["value", "loglik"])
        frame["lr"] = 2 * (self.loglik - frame["loglik"])
        return frame

    def plot_profile(
        self,
        term: str,
        values: Sequence[float] | None = None,
        n: int = 21,
        ax: Axes | None = None,
    ) -> Axes:
        """Plot the profile likelihood ratio of ``term`` with the 95% chi-squared(1) cut-off
        and the Wald interval for comparison."""
        import matplotlib.pyplot as plt

        prof = self.profile(term, values, n)
        if ax is None:
            _, ax = plt.subplots(figsize=(4.5, 3.2))
        ax.plot(prof["value"], prof["lr"], color="C0", label="profile LR")
        cut = float(stats.chi2.ppf(0.95, 1))
        ax.axhline(cut, color="0.4", ls="--", lw=0.8, label="95% cut-off")
        lo, hi = self.conf_int(0.95).loc[term]
        ax.axvspan(lo, hi, color="C1", alpha=0.15, label="Wald 95%")
        ax.axvline(float(self.params[term]), color="C1", lw=0.8)
        ax.set_xlabel(term)
        ax.set_ylabel("2 (max log L - profile log L)")
        ax.legend(frameon=False, fontsize="small")
        return ax

    # ------------------------------------------------------------------ export
    def table(self, name: str | None = None, digits: int = 3) -> ComparisonTable:
        """A one-column regression table (see :func:`econometrics.tables.compare`)."""
        from econometrics.tables import compare

        return compare(self, names=[name or self.outcome or "(1)"], digits=digits)

    def to_markdown(self, digits: int = 3) -> str:
        """The coefficient table in Markdown, with log-likelihood and AIC rows."""
        lines = self.table(digits=digits).to_markdown().splitlines()
        lines += [
            f"| Log-likelihood | {self.loglik:.{digits}f} |",
            f"| AIC | {self.aic:.{digits}f} |",
        ]
        return "\n".join(lines)

    def to_latex(self, caption: str | None = None, digits: int = 3) -> str:
        """The coefficient table as a LaTeX float (log-likelihood and AIC in the caption)."""
        cap = (caption + "; " if caption else "") + (
            f"log-likelihood {self.loglik:.{digits}f}, AIC {self.aic:.{digits}f}"
        )
        return self.table(digits=digits).to_latex(caption=cap)


@dataclass(frozen=True, eq=False)
class StrategicResults(MLResults):
    """Estimates of a strategic choice model (``egame12``, ``egame122``, ``egame123``):
    :class:`MLResults` with the fitted utilities, outcome predictions and the game."""

    def utilities(self, data: pd.DataFrame | Mapping[str, Any]) -> pd.DataFrame:
        """Fitted utilities (``u11, u13, u14, u24`` for ``egame12``; the normalised ones
        are zero) for rows of data, and the error scale of each player (``sigma1``, ...)."""
        frame = self._frame(data)
        designs = self._designs(frame)
        theta = self.params.to_numpy()
        u = self.model.utilities(theta, designs)
        out = pd.DataFrame(dict(zip(self.model.tree.utilities, u, strict=True)), index=frame.index)
        sig = self.model.sigmas(theta, designs)
        for j, p in enumerate(self.model.tree.players):
            out[f"sigma{p}"] = sig[j]
        return out

    # ------------------------------------------------------------------ predictions
    def predict(
        self, data: pd.DataFrame | Mapping[str, Any] | None = None, level: float = 0.95
    ) -> pd.DataFrame:
        """Outcome probabilities with delta-method standard errors and intervals.

        The interval is computed on the logit scale of each probability and mapped back,
        so it stays inside (0, 1). Columns: ``p1, p3, p4`` (one per outcome of the
        game), ``se_p1, ...``, ``lower_p1, upper_p1, ...``.
        """
        designs = None if data is None else self._designs(self._frame(data))
        index = None if data is None else self._frame(data).index
        names = [f"p{o}" for o in self.model.tree.outcomes]
        return delta_method_frame(
            lambda t: self.model.probabilities(t, designs),
            self.params.to_numpy(),
            self._cov_matrix(),
            names,
            index,
            level,
        )

    # ------------------------------------------------------------------ the game
    def game_at(self, profile: Mapping[str, Any] | pd.DataFrame | pd.Series) -> EnforcementGame:
        """The fitted two-player game at one covariate profile, in strategic form.

        For ``egame12``, player 1 (rows) chooses ``comply`` (outcome 1) or ``violate``
        (move on); player 2 (columns) chooses ``acquiesce`` (outcome 3) or ``sanction``
        (outcome 4). Payoffs are the fitted utilities: ``A = [[u11, u11], [u13, u14]]``
        and ``B = [[0, 0], [0, u24]]`` (player 2's utilities of outcomes 1 and 3 are the
        model's normalisation). For ``egame122`` player 2's strategies say its move after
        each of player 1's moves (``"L/R"``: left after left, right after right). The
        game's pure subgame-perfect path is one of its Nash equilibria;
        :func:`gametheory.solve.equilibria` lists them all. The three-player
        ``egame123`` has no bimatrix form (use :meth:`utilities`).
        """
        from gametheory.games import EnforcementGame

        tree = self.model.tree
        if len(tree.players) != 2:
            raise DataError(
                f"{tree.name} has {len(tree.players)} players: it has no bimatrix form; "
                "use utilities() for its fitted payoffs"
            )
        u = self.utilities(profile)
        if len(u) != 1:
            raise DataError(f"game_at needs one covariate profile, got {len(u)} rows")
        if u.isna().to_numpy().any():
            raise DataError("the covariate profile leaves a utility undefined (missing values)")
        r = u.iloc[0]
        values = {k: float(r[k]) for k in tree.utilities}
        A, B, rows, cols = strategic_form(tree, values)
        return EnforcementGame(
            A=A,
            B=B,
            row_labels=tree.row_labels or rows,
            col_labels=tree.col_labels or cols,
            params=values,
            source=f"estimated {tree.name} ({self.estimator})",
        )
