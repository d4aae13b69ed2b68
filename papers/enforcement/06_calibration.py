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
# # 6. Calibration: where real enforcement sits on the phase diagram
#
# The payoff-adjustment game needs an expected sanction `p * s` on defection. The data
# identify the **probability** `p` that a violating state is reviewed and sanctioned
# (per violator-year or per case); they do not identify the **size** `s` in the game's
# payoff units. So we estimate `p` for each regime, place it on the `(p, s)` phase
# diagram of notebook 1's games, and report the sanction size each regime would need for
# compliance to be risk dominant or dominant, and the compliance basin it would reach.
#
# Frequencies and their sources:
#
# - **U.S. GSP reviews**: new worker-rights reviews per developing-country-year with
#   CIRI worker rights "severely restricted" (0), 1987-2010 (real panel + shipped cases);
#   sanctions (suspension, termination, partial suspension) per decided case (shipped);
# - **trade agreements**: NAALC communications (none reached sanctions; 36 filed, Banks
#   001 L3577), USMCA Rapid Response cases with liquidation suspended or penalties
#   (shipped), the one CAFTA-DR state-to-state case (shipped);
# - **ILO Article 33**: measures adopted 3 times in the ILO's history (Menashe 000 L150).
#
# Wilson 95% intervals for single rates; the product of two rates gets a Bonferroni
# interval (each factor at 97.5%, so the product's interval covers with probability at
# least 95%). The intervals are carried into the required sanction sizes and the basins.
# Nothing here is synthetic.

# %% tags=["parameters"]
QUICK = False  # coarse grids for tests
DATA_MIRROR = ""  # "" = $ENFORCEMENT_LAB_DATA_MIRROR, else ../shared/data/external; "none" = off
GRID_N = 301  # phase-diagram resolution per axis
BASIN_N = 101  # initial conditions per axis for the basin shares

# %%
if QUICK:
    GRID_N, BASIN_N = 41, 21

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from enforcement_lab.data import load_shipped
from enforcement_lab.data.panel import build_panel
from enforcement_lab.errors import DataError
from enforcement_lab.paper import PaperOutputs, deterministic_matplotlib, resolve_mirror
from gametheory.dynamics import basin_share_curve
from gametheory.games import race_to_the_bottom, stag_hunt
from gametheory.thresholds import compliance_thresholds

deterministic_matplotlib()
out = PaperOutputs("06_calibration")
mirror = resolve_mirror(DATA_MIRROR)
print("external data mirror:", "found" if mirror else "NOT AVAILABLE")
reviews = load_shipped("gsp_worker_rights_reviews")
cases = load_shipped("trade_agreement_labor_cases")
bench = load_shipped("published_benchmarks").set_index("benchmark_id")["value"]


PER_CASE = "per case (upper bound per violation)"


def wilson(events, exposure, alpha=0.05):
    return proportion_confint(events, exposure, alpha=alpha, method="wilson")


def rate(label, events, exposure, unit, data, kind=PER_CASE):
    lo, hi = wilson(events, exposure) if exposure else (np.nan,) * 2
    if events == 0:
        lo = 0.0  # Wilson's lower bound is 0 up to rounding noise; write it exactly
    return {
        "regime": label,
        "events": int(events),
        "exposure": int(exposure),
        "unit": unit,
        "estimate": events / exposure if exposure else np.nan,
        "ci_low": lo,
        "ci_high": hi,
        "kind": kind,
        "data": data,
    }


# %% [markdown]
# ## 6.1 Review and sanction frequencies

# %%
rows = []
SANCTIONS = {"suspension", "termination", "partial_suspension"}
decided = reviews[~reviews["outcome"].isin(["unknown", "withdrawn_or_not_accepted"])]
n_sanction = int(decided["outcome"].isin(SANCTIONS).sum())
rows.append(
    rate(
        "US GSP: sanction given a decided worker-rights case",
        n_sanction,
        len(decided),
        "decided cases",
        "shipped gsp_worker_rights_reviews",
    )
)
p_review = None
try:
    panel = build_panel(
        "ciri:WORKER",
        ["wb_dev"],
        events=["gsp_review_open"],
        years=(1987, 2010),
        lags={"gsp_review_open": 1},
        mirror=DATA_MIRROR or None,
    ).reset_index()
    start = (panel["gsp_review_open"] == 1) & (panel["L1.gsp_review_open"] == 0)
    at_risk = (panel["WORKER"] == 0) & (panel["wb_dev"] == 1) & (panel["L1.gsp_review_open"] == 0)
    rows.append(
        rate(
            "US GSP: new review per violator-year (CIRI WORKER = 0, developing)",
            int((start & at_risk).sum()),
            int(at_risk.sum()),
            "country-years",
            "CIRI 2014 + controls panel (real) + shipped gsp_worker_rights_reviews",
            kind="per violator-year",
        )
    )
    p_review = rows[-1]["estimate"]
except DataError as exc:
    out.data_unavailable(f"the per-violator GSP review rate is skipped: {exc}")

naalc = cases[cases["regime"] == "naalc"]
rows.append(
    rate(
        "NAALC: sanction per public communication",
        0,
        int(bench["banks_naalc_communications"]),
        "communications",
        "published_benchmarks (Banks 001) + shipped trade_agreement_labor_cases",
    )
)
rrm = cases[
    (cases["regime"] == "usmca_rrm") & cases["liquidation_suspended"].notna()
    | (cases["regime"] == "usmca_rrm") & cases["sanction_applied"].notna()
]
rows.append(
    rate(
        "USMCA RRM: liquidation suspended per decided or pending case",
        int((rrm["liquidation_suspended"] == True).sum()),  # noqa: E712
        len(rrm),
        "cases",
        "shipped trade_agreement_labor_cases",
    )
)
sts = cases[cases["regime"] == "cafta_dr"]
rows.append(
    rate(
        "CAFTA-DR state-to-state: sanction per case",
        int(sts["sanction_applied"].sum()),
        len(sts),
        "cases",
        "shipped trade_agreement_labor_cases",
    )
)
years_ilo = 2025 - 1919 + 1
rows.append(
    rate(
        "ILO Article 33: measures per year (whole organisation)",
        int(bench["menashe_article33_measures"]),
        years_ilo,
        "years",
        "published_benchmarks (Menashe 000 L150)",
        kind="rate per year",
    )
)
freq = pd.DataFrame(rows)
if p_review is not None:
    # Bonferroni: each factor's Wilson interval at 97.5%; both cover at once with
    # probability >= 95%, and then the product of the bounds covers the product.
    review_row, sanction_row = freq.iloc[1], freq.iloc[0]
    r_lo, r_hi = wilson(review_row["events"], review_row["exposure"], alpha=0.025)
    s_lo, s_hi = wilson(sanction_row["events"], sanction_row["exposure"], alpha=0.025)
    freq = pd.concat(
        [
            freq,
            pd.DataFrame(
                [
                    {
                        "regime": "US GSP: sanction per violator-year (review rate x sanction share)",
                        "events": np.nan,
                        "exposure": np.nan,
                        "unit": "country-years",
                        "estimate": review_row["estimate"] * sanction_row["estimate"],
                        "ci_low": r_lo * s_lo,
                        "ci_high": r_hi * s_hi,
                        "kind": "per violator-year",
                        "data": "product of the two GSP rows",
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
missing = (
    []
    if p_review is not None
    else [
        "REAL DATA UNAVAILABLE in this run: the per-violator GSP rates need the external "
        "CIRI and controls-panel files and are left out."
    ]
)
out.table(
    "calibration_frequencies",
    freq,
    "Estimated review and sanction frequencies of enforcement regimes",
    data="see the data column",
    notes=[
        "Wilson 95% intervals; the GSP product's interval multiplies the bounds of 97.5% "
        "Wilson intervals of its two factors (Bonferroni: joint coverage at least 95%). The "
        "ILO row is a rate for the whole organisation, not a "
        "per-violator probability: with many violating members the per-violator "
        "probability is far smaller.",
        "Exposure for the GSP review rate is developing-country-years with CIRI WORKER = 0 "
        "and no review open the year before; the coded cases are incomplete ('over 100 "
        "petitions' were filed by 2001, 001 L3944), so this rate is a lower bound.",
        *missing,
    ],
    digits={"estimate": ".3g", "ci_low": ".3g", "ci_high": ".3g", "events": 0, "exposure": 0},
)

# %% [markdown]
# ## 6.2 Thresholds of the two canonical games
#
# The expected sanction `p * s` needed for compliance to be an equilibrium, risk dominant
# or dominant, from the closed forms of `gametheory.thresholds.compliance_thresholds`
# (uniform enforcement): the Banks-Hyde stag hunt (4, 0, 3, 3) and the race to the bottom
# as a prisoner's dilemma (comply/comply 2, comply/defect -2, defect/comply 3,
# defect/defect 0).

# %%
GAMES = {"stag hunt (Banks-Hyde)": stag_hunt(), "race to the bottom (PD)": race_to_the_bottom()}
thresholds = pd.DataFrame(
    [
        {
            "game": name,
            "target": target,
            "expected_sanction_needed": compliance_thresholds(game)[target],
        }
        for name, game in GAMES.items()
        for target in ("equilibrium", "risk_dominant", "dominant")
    ]
)
thresholds["expected_sanction_needed"] = thresholds["expected_sanction_needed"].clip(lower=0.0)
print(thresholds.to_string(index=False))

# %%
placed = freq[(freq["kind"] != "rate per year") & (freq["estimate"] > 0)].copy()
need_rows = []
for _, r in placed.iterrows():
    for _, t_ in thresholds[thresholds["target"] != "equilibrium"].iterrows():
        need = t_["expected_sanction_needed"]
        need_rows.append(
            {
                "regime": r["regime"],
                "kind": r["kind"],
                "p": r["estimate"],
                "p_ci_low": r["ci_low"],
                "p_ci_high": r["ci_high"],
                "game": t_["game"],
                "target": t_["target"],
                "sanction_size_needed": need / r["estimate"],
                "size_ci_low": need / r["ci_high"],
                "size_ci_high": need / r["ci_low"] if r["ci_low"] > 0 else np.inf,
            }
        )
need = pd.DataFrame(need_rows)
out.table(
    "calibration_required_sanction",
    need,
    "Sanction size (in the game's payoff units) each regime's estimated probability would "
    "need for compliance to be risk dominant or dominant, with the interval implied by the "
    "probability's interval",
    data="frequencies of table calibration_frequencies; thresholds from gametheory.thresholds",
    notes=[
        "Payoff unit: the stag hunt's joint-compliance payoff is 4, i.e. the sanction "
        "must be this many times a quarter of the long-run value of joint compliance.",
        "size_ci_low/high = threshold / p_ci_high and threshold / p_ci_low (the size is "
        "monotone in p, so the interval has the coverage of the probability's interval).",
    ],
    digits={
        "p": ".3g",
        "p_ci_low": ".3g",
        "p_ci_high": ".3g",
        "sanction_size_needed": ".3g",
        "size_ci_low": ".3g",
        "size_ci_high": ".3g",
    },
)

# %% [markdown]
# ## 6.3 Real enforcement on the phase diagram
#
# Regions of the `(p, s)` plane for the stag hunt: compliance not risk dominant
# (`p s < 1`), risk dominant (`1 <= p s < 3`) and dominant (`p s >= 3`); the vertical
# lines are the estimated probabilities with their intervals. The size axis is not
# identified by the data. The two definitions of the probability get separate panels:
# per case brought (an upper bound on the probability per violation) and per
# violator-year.

# %%
stag = thresholds[thresholds["game"] == "stag hunt (Banks-Hyde)"].set_index("target")[
    "expected_sanction_needed"
]
p_grid = np.logspace(-3, 0, GRID_N)
s_grid = np.linspace(0.0, 60.0, GRID_N)
P, S = np.meshgrid(p_grid, s_grid)
region = np.digitize(P * S, [stag["risk_dominant"], stag["dominant"]])
PANELS = {
    PER_CASE: "per case brought (upper bound per violation)",
    "per violator-year": "per violator-year",
}
fig, axes = plt.subplots(1, 2, figsize=(9.0, 4.0), sharey=True)
cmap = plt.matplotlib.colors.ListedColormap(["#f2d7d5", "#fdebd0", "#d5f5e3"])
colors = iter(["C0", "C1", "C2", "C4", "C5"])
for ax, (kind, title) in zip(axes, PANELS.items(), strict=True):
    ax.pcolormesh(P, S, region, cmap=cmap, shading="auto", vmin=0, vmax=2, rasterized=True)
    for level, style in ((stag["risk_dominant"], "--"), (stag["dominant"], "-")):
        ax.plot(p_grid, level / p_grid, style, color="k", lw=0.8)
    ax.set_xscale("log")
    ax.set_ylim(0, 60)
    ax.set_xlim(p_grid[0], 1)
    for _, r in placed[placed["kind"] == kind].iterrows():
        color = next(colors)
        ax.axvspan(max(r["ci_low"], p_grid[0]), r["ci_high"], color=color, alpha=0.15, lw=0)
        ax.axvline(
            r["estimate"], color=color, lw=1.2, label=f"{r['regime']}: p = {r['estimate']:.3g}"
        )
    ax.set_title(title, fontsize=8)
    ax.set_xlabel("probability of a sanction, p (log scale)")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=5.5, loc="upper center", bbox_to_anchor=(0.5, -0.16), framealpha=0.9)
axes[0].set_ylabel("sanction size s (payoff units; not identified)")
axes[0].text(1.5e-3, 55, "compliance not risk dominant", fontsize=7)
axes[1].text(0.25, 55, "dominant", fontsize=7)
fig.tight_layout()
out.figure(
    fig,
    "calibration_phase_diagram",
    "Estimated sanction probabilities of real regimes with their intervals on the (p, s) "
    "phase diagram of the stag hunt, per case brought and per violator-year; dashed: p s = 1 "
    "(risk dominance), solid: p s = 3 (dominance)",
    data="calibration_frequencies (real and shipped data); thresholds from gametheory.thresholds",
)
plt.close(fig)

# %% [markdown]
# ## 6.4 Compliance basin at the estimated probabilities
#
# Share of initial beliefs (two-population replicator dynamics) from which both states
# end up complying, when the sanction is `s` times the estimated probability, for a
# few sizes, at the estimate and at the two ends of its interval. Computed by
# `gametheory.dynamics.basin_share_curve` on the stag hunt with the expected sanction
# subtracted from the defect row (the basin is monotone in `p s`, so the ends of the
# probability's interval give the ends of the basin's).

# %%
sizes = [1.0, 10.0, 50.0]


def stag_with(f):
    return np.array([[4.0, 0.0], [3.0 - f, 3.0 - f]])


basin_rows = []
for _, r in placed.iterrows():
    ps = [p * s for s in sizes for p in (r["estimate"], r["ci_low"], r["ci_high"])]
    shares = np.asarray(basin_share_curve(stag_with, ps, n=BASIN_N)).reshape(len(sizes), 3)
    for s, (mid, lo, hi) in zip(sizes, shares, strict=True):
        basin_rows.append(
            {
                "regime": r["regime"],
                "kind": r["kind"],
                "p": r["estimate"],
                "sanction_size": s,
                "expected_sanction": r["estimate"] * s,
                "compliance_basin": float(mid),
                "basin_ci_low": float(lo),
                "basin_ci_high": float(hi),
            }
        )
no_enf = float(basin_share_curve(stag_with, [0.0], n=BASIN_N)[0])
basin_rows.append(
    {
        "regime": "no enforcement",
        "kind": "",
        "p": 0.0,
        "sanction_size": 0.0,
        "expected_sanction": 0.0,
        "compliance_basin": no_enf,
        "basin_ci_low": no_enf,
        "basin_ci_high": no_enf,
    }
)
basins = pd.DataFrame(basin_rows)
out.table(
    "calibration_basins",
    basins,
    "Compliance basin of the stag hunt (two-population replicator) at the estimated "
    "sanction probabilities and at the ends of their intervals",
    data="calibration_frequencies; gametheory.dynamics.basin_share_curve",
    notes=[
        f"{BASIN_N} x {BASIN_N} grid of initial shares complying in the two populations; "
        "basin_ci_low/high: the basin at the lower and upper end of the probability's "
        "interval."
    ],
    digits={
        "p": ".3g",
        "expected_sanction": ".3g",
        "compliance_basin": 3,
        "basin_ci_low": 3,
        "basin_ci_high": 3,
        "sanction_size": 0,
    },
)

# %% [markdown]
# ## 6.5 What the calibration finds about the seeds' claims

# %%
fr = freq.set_index("regime")
naalc_row = fr.loc["NAALC: sanction per public communication"]
ilo_row = fr.loc["ILO Article 33: measures per year (whole organisation)"]
out.claim(
    "naalc_no_sanctions",
    seed="001_0ff89a4813f73384.txt",
    lines="L3577",
    claim="Some 36 public communications have been filed under the NAALC; none led to sanctions",
    evidence="Sanctions per NAALC communication, Wilson interval",
    result=(
        f"0 sanctions in {int(naalc_row['exposure'])} communications: the probability of a "
        f"sanction per communication is at most {naalc_row['ci_high']:.3g} (95% upper bound); "
        "with no sanction the regime cannot be placed on the phase diagram."
    ),
    verdict="reproduced",
    assumptions="Banks' count of communications; a communication is the unit at risk.",
    outputs=["calibration_frequencies"],
)
out.claim(
    "menashe_article33_three_times",
    seed="000_cdb709224d31b41b.txt",
    lines="L150",
    claim="Measures under Article 33 of the ILO Constitution were adopted only three times",
    evidence="Article 33 measures per year of the ILO's existence",
    result=(
        f"{int(ilo_row['events'])} measures in {int(ilo_row['exposure'])} years: "
        f"{ilo_row['estimate']:.3g} a year for the whole organisation (95% interval "
        f"{ilo_row['ci_low']:.3g} to {ilo_row['ci_high']:.3g}); the probability per violating "
        "member is far smaller, and not identified here."
    ),
    verdict="reproduced",
    assumptions="Menashe's count; years 1919-2025.",
    outputs=["calibration_frequencies"],
)
if p_review is not None:
    prod = fr.loc["US GSP: sanction per violator-year (review rate x sanction share)"]
    need_prod = need[
        (need["regime"] == "US GSP: sanction per violator-year (review rate x sanction share)")
        & (need["game"] == "stag hunt (Banks-Hyde)")
    ].set_index("target")
    bas_prod = basins[
        (basins["regime"] == "US GSP: sanction per violator-year (review rate x sanction share)")
        & (basins["sanction_size"] == 10.0)
    ].iloc[0]
    out.claim(
        "barenberg_gsp_rarely_used",
        seed="002_fe9755c5db777969.txt",
        lines="L225",
        claim="The president has used the GSP worker-rights authority rarely, and not evenhandedly "
        "against countries with similar records",
        evidence="New GSP worker-rights reviews per developing-country-year with CIRI worker "
        "rights severely restricted (1987-2010) times the share of decided cases ending in a "
        "sanction; placed on the stag hunt's phase diagram",
        result=(
            f"A violator faces a sanction with probability {prod['estimate']:.3g} a year "
            f"(Bonferroni 95% interval {prod['ci_low']:.3g} to {prod['ci_high']:.3g}). For "
            "compliance to be risk dominant the sanction would have to be "
            f"{need_prod.loc['risk_dominant', 'sanction_size_needed']:.3g} payoff units "
            f"({need_prod.loc['risk_dominant', 'size_ci_low']:.3g} to "
            f"{need_prod.loc['risk_dominant', 'size_ci_high']:.3g}), against a joint-compliance "
            f"payoff of 4; a sanction of 10 units gives a basin of {bas_prod['compliance_basin']:.3f} "
            f"({bas_prod['basin_ci_low']:.3f} to {bas_prod['basin_ci_high']:.3f}), against "
            f"{no_enf:.3f} without enforcement. Evenhandedness is not tested here."
        ),
        verdict="reproduced under stated assumptions",
        assumptions="The coded reviews are incomplete, so the review rate is a lower bound; "
        "reviews and sanctions are independent events; CIRI 0 marks a violator; the sanction "
        "size is not identified and is expressed in the stag hunt's payoff units.",
        outputs=[
            "calibration_frequencies",
            "calibration_required_sanction",
            "calibration_basins",
            "calibration_phase_diagram",
        ],
    )
