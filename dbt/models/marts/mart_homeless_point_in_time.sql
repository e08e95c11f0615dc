-- Point-in-time stock: persons in each ETHOS Light category on the reference night of each year
-- (vars pit_month/pit_day; default 15 November, as Finland counts), same breakdowns as the flow mart.
-- A person has one row per night in fct_service_days, so categories '1'-'6' add up to the 'ALL' row;
-- the combined coverages '2+3' and '1+2+3' are rows of their own (leave them out of such sums).
with {{ person_cell_imports() }}

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

{{ persons_counted('reference_nights') }}

{%- set reference_night = "make_date(counted.year, " ~ var('pit_month') ~ ", " ~ var('pit_day') ~ ")" %}
{{ persons_counted_select([reference_night ~ " as reference_night"]) }}
