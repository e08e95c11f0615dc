{{ incremental_by_load('hospital_stay_id') }}
with delivered as (
    {{ latest_delivery_rows('hospital_stays', ['hospital_stay_id']) }}
),

decoded as (
    select
        delivered.hospital_stay_id,
        {{ person_columns() }},
        delivered.hospital_code,
        delivered.municipality_atvk,
        delivered.admission_date,
        delivered.discharge_date,
        -- the delivered discharge date was invalid and set to unknown (a field issue): the stay counts its
        -- admission day only, never as open (doc end_date_unknown)
        {{ field_set_to_unknown('discharge_date') }} as discharge_date_unknown,
        delivered.emergency,
        {{ decoded('diagnosis_chapter') }} as diagnosis_chapter,
        {{ decoded('discharge_destination') }} as discharge_destination,
        -- inpatient days as hospitals bill them: a same-day stay counts one day; open stays have none yet;
        -- a stay whose discharge date is unknown counts its admission day only
        case when delivered.discharge_date is not null
                then greatest(delivered.discharge_date - delivered.admission_date, 1)
            when {{ field_set_to_unknown('discharge_date') }} then 1
        end as inpatient_days,
        {{ lineage_columns() }}
    from delivered
    {{ decode_join('hospital_stays', 'diagnosis_chapter') }}
    {{ decode_join('hospital_stays', 'discharge_destination') }}
)

select
    *,
    -- the day the stay is counted to (exclusive): the discharge date; the day after the admission when the
    -- discharge date was set to unknown (the admission day only); null while open (macro counted_end_date)
    {{ counted_end_date('discharge_date', 'admission_date', 'discharge_date_unknown') }} as counted_discharge_date
from decoded
