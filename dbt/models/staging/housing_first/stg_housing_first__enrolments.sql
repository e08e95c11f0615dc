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
        {{ decoded('exit_reason') }} as exit_reason,
        {{ lineage_columns() }}
    from delivered
    {{ decode_join('hf_enrolments', 'exit_reason') }}
)

select * from decoded
