"""Sphinx configuration for the Enforcement Lab documentation.

Pages that can drift from the code are generated at build time from the code itself:
the API reference (every public module), the data-set reference (each data set's
metadata file and the external registry) and the CLI reference (from the typer app).
Tutorials and how-to guides are MyST notebooks executed on every build.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS))
sys.path.insert(0, str(ROOT))

import jupyter_server_mathjax  # noqa: E402
from _generate import generate_all  # noqa: E402
from sphinx.util.fileutil import copy_asset  # noqa: E402

# Built pages have no kernel behind them: interactive explorers render as a static figure
# with a note (the executing kernels inherit this environment variable).
os.environ["ENFORCEMENT_LAB_STATIC"] = "1"

project = "Enforcement Lab"
author = "Enforcement Lab developers"
copyright = "2026, Enforcement Lab developers"
try:
    from enforcement_lab import __version__ as release
except ImportError:  # pragma: no cover
    release = "unknown"
version = release

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "sphinxcontrib.typer",
]

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "**.ipynb_checkpoints", "README.md"]
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3

# Notebooks run on every build, so a tutorial can never drift from the code.
nb_execution_mode = "force"
nb_execution_timeout = 600
nb_execution_raise_on_error = True
nb_merge_streams = True
# Markdown outputs (tables generated from the code) are parsed as MyST: roles, tables.
nb_render_markdown_format = "myst"

autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": True}
autodoc_typehints = "description"
autodoc_member_order = "bysource"
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
# Attributes sections as :ivar: fields: with autodoc also documenting dataclass fields,
# `.. attribute::` directives would describe every field twice (a -W error).
napoleon_use_ivar = True
# "ref.python": a word of a NumPy-style type ("tuple of (str, value) pairs") that names
# two documented attributes is an ambiguous cross-reference; it renders as plain text.
suppress_warnings = ["mystnb.unknown_mime_type", "myst.header", "ref.python"]

html_theme = "pydata_sphinx_theme"
html_title = "Enforcement Lab"
html_static_path = ["_static"]
html_theme_options = {"navigation_with_keys": False, "show_toc_level": 2}

# Formulas render offline: MathJax is served from the built site (a replication package is
# read without a network), copied from the jupyter-server-mathjax package (BSD; MathJax
# 2.7 under the Apache licence) instead of a CDN.
MATHJAX_SOURCE = Path(jupyter_server_mathjax.__file__).resolve().parent / "static"
mathjax_path = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"
# MathJax 2 reads its own configuration: typeset Sphinx's math spans (class "math") and
# notebook outputs, with Sphinx's \( \) and \[ \] delimiters; myst-nb's MathJax 3
# configuration is left out.
myst_update_mathjax = False
mathjax2_config = {
    "tex2jax": {
        "inlineMath": [["\\(", "\\)"]],
        "displayMath": [["\\[", "\\]"]],
        "processClass": "math|output_area",
        "ignoreClass": "tex2jax_ignore|mathjax_ignore",
        "processEscapes": True,
    }
}


def _copy_mathjax(app, exc):
    """Copy MathJax into ``_static/mathjax`` of a finished HTML build."""
    if exc is None and app.builder.format == "html":
        copy_asset(str(MATHJAX_SOURCE), str(Path(app.outdir) / "_static" / "mathjax"))


_LETTERED = re.compile(r"^\s*\([a-z]\) ")


def _separate_lettered_items(app, what, name, obj, options, lines):
    """Put a blank line before each "(a) ..." item of a docstring.

    reST reads "(a) ... (c) ... (b)" without blank lines as one list that ends early
    (a -W error); separated, each item renders as its own list, in the author's order.
    """
    i = 1
    while i < len(lines):
        if _LETTERED.match(lines[i]) and lines[i - 1].strip():
            lines.insert(i, "")
            i += 1
        i += 1


def setup(app):  # Sphinx hook
    generate_all(ROOT, DOCS / "reference" / "generated")
    app.connect("autodoc-process-docstring", _separate_lettered_items)
    app.connect("build-finished", _copy_mathjax)
