"""The robustness runner under its older import path.

:func:`run_robustness` lives in :mod:`econometrics.robustness.runner`; this name is kept
so that code importing ``econometrics.robust.run_robustness`` keeps working.
"""

from __future__ import annotations

from econometrics.robustness.runner import run_robustness

__all__ = ["run_robustness"]
