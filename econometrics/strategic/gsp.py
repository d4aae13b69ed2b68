"""The shipped US GSP worker-rights cases as plays of the sequential enforcement game.

Player 1 is the target state, player 2 the United States. The state either takes steps
(outcome 1: the review closes with the country found to be "taking steps", Barenberg,
seed 002, lines 227-231) or does not; the US then acquiesces (outcome 3: the review
continues, or the petition is withdrawn or not accepted) or sanctions (outcome 4:
suspension, partial suspension or termination of GSP benefits). Cases whose outcome no
source states (``unknown``) are left out. A reinstatement follows a suspension, so it
counts as outcome 4. The year is the one in the case identifier (empty for undated
cases), and ``after_1998`` marks cases dated after the end of Elliott's window (seed 001,
lines 3954-3971).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["GAME_OUTCOMES", "gsp_game_outcomes"]

#: The dataset's ``outcome`` values and the game's outcomes they are.
GAME_OUTCOMES = {
    "taking_steps_closed": 1,
    "continued_review": 3,
    "withdrawn_or_not_accepted": 3,
    "suspension": 4,
    "partial_suspension": 4,
    "termination": 4,
    "reinstatement": 4,
}


def gsp_game_outcomes(reviews: pd.DataFrame) -> pd.DataFrame:
    """One row per case with a stated outcome: ``game_outcome`` (1, 3 or 4), the decision
    pair ``reformed``/``sanctioned``, ``year`` and ``after_1998`` (both empty when undated),
    ``union_petition`` (1 if a union petitioned) and the case's ``certainty``."""
    known = reviews[reviews["outcome"].isin(list(GAME_OUTCOMES))].copy()
    out = pd.DataFrame(
        {
            "case_id": known["case_id"],
            "iso3": known["iso3"],
            "outcome": known["outcome"],
            "game_outcome": known["outcome"].map(GAME_OUTCOMES).astype(int),
        }
    )
    out["reformed"] = (out["game_outcome"] == 1).astype(int)
    out["sanctioned"] = np.where(out["game_outcome"] == 1, np.nan, out["game_outcome"] == 4)
    year = pd.to_numeric(known["case_id"].str.extract(r"-(\d{4})$")[0], errors="coerce")
    out["year"] = year.astype("Int64")
    out["after_1998"] = (year > 1998).astype(float).where(year.notna())
    out["union_petition"] = (known["petitioner_type"] == "union").astype(int)
    out["certainty"] = known["certainty"]
    return out.reset_index(drop=True)
