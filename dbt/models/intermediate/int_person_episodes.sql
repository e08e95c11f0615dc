-- One row per person per source record of homelessness: a shelter stay, the night before a shelter
-- entry spent in a homeless situation, a Housing First wait for a flat, a release from prison or a
-- hospital discharge with no housing, and the night of an ambulance call with no known address or a
-- police contact with no fixed abode (living rough, ETHOS Light 1; docs: rough_sleeping_from_crisis_services).
-- Dates are nights: start_date is the first night, end_date the
-- last night (a stay checked out on day D ends the night of D-1). Open records run to the data's
-- as-of date; a stay whose check-out date was delivered broken (set to unknown) counts its first
-- night only (end_date_unknown; doc end_date_unknown). Overlaps between records are kept here (and
-- flagged); fct_service_days merges them.
with ethos as (
    select * from {{ ref('stg_reference__ethos_light') }}
),

shelter_stays as (
    {{ linked_person_rows('stg_shelters__stays') }}
),

hf_waiting as (
    {{ linked_person_rows('int_hf__waiting_periods') }}
),

prison_spells as (
    {{ linked_person_rows('stg_prisons__spells') }}
),

-- only the discharges this model uses: the table covers the whole population
hospital_stays as (
    {{ linked_person_rows('stg_nvd__hospital_stays', also="discharge_destination = 'no_fixed_abode'") }}
),

contacts as (
    select * from {{ ref('int_crisis_rough_sleeping_contacts') }}
),

-- The as-of date that open records run to: a fixed var for reproducible releases, else the latest
-- date any shelter or Housing First record carries.
as_of as (
    select coalesce(
        {{ "cast('" ~ var('as_of_date') ~ "' as date)" if var('as_of_date', none) else "null" }},
        (select max(greatest(check_in_date, coalesce(check_out_date, check_in_date))) from shelter_stays),
        (
            select
                max(greatest(referral_date, coalesce(move_in_date, referral_date), coalesce(exit_date, referral_date)))
            from hf_waiting
        )
    ) as as_of_date
),

shelter_stay_records as (
    select
        shelter_stays.person_id,
        'shelter_stay' as record_type,
        shelter_stays.stay_id as source_record_id,
        shelter_stays.service_type as situation,
        ethos.ethos_light_category,
        ethos.ethos_code,
        shelter_stays.municipality_atvk,
        shelter_stays.provider_id,
        shelter_stays.check_in_date as start_date,
        -- open (no check-out delivered) runs to the as-of date; a check-out date set to unknown counts
        -- the first night only (doc end_date_unknown)
        greatest(
            coalesce(
                {{ counted_end_date('shelter_stays.check_out_date', 'shelter_stays.check_in_date',
                    'shelter_stays.check_out_date_unknown') }},
                as_of.as_of_date + 1
            ) - 1,
            shelter_stays.check_in_date
        ) as end_date,
        {{ counted_end_date('shelter_stays.check_out_date', 'shelter_stays.check_in_date',
            'shelter_stays.check_out_date_unknown') }} is null as is_open,
        coalesce(shelter_stays.check_out_date_unknown, false) as end_date_unknown,
        shelter_stays.exit_destination,
        shelter_stays.load_id,
        shelter_stays.file_name,
        shelter_stays.source_row_number
    from shelter_stays
    cross join as_of
    inner join ethos
        on ethos.mapping_type = 'service_type'
            and ethos.code = shelter_stays.service_type
),

-- The night before a shelter entry, where the provider recorded a homeless situation: living rough
-- (ETHOS Light 1), an institution with no housing (4), a non-conventional dwelling (5) or friends and
-- family (6). Housed (0), unknown and "another shelter" (its own stay record covers it) are left out.
prior_situation_records as (
    {{ one_night_records(
        'shelter_stays', "'prior_situation'", 'shelter_stays.stay_id', 'shelter_stays.prior_situation',
        'shelter_stays.municipality_atvk', 'shelter_stays.check_in_date - 1',
        "'living_situation'", 'shelter_stays.prior_situation'
    ) }}
    where ethos.ethos_light_category in (1, 4, 5, 6)
),

hf_waiting_records as (
    select
        hf_waiting.person_id,
        'housing_first_waiting' as record_type,
        hf_waiting.enrolment_id as source_record_id,
        'awaiting_flat' as situation,
        ethos.ethos_light_category,
        ethos.ethos_code,
        hf_waiting.municipality_atvk,
        hf_waiting.programme_id as provider_id,
        hf_waiting.referral_date as start_date,
        -- the wait ends at the move-in, else at an exit before moving in; runs to the as-of date while neither
        -- is delivered; a move-in date (or, not housed, an exit date) set to unknown ends it on a day not
        -- known: it counts its first night only (macro counted_end_date, doc end_date_unknown)
        coalesce({{ hf_counted_wait_end('hf_waiting') }}, as_of.as_of_date + 1) - 1 as end_date,
        {{ hf_counted_wait_end('hf_waiting') }} is null as is_open,
        coalesce(
            hf_waiting.move_in_date is null and hf_waiting.exit_date is null
            and (hf_waiting.move_in_date_unknown or hf_waiting.exit_date_unknown),
            false
        ) as end_date_unknown,
        case
            when hf_waiting.move_in_date is not null or hf_waiting.move_in_date_unknown then 'housing_first_move_in'
            when hf_waiting.exit_reason = 'own_housing' then 'own_home'
            when hf_waiting.exit_reason = 'death' then 'died'
            else hf_waiting.exit_reason
        end as exit_destination,
        hf_waiting.load_id,
        hf_waiting.file_name,
        hf_waiting.source_row_number
    from hf_waiting
    cross join as_of
    inner join ethos
        on ethos.mapping_type = 'housing_first_stage'
            and ethos.code = 'awaiting_flat'
    -- moved in on the day of referral: no night spent waiting
    where coalesce({{ hf_counted_wait_end('hf_waiting') }}, as_of.as_of_date + 1) > hf_waiting.referral_date
),

-- The night of a release from prison with no housing to go to (ETHOS Light 4). Prisons report no
-- municipality, so these nights have none.
prison_release_records as (
    {{ one_night_records(
        'prison_spells', "'prison_release'", 'prison_spells.prison_spell_id', "'prison_release_no_housing'",
        'cast(null as varchar)', 'prison_spells.release_date', "'institution_release'", "'prison_release_no_housing'"
    ) }}
    -- a release date set to unknown (release_date_unknown) gives no release night: the night is not known
    where prison_spells.release_housing = 'no_housing'
        and prison_spells.release_date is not null
),

hospital_discharge_records as (
    {{ one_night_records(
        'hospital_stays', "'hospital_discharge'", 'hospital_stays.hospital_stay_id',
        "'hospital_discharge_no_fixed_abode'", 'hospital_stays.municipality_atvk', 'hospital_stays.discharge_date',
        "'institution_release'", "'hospital_discharge_no_fixed_abode'"
    ) }}
    -- a discharge date set to unknown (discharge_date_unknown) gives no discharge night: the night is not known
    where hospital_stays.discharge_date is not null
),

-- The night of a crisis-service contact with a person of no known address or no fixed abode, when
-- the person was not in a hospital ward or a prison that night: living rough (ETHOS Light 1, coded as
-- the public-space living situation). A shelter or another service on the same night wins in
-- fct_service_days (docs: rough_sleeping_from_crisis_services).
crisis_rough_sleeping_records as (
    {{ one_night_records(
        'contacts', 'contacts.record_type', 'contacts.source_record_id', 'contacts.record_type',
        'contacts.municipality_atvk', 'contacts.contact_date', "'living_situation'", "'street'"
    ) }}
    where not contacts.night_in_institution
),

all_records as (
    select * from shelter_stay_records
    union all
    select * from prior_situation_records
    union all
    select * from hf_waiting_records
    union all
    select * from prison_release_records
    union all
    select * from hospital_discharge_records
    union all
    select * from crisis_rough_sleeping_records
),

-- An overlap: the record starts on or before the last night of an earlier record of the same person
-- (of any type but a crisis contact: a no-address call on a shelter night is no double booking).
-- Counted in mart_data_quality; fct_service_days keeps one row per person-day.
flagged as (
    select
        *,
        start_date
        <= max(case when record_type not in ('ambulance_no_address', 'police_no_fixed_abode') then end_date end) over (
            partition by person_id
            order by start_date, end_date, record_type, source_record_id
            rows between unbounded preceding and 1 preceding
        ) as overlaps_earlier_record
    from all_records
)

select
    md5(flagged.record_type || '|' || flagged.source_record_id) as episode_id,
    flagged.person_id,
    flagged.person_id like 'P%' as is_linkable,
    flagged.record_type,
    flagged.source_record_id,
    flagged.situation,
    flagged.ethos_light_category,
    flagged.ethos_code,
    -- a record its source reports no municipality for is placed by int_record_municipalities
    -- (docs: municipality_attribution_rule)
    coalesce(flagged.municipality_atvk, placed.municipality_atvk) as municipality_atvk,
    flagged.municipality_atvk as reported_municipality_atvk,
    case
        when flagged.municipality_atvk is not null then 'reported'
        else coalesce(placed.municipality_rule, 'unknown')
    end as municipality_rule,
    flagged.provider_id,
    flagged.start_date,
    flagged.end_date,
    flagged.end_date - flagged.start_date + 1 as nights,
    flagged.is_open,
    flagged.end_date_unknown,
    flagged.exit_destination,
    coalesce(flagged.overlaps_earlier_record, false) as overlaps_earlier_record,
    flagged.load_id,
    flagged.file_name,
    flagged.source_row_number
from flagged
left join {{ ref('int_record_municipalities') }} as placed
    on flagged.municipality_atvk is null
        and placed.record_type = flagged.record_type
        and placed.source_record_id = flagged.source_record_id
