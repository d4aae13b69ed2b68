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

    from econometrics.strategic.sequential import SequentialModel
    from econometrics.tables import ComparisonTable
    from gametheory.games import EnforcementGame

__all__ = ["StrategicResults"]


@dataclass(frozen=True, eq=False)
class StrategicResults(EstimationResults):
    """Estimates of an ``egame12`` strategic choice model.

    Besides the fields of :class:`~econometrics.results.EstimationResults`:

    Attributes
    ----------
    model : SequentialModel
        The numerical model (designs, outcomes, link, error model).
    formulas : dict
        The formula of each utility.
    model_specs : dict
        formulaic model specs (``None`` for a utility fixed at 0), to build designs
        for new data.
    columns : dict
        The design's column names for each utility.
    loglik : float
        Maximised log-likelihood.
    optimizer : dict
        Convergence diagnostics (``converged``, ``bfgs_iterations``, ``newton_decrement``).
    """

    model: SequentialModel | None = None
    formulas: Mapping[str, str] = field(default_factory=dict)
    model_specs: Mapping[str, Any] = field(default_factory=dict)
    columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    loglik: float = float("nan")
    optimizer: Mapping[str, Any] = field(default_factory=dict)

    @property
    def _model(self) -> SequentialModel:
        """The numerical model, which predictions and profiles need."""
        if self.model is None:
            raise DataError("these results carry no model: fit them with fit_sequential")
        return self.model

    @property
    def aic(self) -> float:
        """Akaike's information criterion, ``2k - 2 loglik``."""
        return 2 * len(self.params) - 2 * self.loglik

    # ------------------------------------------------------------------ designs
    def _designs(self, data: pd.DataFrame) -> list[np.ndarray]:
        from econometrics.strategic.sequential import UTILITIES

        out = []
        for k in UTILITIES:
            spec = self.model_specs.get(k)
            if spec is None:
                out.append(np.zeros((len(data), 0)))
                continue
            try:
                mm = spec.get_model_matrix(data, na_action="ignore")
            except Exception as exc:  # formulaic: unknown columns, unseen levels
                raise DataError(
                    f"utility {k}: cannot build its terms from the data: {exc}"
                ) from None
            out.append(pd.DataFrame(mm)[list(self.columns[k])].to_numpy(dtype=float))
        return out

    @staticmethod
    def _frame(profile: Mapping[str, Any] | pd.DataFrame) -> pd.DataFrame:
        if isinstance(profile, pd.DataFrame):
            return profile
        if isinstance(profile, pd.Series):
            return profile.to_frame().T
        return pd.DataFrame({k: [v] for k, v in dict(profile).items()}, index=[0])

    def utilities(self, data: pd.DataFrame | Mapping[str, Any]) -> pd.DataFrame:
        """Fitted utilities ``u11, u13, u14, u24`` (and ``u21 = u23 = 0``) for rows of data."""
        from econometrics.strategic.sequential import UTILITIES

        frame = self._frame(data)
        u = self._model.utilities(self.params.to_numpy(), self._designs(frame))
        return pd.DataFrame(dict(zip(UTILITIES, u, strict=True)), index=frame.index)

    # ------------------------------------------------------------------ predictions
    def predict(
        self, data: pd.DataFrame | Mapping[str, Any] | None = None, level: float = 0.95
    ) -> pd.DataFrame:
        """Outcome probabilities with delta-method standard errors and intervals.

        The interval is computed on the logit scale of each probability and mapped back,
        so it stays inside (0, 1). Columns: ``p1, p3, p4``, ``se_p1, ...``,
        ``lower_p1, upper_p1, ...``.
        """
        theta = self.params.to_numpy()
        designs = None if data is None else self._designs(self._frame(data))
        index = None if data is None else self._frame(data).index
        P = self._model.probabilities(theta, designs)
        J = np.empty((*P.shape, theta.size))
        for j in range(theta.size):
            h = 1e-6 * max(1.0, abs(theta[j]))
            e = np.zeros_like(theta)
            e[j] = h
            J[:, :, j] = (
                self._model.probabilities(theta + e, designs)
                - self._model.probabilities(theta - e, designs)
            ) / (2 * h)
        if self.cov is None:
            raise DataError("these results carry no covariance matrix for standard errors")
        V = self.cov.to_numpy()
        var = np.einsum("nkp,pq,nkq->nk", J, V, J)
        se = np.sqrt(np.clip(var, 0.0, None))
        q = float(stats.norm.ppf(0.5 + level / 2))
        Pc = np.clip(P, 1e-300, 1 - 1e-16)
        eta = special.logit(Pc)
        se_eta = se / (Pc * (1 - Pc))
        out = {}
        for k, name in enumerate(("p1", "p3", "p4")):
            out[name] = P[:, k]
        for k, name in enumerate(("p1", "p3", "p4")):
            out[f"se_{name}"] = se[:, k]
        for k, name in enumerate(("p1", "p3", "p4")):
            out[f"lower_{name}"] = special.expit(eta[:, k] - q * se_eta[:, k])
            out[f"upper_{name}"] = special.expit(eta[:, k] + q * se_eta[:, k])
        return pd.DataFrame(out, index=index)

    # ------------------------------------------------------------------ the game
    def game_at(self, profile: Mapping[str, Any] | pd.DataFrame | pd.Series) -> EnforcementGame:
        """The fitted game at one covariate profile, in strategic form.

        Player 1 (rows) chooses ``comply`` (outcome 1) or ``violate`` (move on); player 2
        (columns) chooses ``acquiesce`` (outcome 3) or ``sanction`` (outcome 4). Payoffs
        are the fitted utilities: ``A = [[u11, u11], [u13, u14]]`` and
        ``B = [[0, 0], [0, u24]]`` (player 2's utilities of outcomes 1 and 3 are the
        model's normalisation). The game's pure subgame-perfect path is one of its
        Nash equilibria; :func:`gametheory.solve.equilibria` lists them all.
        """
        from gametheory.games import EnforcementGame

        u = self.utilities(profile)
        if len(u) != 1:
            raise DataError(f"game_at needs one covariate profile, got {len(u)} rows")
        if u.isna().to_numpy().any():
            raise DataError("the covariate profile leaves a utility undefined (missing values)")
        r = u.iloc[0]
        return EnforcementGame(
            A=np.array([[r.u11, r.u11], [r.u13, r.u14]], dtype=float),
            B=np.array([[0.0, 0.0], [0.0, r.u24]], dtype=float),
            row_labels=("comply", "violate"),
            col_labels=("acquiesce", "sanction"),
            params={k: float(r[k]) for k in ("u11", "u13", "u14", "u24")},
            source=f"estimated egame12 ({self.estimator})",
        )

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
        if values is None:
            values = np.linspace(est - 3 * se, est + 3 * se, n).tolist()
        theta = self.params.to_numpy()
        rows = []
        for v in values:
            opt, _ = self._model.maximise(theta, fixed={j: float(v)})
            rows.append((float(v), self._model.loglik(opt)))
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
