"""Row-selection expressions that are data, never code.

A spec file's ``[data] sample`` (``"year >= 1985 and region != 'ECS'"``) selects the
estimation sample. Spec files are exchanged between scholars, so the string must not be
able to run anything: pandas' ``DataFrame.query`` with its Python engine resolves
attributes and calls (``@self.replace.__func__.__globals__...`` reaches ``os.system``),
and even its ``numexpr`` engine falls back to Python for many expressions. This module
is a small language of its own instead. The text is parsed by :func:`ast.parse` in
``eval`` mode (Python's own grammar, so precedence and chained comparisons behave as a
Python or pandas user expects), then every node of the tree is checked against a strict
whitelist *before* anything is evaluated, and the checked tree is evaluated by a walker
that only knows the operations below, vectorised on the frame's columns.

The language
------------
* column names (``year``; a name that is not a Python identifier in backticks,
  ``` `GDP per capita` ```), checked against the frame's columns;
* constants: numbers, strings in single or double quotes, ``True`` and ``False``;
* comparisons ``== != < <= > >=``, chained (``1990 <= year <= 2000``);
* ``in`` and ``not in`` a list or tuple of constants (``iso3 in ['USA', 'CAN']``);
* ``and``, ``or``, ``not`` (and pandas' ``&``, ``|``, ``~`` for the same);
* arithmetic ``+ - * /`` and unary minus on columns and numbers;
* ``isna(column)`` and ``notna(column)``.

Anything else (attribute access, subscripts, calls of other names, ``**``, lambdas,
comprehensions, f-strings, names starting with an underscore, ``@`` variables) is
refused with a :class:`~enforcement_lab.errors.SpecError` naming the expression and the
construct. A missing value never satisfies a comparison (as in pandas), so rows where a
compared column is missing are dropped.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"year": [1980, 1990, 2000], "iso3": ["USA", "CAN", "MEX"]})
>>> select(df, "year >= 1985 and iso3 in ['CAN', 'MEX']")["iso3"].tolist()
['CAN', 'MEX']
>>> select(df, "__import__('os')")
Traceback (most recent call last):
...
enforcement_lab.errors.SpecError: data.sample "__import__('os')": calling '__import__' is not allowed (only isna(column) and notna(column))
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from enforcement_lab.errors import SpecError

__all__ = ["MAX_LENGTH", "Expression", "compile_expression", "select"]

#: Longest expression accepted (characters); a sample filter is a line, not a program.
MAX_LENGTH = 2000
#: Most nodes in the parsed tree (bounds evaluation time and recursion depth).
MAX_NODES = 500

_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_ARITHMETIC: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_LOGICAL_BINOP = {ast.BitAnd: "and", ast.BitOr: "or"}
_FUNCTIONS = ("isna", "notna")
_BACKTICK = "_bt{}_"

# what a refused node is called in the message
_NAMES: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access ('.')",
    ast.Subscript: "subscripts ('[...]')",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.JoinedStr: "f-strings",
    ast.FormattedValue: "f-strings",
    ast.IfExp: "conditional expressions ('x if c else y')",
    ast.NamedExpr: "assignment (':=')",
    ast.Starred: "starred expressions",
    ast.Dict: "dictionaries",
    ast.Set: "sets (use a list: [a, b])",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "slices",
}


def _refuse(text: str, what: str, where: str) -> SpecError:
    return SpecError(f'{where} "{text}": {what}')


def _replace_backticks(text: str, where: str) -> tuple[str, dict[str, str]]:
    """``` `a b` > 1``` -> ``_bt0_ > 1`` and ``{"_bt0_": "a b"}``, leaving quoted strings alone."""
    out: list[str] = []
    names: dict[str, str] = {}
    quote: str | None = None
    i = 0
    while i < len(text):
        ch = text[i]
        if quote is not None:
            out.append(ch)
            if ch == "\\" and i + 1 < len(text):
                out.append(text[i + 1])
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "`":
            end = text.find("`", i + 1)
            if end < 0:
                raise _refuse(text, "a backtick-quoted column name is not closed", where)
            key = _BACKTICK.format(len(names))
            names[key] = text[i + 1 : end]
            out.append(f" {key} ")
            i = end
        elif ch == "@":
            raise _refuse(
                text,
                "'@' variables are not allowed (an expression can only name columns)",
                where,
            )
        else:
            out.append(ch)
        i += 1
    return "".join(out), names


@dataclass(frozen=True)
class Expression:
    """A checked expression: its text, its parsed tree and the columns it reads.

    Build one with :func:`compile_expression`; evaluate it with :meth:`mask`.
    """

    text: str
    tree: ast.Expression
    backticks: tuple[tuple[str, str], ...]
    columns: tuple[str, ...]
    where: str = "data.sample"

    def check_columns(self, available: Iterable[Any]) -> None:
        """Raise :class:`SpecError` if the expression reads a column not in ``available``."""
        have = {str(c) for c in available}
        missing = [c for c in self.columns if c not in have]
        if missing:
            raise _refuse(
                self.text,
                f"unknown column(s) {missing} (the data has {len(have)} columns)",
                self.where,
            )

    def mask(self, frame: pd.DataFrame) -> np.ndarray:
        """The boolean row mask of ``frame`` (a missing result counts as false).

        Raises
        ------
        SpecError
            An unknown column, a comparison of text with a number, arithmetic on text,
            or a result that is not true/false.
        """
        self.check_columns(frame.columns)
        evaluator = _Evaluator(self, frame)
        try:
            with np.errstate(all="ignore"):
                value = evaluator.eval(self.tree.body)
        except SpecError:
            raise
        except (TypeError, ValueError) as exc:
            raise _refuse(
                self.text, f"cannot be evaluated on this data: {exc}", self.where
            ) from None
        return evaluator.as_mask(value, "the expression")


def compile_expression(text: Any, *, where: str = "data.sample") -> Expression:
    """Parse ``text`` and check every part against the whitelist (nothing is evaluated).

    Parameters
    ----------
    text : str
        The expression.
    where : str
        How to name the expression's origin in messages (``data.sample``, a file name).

    Returns
    -------
    Expression

    Raises
    ------
    SpecError
        Not a string, too long, not valid syntax, or a construct outside the language,
        named in the message.
    """
    if not isinstance(text, str):
        raise SpecError(f"{where} must be a string expression, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise SpecError(f"{where} is {len(text)} characters long; at most {MAX_LENGTH} allowed")
    if not text.strip():
        raise SpecError(f"{where} is empty; leave the key out to use every row")
    source, backticks = _replace_backticks(text, where)
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise _refuse(text, f"invalid syntax ({exc.msg})", where) from None
    except (ValueError, RecursionError, MemoryError) as exc:  # huge literals, deep nesting
        raise _refuse(text, f"cannot be parsed ({type(exc).__name__})", where) from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise _refuse(text, f"too complex ({len(nodes)} parts; at most {MAX_NODES})", where)
    columns: list[str] = []
    _Checker(text, backticks, columns, where).visit(tree.body)
    return Expression(
        text=text,
        tree=tree,
        backticks=tuple(backticks.items()),
        columns=tuple(dict.fromkeys(columns)),
        where=where,
    )


def select(frame: pd.DataFrame, text: str, *, where: str = "data.sample") -> pd.DataFrame:
    """The rows of ``frame`` where ``text`` holds (the safe replacement of ``frame.query``).

    Parameters
    ----------
    frame : DataFrame
        The data; the expression names its columns.
    text : str
        The expression (see the module docstring for the language).
    where : str
        How to name the expression's origin in messages.

    Returns
    -------
    DataFrame
        The selected rows, in their order, with their index.
    """
    return frame.loc[compile_expression(text, where=where).mask(frame)]


class _Checker:
    """Walks the tree once and refuses every node outside the language."""

    def __init__(self, text: str, backticks: dict[str, str], columns: list[str], where: str):
        self.text, self.backticks, self.columns, self.where = text, backticks, columns, where

    def fail(self, what: str) -> SpecError:
        return _refuse(self.text, what, self.where)

    def visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.BoolOp):
            for v in node.values:
                self.visit(v)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.Not | ast.USub | ast.UAdd | ast.Invert):
                raise self.fail(f"operator {type(node.op).__name__} is not allowed")
            self.visit(node.operand)
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _ARITHMETIC and type(node.op) not in _LOGICAL_BINOP:
                symbol = {ast.Pow: "**", ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@"}.get(
                    type(node.op), type(node.op).__name__
                )
                raise self.fail(f"operator {symbol!r} is not allowed (arithmetic is + - * / only)")
            self.visit(node.left)
            self.visit(node.right)
        elif isinstance(node, ast.Compare):
            self.visit(node.left)
            for op, right in zip(node.ops, node.comparators, strict=True):
                if isinstance(op, ast.In | ast.NotIn):
                    self.constant_list(right)
                elif type(op) in _COMPARE:
                    self.visit(right)
                else:  # is / is not
                    raise self.fail(
                        f"comparison {type(op).__name__!r} is not allowed (use == or isna)"
                    )
        elif isinstance(node, ast.Name):
            self.name(node.id)
        elif isinstance(node, ast.Constant):
            self.constant(node.value)
        elif isinstance(node, ast.Call):
            self.call(node)
        elif isinstance(node, ast.List | ast.Tuple):
            raise self.fail("a list is only allowed after 'in' or 'not in'")
        else:
            raise self.fail(f"not allowed here: {_NAMES.get(type(node), type(node).__name__)}")

    def name(self, ident: str) -> None:
        if ident in self.backticks:
            self.columns.append(self.backticks[ident])
        elif ident.startswith("_"):
            raise self.fail(f"name {ident!r} is not allowed (names starting with '_' are refused)")
        elif ident in _FUNCTIONS:
            raise self.fail(f"{ident} must be called with one column: {ident}(column)")
        else:
            self.columns.append(ident)

    def constant(self, value: Any) -> None:
        if isinstance(value, bool | str):
            return
        if isinstance(value, int | float) and not isinstance(value, complex):
            if isinstance(value, int) and abs(value) > 2**63:
                raise self.fail(f"integer constant {value} is too large")
            return
        raise self.fail(f"constant {value!r} is not allowed (numbers, strings, True, False)")

    def constant_list(self, node: ast.AST) -> None:
        if not isinstance(node, ast.List | ast.Tuple):
            raise self.fail("'in' needs a list of constants, e.g. iso3 in ['USA', 'CAN']")
        for elt in node.elts:
            value = elt
            if isinstance(elt, ast.UnaryOp) and isinstance(elt.op, ast.USub | ast.UAdd):
                value = elt.operand
            if not isinstance(value, ast.Constant) or isinstance(value.value, bool):
                raise self.fail("'in' needs a list of constants (numbers or strings)")
            self.constant(value.value)

    def call(self, node: ast.Call) -> None:
        func = node.func
        if not isinstance(func, ast.Name):
            raise self.fail(
                f"not allowed here: calling {_NAMES.get(type(func), 'an expression')}"
                " (only isna(column) and notna(column) may be called)"
            )
        if func.id not in _FUNCTIONS:
            raise self.fail(
                f"calling {func.id!r} is not allowed (only isna(column) and notna(column))"
            )
        if node.keywords or len(node.args) != 1 or not isinstance(node.args[0], ast.Name):
            raise self.fail(f"{func.id} takes exactly one column: {func.id}(column)")
        self.name(node.args[0].id)


class _Evaluator:
    """Evaluates a checked tree on a frame (only the node types :class:`_Checker` admits)."""

    def __init__(self, expr: Expression, frame: pd.DataFrame):
        self.expr, self.frame = expr, frame
        self.backticks = dict(expr.backticks)
        self.columns = {str(c): c for c in frame.columns}

    def fail(self, what: str) -> SpecError:
        return _refuse(self.expr.text, what, self.expr.where)

    def column(self, ident: str) -> pd.Series:
        name = self.backticks.get(ident, ident)
        return self.frame[self.columns[name]]

    def as_mask(self, value: Any, what: str) -> np.ndarray:
        if isinstance(value, bool | np.bool_):
            return np.full(len(self.frame), bool(value))
        series = pd.Series(value) if not isinstance(value, pd.Series) else value
        if series.dtype == bool:
            return series.to_numpy(dtype=bool)
        if str(series.dtype) == "boolean":
            return series.to_numpy(dtype=bool, na_value=False)
        raise self.fail(f"{what} is not true/false for each row (got {series.dtype} values)")

    def truth(self, node: ast.AST) -> np.ndarray:
        return self.as_mask(self.eval(node), f"'{ast.unparse(node)}'")

    def eval(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return self.column(node.id)
        if isinstance(node, ast.BoolOp):
            masks = [self.truth(v) for v in node.values]
            combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
            return pd.Series(combine.reduce(masks), index=self.frame.index)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not | ast.Invert):
                return pd.Series(~self.truth(node.operand), index=self.frame.index)
            value = self.numeric(self.eval(node.operand), node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.BinOp):
            if type(node.op) in _LOGICAL_BINOP:
                left, right = self.truth(node.left), self.truth(node.right)
                both = left & right if isinstance(node.op, ast.BitAnd) else left | right
                return pd.Series(both, index=self.frame.index)
            left = self.numeric(self.eval(node.left), node.left)
            right = self.numeric(self.eval(node.right), node.right)
            return _ARITHMETIC[type(node.op)](left, right)
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Call):
            col = self.column(node.args[0].id)  # type: ignore[attr-defined]
            isna = col.isna()
            return isna if node.func.id == "isna" else ~isna  # type: ignore[attr-defined]
        raise self.fail(f"{type(node).__name__} cannot be evaluated")  # pragma: no cover

    def numeric(self, value: Any, node: ast.AST) -> Any:
        if isinstance(value, pd.Series):
            if value.dtype == bool or not pd.api.types.is_numeric_dtype(value):
                raise self.fail(f"arithmetic on '{ast.unparse(node)}', which is not numeric")
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(f"arithmetic on {value!r}, which is not a number")
        return value

    def compare(self, node: ast.Compare) -> pd.Series:
        result = np.ones(len(self.frame), dtype=bool)
        left_node, left = node.left, self.eval(node.left)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, ast.In | ast.NotIn):
                values = [ast.literal_eval(e) for e in right_node.elts]  # type: ignore[attr-defined]
                series = left if isinstance(left, pd.Series) else pd.Series([left] * len(result))
                hit = series.isin(values).to_numpy(dtype=bool, na_value=False)
                result &= hit if isinstance(op, ast.In) else ~hit & series.notna().to_numpy()
                right = None
            else:
                right = self.eval(right_node)
                self.check_comparable(left, left_node, right, right_node)
                value = _COMPARE[type(op)](left, right)
                result &= self.as_mask(value, f"'{ast.unparse(node)}'")
            left_node, left = right_node, right
        return pd.Series(result, index=self.frame.index)

    def check_comparable(self, left: Any, lnode: ast.AST, right: Any, rnode: ast.AST) -> None:
        kinds = {_kind(left), _kind(right)}
        if kinds == {"number", "text"}:
            raise self.fail(
                f"compares '{ast.unparse(lnode)}' with '{ast.unparse(rnode)}': text with a number"
            )


def _kind(value: Any) -> str:
    if isinstance(value, pd.Series):
        if value.dtype == bool or pd.api.types.is_numeric_dtype(value):
            return "number"
        if pd.api.types.is_string_dtype(value) or value.dtype == object:
            non_null = value.dropna()
            if len(non_null) and all(isinstance(v, str) for v in non_null.iloc[:100]):
                return "text"
        return "other"
    if isinstance(value, str):
        return "text"
    return "number"
