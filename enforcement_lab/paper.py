"""The paper's notebooks, executed headless and deterministically, and what they call.

``enforcement-lab paper build`` (:mod:`enforcement_lab.cli.paper`) runs them.
Paper notebooks are jupytext percent-format ``.py`` files under ``papers/<paper>/``
(the reviewed source). Each is executed with nbclient in its own folder, so it writes
its ``tables/`` and ``figures/`` there; the executed notebook is saved as HTML under
``papers/<paper>/executed/``. Nothing is faked: with no notebooks the command says
what is missing and does nothing.

Parameters follow papermill's convention: a notebook's cell tagged ``parameters``
holds the defaults, and ``--param key=value`` (repeatable) injects an overriding cell
right after it, so a test can run a notebook on a coarse grid.

The second half of this module is what the notebooks call to write their outputs
(:class:`PaperOutputs`): tables as Markdown and LaTeX with fixed number formatting,
figures as PNG and PDF with matplotlib's timestamps and hash salts fixed, so two runs
produce identical bytes, and a per-notebook manifest (output, caption, cell, data,
synthetic or not) from which :func:`write_outputs_index` builds the paper's
table/figure-to-cell map. Table rendering is written here rather than with
``DataFrame.to_markdown``/``Styler.to_latex`` because the output must be byte-stable
across pandas/tabulate versions and every float goes through one formatter.
"""

from __future__ import annotations

import ast
import csv
import io
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from enforcement_lab.errors import DataError, EnforcementLabError, SpecError
from enforcement_lab.io import atomic_path, atomic_write_text
from enforcement_lab.tableformat import frame_to_latex, frame_to_markdown

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


#: Folders of generated outputs that a determinism check compares byte for byte.
OUTPUT_DIRS = ("tables", "figures")

#: Environment variable naming the local mirror of the external data sets.
MIRROR_ENV = "ENFORCEMENT_LAB_DATA_MIRROR"

#: Environment variable telling :class:`PaperOutputs` in a notebook run by ``paper build``
#: where to write (a staging folder swapped in by :func:`swap_in` when the notebook ends).
STAGE_ENV = "ENFORCEMENT_LAB_PAPER_STAGE"

#: Set in the notebook kernel's environment before it starts (so before NumPy loads its
#: BLAS): one thread everywhere, so sums are accumulated in one order on every machine
#: and figures and tables do not change in their last digits with the core count.
DETERMINISTIC_ENV = {
    "PYTHONHASHSEED": "0",
    "SOURCE_DATE_EPOCH": "0",
    "MPLBACKEND": "agg",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "BLIS_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
}


# --------------------------------------------------------------------------- running


def find_notebooks(root: Path, paper: str | None = None, only: Sequence[str] = ()) -> list[Path]:
    """Jupytext percent-format notebooks under ``root/<paper>/``, in file-name order.

    ``only`` keeps the notebooks whose file name starts with one of its prefixes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> (d / "p").mkdir()
    >>> _ = (d / "p" / "01_a.py").write_text("# ---\\n# jupyter:\\n#   jupytext:\\n"
    ...     "#     text_representation:\\n#       format_name: percent\\n# ---\\n")
    >>> _ = (d / "p" / "helper.py").write_text("x = 1\\n")
    >>> [p.name for p in find_notebooks(d)]
    ['01_a.py']
    """
    pattern = f"{paper}/*.py" if paper else "*/*.py"
    found = []
    for path in sorted(root.glob(pattern)):
        try:
            head = path.read_text(encoding="utf-8")[:2000]
        except UnicodeDecodeError as exc:
            raise EnforcementLabError(
                f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})"
            ) from None
        if "format_name: percent" in head and (
            not only or any(path.name.startswith(o) for o in only)
        ):
            found.append(path)
    return found


def parse_params(items: Iterable[str]) -> dict[str, object]:
    """Parse ``key=value`` strings; values are Python literals, else plain strings.

    Examples
    --------
    >>> parse_params(["GRID=11", "MIRROR=/data", "SEEDS=[1, 2]"])
    {'GRID': 11, 'MIRROR': '/data', 'SEEDS': [1, 2]}
    """
    params: dict[str, object] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise SpecError(f"--param {item!r}: expected NAME=VALUE with NAME a Python identifier")
        try:
            params[key] = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            params[key] = raw
    return params


def inject_parameters(nb: Any, parameters: dict[str, object]) -> None:
    """Insert a cell setting ``parameters`` after the cell tagged ``parameters`` (papermill)."""
    import nbformat

    if not parameters:
        return
    lines = ["# Parameters injected by enforcement-lab paper build"]
    lines += [f"{key} = {value!r}" for key, value in parameters.items()]
    injected = nbformat.v4.new_code_cell(
        "\n".join(lines), metadata={"tags": ["injected-parameters"]}
    )
    tagged = [
        i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])
    ]
    nb.cells.insert(tagged[0] + 1 if tagged else 0, injected)


def notebook_parameters(path: Path) -> list[str]:
    """Names assigned in the notebook's cell tagged ``parameters`` (papermill's convention).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> nb = pathlib.Path(tempfile.mkdtemp()) / "01_a.py"
    >>> _ = nb.write_text("# %% tags=[\\"parameters\\"]\\nQUICK = False\\nGRID_N: int = 41\\n"
    ...     "\\n# %%\\nx = 1\\n")
    >>> notebook_parameters(nb)
    ['QUICK', 'GRID_N']
    """
    return _declared_parameters(read_notebook(path))


def read_notebook(path: Path) -> Any:
    """Read a jupytext notebook; an unreadable one (a broken YAML header, a syntax error in
    the parameters cell, not UTF-8) is an :class:`EnforcementLabError` naming the file."""
    import jupytext

    try:
        nb = jupytext.read(path)
        _declared_parameters(nb)
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError) as exc:
        raise EnforcementLabError(f"notebook {path} cannot be read: {exc}") from None
    except Exception as exc:  # the YAML header's parser raises its own error classes
        if type(exc).__module__.split(".")[0] != "yaml":
            raise
        first = " ".join(str(exc).split())
        raise EnforcementLabError(f"notebook {path} has an invalid header: {first}") from None
    return nb


def _declared_parameters(nb: Any) -> list[str]:
    names: list[str] = []
    for cell in nb.cells:
        if "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        for node in ast.parse(cell["source"]).body:
            targets = (
                node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            )
            names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names


def execute_notebook(
    path: Path,
    parameters: dict[str, object] | None = None,
    timeout: int = 1800,
    stage: Path | None = None,
) -> Path:
    """Execute one jupytext notebook in its folder; return the executed HTML's path.

    ``parameters`` are injected as a cell after the one tagged ``parameters``
    (papermill's convention), so small test runs can override grid sizes; names the
    notebook does not declare there are left out (``build`` rejects names that no
    selected notebook declares). The kernel
    runs with :data:`DETERMINISTIC_ENV` (fixed hash seed and dates, single-threaded
    BLAS); cell timings are not recorded, so the HTML of two runs differs only if an
    output does. With ``stage``, the notebook's :class:`PaperOutputs` write there
    instead of into the paper folder (see :func:`swap_in`).
    """
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    nb = read_notebook(path)
    declared = set(_declared_parameters(nb))
    inject_parameters(nb, {k: v for k, v in (parameters or {}).items() if k in declared})
    for i, cell in enumerate(nb.cells):  # nbformat draws random cell ids; fix them
        cell["id"] = f"cell-{i}"
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    env = {**os.environ, **DETERMINISTIC_ENV}
    if stage is not None:
        env[STAGE_ENV] = str(stage.resolve())
    try:
        client.execute(env=env)
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # nbclient raises CellExecutionError with the cell's traceback
        message = str(exc).strip()
        tail = [ln for ln in message.splitlines() if ln.strip()][-1:] or [repr(exc)]
        raise EnforcementLabError(f"notebook {path} failed: {tail[0]}") from exc
    body, _ = HTMLExporter().from_notebook_node(nb)
    out = path.parent / "executed" / f"{path.stem}.html"
    atomic_write_text(out, body)
    return out


def _snapshot(paper_dir: Path) -> dict[str, bytes]:
    files = {}
    for sub in OUTPUT_DIRS:
        for f in sorted((paper_dir / sub).glob("*")):
            if f.is_file():
                files[f"{sub}/{f.name}"] = f.read_bytes()
    return files


def compare_outputs(expected: Path, actual: Path) -> list[str]:
    """Names of generated files (tables, figures) that differ or exist on one side only."""
    a, b = _snapshot(expected), _snapshot(actual)
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


def describe_difference(name: str, old: bytes | None, new: bytes | None) -> str:
    """How much an output changed, in the unit that matters for its kind.

    Tables: how many lines differ and the first of them; PNG figures: how many pixels
    differ and by how much at most (0-255); other files: how many bytes differ.

    Examples
    --------
    >>> describe_difference("tables/t.md", b"a\\nb\\n", b"a\\nc\\n")
    "tables/t.md: 1 of 2 lines differ (first: line 2 'b' -> 'c')"
    """
    if old is None:
        return f"{name}: new (not in place before)"
    if new is None:
        return f"{name}: no longer written"
    if name.endswith((".md", ".tex", ".csv")):
        a = old.decode("utf-8", "replace").splitlines()
        b = new.decode("utf-8", "replace").splitlines()
        rows = [i for i in range(max(len(a), len(b))) if a[i : i + 1] != b[i : i + 1]]
        i = rows[0]
        first = f"line {i + 1} {(a[i] if i < len(a) else '')!r} -> {(b[i] if i < len(b) else '')!r}"
        return f"{name}: {len(rows)} of {max(len(a), len(b))} lines differ (first: {first})"
    if name.endswith(".png"):
        import numpy as np
        from PIL import Image

        x = np.asarray(Image.open(io.BytesIO(old)).convert("RGBA"), dtype=int)
        y = np.asarray(Image.open(io.BytesIO(new)).convert("RGBA"), dtype=int)
        if x.shape != y.shape:
            return f"{name}: size changed from {x.shape[1]}x{x.shape[0]} to {y.shape[1]}x{y.shape[0]} pixels"
        diff = np.abs(x - y).max(axis=2)
        return (
            f"{name}: {int((diff > 0).sum())} of {diff.size} pixels differ, "
            f"by at most {int(diff.max())} of 255"
        )
    n = min(len(old), len(new))
    changed = sum(1 for i in range(n) if old[i] != new[i]) + abs(len(old) - len(new))
    return f"{name}: {changed} of {max(len(old), len(new))} bytes differ"


#: Folder of a paper where ``paper build`` stages a notebook's new outputs.
STAGE_DIR = ".staging"


def _inside(paper_dir: Path, name: str) -> Path | None:
    """``paper_dir / name`` if ``name`` is a plain relative path into the paper's output
    folders (``tables/x.md``), else None: a manifest is data and must not steer a delete
    or a move outside the paper (``../../x``, an absolute path, a symlinked folder)."""
    rel = Path(name)
    if rel.is_absolute() or ".." in rel.parts or len(rel.parts) != 2:
        return None
    if rel.parts[0] not in OUTPUT_DIRS:
        return None
    path = paper_dir / rel
    try:
        path.parent.resolve().relative_to((paper_dir / rel.parts[0]).resolve())
    except ValueError:
        return None
    if (paper_dir / rel.parts[0]).is_symlink():
        return None
    return path


def _manifest_files(manifest: Path) -> list[str]:
    if not manifest.exists():
        return []
    with manifest.open(encoding="utf-8", newline="") as fh:
        return [n for row in csv.DictReader(fh) for n in (row.get("files") or "").split(";") if n]


def data_unavailable(stage: Path, notebook: str) -> str | None:
    """What a staged notebook run skipped for want of external data
    (:meth:`PaperOutputs.data_unavailable`), or ``None`` where it skipped nothing."""
    path = stage / "manifest" / f"{notebook}{UNAVAILABLE_SUFFIX}"
    return path.read_text(encoding="utf-8").strip() if path.exists() else None


def swap_in(paper_dir: Path, stage: Path, notebook: str) -> list[str]:
    """Move a finished notebook's staged outputs into the paper folder.

    Until this runs, the outputs of the previous build stay in place untouched, so a
    build killed while a notebook executes loses nothing. Each staged file then
    replaces its old version with :func:`os.replace` (atomic per file), the notebook's
    new manifest replaces the old one, and only then are files the old manifest listed
    but the new one does not removed. A file is never missing at any point, and only
    paths inside the paper's ``tables/`` and ``figures/`` are ever moved or deleted.

    Parameters
    ----------
    paper_dir : Path
        The paper folder (``papers/enforcement``).
    stage : Path
        Where the notebook wrote (``tables/``, ``figures/``, ``manifest/<notebook>.csv``).
    notebook : str
        The notebook's stem; names its manifest.

    Returns
    -------
    list of str
        The outputs removed because the notebook no longer writes them.

    Raises
    ------
    EnforcementLabError
        The staged manifest is missing or names a path outside the paper's output
        folders (nothing is moved then).
    """
    new_manifest = stage / "manifest" / f"{notebook}.csv"
    if not new_manifest.exists():
        raise EnforcementLabError(
            f"notebook {notebook} finished without writing its manifest (no PaperOutputs?)"
        )
    new_files = _manifest_files(new_manifest)
    bad = [n for n in new_files if _inside(paper_dir, n) is None]
    if bad:
        raise EnforcementLabError(
            f"notebook {notebook} lists outputs outside {paper_dir}/tables and figures: {bad}"
        )
    old_manifest = paper_dir / "manifest" / f"{notebook}.csv"
    old_files = _manifest_files(old_manifest)
    for name in new_files:
        source, target = stage / name, paper_dir / name
        if source.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    old_manifest.parent.mkdir(parents=True, exist_ok=True)
    new_claims = stage / "manifest" / f"{notebook}{CLAIMS_SUFFIX}"
    if new_claims.exists():
        os.replace(new_claims, paper_dir / "manifest" / f"{notebook}{CLAIMS_SUFFIX}")
    os.replace(new_manifest, old_manifest)
    removed = []
    for name in sorted(set(old_files) - set(new_files)):
        path = _inside(paper_dir, name)
        if path is not None and path.is_file():
            path.unlink()
            removed.append(name)
    return removed


# --------------------------------------------------------------------------- data mirror


def default_mirror(start: Path | None = None) -> Path | None:
    """The external-data mirror that :func:`enforcement_lab.data.registry.mirror_dir` finds
    from ``start`` (default: the working directory), or ``None`` where it finds none or
    the one named does not exist."""
    from enforcement_lab.data.registry import mirror_dir

    try:
        return mirror_dir(start=start)
    except DataError:
        return None


def resolve_mirror(value: str | os.PathLike[str] | None) -> Path | None:
    """The mirror a notebook's ``DATA_MIRROR`` parameter names: a path, ``""`` (the
    registry's rule, :func:`enforcement_lab.data.registry.mirror_dir`) or ``"none"``.

    A path that does not exist resolves to ``None``. Nothing is changed: a notebook passes
    its ``DATA_MIRROR`` on to the data functions (``mirror=DATA_MIRROR or None``), which
    apply the same rule.
    """
    from enforcement_lab.data.registry import mirror_dir

    text = "" if value is None else str(value)
    try:
        path = mirror_dir(text or None)
    except DataError:
        return None
    return None if path is None else path.resolve()


# --------------------------------------------------------------------------- outputs


def deterministic_matplotlib() -> None:
    """Fix matplotlib's sources of run-to-run variation (backend, hash salt, fonts, dates)."""
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    plt.rcdefaults()
    plt.rcParams.update(
        {
            "svg.hashsalt": "enforcement-lab",
            "pdf.fonttype": 42,
            "figure.dpi": 100,
            "savefig.dpi": 120,
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "axes.titlesize": 9,
            "figure.figsize": (6.0, 4.0),
            "path.simplify": False,
        }
    )


#: The verdicts a results entry may give a seed claim.
VERDICTS = (
    "reproduced",
    "reproduced under stated assumptions",
    "not reproduced",
    "not testable with these data",
)

#: The columns of a notebook's claims manifest, ``manifest/<notebook>.claims.csv``.
CLAIM_COLUMNS = [
    "id",
    "notebook",
    "cell",
    "seed",
    "lines",
    "claim",
    "evidence",
    "result",
    "verdict",
    "assumptions",
    "outputs",
]
CLAIMS_SUFFIX = ".claims.csv"
#: Suffix of the file (beside a notebook's manifest) in which it says what it skipped for
#: want of external data (:meth:`PaperOutputs.data_unavailable`).
UNAVAILABLE_SUFFIX = ".unavailable.txt"


@dataclass
class PaperOutputs:
    """Writes one notebook's tables and figures deterministically and records a manifest.

    Parameters
    ----------
    notebook
        The notebook's stem (``"01_games"``); it names the manifest file.
    root
        The paper folder (the notebook's working directory).

    Every output records its caption, the notebook cell that wrote it (IPython's
    execution count, the ``In [n]`` of the executed HTML), the data it used and whether
    it is synthetic; synthetic outputs get "(synthetic data)" in their caption.
    """

    notebook: str
    root: Path = field(default_factory=Path)
    records: list[dict[str, str]] = field(default_factory=list)
    claims: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.root = Path(self.root)
        stage = os.environ.get(STAGE_ENV)
        if stage:  # run by paper build: write beside the old outputs, swapped in at the end
            self.root = Path(stage)
        for sub in OUTPUT_DIRS:
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        if not stage:
            # run by hand: drop outputs a previous run of this notebook wrote, so stale
            # files cannot linger (only inside tables/ and figures/; the manifest is data)
            for name in _manifest_files(self.root / "manifest" / f"{self.notebook}.csv"):
                path = _inside(self.root, name)
                if path is not None and path.is_file():
                    path.unlink()
        (self.root / "manifest" / f"{self.notebook}{UNAVAILABLE_SUFFIX}").unlink(missing_ok=True)
        self._write_manifest()  # an empty manifest says the notebook ran and wrote nothing

    @staticmethod
    def _cell() -> str:
        try:
            from IPython import get_ipython

            shell = get_ipython()
        except ImportError:  # pragma: no cover
            shell = None
        if shell is None:
            return ""
        # IPython counts the running cell before executing it (``run_cell_async`` stores
        # the cell under ``execution_count`` and increments at once), so inside a cell the
        # counter already names the next prompt: the running cell is ``In [count - 1]``.
        return str(shell.execution_count - 1)

    @staticmethod
    def _caption(caption: str, synthetic: bool) -> str:
        if synthetic and "synthetic" not in caption.lower():
            return f"{caption} (synthetic data)"
        return caption

    def _record(
        self, kind: str, name: str, files: list[str], caption: str, data: str, synthetic: bool
    ) -> None:
        # a table and a figure may share a name: one record per (kind, name)
        self.records = [r for r in self.records if (r["kind"], r["name"]) != (kind, name)]
        self.records.append(
            {
                "kind": kind,
                "name": name,
                "files": ";".join(files),
                "notebook": self.notebook,
                "cell": self._cell(),
                "caption": caption,
                "data": data,
                "synthetic": "yes" if synthetic else "no",
            }
        )
        self._write_manifest()

    def claim(
        self,
        claim_id: str,
        *,
        seed: str,
        lines: str,
        claim: str,
        evidence: str,
        result: str,
        verdict: str,
        assumptions: str = "",
        outputs: Sequence[str] = (),
    ) -> None:
        """Record what this notebook finds about one claim of a seed article.

        The records of every notebook become the paper's results section,
        ``RESULTS.md`` (:func:`write_results`): the claim in the seed's words or a close
        paraphrase, where it is (``seed`` file name and ``lines``), the model or estimate
        that speaks to it (``evidence``), the finding with its numbers (``result``), a
        ``verdict`` from :data:`VERDICTS`, and the assumptions that drive the verdict.
        Figure titles and table notes should say no more than this entry.

        Parameters
        ----------
        claim_id
            Unique within the paper (``"banks_six_players"``).
        seed
            The seed article's file name (``"001_0ff89a4813f73384.txt"``).
        lines
            Line or line range in that file (``"L2458-2460"``).
        outputs
            Names of the tables/figures of this notebook that show the evidence; each must
            have been written already (by :meth:`table` or :meth:`figure`).
        """
        if verdict not in VERDICTS:
            raise SpecError(
                f"claim {claim_id!r}: verdict {verdict!r} is not one of {', '.join(VERDICTS)}"
            )
        written = {r["name"] for r in self.records}
        missing = [o for o in outputs if o not in written]
        if missing:
            raise SpecError(
                f"claim {claim_id!r}: outputs {missing} were not written by this notebook"
            )
        for field_name, value in (("claim", claim), ("result", result), ("evidence", evidence)):
            if not value.strip():
                raise SpecError(f"claim {claim_id!r}: {field_name} is empty")
        self.claims = [c for c in self.claims if c["id"] != claim_id]
        self.claims.append(
            {
                "id": claim_id,
                "notebook": self.notebook,
                "cell": self._cell(),
                "seed": seed,
                "lines": lines,
                "claim": claim,
                "evidence": evidence,
                "result": result,
                "verdict": verdict,
                "assumptions": assumptions,
                "outputs": ";".join(outputs),
            }
        )
        self._write_manifest()

    def data_unavailable(self, reason: str) -> None:
        """Say that this run skipped outputs for want of external data (``reason``): printed
        as ``REAL DATA UNAVAILABLE - <reason>`` and recorded.

        ``paper build`` then keeps the outputs, manifest and claims of this notebook's
        last complete build instead of swapping in this partial one (which would delete
        every output it skipped), and says so; ``paper build --check`` counts the
        notebook as not checked. Run by hand, the notebook just records the reason.
        """
        print(f"REAL DATA UNAVAILABLE - {reason}")
        path = self.root / "manifest" / f"{self.notebook}{UNAVAILABLE_SUFFIX}"
        previous = path.read_text(encoding="utf-8") if path.exists() else ""
        atomic_write_text(path, previous + reason.strip() + "\n")

    def _write_manifest(self) -> None:
        buf = io.StringIO()
        cols = ["kind", "name", "files", "notebook", "cell", "caption", "data", "synthetic"]
        writer = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
        writer.writeheader()
        for row in sorted(self.records, key=lambda r: (r["kind"], r["name"])):
            writer.writerow(row)
        atomic_write_text(self.root / "manifest" / f"{self.notebook}.csv", buf.getvalue())
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=CLAIM_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in self.claims:  # in the order the notebook states them
            writer.writerow(row)
        atomic_write_text(
            self.root / "manifest" / f"{self.notebook}{CLAIMS_SUFFIX}", buf.getvalue()
        )

    def table(
        self,
        name: str,
        frame: pd.DataFrame,
        caption: str,
        *,
        data: str,
        synthetic: bool = False,
        notes: Sequence[str] = (),
        digits: int | str | dict[str, int | str] = 3,
        sort: bool | Sequence[str] = False,
    ) -> pd.DataFrame:
        """Write ``tables/<name>.md`` and ``tables/<name>.tex``; return the frame written.

        ``sort=True`` sorts rows by every column (or by the given columns) so the bytes
        do not depend on the order in which results arrived.
        """
        out = frame.reset_index(drop=True) if frame.index.name is None else frame.reset_index()
        if sort:
            keys = list(out.columns) if sort is True else list(sort)
            out = out.sort_values(keys, kind="mergesort").reset_index(drop=True)
        cap = self._caption(caption, synthetic)
        all_notes = [*notes, f"Data: {data}."]
        md = self.root / "tables" / f"{name}.md"
        tex = self.root / "tables" / f"{name}.tex"
        atomic_write_text(md, frame_to_markdown(out, cap, all_notes, digits))
        atomic_write_text(tex, frame_to_latex(out, cap, name, all_notes, digits))
        self._record(
            "table", name, [f"tables/{name}.md", f"tables/{name}.tex"], cap, data, synthetic
        )
        return out

    def figure(
        self, fig: Any, name: str, caption: str, *, data: str, synthetic: bool = False
    ) -> None:
        """Write ``figures/<name>.png`` and ``figures/<name>.pdf`` with fixed metadata."""
        cap = self._caption(caption, synthetic)
        if synthetic:
            fig.text(0.99, 0.01, "synthetic data", ha="right", va="bottom", fontsize=7, color="0.4")
        round_plotted_values(fig)
        png = self.root / "figures" / f"{name}.png"
        pdf = self.root / "figures" / f"{name}.pdf"
        with atomic_path(png) as tmp:
            fig.savefig(tmp, format="png", metadata={"Software": None}, bbox_inches="tight")
        with atomic_path(pdf) as tmp:
            fig.savefig(
                tmp,
                format="pdf",
                bbox_inches="tight",
                metadata={"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
            )
        self._record(
            "figure", name, [f"figures/{name}.png", f"figures/{name}.pdf"], cap, data, synthetic
        )


#: Significant digits kept in plotted data: far finer than any screen or printer (a
#: figure is a few thousand pixels or points wide), far coarser than the last-bit
#: differences of floating-point sums between machines (BLAS kernels, thread counts).
PLOT_DIGITS = 10


def _round_sig(values: Any, digits: int = PLOT_DIGITS) -> Any:
    """``values`` rounded to ``digits`` significant digits (NaN and inf kept).

    >>> _round_sig([0.1 + 0.2, 1234.56789012345, 0.0]).tolist()
    [0.3, 1234.56789, 0.0]
    """
    import numpy as np

    v = np.asarray(values, dtype=float)
    finite = np.isfinite(v) & (v != 0)
    out = v.copy()
    scale = np.zeros_like(v)
    scale[finite] = 10.0 ** (digits - 1 - np.floor(np.log10(np.abs(v[finite]))))
    out[finite] = np.round(v[finite] * scale[finite]) / scale[finite]
    return out


def round_plotted_values(fig: Any, digits: int = PLOT_DIGITS) -> None:
    """Round the data of every line, marker, bar and filled area of ``fig`` in place.

    Two machines can compute the same estimate with a different last bit (another
    BLAS, another number of threads); the PDF backend writes coordinates with enough
    digits to show that bit, so the files differ although the figures look the same.
    Rounding to :data:`PLOT_DIGITS` significant digits before saving makes the bytes
    depend only on what can be seen.
    """
    import numpy as np
    from matplotlib.collections import Collection, LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    for ax in fig.axes:
        for line in ax.get_lines():
            if isinstance(line, Line2D):
                x, y = line.get_data(orig=True)
                try:
                    line.set_data(_round_sig(x, digits), _round_sig(y, digits))
                except (TypeError, ValueError):  # categorical or date data: left as is
                    pass
        for coll in ax.collections:
            if not isinstance(coll, Collection):
                continue
            offsets = np.asarray(coll.get_offsets(), dtype=float)
            if len(offsets):
                coll.set_offsets(_round_sig(offsets, digits))
            if isinstance(coll, LineCollection):
                coll.set_segments([_round_sig(seg, digits) for seg in coll.get_segments()])
            else:
                for path in coll.get_paths():
                    vertices = np.asarray(path.vertices)  # the path's own array, not a copy
                    if vertices.size and vertices.flags.writeable:
                        vertices[:] = _round_sig(vertices, digits)
        for patch in ax.patches:
            if isinstance(patch, Rectangle):
                x, y = _round_sig([patch.get_x(), patch.get_y()], digits)
                w, h = _round_sig([patch.get_width(), patch.get_height()], digits)
                patch.set_bounds(x, y, w, h)


def write_outputs_index(paper_dir: Path) -> Path | None:
    """Collect ``manifest/*.csv`` into ``OUTPUTS.md``: every table/figure, its notebook and cell."""
    manifests = [
        m
        for m in sorted((paper_dir / "manifest").glob("*.csv"))
        if not m.name.endswith(CLAIMS_SUFFIX)
    ]
    if not manifests:
        return None
    rows: list[dict[str, str]] = []
    for m in manifests:
        with m.open(encoding="utf-8", newline="") as fh:
            rows += list(csv.DictReader(fh))
    rows.sort(key=lambda r: (r["notebook"], r["kind"] != "table", int(r["cell"] or 0), r["name"]))
    lines = [
        "# Outputs of this paper",
        "",
        "Generated by `enforcement-lab paper build` from `manifest/*.csv`; do not edit. "
        "`cell` is the `In [n]` prompt of the executed notebook (`executed/<notebook>.html`).",
        "",
        "| output | files | notebook | cell | synthetic | data | caption |",
        "|:---|:---|:---|---:|:---|:---|:---|",
    ]
    for r in rows:
        files = ", ".join(f"`{f}`" for f in r["files"].split(";"))
        cells = [
            r["name"],
            files,
            f"`{r['notebook']}.py`",
            r["cell"],
            r["synthetic"],
            r["data"],
            r["caption"],
        ]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    index = atomic_write_text(paper_dir / "OUTPUTS.md", "\n".join(lines) + "\n")
    _refresh_readme_block(paper_dir / "README.md", "\n".join(lines[4:]))
    return index


README_START = "<!-- outputs:start (generated by enforcement-lab paper build) -->"
README_END = "<!-- outputs:end -->"


def _refresh_readme_block(readme: Path, table: str) -> None:
    """Replace the text between the outputs markers of ``readme`` (if both exist) by ``table``."""
    if not readme.exists():
        return
    text = readme.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        return
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    new = f"{head}{README_START}\n{table}\n{README_END}{tail}"
    if new != text:
        atomic_write_text(readme, new)


def read_claims(paper_dir: Path) -> list[dict[str, str]]:
    """Every claim recorded by the paper's notebooks, in notebook order, then as stated."""
    rows: list[dict[str, str]] = []
    for m in sorted((paper_dir / "manifest").glob(f"*{CLAIMS_SUFFIX}")):
        with m.open(encoding="utf-8", newline="") as fh:
            rows += list(csv.DictReader(fh))
    seen: dict[str, str] = {}
    for r in rows:
        if r["id"] in seen:
            raise EnforcementLabError(
                f"claim {r['id']!r} is recorded by both {seen[r['id']]} and {r['notebook']}"
            )
        seen[r["id"]] = r["notebook"]
    return rows


#: The opening of ``RESULTS.md``, before the generated entries.
RESULTS_INTRO = """\
# Results

Generated by `enforcement-lab paper build` from the notebooks' `manifest/*.claims.csv`;
do not edit. One entry per claim of the seed articles (`../shared/seeds/`, cited by file
and line) that this paper formalises or tests: the claim, the model or estimate that
speaks to it, the finding with its numbers, and a verdict:

- **reproduced**: the model or the data show what the seed states;
- **reproduced under stated assumptions**: they show it only under the assumptions named
  in the entry, which the seed does not establish;
- **not reproduced**: they do not show it, or show something else;
- **not testable with these data**: nothing the paper has can speak to it.

Figure titles and table notes say no more than these entries.
"""


def write_results(paper_dir: Path) -> Path | None:
    """Collect the notebooks' claims into ``RESULTS.md``: the paper's results in words."""
    claims = read_claims(paper_dir)
    if not claims:
        return None
    known = {
        r["name"]
        for m in (paper_dir / "manifest").glob("*.csv")
        if not m.name.endswith(CLAIMS_SUFFIX)
        for r in csv.DictReader(m.open(encoding="utf-8", newline=""))
    }
    lines = [RESULTS_INTRO, "## Summary", ""]
    lines += ["| claim | seed | verdict |", "|:---|:---|:---|"]
    for c in claims:
        short = c["claim"].replace("|", "\\|")
        lines.append(f"| [{short}](#{c['id']}) | `{c['seed']}` {c['lines']} | {c['verdict']} |")
    notebook = None
    for c in claims:
        if c["notebook"] != notebook:
            notebook = c["notebook"]
            lines += ["", f"## `{notebook}.py`"]
        unknown = [o for o in c["outputs"].split(";") if o and o not in known]
        if unknown:
            raise EnforcementLabError(f"claim {c['id']!r} cites outputs {unknown} not in the paper")
        shown = ", ".join(f"`{o}`" for o in c["outputs"].split(";") if o)
        lines += [
            "",
            f'<a id="{c["id"]}"></a>',
            f"### {c['claim']}",
            "",
            f"- **Source:** `{c['seed']}` {c['lines']}",
            f"- **Evidence:** {c['evidence']} (`{notebook}.py`, `In [{c['cell']}]`"
            + (f"; {shown})" if shown else ")"),
            f"- **Result:** {c['result']}",
            f"- **Verdict:** {c['verdict']}",
        ]
        if c["assumptions"]:
            lines.append(f"- **Assumptions that drive it:** {c['assumptions']}")
    return atomic_write_text(paper_dir / "RESULTS.md", "\n".join(lines) + "\n")
