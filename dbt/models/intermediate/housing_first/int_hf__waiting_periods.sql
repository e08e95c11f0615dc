-- Housing First participants between referral and move-in are still homeless (ETHOS Light 3, "awaiting
-- a flat"); after move-in they are housed. One row per enrolment with the client's pseudonym.
-- A move-in or exit date delivered broken is unknown (doc end_date_unknown): the flags say so, and
-- exit_censored_on is how far the records show a housed client with an unknown exit date in the programme.
with enrolments as (
    select * from {{ ref('stg_housing_first__enrolments') }}
),

clients as (
    select * from {{ ref('stg_housing_first__clients') }}
),

-- each client's latest support contact or survey: the last day the provider's records show them
client_records as (
    select client_id, max(record_date) as last_record_date
    from (
        select client_id, contact_date as record_date from {{ ref('stg_housing_first__support_contacts') }}
        union all
        select client_id, survey_date from {{ ref('stg_housing_first__surveys') }}
    ) as records
    group by client_id
)

select
    enrolments.enrolment_id,
    enrolments.client_id,
    clients.person_id,
    clients.sex,
    coalesce(clients.birth_year_from_code, clients.birth_year) as birth_year,
    enrolments.programme_id,
    enrolments.municipality_atvk,
    {{ hf_enrolment_dates('enrolments') }},
    -- a housed client whose exit date is unknown left on a day not known: the follow-up is censored at the
    -- last known record (the move-in, or a later support contact or survey), never carried beyond it
    case when enrolments.exit_date_unknown and enrolments.move_in_date is not null
            then greatest(enrolments.move_in_date, coalesce(client_records.last_record_date, enrolments.move_in_date))
    end as exit_censored_on,
    enrolments.load_id,
    enrolments.file_name,
    enrolments.source_row_number
from enrolments
inner join clients
    on clients.client_id = enrolments.client_id
left join client_records
    on client_records.client_id = enrolments.client_id
