"""The data layer: shipped hand-coded data sets, the external-data registry, readers,
country harmonisation, the panel builder and seeded synthetic panels.

The names below are imported lazily (on first use), so that importing the command line,
which registers ``enforcement_lab.cli.data``, does not pull in pandas.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "datasets_dir": "enforcement_lab.data.shipped",
    "list_shipped": "enforcement_lab.data.shipped",
    "load_shipped": "enforcement_lab.data.shipped",
    "metadata": "enforcement_lab.data.shipped",
    "validate_shipped": "enforcement_lab.data.shipped",
    "load_source": "enforcement_lab.data.registry",
    "build_panel": "enforcement_lab.data.panel",
    "to_iso3": "enforcement_lab.data.countries",
    "harmonise": "enforcement_lab.data.countries",
    "synthetic": None,
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'enforcement_lab.data' has no attribute {name!r}")
    module = _LAZY[name]
    if module is None:
        return importlib.import_module(f"enforcement_lab.data.{name}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
