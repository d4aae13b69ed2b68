"""The data layer: shipped hand-coded data sets, the external-data registry, readers,
country harmonisation and the panel builder."""

from enforcement_lab.data.shipped import datasets_dir, list_shipped, load_shipped, metadata

__all__ = ["datasets_dir", "list_shipped", "load_shipped", "metadata"]
