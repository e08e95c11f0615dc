with delivered as (
    {{ latest_delivery_rows('shelter_counts', ['municipality_atvk', 'year', 'service_type', 'sex', 'age_group']) }}
),

decoded as (
    select
        delivered.municipality_atvk,
        delivered.year,
        {{ decoded('service_type') }} as service_type,
        {{ decoded('sex') }} as sex,
        {{ decoded('age_group') }} as age_group,
        delivered.persons_served,
        delivered.bed_nights,
        delivered.beds,
        {{ lineage_columns() }}
    from delivered
    {{ decode_join('shelter_counts', 'service_type') }}
    {{ decode_join('shelter_counts', 'sex') }}
    {{ decode_join('shelter_counts', 'age_group') }}
)

select * from decoded
