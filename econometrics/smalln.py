"""Small-N case analysis: Elliott-style GSP success rates and Weisband-style responsiveness.

Elliott (2000; via Banks, seed ``001_0ff89a4813f73384.txt`` lines 3954-3971) coded 32 US GSP
worker-rights cases as successes (15) or failures (17). With ~30 cases, inference must be exact
or penalised: this module reports success rates by category with Wilson intervals
(``statsmodels.stats.proportion.proportion_confint``), Fisher exact tests
(``scipy.stats.fisher_exact``), and Firth-penalised logit (``firthmodels``, with penalised
likelihood-ratio p-values), on the shipped ``gsp_worker_rights_reviews`` table.

Weisband (2000; via Banks, seed 001 lines 3452-3526) measured ILO "responsiveness" as the
share of negative CEACR observations followed by corrective action ("cases of progress").
:func:`responsiveness` gives that ratio by group with Wilson and unit-bootstrap intervals, and
:func:`responsiveness_model` a Poisson/negative-binomial model of progress counts with the
number of observations (or ratifications) as exposure.

Bootstrap intervals of a ratio of sums come from ``scipy.stats.bootstrap`` (rows resampled
in pairs, percentile method). Rate intervals for observations per ratification from
``statsmodels.stats.rates.confint_poisson``. Political openness of a GSP target comes from
Polity5 (:func:`add_political_openness`). Elliott's other category, GSP dependence (GSP
duty-free imports over exports to the US), needs USITC trade data that the project does not
have; pass such a column to :func:`success_rates` when it exists.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from econometrics.results import EstimationResults
from enforcement_lab.errors import DataError

GSP_TABLE = "gsp_worker_rights_reviews"


def load_cases() -> pd.DataFrame:
    """The shipped GSP worker-rights cases with a ``year`` parsed from ``case_id`` (or NA)."""
    from enforcement_lab.data import load_shipped

    frame = load_shipped(GSP_TABLE).copy()
    frame["year"] = case_year(frame["case_id"])
    return frame


def case_year(case_id: pd.Series) -> pd.Series:
    """The year in a case identifier such as ``"CHL-1986"`` (NA for ``"BEN-memo"``).

    Examples
    --------
    >>> case_year(pd.Series(["CHL-1986", "BEN-memo"])).tolist()
    [1986, <NA>]
    """
    years = [re.search(r"-(\d{4})$", str(c)) for c in case_id]
    return pd.Series(
        [int(m.group(1)) if m else pd.NA for m in years], index=case_id.index, dtype="Int64"
    )


def _coded(frame: pd.DataFrame, outcome: str) -> pd.DataFrame:
    if outcome not in frame.columns:
        raise DataError(f"column {outcome!r} not in the case table")
    out = frame[frame[outcome].notna()].copy()
    vals = set(pd.to_numeric(out[outcome]).astype(int).unique())
    if not vals <= {0, 1}:
        raise DataError(f"column {outcome!r} must be 0/1 (or empty), found {sorted(vals)}")
    out[outcome] = pd.to_numeric(out[outcome]).astype(int)
    return out


def _explode(frame: pd.DataFrame, by: str, sep: str | None) -> pd.DataFrame:
    if by not in frame.columns:
        raise DataError(f"column {by!r} not in the case table")
    out = frame.copy()
    if sep is not None:
        out[by] = out[by].astype("string").str.split(sep)
        out = out.explode(by)
    out[by] = out[by].astype("string").fillna("(missing)")
    return out


def wilson(successes: int | np.ndarray, n: int | np.ndarray, alpha: float = 0.05) -> tuple:
    """Wilson score interval (statsmodels ``proportion_confint(method="wilson")``).

    Examples
    --------
    >>> [round(v, 4) for v in wilson(15, 32)]
    [0.3087, 0.6355]
    """
    from statsmodels.stats.proportion import proportion_confint

    return proportion_confint(successes, n, alpha=alpha, method="wilson")


def success_rates(
    frame: pd.DataFrame,
    by: str,
    outcome: str = "elliott_success",
    *,
    sep: str | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Success rate by category with Wilson intervals, over cases with a coded outcome.

    Parameters
    ----------
    frame : DataFrame
        One row per case.
    by : str
        Category column (e.g. ``petitioner_type``, ``outcome``, ``issues``).
    outcome : str
        0/1 success column; empty cells are not coded and left out.
    sep : str, optional
        Separator of a list column (``";"`` for ``issues``): a case counts in every category
        it lists, so categories overlap.
    alpha : float
        1 - confidence level.

    Returns
    -------
    DataFrame
        Indexed by category: ``n``, ``successes``, ``rate``, ``lower``, ``upper``.
    """
    coded = _explode(_coded(frame, outcome), by, sep)
    g = (
        coded.groupby(by)[outcome]
        .agg(["size", "sum"])
        .rename(columns={"size": "n", "sum": "successes"})
    )
    g["rate"] = g["successes"] / g["n"]
    lo, hi = wilson(g["successes"].to_numpy(), g["n"].to_numpy(), alpha)
    g["lower"], g["upper"] = lo, hi
    return g.sort_values("n", ascending=False)


def fisher_tests(
    frame: pd.DataFrame, by: str, outcome: str = "elliott_success", *, sep: str | None = None
) -> pd.DataFrame:
    """Fisher exact test of each category against all other coded cases (two-sided).

    Returns
    -------
    DataFrame
        Indexed by category: the 2x2 cells ``a`` (successes in), ``b`` (failures in),
        ``c`` (successes out), ``d`` (failures out), ``odds_ratio`` and ``p_value``.
    """
    from scipy.stats import fisher_exact

    coded = _coded(frame, outcome).reset_index(drop=True)
    coded["_case"] = np.arange(len(coded))
    long = _explode(coded, by, sep)
    rows = {}
    for level, sub in long.groupby(by):
        inside = coded["_case"].isin(sub["_case"])
        y = coded[outcome]
        a, b = int(y[inside].sum()), int((1 - y[inside]).sum())
        c, d = int(y[~inside].sum()), int((1 - y[~inside]).sum())
        res = fisher_exact([[a, b], [c, d]])
        rows[level] = {
            "a": a,
            "b": b,
            "c": c,
            "d": d,
            "odds_ratio": float(res.statistic),
            "p_value": float(res.pvalue),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis(by)


def category_dummies(
    frame: pd.DataFrame, column: str, *, sep: str | None = None, drop: str | None = None
) -> pd.DataFrame:
    """0/1 indicator columns ``column[level]`` (a list column gives overlapping indicators)."""
    s = frame[column].astype("string").fillna("(missing)")
    d = s.str.get_dummies(sep=sep) if sep else pd.get_dummies(s, dtype=int)
    if drop is not None and drop in d.columns:
        d = d.drop(columns=drop)
    d.columns = [f"{column}[{c}]" for c in d.columns]
    return d.astype(float)


def firth_logit(
    frame: pd.DataFrame, outcome: str, regressors: Sequence[str] | pd.DataFrame
) -> EstimationResults:
    """Firth-penalised logit (``firthmodels.FirthLogisticRegression``) for small samples.

    Standard errors are firthmodels' Wald SEs, from the augmented information
    ``X' diag(w (1 + h)) X`` at the penalised estimate (in a saturated 2x2 model, the
    Woolf-Haldane SE ``sqrt(sum 1/(cell + 0.5))``); R ``logistf`` reports the plain inverse
    of ``X'WX`` at the same estimate, which is somewhat larger (both are tested). Inference
    should rest on the p-values, which are the penalised likelihood-ratio test p-values
    (``lrt_pvalues_``) that Firth inference recommends, not on ``estimate / SE``.

    Parameters
    ----------
    frame : DataFrame
        Cases; rows with an empty outcome are dropped.
    outcome : str
        0/1 column.
    regressors : sequence of str or DataFrame
        Column names of ``frame`` or a frame of regressors aligned with ``frame``.
    """
    from firthmodels import FirthLogisticRegression

    coded = _coded(frame, outcome)
    x = (
        regressors.loc[coded.index]
        if isinstance(regressors, pd.DataFrame)
        else coded[list(regressors)]
    )
    x = x.astype(float)
    # gtol/xtol 1e-8: Newton converges quadratically, so the estimate is good to ~1e-12;
    # tighter tolerances make step-halving "fail" at rounding level, firthmodels then flags
    # the fit as not converged and leaves every LRT p-value NaN (seen on the GSP table)
    model = FirthLogisticRegression(backend="numpy", max_iter=200, gtol=1e-8, xtol=1e-8)
    model.fit(x.to_numpy(), coded[outcome].to_numpy())
    if not model.converged_:
        raise DataError("Firth logit did not converge (firthmodels, 200 iterations)")
    model.lrt()
    names = ["const", *map(str, x.columns)]
    params = np.r_[model.intercept_, model.coef_]
    bse = np.r_[model.bse_[-1], model.bse_[:-1]]
    pv = np.r_[model.lrt_pvalues_[-1], model.lrt_pvalues_[:-1]]
    return EstimationResults(
        params=pd.Series(params, index=names),
        std_errors=pd.Series(bse, index=names),
        pvalues=pd.Series(pv, index=names),
        nobs=len(coded),
        estimator="firth_logit",
        cov_type="penalised information (LRT p-values)",
        outcome=outcome,
        extra={"penalised log-likelihood": float(model.loglik_)},
        raw=model,
    )


#: Polity2 cut points for Elliott's "political openness" (the usual Polity IV bands):
#: autocracy at or below -6, democracy at or above 6, anocracy in between.
OPENNESS_CUTS = (-6.0, 6.0)


def add_political_openness(
    cases: pd.DataFrame,
    polity: pd.DataFrame,
    *,
    year: str = "year",
    lag: int = 0,
    entity: str = "iso3",
) -> pd.DataFrame:
    """Add Elliott's "political openness" of the target: Polity2 in the case year.

    ``polity`` is a country-year frame with ``entity``, ``year`` and ``polity2`` columns (the
    ``polity5`` registry source, ``load_source("polity5")``). Adds ``polity2`` (the score in
    ``case year - lag``) and ``openness`` (``autocracy`` at or below -6, ``democracy`` at
    or above 6, ``anocracy`` in between; missing when the case is undated or Polity has no score, e.g.
    after 2020). Use it as ``success_rates(add_political_openness(cases, p), "openness")``.

    Examples
    --------
    >>> cases = pd.DataFrame({"iso3": ["A", "B", "C"], "year": [2000, 2001, None]})
    >>> pol = pd.DataFrame({"iso3": ["A", "B"], "year": [2000, 2001], "polity2": [8.0, -7.0]})
    >>> add_political_openness(cases, pol)["openness"].tolist()
    ['democracy', 'autocracy', <NA>]
    """
    for c in (entity, year):
        if c not in cases.columns:
            raise DataError(f"column {c!r} not in the case table")
    for c in (entity, "year", "polity2"):
        if c not in polity.columns:
            raise DataError(f"column {c!r} not in the Polity frame")
    scores = polity[[entity, "year", "polity2"]].dropna(subset=["year"])
    if scores.duplicated([entity, "year"]).any():
        raise DataError(f"duplicate ({entity}, year) rows in the Polity frame")
    key = pd.to_numeric(cases[year], errors="coerce").astype(float) - lag
    lookup = scores.assign(year=scores["year"].astype(float)).set_index([entity, "year"])
    idx = pd.MultiIndex.from_arrays([cases[entity], key])
    out = cases.copy()
    out["polity2"] = lookup["polity2"].reindex(idx).to_numpy(float)
    low, high = OPENNESS_CUTS
    band = pd.Series(pd.NA, index=out.index, dtype="string")
    band[out["polity2"] <= low] = "autocracy"
    band[(out["polity2"] > low) & (out["polity2"] < high)] = "anocracy"
    band[out["polity2"] >= high] = "democracy"
    out["openness"] = band
    return out


def compare_with_elliott(frame: pd.DataFrame | None = None, alpha: float = 0.05) -> dict[str, Any]:
    """The coded success rate beside Elliott's 15 of 32, and how the case sets differ.

    Elliott's counts come from the shipped ``published_benchmarks`` data set
    (``elliott_gsp_successes``, ``elliott_gsp_cases``); the description of the differences
    from the ``comparison_with_elliott`` entry of the GSP table's metadata. The counts here
    are recomputed from the rows.

    Returns
    -------
    dict
        ``coded`` and ``coded_1987_1998`` (cases dated up to 1998: ``n``, ``successes``,
        ``rate``, ``ci``), ``elliott`` (same keys), ``fisher_p`` (exact test of equal rates,
        coded vs Elliott), ``n_rows``, ``n_uncoded``, ``n_dated_to_1998``, ``n_dated_after_1998``,
        ``n_undated``, ``differences`` (text) and ``text`` (a printable paragraph).
    """
    from scipy.stats import fisher_exact

    from enforcement_lab.data import load_shipped, metadata

    frame = load_cases() if frame is None else frame.copy()
    if "year" not in frame.columns:
        frame["year"] = case_year(frame["case_id"])
    bench = load_shipped("published_benchmarks").set_index("benchmark_id")["value"]
    e_n, e_s = int(bench["elliott_gsp_cases"]), int(bench["elliott_gsp_successes"])

    def block(sub: pd.DataFrame) -> dict[str, Any]:
        coded = _coded(sub, "elliott_success")
        n, s = len(coded), int(coded["elliott_success"].sum())
        return {
            "n": n,
            "successes": s,
            "rate": s / n if n else float("nan"),
            "ci": tuple(float(v) for v in wilson(s, n, alpha)) if n else (np.nan, np.nan),
        }

    year = frame["year"]
    early = frame[year.notna() & (year <= 1998)]
    coded, early_b = block(frame), block(early)
    elliott: dict[str, Any] = {
        "n": e_n,
        "successes": e_s,
        "rate": e_s / e_n,
        "ci": tuple(float(v) for v in wilson(e_s, e_n, alpha)),
    }
    p = float(
        fisher_exact(
            [[coded["successes"], coded["n"] - coded["successes"]], [e_s, e_n - e_s]]
        ).pvalue
    )
    differences = str(metadata(GSP_TABLE).get("comparison_with_elliott", ""))
    out = {
        "coded": coded,
        "coded_1987_1998": early_b,
        "elliott": elliott,
        "fisher_p": p,
        "n_rows": len(frame),
        "n_uncoded": int(frame["elliott_success"].isna().sum()),
        "n_dated_to_1998": len(early),
        "n_dated_after_1998": int((year.notna() & (year > 1998)).sum()),
        "n_undated": int(year.isna().sum()),
        "differences": differences,
    }
    dated = year.dropna()
    span = f"{int(dated.min())}-{int(dated.max())}" if len(dated) else "undated"
    out["text"] = (
        f"Coded GSP cases: {coded['successes']} successes of {coded['n']} "
        f"({coded['rate']:.0%}, Wilson {1 - alpha:.0%} CI {coded['ci'][0]:.2f}-{coded['ci'][1]:.2f}); "
        f"Elliott (2000): {e_s} of {e_n} ({elliott['rate']:.0%}, CI {elliott['ci'][0]:.2f}-"
        f"{elliott['ci'][1]:.2f}); Fisher exact p = {p:.3f}. Cases dated to 1998: "
        f"{early_b['successes']} of {early_b['n']} ({early_b['rate']:.0%}). Of {len(frame)} rows, "
        f"{out['n_uncoded']} have no success code; {out['n_dated_to_1998']} are dated to 1998, "
        f"{out['n_dated_after_1998']} after, {out['n_undated']} undated. The case sets differ: "
        f"our rows are the cases our sources document ({span}, no exclusions, our own coding); "
        "Elliott's are petitions accepted to 1998 after her exclusions, and her list is not "
        "available, so this is a comparison, not a replication."
    )
    return out


#: Readings of an uncoded case in :func:`rate_bounds`, in the order of the rows.
READINGS = ("uncoded = failure", "coded only", "uncoded = success")


def rate_bounds(
    frame: pd.DataFrame, outcome: str = "elliott_success", *, alpha: float = 0.05
) -> pd.DataFrame:
    """Success rate with the uncoded cases read both ways: worst-case bounds.

    A case whose outcome no source states is neither a success nor a failure. Reading it as
    a failure gives the lower bound ``k / N`` (Elliott's reading: no verified step is no
    success), reading it as a success the upper bound ``(k + u) / N``; between them lies
    the rate among coded cases ``k / n``, which is right only if outcomes are missing at
    random. These are Manski's (1989) worst-case bounds on the share of successes among
    all ``N`` cases. Each row carries its Wilson interval.

    Returns
    -------
    DataFrame
        Indexed by :data:`READINGS`: ``cases`` (rows in the rate's denominator),
        ``successes``, ``uncoded``, ``rate``, ``lower``, ``upper``.

    Examples
    --------
    >>> f = pd.DataFrame({"y": pd.array([1, 1, 0, None], dtype="Int64")})
    >>> rate_bounds(f, "y")["rate"].round(3).tolist()
    [0.5, 0.667, 0.75]
    """
    if outcome not in frame.columns:
        raise DataError(f"column {outcome!r} not in the case table")
    coded = _coded(frame, outcome)
    k, n, total = int(coded[outcome].sum()), len(coded), len(frame)
    u = total - n
    rows = pd.DataFrame(
        {
            "cases": [total, n, total],
            "successes": [k, k, k + u],
            "uncoded": [u, u, u],
        },
        index=pd.Index(READINGS, name="reading"),
    )
    den = rows["cases"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        rows["rate"] = rows["successes"] / rows["cases"]
    lo, hi = wilson(rows["successes"].to_numpy(), np.where(den > 0, den, 1), alpha)
    rows["lower"] = np.where(den > 0, lo, np.nan)
    rows["upper"] = np.where(den > 0, hi, np.nan)
    return rows


def against_benchmark(
    successes: int, n: int, benchmark: float, *, alpha: float = 0.05
) -> dict[str, float | bool]:
    """A rate against a published rate taken as a fixed number, not as a second sample.

    When the two samples overlap (our GSP cases and Elliott's 32 share cases), a
    two-sample test such as Fisher's treats them as independent draws and overstates
    the evidence. Here the benchmark (e.g. Elliott's 15/32) is a fixed value ``p0``:
    ``binomial_p`` is the two-sided exact binomial test of ``rate = p0``
    (``scipy.stats.binomtest``, equal to R ``binom.test``), and ``contains`` says whether
    the Wilson interval of the rate covers ``p0``.

    Examples
    --------
    >>> r = against_benchmark(20, 26, 15 / 32)
    >>> round(r["binomial_p"], 4), r["contains"]
    (0.0025, False)
    """
    from scipy.stats import binomtest

    if n <= 0 or not 0 <= successes <= n:
        raise DataError(f"need 0 <= successes <= n and n > 0, got {successes} of {n}")
    if not 0 <= benchmark <= 1:
        raise DataError(f"benchmark rate must lie in [0, 1], got {benchmark}")
    lo, hi = (float(v) for v in wilson(successes, n, alpha))
    return {
        "rate": successes / n,
        "lower": lo,
        "upper": hi,
        "benchmark": float(benchmark),
        "binomial_p": float(binomtest(successes, n, benchmark).pvalue),
        "contains": bool(lo <= benchmark <= hi),
    }


def undated_countries(frame: pd.DataFrame) -> list[str]:
    """Countries with a GSP case whose years no source states (a review of unknown timing).

    A case with no petition, opening or closing year, and no year in its ``case_id``
    (``"BEN-memo"``), cannot be placed in a country-year panel; coding its country as
    never reviewed would put a reviewed country among the controls. Cases that were
    withdrawn or not accepted do not count (no review).

    Examples
    --------
    >>> f = pd.DataFrame({"iso3": ["A", "B", "C", "D"], "case_id": ["A-1990", "B-memo",
    ...     "C-1995", "D-2003"], "petition_year": [1990, None, None, None],
    ...     "review_opened": [None, None, None, None], "review_closed": [None, None, 1995, None],
    ...     "outcome": ["suspension", "unknown", "termination", "unknown"]})
    >>> undated_countries(f)
    ['B']
    """
    cols = ["petition_year", "review_opened", "review_closed"]
    missing = [c for c in ["iso3", "outcome", *cols] if c not in frame.columns]
    if missing:
        raise DataError(f"column(s) {missing} not in the case table")
    reviews = frame[frame["outcome"] != "withdrawn_or_not_accepted"]
    undated = reviews[cols].isna().all(axis=1)
    if "case_id" in reviews.columns:
        undated &= case_year(reviews["case_id"]).isna().to_numpy()
    return sorted(reviews.loc[undated, "iso3"].astype(str).unique())


# ---------------------------------------------------------------------------- Weisband
def _ratio_of_sums(num: np.ndarray, den: np.ndarray, axis: int = -1) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return num.sum(axis=axis) / den.sum(axis=axis)


def _ratio_bootstrap(
    num: np.ndarray, den: np.ndarray, n_boot: int, alpha: float, rng: np.random.Generator
) -> tuple[float, float]:
    """Percentile interval of ``sum(num) / sum(den)``, rows resampled in pairs
    (``scipy.stats.bootstrap(paired=True)``); a single row gives a degenerate interval."""
    from scipy.stats import bootstrap

    if len(num) < 2:
        r = float(_ratio_of_sums(num, den))
        return r, r
    res = bootstrap(
        (num, den),
        _ratio_of_sums,
        paired=True,
        vectorized=True,
        n_resamples=n_boot,
        confidence_level=1 - alpha,
        method="percentile",
        rng=rng,
    )
    return float(res.confidence_interval.low), float(res.confidence_interval.high)


def responsiveness(
    frame: pd.DataFrame,
    progress: str,
    observations: str,
    by: str | Sequence[str] | None = None,
    *,
    kind: str = "proportion",
    alpha: float = 0.05,
    n_boot: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """Weisband's ratios by group: corrective actions per negative observation, or
    observations per ratification.

    The ratio is ``sum(progress) / sum(observations)`` within each group (the names follow
    the first use; for observations per ratification pass the observation counts as
    ``progress`` and the ratification counts as ``observations``).

    ``kind="proportion"`` (responsiveness): the Wilson interval treats each observation as a
    trial that either was or was not followed by progress, so it requires
    ``progress <= observations`` in every group. ``kind="rate"`` (observations per
    ratification, which exceeds 1): an exact Poisson interval for a rate
    (``statsmodels.stats.rates.confint_poisson``, ``method="exact-c"``) with the
    denominator as exposure. In both, the bootstrap interval resamples rows (units, e.g.
    country-conventions) within the group, which allows for clustering within units.

    Returns
    -------
    DataFrame
        Per group: ``units``, ``progress``, ``observations``, ``ratio``, then
        ``wilson_lower``, ``wilson_upper`` (proportion) or ``poisson_lower``,
        ``poisson_upper`` (rate), and ``boot_lower``, ``boot_upper``.
    """
    from statsmodels.stats.rates import confint_poisson

    if kind not in ("proportion", "rate"):
        raise DataError(f"kind {kind!r} unknown; use 'proportion' or 'rate'")
    for c in (progress, observations):
        if c not in frame.columns:
            raise DataError(f"column {c!r} not in the frame")
    if (frame[progress] < 0).any() or (frame[observations] < 0).any():
        raise DataError(f"columns {progress!r} and {observations!r} must be non-negative counts")
    rng = np.random.default_rng(seed)
    groups = [((), frame)] if by is None else frame.groupby(by, observed=True)
    prefix = "wilson" if kind == "proportion" else "poisson"
    rows = []
    for key, sub in groups:
        p = sub[progress].to_numpy(float)
        o = sub[observations].to_numpy(float)
        ps, os_ = p.sum(), o.sum()
        if kind == "proportion" and ps > os_:
            raise DataError(
                f"group {key}: more {progress!r} ({ps}) than {observations!r} ({os_}); "
                "for a ratio above one (observations per ratification) pass kind='rate'"
            )
        if os_ <= 0:
            lo, hi = np.nan, np.nan
        elif kind == "proportion":
            lo, hi = wilson(ps, os_, alpha)
        else:
            lo, hi = (float(v) for v in confint_poisson(ps, os_, method="exact-c", alpha=alpha))
        blo, bhi = _ratio_bootstrap(p, o, n_boot, alpha, rng) if os_ > 0 else (np.nan, np.nan)
        rows.append(
            {
                "group": key,
                "units": len(sub),
                "progress": ps,
                "observations": os_,
                "ratio": ps / os_ if os_ > 0 else np.nan,
                f"{prefix}_lower": lo,
                f"{prefix}_upper": hi,
                "boot_lower": blo,
                "boot_upper": bhi,
            }
        )
    out = pd.DataFrame(rows).set_index("group")
    return out


def responsiveness_model(
    frame: pd.DataFrame,
    count: str,
    exposure: str,
    regressors: Sequence[str],
    *,
    family: str = "poisson",
    cluster: str | None = None,
) -> EstimationResults:
    """Poisson GLM or NB2 of a count (e.g. cases of progress) with ``log(exposure)`` offset.

    ``exposure`` is the number of negative observations (responsiveness) or ratifications
    (observations per ratification). Covariance: HC0 robust, or clustered by ``cluster``.
    Categorical regressors (strings) become dummies (first level dropped).
    """
    import statsmodels.api as sm

    cols = [count, exposure, *regressors] + ([cluster] if cluster else [])
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise DataError(f"unknown column(s) {missing}")
    d = frame[cols].dropna()
    if (d[exposure] <= 0).any():
        raise DataError(f"exposure column {exposure!r} must be positive")
    x = pd.get_dummies(d[list(regressors)], drop_first=True, dtype=float)
    x.insert(0, "const", 1.0)
    kw: dict[str, Any] = {"cov_type": "HC0"}
    if cluster:
        kw = {"cov_type": "cluster", "cov_kwds": {"groups": pd.factorize(d[cluster])[0]}}
    y = d[count].astype(float)
    if family == "poisson":
        res = sm.GLM(y, x, family=sm.families.Poisson(), exposure=d[exposure]).fit(**kw)
    elif family == "negative_binomial":
        res = sm.NegativeBinomial(y, x, exposure=d[exposure]).fit(disp=0, maxiter=200, **kw)
    else:
        raise DataError(f"family {family!r} unknown; use 'poisson' or 'negative_binomial'")
    return EstimationResults.from_statsmodels(
        res,
        estimator=family,
        cov_type="clustered" if cluster else "robust",
        outcome=count,
        cluster=cluster,
    )


def before_after(
    panel: pd.DataFrame,
    outcome: str,
    events: pd.DataFrame,
    *,
    window: int = 3,
    entity: str = "iso3",
    time: str = "year",
) -> dict[str, Any]:
    """Before/after comparison for countries named (e.g. by the Conference Committee).

    For each event (``entity``, ``time`` = year named) the outcome is averaged over the
    ``window`` years before (``t-window .. t-1``) and after (``t+1 .. t+window``); events
    with no observation on either side are dropped. The change is tested with a paired
    t-test (``scipy.stats.ttest_1samp`` on the differences) and the Wilcoxon signed-rank
    test. There is no control group: this is a description, not a causal estimate (use
    :mod:`econometrics.did` for that).

    Returns
    -------
    dict
        ``events`` (per event: ``before``, ``after``, ``change``), ``mean_change``, ``n``,
        ``t_p_value``, ``wilcoxon_p_value``.
    """
    from scipy import stats

    d = panel.reset_index() if isinstance(panel.index, pd.MultiIndex) else panel
    for c in (entity, time, outcome):
        if c not in d.columns:
            raise DataError(f"column {c!r} not in the panel")
    for c in (entity, time):
        if c not in events.columns:
            raise DataError(f"column {c!r} not in the events")
    series = d.set_index([entity, time])[outcome].astype(float)
    rows = []
    for ent, year in events[[entity, time]].dropna().itertuples(index=False):
        year = int(year)
        try:
            s = series.loc[ent]
        except KeyError:
            continue
        before = s[(s.index >= year - window) & (s.index < year)].dropna()
        after = s[(s.index > year) & (s.index <= year + window)].dropna()
        if len(before) and len(after):
            rows.append(
                {
                    entity: ent,
                    time: year,
                    "before": before.mean(),
                    "after": after.mean(),
                    "change": after.mean() - before.mean(),
                }
            )
    ev = pd.DataFrame(rows, columns=[entity, time, "before", "after", "change"])
    n = len(ev)
    t_p = float(stats.ttest_1samp(ev["change"], 0.0).pvalue) if n > 1 else float("nan")
    nonzero = ev["change"][ev["change"] != 0]
    w_p = float(stats.wilcoxon(nonzero).pvalue) if len(nonzero) > 0 else float("nan")
    return {
        "events": ev,
        "mean_change": float(ev["change"].mean()) if n else float("nan"),
        "n": n,
        "t_p_value": t_p,
        "wilcoxon_p_value": w_p,
    }


__all__ = [
    "OPENNESS_CUTS",
    "READINGS",
    "add_political_openness",
    "against_benchmark",
    "before_after",
    "case_year",
    "category_dummies",
    "compare_with_elliott",
    "firth_logit",
    "fisher_tests",
    "load_cases",
    "rate_bounds",
    "responsiveness",
    "responsiveness_model",
    "success_rates",
    "undated_countries",
    "wilson",
]
