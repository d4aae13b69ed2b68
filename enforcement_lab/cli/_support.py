"""What the ``solve`` and ``sweep`` commands share: the ``--set`` and ``--instrument`` parsers."""

from __future__ import annotations

import math
from typing import Any

from enforcement_lab.errors import InvalidGameError

# -- parsing ---------------------------------------------------------------------------


def parse_number(text: str, what: str) -> float:
    """``text`` as a finite float; else an error naming ``what`` (the option and key)."""
    try:
        value = float(text)
    except ValueError:
        raise InvalidGameError(f"{what} is not a number: {text!r}") from None
    if not math.isfinite(value):
        raise InvalidGameError(f"{what} is not finite: {text!r}")
    return value


def parse_assignments(
    items: list[str], flag: str = "--set", *, numeric: bool = True
) -> dict[str, Any]:
    """``["a=1", "b=2.5"]`` -> ``{"a": 1.0, "b": 2.5}``.

    With ``numeric=False`` the values stay strings (a model converts and checks them
    against the types of its defaults, e.g. ``rule=moran``).

    >>> parse_assignments(["stag=5", "hare=2"])
    {'stag': 5.0, 'hare': 2.0}
    >>> parse_assignments(["rule=moran", "Z=50"], numeric=False)
    {'rule': 'moran', 'Z': '50'}
    """
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InvalidGameError(f"{flag} {item!r} must be key=value")
        key, value = key.strip(), value.strip()
        out[key] = parse_number(value, f"{flag} {key}") if numeric else value
    return out


def converts_own_params(name: str | None) -> bool:
    """True if ``name`` is a model that converts and checks its parameters itself
    (:meth:`gametheory.models.Model.params`), so ``--set`` values may be strings."""
    from gametheory.sweep import resolve

    if name is None:
        return False
    target = resolve(name)
    return not hasattr(target, "game") and callable(getattr(target, "params", None))


def parse_instrument(spec: str) -> Any:
    """``"sanction:probability=0.5,size=2"`` -> ``Sanction(probability=0.5, size=2.0)``.

    >>> parse_instrument("fine:share=0.5,players=row")
    Fine(players='row', share=0.5, theta=1.0, pursuit=1.0, sector_weight=1.0)
    """
    from gametheory.instruments import make_instrument

    name, _, rest = spec.partition(":")
    fields: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in rest.split(","))):
        key, sep, value = part.partition("=")
        if not sep:
            raise InvalidGameError(f"--instrument {spec!r}: {part!r} must be field=value")
        fields[key.strip()] = value.strip()
    return make_instrument(name, fields)
