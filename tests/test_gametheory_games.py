"""EnforcementGame values, families, validation, and the instruments as payoff transformations."""

from __future__ import annotations

import dataclasses
import pickle
import re

import nashpy
import numpy as np
import pytest
from _seeds import needs_seeds, seed_lines
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement_lab.errors import InvalidGameError
from enforcement_lab.sources import BANKS, BARENBERG
from gametheory.games import (
    FAMILIES,
    EnforcementGame,
    assurance,
    bimatrix,
    prisoners_dilemma,
    race_to_the_bottom,
    stag_hunt,
)
from gametheory.instruments import (
    INSTRUMENTS,
    CapacityBuilding,
    ConditionalBenefit,
    Fine,
    Participation,
    Reputation,
    Sanction,
    TradeDiversion,
)

# -- games ----------------------------------------------------------------------------


def test_stag_hunt_payoffs_and_labels() -> None:
    g = stag_hunt()
    assert g.A.tolist() == [[4, 0], [3, 3]]
    assert g.B.tolist() == [[4, 3], [0, 3]]
    assert g.row_labels == g.col_labels == ("stag", "hare")
    assert g.is_symmetric
    assert g.params["temptation"] is None or g.params["temptation"] == 3.0
    assert BANKS.file in g.source
    assert stag_hunt(temptation=3.5).A[1, 0] == 3.5


def test_families_match_their_formulas() -> None:
    assert prisoners_dilemma(3, 0, 5, 1).A.tolist() == [[3, 0], [5, 1]]
    r = race_to_the_bottom(gain=2, value=5, cost=1, loss=3)
    assert r.A.tolist() == [[4, 1], [2, 0]]
    a = assurance(s=5, h=2, l=4, g=1)
    assert a.A.tolist() == [[5, 1], [3, 2]]
    np.testing.assert_array_equal(assurance().A, stag_hunt().A)


def test_family_arrays_broadcast() -> None:
    A, B = FAMILIES["stag_hunt"].arrays(stag=np.array([4.0, 5.0]), hare=3.0)
    assert A.shape == (2, 2, 2)
    assert A[1].tolist() == [[5, 0], [3, 3]]
    np.testing.assert_array_equal(B, np.swapaxes(A, -1, -2))


def test_family_parameter_errors() -> None:
    with pytest.raises(InvalidGameError, match="no parameter 'stagg'"):
        FAMILIES["stag_hunt"].game(stagg=4)
    with pytest.raises(InvalidGameError, match="'hare' is not finite"):
        FAMILIES["stag_hunt"].game(hare=float("inf"))
    with pytest.raises(InvalidGameError, match="not a number"):
        FAMILIES["stag_hunt"].game(hare="three")


@pytest.mark.parametrize(
    ("A", "B", "message"),
    [
        ([[1, 0], [float("nan"), 1]], [[1, 0], [0, 1]], r"A\[1, 0\] is nan"),
        ([[1, 0], [0, 1]], [[1, float("inf")], [0, 1]], r"B\[0, 1\] is inf"),
        ([[1, "x"], [0, 1]], [[1, 0], [0, 1]], r"A\[0, 1\] is not a real number: 'x'"),
        ([[1, True], [0, 1]], [[1, 0], [0, 1]], r"A\[0, 1\] is not a real number"),
        ([[1, 2j], [0, 1]], [[1, 0], [0, 1]], r"A\[0, 1\] is not a real number"),
        ([1, 0], [[1, 0], [0, 1]], "2-D payoff matrix"),
        ([[1, 0], [0]], [[1, 0], [0, 1]], "rectangular"),
        (
            [[1, 0, 2], [0, 1, 2]],
            [[1, 0], [0, 1]],
            r"A has shape \(2, 3\) but B has shape \(2, 2\)",
        ),
        ("12", [[1, 0], [0, 1]], "string"),
        (np.zeros((0, 2)), np.zeros((0, 2)), "no strategies"),
    ],
)
def test_validation_names_the_entry(A, B, message) -> None:
    with pytest.raises(InvalidGameError, match=message):
        EnforcementGame(A, B)


def test_label_validation() -> None:
    with pytest.raises(InvalidGameError, match="row_labels has 3 labels for 2 strategies"):
        bimatrix(np.eye(2), np.eye(2), row_labels=["a", "b", "c"])
    with pytest.raises(InvalidGameError, match="duplicate"):
        bimatrix(np.eye(2), np.eye(2), col_labels=["a", "a"])
    assert bimatrix(np.eye(3), np.eye(3)).row_labels == ("comply", "defect1", "defect2")


def test_immutable_and_hashable() -> None:
    g = stag_hunt()
    with pytest.raises(ValueError, match="read-only"):
        g.A[0, 0] = 10
    with pytest.raises(dataclasses.FrozenInstanceError):
        g.A = np.eye(2)  # type: ignore[misc]
    with pytest.raises(TypeError):
        g.params["stag"] = 1  # type: ignore[index]
    src = np.array([[1.0, 2.0], [3.0, 4.0]])
    h = bimatrix(src, src)
    src[0, 0] = 99  # the game copied its input
    assert h.A[0, 0] == 1.0
    assert g == stag_hunt() and hash(g) == hash(stag_hunt())
    assert {g: 1}[stag_hunt()] == 1
    assert pickle.loads(pickle.dumps(g)) == g


def test_nashpy_round_trip_and_transpose() -> None:
    g = race_to_the_bottom()
    n = g.to_nashpy()
    assert isinstance(n, nashpy.Game)
    back = EnforcementGame.from_nashpy(n)
    np.testing.assert_array_equal(back.A, g.A)
    np.testing.assert_array_equal(back.B, g.B)
    asym = bimatrix(
        [[1, 2], [3, 4]], [[5, 6], [7, 8]], row_labels=["a", "b"], col_labels=["c", "d"]
    )
    t = asym.transpose()
    assert t.A.tolist() == [[5, 7], [6, 8]] and t.row_labels == ("c", "d")
    assert t.transpose() == asym
    assert g.payoff([0.5, 0.5], [1, 0]) == (2.5, 0.0)


# -- instruments ------------------------------------------------------------------------

game_values = st.lists(st.integers(-5, 5).map(float), min_size=4, max_size=4)


def _game(a: list[float], b: list[float]) -> EnforcementGame:
    return bimatrix(np.reshape(a, (2, 2)), np.reshape(b, (2, 2)))


def test_each_instrument_changes_the_documented_entries() -> None:
    g = bimatrix(np.zeros((2, 2)), np.zeros((2, 2)))
    A = lambda inst: g.adjust(inst).A.tolist()  # noqa: E731
    assert A(Sanction(0.5, 2.0)) == [[0, 0], [-1, -1]]
    assert A(ConditionalBenefit(2.0, detection=0.75, error=0.25)) == [[1.5, 1.5], [0.5, 0.5]]
    assert A(Reputation(1.5)) == [[0, 0], [-1.5, -1.5]]
    assert A(CapacityBuilding(0.5)) == [[0.5, 0.5], [0, 0]]
    assert A(TradeDiversion(0.25, 1.0, 4.0)) == [[0, 0], [-3, -3]]
    assert A(Participation(0.5, ownership=2.0, resentment=1.0)) == [[0.5, 0.5], [0, 0]]
    # Fine takes half of a positive gain from violating, nothing otherwise
    f = bimatrix([[3, 0], [5, -1]], [[3, 5], [0, -1]]).adjust(Fine(0.5))
    assert f.A.tolist() == [[3, 0], [4, -1]]
    assert f.B.tolist() == [[3, 4], [0, -1]]


@settings(max_examples=100, deadline=None)
@given(a=game_values, b=game_values, p=st.floats(0, 1), s=st.floats(0, 10))
def test_selective_enforcement_leaves_the_other_player_alone(a, b, p, s) -> None:
    g = _game(a, b)
    row = g.adjust(Sanction(p, s, players="row"))
    col = g.adjust(Sanction(p, s, players="column"))
    both = g.adjust(Sanction(p, s))
    np.testing.assert_array_equal(row.B, g.B)
    np.testing.assert_array_equal(col.A, g.A)
    np.testing.assert_array_equal(both.A, row.A)
    np.testing.assert_array_equal(both.B, col.B)
    # column instrument = row instrument on the transposed game
    np.testing.assert_allclose(
        col.transpose().A, g.transpose().adjust(Sanction(p, s, players="row")).A
    )


@settings(max_examples=100, deadline=None)
@given(a=game_values, b=game_values, x=st.floats(0, 5), y=st.floats(0, 5))
def test_additive_instruments_shift_the_compliance_advantage(a, b, x, y) -> None:
    g = _game(a, b)
    instruments = [Sanction(1.0, x), ConditionalBenefit(y), Reputation(x), CapacityBuilding(y)]
    adjusted = g.adjust(*instruments)
    total = sum(i.shift for i in instruments)
    np.testing.assert_allclose(adjusted.A[0] - adjusted.A[1], g.A[0] - g.A[1] + total, atol=1e-9)
    np.testing.assert_allclose(
        adjusted.B[:, 0] - adjusted.B[:, 1], g.B[:, 0] - g.B[:, 1] + total, atol=1e-9
    )
    # additive instruments commute
    np.testing.assert_allclose(g.adjust(*reversed(instruments)).A, adjusted.A, atol=1e-9)


def test_vectorised_transform_equals_one_game_at_a_time() -> None:
    rng = np.random.default_rng(0)
    A = rng.normal(size=(50, 2, 2))
    B = rng.normal(size=(50, 2, 2))
    p = rng.uniform(size=50)
    share = rng.uniform(0, 2, size=50)
    for make in (lambda k: Sanction(p[k], 3.0), lambda k: Fine(share[k], theta=0.7)):
        batch = make(slice(None))
        A2, B2 = batch.transform(A, B)
        for k in range(50):
            one = bimatrix(A[k], B[k]).adjust(make(k))
            np.testing.assert_allclose(A2[k], one.A)
            np.testing.assert_allclose(B2[k], one.B)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Sanction(1.5, 1.0), r"Sanction.probability must be <= 1.0"),
        (lambda: Sanction(0.5, -1.0), r"Sanction.size must be >= 0.0"),
        (lambda: Fine(theta=1.5), r"Fine.theta must be <= 1.0"),
        (lambda: TradeDiversion(alpha=float("nan")), "not finite"),
        (lambda: Reputation("high"), "not a number"),  # type: ignore[arg-type]
        (lambda: Sanction(0.5, 1.0, players="everyone"), "players must be one of"),
    ],
)
def test_instrument_validation(make, message) -> None:
    with pytest.raises(InvalidGameError, match=message):
        make()


def test_adjust_records_parameters_and_rejects_non_instruments() -> None:
    g = stag_hunt().adjust(Sanction(0.5, 2.0, players="row"))
    assert g.params["sanction.probability"] == 0.5 and g.params["sanction.players"] == "row"
    assert g.params["stag"] == 4.0
    with pytest.raises(InvalidGameError, match="not an instrument"):
        stag_hunt().adjust("sanction")  # type: ignore[arg-type]
    with pytest.raises(InvalidGameError, match="scalar"):
        stag_hunt().adjust(Sanction(np.array([0.1, 0.2]), 1.0))  # type: ignore[arg-type]


def test_instruments_on_larger_games_hit_every_defect_strategy() -> None:
    g = bimatrix(np.zeros((3, 2)), np.zeros((3, 2))).adjust(Sanction(1.0, 1.0, players="row"))
    assert g.A.tolist() == [[0, 0], [-1, -1], [-1, -1]]


@needs_seeds
@pytest.mark.parametrize("name", list(INSTRUMENTS))
def test_citations_point_into_the_seeds(name: str) -> None:
    citation = INSTRUMENTS[name].citation
    refs = re.findall(r"(\d{3}_[0-9a-f]{16}\.txt):([\d, -]+)", citation)
    assert refs, citation
    for fname, lines in refs:
        n_lines = len(seed_lines(fname))
        for num in re.findall(r"\d+", lines):
            assert 1 <= int(num) <= n_lines, (name, fname, num)


@needs_seeds
def test_sanction_citation_is_banks_payoff_adjustment_passage() -> None:
    text = seed_lines(BANKS.file)
    assert "altering the payoffs of defection" in " ".join(text[2482:2487])
    fine = seed_lines(BARENBERG.file)
    assert "50%" in fine[938] and "incentive to violate" in fine[938]


_CITED_PHRASES = {
    "sanction": ["altering the payoffs of defection", "teeth"],
    "benefit": ["conditional upon core labor", "quota bonus"],
    "reputation": ["reputation for compliance", "12%"],
    "capacity": ["technical assistance", "enforcement capacity"],
    "fine": ["50% of the benefits", "incentive to violate", "cost to the United States"],
    "diversion": ["loses its leverage", "new markets"],
    "participation": ["sense of ownership", "noncompliant behavior"],
}


def _cited_text(citation: str) -> str:
    """The seed lines a citation names (``file:a-b, c; file:d``), whitespace-normalised."""
    parts = []
    for fname, spec in re.findall(r"(\d{3}_[0-9a-f]{16}\.txt):([\d, -]+)", citation):
        lines = seed_lines(fname)
        for a, b in re.findall(r"(\d+)(?:-(\d+))?", spec):
            parts.extend(lines[int(a) - 1 : int(b or a)])
    return " ".join(" ".join(parts).split())


@needs_seeds
@pytest.mark.parametrize("name", list(INSTRUMENTS))
def test_cited_passages_say_what_the_instrument_formalises(name: str) -> None:
    text = _cited_text(INSTRUMENTS[name].citation)
    for phrase in _CITED_PHRASES[name]:
        assert phrase in text, (name, phrase)


@needs_seeds
def test_stag_hunt_family_cites_hydes_stag_hunt() -> None:
    text = _cited_text(FAMILIES["stag_hunt"].citation)
    assert "Stag Hunt" in text and "Alan Hyde" in text


# -- game files ---------------------------------------------------------------------------


def test_from_file_reads_payoffs_and_families_and_applies_instruments(tmp_path) -> None:
    import json

    from gametheory.games import read_game_file
    from gametheory.instruments import Sanction

    toml = tmp_path / "g.toml"
    toml.write_text(
        'A = [[4, 0], [3, 3]]\nB = [[4, 3], [0, 3]]\nrow_labels = ["S", "H"]\n'
        '[[instruments]]\ntype = "sanction"\nprobability = 0.5\nsize = 4\n'
    )
    game, instruments = read_game_file(toml)
    assert game == bimatrix(
        [[4, 0], [3, 3]], [[4, 3], [0, 3]], row_labels=["S", "H"], source="g.toml"
    )
    assert instruments == [Sanction(probability=0.5, size=4.0)]
    assert EnforcementGame.from_file(toml) == game.adjust(Sanction(probability=0.5, size=4.0))
    js = tmp_path / "g.json"
    js.write_text(json.dumps({"family": "stag_hunt", "params": {"stag": 5}}))
    assert EnforcementGame.from_file(js) == stag_hunt(stag=5)
    design = tmp_path / "d.toml"
    design.write_text('design = "us_cambodia_textiles"\n[params]\nquota_bonus = 1.5\n')
    from gametheory.designs import DESIGNS

    assert EnforcementGame.from_file(design) == DESIGNS["us_cambodia_textiles"].game(
        quota_bonus=1.5
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("g.yaml", "A = 1", "must end in .toml or .json"),
        ("g.toml", "A = [[1, 2]", "cannot parse"),
        ("g.json", "[1, 2]", "must hold a table/object at the top level"),
        ("g.toml", 'family = "moran"\n', "'moran' is a model, not a game"),
        ("g.toml", 'family = "stag_hunt"\n[params]\nstag = "x"\n', "params.stag is not a number"),
        ("g.toml", 'family = "stag_hunt"\n[[instruments]]\ntype = "bribe"\n', "unknown instrument"),
        ("g.toml", "import os\n", "cannot parse"),  # data only: never run as code
    ],
)
def test_bad_game_files_are_named(tmp_path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(InvalidGameError, match=message):
        EnforcementGame.from_file(path)


def test_make_instrument_converts_text_and_names_bad_fields() -> None:
    from gametheory.instruments import Sanction, make_instrument

    assert make_instrument(" Sanction ", {"probability": "0.5", "size": 2}) == Sanction(
        probability=0.5, size=2.0
    )
    for fields, message in [
        ({"size": "big"}, "sanction.size is not a number: 'big'"),
        ({"size": True}, "sanction.size is not a number: True"),
        ({"size": "inf"}, "sanction.size is not finite"),
        ({"severity": 1}, "sanction has no field 'severity'"),
    ]:
        with pytest.raises(InvalidGameError, match=message):
            make_instrument("sanction", fields)
