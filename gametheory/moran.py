"""Finite populations of states: Moran and pairwise-comparison processes with selection.

Banks' trust-based assurance works in "relatively small numbers of like-minded states"
and spreads through "peer effects" until norms become "contagious"
(``001_0ff89a4813f73384.txt`` L2454-2472); Menashe's norm dynamics rest on the same
positive feedback (``000_cdb709224d31b41b.txt`` L482-488). In a finite population of
``Z`` states, chance matters: a compliance norm can invade and fix even against the
risk-dominant hare, or be lost. This module computes, exactly (no simulation):

- the transition probabilities ``T+(k)``, ``T-(k)`` of the birth-death chain on the
  number ``k`` of compliers, for the frequency-dependent **Moran** process (fitness
  ``1 - w + w * payoff``, selection intensity ``w``; Nowak et al. 2004) and the
  **pairwise-comparison** (Fermi) rule (intensity ``beta``; Traulsen et al. 2006);
- the **gradient of selection** ``G(k) = T+(k) - T-(k)``;
- **fixation probabilities** ``rho = 1 / (1 + sum_i prod_{j<=i} T-(j)/T+(j))``
  (a neutral mutant fixes with probability ``1/Z``);
- the **stationary distribution** with mutation rate ``mu`` (detailed balance of the
  birth-death chain), and its small-mutation limit.

Payoffs come from a 2x2 symmetric game or from a :class:`gametheory.nplayer.ThresholdStagHunt`
(groups of ``N`` drawn without replacement: hypergeometric sampling). nashpy's
``moran_process``/``fixation_probabilities`` estimate fixation by simulation; egttools
computes these quantities exactly but is GPL-3 (a test-only dependency here), so the
closed forms are written here and tested against a direct Markov-chain computation
(absorption probabilities by a linear solve, stationary distribution by an
eigenvector) and against egttools' ``StochDynamics`` (fixation probabilities and
gradient of selection of the pairwise-comparison rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb
from typing import Any

import numpy as np

from enforcement_lab.errors import InvalidGameError

__all__ = ["FinitePopulation"]

_RULES = ("moran", "fermi")


@dataclass(frozen=True)
class FinitePopulation:
    """A population of ``Z`` states playing comply (C) or defect (D).

    Parameters
    ----------
    Z : int
        Population size.
    game : array_like (2, 2) or ThresholdStagHunt
        Symmetric 2x2 row payoffs ``[[C vs C, C vs D], [D vs C, D vs D]]``, or an
        N-player threshold game (``N <= Z``).
    intensity : float
        Selection intensity: ``w`` in ``[0, 1]`` for ``rule="moran"``, ``beta >= 0`` for
        ``rule="fermi"``. Zero is neutral drift.
    rule : {"moran", "fermi"}
    mu : float
        Mutation (exploration) probability per update, used by :meth:`stationary`.

    Examples
    --------
    >>> pop = FinitePopulation(Z=20, game=[[4, 0], [3, 3]], intensity=0.0)
    >>> round(pop.fixation_probability("C"), 6)   # neutral: 1/Z
    0.05
    """

    Z: int
    game: Any
    intensity: float = 1.0
    rule: str = "moran"
    mu: float = 0.0

    def __post_init__(self) -> None:
        if int(self.Z) != self.Z or self.Z < 2:
            raise InvalidGameError(f"population size Z must be an integer >= 2; got {self.Z}")
        if self.rule not in _RULES:
            raise InvalidGameError(f"unknown update rule {self.rule!r}; choose one of {_RULES}")
        if not np.isfinite(self.intensity) or self.intensity < 0:
            raise InvalidGameError(f"intensity must be finite and >= 0; got {self.intensity}")
        if self.rule == "moran" and self.intensity > 1:
            raise InvalidGameError(
                f"Moran selection intensity w must be in [0, 1]; got {self.intensity}"
            )
        if not 0 <= self.mu <= 1:
            raise InvalidGameError(f"mutation probability mu must be in [0, 1]; got {self.mu}")
        if hasattr(self.game, "advantage"):
            if self.game.N > self.Z:
                raise InvalidGameError(f"group size N={self.game.N} exceeds Z={self.Z}")
        else:
            A = np.asarray(self.game, dtype=float)
            if A.shape != (2, 2) or not np.all(np.isfinite(A)):
                raise InvalidGameError(f"game must be a finite 2x2 payoff array; got {A!r}")

    # -- payoffs ------------------------------------------------------------------------
    def _group_payoffs(self) -> tuple[int, np.ndarray, np.ndarray]:
        g = self.game
        if hasattr(g, "advantage"):
            j = np.arange(g.N)
            return g.N, g.payoff_comply(j).astype(float), g.payoff_defect(j).astype(float)
        A = np.asarray(g, dtype=float)
        return 2, np.array([A[0, 1], A[0, 0]]), np.array([A[1, 1], A[1, 0]])

    def payoffs(self) -> tuple[np.ndarray, np.ndarray]:
        """Average payoffs ``(f_C(k), f_D(k))`` for ``k = 0..Z`` compliers.

        Co-players are drawn without replacement from the other ``Z - 1`` states
        (hypergeometric); ``f_C(0)`` and ``f_D(Z)`` are not defined and returned as nan.
        """
        N, pc, pd = self._group_payoffs()
        Z = self.Z
        fc = np.full(Z + 1, np.nan)
        fd = np.full(Z + 1, np.nan)
        total = comb(Z - 1, N - 1)
        for k in range(Z + 1):
            if k >= 1:  # a complier sees k-1 compliers among the other Z-1
                w = [comb(k - 1, j) * comb(Z - k, N - 1 - j) for j in range(N)]
                fc[k] = float(np.dot(w, pc)) / total
            if k <= Z - 1:  # a defector sees k compliers among the other Z-1
                w = [comb(k, j) * comb(Z - k - 1, N - 1 - j) for j in range(N)]
                fd[k] = float(np.dot(w, pd)) / total
        return fc, fd

    # -- transitions --------------------------------------------------------------------
    def transitions(self, with_mutation: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """``T+(k)`` (one more complier) and ``T-(k)`` (one fewer), ``k = 0..Z``."""
        Z = self.Z
        k = np.arange(Z + 1, dtype=float)
        fc, fd = self.payoffs()
        fc0 = np.nan_to_num(fc)
        fd0 = np.nan_to_num(fd)
        if self.rule == "moran":
            w = self.intensity
            phi_c = 1 - w + w * fc0
            phi_d = 1 - w + w * fd0
            if np.any(phi_c[1:] <= 0) or np.any(phi_d[:-1] <= 0):
                raise InvalidGameError(
                    "Moran fitness 1 - w + w*payoff must be positive: lower w or shift payoffs"
                )
            mean = k * phi_c + (Z - k) * phi_d
            tp = np.where(mean > 0, k * phi_c / np.where(mean > 0, mean, 1), 0.0) * (Z - k) / Z
            tm = np.where(mean > 0, (Z - k) * phi_d / np.where(mean > 0, mean, 1), 0.0) * k / Z
        else:
            beta = self.intensity
            pair = k / Z * (Z - k) / (Z - 1)  # a random focal, a random other
            diff = fc0 - fd0
            tp = pair / (1.0 + np.exp(-beta * diff))
            tm = pair / (1.0 + np.exp(beta * diff))
        if with_mutation and self.mu > 0:
            mu = self.mu
            tp = (1 - mu) * tp + mu * (Z - k) / Z
            tm = (1 - mu) * tm + mu * k / Z
        return tp, tm

    def gradient_of_selection(self) -> np.ndarray:
        """``G(k) = T+(k) - T-(k)`` for ``k = 0..Z`` (no mutation)."""
        tp, tm = self.transitions()
        return tp - tm

    def fixation_probability(self, mutant: str = "C") -> float:
        """Probability that one ``mutant`` ("C" or "D") takes over the other strategy.

        Closed form of the birth-death chain:
        ``rho_C = 1 / (1 + sum_{i=1}^{Z-1} prod_{j=1}^{i} T-(j)/T+(j))`` and symmetrically
        for D.
        """
        tp, tm = self.transitions()
        Z = self.Z
        ratios = tm[1:Z] / tp[1:Z]
        if mutant == "C":
            prods = np.cumprod(ratios)
        elif mutant == "D":
            prods = np.cumprod((tp[1:Z] / tm[1:Z])[::-1])
        else:
            raise InvalidGameError(f"mutant must be 'C' or 'D'; got {mutant!r}")
        return float(1.0 / (1.0 + prods.sum()))

    def transition_matrix(self) -> np.ndarray:
        """Full ``(Z+1) x (Z+1)`` transition matrix of the chain (with mutation ``mu``)."""
        tp, tm = self.transitions(with_mutation=True)
        Z = self.Z
        T = np.zeros((Z + 1, Z + 1))
        idx = np.arange(Z + 1)
        T[idx[:-1], idx[:-1] + 1] = tp[:-1]
        T[idx[1:], idx[1:] - 1] = tm[1:]
        T[idx, idx] = 1.0 - T.sum(axis=1)
        return T

    def stationary(self) -> np.ndarray:
        """Stationary distribution over ``k = 0..Z`` compliers (needs ``mu > 0``).

        Detailed balance of the birth-death chain:
        ``p(k+1)/p(k) = T+(k)/T-(k+1)``, computed in log space.

        Examples
        --------
        Selection in the Banks-Hyde stag hunt keeps a population of 30 states near the
        all-hare state most of the time:

        >>> pop = FinitePopulation(Z=30, game=[[4, 0], [3, 3]], intensity=0.5, mu=0.01)
        >>> round(float(pop.stationary()[:3].sum()), 3)
        0.975
        """
        if self.mu <= 0:
            raise InvalidGameError(
                "the stationary distribution needs mutation mu > 0 (without it the chain "
                "is absorbed in k=0 or k=Z); use small_mutation_limit()"
            )
        tp, tm = self.transitions(with_mutation=True)
        logp = np.concatenate([[0.0], np.cumsum(np.log(tp[:-1]) - np.log(tm[1:]))])
        p = np.exp(logp - logp.max())
        return p / p.sum()

    def small_mutation_limit(self) -> dict[str, float]:
        """Long-run shares of the all-C and all-D states as ``mu -> 0``.

        Proportional to the fixation probability of the invading mutant
        (Fudenberg and Imhof 2006): ``p_C = rho_C / (rho_C + rho_D)``.
        """
        rc = self.fixation_probability("C")
        rd = self.fixation_probability("D")
        return {"all_C": rc / (rc + rd), "all_D": rd / (rc + rd)}

    def absorption_by_linear_solve(self) -> np.ndarray:
        """Probability of ending in all-C from every ``k`` (direct Markov-chain solve).

        An independent route to :meth:`fixation_probability` (its value at ``k = 1``),
        used by the tests: solves ``(I - Q) x = R`` on the transient states.
        """
        tp, tm = self.transitions()
        Z = self.Z
        T = np.zeros((Z + 1, Z + 1))
        for k in range(1, Z):
            T[k, k + 1] = tp[k]
            T[k, k - 1] = tm[k]
            T[k, k] = 1 - tp[k] - tm[k]
        T[0, 0] = T[Z, Z] = 1.0
        Q = T[1:Z, 1:Z]
        R = T[1:Z, Z]
        x = np.linalg.solve(np.eye(Z - 1) - Q, R)
        return np.concatenate([[0.0], x, [1.0]])
