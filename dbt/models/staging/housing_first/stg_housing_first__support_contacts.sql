-- One row per support contact between a worker and a client.
with delivered as (
    {{ latest_delivery_rows('hf_support_contacts', ['contact_id']) }}
),

decoded as (
    select
        delivered.contact_id,
        delivered.client_id,
        delivered.contact_date,
        {{ decoded('worker_role') }} as worker_role,
        delivered.minutes,
        {{ decoded('domain') }} as domain,
        {{ lineage_columns() }}
    from delivered
    {{ decode_join('hf_support_contacts', 'worker_role') }}
    {{ decode_join('hf_support_contacts', 'domain') }}
)

select * from decoded
