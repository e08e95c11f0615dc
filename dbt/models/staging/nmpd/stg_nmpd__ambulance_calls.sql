{{ incremental_by_load('call_id') }}
with delivered as (
    {{ latest_delivery_rows('ambulance_calls', ['call_id']) }}
),

decoded as (
    select
        delivered.call_id,
        {{ person_columns() }},
        delivered.call_date,
        delivered.municipality_atvk,
        {{ decoded('urgency') }} as urgency,
        {{ decoded('outcome') }} as outcome,
        delivered.no_fixed_address,
        {{ lineage_columns() }}
    from delivered
    {{ decode_join('ambulance_calls', 'urgency') }}
    {{ decode_join('ambulance_calls', 'outcome') }}
)

select * from decoded
