"""Dagster code location for the homelessness monitoring warehouse."""
