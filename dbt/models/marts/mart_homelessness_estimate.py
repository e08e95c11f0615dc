"""Multiple-systems estimate of the homeless population per year (docs: homelessness_estimate).

A dbt Python model so the lineage stays in dbt: it reads the restricted overlap counts and calls
the plain estimator (homeless_monitor/estimation). DuckDB target only (disabled on PostgreSQL).
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from homeless_monitor.estimation.yearly import yearly_estimates

    overlaps = dbt.ref("mart_homelessness_list_overlaps").df()
    return yearly_estimates(overlaps)
