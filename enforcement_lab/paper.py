"""``enforcement-lab paper build``: execute every paper notebook headless.

Paper notebooks are jupytext percent-format ``.py`` files under ``papers/<paper>/``
(the reviewed source). Each is executed with nbclient in its own folder, so it writes
its ``tables/`` and ``figures/`` there; the executed notebook is saved as HTML under
``papers/<paper>/executed/``. Nothing is faked: with no notebooks the command says
what is missing and does nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from enforcement_lab.errors import EnforcementLabError

paper_app = typer.Typer(help="Regenerate the paper's tables and figures.", no_args_is_help=True)


def find_notebooks(root: Path) -> list[Path]:
    """Jupytext percent-format notebooks under ``root/<paper>/``, in file-name order."""
    found = []
    for path in sorted(root.glob("*/*.py")):
        head = path.read_text(encoding="utf-8")[:2000]
        if "format_name: percent" in head:
            found.append(path)
    return found


def execute_notebook(
    path: Path, parameters: dict[str, object] | None = None, timeout: int = 1800
) -> Path:
    """Execute one jupytext notebook in its folder; return the executed HTML's path.

    ``parameters`` are injected as a cell after the one tagged ``parameters``
    (papermill's convention), so small test runs can override grid sizes.
    """
    import jupytext
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    from enforcement_lab.io import atomic_write_text

    nb = jupytext.read(path)
    if parameters:
        lines = [f"{key} = {value!r}" for key, value in parameters.items()]
        injected = nbformat.v4.new_code_cell(
            "\n".join(lines), metadata={"tags": ["injected-parameters"]}
        )
        index = next(
            (
                i + 1
                for i, c in enumerate(nb.cells)
                if "parameters" in c.get("metadata", {}).get("tags", [])
            ),
            0,
        )
        nb.cells.insert(index, injected)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        client.execute()
    except Exception as exc:  # nbclient raises CellExecutionError with the cell's traceback
        raise EnforcementLabError(
            f"notebook {path} failed: {str(exc).splitlines()[0] if str(exc) else exc!r}"
        ) from exc
    body, _ = HTMLExporter(
        exclude_input_prompt=True, exclude_output_prompt=True
    ).from_notebook_node(nb)
    out = path.parent / "executed" / f"{path.stem}.html"
    atomic_write_text(out, body)
    return out


@paper_app.command("build")
def build(
    root: Annotated[Path, typer.Argument(help="Folder holding the papers (papers/).")] = Path(
        "papers"
    ),
) -> None:
    """Execute every paper notebook and regenerate its tables and figures."""
    if not root.is_dir():
        raise EnforcementLabError(f"paper folder {root} does not exist")
    notebooks = find_notebooks(root)
    if not notebooks:
        typer.echo(
            f"No paper notebooks under {root}/ yet (expected jupytext percent-format .py files in "
            f"{root}/<paper>/). Missing: the enforcement paper (issue #8). Nothing was generated."
        )
        return
    for nb in notebooks:
        typer.echo(f"executing {nb} ...")
        out = execute_notebook(nb)
        typer.echo(f"  wrote {out}")


def register(app: typer.Typer) -> None:
    """Add the ``paper`` group to the top-level CLI."""
    app.add_typer(paper_app, name="paper")
