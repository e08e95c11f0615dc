-- Point-in-time stock: persons in each ETHOS Light category on the reference night of each year
-- (vars pit_month/pit_day; default 15 November, as Finland counts), same breakdowns as the flow mart.
-- A person has one row per night in fct_service_days, so categories '1'-'6' add up to the 'ALL' row;
-- the combined coverages '2+3' and '1+2+3' are rows of their own (leave them out of such sums).
with service_days as (
    select * from {{ ref('fct_service_days') }}
),

persons as (
    select * from {{ ref('dim_person') }}
),

municipalities as (
    select * from {{ ref('dim_municipality') }}
),

reference_nights as (
    select
        person_id,
        service_year as year,
        service_date as reference_night,
        ethos_light_category,
        municipality_atvk
    from service_days
    where extract(month from service_date) = {{ var('pit_month') }}
        and extract(day from service_date) = {{ var('pit_day') }}
    {{ incremental_year_filter('service_year', keyword='and') }}
),

described as (
    {{ describe_person_rows('reference_nights') }}
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

select
    counted.year,
    make_date(counted.year, {{ var('pit_month') }}, {{ var('pit_day') }}) as reference_night,
    {{ cell_columns('counted') }},
    counted.persons,
    {{ cell_population('counted') }} as population,
    {{ rate_per_10k('counted.persons', cell_population('counted')) }} as rate_per_10000,
    counted.persons < {{ var('suppression_threshold') }} as below_suppression_threshold
from counted
{{ population_join('counted') }}
-- no year before the deliveries begin (a prior-situation night before the first check-in is not one)
where counted.year >= {{ first_delivered_year() }}
