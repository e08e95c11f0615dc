with delivered as (
    {{ latest_delivery_rows('ref_providers', ['provider_id']) }}
),

decoded as (
    select
        delivered.provider_id,
        delivered.provider_name,
        delivered.municipality_atvk,
        {{ decoded('service_type') }} as service_type,
        delivered.beds,
        delivered.registered_from,
        {{ lineage_columns() }}
    from delivered
    {{ decode_join('ref_providers', 'service_type') }}
)

select * from decoded
