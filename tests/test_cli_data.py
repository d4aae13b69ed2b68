"""``enforcement-lab data list|fetch|verify`` on the mirror and on a corrupted copy."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from enforcement_lab.cli import app
from enforcement_lab.data import registry, shipped

runner = CliRunner()


@pytest.fixture
def isolated(monkeypatch, tmp_path):
    monkeypatch.setenv(registry.MIRROR_ENV, "none")
    monkeypatch.setenv(registry.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path


def test_list_shows_everything_with_status(mirror_dir, isolated):
    result = runner.invoke(app, ["data", "list", "--mirror", str(mirror_dir)])
    assert result.exit_code == 0, result.output
    for name in shipped.list_shipped():
        assert name in result.output
    for e in registry.entries():
        assert e.name in result.output
    assert result.output.count("│ mirror ") == len(registry.entries())
    assert "│ missing " not in result.output
    assert result.output.count("│ shipped v") == len(shipped.list_shipped())
    result = runner.invoke(app, ["data", "list"])  # empty cache, no mirror
    assert result.exit_code == 0
    assert result.output.count("│ missing ") == len(registry.entries())


def test_fetch_from_mirror(mirror_dir, isolated):
    result = runner.invoke(app, ["data", "fetch", "dol_child_labor", "--mirror", str(mirror_dir)])
    assert result.exit_code == 0, result.output
    assert result.output.count("ok  dol_child_labor_findings_report_") == 7
    assert "7 file(s) verified by sha256 (mirror)" in result.output


def test_fetch_needs_a_name(isolated):
    result = runner.invoke(app, ["data", "fetch"])
    assert result.exit_code == 2 and "error: name a data set" in result.output
    result = runner.invoke(app, ["data", "fetch", "nope"])
    assert result.exit_code == 2 and "unknown registry entry 'nope'" in result.output


def test_verify_ok_and_mismatch(mirror_dir, isolated):
    result = runner.invoke(app, ["data", "verify", "--mirror", str(mirror_dir)])
    assert result.exit_code == 0, result.output
    assert f"registry: {len(registry.entries())} ok, 0 mismatched" in result.output
    bad_dir = isolated / "mirror"
    bad_dir.mkdir()
    e = registry.entry("ciri")
    shutil.copy(mirror_dir / e.file, bad_dir / e.file)
    with open(bad_dir / e.file, "r+b") as fh:
        fh.seek(100)
        byte = fh.read(1)
        fh.seek(100)
        fh.write(bytes([byte[0] ^ 1]))
    result = runner.invoke(app, ["data", "verify", "--mirror", str(bad_dir)])
    assert result.exit_code == 2
    assert f"MISMATCH  {e.file}" in result.output
    assert (
        f"error: verification failed for 1 item(s): {e.file}: sha256 expected {e.sha256}"
        in result.output
    )
    result = runner.invoke(app, ["data", "fetch", "ciri", "--mirror", str(bad_dir)])
    assert result.exit_code == 2 and "corrupted" in result.output
