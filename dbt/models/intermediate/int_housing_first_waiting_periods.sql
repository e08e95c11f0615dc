-- Housing First participants between referral and move-in are still homeless (ETHOS Light 3, "awaiting
-- a flat"); after move-in they are housed. The Housing First staging models are owned elsewhere and
-- may not exist in every checkout, so this model reads the two raw tables it needs with the same
-- latest-delivery and decoding rules as staging.
with enrolments as (
    {{ latest_delivery_rows('hf_enrolments', ['enrolment_id']) }}
),

clients as (
    {{ latest_delivery_rows('hf_clients', ['client_id']) }}
),

enrolments_decoded as (
    select
        delivered.enrolment_id,
        delivered.client_id,
        delivered.programme_id,
        delivered.municipality_atvk,
        delivered.referral_date,
        delivered.move_in_date,
        delivered.exit_date,
        {{ decoded('exit_reason') }} as exit_reason,
        delivered._load_id as load_id,
        delivered._file_name as file_name,
        delivered._source_row_number as source_row_number
    from enrolments as delivered
    {{ decode_join('hf_enrolments', 'exit_reason') }}
),

clients_decoded as (
    select
        delivered.client_id,
        delivered.person_id,
        delivered.birth_year_from_code,
        {{ decoded('sex') }} as sex,
        delivered.birth_year
    from clients as delivered
    {{ decode_join('hf_clients', 'sex') }}
)

select
    enrolments_decoded.enrolment_id,
    enrolments_decoded.client_id,
    clients_decoded.person_id,
    clients_decoded.sex,
    coalesce(clients_decoded.birth_year_from_code, clients_decoded.birth_year) as birth_year,
    enrolments_decoded.programme_id,
    enrolments_decoded.municipality_atvk,
    enrolments_decoded.referral_date,
    enrolments_decoded.move_in_date,
    enrolments_decoded.exit_date,
    enrolments_decoded.exit_reason,
    enrolments_decoded.load_id,
    enrolments_decoded.file_name,
    enrolments_decoded.source_row_number
from enrolments_decoded
inner join clients_decoded
    on clients_decoded.client_id = enrolments_decoded.client_id
