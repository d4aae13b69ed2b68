"""The data layer: shipped hand-coded data sets, the external-data registry, readers,
country harmonisation, the panel builder and seeded synthetic panels."""

from enforcement_lab.data import synthetic
from enforcement_lab.data.registry import load_source
from enforcement_lab.data.shipped import (
    datasets_dir,
    list_shipped,
    load_shipped,
    metadata,
    validate_shipped,
)

__all__ = [
    "datasets_dir",
    "list_shipped",
    "load_shipped",
    "load_source",
    "metadata",
    "synthetic",
    "validate_shipped",
]
