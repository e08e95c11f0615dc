{{ config(meta={'dagster': {'ref': {'name': 'mart_homeless_flow_yearly'}}}) }}  -- shown in Dagster as a check on mart_homeless_flow_yearly
-- Reconciliation: every rate per 10,000 equals persons / population x 10,000, and the population
-- behind a national or NUTS3 rate is the sum of its municipalities' populations (dim_municipality).
with municipalities as (
    select * from {{ ref('dim_municipality') }}
),

expected_population as (
    select year, 'national' as geo_level, 'ALL' as nuts3_code, 'ALL' as municipality_atvk, sum(population) as population
    from municipalities group by year
    union all
    select year, 'nuts3', nuts3_code, 'ALL', sum(population) from municipalities group by year, nuts3_code
    union all
    select year, 'municipality', nuts3_code, atvk_code, population from municipalities
),

rated as (
    select 'flow' as mart, year, geo_level, nuts3_code, municipality_atvk, persons, population, rate_per_10000
    from {{ ref('mart_homeless_flow_yearly') }}
    where sex = 'ALL' and age_group = 'ALL'
    union all
    select 'point_in_time', year, geo_level, nuts3_code, municipality_atvk, persons, population, rate_per_10000
    from {{ ref('mart_homeless_point_in_time') }}
    where sex = 'ALL' and age_group = 'ALL'
    union all
    select 'oecd_hc31', year, 'national', 'ALL', 'ALL', persons, population, rate_per_10000
    from {{ ref('mart_oecd_hc31') }}
)

select rated.*, expected_population.population as expected_population
from rated
left join expected_population
    on {{ columns_match('expected_population', 'rated', ['year', 'geo_level', 'nuts3_code', 'municipality_atvk']) }}
where rated.population is distinct from expected_population.population
   or abs(rated.rate_per_10000 - rated.persons * 10000.0 / rated.population) > 0.0001
