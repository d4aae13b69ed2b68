"""Panel regressions of ILO ratification, US GSP worker-rights reviews and compliance.

Public names are imported lazily (on first use) so ``import econometrics`` and the CLI's
``--help`` stay fast.

Examples
--------
>>> import econometrics
>>> econometrics.Spec.__name__, callable(econometrics.fit)
('Spec', True)
"""

from __future__ import annotations

from enforcement_lab._lazy import attach

_LAZY = {
    "Spec": "econometrics.spec",
    "SpecFile": "econometrics.spec",
    "read_spec_file": "econometrics.spec",
    "EstimationResults": "econometrics.results",
    "Covariance": "econometrics.covariance",
    "compare": "econometrics.tables",
    "ComparisonTable": "econometrics.tables",
    "fit": "econometrics.estimators",
    "prepare": "econometrics.estimators",
    "cox": "econometrics.hazard",
    "discrete_hazard": "econometrics.hazard",
    "person_period": "econometrics.hazard",
    "event_study": "econometrics.did",
    "sun_abraham": "econometrics.did",
    "twfe": "econometrics.did",
    "plot_event_study": "econometrics.did",
    "success_rates": "econometrics.smalln",
    "fisher_tests": "econometrics.smalln",
    "firth_logit": "econometrics.smalln",
    "compare_with_elliott": "econometrics.smalln",
    "responsiveness": "econometrics.smalln",
    "add_political_openness": "econometrics.smalln",
    "before_after": "econometrics.smalln",
    "formula": None,
    "fit_sequential": "econometrics.strategic.sequential",
    "fit_qre": "econometrics.strategic.qre",
    "smalln": None,
    "strategic": None,
    "hazard": None,
    "did": None,
}

__all__ = sorted(_LAZY)


__getattr__, __dir__ = attach(__name__, _LAZY, globals())
