{#- One row per Housing First programme: the date its outcomes are measured at. By default the latest
    dated record the provider delivered (referral, move-in, exit, survey or support contact), so every
    programme and year is evaluated on its own data; var hf_evaluation_date fixes it for a report. -#}
{%- set evaluation_date = var('hf_evaluation_date', none) -%}

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
)

select
    programme_id,
    max(record_date) as latest_record_date,
    {% if evaluation_date -%}
    date '{{ evaluation_date }}' as evaluation_date,
    true as evaluation_date_from_var
    {%- else -%}
        max(record_date) as evaluation_date,
        false as evaluation_date_from_var
    {%- endif %}
from record_dates
group by programme_id
