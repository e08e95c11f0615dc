-- One row per Housing First client: who they were at entry. The personal code arrives as a pseudonym.
with delivered as (
    {{ latest_delivery_rows('hf_clients', ['client_id']) }}
),

decoded as (
    select
        delivered.client_id,
        {{ person_columns() }},
        delivered.programme_id,
        delivered.municipality_atvk,
        {{ decoded('sex') }} as sex,
        delivered.birth_year,
        {{ decoded('ethnicity') }} as ethnicity,
        cast(delivered.years_homeless as double precision) as years_homeless,
        {{ decoded('last_residence') }} as last_residence,
        delivered.has_addiction,
        delivered.has_mental_illness,
        {{ lineage_columns() }}
    from delivered
    {{ decode_join('hf_clients', 'sex') }}
    {{ decode_join('hf_clients', 'ethnicity') }}
    {{ decode_join('hf_clients', 'last_residence') }}
)

select * from decoded
