-- noqa: disable=LT02,LT11,AL05
-- (GROUPING SETS and Jinja-looped UNIONs: sqlfluff's DuckDB grammar cannot parse them to lay them out)
-- The public cost of crisis services per person-year in homelessness against the general population
-- (docs: cost_of_homelessness). Per year and cost item (and 'all'): a person-year in homelessness is a
-- linkable person with at least one night in fct_service_days in the year; their ambulance calls,
-- inpatient days, police contacts and prison days in the year (the crisis files cover everyone) and
-- their shelter nights, priced at the year's unit costs, over the number of such persons. The
-- general population is everyone else: the same services' cost for all other records over the
-- reference population minus the homeless persons. The excess per person-year is the difference;
-- nationally it is the excess times the homeless persons.
with service_days as (
    select person_id, service_year, record_type
    from {{ ref('fct_service_days') }}
    where person_id like 'P%'
),

homeless as (
    select distinct service_year as year, person_id from service_days
),

-- years with unit costs to price them, from the first delivered year (a stay delivered in 2022 may
-- have begun in 2021: that year's few person-years are not a year of data; macros/delivered_years.sql)
years as (
    select distinct year from homeless
    where year in (select year from {{ ref('stg_reference__unit_costs') }})
        and year >= {{ first_delivered_year() }}
),

unit_costs as (
    {{ unit_costs_by_year(['ambulance_call', 'inpatient_day', 'police_contact', 'prison_day', 'shelter_night',
        'housing_first_day']) }}
),

population as (
    select year, sum(population) as population
    from {{ ref('stg_reference__population') }}
    group by year
),

-- units of each service per person and year
ambulance as (
    select person_id, cast(extract(year from call_date) as integer) as year, 'ambulance_call' as cost_item,
        count(*) as units
    from {{ ref('stg_nmpd__ambulance_calls') }}
    group by 1, 2
),

police as (
    select person_id, cast(extract(year from contact_date) as integer) as year, 'police_contact' as cost_item,
        count(*) as units
    from {{ ref('stg_police__contacts') }}
    group by 1, 2
),

-- inpatient days: the nights of the stay inside the year (a same-day stay is one day, in its year);
-- a stay not yet ended counts to the end of the year; a stay whose discharge date was set to unknown
-- counts its admission day only (doc end_date_unknown)
inpatient as (
    select
        stays.person_id, years.year, 'inpatient_day' as cost_item,
        sum(case
            when stays.discharge_date = stays.admission_date then 1
            else least(
                coalesce(stays.counted_discharge_date, make_date(years.year + 1, 1, 1)),
                make_date(years.year + 1, 1, 1)
            )
            - greatest(stays.admission_date, make_date(years.year, 1, 1))
        end) as units
    from {{ ref('stg_nvd__hospital_stays') }} as stays
    inner join years
        on stays.admission_date < make_date(years.year + 1, 1, 1)
        and coalesce(stays.counted_discharge_date, make_date(years.year + 1, 1, 1))
        > make_date(years.year, 1, 1)
        or (
            stays.discharge_date = stays.admission_date
            and cast(extract(year from stays.admission_date) as integer) = years.year
        )
    group by 1, 2
),

-- prison days: the days between admission and release inside the year; a spell not yet ended counts
-- to the end of the year, one whose release date was set to unknown its admission day only
prison as (
    select
        spells.person_id, years.year, 'prison_day' as cost_item,
        sum(least(
            coalesce(spells.counted_release_date, make_date(years.year + 1, 1, 1)),
            make_date(years.year + 1, 1, 1)
        )
        - greatest(spells.admission_date, make_date(years.year, 1, 1))) as units
    from {{ ref('stg_prisons__spells') }} as spells
    inner join years
        on spells.admission_date < make_date(years.year + 1, 1, 1)
        and coalesce(spells.counted_release_date, make_date(years.year + 1, 1, 1))
        > make_date(years.year, 1, 1)
    group by 1, 2
),

shelter as (
    select person_id, service_year as year, 'shelter_night' as cost_item, count(*) as units
    from service_days
    where record_type = 'shelter_stay'
    group by 1, 2
),

use as (
    select * from ambulance
    union all select * from police
    union all select * from inpatient
    union all select * from prison
    union all select * from shelter
),

-- units split between the homeless person-years and everyone else
split as (
    select
        use.year,
        use.cost_item,
        sum(case when homeless.person_id is not null then use.units else 0 end) as homeless_units,
        sum(case when homeless.person_id is null then use.units else 0 end) as general_units
    from use
    inner join years on years.year = use.year
    left join homeless
        on homeless.year = use.year and homeless.person_id = use.person_id
    group by use.year, use.cost_item
),

items as (
    select years.year, item.cost_item
    from years
    cross join (
        select 'ambulance_call' as cost_item union all select 'inpatient_day' union all select 'police_contact'
        union all select 'prison_day' union all select 'shelter_night'
    ) as item
),

priced as (
    select
        items.year,
        items.cost_item,
        case items.cost_item
            when 'ambulance_call' then unit_costs.ambulance_call
            when 'inpatient_day' then unit_costs.inpatient_day
            when 'police_contact' then unit_costs.police_contact
            when 'prison_day' then unit_costs.prison_day
            when 'shelter_night' then unit_costs.shelter_night
        end as unit_cost_eur,
        coalesce(split.homeless_units, 0) as homeless_units,
        coalesce(split.general_units, 0) as general_units
    from items
    left join split on split.year = items.year and split.cost_item = items.cost_item
    left join unit_costs on unit_costs.year = items.year
),

with_totals as (
    select
        year,
        coalesce(cost_item, 'all') as cost_item,
        case when grouping(cost_item) = 0 then max(unit_cost_eur) end as unit_cost_eur,
        case when grouping(cost_item) = 0 then sum(homeless_units) end as homeless_units,
        sum(homeless_units * unit_cost_eur) as homeless_cost_eur,
        case when grouping(cost_item) = 0 then sum(general_units) end as general_units,
        sum(general_units * unit_cost_eur) as general_cost_eur
    from priced
    group by grouping sets ((year, cost_item), (year))
),

persons as (
    select homeless.year, count(*) as homeless_persons
    from homeless
    group by homeless.year
),

-- the days those persons were homeless: the basis of a cost per day of homelessness (issue 23)
homeless_days as (
    select service_year as year, count(*) as homeless_person_days
    from service_days
    group by service_year
)

select
    with_totals.year,
    with_totals.cost_item,
    {{ round_double('with_totals.unit_cost_eur', 2) }} as unit_cost_eur,
    persons.homeless_persons,
    with_totals.homeless_units,
    {{ round_double('with_totals.homeless_cost_eur', 2) }} as homeless_cost_eur,
    {{ round_double('with_totals.homeless_cost_eur / persons.homeless_persons', 2) }}
        as homeless_cost_per_person_year_eur,
    population.population - persons.homeless_persons as general_population,
    with_totals.general_units,
    {{ round_double('with_totals.general_cost_eur', 2) }} as general_cost_eur,
    {{ round_double('with_totals.general_cost_eur / nullif(population.population - persons.homeless_persons, 0)', 2) }}
        as general_cost_per_person_year_eur,
    {{ round_double('with_totals.homeless_cost_eur / persons.homeless_persons'
        ~ ' - with_totals.general_cost_eur / nullif(population.population - persons.homeless_persons, 0)', 2) }}
        as excess_cost_per_person_year_eur,
    {{ round_double('(with_totals.homeless_cost_eur / persons.homeless_persons'
        ~ ' - with_totals.general_cost_eur / nullif(population.population - persons.homeless_persons, 0)) * persons.homeless_persons', 0) }}
        as excess_cost_national_eur,
    -- per calendar day of the person-year (/ 365): most homeless persons of a year are homeless a few
    -- nights of it, so this is no cost of a day of homelessness
    {{ round_double('with_totals.homeless_cost_eur / persons.homeless_persons / 365.0', 2) }}
        as homeless_cost_per_person_day_eur,
    {{ round_double('unit_costs.housing_first_day', 2) }} as housing_first_eur_day,
    -- per day of homelessness, the basis of Housing First's cost per client-day housed (costs over the
    -- days in the situation): their cost in the year over their homeless nights in the year
    homeless_days.homeless_person_days,
    {{ round_double('with_totals.homeless_cost_eur / homeless_days.homeless_person_days', 2) }}
        as homeless_cost_per_homeless_day_eur
from with_totals
inner join persons on persons.year = with_totals.year
inner join homeless_days on homeless_days.year = with_totals.year
left join population on population.year = with_totals.year
left join unit_costs on unit_costs.year = with_totals.year
