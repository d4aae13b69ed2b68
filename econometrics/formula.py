"""Model formulas in the fixest/pyfixest grammar, evaluated safely on panels.

A formula names the outcome, the regressors and the absorbed fixed effects in one line::

    CIRI_WORKER ~ polity2 + log(gdppc) + C(wb_region, base="ECS") + lag(trade, 1)
                  + diff(fdi) + polity2:logtrade | iso3 + year

The part after ``|`` lists the fixed effects: the panel's entity and time columns (or the
words ``entity`` and ``time``), as in fixest (Bergé 2018) and pyfixest. The right-hand side
is parsed and encoded by formulaic (``+``, ``-``, ``:`` interactions, ``*`` and ``(a + b)**2``
expansions; treatment-coded factors labelled ``C(region)[T.ECS]``), with these functions:

==========================  ==============================================================
``log``, ``exp``,           element-wise transformations (NumPy)
``sqrt``, ``abs``
``I(expr)``                 arithmetic on columns (``+ - * / **``) as one regressor
``C(x)``, ``C(x, base=v)``  a factor (one dummy per level but the base level, which is the
                            first level unless ``base`` names one)
``lag(x, k)``               ``x`` of the same entity ``k`` periods earlier (default 1),
                            named ``Lk.x``
``lead(x, k)``              ``k`` periods later, named ``Fk.x``
``diff(x, k)``              ``x - lag(x, k)``, named ``Dk.x``
==========================  ==============================================================

Lags, leads and differences are **panel-aware**: matched by the time *value* within each
entity, so a gap in the time index (a missing year) gives a missing lag instead of the
previous row's value (Stata's ``L.`` and ``D.`` operators under ``xtset``, fixest's ``l()``
and ``d()``). :func:`enforcement_lab.data.lags.panel_shift` is the one implementation
used everywhere in the toolkit: by formulas, by ``Spec.lags``, by the robustness
multiverse and by :func:`enforcement_lab.data.build_panel`; results name shifted terms
with :func:`enforcement_lab.data.lags.lag_name` (``L1.x``, ``F1.x``, ``D1.x``, Stata's
operators).

Multiple estimation (pyfixest's shorthands): ``sw(a, b)`` gives one model with ``a`` and
one with ``b``; ``sw0`` adds a model without either; ``csw(a, b)`` gives ``a`` then
``a + b`` (cumulative); ``csw0`` adds the model without them. They may stand for the
outcome (``sw(y1, y2) ~ x``) and for one group of regressors; :func:`expand` turns a
formula into the list of single formulas.

**Trust model.** A formula is data (it comes from a spec file that scholars exchange),
but formulaic evaluates factors as Python. So every factor is parsed with :mod:`ast`
first and refused (:class:`~enforcement_lab.errors.SpecError` naming the term) unless it
is built only from column names, numbers, the arithmetic operators and the functions
above; attribute access, subscripts, lambdas, comprehensions, dunder names and any other
call are errors, and evaluation sees only the data and the whitelisted functions.

Examples
--------
>>> expand("sw(y1, y2) ~ x + csw0(a, b)")  # doctest: +NORMALIZE_WHITESPACE
['y1 ~ x', 'y1 ~ x + a', 'y1 ~ x + a + b', 'y2 ~ x', 'y2 ~ x + a', 'y2 ~ x + a + b']
>>> f = parse("y ~ x + lag(z, 2) + C(r, base='b') | iso3 + year")
>>> f.outcome, f.terms, f.effects
('y', ('x', 'lag(z, 2)', "C(r, base='b')"), ('iso3', 'year'))
>>> sorted(f.variables)
['r', 'x', 'y', 'z']
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from enforcement_lab.data.lags import lag_name, panel_shift, shift_columns
from enforcement_lab.errors import SpecError

#: Functions a formula may call, and their number of positional arguments (min, max).
FUNCTIONS = {
    "log": (1, 1),
    "exp": (1, 1),
    "sqrt": (1, 1),
    "abs": (1, 1),
    "I": (1, 1),
    "C": (1, 1),
    "lag": (1, 2),
    "lead": (1, 2),
    "diff": (1, 2),
}
#: Multiple-estimation shorthands (pyfixest's ``sw``, ``sw0``, ``csw``, ``csw0``).
MULTIPLE = ("sw", "sw0", "csw", "csw0")
_PANEL = {"lag": "L", "lead": "F", "diff": "D"}  # the prefixes of lag_name
#: The functions that need an (entity, time) index.
PANEL_FUNCTIONS = tuple(_PANEL)
_ALLOWED_NODES = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.keyword,
    ast.Load,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.Pow,
    ast.USub,
    ast.UAdd,
)
_MULTI_RE = re.compile(r"(?<![\w.`])(csw0|csw|sw0|sw)\s*\(")


def _lag(values: pd.Series, k: int = 1) -> pd.Series:
    return panel_shift(values, k)


def _lead(values: pd.Series, k: int = 1) -> pd.Series:
    return panel_shift(values, -k)


def _diff(values: pd.Series, k: int = 1) -> pd.Series:
    return values - panel_shift(values, k)


# ---------------------------------------------------------------------------- parsing
@dataclass(frozen=True)
class ParsedFormula:
    """One formula, checked: outcome and right-hand-side terms as formulaic writes them,
    fixed-effect names (after ``|``) and the data columns it reads."""

    text: str
    outcome: str
    terms: tuple[str, ...]
    effects: tuple[str, ...]
    variables: frozenset[str]

    def effect_kinds(self, entity: str, time: str) -> tuple[str, ...]:
        """The fixed effects as ``entity``/``time`` given the panel's index columns."""
        kinds = []
        for name in self.effects:
            kind = {entity: "entity", time: "time", "entity": "entity", "time": "time"}.get(name)
            if kind is None:
                raise SpecError(
                    f"formula {self.text!r}: fixed effect {name!r} is neither the entity "
                    f"({entity!r}) nor the time ({time!r}) column"
                )
            kinds.append(kind)
        if len(set(kinds)) != len(kinds):
            raise SpecError(f"formula {self.text!r}: a fixed effect is listed twice")
        return tuple(kinds)


def _split_top(text: str, sep: str) -> list[str]:
    """Split at ``sep`` outside parentheses, brackets and quotes."""
    parts, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"`":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _multiple(side: str, text: str) -> list[str]:
    """The alternatives of one side with at most one ``sw``/``csw`` group expanded."""
    found = list(_MULTI_RE.finditer(side))
    if not found:
        return [side]
    if len(found) > 1:
        raise SpecError(f"formula {text!r}: one sw()/csw() group per side at most")
    m = found[0]
    depth, end = 0, None
    for i in range(m.end() - 1, len(side)):
        depth += {"(": 1, ")": -1}.get(side[i], 0)
        if depth == 0:
            end = i
            break
    if end is None:
        raise SpecError(f"formula {text!r}: unbalanced parentheses in {m.group(1)}()")
    args = [a.strip() for a in _split_top(side[m.end() : end], ",")]
    if not all(args):
        raise SpecError(f"formula {text!r}: {m.group(1)}() has an empty argument")
    kind = m.group(1)
    if kind.startswith("csw"):
        alts = [" + ".join(args[: i + 1]) for i in range(len(args))]
    else:
        alts = list(args)
    if kind.endswith("0"):
        alts = ["", *alts]
    head, tail = side[: m.start()], side[end + 1 :]
    out = []
    for alt in alts:
        if alt:
            out.append(head + alt + tail)
        else:  # drop the group and the '+' that joined it
            h, t = head.rstrip(), tail.lstrip()
            if h.endswith("+"):
                h = h[:-1].rstrip()
            elif t.startswith("+"):
                t = t[1:].lstrip()
            joined = (h + " " + t).strip() if h and t else (h or t)
            out.append(joined or "1")
    return [re.sub(r"\s+", " ", o).strip() for o in out]


def expand(formula: str) -> list[str]:
    """The single formulas of a formula with multiple-estimation shorthands (``sw``,
    ``sw0``, ``csw``, ``csw0``), outcomes varying slowest; a plain formula is itself."""
    if not isinstance(formula, str) or "~" not in formula:
        raise SpecError(f"formula {formula!r} must be a string 'outcome ~ terms [| effects]'")
    lhs, _, rest = formula.partition("~")
    pieces = _split_top(rest, "|")
    rhs, fe = pieces[0], "|".join(pieces[1:])
    out = []
    for left in _multiple(lhs.strip(), formula):
        for right in _multiple(rhs.strip(), formula):
            out.append(f"{left} ~ {right}" + (f" | {fe.strip()}" if len(pieces) > 1 else ""))
    return out


def _check_expr(expr: str, term: str, text: str) -> set[str]:
    """Refuse anything but names, numbers, arithmetic and whitelisted calls; the names read."""
    where = f"formula {text!r}, term {term!r}"
    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError:
        raise SpecError(f"{where}: {expr!r} is not a valid expression") from None
    names: set[str] = set()
    calls: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                what = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
                raise SpecError(
                    f"{where}: function {what!r} is not allowed; use {', '.join(FUNCTIONS)}"
                )
            fn = node.func.id
            calls.add(id(node.func))
            lo, hi = FUNCTIONS[fn]
            if not lo <= len(node.args) <= hi or any(isinstance(a, ast.Starred) for a in node.args):
                raise SpecError(f"{where}: {fn}() takes {lo} to {hi} arguments")
            allowed_kw = {"base"} if fn == "C" else ({"k"} if fn in _PANEL else set())
            for kw in node.keywords:
                if kw.arg not in allowed_kw:
                    raise SpecError(f"{where}: {fn}() has no argument {kw.arg!r}")
                if not isinstance(kw.value, ast.Constant):
                    raise SpecError(f"{where}: {fn}({kw.arg}=...) must be a literal value")
            if fn in _PANEL:
                k_nodes = node.args[1:] + [kw.value for kw in node.keywords]
                for kn in k_nodes:
                    if not (
                        isinstance(kn, ast.Constant)
                        and isinstance(kn.value, int)
                        and not isinstance(kn.value, bool)
                        and kn.value >= 1
                    ):
                        raise SpecError(f"{where}: the periods of {fn}() must be an integer >= 1")
        elif isinstance(node, ast.Name):
            if node.id.startswith("_"):
                raise SpecError(f"{where}: name {node.id!r} is not allowed")
        elif isinstance(node, ast.Constant):
            if not isinstance(node.value, int | float | str) or isinstance(node.value, bool):
                raise SpecError(f"{where}: literal {node.value!r} is not allowed")
        elif not isinstance(node, _ALLOWED_NODES):
            raise SpecError(
                f"{where}: {type(node).__name__.lower()} expressions are not allowed "
                "(only column names, numbers, + - * / ** and the formula functions)"
            )
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and id(node) not in calls:
            names.add(node.id)
    # string literals only as C(base=...)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) != "C":
            if any(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args):
                raise SpecError(f"{where}: a text literal is allowed only as C(x, base=...)")
    return names


def _factors(terms: object, text: str, side: str) -> tuple[list[str], set[str]]:
    from formulaic.parser.types import Factor

    labels: list[str] = []
    names: set[str] = set()
    for term in terms:  # type: ignore[attr-defined]
        label = str(term)
        if label == "1":
            continue
        for factor in term.factors:
            method = factor.eval_method
            if method == Factor.EvalMethod.LOOKUP:
                if factor.expr.startswith("_"):
                    raise SpecError(f"formula {text!r}: name {factor.expr!r} is not allowed")
                names.add(factor.expr)
            elif method == Factor.EvalMethod.PYTHON:
                names |= _check_expr(factor.expr, label, text)
            else:
                raise SpecError(
                    f"formula {text!r}: literal {factor.expr!r} in the {side}; the estimator "
                    "decides the constant (no '0', '-1' or numbers as terms)"
                )
        labels.append(label)
    return labels, names


def parse(formula: str) -> ParsedFormula:
    """Check one formula (no ``sw``/``csw``): grammar, whitelisted functions, effects.

    Raises
    ------
    SpecError
        Syntax errors, a function or construct outside the whitelist, an empty side,
        several outcomes, a multiple-estimation shorthand (use :func:`expand` first).
    """
    from formulaic import Formula
    from formulaic.errors import FormulaicError

    if not isinstance(formula, str) or "~" not in formula:
        raise SpecError(f"formula {formula!r} must be a string 'outcome ~ terms [| effects]'")
    if "__" in formula:
        raise SpecError(f"formula {formula!r}: double underscores are not allowed")
    if _MULTI_RE.search(formula):
        raise SpecError(f"formula {formula!r}: expand sw()/csw() into single formulas first")
    lhs, _, rest = formula.partition("~")
    pieces = _split_top(rest, "|")
    if len(pieces) > 2:
        raise SpecError(f"formula {formula!r}: one '|' at most (fixed effects after it)")
    effects: tuple[str, ...] = ()
    if len(pieces) == 2:
        effects = tuple(e.strip().strip("`") for e in pieces[1].split("+"))
        if not all(effects) or any(not re.fullmatch(r"[\w. ]+", e) for e in effects):
            raise SpecError(
                f"formula {formula!r}: the fixed effects after '|' must be column names "
                "joined by '+' (entity and/or time)"
            )
    body = f"{lhs} ~ {pieces[0]}"
    try:
        parsed = Formula(body, _ordering="none")
        rhs_terms, lhs_terms = parsed.rhs, parsed.lhs
    except FormulaicError as exc:
        first = str(exc).splitlines()[0]
        raise SpecError(f"formula {formula!r} is not valid: {first}") from None
    except SyntaxError as exc:
        raise SpecError(f"formula {formula!r} is not valid: {exc.msg}") from None
    out_labels, out_names = _factors(lhs_terms, formula, "outcome")
    if len(out_labels) != 1:
        raise SpecError(f"formula {formula!r} must have exactly one outcome, got {out_labels}")
    terms, names = _factors(rhs_terms, formula, "right-hand side")
    if not terms:
        raise SpecError(f"formula {formula!r} has no regressor")
    if "1" not in {str(t) for t in rhs_terms}:
        raise SpecError(
            f"formula {formula!r}: removing the intercept ('0', '-1') is not supported; the "
            "estimator decides the constant"
        )
    return ParsedFormula(
        text=formula.strip(),
        outcome=out_labels[0],
        terms=tuple(terms),
        effects=effects,
        variables=frozenset(out_names | names),
    )


# ---------------------------------------------------------------------------- display names
def _display(node: ast.AST) -> str:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        fn = node.func.id
        inner = _display(node.args[0]) if node.args else ""
        if fn in _PANEL:
            ks = [a for a in node.args[1:]] + [kw.value for kw in node.keywords]
            k = ks[0].value if ks else 1  # type: ignore[attr-defined]
            return lag_name(inner, int(k), fn)
        if fn == "C":
            return f"C({inner})"
        return f"{fn}({', '.join(_display(a) for a in node.args)})"
    if isinstance(node, ast.Name):
        return node.id
    return ast.unparse(node)


def display_name(expr: str) -> str:
    """The label of a formula factor in results: ``lag(x, 1)`` -> ``L1.x``,
    ``C(r, base='b')`` -> ``C(r)``, others as written.

    Examples
    --------
    >>> display_name("lag(log(x), 2)"), display_name("C(r, base='b')"), display_name("diff(x)")
    ('L2.log(x)', 'C(r)', 'D1.x')
    """
    try:
        return _display(ast.parse(expr, mode="eval").body)
    except SyntaxError:
        return expr


# ---------------------------------------------------------------------------- evaluation
@dataclass(frozen=True)
class Design:
    """A formula evaluated on a panel: the outcome, the regressor columns (named for
    results: ``x``, ``log(x)``, ``L1.x``, ``C(region)[T.ECS]``, ``x:z``), which term each
    column belongs to, and rows that are missing because a factor is missing."""

    outcome: pd.Series
    regressors: pd.DataFrame
    term_of: dict[str, str]
    missing: pd.Series


def evaluate(parsed: ParsedFormula, frame: pd.DataFrame) -> Design:
    """Evaluate ``parsed`` on ``frame`` (indexed by (entity, time); every row kept).

    Raises
    ------
    SpecError
        An unknown variable, a factor with fewer than two levels, or a term formulaic
        cannot evaluate (the message names the term).
    """
    from formulaic import Formula
    from formulaic.errors import FormulaicError
    from formulaic.transforms.contrasts import C as formulaic_C
    from formulaic.transforms.contrasts import TreatmentContrasts

    unknown = sorted(v for v in parsed.variables if v not in frame.columns)
    if unknown:
        raise SpecError(
            f"formula {parsed.text!r}: unknown variable(s) {unknown} (not columns of the data)"
        )
    missing = pd.Series(False, index=frame.index)

    def factor(values: pd.Series, base: object = None) -> object:
        series = pd.Series(values)
        na = series.isna().to_numpy()
        if na.any():
            missing.iloc[np.flatnonzero(na)] = True
        levels = pd.unique(series.dropna())
        if len(levels) < 2:
            raise SpecError(
                f"formula {parsed.text!r}: factor C({series.name or '...'}) has "
                f"{len(levels)} level(s); a factor needs at least two"
            )
        if base is not None:
            match = [lv for lv in levels if lv == base or str(lv) == str(base)]
            if not match:
                shown = sorted(map(str, levels))[:10]
                raise SpecError(
                    f"formula {parsed.text!r}: base {base!r} is not a level of "
                    f"{series.name or 'the factor'} (levels: {shown})"
                )
            return formulaic_C(series, TreatmentContrasts(base=match[0]))
        return formulaic_C(series)

    context = {
        "log": np.log,
        "exp": np.exp,
        "sqrt": np.sqrt,
        "abs": np.abs,
        "I": lambda v: v,
        "C": factor,
        "lag": _lag,
        "lead": _lead,
        "diff": _diff,
    }
    text = parsed.outcome + " ~ " + " + ".join(parsed.terms)
    for col in parsed.variables:  # a text column entered without C() is a factor too
        values = frame[col]
        if not pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            missing |= values.isna()
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            mm = Formula(text, _ordering="none").get_model_matrix(
                frame, context=context, na_action="ignore"
            )
    except FormulaicError as exc:
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, SpecError):
                raise cause from None
            cause = cause.__cause__ or cause.__context__
        first = str(exc).splitlines()[0]
        raise SpecError(f"formula {parsed.text!r}: {first}") from None
    rhs = mm.rhs
    names: dict[str, str] = {}
    term_of: dict[str, str] = {}
    for term, cols in rhs.model_spec.term_slices.items():
        label = str(term)
        if label == "1":
            continue
        exprs = [f.expr for f in term.factors]
        for col in list(rhs.columns[cols]):
            names[col] = _rename(col, exprs)
            term_of[names[col]] = label
    x = rhs.drop(columns=[c for c in rhs.columns if c not in names]).rename(columns=names)
    x = x.astype(float)
    y = pd.Series(np.asarray(mm.lhs.iloc[:, 0], dtype=float), index=frame.index)
    y.name = display_name(parsed.outcome)
    bad = [c for c in x.columns if np.isinf(x[c].to_numpy()).any()]
    if bad:
        raise SpecError(
            f"formula {parsed.text!r}: {bad} have infinite values (log of zero?); "
            "transform the data or restrict the sample"
        )
    return Design(outcome=y, regressors=x, term_of=term_of, missing=missing)


def _rename(column: str, exprs: Sequence[str]) -> str:
    """Replace each factor's expression in a formulaic column name by its display name."""
    out, pos = [], 0
    for i, expr in enumerate(exprs):
        if not column.startswith(expr, pos):
            return column
        pos += len(expr)
        if i + 1 < len(exprs):
            nxt = column.find(":" + exprs[i + 1], pos)
            if nxt < 0:
                return column
            suffix, pos = column[pos:nxt], nxt + 1
        else:
            suffix, pos = column[pos:], len(column)
        out.append(display_name(expr) + suffix)
    return ":".join(out)


__all__ = [
    "FUNCTIONS",
    "MULTIPLE",
    "PANEL_FUNCTIONS",
    "Design",
    "ParsedFormula",
    "display_name",
    "evaluate",
    "expand",
    "lag_name",
    "panel_shift",
    "parse",
    "shift_columns",
]
