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
# # 2. Group size, the outside competitor and the enforcement pipeline
#
# This notebook goes beyond the 2x2 stag hunt of notebook 1:
#
# - **the designs compared**: the enforcement designs of the catalogue
#   (`gametheory.designs`: ILO supervision, complaint adjudication, GSP, the U.S.-Cambodia
#   textiles agreement, Leveraged Deliberative Cooperation, Barenberg's ideal and
#   incremental reforms, the existing Peru FTA, LeClercq's participatory enforcement and
#   the USMCA Rapid Response Mechanism) evaluated side by side on one base game and one
#   grid of base games;
# - **group size**: the N-state threshold stag hunt behind Banks' report that stag-hunt
#   experiments fail "above six players" (`001_0ff89a4813f73384.txt` L2454-2463);
# - **the outside competitor**: a low-cost non-member (Banks' "China" problem,
#   L2491-2527) and the conditional benefit that offsets it;
# - **the Peru pipeline**: Barenberg's hypothetical complaint against Peru under the
#   existing agreement and under his reforms (`002_fe9755c5db777969.txt` section VI,
#   L775-951), as an expected discounted penalty.
#
# Every number comes from `gametheory` (`nplayer`, `sequential`); this notebook only
# chooses parameters, tabulates and plots. The payoff values are the canonical
# Banks-Hyde stag hunt (stag 4, sucker 0, hare 3), i.e. illustrative, not estimates.

# %% tags=["parameters"]
QUICK = False  # coarse settings for tests
MAX_N = 12  # largest group size in the N-state figures
DATA_MIRROR = ""  # unused here; kept so every notebook takes the same parameters

# %%
if QUICK:
    MAX_N = 7

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from enforcement_lab.paper import PaperOutputs, deterministic_matplotlib
from gametheory.designs import DESIGNS, compare
from gametheory.nplayer import ThresholdStagHunt, banks_tipping_share, outside_competitor
from gametheory.sequential import PERU_STAGES, peru_existing, peru_reformed

deterministic_matplotlib()
out = PaperOutputs("02_designs")
S, L, H = 4.0, 4.0, 3.0  # stag, sucker loss (stag - sucker), hare: the Banks-Hyde game

# %% [markdown]
# ## 2.0 The enforcement designs compared
#
# Each design is a bundle of payoff-adjusting instruments applied to the Banks-Hyde
# assurance game (`s=4, h=3, l=4, g=0`), with default parameters that encode the seeds'
# qualitative claims (illustrative, not estimates; the design catalogue cites the seed
# lines of each). `designs.compare` reports, per design, the class of the adjusted game,
# whether compliance is risk dominant or dominant, the tipping belief `q*`, the
# two-population replicator basin of compliance, and the critical value of the design's
# main lever; and, over a grid of base games (sucker loss `l` and hare payoff `h`), the
# share of the grid where compliance is risk dominant or dominant.

# %%
l_values = np.linspace(2.0, 6.0, 3 if QUICK else 9)
h_values = np.linspace(2.5, 3.5, 3 if QUICK else 5)
designs = compare(
    list(DESIGNS), grid={"l": l_values, "h": h_values}, basin_n=31 if QUICK else 101
).reset_index()
cols = [
    "design",
    "class",
    "lever",
    "lever_value",
    "cc_risk_dominant",
    "comply_dominant",
    "q_star_row",
    "basin_share",
    "critical_risk_dominant",
    "critical_dominant",
    "grid_cc_risk_dominant",
    "grid_dominant",
    "grid_basin_share",
]
out.table(
    "designs_compared",
    designs[cols],
    "Enforcement designs compared on the Banks-Hyde assurance game and on a grid of base games",
    data="model only (gametheory.designs.compare; illustrative default parameters)",
    notes=[
        "critical_*: smallest value of the design's lever (in its range) at which "
        "compliance is risk dominant / dominant, empty if never (the existing Peru FTA "
        "caps the fine at 50% of the gain). grid_*: shares over "
        f"{len(l_values)} x {len(h_values)} base games (l in [2, 6], h in [2.5, 3.5]).",
        "basin_share: two-population replicator basin of (comply, comply).",
    ],
    digits={"lever_value": 2, "critical_risk_dominant": 3, "critical_dominant": 3},
)

# %%
order = designs.sort_values(["basin_share", "design"]).reset_index(drop=True)
fig, ax = plt.subplots(figsize=(6.4, 3.8))
y = np.arange(len(order))
ax.barh(y - 0.2, order["basin_share"], height=0.4, label="compliance basin (default game)")
ax.barh(
    y + 0.2,
    order["grid_cc_risk_dominant"],
    height=0.4,
    label="share of base games where compliance is risk dominant",
)
ax.set_yticks(y, [d.replace("_", " ") for d in order["design"]], fontsize=7)
ax.set_xlim(0, 1)
ax.set_xlabel("share")
ax.legend(fontsize=7, loc="lower right")
ax.set_title("Enforcement designs compared")
out.figure(
    fig,
    "designs_compared",
    "Compliance basin and share of base games with risk-dominant compliance, by enforcement design",
    data="model only (gametheory.designs; illustrative default parameters)",
)
plt.close(fig)

# %% [markdown]
# ## 2.1 Group size: the N-state threshold stag hunt
#
# With `M = N` (everyone must comply for the stag) the share of other states that must be
# expected to comply before complying pays is `x* = ((h - s + l - delta)/l)^(1/(N-1))`
# (Banks B3). The compliance basin `1 - x*` shrinks quickly with `N`. We compute it from
# the replicator gradient of `ThresholdStagHunt` and check it against the closed form.

# %%
sizes = np.arange(2, MAX_N + 1)
deltas = [0.0, 0.5, 1.0]
rows = []
for delta in deltas:
    for n in sizes:
        unanimity = ThresholdStagHunt(N=int(n), M=int(n), s=S, l=L, h=H, delta=delta)
        majority = ThresholdStagHunt(N=int(n), M=int(n) // 2 + 1, s=S, l=L, h=H, delta=delta)
        closed = 1.0 - banks_tipping_share(int(n), S, L, H, delta)
        rows.append(
            {
                "delta": delta,
                "N": int(n),
                "basin_unanimity": unanimity.compliance_basin(),
                "basin_closed_form": closed,
                "M_majority": int(n) // 2 + 1,
                "basin_majority": majority.compliance_basin(),
            }
        )
nstate = pd.DataFrame(rows)
gap = float((nstate["basin_unanimity"] - nstate["basin_closed_form"]).abs().max())
assert gap < 1e-6, gap
print(f"largest gap between the replicator basin and Banks' closed form: {gap:.1e}")

# %%
table = nstate[nstate["N"].isin([2, 3, 4, 6, 8, MAX_N])].copy()
out.table(
    "nstate_basins",
    table,
    "Compliance basin of the N-state threshold stag hunt (share of initial compliance "
    "levels from which all states end up complying), unanimity (M = N) and simple "
    "majority thresholds",
    data="model only (Banks-Hyde payoffs s=4, l=4, h=3; delta = net payoff adjustment)",
    notes=[
        "basin_closed_form is 1 - ((h - s + l - delta)/l)^(1/(N-1)) (Banks B3); "
        "it equals the replicator basin to within 1e-6 (asserted when the notebook runs).",
        "Banks' 'above six players' is Hyde's experimental summary (001 L2454-2463).",
    ],
    sort=["delta", "N"],
)

# %%
fig, ax = plt.subplots(figsize=(6.0, 3.6))
for delta, style in zip(deltas, ["-", "--", ":"], strict=True):
    sub = nstate[nstate["delta"] == delta]
    ax.plot(
        sub["N"],
        sub["basin_unanimity"],
        style,
        marker="o",
        ms=3,
        color="C0",
        label=f"M = N, delta = {delta:g}",
    )
    ax.plot(
        sub["N"],
        sub["basin_majority"],
        style,
        marker="s",
        ms=3,
        color="C1",
        label=f"M = N/2 + 1, delta = {delta:g}",
    )
ax.axvline(6, color="0.5", lw=0.8)
ax.text(6.1, 0.92, "six players\n(Banks, L2454-2463)", fontsize=7, va="top")
ax.set_xlabel("states in the group, N")
ax.set_ylabel("compliance basin (share of initial beliefs)")
ax.set_ylim(0, 1)
ax.legend(fontsize=7, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.16))
ax.set_title("The assurance problem grows with group size")
out.figure(
    fig,
    "nstate_basin",
    "Compliance basin of the N-state threshold stag hunt against group size N",
    data="model only (Banks-Hyde payoffs)",
)
plt.close(fig)

# %% [markdown]
# ## 2.2 The outside competitor
#
# A non-member that never complies takes `l_c` from every complier. Without a
# conditional benefit (payable only to compliers) the trust-only regime fails once
# `l_c > s - h - g`. The benefit `b*` that restores compliance as an equilibrium, as the
# risk-dominant equilibrium and as a dominant strategy, with perfect monitoring and with
# monitoring probability 0.7 and 10% mistaken withdrawals:

# %%
competitor_loss = np.linspace(0.0, 4.0, 9 if QUICK else 41)
rows = []
for lc in competitor_loss:
    for target in ("nash", "risk_dominant", "dominant"):
        for m, eps in ((1.0, 0.0), (0.7, 0.1)):
            r = outside_competitor(S, L, H, l_c=float(lc), m=m, eps=eps, target=target)
            rows.append({"l_c": float(lc), "target": target, "monitoring": m, "mistakes": eps, **r})
competitor = pd.DataFrame(rows)
out.table(
    "outside_competitor",
    competitor[competitor["l_c"].isin([0.0, 1.0, 2.0, 3.0, 4.0])][
        ["l_c", "target", "monitoring", "mistakes", "delta_needed", "b_star", "trust_only_fails"]
    ],
    "Conditional benefit b* needed to offset an outside low-cost competitor that takes "
    "l_c from every complying state",
    data="model only (Banks-Hyde payoffs s=4, l=4, h=3, g=0)",
    notes=[
        "b* = max(0, delta_needed / (monitoring - mistakes)) (gametheory.nplayer."
        "outside_competitor; Banks B4, 001 L2491-2527)."
    ],
    sort=["l_c", "target", "monitoring"],
)

# %%
fig, ax = plt.subplots(figsize=(6.0, 3.6))
for target, color in zip(("nash", "risk_dominant", "dominant"), ("C0", "C1", "C2"), strict=True):
    for (m, eps), style in zip(((1.0, 0.0), (0.7, 0.1)), ("-", "--"), strict=True):
        sub = competitor[(competitor["target"] == target) & (competitor["monitoring"] == m)]
        ax.plot(
            sub["l_c"],
            sub["b_star"],
            style,
            color=color,
            label=f"{target.replace('_', ' ')}, m={m:g}, eps={eps:g}",
        )
ax.set_xlabel("loss to the outside competitor per complier, l_c")
ax.set_ylabel("conditional benefit needed, b*")
ax.legend(fontsize=7)
ax.set_title("Offsetting a non-member competitor")
out.figure(
    fig,
    "outside_competitor",
    "Conditional benefit needed to keep compliance an equilibrium, risk dominant or "
    "dominant against an outside low-cost competitor",
    data="model only (Banks-Hyde payoffs)",
)
plt.close(fig)

# %% [markdown]
# ## 2.3 The Peru pipeline: expected penalty under the existing agreement and the reforms
#
# A violation is deterred only if the expected discounted penalty `P * delta^T * S_eff`
# reaches the violator's gain `B`. Under the existing agreement Peru may pay a fine of
# 50% of the benefits impaired instead of suffering sanctions (L813, L933-941), so even
# when every stage is passed for sure the penalty is at most half the gain: **no
# parameter set deters** (fn56, L1035). The stage pass probabilities below are the
# library's illustrative defaults (Barenberg gives none); the conclusion about the cap
# does not depend on them.

# %%
existing, reformed = peru_existing(), peru_reformed()
stage_rows = []
for label, pipe in (("existing", existing), ("reformed", reformed)):
    for i, stage in enumerate(pipe.stages, start=1):
        stage_rows.append(
            {
                "agreement": label,
                "step": i,
                "stage": stage.name.replace("_", " "),
                "pass_probability": stage.pass_probability,
                "delay_days": stage.delay_days,
                "source": f"002 {stage.citation.split(':', 1)[-1]}" if stage.citation else "",
            }
        )
out.table(
    "peru_pipeline_stages",
    pd.DataFrame(stage_rows),
    "The Peru complaint as an enforcement pipeline: stages, illustrative pass "
    "probabilities and delays under the existing agreement and Barenberg's reforms",
    data="model only (gametheory.sequential.PERU_STAGES; seed 002 section VI)",
    notes=[
        "Pass probabilities are illustrative defaults, not estimates; delays are the "
        "deadlines the agreement states plus 365 days of agreed extensions."
    ],
    digits={"pass_probability": 2, "delay_days": 0},
)

# %%
all_pass = {name: 1.0 for name, *_ in PERU_STAGES["existing"]}
variants = {
    "existing agreement": existing,
    "existing, every stage passed for sure": peru_existing(all_pass),
    "existing, no discounting, every stage passed": peru_existing(
        all_pass, extension_days=0.0, annual_discount_rate=0.0
    ),
    "reformed (sanction 2x the gain)": reformed,
    "reformed, sanction 1x the gain": peru_reformed(sanction_multiple=1.0),
}
summary = pd.DataFrame([{"pipeline": k, **v.summary()} for k, v in variants.items()])
out.table(
    "peru_pipeline_penalty",
    summary,
    "Expected discounted penalty per unit of the violator's gain: the existing U.S.-Peru "
    "agreement and Barenberg's reforms",
    data="model only (gametheory.sequential.peru_existing / peru_reformed)",
    notes=[
        "deters = expected penalty >= gain. With the 50% fine cap the penalty per unit "
        "gain is at most 0.5 whatever the pass probabilities and delays."
    ],
    digits={
        "delay_days": 0,
        "pass_probability": ".3g",
        "expected_penalty": ".3g",
        "required_sanction_multiple": ".4g",
        "discount": 3,
        "penalty_per_unit_gain": 2,
    },
)

# %%
uniform = np.linspace(0.0, 1.0, 11 if QUICK else 101)
ep_existing = [
    peru_existing({n: float(p) for n, *_ in PERU_STAGES["existing"]}).expected_penalty()
    for p in uniform
]
ep_reformed = [
    peru_reformed({n: float(p) for n, *_ in PERU_STAGES["reformed"]}).expected_penalty()
    for p in uniform
]
fig, ax = plt.subplots(figsize=(6.0, 3.6))
ax.plot(uniform, ep_existing, label=f"existing ({len(existing.stages)} stages, 50% fine cap)")
ax.plot(uniform, ep_reformed, label=f"reformed ({len(reformed.stages)} stages, sanction 2x gain)")
ax.axhline(1.0, color="0.3", lw=0.8, ls="--")
ax.text(0.02, 1.03, "deterrence: expected penalty = gain", fontsize=7)
ax.set_xlabel("pass probability of every stage")
ax.set_ylabel("expected discounted penalty / gain")
ax.set_ylim(0, 2.1)
ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(0.0, 0.92))
ax.set_title("The Peru pipeline")
out.figure(
    fig,
    "peru_pipeline",
    "Expected discounted penalty per unit of gain when every stage passes with the same "
    "probability: existing U.S.-Peru agreement vs Barenberg's reforms",
    data="model only (gametheory.sequential)",
)
plt.close(fig)
print(
    "existing deters at best:",
    max(ep_existing) >= 1.0,
    "| reformed deters at best:",
    max(ep_reformed) >= 1.0,
)
