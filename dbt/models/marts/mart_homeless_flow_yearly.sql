-- Yearly flow: unduplicated persons with at least one night in a homeless service or situation in the
-- year, by ETHOS Light category, geography, sex and age group, with every subtotal as its own row
-- ('ALL'; geo_level), so a national row counts each person once however many towns they were in.
-- The combined coverages '2+3' and '1+2+3' are rows of their own (each person once); sum only the
-- single categories '1'-'6' if you sum at all.
with service_days as (
    select * from {{ ref('fct_service_days') }}
),

persons as (
    select * from {{ ref('dim_person') }}
),

municipalities as (
    select * from {{ ref('dim_municipality') }}
),

-- distinct person, year, category and municipality first: the grouping sets then work on thousands
-- of rows, not millions of person-nights
person_years as (
    select distinct person_id, service_year as year, ethos_light_category, municipality_atvk
    from service_days
    {{ incremental_year_filter('service_year') }}
),

described as (
    {{ describe_person_rows('person_years') }}
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
    {{ cell_columns('counted') }},
    counted.persons,
    {{ cell_population('counted') }} as population,
    {{ rate_per_10k('counted.persons', cell_population('counted')) }} as rate_per_10000,
    counted.persons < {{ var('suppression_threshold') }} as below_suppression_threshold
from counted
{{ population_join('counted') }}
-- no year before the deliveries begin (a prior-situation night before the first check-in is not one)
where counted.year >= {{ first_delivered_year() }}
