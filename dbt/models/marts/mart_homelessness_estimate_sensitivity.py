"""The estimate's sensitivity table per year (docs: homelessness_estimate_sensitivity).

Every method beside the published one (independence, BIC- and AIC-chosen list dependence, the best
single, heterogeneity and covariate models, the model average, Chao's figure) with its interval, the
chosen flag and the reason, labelled in English and Latvian. DuckDB target only (a dbt Python model).
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from homeless_monitor.estimation.yearly import yearly_sensitivity

    overlaps = dbt.ref("mart_homelessness_list_overlaps").df()
    return yearly_sensitivity(overlaps)
