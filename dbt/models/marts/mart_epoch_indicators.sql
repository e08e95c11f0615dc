-- The Lisbon Declaration (EPOCH) objectives as yearly national indicators, one row per year and
-- indicator, long format. An objective the sources cannot measure gets an explicit row with
-- is_measured = false, never a silent gap.
{#- Long stays: (months, nights) a stay in ETHOS Light 2-3 must last over to count as longer than the months.
    Follow-up: the days after a release within which a shelter entry counts as following it. -#}
{% set long_stay_thresholds = [(3, 90), (6, 182), (12, 365)] %}
{% set release_follow_up_days = (30, 90) %}
with flow as (
    select * from {{ ref('mart_homeless_flow_yearly') }}
    where geo_level = 'national' and sex = 'ALL' and age_group = 'ALL'
),

point_in_time as (
    select * from {{ ref('mart_homeless_point_in_time') }}
    where geo_level = 'national' and sex = 'ALL' and age_group = 'ALL'
),

service_days as (
    select * from {{ ref('fct_service_days') }}
),

shelter_stays as (
    select * from {{ ref('stg_shelters__stays') }}
    where is_linkable
),

-- releases and discharges with a known date only: an open stay has none yet, and one whose end date was
-- delivered broken (release_date_unknown, discharge_date_unknown) has no date to follow up from, so it
-- is left out of numerator and denominator alike (doc end_date_unknown)
prison_spells as (
    select * from {{ ref('stg_prisons__spells') }}
    where is_linkable and release_date is not null
    {{ incremental_year_filter('extract(year from release_date)', lookback_years=1, keyword='and') }}
),

hospital_stays as (
    select * from {{ ref('stg_nvd__hospital_stays') }}
    where is_linkable and discharge_date is not null
    {{ incremental_year_filter('extract(year from discharge_date)', lookback_years=1, keyword='and') }}
),

-- materialized: read by every indicator below; inlined, each union branch recomputed its input and
-- their hash tables together ran out of memory at scale 10 under the memory bound
years as materialized (
    select distinct service_year as year from service_days
    -- a release late in a year is followed into the next one (90 days): that year is rebuilt too
    {{ incremental_year_filter('service_year', lookback_years=1) }}
),

-- Runs of consecutive nights in emergency or transitional accommodation (ETHOS Light 2-3); a run
-- belongs to the year of its last night (open runs: as of the data's last night).
accommodation_nights as (
    select
        person_id,
        service_date,
        service_date - cast(row_number() over (partition by person_id order by service_date) as integer)
            as run_key
    from service_days
    where ethos_light_category in (2, 3)
    {%- if rebuild_from_year() is not none %}
        -- on an incremental run: the persons with such a night in a rebuilt year, with their whole
        -- history (a run ending in a rebuilt year may have begun years before)
        and person_id in (
            select person_id from service_days
            where ethos_light_category in (2, 3) and service_year >= {{ rebuild_from_year() - 1 }}
        )
    {%- endif %}
),

accommodation_runs as (
    select person_id, cast(extract(year from max(service_date)) as integer) as year, count(*) as nights
    from accommodation_nights
    group by person_id, run_key
),

stay_lengths as materialized (
    select
        year,
        count(*) as runs,
        {% for months, nights in long_stay_thresholds %}
            count(*) filter (where nights > {{ nights }}) as over_{{ months }}_months,
        {% endfor %}
        {{ median_of('nights') }} as median_nights
    from accommodation_runs
    group by year
),

-- Institution releases followed by a shelter entry (linkable pseudonyms only: a source-local
-- pseudonym cannot be followed into another source). A release counts only when the homeless-service
-- data cover the 90 days after it (issue 23), for both indicators, so the 30-day count is part of the
-- 90-day count over the same releases: releases of the last months of the data are not yet followed,
-- and counting them made the 90-day figure of the latest year barely above the 30-day one (460 and
-- 461), as if nobody came later.
data_end as (
    select max(service_date) as last_night from service_days
),

releases as (
    select 'prison' as institution, person_id, release_date from prison_spells
    union all
    select 'hospital', person_id, discharge_date from hospital_stays
),

releases_followed as (
    select
        releases.institution,
        cast(extract(year from releases.release_date) as integer) as year,
        releases.person_id,
        releases.release_date,
        min(shelter_stays.check_in_date - releases.release_date) as days_to_shelter
    from releases
    left join shelter_stays
        on shelter_stays.person_id = releases.person_id
            and shelter_stays.check_in_date between releases.release_date and releases.release_date + 90
    group by 1, 2, 3, 4
),

release_indicators as materialized (
    select
        institution,
        year,
        {% for days in release_follow_up_days %}
            count(*) filter (
                where days_to_shelter <= {{ days }} and release_date + 90 <= data_end.last_night
            ) as followed_{{ days }}_days,
        {% endfor %}
        count(*) as releases,
        count(*) filter (where release_date + 90 <= data_end.last_night) as releases_followed_up
    from releases_followed
    cross join data_end
    group by institution, year
),

indicators as (
    -- a year with nobody counted is a zero, not a missing row
    select
        years.year, 'rough_sleepers_flow' as indicator_code,
        'Persons living rough or whereabouts unknown (ETHOS Light 1: seen by a crisis service with no fixed abode) '
        || 'at least one night in the year' as indicator,
        cast(coalesce(flow.persons, 0) as double precision) as value,
        'persons' as unit,
        coalesce(flow.persons, 0) as numerator,
        cast(null as bigint) as denominator, true as is_measured, null as note
    from years
    left join flow on flow.year = years.year and flow.ethos_light_category = '1'
    union all
    select
        years.year, 'rough_sleepers_point_in_time',
        'Persons living rough or whereabouts unknown (ETHOS Light 1: seen by a crisis service with no fixed abode) '
        || 'on the reference night',
        coalesce(point_in_time.persons, 0), 'persons', coalesce(point_in_time.persons, 0), null, true, null
    from years
    left join point_in_time on point_in_time.year = years.year and point_in_time.ethos_light_category = '1'
    union all
    select
        year, 'accommodation_stay_median_nights',
        'Median length (nights) of stays in emergency or transitional accommodation (ETHOS Light 2-3) '
        || 'ending in the year',
        median_nights, 'nights', null, runs, true, null
    from stay_lengths
    {% for months, nights in long_stay_thresholds %}
        union all
        select
            year, 'accommodation_stays_over_{{ months }}_months',
            'Share of stays in ETHOS Light 2-3 ending in the year that lasted over {{ months }} months '
            || '({{ nights }} nights)',
            {{ rounded_share('over_' ~ months ~ '_months', 'runs') }}, 'share', over_{{ months }}_months, runs,
            true, null
        from stay_lengths
    {% endfor %}
    {% for days in release_follow_up_days %}
        union all
        select
            year, institution || '_release_to_shelter_{{ days }}_days',
            'Releases from ' || institution || ' followed by a shelter entry within {{ days }} days',
            case when releases_followed_up > 0 then followed_{{ days }}_days end, 'releases',
            case when releases_followed_up > 0 then followed_{{ days }}_days end, releases_followed_up, true,
            'Denominator: releases in the year of persons with a linkable pseudonym whose 90 days after release '
            || 'the shelter data cover; a later release is not yet followed (not counted as not followed).'
        from release_indicators
    {% endfor %}
    union all
    select
        year, 'evictions_prevented', 'Evictions prevented',
        null, 'cases', null, null, false,
        'Not measured: no source delivers eviction proceedings or prevention cases.'
    from years
)

select
    indicators.year,
    indicators.indicator_code,
    indicators.indicator,
    indicators.value,
    indicators.unit,
    indicators.numerator,
    indicators.denominator,
    indicators.is_measured,
    indicators.note
from indicators
inner join years on years.year = indicators.year
-- no year before the deliveries begin (macros/delivered_years.sql)
where indicators.year >= {{ first_delivered_year() }}
