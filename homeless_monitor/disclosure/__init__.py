"""Statistical disclosure control for the public tier: table design (tables.py, breakdown.py), primary
suppression of small counts, secondary (complementary) suppression solved as a mixed-integer programme,
the suppression's own attacker check, all with HiGHS (`highspy`), and an independent attacker audit of
the written public files (independent.py) that shares nothing with the suppression's model.

Protection rule (documented in the README and in every public data dictionary): a count from 1 to k-1
is suppressed (k = 5 by default; zero is published and never suppressed, so a suppressed cell is at
least 1). For every suppressed cell, an attacker who knows every published value and every relation
between published numbers, within and across tables (minimising and maximising the cell with linear
programming, suppressed cells >= 1), must be left with an interval of width at least k (the protection
level); no difference of two published nested counts may be 1 to k-1; no derived number (share, rate,
mean) may give a small count away.
"""
