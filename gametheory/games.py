"""Enforcement games as immutable values, and the canonical families of the seeds.

An :class:`EnforcementGame` is a two-player bimatrix game (row payoffs ``A``, column
payoffs ``B``) with strategy labels, the parameters it was built from and the seed
passage it formalises. It converts to and from :class:`nashpy.Game`.

Strategy convention
-------------------
For every enforcement family, **strategy index 0 is compliance** (raise standards,
"hunt the stag", cooperate) and **every other index is a form of non-compliance**
(keep low standards, "hare", defect), for both players. The payoff-adjusting
instruments of :mod:`gametheory.instruments` rely on this convention: a sanction
lowers the payoffs of the rows (for the row player) or columns (for the column
player) with index >= 1; a conditional benefit raises those with index 0.

Families
--------
Each family is a :class:`Family` (vectorised payoff function, defaults, labels,
citation) registered in :data:`FAMILIES`; the module-level constructors
(:func:`stag_hunt`, :func:`prisoners_dilemma`, :func:`race_to_the_bottom`,
:func:`assurance`) build one game from scalar parameters. The payoff functions also
accept NumPy arrays, which :mod:`gametheory.sweep` uses to build millions of games
at once. Constructors do not enforce the payoff ordering that gives a family its
name: a stag hunt with a large enough sanction stops being a stag hunt, and
:func:`gametheory.selection.classify` reports what a game actually is.

Examples
--------
>>> g = stag_hunt()  # Banks-Hyde canonical stag hunt (4, 0; 3, 3)
>>> g.A.tolist()
[[4.0, 0.0], [3.0, 3.0]]
>>> g.row_labels
('stag', 'hare')
>>> back = EnforcementGame.from_nashpy(g.to_nashpy(), row_labels=("stag", "hare"),
...                                   col_labels=("stag", "hare"))
>>> back == g.replace(params={}, source="")
True
"""

from __future__ import annotations

import dataclasses
import numbers
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from enforcement_lab.errors import InvalidGameError
from enforcement_lab.registries import Registry
from enforcement_lab.sources import BANKS, BARENBERG, LECLERCQ

if TYPE_CHECKING:  # pragma: no cover
    import nashpy

    from gametheory.instruments import Instrument

__all__ = [
    "FAMILIES",
    "EnforcementGame",
    "Family",
    "FrozenParams",
    "assurance",
    "bimatrix",
    "prisoners_dilemma",
    "race_to_the_bottom",
    "read_game_file",
    "stag_hunt",
]


class FrozenParams(Mapping[str, Any]):
    """A read-only, hashable, picklable mapping of parameter names to values.

    >>> p = FrozenParams({"stag": 4.0})
    >>> p["stag"], len(p), dict(p)
    (4.0, 1, {'stag': 4.0})
    """

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, Any] | None = None) -> None:
        self._items: tuple[tuple[str, Any], ...] = tuple((items or {}).items())

    def __getitem__(self, key: str) -> Any:
        for k, v in self._items:
            if k == key:
                return v
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return (k for k, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(tuple((k, repr(v)) for k, v in self._items))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        return dict(self) == dict(other)

    def __repr__(self) -> str:
        return f"FrozenParams({dict(self._items)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenParams, (dict(self._items),))


def _payoff_matrix(values: ArrayLike, name: str) -> NDArray[np.float64]:
    """Validate one payoff matrix: 2-D, non-empty, real numbers, all finite."""
    if isinstance(values, str | bytes):
        raise InvalidGameError(f"{name} must be a matrix of numbers, got the string {values!r}")
    try:
        raw = np.array(values, dtype=object)
    except ValueError as exc:  # ragged nesting
        raise InvalidGameError(f"{name} is not a rectangular matrix ({exc})") from None
    if any(isinstance(v, list | tuple | np.ndarray) for v in raw.flat):
        raise InvalidGameError(f"{name} is not a rectangular matrix (rows of unequal length)")
    if raw.ndim != 2:
        raise InvalidGameError(
            f"{name} must be a 2-D payoff matrix, got {raw.ndim} dimension(s) (shape {raw.shape})"
        )
    if raw.shape[0] < 1 or raw.shape[1] < 1:
        raise InvalidGameError(f"{name} has no strategies (shape {raw.shape})")
    out = np.empty(raw.shape, dtype=np.float64)
    for idx, value in np.ndenumerate(raw):
        entry = f"{name}[{idx[0]}, {idx[1]}]"
        if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
            raise InvalidGameError(f"{entry} is not a real number: {value!r}")
        number = float(value)
        if np.isnan(number):
            raise InvalidGameError(f"{entry} is nan")
        if not np.isfinite(number):
            raise InvalidGameError(f"{entry} is {number} (payoffs must be finite)")
        out[idx] = number
    out.setflags(write=False)
    return out


def _default_labels(n: int) -> tuple[str, ...]:
    if n == 2:
        return ("comply", "defect")
    return ("comply", *(f"defect{i}" for i in range(1, n)))


def _labels(labels: Sequence[str] | None, n: int, name: str) -> tuple[str, ...]:
    if labels is None or len(labels) == 0:
        return _default_labels(n)
    out = tuple(str(x) for x in labels)
    if len(out) != n:
        raise InvalidGameError(f"{name} has {len(out)} labels for {n} strategies")
    if len(set(out)) != len(out):
        raise InvalidGameError(f"{name} has duplicate labels: {out}")
    return out


@dataclass(frozen=True, eq=False)
class EnforcementGame:
    """A two-player game in strategic form, immutable.

    Parameters
    ----------
    A, B : array_like, shape (m, n)
        Payoffs of the row and the column player; ``A[i, j]`` is the row player's
        payoff when row plays ``i`` and column plays ``j``. Stored as read-only
        float arrays.
    row_labels, col_labels : sequence of str, optional
        Strategy names (default ``("comply", "defect")`` for 2x2 games).
    params : mapping, optional
        The parameters the game was built from (read-only).
    source : str, optional
        Citation of the seed passage the game formalises (``file:lines``).

    Raises
    ------
    InvalidGameError
        For non-numeric or non-finite payoffs, wrong dimensions or mismatched shapes;
        the message names the entry, e.g. ``"A[1, 0] is nan"``.

    Examples
    --------
    >>> EnforcementGame([[1, 0], [0, 1]], [[1, 0], [0, float("nan")]])
    Traceback (most recent call last):
    ...
    enforcement_lab.errors.InvalidGameError: B[1, 1] is nan
    """

    A: NDArray[np.float64]
    B: NDArray[np.float64]
    row_labels: tuple[str, ...] = ()
    col_labels: tuple[str, ...] = ()
    params: Mapping[str, Any] = field(default_factory=FrozenParams)
    source: str = ""

    def __post_init__(self) -> None:
        A = _payoff_matrix(self.A, "A")
        B = _payoff_matrix(self.B, "B")
        if A.shape != B.shape:
            raise InvalidGameError(f"A has shape {A.shape} but B has shape {B.shape}")
        object.__setattr__(self, "A", A)
        object.__setattr__(self, "B", B)
        object.__setattr__(self, "row_labels", _labels(self.row_labels, A.shape[0], "row_labels"))
        object.__setattr__(self, "col_labels", _labels(self.col_labels, A.shape[1], "col_labels"))
        object.__setattr__(self, "params", FrozenParams(dict(self.params or {})))
        object.__setattr__(self, "source", str(self.source or ""))

    # -- value semantics -------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EnforcementGame):
            return NotImplemented
        return (
            np.array_equal(self.A, other.A)
            and np.array_equal(self.B, other.B)
            and self.row_labels == other.row_labels
            and self.col_labels == other.col_labels
            and self.params == other.params
            and self.source == other.source
        )

    def __hash__(self) -> int:
        return hash(
            (self.A.tobytes(), self.B.tobytes(), self.A.shape, self.row_labels, self.col_labels)
        )

    def __repr__(self) -> str:
        return (
            f"EnforcementGame(A={self.A.tolist()}, B={self.B.tolist()}, "
            f"row_labels={self.row_labels}, col_labels={self.col_labels})"
        )

    def _repr_html_(self) -> str:
        from gametheory.display import game_html

        return game_html(self)

    @property
    def shape(self) -> tuple[int, int]:
        """Number of row and column strategies."""
        return (int(self.A.shape[0]), int(self.A.shape[1]))

    @property
    def is_symmetric(self) -> bool:
        """True when ``B`` is the transpose of ``A`` (the players are interchangeable)."""
        return self.A.shape[0] == self.A.shape[1] and np.array_equal(self.A, self.B.T)

    def replace(self, **changes: Any) -> EnforcementGame:
        """Return a copy with some fields replaced (validated again)."""
        return dataclasses.replace(self, **changes)

    # -- conversions -----------------------------------------------------------------
    def to_nashpy(self) -> nashpy.Game:
        """The same game as a :class:`nashpy.Game` (payoffs copied, writable)."""
        import nashpy

        return nashpy.Game(np.array(self.A), np.array(self.B))

    @classmethod
    def from_nashpy(cls, game: nashpy.Game, **fields: Any) -> EnforcementGame:
        """Build from a :class:`nashpy.Game`; ``fields`` sets labels, params, source."""
        A, B = game.payoff_matrices
        return cls(np.asarray(A), np.asarray(B), **fields)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> EnforcementGame:
        """The game a TOML or JSON game file describes, its instruments applied.

        The file is read as data, never run: see :func:`read_game_file` for its layout
        and for the game and the instruments apart.

        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "game.toml"
        >>> _ = path.write_text('family = "stag_hunt"\\n[[instruments]]\\n'
        ...                     'type = "sanction"\\nprobability = 0.5\\nsize = 4\\n')
        >>> EnforcementGame.from_file(path).A.tolist()
        [[4.0, 0.0], [1.0, 1.0]]
        """
        game, instruments = read_game_file(path)
        return game.adjust(*instruments)

    def transpose(self) -> EnforcementGame:
        """Swap the players: the column player becomes the row player.

        >>> g = bimatrix([[3, 0], [5, 1]], [[2, 4], [0, 1]])
        >>> g.transpose().A.tolist(), g.transpose().transpose() == g
        ([[2.0, 0.0], [4.0, 1.0]], True)
        """
        return EnforcementGame(
            self.B.T,
            self.A.T,
            row_labels=self.col_labels,
            col_labels=self.row_labels,
            params=self.params,
            source=self.source,
        )

    swap_players = transpose

    def adjust(self, *instruments: Instrument) -> EnforcementGame:
        """Apply payoff-adjusting instruments in order and return the new game.

        >>> from gametheory.instruments import Sanction
        >>> stag_hunt().adjust(Sanction(probability=0.5, size=4)).A.tolist()
        [[4.0, 0.0], [1.0, 1.0]]
        """
        game = self
        for instrument in instruments:
            apply = getattr(instrument, "apply", None)
            if apply is None:
                raise InvalidGameError(f"{instrument!r} is not an instrument (no apply method)")
            game = apply(game)
        return game

    def payoff(self, row: ArrayLike, col: ArrayLike) -> tuple[float, float]:
        """Expected payoffs of the mixed-strategy profile ``(row, col)``."""
        x = np.asarray(row, dtype=float)
        y = np.asarray(col, dtype=float)
        return float(x @ self.A @ y), float(x @ self.B @ y)


def bimatrix(
    A: ArrayLike,
    B: ArrayLike,
    *,
    row_labels: Sequence[str] | None = None,
    col_labels: Sequence[str] | None = None,
    params: Mapping[str, Any] | None = None,
    source: str = "",
) -> EnforcementGame:
    """A general two-player game from its two payoff matrices.

    >>> bimatrix([[1, 2]], [[3, 4], [5, 6]])
    Traceback (most recent call last):
    ...
    enforcement_lab.errors.InvalidGameError: A has shape (1, 2) but B has shape (2, 2)
    """
    return EnforcementGame(
        A,  # type: ignore[arg-type]
        B,  # type: ignore[arg-type]
        row_labels=tuple(row_labels or ()),
        col_labels=tuple(col_labels or ()),
        params=dict(params or {}),
        source=source,
    )


def read_game_file(path: str | os.PathLike[str]) -> tuple[EnforcementGame, list[Instrument]]:
    """A game and its instruments from a TOML or JSON file (data only, never code).

    The file holds either ``A`` and ``B`` (lists of rows, with optional ``row_labels``,
    ``col_labels`` and ``source``), or ``family`` (also spelled ``name`` or ``design``:
    a family of :data:`FAMILIES` or a design of :data:`gametheory.designs.DESIGNS`)
    with a ``params`` table; and optionally ``instruments``, a list of tables each with
    a ``type`` (a key of :data:`gametheory.instruments.INSTRUMENTS`) and its fields::

        family = "stag_hunt"
        [params]
        stag = 5
        [[instruments]]
        type = "sanction"
        probability = 0.5
        size = 4

    Returns
    -------
    (EnforcementGame, list of Instrument)
        The game as written, and the instruments in file order (not yet applied).

    Raises
    ------
    InvalidGameError
        The file is missing, not ``.toml``/``.json``, unparseable, or does not describe
        a game; the message names the file and the entry.
    """
    import json
    import tomllib

    from gametheory.instruments import make_instrument
    from gametheory.sweep import resolve

    path = Path(path)
    if not path.exists():
        raise InvalidGameError(f"game file {path} does not exist")
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise InvalidGameError(f"game file {path} must end in .toml or .json")
    text = path.read_bytes()
    try:
        data = json.loads(text) if suffix == ".json" else tomllib.loads(text.decode("utf-8"))
    except ValueError as exc:  # JSON, TOML or UTF-8 decoding
        raise InvalidGameError(f"cannot parse {path}: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidGameError(f"{path} must hold a table/object at the top level")
    tables = data.get("instruments", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise InvalidGameError(
            f"{path}: instruments must be a list of tables, each with a type "
            '(e.g. [[instruments]] type = "sanction")'
        )
    instruments = [
        make_instrument(str(t.get("type", "")), {k: v for k, v in t.items() if k != "type"})
        for t in tables
    ]
    if "A" in data or "B" in data:
        if "A" not in data or "B" not in data:
            raise InvalidGameError(f"{path} must give both A and B")
        game = bimatrix(
            data["A"],
            data["B"],
            row_labels=data.get("row_labels"),
            col_labels=data.get("col_labels"),
            source=str(data.get("source", path.name)),
        )
        return game, instruments
    name = data.get("family") or data.get("name") or data.get("design")
    if not name:
        raise InvalidGameError(f"{path} must give A and B, or family = <name> with [params]")
    params = data.get("params", {})
    if not isinstance(params, dict):
        raise InvalidGameError(f"{path}: params must be a table")
    target = resolve(str(name))
    if not hasattr(target, "game"):
        raise InvalidGameError(
            f"{path}: {name!r} is a model, not a game; a game file names a family or a design"
        )
    return target.game(**{k: _file_number(v, f"params.{k}") for k, v in params.items()}), (
        instruments
    )


def _file_number(value: Any, what: str) -> float:
    try:
        if isinstance(value, bool):
            raise TypeError
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidGameError(f"{what} is not a number: {str(value)!r}") from None
    if not np.isfinite(number):
        raise InvalidGameError(f"{what} is not finite: {str(value)!r}")
    return number


# -- families ------------------------------------------------------------------------


def _symmetric(c_c: Any, c_d: Any, d_c: Any, d_d: Any) -> tuple[NDArray, NDArray]:
    """Symmetric 2x2 payoffs from the row player's four outcomes, broadcasting arrays."""
    c_c, c_d, d_c, d_d = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (c_c, c_d, d_c, d_d))
    )
    A = np.stack([np.stack([c_c, c_d], -1), np.stack([d_c, d_d], -1)], -2)
    return A, np.swapaxes(A, -1, -2)


def _stag_hunt_payoffs(stag: Any, hare: Any, sucker: Any, temptation: Any = None):
    if temptation is None:
        temptation = hare
    return _symmetric(stag, sucker, temptation, hare)


def _pd_payoffs(reward: Any, sucker: Any, temptation: Any, punishment: Any):
    return _symmetric(reward, sucker, temptation, punishment)


def _race_payoffs(gain: Any, value: Any, cost: Any, loss: Any):
    value = np.asarray(value, dtype=float)
    cost = np.asarray(cost, dtype=float)
    return _symmetric(value - cost, value - cost - np.asarray(loss, float), gain, 0.0)


def _assurance_payoffs(s: Any, h: Any, l: Any, g: Any = 0.0):  # noqa: E741
    s = np.asarray(s, dtype=float)
    h = np.asarray(h, dtype=float)
    return _symmetric(s, s - np.asarray(l, float), h + np.asarray(g, float), h)


@dataclass(frozen=True)
class Family:
    """A parameterised family of 2x2 enforcement games.

    ``payoffs(**params)`` returns ``(A, B)`` and broadcasts over array parameters
    (shape ``(..., 2, 2)``); :meth:`game` builds one validated :class:`EnforcementGame`.
    The attributes ``defaults``, ``ranges`` and ``citation`` match the design protocol
    of :mod:`gametheory.designs`, so a family can be swept like a design.
    """

    name: str
    payoffs: Callable[..., tuple[NDArray, NDArray]]
    defaults: Mapping[str, Any]
    labels: tuple[str, str]
    citation: str
    ranges: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    description: str = ""

    def check_params(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Merge ``params`` over the defaults; unknown names raise InvalidGameError."""
        unknown = sorted(set(params) - set(self.defaults))
        if unknown:
            raise InvalidGameError(
                f"{self.name} has no parameter {', '.join(map(repr, unknown))}; "
                f"its parameters are {', '.join(self.defaults)}"
            )
        merged = {**self.defaults, **params}
        for key, value in merged.items():
            if value is None:
                continue
            arr = np.asarray(value)
            if not np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_):
                raise InvalidGameError(f"{self.name} parameter {key!r} is not a number: {value!r}")
            if not np.all(np.isfinite(arr)):
                raise InvalidGameError(f"{self.name} parameter {key!r} is not finite: {value!r}")
        return merged

    def arrays(self, **params: Any) -> tuple[NDArray, NDArray]:
        """Vectorised payoffs ``(A, B)`` of shape ``(..., 2, 2)`` for array parameters."""
        return self.payoffs(**self.check_params(params))

    def game(self, **params: Any) -> EnforcementGame:
        """One game from scalar parameters (defaults fill the rest)."""
        merged = self.check_params(params)
        for key, value in merged.items():
            if value is not None and np.ndim(value) != 0:
                raise InvalidGameError(f"{self.name} parameter {key!r} must be a scalar")
        A, B = self.payoffs(**merged)
        return EnforcementGame(
            A,
            B,
            row_labels=self.labels,
            col_labels=self.labels,
            params={k: (None if v is None else float(v)) for k, v in merged.items()},
            source=self.citation,
        )


_FAMILIES: dict[str, Family] = {
    "stag_hunt": Family(
        name="stag_hunt",
        payoffs=_stag_hunt_payoffs,
        defaults={"stag": 4.0, "hare": 3.0, "sucker": 0.0, "temptation": None},
        labels=("stag", "hare"),
        citation=f"{BANKS}:2411-2444 (Hyde's stag hunt)",
        ranges={"stag": (0.0, 8.0), "hare": (0.0, 6.0), "sucker": (-4.0, 3.0)},
        description="raise standards together (stag) or keep the safe low-standards hare",
    ),
    "prisoners_dilemma": Family(
        name="prisoners_dilemma",
        payoffs=_pd_payoffs,
        defaults={"reward": 3.0, "sucker": 0.0, "temptation": 5.0, "punishment": 1.0},
        labels=("comply", "defect"),
        citation=f"{BANKS}:1892-1989 (competitive pressure); {LECLERCQ}:678-698 (Dai's PD)",
        ranges={"reward": (0.0, 6.0), "temptation": (0.0, 8.0)},
        description="defection dominant, mutual compliance Pareto-better",
    ),
    "race_to_the_bottom": Family(
        name="race_to_the_bottom",
        payoffs=_race_payoffs,
        defaults={"gain": 3.0, "value": 3.0, "cost": 1.0, "loss": 4.0},
        labels=("comply", "defect"),
        citation=(
            f"{BANKS}:1911-1989, 2236-2345 (short-run competitive gains vs long-run value); "
            f"{BARENBERG}:464 (singled out while rivals violate)"
        ),
        ranges={"gain": (0.0, 6.0), "value": (0.0, 6.0), "cost": (0.0, 4.0), "loss": (0.0, 6.0)},
        description=(
            "comply: value - cost (minus loss if undercut); defect: gain if the rival "
            "complies, 0 if both defect; a PD when gain > value - cost > 0 and loss > value - cost"
        ),
    ),
    "assurance": Family(
        name="assurance",
        payoffs=_assurance_payoffs,
        defaults={"s": 4.0, "h": 3.0, "l": 4.0, "g": 0.0},
        labels=("stag", "hare"),
        citation=f"{BANKS}:2411-2487 (Banks-Hyde stag hunt, payoff adjustment)",
        ranges={"s": (0.0, 8.0), "h": (0.0, 6.0), "l": (0.0, 8.0), "g": (0.0, 3.0)},
        description="Banks-Hyde parametrisation: S,S = s; S,H = s - l; H,S = h + g; H,H = h",
    ),
}

#: The parameterised game families, by name.
FAMILIES: Registry[Family] = Registry("family", _FAMILIES, error=InvalidGameError)


def stag_hunt(
    stag: float = 4.0, hare: float = 3.0, sucker: float = 0.0, temptation: float | None = None
) -> EnforcementGame:
    """Symmetric stag hunt (Hyde, via Banks ``001_0ff89a4813f73384.txt:2411-2444``).

    Row payoffs: ``(stag, stag) = stag``, ``(stag, hare) = sucker``,
    ``(hare, stag) = temptation`` (default ``hare``: Banks' "low but certain" hare),
    ``(hare, hare) = hare``. It is a stag hunt when ``stag > temptation`` and
    ``hare > sucker``.

    >>> stag_hunt().B.tolist()
    [[4.0, 3.0], [0.0, 3.0]]
    """
    return FAMILIES["stag_hunt"].game(stag=stag, hare=hare, sucker=sucker, temptation=temptation)


def prisoners_dilemma(
    reward: float = 3.0, sucker: float = 0.0, temptation: float = 5.0, punishment: float = 1.0
) -> EnforcementGame:
    """Symmetric prisoner's dilemma with comply = cooperate (index 0).

    It is a PD when ``temptation > reward > punishment > sucker``.

    >>> prisoners_dilemma().A.tolist()
    [[3.0, 0.0], [5.0, 1.0]]
    """
    return FAMILIES["prisoners_dilemma"].game(
        reward=reward, sucker=sucker, temptation=temptation, punishment=punishment
    )


def race_to_the_bottom(
    gain: float = 3.0, value: float = 3.0, cost: float = 1.0, loss: float = 4.0
) -> EnforcementGame:
    """Two states choosing to comply with labour standards or undercut each other.

    Row payoffs (Barenberg's two-state race, ``002_fe9755c5db777969.txt:464``; Banks'
    short-run gains against long-run value, ``001_0ff89a4813f73384.txt:1911-1989``):

    ==========  ====================  ===================
    row \\ col   comply                defect
    ==========  ====================  ===================
    comply      ``value - cost``      ``value - cost - loss``
    defect      ``gain``              ``0``
    ==========  ====================  ===================

    ``gain`` is the short-run gain from defecting on a complying rival, ``value`` the
    long-run value of compliance, ``cost`` its short-run cost and ``loss`` the loss
    from being undercut. It is a prisoner's dilemma (race to the bottom) when
    ``gain > value - cost > 0`` and ``loss > value - cost``, and a stag hunt when
    ``loss > value - cost > gain >= 0``.

    >>> race_to_the_bottom().A.tolist()
    [[2.0, -2.0], [3.0, 0.0]]
    """
    return FAMILIES["race_to_the_bottom"].game(gain=gain, value=value, cost=cost, loss=loss)


def assurance(s: float = 4.0, h: float = 3.0, l: float = 4.0, g: float = 0.0) -> EnforcementGame:  # noqa: E741
    """The Banks-Hyde assurance game in Banks' symbols (``001_0ff89a4813f73384.txt:2411-2487``).

    Row payoffs: ``(S, S) = s``, ``(S, H) = s - l`` (sucker loss ``l``),
    ``(H, S) = h + g`` (trade-diversion gain ``g``, 0 for Banks' "certain" hare),
    ``(H, H) = h``. A stag hunt when ``s > h + g`` and ``h > s - l``.

    >>> assurance() == stag_hunt().replace(params=assurance().params, source=assurance().source)
    True
    """
    return FAMILIES["assurance"].game(s=s, h=h, l=l, g=g)
