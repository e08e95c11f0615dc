-- One row per fidelity rating of a programme (or site) in one Pathways domain, scale 1-4.
with delivered as (
    {{ latest_delivery_rows('hf_fidelity', ['rating_id']) }}
),

decoded as (
    select
        delivered.rating_id,
        delivered.programme_id,
        delivered.municipality_atvk,
        delivered.rating_date,
        {{ decoded('domain') }} as domain,
        cast(delivered.score as double precision) as score,
        {{ lineage_columns() }}
    from delivered
    {{ decode_join('hf_fidelity', 'domain') }}
)

select * from decoded
