"""Panel regressions of ILO ratification, US GSP worker-rights reviews and compliance.

The public API is loaded lazily (``enforcement-lab --help`` imports this package):

* :class:`Spec`, :class:`SpecFile`, :func:`read_spec_file` -- specifications as values;
* :func:`fit` -- linear panels, binary, ordered and count models; :func:`estimate` -- any
  spec, hazards and event studies included;
* :func:`cox`, :func:`discrete_hazard`, :func:`expand_spells` -- ratification hazards;
* :func:`event_study`, :func:`plot_event_study` -- staggered DiD (TWFE, Sun-Abraham);
* :func:`success_rates`, :func:`fisher_test`, :func:`firth_logit`,
  :func:`elliott_comparison`, :func:`responsiveness`, :func:`count_model`,
  :func:`before_after` -- Elliott- and Weisband-style small-N designs;
* :class:`EstimationResults` (one results type) and :func:`compare` (regression tables).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Spec": "econometrics.spec",
    "SpecFile": "econometrics.spec",
    "read_spec_file": "econometrics.spec",
    "fit": "econometrics.estimators",
    "estimate": "econometrics.cli_fit",
    "fit_file": "econometrics.cli_fit",
    "cox": "econometrics.hazard",
    "discrete_hazard": "econometrics.hazard",
    "expand_spells": "econometrics.hazard",
    "event_study": "econometrics.did",
    "plot_event_study": "econometrics.did",
    "EventStudy": "econometrics.did",
    "success_rates": "econometrics.smalln",
    "fisher_test": "econometrics.smalln",
    "fisher_2x2": "econometrics.smalln",
    "firth_logit": "econometrics.smalln",
    "elliott_comparison": "econometrics.smalln",
    "responsiveness": "econometrics.smalln",
    "count_model": "econometrics.smalln",
    "before_after": "econometrics.smalln",
    "EstimationResults": "econometrics.results",
    "compare": "econometrics.tables",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'econometrics' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
