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

{#- The crisis services' events: (event_type, staging model, event date, end date, end date set to
    unknown), the end columns none for a one-day event (a call, a contact). -#}
{% set crisis_services = [
    ('ambulance', 'stg_nmpd__ambulance_calls', 'call_date', none, none),
    ('hospital', 'stg_nvd__hospital_stays', 'admission_date', 'discharge_date', 'discharge_date_unknown'),
    ('police', 'stg_police__contacts', 'contact_date', none, none),
    ('prison', 'stg_prisons__spells', 'admission_date', 'release_date', 'release_date_unknown'),
] %}

with ever_homeless as (
    select person_id, min(start_date) as first_homeless_date
    from {{ ref('int_person_homeless_spells') }}
    group by person_id
),

events as (
    {% for event_type, model, date_column, end_date_column, end_date_unknown_column in crisis_services %}
        {{ 'union all' if not loop.first }}
        select
            person_id,
            '{{ event_type }}' as event_type,
            {{ date_column }} as event_date,
            {{ end_date_column or 'cast(null as date)' }} as event_end_date,
            {{ 'coalesce(' ~ end_date_unknown_column ~ ', false)' if end_date_unknown_column else 'false' }}
                as event_end_date_unknown
        from {{ ref(model) }}
        where is_linkable and {{ date_column }} is not null
    {% endfor %}
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
