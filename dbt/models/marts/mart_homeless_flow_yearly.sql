-- Yearly flow: unduplicated persons with at least one night in a homeless service or situation in the
-- year, by ETHOS Light category, geography, sex and age group, with every subtotal as its own row.
-- Subtotal rows carry 'ALL' and a level column (geo_level), so a national row counts each person once
-- however many municipalities or categories they were in; summing municipal rows double counts.
with service_days as (
    select * from {{ ref('fct_service_days') }}
),

persons as (
    select * from {{ ref('dim_person') }}
),

municipalities as (
    select * from {{ ref('dim_municipality') }}
),

-- Distinct person, year, category and municipality first: the grouping sets below then work on
-- thousands of rows, not millions of person-days.
person_years as (
    select distinct
        person_id,
        service_year as year,
        ethos_light_category,
        municipality_atvk
    from service_days
),

person_years_described as (
    select
        person_years.person_id,
        person_years.year,
        cast(person_years.ethos_light_category as varchar) as ethos_light_category,
        coalesce(person_years.municipality_atvk, 'UNKNOWN') as municipality_atvk,
        coalesce(municipalities.nuts3_code, 'UNKNOWN') as nuts3_code,
        coalesce(persons.sex, 'unknown') as sex,
        {{ age_group('persons.birth_year', 'person_years.year') }} as age_group
    from person_years
    left join persons
        on persons.person_id = person_years.person_id
    left join municipalities
        on municipalities.atvk_code = person_years.municipality_atvk
        and municipalities.year = person_years.year
),

counted as (
    select
        year,
        case
            when grouping(nuts3_code) = 1 then 'national'
            when grouping(municipality_atvk) = 1 then 'nuts3'
            else 'municipality'
        end as geo_level,
        case when grouping(nuts3_code) = 1 then 'ALL' else nuts3_code end as nuts3_code,
        case when grouping(municipality_atvk) = 1 then 'ALL' else municipality_atvk end as municipality_atvk,
        case when grouping(ethos_light_category) = 1 then 'ALL' else ethos_light_category end as ethos_light_category,
        case when grouping(sex) = 1 then 'ALL' else sex end as sex,
        case when grouping(age_group) = 1 then 'ALL' else age_group end as age_group,
        count(distinct person_id) as persons
    from person_years_described
    group by year, {{ breakdown_grouping_sets() }}
),

population_municipal as (
    select atvk_code, year, population from municipalities
),

population_nuts3 as (
    select nuts3_code, year, sum(population) as population from municipalities group by all
),

population_national as (
    select year, sum(population) as population from municipalities group by all
),

with_population as (
    select
        counted.*,
        -- rates only where the denominator matches the cell: population by sex and age is not loaded
        case when counted.sex = 'ALL' and counted.age_group = 'ALL' then
            case counted.geo_level
                when 'national' then population_national.population
                when 'nuts3' then population_nuts3.population
                else population_municipal.population
            end
        end as population
    from counted
    left join population_municipal
        on counted.geo_level = 'municipality'
        and population_municipal.atvk_code = counted.municipality_atvk
        and population_municipal.year = counted.year
    left join population_nuts3
        on counted.geo_level = 'nuts3'
        and population_nuts3.nuts3_code = counted.nuts3_code
        and population_nuts3.year = counted.year
    left join population_national
        on counted.geo_level = 'national'
        and population_national.year = counted.year
),

names as (
    select distinct atvk_code, name, nuts3_code, nuts3_name from municipalities
)

select
    with_population.year,
    with_population.geo_level,
    with_population.nuts3_code,
    case with_population.nuts3_code
        when 'ALL' then 'Latvija'
        when 'UNKNOWN' then 'unknown'
        else (select any_value(names.nuts3_name) from names where names.nuts3_code = with_population.nuts3_code)
    end as nuts3_name,
    with_population.municipality_atvk,
    case with_population.municipality_atvk
        when 'ALL' then 'ALL'
        when 'UNKNOWN' then 'unknown'
        else (select any_value(names.name) from names where names.atvk_code = with_population.municipality_atvk)
    end as municipality_name,
    with_population.ethos_light_category,
    with_population.sex,
    with_population.age_group,
    with_population.persons,
    with_population.population,
    {{ rate_per_10k('with_population.persons', 'with_population.population') }} as rate_per_10000,
    with_population.persons < {{ var('suppression_threshold') }} as below_suppression_threshold
from with_population
