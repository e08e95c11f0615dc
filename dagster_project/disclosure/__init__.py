"""Statistical disclosure control for the public tier: primary suppression of small counts, secondary
(complementary) suppression solved as a mixed-integer programme, and the attacker's audit, both with
HiGHS (`highspy`).

Protection rule (documented in the README and in every public data dictionary): a count from 1 to k-1
is suppressed (k = 5 by default; zero is published). For every suppressed cell, an attacker who knows
every published value and every relation between the published cells (minimising and maximising the
cell with linear programming, cells >= 0) must be left with an interval of width at least k.
"""
