"""The documentation builds, its notebooks execute, and every figure it references exists.

One Sphinx build (tutorials and how-to guides are MyST notebooks executed on build, so a
failing cell fails here), then checks on the HTML: every referenced figure exists and is
non-empty, the model-only tutorials render figures, the data tutorials either render
their results or say that the real data are unavailable, and the generated reference
covers every public module, every CLI command and every data set's extra metadata.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

# Tutorials that need no external data: they must render at least one figure.
MODEL_ONLY_TUTORIALS = ("first-game", "designs")
# Pages that need the external-data mirror: results, or an explicit "unavailable" message.
# Each maps to text its results print when the data are there.
DATA_PAGES = {
    "tutorials/hazard-and-panel": "state-years",
    "tutorials/robustness": "specifications (",
    "how-to/robustness-dask": "identical under the dask and the local executor",
    "how-to/replicate-panel-table": "the command line and Python agree on every coefficient",
}
UNAVAILABLE = re.compile(r"UNAVAILABLE|No external-data mirror", re.IGNORECASE)


def _images(page: Path) -> list[str]:
    srcs = re.findall(r'<img[^>]+src="([^"]+)"', page.read_text(encoding="utf-8"))
    return [s for s in srcs if not s.startswith(("http", "data:")) and "_static/" not in s]


def _text(page: Path) -> str:
    raw = page.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style).*?</\1>", "", raw, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", raw))


def _outputs(page: Path) -> str:
    """Text of the executed cells' outputs only (not their source code)."""
    raw = page.read_text(encoding="utf-8")
    chunks = [c.split('class="cell_input', 1)[0] for c in raw.split('class="cell_output')[1:]]
    return html.unescape(re.sub(r"<[^>]+>", "", " ".join(chunks)))


def _modules(repo_root: Path) -> dict[str, list[str]]:
    sys.path.insert(0, str(repo_root / "docs"))
    try:
        from _generate import PACKAGES, _public_modules
    finally:
        sys.path.remove(str(repo_root / "docs"))
    return {package: _public_modules(repo_root, package) for package in PACKAGES}


@pytest.fixture(scope="module")
def modules(repo_root: Path) -> dict[str, list[str]]:
    """The public modules, listed before the build (the build generates one page each)."""
    return _modules(repo_root)


@pytest.fixture(scope="module")
def built(
    repo_root: Path, modules: dict[str, list[str]], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    tmp = tmp_path_factory.mktemp("docs")
    out = tmp / "html"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-b",
            "html",
            "-q",
            "-d",
            str(tmp / "doctrees"),
            str(repo_root / "docs"),
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    said = _build_messages(proc.stderr)
    assert proc.returncode == 0, said[-4000:]
    assert "ERROR" not in said, said[-4000:]
    return out


#: How a known ipykernel 7.4 race at kernel shutdown is logged: the control handler's
#: "idle" status is sent while the IOPub thread closes (the race ipython/ipykernel#1518
#: fixed in ``_really_send``; ``IOPubThread.schedule`` still has it). The notebook has
#: finished by then: noise from a kernel that is exiting, not an error of the docs.
_SHUTDOWN_RACE = (
    "ERROR:tornado.general:Uncaught exception in ZMQStream callback",
    "zmq.error.ZMQError: Socket operation on non-socket",
)


def _build_messages(stderr: str) -> str:
    """What a docs build said on stderr, less the kernels' one-line TCP notice (once per
    notebook: it would bury the error) and the kernel-shutdown race's traceback."""
    kept: list[str] = []
    block: list[str] | None = None  # a traceback under the race's header, being read
    for line in stderr.splitlines():
        if block is not None:
            block.append(line)
            if line.startswith((" ", "Traceback")):
                continue
            if line != _SHUTDOWN_RACE[1]:  # it ended as another error: kept
                kept.extend(block)
            block = None
            continue
        if line == _SHUTDOWN_RACE[0]:
            block = [line]
        elif "[IPKernelApp]" not in line and not line.startswith("Assertion failed: pfd.revents"):
            kept.append(line)
    return "\n".join(kept + (block or []))


@pytest.mark.slow
def test_docs_build_and_figures_render(built: Path) -> None:
    pages = list(built.rglob("*.html"))
    assert (built / "index.html").exists() and len(pages) > 5
    for page in pages:
        for src in _images(page):
            image = (page.parent / src).resolve()
            assert image.exists() and image.stat().st_size > 1000, (
                f"{page.name}: figure {src} missing or empty"
            )
    for name in MODEL_ONLY_TUTORIALS:
        page = built / "tutorials" / f"{name}.html"
        assert page.exists(), f"tutorial {name} not built"
        assert _images(page), f"tutorial {name} renders no figure"


@pytest.mark.slow
def test_data_pages_show_results_or_say_data_are_unavailable(built: Path) -> None:
    for name, result in DATA_PAGES.items():
        page = built / f"{name}.html"
        assert page.exists(), f"{name} not built"
        text = _outputs(page)
        assert result in text or UNAVAILABLE.search(text), (
            f"{name}: neither results nor an 'unavailable' message"
        )


@pytest.mark.slow
def test_reference_covers_modules_commands_and_metadata(
    built: Path, modules: dict[str, list[str]]
) -> None:
    for package, names in modules.items():
        page = (built / "reference" / "generated" / f"api_{package}.html").read_text(
            encoding="utf-8"
        )
        for module in names:
            assert f'id="module-{module}"' in page, f"module {module} missing from the API pages"

    import typer.main

    from enforcement_lab.cli import app

    cli = (built / "reference" / "cli.html").read_text(encoding="utf-8")
    headings = set(re.findall(r"<h[2-4][^>]*>([^<]+)", cli))
    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert name in headings, f"CLI command {name} missing from the CLI page"
        for sub in getattr(command, "commands", {}):
            assert sub in headings, f"CLI command {name} {sub} missing from the CLI page"

    datasets = _text(built / "reference" / "generated" / "datasets.html")
    assert "Comparison with Elliott." in datasets
    assert "Comparison with Barenberg." in datasets
    # coverage figures and change logs of the shipped data sets are rendered, not dumped
    assert "Coverage:" in datasets and "Changelog:" in datasets
    assert "version: 0.4.0; date: " in datasets and "{'version'" not in datasets


def _undocumented(repo_root: Path) -> list[str]:
    """Public functions, classes, methods and properties without a docstring.

    Sphinx's autodoc leaves out members with no docstring (``undoc-members`` is off), so
    each of these would be missing from the reference. Inherited docstrings count.
    """
    import importlib
    import inspect

    missing = []
    for names in _modules(repo_root).values():
        for modname in names:
            module = importlib.import_module(modname)
            if not inspect.getdoc(module):
                missing.append(modname)
            for name, obj in vars(module).items():
                if name.startswith("_") or getattr(obj, "__module__", None) != modname:
                    continue
                if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                    continue
                if not inspect.getdoc(obj):
                    missing.append(f"{modname}.{name}")
                if not inspect.isclass(obj):
                    continue
                for member, raw in vars(obj).items():
                    if member.startswith("_"):
                        continue
                    if isinstance(raw, property | staticmethod | classmethod) or inspect.isfunction(
                        raw
                    ):
                        target = raw if isinstance(raw, property) else getattr(obj, member)
                        if not inspect.getdoc(target):
                            missing.append(f"{modname}.{name}.{member}")
    return missing


def test_every_public_name_has_a_docstring(repo_root: Path) -> None:
    assert _undocumented(repo_root) == []


@pytest.mark.slow
def test_explorer_tutorial_degrades_to_a_static_view(built: Path) -> None:
    """Built pages have no kernel: each explorer shows its figure and says so."""
    raw = (built / "tutorials" / "explorer.html").read_text(encoding="utf-8")
    assert raw.count("data:image/png;base64,") >= 2
    assert _text(built / "tutorials" / "explorer.html").count("need a live Jupyter kernel") >= 2
    assert "rrm_probability = 1.0:" in _text(built / "tutorials" / "explorer.html")


@pytest.mark.slow
def test_front_door_and_offline_formulas(built: Path) -> None:
    """The landing page shows the two commands and its example's figure; MathJax is local."""
    index = built / "index.html"
    text = _text(index)
    assert "make test" in text and "make paper" in text
    assert _images(index), "the landing page's example draws no figure"
    scripts = [
        src
        for page in built.rglob("*.html")
        for src in re.findall(r'<script[^>]+src="([^"]+)"', page.read_text(encoding="utf-8"))
    ]
    assert not [s for s in scripts if s.startswith(("http:", "https:", "//"))], "a CDN script"
    assert any("mathjax/MathJax.js" in s for s in scripts)
    assert (built / "_static" / "mathjax" / "MathJax.js").is_file()


# ---------------------------------------------------------------- in a real browser
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium is not installed (.ci/run installs Debian's chromium package)",
)
_CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--virtual-time-budget=15000",
)


def _chromium(page: Path, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CHROMIUM, *_CHROMIUM_FLAGS, f"--user-data-dir={tmp / 'profile'}", *args, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def _screenshot(page: Path, tmp: Path) -> np.ndarray:
    shot = tmp / f"{page.stem}.png"
    run = _chromium(page, tmp, "--window-size=1280,2400", f"--screenshot={shot}")
    assert shot.is_file(), run.stderr[-2000:]
    return imread(shot)[..., :3]


def _ink_rows(image: np.ndarray) -> int:
    """Rows of the screenshot that are not blank (some pixel far from the background)."""
    background = np.median(image.reshape(-1, 3), axis=0)
    return int((np.abs(image - background).max(axis=2) > 0.25).any(axis=1).sum())


def _coloured_pixels(image: np.ndarray) -> float:
    """Share of saturated pixels: figures are coloured, text and rules are grey."""
    return float((image.max(axis=2) - image.min(axis=2) > 0.25).mean())


@needs_chromium
@pytest.mark.slow
@pytest.mark.parametrize(
    ("page", "figure"),
    [("index.html", True), ("tutorials/explorer.html", True), ("tutorials/designs.html", True)],
)
def test_docs_pages_render_in_a_browser(built: Path, tmp_path: Path, page: str, figure: bool):
    image = _screenshot(built / page, tmp_path)
    assert _ink_rows(image) > 400, f"{page} renders mostly blank"
    if figure:
        assert _coloured_pixels(image) > 0.003, f"{page} shows no coloured figure"
    dom = _chromium(built / page, tmp_path, "--dump-dom").stdout
    text = html.unescape(re.sub(r"<[^>]+>", " ", dom))
    assert "Traceback" not in text and "Error" not in re.sub(r"\w+Error\b", "", text)


@needs_chromium
@pytest.mark.slow
def test_formulas_are_typeset_offline(built: Path, tmp_path: Path):
    """MathJax (served from _static, no network here) typesets the formulas of a page."""
    page = built / "explanation" / "payoff-adjustment.html"
    assert 'class="math' in page.read_text(encoding="utf-8")
    dom = _chromium(page, tmp_path, "--dump-dom").stdout
    assert "MathJax" in dom and re.search(r'class="MathJax[_ A-Za-z]*"', dom), dom[-2000:]
    assert "Math input error" not in dom


@needs_chromium
@pytest.mark.slow
def test_executed_paper_renders_in_a_browser(repo_root: Path, tmp_path: Path):
    """A paper notebook executed as `make paper` does (quick grids, in a copy) shows its
    figures and tables in the browser, and no error."""
    from enforcement_lab.paper import execute_notebook

    shutil.copytree(repo_root / "papers" / "enforcement", tmp_path / "enforcement")
    page = execute_notebook(tmp_path / "enforcement" / "01_games.py", {"QUICK": True})
    image = _screenshot(page, tmp_path)
    assert _ink_rows(image) > 400 and _coloured_pixels(image) > 0.005
    dom = _chromium(page, tmp_path, "--dump-dom").stdout
    assert "<table" in dom and "Traceback" not in dom


def test_build_messages_drop_only_the_kernel_shutdown_race() -> None:
    race = [
        "ERROR:tornado.general:Uncaught exception in ZMQStream callback",
        "Traceback (most recent call last):",
        '  File "ipykernel/iostream.py", line 343, in schedule',
        '    self._event_pipe.send(b"")',
        "zmq.error.ZMQError: Socket operation on non-socket",
        "Assertion failed: pfd.revents & POLLIN (src/signaler.cpp:238)",
    ]
    notice = "[IPKernelApp] WARNING | Kernel is running over TCP without encryption."
    assert _build_messages("\n".join([notice, *race, notice])) == ""
    other = [*race[:4], "ValueError: boom"]
    assert _build_messages("\n".join(other)) == "\n".join(other)
    real = "docs/how-to/x.md:3: ERROR: Unknown directive type."
    assert _build_messages("\n".join([*race, real])) == real
