"""The replication README's generated dataset list and programs table."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from enforcement_lab import replication
from enforcement_lab.data import registry, shipped

ROOT = Path(__file__).resolve().parents[1]
PAPER = ROOT / "papers" / "enforcement"

#: What the notebooks load, read off their code by hand (loader calls, panel columns and
#: events, spec files): the generator must find every one of these.
LOADED = {
    "gsp_worker_rights_reviews": {
        "03_cases",
        "04_panels",
        "06_calibration",
        "07_strategic",
        "08_seed_claims",
    },
    "ilo_supervisory_events": {"03_cases"},
    "published_benchmarks": {"03_cases", "06_calibration"},
    "trade_agreement_labor_cases": {"03_cases", "06_calibration"},
    "ciri": {"04_panels", "06_calibration"},
    "labour_rights_controls_panel": {"04_panels", "06_calibration"},
    "un_treaty_ratifications": {"05_hazards"},
    "polity5": {"05_hazards"},
    "wdi_panel": {"05_hazards"},
    "dol_child_labor": {"05_hazards"},
}


def _loader_calls(text: str) -> set[str]:
    """Names passed to load_shipped/load_source or used as 'name:column' in the text."""
    names = set(re.findall(r"load_(?:shipped|source)\(\s*\"([a-z0-9_]+)\"", text))
    names |= set(re.findall(r"\"([a-z0-9_]+):[A-Za-z0-9_]+\"", text))
    names |= set(re.findall(r"^source = \"([a-z0-9_]+)\"", text, flags=re.M))
    return names


def _rows(markdown: str) -> list[list[str]]:
    return [
        [c.strip() for c in line.strip().strip("|").split(" | ")]
        for line in markdown.splitlines()[2:]
    ]


def test_every_loaded_data_set_is_found_with_its_notebooks():
    used = replication.data_used(PAPER)
    assert {k: set(v) for k, v in used.items()} == LOADED
    # and independently of the hand list: every name a loader call states
    for nb in replication.notebooks(PAPER):
        text = nb.read_text(encoding="utf-8")
        for spec in (PAPER / "specs").glob("*.toml"):
            if spec.name in text:
                text += spec.read_text(encoding="utf-8")
        for name in _loader_calls(text) & (set(registry.datasets()) | set(shipped.list_shipped())):
            assert nb.stem in used[name], (name, nb.name)


def test_dataset_list_names_every_file_with_its_sha256_and_source():
    rows = _rows(replication.dataset_list(PAPER))
    listed = {}
    for name, file, provided, sha, source, users in rows:
        listed.setdefault(name.strip("`"), []).append((file.strip("`"), provided, sha, source))
        assert set(re.findall(r"`(\d\d_[a-z_]+)\.py`", users)) == LOADED[name.strip("`")]
    assert set(listed) == set(LOADED)
    for name, files in listed.items():
        if name in shipped.list_shipped():
            ((file, provided, sha, source),) = files
            path = ROOT / file
            assert sha == f"`{hashlib.sha256(path.read_bytes()).hexdigest()}`"
            assert provided.startswith("yes") and f"datasets/{name}.toml" in source
            continue
        entries = registry.dataset_entries(name)
        assert [f for f, *_ in files] == [e.file for e in entries]
        for (_file, provided, sha, source), e in zip(files, entries, strict=True):
            assert sha == f"`{e.sha256}`" and len(e.sha256) == 64
            assert e.url in source and e.commit[:7] in source
            assert provided.startswith("no") and f"data fetch {e.name}" in provided
    assert len(listed["dol_child_labor"]) == 7  # one file per report year 2016-2022


def test_programs_table_lists_every_notebook_in_order_with_its_outputs():
    rows = _rows(replication.programs(PAPER))
    notebooks = sorted(p.name for p in PAPER.glob("[0-9][0-9]_*.py"))
    assert [r[1].strip("`") for r in rows] == notebooks
    assert [int(r[0]) for r in rows] == list(range(1, len(notebooks) + 1))
    by_name = {r[1].strip("`"): r for r in rows}
    assert by_name["01_games.py"][2].startswith("1. The stag hunt")
    assert by_name["01_games.py"][3] == "none"
    assert "`ciri`" in by_name["04_panels.py"][3]
    assert "phase_sanction" in by_name["01_games.py"][4]
    assert "specification_curve" in by_name["04_panels.py"][4]


def test_committed_readme_blocks_are_up_to_date(tmp_path):
    """The README in the repository is what the build writes (run the build if not)."""
    text = (PAPER / "README.md").read_text(encoding="utf-8")
    for start, end in (replication.DATASETS_BLOCK, replication.PROGRAMS_BLOCK):
        assert start in text and end in text
    copy = tmp_path / "enforcement"
    copy.mkdir()
    for item in PAPER.iterdir():
        target = copy / item.name
        target.symlink_to(item, target_is_directory=item.is_dir())
    (copy / "README.md").unlink()
    (copy / "README.md").write_text(text, encoding="utf-8")
    assert replication.refresh_readme(copy) is None, "the README's blocks are stale"


def test_readme_without_markers_is_left_alone(tmp_path):
    paper = tmp_path / "p"
    paper.mkdir()
    (paper / "README.md").write_text("# hand-written\n", encoding="utf-8")
    assert replication.refresh_readme(paper) is None
    assert (paper / "README.md").read_text(encoding="utf-8") == "# hand-written\n"


@pytest.mark.parametrize("block", [replication.DATASETS_BLOCK, replication.PROGRAMS_BLOCK])
def test_refresh_replaces_only_between_markers(tmp_path, block):
    paper = tmp_path / "enforcement"
    paper.mkdir()
    for item in PAPER.iterdir():
        if item.name != "README.md":
            (paper / item.name).symlink_to(item, target_is_directory=item.is_dir())
    start, end = block
    (paper / "README.md").write_text(f"before\n{start}\nstale\n{end}\nafter\n", encoding="utf-8")
    assert replication.refresh_readme(paper) == paper / "README.md"
    text = (paper / "README.md").read_text(encoding="utf-8")
    assert text.startswith(f"before\n{start}\n| ") and text.endswith(f"\n{end}\nafter\n")
    assert "stale" not in text
