"""The data layer: shipped hand-coded data sets, the external-data registry, readers,
country harmonisation, the panel builder and seeded synthetic panels.

The names below are imported lazily (on first use), so that importing the command line,
which registers ``enforcement_lab.cli.data``, does not pull in pandas.
"""

from __future__ import annotations

from enforcement_lab._lazy import attach

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


__getattr__, __dir__ = attach(__name__, _LAZY, globals())
