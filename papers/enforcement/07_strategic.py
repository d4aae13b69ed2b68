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
# # 7. The GSP cases as an estimated enforcement game
#
# Notebook 6 places observed sanction frequencies on a phase diagram whose payoffs are
# assumed. Here the payoffs are estimated: each shipped US GSP worker-rights case is one
# play of the sequential enforcement game of Barenberg's credibility argument (seed 002,
# lines 225-231): the target state takes steps (outcome 1) or not; if not, the US
# acquiesces (outcome 3: the review continues, or the petition is not pursued) or
# suspends benefits (outcome 4). The strategic choice model of Signorino (1999, 2003)
# (`econometrics.strategic.fit_sequential`, the `egame12` model of the R package `games`)
# estimates the utilities behind these choices, with player 2's utility of acquiescing
# and player 1's utility of reforming normalised to 0.
#
# **This is a small sample.** 34 of the shipped cases have a stated outcome (the others are `unknown`);
# 15 end in reform, 4 in acquiescence, 15 in sanctions. With so few cases (and only 4
# plays of outcome 3) the utilities are imprecise, their standard errors rest on
# asymptotics that 34 cases cannot guarantee, and the profile likelihoods below show how
# flat the likelihood is. Nothing here is synthetic.

# %% tags=["parameters"]
QUICK = False  # fewer profile-likelihood points for tests
DATA_MIRROR = ""  # unused: shipped data only (every notebook takes it)
PROFILE_N = 41  # points of each profile likelihood

# %%
if QUICK:
    PROFILE_N = 11

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from econometrics.strategic import fit_sequential
from econometrics.strategic.gsp import gsp_game_outcomes
from econometrics.tables import compare
from enforcement_lab.data import load_shipped
from enforcement_lab.paper import PaperOutputs, deterministic_matplotlib
from gametheory.solve import DegenerateGameWarning, equilibria

deterministic_matplotlib()
out = PaperOutputs("07_strategic")
cases = gsp_game_outcomes(load_shipped("gsp_worker_rights_reviews"))
print(len(cases), "cases with a stated outcome;", cases["game_outcome"].value_counts().to_dict())
DATA = (
    "shipped gsp_worker_rights_reviews (hand-coded; outcomes mapped by econometrics.strategic.gsp)"
)

# %% [markdown]
# ## 7.1 Outcomes of the game

# %%
tab = (
    cases.assign(
        period=np.select(
            [cases["after_1998"] == 0, cases["after_1998"] == 1],
            ["1986-1998", "after 1998"],
            "undated",
        )
    )
    .pivot_table(
        index="period", columns="game_outcome", values="case_id", aggfunc="count", fill_value=0
    )
    .rename(columns={1: "1 reform", 3: "3 acquiesce", 4: "4 sanction"})
    .reset_index()
)
out.table(
    "strategic_outcomes",
    tab,
    "GSP worker-rights cases as outcomes of the sequential enforcement game, by period",
    data=DATA,
    notes=[
        "Outcome 1: closed as taking steps; 3: continued review or petition not pursued; "
        "4: suspension, partial suspension or termination (reinstatements count as 4)."
    ],
    digits=0,
)

# %% [markdown]
# ## 7.2 Estimated utilities
#
# Three specifications, agent-error probit unless stated: (1) the smallest model, with
# player 1's utility of an unsanctioned violation `u13` and player 2's net utility of
# sanctioning `u24` (intercepts), `u11 = u14 = 0` (being sanctioned is worth what reforming
# is worth: the sanction exactly removes the gain from violating); (2) the same under
# private information; (3) `u24` allowed to differ after 1998 (undated cases drop out).
# Utilities are in units of the standard deviation of the choice errors.

# %%
m1 = fit_sequential(cases, "game_outcome", {"u11": "0", "u13": "1", "u14": "0", "u24": "1"})
m2 = fit_sequential(
    cases, "game_outcome", {"u11": "0", "u13": "1", "u14": "0", "u24": "1"}, errors="private"
)
m3 = fit_sequential(
    cases, "game_outcome", {"u11": "0", "u13": "1", "u14": "0", "u24": "1 + after_1998"}
)
table = compare(m1, m2, m3, names=["(1) agent", "(2) private info", "(3) agent, period"])
frame = table.frame.drop(index=["Entity FE", "Time FE", "Cluster"]).reset_index(names="term")
extra = pd.DataFrame(
    {
        "term": ["Log-likelihood", "AIC"],
        **{
            name: [f"{m.loglik:.2f}", f"{m.aic:.2f}"]
            for name, m in zip(table.frame.columns, (m1, m2, m3), strict=True)
        },
    }
)
out.table(
    "strategic_utilities",
    pd.concat([frame, extra], ignore_index=True),
    "Estimated utilities of the GSP enforcement game (strategic choice model, 34 cases)",
    data=DATA,
    notes=[
        "Standard errors (inverse observed information) in parentheses; * p<0.10, ** p<0.05, "
        "*** p<0.01. 34 cases (29 dated in model 3): asymptotic standard errors are rough.",
        "u13: state's utility of an unsanctioned violation relative to reforming; u24: US "
        "utility of sanctioning relative to acquiescing.",
    ],
)

# %% [markdown]
# The US side is the better identified: 15 sanctions against 4 acquiescences put
# `u24` clearly above zero (the US preferred to sanction a state that did not take steps),
# less so after 1998. The state's gain from an unsanctioned violation `u13` is positive
# but its interval is wide and includes zero: with a sanction probability near 0.8, a
# state that did not reform was sanctioned so often that the data say little about what
# violating would have been worth without sanctions.

# %% [markdown]
# ## 7.3 Profile likelihoods
#
# The likelihood ratio of the state's utility `u13` is asymmetric: its 95% profile interval
# (where the curve crosses the dashed line) reaches well beyond the Wald interval on the
# upper side, so with 34 cases the Wald standard error understates how little the data
# say about the state's gain from violating. `u24` is close to quadratic.

# %%
fig, axes = plt.subplots(1, 2, figsize=(8.0, 3.2))
for ax, term in zip(axes, ["u13:Intercept", "u24:Intercept"], strict=True):
    est, se = m1.params[term], m1.std_errors[term]
    m1.plot_profile(term, values=np.linspace(est - 3.5 * se, est + 3.5 * se, PROFILE_N), ax=ax)
fig.suptitle("Profile likelihoods, model (1): GSP cases", fontsize=9)
fig.tight_layout()
out.figure(
    fig,
    "strategic_profile_likelihood",
    "Profile likelihood ratios of the utilities of model (1) with the 95% chi-squared cut-off "
    "and the Wald interval",
    data=DATA,
)
plt.close(fig)

# %% [markdown]
# ## 7.4 The phase diagram at the estimated parameters
#
# In the estimated game the state complies when the expected sanction exceeds its gain
# from violating: `p s >= g`, with `p` the probability that the US sanctions
# (`Phi(u24 / sqrt 2)`), `s = u13 - u14` the sanction's cost to the state and
# `g = u13 - u11` its gain from an unsanctioned violation. Model (1) normalises
# `u11 = u14`, so `s = g`: the data identify `p` and `g` but, as in notebook 6, not the
# size of the sanction separately. The right panel draws the compliance boundary
# `p s = g` at the estimate (and at the ends of its 95% interval) with the estimated `p`
# and its interval; the left panel is notebook 6's calibrated stag hunt with the GSP
# sanction rate per decided case. The two are in different units (stag-hunt payoffs;
# standard deviations of the choice errors).

# %%
SANCTIONS = {"suspension", "termination", "partial_suspension"}
reviews = load_shipped("gsp_worker_rights_reviews")
decided = reviews[~reviews["outcome"].isin(["unknown", "withdrawn_or_not_accepted"])]
k, n = int(decided["outcome"].isin(SANCTIONS).sum()), len(decided)
p06 = k / n
lo06, hi06 = proportion_confint(k, n, method="wilson")

u24, se24 = m1.params["u24:Intercept"], m1.std_errors["u24:Intercept"]
p_hat = stats.norm.cdf(u24 / np.sqrt(2))
p_lo, p_hi = stats.norm.cdf((u24 + np.array([-1.96, 1.96]) * se24) / np.sqrt(2))
g_hat, g_se = m1.params["u13:Intercept"], m1.std_errors["u13:Intercept"]
g_lo, g_hi = g_hat - 1.96 * g_se, g_hat + 1.96 * g_se

p_grid = np.logspace(-2, 0, 301)
fig, (left, right) = plt.subplots(1, 2, figsize=(9.0, 3.8))
cmap = plt.matplotlib.colors.ListedColormap(["#f2d7d5", "#fdebd0", "#d5f5e3"])
P, S = np.meshgrid(p_grid, np.linspace(0, 60, 301))
left.pcolormesh(
    P, S, np.digitize(P * S, [1.0, 3.0]), cmap=cmap, shading="auto", vmin=0, vmax=2, rasterized=True
)
left.plot(p_grid, 1 / p_grid, "--k", lw=0.8)
left.plot(p_grid, 3 / p_grid, "-k", lw=0.8)
left.axvspan(lo06, hi06, color="C0", alpha=0.15, lw=0)
left.axvline(p06, color="C0", ls="--", label=f"GSP sanction per decided case: {p06:.2f}")
left.set(
    xscale="log",
    xlim=(p_grid[0], 1),
    ylim=(0, 60),
    xlabel="probability of a sanction, p",
    ylabel="sanction size s (stag-hunt payoffs)",
    title="Calibrated (notebook 6): Banks-Hyde stag hunt",
)
left.legend(fontsize=6, loc="upper right")

s_max = max(6.0, 2 * abs(g_hi))
P, S = np.meshgrid(p_grid, np.linspace(0, s_max, 301))
right.pcolormesh(
    P,
    S,
    (P * S >= g_hat).astype(int),
    cmap=plt.matplotlib.colors.ListedColormap(["#f2d7d5", "#d5f5e3"]),
    shading="auto",
    vmin=0,
    vmax=1,
    rasterized=True,
)
right.plot(p_grid, g_hat / p_grid, "-k", lw=0.9, label=f"p s = g, g = {g_hat:.2f}")
for g in (g_lo, g_hi):
    if g > 0:
        right.plot(p_grid, g / p_grid, ":k", lw=0.8)
right.axvspan(p_lo, p_hi, color="C1", alpha=0.15, lw=0)
right.axvline(p_hat, color="C1", label=f"estimated p = {p_hat:.2f}")
right.plot([p_hat], [g_hat], "o", color="C1", ms=4)
right.set(
    xscale="log",
    xlim=(p_grid[0], 1),
    ylim=(0, s_max),
    xlabel="probability of a sanction, p",
    ylabel="sanction cost s (error s.d.)",
    title="Estimated: GSP strategic choice model (1)",
)
right.legend(fontsize=6, loc="upper right")
fig.tight_layout()
out.figure(
    fig,
    "strategic_phase_diagram",
    "Phase diagrams: the calibrated stag hunt of notebook 6 (left) and the enforcement game "
    "at the estimated utilities of the GSP cases (right; green: compliance, dotted: 95% "
    "interval of the gain g where positive, band: 95% interval of p)",
    data=DATA + "; left panel as notebook 6",
)
plt.close(fig)

# %% [markdown]
# The estimated game at its point estimates, in strategic form, is handed to the same
# solvers as the assumed games of notebooks 1 and 2:

# %%
game = m1.game_at({})
print(game)
with warnings.catch_warnings():  # a sequential game is degenerate in strategic form
    warnings.simplefilter("ignore", DegenerateGameWarning)
    eq = equilibria(game)
summary = pd.DataFrame(
    {
        "quantity": [
            "P(sanction | no reform), p",
            "gain from unsanctioned violation, g",
            "expected sanction p s (s = g)",
            "Nash equilibria (pure points)",
        ],
        "estimate": [f"{p_hat:.3f}", f"{g_hat:.3f}", f"{p_hat * g_hat:.3f}", str(len(eq))],
        "95% interval": [f"[{p_lo:.3f}, {p_hi:.3f}]", f"[{g_lo:.3f}, {g_hi:.3f}]", "", ""],
    }
)
out.table(
    "strategic_game_summary",
    summary,
    "The estimated GSP enforcement game (model 1) at its point estimates",
    data=DATA,
    notes=[
        "Intervals: delta method for p (through u24), Wald for g. With g > 0 and p < 1 "
        "the state's best reply to the estimated sanction risk is not to reform: the model "
        "matches the 15 reforms in 34 cases through its error term, not its equilibrium."
    ],
)

# %%
counts = cases["game_outcome"].value_counts()
n_reform, n_acq, n_sanc = (int(counts.get(k, 0)) for k in (1, 3, 4))
BARENBERG = "002_fe9755c5db777969.txt"
out.claim(
    "strategic_sanction_threats_worked",
    seed=BARENBERG,
    lines="L217",
    claim="When the president used trade leverage for workers' rights, sanctions or the "
    "mere threat of sanctions worked (Chile, Guatemala, Paraguay, Belarus)",
    evidence="strategic choice model of the coded GSP cases (state reforms, or not and the "
    "US acquiesces or sanctions): the state's gain from an unsanctioned violation g and "
    "the US sanction probability p",
    result=(
        f"{len(cases)} cases: {n_reform} reforms, {n_acq} acquiescences, {n_sanc} sanctions; "
        f"g = {g_hat:.2f} [{g_lo:.2f}, {g_hi:.2f}], p = {p_hat:.2f} [{p_lo:.2f}, {p_hi:.2f}]; "
        f"expected sanction p s = {p_hat * g_hat:.2f} against g = {g_hat:.2f}, so at the "
        "estimates a state's best reply is not to reform"
    ),
    verdict="not testable with these data",
    assumptions="the sanction removes exactly the gain from violating (u11 = u14), so the "
    "sanction's size is not identified apart from g; g's interval includes zero; the "
    "model fits the reforms through its error term, and a few dozen cases with "
    "documented outcomes cannot tell whether threats caused reforms",
    outputs=["strategic_utilities", "strategic_game_summary", "strategic_phase_diagram"],
)
out.claim(
    "strategic_president_rarely_sanctions",
    seed=BARENBERG,
    lines="L225",
    claim="The president has used his authority rarely and unevenly: benefits suspended on "
    "only 13 occasions under the GSP despite pervasive non-compliance",
    evidence="US utility of sanctioning relative to acquiescing (u24) and the implied "
    "probability of a sanction once a reviewed state has not taken steps",
    result=(
        f"u24 = {u24:.2f} (SE {se24:.2f}); P(sanction | no reform) = {p_hat:.2f} "
        f"[{p_lo:.2f}, {p_hi:.2f}]: among reviewed states that did not reform, sanctions "
        f"were the common outcome ({n_sanc} of {n_sanc + n_acq})"
    ),
    verdict="not testable with these data",
    assumptions="Barenberg's 'rarely' counts sanctions against all violators, most of which "
    "were never reviewed (petitions declined for geopolitical reasons); the model sees only "
    "cases that reached a review with a stated outcome, so it measures the US choice after "
    "selection into review",
    outputs=["strategic_utilities", "strategic_game_summary", "strategic_outcomes"],
)
