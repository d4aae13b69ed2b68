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
# # 1. The stag hunt and payoff adjustment
#
# Banks, following Hyde, models the decision of developing states to raise labor
# standards as a **stag hunt** (`001_0ff89a4813f73384.txt` L2411-2470): all gain most if
# all comply, but each can take the safe "hare" of low standards, and without assurance
# nobody hunts the stag. An international regime "could seek to provide assurance by
# altering the payoffs of defection through a regime of economic sanctions or positive
# incentives such as conditional trade or other benefits" (L2483-2487): **payoff
# adjustment**. When short-run gains from undercutting exceed the long-run value of
# compliance, the game is a prisoner's dilemma instead: Menashe's race to the bottom
# (`000_cdb709224d31b41b.txt` L90-104).
#
# This notebook maps where sanctions and conditional benefits move these games: the
# equilibria of the canonical game, phase diagrams over (sanction probability, sanction
# size) and over (conditional benefit, sucker loss) with the risk-dominance boundary,
# and the basins of attraction under replicator dynamics. Every number comes from
# `gametheory` (games, instruments, the vectorised 2x2 solver, dynamics). Payoffs are
# the canonical Banks-Hyde values (stag 4, sucker 0, hare 3): illustrative, not
# estimates.

# %% tags=["parameters"]
QUICK = False  # coarse grids for tests
DATA_MIRROR = ""  # unused here; kept so every notebook takes the same parameters
GRID_N = 401  # phase-diagram resolution per axis
BASIN_N = 201  # initial conditions per axis for the basins

# %%
if QUICK:
    GRID_N, BASIN_N = 41, 31

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap

from enforcement_lab.paper import PaperOutputs, deterministic_matplotlib
from gametheory.dynamics import BASIN_LABELS, basin_share_curve, basins_2x2
from gametheory.games import FAMILIES, assurance, race_to_the_bottom, stag_hunt
from gametheory.instruments import ConditionalBenefit, Sanction
from gametheory.selection import PHASES, classify, mixed_threshold, phase_2x2
from gametheory.solve import equilibria
from gametheory.thresholds import compliance_thresholds

deterministic_matplotlib()
out = PaperOutputs("01_games")

# %% [markdown]
# ## 1.1 The canonical games and their equilibria
#
# Rows are the row state's strategies (comply = stag, defect = hare); nashpy's support
# enumeration through `gametheory.solve.equilibria`.

# %%
GAMES = {
    "stag hunt (Banks-Hyde 4,0,3,3)": stag_hunt(),
    "race to the bottom (PD)": race_to_the_bottom(),
}
rows = []
for name, game in GAMES.items():
    eq = equilibria(game)
    frame = eq.to_frame()
    klass = classify(game)
    for i, r in frame.iterrows():
        rows.append(
            {
                "game": name,
                "class": klass,
                "equilibrium": i + 1,
                "P(row complies)": r.iloc[0],
                "P(column complies)": r.iloc[len(game.row_labels)],
                "payoff_row": r["payoff_row"],
                "payoff_column": r["payoff_col"],
                "pure": bool(r["pure"]),
            }
        )
eq_table = pd.DataFrame(rows)
out.table(
    "games_equilibria",
    eq_table,
    "Nash equilibria of the two canonical enforcement games",
    data="model only (gametheory.games.stag_hunt, race_to_the_bottom; nashpy support enumeration)",
    notes=[
        "Stag hunt: comply/comply 4, comply/defect 0, defect/comply 3, defect/defect 3 "
        "(Banks-Hyde, 001 L2411-2444). Race to the bottom: value 3, cost 1, gain 3, loss 4 "
        "(comply/comply 2, comply/defect -2, defect/comply 3, defect/defect 0)."
    ],
    digits=3,
)
print(eq_table.to_string(index=False))

# %% [markdown]
# ## 1.2 Phase diagram: sanction probability and size
#
# A sanction of size `s` imposed with probability `p` on defection (`Sanction(p, s)`,
# applied to both states: uniform enforcement) lowers the defect row by `p s`. On a
# `GRID_N x GRID_N` grid every game is classified exactly from its payoff differences
# (`gametheory.selection.phase_2x2`, the phases of a phase diagram):
#
# - **no compliance**: (comply, comply) is not a Nash equilibrium;
# - **coordination**: it is, but the defect equilibrium is risk dominant or tied
#   (Harsanyi-Selten: larger product of deviation losses): the assurance problem;
# - **compliance risk-dominant**: (C,C) is the unique or the risk-dominant equilibrium;
# - **compliance dominant**: complying is strictly dominant for both states.
#
# The curves are the closed-form thresholds of `gametheory.thresholds.compliance_thresholds`
# (for the stag hunt `p s = 1` for risk dominance and `p s = 3` for dominance).

# %%
REGIONS = list(PHASES)


def regions(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Phase code of each game in the stacks ``A``, ``B`` (shape (..., 2, 2))."""
    return phase_2x2(A.reshape(-1, 2, 2), B.reshape(-1, 2, 2)).reshape(A.shape[:-2])


p_grid = np.linspace(0.0, 1.0, GRID_N)
s_grid = np.linspace(0.0, 8.0, GRID_N)
P, S = np.meshgrid(p_grid, s_grid)
maps, shares = {}, []
for name, game in GAMES.items():
    A0 = np.broadcast_to(game.A, (*P.shape, 2, 2))
    B0 = np.broadcast_to(game.B, (*P.shape, 2, 2))
    A, B = Sanction(P, S).transform(A0, B0)
    maps[name] = regions(A, B)
    for k, label in enumerate(REGIONS):
        shares.append(
            {"game": name, "region": label, "share_of_grid": float(np.mean(maps[name] == k))}
        )
out.table(
    "phase_sanction_shares",
    pd.DataFrame(shares),
    "Share of the (sanction probability, sanction size) grid in each compliance region",
    data="model only (gametheory.instruments.Sanction on the canonical games; "
    "gametheory.selection.phase_2x2)",
    notes=[f"Grid: p in [0, 1], s in [0, 8], {GRID_N} x {GRID_N} points."],
)

# %%
thr = {
    name: {
        t: max(0.0, compliance_thresholds(game)[t])
        for t in ("equilibrium", "risk_dominant", "dominant")
    }
    for name, game in GAMES.items()
}
cmap = ListedColormap(["#e6b0aa", "#f5cba7", "#abebc6", "#58d68d"])
fig, axes = plt.subplots(1, 2, figsize=(8.0, 3.6), sharey=True)
for ax, (name, region) in zip(axes, maps.items(), strict=True):
    ax.pcolormesh(P, S, region, cmap=cmap, vmin=0, vmax=3, shading="auto", rasterized=True)
    pp = p_grid[p_grid > 0]
    for t, style in (("equilibrium", ":"), ("risk_dominant", "--"), ("dominant", "-")):
        if thr[name][t] > 0:
            ax.plot(
                pp,
                thr[name][t] / pp,
                style,
                color="k",
                lw=0.8,
                label=f"p s = {thr[name][t]:g} ({t.replace('_', ' ')})",
            )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 8)
    ax.set_title(name, fontsize=8)
    ax.set_xlabel("sanction probability p")
    ax.legend(fontsize=6, loc="upper right")
axes[0].set_ylabel("sanction size s")
handles = [plt.Rectangle((0, 0), 1, 1, color=cmap(k)) for k in range(4)]
fig.legend(handles, REGIONS, loc="lower center", ncol=4, fontsize=7, bbox_to_anchor=(0.5, -0.04))
fig.tight_layout(rect=(0, 0.06, 1, 1))
out.figure(
    fig,
    "phase_sanction",
    "Compliance regions over sanction probability and size, with the closed-form "
    "equilibrium, risk-dominance and dominance boundaries",
    data="model only (gametheory)",
)
plt.close(fig)

# %% [markdown]
# ## 1.3 Phase diagram: conditional benefit
#
# A benefit `b` paid only to compliers (the U.S.-Cambodia quota bonus, Banks L5090-5205),
# withheld from violators with detection probability 0.9 and withdrawn from compliers by
# mistake with probability 0.1 (`ConditionalBenefit(b, detection=0.9, error=0.1)`), over
# the sucker loss `l` of the assurance game (`s=4, h=3`). The risk-dominance boundary is
# `0.8 b = h - s + l/2` and dominance needs `0.8 b = h - s + l`.

# %%
b_grid = np.linspace(0.0, 8.0, GRID_N)
l_grid = np.linspace(0.0, 8.0, GRID_N)
Bv, Lv = np.meshgrid(b_grid, l_grid)
A0, B0 = FAMILIES["assurance"].arrays(s=4.0, h=3.0, l=Lv, g=0.0)
A, B = ConditionalBenefit(Bv, detection=0.9, error=0.1).transform(A0, B0)
region_b = regions(A, B)
net = 0.9 - 0.1
bounds = [compliance_thresholds(assurance(s=4.0, h=3.0, l=float(loss))) for loss in l_grid]
rd_curve = np.array([t.risk_dominant for t in bounds]) / net
dom_curve = np.array([t.dominant for t in bounds]) / net
fig, ax = plt.subplots(figsize=(5.6, 3.8))
ax.pcolormesh(Bv, Lv, region_b, cmap=cmap, vmin=0, vmax=3, shading="auto", rasterized=True)
ax.plot(np.clip(rd_curve, 0, None), l_grid, "--", color="k", lw=0.8, label="risk dominance")
ax.plot(np.clip(dom_curve, 0, None), l_grid, "-", color="k", lw=0.8, label="dominance")
ax.set_xlim(0, 8)
ax.set_ylim(0, 8)
ax.set_xlabel("conditional benefit b (paid to compliers)")
ax.set_ylabel("sucker loss l (cost of complying alone)")
ax.legend(
    handles + ax.get_legend_handles_labels()[0],
    [*REGIONS, "risk dominance", "dominance"],
    fontsize=6,
    loc="upper left",
)
ax.set_title("Conditional benefit in the assurance game (s = 4, h = 3)")
out.figure(
    fig,
    "phase_benefit",
    "Compliance regions over the conditional benefit and the sucker loss, with the "
    "risk-dominance and dominance boundaries",
    data="model only (gametheory)",
)
plt.close(fig)
out.table(
    "phase_benefit_shares",
    pd.DataFrame(
        {"region": REGIONS, "share_of_grid": [float(np.mean(region_b == k)) for k in range(4)]}
    ),
    "Share of the (conditional benefit, sucker loss) grid in each compliance region",
    data="model only (gametheory.instruments.ConditionalBenefit; gametheory.selection.phase_2x2)",
    notes=[
        f"Grid: b in [0, 8], l in [0, 8], {GRID_N} x {GRID_N} points; detection 0.9, "
        "mistaken withdrawal 0.1."
    ],
)

# %% [markdown]
# ## 1.4 Basins of attraction under replicator dynamics
#
# Two populations of states (row and column) adjust by replicator dynamics. For each
# starting pair of shares complying, `basins_2x2` finds where the dynamics go (all starts
# at once, exactly from the constant of motion of the 2x2 system). Without enforcement the compliant equilibrium
# attracts only the starts where both populations are already mostly compliant; an
# expected sanction `p s` enlarges its basin until compliance is dominant.

# %%
fig, axes = plt.subplots(1, 3, figsize=(8.4, 2.9), sharey=True)
basin_cmap = ListedColormap(["#58d68d", "#f7dc6f", "#85c1e9", "#e6b0aa"])
base = stag_hunt()
for ax, f in zip(axes, (0.0, 0.75, 1.5), strict=True):
    g = base.adjust(Sanction(1.0, f))
    res = basins_2x2(g.A, g.B, n=BASIN_N)
    lab = np.where(res.labels < 0, 3, res.labels)
    ax.pcolormesh(
        res.x, res.y, lab.T, cmap=basin_cmap, vmin=0, vmax=3, shading="auto", rasterized=True
    )
    ax.set_title(f"expected sanction p s = {f:g}: (C,C) basin {res.share(0):.2f}", fontsize=7)
    ax.set_xlabel("row states complying (initial share)")
axes[0].set_ylabel("column states complying")
handles = [plt.Rectangle((0, 0), 1, 1, color=basin_cmap(k)) for k in range(4)]
fig.legend(
    handles,
    [BASIN_LABELS[k] for k in range(4)],
    loc="lower center",
    ncol=4,
    fontsize=7,
    bbox_to_anchor=(0.5, -0.05),
)
fig.tight_layout(rect=(0, 0.07, 1, 1))
out.figure(
    fig,
    "basins_replicator",
    "Basins of attraction of the two-population replicator dynamics of the stag hunt "
    "without and with an expected sanction on defection",
    data="model only (gametheory.dynamics.basins_2x2)",
)
plt.close(fig)

# %%
levels = np.round(np.linspace(0.0, 3.5, 8 if QUICK else 15), 6)
curve = basin_share_curve(lambda f: base.adjust(Sanction(1.0, float(f))), levels, n=BASIN_N)
q_star = np.array([mixed_threshold(base.adjust(Sanction(1.0, float(f)))) for f in levels])
basin_table = pd.DataFrame(
    {
        "expected_sanction": levels,
        "compliance_basin_two_population": curve,
        "tipping_belief_q_star": q_star,
        "one_population_basin_1_minus_q_star": 1.0 - q_star,
    }
)
out.table(
    "basin_share_sanction",
    basin_table,
    "Compliance basin of the stag hunt against the expected sanction on defection",
    data="model only (gametheory.dynamics.basin_share_curve; gametheory.selection)",
    notes=[
        f"Two-population basin on a {BASIN_N} x {BASIN_N} grid of initial shares; the "
        "tipping belief q* is the share of other states that must be expected to comply "
        "before complying pays (one population: basin 1 - q*)."
    ],
)
fig, ax = plt.subplots(figsize=(5.0, 3.2))
ax.plot(levels, curve, marker="o", ms=3, label="two populations (replicator)")
ax.plot(levels, 1.0 - q_star, marker="s", ms=3, label="one population: 1 - q*")
ax.axvline(thr["stag hunt (Banks-Hyde 4,0,3,3)"]["risk_dominant"], color="0.5", ls="--", lw=0.8)
ax.axvline(thr["stag hunt (Banks-Hyde 4,0,3,3)"]["dominant"], color="0.5", lw=0.8)
ax.set_xlabel("expected sanction on defection, p s")
ax.set_ylabel("compliance basin")
ax.set_ylim(0, 1.02)
ax.legend(fontsize=7)
ax.set_title("Payoff adjustment enlarges the basin of compliance")
out.figure(
    fig,
    "basin_share_sanction",
    "Compliance basin against the expected sanction (dashed: risk dominance; solid: dominance)",
    data="model only (gametheory.dynamics)",
)
plt.close(fig)

# %% [markdown]
# ## 1.5 What this notebook finds about the seeds' claims

# %%
stag_thr = thr["stag hunt (Banks-Hyde 4,0,3,3)"]
pd_thr = thr["race to the bottom (PD)"]
at = basin_table.set_index("expected_sanction")["compliance_basin_two_population"]
share_no = pd.DataFrame(shares).set_index(["game", "region"])["share_of_grid"]
out.claim(
    "banks_payoff_adjustment",
    seed="001_0ff89a4813f73384.txt",
    lines="L2483-2487",
    claim="An international regime could provide assurance by altering the payoffs of "
    "defection through economic sanctions or positive incentives such as conditional "
    "trade benefits",
    evidence="Banks-Hyde stag hunt with a sanction on defection (probability p, size s) and "
    "with a conditional benefit paid to compliers; phase diagrams from exact payoff "
    "differences and replicator basins",
    result=(
        f"Compliance becomes risk dominant from an expected sanction p s = "
        f"{stag_thr['risk_dominant']:g} and dominant from p s = {stag_thr['dominant']:g}; the "
        f"two-population basin of joint compliance grows from {at.iloc[0]:.3f} without "
        f"enforcement to {at.loc[at.index >= stag_thr['dominant']].iloc[0]:.3f} at dominance. "
        "A conditional benefit b with detection 0.9 and 10% mistaken withdrawals does the "
        "same from 0.8 b = h - s + l/2 (risk dominance) and 0.8 b = h - s + l (dominance)."
    ),
    verdict="reproduced under stated assumptions",
    assumptions="Canonical Banks-Hyde payoffs (illustrative, not estimates); the same "
    "sanction applied to both states; a sanction once imposed is paid in full; replicator "
    "dynamics for the basins.",
    outputs=["phase_sanction", "phase_benefit", "basin_share_sanction", "basins_replicator"],
)

# %%
out.claim(
    "menashe_race_to_the_bottom",
    seed="000_cdb709224d31b41b.txt",
    lines="L90-104",
    claim="Competition over trade and investment creates short-term pressure not to enforce "
    "labor standards (a race to the bottom); cooperation can only be achieved with robust and "
    "reliable monitoring and enforcement",
    evidence="Race to the bottom as a prisoner's dilemma (comply/comply 2, comply/defect -2, "
    "defect/comply 3, defect/defect 0) with a sanction on defection",
    result=(
        "Without enforcement defecting is dominant and joint defection the only equilibrium. "
        f"Joint compliance needs an expected sanction of at least {pd_thr['equilibrium']:g} to "
        f"be an equilibrium, {pd_thr['risk_dominant']:g} to be risk dominant and "
        f"{pd_thr['dominant']:g} to be dominant; on the (p, s) grid compliance is not an "
        f"equilibrium on {share_no[('race to the bottom (PD)', REGIONS[0])]:.0%} of the grid, "
        f"against {share_no[('stag hunt (Banks-Hyde 4,0,3,3)', REGIONS[0])]:.0%} for the "
        "stag hunt, where it is always an equilibrium."
    ),
    verdict="reproduced under stated assumptions",
    assumptions="The prisoner's-dilemma payoffs are illustrative; 'robust and reliable' is "
    "read as an expected sanction above the thresholds; monitoring is perfect.",
    outputs=["games_equilibria", "phase_sanction", "phase_sanction_shares"],
)
