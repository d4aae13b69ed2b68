"""Lazy public names for a package's ``__init__`` (PEP 562 module ``__getattr__``).

A package lists its public names with the module each comes from; a name is imported on
first use, so ``import econometrics`` and the command line's ``--help`` do not load
pandas, statsmodels or linearmodels until something needs them.

Examples
--------
>>> ns = {"__name__": "pkg"}
>>> getattr_, dir_ = attach("pkg", {"sqrt": "math", "json": None}, ns)
>>> getattr_("sqrt")(4.0), dir_()
(2.0, ['__name__', 'json', 'sqrt'])
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["attach"]


def attach(
    package: str, names: Mapping[str, str | None], namespace: Mapping[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module-level ``__getattr__`` and ``__dir__`` of ``package``.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    names : mapping
        Public name -> the module that defines it; None for a subpackage or submodule of
        ``package`` with that name.
    namespace : mapping
        The package's ``globals()``, listed by ``__dir__`` beside the lazy names.

    Returns
    -------
    (__getattr__, __dir__)
        Assign them at the package's top level:
        ``__getattr__, __dir__ = attach(__name__, _LAZY, globals())``.
    """

    def __getattr__(name: str) -> Any:
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = names[name]
        if module is None:
            return importlib.import_module(f"{package}.{name}")
        return getattr(importlib.import_module(module), name)

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(names))

    return __getattr__, __dir__
