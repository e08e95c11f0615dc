-- One row per person per homelessness spell: nights in fct_service_days, where a break of 14 nights or
-- fewer does not end the spell (HUD's system-exit rule: an exit needs 14 days with no homeless service
-- after it). The spell's exit is the morning after its last night; it is an exit to housing when the
-- record kept on that night ended with a housing destination, and it is confirmed only when 14 nights
-- of data follow it.
with service_days as (
    select * from {{ ref('fct_service_days') }}
),

as_of as (
    select max(service_date) as as_of_date from service_days
),

-- runs of consecutive nights first (nights minus their ordinal is constant along a run): one window
-- over the person-nights instead of two, the spell rule then works on the runs
night_runs as (
    select
        person_id,
        service_date,
        exit_destination,
        ethos_light_category,
        service_date - cast(row_number() over (partition by person_id order by service_date) as integer) as run_key
    from service_days
),

runs as (
    select
        person_id,
        min(service_date) as start_date,
        max(service_date) as end_date,
        count(*) as nights,
        {{ value_at_max('exit_destination', 'service_date') }} as exit_destination,
        min(ethos_light_category) as most_severe_category
    from night_runs
    group by person_id, run_key
),

gaps as (
    select
        *,
        start_date - lag(end_date) over (partition by person_id order by start_date) as nights_since_previous
    from runs
),

numbered as (
    select
        *,
        sum(case when nights_since_previous is null or nights_since_previous > 15 then 1 else 0 end)
            over (partition by person_id order by start_date rows unbounded preceding) as spell_number
    from gaps
),

spells as (
    select
        person_id,
        spell_number,
        min(start_date) as start_date,
        max(end_date) as end_date,
        cast(sum(nights) as bigint) as nights,
        {{ value_at_max('exit_destination', 'end_date') }} as exit_destination,
        min(most_severe_category) as most_severe_category
    from numbered
    group by person_id, spell_number
)

select
    md5(spells.person_id || '|' || spells.spell_number) as spell_id,
    spells.person_id,
    cast(spells.spell_number as integer) as spell_number,
    spells.start_date,
    spells.end_date,
    spells.end_date + 1 as exit_date,
    spells.nights,
    spells.end_date - spells.start_date + 1 as calendar_days,
    spells.exit_destination,
    coalesce(spells.exit_destination in {{ housing_destinations() }}, false) as is_exit_to_housing,
    -- 14 nights without service after the last night must be observable
    spells.end_date + 14 < as_of.as_of_date as is_confirmed_exit,
    lag(spells.end_date) over (partition by spells.person_id order by spells.spell_number) as previous_end_date,
    lead(spells.start_date) over (partition by spells.person_id order by spells.spell_number) as next_start_date,
    as_of.as_of_date
from spells
cross join as_of
