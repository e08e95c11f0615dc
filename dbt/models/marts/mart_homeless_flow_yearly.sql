-- Yearly flow: unduplicated persons with at least one night in a homeless service or situation in the
-- year, by ETHOS Light category, geography, sex and age group, with every subtotal as its own row
-- ('ALL'; geo_level), so a national row counts each person once however many towns they were in.
-- The combined coverages '2+3' and '1+2+3' are rows of their own (each person once); sum only the
-- single categories '1'-'6' if you sum at all.
with {{ person_cell_imports() }}

-- distinct person, year, category and municipality first: the grouping sets then work on thousands
-- of rows, not millions of person-nights
person_years as (
    select distinct person_id, service_year as year, ethos_light_category, municipality_atvk
    from service_days
    {{ incremental_year_filter('service_year') }}
),

{{ persons_counted('person_years') }}

{{ persons_counted_select() }}
