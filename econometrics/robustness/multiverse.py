"""The ``[robustness]`` table of a spec file, and its expansion into specifications.

A multiverse crosses the baseline specification with reasonable alternatives::

    [robustness]
    controls = "all-subsets"          # of model.regressors other than the treatment
    treatment = "polity2"
    outcomes = ["Mos_labor", "Mos_labor_law", "Mos_labor_prac"]
    estimators = ["pooled", "entity", "twoway"]
    samples = ["all", "drop:wb_region=ECS", "leave-one-out:iso3", "years:1990-2005"]
    cov = ["clustered", "driscoll-kraay"]
    cluster = ["entity"]
    lags = [0, 1]

Keys (all optional; each defaults to the baseline's choice):

``controls``
    ``"baseline"`` (the baseline's controls), ``"all-subsets"`` (every subset of them,
    the empty set included), or a list of control lists.
``treatment``, ``outcomes``
    The coefficient of interest and the outcome variants.
``estimators``
    ``pooled``, ``entity``, ``time``, ``twoway`` (fixed effects) and ``random``.
``samples``
    ``all``; ``drop:COL=VALUE`` (drop the rows where ``COL`` equals ``VALUE``);
    ``leave-one-out:COL`` (one sample per value of ``COL``, dropping it);
    ``years:START-END`` (keep the periods in the window, both ends included).
``cov``, ``cluster``
    Covariances (``unadjusted``, ``robust``, ``clustered``, ``driscoll-kraay``) and,
    for ``clustered``, the cluster dimensions (``entity``, ``time``, ``twoway``;
    setting ``cluster`` without ``clustered`` among the covariances is an error).
``lags``
    Lag lengths: every regressor lagged by that many periods within entity.
``common_sample``
    ``true`` fits every specification of a sample on the rows complete for *all* the
    multiverse's variables (constant N); ``false`` (default) uses each specification's
    complete cases, as fitting it alone would.
``placebo``, ``bootstrap``, ``bootstrap_weights``, ``seed``, ``level``
    Permutations of the placebo test (default 200, 0 skips it), wild cluster bootstrap
    replications (default 999, 0 skips), its weights (``rademacher`` or ``webb``),
    the random seed and the confidence level (0.95).
``curve_test``
    Draws under the null of the inferential specification curve (Simonsohn, Simmons
    and Nelson 2020; :mod:`econometrics.robustness.inference`); default 0 skips it.
    Each draw refits the whole multiverse.

Every mistake raises :class:`~enforcement_lab.errors.SpecError` naming the key.

Examples
--------
>>> from econometrics.spec import Spec
>>> base = Spec("y", ("d", "x1", "x2"), effects=("entity", "time"))
>>> mv = parse_robustness(base, {"controls": "all-subsets", "cov": ["clustered", "robust"]})
>>> [len(mv.control_sets), mv.estimators, mv.covs]
[4, ('twoway',), ('clustered', 'robust')]
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

import numpy as np
import pandas as pd

from econometrics.covariance import CLUSTER_DIMS, KINDS, SUPPORTED_KINDS, Covariance
from econometrics.spec import Spec
from enforcement_lab.errors import SpecError

if TYPE_CHECKING:
    from econometrics.robustness.report import MultiverseResults

ESTIMATOR_CHOICES = ("pooled", "entity", "time", "twoway", "random")
COV_CHOICES = tuple(k for k in KINDS if k in SUPPORTED_KINDS["multiverse"])
CLUSTER_CHOICES = CLUSTER_DIMS
WEIGHT_CHOICES = ("rademacher", "webb")
ALLOWED_KEYS = (
    "controls",
    "treatment",
    "outcomes",
    "estimators",
    "samples",
    "cov",
    "cluster",
    "lags",
    "common_sample",
    "placebo",
    "bootstrap",
    "bootstrap_weights",
    "curve_test",
    "seed",
    "level",
)
#: All subsets of more controls than this would be a runaway multiverse.
MAX_SUBSET_CONTROLS = 16

_SAMPLE_RE = re.compile(
    r"^(all|drop:(?P<dcol>[^=]+)=(?P<dval>.+)|leave-one-out:(?P<lcol>.+)|years:(?P<y0>-?\d+)-(?P<y1>-?\d+))$"
)


@dataclass(frozen=True)
class Sample:
    """One sample restriction: ``all``, ``drop`` a value, or a ``years`` window."""

    label: str
    kind: str  # all | drop | years
    column: str | None = None
    value: str | None = None
    start: int | None = None
    end: int | None = None

    def mask(self, frame: pd.DataFrame, time: str) -> np.ndarray:
        """Rows of ``frame`` kept by this sample."""
        if self.kind == "all":
            return np.ones(len(frame), dtype=bool)
        if self.kind == "drop":
            assert self.column is not None
            return ~_matches(frame[self.column], self.value)
        assert self.start is not None and self.end is not None
        t = pd.to_numeric(frame[time], errors="coerce")
        return ((t >= self.start) & (t <= self.end)).to_numpy(dtype=bool, na_value=False)


def _matches(column: pd.Series, value: str | None) -> np.ndarray:
    """Rows where ``column`` equals ``value`` (compared as text, or as a number).

    A missing value (NaN, or ``pd.NA`` of a nullable column) never matches.

    Examples
    --------
    >>> _matches(pd.Series([1, 0, None], dtype="Int64"), "1").tolist()
    [True, False, False]
    """
    present = column.notna().to_numpy(dtype=bool)
    text = (column.astype(str).to_numpy() == value) & present
    numeric = pd.to_numeric(column, errors="coerce")
    try:
        num = float(value) if value is not None else np.nan
    except ValueError:
        return text
    return text | (numeric == num).to_numpy(dtype=bool, na_value=False)


@dataclass(frozen=True)
class Specification:
    """One cell of the multiverse (every choice, and whether it is the baseline)."""

    index: int
    outcome: str
    treatment: str
    controls: tuple[str, ...]
    estimator: str
    cov: str
    cluster: str
    sample: Sample
    lags: int
    is_baseline: bool = False

    @property
    def effects(self) -> tuple[str, ...]:
        """Fixed effects the estimator absorbs: ``()``, ``("entity",)``, ``("time",)`` or both."""
        return {"entity": ("entity",), "time": ("time",), "twoway": ("entity", "time")}.get(
            self.estimator, ()
        )

    @property
    def regressors(self) -> tuple[str, ...]:
        """The treatment followed by the controls, unlagged names."""
        return (self.treatment, *self.controls)

    def choices(self) -> dict[str, Any]:
        """The choices as a flat row (for ``specifications.csv``)."""
        return {
            "spec_id": self.index,
            "outcome": self.outcome,
            "treatment": self.treatment,
            "controls": "+".join(self.controls) if self.controls else "(none)",
            "n_controls": len(self.controls),
            "estimator": self.estimator,
            "cov": self.cov,
            "cluster": self.cluster,
            "sample": self.sample.label,
            "lags": self.lags,
            "is_baseline": self.is_baseline,
        }


@dataclass(frozen=True)
class Multiverse:
    """A validated ``[robustness]`` table around a baseline :class:`Spec`."""

    baseline: Spec
    treatment: str
    control_pool: tuple[str, ...]
    control_sets: tuple[tuple[str, ...], ...]
    outcomes: tuple[str, ...]
    estimators: tuple[str, ...]
    samples: tuple[str, ...]
    covs: tuple[str, ...]
    clusters: tuple[str, ...]
    lags: tuple[int, ...]
    common_sample: bool = False
    placebo: int = 200
    bootstrap: int = 999
    bootstrap_weights: str = "rademacher"
    seed: int = 0
    level: float = 0.95
    curve_test: int = 0

    # ------------------------------------------------------------------ derived
    @property
    def baseline_estimator(self) -> str:
        """The multiverse name of the baseline spec's estimator (``pooled`` ... ``random``)."""
        return baseline_estimator(self.baseline)

    def columns(self) -> list[str]:
        """Every data column the multiverse uses (besides entity and time)."""
        if self.baseline.formula is not None:  # terms are not columns: the formula's variables
            variables = self.baseline.variables[1:]
            cols = [*self.outcomes, *variables]
        else:
            cols = [*self.outcomes, self.treatment, *self.control_pool]
        for s in self.samples:
            m = _SAMPLE_RE.match(s)
            assert m is not None
            col = m.group("dcol") or m.group("lcol")
            if col:
                cols.append(col)
        return list(dict.fromkeys(cols))

    def parsed_samples(self, frame: pd.DataFrame) -> list[Sample]:
        """Samples with ``leave-one-out`` expanded over the values in ``frame``."""
        out: list[Sample] = []
        for s in self.samples:
            m = _SAMPLE_RE.match(s)
            assert m is not None
            if s == "all":
                out.append(Sample("all", "all"))
            elif m.group("dcol"):
                out.append(Sample(s, "drop", m.group("dcol"), m.group("dval")))
            elif m.group("lcol"):
                col = m.group("lcol")
                values = sorted(frame[col].dropna().astype(str).unique())
                out.extend(Sample(f"leave-one-out:{col}={v}", "drop", col, v) for v in values)
            else:
                out.append(Sample(s, "years", start=int(m.group("y0")), end=int(m.group("y1"))))
        return out

    def validate(self, frame: pd.DataFrame) -> None:
        """Check columns and samples against the data; SpecError naming the key."""
        b = self.baseline
        checks: list[tuple[str, Sequence[str]]] = [
            ("robustness.outcomes", self.outcomes),
            ("robustness.treatment", (self.treatment,)),
            ("robustness.controls", self.control_pool),
        ]
        if b.formula is not None:  # treatment and controls are terms of the formula
            terms = [*(self.treatment,), *self.control_pool]
            bad = [term for term in terms if term not in b.regressors]
            if bad:
                raise SpecError(
                    f"robustness.treatment/controls: {bad} are not terms of model.formula "
                    f"(terms: {list(b.regressors)})"
                )
            checks = [("robustness.outcomes", self.outcomes), ("model.formula", b.variables[1:])]
        checks += [("data.entity", (b.entity,)), ("data.time", (b.time,))]
        for key, cols in checks:
            missing = [c for c in cols if c not in frame.columns]
            if missing:
                raise SpecError(f"{key}: unknown column(s) {missing} (not in the data)")
            if key.startswith("robustness."):
                text = [
                    c
                    for c in cols
                    if not pd.api.types.is_numeric_dtype(frame[c])
                    and not pd.api.types.is_bool_dtype(frame[c])
                ]
                if text:
                    raise SpecError(f"{key}: column(s) {text} are not numeric")
        times = pd.to_numeric(frame[b.time], errors="coerce")
        for s in self.samples:
            m = _SAMPLE_RE.match(s)
            assert m is not None
            col = m.group("dcol") or m.group("lcol")
            if col and col not in frame.columns:
                raise SpecError(f"robustness.samples: {s!r} names unknown column {col!r}")
            if m.group("dcol"):
                hit = _matches(frame[col], m.group("dval"))
                if not hit.any():
                    raise SpecError(
                        f"robustness.samples: {s!r} drops nothing ({col!r} never equals "
                        f"{m.group('dval')!r})"
                    )
                if hit.all():
                    raise SpecError(f"robustness.samples: {s!r} drops every row")
            if m.group("lcol") and frame[col].dropna().nunique() < 2:
                raise SpecError(f"robustness.samples: {s!r} needs at least two values of {col!r}")
            if m.group("y0") is not None:
                y0, y1 = int(m.group("y0")), int(m.group("y1"))
                n = int(((times >= y0) & (times <= y1)).sum())
                if y1 < y0 or n == 0:
                    raise SpecError(
                        f"robustness.samples: {s!r} keeps no rows (data cover "
                        f"{times.min():g}-{times.max():g})"
                    )

    def specifications(self, frame: pd.DataFrame) -> Specifications:
        """Every specification, in a deterministic order, the baseline flagged.

        The result is lazy (:class:`Specifications`): its length is known at once and
        its ``i``-th specification is computed on demand, so a multiverse of millions
        of specifications costs no memory until it is fitted. The baseline (its
        outcome, controls, estimator, covariance and lag on the full sample) is added
        last if the multiverse's choices do not contain it.
        """
        return Specifications(self, self.parsed_samples(frame))

    def fit(
        self,
        frame: pd.DataFrame,
        *,
        workers: int | None = None,
        chunk_size: int | None = None,
        progress: bool = False,
        memory_limit_gb: float | None = None,
    ) -> MultiverseResults:
        """Fit every specification on ``frame`` in memory, with the baseline's inference.

        The same fits, summary and inference as :func:`econometrics.robustness.runner.
        run_robustness`, without a spec file or an output folder;
        :meth:`MultiverseResults.write` writes the files the runner writes.

        Examples
        --------
        >>> from econometrics.spec import Spec
        >>> from enforcement_lab.data.synthetic import twfe_panel
        >>> base = Spec("y", ("treatment", "x1", "x2"), effects=("entity", "time"))
        >>> mv = Multiverse.from_table(base, {"controls": "all-subsets", "placebo": 0,
        ...                                   "bootstrap": 0})
        >>> res = mv.fit(twfe_panel(20, 8, seed=1, gamma=(0.3, -0.2)))
        >>> len(res.table()), res.statistics["n_estimated"]
        (4, 4)
        """
        from econometrics.robustness.runner import DEFAULT_CHUNK_SIZE, fit_multiverse

        return fit_multiverse(
            self,
            frame,
            workers=workers,
            chunk_size=chunk_size or DEFAULT_CHUNK_SIZE,
            progress=progress,
            memory_limit_gb=memory_limit_gb,
        )

    @classmethod
    def from_table(cls, baseline: Spec, table: Mapping[str, Any] | None = None) -> Multiverse:
        """The multiverse of a ``[robustness]`` table (a dict) around ``baseline``
        (:func:`parse_robustness`)."""
        return parse_robustness(baseline, table)

    def _baseline_key(self) -> tuple[Any, ...]:
        b = self.baseline
        cl = Covariance.from_spec(b, kinds=(b.cov, *self.covs)).cluster  # "none" unless clustered
        controls = tuple(r for r in b.regressors if r != self.treatment)
        return (b.outcome, controls, self.baseline_estimator, "all", b.cov, cl, b.lags)


class Specifications(Sequence[Specification]):
    """The specifications of a multiverse, computed on demand from their position.

    Specification ``i`` is the ``i``-th cell of the Cartesian product of outcomes,
    control sets, estimators, samples, covariances and lags (the last varying fastest),
    found by mixed-radix decoding of ``i``; when the product lacks the baseline it is
    appended as the last specification. Nothing is materialised: the length is known
    at once, indexing and slicing cost only the specifications asked for, and
    :meth:`groups` lists the blocks of specifications that share an estimation sample
    (same sample, lag and estimator), which the runner packs into chunks.

    Examples
    --------
    >>> from econometrics.spec import Spec
    >>> base = Spec("y", ("d", *(f"c{i}" for i in range(16))), effects=("entity",))
    >>> mv = parse_robustness(base, {"controls": "all-subsets",
    ...                              "estimators": ["pooled", "entity", "time", "twoway"],
    ...                              "cov": ["robust", "unadjusted"], "lags": [0, 1]})
    >>> specs = mv.specifications(pd.DataFrame())
    >>> len(specs)  # 2^16 control sets x 4 x 2 x 2, and the (clustered) baseline
    1048577
    >>> s = specs[1_000_000]
    >>> s.index, s.estimator, s.cov, s.lags, len(s.controls)
    (1000000, 'pooled', 'robust', 0, 11)
    """

    def __init__(self, mv: Multiverse, samples: Sequence[Sample]) -> None:
        self.multiverse = mv
        cov_cluster = tuple(
            (c, cl) for c in mv.covs for cl in (mv.clusters if c == "clustered" else ("none",))
        )
        self._dims: tuple[Sequence[Any], ...] = (
            mv.outcomes,
            mv.control_sets,
            mv.estimators,
            tuple(samples),
            cov_cluster,
            mv.lags,
        )
        self._sizes = tuple(len(d) for d in self._dims)
        self._product = int(np.prod(self._sizes, dtype=object))
        o, c, e, _, cov, cl, lag = mv._baseline_key()
        labels = [s.label for s in samples]
        key = (o, c, e, "all", (cov, cl), lag)
        lookup = (mv.outcomes, mv.control_sets, mv.estimators, labels, cov_cluster, mv.lags)
        if all(v in d for v, d in zip(key, lookup, strict=True)):
            pos = [list(d).index(v) for v, d in zip(key, lookup, strict=True)]
            self.baseline_index = self._encode(pos)
            self._appended: Specification | None = None
        else:
            self.baseline_index = self._product
            self._appended = Specification(
                self._product, o, mv.treatment, c, e, cov, cl, Sample("all", "all"), lag, True
            )

    def _encode(self, pos: Sequence[int]) -> int:
        index = 0
        for p, size in zip(pos, self._sizes, strict=True):
            index = index * size + p
        return index

    def __len__(self) -> int:
        return self._product + (self._appended is not None)

    @overload
    def __getitem__(self, i: int) -> Specification: ...

    @overload
    def __getitem__(self, i: slice) -> list[Specification]: ...

    def __getitem__(self, i: int | slice) -> Specification | list[Specification]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"specification {i} of {n}")
        if i == self._product:
            assert self._appended is not None
            return self._appended
        pos, rest = [], i
        for size in reversed(self._sizes):
            rest, p = divmod(rest, size)
            pos.append(p)
        pos.reverse()
        outcome, controls, est, sample, (cov, cl), lag = (
            d[p] for d, p in zip(self._dims, pos, strict=True)
        )
        mv = self.multiverse
        return Specification(
            i, outcome, mv.treatment, controls, est, cov, cl, sample, lag, i == self.baseline_index
        )

    def __iter__(self) -> Iterator[Specification]:
        return (self[i] for i in range(len(self)))

    @property
    def baseline(self) -> Specification:
        """The baseline specification."""
        return self[self.baseline_index]

    def _digits(self, ids: np.ndarray) -> list[np.ndarray]:
        """Each dimension's position for the product indices ``ids`` (mixed radix)."""
        rest = np.asarray(ids, dtype=np.int64)
        digits = []
        for size in reversed(self._sizes):
            rest, p = np.divmod(rest, size)
            digits.append(p)
        return digits[::-1]

    @functools.cached_property
    def _choice_labels(self) -> dict[str, np.ndarray]:
        """The values of each choice, indexed by its digit: made once, so that decoding a
        block makes no string (every row shares its value's object)."""
        outcomes, control_sets, estimators, samples, cov_cluster, lags = self._dims
        return {
            "outcome": _labels(outcomes),
            "treatment": _labels([self.multiverse.treatment]),
            "controls": _labels(["+".join(cs) if cs else "(none)" for cs in control_sets]),
            "n_controls": np.array([len(cs) for cs in control_sets], dtype=np.int64),
            "estimator": _labels(estimators),
            "cov": _labels([v for v, _ in cov_cluster]),
            "cluster": _labels([v for _, v in cov_cluster]),
            "sample": _labels([x.label for x in samples]),
            "lags": np.array(lags, dtype=np.int64),
        }

    def choice_columns(
        self, start: int, stop: int, columns: Sequence[str] | None = None
    ) -> dict[str, np.ndarray]:
        """The choices of specifications ``start`` to ``stop - 1`` as columns, the same
        values as their :meth:`Specification.choices` rows, decoded for the whole range
        at once (a label array per dimension indexed by the digits; no object per
        specification): ``spec_id`` and ``columns`` (default: every choice)."""
        ids = np.arange(start, min(stop, len(self)), dtype=np.int64)
        appended = ids == self._product
        digits = self._digits(np.where(appended, 0, ids))
        labels = self._choice_labels
        wanted = [*_CHOICE_DIGIT, "is_baseline"] if columns is None else columns
        cols: dict[str, np.ndarray] = {"spec_id": ids}
        for name in wanted:
            if name == "is_baseline":
                cols[name] = ids == self.baseline_index
            elif name in _CHOICE_DIGIT:
                d = _CHOICE_DIGIT[name]
                cols[name] = labels[name][np.zeros(len(ids), dtype=int) if d is None else digits[d]]
        if appended.any():
            assert self._appended is not None
            for key, value in self._appended.choices().items():
                if key in cols:
                    cols[key][appended] = value
        return cols

    def counterparts(self, ids: np.ndarray, label: str = "all") -> np.ndarray:
        """For each specification in ``ids``, the index of the one with the same choices
        on sample ``label`` (``all``: the full sample), or -1 where the multiverse has
        none. Leave-one-out influence compares each left-out sample with it."""
        ids = np.asarray(ids, dtype=np.int64)
        out = np.full(len(ids), -1, dtype=np.int64)
        inner = ids < self._product
        labels = [x.label for x in self._dims[3]]
        digits = self._digits(ids[inner])
        if label in labels:
            stride = self._sizes[4] * self._sizes[5]
            out[inner] = ids[inner] + (labels.index(label) - digits[3]) * stride
        elif self._appended is not None and label == "all":
            base = self._appended
            key = (
                base.outcome,
                base.controls,
                base.estimator,
                None,
                (base.cov, base.cluster),
                base.lags,
            )
            match = np.ones(len(digits[0]), dtype=bool)
            for d, (value, dim) in enumerate(zip(key, self._dims, strict=True)):
                if d == 3:
                    continue
                if value not in dim:
                    match[:] = False
                    break
                match &= digits[d] == list(dim).index(value)
            out[np.flatnonzero(inner)[match]] = self._product
        return out

    def groups(self) -> Iterator[GroupRange]:
        """The blocks of specifications with one estimation sample, in a fixed order.

        A block is one (estimator, sample, lag), in the order of first appearance; its
        members (outcomes x control sets x covariances) are addressed by
        :meth:`GroupRange.indices`. An appended baseline joins the block of its
        choices, or forms a block of its own.
        """
        n_o, n_c, n_e, n_s, n_cc, n_l = self._sizes
        base = self._appended
        joined = False
        for e in range(n_e):
            for s in range(n_s):
                for lag in range(n_l):
                    extra: tuple[int, ...] = ()
                    if (
                        base is not None
                        and self._dims[2][e] == base.estimator
                        and self._dims[3][s].label == "all"
                        and self._dims[5][lag] == base.lags
                    ):
                        extra, joined = (base.index,), True
                    yield GroupRange(self, (e, s, lag), n_o * n_c * n_cc, extra)
        if base is not None and not joined:
            yield GroupRange(self, None, 0, (base.index,))


#: Each choice column: the dimension whose digit indexes its label array.
_CHOICE_DIGIT: dict[str, int | None] = {
    "outcome": 0,
    "treatment": None,
    "controls": 1,
    "n_controls": 1,
    "estimator": 2,
    "cov": 4,
    "cluster": 4,
    "sample": 3,
    "lags": 5,
}


def _labels(values: Sequence[Any]) -> np.ndarray:
    """``values`` as an object array (each label one shared object, indexed per row)."""
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


@dataclass(frozen=True)
class GroupRange:
    """The specifications of one (estimator, sample, lag) block of :class:`Specifications`."""

    specs: Specifications
    key: tuple[int, int, int] | None  # positions of estimator, sample, lag
    n_product: int  # members in the Cartesian product
    extra: tuple[int, ...] = ()  # an appended baseline

    def __len__(self) -> int:
        return self.n_product + len(self.extra)

    def indices(self, start: int, stop: int) -> list[int]:
        """The specification indices of members ``start`` to ``stop - 1``, in index order."""
        out = []
        if self.key is not None:
            e, s, lag = self.key
            n_c, n_cc = self.specs._sizes[1], self.specs._sizes[4]
            for k in range(start, min(stop, self.n_product)):
                rest, cc = divmod(k, n_cc)
                o, c = divmod(rest, n_c)
                out.append(self.specs._encode((o, c, e, s, cc, lag)))
        out.extend(self.extra[max(start - self.n_product, 0) : max(stop - self.n_product, 0)])
        return out


def baseline_estimator(spec: Spec) -> str:
    """The multiverse name of a baseline spec's estimator (``pooled`` ... ``random``)."""
    if spec.estimator == "pooled_ols":
        return "pooled"
    if spec.estimator == "random_effects":
        return "random"
    if spec.estimator == "panel_ols":
        return {(): "pooled", ("entity",): "entity", ("time",): "time"}.get(
            tuple(spec.effects), "twoway"
        )
    raise SpecError(
        f"model.estimator {spec.estimator!r}: the robustness multiverse runs linear panel "
        "models only (pooled_ols, panel_ols, random_effects)"
    )


def _str_list(key: str, value: Any, allowed: Sequence[str] | None = None) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SpecError(f"robustness.{key} must be a list of strings, got {value!r}")
    if not value:
        raise SpecError(f"robustness.{key} is empty: the multiverse would have no specification")
    if len(set(value)) != len(value):
        raise SpecError(f"robustness.{key} has duplicates: {value}")
    if allowed is not None:
        bad = [v for v in value if v not in allowed]
        if bad:
            raise SpecError(f"robustness.{key}: unknown {bad}; choose from {list(allowed)}")
    return tuple(value)


def _int(key: str, value: Any, minimum: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise SpecError(f"robustness.{key} must be an integer >= {minimum}, got {value!r}")
    return value


def parse_robustness(spec: Spec, table: Mapping[str, Any] | None) -> Multiverse:
    """Validate a ``[robustness]`` table (without data) into a :class:`Multiverse`.

    Raises
    ------
    SpecError
        Unknown keys or choices, wrong types, an empty list, a treatment that is
        also a control or the outcome, a malformed sample.
    """
    table = dict(table or {})
    unknown = sorted(set(table) - set(ALLOWED_KEYS))
    if unknown:
        raise SpecError(f"unknown key(s) in [robustness]: {unknown}; allowed: {list(ALLOWED_KEYS)}")
    est_default = baseline_estimator(spec)
    treatment = table.get("treatment", spec.treatment_name)
    if not isinstance(treatment, str) or not treatment:
        raise SpecError(f"robustness.treatment must be a column name, got {treatment!r}")
    pool = tuple(r for r in spec.regressors if r != treatment)
    outcomes = _str_list("outcomes", table.get("outcomes", [spec.outcome]))
    if treatment in outcomes:
        raise SpecError(f"robustness.treatment {treatment!r} is also an outcome")
    controls = table.get("controls", "baseline")
    if controls == "all-subsets":
        if len(pool) > MAX_SUBSET_CONTROLS:
            raise SpecError(
                f"robustness.controls: all subsets of {len(pool)} controls is 2^{len(pool)} "
                f"sets; list the sets (at most {MAX_SUBSET_CONTROLS} controls for all-subsets)"
            )
        sets = tuple(
            tuple(c) for r in range(len(pool) + 1) for c in itertools.combinations(pool, r)
        )
    elif controls == "baseline":
        sets = (pool,)
    elif isinstance(controls, list) and all(isinstance(s, list) for s in controls):
        if not controls:
            raise SpecError(
                "robustness.controls is empty: the multiverse would have no specification"
            )
        sets = tuple(tuple(s) for s in controls)
        for s in sets:
            if not all(isinstance(c, str) for c in s) or len(set(s)) != len(s):
                raise SpecError(f"robustness.controls: bad control set {list(s)}")
            if treatment in s:
                raise SpecError(f"robustness.controls: set {list(s)} contains the treatment")
        pool = tuple(dict.fromkeys(c for s in sets for c in s))
    else:
        raise SpecError(
            "robustness.controls must be 'all-subsets', 'baseline' or a list of lists of "
            f"column names, got {controls!r}"
        )
    overlap = set(pool) & set(outcomes)
    if overlap:
        raise SpecError(f"robustness.controls: {sorted(overlap)} also outcome(s)")
    estimators = _str_list("estimators", table.get("estimators", [est_default]), ESTIMATOR_CHOICES)
    samples = _str_list("samples", table.get("samples", ["all"]))
    for sample in samples:
        m = _SAMPLE_RE.match(sample)
        if m is None:
            raise SpecError(
                f"robustness.samples: {sample!r} is not 'all', 'drop:COL=VALUE', "
                "'leave-one-out:COL' or 'years:START-END'"
            )
        if m.group("y0") is not None and int(m.group("y1")) < int(m.group("y0")):
            raise SpecError(f"robustness.samples: {sample!r} ends before it starts")
    covs = _str_list("cov", table.get("cov", [spec.cov]), COV_CHOICES)
    default_cluster = spec.cluster if spec.cluster in CLUSTER_CHOICES else "entity"
    clusters = _str_list("cluster", table.get("cluster", [default_cluster]), CLUSTER_CHOICES)
    if "cluster" in table and "clustered" not in covs:
        raise SpecError(
            f"robustness.cluster is set but robustness.cov {list(covs)} has no 'clustered'"
        )
    # the baseline's covariance options (bandwidth, group_debias) serve the covariances
    # of the multiverse; the engine offers linearmodels' convention only
    Covariance.from_spec(spec, kinds=(spec.cov, *covs)).check_supported("multiverse")
    lags_raw = table.get("lags", [spec.lags])
    if isinstance(lags_raw, int):
        lags_raw = [lags_raw]
    if not isinstance(lags_raw, list) or not lags_raw:
        raise SpecError(f"robustness.lags must be a non-empty list of integers, got {lags_raw!r}")
    lags = tuple(_int("lags", v) for v in lags_raw)
    if spec.formula is not None and lags != (0,):
        raise SpecError(
            "robustness.lags cannot vary with a formula baseline; write lag(x, k) in the formula"
        )
    if len(set(lags)) != len(lags):
        raise SpecError(f"robustness.lags has duplicates: {list(lags)}")
    common = table.get("common_sample", False)
    if not isinstance(common, bool):
        raise SpecError(f"robustness.common_sample must be true or false, got {common!r}")
    weights = table.get("bootstrap_weights", "rademacher")
    if weights not in WEIGHT_CHOICES:
        raise SpecError(
            f"robustness.bootstrap_weights: {weights!r}; choose from {list(WEIGHT_CHOICES)}"
        )
    level = table.get("level", 0.95)
    if not isinstance(level, float) or not 0.5 <= level < 1:
        raise SpecError(f"robustness.level must be a number in [0.5, 1), got {level!r}")
    return Multiverse(
        baseline=spec,
        treatment=treatment,
        control_pool=pool,
        control_sets=sets,
        outcomes=outcomes,
        estimators=estimators,
        samples=samples,
        covs=covs,
        clusters=clusters,
        lags=lags,
        common_sample=common,
        placebo=_int("placebo", table.get("placebo", 200)),
        bootstrap=_int("bootstrap", table.get("bootstrap", 999)),
        bootstrap_weights=weights,
        seed=_int("seed", table.get("seed", 0)),
        level=level,
        curve_test=_int("curve_test", table.get("curve_test", 0)),
    )


__all__ = [
    "ALLOWED_KEYS",
    "CLUSTER_CHOICES",
    "COV_CHOICES",
    "ESTIMATOR_CHOICES",
    "Multiverse",
    "Sample",
    "Specification",
    "Specifications",
    "baseline_estimator",
    "parse_robustness",
]
