{#- Crisis-service use before and after move-in as the pilot reports it: shares of participants with any
    use, means per participant and totals, per programme and municipality (and all), from mart_hf_crisis_use. -#}

with per_person as (
    select * from {{ ref('mart_hf_crisis_use') }}
),

summarised as (
    select
        programme_id,
        case when grouping(municipality_atvk) = 1 then 'all' else municipality_name end as municipality,
        case when grouping(municipality_atvk) = 1 then null else municipality_atvk end as municipality_atvk,
        crisis_window,
        count(*) as participants,
        count(*) filter (where died_in_window) as died_in_window,
        count(*) filter (where ambulance_calls > 0) as persons_with_ambulance_call,
        sum(ambulance_calls) as ambulance_calls,
        count(*) filter (where inpatient_days > 0) as persons_with_hospital_stay,
        sum(hospital_admissions) as hospital_admissions,
        sum(inpatient_days) as inpatient_days,
        count(*) filter (where police_contacts > 0) as persons_with_police_contact,
        sum(police_contacts) as police_contacts,
        count(*) filter (where prison_admissions > 0) as persons_admitted_to_prison,
        sum(prison_days) as prison_days,
        sum(crisis_cost_eur) as crisis_cost_eur
    from per_person
    group by grouping sets (
        (programme_id, municipality_atvk, municipality_name, crisis_window),
        (programme_id, crisis_window)
    )
)

select
    *,
    100.0 * persons_with_ambulance_call / participants as ambulance_call_pct,
    100.0 * persons_with_hospital_stay / participants as hospital_stay_pct,
    inpatient_days * 1.0 / participants as mean_inpatient_days,
    ambulance_calls * 1.0 / participants as mean_ambulance_calls,
    police_contacts * 1.0 / participants as mean_police_contacts,
    crisis_cost_eur / participants as mean_crisis_cost_eur
from summarised
