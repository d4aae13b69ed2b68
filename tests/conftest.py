"""Shared fixtures: the repository root and the external-data mirror."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def mirror_dir() -> Path:
    """The local mirror of ../shared/data/external (ENFORCEMENT_LAB_DATA_MIRROR or the sibling folder)."""
    env = os.environ.get("ENFORCEMENT_LAB_DATA_MIRROR")
    path = Path(env) if env else ROOT.parent / "shared" / "data" / "external"
    if not (path / "MANIFEST.csv").exists():
        pytest.skip(f"external data mirror not available at {path}")
    return path
