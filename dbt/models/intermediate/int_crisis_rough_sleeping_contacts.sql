-- Crisis-service contacts with a person recorded as having no home: ambulance calls with no known
-- address (NMPD "Adrese nav zināma") and police contacts with no fixed abode ("Bez noteiktas
-- dzīvesvietas"). One row per contact. All of them are list entries for the multiple-systems
-- estimate; those on a night the person spent in a hospital ward or a prison (admission on or before
-- the night, discharge or release after it) are flagged, and are no living-rough night
-- (docs: rough_sleeping_from_crisis_services).
with ambulance as (
    {{ linked_person_rows('stg_nmpd__ambulance_calls', also='no_fixed_address') }}
),

police as (
    {{ linked_person_rows('stg_police__contacts', also='no_fixed_abode') }}
),

contacts as (
    select
        person_id, 'ambulance_no_address' as record_type, call_id as source_record_id,
        call_date as contact_date, municipality_atvk, load_id, file_name, source_row_number
    from ambulance
    union all
    select
        person_id, 'police_no_fixed_abode', police_contact_id,
        contact_date, municipality_atvk, load_id, file_name, source_row_number
    from police
),

-- nights in a ward or a cell, only for the persons these contacts are about
institution_nights as (
    select
        hospital_stays.person_id, hospital_stays.admission_date as first_night,
        -- open: null (still inside); an end date set to unknown: the first night only (doc end_date_unknown)
        {{ counted_end_date('hospital_stays.discharge_date', 'hospital_stays.admission_date',
            'hospital_stays.discharge_date_unknown') }} as morning_after
    from {{ ref('stg_nvd__hospital_stays') }} as hospital_stays
    where hospital_stays.person_id in (select person_id from contacts)
    union all
    select
        prison_spells.person_id, prison_spells.admission_date,
        {{ counted_end_date('prison_spells.release_date', 'prison_spells.admission_date',
            'prison_spells.release_date_unknown') }}
    from {{ ref('stg_prisons__spells') }} as prison_spells
    where prison_spells.person_id in (select person_id from contacts)
),

flagged as (
    select
        contacts.*,
        exists(
            select 1 from institution_nights
            where institution_nights.person_id = contacts.person_id
                and institution_nights.first_night <= contacts.contact_date
                and (
                    institution_nights.morning_after is null or institution_nights.morning_after > contacts.contact_date
                )
        ) as night_in_institution
    from contacts
)

select
    md5(record_type || '|' || source_record_id) as contact_key,
    person_id,
    person_id like 'P%' as is_linkable,
    record_type,
    source_record_id,
    contact_date,
    cast(extract(year from contact_date) as integer) as contact_year,
    municipality_atvk,
    night_in_institution,
    load_id,
    file_name,
    source_row_number
from flagged
