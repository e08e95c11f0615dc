-- One row per municipality per year with its population (grain: atvk_code + year). Join on both; for
-- the latest figures filter is_latest_year. Years come from the population table.
with municipalities as (
    select * from {{ ref('stg_reference__municipalities') }}
),

population as (
    select * from {{ ref('stg_reference__population') }}
)

select
    municipalities.atvk_code,
    population.year,
    municipalities.name,
    municipalities.kind,
    municipalities.nuts3_code,
    municipalities.nuts3_name,
    population.population,
    population.is_estimate as population_is_estimate,
    population.year = max(population.year) over (partition by municipalities.atvk_code) as is_latest_year
from municipalities
inner join population
    on population.atvk_code = municipalities.atvk_code
