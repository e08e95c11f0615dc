-- One row per programme, municipality, month and cost type: EUR spent and client-days housed.
with delivered as (
    {{ latest_delivery_rows('hf_costs', ['programme_id', 'municipality_atvk', 'month_start', 'cost_type']) }}
),

decoded as (
    select
        concat_ws(
            '|', delivered.programme_id, delivered.municipality_atvk,
            {{ format_date('delivered.month_start', '%Y-%m-%d') }}, {{ decoded('cost_type') }}
        ) as cost_key,
        delivered.programme_id,
        delivered.municipality_atvk,
        delivered.month_start,
        {{ decoded('cost_type') }} as cost_type,
        cast(delivered.amount_eur as double precision) as amount_eur,
        delivered.client_days,
        {{ lineage_columns() }}
    from delivered
    {{ decode_join('hf_costs', 'cost_type') }}
)

select * from decoded
