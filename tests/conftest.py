"""Shared fixtures: the repository root and the external-data mirror."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def mirror_dir() -> Path:
    """The external-data mirror by the registry's rule (:func:`registry.mirror_dir` from the
    repository: ENFORCEMENT_LAB_DATA_MIRROR, else ../shared/data/external); skip without it."""
    from enforcement_lab.data.registry import mirror_dir as find_mirror
    from enforcement_lab.errors import DataError

    try:
        path = find_mirror(start=ROOT)
    except DataError:
        path = None
    if path is None or not (path / "MANIFEST.csv").exists():
        pytest.skip(f"external data mirror not available (looked for {path or 'none'})")
    return path
