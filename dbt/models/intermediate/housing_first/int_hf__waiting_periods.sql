-- Housing First participants between referral and move-in are still homeless (ETHOS Light 3, "awaiting
-- a flat"); after move-in they are housed. One row per enrolment with the client's pseudonym.
with enrolments as (
    select * from {{ ref('stg_housing_first__enrolments') }}
),

clients as (
    select * from {{ ref('stg_housing_first__clients') }}
)

select
    enrolments.enrolment_id,
    enrolments.client_id,
    clients.person_id,
    clients.sex,
    coalesce(clients.birth_year_from_code, clients.birth_year) as birth_year,
    enrolments.programme_id,
    enrolments.municipality_atvk,
    enrolments.referral_date,
    enrolments.move_in_date,
    enrolments.exit_date,
    enrolments.exit_reason,
    enrolments.load_id,
    enrolments.file_name,
    enrolments.source_row_number
from enrolments
inner join clients
    on clients.client_id = enrolments.client_id
