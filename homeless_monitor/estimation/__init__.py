"""Statistical estimators the marts call (plain functions: no Dagster, no dbt, no warehouse)."""
