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
-- same night (overlapping stays) gets one row: the record with the highest priority (macro
-- service_night_priority: a shelter stay over a Housing First wait over an institution release over a
-- reported prior situation over a crisis-service contact; then the most recent entry), so a
-- no-address ambulance call or no-fixed-abode police contact adds a living-rough night (ETHOS Light 1)
-- only when no service covers it (docs: rough_sleeping_from_crisis_services). records_on_night says
-- how many records covered the night. Nights inside an open Housing First tenancy are left out: the
-- tenant is housed (docs: housing_first_tenancy_rule; they are in fct_housing_first_tenant_service_days).
--
-- Incremental by year (macros/incremental.sql): with var rebuild_from_year only the nights of that
-- year and later are recomputed (delete+insert on service_year), from the records that reach them.
with episodes as (
    select * from {{ ref('int_person_episodes') }}
    {{ incremental_year_filter('extract(year from end_date)') }}
),

-- Records of a person that share a night with another of their records. Sorted by first night, a
-- record overlaps another when an earlier one is still open on its first night or a later one begins
-- by its last night. Only their nights are ranked below; a window over every person-night sorted all
-- of them (the build's slowest model) for the few nights two records share.
flagged_episodes as (
    select
        episodes.*,
        coalesce(max(episodes.end_date) over (
            partition by episodes.person_id order by episodes.start_date, episodes.end_date, episodes.source_record_id
            rows between unbounded preceding and 1 preceding
        ) >= episodes.start_date, false)
        or coalesce(min(episodes.start_date) over (
            partition by episodes.person_id order by episodes.start_date, episodes.end_date, episodes.source_record_id
            rows between 1 following and unbounded following
        ) <= episodes.end_date, false)
            as shares_a_night
    from episodes
),

-- One row per record and night: generate_series expands each record's nights in place (fast, no
-- calendar join needed).
record_nights as (
    select
        flagged_episodes.*,
        {{ days_from_to('flagged_episodes.start_date', 'flagged_episodes.end_date') }} as service_date
    from flagged_episodes
),

-- a night no other record of the person covers: the record's own, one record on it
single_record_nights as (
    select *, cast(1 as bigint) as records_on_night, cast(1 as bigint) as priority
    from record_nights
    where not shares_a_night
    {{ incremental_year_filter('extract(year from service_date)', keyword='and') }}
),

ranked as (
    select
        *,
        count(*) over (partition by person_id, service_date) as records_on_night,
        row_number() over (
            partition by person_id, service_date
            order by {{ service_night_order() }}
        ) as priority
    from record_nights
    where shares_a_night
    {{ incremental_year_filter('extract(year from service_date)', keyword='and') }}
),

nights as (
    select * from single_record_nights
    union all
    select * from ranked
),

-- nights inside an open Housing First tenancy: found by an equality join on the person first (a
-- range condition inside NOT EXISTS made DuckDB test every night against every tenancy)
tenancy_nights as (
    select distinct record_nights.person_id, record_nights.service_date
    from record_nights
    inner join {{ ref('int_hf__tenancies') }} as tenancies
        on tenancies.person_id = record_nights.person_id
    where {{ night_in_housing_first_tenancy('tenancies', 'record_nights.service_date') }}
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
from nights
where priority = 1
    and not exists (
        select 1 from tenancy_nights
        where tenancy_nights.person_id = nights.person_id
            and tenancy_nights.service_date = nights.service_date
    )
