"""The yearly monitoring report (Latvian and English) built only from a release's public tier.

public.py reads the tier, cells.py names every figure (table, column, row key, release), sections.py
assembles sections 1-11, charts.py draws them, render.py writes HTML, PDF and the CSVs behind them.
"""
