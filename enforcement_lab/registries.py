"""Named catalogues and their parameters: one registry type and one parameter coercion.

The game families (:data:`gametheory.FAMILIES`), instruments
(:data:`gametheory.INSTRUMENTS`), designs (:data:`gametheory.DESIGNS`) and models
(:data:`gametheory.MODELS`) are each a :class:`Registry`: a read-only mapping from name
to entry, in the order of registration, whose :meth:`Registry.get` names an unknown key
and lists the known ones in the toolkit's own error (the command line prints it as one
``error:`` line). Designs and models take their parameters through
:func:`coerce_params`, which merges user values over the defaults and converts each to
the type of its default, so that ``--set N=6`` from the command line and ``N=6`` from
Python mean the same.

Examples
--------
>>> colours = Registry("colour", {"red": 1, "blue": 2})
>>> colours.register("green", 3)
3
>>> list(colours), colours["blue"]
(['red', 'blue', 'green'], 2)
>>> colours.get("pink")
Traceback (most recent call last):
...
enforcement_lab.errors.EnforcementLabError: unknown colour 'pink'; the colours are red, blue, green
>>> coerce_params("model 'm'", {"N": 6, "rate": 0.5, "rule": "fermi"}, {"N": "8"})
{'N': 8, 'rate': 0.5, 'rule': 'fermi'}
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Generic, TypeVar

from enforcement_lab.errors import EnforcementLabError

T = TypeVar("T")

_MISSING: Any = object()


class Registry(Mapping[str, T], Generic[T]):
    """A read-only mapping of named entries of one ``kind``, in registration order.

    Parameters
    ----------
    kind : str
        What the entries are (``"design"``), for error messages.
    entries : mapping or iterable of (name, entry) pairs, optional
        The first entries.
    error : exception class
        Raised by :meth:`get` for an unknown name (default
        :class:`~enforcement_lab.errors.EnforcementLabError`; the game catalogues use
        :class:`~enforcement_lab.errors.InvalidGameError`).
    """

    def __init__(
        self,
        kind: str,
        entries: Mapping[str, T] | Iterable[tuple[str, T]] = (),
        *,
        error: type[Exception] = EnforcementLabError,
    ) -> None:
        self.kind = kind
        self.error = error
        self._entries: dict[str, T] = {}
        for name, entry in entries.items() if isinstance(entries, Mapping) else entries:
            self.register(name, entry)

    def register(self, name: str, entry: T) -> T:
        """Add ``entry`` under ``name`` and return it; a name registered twice is an error."""
        if name in self._entries:
            raise ValueError(f"{self.kind} {name!r} is registered twice")
        self._entries[name] = entry
        return entry

    def get(self, name: str, default: Any = _MISSING) -> Any:
        """The entry called ``name``. Unknown names raise :attr:`error` naming the name and
        listing the known ones; with ``default`` given, return it instead (as
        :meth:`dict.get`)."""
        try:
            return self._entries[name]
        except (KeyError, TypeError):
            if default is not _MISSING:
                return default
            raise self.error(
                f"unknown {self.kind} {name!r}; the {self.kind}s are {', '.join(self._entries)}"
            ) from None

    def __getitem__(self, name: str) -> T:
        return self._entries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"Registry({self.kind!r}, [{', '.join(map(repr, self._entries))}])"


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes"):
        return True
    if text in ("0", "false", "no"):
        return False
    raise ValueError(value)


def _as_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    number = float(value)  # "6" and 6.0 from the command line
    if not math.isfinite(number) or number != int(number):
        raise ValueError(value)
    return int(number)


def _as_float(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError(value)
    number = float(value)  # numeric strings from the command line
    if not math.isfinite(number):
        raise ValueError(value)
    return number


#: Converters by the type of a parameter's default, with what the value must be.
_COERCE = (
    (bool, _as_bool, "true or false"),
    (int, _as_int, "an integer"),
    (float, _as_float, "a finite number"),
)


def coerce_params(
    owner: str, defaults: Mapping[str, Any], params: Mapping[str, Any]
) -> dict[str, Any]:
    """``defaults`` overridden by ``params``, each value converted to its default's type.

    A ``bool`` default takes ``true/false/yes/no/1/0``; an ``int`` default an integral
    number (``"6"``, ``6.0``); a ``float`` default any finite number (not a bool); any
    other default a string.

    Raises
    ------
    InvalidGameError
        For a name ``defaults`` does not have (listing the parameters), or a value that
        does not convert, naming ``owner`` (e.g. ``"design 'ilo_supervision'"``).
    """
    from enforcement_lab.errors import InvalidGameError

    unknown = sorted(set(params) - set(defaults))
    if unknown:
        raise InvalidGameError(
            f"{owner} has no parameter {', '.join(map(repr, unknown))}; "
            f"its parameters are {', '.join(defaults)}"
        )
    merged = dict(defaults)
    for key, value in params.items():
        rule = next((r for r in _COERCE if isinstance(defaults[key], r[0])), None)
        if rule is None:
            merged[key] = str(value)
            continue
        _, convert, wanted = rule
        try:
            merged[key] = convert(value)
        except (TypeError, ValueError, OverflowError):
            raise InvalidGameError(
                f"{owner} parameter {key!r} must be {wanted}: {value!r}"
            ) from None
    return merged


__all__ = ["Registry", "coerce_params"]
