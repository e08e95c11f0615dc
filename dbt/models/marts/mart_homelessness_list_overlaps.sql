-- RESTRICTED (meta tier: restricted; cells are small): per year and stratum, linkable persons by
-- capture pattern over the lists, the input of the multiple-systems estimate
-- (mart_homelessness_estimate, docs: homelessness_estimate). A person is on a list in a year when:
--   shelter:  a shelter stay with a night in the year;
--   ambulance: an ambulance call with no known address in the year;
--   police:   a police contact recorded as no fixed abode in the year;
--   prison:   a release from prison with no housing in the year;
--   hospital: a hospital discharge with no fixed abode in the year.
-- The lists and who is on them are int_capture_list_members' (the one definition); the persons it sets
-- aside as likely housed (one flagged contact, an address in another source within 30 days) are counted
-- apart, in set_aside_persons, not in persons. Strata (covariates of the estimate): age group from the
-- birth year in the personal code (new-format codes carry none: 'unknown'), and Rīga or elsewhere by the
-- municipality of the person's first record in the year.
-- The crisis lists also by half-year (int_capture_list_members' in_first_half / in_second_half: a
-- record dated before 1 July, on or after 1 July): on_ambulance_h1 / _h2, on_police_h1 / _h2,
-- on_hospital_h1 / _h2, the patterns of the published estimate (lists split into half-years; shelter
-- and prison stay yearly). Each yearly column is the OR of its two halves, so a reader of the yearly
-- patterns sums over the halves and gets the counts it had before they were added.
with municipalities as (
    select atvk_code, nuts3_code = 'LV006' as is_riga from {{ ref('stg_reference__municipalities') }}
),

-- the birth year in the personal code is the same on every record of a pseudonym
code_birth_years as (
    select person_id, max(birth_year_from_code) as birth_year
    from (
        select person_id, birth_year_from_code from {{ ref('stg_shelters__stays') }}
        union all
        select person_id, birth_year_from_code from {{ ref('stg_nmpd__ambulance_calls') }} where no_fixed_address
        union all
        select person_id, birth_year_from_code from {{ ref('stg_police__contacts') }} where no_fixed_abode
        union all
        select person_id, birth_year_from_code
        from {{ ref('stg_prisons__spells') }}
        where release_housing = 'no_housing'
        union all
        select person_id, birth_year_from_code from {{ ref('stg_nvd__hospital_stays') }}
        where discharge_destination = 'no_fixed_abode'
    ) as coded
    where person_id like 'P%'
    group by person_id
),

kept as (
    select
        year,
        person_id,
        bool_or(list_name = 'shelter_stay') as on_shelter,
        bool_or(list_name = 'ambulance_no_address') as on_ambulance,
        bool_or(list_name = 'police_no_fixed_abode') as on_police,
        bool_or(list_name = 'prison_release') as on_prison,
        bool_or(list_name = 'hospital_discharge') as on_hospital,
        bool_or(list_name = 'ambulance_no_address' and in_first_half) as on_ambulance_h1,
        bool_or(list_name = 'ambulance_no_address' and in_second_half) as on_ambulance_h2,
        bool_or(list_name = 'police_no_fixed_abode' and in_first_half) as on_police_h1,
        bool_or(list_name = 'police_no_fixed_abode' and in_second_half) as on_police_h2,
        bool_or(list_name = 'hospital_discharge' and in_first_half) as on_hospital_h1,
        bool_or(list_name = 'hospital_discharge' and in_second_half) as on_hospital_h2,
        {{ value_at_least('municipality_atvk', 'first_day') }} as first_municipality,
        bool_or(is_set_aside_likely_housed) as is_set_aside
    from {{ ref('int_capture_list_members') }}
    group by year, person_id
)

select
    kept.year,
    kept.on_shelter,
    kept.on_ambulance,
    kept.on_police,
    kept.on_prison,
    kept.on_hospital,
    kept.on_ambulance_h1,
    kept.on_ambulance_h2,
    kept.on_police_h1,
    kept.on_police_h2,
    kept.on_hospital_h1,
    kept.on_hospital_h2,
    case
        when code_birth_years.birth_year is null then 'unknown'
        when kept.year - code_birth_years.birth_year < 30 then 'under_30'
        when kept.year - code_birth_years.birth_year < 50 then '30_49'
        else '50_plus'
    end as age_group,
    case when coalesce(municipalities.is_riga, false) then 'riga' else 'other' end as region,
    count(*) filter (where not kept.is_set_aside) as persons,
    count(*) filter (where kept.is_set_aside) as set_aside_persons
from kept
left join code_birth_years on code_birth_years.person_id = kept.person_id
left join municipalities on municipalities.atvk_code = kept.first_municipality
group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14
