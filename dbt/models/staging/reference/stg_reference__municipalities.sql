with delivered as (
    {{ latest_delivery_rows('ref_municipalities', ['atvk_code']) }}
),

decoded as (
    select
        delivered.atvk_code,
        delivered.name,
        {{ decoded('kind') }} as kind,
        delivered.nuts3_code,
        delivered.nuts3_name,
        delivered.atvk_status,
        delivered.nuts3_source,
        {{ lineage_columns() }}
    from delivered
    {{ decode_join('ref_municipalities', 'kind') }}
)

select * from decoded
