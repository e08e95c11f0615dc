{{ incremental_by_load('prison_spell_id') }}
with delivered as (
    {{ latest_delivery_rows('prison_spells', ['prison_spell_id']) }}
),

decoded as (
    select
        delivered.prison_spell_id,
        {{ person_columns() }},
        delivered.institution,
        delivered.admission_date,
        delivered.release_date,
        -- the delivered release date was invalid and set to unknown (a field issue): the spell counts its
        -- admission day only, never as open (doc end_date_unknown)
        {{ field_set_to_unknown('release_date') }} as release_date_unknown,
        {{ decoded('release_housing') }} as release_housing,
        case when delivered.release_date is not null
                then delivered.release_date - delivered.admission_date
            when {{ field_set_to_unknown('release_date') }} then 1
        end as prison_days,
        {{ lineage_columns() }}
    from delivered
    {{ decode_join('prison_spells', 'release_housing') }}
)

select
    *,
    -- the day the spell is counted to (exclusive): the release date; the day after the admission when the
    -- release date was set to unknown (the admission day only); null while open (macro counted_end_date)
    {{ counted_end_date('release_date', 'admission_date', 'release_date_unknown') }} as counted_release_date
from decoded
