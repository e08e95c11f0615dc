{#- Blocks several marts share word for word: written once here, so the marts cannot drift apart. -#}

{#- The import CTEs of a mart counted by person and cell: the service days, and the CTEs
    describe_person_rows reads (`persons`, `municipalities`). Ends with a comma: the model's own CTEs
    follow. -#}
{% macro person_cell_imports() -%}
service_days as (
    select * from {{ ref('fct_service_days') }}
),

persons as (
    select * from {{ ref('dim_person') }}
),

municipalities as (
    select * from {{ ref('dim_municipality') }}
),
{%- endmacro %}

{#- Persons per cell of `rows_cte` (person_id, year, ethos_light_category, municipality_atvk): the
    described rows, the combined coverages '2+3' and '1+2+3' (as in mart_oecd_hc31: each person once)
    and the counts of both (CTE `counted`). Starts after a comma, ends without one. -#}
{% macro persons_counted(rows_cte) -%}
described as (
    {{ describe_person_rows(rows_cte) }}
),

-- the combined coverages '2+3' and '1+2+3' (as in mart_oecd_hc31): each person once
combined as (
    {{ combined_category_rows('described') }}
),

counted as (
    {{ breakdown_counts('described', ['count(distinct person_id) as persons']) }}
    union all
    {{ breakdown_counts('combined', ['count(distinct person_id) as persons'], combined_category_grouping_sets()) }}
)
{%- endmacro %}

{#- The rows of a mart from its CTE `counted`: the population of each cell, and no year before the
    deliveries begin (a prior-situation night before the first check-in is not one). -#}
{% macro counted_cells_from() -%}
from counted
{{ population_join('counted') }}
-- no year before the deliveries begin (a prior-situation night before the first check-in is not one)
where counted.year >= {{ first_delivered_year() }}
{%- endmacro %}

{#- The final select of a persons-per-cell mart (persons_counted): year, `extra_columns` (SQL
    expressions), the cell, persons, population, rate and the small-count flag. -#}
{% macro persons_counted_select(extra_columns=[]) -%}
select
    counted.year,
    {%- for column in extra_columns %}
    {{ column }},
    {%- endfor %}
    {{ cell_columns('counted') }},
    counted.persons,
    {{ cell_population('counted') }} as population,
    {{ rate_per_10k('counted.persons', cell_population('counted')) }} as rate_per_10000,
    counted.persons < {{ var('suppression_threshold') }} as below_suppression_threshold
{{ counted_cells_from() }}
{%- endmacro %}

{#- Housing First participants who moved in by their programme's evaluation date, with that date:
    the population of the retention and survival marts. -#}
{% macro hf_housed_participants() -%}
    select participants.*, programme_dates.evaluation_date
    from {{ ref('int_hf__participants') }} as participants
    inner join {{ ref('int_hf__programme_dates') }} as programme_dates
        on programme_dates.programme_id = participants.programme_id
    where participants.move_in_date is not null and participants.move_in_date <= programme_dates.evaluation_date
{%- endmacro %}

{#- The day a housed participant's time in housing is counted to (exclusive) at `evaluation_date`: the exit
    date; when the exit date was delivered broken (set to unknown), the last known record (exit_censored_on:
    censored there, no exit); else the evaluation date. Doc end_date_unknown. -#}
{% macro hf_housed_until(evaluation_date) -%}
    least(coalesce(exit_date, exit_censored_on, {{ evaluation_date }}), {{ evaluation_date }})
{%- endmacro %}

{#- Each person's value of `column` in `rows_cte` that the sources recorded most often (nulls aside),
    the latest record (`recorded_on`) breaking ties, then the smallest value: one row per person. -#}
{% macro most_recorded_value(rows_cte, column) -%}
    select
        person_id, {{ column }} from (
        select
            person_id, {{ column }},
            row_number()
                over (partition by person_id order by count(*) desc, max(recorded_on) desc, {{ column }})
                as vote_rank
        from {{ rows_cte }}
        where {{ column }} is not null
        group by person_id, {{ column }}
    ) as ranked
    where vote_rank = 1
{%- endmacro %}

{#- The place columns of a Housing First mart grouped by programme with a roll-up over municipalities
    (`grouping(municipality_atvk)`): `municipality`, the municipality's name or 'all' on the programme's
    total row, and `municipality_atvk`, null on that row. -#}
{% macro hf_municipality_columns() -%}
    case when grouping(municipality_atvk) = 1 then 'all' else municipality_name end as municipality,
        case when grouping(municipality_atvk) = 1 then null else municipality_atvk end as municipality_atvk
{%- endmacro %}

{#- The reference unit costs (stg_reference__unit_costs) as one row per year and one column per cost item
    (named item ~ suffix): the prices the cost of homelessness and Housing First crisis use apply. -#}
{% macro unit_costs_by_year(cost_items, suffix='') -%}
    select
        year,
        {%- for item in cost_items %}
            max(eur) filter (where cost_item = '{{ item }}') as {{ item ~ suffix }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ ref('stg_reference__unit_costs') }}
    group by year
{%- endmacro %}
