"""Specifications as values: what to estimate, on which data, with which covariance.

A :class:`Spec` is immutable and hashable (usable as a dict key or cache key), reads
from and writes to TOML, and validates itself against a data frame. The TOML layout::

    [data]
    source = "labour_rights_controls_panel"   # registry name, shipped data set, or CSV/Parquet path
    entity = "iso3"
    time = "year"
    sample = "year >= 1985"                   # optional row filter (enforcement_lab.expressions)

    [model]
    outcome = "CIRI_WORKER"
    regressors = ["polity2", "logGDPpc", "logtrade", "logpopulation"]
    treatment = "polity2"                     # optional; defaults to the first regressor
    effects = ["entity", "time"]
    cluster = "entity"                        # entity | time | twoway (cov = "clustered")
    cov = "clustered"                         # see econometrics.covariance.KINDS
    estimator = "panel_ols"
    lags = 0                                  # lag every regressor by this many periods
    options = { bandwidth = 3 }               # estimator options (strata, ties, exposure, ...)
    ssc = "stata"                             # small-sample convention (econometrics.covariance.SSC)

or, instead of ``outcome``, ``regressors`` and ``effects``, a formula in the fixest grammar
(:mod:`econometrics.formula`)::

    [model]
    formula = "CIRI_WORKER ~ polity2 + log(gdppc) + C(wb_region) + lag(trade, 1) | iso3 + year"

A file holds several models as an array of tables (``[[model]]``, each with an optional
``label`` for its table column), and a formula with ``sw()``/``csw()`` shorthands stands
for several models; :func:`read_spec_file` returns them all in :attr:`SpecFile.models`::

    [[model]]
    label = "OLS"
    formula = "y ~ csw(x1, x2)"

    [[model]]
    formula = "y ~ x1 + x2 | iso3"

    [robustness]                              # optional, read by econometrics.robustness
    ...
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import tomli_w

from econometrics.covariance import CLUSTERS, KINDS, SSC
from enforcement_lab.errors import SpecError

ESTIMATORS = (
    "pooled_ols",
    "panel_ols",
    "random_effects",
    "first_difference",
    "between_ols",
    "ordered_logit",
    "ordered_probit",
    "logit",
    "probit",
    "lpm",
    "poisson",
    "negative_binomial",
    "cox",
    "discrete_hazard",
    "event_study",
)
EFFECTS = ("entity", "time")
COVARIANCES = KINDS  # the vocabulary lives in econometrics.covariance

_DATA_KEYS = {"source": "source", "entity": "entity", "time": "time", "sample": "sample"}
_MODEL_KEYS = (
    "outcome",
    "regressors",
    "treatment",
    "effects",
    "estimator",
    "cov",
    "cluster",
    "lags",
    "options",
    "formula",
    "label",
    "ssc",
)
_TOP_KEYS = {"data", "model", "robustness"}


@dataclass(frozen=True)
class Spec:
    """One model specification.

    Parameters
    ----------
    outcome : str
        Dependent variable.
    regressors : tuple of str
        Right-hand-side variables (the treatment included).
    source : str
        Registry name, shipped data set name, or path of a CSV/Parquet file.
    entity, time : str
        Panel index columns.
    treatment : str or None
        The coefficient of interest; defaults to ``regressors[0]``.
    effects : tuple of str
        Absorbed fixed effects, a subset of ``("entity", "time")``.
    estimator : str
        One of :data:`ESTIMATORS`.
    cov : str
        One of :data:`COVARIANCES`.
    cluster : str
        One of :data:`CLUSTERS`; used when ``cov == "clustered"``.
    sample : str or None
        An expression selecting the estimation sample (``"year >= 1985 and iso3 !=
        'USA'"``), in the safe language of :mod:`enforcement_lab.expressions`: columns,
        constants, comparisons, ``and``/``or``/``not``, ``in`` lists, ``+ - * /``,
        ``isna``/``notna``. It is checked when the spec is built and never run as code.
    lags : int
        Lag every regressor by this many periods within entity.
    options : tuple of (str, value) pairs
        Estimator-specific options (e.g. ``("bandwidth", 3)`` for Driscoll-Kraay).
    formula : str or None
        A fixest-style formula (see :mod:`econometrics.formula`); when set, ``outcome``,
        ``regressors`` (the formula's terms) and ``effects`` are those of the formula
        (build such a spec with :meth:`from_formula`).
    label : str or None
        The model's column header in a table of several models.
    ssc : str or None
        Small-sample convention of the standard errors, one of
        :data:`econometrics.covariance.SSC` (``None``: the estimator's default).
    """

    outcome: str
    regressors: tuple[str, ...]
    source: str = ""
    entity: str = "iso3"
    time: str = "year"
    treatment: str | None = None
    effects: tuple[str, ...] = ()
    estimator: str = "panel_ols"
    cov: str = "clustered"
    cluster: str = "entity"
    sample: str | None = None
    lags: int = 0
    options: tuple[tuple[str, Any], ...] = field(default=())
    # ---- formula interface (econometrics.formula)
    formula: str | None = None
    label: str | None = None
    # -- covariance convention (econometrics.covariance)
    ssc: str | None = None

    #: Fewer clusters than this make cluster-robust inference unreliable: a SpecError.
    MIN_CLUSTERS = 10

    def __post_init__(self) -> None:
        object.__setattr__(self, "regressors", tuple(self.regressors))
        object.__setattr__(self, "effects", tuple(self.effects))
        items = self.options.items() if isinstance(self.options, Mapping) else self.options
        options = []
        for key, value in (tuple(kv) for kv in items):
            if isinstance(value, Mapping):
                raise SpecError(f"model.options.{key} must be a value or a list, not a table")
            options.append((key, _freeze(value)))
        object.__setattr__(self, "options", tuple(sorted(options, key=lambda kv: str(kv[0]))))
        if not isinstance(self.outcome, str) or not self.outcome:
            raise SpecError("model.outcome must be a non-empty column name")
        if not self.regressors and self.estimator not in ("event_study",):
            raise SpecError("model.regressors is empty: name at least one regressor")
        if len(set(self.regressors)) != len(self.regressors):
            raise SpecError(f"model.regressors has duplicates: {list(self.regressors)}")
        if self.outcome in self.regressors:
            raise SpecError(f"model.outcome {self.outcome!r} is also a regressor")
        if self.estimator not in ESTIMATORS:
            raise SpecError(
                f"model.estimator {self.estimator!r} is unknown; choose one of {', '.join(ESTIMATORS)}"
            )
        bad = [e for e in self.effects if e not in EFFECTS]
        if bad or len(set(self.effects)) != len(self.effects):
            raise SpecError(
                f"model.effects {list(self.effects)} invalid; use a subset of {list(EFFECTS)}"
            )
        if self.cov not in COVARIANCES:
            raise SpecError(
                f"model.cov {self.cov!r} is unknown; choose one of {', '.join(COVARIANCES)}"
            )
        if self.cluster not in CLUSTERS:
            raise SpecError(
                f"model.cluster {self.cluster!r} is unknown; choose one of {', '.join(CLUSTERS)}"
            )
        if self.ssc is not None and self.ssc not in SSC:
            raise SpecError(f"model.ssc {self.ssc!r} is unknown; choose one of {', '.join(SSC)}")
        if self.treatment is not None and self.treatment not in self.regressors:
            raise SpecError(f"model.treatment {self.treatment!r} is not among model.regressors")
        if not isinstance(self.lags, int) or isinstance(self.lags, bool) or self.lags < 0:
            raise SpecError(f"model.lags must be a non-negative integer, got {self.lags!r}")
        if self.sample is not None:
            from enforcement_lab.expressions import compile_expression

            compile_expression(self.sample)  # refuse anything outside the language now
        if self.label is not None and not isinstance(self.label, str):
            raise SpecError(f"model.label must be a string, got {self.label!r}")
        if self.formula is not None:
            self._check_formula()

    def _check_formula(self) -> None:
        """A formula spec's outcome, regressors and effects must be the formula's."""
        parsed = self.parsed_formula
        effects = parsed.effect_kinds(self.entity, self.time)
        if (self.outcome, self.regressors, self.effects) != (parsed.outcome, parsed.terms, effects):
            raise SpecError(
                f"model.formula {self.formula!r} sets the outcome, regressors and effects; "
                "do not give them separately"
            )
        if self.lags:
            raise SpecError("model.lags cannot be combined with a formula; write lag(x, k) in it")

    @classmethod
    def from_formula(cls, formula: str, **fields: Any) -> Spec:
        """A spec from a fixest-style formula and the other fields (``entity``, ``time``,
        ``cov``, ``cluster``, ``estimator``, ``sample``, ``options``, ``source``, ...).

        Examples
        --------
        >>> s = Spec.from_formula("y ~ x + C(region) | iso3 + year", cov="robust")
        >>> s.outcome, s.regressors, s.effects
        ('y', ('x', 'C(region)'), ('entity', 'time'))
        """
        from econometrics.formula import expand, parse

        for key in ("outcome", "regressors", "effects"):
            if key in fields:
                raise SpecError(f"model.formula sets {key}; do not give model.{key} as well")
        if len(expand(formula)) > 1:
            raise SpecError(
                f"model.formula {formula!r} stands for several models (sw/csw); "
                "use Spec.from_formulas"
            )
        parsed = parse(formula)
        probe = {"entity": fields.get("entity", "iso3"), "time": fields.get("time", "year")}
        return cls(
            outcome=parsed.outcome,
            regressors=parsed.terms,
            effects=parsed.effect_kinds(probe["entity"], probe["time"]),
            formula=formula,
            **fields,
        )

    @classmethod
    def from_formulas(cls, formula: str, **fields: Any) -> list[Spec]:
        """One spec per model of a formula with ``sw``/``csw`` shorthands (in order)."""
        from econometrics.formula import expand

        return [cls.from_formula(f, **fields) for f in expand(formula)]

    @property
    def parsed_formula(self) -> Any:
        """The checked formula (:class:`econometrics.formula.ParsedFormula`), or ``None``."""
        if self.formula is None:
            return None
        from econometrics.formula import parse

        return parse(self.formula)

    @property
    def variables(self) -> tuple[str, ...]:
        """The data columns the model reads (outcome first; formula variables sorted)."""
        if self.formula is None:
            return (self.outcome, *self.regressors)
        parsed = self.parsed_formula
        rest = sorted(parsed.variables - {parsed.outcome})
        return (parsed.outcome, *rest) if parsed.outcome in parsed.variables else tuple(rest)

    # ------------------------------------------------------------------ accessors
    @property
    def treatment_name(self) -> str | None:
        """The coefficient of interest (explicit treatment, else the first regressor)."""
        return self.treatment or (self.regressors[0] if self.regressors else None)

    @property
    def controls(self) -> tuple[str, ...]:
        """Regressors other than the treatment."""
        return tuple(r for r in self.regressors if r != self.treatment_name)

    @property
    def option_dict(self) -> dict[str, Any]:
        """The estimator options as a plain dict (the spec stores them as pairs)."""
        return dict(self.options)

    def replace(self, **changes: Any) -> Spec:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    # ------------------------------------------------------------------ TOML
    def to_dict(self) -> dict[str, Any]:
        """The nested ``{"data": ..., "model": ...}`` mapping used in spec files."""
        d = asdict(self)
        data = {k: d[k] for k in _DATA_KEYS if d[k] not in (None, "")}
        model = {k: d[k] for k in _MODEL_KEYS if k in d and d[k] is not None}
        model["regressors"] = list(self.regressors)
        model["effects"] = list(self.effects)
        model["options"] = dict(self.options)
        if not model["options"]:
            del model["options"]
        if self.formula is not None:
            for key in ("outcome", "regressors", "effects", "lags"):
                model.pop(key, None)
        return {"data": data, "model": model}

    def to_toml(self) -> str:
        """The spec as the text of a spec file (:meth:`from_toml` reads it back)."""
        return tomli_w.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, mapping: Mapping[str, Any]) -> Spec:
        """A spec from the nested ``{"data": ..., "model": ...}`` mapping; unknown keys are errors."""
        _check_types(mapping)
        unknown = set(mapping) - _TOP_KEYS
        if unknown:
            raise SpecError(
                f"unknown top-level table(s) {sorted(unknown)}; allowed: {sorted(_TOP_KEYS)}"
            )
        models = model_tables(mapping)
        if len(models) != 1:
            raise SpecError(
                f"the spec holds {len(models)} models; read them with Spec.many_from_dict"
            )
        return cls._from_tables(dict(mapping.get("data", {})), models[0])

    @classmethod
    def many_from_dict(cls, mapping: Mapping[str, Any]) -> list[Spec]:
        """Every model of a spec mapping: ``[model]`` or ``[[model]]`` tables, each formula
        with ``sw``/``csw`` shorthands expanded (several specs)."""
        _check_types(mapping)
        unknown = set(mapping) - _TOP_KEYS
        if unknown:
            raise SpecError(
                f"unknown top-level table(s) {sorted(unknown)}; allowed: {sorted(_TOP_KEYS)}"
            )
        data = dict(mapping.get("data", {}))
        out: list[Spec] = []
        for model in model_tables(mapping):
            formula = model.get("formula")
            if isinstance(formula, str):
                from econometrics.formula import expand

                many = expand(formula)
                label = model.get("label")
                for j, one in enumerate(many):
                    table = {**model, "formula": one}
                    if isinstance(label, str) and len(many) > 1:
                        table["label"] = f"{label}.{j + 1}"  # one column header per model
                    out.append(cls._from_tables(data, table))
            else:
                out.append(cls._from_tables(data, model))
        return out

    @classmethod
    def _from_tables(cls, data: dict[str, Any], model: dict[str, Any]) -> Spec:
        model = dict(model)
        for table, allowed, name in (
            (data, set(_DATA_KEYS), "data"),
            (model, set(_MODEL_KEYS), "model"),
        ):
            extra = set(table) - allowed
            if extra:
                raise SpecError(
                    f"unknown key(s) in [{name}]: {sorted(extra)}; allowed: {sorted(allowed)}"
                )
        if "formula" in model:
            formula = model.pop("formula")
            if not isinstance(formula, str):
                raise SpecError(f"model.formula must be a string, got {formula!r}")
            return cls.from_formula(formula, **data, **model)
        if "outcome" not in model:
            raise SpecError("[model] has no 'outcome' (or 'formula')")
        if "regressors" in model and isinstance(model["regressors"], str):
            raise SpecError("model.regressors must be a list of column names, not a string")
        kwargs = {**data, **model}
        return cls(**kwargs)

    @classmethod
    def from_toml(cls, text: str) -> Spec:
        """A spec from the text of a spec file (see the module docstring for the layout)."""
        return cls.from_dict(_parse_toml(text))

    # ------------------------------------------------------------------ data checks
    def validate(self, frame: Any) -> None:
        """Check the spec against a data frame (columns or (entity, time) MultiIndex).

        Raises
        ------
        SpecError
            Unknown columns; a treatment constant within every entity under entity
            effects (or first differences); fewer than :attr:`MIN_CLUSTERS` clusters for
            clustered covariance. :func:`econometrics.estimators.prepare` runs these checks
            on the full data and again on the estimation sample (after ``sample``, lags and
            missing values), so a sample filter cannot slip past them.
        """
        import pandas as pd

        df = frame.reset_index() if isinstance(frame.index, pd.MultiIndex) else frame
        needed = [self.entity, self.time, *self.variables]
        missing = [c for c in needed if c not in df.columns]
        if missing:
            raise SpecError(f"unknown column(s) {missing} (data has {len(df.columns)} columns)")
        treat = self.treatment_name if self.formula is None else None
        if treat is not None and ("entity" in self.effects or self.estimator == "first_difference"):
            within = df.groupby(self.entity)[treat].nunique(dropna=True)
            if (within <= 1).all():
                absorbed = (
                    "entity effects absorb it"
                    if "entity" in self.effects
                    else "first differences remove it"
                )
                raise SpecError(f"treatment {treat!r} is constant within every entity; {absorbed}")
        if self.cov == "clustered" and self.cluster in ("entity", "time", "twoway"):
            cols = {
                "entity": [self.entity],
                "time": [self.time],
                "twoway": [self.entity, self.time],
            }[self.cluster]
            self.check_clusters(df, cols)

    def check_clusters(self, frame: Any, cols: Sequence[str]) -> None:
        """Raise :class:`SpecError` if a cluster column of ``frame`` has fewer than
        :attr:`MIN_CLUSTERS` distinct values."""
        for col in cols:
            n = frame[col].nunique()
            if n < self.MIN_CLUSTERS:
                raise SpecError(
                    f"only {n} clusters in {col!r}; clustered covariance needs at least {self.MIN_CLUSTERS}"
                )

    def apply_sample(self, frame: Any) -> Any:
        """The rows of ``frame`` selected by :attr:`sample`, all rows if there is none.

        The expression is evaluated by :func:`enforcement_lab.expressions.select` (never
        by pandas' ``query``/``eval``, which would run Python); an unknown column or an
        expression that cannot be evaluated on this data raises :class:`SpecError`.
        """
        if not self.sample:
            return frame
        from enforcement_lab.expressions import select

        return select(frame, self.sample)


#: The TOML type of every known key of ``[data]`` and ``[model]``: ``str``, ``list[str]``,
#: ``int`` or ``table``. Checked before a :class:`Spec` is built, so a wrong type is a
#: message naming the key, not a ``TypeError`` from deep inside.
KEY_TYPES: dict[str, dict[str, str]] = {
    "data": {"source": "str", "entity": "str", "time": "str", "sample": "str"},
    "model": {
        "outcome": "str",
        "regressors": "list[str]",
        "treatment": "str",
        "effects": "list[str]",
        "estimator": "str",
        "cov": "str",
        "cluster": "str",
        "lags": "int",
        "options": "table",
        "ssc": "str",
        "formula": "str",
        "label": "str",
    },
}
_TYPE_WORDS = {
    "str": "a string",
    "list[str]": "a list of strings",
    "int": "an integer",
    "table": "a table (options = { key = value })",
}


def _toml_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return {int: "an integer", float: "a number", str: "a string"}.get(
        type(value), type(value).__name__
    )


def _check_types(mapping: Any) -> None:
    """Raise :class:`SpecError` naming the key whose TOML value has the wrong type."""
    if not isinstance(mapping, Mapping):
        raise SpecError(f"a spec must be a table of tables, got {_toml_type(mapping)}")
    for top in sorted(_TOP_KEYS):
        value = mapping.get(top)
        if top == "model" and isinstance(value, list):
            continue  # [[model]]: an array of tables, each checked below
        if top in mapping and not isinstance(value, Mapping):
            raise SpecError(
                f"[{top}] must be a table ([{top}] on its own line, then key = value lines), "
                f"got {_toml_type(value)}"
            )
    for top, keys in KEY_TYPES.items():
        tables = mapping.get(top, {})
        for table in tables if isinstance(tables, list) else [tables]:
            if isinstance(table, Mapping):
                _check_table_types(top, keys, table)


def _check_table_types(top: str, keys: dict[str, str], table: Mapping[str, Any]) -> None:
    """The type checks of :func:`_check_types` on one ``[data]`` or ``[model]`` table."""
    for key, kind in keys.items():
        if key not in table:
            continue
        value = table[key]
        ok = {
            "str": isinstance(value, str),
            "list[str]": isinstance(value, list) and all(isinstance(v, str) for v in value),
            "int": isinstance(value, int) and not isinstance(value, bool),
            "table": isinstance(value, Mapping),
        }[kind]
        if not ok:
            raise SpecError(
                f"{top}.{key} must be {_TYPE_WORDS[kind]}, got {_toml_type(value)} {value!r}"
            )
    if top == "model" and isinstance(table.get("options"), Mapping):
        for key, value in table["options"].items():
            if isinstance(value, Mapping):
                raise SpecError(f"model.options.{key} must be a value or a list, not a table")


def _freeze(value: Any) -> Any:
    """Lists (TOML arrays) as tuples, so that a spec with list-valued options is hashable."""
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _parse_toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"spec file is not valid TOML: {exc}") from None


@dataclass(frozen=True)
class SpecFile:
    """A parsed spec file: the baseline :class:`Spec` and the raw ``[robustness]`` table."""

    spec: Spec
    robustness: Mapping[str, Any] | None
    path: Path | None = None
    #: Every model of the file (``spec`` is the first).
    models: tuple[Spec, ...] = ()


def model_tables(mapping: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The model tables of a spec mapping: one ``[model]`` table or a ``[[model]]`` array."""
    model = mapping.get("model", {})
    tables = model if isinstance(model, list) else [model]
    if not tables:
        raise SpecError("[[model]] is empty: give at least one model")
    for t in tables:
        if not isinstance(t, Mapping):
            raise SpecError(f"[model] must be a table (or an array of tables), got {t!r}")
    return [dict(t) for t in tables]


def read_spec_file(path: str | Path) -> SpecFile:
    """Read a spec file; raises :class:`SpecError` naming the offending key or file."""
    path = Path(path)
    if not path.exists():
        raise SpecError(f"spec file {path} does not exist")
    if not path.is_file():
        raise SpecError(f"spec file {path} is not a file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SpecError(
            f"spec file {path} is not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    except OSError as exc:
        raise SpecError(f"spec file {path} cannot be read: {exc.strerror or exc}") from None
    try:
        mapping = _parse_toml(text)
        models = Spec.many_from_dict(mapping)
    except SpecError as exc:
        raise SpecError(f"{path}: {exc}") from None
    robustness = mapping.get("robustness")
    if robustness is not None and len(models) > 1:
        raise SpecError(
            f"{path}: [robustness] needs one baseline model, the file has {len(models)}"
        )
    return SpecFile(spec=models[0], robustness=robustness, path=path, models=tuple(models))


__all__ = [
    "CLUSTERS",
    "COVARIANCES",
    "EFFECTS",
    "ESTIMATORS",
    "Spec",
    "SpecFile",
    "model_tables",
    "read_spec_file",
]
