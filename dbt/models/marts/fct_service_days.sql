{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='service_year',
        tags=['yearly_incremental'],
        on_schema_change='fail'
    )
}}
-- One row per person per night in a homeless service or situation. A person in two records on the
-- same night (overlapping stays) gets one row: the record with the highest priority (a shelter stay
-- over a Housing First wait over an institution release over a reported prior situation; then the
-- most recent entry). records_on_night says how many records covered the night.
--
-- Incremental by year (macros/incremental.sql): with var rebuild_from_year only the nights of that
-- year and later are recomputed (delete+insert on service_year), from the records that reach them.
with episodes as (
    select * from {{ ref('int_person_episodes') }}
    {{ incremental_year_filter('extract(year from end_date)') }}
),

-- One row per record and night: generate_series expands each record's nights in place (fast, no
-- calendar join needed).
record_nights as (
    select
        episodes.*,
        {{ days_from_to('episodes.start_date', 'episodes.end_date') }} as service_date
    from episodes
),

ranked as (
    select
        *,
        count(*) over (partition by person_id, service_date) as records_on_night,
        row_number() over (
            partition by person_id, service_date
            order by
                case record_type
                    when 'shelter_stay' then 1
                    when 'housing_first_waiting' then 2
                    when 'hospital_discharge' then 3
                    when 'prison_release' then 4
                    else 5
                end,
                start_date desc,
                ethos_light_category,
                source_record_id
        ) as priority
    from record_nights
    {{ incremental_year_filter('extract(year from service_date)') }}
)

select
    person_id,
    service_date,
    cast(extract(year from service_date) as integer) as service_year,
    ethos_light_category,
    ethos_code,
    municipality_atvk,
    provider_id,
    record_type,
    situation,
    episode_id,
    source_record_id,
    service_date = end_date as is_last_night_of_record,
    case when service_date = end_date and not is_open then exit_destination end as exit_destination,
    records_on_night
from ranked
where priority = 1
