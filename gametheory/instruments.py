"""Enforcement instruments as payoff transformations.

Banks (``001_0ff89a4813f73384.txt:2483-2487``) puts the design question in one line:
an international regime "could seek to provide assurance by altering the payoffs of
defection through a regime of economic sanctions or positive incentives such as
conditional trade or other benefits". Every instrument here is such an alteration: a
frozen dataclass whose :meth:`Instrument.apply` maps an
:class:`~gametheory.games.EnforcementGame` to a new one, citing the passage it
formalises.

Convention (see :mod:`gametheory.games`): strategy index 0 is compliance, every
other index is non-compliance, for both players. Each instrument changes the payoffs
of the players it targets: ``players="both"`` is uniform enforcement,
``players="row"`` or ``"column"`` is selective enforcement (Barenberg's "singled
out", ``002_fe9755c5db777969.txt:464``).

Most instruments are *additive*: they add the same net amount ``shift`` to the
targeted player's advantage of complying over defecting, whatever the opponent does
(a sanction ``p*s`` on defection, a benefit paid only to compliers, ...). Their
compliance thresholds have closed forms in :mod:`gametheory.thresholds`. The
:class:`Fine` (Barenberg's Peru rule) is not additive: it takes a share of the gain
from violating.

Parameters may be NumPy arrays (one value per game) when instruments transform
stacks of games with :meth:`Instrument.transform`; :mod:`gametheory.sweep` uses that.

Examples
--------
>>> from gametheory.games import stag_hunt
>>> g = stag_hunt().adjust(Sanction(0.5, 2.0), ConditionalBenefit(1.0, players="row"))
>>> g.A.tolist(), g.B.tolist()
([[5.0, 1.0], [2.0, 2.0]], [[4.0, 2.0], [0.0, 2.0]])
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from enforcement_lab.errors import InvalidGameError
from enforcement_lab.registries import Registry
from enforcement_lab.sources import BANKS, BARENBERG, LECLERCQ
from gametheory.games import EnforcementGame

__all__ = [
    "INSTRUMENTS",
    "CapacityBuilding",
    "ConditionalBenefit",
    "Fine",
    "Instrument",
    "Participation",
    "Reputation",
    "Sanction",
    "TradeDiversion",
    "make_instrument",
]

PLAYERS = ("row", "column", "both")


def _out(value: Any) -> Any:
    """A float for scalar results, an array otherwise."""
    arr = np.asarray(value, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


def _param(value: Any) -> Any:
    """A parameter ready to broadcast against payoff stacks of shape (..., m, n)."""
    arr = np.asarray(value, dtype=float)
    return arr if arr.ndim == 0 else arr[..., None, None]


@dataclass(frozen=True)
class Instrument:
    """Base class: a payoff transformation applied to the targeted players.

    Subclasses implement :meth:`own_adjustment` (the change to one player's payoff
    matrix written from that player's point of view: own strategies on rows).
    """

    players: str = field(default="both", kw_only=True)

    name: ClassVar[str] = "instrument"
    citation: ClassVar[str] = ""
    #: Bounds of each numeric field: name -> (low, high), None for unbounded.
    bounds: ClassVar[dict[str, tuple[float | None, float | None]]] = {}

    def __post_init__(self) -> None:
        if self.players not in PLAYERS:
            raise InvalidGameError(
                f"{type(self).__name__}.players must be one of {', '.join(PLAYERS)}, "
                f"got {self.players!r}"
            )
        for fname, (lo, hi) in self.bounds.items():
            value = getattr(self, fname)
            try:
                arr = np.asarray(value, dtype=float)
            except (TypeError, ValueError):
                raise InvalidGameError(
                    f"{type(self).__name__}.{fname} is not a number: {value!r}"
                ) from None
            if isinstance(value, bool) or not np.all(np.isfinite(arr)):
                raise InvalidGameError(f"{type(self).__name__}.{fname} is not finite: {value!r}")
            if lo is not None and np.any(arr < lo):
                raise InvalidGameError(f"{type(self).__name__}.{fname} must be >= {lo}: {value!r}")
            if hi is not None and np.any(arr > hi):
                raise InvalidGameError(f"{type(self).__name__}.{fname} must be <= {hi}: {value!r}")

    # -- to implement ----------------------------------------------------------------
    def own_adjustment(self, U: NDArray[np.float64]) -> NDArray[np.float64]:
        """Change to a player's own payoffs ``U`` (shape ``(..., m, n)``, own strategy first)."""
        raise NotImplementedError

    @property
    def shift(self) -> Any:
        """Net amount added to the advantage of complying over defecting, or None.

        Defined for additive instruments (the same change against every opponent
        strategy); ``None`` for non-additive ones such as :class:`Fine`.
        """
        return None

    # -- generic machinery -----------------------------------------------------------
    def _repr_html_(self) -> str:
        from gametheory.display import instrument_html

        return instrument_html(self)

    @property
    def targets_row(self) -> bool:
        """Whether the instrument adjusts the row player's payoffs (``players`` is row or both)."""
        return self.players in ("row", "both")

    @property
    def targets_column(self) -> bool:
        """Whether the instrument adjusts the column player's payoffs."""
        return self.players in ("column", "both")

    def transform(
        self, A: ArrayLike, B: ArrayLike
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Transform payoff stacks ``A``, ``B`` of shape ``(..., m, n)``.

        >>> A, B = Sanction(probability=[0.0, 1.0], size=1.0).transform(
        ...     np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))
        >>> A[:, 1, 0].tolist(), B[:, 0, 1].tolist()
        ([-0.0, -1.0], [-0.0, -1.0])
        """
        A = np.asarray(A, dtype=float)
        B = np.asarray(B, dtype=float)
        if self.targets_row:
            A = A + self.own_adjustment(A)
        if self.targets_column:
            own = np.swapaxes(B, -1, -2)
            B = B + np.swapaxes(self.own_adjustment(own), -1, -2)
        return A, B

    def apply(self, game: EnforcementGame) -> EnforcementGame:
        """Return ``game`` with this instrument's payoff change applied."""
        if not isinstance(game, EnforcementGame):
            raise InvalidGameError(
                f"{type(self).__name__} applies to an EnforcementGame, got {game!r}"
            )
        for fname in self.bounds:
            if np.ndim(getattr(self, fname)) != 0:
                raise InvalidGameError(
                    f"{type(self).__name__}.{fname} must be a scalar to adjust one game"
                )
        A, B = self.transform(game.A, game.B)
        record = {f"{self.name}.{k}": v for k, v in self.describe().items()}
        return EnforcementGame(
            A,
            B,
            row_labels=game.row_labels,
            col_labels=game.col_labels,
            params={**game.params, **record},
            source=game.source,
        )

    def describe(self) -> dict[str, Any]:
        """The instrument's fields as a plain dict (scalars as floats)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            out[f.name] = float(v) if np.ndim(v) == 0 and not isinstance(v, str) else v
        return out

    @staticmethod
    def _additive(U: NDArray, comply: Any = 0.0, defect: Any = 0.0) -> NDArray:
        comply, defect = _param(comply), _param(defect)
        D = np.zeros(np.broadcast_shapes(U.shape, np.shape(comply), np.shape(defect)))
        # each block is assigned ``0.0 + value`` (what adding the value to the zeros
        # gives, signed zeros included): an in-place add over these strided blocks
        # costs several times as much on a sweep's stacks of games
        for rows, value in ((slice(None, 1), comply), (slice(1, None), defect)):
            if np.ndim(value) or value != 0.0:
                D[..., rows, :] = 0.0 + value
        return D


@dataclass(frozen=True)
class Sanction(Instrument):
    """Expected penalty ``probability * size`` on every non-compliant strategy.

    Banks: sanctions alter "the payoffs of defection"
    (``001_0ff89a4813f73384.txt:2483-2487``); the ASC model's "teeth" is a likely
    threat of economic consequences (``001_0ff89a4813f73384.txt:931-949``).

    >>> Sanction(0.25, 4.0).shift
    1.0
    """

    probability: float = 1.0
    size: float = 0.0

    name: ClassVar[str] = "sanction"
    citation: ClassVar[str] = f"{BANKS}:2483-2487; {BANKS}:931-949"
    bounds: ClassVar[dict[str, tuple[float | None, float | None]]] = {
        "probability": (0.0, 1.0),
        "size": (0.0, None),
    }

    @property
    def shift(self) -> Any:
        return _out(np.multiply(self.probability, self.size))

    def own_adjustment(self, U: NDArray) -> NDArray:
        return self._additive(U, defect=-np.multiply(self.probability, self.size))


@dataclass(frozen=True)
class ConditionalBenefit(Instrument):
    """A benefit paid only to compliers: market access, the Cambodia quota bonus.

    A complier receives ``value`` unless it is withdrawn in error (probability
    ``error``); a non-complier keeps it unless detected (probability ``detection``).
    Net shift ``value * (detection - error)`` (Banks' ``b(m - eps)``). Sources: Banks
    ``001_0ff89a4813f73384.txt:2483-2527`` (conditional trade benefits sufficient to
    offset short-run losses) and ``001_0ff89a4813f73384.txt:5090-5205`` (US-Cambodia
    textile quota bonus conditional on ILO-monitored compliance).

    >>> ConditionalBenefit(2.0, detection=0.75, error=0.25).shift
    1.0
    """

    value: float = 0.0
    detection: float = 1.0
    error: float = 0.0

    name: ClassVar[str] = "benefit"
    citation: ClassVar[str] = f"{BANKS}:2483-2527; {BANKS}:5090-5205"
    bounds: ClassVar[dict[str, tuple[float | None, float | None]]] = {
        "value": (0.0, None),
        "detection": (0.0, 1.0),
        "error": (0.0, 1.0),
    }

    @property
    def shift(self) -> Any:
        return _out(np.multiply(self.value, np.subtract(self.detection, self.error)))

    def own_adjustment(self, U: NDArray) -> NDArray:
        v = np.asarray(self.value, dtype=float)
        return self._additive(
            U,
            comply=v * (1.0 - np.asarray(self.error)),
            defect=v * (1.0 - np.asarray(self.detection)),
        )


@dataclass(frozen=True)
class Reputation(Instrument):
    """A reputational cost ``cost`` of being seen not to comply (ILO supervision, shaming).

    Banks ``001_0ff89a4813f73384.txt:2746-2822`` (reputation counts only if it carries
    across fields, so labour reputation costs are small) and
    ``001_0ff89a4813f73384.txt:3450-3461`` (12% responsiveness to CEACR observations).
    """

    cost: float = 0.0

    name: ClassVar[str] = "reputation"
    citation: ClassVar[str] = f"{BANKS}:2746-2822; {BANKS}:3450-3461"
    bounds: ClassVar[dict[str, tuple[float | None, float | None]]] = {"cost": (0.0, None)}

    @property
    def shift(self) -> Any:
        return _out(np.asarray(self.cost, dtype=float) * 1.0)

    def own_adjustment(self, U: NDArray) -> NDArray:
        return self._additive(U, defect=-np.asarray(self.cost, dtype=float))


@dataclass(frozen=True)
class CapacityBuilding(Instrument):
    """Technical assistance lowering the cost of compliance by ``cost_reduction``.

    Banks ``001_0ff89a4813f73384.txt:7800-7812`` (technical assistance) and
    ``001_0ff89a4813f73384.txt:4238-4246`` (backsliding where capacity is lacking).
    """

    cost_reduction: float = 0.0

    name: ClassVar[str] = "capacity"
    citation: ClassVar[str] = f"{BANKS}:7800-7812; {BANKS}:4238-4246"
    bounds: ClassVar[dict[str, tuple[float | None, float | None]]] = {"cost_reduction": (0.0, None)}

    @property
    def shift(self) -> Any:
        return _out(np.asarray(self.cost_reduction, dtype=float) * 1.0)

    def own_adjustment(self, U: NDArray) -> NDArray:
        return self._additive(U, comply=np.asarray(self.cost_reduction, dtype=float))


@dataclass(frozen=True)
class Fine(Instrument):
    """Barenberg's Peru remedy: a violator pays a share of the benefit impaired.

    Under the US-Peru agreement Peru may "pay a monetary fine ... equal to 50% of the
    benefits" the US proposed to suspend, i.e. "a cost equal to only half of the
    benefits that the country gains from non-compliance"
    (``002_fe9755c5db777969.txt:813``, ``:933``), which "may give Peru an incentive to
    violate" (``:939``).

    Formalisation (Barenberg M5 in ``docs/models_002_barenberg.md``): the violator's
    gain against opponent strategy ``j`` is ``gain_j = U[d, j] - U[0, j]``. The US loss
    is ``theta * gain_j`` (endnote 56, ``:1035``, assumes ``theta = 1``; ``:939``
    argues the US loss can be smaller, ``theta < 1``). The US pursues the case to the
    end with probability ``pursuit``. Peru then bears the cheaper of a sector sanction
    weighted ``sector_weight`` (its weight on exporters' losses, ``:939``) and the
    fine ``share``, so the expected penalty is
    ``pursuit * min(sector_weight, share) * theta * max(gain_j, 0)``.

    With ``share = 0.5``, ``theta <= 1`` and ``pursuit <= 1`` the penalty never
    exceeds half the gain, so a violation that paid before still pays: the fine can
    never make compliance dominant (nor turn a profitable violation into an
    unprofitable one). ``theta`` is bounded by 1 because the model's premise is that
    the US loss does not exceed Peru's gain.

    >>> from gametheory.games import prisoners_dilemma
    >>> prisoners_dilemma().adjust(Fine()).A.tolist()
    [[3.0, 0.0], [4.0, 0.5]]
    """

    share: float = 0.5
    theta: float = 1.0
    pursuit: float = 1.0
    sector_weight: float = 1.0

    name: ClassVar[str] = "fine"
    citation: ClassVar[str] = f"{BARENBERG}:813, 933, 939; {BARENBERG}:1035 (endnote 56)"
    bounds: ClassVar[dict[str, tuple[float | None, float | None]]] = {
        "share": (0.0, None),
        "theta": (0.0, 1.0),
        "pursuit": (0.0, 1.0),
        "sector_weight": (0.0, None),
    }

    @property
    def penalty_share(self) -> Any:
        """Share of the violator's gain it expects to pay: ``pursuit * min(w, share) * theta``."""
        return np.multiply(
            np.multiply(self.pursuit, np.minimum(self.sector_weight, self.share)), self.theta
        )

    def own_adjustment(self, U: NDArray) -> NDArray:
        gain = U[..., 1:, :] - U[..., :1, :]
        D = np.zeros(np.broadcast_shapes(U.shape, np.shape(_param(self.penalty_share))))
        D[..., 1:, :] = -_param(self.penalty_share) * np.maximum(gain, 0.0)
        return D


@dataclass(frozen=True)
class TradeDiversion(Instrument):
    """A market-access sanction that loses leverage as exports move elsewhere.

    LeClercq ``003_2bd722cc361fa659.txt:526-560``: sanctioned Thailand and Eswatini
    found "new markets"; "once the U.S. government pulls the enforcement trigger and
    withdraws benefits, it loses its leverage". A violator expects to lose
    ``probability * size`` of access, of which the share ``alpha`` is recovered by
    diverting trade, so the penalty is ``probability * (1 - alpha) * size``.

    >>> TradeDiversion(alpha=0.75, probability=1.0, size=4.0).shift
    1.0
    """

    alpha: float = 0.0
    probability: float = 1.0
    size: float = 0.0

    name: ClassVar[str] = "diversion"
    citation: ClassVar[str] = f"{LECLERCQ}:526-560"
    bounds: ClassVar[dict[str, tuple[float | None, float | None]]] = {
        "alpha": (0.0, 1.0),
        "probability": (0.0, 1.0),
        "size": (0.0, None),
    }

    @property
    def shift(self) -> Any:
        return _out(
            np.multiply(np.multiply(self.probability, 1.0 - np.asarray(self.alpha)), self.size)
        )

    def own_adjustment(self, U: NDArray) -> NDArray:
        return self._additive(U, defect=-self.shift)


@dataclass(frozen=True)
class Participation(Instrument):
    """Participation and legitimacy: compliance with rules one helped make pays more.

    LeClercq ``003_2bd722cc361fa659.txt:660-676``: actors "will ... be more likely to
    comply with labor rights they trust, understand, and feel a sense of ownership
    over"; coercion without legitimacy triggers reactance (endnote 196, ``:742``).
    Complying gains ``ownership * legitimacy`` and costs
    ``resentment * (1 - legitimacy)``; so participation lowers the sanction needed.

    >>> Participation(legitimacy=0.5, ownership=2.0, resentment=1.0).shift
    0.5
    """

    legitimacy: float = 0.0
    ownership: float = 1.0
    resentment: float = 0.0

    name: ClassVar[str] = "participation"
    citation: ClassVar[str] = f"{LECLERCQ}:660-676; {LECLERCQ}:742"
    bounds: ClassVar[dict[str, tuple[float | None, float | None]]] = {
        "legitimacy": (0.0, 1.0),
        "ownership": (0.0, None),
        "resentment": (0.0, None),
    }

    @property
    def shift(self) -> Any:
        ell = np.asarray(self.legitimacy, dtype=float)
        return _out(self.ownership * ell - np.multiply(self.resentment, 1.0 - ell))

    def own_adjustment(self, U: NDArray) -> NDArray:
        return self._additive(U, comply=self.shift)


#: Instrument classes by their short name (used by the CLI: ``--instrument sanction:...``).
_INSTRUMENTS: dict[str, type[Instrument]] = {
    cls.name: cls
    for cls in (
        Sanction,
        ConditionalBenefit,
        Reputation,
        CapacityBuilding,
        Fine,
        TradeDiversion,
        Participation,
    )
}
INSTRUMENTS: Registry[type[Instrument]] = Registry(
    "instrument", _INSTRUMENTS, error=InvalidGameError
)


def make_instrument(name: str, fields: Mapping[str, Any] | None = None) -> Instrument:
    """The instrument called ``name`` (a key of :data:`INSTRUMENTS`) with ``fields``.

    Values may be numbers or numeric text (as read from a command line or a file);
    ``players`` is ``"row"``, ``"column"`` or ``"both"``. Unknown names and fields, and
    values that are not numbers, raise :class:`InvalidGameError` naming them.

    >>> make_instrument("fine", {"share": "0.5", "players": "row"})
    Fine(players='row', share=0.5, theta=1.0, pursuit=1.0, sector_weight=1.0)
    >>> make_instrument("sanction", {"severity": 2})
    Traceback (most recent call last):
    ...
    enforcement_lab.errors.InvalidGameError: sanction has no field 'severity'; fields: probability, size, players
    """
    key = name.strip().lower()
    if key not in INSTRUMENTS:
        raise InvalidGameError(f"unknown instrument {name!r}; known: {', '.join(INSTRUMENTS)}")
    cls = INSTRUMENTS[key]
    kwargs: dict[str, Any] = {}
    for field_name, value in (fields or {}).items():
        if field_name == "players":
            kwargs["players"] = str(value).strip()
        elif field_name in cls.bounds:
            try:
                if isinstance(value, bool):
                    raise TypeError
                number = float(value.strip() if isinstance(value, str) else value)
            except (TypeError, ValueError):
                raise InvalidGameError(f"{key}.{field_name} is not a number: {value!r}") from None
            if not math.isfinite(number):
                raise InvalidGameError(f"{key}.{field_name} is not finite: {value!r}")
            kwargs[field_name] = number
        else:
            raise InvalidGameError(
                f"{key} has no field {field_name!r}; fields: {', '.join([*cls.bounds, 'players'])}"
            )
    return cls(**kwargs)
