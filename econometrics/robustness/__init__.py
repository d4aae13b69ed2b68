"""Robustness multiverses: every reasonable specification of a finding, fitted fast.

The package's modules, from the grammar to the report:

:mod:`~econometrics.robustness.multiverse`
    The ``[robustness]`` table of a spec file and the specifications it crosses.
:mod:`~econometrics.robustness.engine`
    The absorbed-fixed-effects engine: absorb once per sample, solve many regressions.
:mod:`~econometrics.robustness.batch`
    The batched fit of specifications on data prepared once.
:mod:`~econometrics.robustness.runner`
    Chunks, the parts log, the fingerprint of a run, local and dask executors.
:mod:`~econometrics.robustness.inference`
    The placebo (permutation) test and the wild cluster bootstrap of the baseline, and
    the inferential specification curve of the whole multiverse.
:mod:`~econometrics.robustness.report` and :mod:`~econometrics.robustness.figure`
    The summary, the influential units and the specification-curve figure.

In a notebook, ``Multiverse.from_table(spec, table).fit(frame)`` returns a
:class:`~econometrics.robustness.report.MultiverseResults` (table, summary, figure,
``write(folder)``); ``enforcement-lab robustness`` runs the same from a spec file.

Public names are imported lazily, so importing the engine alone (as the estimators do)
does not load the runner.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "Multiverse": "multiverse",
    "Specification": "multiverse",
    "Specifications": "multiverse",
    "parse_robustness": "multiverse",
    "AbsorbedPanel": "engine",
    "RandomEffectsPanel": "engine",
    "FitRequest": "engine",
    "prepare_data": "batch",
    "fit_specifications": "batch",
    "make_context": "batch",
    "run_robustness": "runner",
    "fit_multiverse": "runner",
    "RobustnessResult": "runner",
    "baseline_inference": "inference",
    "CurveTest": "inference",
    "summarize": "report",
    "MultiverseResults": "report",
    "influential_units": "report",
    "plot_specification_curve": "figure",
    "specification_curve_figure": "figure",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'econometrics.robustness' has no attribute {name!r}")
    return getattr(importlib.import_module(f"econometrics.robustness.{_LAZY[name]}"), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
