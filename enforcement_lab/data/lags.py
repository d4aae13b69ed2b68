"""The one panel-aware lag of the toolkit: by time value within entity, gaps respected.

Formulas (``lag(x, 1)``, ``lead``, ``diff`` in :mod:`econometrics.formula`), ``Spec.lags``,
the robustness multiverse and :func:`enforcement_lab.data.build_panel` all shift with
:func:`panel_shift`: the value of the same entity ``k`` periods earlier, matched by the
time *value*, so the lag of a year that follows a gap is missing rather than the previous
row's value (Stata's ``L.`` under ``xtset``, fixest's ``l()``). Shifted columns are named
by :func:`lag_name` in Stata's style: ``L1.x`` (lag), ``F1.x`` (lead), ``D1.x`` (difference).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from enforcement_lab.errors import SpecError

_PREFIX = {"lag": "L", "lead": "F", "diff": "D"}


def lag_name(column: str, k: int, kind: str = "lag") -> str:
    """The name of a shifted column: ``L1.x`` (lag), ``F1.x`` (lead), ``D1.x`` (difference).

    Examples
    --------
    >>> lag_name("polity2", 1), lag_name("x", 2, "lead"), lag_name("x", 1, "diff")
    ('L1.polity2', 'F2.x', 'D1.x')
    """
    return f"{_PREFIX[kind]}{k}.{column}"


def panel_shift(values: pd.Series, k: int, index: pd.MultiIndex | None = None) -> pd.Series:
    """``values`` of the same entity ``k`` periods earlier (``k < 0``: later).

    ``values`` is indexed by (entity, time) with a numeric time level; the result, indexed
    by ``index`` (default: that of ``values``), holds for each (entity, t) the value at
    (entity, t - k), missing where that period is absent. Duplicate (entity, time) pairs
    are a :class:`SpecError` (a lag would be ambiguous).

    Examples
    --------
    >>> idx = pd.MultiIndex.from_tuples([("A", 1), ("A", 2), ("A", 4), ("B", 1)])
    >>> panel_shift(pd.Series([1.0, 2.0, 3.0, 4.0], index=idx), 1).tolist()
    [nan, 1.0, nan, nan]
    """
    own = values.index
    if not isinstance(own, pd.MultiIndex) or own.nlevels != 2:
        raise SpecError("lag/lead/diff need data indexed by (entity, time)")
    if own.has_duplicates:
        raise SpecError("lag/lead/diff need unique (entity, time) pairs; the data has duplicates")
    target = own if index is None else index

    def numeric(ix: pd.MultiIndex) -> np.ndarray:
        t = pd.to_numeric(pd.Series(ix.get_level_values(1)), errors="coerce").to_numpy(float)
        if np.isnan(t).any():
            raise SpecError("lag/lead/diff need a numeric time column (e.g. years)")
        return t

    source = pd.Series(
        np.asarray(values),
        index=pd.MultiIndex.from_arrays([own.get_level_values(0), numeric(own) + k]),
    )
    wanted = pd.MultiIndex.from_arrays([target.get_level_values(0), numeric(target)])
    return pd.Series(source.reindex(wanted).to_numpy(), index=target, name=values.name)


def shift_columns(
    frame: pd.DataFrame, columns: Sequence[str], k: int, entity: str, time: str
) -> pd.DataFrame:
    """Lagged copies (``k > 0``; leads for ``k < 0``) of ``columns`` of a flat panel frame,
    row-aligned with ``frame`` and named by :func:`lag_name`."""
    indexed = frame.set_index([entity, time])
    out = {
        lag_name(c, abs(k), "lag" if k > 0 else "lead"): panel_shift(indexed[c], k).to_numpy()
        for c in columns
    }
    return pd.DataFrame(out, index=frame.index)


__all__ = ["lag_name", "panel_shift", "shift_columns"]
