-- The municipality of each homelessness record whose source reports none (docs:
-- municipality_attribution_rule): a prison release with no housing (prisons report no municipality)
-- and a hospital discharge with no fixed abode and no municipality. In this order:
-- (1) last_known: the person's latest municipality from any source (a shelter stay, a Housing First
--     enrolment, a hospital stay, an ambulance call, a police contact) dated on or before the night;
-- (2) institution: the municipality of the delivering institution (a prison's seat, seed
--     prison_institutions; a hospital's most frequent municipality among its stays that report one);
-- (3) next_known: the person's earliest municipality from any source after the night;
-- (4) none of them: no row (the record stays 'UNKNOWN').
-- So every person-year counted by the marts has a municipality, and the national total of a
-- breakdown mart is the sum of its NUTS3 regions.
with prison_seats as (
    select * from {{ ref('prison_institutions') }}
),

hospital_stays as (
    select * from {{ ref('stg_nvd__hospital_stays') }}
),

-- a hospital's municipality: the one most of its stays report (ties: the lowest ATVK code)
hospital_seats as (
    select hospital_code, municipality_atvk
    from (
        select
            hospital_code,
            municipality_atvk,
            row_number() over (partition by hospital_code order by count(*) desc, municipality_atvk) as rank_in_hospital
        from hospital_stays
        where municipality_atvk is not null and hospital_code is not null
        group by hospital_code, municipality_atvk
    ) as counted
    where rank_in_hospital = 1
),

-- the records int_person_episodes builds without a municipality (same conditions as there)
unplaced as (
    select
        'prison_release' as record_type,
        spells.prison_spell_id as source_record_id,
        spells.person_id,
        spells.release_date as night,
        prison_seats.municipality_atvk as institution_municipality_atvk
    from {{ ref('stg_prisons__spells') }} as spells
    left join prison_seats
        on prison_seats.institution = spells.institution
    where spells.person_id is not null
        and spells.release_housing = 'no_housing'
        and spells.release_date is not null
    union all
    select
        'hospital_discharge',
        hospital_stays.hospital_stay_id,
        hospital_stays.person_id,
        hospital_stays.discharge_date,
        hospital_seats.municipality_atvk
    from hospital_stays
    left join hospital_seats
        on hospital_seats.hospital_code = hospital_stays.hospital_code
    where hospital_stays.person_id is not null
        and hospital_stays.municipality_atvk is null
        and hospital_stays.discharge_destination = 'no_fixed_abode'
        and hospital_stays.discharge_date is not null
),

unplaced_persons as (
    select distinct person_id from unplaced
),

-- every dated municipality of those persons, from any source
known_places as (
    select person_id, check_in_date as known_date, municipality_atvk
    from {{ ref('stg_shelters__stays') }}
    union all
    select person_id, referral_date, municipality_atvk
    from {{ ref('int_hf__waiting_periods') }}
    union all
    select person_id, admission_date, municipality_atvk
    from hospital_stays
    union all
    select person_id, call_date, municipality_atvk
    from {{ ref('stg_nmpd__ambulance_calls') }}
    union all
    select person_id, contact_date, municipality_atvk
    from {{ ref('stg_police__contacts') }}
),

-- per record: the nearest known municipality on or before its night, and the nearest after it
nearest as (
    select
        unplaced.record_type,
        unplaced.source_record_id,
        known_places.municipality_atvk,
        known_places.known_date <= unplaced.night as is_before,
        row_number() over (
            partition by unplaced.record_type, unplaced.source_record_id, known_places.known_date <= unplaced.night
            order by abs(unplaced.night - known_places.known_date), known_places.municipality_atvk
        ) as nearness
    from unplaced
    inner join known_places
        on known_places.person_id = unplaced.person_id
    where known_places.municipality_atvk is not null
        and known_places.known_date is not null
        and known_places.person_id in (select unplaced_persons.person_id from unplaced_persons)
)

select
    unplaced.record_type,
    unplaced.source_record_id,
    unplaced.person_id,
    coalesce(
        last_known.municipality_atvk, unplaced.institution_municipality_atvk, next_known.municipality_atvk
    ) as municipality_atvk,
    case
        when last_known.municipality_atvk is not null then 'last_known'
        when unplaced.institution_municipality_atvk is not null then 'institution'
        else 'next_known'
    end as municipality_rule
from unplaced
left join nearest as last_known
    on last_known.record_type = unplaced.record_type
        and last_known.source_record_id = unplaced.source_record_id
        and last_known.is_before
        and last_known.nearness = 1
left join nearest as next_known
    on next_known.record_type = unplaced.record_type
        and next_known.source_record_id = unplaced.source_record_id
        and not next_known.is_before
        and next_known.nearness = 1
where
    coalesce(last_known.municipality_atvk, unplaced.institution_municipality_atvk, next_known.municipality_atvk)
    is not null
