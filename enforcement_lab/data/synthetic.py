"""Seeded synthetic panels with known true parameters, for tests and demonstrations.

Every generator draws from :func:`numpy.random.default_rng` with the given ``seed`` (the
same seed gives the same frame), and every frame it returns carries

* ``frame.attrs["synthetic"] = True`` -- anything displayed from it must say "synthetic";
* ``frame.attrs["truth"]`` -- a dict of the true parameters of the data-generating process,
  so an estimator can be checked against them;
* ``frame.attrs["generator"]`` -- the generator's name and arguments (seed included).

Entities get ISO 3166 *user-assigned* codes ``XAA``, ``XAB``, ... (the ``XAA``-``XZZ`` block
is reserved for private use and never names a real country), so a synthetic row can never
be mistaken for, or merged with, a real country.

The generators
--------------
:func:`twfe_panel`
    Entity x year panel, ``y = a_i + l_t + beta * treatment + controls @ gamma + e``,
    with a treatment correlated with both fixed effects (pooled OLS is biased, two-way FE is not).
:func:`staggered_panel`
    Staggered adoption of a 0/1 event with never-treated units and known dynamic effects
    by event time (leads are zero: no anticipation).
:func:`ratification_spells`
    Country x convention spells of a proportional-hazards ratification process with
    covariates, observed from an observation start (left truncation) to an end (censoring).
:func:`ordered_panel`
    A 0-1-2 ordinal outcome (like CIRI ``WORKER``) from a latent logistic index.
:func:`count_panel`
    Poisson counts with an exposure (offset) term.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from enforcement_lab.errors import DataError

#: World Bank regions used as the synthetic ``region`` column.
REGIONS = (
    "East Asia & Pacific",
    "Europe & Central Asia",
    "Latin America & Caribbean",
    "Middle East & North Africa",
    "North America",
    "South Asia",
    "Sub-Saharan Africa",
)

_MAX_ENTITIES = 26 * 26


def synthetic_codes(n: int) -> list[str]:
    """The first ``n`` private-use ISO3 codes ``XAA``, ``XAB``, ... (at most 676).

    Examples
    --------
    >>> synthetic_codes(3)
    ['XAA', 'XAB', 'XAC']
    """
    if not 1 <= n <= _MAX_ENTITIES:
        raise DataError(f"n_entities must be between 1 and {_MAX_ENTITIES}, got {n}")
    pairs = itertools.islice(itertools.product(string.ascii_uppercase, repeat=2), n)
    return ["X" + a + b for a, b in pairs]


def _check_positive(name: str, value: int, minimum: int = 1) -> int:
    if int(value) != value or value < minimum:
        raise DataError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _mark(frame: pd.DataFrame, truth: dict[str, Any], generator: str, **args: Any) -> pd.DataFrame:
    frame.attrs["synthetic"] = True
    frame.attrs["truth"] = truth
    frame.attrs["generator"] = {"name": generator, **args}
    return frame


def _index(codes: Sequence[str], years: np.ndarray) -> pd.MultiIndex:
    return pd.MultiIndex.from_product([list(codes), years.tolist()], names=("iso3", "year"))


def twfe_panel(
    n_entities: int = 50,
    n_years: int = 20,
    beta: float = 0.5,
    seed: int = 0,
    *,
    gamma: Sequence[float] = (0.3, -0.2),
    start_year: int = 1990,
    sigma: float = 1.0,
    entity_sd: float = 1.0,
    time_sd: float = 0.5,
    confounding: float = 0.8,
) -> pd.DataFrame:
    """A balanced two-way fixed-effects panel with a known treatment effect.

    ``y = a_i + l_t + beta * treatment + sum_k gamma_k * x_k + e`` with
    ``a_i ~ N(0, entity_sd)``, ``l_t ~ N(0, time_sd)``, ``e ~ N(0, sigma)``, and
    ``treatment = confounding * (a_i + l_t) + N(0, 1)`` (so the treatment is correlated
    with both fixed effects), controls ``x_k ~ N(0, 1)``.

    Parameters
    ----------
    n_entities, n_years : int
        Panel dimensions (entities ``XAA``, ``XAB``, ...; years from ``start_year``).
    beta : float
        True coefficient of ``treatment``.
    seed : int
        Seed of the random generator.
    gamma : sequence of float
        True coefficients of the controls ``x1``, ``x2``, ...
    start_year : int
        First year.
    sigma, entity_sd, time_sd : float
        Standard deviations of the error, the entity effects and the year effects.
    confounding : float
        Loading of the treatment on ``a_i + l_t``.

    Returns
    -------
    DataFrame
        Indexed by ``("iso3", "year")``, columns ``y``, ``treatment``, ``x1``..., ``region``;
        ``attrs["truth"]`` has ``beta``, ``gamma`` (dict by column), ``sigma``,
        ``entity_effects`` and ``time_effects`` (dicts).

    Examples
    --------
    >>> df = twfe_panel(n_entities=4, n_years=3, beta=0.5, seed=1)
    >>> df.shape, df.index.names, df.attrs["synthetic"], df.attrs["truth"]["beta"]
    ((12, 5), FrozenList(['iso3', 'year']), True, 0.5)
    """
    n_entities = _check_positive("n_entities", n_entities)
    n_years = _check_positive("n_years", n_years)
    rng = np.random.default_rng(seed)
    codes = synthetic_codes(n_entities)
    years = np.arange(start_year, start_year + n_years)
    alpha = rng.normal(0.0, entity_sd, n_entities)
    lam = rng.normal(0.0, time_sd, n_years)
    fe = alpha[:, None] + lam[None, :]
    treat = confounding * fe + rng.normal(0.0, 1.0, fe.shape)
    gamma = tuple(float(g) for g in gamma)
    xs = rng.normal(0.0, 1.0, (len(gamma), n_entities, n_years))
    y = fe + beta * treat + np.tensordot(np.asarray(gamma), xs, axes=1)
    y = y + rng.normal(0.0, sigma, fe.shape)
    region = np.asarray(REGIONS)[rng.integers(0, len(REGIONS), n_entities)]
    data: dict[str, Any] = {"y": y.ravel(), "treatment": treat.ravel()}
    for k in range(len(gamma)):
        data[f"x{k + 1}"] = xs[k].ravel()
    data["region"] = np.repeat(region, n_years)
    frame = pd.DataFrame(data, index=_index(codes, years))
    truth = {
        "beta": float(beta),
        "gamma": {f"x{k + 1}": g for k, g in enumerate(gamma)},
        "sigma": float(sigma),
        "entity_effects": dict(zip(codes, alpha.tolist(), strict=True)),
        "time_effects": dict(zip(years.tolist(), lam.tolist(), strict=True)),
    }
    return _mark(
        frame,
        truth,
        "twfe_panel",
        n_entities=n_entities,
        n_years=n_years,
        beta=beta,
        seed=seed,
        gamma=gamma,
        start_year=start_year,
        sigma=sigma,
        entity_sd=entity_sd,
        time_sd=time_sd,
        confounding=confounding,
    )


def default_dynamic_effects(leads: int = 4, lags: int = 5) -> dict[int, float]:
    """Default dynamic effects: 0 before the event, ``0.5 + 0.1 * e`` from event time 0 on.

    Examples
    --------
    >>> default_dynamic_effects(leads=2, lags=2)
    {-2: 0.0, -1: 0.0, 0: 0.5, 1: 0.6, 2: 0.7}
    """
    return {e: (0.0 if e < 0 else round(0.5 + 0.1 * e, 10)) for e in range(-leads, lags + 1)}


def staggered_panel(
    n_entities: int = 60,
    n_years: int = 20,
    seed: int = 0,
    *,
    start_year: int = 1990,
    never_treated_share: float = 1 / 3,
    cohorts: Sequence[int] | None = None,
    effects: Mapping[int, float] | None = None,
    sigma: float = 1.0,
    entity_sd: float = 1.0,
    time_sd: float = 0.5,
) -> pd.DataFrame:
    """A staggered-adoption panel with never-treated units and known dynamic effects.

    Each treated entity adopts the event once, in its ``cohort`` year, and stays treated.
    ``y = a_i + l_t + tau(e_it) + e`` where ``e_it = year - cohort_i`` is the event time and
    ``tau`` is ``effects``: event times below the smallest key have effect 0, event times
    above the largest key keep the largest key's effect. Effects are the same across
    cohorts, so an event-study regression on binned event time recovers them exactly in
    expectation.

    Parameters
    ----------
    n_entities, n_years : int
        Panel dimensions.
    seed : int
        Seed of the random generator.
    start_year : int
        First year.
    never_treated_share : float
        Share of entities that never adopt (rounded to a count; at least one if > 0).
    cohorts : sequence of int, optional
        Adoption years to draw from (uniformly); default: every year from the 4th to the
        4th-to-last year of the panel.
    effects : mapping of int to float, optional
        True effect by event time (see :func:`default_dynamic_effects`, the default).
    sigma, entity_sd, time_sd : float
        Standard deviations of the error, entity effects and year effects.

    Returns
    -------
    DataFrame
        Indexed by ``("iso3", "year")``, columns ``y``, ``treated`` (0/1: post adoption),
        ``cohort`` (adoption year, ``<NA>`` if never treated), ``event_time`` (``<NA>`` if
        never treated), ``never_treated`` (bool), ``region``. ``attrs["truth"]`` has
        ``effects`` (by event time), ``att`` (mean true effect over treated cells) and
        ``cohorts`` (by entity).

    Examples
    --------
    >>> df = staggered_panel(n_entities=6, n_years=10, seed=3)
    >>> sorted(df.columns)
    ['cohort', 'event_time', 'never_treated', 'region', 'treated', 'y']
    >>> df.attrs["truth"]["effects"][0]
    0.5
    """
    n_entities = _check_positive("n_entities", n_entities, 2)
    n_years = _check_positive("n_years", n_years, 3)
    if not 0.0 <= never_treated_share < 1.0:
        raise DataError(f"never_treated_share must be in [0, 1), got {never_treated_share}")
    rng = np.random.default_rng(seed)
    codes = synthetic_codes(n_entities)
    years = np.arange(start_year, start_year + n_years)
    if cohorts is None:
        lo, hi = min(3, n_years - 1), max(min(3, n_years - 1), n_years - 4)
        cohorts = years[lo : hi + 1].tolist()
    cohorts = [int(c) for c in cohorts]
    outside = [c for c in cohorts if not start_year <= c <= years[-1]]
    if not cohorts or outside:
        raise DataError(f"cohorts must be years within {start_year}-{years[-1]}; got {cohorts}")
    effects = dict(default_dynamic_effects() if effects is None else effects)
    effects = {int(k): float(v) for k, v in effects.items()}
    lo_e, hi_e = min(effects), max(effects)

    def tau(e: np.ndarray) -> np.ndarray:
        clipped = np.clip(e, lo_e, hi_e)
        vals = np.array([effects.get(int(k), 0.0) for k in clipped.ravel()]).reshape(e.shape)
        return np.where(e < lo_e, 0.0, vals)

    n_never = round(never_treated_share * n_entities)
    if never_treated_share > 0 and n_never == 0:
        n_never = 1
    never = np.zeros(n_entities, dtype=bool)
    never[rng.permutation(n_entities)[:n_never]] = True
    cohort = rng.choice(np.asarray(cohorts), n_entities).astype(float)
    cohort[never] = np.nan
    alpha = rng.normal(0.0, entity_sd, n_entities)
    lam = rng.normal(0.0, time_sd, n_years)
    event_time = years[None, :] - cohort[:, None]
    treated = np.nan_to_num(event_time, nan=-1.0) >= 0
    effect = np.where(np.isnan(event_time), 0.0, tau(np.nan_to_num(event_time, nan=-1e9)))
    y = alpha[:, None] + lam[None, :] + effect + rng.normal(0.0, sigma, (n_entities, n_years))
    region = np.asarray(REGIONS)[rng.integers(0, len(REGIONS), n_entities)]
    frame = pd.DataFrame(
        {
            "y": y.ravel(),
            "treated": treated.ravel().astype(int),
            "cohort": pd.array(np.repeat(cohort, n_years), dtype="Float64").astype("Int64"),
            "event_time": pd.array(event_time.ravel(), dtype="Float64").astype("Int64"),
            "never_treated": np.repeat(never, n_years),
            "region": np.repeat(region, n_years),
        },
        index=_index(codes, years),
    )
    att = float(effect[treated].mean()) if treated.any() else float("nan")
    truth = {
        "effects": effects,
        "att": att,
        "cohorts": {
            c: (None if np.isnan(v) else int(v)) for c, v in zip(codes, cohort, strict=True)
        },
        "sigma": float(sigma),
    }
    return _mark(
        frame,
        truth,
        "staggered_panel",
        n_entities=n_entities,
        n_years=n_years,
        seed=seed,
        start_year=start_year,
        never_treated_share=never_treated_share,
        cohorts=tuple(cohorts),
        effects=effects,
        sigma=sigma,
    )


#: Default conventions and adoption years for :func:`ratification_spells`.
DEFAULT_CONVENTIONS: dict[str, int] = {"C087": 1948, "C098": 1949, "C138": 1973, "C182": 1999}


def ratification_spells(
    n_countries: int = 80,
    seed: int = 0,
    *,
    conventions: Mapping[str, int] | None = None,
    coef: Mapping[str, float] | None = None,
    baseline_hazard: Mapping[str, float] | float = 0.05,
    entry_years: tuple[int, int] = (1945, 1975),
    observe_from: int = 1980,
    observe_to: int = 2015,
) -> pd.DataFrame:
    """Country x convention ratification spells from a proportional-hazards process.

    Country ``i`` is at risk of ratifying convention ``c`` from
    ``at_risk_from = max(adopted_c, entry_i)`` (``entry_i`` is drawn uniformly in
    ``entry_years``, like ILO membership). The time to ratification ``T`` is exponential with
    hazard ``h_c * exp(x_i @ coef)`` (constant covariates ``logGDPpc``, ``polity2``,
    ``left_gov``), so a Cox model stratified by convention, or an exponential model with
    convention intercepts, recovers ``coef``.

    Spells are observed from ``observe_from``: a spell whose ratification happened before
    that year is not in the data at all, and one still at risk then enters late
    (**left truncation**: ``start > 0``). Spells not ratified by ``observe_to`` are
    right-censored (``event = 0``).

    Parameters
    ----------
    n_countries : int
        Number of countries.
    seed : int
        Seed of the random generator.
    conventions : mapping of str to int, optional
        Convention code -> adoption year (default :data:`DEFAULT_CONVENTIONS`).
    coef : mapping of str to float, optional
        True log-hazard coefficients (default ``{"logGDPpc": 0.3, "polity2": 0.05,
        "left_gov": 0.4}``); keys must be among those three covariates.
    baseline_hazard : float or mapping of str to float
        Per-year baseline hazard, one for all conventions or one per convention.
    entry_years : (int, int)
        Range of the years countries enter the risk set (inclusive).
    observe_from, observe_to : int
        Observation window (calendar years).

    Returns
    -------
    DataFrame
        One row per observed spell: ``iso3``, ``convention``, ``adopted``, ``at_risk_from``,
        ``start`` and ``stop`` (years since ``at_risk_from``: analysis time, ``start > 0``
        when left-truncated), ``event`` (1 = ratified), ``ratified_year`` (``<NA>`` if
        censored), ``left_truncated`` (bool), covariates, ``region``.
        ``attrs["truth"]`` has ``coef``, ``baseline_hazard`` (by convention) and
        ``n_dropped_truncated`` (spells ratified before the window).

    Examples
    --------
    >>> sp = ratification_spells(n_countries=10, seed=2)
    >>> bool((sp["stop"] > sp["start"]).all()), sp.attrs["truth"]["coef"]["left_gov"]
    (True, 0.4)
    """
    n_countries = _check_positive("n_countries", n_countries)
    if observe_to <= observe_from:
        raise DataError(f"observe_to ({observe_to}) must be after observe_from ({observe_from})")
    conventions = dict(DEFAULT_CONVENTIONS if conventions is None else conventions)
    coef = dict({"logGDPpc": 0.3, "polity2": 0.05, "left_gov": 0.4} if coef is None else coef)
    covariates = ("logGDPpc", "polity2", "left_gov")
    unknown = sorted(set(coef) - set(covariates))
    if unknown:
        raise DataError(f"unknown covariates in coef: {unknown}; choose from {list(covariates)}")
    if isinstance(baseline_hazard, Mapping):
        missing = sorted(set(conventions) - set(baseline_hazard))
        if missing:
            raise DataError(f"baseline_hazard has no entry for conventions {missing}")
        h0 = {c: float(baseline_hazard[c]) for c in conventions}
    else:
        h0 = dict.fromkeys(conventions, float(baseline_hazard))
    if any(v <= 0 for v in h0.values()):
        raise DataError(f"baseline hazards must be positive, got {h0}")
    rng = np.random.default_rng(seed)
    codes = synthetic_codes(n_countries)
    x = {
        "logGDPpc": rng.normal(8.0, 1.2, n_countries),
        "polity2": rng.integers(-10, 11, n_countries).astype(float),
        "left_gov": rng.binomial(1, 0.4, n_countries).astype(float),
    }
    # Centre logGDPpc in the index so the baseline hazard is that of an average country.
    index = sum(coef.get(k, 0.0) * (x[k] - (8.0 if k == "logGDPpc" else 0.0)) for k in covariates)
    entry = rng.integers(entry_years[0], entry_years[1] + 1, n_countries)
    region = np.asarray(REGIONS)[rng.integers(0, len(REGIONS), n_countries)]
    rows = []
    dropped = 0
    for conv, adopted in conventions.items():
        rate = h0[conv] * np.exp(index)
        t = rng.exponential(1.0 / rate)
        for i, code in enumerate(codes):
            at_risk = max(int(adopted), int(entry[i]))
            if at_risk >= observe_to:
                continue
            start = max(0.0, observe_from - at_risk)
            if t[i] <= start:
                dropped += 1
                continue
            horizon = observe_to - at_risk
            event = int(t[i] <= horizon)
            stop = float(t[i]) if event else float(horizon)
            rows.append(
                {
                    "iso3": code,
                    "convention": conv,
                    "adopted": int(adopted),
                    "at_risk_from": at_risk,
                    "start": float(start),
                    "stop": stop,
                    "event": event,
                    "ratified_year": int(np.floor(at_risk + t[i])) if event else pd.NA,
                    "left_truncated": start > 0,
                    **{k: x[k][i] for k in covariates},
                    "region": region[i],
                }
            )
    frame = pd.DataFrame(rows)
    frame["ratified_year"] = frame["ratified_year"].astype("Int64")
    truth = {"coef": coef, "baseline_hazard": h0, "n_dropped_truncated": dropped}
    return _mark(
        frame,
        truth,
        "ratification_spells",
        n_countries=n_countries,
        seed=seed,
        conventions=conventions,
        coef=coef,
        baseline_hazard=h0,
        entry_years=tuple(entry_years),
        observe_from=observe_from,
        observe_to=observe_to,
    )


def ordered_panel(
    n_entities: int = 100,
    n_years: int = 20,
    seed: int = 0,
    *,
    beta: Mapping[str, float] | None = None,
    cutpoints: tuple[float, float] = (-0.5, 1.0),
    start_year: int = 1990,
    entity_sd: float = 0.0,
) -> pd.DataFrame:
    """A panel with a 0/1/2 ordinal outcome (like CIRI ``WORKER``) from an ordered logit.

    ``y* = a_i + x @ beta + e`` with logistic ``e``; the outcome ``WORKER`` is 0 if
    ``y* <= cutpoints[0]``, 1 if ``y* <= cutpoints[1]``, else 2. With ``entity_sd = 0``
    (the default) a pooled ordered logit is correctly specified and recovers ``beta`` and
    the cut points.

    Parameters
    ----------
    n_entities, n_years : int
        Panel dimensions.
    seed : int
        Seed of the random generator.
    beta : mapping of str to float, optional
        True coefficients of the standard-normal regressors (default
        ``{"polity2": 0.8, "logGDPpc": 0.4}`` -- standardised here, not on the real scales).
    cutpoints : (float, float)
        Increasing thresholds of the latent index.
    start_year : int
        First year.
    entity_sd : float
        Standard deviation of a normal entity effect in the latent index.

    Returns
    -------
    DataFrame
        Indexed by ``("iso3", "year")``: ``WORKER`` (0, 1, 2), the regressors, ``region``.

    Examples
    --------
    >>> df = ordered_panel(n_entities=5, n_years=4, seed=0)
    >>> sorted(df["WORKER"].unique().tolist()) == [0, 1, 2], df.attrs["truth"]["cutpoints"]
    (True, (-0.5, 1.0))
    """
    n_entities = _check_positive("n_entities", n_entities)
    n_years = _check_positive("n_years", n_years)
    if not cutpoints[0] < cutpoints[1]:
        raise DataError(f"cutpoints must be increasing, got {cutpoints}")
    beta = dict({"polity2": 0.8, "logGDPpc": 0.4} if beta is None else beta)
    rng = np.random.default_rng(seed)
    codes = synthetic_codes(n_entities)
    years = np.arange(start_year, start_year + n_years)
    n = n_entities * n_years
    xs = {k: rng.normal(0.0, 1.0, n) for k in beta}
    alpha = np.repeat(rng.normal(0.0, entity_sd, n_entities), n_years) if entity_sd else 0.0
    latent = alpha + sum(beta[k] * xs[k] for k in beta) + rng.logistic(0.0, 1.0, n)
    worker = np.digitize(latent, cutpoints, right=True)
    region = np.asarray(REGIONS)[rng.integers(0, len(REGIONS), n_entities)]
    frame = pd.DataFrame(
        {"WORKER": worker.astype(int), **xs, "region": np.repeat(region, n_years)},
        index=_index(codes, years),
    )
    truth = {
        "beta": {k: float(v) for k, v in beta.items()},
        "cutpoints": tuple(float(c) for c in cutpoints),
        "entity_sd": float(entity_sd),
        "link": "logit",
    }
    return _mark(
        frame,
        truth,
        "ordered_panel",
        n_entities=n_entities,
        n_years=n_years,
        seed=seed,
        beta=beta,
        cutpoints=tuple(cutpoints),
        start_year=start_year,
        entity_sd=entity_sd,
    )


def count_panel(
    n_entities: int = 100,
    n_years: int = 20,
    seed: int = 0,
    *,
    intercept: float = -1.0,
    beta: Mapping[str, float] | None = None,
    start_year: int = 1990,
) -> pd.DataFrame:
    """A panel of Poisson counts with exposure, e.g. CEACR observations per ratification.

    ``count ~ Poisson(exposure * exp(intercept + x @ beta))`` with ``exposure`` an integer
    1-12 (think: number of conventions ratified). A Poisson GLM with offset
    ``log(exposure)`` recovers ``intercept`` and ``beta``.

    Parameters
    ----------
    n_entities, n_years : int
        Panel dimensions.
    seed : int
        Seed of the random generator.
    intercept : float
        True intercept of the log rate.
    beta : mapping of str to float, optional
        True coefficients of standard-normal regressors (default
        ``{"polity2": -0.3, "gsp_review": 0.5}``; a key named ``gsp_review`` is drawn 0/1
        with probability 0.2 instead).
    start_year : int
        First year.

    Returns
    -------
    DataFrame
        Indexed by ``("iso3", "year")``: ``count``, ``exposure``, the regressors, ``region``.

    Examples
    --------
    >>> df = count_panel(n_entities=3, n_years=2, seed=0)
    >>> list(df.columns), df.attrs["truth"]["intercept"]
    (['count', 'exposure', 'polity2', 'gsp_review', 'region'], -1.0)
    """
    n_entities = _check_positive("n_entities", n_entities)
    n_years = _check_positive("n_years", n_years)
    beta = dict({"polity2": -0.3, "gsp_review": 0.5} if beta is None else beta)
    rng = np.random.default_rng(seed)
    codes = synthetic_codes(n_entities)
    years = np.arange(start_year, start_year + n_years)
    n = n_entities * n_years
    xs = {
        k: (rng.binomial(1, 0.2, n).astype(float) if k == "gsp_review" else rng.normal(0, 1, n))
        for k in beta
    }
    exposure = rng.integers(1, 13, n)
    mu = exposure * np.exp(intercept + sum(beta[k] * xs[k] for k in beta))
    count = rng.poisson(mu)
    region = np.asarray(REGIONS)[rng.integers(0, len(REGIONS), n_entities)]
    frame = pd.DataFrame(
        {"count": count, "exposure": exposure, **xs, "region": np.repeat(region, n_years)},
        index=_index(codes, years),
    )
    truth = {"intercept": float(intercept), "beta": {k: float(v) for k, v in beta.items()}}
    return _mark(
        frame,
        truth,
        "count_panel",
        n_entities=n_entities,
        n_years=n_years,
        seed=seed,
        intercept=intercept,
        beta=beta,
        start_year=start_year,
    )


__all__ = [
    "DEFAULT_CONVENTIONS",
    "REGIONS",
    "count_panel",
    "default_dynamic_effects",
    "ordered_panel",
    "ratification_spells",
    "staggered_panel",
    "synthetic_codes",
    "twfe_panel",
]
