{#- Kaplan-Meier survival of time in housing after move-in. The event is losing the housing (eviction,
    return to homelessness, lost contact, prison or a long hospital stay); death, moving on to own
    housing, programme end and the evaluation date censor; so does the last known record of a participant whose
    exit date was delivered broken (never an event on a day not known; doc end_date_unknown). A participant
    whose move-in date is unknown has no time in housing to count and is left out. -#}
with housed as (
    {{ hf_housed_participants() }}
),

durations as (
    select
        programme_id,
        municipality_atvk,
        municipality_name,
        -- an exit date delivered broken censors at the last known record (doc end_date_unknown)
        {{ hf_housed_until('evaluation_date') }} - move_in_date as days_in_housing,
        coalesce(
            exit_date <= evaluation_date
            and exit_reason in ('eviction', 'returned_to_homelessness', 'lost_contact', 'prison', 'long_hospital_stay'),
            false
        ) as lost_housing
    from housed
),

scoped as (
    select programme_id, municipality_atvk, municipality_name as municipality, days_in_housing, lost_housing
    from durations
    union all
    select programme_id, null, 'all', days_in_housing, lost_housing
    from durations
),

event_days as (
    select
        programme_id,
        municipality,
        municipality_atvk,
        days_in_housing as day,
        count(*) filter (where lost_housing) as events,
        count(*) filter (where not lost_housing) as censored
    from scoped
    group by programme_id, municipality, municipality_atvk, days_in_housing
),

at_risk as (
    select
        *,
        sum(events + censored) over (
            partition by programme_id, municipality order by day desc rows between unbounded preceding and current row
        ) as at_risk
    from event_days
),

survival as (
    select
        *,
        1.0 - events / at_risk as conditional_survival,
        case
            when min(1.0 - events / at_risk) over running = 0 then 0.0
            else exp(sum(ln(greatest(1.0 - events / at_risk, 1e-300))) over running)
        end as survival_probability
    from at_risk
    window
        running as (
            partition by programme_id, municipality order by day rows between unbounded preceding and current row
        )
)

select
    programme_id,
    municipality,
    municipality_atvk,
    day,
    round(day / 30.4375, 2) as months,
    at_risk,
    events,
    censored,
    conditional_survival,
    survival_probability
from survival
