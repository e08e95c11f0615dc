-- One row per enrolment: referral, move-in and exit with its reason.
with delivered as (
    {{ latest_delivery_rows('hf_enrolments', ['enrolment_id']) }}
),

decoded as (
    select
        delivered.enrolment_id,
        delivered.client_id,
        delivered.programme_id,
        delivered.municipality_atvk,
        delivered.referral_date,
        delivered.move_in_date,
        delivered.exit_date,
        -- a delivered move-in or exit date that was invalid and set to unknown (a field issue): the person
        -- moved in (or left) on a day not known, never "not yet housed" or "still enrolled" (doc end_date_unknown)
        {{ field_set_to_unknown('move_in_date') }} as move_in_date_unknown,
        {{ field_set_to_unknown('exit_date') }} as exit_date_unknown,
        {{ decoded('exit_reason') }} as exit_reason,
        {{ lineage_columns() }}
    from delivered
    {{ decode_join('hf_enrolments', 'exit_reason') }}
)

select * from decoded
