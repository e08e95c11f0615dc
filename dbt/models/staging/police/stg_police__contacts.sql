{{ incremental_by_load('police_contact_id') }}
with delivered as (
    {{ latest_delivery_rows('police_contacts', ['police_contact_id']) }}
),

decoded as (
    select
        delivered.police_contact_id,
        {{ person_columns() }},
        delivered.contact_date,
        delivered.municipality_atvk,
        {{ decoded('contact_type') }} as contact_type,
        delivered.no_fixed_abode,
        {{ lineage_columns() }}
    from delivered
    {{ decode_join('police_contacts', 'contact_type') }}
)

select * from decoded
