"""The four seed articles (``../shared/seeds``) as the data tests read them.

Tests that check a cited seed line need the seeds beside the project (as CI has them);
elsewhere they skip, as the tests of the external-data mirror do.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

#: Marks a test that reads the seed articles.
needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"seed articles not available at {SEEDS}"
)


def seed_lines(file: str) -> list[str]:
    """The lines of seed ``file``; skips the calling test when the seeds are not available."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not available at {SEEDS}")
    return (SEEDS / file).read_text(encoding="utf-8").splitlines()


def seed_window(file: str, first: int, last: int, margin: int = 3) -> str:
    """Text of lines ``first - margin`` .. ``last + margin`` (1-based) of a seed file."""
    lines = seed_lines(file)
    assert 1 <= first <= last <= len(lines), f"{file}:{first}-{last} outside the file"
    return "\n".join(lines[max(0, first - 1 - margin) : last + margin])
