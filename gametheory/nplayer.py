"""N-state assurance: the threshold stag hunt, collective risk and the outside competitor.

Banks (``001_0ff89a4813f73384.txt``) follows Hyde: raising labor standards is a stag
hunt in which "all players are best off if they successfully hunt a stag ... but they
cannot do so unless all participate" (L2415-2424); experiments "suggest that co-operation
among larger groups (above six players) tends to fail" (L2458-2460: an experimental
summary; the payoffs alone give no threshold at six, see :func:`threshold_basin`); and a
non-member "low unit labor cost producer" (China) defeats the regime unless conditional
advantages "sufficient to offset potential short run losses in competition with China"
are on offer (L2491-2527). The formal notes are B3 and B4 of ``docs/models_001_banks.md``.

The game
--------
``N`` states; a state that complies (stag) earns ``s + delta`` when the number of
compliers, itself included, reaches the threshold ``M`` and ``s - l + delta`` otherwise;
a state that defects (hare) earns ``h + g * j / (N - 1)`` when ``j`` of the ``N - 1``
others comply (``g`` is trade diverted from compliers). With ``risk > 0`` a failed
threshold also costs every state ``risk`` (the collective-risk dilemma of
Milinski et al. 2008 / Santos and Pacheco 2011). For ``N = M = 2`` this is exactly the
2x2 stag hunt ``[[s + delta, s - l + delta], [h + g, h]]``.

In an infinite population in which groups of ``N`` are drawn at random and a share
``x`` complies, the payoff advantage of complying is the Bernstein polynomial
``D(x) = sum_j C(N-1, j) x^j (1-x)^(N-1-j) [pi_C(j) - pi_D(j)]`` and the replicator
equation is ``x' = x (1 - x) D(x)``. Interior roots of ``D`` are the symmetric mixed
equilibria and the interior rest points of the replicator gradient (no library gives
them as functions of ``N`` and ``M``: egttools' ``NPlayerStagHunt`` uses the
Pacheco et al. public-good payoffs and finite populations; :mod:`gametheory.moran`
covers the finite case).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from math import comb
from typing import TYPE_CHECKING

import numpy as np

from enforcement_lab.errors import InvalidGameError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "ThresholdStagHunt",
    "adjustment_for_basin",
    "banks_tipping_share",
    "outside_competitor",
    "rest_points_table",
    "threshold_basin",
]


@dataclass(frozen=True)
class ThresholdStagHunt:
    """N-player threshold stag hunt / collective-risk game (Banks B3).

    Parameters
    ----------
    N : int
        Number of states in a group (``N >= 2``).
    M : int
        Compliers needed for the stag (``1 <= M <= N``); Banks' "unless all participate"
        is ``M = N``.
    s, l, h, g : float
        Stag payoff, sucker loss, hare payoff, trade-diversion gain (2x2 notation of
        ``docs/models_001_banks.md`` B1).
    delta : float
        Net payoff adjustment of complying from instruments.
    risk : float
        Loss to every state when the threshold fails (collective risk); 0 by default.

    Examples
    --------
    >>> game = ThresholdStagHunt(N=2, M=2, s=4, l=4, h=3)
    >>> game.payoff_matrix().tolist()
    [[4.0, 0.0], [3.0, 3.0]]
    >>> [round(r, 6) for r in game.interior_roots()]
    [0.75]
    """

    N: int
    M: int
    s: float = 4.0
    l: float = 4.0  # noqa: E741 (Banks notation: sucker loss)
    h: float = 3.0
    g: float = 0.0
    delta: float = 0.0
    risk: float = 0.0

    def __post_init__(self) -> None:
        if int(self.N) != self.N or self.N < 2:
            raise InvalidGameError(f"N must be an integer >= 2; got {self.N}")
        if int(self.M) != self.M or not 1 <= self.M <= self.N:
            raise InvalidGameError(f"M must be an integer in [1, N={self.N}]; got {self.M}")
        for name in ("s", "l", "h", "g", "delta", "risk"):
            value = getattr(self, name)
            if not np.isfinite(value):
                raise InvalidGameError(f"parameter {name} must be finite; got {value}")

    # -- payoffs ------------------------------------------------------------------------
    def payoff_comply(self, j: np.ndarray | int) -> np.ndarray:
        """Payoff of a complier when ``j`` of the ``N - 1`` others comply."""
        j = np.asarray(j)
        success = (j + 1) >= self.M
        return self.s + self.delta - self.l * (~success) - self.risk * (~success)

    def payoff_defect(self, j: np.ndarray | int) -> np.ndarray:
        """Payoff of a defector when ``j`` of the ``N - 1`` others comply."""
        j = np.asarray(j)
        success = j >= self.M
        return self.h + self.g * j / (self.N - 1) - self.risk * (~success)

    def advantage(self, j: np.ndarray | int) -> np.ndarray:
        """``pi_C(j) - pi_D(j)``, the gain from complying given ``j`` compliers among others."""
        return self.payoff_comply(j) - self.payoff_defect(j)

    def payoff_matrix(self) -> np.ndarray:
        """For ``N = 2``: the 2x2 row payoffs ``[[C vs C, C vs D], [D vs C, D vs D]]``."""
        if self.N != 2:
            raise InvalidGameError("payoff_matrix is defined for N = 2 only")
        return np.array(
            [
                [float(self.payoff_comply(1)), float(self.payoff_comply(0))],
                [float(self.payoff_defect(1)), float(self.payoff_defect(0))],
            ]
        )

    # -- infinite population ------------------------------------------------------------
    def gradient(self, x: np.ndarray | float) -> np.ndarray:
        """Expected payoff advantage ``D(x)`` of complying when a share ``x`` complies."""
        x = np.asarray(x, dtype=float)
        j = np.arange(self.N)
        w = np.array([comb(self.N - 1, k) for k in j], dtype=float)
        xe = x[..., None]
        basis = w * xe**j * (1 - xe) ** (self.N - 1 - j)
        return basis @ self.advantage(j).astype(float)

    def replicator(self, x: np.ndarray | float) -> np.ndarray:
        """Replicator gradient ``x (1 - x) D(x)``."""
        x = np.asarray(x, dtype=float)
        return x * (1 - x) * self.gradient(x)

    def _reduced(self) -> tuple[list[Fraction], int, int]:
        """``D(x) = x^k (1 - x)^m Q(x)`` with ``Q(0), Q(1) != 0``: returns the power-basis
        coefficients of ``Q`` (exact rationals, lowest degree first), ``k`` and ``m``.

        ``D`` is the Bernstein polynomial with coefficients ``adv_j`` (the advantages):
        near ``x = 0`` it behaves as its first nonzero term, near ``x = 1`` as its last,
        so dividing out ``x^k (1 - x)^m`` removes every root at the boundary exactly
        and leaves a polynomial whose roots are the interior rest points. An empty
        list means ``D = 0`` (every share is a rest point).
        """
        n = self.N - 1
        adv = [Fraction(float(a)) for a in self.advantage(np.arange(self.N))]
        nonzero = [j for j, a in enumerate(adv) if a != 0]
        if not nonzero:
            return [], 0, 0
        k, last = nonzero[0], nonzero[-1]
        q = [Fraction(0)] * (last - k + 1)
        for i in range(last - k + 1):
            c = comb(n, k + i) * adv[k + i]
            if c == 0:
                continue
            # c x^i (1 - x)^(last - k - i) in the power basis
            r = last - k - i
            for t in range(r + 1):
                q[i + t] += c * comb(r, t) * (-1) ** t
        return q, k, n - last

    def _sign_intervals(self) -> tuple[list[float], list[int]]:
        """Interior rest points (sorted) and the sign of ``D`` on each of the intervals
        they cut ``(0, 1)`` into, from exact rational arithmetic (a Sturm sequence of
        the square-free part of ``Q`` isolates the roots, exact sign evaluation refines
        them to double precision). ``D = 0`` gives no roots and the sign list ``[0]``.
        """
        q, _, _ = self._reduced()
        if not q:
            return [], [0]
        p = _trim(q)
        if len(p) == 1:
            return [], [_sgn(p[0])]
        square_free = _poly_div(p, _poly_gcd(p, _poly_deriv(p)))
        sturm = [square_free, _poly_deriv(square_free)]
        while True:  # Sturm: p_{i+1} = -rem(p_{i-1}, p_i) until the remainder is 0
            rem = _poly_rem(sturm[-2], sturm[-1])
            if not any(rem):
                break
            sturm.append([-c for c in rem])

        def count(a: Fraction, b: Fraction) -> int:  # distinct roots in (a, b]
            return _variations(sturm, a) - _variations(sturm, b)

        roots: list[Fraction] = []
        stack = [(Fraction(0), Fraction(1))]
        while stack:
            a, b = stack.pop()
            c = count(a, b)
            if c == 0:
                continue
            if c == 1:
                roots.append(_refine(square_free, a, b))
                continue
            mid = (a + b) / 2
            stack += [(a, mid), (mid, b)]
        roots = sorted(r for r in roots if 0 < r < 1)
        cuts = [Fraction(0), *roots, Fraction(1)]
        signs = [_sgn(_poly_eval(p, (lo + hi) / 2)) for lo, hi in itertools.pairwise(cuts)]
        return [float(r) for r in roots], signs

    def interior_roots(self) -> list[float]:
        """Interior rest points of the replicator gradient (symmetric mixed equilibria).

        Roots of ``D`` in ``(0, 1)``, sorted, each once; roots of even multiplicity
        (tangencies) are kept. Found by exact sign analysis: the roots at the
        boundary (ties among the advantages, e.g. ``D(x) = (1 - x)^3``) are divided
        out exactly, so a boundary rest point is never reported as an interior root
        close to it, and the remaining roots are isolated in rational arithmetic.
        """
        return self._sign_intervals()[0]

    def stability(self) -> list[tuple[float, str]]:
        """Every rest point of the replicator (0, interior roots, 1) with its stability.

        A rest point is ``"stable"`` when the share moves toward it from both sides
        (from the inside for 0 and 1), read off the exact sign of ``D`` on the
        neighbouring intervals, so a boundary at which ``D`` vanishes (a tie) is
        classified by the sign next to it; otherwise ``"unstable"`` (a tangency is
        unstable: it repels on one side). When ``D = 0`` every share is a rest point
        and 0 and 1 are reported unstable.
        """
        roots, signs = self._sign_intervals()
        pts = [0.0, *roots, 1.0]
        out = []
        for i, x in enumerate(pts):
            left = signs[i - 1] if i > 0 else None
            right = signs[i] if i < len(signs) else None
            if i == 0:
                stable = right is not None and right < 0
            elif i == len(pts) - 1:
                stable = left is not None and left > 0
            else:
                stable = left is not None and right is not None and left > 0 > right
            out.append((x, "stable" if stable else "unstable"))
        return out

    def compliance_basin(self) -> float:
        """Share of initial compliance levels from which the replicator reaches its highest
        attractor (full compliance, or the upper coexistence point when ``M < N``).

        Equal to ``1 - x_u`` where ``x_u`` is the largest rest point below that
        attractor (every start above it and below the attractor moves up to it); 1 when
        no rest point lies between 0 and the attractor and 0 is repelling, 0 when
        ``x = 0`` is the only attractor or when ``D = 0`` (no start moves). From the
        exact signs of :meth:`stability`.
        """
        pts = self.stability()
        stable = [x for x, kind in pts if kind == "stable"]
        if not stable:  # D = 0: nothing moves
            return 0.0
        top = max(stable)
        if top == 0.0:
            return 0.0
        below = [x for x, _ in pts if 0.0 < x < top]
        return 1.0 if not below else float(1.0 - max(below))

    def pure_equilibria(self) -> list[int]:
        """Numbers ``k`` of compliers such that a profile with ``k`` compliers is a Nash
        equilibrium of the one-shot ``N``-player game (ties count as equilibrium)."""
        ks = []
        for k in range(self.N + 1):
            ok = True
            if k > 0:  # a complier facing k-1 complying others must not gain by defecting
                ok &= bool(self.advantage(k - 1) >= 0)
            if k < self.N:  # a defector facing k complying others must not gain by complying
                ok &= bool(self.advantage(k) <= 0)
            if ok:
                ks.append(k)
        return ks


# -- exact polynomial arithmetic on rational coefficients (lowest degree first) -----------


def _sgn(a: Fraction) -> int:
    return (a > 0) - (a < 0)


def _trim(p: list[Fraction]) -> list[Fraction]:
    p = list(p)
    while len(p) > 1 and p[-1] == 0:
        p.pop()
    return p


def _poly_eval(p: list[Fraction], x: Fraction) -> Fraction:
    out = Fraction(0)
    for c in reversed(p):
        out = out * x + c
    return out


def _poly_deriv(p: list[Fraction]) -> list[Fraction]:
    return _trim([i * c for i, c in enumerate(p)][1:] or [Fraction(0)])


def _poly_divmod(a: list[Fraction], b: list[Fraction]) -> tuple[list[Fraction], list[Fraction]]:
    a, b = _trim(a), _trim(b)
    if len(a) < len(b):
        return [Fraction(0)], a
    quot = [Fraction(0)] * (len(a) - len(b) + 1)
    rem = list(a)
    for i in range(len(a) - len(b), -1, -1):
        coef = rem[i + len(b) - 1] / b[-1]
        quot[i] = coef
        for j, c in enumerate(b):
            rem[i + j] -= coef * c
    return _trim(quot), _trim(rem[: len(b) - 1] or [Fraction(0)])


def _poly_div(a: list[Fraction], b: list[Fraction]) -> list[Fraction]:
    return _poly_divmod(a, b)[0]


def _poly_rem(a: list[Fraction], b: list[Fraction]) -> list[Fraction]:
    return _poly_divmod(a, b)[1]


def _poly_gcd(a: list[Fraction], b: list[Fraction]) -> list[Fraction]:
    a, b = _trim(a), _trim(b)
    while any(b):
        a, b = b, _poly_rem(a, b)
    return [c / a[-1] for c in a]


def _variations(sturm: list[list[Fraction]], x: Fraction) -> int:
    signs = [s for s in (_sgn(_poly_eval(p, x)) for p in sturm) if s != 0]
    return sum(1 for u, v in itertools.pairwise(signs) if u != v)


def _refine(p: list[Fraction], a: Fraction, b: Fraction) -> Fraction:
    """The single (simple) root of ``p`` in ``(a, b]``, to double precision, by exact
    bisection on the sign of ``p``."""
    if _poly_eval(p, b) == 0:
        return b
    sb = _sgn(_poly_eval(p, b))
    while float(a) != float(b) and b - a > Fraction(1, 2**60):
        mid = (a + b) / 2
        sm = _sgn(_poly_eval(p, mid))
        if sm == 0:
            return mid
        if sm == sb:
            b = mid
        else:
            a = mid
    # limit the size of the rationals carried on: the double nearest the bracket
    return Fraction(float((a + b) / 2))


def banks_tipping_share(N: int, s: float, l: float, h: float, delta: float = 0.0) -> float:  # noqa: E741
    """Closed form of Banks B3 (``M = N``, ``g = 0``): ``[(h - s + l - delta)/l]^(1/(N-1))``.

    The share of other states that must be expected to comply before complying pays;
    the compliance basin is ``1 - x*``, which shrinks toward 0 as ``N`` grows
    (``001_0ff89a4813f73384.txt`` L2454-2463). Clipped to ``[0, 1]``.

    Examples
    --------
    >>> round(banks_tipping_share(2, 4, 4, 3), 4), round(banks_tipping_share(6, 4, 4, 3), 4)
    (0.75, 0.9441)
    """
    if N < 2 or l <= 0:
        raise InvalidGameError(f"need N >= 2 and l > 0; got N={N}, l={l}")
    base = (h - s + l - delta) / l
    return float(np.clip(base, 0.0, 1.0) ** (1.0 / (N - 1)))


def _check_threshold(N: int, M: int, l: float) -> None:  # noqa: E741
    if int(N) != N or N < 2 or int(M) != M or not 1 <= M <= N:
        raise InvalidGameError(f"need integers N >= 2 and 1 <= M <= N; got N={N}, M={M}")
    if not (np.isfinite(l) and l > 0):
        raise InvalidGameError(f"the sucker loss l must be a finite number > 0; got {l}")


def threshold_basin(
    N: int,
    M: int,
    s: float,
    l: float,  # noqa: E741
    h: float,
    delta: float | np.ndarray = 0.0,
) -> np.ndarray | float:
    """Compliance basin of the threshold stag hunt without diversion or collective risk.

    With ``g = 0`` and ``risk = 0`` a defector earns ``h`` whatever the others do, so the
    advantage of complying is ``D(x) = s + delta - h - l F(M - 2; N - 1, x)`` with ``F``
    the binomial distribution function (the complier is a sucker when fewer than
    ``M - 1`` of the ``N - 1`` others comply). ``F`` falls in ``x``, so ``D`` has at most
    one interior root and the replicator basin of the highest attractor is
    ``1 - x_u = I^{-1}(N - M + 1, M - 1; c)``, the inverse regularized incomplete beta
    function at ``c = (s + delta - h) / l``; 0 when ``c <= 0`` (complying never pays),
    1 when ``c >= 1`` (complying is dominant). For ``M = N`` this is Banks' B3,
    ``1 - [(h - s + l - delta)/l]^(1/(N-1))`` (:func:`banks_tipping_share`).
    Vectorised over ``delta``; equals :meth:`ThresholdStagHunt.compliance_basin`.

    Examples
    --------
    >>> [round(float(threshold_basin(6, m, 4, 4, 3)), 4) for m in (6, 4)]
    [0.0559, 0.3594]
    """
    from scipy.special import betaincinv

    _check_threshold(N, M, l)
    c = (s + np.asarray(delta, dtype=float) - h) / l
    if M == 1:  # complying always meets the threshold: D is the constant s + delta - h
        out = np.where(c > 0, 1.0, 0.0)
    else:
        out = np.where(
            c <= 0, 0.0, np.where(c >= 1, 1.0, betaincinv(N - M + 1, M - 1, np.clip(c, 0, 1)))
        )
    return float(out) if out.ndim == 0 else out


def adjustment_for_basin(
    N: int,
    M: int,
    s: float,
    l: float,  # noqa: E741
    h: float,
    basin: float | np.ndarray = 0.5,
) -> np.ndarray | float:
    """Net payoff adjustment ``delta`` at which :func:`threshold_basin` equals ``basin``.

    Inverts ``D(1 - basin) = 0``: ``delta = l F(M - 2; N - 1, 1 - basin) - (s - h)``.
    Negative when the unadjusted game already has a larger basin; compliance becomes
    dominant at ``delta = h - s + l`` (basin 1). For ``M = N`` and ``basin = 0.5`` this is
    ``h - s + l - l / 2^(N-1)``.

    Examples
    --------
    >>> [float(adjustment_for_basin(n, n, 4, 4, 3)) for n in (2, 6, 7)]
    [1.0, 2.875, 2.9375]
    """
    from scipy.stats import binom

    _check_threshold(N, M, l)
    b = np.asarray(basin, dtype=float)
    if np.any((b <= 0) | (b >= 1)):
        raise InvalidGameError(f"basin must lie strictly between 0 and 1; got {basin}")
    out = l * binom.cdf(M - 2, N - 1, 1.0 - b) - (s - h)
    return float(out) if np.ndim(out) == 0 else np.asarray(out)


def outside_competitor(
    s: float,
    l: float,  # noqa: E741
    h: float,
    g: float = 0.0,
    *,
    l_c: float,
    m: float = 1.0,
    eps: float = 0.0,
    other: float = 0.0,
    target: str = "nash",
) -> dict[str, float]:
    """Banks' "China" problem (B4): a non-member that never complies takes ``l_c`` from
    every complier, whatever the members do (``001_0ff89a4813f73384.txt`` L2491-2527).

    The member stag hunt becomes ``[[s - l_c, s - l - l_c], [h + g, h]]`` plus the net
    adjustment ``b (m - eps) + other`` on the comply row (``b`` a conditional benefit
    delivered with monitoring probability ``m`` and withdrawn by mistake with probability
    ``eps``). Returns the conditional benefit ``b*`` that restores the target:

    - ``"nash"``: (C,C) is an equilibrium, ``delta >= h + g - s + l_c``;
    - ``"risk_dominant"``: ``delta >= h - s + l_c + (l + g)/2``;
    - ``"dominant"``: ``delta >= h - s + l + l_c``.

    Examples
    --------
    >>> r = outside_competitor(4, 4, 3, l_c=2.0)
    >>> r["trust_only_fails"], r["b_star"]
    (True, 1.0)
    """
    thresholds = {
        "nash": h + g - s + l_c,
        "risk_dominant": h - s + l_c + (l + g) / 2.0,
        "dominant": h - s + l + l_c,
    }
    if target not in thresholds:
        raise InvalidGameError(f"unknown target {target!r}; choose one of {sorted(thresholds)}")
    if m - eps <= 0:
        raise InvalidGameError(
            f"the benefit must be more likely withheld from violators than compliers "
            f"(m - eps > 0); got m={m}, eps={eps}"
        )
    need = thresholds[target]
    b_star = max(0.0, (need - other) / (m - eps))
    return {
        "delta_needed": float(need),
        "b_star": float(b_star),
        "trust_only_fails": bool(thresholds["nash"] > 0.0),
        "tipping_share_without_benefit": float(
            np.clip((h - s + l + l_c - other) / (l - g), 0.0, 1.0) if l > g else np.nan
        ),
    }


def rest_points_table(
    Ns: Iterable[int], Ms: Iterable[int] | None = None, **params: float
) -> pd.DataFrame:
    """Interior rest points and compliance basin for every ``(N, M)`` with ``M <= N``.

    ``Ms=None`` uses ``M = N`` (Banks' unanimity); ``params`` are passed to
    :class:`ThresholdStagHunt` (``s, l, h, g, delta, risk``). An outside competitor's
    loss ``l_c`` enters as ``delta = -l_c``.

    Examples
    --------
    >>> t = rest_points_table([2, 6, 10], s=4, l=4, h=3)
    >>> t[["N", "M", "compliance_basin"]].round(4).values.tolist()
    [[2.0, 2.0, 0.25], [6.0, 6.0, 0.0559], [10.0, 10.0, 0.0315]]
    """
    import pandas as pd

    rows = []
    Ns = list(Ns)
    for N in Ns:
        for M in [N] if Ms is None else [m for m in Ms if 1 <= m <= N]:
            game = ThresholdStagHunt(N=N, M=M, **params)
            roots = game.interior_roots()
            stab = dict(game.stability())
            rows.append(
                {
                    "N": N,
                    "M": M,
                    "interior_rest_points": tuple(round(r, 12) for r in roots),
                    "stable_interior": tuple(
                        round(r, 12) for r in roots if stab.get(r) == "stable"
                    ),
                    "compliance_basin": game.compliance_basin(),
                    "pure_equilibria": tuple(game.pure_equilibria()),
                }
            )
    return pd.DataFrame(rows)
