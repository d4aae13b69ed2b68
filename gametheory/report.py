"""Everything the toolkit says about one solved game, as a value.

:func:`game_report` solves a game (after its instruments), and for a 2x2 game adds its
class, phase, risk and payoff dominance, the mixed threshold ``q*`` and the compliance
thresholds (before and after the instruments). The :class:`GameReport` it returns prints
as the text of ``enforcement-lab solve`` (:meth:`GameReport.to_text`) and converts to
the JSON of ``solve --json`` (:meth:`GameReport.to_dict`); :func:`gametheory.designs.compare`
reads its rows from the same report.

Examples
--------
>>> from gametheory.games import stag_hunt
>>> r = game_report(stag_hunt())
>>> len(r.equilibria), r.classification, r.risk_dominant, r.q_star
(3, 'stag_hunt', (1, 1), (0.75, 0.75))
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from gametheory.games import EnforcementGame
    from gametheory.instruments import Instrument
    from gametheory.solve import EquilibriumSet, Method
    from gametheory.thresholds import Thresholds

__all__ = ["GameReport", "game_report"]

Profile = tuple[int, int] | str | None


@dataclass(frozen=True)
class GameReport:
    """One solved game: its equilibria and, for 2x2 games, its selection measures.

    Attributes
    ----------
    game : EnforcementGame
        The game solved (the instruments already applied).
    instruments : tuple of Instrument
        The instruments applied to the base game, in order.
    equilibria : EquilibriumSet
        From :func:`gametheory.solve.equilibria`, which says what it did about degeneracy.
    classification, phase : str or None
        :func:`gametheory.selection.classify` and :func:`~gametheory.selection.phase`;
        None for games larger than 2x2 (so are the attributes below).
    risk_dominant, payoff_dominant : (int, int), "tie" or None
        Strategy indices of the selected equilibrium (:mod:`gametheory.selection`).
    q_star : (float, float) or None
        Mixed thresholds of the row and the column player; ``1 - q*`` is the basin of
        compliance.
    thresholds, thresholds_before_instruments : Thresholds or None
        :func:`gametheory.thresholds.compliance_thresholds` of the game, and of the base
        game when instruments were applied.
    """

    game: EnforcementGame
    instruments: tuple[Instrument, ...]
    equilibria: EquilibriumSet
    classification: str | None = None
    phase: str | None = None
    risk_dominant: Profile = None
    payoff_dominant: Profile = None
    q_star: tuple[float, float] | None = None
    thresholds: Thresholds | None = None
    thresholds_before_instruments: Thresholds | None = None

    def _labels(self, profile: Profile) -> Any:
        if profile is None or isinstance(profile, str):
            return profile
        return [self.game.row_labels[profile[0]], self.game.col_labels[profile[1]]]

    def to_dict(self) -> dict[str, Any]:
        """The report as plain Python values (lists, floats, strings), ready for JSON;
        selected equilibria are named by their strategy labels."""
        g = self.game
        out: dict[str, Any] = {
            "source": g.source,
            "row_labels": list(g.row_labels),
            "col_labels": list(g.col_labels),
            "A": g.A.tolist(),
            "B": g.B.tolist(),
            "instruments": [repr(i) for i in self.instruments],
            "method": self.equilibria.method,
            "equilibria": [{"row": x.tolist(), "col": y.tolist()} for x, y in self.equilibria],
            "degenerate": self.equilibria.degenerate,
            "note": self.equilibria.note,
        }
        if self.q_star is None or self.thresholds is None:
            return out
        out.update(
            {
                "class": self.classification,
                "phase": self.phase,
                "risk_dominant": self._labels(self.risk_dominant),
                "payoff_dominant": self._labels(self.payoff_dominant),
                "q_star": list(self.q_star),
                "basin_of_compliance": [1 - q for q in self.q_star],
                "thresholds": _thresholds(self.thresholds),
            }
        )
        if self.thresholds_before_instruments is not None:
            out["thresholds_before_instruments"] = _thresholds(self.thresholds_before_instruments)
        return out

    def to_text(self, name: str) -> str:
        """The report as ``enforcement-lab solve`` prints it, headed ``game: name``."""
        r = self.to_dict()
        lines = [f"game: {name}" + (f"  [{r['source']}]" if r["source"] else "")]
        lines += [f"instrument: {inst}" for inst in r["instruments"]]
        width = max(len(s) for s in r["row_labels"] + r["col_labels"]) + 2
        lines.append("payoffs (row, column):")
        lines.append(" " * (width + 2) + "".join(f"{c:>{width + 10}}" for c in r["col_labels"]))
        for i, rl in enumerate(r["row_labels"]):
            cells = "".join(
                f"{_fmt(r['A'][i][j]) + ', ' + _fmt(r['B'][i][j]):>{width + 10}}"
                for j in range(len(r["col_labels"]))
            )
            lines.append(f"  {rl:<{width}}{cells}")
        lines.append(f"equilibria ({r['method']}): {len(r['equilibria'])}")
        for e in r["equilibria"]:
            lines.append(
                f"  row {_strategy(e['row'], r['row_labels'])} | "
                f"column {_strategy(e['col'], r['col_labels'])}"
            )
        if r["degenerate"]:
            lines.append(f"  degenerate game: {r['note']}")
        elif r["note"]:
            lines.append(f"  note: {r['note']}")
        if "class" not in r:
            return "\n".join(lines)
        rd, pdm = r["risk_dominant"], r["payoff_dominant"]
        q = r["q_star"]
        t = r["thresholds"]
        lines += [
            f"class: {r['class']}",
            f"phase: {r['phase']}",
            f"risk dominant: {'/'.join(rd) if isinstance(rd, list) else rd or 'none'}",
            f"payoff dominant: {'/'.join(pdm) if isinstance(pdm, list) else pdm or 'none'}",
            f"q* (row, column): {_fmt(q[0])}, {_fmt(q[1])}; "
            f"basin of compliance 1 - q*: {_fmt(1 - q[0])}, {_fmt(1 - q[1])}",
            "compliance thresholds (extra payoff for complying, both players): "
            + _thresholds_text(t),
        ]
        if "thresholds_before_instruments" in r:
            lines.append(
                "  before the instruments: " + _thresholds_text(r["thresholds_before_instruments"])
            )
        return "\n".join(lines)


def game_report(
    game: EnforcementGame,
    instruments: Sequence[Instrument] = (),
    method: Method = "support",
) -> GameReport:
    """Solve ``game`` after ``instruments`` and report its equilibria and, for a 2x2
    game, its selection measures and compliance thresholds.

    Parameters
    ----------
    game : EnforcementGame
        The base game.
    instruments : sequence of Instrument
        Applied in order (:meth:`EnforcementGame.adjust`); the thresholds of the base
        game are reported beside those of the adjusted one.
    method : {"support", "vertex", "lemke_howson"}
        The solver of :func:`gametheory.solve.equilibria`. Its degeneracy warning is
        not repeated: the report carries the same note.

    Returns
    -------
    GameReport
    """
    from gametheory import selection
    from gametheory.solve import DegenerateGameWarning, equilibria
    from gametheory.thresholds import compliance_thresholds

    adjusted = game.adjust(*instruments)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        eq = equilibria(adjusted, method)
    if adjusted.shape != (2, 2):
        return GameReport(adjusted, tuple(instruments), eq)
    return GameReport(
        adjusted,
        tuple(instruments),
        eq,
        classification=selection.classify(adjusted),
        phase=selection.phase(adjusted),
        risk_dominant=selection.risk_dominant(adjusted),
        payoff_dominant=selection.payoff_dominant(adjusted),
        q_star=(
            selection.mixed_threshold(adjusted, "row"),
            selection.mixed_threshold(adjusted, "column"),
        ),
        thresholds=compliance_thresholds(adjusted),
        thresholds_before_instruments=compliance_thresholds(game) if instruments else None,
    )


def _thresholds(t: Thresholds) -> dict[str, float]:
    return {"equilibrium": t.equilibrium, "risk_dominant": t.risk_dominant, "dominant": t.dominant}


def _thresholds_text(t: dict[str, float]) -> str:
    return (
        f"equilibrium {_fmt(t['equilibrium'])}, risk-dominant {_fmt(t['risk_dominant'])}, "
        f"dominant {_fmt(t['dominant'])}"
    )


def _fmt(x: float) -> str:
    if math.isinf(x):
        return "unreachable" if x > 0 else "-inf"
    return f"{x + 0.0:.6g}"  # + 0.0 turns -0.0 into 0.0


def _strategy(p: list[float], labels: list[str]) -> str:
    """A pure strategy by its label; a mixed one as ``(label prob, ...)`` over its support."""
    if max(p) > 1 - 1e-12:
        return labels[p.index(max(p))]
    return (
        "("
        + ", ".join(f"{lab} {v:.4g}" for lab, v in zip(labels, p, strict=True) if v > 1e-12)
        + ")"
    )
