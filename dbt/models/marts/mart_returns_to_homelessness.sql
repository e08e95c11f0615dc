-- Returns to homelessness (HUD System Performance Measure 2, adapted to exit years): for each exit
-- year, each person's first confirmed system exit to housing in that year (the end of a spell in
-- int_person_homeless_spells: 14 nights with no homeless service after it, last record ending in a
-- rented or own home, a municipal flat or a Housing First flat). A return is the start of the
-- person's next spell; days to return = next spell's first night - exit date (the morning after the
-- last night). Buckets as HUD: 0-180 (6 months), 181-365 (12), 366-730 (24); "within 12 months"
-- includes the first bucket. followup_complete_* flags say whether the full window is observed.
-- A window not complete for every exit of the year is "not yet reached" (issue 23): its bucket, its
-- cumulative count and its share are null, never a low number.
with spells as (
    select * from {{ ref('int_person_homeless_spells') }}
),

first_exit_in_year as (
    select
        person_id,
        cast(extract(year from exit_date) as integer) as exit_year,
        exit_date,
        exit_destination,
        next_start_date,
        next_start_date - exit_date as days_to_return,
        as_of_date
    from (
        select
            *, row_number() over (partition by person_id, extract(year from exit_date) order by exit_date) as exit_rank
        from spells
        where is_exit_to_housing and is_confirmed_exit
    ) as ranked_exits
    where exit_rank = 1
),

by_destination as (
    select
        exit_year,
        case when grouping(exit_destination) = 1 then 'ALL' else exit_destination end as exit_destination,
        count(*) as persons_exited,
        count(*) filter (where days_to_return <= 180) as returned_0_180_days,
        count(*) filter (where days_to_return between 181 and 365) as returned_181_365_days,
        count(*) filter (where days_to_return between 366 and 730) as returned_366_730_days,
        max(as_of_date) as as_of_date
    from first_exit_in_year
    group by exit_year, rollup(exit_destination)
)

select
    exit_year,
    exit_destination,
    persons_exited,
    case when followup_complete_6_months then returned_0_180_days end as returned_0_180_days,
    case when followup_complete_12_months then returned_181_365_days end as returned_181_365_days,
    case when followup_complete_24_months then returned_366_730_days end as returned_366_730_days,
    case when followup_complete_6_months then returned_0_180_days end as returned_within_6_months,
    case when followup_complete_12_months then returned_0_180_days + returned_181_365_days end
        as returned_within_12_months,
    case when followup_complete_24_months then returned_0_180_days + returned_181_365_days + returned_366_730_days end
        as returned_within_24_months,
    case when followup_complete_6_months then
            {{ rounded_share('returned_0_180_days', 'nullif(persons_exited, 0)') }}
    end as return_share_6_months,
    case when followup_complete_12_months then
            {{ rounded_share('(returned_0_180_days + returned_181_365_days)', 'nullif(persons_exited, 0)') }}
    end
        as return_share_12_months,
    case when followup_complete_24_months then
            {{ rounded_share(
                '(returned_0_180_days + returned_181_365_days + returned_366_730_days)', 'nullif(persons_exited, 0)'
            ) }}
    end
        as return_share_24_months,
    followup_complete_6_months,
    followup_complete_12_months,
    followup_complete_24_months
from (
    select
        *,
        -- every exit of the year has its full window observed when the year's last day + window <= as-of date
        make_date(exit_year, 12, 31) + 180 <= as_of_date as followup_complete_6_months,
        make_date(exit_year, 12, 31) + 365 <= as_of_date as followup_complete_12_months,
        make_date(exit_year, 12, 31) + 730 <= as_of_date as followup_complete_24_months
    from by_destination
) as followed
