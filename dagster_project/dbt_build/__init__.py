"""The dbt glue: the dbt project as dagster-dbt sees it, and which years a build recomputes."""
