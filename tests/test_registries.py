"""One registry type and one parameter coercion for families, instruments, designs, models."""

from __future__ import annotations

import pickle

import pytest

from enforcement_lab.errors import InvalidGameError
from enforcement_lab.registries import Registry, coerce_params
from gametheory import DESIGNS, FAMILIES, INSTRUMENTS, MODELS, designs, models


@pytest.mark.parametrize(
    ("registry", "kind"),
    [(FAMILIES, "family"), (INSTRUMENTS, "instrument"), (DESIGNS, "design"), (MODELS, "model")],
)
def test_every_catalogue_is_a_registry_naming_unknown_keys(registry, kind) -> None:
    assert isinstance(registry, Registry) and registry.kind == kind
    first = next(iter(registry))
    assert registry.get(first) is registry[first] and first in registry
    with pytest.raises(
        InvalidGameError, match=rf"unknown {kind} 'nope'; the {kind}s are {first}, "
    ):
        registry.get("nope")
    assert registry.get("nope", None) is None  # a default behaves as dict.get
    with pytest.raises(KeyError):
        registry["nope"]
    assert list(registry) == list(registry.keys()) and len(registry) == len(list(registry))


def test_module_get_functions_are_the_registries() -> None:
    assert designs.get("ilo_supervision") is DESIGNS["ilo_supervision"]
    assert models.get("moran") is MODELS["moran"]
    with pytest.raises(InvalidGameError, match="unknown design 'x'"):
        designs.get("x")


def test_registration_keeps_order_and_refuses_duplicates() -> None:
    reg: Registry[int] = Registry("thing", [("b", 1), ("a", 2)])
    assert reg.register("c", 3) == 3 and list(reg) == ["b", "a", "c"]
    with pytest.raises(ValueError, match="thing 'a' is registered twice"):
        reg.register("a", 4)
    assert repr(reg) == "Registry('thing', ['b', 'a', 'c'])"
    assert dict(pickle.loads(pickle.dumps(reg))) == {"b": 1, "a": 2, "c": 3}


def test_coercion_by_the_type_of_the_default() -> None:
    defaults = {"flag": False, "n": 6, "x": 0.5, "rule": "fermi"}
    got = coerce_params("model 'm'", defaults, {"flag": "yes", "n": "8", "x": "2.5", "rule": 3})
    assert got == {"flag": True, "n": 8, "x": 2.5, "rule": "3"}
    assert type(got["n"]) is int and type(got["x"]) is float
    assert coerce_params("m", defaults, {}) == defaults
    bad = [
        ({"flag": "maybe"}, "'flag' must be true or false: 'maybe'"),
        ({"n": 6.5}, "'n' must be an integer: 6.5"),
        ({"n": float("inf")}, "'n' must be an integer: inf"),
        ({"n": True}, "'n' must be an integer: True"),
        ({"x": "nan"}, "'x' must be a finite number: 'nan'"),
        ({"x": True}, "'x' must be a finite number: True"),
        ({"x": None}, "'x' must be a finite number: None"),
        ({"y": 1, "z": 2}, "m has no parameter 'y', 'z'; its parameters are flag, n, x, rule"),
    ]
    for params, message in bad:
        with pytest.raises(InvalidGameError, match=message.replace("(", r"\(")):
            coerce_params("m", defaults, params)


def test_designs_and_models_share_the_coercion() -> None:
    d = DESIGNS["ilo_supervision"]
    assert d.params(s="5")["s"] == 5.0
    with pytest.raises(
        InvalidGameError, match="design 'ilo_supervision' parameter 's' must be a finite"
    ):
        d.params(s=float("inf"))
    m = MODELS["moran"]
    assert m.params(Z="40", rule="moran")["Z"] == 40
    with pytest.raises(InvalidGameError, match="model 'moran' has no parameter 'q'"):
        m.params(q=1)
