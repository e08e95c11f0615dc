{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='service_year',
        on_schema_change='fail'
    )
}}
-- One row per person per night in a homeless service or situation. A person in two records on the
-- same night (overlapping stays) gets one row: the record with the highest priority (a shelter stay
-- over a Housing First wait over an institution release over a reported prior situation; then the
-- most recent entry). records_on_night says how many records covered the night.
--
-- Incremental by year: a normal run rebuilds every year; `--vars '{service_days_from_year: 2024}'`
-- rebuilds only the years from 2024 on (delete+insert on service_year), for large histories.
{% set from_year = var('service_days_from_year', none) %}
with episodes as (
    select * from {{ ref('int_person_episodes') }}
    {% if is_incremental() and from_year %}
    where end_date >= make_date({{ from_year }}, 1, 1)
    {% endif %}
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
    {% if is_incremental() and from_year %}
    where service_date >= make_date({{ from_year }}, 1, 1)
    {% endif %}
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
