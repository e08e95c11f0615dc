"""The cell key method (homeless_monitor/disclosure/cellkey.py), a comparison tool for the public tier:
hand-made persons and keys, answers worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from homeless_monitor.disclosure.cellkey import PTable, cell_keys, ptable_row, record_keys

K = 5


def test_record_keys_fixed_per_person_and_secret_in_unit_interval():
    a = record_keys(["P1", "P2", "P3"], b"s1")
    again = record_keys(["P3", "P1", "P2", "P1"], b"s1")
    other = record_keys(["P1", "P2", "P3"], b"s2")
    assert a.equals(again.loc[a.index])
    assert ((a >= 0) & (a < 1)).all()
    assert not np.allclose(a.to_numpy(), other.to_numpy())


def test_small_counts_move_to_zero_or_k_without_bias():
    """D = 4, js = 4 (k = 5): 1 can only go to 0 or 5; unbiased: 0.8 * (-1) + 0.2 * 4 = 0, variance
    0.8 * 1 + 0.2 * 16 = 4. 3 goes to 0 or 5: 0.4 * (-3) + 0.6 * 2 = 0, variance 0.4 * 9 + 0.6 * 4 = 6.
    5 stays 5 (the only unbiased choice on targets 5..9)."""
    one = ptable_row(1, 4, 2.0, 4)
    assert one.d.tolist() == [-1, 4] and np.allclose(one.p, [0.8, 0.2])
    three = ptable_row(3, 4, 2.0, 4)
    assert three.d.tolist() == [-3, 2] and np.allclose(three.p, [0.4, 0.6])
    assert three.variance == pytest.approx(6.0)
    assert ptable_row(5, 4, 2.0, 4).d.tolist() == [0]


def test_ptable_unbiased_bounded_variance_met_where_uncut():
    table = PTable.build(4, 2.0, 4)
    for row in table.rows:
        assert row.mean == pytest.approx(0.0, abs=1e-7)
        assert np.abs(row.d).max() <= 4
        assert row.p.sum() == pytest.approx(1.0)
    assert table.row(9).variance == pytest.approx(2.0, abs=1e-5)  # 5..13 all allowed: V met
    assert table.row(500).d.tolist() == table.row(9).d.tolist()  # beyond n_max: as n_max


def test_no_published_count_of_1_to_k_minus_1_after_perturbation():
    table = PTable.build(4, 2.0, K - 1)
    rng = np.random.default_rng(1)
    counts = pd.Series(rng.integers(0, 40, 5000))
    keys = pd.Series(rng.random(5000))
    out = table.perturb(counts, keys)
    assert not ((out >= 1) & (out < K)).any()
    assert (out[counts == 0] == 0).all()  # zero stays zero
    assert ((out - counts).abs() <= 4).all()


def test_same_cell_same_perturbation_in_two_tables():
    """HC3.1's national flow and the flow mart's national total count the same persons: same cell
    key, same perturbed figure, whatever the table calls the cell."""
    keys = record_keys([f"P{i}" for i in range(12)], b"s")
    persons = [f"P{i}" for i in range(12)]
    members = pd.DataFrame(
        {
            "cell": ["flow national"] * 12 + ["hc31 flow all"] * 12 + ["other"] * 11,
            "person_id": persons * 2 + persons[:11],
        }
    )
    ck = cell_keys(members, keys)
    assert ck["flow national"] == ck["hc31 flow all"]
    table = PTable.build(4, 2.0, K - 1)
    assert table.perturbation(12, ck["flow national"]) == table.perturbation(12, ck["hc31 flow all"])


def test_cell_key_is_sum_mod_1_and_additivity_breaks():
    """Keys by hand: part A = {a1, a2, a3} keys 0.1 + 0.2 + 0.3 = 0.6; part B = {b1} key 0.85; total
    A + B: 1.45 mod 1 = 0.45. With D = 4, js = 4: n = 3 has d in {-3, +2} at cumulative [0.4, 1.0]:
    0.6 -> +2, A publishes 5; n = 1 has d in {-1, +4} at [0.8, 1.0]: 0.85 -> +4, B publishes 5; the
    total n = 4 has d in {-4, +1} at [0.2, 1.0]: 0.45 -> +1, total publishes 5. 5 + 5 != 5: the
    perturbed parts no longer add up to the perturbed total (additivity broken, as the method does)."""
    keys = pd.Series({"a1": 0.1, "a2": 0.2, "a3": 0.3, "b1": 0.85})
    members = pd.DataFrame(
        {
            "cell": ["A", "A", "A", "B", "T", "T", "T", "T"],
            "person_id": ["a1", "a2", "a3", "b1", "a1", "a2", "a3", "b1"],
        }
    )
    ck = cell_keys(members, keys)
    assert ck["A"] == pytest.approx(0.6)
    assert ck["B"] == pytest.approx(0.85)
    assert ck["T"] == pytest.approx(0.45)
    table = PTable.build(4, 2.0, K - 1)
    out = table.perturb(pd.Series({"A": 3, "B": 1, "T": 4}), ck)
    assert out.to_dict() == {"A": 5, "B": 5, "T": 5}
    assert out["A"] + out["B"] != out["T"]


def test_a_person_without_a_record_key_is_an_error():
    with pytest.raises(ValueError, match="no record key"):
        cell_keys(pd.DataFrame({"cell": ["A"], "person_id": ["x"]}), pd.Series({"y": 0.5}))
