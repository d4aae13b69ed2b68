"""Generate the reference pages that must never drift from the code.

Called from ``conf.py`` at the start of every build:

* ``api_<package>.md``: one ``automodule`` section per public module of
  ``gametheory``, ``econometrics`` and ``enforcement_lab`` (found by walking the
  packages, so a new module appears without editing the docs);
* ``datasets.md``: every shipped data set's metadata (columns, types, allowed values,
  coding rules, sources) and every entry of the external-data registry.
"""

from __future__ import annotations

import csv
import pkgutil
import tomllib
from pathlib import Path

PACKAGES = ("gametheory", "econometrics", "enforcement_lab")
# Top-level metadata keys rendered in fixed places; any other key becomes a paragraph.
_STANDARD_KEYS = {
    "name",
    "title",
    "description",
    "unit",
    "version",
    "synthetic",
    "columns",
    "coding",
    "sources",
}


def _public_modules(root: Path, package: str) -> list[str]:
    folder = root / package
    names = [package]
    for info in pkgutil.walk_packages([str(folder)], prefix=f"{package}."):
        parts = info.name.split(".")[1:]
        # the command line is documented from the typer app (reference/cli.md)
        if not any(p.startswith("_") or "cli" in p for p in parts):
            names.append(info.name)
    return sorted(names)


def _write_if_changed(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def api_pages(root: Path, out: Path) -> None:
    for package in PACKAGES:
        lines = [f"# `{package}`", ""]
        for module in _public_modules(root, package):
            # Packages re-export their modules' names; document each name once, where defined.
            is_package = (root / module.replace(".", "/") / "__init__.py").exists()
            options = ["   :no-members:"] if is_package else []
            lines += [
                f"## `{module}`",
                "",
                "```{eval-rst}",
                f".. automodule:: {module}",
                *options,
                "```",
                "",
            ]
        _write_if_changed(out / f"api_{package}.md", "\n".join(lines))


def _heading(key: str) -> str:
    """``comparison_with_elliott`` -> ``Comparison with Elliott``."""
    small = {"a", "and", "by", "for", "in", "of", "on", "the", "to", "with"}
    words = key.split("_")
    return " ".join(w if (i and w in small) else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _cell(value: object) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _entry(item: object) -> str:
    """One list item of the metadata; a table (a change-log entry) as 'key: value' parts."""
    if not isinstance(item, dict):
        return _cell(item)
    parts = []
    for key, value in item.items():
        text = " ".join(map(str, value)) if isinstance(value, list) else str(value)
        parts.append(f"{key}: {_cell(text)}")
    return "; ".join(parts)


def datasets_page(root: Path, out: Path) -> None:
    lines = [
        "# Data sets",
        "",
        "Generated from each data set's metadata file in `datasets/` and from the external-data",
        "registry; every row of a shipped data set carries its own `source`.",
        "",
        "## Shipped, hand-coded data sets",
        "",
    ]
    for meta_path in sorted((root / "datasets").glob("*.toml")):
        meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
        name = meta.get("name", meta_path.stem)
        csv_path = meta_path.with_suffix(".csv")
        n_rows = (
            sum(1 for _ in csv.reader(csv_path.open(encoding="utf-8"))) - 1
            if csv_path.exists()
            else 0
        )
        lines += [
            f"### `{name}`",
            "",
            f"**{meta.get('title', '')}** (version {meta.get('version', '?')}, {n_rows} rows;"
            f" unit: {meta.get('unit', '?')}).",
            "",
            meta.get("description", ""),
            "",
            "| column | type | description | allowed values |",
            "|---|---|---|---|",
        ]
        for col in meta.get("columns", []):
            allowed = _cell(col.get("allowed", ""))
            if col.get("separator"):
                allowed = (
                    allowed + " " if allowed else ""
                ) + f"(list separated by `{col['separator']}`)"
            lines.append(
                f"| `{col['name']}` | {col.get('type', '')} | {_cell(col.get('description', ''))} "
                f"| {allowed} |"
            )
        for key, value in meta.items():
            if key in _STANDARD_KEYS:
                continue
            heading = _heading(key)
            if isinstance(value, list):
                lines += ["", f"{heading}:", ""] + [f"- {_entry(item)}" for item in value]
            elif isinstance(value, dict):
                lines += ["", f"{heading}:", ""]
                lines += [f"- {k}: {_cell(v)}" for k, v in value.items()]
            else:
                lines += ["", f"**{heading}.** {str(value).strip()}"]
        rules = meta.get("coding", {}).get("rules", [])
        if rules:
            lines += ["", "Coding rules:", ""] + [f"- {_cell(rule)}" for rule in rules]
        for key, value in meta.get("coding", {}).items():
            if key != "rules":
                lines += ["", f"Coding, {key.replace('_', ' ')}: {_cell(value)}"]
        sources = meta.get("sources", [])
        if sources:
            lines += ["", "Sources:", ""]
            for src in sources:
                lines.append("- " + "; ".join(f"{k}: {_cell(v)}" for k, v in src.items()))
        lines.append("")
    registry = root / "enforcement_lab" / "data" / "registry.csv"
    if registry.exists():
        rows = list(csv.DictReader(registry.open(encoding="utf-8")))
        lines += ["## External data (downloaded and verified, never shipped)", ""]
        keys = [
            k
            for k in ("name", "file", "bytes", "repository", "description")
            if rows and k in rows[0]
        ]
        lines += ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
        for row in rows:
            lines.append("| " + " | ".join(_cell(row.get(k, "")) for k in keys) + " |")
        lines.append("")
    _write_if_changed(out / "datasets.md", "\n".join(lines))


def generate_all(root: Path, out: Path) -> None:
    api_pages(root, out)
    datasets_page(root, out)
