"""Game trees of the strategic choice models and their choice probabilities.

A tree is made of binary decision nodes; each node belongs to one player and leads left
or right to an outcome or to another node. Player ``p``'s utility of outcome ``o`` is
``u<p><o>``; the utilities a model estimates are listed by the tree, the others are
normalised to zero (Signorino 2003, Political Analysis 11(4), identification section).
The three trees of Kenkel and Signorino's R package ``games`` (Journal of Statistical
Software 56(8), 2014) are :data:`EGAME12`, :data:`EGAME122` and :data:`EGAME123`.

At a node of player ``p`` let ``pi_L`` and ``pi_R`` be the probabilities of reaching
each outcome from the left and right child (given the choices further down the tree) and
``U_p`` the player's utilities of the outcomes. The player moves right with probability
``F(z)``, ``z = (pi_R - pi_L) . U_p / s``, where ``F`` is the normal (probit) or
logistic (logit) CDF and ``s`` the scale of the difference of the two actions' errors:

- **agent error** (Signorino 1999): each action has its own error of scale ``sigma_p``,
  so ``s = sqrt(2) sigma_p``;
- **private information** (Lewis and Schultz 2003; probit only): the player draws a
  shock of scale ``sigma_p`` on each outcome and knows only the distribution of the
  others' choices, so an action is a lottery over outcomes and
  ``s = sigma_p sqrt(sum(pi_L**2) + sum(pi_R**2))``. This needs each player to move
  at most once on any path, which the three trees satisfy.

With ``sigma_p = 1`` these are the package's conventions (``sqrt(2)`` and, in
``egame12``, ``sqrt(1 + p3**2 + p4**2)``); estimated scales are ``exp(Z gamma)``, one
equation for all players or one per player (the package's ``sdByPlayer``).

The derivatives of the log-likelihood with respect to every utility and every player's
log-scale are computed in one backward sweep over the tree (reverse-mode chain rule
through the reach probabilities ``pi``), vectorised over observations.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import special

from enforcement_lab.errors import SpecError

__all__ = ["EGAME12", "EGAME122", "EGAME123", "GAMES", "GameTree", "Node", "game_tree"]

_SQRT2 = math.sqrt(2.0)
_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)


# ---------------------------------------------------------------------- link functions
def log_cdf(z: NDArray, link: str) -> NDArray:
    """``log F(z)``, finite far in the tails."""
    if link == "probit":
        return special.log_ndtr(z)
    return -np.logaddexp(0.0, -z)


def pdf_over_cdf(z: NDArray, link: str, log_f: NDArray | None = None) -> NDArray:
    """``f(z) / F(z)``, in logs for probit (inverse Mills ratio); ``log_f = log F(z)``
    when the caller already has it."""
    if link == "probit":
        if log_f is None:
            log_f = special.log_ndtr(z)
        return np.exp(-0.5 * z * z - _LOG_SQRT_2PI - log_f)
    return special.expit(-z)


def cdf(z: NDArray, link: str) -> NDArray:
    """``F(z)``."""
    return special.ndtr(z) if link == "probit" else special.expit(z)


def pdf(z: NDArray, link: str) -> NDArray:
    """``f(z)``."""
    if link == "probit":
        return np.exp(-0.5 * z * z - _LOG_SQRT_2PI)
    return special.expit(z) * special.expit(-z)


# ---------------------------------------------------------------------- the tree
@dataclass(frozen=True)
class Node:
    """A decision node: ``player`` moves ``left`` or ``right``, each an outcome code or a node."""

    player: int
    left: Node | int
    right: Node | int


@dataclass(frozen=True)
class GameTree:
    """A sequential game of binary moves, with the utilities a model estimates.

    Parameters
    ----------
    name : str
        The model's name (``"egame12"``).
    root : Node
        The first move.
    utilities : tuple of str
        The utilities ``u<player><outcome>`` that may be estimated, in parameter order;
        every other utility is zero.
    row_labels, col_labels : tuple of str, optional
        Names of player 1's and player 2's pure strategies in the strategic form
        (default: the moves, ``"L"``/``"R"`` per node).
    """

    name: str
    root: Node
    utilities: tuple[str, ...]
    row_labels: tuple[str, ...] | None = None
    col_labels: tuple[str, ...] | None = None
    nodes: tuple[Node, ...] = field(init=False, repr=False)
    outcomes: tuple[int, ...] = field(init=False)
    players: tuple[int, ...] = field(init=False)
    depth: int = field(init=False)

    def __post_init__(self) -> None:
        nodes: list[Node] = []
        outcomes: list[int] = []
        depth = 0

        def walk(n: Node | int, d: int) -> None:
            nonlocal depth
            if isinstance(n, Node):
                nodes.append(n)
                depth = max(depth, d + 1)
                walk(n.left, d + 1)
                walk(n.right, d + 1)
            else:
                outcomes.append(int(n))

        walk(self.root, 0)
        object.__setattr__(self, "nodes", tuple(nodes))  # preorder: parents first
        object.__setattr__(self, "outcomes", tuple(outcomes))
        object.__setattr__(self, "players", tuple(sorted({n.player for n in nodes})))
        object.__setattr__(self, "depth", depth)
        if list(outcomes) != sorted(outcomes):
            raise SpecError(f"{self.name}: outcome codes must increase from left to right")
        for u in self.utilities:
            p, o = self.split(u)
            if p not in self.players or o not in self.outcomes:
                raise SpecError(f"{self.name}: utility {u} names no player and outcome of the tree")

    # ------------------------------------------------------------------ structure
    @staticmethod
    def split(utility: str) -> tuple[int, int]:
        """``"u24"`` -> ``(2, 4)``."""
        return int(utility[1]), int(utility[2:])

    def _child(self, c: Node | int) -> tuple[str, int]:
        return (
            ("node", self.nodes.index(c))
            if isinstance(c, Node)
            else (
                "outcome",
                self.outcomes.index(int(c)),
            )
        )

    @property
    def children(self) -> tuple[tuple[tuple[str, int], tuple[str, int]], ...]:
        """For each node, its (left, right) child as ``("node", k)`` or ``("outcome", j)``."""
        return tuple((self._child(n.left), self._child(n.right)) for n in self.nodes)

    def paths(self) -> NDArray[np.int8]:
        """``(n_outcomes, n_nodes)``: -1 where the path to an outcome goes left at a node,
        +1 right, 0 where the node is off the path."""
        out = np.zeros((len(self.outcomes), len(self.nodes)), dtype=np.int8)

        def walk(n: Node | int, steps: list[tuple[int, int]]) -> None:
            if isinstance(n, Node):
                k = self.nodes.index(n)
                walk(n.left, [*steps, (k, -1)])
                walk(n.right, [*steps, (k, 1)])
            else:
                for k, s in steps:
                    out[self.outcomes.index(int(n)), k] = s

        walk(self.root, [])
        return out

    def node_depths(self) -> tuple[int, ...]:
        """How many moves precede each node."""
        out = {}

        def walk(n: Node | int, d: int) -> None:
            if isinstance(n, Node):
                out[self.nodes.index(n)] = d
                walk(n.left, d + 1)
                walk(n.right, d + 1)

        walk(self.root, 0)
        return tuple(out[k] for k in range(len(self.nodes)))

    def check_private(self) -> None:
        """The private-information model needs every player to move at most once per path."""
        for row in self.paths():
            movers = [self.nodes[k].player for k in np.nonzero(row)[0]]
            if len(movers) != len(set(movers)):
                raise SpecError(
                    f"{self.name}: a player moves twice on one path, which the "
                    "private-information model does not cover"
                )

    # ------------------------------------------------------------------ algebra
    def utility_array(self, values: Mapping[str, NDArray], n: int) -> NDArray[np.float64]:
        """``(n_players, n_outcomes, n)`` utilities from the named ones (others zero)."""
        U = np.zeros((len(self.players), len(self.outcomes), n))
        for name, v in values.items():
            p, o = self.split(name)
            U[self.players.index(p), self.outcomes.index(o)] = v
        return U

    def forward(self, U: NDArray, sigma: NDArray, link: str, errors: str) -> list[dict[str, Any]]:
        """Choice index and reach probabilities at every node (``U``: (P, O, n),
        ``sigma``: (P, n)). Reach probabilities are kept as ``{outcome index: array}``
        over the outcomes below a node (a terminal child reaches its outcome surely)."""
        out: list[dict[str, Any]] = [{} for _ in self.nodes]
        for k in reversed(range(len(self.nodes))):  # children after parents in preorder
            p = self.players.index(self.nodes[k].player)
            piL, piR = (
                out[j]["pi"] if kind == "node" else {j: 1.0} for kind, j in self.children[k]
            )
            N = sum(w * U[p, o] for o, w in piR.items()) - sum(w * U[p, o] for o, w in piL.items())
            if errors == "agent":
                root_s: Any = _SQRT2
            else:
                root_s = np.sqrt(
                    sum(w * w for w in piL.values()) + sum(w * w for w in piR.values())
                )
            s = sigma[p] * root_s
            z = N / s
            q = cdf(z, link)
            pi = {o: (1.0 - q) * w for o, w in piL.items()} | {o: q * w for o, w in piR.items()}
            out[k] = {"piL": piL, "piR": piR, "z": z, "q": q, "s": s, "root_s": root_s, "pi": pi}
        return out

    def backward(
        self,
        fwd: list[dict[str, Any]],
        seeds: NDArray,
        U: NDArray,
        sigma: NDArray,
        link: str,
        errors: str,
    ) -> tuple[NDArray, NDArray]:
        """Derivatives of ``sum_k seeds[k] * z_k`` (through every downstream choice) with
        respect to ``U`` (P, O, n) and to ``log sigma`` (P, n); ``seeds``: (n_nodes, n)."""
        dU = np.zeros_like(U)
        dlogsig = np.zeros_like(sigma)
        bar_pi: list[dict[int, NDArray]] = [{} for _ in self.nodes]
        for k, node in enumerate(self.nodes):  # preorder: a parent's adjoint is complete
            f = fwd[k]
            p = self.players.index(node.player)
            piL, piR, bar = f["piL"], f["piR"], bar_pi[k]
            bz = seeds[k]
            if bar:
                bq = sum(b * (piR[o] if o in piR else -piL[o]) for o, b in bar.items())
                bz = bz + bq * pdf(f["z"], link)
            bN = bz / f["s"]
            bs = -bz * f["z"] / f["s"]
            for o, w in piR.items():
                dU[p, o] += bN * w
            for o, w in piL.items():
                dU[p, o] -= bN * w
            dlogsig[p] += bs * f["s"]
            q = f["q"]
            w_priv = bs * sigma[p] / f["root_s"] if errors == "private" else None
            for (kind, j), pis, share, sign in (
                (self.children[k][0], piL, 1.0 - q, -1.0),
                (self.children[k][1], piR, q, 1.0),
            ):
                if kind != "node":
                    continue
                child = bar_pi[j]
                for o, w in pis.items():
                    b = sign * bN * U[p, o]
                    if o in bar:
                        b = b + share * bar[o]
                    if w_priv is not None:
                        b = b + w_priv * w
                    child[o] = child[o] + b if o in child else b
        return dU, dlogsig

    def probabilities(
        self,
        utilities: Mapping[str, Any],
        link: str = "probit",
        errors: str = "agent",
        scale: Any = 1.0,
    ) -> NDArray[np.float64]:
        """Outcome probabilities (columns in the order of :attr:`outcomes`).

        Parameters
        ----------
        utilities : mapping
            Named utilities (arrays or scalars); missing ones are zero.
        scale : float, array or sequence
            One scale for every player, or one per player (each a scalar or an array).
        """
        arrays = {k: np.asarray(v, dtype=float) for k, v in utilities.items()}
        unknown = set(arrays) - set(self.utilities)
        if unknown:
            raise SpecError(
                f"{self.name} has utilities {', '.join(self.utilities)}; got {sorted(unknown)}"
            )
        sizes = [np.size(v) for v in arrays.values()]
        sizes += [np.size(s) for s in (scale if isinstance(scale, list | tuple) else [scale])]
        n = max([*sizes, 1])
        sig = self.scale_array(scale, n)
        U = self.utility_array({k: np.broadcast_to(v, (n,)) for k, v in arrays.items()}, n)
        return self.reach_matrix(self.forward(U, sig, link, errors)[0]["pi"], n)

    def reach_matrix(self, pi: Mapping[int, Any], n: int) -> NDArray[np.float64]:
        """``(n, n_outcomes)`` from the root's reach probabilities."""
        out = np.zeros((n, len(self.outcomes)))
        for o, w in pi.items():
            out[:, o] = w
        return out

    def scale_array(self, scale: Any, n: int) -> NDArray[np.float64]:
        """``(n_players, n)`` scales from one value (or array) or one per player."""
        if isinstance(scale, list | tuple):
            if len(scale) != len(self.players):
                raise SpecError(
                    f"{self.name} has {len(self.players)} players; got {len(scale)} scales"
                )
            sig = np.vstack([np.broadcast_to(np.asarray(s, dtype=float), (n,)) for s in scale])
        else:
            one = np.broadcast_to(np.asarray(scale, dtype=float), (n,))
            sig = np.vstack([one] * len(self.players))
        if not np.all(sig > 0):
            raise SpecError("scales must be positive")
        return sig


#: Player 1 ends the game at outcome 1 or moves on; player 2 chooses outcome 3 or 4.
EGAME12 = GameTree(
    "egame12",
    Node(1, 1, Node(2, 3, 4)),
    ("u11", "u13", "u14", "u24"),
    row_labels=("comply", "violate"),
    col_labels=("acquiesce", "sanction"),
)
#: Player 1 moves left or right; player 2 then chooses outcome 1 or 2 (after left) or
#: 3 or 4 (after right).
EGAME122 = GameTree(
    "egame122",
    Node(1, Node(2, 1, 2), Node(2, 3, 4)),
    ("u11", "u12", "u13", "u14", "u22", "u24"),
)
#: Player 1 ends the game at outcome 1 or moves on; player 2 ends it at outcome 3 or
#: moves on; player 3 chooses outcome 5 or 6.
EGAME123 = GameTree(
    "egame123",
    Node(1, 1, Node(2, 3, Node(3, 5, 6))),
    ("u11", "u13", "u15", "u16", "u23", "u25", "u26", "u36"),
)
GAMES = {t.name: t for t in (EGAME12, EGAME122, EGAME123)}


def game_tree(game: str | GameTree) -> GameTree:
    """The tree named ``game`` (``"egame12"``, ``"egame122"``, ``"egame123"``)."""
    if isinstance(game, GameTree):
        return game
    if game not in GAMES:
        raise SpecError(f"game {game!r} is unknown; choose one of {', '.join(GAMES)}")
    return GAMES[game]
