"""Specifications as values: what to estimate, on which data, with which covariance.

A :class:`Spec` is immutable and hashable (usable as a dict key or cache key), reads
from and writes to TOML, and validates itself against a data frame. The TOML layout::

    [data]
    source = "labour_rights_controls_panel"   # registry name, shipped data set, or CSV/Parquet path
    entity = "iso3"
    time = "year"
    sample = "year >= 1985"                   # optional pandas query

    [model]
    outcome = "CIRI_WORKER"
    regressors = ["polity2", "logGDPpc", "logtrade", "logpopulation"]
    treatment = "polity2"                     # optional; defaults to the first regressor
    effects = ["entity", "time"]
    cluster = "entity"                        # entity | time | twoway | none
    cov = "clustered"                         # unadjusted | robust | clustered | driscoll-kraay
    estimator = "panel_ols"
    lags = 0                                  # lag every regressor by this many periods
    options = { bandwidth = 3 }               # estimator options (strata, ties, exposure, ...)

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

    [robustness]                              # optional, read by econometrics.robust
    ...
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import tomli_w

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
COVARIANCES = ("unadjusted", "robust", "clustered", "driscoll-kraay")
CLUSTERS = ("entity", "time", "twoway", "none")

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
        A pandas ``DataFrame.query`` expression selecting the estimation sample.
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
        if self.treatment is not None and self.treatment not in self.regressors:
            raise SpecError(f"model.treatment {self.treatment!r} is not among model.regressors")
        if not isinstance(self.lags, int) or isinstance(self.lags, bool) or self.lags < 0:
            raise SpecError(f"model.lags must be a non-negative integer, got {self.lags!r}")
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
        """The rows of ``frame`` selected by :attr:`sample` (a pandas ``query``), all rows if
        there is none; an expression pandas cannot evaluate raises :class:`SpecError`."""
        if not self.sample:
            return frame
        try:
            return frame.query(self.sample)
        except Exception as exc:  # pandas raises many types for a bad expression
            raise SpecError(f"data.sample {self.sample!r} cannot be evaluated: {exc}") from None


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
    mapping = _parse_toml(path.read_text(encoding="utf-8"))
    models = Spec.many_from_dict(mapping)
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
