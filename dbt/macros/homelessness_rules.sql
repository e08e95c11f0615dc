{#- Rules that decide which nights are homeless nights; each is written once here and documented in
    models/intermediate/_intermediate__docs.md. -#}

{#- Which record a person-night is kept from when several cover it: a shelter stay, then a Housing
    First wait, an institution release, a reported prior situation, and last a crisis-service contact
    (so a no-address ambulance call or a no-fixed-abode police contact on a night spent in a service is
    no living-rough night: docs rough_sleeping_from_crisis_services). Lower is kept. -#}
{% macro service_night_priority(record_type) -%}
    case {{ record_type }}
        when 'shelter_stay' then 1
        when 'housing_first_waiting' then 2
        when 'hospital_discharge' then 3
        when 'prison_release' then 4
        when 'prior_situation' then 5
        when 'ambulance_no_address' then 6
        when 'police_no_fixed_abode' then 7
        else 8
    end
{%- endmacro %}

{#- The order in which the records covering one person-night are ranked (the first is kept): the record
    type's priority (service_night_priority), then the latest start, then the lower ETHOS Light category,
    then the source record id - a total order, so a night always keeps the same record. `rows`: the alias
    of the record nights (none: unqualified columns). -#}
{% macro service_night_order(rows=none) -%}
    {%- set p = rows ~ '.' if rows else '' -%}
    {{ service_night_priority(p ~ 'record_type') }},
    {{ p }}start_date desc,
    {{ p }}ethos_light_category asc,
    {{ p }}source_record_id asc
{%- endmacro %}

{#- True when the night falls inside the Housing First tenancy (int_hf__tenancies alias):
    from the move-in night to the night before the exit (docs housing_first_tenancy_rule). -#}
{% macro night_in_housing_first_tenancy(tenancy, night) -%}
    ({{ night }} >= {{ tenancy }}.first_night and ({{ tenancy }}.last_night is null or {{ night }} <= {{ tenancy }}.last_night))
{%- endmacro %}

{#- The day a stay or spell is counted to (exclusive), for durations: its end date; when the delivered end
    date was invalid and set to unknown, the day after its start (the record counts its first day or night
    only, never as open); null while the record is open (no end date delivered). Doc end_date_unknown. -#}
{% macro counted_end_date(end_date, start_date, end_date_unknown) -%}
    coalesce({{ end_date }}, case when {{ end_date_unknown }} then {{ start_date }} + 1 end)
{%- endmacro %}

{#- The day a Housing First wait for a flat is counted to (exclusive; int_hf__waiting_periods alias): the
    move-in, else an exit before moving in; when that date was delivered broken (set to unknown), the day
    after the referral (counted_end_date: its first night only); null while the client still waits.
    Doc end_date_unknown. -#}
{% macro hf_counted_wait_end(waiting) -%}
    coalesce(
        {{ counted_end_date(waiting ~ '.move_in_date', waiting ~ '.referral_date', waiting ~ '.move_in_date_unknown') }},
        {{ counted_end_date(waiting ~ '.exit_date', waiting ~ '.referral_date', waiting ~ '.exit_date_unknown') }}
    )
{%- endmacro %}

{#- A Housing First enrolment's dates as every model downstream of staging carries them: referral, move-in,
    exit and its reason, and the two flags that a delivered date was broken and set to unknown (false
    when not set, also on a client with no enrolment: doc end_date_unknown). -#}
{% macro hf_enrolment_dates(enrolments) -%}
    {{ enrolments }}.referral_date,
    {{ enrolments }}.move_in_date,
    {{ enrolments }}.exit_date,
    {{ enrolments }}.exit_reason,
    coalesce({{ enrolments }}.move_in_date_unknown, false) as move_in_date_unknown,
    coalesce({{ enrolments }}.exit_date_unknown, false) as exit_date_unknown
{%- endmacro %}

{#- The records of a model that belong to a linked person: person_id (the pseudonym) is known. A record
    whose person could not be linked counts toward no person (mart_data_quality counts them); `also`,
    when given, is a further condition on the same rows. The body of an import CTE. -#}
{% macro linked_person_rows(model_name, also=none) -%}
    select * from {{ ref(model_name) }}
    where person_id is not null{% if also %} and {{ also }}{% endif %}
{%- endmacro %}
