-- Nights a Housing First tenant spent in a homeless service or situation while the tenancy was open
-- (move-in to the night before exit): reported apart as "formerly homeless, in Housing First, using a
-- shelter" and never counted as homelessness (docs: housing_first_tenancy_rule). One row per person
-- and night, the record kept by the same priority as fct_service_days.
with tenancies as (
    select * from {{ ref('int_hf__tenancies') }}
),

episodes as (
    select * from {{ ref('int_person_episodes') }}
    where person_id in (select person_id from tenancies)
),

record_nights as (
    select
        episodes.*,
        {{ days_from_to('episodes.start_date', 'episodes.end_date') }} as service_date
    from episodes
),

in_tenancy as (
    select
        record_nights.*,
        tenancies.enrolment_id,
        tenancies.programme_id,
        count(*) over (partition by record_nights.person_id, record_nights.service_date) as records_on_night,
        row_number() over (
            partition by record_nights.person_id, record_nights.service_date
            -- as fct_service_days ranks them; of two tenancies over one night (overlapping enrolments),
            -- the first enrolment's
            order by {{ service_night_order('record_nights') }}, tenancies.enrolment_id asc
        ) as priority
    from record_nights
    inner join tenancies
        on tenancies.person_id = record_nights.person_id
            and {{ night_in_housing_first_tenancy('tenancies', 'record_nights.service_date') }}
)

select
    person_id,
    service_date,
    cast(extract(year from service_date) as integer) as service_year,
    enrolment_id,
    programme_id,
    record_type,
    situation,
    ethos_light_category as ethos_light_category_if_homeless,
    municipality_atvk,
    provider_id,
    source_record_id,
    records_on_night
from in_tenancy
where priority = 1
