"""Game-theoretic models estimated from data: strategic choice models and logit QRE.

- :func:`fit_sequential` - strategic choice models of sequential games (``egame12``,
  ``egame122``, ``egame123`` of Kenkel and Signorino's R package ``games``) with agent
  error (probit or logit) or private information (probit), utilities linear in
  covariates or fixed, and error scales estimated for all players or by player, by
  maximum likelihood;
- :func:`fit_qre` - the logit quantal response equilibrium of a bimatrix game, its
  principal branch and the precision ``lambda`` estimated from action counts;
- :func:`fit_qre_covariates` - the logit QRE with payoffs linear in covariates (each
  play its own game), ``lambda`` and the payoff coefficients by maximum likelihood.

The likelihoods and their scale conventions are set out in each module's docstring.
"""

from __future__ import annotations

from enforcement_lab._lazy import attach

_LAZY = {
    "fit_sequential": "econometrics.strategic.sequential",
    "simulate_sequential": "econometrics.strategic.sequential",
    "outcome_probabilities": "econometrics.strategic.sequential",
    "SequentialModel": "econometrics.strategic.sequential",
    "StrategicWarning": "econometrics.strategic.sequential",
    "ConvergenceWarning": "econometrics.strategic.sequential",
    "StrategicResults": "econometrics.strategic.results",
    "fit_qre": "econometrics.strategic.qre",
    "fit_qre_covariates": "econometrics.strategic.qre_covariates",
    "simulate_qre_covariates": "econometrics.strategic.qre_covariates",
    "QREDataResults": "econometrics.strategic.qre_covariates",
    "GameTree": "econometrics.strategic.trees",
    "qre_branch": "econometrics.strategic.qre",
    "QREBranch": "econometrics.strategic.qre",
    "QREResults": "econometrics.strategic.qre",
}

__all__ = sorted(_LAZY)

__getattr__, __dir__ = attach(__name__, _LAZY, globals())
