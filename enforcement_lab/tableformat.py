"""The one table writer: escaping, number formatting and Markdown/LaTeX/HTML rendering.

Every table the toolkit writes -- the regression tables of
:func:`econometrics.tables.compare`, the paper's tables
(:class:`enforcement_lab.paper.PaperOutputs`), the robustness report -- goes through these
functions, so a cell is escaped, a number rounded and a rule drawn the same way
everywhere:

- **Markdown**: GitHub-flavoured pipe tables; ``|`` in a cell is escaped and a line break
  becomes a space (either would break the row).
- **LaTeX**: a ``table`` float with a ``tabular`` ruled in the ``booktabs`` style
  (``\\toprule``, ``\\midrule``, ``\\bottomrule``; the package must be loaded), the
  publication standard, which omits vertical rules and spaces the horizontal ones;
  LaTeX's ten special characters are escaped in one pass, so an escape is never escaped
  again.
- **HTML**: ``<table>`` with ``<thead>``, ``<tbody>`` and a ``<tfoot>`` for notes, every
  cell escaped by :func:`html.escape`.

The functions take cells already formatted as strings (:func:`format_value`), or a frame
(:func:`frame_to_markdown`, :func:`frame_to_latex`, :func:`frame_to_html`).
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

#: LaTeX's special characters and their escapes (replaced in one pass).
LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}

Digits = int | str | Mapping[str, int | str]


def tex_escape(text: str) -> str:
    r"""Escape LaTeX's special characters (each character once).

    Examples
    --------
    >>> tex_escape("15/32 & 47% of C_138")
    '15/32 \\& 47\\% of C\\_138'
    """
    return "".join(LATEX_SPECIAL.get(ch, ch) for ch in str(text))


def md_escape(text: str) -> str:
    r"""A Markdown table cell: ``|`` escaped, line breaks made spaces.

    Examples
    --------
    >>> md_escape("a|b\nc")
    'a\\|b c'
    """
    return str(text).replace("|", "\\|").replace("\n", " ")


def format_value(value: object, digits: int | str = 3) -> str:
    """Format one table cell: fixed decimals for floats, ``""`` for missing values.

    ``digits`` is a number of decimals, or a format spec such as ``".2e"``. Booleans read
    ``yes``/``no``; a rounded negative zero is written without its sign.

    Examples
    --------
    >>> [format_value(v) for v in (0.1234567, 2, None, float("nan"), "GSP", True, -0.0)]
    ['0.123', '2', '', '', 'GSP', 'yes', '0.000']
    >>> format_value(2.75e-5, ".2e")
    '2.75e-05'
    """
    import numpy as np
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return "yes" if bool(value) else "no"
    if isinstance(value, np.integer):
        return str(int(value))
    if isinstance(value, np.floating):
        value = float(value)
    if isinstance(value, float):
        if isinstance(digits, str):
            return "" if math.isnan(value) else format(value, digits)
        if math.isnan(value):
            return ""
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        text = f"{value:.{digits}f}"
        return "0." + "0" * digits if text == "-0." + "0" * digits else text
    return str(value)


def frame_cells(frame: pd.DataFrame, digits: Digits = 3) -> list[list[str]]:
    """Every cell of ``frame`` (index dropped) through :func:`format_value`; ``digits`` may
    be given per column as a mapping (missing columns: 3)."""
    rows = []
    for record in frame.itertuples(index=False, name=None):
        row = []
        for col, v in zip(frame.columns, record, strict=True):
            d = digits.get(str(col), 3) if isinstance(digits, Mapping) else digits
            row.append(format_value(v, d))
        rows.append(row)
    return rows


def numeric_columns(frame: pd.DataFrame) -> list[bool]:
    """Which columns hold numbers (booleans are not): they are right-aligned."""
    import pandas as pd

    return [
        pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
        for c in frame.columns
    ]


def markdown_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    align: Sequence[str] | None = None,
    caption: str | None = None,
    notes: Sequence[str] = (),
) -> str:
    """A pipe table of string cells; ``align`` holds one of ``l``, ``r``, ``c`` (or ``""``,
    unaligned) per column; the caption goes above in bold, the notes below, one paragraph
    each.

    Examples
    --------
    >>> print(markdown_table(["a", "b|c"], [["1", "x"]], align="rl", notes=["n."]))
    | a | b\\|c |
    |---:|:---|
    | 1 | x |
    <BLANKLINE>
    n.
    """
    marks = {"l": ":---", "r": "---:", "c": ":---:", "": "---"}
    align = align if align is not None else [""] * len(header)
    lines = [f"**{caption}**", ""] if caption else []
    lines += [
        "| " + " | ".join(md_escape(h) for h in header) + " |",
        "|" + "|".join(marks[a] for a in align) + "|",
    ]
    lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows]
    if notes:
        lines += ["", *notes]
    return "\n".join(lines)


def latex_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    colspec: str,
    caption: str | None = None,
    label: str | None = None,
    notes: Sequence[str] = (),
    midrules: Sequence[int] = (),
    escape: bool = True,
) -> str:
    r"""A booktabs ``table`` float: ``\toprule``, the header, ``\midrule``, the rows (with a
    ``\midrule`` before each row index in ``midrules``), ``\bottomrule``, then the notes in
    a small paragraph. ``escape=False`` takes cells already in LaTeX.

    Examples
    --------
    >>> print(latex_table(["term", "(1)"], [["x_1", "0.5"]], colspec="lc", notes=["50%"]))
    \begin{table}[htbp]
    \centering
    \begin{tabular}{lc}
    \toprule
    term & (1) \\
    \midrule
    x\_1 & 0.5 \\
    \bottomrule
    \end{tabular}
    \par\smallskip\footnotesize 50\%
    \end{table}
    """
    esc = tex_escape if escape else str
    lines = [r"\begin{table}[htbp]", r"\centering"]
    if caption:
        lines.append(rf"\caption{{{tex_escape(caption)}}}")
    if label:
        lines.append(rf"\label{{{label}}}")
    lines += [
        rf"\begin{{tabular}}{{{colspec}}}",
        r"\toprule",
        " & ".join(esc(h) for h in header) + r" \\",
        r"\midrule",
    ]
    breaks = set(midrules)
    for i, row in enumerate(rows):
        if i in breaks:
            lines.append(r"\midrule")
        lines.append(" & ".join(esc(c) for c in row) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}"]
    if notes:
        lines.append(r"\par\smallskip\footnotesize " + " ".join(esc(n) for n in notes))
    lines.append(r"\end{table}")
    return "\n".join(lines)


def html_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    notes: Sequence[str] = (),
    midrules: Sequence[int] = (),
    css_class: str | None = None,
    caption: str | None = None,
) -> str:
    """An HTML ``<table>``: a ``<thead>`` row, the body (a top border on each row index in
    ``midrules``), and the notes in a ``<tfoot>`` spanning every column.

    Examples
    --------
    >>> print(html_table(["a"], [["<1>"]], notes=["n"]))
    <table>
    <thead><tr><th>a</th></tr></thead>
    <tbody>
    <tr><td>&lt;1&gt;</td></tr>
    </tbody>
    <tfoot><tr><td colspan="1">n</td></tr></tfoot>
    </table>
    """
    opening = f'<table class="{html.escape(css_class)}">' if css_class else "<table>"
    lines = [opening]
    if caption:
        lines.append(f"<caption>{html.escape(caption)}</caption>")
    lines.append(
        "<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header) + "</tr></thead>"
    )
    lines.append("<tbody>")
    breaks = set(midrules)
    for i, row in enumerate(rows):
        style = ' style="border-top:1px solid"' if i in breaks else ""
        lines.append(f"<tr{style}>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>")
    lines.append("</tbody>")
    if notes:
        span = len(header)
        lines.append(
            "<tfoot>"
            + "".join(f'<tr><td colspan="{span}">{html.escape(n)}</td></tr>' for n in notes)
            + "</tfoot>"
        )
    lines.append("</table>")
    return "\n".join(lines)


def frame_to_markdown(
    frame: pd.DataFrame, caption: str, notes: Sequence[str] = (), digits: Digits = 3
) -> str:
    """Render ``frame`` as a captioned GitHub Markdown table (index dropped; reset it first);
    numeric columns right-aligned.

    Examples
    --------
    >>> import pandas as pd
    >>> print(frame_to_markdown(pd.DataFrame({"a": [1.0], "b": ["x|y"]}), "T", ["n."]))
    **T**
    <BLANKLINE>
    | a | b |
    |---:|:---|
    | 1.000 | x\\|y |
    <BLANKLINE>
    n.
    <BLANKLINE>
    """
    align = ["r" if num else "l" for num in numeric_columns(frame)]
    header = [str(c) for c in frame.columns]
    body = markdown_table(
        header, frame_cells(frame, digits), align=align, caption=caption, notes=notes
    )
    return body + "\n"


def frame_to_latex(
    frame: pd.DataFrame,
    caption: str,
    label: str,
    notes: Sequence[str] = (),
    digits: Digits = 3,
) -> str:
    """Render ``frame`` as a booktabs ``table`` with caption, label ``tab:<label>`` and notes;
    numeric columns right-aligned."""
    colspec = "".join("r" if num else "l" for num in numeric_columns(frame))
    return (
        latex_table(
            [str(c) for c in frame.columns],
            frame_cells(frame, digits),
            colspec=colspec,
            caption=caption,
            label=f"tab:{label}",
            notes=[" ".join(notes)] if notes else (),
        )
        + "\n"
    )


def frame_to_html(
    frame: pd.DataFrame, caption: str | None = None, notes: Sequence[str] = (), digits: Digits = 3
) -> str:
    """Render ``frame`` (index dropped) as an HTML table with an optional caption and notes."""
    return html_table(
        [str(c) for c in frame.columns],
        frame_cells(frame, digits),
        notes=notes,
        caption=caption,
    )


__all__ = [
    "LATEX_SPECIAL",
    "format_value",
    "frame_cells",
    "frame_to_html",
    "frame_to_latex",
    "frame_to_markdown",
    "html_table",
    "latex_table",
    "markdown_table",
    "md_escape",
    "numeric_columns",
    "tex_escape",
]
