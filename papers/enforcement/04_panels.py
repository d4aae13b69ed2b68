# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 4. Panels: labor rights, democracy, income, trade and GSP reviews, 1981-2011
#
# Specification S2/S3 of the literature notes: country-year panels of the CIRI workers'
# rights score (`WORKER`, 0-2, 1981-2011) and Mosley's collective labor rights index
# (total, law, practice; developing countries 1985-2002) on democracy (Polity2), income
# (log GDP per capita), trade openness (log trade/GDP), population, and an indicator that
# a U.S. GSP worker-rights review of the country was open (all regressors lagged one
# year). Two-way fixed effects with country-clustered errors (linearmodels), an ordered
# logit for the 0-2 CIRI score (statsmodels), a specification curve over 1,536
# reasonable alternatives (`econometrics.robust`), and an event study around the first
# GSP review.
#
# **Real data only.** The panels come from the verified external files (CIRI 2014
# release; the published labor-rights controls panel with Mosley's scores) read from the
# data mirror; the GSP indicator comes from the shipped, hand-coded review data. When the
# external files are not available the notebook says so and writes no panel output.

# %% tags=["parameters"]
QUICK = False  # coarse settings for tests: baseline controls only, few permutations
DATA_MIRROR = ""  # "" = $ENFORCEMENT_LAB_DATA_MIRROR, else ../shared/data/external; "none" = off
EVENT_WINDOW = 5  # leads/lags in the event study

# %%
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from econometrics.results import EstimationResults
from econometrics.tables import compare
from enforcement_lab.errors import DataError
from enforcement_lab.paper import PaperOutputs, deterministic_matplotlib, resolve_mirror

deterministic_matplotlib()
out = PaperOutputs("04_panels")
mirror = resolve_mirror(DATA_MIRROR)
print("external data mirror:", "found" if mirror else "NOT AVAILABLE")

# %%
from enforcement_lab.data.panel import build_panel

LAGGED = ["polity2", "logGDPpc", "logtrade", "logpopulation", "gsp_review_open"]
panel = None
try:
    panel = build_panel(
        "ciri:WORKER",
        ["Mos_labor", "Mos_labor_law", "Mos_labor_prac", *LAGGED[:-1], "oecd", "wb_region"],
        events=["gsp_review_open"],
        years=(1981, 2011),
        lags=dict.fromkeys(LAGGED, 1),
        mirror=DATA_MIRROR or None,
    )
except DataError as exc:
    print(f"REAL DATA UNAVAILABLE - the panel sections are skipped: {exc}")
if panel is not None:
    print(
        panel.shape, "country-years;", panel.index.get_level_values("iso3").nunique(), "countries"
    )
    for src in panel.attrs["provenance"]["sources"]:
        for f in src["files"]:
            print(f"  {src['source']}: {f['file']} ({f.get('sha256', f.get('version'))})")

# %%
X = ["L1.gsp_review_open", "L1.polity2", "L1.logGDPpc", "L1.logtrade", "L1.logpopulation"]
LABELS = {
    "L1.gsp_review_open": "GSP review open (t-1)",
    "L1.polity2": "Polity2 (t-1)",
    "L1.logGDPpc": "log GDP per capita (t-1)",
    "L1.logtrade": "log trade/GDP (t-1)",
    "L1.logpopulation": "log population (t-1)",
}
OUTCOMES = {
    "WORKER": "CIRI workers' rights (0-2)",
    "Mos_labor": "Mosley labor rights, total",
    "Mos_labor_law": "Mosley, law",
    "Mos_labor_prac": "Mosley, practice",
}


def regression_table(fits: dict[str, tuple[EstimationResults, dict[str, str]]]) -> pd.DataFrame:
    """Side-by-side table from `econometrics.tables.compare`, plus countries and fit rows."""
    table = compare(
        *(r for r, _ in fits.values()),
        names=list(fits),
        terms=X,
        stats=("N", "Entity FE", "Time FE", "Std. errors", "Cluster", "Estimator"),
    ).frame
    extra = pd.DataFrame(
        {
            name: [info[k] for k in ("countries", "effects", "fit")]
            for name, (_, info) in fits.items()
        },
        index=["countries", "effects", "fit"],
    )
    table = pd.concat([table, extra])
    table.index = [LABELS.get(i, i) for i in table.index]
    return table.rename_axis("term").reset_index()


# %% [markdown]
# ## 4.1 Two-way fixed effects

# %%
if panel is not None:
    from linearmodels.panel import PanelOLS

    twfe = {}
    for y in OUTCOMES:
        data = panel[[y, *X]].dropna()
        res = PanelOLS(data[y], data[X], entity_effects=True, time_effects=True).fit(
            cov_type="clustered", cluster_entity=True
        )
        twfe[y] = (
            EstimationResults.from_linearmodels(
                res,
                estimator="panel_ols",
                cov_type="clustered",
                outcome=y,
                effects=("entity", "time"),
                cluster="country",
            ),
            {
                "countries": str(int(res.entity_info["total"])),
                "effects": "country, year",
                "fit": f"within R2 {res.rsquared_within:.3f}",
            },
        )
    table = regression_table(twfe).rename(columns=OUTCOMES)
    out.table(
        "panel_twfe",
        table,
        "Labor rights on democracy, income, trade and GSP worker-rights reviews: two-way "
        "fixed effects, 1981-2011",
        data="CIRI 2014 release (WORKER); published labour-rights controls panel 1982-2010 "
        "(Mosley scores, polity2, log GDP pc, log trade, log population); shipped "
        "gsp_worker_rights_reviews",
        notes=[
            "linearmodels PanelOLS with country and year effects; standard errors "
            "clustered by country in parentheses; * p<0.1, ** p<0.05, *** p<0.01.",
            "Regressors end in 2010, so the estimation sample is 1983-2011 for CIRI and "
            "1985-2002 for Mosley (developing countries).",
        ],
    )

# %% [markdown]
# ## 4.2 Ordered logit of the 0-2 CIRI score
#
# The fixed-effects ordered logit suffers from incidental parameters, so the ordered
# model uses year and World Bank region dummies with country-clustered errors, beside
# the linear probability reading of the same score in 4.1.

# %%
if panel is not None:
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    data = panel[["WORKER", *X, "wb_region"]].dropna().reset_index()
    period = data["year"] if not QUICK else (data["year"] // 5) * 5  # QUICK: 5-year dummies
    dummies = pd.get_dummies(
        data[["wb_region"]].assign(period=period).astype(str), drop_first=True, dtype=float
    )
    exog = pd.concat([data[X], dummies], axis=1)
    endog = pd.Series(
        pd.Categorical(data["WORKER"].astype(int), categories=[0, 1, 2], ordered=True)
    )
    groups = pd.factorize(data["iso3"])[0]
    ologit = OrderedModel(endog, exog, distr="logit").fit(
        method="bfgs", disp=False, maxiter=2000, cov_type="cluster", cov_kwds={"groups": groups}
    )
    fits = {
        "ordered logit": (
            EstimationResults.from_statsmodels(
                ologit,
                estimator="ordered_logit",
                cov_type="clustered",
                outcome="WORKER",
                effects=("time",),  # year dummies
                cluster="country",
            ),
            {
                "countries": str(int(data["iso3"].nunique())),
                "effects": "year, region dummies",
                "fit": f"pseudo R2 {ologit.prsquared:.3f}",
            },
        ),
        "TWFE (linear)": twfe["WORKER"],
    }
    out.table(
        "panel_ologit",
        regression_table(fits),
        "CIRI workers' rights (0-2): ordered logit and the two-way fixed-effects linear model",
        data="CIRI 2014 release; published labour-rights controls panel; shipped "
        "gsp_worker_rights_reviews",
        notes=[
            "statsmodels OrderedModel (logit), cut points and dummies not shown; "
            "country-clustered standard errors in parentheses; * p<0.1, ** p<0.05, *** p<0.01 "
            "(table by econometrics.tables.compare)."
        ],
    )

# %% [markdown]
# ## 4.3 Robustness: the specification curve
#
# The multiverse in `specs/gsp_labor_rights.toml`: four outcomes, all 16 subsets of the
# controls, pooled / country / two-way effects, four samples (all, without OECD members,
# 1981-1995, 1996-2011) and clustered or Driscoll-Kraay errors, fitted by the vectorised
# engine of `econometrics.robust` (equal to linearmodels to 1e-8), with a placebo test
# (treatment timing permuted within country) and a wild cluster bootstrap p-value for
# the baseline.

# %%
if panel is not None:
    from econometrics.robust import run_robustness
    from econometrics.spec import SpecFile, read_spec_file

    spec_file = read_spec_file(Path("specs") / "gsp_labor_rights.toml")
    table = dict(spec_file.robustness)
    if QUICK:
        table.update(
            controls="baseline",
            placebo=19,
            bootstrap=99,
            samples=["all", "drop:oecd=1"],
            cov=["clustered"],
        )
    spec_file = SpecFile(spec_file.spec, table, spec_file.path)
    with tempfile.TemporaryDirectory() as tmp:
        robust = run_robustness(
            spec_file, tmp, frame=panel.reset_index(), progress=False, figure=False
        )
    results = robust.results
    s = robust.summary
    inf = s["inference"]
    summary = pd.DataFrame(
        [
            ("specifications", s["n_specifications"]),
            ("estimated", s["n_estimated"]),
            ("baseline estimate (TWFE, CIRI, all controls)", s["baseline"]["estimate"]),
            ("baseline clustered p-value", s["baseline"]["pvalue"]),
            ("placebo (permutation) p-value", inf["placebo_pvalue"]),
            ("wild cluster bootstrap p-value", inf["bootstrap_pvalue"]),
            ("median estimate", s["median_estimate"]),
            ("share with the baseline's sign", s["share_same_sign"]),
            ("share significant at 5%", s["share_significant"]),
            ("share significant with the baseline's sign", s["share_significant_same_sign"]),
        ],
        columns=["statistic", "value"],
    )
    summary["value"] = [f"{v:.0f}" if i < 2 else f"{v:.3f}" for i, v in enumerate(summary["value"])]
    out.table(
        "robustness_summary",
        summary,
        "Specification curve of the GSP-review coefficient: summary",
        data="CIRI 2014; labour-rights controls panel (Mosley); shipped gsp_worker_rights_reviews",
        notes=[
            f"{inf['placebo_permutations']} permutations, {inf['bootstrap_reps']} "
            f"bootstrap replications ({inf['bootstrap_weights']} weights), seed {inf['seed']}. "
            "Estimates are on each outcome's own scale (CIRI 0-2, Mosley 0-37)."
        ],
    )
    by_outcome = (
        results[results["status"] == "ok"]
        .groupby("outcome")
        .agg(
            specifications=("estimate", "size"),
            median=("estimate", "median"),
            share_positive=("estimate", lambda e: float((e > 0).mean())),
            share_significant=("pvalue", lambda p: float((p < 0.05).mean())),
        )
        .reset_index()
    )
    out.table(
        "robustness_by_outcome",
        by_outcome,
        "Specification curve of the GSP-review coefficient by outcome",
        data="CIRI 2014; labour-rights controls panel (Mosley); shipped gsp_worker_rights_reviews",
        sort=["outcome"],
    )

# %%
if panel is not None:
    ok = results[results["status"] == "ok"].copy()
    fig, axes = plt.subplots(1, len(OUTCOMES), figsize=(8.0, 3.2), sharey=False)
    for ax, (y, label) in zip(axes, OUTCOMES.items(), strict=True):
        sub = ok[ok["outcome"] == y].sort_values(["estimate", "spec_id"], kind="mergesort")
        rank = np.arange(len(sub))
        sig = (sub["pvalue"] < 0.05).to_numpy()
        ax.vlines(rank, sub["ci_lower"], sub["ci_upper"], color="0.8", lw=0.6)
        ax.scatter(rank[~sig], sub["estimate"].to_numpy()[~sig], s=3, color="0.4")
        ax.scatter(rank[sig], sub["estimate"].to_numpy()[sig], s=3, color="C3")
        ax.axhline(0, color="k", lw=0.6)
        ax.set_title(label, fontsize=8)
        ax.set_xlabel("specification (sorted)")
    axes[0].set_ylabel("coefficient on GSP review open (t-1)")
    fig.suptitle("Specification curves (red: p < 0.05; grey bars: 95% CI)", fontsize=9)
    fig.tight_layout()
    out.figure(
        fig,
        "specification_curve",
        "Specification curves of the GSP-review coefficient, one panel per outcome",
        data="CIRI 2014; labour-rights controls panel (Mosley); shipped gsp_worker_rights_reviews",
    )
    plt.close(fig)

# %% [markdown]
# ## 4.4 Event study around the first GSP worker-rights review
#
# Event time is the year minus the first year a GSP worker-rights review of the country
# was open; leads and lags from -`EVENT_WINDOW` to +`EVENT_WINDOW` (end points binned),
# the year before the review (-1) omitted; never-reviewed countries are the controls,
# lagged Polity2, log GDP per capita and log trade the covariates. Reviews open in
# different years, so beside the TWFE event study (`econometrics.did.event_study`),
# whose coefficients can mix cohorts when effects differ across them, stands Sun and
# Abraham's interaction-weighted estimator (`econometrics.did.sun_abraham`), which
# compares each review cohort only with never-reviewed countries.

# %%
if panel is not None:
    from econometrics import did

    frame = panel.reset_index()
    first = frame[frame["gsp_review_open"] == 1].groupby("iso3")["year"].min()
    frame["cohort"] = frame["iso3"].map(first)
    controls = ["L1.polity2", "L1.logGDPpc", "L1.logtrade"]
    ESTIMATORS = {"TWFE": did.event_study, "Sun-Abraham": did.sun_abraham}
    rows, fits, notes_dropped = [], {}, []
    for y in ("WORKER", "Mos_labor"):
        for label, estimator in ESTIMATORS.items():
            res = estimator(
                frame, y, "cohort", leads=EVENT_WINDOW, lags=EVENT_WINDOW, controls=controls
            )
            fits[(y, label)] = res
            sample = frame.dropna(subset=[y, *controls])
            dropped = res.extra.get("dropped_cohorts", [])  # cohorts without a year -1
            sample = sample[~sample["cohort"].isin(dropped)]
            if dropped:
                notes_dropped.append(
                    f"{label} on {OUTCOMES[y]} leaves out the review cohort(s) "
                    f"{', '.join(map(str, dropped))}: no observed year before the review."
                )
            dyn = did.dynamic_effects(res)
            rows.append(
                dyn.assign(
                    outcome=y,
                    estimator=label,
                    nobs=res.nobs,
                    reviewed_countries=int(sample.loc[sample["cohort"].notna(), "iso3"].nunique()),
                )
            )
    columns = ["outcome", "estimator", "event_time", "estimate", "std_error", "lower", "upper"]
    event = pd.concat(rows, ignore_index=True)[[*columns, "nobs", "reviewed_countries"]]
    att = {
        key: (r.params["ATT"], r.std_errors["ATT"]) for key, r in fits.items() if "ATT" in r.params
    }
    out.table(
        "event_study_gsp",
        event,
        "Event study of labor-rights scores around the first U.S. GSP worker-rights review "
        "(TWFE and Sun-Abraham, leads and lags)",
        data="CIRI 2014; labour-rights controls panel (Mosley); shipped gsp_worker_rights_reviews",
        notes=[
            f"Reference period: event time -1; end points binned at +-{EVENT_WINDOW}; "
            "covariates lagged Polity2, log GDP pc and log trade; country and year effects; "
            "country-clustered 95% intervals (lower, upper).",
            "Sun-Abraham: cohort x event-time effects against never-reviewed countries, "
            "averaged with the cohorts' shares at each event time; its average post-review "
            "effect (0 to +5): "
            + "; ".join(f"{OUTCOMES[y]} {a:.3f} (SE {se:.3f})" for (y, _), (a, se) in att.items())
            + ".",
            *notes_dropped,
            f"{first.size} countries have a dated GSP review in the coded data; "
            "reviewed_countries counts those in each estimation sample.",
        ],
        sort=["outcome", "estimator", "event_time"],
    )
    fig, axes = plt.subplots(1, 2, figsize=(7.0, 3.2))
    for ax, y in zip(axes, ("WORKER", "Mos_labor"), strict=True):
        did.plot_event_study([fits[(y, label)] for label in ESTIMATORS], list(ESTIMATORS), ax=ax)
        ax.plot([-1], [0], marker="o", mfc="white", mec="0.3", ls="none", ms=4)  # reference
        ax.set_title(OUTCOMES[y], fontsize=8)
        ax.set_xlabel("years since the first GSP review")
        ax.set_ylabel("")
    axes[0].set_ylabel("effect relative to t = -1")
    fig.tight_layout()
    out.figure(
        fig,
        "event_study_gsp",
        "Labor-rights scores around the first U.S. GSP worker-rights review (TWFE and "
        "Sun-Abraham event studies, 95% intervals; open circle: the reference year)",
        data="CIRI 2014; labour-rights controls panel (Mosley); shipped gsp_worker_rights_reviews",
    )
    plt.close(fig)
