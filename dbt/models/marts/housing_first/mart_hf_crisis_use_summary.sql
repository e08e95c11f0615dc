-- noqa: disable=LT02,LT11,AL05
-- (GROUPING SETS and Jinja-looped UNIONs: sqlfluff's DuckDB grammar cannot parse them to lay them out)
{# Crisis-service use before and after move-in as the pilot reports it: shares of participants with any
    use, means per participant and totals, per programme and municipality (and all), from mart_hf_crisis_use.
    Exposure-complete (issue 23): the counts, shares and means compare only participants whose before AND
    after windows the crisis data cover completely (participants_compared); participants whose after window
    is not yet covered are counted in participants_not_yet_observed, never as a low figure. Rates per 365
    observed days use every participant and each window's observed days (to the data's end or a death),
    which are published (observed_days, mean/min_observed_days). -#}

with per_person as (
    select
        *,
        bool_and(window_complete) over (partition by programme_id, client_id) as is_compared
    from {{ ref('mart_hf_crisis_use') }}
),

summarised as (
    select
        programme_id,
        {{ hf_municipality_columns() }},
        crisis_window,
        count(*) as participants_housed,
        count(*) filter (where is_compared) as participants,
        count(*) filter (where not is_compared) as participants_not_yet_observed,
        count(*) filter (where is_compared and died_in_window) as died_in_window,
        count(*) filter (where is_compared and ambulance_calls > 0) as persons_with_ambulance_call,
        sum(ambulance_calls) filter (where is_compared) as ambulance_calls,
        count(*) filter (where is_compared and inpatient_days > 0) as persons_with_hospital_stay,
        sum(hospital_admissions) filter (where is_compared) as hospital_admissions,
        sum(inpatient_days) filter (where is_compared) as inpatient_days,
        count(*) filter (where is_compared and police_contacts > 0) as persons_with_police_contact,
        sum(police_contacts) filter (where is_compared) as police_contacts,
        count(*) filter (where is_compared and prison_admissions > 0) as persons_admitted_to_prison,
        sum(prison_days) filter (where is_compared) as prison_days,
        sum(crisis_cost_eur) filter (where is_compared) as crisis_cost_eur,
        -- exposure over every participant housed: days of the window the crisis data cover
        sum(window_days) as window_days,
        sum(observed_days) as observed_days,
        min(observed_days) as min_observed_days,
        sum(ambulance_calls) as ambulance_calls_observed,
        sum(inpatient_days) as inpatient_days_observed,
        sum(police_contacts) as police_contacts_observed,
        sum(prison_days) as prison_days_observed,
        sum(crisis_cost_eur) as crisis_cost_eur_observed
    from per_person
    group by grouping sets (
        (programme_id, municipality_atvk, municipality_name, crisis_window),
        (programme_id, crisis_window)
    )
)

select
    *,
    case
        when participants = 0 then 'not_yet_reached'
        when participants_not_yet_observed > 0 then 'partly_reached'
        else 'reached'
    end as window_status,
    cast(observed_days * 1.0 / participants_housed as double precision) as mean_observed_days,
    cast(100.0 * persons_with_ambulance_call / nullif(participants, 0) as double precision) as ambulance_call_pct,
    cast(100.0 * persons_with_hospital_stay / nullif(participants, 0) as double precision) as hospital_stay_pct,
    inpatient_days * 1.0 / nullif(participants, 0) as mean_inpatient_days,
    ambulance_calls * 1.0 / nullif(participants, 0) as mean_ambulance_calls,
    police_contacts * 1.0 / nullif(participants, 0) as mean_police_contacts,
    crisis_cost_eur / nullif(participants, 0) as mean_crisis_cost_eur,
    -- rates per 365 observed days (per person-year observed), over every participant housed
    cast(365.0 * ambulance_calls_observed / nullif(observed_days, 0) as double precision)
        as ambulance_calls_per_365_days,
    cast(365.0 * inpatient_days_observed / nullif(observed_days, 0) as double precision) as inpatient_days_per_365_days,
    cast(365.0 * police_contacts_observed / nullif(observed_days, 0) as double precision)
        as police_contacts_per_365_days,
    cast(365.0 * prison_days_observed / nullif(observed_days, 0) as double precision) as prison_days_per_365_days,
    cast(365.0 * crisis_cost_eur_observed / nullif(observed_days, 0) as double precision)
        as crisis_cost_eur_per_365_days
from summarised
