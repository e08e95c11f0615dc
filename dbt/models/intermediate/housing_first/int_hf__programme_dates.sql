{#- One row per Housing First programme: the date its outcomes are measured at, and how far its records
    reach. observed_until is the latest dated record the provider delivered (referral, move-in, exit,
    survey or support contact): the end of the programme's delivered observation window, which follow-up
    horizons (6, 12, 24 months after move-in) are measured to. evaluation_date: var hf_evaluation_date if
    set, else the programme's published evaluation date (var hf_published_evaluation_dates: the pilot's
    31 August 2023) when its records reach it, else observed_until. Doc hf_evaluation_and_follow_up. -#}
{%- set evaluation_date = var('hf_evaluation_date', none) -%}
{%- set published = var('hf_published_evaluation_dates', {}) or {} -%}

with participants as (
    select * from {{ ref('int_hf__participants') }}
),

record_dates as (
    select programme_id, referral_date as record_date from participants
    union all
    select programme_id, move_in_date from participants
    union all
    select programme_id, exit_date from participants
    union all
    select participants.programme_id, surveys.survey_date
    from {{ ref('stg_housing_first__surveys') }} as surveys
    inner join participants on participants.client_id = surveys.client_id
    union all
    select participants.programme_id, contacts.contact_date
    from {{ ref('stg_housing_first__support_contacts') }} as contacts
    inner join participants on participants.client_id = contacts.client_id
),

latest as (
    select programme_id, max(record_date) as latest_record_date
    from record_dates
    group by programme_id
),

with_published as (
    select
        latest.*,
        {% if published -%}
            case
                {%- for programme, day in published.items() %}
                    when programme_id = '{{ programme }}' then date '{{ day }}'
                {%- endfor %}
            end
        {%- else -%}
            cast(null as date)
        {%- endif %} as published_evaluation_date
    from latest
)

select
    programme_id,
    latest_record_date,
    {% if evaluation_date -%}
        date '{{ evaluation_date }}' as evaluation_date,
        true as evaluation_date_from_var,
        false as evaluation_date_published,
        date '{{ evaluation_date }}' as observed_until
    {%- else -%}
        case when published_evaluation_date <= latest_record_date then published_evaluation_date
            else latest_record_date
        end as evaluation_date,
        false as evaluation_date_from_var,
        coalesce(published_evaluation_date <= latest_record_date, false) as evaluation_date_published,
        latest_record_date as observed_until
    {%- endif %}
from with_published
