"""Enforcement Lab: shared infrastructure (CLI, errors, data layer) for the
``gametheory`` and ``econometrics`` packages."""

from enforcement_lab._version import __version__
from enforcement_lab.errors import (
    DataError,
    EnforcementLabError,
    InvalidGameError,
    SpecError,
)

__all__ = [
    "DataError",
    "EnforcementLabError",
    "InvalidGameError",
    "SpecError",
    "__version__",
]
