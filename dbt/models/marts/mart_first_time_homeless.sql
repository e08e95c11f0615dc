-- First-time homeless (HUD System Performance Measure 5): for each year, take each person's earliest
-- entry in the year (the first night of a run of consecutive nights in fct_service_days); the person is
-- first-time when no night in a homeless service or situation falls in the 730 days before it
-- (so an earlier episode whose last night was 731 or more days before counts as no episode).
-- history_complete is false for a year with less than 730 days of delivered history before it: there
-- everybody looks first-time (2022 of a set delivered from 2022 showed 99 %); keep such rows out of
-- published figures.
with {{ person_cell_imports() }}

nights as (
    select
        person_id,
        service_date,
        service_year,
        ethos_light_category,
        municipality_atvk,
        lag(service_date) over (partition by person_id order by service_date) as previous_night
    from service_days
    -- the 730 nights before the first rebuilt year: an older previous night means first-time anyway
    {{ incremental_year_filter('service_year', lookback_years=2) }}
),

-- an entry: a night with no service the night before
entries as (
    select * from nights
    where previous_night is null or previous_night < service_date - 1
),

earliest_entry_in_year as (
    select
        person_id,
        service_year as year,
        service_date as entry_date,
        ethos_light_category,
        municipality_atvk,
        previous_night,
        (previous_night is null or previous_night < service_date - 730)
        -- a Housing First tenancy open in the 730 days before counts as history (docs: housing_first_tenancy_rule)
        and not exists (
            select 1 from {{ ref('int_hf__tenancies') }} as tenancies
            where tenancies.person_id = ranked_entries.person_id
                and tenancies.first_night < ranked_entries.service_date
                and coalesce(tenancies.last_night, ranked_entries.service_date) >= ranked_entries.service_date - 730
        ) as is_first_time
    from (
        select *, row_number() over (partition by person_id, service_year order by service_date) as entry_rank
        from entries
        {{ incremental_year_filter('service_year') }}
    ) as ranked_entries
    where entry_rank = 1
),

described as (
    {{ describe_person_rows('earliest_entry_in_year', ['is_first_time']) }}
),

-- one row per person and year (the earliest entry), so plain counts are person counts: no DISTINCT
-- aggregates, which over the grouping sets each keep a hash table of every person that does not
-- spill to disk (at scale 10 they ran out of memory under a 4 GB bound)
counted as (
    {{ breakdown_counts('described', [
        'count(*) as persons_entering',
        'count(*) filter (where is_first_time) as first_time_persons',
    ]) }}
)

select
    counted.year,
    {{ cell_columns('counted') }},
    counted.persons_entering,
    -- not computable (null) without the 730 days of history the definition looks back on (issue 23):
    -- everybody looks new at the start of the data, which read as a trend
    case when {{ history_complete('counted.year') }} then counted.first_time_persons end as first_time_persons,
    case when {{ history_complete('counted.year') }} then
            {{ rounded_share('counted.first_time_persons', 'nullif(counted.persons_entering, 0)') }}
    end as first_time_share,
    {{ cell_population('counted') }} as population,
    case when {{ history_complete('counted.year') }} then
            {{ rate_per_10k('counted.first_time_persons', cell_population('counted')) }}
    end as first_time_rate_per_10000,
    counted.first_time_persons < {{ var('suppression_threshold') }} as below_suppression_threshold,
    -- false: fewer than 730 days of delivered history before the year, so "first-time" overstates
    {{ history_complete('counted.year') }} as history_complete
{{ counted_cells_from() }}
