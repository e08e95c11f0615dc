-- OECD Affordable Housing Database indicator HC3.1 ("Homeless population"), one fixed table: per year,
-- count type (point_in_time on the reference night, flow over the year) and ETHOS Light coverage
-- ('1', '2+3', '1+2+3', 'all' = 1-6), national unduplicated persons, rate per 10,000 inhabitants,
-- share of women (of persons with recorded sex) and what the count includes.
with service_days as (
    select * from {{ ref('fct_service_days') }}
    {{ incremental_year_filter('service_year') }}
),

persons as (
    select * from {{ ref('dim_person') }}
),

municipalities as (
    select * from {{ ref('dim_municipality') }}
),

coverages as (
    -- the alias t names the columns (sqlfluff's AL05 would drop it)
    select * from (
        values
        ('1', 1),
        ('2+3', 2), ('2+3', 3),
        ('1+2+3', 1), ('1+2+3', 2), ('1+2+3', 3),
        ('all', 1), ('all', 2), ('all', 3), ('all', 4), ('all', 5), ('all', 6)
    ) as t (ethos_light_coverage, ethos_light_category)  -- noqa: AL05
),

counted_nights as (
    select 'flow' as count_type, person_id, service_year as year, ethos_light_category, situation
    from service_days
    union all
    select 'point_in_time', person_id, service_year, ethos_light_category, situation
    from service_days
    where extract(month from service_date) = {{ var('pit_month') }}
        and extract(day from service_date) = {{ var('pit_day') }}
),

-- each person once per year, count type and category, then once per coverage: the counts below are
-- then plain counts (DISTINCT aggregates over every person-night and coverage took 13 s at scale 1)
person_categories as (
    select
        count_type,
        year,
        person_id,
        ethos_light_category,
        count(*) filter (where situation = 'crisis_centre') > 0 as has_crisis_centre_nights
    from counted_nights
    group by count_type, year, person_id, ethos_light_category
),

person_coverages as (
    select
        person_categories.year,
        person_categories.count_type,
        coverages.ethos_light_coverage,
        person_categories.person_id,
        bool_or(person_categories.has_crisis_centre_nights) as has_crisis_centre_nights
    from person_categories
    inner join coverages
        on coverages.ethos_light_category = person_categories.ethos_light_category
    group by 1, 2, 3, 4
),

counted as (
    select
        person_coverages.year,
        person_coverages.count_type,
        person_coverages.ethos_light_coverage,
        count(*) as persons,
        count(*) filter (where persons.sex = 'female') as women,
        count(*) filter (where persons.sex is not null) as persons_with_sex,
        count(*) filter (where person_coverages.year - persons.birth_year < 18) as children,
        bool_or(person_coverages.has_crisis_centre_nights) as has_crisis_centre_nights
    from person_coverages
    left join persons
        on persons.person_id = person_coverages.person_id
    group by 1, 2, 3
),

population as (
    select year, sum(population) as population from municipalities group by year
),

-- the fixed shape: every year x count type x coverage, zero when nobody was counted
cells as (
    select years.year, count_types.count_type, coverages.ethos_light_coverage
    from (select distinct service_year as year from service_days where service_year >= {{ first_delivered_year() }})
        as years
    cross join (values ('point_in_time'), ('flow')) as count_types (count_type)
    cross join (select distinct ethos_light_coverage from coverages) as coverages
)

select
    cells.year,
    cells.count_type,
    cells.ethos_light_coverage,
    coalesce(counted.persons, 0) as persons,
    population.population,
    {{ rate_per_10k('coalesce(counted.persons, 0)', 'population.population') }} as rate_per_10000,
    {{ rounded_share('counted.women', 'nullif(counted.persons_with_sex, 0)') }} as share_women,
    coalesce(counted.children > 0, false) as includes_children,
    -- crisis centres (ETHOS 4.1, women's and family shelters) are part of ETHOS Light 3
    coalesce(counted.has_crisis_centre_nights, false) as includes_domestic_violence_shelters,
    false as includes_refugees,
    false as includes_asylum_seekers
from cells
left join counted
    on counted.year = cells.year
        and counted.count_type = cells.count_type
        and counted.ethos_light_coverage = cells.ethos_light_coverage
left join population
    on population.year = cells.year
