{#- Person-level crisis-service events of persons who were ever homeless, for research extracts only
    (restricted tier: meta tier restricted keeps it out of the analyst and public tiers; on PostgreSQL only
    the restricted role may select it). Minimised to what cohort questions such as "crisis use before
    first homelessness" need: the person's pseudonym, the kind of service, the event's date (and end
    date for stays), and the date of the person's first recorded homelessness. No municipality, hospital,
    institution, diagnosis, urgency, outcome, contact type or destination; no crisis events of persons
    never seen homeless; no events whose personal code did not validate (they cannot be linked). -#}
{{ config(
    meta={'tier': 'restricted'},
    grants={'select': [env_var('HM_PG_RESTRICTED_ROLE', 'hm_restricted')]}
) }}

with ever_homeless as (
    select person_id, min(start_date) as first_homeless_date
    from {{ ref('int_person_homeless_spells') }}
    group by person_id
),

events as (
    select
        person_id, 'ambulance' as event_type, call_date as event_date, cast(null as date) as event_end_date,
        false as event_end_date_unknown
    from {{ ref('stg_nmpd__ambulance_calls') }}
    where is_linkable and call_date is not null
    union all
    select person_id, 'hospital', admission_date, discharge_date, coalesce(discharge_date_unknown, false)
    from {{ ref('stg_nvd__hospital_stays') }}
    where is_linkable and admission_date is not null
    union all
    select person_id, 'police', contact_date, cast(null as date), false
    from {{ ref('stg_police__contacts') }}
    where is_linkable and contact_date is not null
    union all
    select person_id, 'prison', admission_date, release_date, coalesce(release_date_unknown, false)
    from {{ ref('stg_prisons__spells') }}
    where is_linkable and admission_date is not null
)

select
    events.person_id,
    events.event_type,
    events.event_date,
    events.event_end_date,
    -- the end date was delivered broken and set to unknown: a null event_end_date is then no open stay
    events.event_end_date_unknown,
    ever_homeless.first_homeless_date,
    ever_homeless.first_homeless_date - events.event_date as days_before_first_homelessness
from events
inner join ever_homeless on ever_homeless.person_id = events.person_id
