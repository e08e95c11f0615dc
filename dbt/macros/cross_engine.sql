{#- The constructs DuckDB and PostgreSQL spell differently, so one project builds on both targets
    (docs/performance.md, "A second dbt target on PostgreSQL"). Each macro dispatches on the adapter:
    duckdb__ is the SQL the models used before they were made portable (the DuckDB build stays as it
    was, row for row), default__ is the standard SQL PostgreSQL runs. Where dbt has a cross-database
    macro that keeps DuckDB's result (dbt.dateadd, dbt.listagg), the models call it directly. -#}

{#- One row per day from start_date to end_date (both included), as a select-list expression: the
    row it stands in is repeated once per day. -#}
{% macro days_from_to(start_date, end_date) -%}
    {{ return(adapter.dispatch('days_from_to')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__days_from_to(start_date, end_date) -%}
    cast(generate_series(cast({{ start_date }} as timestamp), cast({{ end_date }} as timestamp), interval '1 day') as date)
{%- endmacro %}

{% macro duckdb__days_from_to(start_date, end_date) -%}
    cast(unnest(generate_series({{ start_date }}, {{ end_date }}, interval 1 day)) as date)
{%- endmacro %}

{#- A date as text in a strftime format; PostgreSQL's to_char spells the same fields differently
    (only the fields the models use: %Y, %m, %d). -#}
{% macro format_date(date_expr, strftime_format) -%}
    {{ return(adapter.dispatch('format_date')(date_expr, strftime_format)) }}
{%- endmacro %}

{% macro default__format_date(date_expr, strftime_format) -%}
    to_char({{ date_expr }}, '{{ strftime_format | replace("%Y", "YYYY") | replace("%m", "MM") | replace("%d", "DD") }}')
{%- endmacro %}

{% macro duckdb__format_date(date_expr, strftime_format) -%}
    strftime({{ date_expr }}, '{{ strftime_format }}')
{%- endmacro %}

{#- A date part as BIGINT, as DuckDB's year()/month()/day() return it (PostgreSQL's extract returns
    numeric). -#}
{% macro date_part_number(part, date_expr) -%}
    cast(extract({{ part }} from {{ date_expr }}) as bigint)
{%- endmacro %}

{#- round(x, digits) of a double: PostgreSQL rounds only numeric to a number of digits. The result
    stays double precision on both. -#}
{% macro round_double(expr, digits) -%}
    {{ return(adapter.dispatch('round_double')(expr, digits)) }}
{%- endmacro %}

{% macro default__round_double(expr, digits) -%}
    cast(round(cast({{ expr }} as numeric), {{ digits }}) as double precision)
{%- endmacro %}

{% macro duckdb__round_double(expr, digits) -%}
    round({{ expr }}, {{ digits }})
{%- endmacro %}

{#- A rounded share numerator / denominator of two integers. DuckDB's `/` divides integers as
    doubles; PostgreSQL's truncates, so it divides as numeric (exact, then rounded). -#}
{% macro rounded_share(numerator, denominator, digits=4) -%}
    {{ return(adapter.dispatch('rounded_share')(numerator, denominator, digits)) }}
{%- endmacro %}

{% macro default__rounded_share(numerator, denominator, digits=4) -%}
    cast(round(cast({{ numerator }} as numeric) / {{ denominator }}, {{ digits }}) as double precision)
{%- endmacro %}

{% macro duckdb__rounded_share(numerator, denominator, digits=4) -%}
    round({{ numerator }} / {{ denominator }}, {{ digits }})
{%- endmacro %}

{#- The median (continuous: the mean of the two middle values for an even count). -#}
{% macro median_of(expr) -%}
    {{ return(adapter.dispatch('median_of')(expr)) }}
{%- endmacro %}

{% macro default__median_of(expr) -%}
    percentile_cont(0.5) within group (order by {{ expr }})
{%- endmacro %}

{% macro duckdb__median_of(expr) -%}
    median({{ expr }})
{%- endmacro %}

{#- The value on the row where order_expr is largest, null included (DuckDB's arg_max_null). -#}
{% macro value_at_max(value_expr, order_expr) -%}
    {{ return(adapter.dispatch('value_at_max')(value_expr, order_expr)) }}
{%- endmacro %}

{% macro default__value_at_max(value_expr, order_expr) -%}
    (array_agg({{ value_expr }} order by {{ order_expr }} desc nulls last))[1]
{%- endmacro %}

{#- DuckDB's own: ties on order_expr take any row, as before. -#}
{% macro duckdb__value_at_max(value_expr, order_expr) -%}
    arg_max_null({{ value_expr }}, {{ order_expr }})
{%- endmacro %}

{#- The value of value_expr on the row where order_expr is least; on a tie the least value (so both
    engines pick the same row: DuckDB's arg_min would pick any of the tied rows). -#}
{% macro value_at_least(value_expr, order_expr) -%}
    {{ return(adapter.dispatch('value_at_least')(value_expr, order_expr)) }}
{%- endmacro %}

{% macro default__value_at_least(value_expr, order_expr) -%}
    (array_agg({{ value_expr }} order by {{ order_expr }}, {{ value_expr }}))[1]
{%- endmacro %}

{% macro duckdb__value_at_least(value_expr, order_expr) -%}
    (list({{ value_expr }} order by {{ order_expr }}, {{ value_expr }}))[1]
{%- endmacro %}

{#- Any non-null value of the group, for columns that are the same on every row of it. Not
    dbt.any_value: on DuckDB that is arbitrary(), which may return a null where any_value skips it. -#}
{% macro any_non_null(expr) -%}
    {{ return(adapter.dispatch('any_non_null')(expr)) }}
{%- endmacro %}

{% macro default__any_non_null(expr) -%}
    min({{ expr }})
{%- endmacro %}

{% macro duckdb__any_non_null(expr) -%}
    any_value({{ expr }})
{%- endmacro %}

{#- The median (continuous, as median_of) of `value_column` per group, read from a histogram CTE with
    one row per group and value and the number of rows holding it in `weight_column`: the middle
    value(s) are the first whose running total reaches positions ceil(n/2) and floor(n/2) + 1. Holds
    only the histogram, not every row (median() keeps every value of a group in memory). -#}
{% macro median_from_histogram(histogram_cte, group_columns, value_column, weight_column) -%}
    select
        {{ group_columns | join(', ') }},
        (min({{ value_column }}) filter (where running_rows >= ceil(group_rows / 2.0))
            + min({{ value_column }}) filter (where running_rows >= floor(group_rows / 2.0) + 1)) / 2.0 as median_value
    from (
        select
            {{ histogram_cte }}.*,
            sum({{ weight_column }}) over (
                partition by {{ group_columns | join(', ') }} order by {{ value_column }}
                rows between unbounded preceding and current row) as running_rows,
            sum({{ weight_column }}) over (partition by {{ group_columns | join(', ') }}) as group_rows
        from {{ histogram_cte }}
    ) as running
    group by {{ group_columns | join(', ') }}
{%- endmacro %}
