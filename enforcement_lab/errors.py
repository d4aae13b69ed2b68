"""Errors for user mistakes, shared by ``gametheory``, ``econometrics`` and the data layer.

Every error a user can cause (a bad payoff, an unknown column, a corrupted download)
is an :class:`EnforcementLabError`. The CLI prints its message on one line and exits
with status 2; library callers can catch the specific subclass. Each subclass also
derives from :class:`ValueError`, so code written against plain Python conventions
keeps working.
"""

from __future__ import annotations


class EnforcementLabError(Exception):
    """Base class of every error caused by user input."""

    exit_code = 2


class InvalidGameError(EnforcementLabError, ValueError):
    """A game cannot be built or solved: wrong shape, non-finite or non-numeric payoff."""


class DataError(EnforcementLabError, ValueError):
    """A data set is missing, corrupted, duplicated or cannot be matched."""


class SpecError(EnforcementLabError, ValueError):
    """A model or robustness specification is invalid."""
