"""The project's plain Python (no Dagster): settings, and the logic the Dagster layer calls."""
