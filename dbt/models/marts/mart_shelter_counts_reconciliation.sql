-- The municipalities' aggregate shelter report beside the person-level figures, per year, municipality
-- and service type (with 'ALL' rows). At municipality level: reported persons vs persons with a shelter
-- night there (person level). On national rows (municipality_atvk 'ALL'): the sum of municipal reports,
-- the sum of municipal person-level counts, and the national unduplicated persons; implied_double_count
-- = sum of municipal person-level counts - national unduplicated persons (people counted in two
-- towns), the part of the municipal total that double counts.
with reported as (
    select * from {{ ref('stg_shelters__counts') }}
    {{ incremental_year_filter('year') }}
),

shelter_nights as (
    select * from {{ ref('fct_service_days') }}
    where record_type = 'shelter_stay'
    {{ incremental_year_filter('service_year', keyword='and') }}
),

municipalities as (
    select distinct atvk_code, name from {{ ref('dim_municipality') }}
),

reported_cells as (
    select
        year,
        case when grouping(municipality_atvk) = 1 then 'ALL' else municipality_atvk end as municipality_atvk,
        case when grouping(service_type) = 1 then 'ALL' else service_type end as service_type,
        sum(persons_served) as reported_persons,
        sum(bed_nights) as reported_bed_nights
    from reported
    group by year, cube(municipality_atvk, service_type)
),

person_level_cells as (
    select
        service_year as year,
        case when grouping(municipality_atvk) = 1 then 'ALL' else municipality_atvk end as municipality_atvk,
        case when grouping(situation) = 1 then 'ALL' else situation end as service_type,
        count(distinct person_id) as person_level_persons,
        count(*) as person_level_bed_nights
    from shelter_nights
    group by service_year, cube(municipality_atvk, situation)
),

-- the sum over municipalities of persons counted per municipality (as the municipal report does)
summed_municipal as (
    select year, service_type, sum(person_level_persons) as sum_municipal_person_level_persons
    from person_level_cells
    where municipality_atvk <> 'ALL'
    group by year, service_type
),

cells as (
    select
        coalesce(reported_cells.year, person_level_cells.year) as year,
        coalesce(reported_cells.municipality_atvk, person_level_cells.municipality_atvk) as municipality_atvk,
        coalesce(reported_cells.service_type, person_level_cells.service_type) as service_type,
        reported_cells.reported_persons,
        reported_cells.reported_bed_nights,
        person_level_cells.person_level_persons,
        person_level_cells.person_level_bed_nights
    from reported_cells
    full outer join person_level_cells
        on person_level_cells.year = reported_cells.year
            and person_level_cells.municipality_atvk = reported_cells.municipality_atvk
            and person_level_cells.service_type = reported_cells.service_type
)

select
    cells.year,
    case when cells.municipality_atvk = 'ALL' then 'national' else 'municipality' end as geo_level,
    cells.municipality_atvk,
    case when cells.municipality_atvk = 'ALL' then 'ALL' else municipalities.name end as municipality_name,
    cells.service_type,
    coalesce(cells.reported_persons, 0) as reported_persons,
    cells.reported_bed_nights,
    coalesce(cells.person_level_persons, 0) as person_level_persons,
    cells.person_level_bed_nights,
    coalesce(cells.reported_persons, 0) - coalesce(cells.person_level_persons, 0) as reported_minus_person_level,
    case when cells.municipality_atvk = 'ALL' then summed_municipal.sum_municipal_person_level_persons end
        as sum_municipal_person_level_persons,
    case when cells.municipality_atvk = 'ALL'
            then coalesce(summed_municipal.sum_municipal_person_level_persons, 0)
                - coalesce(cells.person_level_persons, 0)
    end as implied_double_count
from cells
left join municipalities
    on municipalities.atvk_code = cells.municipality_atvk
left join summed_municipal
    on summed_municipal.year = cells.year
        and summed_municipal.service_type = cells.service_type
