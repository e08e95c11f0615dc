with delivered as (
    {{ latest_delivery_rows('ref_ethos_light', ['mapping_type', 'code']) }}
),

decoded as (
    select
        {{ decoded('mapping_type') }} as mapping_type,
        delivered.code,
        cast(delivered.ethos_light_category as integer) as ethos_light_category,
        nullif(trim(delivered.ethos_code), '') as ethos_code,
        delivered.label_en,
        {{ lineage_columns() }}
    from delivered
    {{ decode_join('ref_ethos_light', 'mapping_type') }}
)

select * from decoded
