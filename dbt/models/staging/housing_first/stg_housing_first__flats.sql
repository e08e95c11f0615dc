-- One row per tenancy of a client in a flat; a couple has two tenancies on one flat.
with delivered as (
    {{ latest_delivery_rows('hf_flats', ['tenancy_id']) }}
),

decoded as (
    select
        delivered.tenancy_id,
        delivered.flat_id,
        delivered.client_id,
        delivered.municipality_atvk,
        {{ decoded('tenure') }} as tenure,
        delivered.tenancy_start,
        delivered.tenancy_end,
        -- a delivered tenancy end that was invalid and set to unknown (a field issue): ended on a day not known,
        -- not running (no measure reads the tenancy end; doc end_date_unknown)
        {{ field_set_to_unknown('tenancy_end') }} as tenancy_end_unknown,
        cast(delivered.monthly_rent_eur as double precision) as monthly_rent_eur,
        cast(delivered.monthly_utilities_eur as double precision) as monthly_utilities_eur,
        {{ lineage_columns() }}
    from delivered
    {{ decode_join('hf_flats', 'tenure') }}
)

select * from decoded
