{#- Yearly incremental builds. A run that only adds deliveries for recent years passes
    `--vars '{rebuild_from_year: 2025}'` (the Dagster dbt asset works the year out from the loads
    not yet built, see dagster_project/dbt_build/dbt_build_plan.py): the year-keyed marts then recompute the
    years from 2025 on (delete+insert on their year column) and keep the earlier years as built.
    With the var unset, or on a first build or --full-refresh, every year is computed. -#}

{#- The first year this run recomputes, or none when it recomputes every year. -#}
{% macro rebuild_from_year() -%}
    {%- set from_year = var('rebuild_from_year', none) -%}
    {#- `this` is none in a unit test, where is_incremental() cannot ask the warehouse -#}
    {{- return(from_year | int if (from_year is not none and this is not none and is_incremental()) else none) -}}
{%- endmacro %}

{#- `where <year_expr> >= rebuild_from_year - lookback_years` on an incremental run, nothing
    otherwise. lookback_years: the years before the first rebuilt one that its figures read (e.g. 2
    for the 730-day look-back of first-time homelessness). keyword: 'and' to extend a where clause. -#}
{% macro incremental_year_filter(year_expr, lookback_years=0, keyword='where') -%}
    {%- set from_year = rebuild_from_year() -%}
    {%- if from_year is not none -%}
        {{ keyword }} {{ year_expr }} >= {{ from_year - lookback_years }}
    {%- endif -%}
{%- endmacro %}
