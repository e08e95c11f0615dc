with delivered as (
    {{ latest_delivery_rows('ref_unit_costs', ['year', 'cost_item']) }}
),

decoded as (
    select
        delivered.year,
        {{ decoded('cost_item') }} as cost_item,
        delivered.eur,
        delivered.source,
        delivered.source like 'estimate%' as is_estimate,
        {{ lineage_columns() }}
    from delivered
    {{ decode_join('ref_unit_costs', 'cost_item') }}
)

select * from decoded
