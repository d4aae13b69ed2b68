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

from enforcement_lab._lazy import attach

_LAZY = {
    "Multiverse": "econometrics.robustness.multiverse",
    "Specification": "econometrics.robustness.multiverse",
    "Specifications": "econometrics.robustness.multiverse",
    "parse_robustness": "econometrics.robustness.multiverse",
    "AbsorbedPanel": "econometrics.robustness.engine",
    "RandomEffectsPanel": "econometrics.robustness.engine",
    "FitRequest": "econometrics.robustness.engine",
    "prepare_data": "econometrics.robustness.batch",
    "fit_specifications": "econometrics.robustness.batch",
    "make_context": "econometrics.robustness.batch",
    "run_robustness": "econometrics.robustness.runner",
    "fit_multiverse": "econometrics.robustness.runner",
    "RobustnessResult": "econometrics.robustness.runner",
    "baseline_inference": "econometrics.robustness.inference",
    "CurveTest": "econometrics.robustness.inference",
    "summarize": "econometrics.robustness.report",
    "MultiverseResults": "econometrics.robustness.report",
    "influential_units": "econometrics.robustness.report",
    "plot_specification_curve": "econometrics.robustness.figure",
    "specification_curve_figure": "econometrics.robustness.figure",
}

__all__ = sorted(_LAZY)

__getattr__, __dir__ = attach(__name__, _LAZY, globals())
