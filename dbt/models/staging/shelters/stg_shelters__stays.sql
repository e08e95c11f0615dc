{{ incremental_by_load('stay_id') }}
with delivered as (
    {{ latest_delivery_rows('shelter_stays', ['stay_id']) }}
),

decoded as (
    select
        delivered.stay_id,
        {{ person_columns() }},
        {{ decoded('sex') }} as sex,
        delivered.birth_year,
        delivered.provider_id,
        delivered.municipality_atvk,
        {{ decoded('service_type') }} as service_type,
        delivered.check_in_date,
        delivered.check_out_date,
        -- the delivered check-out date was invalid and set to unknown (a field issue): the stay counts its
        -- first night only, never as open (doc end_date_unknown)
        {{ field_set_to_unknown('check_out_date') }} as check_out_date_unknown,
        {{ decoded('prior_situation') }} as prior_situation,
        {{ decoded('exit_destination') }} as exit_destination,
        {{ lineage_columns() }}
    from delivered
    {{ decode_join('shelter_stays', 'sex') }}
    {{ decode_join('shelter_stays', 'service_type') }}
    {{ decode_join('shelter_stays', 'prior_situation') }}
    {{ decode_join('shelter_stays', 'exit_destination') }}
)

select * from decoded
