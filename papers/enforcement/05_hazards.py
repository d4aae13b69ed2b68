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
# # 5. Ratification hazards
#
# Specification S1 of the literature notes: how fast do states ratify human-rights and
# labor treaties, and what predicts it? No public file of ILO ratification dates is in
# the project's data (users with a NORMLEX export can read it with
# `enforcement_lab.data.readers.read_normlex_ratifications`), so this section uses:
#
# - the **UN human-rights treaty panel** (ICESCR, ICCPR, CAT; country-year 1945-2013;
#   real data, same structure as ILO convention ratifications): Kaplan-Meier curves with
#   left truncation (lifelines) and a discrete-time complementary log-log hazard of
#   ratification on democracy and income with treaty effects and a duration term
#   (`econometrics.hazard.discrete_hazard`, a statsmodels binomial GLM with
#   country-clustered errors);
# - the **U.S. Department of Labor child-labor findings** (report years 2016-2022), which
#   record whether each trade-preference beneficiary has ratified ILO C138 (minimum age)
#   and C182 (worst forms of child labour): a short life table of ratifications among
#   the beneficiaries not yet party in 2016.

# %% tags=["parameters"]
QUICK = False  # unused: this notebook is fast
DATA_MIRROR = ""  # "" = $ENFORCEMENT_LAB_DATA_MIRROR, else ../shared/data/external; "none" = off

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from enforcement_lab.data.panel import build_panel
from enforcement_lab.data.registry import load_source
from enforcement_lab.errors import DataError
from enforcement_lab.paper import PaperOutputs, deterministic_matplotlib, resolve_mirror

deterministic_matplotlib()
out = PaperOutputs("05_hazards")
mirror = resolve_mirror(DATA_MIRROR)
print("external data mirror:", "found" if mirror else "NOT AVAILABLE")
TREATIES = {
    "cescr_ratify": ("ICESCR", 1966),
    "ccpr_ratify": ("ICCPR", 1966),
    "cat_ratify": ("CAT", 1984),
}

# %%
panel = None
try:
    panel = build_panel(
        "un_treaty_ratifications:cescr_ratify",
        [
            "un_treaty_ratifications:ccpr_ratify",
            "un_treaty_ratifications:cat_ratify",
            "polity5:polity2",
            "wdi_panel:GDPPerCapita",
        ],
        years=(1960, 2013),
        lags={"polity2": 1, "GDPPerCapita": 1},
        mirror=DATA_MIRROR or None,
    ).reset_index()
except DataError as exc:
    out.data_unavailable(f"the UN treaty hazards are skipped: {exc}")


# %% [markdown]
# ## 5.1 Spells at risk
#
# A country is at risk of ratifying a treaty from the year the treaty opened for
# signature (ICESCR and ICCPR 1966, CAT 1984) or the first year it appears in the panel
# (new states enter late: left truncation), until the year it ratifies. A state that
# enters the panel already a party continues its predecessor's ratification (Russia from
# 1992; the panel codes the USSR's years SUN, as every source is coded by one succession
# rule) and is never at risk here.


# %%
def spells(frame: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for col, (name, opened) in TREATIES.items():
        sub = frame[frame["year"] >= opened].sort_values(["iso3", "year"])
        sub = sub.assign(
            treaty=name,
            event=sub[col].astype(int),
            entry=sub.groupby("iso3")["year"].transform("min") - opened,
        )
        # a state that enters the panel after the treaty opened and is already a party
        # continues its predecessor's ratification (Russia from 1992, the USSR's coded
        # SUN): it was never at risk in this panel
        first_year = sub.groupby("iso3")["year"].transform("min")
        party_at_entry = sub.groupby("iso3")["event"].transform("first").eq(1)
        sub = sub[~(party_at_entry & first_year.gt(opened))]
        done_before = sub.groupby("iso3")["event"].cumsum() - sub["event"]
        sub = sub[done_before == 0]  # keep years up to and including ratification
        sub["duration"] = sub["year"] - opened + 1
        rows.append(sub)
    return pd.concat(rows, ignore_index=True)


if panel is not None:
    risk = spells(panel)
    counts = (
        risk.groupby("treaty")
        .agg(
            countries=("iso3", "nunique"),
            country_years=("event", "size"),
            ratifications=("event", "sum"),
            first_year=("year", "min"),
            last_year=("year", "max"),
        )
        .reset_index()
    )
    print(counts.to_string(index=False))

# %% [markdown]
# ## 5.2 Kaplan-Meier: cumulative share ratified by years since opening

# %%
if panel is not None:
    from lifelines import KaplanMeierFitter

    last = (
        risk.groupby(["treaty", "iso3"])
        .agg(duration=("duration", "max"), event=("event", "max"), entry=("entry", "first"))
        .reset_index()
    )
    km_rows, curves = [], {}
    for name, sub in last.groupby("treaty"):
        km = KaplanMeierFitter().fit(sub["duration"], sub["event"], entry=sub["entry"], label=name)
        curves[name] = 1 - km.survival_function_[name]
        for years in (5, 10, 20):
            km_rows.append(
                {
                    "treaty": name,
                    "years_since_opening": years,
                    "share_ratified": float(1 - km.predict(years)),
                    "countries": len(sub),
                    "ratified": int(sub["event"].sum()),
                }
            )
    km_table = pd.DataFrame(km_rows)
    out.table(
        "ratification_km",
        km_table,
        "Cumulative share of states that ratified a UN human-rights treaty, by years since "
        "it opened (Kaplan-Meier with late entry)",
        data="UN human-rights treaty ratification panel 1945-2013 (registry "
        "un_treaty_ratifications)",
        notes=[
            "Boockmann (2001) reports about 13% of ILO conventions (adopted 1975-95) "
            "ratified ten years after adoption: a different set of instruments (all ILO "
            "conventions, not core UN treaties), shown for scale only."
        ],
        digits={"share_ratified": 3},
        sort=["treaty", "years_since_opening"],
    )
    fig, ax = plt.subplots(figsize=(5.5, 3.4))
    for name in sorted(curves):
        c = curves[name]
        ax.step(c.index, c.to_numpy(), where="post", label=name)
    ax.axhline(0.13, color="0.5", ls=":", lw=0.8)
    ax.text(
        31, 0.15, "Boockmann: ~13% of ILO conventions\nat 10 years (not comparable)", fontsize=7
    )
    ax.set_xlim(0, 45)
    ax.set_ylim(0, 1)
    ax.set_xlabel("years since the treaty opened")
    ax.set_ylabel("share of states that ratified")
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title("UN human-rights treaty ratification")
    out.figure(
        fig,
        "ratification_km",
        "Kaplan-Meier cumulative ratification of ICESCR, ICCPR and CAT",
        data="UN human-rights treaty ratification panel (registry un_treaty_ratifications)",
    )
    plt.close(fig)

# %% [markdown]
# ## 5.3 Discrete-time hazard of ratification
#
# `P(ratify in t | not yet) = 1 - exp(-exp(x'b))` (complementary log-log, so `exp(b)`
# reads as a hazard ratio) with lagged Polity2, lagged log GDP per capita, the log of
# years at risk, a post-Cold-War indicator and treaty effects; standard errors clustered
# by country.

# %%
if panel is not None:
    from econometrics.hazard import discrete_hazard

    data = risk.assign(
        log_gdppc_lag1=np.log(risk["L1.GDPPerCapita"]),
        post_1990=(risk["year"] >= 1990).astype(float),
    )
    cols = ["L1.polity2", "log_gdppc_lag1", "post_1990"]
    data = data.dropna(subset=cols).sort_values(["treaty", "iso3", "year"]).reset_index(drop=True)
    fitted = discrete_hazard(
        data,
        cols,
        link="cloglog",
        duration="log",  # log of years at risk
        strata="treaty",  # treaty effects, CAT the reference
        cluster="iso3",
        outcome="event",
        period="duration",
    )
    labels = {
        "const": "constant",
        "L1.polity2": "Polity2 (t-1)",
        "log_gdppc_lag1": "log GDP per capita (t-1)",
        "log_duration": "log years at risk",
        "post_1990": "1990 or later",
        "treaty_ICCPR": "treaty: ICCPR",
        "treaty_ICESCR": "treaty: ICESCR",
    }
    terms = list(labels)
    ci = fitted.conf_int().loc[terms]
    hazard = pd.DataFrame(
        {
            "term": [labels[t] for t in terms],
            "coefficient": fitted.params[terms].to_numpy(),
            "std_error": fitted.std_errors[terms].to_numpy(),
            "p_value": fitted.pvalues[terms].to_numpy(),
            "hazard_ratio": np.exp(fitted.params[terms].to_numpy()),
            "hr_low": np.exp(ci["lower"].to_numpy()),
            "hr_high": np.exp(ci["upper"].to_numpy()),
        }
    )
    out.table(
        "ratification_hazard",
        hazard,
        "Discrete-time (cloglog) hazard of ratifying ICESCR, ICCPR or CAT",
        data="UN treaty ratification panel; Polity5 (polity2); WDI panel (GDP per capita, "
        "constant US$)",
        notes=[
            f"{fitted.nobs} country-treaty-years at risk, {fitted.extra['events']} "
            f"ratifications, {data['iso3'].nunique()} countries; reference treaty CAT; "
            "country-clustered standard errors; hazard-ratio 95% intervals.",
            "Chau and Kanbur (2001) find income does not predict ILO ratification; "
            "this is a check on UN treaties, not a replication.",
        ],
    )

# %% [markdown]
# ## 5.4 C138 and C182 among trade-preference beneficiaries (DOL findings, 2016-2022)
#
# The DOL reports are annual snapshots: a country counts as ratifying in the first
# report year that shows it as party after a year that did not. Seven report years and
# a handful of transitions support a life table, not a regression.

# %%
dol = None
try:
    dol = load_source("dol_child_labor", mirror=DATA_MIRROR or None)
except DataError as exc:
    out.data_unavailable(f"the DOL C138/C182 table is skipped: {exc}")
if dol is not None:
    rows = []
    for conv in ("c138_ratified", "c182_ratified"):
        d = dol[["iso3", "year", conv]].dropna().sort_values(["iso3", "year"])
        d[conv] = d[conv].astype(bool)
        first_year = d.groupby("iso3")["year"].transform("min")
        at_start = d[d["year"] == first_year]
        not_party = set(at_start.loc[~at_start[conv], "iso3"])
        became = d[d["iso3"].isin(not_party) & d[conv]].groupby("iso3")["year"].min()
        # a report showing "not party" after one showing "party" is a data inconsistency
        # (or a report error): counted, not corrected
        was_party = d.groupby("iso3")[conv].cummax().shift(1, fill_value=False)
        same_country = d["iso3"].eq(d["iso3"].shift(1))
        reversal = d[same_country & was_party & ~d[conv]].groupby("iso3")["year"].min()
        for year in sorted(d["year"].unique()):
            rows.append(
                {
                    "convention": conv.split("_")[0].upper(),
                    "report_year": int(year),
                    "beneficiaries_reported": int((d["year"] == year).sum()),
                    "party": int(d.loc[d["year"] == year, conv].sum()),
                    "not_party_at_first_report": len(not_party),
                    "ratified_since_first_report": int((became <= year).sum()),
                    "reported_party_then_not": int((reversal <= year).sum()),
                }
            )
    dol_table = pd.DataFrame(rows)
    out.table(
        "dol_c138_c182",
        dol_table,
        "ILO C138 and C182 among U.S. trade-preference beneficiaries: DOL findings, report "
        "years 2016-2022",
        data="U.S. Department of Labor, Findings on the Worst Forms of Child Labor, report "
        "years 2016-2022 (registry dol_child_labor)",
        notes=[
            "A country enters the 'not party' risk set if its first report shows it not "
            "party; ratified_since_first_report counts those later shown as party; "
            "reported_party_then_not counts countries a later report shows as not party "
            "after an earlier one showed them party (inconsistent reports, not corrected).",
            "ILO conventions in general: no ratification dates in the project's data, so "
            "no ILO-convention hazard is estimated here.",
        ],
        sort=["convention", "report_year"],
    )

# %%
if panel is not None:
    polity = hazard.set_index("term").loc["Polity2 (t-1)"]
    income = hazard.set_index("term").loc["log GDP per capita (t-1)"]
    out.claim(
        "ratification_without_compliance",
        seed="001_0ff89a4813f73384.txt",
        lines="L1716-1720, L1784-1788",
        claim="Ratification of ILO conventions is not well correlated with compliance: "
        "states can ratify to capture the benefits of ratification while keeping interests "
        "in non-compliance",
        evidence="discrete-time cloglog hazard of ratifying ICESCR, ICCPR or CAT on lagged "
        "Polity2 and income (econometrics.hazard.discrete_hazard)",
        result=(
            f"hazard ratio per Polity2 point {polity['hazard_ratio']:.3f} "
            f"[{polity['hr_low']:.3f}, {polity['hr_high']:.3f}], per log GDP per capita "
            f"{income['hazard_ratio']:.3f} [{income['hr_low']:.3f}, {income['hr_high']:.3f}]; "
            f"{fitted.extra['events']} ratifications in {fitted.nobs} country-treaty-years"
        ),
        verdict="not testable with these data",
        assumptions="the model explains when states ratify UN treaties, not whether they "
        "comply, and no ILO ratification dates are in the project's data; democracies "
        "ratifying sooner says nothing about compliance after ratification",
        outputs=["ratification_hazard"],
    )
