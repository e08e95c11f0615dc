"""A publication reuses the suppression pattern of every component that did not change since the last
one (no MIP solved for it), re-solves what changed, and never reuses a pattern that no longer protects."""

from __future__ import annotations

import duckdb

from homeless_monitor.disclosure.attacker import audit
from homeless_monitor.disclosure.problem import Problem
from homeless_monitor.disclosure.reuse import load_patterns, store_patterns
from homeless_monitor.disclosure.secondary import protect

K = 5


def two_years(small_2025: int = 3) -> Problem:
    """Two independent years, each: total = women + men + unknown, women small (2024: 2; 2025: given)."""
    p = Problem()
    for year, (w, m, u) in ((2024, (2, 40, 9)), (2025, (small_2025, 41, 8))):
        cells = [p.cell((year, s), v, f"t[{year}, {s}].persons") for s, v in (("f", w), ("m", m), ("u", u))]
        total = p.cell((year, "ALL"), w + m + u, f"t[{year}, ALL].persons")
        p.relate("sum", total, cells)
    return p


def test_an_unchanged_problem_reuses_every_pattern_and_solves_nothing():
    first = protect(two_years(), K)
    assert first.rounds == 2 and first.reused == 0 and len(first.patterns) == 2
    again = protect(two_years(), K, kept=first.patterns)
    assert again.rounds == 0 and again.reused == 2
    assert sorted(again.patterns.values()) == sorted(first.patterns.values())
    assert audit(two_years(), again.suppressed, K) == []


def test_a_changed_year_is_solved_again_and_the_other_is_reused():
    first = protect(two_years(small_2025=3), K)
    changed = two_years(small_2025=4)
    again = protect(changed, K, kept=first.patterns)
    assert again.reused == 1 and again.rounds == 1
    assert audit(changed, again.suppressed, K) == []


def test_a_kept_pattern_that_no_longer_protects_is_not_used():
    """A tampered (or stale) pattern hiding only the small cell: women = total - men - unknown."""
    first = protect(two_years(), K)
    tampered = {
        fp: [label for label in labels if label.endswith(", f].persons")] for fp, labels in first.patterns.items()
    }
    again = protect(two_years(), K, kept=tampered)
    assert again.reused == 0 and again.rounds == 2
    assert audit(two_years(), again.suppressed, K) == []


def test_patterns_are_kept_in_the_work_file_and_read_back(tmp_path):
    patterns = protect(two_years(), K).patterns
    with duckdb.connect(str(tmp_path / "work.duckdb")) as con:
        assert load_patterns(con) == {}
        store_patterns(con, patterns)
        store_patterns(con, patterns)  # the next publication replaces them
        assert {fp: sorted(v) for fp, v in load_patterns(con).items()} == {fp: sorted(v) for fp, v in patterns.items()}
